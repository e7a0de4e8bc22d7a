"""Look-ahead true-peak limiter, streaming block by block.

The gain a frame needs is the ceiling over its true peak (4× oversampled with the meter's
interpolator, so inter-sample peaks count). That requirement is held for the look-ahead plus a
short hold, recovers at a constant rate in dB per second (never faster, so speech does not
pump), and is smoothed by a moving average as long as the look-ahead, which makes the gain
reach the required value exactly when the peak arrives and ramp down smoothly before it.

Every stage is vectorised over the block: the recovery "gain may rise at most r dB per frame"
is a running minimum of (required_dB − r·k) + r·n, so no Python loop runs per sample.
The output is delayed by `latency` frames; `flush()` returns the tail so that the total output
length equals the input length.
"""

from __future__ import annotations

import math

import numpy as np

from audio.loudness import TruePeakMeter, single_threaded_blas


class TruePeakLimiter:
    """Hold true peaks at or under `ceiling_dbtp` for `channels` channels at `rate` Hz.

    `lookahead_ms` is the attack (the gain starts falling that long before a peak);
    `hold_ms` keeps the reduction after it; `release_db_per_s` is the fastest recovery.
    Not thread-safe; one instance per stream.
    """

    _SUB = 1024  # frames per "can this reach the ceiling at all?" decision

    def __init__(
        self,
        rate: int,
        channels: int,
        ceiling_dbtp: float = -1.0,
        lookahead_ms: float = 5.0,
        hold_ms: float = 10.0,
        release_db_per_s: float = 60.0,
        margin_db: float = 0.1,
    ):
        if channels <= 0 or rate <= 0:
            raise ValueError("rate and channels must be positive")
        self.rate = rate
        self.channels = channels
        self.ceiling_dbtp = ceiling_dbtp
        # A small margin absorbs what smooth gain changes add between samples.
        self._ceiling = 10 ** ((ceiling_dbtp - margin_db) / 20)
        self._tp = TruePeakMeter(rate, channels)
        taps = self._tp.TAPS_PER_PHASE
        self._centre = taps // 2  # interpolator output j describes the time around j − centre
        self._look = max(1, int(round(lookahead_ms * rate / 1000)))
        self._window = self._look + max(0, int(round(hold_ms * rate / 1000)))
        self._release_db = release_db_per_s / rate  # dB per frame
        # Carried state of every stage.
        self._x_hist = np.zeros((taps - 1, channels), np.float32)  # interpolator history
        self._pe_prev = 0.0  # last interval peak, for the pairwise max
        self._req_hist = np.zeros(self._window - 1)  # required gain (dB) history, at 0 dB
        self._env_db = 0.0  # last released gain (dB)
        self._box_hist = np.ones(self._look - 1)  # gain history for the moving average
        self._box_sum = float(self._look - 1)
        self.latency = self._centre + self._look - 1
        self._audio = np.zeros((self.latency, channels), np.float32)  # the delay line
        self.max_reduction_db = 0.0
        self._skip = self.latency  # the delay line's initial silence is not output
        self._flushed = False

    def _interval_peaks(self, block: np.ndarray) -> np.ndarray:
        """For each new input frame j, the largest |value| of the oversampled signal in the
        interval that output j covers, (j − centre, j − centre + 1]; 0 wherever the samples
        around it cannot reach the ceiling (no need to oversample there)."""
        tp = self._tp
        taps = tp.TAPS_PER_PHASE
        ext = np.concatenate([self._x_hist, block])
        self._x_hist = ext[len(ext) - (taps - 1) :].copy()
        n = len(block)
        peak = np.zeros(n, np.float32)
        mag = np.abs(ext).max(axis=1)
        sub = self._SUB
        nsub = -(-n // sub)
        padded = np.zeros(nsub * sub + sub, np.float32)
        padded[: len(mag)] = mag
        m = padded.reshape(-1, sub).max(axis=1)
        live = np.flatnonzero(np.maximum(m[:-1], m[1:]) * tp._gain_bound > self._ceiling)
        if not len(live):
            return peak
        cols = [np.ascontiguousarray(ext[:, c]) for c in range(self.channels)]
        # Contiguous runs of live sub-blocks become one multiply each.
        breaks = np.flatnonzero(np.diff(live) > 1)
        for first, last in zip(
            np.concatenate([[0], breaks + 1]),
            np.concatenate([breaks, [len(live) - 1]]),
            strict=True,
        ):
            lo, hi = live[first] * sub, min((live[last] + 1) * sub, n)
            for x in cols:
                out = tp.oversampled(x, lo, hi)
                np.maximum(peak[lo:hi], np.abs(out).max(axis=1), out=peak[lo:hi])
        return peak

    def process(self, block: np.ndarray) -> np.ndarray:
        """Limit the next frames (frames, channels) float32; returns the frames now ready:
        the input delayed by `latency` (the first call returns `latency` fewer frames)."""
        block = np.asarray(block, np.float32)
        if block.ndim == 1:
            block = block[:, None]
        n = len(block)
        if n == 0:
            return np.zeros((0, self.channels), np.float32)
        # 1. Required gain per frame m = j − centre: both intervals next to frame m count.
        with single_threaded_blas():
            raw = self._interval_peaks(block)
        prev = np.concatenate([[self._pe_prev], raw[:-1]])
        self._pe_prev = float(raw[-1])
        pe = np.maximum(raw, prev)
        req_db = np.zeros(n)
        over = np.flatnonzero(pe > self._ceiling)
        if len(over):
            req_db[over] = 20 * np.log10(self._ceiling / pe[over].astype(np.float64))
        # 2. Hold the requirement over look-ahead + hold (a causal running minimum).
        ext = np.concatenate([self._req_hist, req_db])
        from scipy.ndimage import minimum_filter1d  # here: the window starts without scipy

        held = minimum_filter1d(ext, self._window, origin=(self._window - 1) // 2)
        held = held[len(self._req_hist) :]
        self._req_hist = ext[len(ext) - (self._window - 1) :] if self._window > 1 else ext[:0]
        # 3. Recover at most `release_db` per frame: env[k] = min(held[k], env[k−1] + r).
        r = self._release_db
        k = np.arange(n)
        env = np.minimum.accumulate(np.minimum(held - r * k, self._env_db + r))
        env = np.minimum(env + r * k, 0.0)
        self._env_db = float(env[-1])
        gain = 10 ** (env / 20)
        # 4. Moving average over the look-ahead: the gain ramps down before the peak.
        look = self._look
        if look > 1:
            c = np.cumsum(np.concatenate([self._box_hist, gain]))
            c0 = np.concatenate([[0.0], c])
            smooth = (c0[look:] - c0[:-look]) / look
            self._box_hist = np.concatenate([self._box_hist, gain])[-(look - 1) :]
        else:
            smooth = gain
        self.max_reduction_db = max(self.max_reduction_db, -20 * math.log10(float(smooth.min())))
        # 5. Apply to the audio delayed by the latency.
        line = np.concatenate([self._audio, block])
        out = line[:n] * smooth[:, None].astype(np.float32)
        self._audio = line[n:]
        if self._skip:
            drop = min(self._skip, n)
            self._skip -= drop
            out = out[drop:]
        return out

    def flush(self) -> np.ndarray:
        """The frames still held back (call once, after the last `process`): in all, the
        output is exactly as long as the input."""
        if self._flushed:
            return np.zeros((0, self.channels), np.float32)
        self._flushed = True
        held = self.latency - self._skip
        self._skip = 0
        return self.process(np.zeros((self.latency, self.channels), np.float32))[:held]


def limit(samples: np.ndarray, rate: int, ceiling_dbtp: float = -1.0, **kwargs) -> np.ndarray:
    """Limit a whole in-memory signal; same length out."""
    lim = TruePeakLimiter(rate, samples.shape[1] if samples.ndim > 1 else 1, ceiling_dbtp, **kwargs)
    out = [lim.process(samples[i : i + 65_536]) for i in range(0, len(samples), 65_536)]
    out.append(lim.flush())
    return np.concatenate(out)
