"""The app's log files: `<studio home>/logs/NAME.log`, rotated (1 MB × 5), UTF-8.

What goes in: what the app did and why something failed, never a secret (passwords and tokens
live in the keyring and are never formatted into a message). The console belongs to the user:
`studio` (window or command) sends every record to `studio.log` from its first line
(`studio/__main__.py`), so a library's traceback (paramiko's "Error reading SSH protocol
banner") or the sender's retry at the window's start never reaches the terminal.
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
    path = home.logs / f"{name}.log"
    for h in root.handlers:  # once per file: a second call must not write every line twice
        if isinstance(h, logging.FileHandler) and h.baseFilename == str(path.absolute()):
            return h
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=1_000_000, backupCount=5, encoding="utf-8", delay=True
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


def both_languages(exc: BaseException) -> str:
    """An error for the log: "English | Tiếng Việt" for a StudioError, else its text."""
    en, vi = getattr(exc, "en", None), getattr(exc, "vi", None)
    if en and vi and en != vi:
        return f"{en} | {vi}"
    return str(exc) or type(exc).__name__
