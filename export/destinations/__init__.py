"""Destinations that finished bulletins are pushed to (see `base.py` for the interface).

Plugins are imported when first used, so that commands which never publish do not pay for
paramiko and TLS at start-up.
"""

from __future__ import annotations

import importlib
from typing import Any

from audio.errors import StudioError

from .base import (
    PRIORITIES,
    Destination,
    DestinationConfig,
    HostKeyChanged,
    Item,
    Plan,
    Receipt,
    TransferError,
)

# kind → "module:Class"
KINDS: dict[str, str] = {
    "folder": "folder:FolderDestination",
    "ftp": "ftp:FtpDestination",
    "ftps": "ftp:FtpsDestination",
    "sftp": "sftp:SftpDestination",
    "http": "http:HttpDestination",
    "province": "province:ProvinceDestination",
}
# Kinds whose server needs a password or token.
NEEDS_SECRET = {"ftp", "ftps", "sftp", "http", "province"}


def destination_class(kind: str) -> type[Destination]:
    try:
        module, name = KINDS[kind].split(":")
    except KeyError:
        raise StudioError(
            f"Unknown destination kind '{kind}' (use {', '.join(KINDS)}).",
            f"Loại nơi nhận '{kind}' không hợp lệ (dùng {', '.join(KINDS)}).",
        ) from None
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


def make_destination(config: DestinationConfig, secret: str | None = None, **context: Any):
    """The destination plugin for a configuration (context: e.g. known_hosts=Path)."""
    return destination_class(config.kind)(config, secret, **context)


__all__ = [
    "KINDS",
    "NEEDS_SECRET",
    "PRIORITIES",
    "Destination",
    "DestinationConfig",
    "HostKeyChanged",
    "Item",
    "Plan",
    "Receipt",
    "TransferError",
    "destination_class",
    "make_destination",
]
