"""The one place where a file is written atomically.

Write to a temporary file in the same folder, fsync it, then rename it over the target, so a
crash or power cut leaves either the old file or the new one, never half of one.

The temporary file is created with mode 0666 less the process umask — the mode any program's
new file gets (0644 under the usual umask 022) — not `tempfile.mkstemp`'s private 0600: an
exported MP3, its report or a programme must be readable by the other users of the PC and
from a network share.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import IO


def _create_temp(path: Path) -> tuple[int, str]:
    """Create a new, empty temporary file beside `path` (open for writing, O_EXCL) whose
    mode follows the umask; returns (fd, name)."""
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    flags |= getattr(os, "O_NOFOLLOW", 0)
    for _ in range(100):
        name = path.parent / f".{path.name[:40]}.{secrets.token_hex(4)}.part"
        try:
            return os.open(name, flags, 0o666), str(name)
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {path}")


@contextlib.contextmanager
def atomic_write(
    path: str | os.PathLike, mode: str = "wb", encoding: str | None = None
) -> Iterator[IO]:
    """Yield a file to write; on success it replaces `path`, on error `path` is untouched."""
    path = Path(path)
    fd, tmp = _create_temp(path)
    try:
        with os.fdopen(fd, mode, encoding=encoding if "b" not in mode else None) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def write_text_atomically(path: str | os.PathLike, text: str) -> None:
    with atomic_write(path, "w", encoding="utf-8") as f:
        f.write(text)


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return  # Windows cannot open a folder for fsync; NTFS journals the rename
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside `path` for a writer that wants a name, not a file.

    When the block ends without error the temporary file is fsynced and renamed over `path`;
    otherwise it is removed and `path` is untouched.
    """
    path = Path(path)
    fd, tmp = _create_temp(path)
    os.close(fd)
    try:
        yield Path(tmp)
        fd = os.open(tmp, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


ORPHAN_AGE_S = 6 * 3600  # a `.part` untouched this long belongs to an export that was killed


def remove_orphan_parts(folder: Path, age_s: float = ORPHAN_AGE_S) -> list[Path]:
    """Delete the temporary files this module makes (".NAME.xxxx.part") that a killed export
    or import left in `folder`.

    Only files not written to for `age_s`: an export still running touches its file every
    block, and a push being received into the folder uses ".NAME.KEY.part" names that a
    finished or failed upload removes itself. Returns what was removed."""
    import time

    removed = []
    cutoff = time.time() - age_s
    try:
        candidates = list(folder.glob(".*.part"))
    except OSError:
        return removed
    for part in candidates:
        try:
            if part.is_file() and part.stat().st_mtime < cutoff:
                part.unlink()
                removed.append(part)
        except OSError:
            continue
    return removed
