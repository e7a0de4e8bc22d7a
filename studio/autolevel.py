"""The loudness analysis behind the balance (studio.balance): auto-level, auto-duck and the
speech leveler all work from it.

Each media source is analysed once (BS.1770 energy per 100 ms hop) and the result is cached
beside the media as `<sha>.<rate>.loudness.npz`; a clip's loudness is then the gated
loudness of just the hops it plays, so trimming a clip needs no new analysis.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from audio.fileio import atomic_write
from audio.loudness import LoudnessMeter, gated_loudness
from audio.media import MediaStore
from audio.timeline import Clip

CACHE_VERSION = 1
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

    Raises audio.errors.MediaError when the source is not in the store.
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
