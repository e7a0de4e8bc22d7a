"""Takes: placing a new recording on a track without losing the earlier ones, and recovering
takes that a crash cut short.

Recording over a region never deletes anything: the parts of older clips that the new take
covers become the track's alternative takes (`Track.takes`, drawn in a lane under the track,
never played and never a track of their own); the newest take is what plays, and
`select_take` swaps an alternative back in. A take is named after its track and a running
number ("Giọng đọc 1", "Giọng đọc 2", …). Take files stay in `StudioHome.recordings`; the
media store holds the canonical copy that playback reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

import soundfile as sf

from audio.media import MediaInfo, MediaStore
from audio.recording import (
    OverdubResult,
    RecoveredTake,
    find_unfinished_takes,
    recover_take,
)
from audio.timeline import Clip, Timeline


def take_name(timeline: Timeline, track_index: int) -> str:
    """The name of the next take on the track: its name and a running number, one past the
    highest already used there (alternatives included): "Giọng đọc 3"."""
    track = timeline.tracks[track_index]
    pattern = re.compile(re.escape(track.name) + r" (\d+)")
    used = [
        int(m.group(1))
        for c in (*track.clips, *track.takes)
        if (m := pattern.fullmatch(c.name)) is not None
    ]
    return f"{track.name} {max(used, default=0) + 1}"


def _slice(clip: Clip, lo: int, hi: int) -> Clip | None:
    """The part of `clip` on timeline frames [lo, hi), or None when they do not overlap."""
    lo, hi = max(lo, clip.start), min(hi, clip.end)
    if hi <= lo:
        return None
    cut_front = lo - clip.start
    length = hi - lo
    fade_in = max(min(clip.fade_in - cut_front, length), 0) if cut_front < clip.fade_in else 0
    tail_cut = clip.end - hi
    fade_out = (
        max(min(clip.fade_out - tail_cut, length - fade_in), 0) if tail_cut < clip.fade_out else 0
    )
    envelope = tuple(replace(p, frame=p.frame - cut_front) for p in clip.envelope)
    return clip.with_changes(
        start=lo,
        length=length,
        source_offset=clip.source_offset + cut_front,
        fade_in=fade_in,
        fade_out=fade_out,
        envelope=envelope,
    )


def place_take(timeline: Timeline, track_index: int, clip: Clip) -> Timeline:
    """Put `clip` on the track; what it covers of older clips becomes alternative takes."""
    track = timeline.tracks[track_index]
    keep: list[Clip] = []
    covered: list[Clip] = []
    for old in track.clips:
        if old.end <= clip.start or old.start >= clip.end:
            keep.append(old)
            continue
        for part in (_slice(old, old.start, clip.start), _slice(old, clip.end, old.end)):
            if part is not None:
                keep.append(part)
        covered.append(_slice(old, clip.start, clip.end))
    new_track = track.with_changes(
        clips=tuple(sorted((*keep, clip), key=lambda c: (c.start, c.end))),
        takes=_by_start((*track.takes, *covered)),
    )
    return timeline.with_track(track_index, new_track)


def _by_start(clips) -> tuple[Clip, ...]:
    return tuple(sorted(clips, key=lambda c: (c.start, c.end)))


def alternative_takes(timeline: Timeline, track_index: int, frame: int) -> list[Clip]:
    """The track's alternative takes at `frame` (newest first by name), for a chooser."""
    clips = [c for c in timeline.tracks[track_index].takes if c.start <= frame < c.end]
    return sorted(clips, key=lambda c: c.name, reverse=True)


def select_take(timeline: Timeline, track_index: int, take: Clip) -> Timeline:
    """Make an alternative take the one that plays; what it covers of the track becomes an
    alternative in its place (one edit: one undo step)."""
    track = timeline.tracks[track_index]
    if take not in track.takes:
        raise ValueError("that clip is not an alternative take of this track")
    remaining = list(track.takes)
    remaining.remove(take)
    timeline = timeline.with_track(track_index, track.with_changes(takes=tuple(remaining)))
    return place_take(timeline, track_index, take)


def add_overdub_take(
    timeline: Timeline, track_index: int, store: MediaStore, result: OverdubResult
) -> tuple[Timeline, MediaInfo]:
    """Import an overdub take into the media store and place it on the track."""
    info = store.import_file(result.take.path, timeline.rate)
    length = min(result.length, info.frames - result.source_offset)
    clip = Clip(
        source_id=info.source_id,
        start=result.clip_start,
        length=length,
        source_offset=result.source_offset,
        name=take_name(timeline, track_index),
        auto_level=True,
    )
    return place_take(timeline, track_index, clip), info


def armed_inputs(timeline: Timeline) -> tuple[tuple[int, ...], dict[int, tuple[int, ...]]]:
    """The device channels to record for the armed tracks, and for each armed track the
    columns of the take that feed it (a track with no channels set takes input 1)."""
    wanted = {i: (t.input_channels or (0,)) for i, t in enumerate(timeline.tracks) if t.armed}
    channels = tuple(sorted({c for chans in wanted.values() for c in chans}))
    columns = {i: tuple(channels.index(c) for c in chans) for i, chans in wanted.items()}
    return channels, columns


def _take_for_columns(path: Path, columns: tuple[int, ...], suffix: str) -> Path:
    """A new take file beside `path` holding only `columns` (streamed; never overwrites)."""
    out = path.with_name(f"{path.stem}-{suffix}.wav")
    n = 1
    while out.exists():
        n += 1
        out = path.with_name(f"{path.stem}-{suffix}-{n}.wav")
    with (
        sf.SoundFile(path) as src,
        sf.SoundFile(out, "x", src.samplerate, len(columns), subtype="FLOAT", format="WAV") as dst,
    ):
        for block in src.blocks(65_536, dtype="float32", always_2d=True):
            dst.write(block[:, list(columns)])
    return out


def add_overdub_takes(
    timeline: Timeline, store: MediaStore, result: OverdubResult
) -> tuple[Timeline, dict[int, MediaInfo]]:
    """Place one overdub pass on every armed track, each fed by its own input channels
    (`armed_inputs` chose what was recorded). The recorded file stays as it is; a track that
    needs only some of its channels gets a new file with just those."""
    channels, columns = armed_inputs(timeline)
    infos: dict[int, MediaInfo] = {}
    for track_index, cols in columns.items():
        if cols == tuple(range(result.take.channels)):
            path = result.take.path
        else:
            name = "".join(ch if ch.isalnum() else "_" for ch in timeline.tracks[track_index].name)
            path = _take_for_columns(result.take.path, cols, name or f"track{track_index}")
        info = store.import_file(path, timeline.rate)
        length = min(result.length, info.frames - result.source_offset)
        clip = Clip(
            source_id=info.source_id,
            start=result.clip_start,
            length=length,
            source_offset=result.source_offset,
            name=take_name(timeline, track_index),
        )
        timeline = place_take(timeline, track_index, clip)
        infos[track_index] = info
    return timeline, infos


@dataclass(frozen=True, slots=True)
class RecoveredItem:
    take: RecoveredTake
    info: MediaInfo | None  # None when the take held no audio at all


def recover_unfinished_takes(home) -> list[RecoveredItem]:
    """Find takes a crash cut short (in `home.recordings`), repair them in place and import
    them into the media store. The window offers the result to the user; nothing is deleted."""
    store = MediaStore(home.media)
    out = []
    for path in find_unfinished_takes(home.recordings):
        take = recover_take(path)
        info = store.import_file(path, take.rate) if take.frames else None
        out.append(RecoveredItem(take, info))
    return out
