"""The one place where a file is written atomically.

Write to a temporary file in the same folder, fsync it, then rename it over the target, so a
crash or power cut leaves either the old file or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO


@contextlib.contextmanager
def atomic_write(
    path: str | os.PathLike, mode: str = "wb", encoding: str | None = None
) -> Iterator[IO]:
    """Yield a file to write; on success it replaces `path`, on error `path` is untouched."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:40]}.", suffix=".part")
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
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:40]}.", suffix=".part")
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
