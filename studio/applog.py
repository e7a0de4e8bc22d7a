"""The app's log: `<studio home>/logs/NAME.log`, rotated (1 MB × 5), UTF-8, secrets masked.

What goes in: what the app did and why something failed, never a secret (passwords and tokens
live in the keyring and are never formatted into a message; `SecretFilter` is the second line
of defence for what a library or an exception text lets slip: a URL with a password, an
`Authorization:` header, `password=…`). The console belongs to the user: `studio` (window or
command) sends every record to `studio.log` from its first line (`studio/__main__.py`), so a
library's traceback (paramiko's "Error reading SSH protocol banner") or the sender's retry at
the window's start never reaches the terminal. The background sender logs to `outbox.log`
instead (and to standard error for its service manager).
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
import sys
from pathlib import Path

from studio.paths import StudioHome

FORMAT = "%(asctime)s %(levelname)s %(process)d %(name)s: %(message)s"
LOG_BYTES = 1_000_000
LOG_BACKUPS = 5
MASK = "***"

_SECRET_WORDS = r"pass(?:word|wd)?|pwd|secret|token|api[_-]?key|access[_-]?key|auth(?:orization)?"
_PATTERNS = (
    # user:password@host in any URL
    (re.compile(r"(?P<keep>[a-z][a-z0-9+.-]*://[^\s/:@]+:)[^\s@/]+(?=@)", re.I), r"\g<keep>***"),
    # Authorization: Bearer xyz / Basic xyz
    (
        re.compile(
            r"(?P<keep>\b(?:authorization|proxy-authorization)\s*[:=]\s*(?:bearer|basic|token)?\s*)[^\s,;'\"]+",
            re.I,
        ),
        r"\g<keep>***",
    ),
    # password=xyz, "token": "xyz", api_key: xyz
    (
        re.compile(rf"(?P<keep>\b(?:{_SECRET_WORDS})\b[\"']?\s*[:=]\s*[\"']?)[^\s,;&'\"}}]+", re.I),
        r"\g<keep>***",
    ),
)


def mask_secrets(text: str) -> str:
    """`text` with passwords, tokens and URL credentials replaced by ***."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def is_secret_key(key: str) -> bool:
    return re.search(_SECRET_WORDS, key, re.I) is not None


class SecretFilter(logging.Filter):
    """Masks secrets in a record's message and exception text before any handler formats it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        record.msg, record.args = mask_secrets(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_secrets(record.exc_text)
        return True


def log_path(home: StudioHome, name: str = "studio") -> Path:
    return home.logs / f"{name}.log"


def log_to_file(home: StudioHome, name: str = "studio", echo: bool = False) -> logging.Handler:
    """Send this process's log records (INFO and up) to `<home>/logs/NAME.log`, secrets
    masked; with `echo` also to standard error (a service manager such as systemd keeps that
    in its journal). A process keeps one app log: the same file again returns the handler
    already there, another one (`outbox serve` after the launcher's `studio.log`) replaces it."""
    path = log_path(home, name)
    root = logging.getLogger()
    for h in list(root.handlers):
        if not getattr(h, "studio_log", False):
            continue
        if getattr(h, "baseFilename", None) == os.path.abspath(path):
            return h
        root.removeHandler(h)
        h.close()
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8", delay=True
    )
    handler.studio_log = True
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(SecretFilter())
    root.addHandler(handler)
    if echo:
        console = logging.StreamHandler(sys.stderr)
        console.studio_log = True
        console.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        console.addFilter(SecretFilter())
        root.addHandler(console)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    # Third-party chatter (paramiko's transport, ...) only when something is wrong.
    for noisy in ("paramiko", "pyftpdlib", "alembic", "sqlalchemy"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return handler


def last_log_lines(home: StudioHome, count: int = 40, name: str = "studio") -> list[str]:
    """The last `count` lines of the log (the rotated file before it when it is short),
    masked again in case an old version wrote a secret."""
    path = log_path(home, name)
    lines: list[str] = []
    for candidate in (path, path.with_name(f"{path.name}.1")):
        try:
            text = candidate.read_text("utf-8", errors="replace")
        except OSError:
            continue
        lines = text.splitlines() + lines if candidate != path else text.splitlines()
        if len(lines) >= count:
            break
    return [mask_secrets(line) for line in lines[-count:]]


def both_languages(exc: BaseException) -> str:
    """An error for the log: "English | Tiếng Việt" for a StudioError, else its text."""
    en, vi = getattr(exc, "en", None), getattr(exc, "vi", None)
    if en and vi and en != vi:
        return f"{en} | {vi}"
    return str(exc) or type(exc).__name__
