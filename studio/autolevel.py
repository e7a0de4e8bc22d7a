"""Auto-level: clip gains that make speech recorded on different days sit at one loudness.

Each media source is analysed once (BS.1770 energy per 100 ms hop) and the result is cached
beside the media as `<sha>.<rate>.loudness.npz`; a clip's loudness is then the gated
loudness of just the hops it plays, so trimming a clip needs no new analysis. Auto-level
only changes `Clip.gain_db` (never the audio files), skips clips whose `auto_level` is off,
and is one edit: it returns a new Timeline.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from audio.errors import MediaError
from audio.fileio import atomic_write
from audio.loudness import LoudnessMeter, gated_loudness
from audio.media import MediaStore
from audio.timeline import Clip, Timeline, TrackRole

CACHE_VERSION = 1
MAX_GAIN_DB = 24.0  # more than this means the clip is (nearly) silence: leave it alone
_BLOCK = 480_000

Progress = Callable[[float], None]


@dataclass(frozen=True, slots=True)
class SourceLoudness:
    """A source's loudness analysis: energy per 100 ms hop at `rate`."""

    source_id: str
    rate: int
    hops: np.ndarray  # float64, one per complete 100 ms
    true_peak_dbtp: float | None

    @property
    def integrated_lufs(self) -> float | None:
        return gated_loudness(self.hops)

    def loudness_between(self, first: int, count: int) -> float | None:
        """Gated loudness of source frames [first, first + count) (whole hops inside it)."""
        hop = self.rate // 10
        lo = -(-first // hop)
        hi = (first + count) // hop
        return gated_loudness(self.hops[lo:hi]) if hi > lo else None


def cache_path(store: MediaStore, source_id: str, rate: int) -> Path:
    return store.root / source_id[:2] / f"{source_id}.{rate}.loudness.npz"


def source_loudness(
    store: MediaStore, source_id: str, rate: int, progress: Progress | None = None
) -> SourceLoudness:
    """The cached analysis of a source, computing (and caching) it on first use.

    Raises MediaError when the source is not in the store.
    """
    path = cache_path(store, source_id, rate)
    if path.exists():
        try:
            with np.load(path) as z:
                if int(z["version"]) == CACHE_VERSION:
                    tp = float(z["true_peak_dbtp"])
                    return SourceLoudness(
                        source_id,
                        rate,
                        z["hops"].astype(np.float64),
                        tp if math.isfinite(tp) else None,
                    )
        except (OSError, ValueError, KeyError):
            pass  # a damaged cache is recomputed
    frames = store.frames(source_id, rate)
    meter = LoudnessMeter(rate, frames.shape[1])
    for i in range(0, len(frames), _BLOCK):
        meter.feed(frames[i : i + _BLOCK])
        if progress is not None:
            progress(min(1.0, (i + _BLOCK) / max(len(frames), 1)))
    tp = meter.true_peak_dbtp()
    result = SourceLoudness(source_id, rate, meter.hop_energies, tp)
    try:
        with atomic_write(path) as f:
            np.savez(
                f,
                version=CACHE_VERSION,
                hops=result.hops.astype(np.float32),
                true_peak_dbtp=np.float64(-math.inf if tp is None else tp),
            )
    except OSError:
        pass  # a read-only media folder only costs a re-analysis next time
    # Return what the cache will give back (float32 hops), so cached and fresh agree.
    return SourceLoudness(source_id, rate, result.hops.astype(np.float32).astype(np.float64), tp)


def clip_loudness(analysis: SourceLoudness, clip: Clip) -> float | None:
    """Loudness of what `clip` plays of its source, before any gain."""
    return analysis.loudness_between(clip.source_offset, clip.length)


@dataclass(frozen=True, slots=True)
class ClipLevel:
    track: int
    clip: int
    loudness_lufs: float | None
    gain_db: float  # the new clip gain (unchanged when loudness is None or out of reach)
    changed: bool


def auto_level(
    timeline: Timeline,
    loudness_of: Callable[[Clip], float | None],
    reference_lufs: float | None = None,
    roles: Iterable[TrackRole] = (TrackRole.VOICE,),
) -> tuple[Timeline, list[ClipLevel]]:
    """Set the gain of every auto-levelled clip on tracks of `roles` so that its loudness plus
    clip and track gain equals `reference_lufs` (default: the median of those clips as heard
    through their tracks, which moves them least). Returns the new timeline and what was done
    to each clip.
    """
    roles = set(roles)
    found: list[tuple[int, int, Clip, float | None]] = []
    for ti, track in enumerate(timeline.tracks):
        if track.role not in roles:
            continue
        for ci, clip in enumerate(track.clips):
            if clip.auto_level:
                found.append((ti, ci, clip, loudness_of(clip)))
    # As heard through its track (clip gains aside, as those are what is being set).
    heard = [lu + timeline.tracks[t].gain_db for t, _, _, lu in found if lu is not None]
    if not heard:
        return timeline, [ClipLevel(t, c, None, clip.gain_db, False) for t, c, clip, _ in found]
    if reference_lufs is None:
        reference_lufs = float(np.median(heard))
    tracks = list(timeline.tracks)
    done = []
    for ti, ci, clip, lu in found:
        gain = clip.gain_db
        if lu is not None:
            wanted = reference_lufs - lu - tracks[ti].gain_db
            if abs(wanted) <= MAX_GAIN_DB:
                gain = round(wanted, 2)
        changed = gain != clip.gain_db
        if changed:
            clips = list(tracks[ti].clips)
            clips[ci] = clip.with_changes(gain_db=gain)
            tracks[ti] = tracks[ti].with_changes(clips=tuple(clips))
        done.append(ClipLevel(ti, ci, lu, gain, changed))
    return timeline.with_changes(tracks=tuple(tracks)), done


def store_loudness_of(store: MediaStore, rate: int) -> Callable[[Clip], float | None]:
    """A `loudness_of` for `auto_level` backed by the media store and its caches; a source
    missing from the store counts as unmeasured."""
    cache: dict[str, SourceLoudness | None] = {}

    def loudness_of(clip: Clip) -> float | None:
        if clip.source_id not in cache:
            try:
                cache[clip.source_id] = source_loudness(store, clip.source_id, rate)
            except MediaError:
                cache[clip.source_id] = None
        analysis = cache[clip.source_id]
        return None if analysis is None else clip_loudness(analysis, clip)

    return loudness_of
