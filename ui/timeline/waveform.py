"""Waveform columns for the timeline, computed from the media store's cached peaks.

For each source a pyramid of min/max levels (256, 1024, 4096 … frames per bucket) is built
lazily from `MediaStore.peaks()`; a paint picks the coarsest level that is still finer than a
screen pixel and reduces only the visible columns with numpy. Below 256 frames per pixel the
raw frames are read from the memory map, down to one sample per pixel and beyond.
"""

from __future__ import annotations

import numpy as np

from studio.media import PEAK_BUCKET

LEVEL_FACTOR = 4


class PeakPyramid:
    def __init__(self, peaks: np.ndarray):
        self.levels: list[tuple[int, np.ndarray, np.ndarray]] = []
        mins = np.ascontiguousarray(peaks[:, 0]) if len(peaks) else np.zeros(1, np.float32)
        maxs = np.ascontiguousarray(peaks[:, 1]) if len(peaks) else np.zeros(1, np.float32)
        bucket = PEAK_BUCKET
        self.levels.append((bucket, mins, maxs))
        while len(mins) > 64:
            n = len(mins) // LEVEL_FACTOR * LEVEL_FACTOR
            if n == 0:
                break
            tail_min, tail_max = mins[n:], maxs[n:]
            new_min = mins[:n].reshape(-1, LEVEL_FACTOR).min(axis=1)
            new_max = maxs[:n].reshape(-1, LEVEL_FACTOR).max(axis=1)
            if len(tail_min):
                new_min = np.append(new_min, tail_min.min())
                new_max = np.append(new_max, tail_max.max())
            mins, maxs = new_min, new_max
            bucket *= LEVEL_FACTOR
            self.levels.append((bucket, mins, maxs))

    def level_for(self, frames_per_px: float) -> tuple[int, np.ndarray, np.ndarray]:
        chosen = self.levels[0]
        for level in self.levels:
            if level[0] <= frames_per_px:
                chosen = level
        return chosen


class WaveformSource:
    """Peaks and frames of the programme's media, loaded on first use and kept."""

    def __init__(self, store, rate: int):
        self.store = store
        self.rate = rate
        self._pyramids: dict[str, PeakPyramid | None] = {}
        self._clip_cache: dict[object, tuple[int, np.ndarray, np.ndarray] | None] = {}
        self._clip_cache_fpp = 0.0

    def pyramid(self, source_id: str) -> PeakPyramid | None:
        if source_id not in self._pyramids:
            try:
                self._pyramids[source_id] = PeakPyramid(self.store.peaks(source_id, self.rate))
            except (OSError, ValueError):
                self._pyramids[source_id] = None  # missing media: the clip is drawn empty
        return self._pyramids[source_id]

    def clip_columns(
        self, clip, frames_per_px: float, x_from: int, x_to: int, max_cached: int = 8192
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """Columns of `clip` for absolute pixel columns [x_from, x_to) (x = frame / fpp).

        A clip narrower than `max_cached` pixels is reduced once per zoom level and then only
        sliced, so scrolling costs no reduction at all; wider clips are reduced on the fly.
        """
        if frames_per_px != self._clip_cache_fpp:
            self._clip_cache.clear()  # one zoom level at a time keeps memory bounded
            self._clip_cache_fpp = frames_per_px
        x0 = int(np.floor(clip.start / frames_per_px))
        x1 = int(np.ceil(clip.end / frames_per_px))
        if x1 - x0 > max_cached:
            first = clip.source_offset + x_from * frames_per_px - clip.start
            return self.columns(clip.source_id, first, frames_per_px, x_to - x_from)
        key = (clip.source_id, clip.source_offset, clip.start, clip.length)
        entry = self._clip_cache.get(key, False)
        if entry is False:
            first = clip.source_offset + x0 * frames_per_px - clip.start
            cols = self.columns(clip.source_id, first, frames_per_px, x1 - x0)
            entry = None if cols is None else (x0, cols[0], cols[1])
            self._clip_cache[key] = entry
        if entry is None:
            return None
        base, mins, maxs = entry
        lo, hi = x_from - base, x_to - base
        if lo < 0 or hi > len(mins):
            return None
        return mins[lo:hi], maxs[lo:hi]

    def forget(self, source_id: str) -> None:
        """Drop what is known about a source (after it was relinked or re-imported)."""
        self._pyramids.pop(source_id, None)
        self._clip_cache.clear()

    def columns(
        self, source_id: str, first_frame: float, frames_per_px: float, count: int
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """(mins, maxs) of `count` pixel columns, column c covering source frames
        [first_frame + c·fpp, first_frame + (c+1)·fpp). Columns past the source end are 0."""
        if count <= 0:
            return None
        if frames_per_px < PEAK_BUCKET:
            return self._from_frames(source_id, first_frame, frames_per_px, count)
        pyr = self.pyramid(source_id)
        if pyr is None:
            return None
        bucket, mins, maxs = pyr.level_for(frames_per_px)
        edges = (first_frame + np.arange(count + 1) * frames_per_px) / bucket
        idx = np.floor(edges).astype(np.int64)
        return _reduce(mins, maxs, idx)

    def _from_frames(self, source_id, first_frame, frames_per_px, count):
        try:
            data = self.store.frames(source_id, self.rate)
        except Exception:  # noqa: BLE001 - missing media is drawn as an empty clip
            return None
        lo = max(0, int(first_frame))
        hi = min(len(data), int(np.ceil(first_frame + count * frames_per_px)) + 1)
        if hi <= lo:
            return np.zeros(count, np.float32), np.zeros(count, np.float32)
        mono = data[lo:hi].mean(axis=1, dtype=np.float32)
        edges = first_frame + np.arange(count + 1) * frames_per_px - lo
        idx = np.floor(edges).astype(np.int64)
        if frames_per_px < 1:
            # Zoomed past the sample: each column shows the sample under it as a bar from 0.
            col = np.clip(idx[:-1], 0, len(mono) - 1)
            v = mono[col]
            valid = (idx[:-1] >= 0) & (idx[:-1] < len(mono))
            v = np.where(valid, v, 0)
            return np.minimum(v, 0), np.maximum(v, 0)
        return _reduce(mono, mono, idx)


def live_columns(
    mins: np.ndarray,
    maxs: np.ndarray,
    channels: tuple[int, ...],
    bucket: int,
    first_frame: float,
    frames_per_px: float,
    count: int,
) -> tuple[np.ndarray, np.ndarray] | None:
    """Columns of a take still being recorded, from its live peaks: `mins`/`maxs` are
    (buckets, channels), one row per `bucket` take frames; `channels` are the ones that feed
    the track. Column c covers take frames [first_frame + c·fpp, first_frame + (c+1)·fpp);
    columns not recorded yet are 0. Only the buckets under the columns are reduced."""
    if count <= 0:
        return None
    edges = (first_frame + np.arange(count + 1) * frames_per_px) / bucket
    lo = max(int(np.floor(edges[0])), 0)
    hi = min(int(np.ceil(edges[-1])) + 1, len(mins))
    if hi <= lo:
        return np.zeros(count, np.float32), np.zeros(count, np.float32)
    cols = list(channels) if channels else list(range(mins.shape[1]))
    lo_v = mins[lo:hi][:, cols].min(axis=1)
    hi_v = maxs[lo:hi][:, cols].max(axis=1)
    idx = np.floor(edges).astype(np.int64) - lo
    return _reduce(lo_v, hi_v, idx)


def _reduce(mins: np.ndarray, maxs: np.ndarray, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Min of mins / max of maxs over [idx[c], idx[c+1]) for each column c."""
    n = len(mins)
    count = len(idx) - 1
    starts = idx[:-1]
    ends = np.maximum(idx[1:], starts + 1)
    out_min = np.zeros(count, np.float32)
    out_max = np.zeros(count, np.float32)
    valid = (starts >= 0) & (starts < n)
    if not valid.any():
        return out_min, out_max
    # np.minimum/np.maximum: np.clip costs more than the work on arrays this small
    s = np.minimum(np.maximum(starts[valid], 0), n - 1)
    e = np.minimum(np.maximum(ends[valid], 1), n)
    # reduceat reduces [s[i], s[i+1]) and the last index to the end of the array, so the
    # array is cut at the last column's end; equal neighbours give the single element.
    last = int(e[-1])
    rmin = np.minimum.reduceat(mins[:last], s)
    rmax = np.maximum.reduceat(maxs[:last], s)
    single = e - s <= 1
    rmin = np.where(single, mins[s], rmin)
    rmax = np.where(single, maxs[s], rmax)
    out_min[valid] = rmin
    out_max[valid] = rmax
    return out_min, out_max


class WaveLane:
    """The waveform layer of one track lane: columns of every visible clip are gathered into
    two arrays (top and bottom row per pixel column) and turned into an ARGB image at once."""

    def __init__(self, width: int, height: int, wave_top: int, wave_h: int):
        self.width, self.height = width, height
        self.wave_top, self.wave_h = wave_top, max(wave_h, 0)
        self.tops = np.full(width, height, np.float32)  # empty column: top below bottom
        self.bots = np.zeros(width, np.float32)

    def add(self, x0: int, mins: np.ndarray, maxs: np.ndarray, scale: float) -> None:
        """Columns starting at lane column `x0`; `scale` is the clip gain (linear)."""
        n = len(mins)
        lo, hi = max(0, x0), min(self.width, x0 + n)
        if hi <= lo:
            return
        half = self.wave_h / 2.0
        mid = self.wave_top + half
        k = scale * half
        self.tops[lo:hi] = mid - maxs[lo - x0 : hi - x0] * k
        self.bots[lo:hi] = mid - mins[lo - x0 : hi - x0] * k

    def render(self, colour) -> np.ndarray:
        """(height, width) uint32 ARGB, `colour` where the waveform is, transparent elsewhere."""
        lim_lo, lim_hi = self.wave_top, self.wave_top + self.wave_h
        tops = np.floor(np.maximum(self.tops, lim_lo)).astype(np.int32)
        bots = np.ceil(np.minimum(self.bots, lim_hi)).astype(np.int32)
        filled = self.bots >= self.tops
        bots = np.where(filled, np.maximum(bots, tops + 1), 0)  # at least one row: silence
        ys = np.arange(self.height, dtype=np.int32)[:, None]
        mask = (ys >= tops[None, :]) & (ys < bots[None, :])
        return np.where(mask, np.uint32(colour), np.uint32(0))
