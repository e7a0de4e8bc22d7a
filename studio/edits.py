"""Edits of a programme: pure functions from one immutable value to the next.

The window, the CLI and scripts all go through these, so every edit can be undone (the history
keeps the values) and tested without a screen.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from audio.errors import StudioError
from audio.media import MediaInfo
from audio.timeline import (
    MAX_GAIN_DB,  # noqa: F401 - the window's gain dialog reads the range from here
    MIN_GAIN_DB,  # noqa: F401
    Clip,
    EnvelopePoint,
    FadeShape,
    Marker,
    Timeline,
    Track,
    TrackRole,
    check_gain_db,
)
from studio.programme import Programme, media_ref_for


def add_source_clip(
    programme: Programme,
    info: MediaInfo,
    track_name: str,
    start: int | None = None,
    gain_db: float = 0.0,
    role: TrackRole | None = None,
    original_path: str = "",
) -> Programme:
    """Place the whole of an imported source on `track_name` (created if missing).

    `start` in frames; None places it after the last clip of that track.
    """
    if info.rate != programme.timeline.rate:
        raise StudioError(
            "The media was imported at another sample rate than the programme's.",
            "Âm thanh được nhập với tần số lấy mẫu khác với chương trình.",
        )
    if not track_name.strip():
        raise StudioError("A track needs a name.", "Rãnh cần có tên.")
    timeline = programme.timeline
    index = timeline.track_index(track_name)
    if index is None:
        timeline = timeline.add_track(Track(name=track_name, role=role or TrackRole.VOICE))
        index = len(timeline.tracks) - 1
    track = timeline.tracks[index]
    if start is None:
        start = track.end
    if start < 0:
        raise StudioError("A clip cannot start before 0:00.", "Đoạn không thể bắt đầu trước 0:00.")
    clip = Clip(
        source_id=info.source_id,
        start=start,
        length=info.frames,
        gain_db=check_gain_db(gain_db),
        name=info.original_name,
    )
    timeline = timeline.with_track(index, track.with_clip(clip))
    return programme.with_changes(timeline=timeline).with_media(media_ref_for(info, original_path))


# --- Timeline edits ---------------------------------------------------------------------------
#
# Each takes a Timeline and returns a new one (sharing the untouched tracks and clips). A clip
# is addressed by a ClipRef (track index, index in that track's start-sorted clips); edits that
# move a clip return its new ref, because sorting may change its index.


@dataclass(frozen=True, slots=True)
class ClipRef:
    track: int
    index: int


def clip_at(timeline: Timeline, ref: ClipRef) -> Clip:
    try:
        return timeline.tracks[ref.track].clips[ref.index]
    except IndexError as exc:
        raise StudioError("That clip no longer exists.", "Đoạn đó không còn nữa.") from exc


def _sorted(clips) -> tuple[Clip, ...]:
    return tuple(sorted(clips, key=lambda c: (c.start, c.end)))


def _replace_clip(timeline: Timeline, ref: ClipRef, new: Clip) -> tuple[Timeline, ClipRef]:
    track = timeline.tracks[ref.track]
    clips = list(track.clips)
    clips[ref.index] = new
    clips = _sorted(clips)
    index = next(i for i, c in enumerate(clips) if c is new)
    return timeline.with_track(ref.track, track.with_changes(clips=clips)), ClipRef(
        ref.track, index
    )


def _clamp_fades(clip: Clip, length: int, fade_in: int, fade_out: int) -> tuple[int, int]:
    fade_in = max(0, min(fade_in, length))
    fade_out = max(0, min(fade_out, length - fade_in))
    return fade_in, fade_out


def move_clip(
    timeline: Timeline, ref: ClipRef, start: int, track: int | None = None
) -> tuple[Timeline, ClipRef]:
    """Place the clip at `start` (clamped at 0), on `track` if given (moving between tracks)."""
    clip = clip_at(timeline, ref)
    new = clip.with_changes(start=max(0, int(start)))
    target = ref.track if track is None else track
    if not 0 <= target < len(timeline.tracks):
        raise StudioError("There is no such track.", "Không có rãnh đó.")
    if target == ref.track:
        return _replace_clip(timeline, ref, new)
    timeline = delete_clips(timeline, [ref])
    dest = timeline.tracks[target]
    clips = _sorted((*dest.clips, new))
    index = next(i for i, c in enumerate(clips) if c is new)
    return timeline.with_track(target, dest.with_changes(clips=clips)), ClipRef(target, index)


def move_clips(
    timeline: Timeline, refs: list[ClipRef], delta: int, track_delta: int = 0
) -> tuple[Timeline, list[ClipRef]]:
    """Move several clips together by `delta` frames and `track_delta` tracks.

    The shift is limited so that no clip goes before 0:00 or off the track list.
    """
    if not refs:
        return timeline, []
    clips = [(r, clip_at(timeline, r)) for r in refs]
    delta = max(int(delta), -min(c.start for _, c in clips))
    lo = min(r.track for r in refs)
    hi = max(r.track for r in refs)
    track_delta = max(-lo, min(track_delta, len(timeline.tracks) - 1 - hi))
    timeline = delete_clips(timeline, refs)
    moved = []
    for r, c in clips:
        new = c.with_changes(start=c.start + delta)
        target = r.track + track_delta
        dest = timeline.tracks[target]
        timeline = timeline.with_track(target, dest.with_changes(clips=_sorted((*dest.clips, new))))
        moved.append((target, new))
    out = []
    for target, new in moved:
        index = next(i for i, c in enumerate(timeline.tracks[target].clips) if c is new)
        out.append(ClipRef(target, index))
    return timeline, out


def trim_start(timeline: Timeline, ref: ClipRef, new_start: int) -> tuple[Timeline, ClipRef]:
    """Move the clip's left edge to `new_start`, keeping its right edge and its audio in place.

    Limited by the start of the source (source_offset ≥ 0), by 0:00 and by a 1-frame minimum.
    """
    clip = clip_at(timeline, ref)
    new_start = int(new_start)
    new_start = max(new_start, clip.start - clip.source_offset, 0)
    new_start = min(new_start, clip.end - 1)
    delta = new_start - clip.start
    length = clip.length - delta
    fade_in, fade_out = _clamp_fades(clip, length, clip.fade_in - delta, clip.fade_out)
    new = clip.with_changes(
        start=new_start,
        source_offset=clip.source_offset + delta,
        length=length,
        fade_in=fade_in,
        fade_out=fade_out,
        envelope=_shift_envelope(clip, -delta, length),
        duck=_shift_points(clip.duck, -delta, length),
    )
    return _replace_clip(timeline, ref, new)


def trim_end(
    timeline: Timeline, ref: ClipRef, new_end: int, source_frames: int | None = None
) -> tuple[Timeline, ClipRef]:
    """Move the clip's right edge to `new_end`; `source_frames` (the source's length) limits
    how far it can grow."""
    clip = clip_at(timeline, ref)
    length = max(1, int(new_end) - clip.start)
    if source_frames is not None:
        length = min(length, max(1, source_frames - clip.source_offset))
    fade_in, fade_out = _clamp_fades(clip, length, clip.fade_in, clip.fade_out)
    if fade_in + fade_out > length:
        fade_in = max(0, length - fade_out)
    # The user's own end: the balance no longer cuts or fades it.
    new = clip.with_changes(
        length=length,
        fade_in=fade_in,
        fade_out=0 if clip.auto_fade else fade_out,
        envelope=_shift_envelope(clip, 0, length),
        duck=_shift_points(clip.duck, 0, length),
        auto_fade=False,
        auto_cut=0,
    )
    return _replace_clip(timeline, ref, new)


def _shift_points(points, shift: int, length: int):
    return tuple(
        EnvelopePoint(p.frame + shift, p.gain_db) for p in points if 0 <= p.frame + shift <= length
    )


def _shift_envelope(clip: Clip, shift: int, length: int):
    return _shift_points(clip.envelope, shift, length)


def split_clip(timeline: Timeline, ref: ClipRef, frame: int) -> Timeline:
    """Cut the clip in two at timeline `frame`; nothing happens if `frame` is not inside it.

    The left part keeps the fade-in, the right part the fade-out.
    """
    clip = clip_at(timeline, ref)
    frame = int(frame)
    if not clip.start < frame < clip.end:
        return timeline
    cut = frame - clip.start
    left = clip.with_changes(
        length=cut,
        fade_in=min(clip.fade_in, cut),
        fade_out=0,
        envelope=tuple(p for p in clip.envelope if p.frame <= cut),
        duck=tuple(p for p in clip.duck if p.frame <= cut),
        auto_fade=False,
        auto_cut=0,
    )
    right_len = clip.length - cut
    right = clip.with_changes(
        start=frame,
        source_offset=clip.source_offset + cut,
        length=right_len,
        fade_in=0,
        fade_out=min(clip.fade_out, right_len),
        envelope=tuple(
            EnvelopePoint(p.frame - cut, p.gain_db) for p in clip.envelope if p.frame >= cut
        ),
        duck=tuple(EnvelopePoint(p.frame - cut, p.gain_db) for p in clip.duck if p.frame >= cut),
    )
    track = timeline.tracks[ref.track]
    clips = list(track.clips)
    clips[ref.index : ref.index + 1] = [left, right]
    return timeline.with_track(ref.track, track.with_changes(clips=_sorted(clips)))


def split_at(timeline: Timeline, frame: int, tracks: list[int] | None = None) -> Timeline:
    """Split every clip under `frame` (on `tracks`, default all tracks)."""
    for t in range(len(timeline.tracks)) if tracks is None else tracks:
        for i in reversed(range(len(timeline.tracks[t].clips))):
            timeline = split_clip(timeline, ClipRef(t, i), frame)
    return timeline


def delete_clips(timeline: Timeline, refs: list[ClipRef]) -> Timeline:
    by_track: dict[int, set[int]] = {}
    for r in refs:
        clip_at(timeline, r)
        by_track.setdefault(r.track, set()).add(r.index)
    for t, gone in by_track.items():
        track = timeline.tracks[t]
        clips = tuple(c for i, c in enumerate(track.clips) if i not in gone)
        timeline = timeline.with_track(t, track.with_changes(clips=clips))
    return timeline


def ripple_delete(
    timeline: Timeline, start: int, end: int, tracks: list[int] | None = None
) -> Timeline:
    """Remove timeline frames [start, end) and close the gap: later clips move left.

    Clips across an edge are trimmed (or split when the range lies inside them). Markers in the
    range are removed and later ones move left, but only when every track takes part.
    """
    start, end = int(min(start, end)), int(max(start, end))
    start = max(0, start)
    gap = end - start
    if gap <= 0:
        return timeline
    chosen = range(len(timeline.tracks)) if tracks is None else tracks
    for t in chosen:
        timeline = split_at(split_at(timeline, start, [t]), end, [t])
        track = timeline.tracks[t]
        kept = []
        for c in track.clips:
            if c.start >= start and c.end <= end:
                continue
            if c.start >= end:
                c = c.with_changes(start=c.start - gap)
            kept.append(c)
        # alternative takes after the range move with the clips they belong under
        takes = tuple(
            c.with_changes(start=c.start - gap) if c.start >= end else c for c in track.takes
        )
        timeline = timeline.with_track(t, track.with_changes(clips=_sorted(kept), takes=takes))
    if tracks is None or len(set(tracks)) == len(timeline.tracks):
        markers = tuple(
            m if m.frame < start else Marker(m.frame - gap, m.name)
            for m in timeline.markers
            if not start <= m.frame < end
        )
        timeline = timeline.with_changes(markers=markers)
    return timeline


def duplicate_clip(timeline: Timeline, ref: ClipRef) -> tuple[Timeline, ClipRef]:
    """A copy of the clip placed right after it on the same track."""
    clip = clip_at(timeline, ref)
    copy = clip.with_changes(start=clip.end)
    track = timeline.tracks[ref.track]
    clips = _sorted((*track.clips, copy))
    index = next(i for i, c in enumerate(clips) if c is copy)
    return timeline.with_track(ref.track, track.with_changes(clips=clips)), ClipRef(
        ref.track, index
    )


@dataclass(frozen=True, slots=True)
class Clipboard:
    """Copied clips, each with its track offset from the first copied track and its start
    relative to the earliest copied clip."""

    items: tuple[tuple[int, Clip], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.items)


def copy_clips(timeline: Timeline, refs: list[ClipRef]) -> Clipboard:
    if not refs:
        return Clipboard()
    clips = [(r.track, clip_at(timeline, r)) for r in refs]
    first_track = min(t for t, _ in clips)
    first = min(c.start for _, c in clips)
    return Clipboard(
        tuple((t - first_track, c.with_changes(start=c.start - first)) for t, c in clips)
    )


def paste_clips(
    timeline: Timeline, clipboard: Clipboard, at: int, track: int
) -> tuple[Timeline, list[ClipRef]]:
    """Place the clipboard's clips from frame `at` on `track` downwards (tracks that do not
    exist are skipped)."""
    placed = []
    for offset, clip in clipboard.items:
        t = track + offset
        if not 0 <= t < len(timeline.tracks):
            continue
        new = clip.with_changes(start=max(0, int(at)) + clip.start)
        dest = timeline.tracks[t]
        timeline = timeline.with_track(t, dest.with_changes(clips=_sorted((*dest.clips, new))))
        placed.append((t, new))
    refs = [
        ClipRef(t, next(i for i, c in enumerate(timeline.tracks[t].clips) if c is new))
        for t, new in placed
    ]
    return timeline, refs


def set_fades(
    timeline: Timeline, ref: ClipRef, fade_in: int | None = None, fade_out: int | None = None
) -> Timeline:
    """Set fade lengths in frames, clamped so that both fit inside the clip."""
    clip = clip_at(timeline, ref)
    fi = clip.fade_in if fade_in is None else max(0, min(int(fade_in), clip.length))
    fo = clip.fade_out if fade_out is None else max(0, min(int(fade_out), clip.length))
    if fi + fo > clip.length:
        if fade_in is not None and fade_out is None:
            fo = clip.length - fi
        else:
            fi = clip.length - fo
    # A fade-out the user set is theirs: the balance leaves the clip's end alone from now on.
    if fade_out is None:
        new = clip.with_changes(fade_in=fi, fade_out=fo)
    else:  # the clip's end, as it is now, is the user's
        new = clip.with_changes(fade_in=fi, fade_out=fo, auto_fade=False, auto_cut=0)
    return _replace_clip(timeline, ref, new)[0]


def crossfade(
    timeline: Timeline, ref: ClipRef, shape: FadeShape = FadeShape.EQUAL_POWER
) -> Timeline:
    """Crossfade the clip with the next clip on its track where they overlap.

    Raises StudioError when the next clip does not overlap this one.
    """
    a = clip_at(timeline, ref)
    track = timeline.tracks[ref.track]
    later = [c for i, c in enumerate(track.clips) if i != ref.index and c.start >= a.start]
    b = next((c for c in later if c.start < a.end), None)
    if b is None:
        raise StudioError(
            "Overlap this clip with the next one to crossfade them.",
            "Hãy cho đoạn này chồng lên đoạn sau để chuyển tiếp chéo.",
        )
    overlap = min(a.end, b.end) - b.start
    new_a = a.with_changes(
        fade_out=min(overlap, a.length - a.fade_in), fade_out_shape=shape, auto_fade=False
    )
    new_b = b.with_changes(fade_in=min(overlap, b.length - b.fade_out), fade_in_shape=shape)
    clips = [new_a if c is a else new_b if c is b else c for c in track.clips]
    return timeline.with_track(ref.track, track.with_changes(clips=_sorted(clips)))


_check_gain = check_gain_db


def set_clip_gain(timeline: Timeline, ref: ClipRef, gain_db: float) -> Timeline:
    clip = clip_at(timeline, ref)
    return _replace_clip(timeline, ref, clip.with_changes(gain_db=_check_gain(gain_db)))[0]


def set_clip_auto_level(timeline: Timeline, ref: ClipRef, on: bool) -> Timeline:
    """Switch the clip's auto-level on or off (off: it plays as recorded, plus its own gain)."""
    clip = clip_at(timeline, ref)
    return _replace_clip(timeline, ref, clip.with_changes(auto_level=bool(on)))[0]


def set_duck_point(timeline: Timeline, ref: ClipRef, index: int, gain_db: float) -> Timeline:
    """Move one point of the clip's ducking envelope to `gain_db` (a drag in the timeline);
    the next balance works the envelope out again from the voice."""
    clip = clip_at(timeline, ref)
    points = list(clip.duck)
    gain = min(0.0, _check_gain(gain_db))
    points[index] = EnvelopePoint(points[index].frame, round(gain, 2))
    new = clip.with_changes(duck=tuple(points), duck_edited=True)
    return _replace_clip(timeline, ref, new)[0]


def set_track(timeline: Timeline, index: int, **changes) -> Timeline:
    """Change track fields: name, role, gain_db, pan, mute, solo, armed, ducking."""
    allowed = {
        "name", "role", "gain_db", "pan", "mute", "solo", "armed", "input_channels", "ducking"
    }  # fmt: skip
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"not a track setting: {', '.join(sorted(unknown))}")
    if "gain_db" in changes:
        changes["gain_db"] = _check_gain(changes["gain_db"])
    if "pan" in changes:
        changes["pan"] = max(-1.0, min(1.0, float(changes["pan"])))
    if "role" in changes:
        changes["role"] = TrackRole(changes["role"])
    if "name" in changes and not str(changes["name"]).strip():
        raise StudioError("A track needs a name.", "Rãnh cần có tên.")
    return timeline.with_track(index, timeline.tracks[index].with_changes(**changes))


def add_track(timeline: Timeline, name: str, role: TrackRole = TrackRole.VOICE) -> Timeline:
    return timeline.add_track(Track(name=name, role=role))


def remove_track(timeline: Timeline, index: int) -> Timeline:
    tracks = list(timeline.tracks)
    del tracks[index]
    return timeline.with_changes(tracks=tuple(tracks))


def set_master_gain(timeline: Timeline, gain_db: float) -> Timeline:
    return timeline.with_changes(master_gain_db=_check_gain(gain_db))


def _sorted_markers(markers) -> tuple[Marker, ...]:
    return tuple(sorted(markers, key=lambda m: m.frame))


def add_marker(timeline: Timeline, frame: int, name: str = "") -> Timeline:
    marker = Marker(max(0, int(frame)), name)
    return timeline.with_changes(markers=_sorted_markers((*timeline.markers, marker)))


def move_marker(timeline: Timeline, index: int, frame: int) -> Timeline:
    markers = list(timeline.markers)
    markers[index] = Marker(max(0, int(frame)), markers[index].name)
    return timeline.with_changes(markers=_sorted_markers(markers))


def rename_marker(timeline: Timeline, index: int, name: str) -> Timeline:
    markers = list(timeline.markers)
    markers[index] = Marker(markers[index].frame, name)
    return timeline.with_changes(markers=tuple(markers))


def remove_marker(timeline: Timeline, index: int) -> Timeline:
    markers = list(timeline.markers)
    del markers[index]
    return timeline.with_changes(markers=tuple(markers))


def relink_source(
    programme: Programme, old_id: str, info: MediaInfo, original_path: str = ""
) -> Programme:
    """Point every clip of source `old_id` at the newly imported `info` (a moved or replaced
    file). Clips longer than the new source play silence past its end."""
    timeline = programme.timeline

    def relinked(clips):
        return tuple(
            c.with_changes(source_id=info.source_id) if c.source_id == old_id else c for c in clips
        )

    tracks = tuple(
        t.with_changes(clips=relinked(t.clips), takes=relinked(t.takes)) for t in timeline.tracks
    )
    media = tuple(m for m in programme.media if m.source_id != old_id)
    programme = programme.with_changes(timeline=timeline.with_changes(tracks=tracks), media=media)
    return programme.with_media(media_ref_for(info, original_path))


# --- snapping ---------------------------------------------------------------------------------


def snap_targets(
    timeline: Timeline, playhead: int | None = None, exclude: list[ClipRef] | None = None
) -> list[int]:
    """Frames worth snapping to: clip edges (except the excluded clips), markers, the playhead
    and 0:00, sorted and unique."""
    skip = {(r.track, r.index) for r in exclude or ()}
    points = {0}
    for t, track in enumerate(timeline.tracks):
        for i, c in enumerate(track.clips):
            if (t, i) not in skip:
                points.add(c.start)
                points.add(c.end)
    points.update(m.frame for m in timeline.markers)
    if playhead is not None:
        points.add(int(playhead))
    return sorted(points)


def snap(frame: int, targets: list[int], tolerance: int) -> int | None:
    """The target nearest to `frame` within `tolerance` frames, or None."""
    i = bisect.bisect_left(targets, frame)
    best = None
    for j in (i - 1, i):
        if not (0 <= j < len(targets) and abs(targets[j] - frame) <= tolerance):
            continue
        if best is None or abs(targets[j] - frame) < abs(best - frame):
            best = targets[j]
    return best


def snap_span(start: int, length: int, targets: list[int], tolerance: int) -> int:
    """Where a span starting at `start` should go so that either of its edges snaps."""
    a = snap(start, targets, tolerance)
    b = snap(start + length, targets, tolerance)
    if a is not None and (b is None or abs(a - start) <= abs(b - start - length)):
        return a
    if b is not None:
        return b - length
    return start
