"""Support information: the window's log file without secrets, and the text that Help →
"Sao chép thông tin chẩn đoán" copies for a support call.

The log itself (rotation, secrets masked) is set up in `studio.applog`, the one log set-up.
No Qt here: the window only puts `report()` on the clipboard.
"""

from __future__ import annotations

import logging
import platform
import sys
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

from studio.applog import MASK, is_secret_key, last_log_lines, log_path, log_to_file, mask_secrets
from studio.paths import StudioHome

__all__ = ["last_log_lines", "log_file", "mask_secrets", "report", "start_log"]


def log_file(home: StudioHome) -> Path:
    return log_path(home, "studio")


def start_log(home: StudioHome) -> logging.Handler:
    """The window's log, `<logs>/studio.log` (`studio.applog.log_to_file`: rotated, secrets
    masked; the handler already there when the launcher started it)."""
    return log_to_file(home, "studio")


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
