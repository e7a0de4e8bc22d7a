"""The export use case: a programme and one export preset → a finished file and its report.

The window and the command line both export through `ExportService`, so the same programme
and preset give byte-identical files whichever way they were made:

    service = ExportService(home, settings)          # settings may be None (defaults)
    preset = service.preset()                        # the chosen one (settings), or by name
    result = service.export(programme, "out.mp3", preset, progress=..., cancel=...)
    result.path, result.report.passed                # the file and its broadcast-ready report
    result.short_term_series                         # the loudness graph, no second decode

Before rendering, the programme is balanced (studio.balance: auto-level by role, auto-duck,
bed fades) as the settings say, unless `auto_level=False` / `duck=False` are passed; the
result says what the balance did (`ExportService.last_balance`).

`export(…, start=, end=)` exports a range (frames at the programme rate);
`export_regions(programme, folder, preset)` one file per marked region. Everything is
measured once: the report comes from the export's own decode of the encoded file, so nobody
needs to decode and measure the result again.

Threads: call from a worker thread (the window's job helper, or the CLI's main thread).
`progress(fraction)` is called often from that thread; `cancel()` is polled at the same
moments and, once it returns True, the export stops with `audio.errors.Cancelled` and leaves
no file behind. Bad values (an unknown preset, a target of 0 LUFS) raise StudioError.

The presets themselves (`export.presets.ExportPreset`) are one model, validated where they
are made; the user's choice is kept in the settings (`export_preset`).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from audio.errors import Cancelled, StudioError
from audio.fileio import remove_orphan_parts
from audio.media import MediaStore
from export.presets import DEFAULT_PRESET, PRESETS, ExportPreset, canonical_name, custom, preset
from studio.paths import StudioHome
from studio.programme import Programme

if TYPE_CHECKING:  # export.master pulls in scipy: imported when an export starts, not before
    from export.encoders import Tags
    from export.master import MasterResult

Progress = Callable[[float], None]
CancelCheck = Callable[[], bool]

# The title of a programme that has none, for its export's name and tags: "ban-tin.mp3" with
# an ASCII-only preset, "Bản tin.wav" otherwise (export.naming makes the name).
DEFAULT_TITLE = "Bản tin"

__all__ = ["DEFAULT_TITLE", "ExportService", "ExportPreset", "custom", "programme_tags"]


def programme_tags(programme: Programme, title: str = "", settings=None) -> Tags:
    """The ID3 tags of an export: the title given, else the programme's; its properties, the
    station and commune falling back to the settings (studio.properties). The commune has no
    ID3 frame of its own: it goes in the comment when the programme has none."""
    from export.encoders import Tags
    from studio.properties import properties

    props = properties(programme, settings)
    return Tags(
        title=title or props["title"],
        station=props["station"],
        category=props["category"],
        author=props["author"],
        date=props["date"],
        comment=programme.meta("comment") or props["commune"],
    )


def _reference_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _guarded(progress: Progress | None, cancel: CancelCheck | None) -> Progress | None:
    if cancel is None:
        return progress

    def report(fraction: float) -> None:
        if cancel():
            raise Cancelled()
        if progress is not None:
            progress(fraction)

    return report


class ExportService:
    """Export programmes of one studio home (its media store and settings)."""

    def __init__(self, home: StudioHome, settings=None, store: MediaStore | None = None):
        self.home = home
        self.settings = settings
        self.store = store or MediaStore(home.ensure().media)
        self._balancer = None  # studio.balance.Balancer, made at the first export
        # Leftovers of an export that was killed (power cut): never a file still being written.
        remove_orphan_parts(home.exports)

    # --- presets ----------------------------------------------------------------------------

    def presets(self) -> list[ExportPreset]:
        """Every preset, in the order they are offered (the default first)."""
        return list(PRESETS.values())

    def chosen_name(self) -> str:
        """The name of the preset chosen in the settings (the default when none is, or when
        the stored name is unknown: a settings file from another version must not stop an
        export)."""
        name = self.settings.get("export_preset") if self.settings is not None else ""
        key = canonical_name(name or "")
        return key if key in PRESETS else DEFAULT_PRESET.name

    def preset(self, name: str | None = None) -> ExportPreset:
        """The preset called `name` (aliases accepted), or the chosen one for None.
        StudioError for an unknown name."""
        if name:
            return preset(name)
        return PRESETS[self.chosen_name()]

    def choose(self, name: str) -> ExportPreset:
        """Make `name` the chosen preset and save the settings. StudioError if unknown."""
        p = preset(name)
        if p.name not in PRESETS:
            raise StudioError(
                f"Only a named preset can be chosen, not '{name}'.",
                f"Chỉ chọn được mẫu xuất có tên, không phải '{name}'.",
            )
        if self.settings is not None:
            self.settings.set("export_preset", p.name)
            self.settings.save()
        return p

    # --- exporting --------------------------------------------------------------------------

    def tags(self, programme: Programme, title: str = "") -> Tags:
        return programme_tags(programme, title, self.settings)

    def file_name(
        self,
        programme: Programme,
        preset: ExportPreset | None = None,
        title: str = "",
        ascii_only: bool | None = None,
    ) -> str:
        """The file name an export gets by default: the title (an ASCII slug when the preset
        asks for one), the programme's date filled in, the preset's extension."""
        from export.naming import export_file_name

        p = preset or self.preset()
        ascii_names = p.ascii_file_name if ascii_only is None else ascii_only
        return export_file_name(
            title or programme.title or DEFAULT_TITLE,
            p.extension,
            ascii_only=ascii_names,
            reference=_reference_date(programme.meta("date")),
        )

    def _sources(self, programme: Programme):
        rate = programme.timeline.rate
        return lambda sid: self.store.frames(sid, rate)

    @property
    def last_balance(self):
        """The BalanceResult of the last export (None before the first)."""
        return None if self._balancer is None else self._balancer.last

    def balanced(
        self, programme: Programme, auto_level: bool | None = None, duck: bool | None = None
    ) -> Programme:
        """`programme` balanced as the settings say (None) or as asked."""
        if self._balancer is None:  # numpy and the loudness code: not at start-up
            from studio.balance import Balancer

            self._balancer = Balancer(self.store, self.settings)
        asked = {"auto_level": auto_level, "duck": duck}
        result = self._balancer.balance(
            programme.timeline, **{k: v for k, v in asked.items() if v is not None}
        )
        return programme.with_changes(timeline=result.timeline)

    def export(
        self,
        programme: Programme,
        out_path: str | os.PathLike,
        preset: ExportPreset | None = None,
        *,
        title: str = "",
        start: int | None = None,
        end: int | None = None,
        slot_seconds: float | None = None,
        progress: Progress | None = None,
        cancel: CancelCheck | None = None,
        auto_level: bool | None = None,
        duck: bool | None = None,
    ) -> MasterResult:
        """Export `programme` (or frames [start, end) of it) to `out_path` with `preset` (the
        chosen one when None), balanced first (`auto_level`, `duck`: None = the settings);
        the report is written beside it and returned in the result."""
        from export.master import export_master
        from export.ranges import export_range

        programme = self.balanced(programme, auto_level, duck)
        p = preset or self.preset()
        tags = self.tags(programme, title or programme.title or Path(out_path).stem)
        sources = self._sources(programme)
        report = _guarded(progress, cancel)
        if start is not None or end is not None:
            lo = start or 0
            hi = programme.timeline.length if end is None else end
            return export_range(programme.timeline, sources, out_path, lo, hi, p, tags, report)
        return export_master(
            programme.timeline, sources, out_path, p, tags, report, slot_seconds=slot_seconds
        )

    def export_regions(
        self,
        programme: Programme,
        folder: str | os.PathLike,
        preset: ExportPreset | None = None,
        *,
        title: str = "",
        ascii_only: bool | None = None,
        progress: Progress | None = None,
        cancel: CancelCheck | None = None,
        auto_level: bool | None = None,
        duck: bool | None = None,
    ) -> list[MasterResult]:
        """One file per marked region in `folder` ("<title> 01 <marker>.<ext>"), balanced
        first as `export` is."""
        from export.ranges import export_regions

        programme = self.balanced(programme, auto_level, duck)
        p = preset or self.preset()
        title = title or programme.title or DEFAULT_TITLE
        return export_regions(
            programme.timeline,
            self._sources(programme),
            folder,
            title,
            p,
            self.tags(programme, title),
            ascii_names=p.ascii_file_name if ascii_only is None else ascii_only,
            reference=_reference_date(programme.meta("date")),
            progress=_guarded(progress, cancel),
        )
