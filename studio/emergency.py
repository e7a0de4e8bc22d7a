"""The emergency bulletin ("bản tin khẩn cấp") in one call, with no further questions.

    service = EmergencyService(home)
    bulletin = service.broadcast(source, title, areas)   # a recording, a file or a programme

One call normalises and limits (the loudspeaker preset), encodes, names the file after the
title, notes it in the export log, and queues it with priority khẩn cấp to every destination
marked for emergencies — the outbox sends khẩn cấp before anything else. The caller then wakes
its outbox sender (the window) or sends in-process (`studio emergency --wait`).

Threads: `broadcast` is long (it encodes): call it from a worker thread. Bad input (no
emergency destination, an empty title, silence, an unreadable file) raises StudioError before
anything is queued, so a failure never leaves half a bulletin in the outbox.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from audio.errors import StudioError
from studio.paths import StudioHome
from studio.programme import Programme
from studio.schedule import now_local

PRIORITY = "khan-cap"
TRACK = "Bản tin khẩn cấp"
Progress = Callable[[float], None]
CancelCheck = Callable[[], bool]


def default_title(now: dt.datetime | None = None) -> str:
    """ "Bản tin khẩn cấp HH:MM dd/mm" at the local time."""
    return f"Bản tin khẩn cấp {(now or now_local()):%H:%M %d/%m}"


def clean_areas(areas: Iterable[str]) -> list[str]:
    """Target areas (thôn/xóm) stripped, blanks dropped, each once, in the order given."""
    return list(dict.fromkeys(a.strip() for a in areas if a and a.strip()))


@dataclass(frozen=True, slots=True)
class EmergencyBulletin:
    title: str
    path: Path  # the exported file
    duration_s: float
    areas: tuple[str, ...]
    items: tuple[dict[str, Any], ...]  # one outbox row per emergency destination
    refused: tuple[tuple[str, StudioError], ...] = ()  # destinations it could not be queued for
    timings: dict[str, float] = field(default_factory=dict)  # stage → seconds


def is_programme_file(path: Path) -> bool:
    return path.suffix.lower() in (".sttprog", ".json")


class EmergencyService:
    """Emergency bulletins of one studio home: its media store, outbox and export log."""

    def __init__(self, home: StudioHome, outbox=None, settings=None, store=None):
        self.home = home.ensure()
        self._outbox = outbox
        self._own_outbox = outbox is None
        self.settings = settings
        self._store = store

    # --- parts ---------------------------------------------------------------------------------
    @property
    def outbox(self):
        if self._outbox is None:
            from studio.outbox import Outbox

            self._outbox = Outbox.open(self.home)
        return self._outbox

    @property
    def store(self):
        if self._store is None:
            from audio.media import MediaStore

            self._store = MediaStore(self.home.media)
        return self._store

    def close(self) -> None:
        if self._own_outbox and self._outbox is not None:
            self._outbox.close()
            self._outbox = None

    def destinations(self) -> list[str]:
        """The names of the destinations marked for emergencies."""
        return self.outbox.emergency_destinations()

    def _targets(self) -> list[str]:
        names = self.destinations()
        if not names:
            raise StudioError(
                "No destination is marked for emergencies: mark one in Destinations "
                "(or: studio destinations add NAME … --emergency).",
                "Chưa có nơi nhận nào được đánh dấu nhận bản tin khẩn cấp: hãy đánh dấu trong "
                "Nơi nhận (hoặc: studio destinations add TÊN … --emergency).",
            )
        return names

    def warm_up(self) -> None:
        """Load the encoder, the limiter and the meters now (seconds on a slow PC), so that the
        bulletin goes out sooner after Stop. The window calls it on a thread when the screen
        opens; any failure is left for `broadcast` to report."""
        try:
            import lameenc  # noqa: F401
            import scipy.signal  # noqa: F401 - the offline meters' filter, seconds to import
            import soxr  # noqa: F401

            import export.check  # noqa: F401
            import export.master  # noqa: F401

            self.destinations()
        except Exception:  # noqa: BLE001 - see above
            pass

    # --- the one call --------------------------------------------------------------------------
    def programme_from_audio(self, path: str | os.PathLike, title: str) -> Programme:
        """A one-clip programme of a recording or an audio file (imported into the store)."""
        from studio.edits import add_source_clip

        programme = Programme(title=title)
        info = self.store.import_file(path, programme.timeline.rate)
        return add_source_clip(programme, info, TRACK, 0, original_path=os.path.abspath(path))

    def output_path(self, title: str) -> Path:
        """A new file in the exports' emergency folder named after the title (never reused)."""
        from export.naming import export_file_name

        folder = self.home.exports / "khan-cap"
        folder.mkdir(parents=True, exist_ok=True)
        name = Path(export_file_name(title, "mp3"))
        path, n = folder / name, 2
        while path.exists():
            path, n = folder / f"{name.stem} ({n}){name.suffix}", n + 1
        return path

    def broadcast(
        self,
        source: str | os.PathLike | Programme,
        title: str | None = None,
        areas: Iterable[str] = (),
        *,
        category: str = "",
        author: str | None = None,
        progress: Progress | None = None,
        cancel: CancelCheck | None = None,
    ) -> EmergencyBulletin:
        """Make the bulletin from `source` (an audio file, a programme file or a Programme)
        and queue it, khẩn cấp, to every emergency destination."""
        timings: dict[str, float] = {}
        started = time.perf_counter()
        title = (title or "").strip() or default_title()
        areas = clean_areas(areas)
        targets = self._targets()  # before any work: no destination, no bulletin
        if isinstance(source, Programme):
            programme = source.with_changes(title=title)
        else:
            path = Path(source)
            if not path.is_file():
                raise StudioError(f"'{path}' is not a file.", f"'{path}' không phải là tệp.")
            if is_programme_file(path):
                from studio.programme import load_programme

                programme = load_programme(path).with_changes(title=title)
            else:
                programme = self.programme_from_audio(path, title)
        if programme.timeline.length == 0:
            raise StudioError(
                "The bulletin is empty: record or choose some audio first.",
                "Bản tin trống: hãy thu âm hoặc chọn âm thanh trước.",
            )
        timings["prepare"] = time.perf_counter() - started

        mark = time.perf_counter()
        out = self.output_path(title)
        result = self._export(programme, out, title, progress, cancel)
        duration_s = result.frames / result.rate
        timings["export"] = time.perf_counter() - mark

        mark = time.perf_counter()
        self._note(result, title, programme, areas, category, author)
        meta = {"title": title, "target_areas": areas, "duration_s": duration_s}
        if category:
            meta["category"] = category
        items, refused = [], []
        for name in targets:
            # A warning should reach every loudspeaker it can: one destination's bad
            # configuration must not hold back the others.
            try:
                items.append(self.outbox.enqueue(result.path, name, meta, PRIORITY))
            except StudioError as exc:
                refused.append((name, exc))
        if not items:
            name, exc = refused[0]
            raise StudioError(
                f"The bulletin could not be queued for '{name}': {exc.en}",
                f"Không xếp được bản tin vào hàng đợi gửi '{name}': {exc.vi}",
            )
        timings["queue"] = time.perf_counter() - mark
        timings["total"] = time.perf_counter() - started
        return EmergencyBulletin(
            title, Path(result.path), duration_s, tuple(areas), tuple(items), tuple(refused),
            timings,
        )  # fmt: skip

    # --- steps -------------------------------------------------------------------------------
    def _export(self, programme: Programme, out: Path, title: str, progress, cancel):
        from studio.exporting import ExportService

        service = ExportService(self.home, self.settings, self.store)
        return service.export(
            programme, out, service.preset("loudspeaker"), title=title,
            progress=progress, cancel=cancel,
        )  # fmt: skip

    def _note(self, result, title, programme: Programme, areas, category, author) -> None:
        from studio.export_log import record_master

        record_master(
            self.outbox.db, result, title,
            category=category or programme.meta("category"),
            author=author if author is not None else (programme.meta("author") or None),
            priority=PRIORITY, preset="loudspeaker", target_areas=areas,
        )  # fmt: skip
