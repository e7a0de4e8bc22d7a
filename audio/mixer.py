"""The one mixer: renders any frame range of a timeline, block by block.

Playback, export, loudness analysis of the mix and tests all call `render` / `render_blocks`;
there is no second mixer. Work is vectorised over whole blocks, and memory is bounded by the
block size whatever the programme length.

Pan law: a mono source is placed with constant power (−3 dB each side at centre); a stereo
source is balanced (centre leaves both sides at unity).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np

from audio.timeline import Clip, FadeShape, Timeline, Track

SourceFrames = Callable[[str], np.ndarray]
"""Given a source id, the source's frames (frames, channels) float32 at the timeline rate."""

DEFAULT_BLOCK = 48_000


def db_to_gain(db: float | np.ndarray) -> float | np.ndarray:
    return 10.0 ** (np.asarray(db) / 20.0) if isinstance(db, np.ndarray) else 10.0 ** (db / 20.0)


def pan_gains(pan: float, source_channels: int) -> tuple[float, float]:
    """Left/right gains for a track pan in [-1, 1]."""
    if source_channels == 1:
        angle = (pan + 1.0) * np.pi / 4.0
        return float(np.cos(angle)), float(np.sin(angle))
    return (min(1.0, 1.0 - pan), min(1.0, 1.0 + pan))


def _fade_curve(x: np.ndarray, shape: FadeShape) -> np.ndarray:
    """x in [0, 1] rising; the gain of a fade-in at that point."""
    if shape == FadeShape.EQUAL_POWER:
        return np.sin(x * (np.pi / 2.0))
    return x


def clip_gain_curve(clip: Clip, first: int, count: int) -> np.ndarray | None:
    """Per-frame linear gain for clip-relative frames [first, first+count), or None if flat.

    The flat part (clip gain without fades or envelope) is left to the caller as a scalar, so
    the common case costs no per-frame array.
    """
    last = first + count
    needs_fade_in = clip.fade_in and first < clip.fade_in
    needs_fade_out = clip.fade_out and last > clip.length - clip.fade_out
    if not (needs_fade_in or needs_fade_out or clip.envelope or clip.duck):
        return None
    pos = np.arange(first, last, dtype=np.float64)
    curve = np.ones(count, dtype=np.float64)
    if needs_fade_in:
        x = np.clip((pos + 0.5) / clip.fade_in, 0.0, 1.0)
        curve *= _fade_curve(x, clip.fade_in_shape)
    if needs_fade_out:
        x = np.clip((clip.length - pos - 0.5) / clip.fade_out, 0.0, 1.0)
        curve *= _fade_curve(x, clip.fade_out_shape)
    for envelope in (clip.envelope, clip.duck):
        if envelope:
            xs = np.array([p.frame for p in envelope], dtype=np.float64)
            ys = np.array([p.gain_db for p in envelope], dtype=np.float64)
            curve *= 10.0 ** (np.interp(pos, xs, ys) / 20.0)
    return curve.astype(np.float32)


def _flat_db(points, first: int, last: int) -> float | None:
    """The envelope's value when it is flat over clip-relative frames [first, last), else
    None (linear in dB between points: flat when every point there has the edge value)."""
    xs = np.fromiter((p.frame for p in points), np.float64, len(points))
    ys = np.fromiter((p.gain_db for p in points), np.float64, len(points))
    a, b = np.interp([first, last - 1], xs, ys)
    if a != b:
        return None
    inside = ys[(xs > first) & (xs < last - 1)]
    return float(a) if not len(inside) or bool(np.all(inside == a)) else None


def flat_gain_db(clip: Clip, first: int, count: int) -> float | None:
    """The clip's envelopes (own and ducking) as one dB value when no fade touches frames
    [first, first+count) and both are flat there, else None. A ducked bed is flat almost
    everywhere (up, or down under the voice): this spares a per-frame curve for most blocks."""
    last = first + count
    if (clip.fade_in and first < clip.fade_in) or (
        clip.fade_out and last > clip.length - clip.fade_out
    ):
        return None
    total = 0.0
    for envelope in (clip.envelope, clip.duck):
        if envelope:
            value = _flat_db(envelope, first, last)
            if value is None:
                return None
            total += value
    return total


def _mix_clip(
    out: np.ndarray, track: Track, clip: Clip, block_start: int, source: np.ndarray
) -> None:
    """Add `clip` (on `track`) into `out`, which holds timeline frames from `block_start`."""
    frames = len(out)
    lo = max(clip.start, block_start)
    hi = min(clip.end, block_start + frames)
    if hi <= lo:
        return
    rel = lo - clip.start  # clip-relative first frame
    src_lo = clip.source_offset + rel
    src_hi = min(clip.source_offset + rel + (hi - lo), len(source))
    n = src_hi - src_lo
    if n <= 0:
        return  # the clip runs past the end of its source: silence
    chunk = source[src_lo:src_hi]
    flat = flat_gain_db(clip, rel, n) if clip.envelope or clip.duck else None
    gain = db_to_gain(clip.played_gain_db + track.gain_db + (flat or 0.0))
    left, right = pan_gains(track.pan, chunk.shape[1])
    curve = None if flat is not None else clip_gain_curve(clip, rel, n)
    dst = out[lo - block_start : lo - block_start + n]
    if chunk.shape[1] == 1:
        mono = chunk[:, 0] * np.float32(gain) if curve is None else chunk[:, 0] * (curve * gain)
        dst[:, 0] += mono * np.float32(left)
        dst[:, 1] += mono * np.float32(right)
    else:
        g = np.float32(gain) if curve is None else (curve * gain)[:, None]
        scaled = chunk * g
        if left == 1.0 and right == 1.0:
            dst += scaled
        else:
            dst[:, 0] += scaled[:, 0] * np.float32(left)
            dst[:, 1] += scaled[:, 1] * np.float32(right)


def render(
    timeline: Timeline,
    sources: SourceFrames,
    start: int,
    frames: int,
    out: np.ndarray | None = None,
    track_peaks: np.ndarray | None = None,
    scratch: np.ndarray | None = None,
) -> np.ndarray:
    """Mix timeline frames [start, start+frames) into a (frames, 2) float32 array.

    `out`, when given, is overwritten and returned (no allocation for the result itself).
    Frames outside every clip are silence; negative `start` is allowed (pre-roll).

    `track_peaks`, when given (shape (n, 2), float32), is overwritten with each track's
    linear peak per channel in this block, after the track's gain and pan and before the
    master gain (a channel strip's meter), indexed like `timeline.tracks`; a silent, muted or
    soloed-out track reads 0, and tracks past row n are not measured. A track with clips in
    the block is then mixed into `scratch` (frames, 2), allocated when not given, and added
    to `out`: one add and one min/max more per sounding track.
    """
    if out is None:
        out = np.zeros((frames, 2), dtype=np.float32)
    else:
        out = out[:frames]
        out.fill(0.0)
    end = start + frames
    if track_peaks is not None:
        _render_metered(timeline, sources, start, out, track_peaks, scratch)
    else:
        for track in timeline.audible_tracks():
            for clip in track.clips:
                if clip.start >= end or clip.end <= start:
                    continue
                _mix_clip(out, track, clip, start, sources(clip.source_id))
    if timeline.master_gain_db:
        out *= np.float32(db_to_gain(timeline.master_gain_db))
    return out


def channel_peaks(block: np.ndarray, dest: np.ndarray, work: np.ndarray) -> None:
    """Write the linear peak of each channel of `block` (frames, 2) into `dest` (2,).

    `work` (at least block's shape, float32; may be `block` itself, which is then
    overwritten) holds |block|: two contiguous column maxima cost about a fifth of
    `np.abs(block).max(axis=0)` (a strided reduction) and allocate nothing large."""
    n = len(block)
    if n == 0:
        dest[:] = 0.0
        return
    mag = np.abs(block, out=work[:n])
    dest[0] = mag[:, 0].max()
    dest[1] = mag[:, 1].max()


def _render_metered(
    timeline: Timeline,
    sources: SourceFrames,
    start: int,
    out: np.ndarray,
    track_peaks: np.ndarray,
    scratch: np.ndarray | None,
) -> None:
    """`render`'s loop with a peak per track (see `render`)."""
    frames = len(out)
    end = start + frames
    track_peaks.fill(0.0)
    audible = {id(t) for t in timeline.audible_tracks()}
    rows = len(track_peaks)
    for index, track in enumerate(timeline.tracks):
        if id(track) not in audible:
            continue
        clips = [c for c in track.clips if c.start < end and c.end > start]
        if not clips:
            continue
        if index >= rows:  # not measured: mixed as without meters
            for clip in clips:
                _mix_clip(out, track, clip, start, sources(clip.source_id))
            continue
        if scratch is None or len(scratch) < frames:
            scratch = np.zeros((frames, 2), dtype=np.float32)
        buf = scratch[:frames]
        buf.fill(0.0)
        for clip in clips:
            _mix_clip(buf, track, clip, start, sources(clip.source_id))
        out += buf
        channel_peaks(buf, track_peaks[index], work=buf)


def render_blocks(
    timeline: Timeline,
    sources: SourceFrames,
    start: int = 0,
    end: int | None = None,
    block: int = DEFAULT_BLOCK,
) -> Iterator[np.ndarray]:
    """Yield consecutive rendered blocks covering [start, end) (end defaults to the length).

    Each yielded array is fresh; the last one may be shorter than `block`.
    """
    if block <= 0:
        raise ValueError("block must be positive")
    end = timeline.length if end is None else end
    pos = start
    while pos < end:
        n = min(block, end - pos)
        yield render(timeline, sources, pos, n)
        pos += n
