"""Loudness measurement per ITU-R BS.1770-4 / EBU R128, streaming block by block.

The same meter feeds live meters and offline analysis: feed it blocks of any size and read the
results at any time. K-weighting coefficients are derived for any sample rate from the
analogue prototype (as libebur128 does), which matches the spec's 48 kHz table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.signal import sosfilt

ABSOLUTE_GATE_LUFS = -70.0
RELATIVE_GATE_LU = -10.0


def k_weighting_sos(rate: int) -> np.ndarray:
    """Second-order sections of the BS.1770 K-weighting filter at `rate` Hz."""
    f0, gain_db, q = 1681.974450955533, 3.999843853973347, 0.7071752369554196
    k = math.tan(math.pi * f0 / rate)
    vh = 10.0 ** (gain_db / 20.0)
    vb = vh**0.4996667741545416
    a0 = 1.0 + k / q + k * k
    shelf = [
        (vh + vb * k / q + k * k) / a0,
        2.0 * (k * k - vh) / a0,
        (vh - vb * k / q + k * k) / a0,
        1.0,
        2.0 * (k * k - 1.0) / a0,
        (1.0 - k / q + k * k) / a0,
    ]
    f0, q = 38.13547087602444, 0.5003270373238773
    k = math.tan(math.pi * f0 / rate)
    d = 1.0 + k / q + k * k
    highpass = [1.0, -2.0, 1.0, 1.0, 2.0 * (k * k - 1.0) / d, (1.0 - k / q + k * k) / d]
    return np.array([shelf, highpass], dtype=np.float64)


def channel_weights(channels: int) -> np.ndarray:
    """BS.1770 channel weights: 1.0 for L, R, C; 1.41 for the surrounds (5-channel order)."""
    if channels == 5:
        return np.array([1.0, 1.0, 1.0, 1.41, 1.41])
    return np.ones(channels)


def energy_to_lufs(energy: float) -> float:
    return -0.691 + 10.0 * math.log10(energy) if energy > 0 else -math.inf


@dataclass(frozen=True, slots=True)
class LoudnessReport:
    integrated_lufs: float | None
    true_peak_dbtp: float | None
    sample_peak_dbfs: float | None
    loudness_range_lu: float | None
    duration_s: float

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__slots__}


class LoudnessMeter:
    """Streaming BS.1770 meter for one signal of `channels` channels at `rate` Hz.

    Not thread-safe; feed from one thread. Energies are kept per 100 ms hop, so memory grows
    by one float per 100 ms (36,000 floats for an hour).
    """

    def __init__(self, rate: int, channels: int):
        self.rate = rate
        self.channels = channels
        self._sos = k_weighting_sos(rate)
        self._zi = np.zeros((len(self._sos), 2, channels))  # filter state, starts at rest
        self._weights = channel_weights(channels)
        self._hop = rate // 10
        self._partial = np.zeros(channels)  # weighted energy sum of the unfinished hop
        self._partial_frames = 0
        self._hops: list[float] = []  # mean weighted energy per complete 100 ms hop
        self._frames = 0
        self._sample_peak = 0.0

    def feed(self, block: np.ndarray) -> None:
        """Add frames (frames, channels) float32/float64."""
        if block.ndim == 1:
            block = block[:, None]
        if not len(block):
            return
        self._frames += len(block)
        self._sample_peak = max(self._sample_peak, float(np.max(np.abs(block))))
        filtered, self._zi = sosfilt(self._sos, block, axis=0, zi=self._zi)
        squares = filtered * filtered
        pos = 0
        n = len(squares)
        while pos < n:
            take = min(self._hop - self._partial_frames, n - pos)
            self._partial += squares[pos : pos + take].sum(axis=0)
            self._partial_frames += take
            pos += take
            if self._partial_frames == self._hop:
                self._hops.append(float(self._partial @ self._weights) / self._hop)
                self._partial[:] = 0.0
                self._partial_frames = 0

    def _block_energies(self, hops_per_block: int) -> np.ndarray:
        hops = np.asarray(self._hops)
        if len(hops) < hops_per_block:
            return np.zeros(0)
        c = np.concatenate([[0.0], np.cumsum(hops)])
        return (c[hops_per_block:] - c[:-hops_per_block]) / hops_per_block

    def integrated_lufs(self) -> float | None:
        """Gated integrated loudness, or None before the first 400 ms block or in silence."""
        blocks = self._block_energies(4)
        blocks = blocks[blocks > 10 ** ((ABSOLUTE_GATE_LUFS + 0.691) / 10)]
        if not len(blocks):
            return None
        relative = blocks.mean() * 10 ** (RELATIVE_GATE_LU / 10)
        gated = blocks[blocks > relative]
        return energy_to_lufs(float(gated.mean())) if len(gated) else None

    def sample_peak_dbfs(self) -> float | None:
        return 20 * math.log10(self._sample_peak) if self._sample_peak > 0 else None

    def report(self) -> LoudnessReport:
        return LoudnessReport(
            integrated_lufs=self.integrated_lufs(),
            true_peak_dbtp=None,
            sample_peak_dbfs=self.sample_peak_dbfs(),
            loudness_range_lu=None,
            duration_s=self._frames / self.rate,
        )
