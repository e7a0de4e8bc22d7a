"""The export log: every finished programme, noted when its file is written.

The periodic report ("báo cáo định kỳ") lists the programmes made in a period from here —
title, duration, category, who made it, its priority — and joins the outbox's pushes to them
by the file's SHA-256 (the outbox sends exactly the exported bytes). One row per export, in
the library database (table `programme_exports`, migration 0003_broadcast_log).
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, DateTime, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from studio.db import Base, Database


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)  # naive UTC, as the outbox keeps it


class ProgrammeExportRow(Base):
    __tablename__ = "programme_exports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    title: Mapped[str] = mapped_column(String(500))
    category: Mapped[str] = mapped_column(String(200), default="")
    author: Mapped[str] = mapped_column(String(300), default="")
    priority: Mapped[str] = mapped_column(String(10), default="thuong")
    duration_s: Mapped[float] = mapped_column(Float, default=0.0)
    file_name: Mapped[str] = mapped_column(Text)
    file_path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    preset: Mapped[str] = mapped_column(String(60), default="")
    integrated_lufs: Mapped[float | None] = mapped_column(Float, nullable=True)
    programme: Mapped[str] = mapped_column(Text, default="")  # the programme file, if any
    target_areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    exported_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "category": self.category,
            "author": self.author,
            "priority": self.priority,
            "duration_s": self.duration_s,
            "file_name": self.file_name,
            "file_path": self.file_path,
            "sha256": self.sha256,
            "preset": self.preset,
            "integrated_lufs": self.integrated_lufs,
            "programme": self.programme,
            "target_areas": list(self.target_areas or []),
            "exported_at": self.exported_at.isoformat(timespec="seconds") + "Z",
        }


def default_author() -> str:
    """Who is at the desk when a programme names no author: the computer's login name."""
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name (a service account): leave it blank
        return ""


def record_export(
    db: Database,
    path: str | Path,
    *,
    title: str,
    duration_s: float,
    sha256: str | None = None,
    category: str = "",
    author: str | None = None,
    priority: str = "thuong",
    preset: str = "",
    integrated_lufs: float | None = None,
    programme: str | Path | None = None,
    target_areas: list[str] | tuple[str, ...] = (),
    exported_at: dt.datetime | None = None,
) -> dict[str, Any]:
    """Note a finished export; the row as a dict. `exported_at` is naive UTC (default now)."""
    from export.destinations.base import sha256_file

    path = Path(path)

    def text(value: str) -> str:  # a name with bytes that are not UTF-8: stored with U+FFFD
        return os.fsencode(value).decode("utf-8", "replace")

    row = ProgrammeExportRow(
        title=text(title.strip() or path.stem),
        category=category or "",
        author=default_author() if author is None else author,
        priority=priority,
        duration_s=float(duration_s),
        file_name=text(path.name),
        file_path=text(str(path.resolve())),
        sha256=sha256 or sha256_file(path),
        preset=preset,
        integrated_lufs=integrated_lufs,
        programme=str(programme or ""),
        target_areas=list(target_areas),
        exported_at=exported_at or utcnow(),
    )
    with db.transaction() as s:
        s.add(row)
        s.flush()
        return row.as_dict()


def record_master(db: Database, result, title: str, **details: Any) -> dict[str, Any]:
    """Note an `export.master.MasterResult` (duration and loudness taken from it)."""
    lufs = result.output.integrated_lufs if result.output is not None else None
    return record_export(
        db,
        result.path,
        title=title,
        duration_s=result.frames / result.rate,
        integrated_lufs=lufs,
        **details,
    )


def open_log(home) -> Database:
    """The database the export log lives in (the library's)."""
    from studio.library.service import library_url, open_database

    home.ensure()
    return open_database(library_url(home))


def note_exports(
    home, entries: list[tuple[Any, str, dict[str, Any]]], db: Database | None = None
) -> str | None:
    """Record finished exports (result, title, details) in the log of `home` (or in `db`, an
    open database: the window passes its own, as opening one runs the migrations, which
    must not run on two threads at once).

    An export that is written must not fail because the log could not be: the warning line to
    show is returned instead (None when all went in).
    """
    from audio.errors import StudioError, localized

    try:
        own = db is None
        db = open_log(home) if own else db
        try:
            for result, title, details in entries:
                record_master(db, result, title, **details)
        finally:
            if own:
                db.close()
    except (StudioError, OSError, Exception) as exc:  # noqa: BLE001 - see the docstring
        text = exc.message() if isinstance(exc, StudioError) else str(exc)
        return localized(
            f"The export was not noted for the periodic report: {text}",
            f"Chưa ghi được bản xuất vào sổ để làm báo cáo định kỳ: {text}",
        )
    return None
