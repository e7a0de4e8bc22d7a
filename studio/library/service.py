"""The segment library service: import, search, edit, usage history, delete.

One `Library` per process over a `studio.db.Database` and a `MediaStore`. Reads may run on any
thread; writes are serialised by one lock (SQLite has one writer), each in its own short
transaction, so a failure rolls back and never leaves half-written rows. Every database
failure reaches the caller as a `LibraryError` with an English and a Vietnamese sentence.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from audio.errors import Cancelled, MediaError, StudioError
from audio.media import MediaInfo, MediaStore
from studio.db import Database, DatabaseError, database_url
from studio.library.importer import (
    Analysis,
    ImportItem,
    ImportReport,
    analyse_frames,
    collect_files,
    guess_kind,
    read_tags,
    title_from_filename,
)
from studio.library.models import Category, Segment, SegmentKind, SegmentUsage, UsageAction
from studio.library.search import (
    EXPIRY_WARNING_DAYS,
    SORT_COLUMNS,
    SearchQuery,
    count_matches,
    fold,
    search_document,
    search_ids,
)
from studio.paths import StudioHome

Progress = Callable[[float], None]
LIBRARY_RATE = 48_000  # media rate of library segments: the project rate


class LibraryError(StudioError):
    """The library database could not do what was asked; nothing was half-written."""


class SegmentNotFound(LibraryError):
    pass


class SegmentInUse(LibraryError):
    """Deleting a segment that programmes use needs the user's confirmation."""

    def __init__(self, en: str, vi: str, usages: list[UsageView]):
        super().__init__(en, vi)
        self.usages = usages


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    # SQLite returns naive datetimes: everything is stored in UTC.
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


@dataclass(frozen=True, slots=True)
class SegmentView:
    """A detached, read-only copy of a segment row, safe to hand to any thread."""

    id: int
    title: str
    kind: str
    category: str
    tags: tuple[str, ...]
    author: str
    notes: str
    recorded_on: dt.date | None
    valid_from: dt.date | None
    valid_until: dt.date | None
    frames: int
    store_rate: int
    sample_rate: int
    channels: int
    integrated_lufs: float | None
    true_peak_dbtp: float | None
    sha256: str
    peaks_ref: str
    source_name: str
    created_at: dt.datetime
    modified_at: dt.datetime
    last_used_at: dt.datetime | None

    @property
    def source_id(self) -> str:
        return self.sha256

    @property
    def duration_s(self) -> float:
        return self.frames / self.store_rate

    def expired(self, today: dt.date | None = None) -> bool:
        today = today or dt.date.today()
        return self.valid_until is not None and self.valid_until < today

    def expiring_soon(self, today: dt.date | None = None) -> bool:
        """Still valid but due to expire within EXPIRY_WARNING_DAYS."""
        today = today or dt.date.today()
        return self.valid_until is not None and today <= self.valid_until <= today + dt.timedelta(
            days=EXPIRY_WARNING_DAYS
        )

    def not_yet_valid(self, today: dt.date | None = None) -> bool:
        today = today or dt.date.today()
        return self.valid_from is not None and self.valid_from > today

    def as_json(self, today: dt.date | None = None) -> dict:
        out = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if isinstance(v, dt.date | dt.datetime):
                v = v.isoformat()
            elif isinstance(v, tuple):
                v = list(v)
            out[f.name] = v
        out["duration_s"] = round(self.duration_s, 3)
        out["expired"] = self.expired(today)
        out["expiring_soon"] = self.expiring_soon(today)
        return out

    @classmethod
    def from_row(cls, row) -> SegmentView:
        """From a row of `VIEW_COLUMNS` (no ORM objects: a search page loads quicker)."""
        values = list(row)
        values[_TAGS] = split_tags(values[_TAGS])
        for i in _DATETIMES:
            values[i] = _aware(values[i])
        return cls(*values)

    @classmethod
    def of(cls, s: Segment) -> SegmentView:
        return cls(
            id=s.id,
            title=s.title,
            kind=s.kind,
            category=s.category,
            tags=split_tags(s.tags),
            author=s.author,
            notes=s.notes,
            recorded_on=s.recorded_on,
            valid_from=s.valid_from,
            valid_until=s.valid_until,
            frames=s.frames,
            store_rate=s.store_rate,
            sample_rate=s.sample_rate,
            channels=s.channels,
            integrated_lufs=s.integrated_lufs,
            true_peak_dbtp=s.true_peak_dbtp,
            sha256=s.sha256,
            peaks_ref=s.peaks_ref,
            source_name=s.source_name,
            created_at=_aware(s.created_at),
            modified_at=_aware(s.modified_at),
            last_used_at=_aware(s.last_used_at),
        )


VIEW_COLUMNS = [getattr(Segment, f.name) for f in fields(SegmentView)]
_NAMES = [f.name for f in fields(SegmentView)]
_TAGS = _NAMES.index("tags")
_DATETIMES = [_NAMES.index(n) for n in ("created_at", "modified_at", "last_used_at")]


def _views(session: Session, ids: list[int]) -> list[SegmentView]:
    if not ids:
        return []
    rows = session.execute(select(*VIEW_COLUMNS).where(Segment.id.in_(ids))).all()
    by_id = {r[0]: SegmentView.from_row(r) for r in rows}
    return [by_id[i] for i in ids if i in by_id]


@dataclass(frozen=True, slots=True)
class UsageView:
    programme: str
    action: str
    used_at: dt.datetime


def split_tags(tags: str | Iterable[str]) -> tuple[str, ...]:
    items = tags.split(",") if isinstance(tags, str) else tags
    out: list[str] = []
    for t in items:
        t = " ".join(str(t).split())
        if t and t not in out:
            out.append(t)
    return tuple(out)


EDITABLE = {
    "title",
    "kind",
    "category",
    "tags",
    "author",
    "notes",
    "recorded_on",
    "valid_from",
    "valid_until",
}


def _db_error(exc: DatabaseError) -> LibraryError:
    """The database's own sentence (studio.db.database_error), as a library error."""
    return LibraryError(exc.en, exc.vi)


def open_database(url: str) -> Database:
    """Open (and migrate) the library database at `url`, with a clear error on failure."""
    try:
        return Database(url)
    except DatabaseError as exc:
        raise _db_error(exc) from exc


library_url = database_url  # the library and the outbox share one database


def open_library(home: StudioHome, rate: int = LIBRARY_RATE) -> Library:
    """The library of this studio home (database migrated to the newest schema)."""
    home.ensure()
    return Library(open_database(library_url(home)), MediaStore(home.media), rate)


class Library:
    """The segment library over one database and one media store."""

    def __init__(self, db: Database, store: MediaStore, rate: int = LIBRARY_RATE):
        self.db = db
        self.store = store
        self.rate = rate
        self.dialect = db.engine.dialect.name
        self._write_lock = threading.Lock()

    def close(self) -> None:
        self.db.close()

    # --- sessions ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def _read(self) -> Iterator[Session]:
        try:
            with self.db.transaction() as session:
                yield session
        except DatabaseError as exc:
            raise _db_error(exc) from exc

    @contextlib.contextmanager
    def _write(self) -> Iterator[Session]:
        """The one writer: a short transaction under the write lock, rolled back on error."""
        with self._write_lock:
            try:
                with self.db.transaction() as session:
                    yield session
            except DatabaseError as exc:
                raise _db_error(exc) from exc

    # --- reading ------------------------------------------------------------------------------

    def get(self, segment_id: int) -> SegmentView:
        with self._read() as s:
            row = s.get(Segment, segment_id)
            if row is None:
                raise _not_found(segment_id)
            return SegmentView.of(row)

    def by_sha256(self, sha256: str) -> SegmentView | None:
        with self._read() as s:
            row = s.scalar(select(Segment).where(Segment.sha256 == sha256))
            return None if row is None else SegmentView.of(row)

    def search(self, query: SearchQuery | str = "", **filters) -> list[SegmentView]:
        """Segments matching `query` (text with word-prefix matching, filters, sort)."""
        q = query if isinstance(query, SearchQuery) else SearchQuery(text=query, **filters)
        if q.sort not in SORT_COLUMNS:
            raise LibraryError(
                f"Cannot sort by '{q.sort}'.", f"Không sắp xếp được theo '{q.sort}'."
            )
        with self._read() as s:
            return _views(s, search_ids(s, q, self.dialect, utcnow()))

    def count(self, query: SearchQuery | str = "", **filters) -> int:
        q = query if isinstance(query, SearchQuery) else SearchQuery(text=query, **filters)
        with self._read() as s:
            return count_matches(s, q, self.dialect, utcnow())

    def usages(self, segment_id: int) -> list[UsageView]:
        """The usage history of a segment, newest first."""
        with self._read() as s:
            rows = s.scalars(
                select(SegmentUsage)
                .where(SegmentUsage.segment_id == segment_id)
                .order_by(SegmentUsage.used_at.desc(), SegmentUsage.id.desc())
            ).all()
            return [UsageView(u.programme, u.action, _aware(u.used_at)) for u in rows]

    def categories(self) -> list[str]:
        with self._read() as s:
            return list(s.scalars(select(Category.name).order_by(Category.position, Category.id)))

    def frames(self, segment_id: int) -> np.ndarray:
        """The segment's audio (frames, channels) float32 at `store_rate`, memory-mapped.

        Raises MediaError when the media file is missing from the media folder.
        """
        seg = self.get(segment_id)
        if not self.store.has(seg.sha256, seg.store_rate):
            raise MediaError(
                f"The audio of '{seg.title}' is missing from the media folder "
                f"{self.store.root}. Import the file again to restore it.",
                f"Thiếu tệp âm thanh của '{seg.title}' trong thư mục {self.store.root}. "
                "Hãy nhập lại tệp để khôi phục.",
            )
        return self.store.frames(seg.sha256, seg.store_rate)

    def missing_media(self) -> list[SegmentView]:
        """Segments whose media is no longer in the media folder."""
        with self._read() as s:
            rows = s.scalars(select(Segment).order_by(Segment.id)).all()
            views = [SegmentView.of(r) for r in rows]
        return [v for v in views if not self.store.has(v.sha256, v.store_rate)]

    # --- writing ------------------------------------------------------------------------------

    def add(self, info: MediaInfo, *, analysis: Analysis | None = None, **metadata) -> SegmentView:
        """Add a segment for media already in the store; the same media twice is refused.

        `analysis` (loudness, true peak) is measured from the stored frames when not given.
        """
        _check_editable(metadata)
        meta = _validated(metadata)
        now = utcnow()
        if analysis is None:
            analysis = analyse_frames(self.store.frames(info.source_id, info.rate), info.rate)
        with self._write() as s:
            if s.scalar(select(Segment.id).where(Segment.sha256 == info.source_id)) is not None:
                raise LibraryError(
                    f"'{info.original_name}' is already in the library.",
                    f"'{info.original_name}' đã có trong thư viện.",
                )
            seg = Segment(
                title=meta.get("title") or title_from_filename(info.original_name),
                kind=meta.get("kind", SegmentKind.RECORDING.value),
                category=meta.get("category", ""),
                tags=", ".join(meta.get("tags", ())),
                author=meta.get("author", ""),
                notes=meta.get("notes", ""),
                recorded_on=meta.get("recorded_on"),
                valid_from=meta.get("valid_from"),
                valid_until=meta.get("valid_until"),
                frames=info.frames,
                store_rate=info.rate,
                sample_rate=info.original_rate,
                channels=info.original_channels,
                integrated_lufs=analysis.integrated_lufs,
                true_peak_dbtp=analysis.true_peak_dbtp,
                sha256=info.source_id,
                peaks_ref=f"{info.source_id[:2]}/{info.source_id}.{info.rate}.peaks.npy",
                source_name=info.original_name,
                created_at=now,
                modified_at=now,
            )
            _refresh_search(seg)
            s.add(seg)
            s.flush()
            return SegmentView.of(seg)

    def update(self, segment_id: int, **changes) -> SegmentView:
        """Change editable metadata; returns the updated segment."""
        _check_editable(changes)
        meta = _validated(changes)
        with self._write() as s:
            seg = s.get(Segment, segment_id)
            if seg is None:
                raise _not_found(segment_id)
            for key, value in meta.items():
                setattr(seg, key, ", ".join(value) if key == "tags" else value)
            _check_dates(seg.valid_from, seg.valid_until)
            seg.modified_at = utcnow()
            _refresh_search(seg)
            s.flush()
            return SegmentView.of(seg)

    def record_usage(
        self,
        segment_id: int,
        programme: str,
        action: str = UsageAction.ADDED,
        when: dt.datetime | None = None,
    ) -> None:
        """Note that `programme` used the segment (added, exported or pushed)."""
        action = UsageAction(action).value
        when = when or utcnow()
        with self._write() as s:
            seg = s.get(Segment, segment_id)
            if seg is None:
                raise _not_found(segment_id)
            s.add(
                SegmentUsage(
                    segment_id=segment_id, programme=programme, action=action, used_at=when
                )
            )
            last = _aware(seg.last_used_at)
            if last is None or when > last:
                seg.last_used_at = when

    def delete(
        self, segment_id: int, *, confirm_in_use: bool = False, delete_media: bool = True
    ) -> None:
        """Delete a segment.

        A segment that programmes used raises SegmentInUse unless `confirm_in_use` (ask the
        user first). Its media is then kept, so those programmes still play; unused media is
        removed from the media folder when `delete_media`.
        """
        with self._write() as s:
            seg = s.get(Segment, segment_id)
            if seg is None:
                raise _not_found(segment_id)
            used = s.scalars(
                select(SegmentUsage)
                .where(SegmentUsage.segment_id == segment_id)
                .order_by(SegmentUsage.used_at.desc())
            ).all()
            usages = [UsageView(u.programme, u.action, _aware(u.used_at)) for u in used]
            if usages and not confirm_in_use:
                names = ", ".join(sorted({u.programme for u in usages}))
                raise SegmentInUse(
                    f"'{seg.title}' is used by: {names}. Delete it anyway?",
                    f"'{seg.title}' đang được dùng trong: {names}. Vẫn xoá?",
                    usages,
                )
            sha, rate = seg.sha256, seg.store_rate
            s.execute(delete(SegmentUsage).where(SegmentUsage.segment_id == segment_id))
            s.delete(seg)
        # After the commit: a failed delete keeps its media.
        if delete_media and not usages:
            self._remove_media(sha, rate)

    def _remove_media(self, sha: str, rate: int) -> None:
        base = self.store.root / sha[:2] / f"{sha}.{rate}"
        # The description first: without it the entry counts as absent, never half-present.
        for suffix in (".json", ".f32", ".peaks.npy"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(str(base) + suffix)

    # --- categories ---------------------------------------------------------------------------

    def add_category(self, name: str) -> None:
        name = _category_name(name)
        with self._write() as s:
            if s.scalar(select(Category.id).where(Category.name == name)) is not None:
                raise LibraryError(
                    f"The category '{name}' already exists.", f"Lĩnh vực '{name}' đã có."
                )
            top = s.scalar(select(func.max(Category.position))) or 0
            s.add(Category(name=name, position=top + 1))

    def rename_category(self, old: str, new: str) -> None:
        """Rename a category and every segment filed under it, in one transaction."""
        new = _category_name(new)
        with self._write() as s:
            cat = s.scalar(select(Category).where(Category.name == old))
            if cat is None:
                raise LibraryError(f"No category '{old}'.", f"Không có lĩnh vực '{old}'.")
            if s.scalar(select(Category.id).where(Category.name == new)) is not None:
                raise LibraryError(
                    f"The category '{new}' already exists.", f"Lĩnh vực '{new}' đã có."
                )
            cat.name = new
            for seg in s.scalars(select(Segment).where(Segment.category == old)):
                seg.category = new
                _refresh_search(seg)

    def remove_category(self, name: str) -> None:
        """Remove a category from the list; its segments keep no category."""
        with self._write() as s:
            s.execute(delete(Category).where(Category.name == name))
            for seg in s.scalars(select(Segment).where(Segment.category == name)):
                seg.category = ""
                _refresh_search(seg)

    # --- import -------------------------------------------------------------------------------

    def import_paths(
        self,
        paths: Sequence[str | os.PathLike],
        *,
        kind: str | None = None,
        category: str = "",
        progress: Progress | None = None,
    ) -> ImportReport:
        """Import files and folders; a file that fails is listed with its reason, the rest go on.

        Each file is decoded into the media store, measured and added in its own short
        transaction. When `progress` raises Cancelled, the file in hand is dropped, the ones
        before it stay, and the report says `cancelled`.
        """
        files, failures = collect_files(paths)
        report = ImportReport(items=list(failures))
        total = max(len(files), 1)
        for index, path in enumerate(files):

            def part(fraction: float, index=index) -> None:
                if progress is not None:
                    progress(min((index + fraction) / total, 1.0))

            try:
                report.items.append(self._import_one(path, kind, category, part))
            except Cancelled:
                report.cancelled = True
                return report
            except StudioError as exc:
                report.items.append(ImportItem(str(path), "failed", None, exc.en, exc.vi))
        if progress is not None:
            progress(1.0)
        return report

    def file_recording(self, path: str | os.PathLike, title: str = "", **metadata) -> SegmentView:
        """File a take recorded in the studio into the library in one action."""
        metadata.setdefault("kind", SegmentKind.RECORDING.value)
        metadata.setdefault("recorded_on", dt.date.today())
        info = self.store.import_file(path, self.rate)
        existing = self.by_sha256(info.source_id)
        if existing is not None:
            return existing
        return self.add(info, title=title or title_from_filename(path), **metadata)

    def _import_one(
        self, path: Path, kind: str | None, category: str, progress: Progress
    ) -> ImportItem:
        info = self.store.import_file(path, self.rate, lambda f: progress(0.6 * f))
        existing = self.by_sha256(info.source_id)
        if existing is not None:
            return ImportItem(str(path), "duplicate", existing.id)
        analysis = analyse_frames(
            self.store.frames(info.source_id, info.rate),
            info.rate,
            lambda f: progress(0.6 + 0.35 * f),
        )
        tags = read_tags(path)
        if not kind:
            kind, _why = guess_kind(path, info.frames / info.rate, tags.genre)
        meta = {
            "title": tags.title or title_from_filename(path),
            "kind": kind,
            "category": category,
            "author": tags.author,
            "notes": tags.notes,
            "tags": (tags.genre,) if tags.genre else (),
            "recorded_on": tags.recorded_on,
        }
        try:
            seg = self.add(info, analysis=analysis, **meta)
        except LibraryError:
            # Another writer may have added the same media a moment ago.
            again = self.by_sha256(info.source_id)
            if again is None:
                raise
            return ImportItem(str(path), "duplicate", again.id)
        progress(1.0)
        note = info.warning()  # a cut-short file: added, and said so
        if note is not None:
            return ImportItem(str(path), "added", seg.id, note.en, note.vi)
        return ImportItem(str(path), "added", seg.id)

    def touch_all(self) -> int:
        """Recompute every folded search column (after a change to the folding rules)."""
        n = 0
        with self._write() as s:
            for seg in s.scalars(select(Segment)):
                _refresh_search(seg)
                n += 1
        return n


def _not_found(segment_id: int) -> SegmentNotFound:
    return SegmentNotFound(
        f"There is no segment {segment_id} in the library.",
        f"Không có đoạn số {segment_id} trong thư viện.",
    )


def _check_editable(given: dict) -> None:
    unknown = set(given) - EDITABLE
    if unknown:
        raise LibraryError(
            f"These fields cannot be edited: {', '.join(sorted(unknown))}.",
            f"Không sửa được các trường: {', '.join(sorted(unknown))}.",
        )


def _category_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise LibraryError("A category needs a name.", "Lĩnh vực cần có tên.")
    return name


def _check_dates(valid_from: dt.date | None, valid_until: dt.date | None) -> None:
    if valid_from and valid_until and valid_until < valid_from:
        raise LibraryError(
            "'Valid until' is before 'valid from'.",
            "Ngày 'hết hiệu lực' đứng trước ngày 'có hiệu lực'.",
        )


def _validated(meta: dict) -> dict:
    """Checked and normalised metadata (only the keys given)."""
    out: dict = {}
    for key, value in meta.items():
        if key == "title":
            value = " ".join(str(value).split())
            if not value and "title" in meta:
                raise LibraryError("A segment needs a title.", "Đoạn âm thanh cần có tiêu đề.")
        elif key == "kind":
            try:
                value = SegmentKind(value).value
            except ValueError:
                kinds = ", ".join(k.value for k in SegmentKind)
                raise LibraryError(
                    f"Unknown kind '{value}' (one of: {kinds}).",
                    f"Loại '{value}' không hợp lệ (một trong: {kinds}).",
                ) from None
        elif key == "tags":
            value = split_tags(value)
        elif key in ("category", "author", "notes"):
            value = str(value or "").strip()
        elif key in ("recorded_on", "valid_from", "valid_until"):
            value = _date(value, key)
        out[key] = value
    _check_dates(out.get("valid_from"), out.get("valid_until"))
    return out


def _date(value, key: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise LibraryError(
            f"'{value}' is not a date (YYYY-MM-DD) for {key}.",
            f"'{value}' không phải ngày hợp lệ (YYYY-MM-DD) cho {key}.",
        ) from None


def _refresh_search(seg: Segment) -> None:
    seg.search_text = search_document(seg.title, seg.tags, seg.notes, seg.author, seg.category)
    seg.sort_title = fold(seg.title)[:500]


__all__ = [
    "LIBRARY_RATE",
    "Library",
    "LibraryError",
    "SearchQuery",
    "SegmentInUse",
    "SegmentNotFound",
    "SegmentView",
    "UsageView",
    "library_url",
    "open_database",
    "open_library",
]
