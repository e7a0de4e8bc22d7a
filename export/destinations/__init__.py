"""Destinations that finished bulletins are pushed to (see `base.py` for the interface)."""

from __future__ import annotations

from typing import Any

from audio.errors import StudioError

from .base import Destination, DestinationConfig, Item, Plan, Receipt, TransferError
from .folder import FolderDestination
from .ftp import FtpDestination, FtpsDestination
from .http import HttpDestination
from .province import ProvinceDestination
from .sftp import HostKeyChanged, SftpDestination

KINDS: dict[str, type[Destination]] = {
    "folder": FolderDestination,
    "ftp": FtpDestination,
    "ftps": FtpsDestination,
    "sftp": SftpDestination,
    "http": HttpDestination,
    "province": ProvinceDestination,
}
# Kinds whose server needs a password or token.
NEEDS_SECRET = {"ftp", "ftps", "sftp", "http", "province"}


def make_destination(config: DestinationConfig, secret: str | None = None, **context: Any):
    """The destination plugin for a configuration (context: e.g. known_hosts=Path)."""
    try:
        cls = KINDS[config.kind]
    except KeyError:
        raise StudioError(
            f"Unknown destination kind '{config.kind}' (use {', '.join(KINDS)}).",
            f"Loại nơi gửi '{config.kind}' không hợp lệ (dùng {', '.join(KINDS)}).",
        ) from None
    return cls(config, secret, **context)


__all__ = [
    "KINDS",
    "NEEDS_SECRET",
    "Destination",
    "DestinationConfig",
    "HostKeyChanged",
    "Item",
    "Plan",
    "Receipt",
    "TransferError",
    "make_destination",
]
