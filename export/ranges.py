"""Export of a marked range, or of each marked region, as its own file.

A range is exported by cropping the timeline (a pure function: a new Timeline whose frame 0
is the range start) and handing it to `export_master`, so the same render, loudness and
encoding path makes every file. Cropping keeps what is heard identical: clips are trimmed by
moving their source offset, fades the crop does not touch stay fades, and a fade the crop
cuts through becomes gain-envelope points that follow the fade curve (within 1e-4 of gain).
"""

from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from audio.errors import StudioError
from audio.mixer import SourceFrames, clip_gain_curve
from audio.timeline import Clip, EnvelopePoint, FadeShape, Marker, Timeline
from export.encoders import Tags
from export.master import MasterResult, export_master
from export.naming import export_file_name
from export.presets import DEFAULT_PRESET, ExportPreset

Progress = Callable[[float], None]

_FADE_TOLERANCE = 1e-4  # largest gain error allowed where a cut fade becomes envelope points
_SILENT_DB = -200.0  # the envelope's stand-in for a gain of exactly zero


@dataclass(frozen=True, slots=True)
class Region:
    start: int
    end: int
    name: str = ""

    @property
    def length(self) -> int:
        return self.end - self.start


def _fade_points(first: int, last: int, shape: FadeShape, length: int) -> list[int]:
    """Clip-relative frames in [first, last) at which to sample a cut fade of `length` frames,
    spaced so that straight lines (in dB) between them stay within the tolerance."""
    slope = (math.pi / 2 if shape == FadeShape.EQUAL_POWER else 1.0) / length  # max |dg/dframe|
    step = max(1, int(_FADE_TOLERANCE / slope))
    return list(range(first, last, step))


def _crop_clip(clip: Clip, start: int, end: int) -> Clip | None:
    """`clip` seen through the window [start, end) of the timeline, re-based to start at 0."""
    lo, hi = max(clip.start, start), min(clip.end, end)
    if hi <= lo:
        return None
    if lo == clip.start and hi == clip.end:
        return clip.with_changes(start=clip.start - start)
    # The window in old-clip-relative frames.
    old_lo, old_hi = lo - clip.start, hi - clip.start
    length, full = hi - lo, clip.length
    fade_in, fade_out = clip.fade_in, clip.fade_out
    out_start = full - fade_out  # first frame of the fade-out
    # A fade the window holds whole stays a fade; one the window cuts through becomes
    # envelope points; one outside the window disappears.
    in_kept = fade_in > 0 and old_lo == 0 and fade_in <= old_hi
    in_cut = fade_in > 0 and not in_kept and old_lo < fade_in
    out_kept = fade_out > 0 and old_hi == full and old_lo <= out_start
    out_cut = fade_out > 0 and not out_kept and old_hi > out_start
    changes = {
        "start": lo - start,
        "length": length,
        "source_offset": clip.source_offset + old_lo,
        "fade_in": fade_in if in_kept else 0,
        "fade_out": fade_out if out_kept else 0,
        "envelope": (),
        "duck": (),
    }
    if not (in_cut or out_cut or clip.envelope or clip.duck):
        return clip.with_changes(**changes)

    # Frames (old-clip-relative) where the new envelope needs a point: both ends, the old
    # envelope's breakpoints inside the window, and a fine grid over any cut fade.
    frames = {old_lo, old_hi - 1}
    frames.update(p.frame for p in (*clip.envelope, *clip.duck) if old_lo <= p.frame < old_hi)
    if in_cut:
        frames.update(_fade_points(old_lo, min(fade_in, old_hi), clip.fade_in_shape, fade_in))
        frames.add(min(fade_in, old_hi - 1))  # where the fade reaches full gain
    if out_cut:
        first = max(out_start, old_lo)
        frames.update(_fade_points(first, old_hi, clip.fade_out_shape, fade_out))
        frames.add(max(out_start - 1, old_lo))  # the last frame at full gain
    at = np.array(sorted(frames), dtype=np.int64)
    # The old clip's gain (fades × envelope, without clip gain) at those frames, from the
    # mixer's own function so that the two cannot disagree; kept fades are divided back out.
    gains = np.ones(len(at), dtype=np.float64)
    for i, f in enumerate(at):
        curve = clip_gain_curve(clip, int(f), 1)
        if curve is not None:
            gains[i] = curve[0]
    if in_kept:
        gains /= _fade_gain(at, fade_in, clip.fade_in_shape, rising=True)
    if out_kept:
        gains /= _fade_gain(full - at, fade_out, clip.fade_out_shape, rising=False)
    with np.errstate(divide="ignore"):
        db = np.maximum(20.0 * np.log10(gains), _SILENT_DB)
    changes["envelope"] = tuple(
        EnvelopePoint(frame=int(f - old_lo), gain_db=float(g)) for f, g in zip(at, db, strict=True)
    )
    return clip.with_changes(**changes)


def _fade_gain(pos: np.ndarray, fade: int, shape: FadeShape, *, rising: bool) -> np.ndarray:
    """The gain of a whole (kept) fade at `pos`, as the mixer computes it; 1 outside it."""
    x = (pos + 0.5) / fade if rising else (pos - 0.5) / fade
    x = np.clip(x, 0.0, 1.0)
    g = np.sin(x * (np.pi / 2.0)) if shape == FadeShape.EQUAL_POWER else x
    return np.where(g > 0, g, 1.0)


def crop_timeline(timeline: Timeline, start: int, end: int) -> Timeline:
    """The part of `timeline` in frames [start, end), as a new timeline starting at frame 0.

    Rendering the result from 0 gives the same audio as rendering `timeline` from `start`
    (cut fades within 1e-4 of gain). Its length ends at the last audio inside the range.
    Markers inside the range are kept, shifted. Raises StudioError for an empty range.
    """
    if not 0 <= start < end:
        raise StudioError(
            "The range to export is empty: its end must come after its start.",
            "Đoạn cần xuất trống: điểm cuối phải sau điểm đầu.",
        )
    tracks = []
    for track in timeline.tracks:
        clips = tuple(c for c in (_crop_clip(c, start, end) for c in track.clips) if c)
        tracks.append(track.with_changes(clips=clips))
    markers = tuple(
        Marker(frame=m.frame - start, name=m.name)
        for m in timeline.markers
        if start <= m.frame < end
    )
    return timeline.with_changes(tracks=tuple(tracks), markers=markers)


def marked_regions(timeline: Timeline) -> list[Region]:
    """The regions between consecutive markers, named after the marker that opens each.

    Markers at the same frame make no region; regions past the programme's end are dropped.
    """
    frames = sorted(timeline.markers, key=lambda m: m.frame)
    regions = []
    for a, b in zip(frames, frames[1:], strict=False):
        end = min(b.frame, timeline.length)
        if end > a.frame >= 0:
            regions.append(Region(a.frame, end, a.name))
    return regions


def _sub_progress(progress: Progress, index: int, count: int) -> Progress:
    return lambda f: progress((index + f) / count)


def export_range(
    timeline: Timeline,
    sources: SourceFrames,
    out_path: str | os.PathLike,
    start: int,
    end: int,
    preset: ExportPreset = DEFAULT_PRESET,
    tags: Tags | None = None,
    progress: Progress | None = None,
) -> MasterResult:
    """Export frames [start, end) of `timeline` as one finished file (normalised on its own)."""
    cropped = crop_timeline(timeline, start, end)
    if cropped.length == 0:
        raise StudioError(
            "The range to export holds no audio.",
            "Đoạn cần xuất không có âm thanh.",
        )
    return export_master(cropped, sources, out_path, preset, tags, progress)


def export_regions(
    timeline: Timeline,
    sources: SourceFrames,
    folder: str | os.PathLike,
    title: str,
    preset: ExportPreset = DEFAULT_PRESET,
    tags: Tags | None = None,
    *,
    ascii_names: bool = False,
    reference: dt.date | None = None,
    progress: Progress | None = None,
) -> list[MasterResult]:
    """Export each marked region as its own file in `folder`, named
    "<title> 01 <marker name>.<ext>" (or its ASCII slug). Regions without audio are skipped.

    Each file carries `tags` with the region's name added to the title.
    """
    folder = Path(folder)
    regions = [
        r for r in marked_regions(timeline) if crop_timeline(timeline, r.start, r.end).length
    ]
    if not regions:
        raise StudioError(
            "There are no marked regions with audio: put at least two markers on the timeline.",
            "Không có đoạn nào giữa hai mốc có âm thanh: hãy đặt ít nhất hai mốc.",
        )
    ext = preset.format
    results = []
    used: set[str] = set()
    for i, region in enumerate(regions):
        label = f"{title} {i + 1:02d} {region.name}".strip()
        name = export_file_name(label, ext, ascii_only=ascii_names, reference=reference)
        while name.lower() in used:  # two regions whose names collapse to the same file name
            name = f"{Path(name).stem}-{i + 1}.{ext}"
        used.add(name.lower())
        region_tags = None
        if tags is not None:
            region_tags = Tags(
                title=f"{tags.title} – {region.name}" if region.name else tags.title,
                station=tags.station,
                date=tags.date,
                category=tags.category,
                comment=tags.comment,
                author=tags.author,
            )
        sub = None if progress is None else _sub_progress(progress, i, len(regions))
        results.append(
            export_range(
                timeline,
                sources,
                folder / name,
                region.start,
                region.end,
                preset,
                region_tags,
                sub,
            )
        )
    return results
