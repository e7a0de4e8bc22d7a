"""The app's log files: `<studio home>/logs/NAME.log`, rotated (1 MB × 5), UTF-8.

What goes in: what the app did and why something failed, never a secret (passwords and tokens
live in the keyring and are never formatted into a message).
"""

from __future__ import annotations

import logging
import logging.handlers
import sys

from studio.paths import StudioHome

FORMAT = "%(asctime)s %(levelname)s %(process)d %(name)s: %(message)s"


def log_to_file(home: StudioHome, name: str = "studio", echo: bool = False) -> logging.Handler:
    """Send this process's log records (INFO and up) to `<home>/logs/NAME.log`; with `echo`
    also to standard error (a service manager such as systemd keeps that in its journal)."""
    home.logs.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    handler = logging.handlers.RotatingFileHandler(
        home.logs / f"{name}.log", maxBytes=1_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    if echo:
        console = logging.StreamHandler(sys.stderr)
        console.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        root.addHandler(console)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    # Third-party chatter (paramiko's transport, ...) only when something is wrong.
    for noisy in ("paramiko", "pyftpdlib", "alembic", "sqlalchemy"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return handler
