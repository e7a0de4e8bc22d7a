"""Support information: the window's log file without secrets, and the text that Help →
"Sao chép thông tin chẩn đoán" copies for a support call.

Secrets live in the OS keyring and are never formatted into log messages on purpose; the
`SecretFilter` is the second line of defence for what a library or an exception text lets
slip (a URL with a password, an `Authorization:` header, `password=…` in a query string).
No Qt here: the window only puts `report()` on the clipboard.
"""

from __future__ import annotations

import logging
import logging.handlers
import platform
import re
import sys
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

from studio.paths import StudioHome

LOG_NAME = "studio.log"
LOG_BYTES = 1_000_000
LOG_BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)s %(process)d %(name)s: %(message)s"
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


def log_file(home: StudioHome) -> Path:
    return home.logs / LOG_NAME


def start_log(home: StudioHome, level: int = logging.INFO) -> logging.Handler:
    """Send this process's log records to `<logs>/studio.log` (1 MB × 5, UTF-8), secrets
    masked. Calling it again for the same file returns the handler already there."""
    path = log_file(home)
    root = logging.getLogger()
    for handler in root.handlers:
        if getattr(handler, "baseFilename", None) == str(path.resolve()):
            return handler
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(SecretFilter())
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    for noisy in ("paramiko", "pyftpdlib", "alembic", "sqlalchemy"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return handler


def last_log_lines(home: StudioHome, count: int = 40) -> list[str]:
    """The last `count` lines of the log (the rotated file before it when it is short),
    masked again in case an old version wrote a secret."""
    path = log_file(home)
    lines: list[str] = []
    for candidate in (path, path.with_name(f"{LOG_NAME}.1")):
        try:
            text = candidate.read_text("utf-8", errors="replace")
        except OSError:
            continue
        lines = text.splitlines() + lines if candidate != path else text.splitlines()
        if len(lines) >= count:
            break
    return [mask_secrets(line) for line in lines[-count:]]


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


def versions() -> list[tuple[str, str]]:
    from studio import __version__

    rows = [
        ("Studio Truyền Thanh", __version__),
        ("Python", f"{platform.python_version()} ({sys.executable})"),
        (
            "OS",
            f"{platform.system()} {platform.release()} {platform.version()} {platform.machine()}",
        ),
        ("frozen (bundle)", str(bool(getattr(sys, "frozen", False)))),
    ]
    for package in (
        "PySide6-Essentials",
        "numpy",
        "scipy",
        "sounddevice",
        "soundfile",
        "SQLAlchemy",
        "alembic",
        "keyring",
        "lameenc",
        "mutagen",
        "paramiko",
    ):
        rows.append((package, _version(package)))
    try:
        import sounddevice as sd

        rows.append(("PortAudio", sd.get_portaudio_version()[1]))
    except Exception as exc:  # noqa: BLE001 - a report line, not a failure
        rows.append(("PortAudio", f"unavailable: {exc}"))
    try:
        import soundfile as sf

        rows.append(("libsndfile", sf.__libsndfile_version__))
    except Exception as exc:  # noqa: BLE001
        rows.append(("libsndfile", f"unavailable: {exc}"))
    try:
        import keyring

        rows.append(("keyring backend", type(keyring.get_keyring()).__name__))
    except Exception as exc:  # noqa: BLE001
        rows.append(("keyring backend", f"unavailable: {exc}"))
    return rows


def device_lines() -> list[str]:
    try:
        from studio.input_check import audio_devices

        found = audio_devices()
    except Exception as exc:  # noqa: BLE001
        return [f"(no device list: {exc})"]
    out = []
    for d in found:
        marks = " ".join(
            m
            for m, on in (
                ("[default in]", d.is_default_input),
                ("[default out]", d.is_default_output),
            )
            if on
        )
        out.append(f"{d.label}: {d.inputs} in / {d.outputs} out {marks}".rstrip())
    return out or ["(no audio devices)"]


def settings_lines(values: Iterable[tuple[str, object]]) -> list[str]:
    out = []
    for key, value in values:
        text = MASK if is_secret_key(key) and value else mask_secrets(str(value))
        out.append(f"{key} = {text}")
    return out


def report(home: StudioHome, settings=None, log_lines: int = 40, devices: bool = True) -> str:
    """The support text: versions, folders, devices, settings (secrets removed), last log
    lines. `settings` is a studio.settings.Settings (read from the home when None)."""
    from studio.settings import SETTINGS, Settings

    settings = settings or Settings(home.settings_file)
    parts = ["== Studio Truyền Thanh: thông tin chẩn đoán / diagnostics =="]
    parts += [f"{name}: {value}" for name, value in versions()]
    parts += [
        "",
        "== Thư mục / folders ==",
        f"data: {home.root}",
        f"media: {home.media}",
        f"logs: {home.logs}",
    ]
    if devices:
        parts += ["", "== Thiết bị âm thanh / audio devices =="] + device_lines()
    parts += ["", "== Cài đặt / settings =="]
    parts += settings_lines((s.key, settings.get(s.key)) for s in SETTINGS)
    parts += ["", f"== Nhật ký / last {log_lines} log lines ({log_file(home)}) =="]
    parts += last_log_lines(home, log_lines) or ["(empty)"]
    return "\n".join(parts) + "\n"
