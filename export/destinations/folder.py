"""A folder destination: a local folder, a USB stick or a mounted network share.

Copy under a temporary name, fsync, verify size and SHA-256 by reading the copy back, then
rename to the final name, so the head-end software watching the folder never sees half a file.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from audio.errors import localized

from .base import (
    CHUNK,
    Destination,
    Item,
    Plan,
    Progress,
    Receipt,
    TransferError,
    readable_size,
    sha256_file,
)
from .sidecar import sidecar_bytes, sidecar_mode, sidecar_name


def folder_path(url: str) -> Path:
    """`file:///srv/x` or a plain path → Path."""
    if url.startswith("file:"):
        return Path(unquote(urlparse(url).path))
    return Path(url).expanduser()


class FolderDestination(Destination):
    kind = "folder"

    @property
    def folder(self) -> Path:
        return folder_path(self.config.url)

    def prepare(self, item: Item) -> Plan:
        sidecar_mode(self.config)
        if not self.config.url.strip() or not self.folder.is_absolute():
            raise TransferError(
                f"A folder destination needs the full path of its folder, not '{self.config.url}'.",
                f"Nơi nhận dạng thư mục cần đường dẫn đầy đủ của thư mục, không phải "
                f"'{self.config.url}'.",
                retryable=False,
            )
        return self._plan(item, str(self.folder / item.name))

    def reachable(self, timeout_s: float = 2.0) -> bool:
        return self.folder.is_dir()  # a USB stick plugged back in, a share mounted again

    def check(self) -> str:
        folder = self.folder
        if not folder.is_dir():
            raise TransferError(
                f"The folder '{folder}' does not exist or is not mounted.",
                f"Thư mục '{folder}' không tồn tại hoặc chưa được gắn.",
            )
        if not os.access(folder, os.W_OK):
            raise TransferError(
                f"Cannot write into the folder '{folder}'.",
                f"Không ghi được vào thư mục '{folder}'.",
                retryable=False,
            )
        free = readable_size(_free_bytes(folder))
        return localized(f"{folder} ({free} free)", f"{folder} (còn trống {free})")

    def run(self, plan: Plan, progress: Progress | None = None) -> Receipt:
        folder = self.folder
        self.check()
        final = inside(folder, plan.final_name)
        inside(folder, plan.temp_name)
        if (
            final.is_file()
            and final.stat().st_size == plan.size
            and sha256_file(final) == plan.sha256
        ):
            self._cleanup(folder / plan.temp_name)
            return Receipt(str(final), verified=True, already_there=True)
        temp = folder / plan.temp_name
        try:
            sidecar = sidecar_bytes(self.config, plan)
            if sidecar is not None:  # in place before the audio appears
                from audio.fileio import atomic_write

                with atomic_write(folder / sidecar_name(plan.final_name)) as f:
                    f.write(sidecar)
            digest = hashlib.sha256()
            written = 0
            with open(plan.source, "rb") as src, open(temp, "wb") as dst:
                while chunk := src.read(CHUNK):
                    dst.write(chunk)
                    digest.update(chunk)
                    written += len(chunk)
                    if progress:
                        progress(0.9 * written / max(1, plan.size))
                dst.flush()
                os.fsync(dst.fileno())
            if digest.hexdigest() != plan.sha256:
                raise TransferError(
                    "The queued file changed on disk; it will not be sent.",
                    "Tệp trong hàng đợi đã bị thay đổi; sẽ không gửi.",
                    retryable=False,
                )
            size = temp.stat().st_size
            if size != plan.size or sha256_file(temp) != plan.sha256:
                raise TransferError(
                    f"The copy in '{folder}' does not match the original (size {size}).",
                    f"Bản sao trong '{folder}' không khớp bản gốc (cỡ {size}).",
                )
            os.replace(temp, final)
            _fsync_dir(folder)
        except OSError as exc:
            self._cleanup(temp)
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise TransferError(
                    f"The folder '{folder}' is full: the file was not copied.",
                    f"Thư mục '{folder}' đã đầy: tệp chưa được chép.",
                ) from exc
            raise TransferError(
                f"Copying to '{folder}' failed: {exc.strerror or exc}.",
                f"Chép vào '{folder}' bị lỗi: {exc.strerror or exc}.",
            ) from exc
        except BaseException:
            self._cleanup(temp)
            raise
        if progress:
            progress(1.0)
        return Receipt(str(final), verified=True)

    @staticmethod
    def _cleanup(temp: Path) -> None:
        with contextlib.suppress(OSError):
            temp.unlink()


def inside(folder: Path, name: str) -> Path:
    """`folder / name`, refusing any name that would land anywhere but directly in `folder`."""
    target = folder / name
    if Path(name).name != name or target.resolve().parent != folder.resolve():
        raise TransferError(
            f"'{name}' would be written outside the folder '{folder}'; nothing was copied.",
            f"'{name}' sẽ bị ghi ra ngoài thư mục '{folder}'; chưa chép gì.",
            retryable=False,
        )
    return target


def _free_bytes(folder: Path) -> int:
    import shutil

    return shutil.disk_usage(folder).free


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return  # NTFS journals the rename; a folder cannot be opened for fsync on Windows
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
