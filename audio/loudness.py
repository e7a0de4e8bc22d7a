"""Loudness measurement per ITU-R BS.1770-4 / EBU R128, streaming block by block.

The same meter feeds live meters and offline analysis: feed it blocks of any size and read the
results at any time. It gives momentary (400 ms), short-term (3 s) and integrated (gated)
loudness, the loudness range (EBU Tech 3342), the true peak (BS.1770-4 Annex 2, 4× oversampled
below 96 kHz) and the sample peak.

K-weighting coefficients are derived for any sample rate from the analogue prototype (as
libebur128 does), which matches the spec's 48 kHz table. Energy is kept per 100 ms hop; the
400 ms and 3 s windows are built from hops, so a meter holds one float per 100 ms. The maximum
momentary and short-term readings slide by 10 ms ticks (only the last 3 s of them are kept), as
EBU Tech 3341 cases 10, 11, 13 and 14 ask.

Start-up: scipy is not imported for short signals. The K-weighting runs through `audio.iir`
(numpy, the same filter) until a meter has been fed a minute of audio in offline-sized blocks,
then through scipy's compiled `sosfilt` (or at once when scipy is loaded anyway); live meters,
which feed small blocks, never import it. The true-peak filter is designed here in numpy.

Speed: each channel's K-weighting runs on its own thread (scipy's `sosfilt` releases the GIL);
the true-peak interpolator is a polyphase FIR applied as one matrix multiply per block, and
only on the stretches whose sample peak times the filter's worst-case gain could beat the
running maximum, which gives the same answer as oversampling everything.
"""

from __future__ import annotations

import contextlib
import ctypes
import math
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from audio.iir import SosFilter

ABSOLUTE_GATE_LUFS = -70.0
RELATIVE_GATE_LU = -10.0
LRA_RELATIVE_GATE_LU = -20.0
LRA_LOW_PERCENTILE = 10.0
LRA_HIGH_PERCENTILE = 95.0
MOMENTARY_HOPS = 4  # 400 ms
SHORT_TERM_HOPS = 30  # 3 s
_ABS_GATE_ENERGY = 10 ** ((ABSOLUTE_GATE_LUFS + 0.691) / 10)

_THREADED_MIN_FRAMES = 16_384  # below this, threads cost more than they save
_COMPILED_AFTER_S = 60.0  # offline audio fed before scipy's sosfilt is worth its import
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _openblas_local_threads():
    """OpenBLAS's per-thread thread-count setter (OpenBLAS ≥ 0.3.27), or None."""
    global _blas_setter
    if _blas_setter is False:
        libs = Path(np.__file__).resolve().parent.parent / "numpy.libs"
        found = None
        for lib in sorted(libs.glob("*openblas*")) if libs.is_dir() else []:
            try:
                fn = ctypes.CDLL(str(lib)).openblas_set_num_threads_local
            except (OSError, AttributeError):
                continue
            fn.restype = ctypes.c_int
            fn.argtypes = [ctypes.c_int]
            found = fn
            break
        _blas_setter = found
    return _blas_setter


_blas_setter = False  # not looked up yet


def _single_threaded_blas() -> None:
    """Make BLAS calls from this thread single-threaded, best effort.

    The true-peak multiplies are small; OpenBLAS's own threads spinning beside ours on a
    two-core machine made them up to 8× slower.
    """
    setter = _openblas_local_threads()
    if setter is not None:
        setter(1)


@contextlib.contextmanager
def single_threaded_blas():
    """BLAS single-threaded in this thread for the duration (restored afterwards)."""
    setter = _openblas_local_threads()
    if setter is None:
        yield
        return
    previous = setter(1)
    try:
        yield
    finally:
        setter(previous)


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(
                max_workers=2, thread_name_prefix="loudness", initializer=_single_threaded_blas
            )
        return _pool


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


def kaiser_lowpass(numtaps: int, cutoff: float, beta: float) -> np.ndarray:
    """Windowed-sinc low-pass FIR, unity gain at DC; `cutoff` relative to Nyquist.
    The same taps as scipy's `firwin(numtaps, cutoff, window=("kaiser", beta))`."""
    m = np.arange(numtaps) - (numtaps - 1) / 2
    h = cutoff * np.sinc(cutoff * m) * np.kaiser(numtaps, beta)
    return h / h.sum()


def _compiled_sosfilt():
    from scipy.signal import sosfilt

    return sosfilt


def channel_weights(channels: int) -> np.ndarray:
    """BS.1770 channel weights: 1.0 for L, R, C; 1.41 for the surrounds (5-channel order)."""
    if channels == 5:
        return np.array([1.0, 1.0, 1.0, 1.41, 1.41])
    return np.ones(channels)


def measured_channels(channels: int) -> list[int]:
    """Which input channels are measured: a 6-channel (5.1, WAV order L R C LFE Ls Rs) signal
    drops its LFE, as BS.1770 excludes it."""
    if channels == 6:
        return [0, 1, 2, 4, 5]
    return list(range(channels))


def energy_to_lufs(energy: float) -> float:
    return -0.691 + 10.0 * math.log10(energy) if energy > 0 else -math.inf


def _lufs_or_none(energy: float) -> float | None:
    return energy_to_lufs(energy) if energy > 0 else None


def _dbfs_or_none(amplitude: float) -> float | None:
    return 20.0 * math.log10(amplitude) if amplitude > 0 else None


@dataclass(frozen=True, slots=True)
class LoudnessReport:
    integrated_lufs: float | None
    true_peak_dbtp: float | None
    sample_peak_dbfs: float | None
    loudness_range_lu: float | None
    duration_s: float
    momentary_max_lufs: float | None = None
    short_term_max_lufs: float | None = None

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__slots__}


class TruePeakMeter:
    """Streaming true-peak meter (BS.1770-4 Annex 2): the maximum absolute value of the
    signal oversampled `factor`× by a polyphase low-pass FIR, per channel.

    4× below 96 kHz and 2× from 96 kHz, as the Annex asks. The result is never below the
    sample peak (the reconstructed waveform passes through the samples). Channels are
    independent, so two threads may feed two different channels at once.

    The FIR runs as one matrix multiply: each row of the input matrix is `_ROW` frames plus
    the filter's history, and a banded (Toeplitz) coefficient matrix turns it into
    `_ROW × factor` oversampled values, which BLAS does several times faster than a
    per-frame dot product. Stretches whose sample peak times the filter's worst-case gain
    cannot beat the channel's running maximum are skipped: the same answer, faster.
    """

    TAPS_PER_PHASE = 16
    _ROW = 32  # output frames per matrix row
    _SUB = 2048  # frames per pruning decision (a multiple of _ROW)
    _CHUNK = 32_768  # frames per multiply when most of a block must be oversampled

    def __init__(self, rate: int, channels: int):
        self.factor = 4 if rate < 96_000 else 2
        taps = self.TAPS_PER_PHASE
        # Pass band flat (±0.01 dB) to 0.67 of the original Nyquist (16 kHz at 48 kHz), stop
        # band from the original Nyquist on; unity gain per phase. Odd length: the centre tap
        # falls on an input sample, so one phase reproduces the samples and the others sit
        # exactly between them.
        h = kaiser_lowpass(self.factor * taps - 1, 1.0 / self.factor, 7.0)
        h = np.append(h * self.factor, 0.0)
        # coef[i, p]: the weight of the i-th frame of a window for output phase p.
        coef = h.reshape(taps, self.factor)[::-1]
        self._gain_bound = float(np.abs(coef).sum(axis=0).max())
        row, width = self._ROW, self._ROW + taps - 1
        band = np.zeros((width, row * self.factor), np.float32)
        for j in range(row):
            band[j : j + taps, j * self.factor : (j + 1) * self.factor] = coef
        self._band = band
        self.channels = channels
        self._hist = [np.zeros(taps - 1, np.float32) for _ in range(channels)]
        self.peaks = [0.0] * channels  # linear, per channel

    @property
    def peak(self) -> float:
        """The largest true peak of all channels (linear)."""
        return max(self.peaks)

    def oversampled(self, x: np.ndarray, lo: int, hi: int) -> np.ndarray:
        """Oversampled values (hi − lo, factor) for outputs [lo, hi) of contiguous float32 `x`
        whose first `TAPS_PER_PHASE − 1` frames are history. Output j, phase p lies at input
        time j + p/factor − (TAPS_PER_PHASE/2 − 1/factor), i.e. in (j − 8, j − 7] for 16 taps.
        """
        row, taps = self._ROW, self.TAPS_PER_PHASE
        width = row + taps - 1
        count = hi - lo
        rows = -(-count // row)
        need = rows * row + taps - 1
        seg = x[lo : lo + need]
        if len(seg) < need:  # the last rows: pad, and drop the outputs that padding made
            seg = np.concatenate([seg, np.zeros(need - len(seg), np.float32)])
        windows = np.lib.stride_tricks.as_strided(
            seg, (rows, width), (row * seg.itemsize, seg.itemsize), writeable=False
        )
        return (windows @ self._band).reshape(rows * row, self.factor)[:count]

    def _peak_of(self, x: np.ndarray, lo: int, hi: int) -> float:
        """Max |oversampled| for outputs [lo, hi) of contiguous float32 `x` (history first)."""
        out = self.oversampled(x, lo, hi)
        return max(float(out.max()), -float(out.min()))

    def feed_channel(self, c: int, samples: np.ndarray) -> None:
        """Add the next frames of channel `c` (1-D)."""
        if not len(samples):
            return
        taps = self.TAPS_PER_PHASE
        x = np.concatenate([self._hist[c], np.asarray(samples, np.float32)])
        self._hist[c] = x[len(x) - (taps - 1) :].copy()
        mag = np.abs(x)
        peak = max(self.peaks[c], float(mag[taps - 1 :].max()))
        n = len(x) - (taps - 1)  # outputs: one per new frame (times `factor` phases)
        if n <= self._ROW:  # tiny blocks (live meters): one bound, one small multiply
            if float(mag.max()) * self._gain_bound > peak:
                peak = max(peak, self._peak_of(x, 0, n))
            self.peaks[c] = peak
            return
        sub = self._SUB
        nsub = -(-n // sub)
        padded = np.zeros(nsub * sub + sub, np.float32)
        padded[: len(mag)] = mag
        m = padded.reshape(-1, sub).max(axis=1)
        # Sub-block s reads x[s*sub : (s+1)*sub + taps - 1]: bounded by it and its neighbour.
        bound = np.maximum(m[:-1], m[1:]) * self._gain_bound
        live = np.flatnonzero(bound > peak)
        if len(live) * 2 >= nsub:  # most of it may matter: a few large multiplies
            for lo in range(0, n, self._CHUNK):
                peak = max(peak, self._peak_of(x, lo, min(lo + self._CHUNK, n)))
        else:  # loudest first, so the running maximum rises fast and prunes the rest
            for s in live[np.argsort(-bound[live])]:
                if bound[s] <= peak:
                    break
                lo = s * sub
                peak = max(peak, self._peak_of(x, lo, min(lo + sub, n)))
        self.peaks[c] = peak

    def feed(self, block: np.ndarray) -> None:
        """Add frames (frames, channels); float32 is fastest."""
        block = np.asarray(block, np.float32)
        if block.ndim == 1:
            block = block[:, None]
        with single_threaded_blas():
            for c in range(self.channels):
                self.feed_channel(c, block[:, c])

    def true_peak_dbtp(self) -> float | None:
        return _dbfs_or_none(self.peak)


class LoudnessMeter:
    """Streaming BS.1770 / R128 meter for one signal of `channels` channels at `rate` Hz.

    Not thread-safe; feed from one thread. Channels: 1, 2, 5 (L R C Ls Rs) or 6 (5.1 in WAV
    order; the LFE is not measured); any other count is weighted 1.0 per channel.
    """

    def __init__(self, rate: int, channels: int, true_peak: bool = True):
        if rate <= 0 or channels <= 0:
            raise ValueError("rate and channels must be positive")
        self.rate = rate
        self.channels = channels
        self._used = measured_channels(channels)
        self._sos = k_weighting_sos(rate)
        self._numpy_filter = SosFilter(self._sos)
        self._compiled = None  # scipy's sosfilt, once it is worth it
        self._bulk_frames = 0  # frames fed in offline-sized blocks
        # Filter state (sections, 2, channels), at rest; one column per measured channel.
        self._zi = np.zeros((len(self._sos), 2, len(self._used)))
        self._weights = channel_weights(len(self._used))
        self._hop = rate // 10
        self._partial = 0.0  # weighted energy sum of the unfinished hop
        self._partial_frames = 0
        self._hops = np.zeros(1024)  # mean weighted energy per complete 100 ms hop
        self._nhops = 0
        # The maximum momentary and short-term readings slide by a finer tick (10 ms where the
        # hop divides by 10): on the 100 ms hop grid alone a 400 ms burst starting between hops
        # reads up to 0.6 LU low (EBU Tech 3341 cases 13 and 14). Only the last 3 s of ticks
        # are kept.
        self._ticks_per_hop = next(d for d in (10, 5, 4, 2, 1) if self._hop % d == 0)
        self._tick = self._hop // self._ticks_per_hop
        self._tick_partial = 0.0
        self._tick_partial_frames = 0
        self._tick_history = np.zeros(0)
        self._momentary_max = 0.0  # energies
        self._short_term_max = 0.0
        self._frames = 0
        self._sample_peak = 0.0
        self._tp = TruePeakMeter(rate, channels) if true_peak else None

    # feeding -----------------------------------------------------------------------------

    def _sosfilt(self, x: np.ndarray, zi: np.ndarray, axis: int = -1):
        if self._compiled is not None:
            return self._compiled(self._sos, x, axis=axis, zi=zi)
        return self._numpy_filter(x, zi)

    def _choose_filter(self, n: int) -> None:
        if self._compiled is not None:
            return
        if n >= _THREADED_MIN_FRAMES:
            self._bulk_frames += n
        if self._bulk_frames > _COMPILED_AFTER_S * self.rate or "scipy.signal" in sys.modules:
            self._compiled = _compiled_sosfilt()

    def _filter_channel(self, i: int, x: np.ndarray) -> np.ndarray:
        """K-weight and square channel `i` (runs on a pool thread; columns are disjoint)."""
        y, self._zi[:, :, i] = self._sosfilt(x, self._zi[:, :, i])
        y *= y
        return y

    def feed(self, block: np.ndarray) -> None:
        """Add frames (frames, channels), float32 or float64; any block size."""
        block = np.asarray(block)
        if block.ndim == 1:
            block = block[:, None]
        if block.shape[1] != self.channels:
            raise ValueError(f"expected {self.channels} channels, got {block.shape[1]}")
        n = len(block)
        if not n:
            return
        self._frames += n
        self._choose_filter(n)
        self._sample_peak = max(self._sample_peak, float(np.abs(block).max()))
        if n >= _THREADED_MIN_FRAMES and len(self._used) > 1:
            cols = [np.ascontiguousarray(block[:, c], np.float64) for c in self._used]
            pool = _executor()
            futures = [pool.submit(self._filter_channel, i, x) for i, x in enumerate(cols)]
            if self._tp is not None:
                futures += [
                    pool.submit(self._tp.feed_channel, c, block[:, c]) for c in range(self.channels)
                ]
            squares = [f.result() for f in futures[: len(cols)]]
            for f in futures[len(cols) :]:
                f.result()
        else:  # small blocks: one call for all channels costs less than the threads
            x = block[:, self._used] if len(self._used) != self.channels else block
            y, self._zi = self._sosfilt(x.astype(np.float64), self._zi, axis=0)
            y *= y
            squares = [y[:, i] for i in range(y.shape[1])]
            if self._tp is not None:
                self._tp.feed(block)
        energy = squares[0] if self._weights[0] == 1.0 else squares[0] * self._weights[0]
        for w, sq in zip(self._weights[1:], squares[1:], strict=True):
            if w == 1.0:
                energy += sq
            else:
                energy += w * sq
        self._add_energy(energy)

    def _add_energy(self, energy: np.ndarray) -> None:
        self._add_ticks(energy)
        hop = self._hop
        first = min(hop - self._partial_frames, len(energy))
        self._partial += float(energy[:first].sum())
        self._partial_frames += first
        if self._partial_frames < hop:
            return
        done = [self._partial / hop]
        rest = energy[first:]
        whole = len(rest) // hop * hop
        if whole:
            done.extend(rest[:whole].reshape(-1, hop).sum(axis=1) / hop)
        tail = rest[whole:]
        self._partial = float(tail.sum())
        self._partial_frames = len(tail)
        self._append_hops(np.asarray(done))

    def _add_ticks(self, energy: np.ndarray) -> None:
        """Update the momentary and short-term maxima, one tick at a time."""
        tick = self._tick
        first = min(tick - self._tick_partial_frames, len(energy))
        self._tick_partial += float(energy[:first].sum())
        self._tick_partial_frames += first
        if self._tick_partial_frames < tick:
            return
        done = [self._tick_partial / tick]
        rest = energy[first:]
        whole = len(rest) // tick * tick
        if whole:
            done.extend(rest[:whole].reshape(-1, tick).sum(axis=1) / tick)
        tail = rest[whole:]
        self._tick_partial = float(tail.sum())
        self._tick_partial_frames = len(tail)
        ticks = np.concatenate([self._tick_history, done])
        per_hop = self._ticks_per_hop
        m = window_energies(ticks, MOMENTARY_HOPS * per_hop)
        if len(m):
            self._momentary_max = max(self._momentary_max, float(m.max()))
        s = window_energies(ticks, SHORT_TERM_HOPS * per_hop)
        if len(s):
            self._short_term_max = max(self._short_term_max, float(s.max()))
        self._tick_history = ticks[-(SHORT_TERM_HOPS * per_hop - 1) :]

    def _append_hops(self, values: np.ndarray) -> None:
        need = self._nhops + len(values)
        if need > len(self._hops):
            grown = np.zeros(max(need, 2 * len(self._hops)))
            grown[: self._nhops] = self._hops[: self._nhops]
            self._hops = grown
        self._hops[self._nhops : need] = values
        self._nhops = need

    # reading -----------------------------------------------------------------------------

    @property
    def hop_energies(self) -> np.ndarray:
        """Mean weighted energy of each complete 100 ms hop so far (a copy)."""
        return self._hops[: self._nhops].copy()

    def _window_energies(self, hops_per_window: int) -> np.ndarray:
        return window_energies(self._hops[: self._nhops], hops_per_window)

    def _last_window(self, hops_per_window: int) -> float | None:
        if self._nhops < hops_per_window:
            return None
        e = float(self._hops[self._nhops - hops_per_window : self._nhops].mean())
        return _lufs_or_none(e)

    def momentary_lufs(self) -> float | None:
        """Loudness of the last complete 400 ms (None before the first, or in silence)."""
        return self._last_window(MOMENTARY_HOPS)

    def short_term_lufs(self) -> float | None:
        """Loudness of the last complete 3 s (None before the first, or in silence)."""
        return self._last_window(SHORT_TERM_HOPS)

    def momentary_series(self) -> np.ndarray:
        """Momentary loudness (LUFS, −inf in silence) every 100 ms, for graphs."""
        with np.errstate(divide="ignore"):
            return -0.691 + 10 * np.log10(self._window_energies(MOMENTARY_HOPS))

    def short_term_series(self) -> np.ndarray:
        """Short-term loudness (LUFS, −inf in silence) every 100 ms, for graphs and LRA."""
        with np.errstate(divide="ignore"):
            return -0.691 + 10 * np.log10(self._window_energies(SHORT_TERM_HOPS))

    def momentary_max_lufs(self) -> float | None:
        """The loudest 400 ms so far, sliding by ticks (None before the first, or in silence)."""
        return _lufs_or_none(self._momentary_max)

    def short_term_max_lufs(self) -> float | None:
        """The loudest 3 s so far, sliding by ticks (None before the first, or in silence)."""
        return _lufs_or_none(self._short_term_max)

    def integrated_lufs(self) -> float | None:
        """Gated integrated loudness, or None before the first 400 ms block or in silence."""
        return gated_loudness(self._hops[: self._nhops])

    def loudness_range_lu(self) -> float | None:
        """Loudness range (EBU Tech 3342) from the 3 s windows every 100 ms; None under 3 s."""
        st = self._window_energies(SHORT_TERM_HOPS)
        st = st[st > _ABS_GATE_ENERGY]
        if not len(st):
            return None
        relative = st.mean() * 10 ** (LRA_RELATIVE_GATE_LU / 10)
        gated = st[st > relative]
        if not len(gated):
            return None
        lufs = -0.691 + 10 * np.log10(gated)
        lo, hi = np.percentile(lufs, [LRA_LOW_PERCENTILE, LRA_HIGH_PERCENTILE])
        return float(hi - lo)

    def sample_peak_dbfs(self) -> float | None:
        return _dbfs_or_none(self._sample_peak)

    def true_peak_dbtp(self) -> float | None:
        if self._tp is None:
            return None
        return _dbfs_or_none(max(self._tp.peak, self._sample_peak))

    @property
    def frames(self) -> int:
        return self._frames

    def report(self) -> LoudnessReport:
        return LoudnessReport(
            integrated_lufs=self.integrated_lufs(),
            true_peak_dbtp=self.true_peak_dbtp(),
            sample_peak_dbfs=self.sample_peak_dbfs(),
            loudness_range_lu=self.loudness_range_lu(),
            duration_s=self._frames / self.rate,
            momentary_max_lufs=self.momentary_max_lufs(),
            short_term_max_lufs=self.short_term_max_lufs(),
        )


def window_energies(hops: np.ndarray, hops_per_window: int) -> np.ndarray:
    """Mean energy of every window of `hops_per_window` 100 ms hops, sliding by one hop."""
    if len(hops) < hops_per_window:
        return np.zeros(0)
    c = np.concatenate([[0.0], np.cumsum(hops)])
    return np.maximum(c[hops_per_window:] - c[:-hops_per_window], 0.0) / hops_per_window


def gated_loudness(hops: np.ndarray) -> float | None:
    """BS.1770 gated integrated loudness from 100 ms hop energies (any stretch of them, e.g.
    the part of a source a clip plays), or None when nothing passes the gates."""
    blocks = window_energies(np.asarray(hops, np.float64), MOMENTARY_HOPS)
    blocks = blocks[blocks > _ABS_GATE_ENERGY]
    if not len(blocks):
        return None
    relative = blocks.mean() * 10 ** (RELATIVE_GATE_LU / 10)
    gated = blocks[blocks > relative]
    return energy_to_lufs(float(gated.mean())) if len(gated) else None


def measure(samples: np.ndarray, rate: int, block: int = 65_536) -> LoudnessReport:
    """Report for a whole in-memory signal (frames, channels) or (frames,)."""
    if samples.ndim == 1:
        samples = samples[:, None]
    meter = LoudnessMeter(rate, samples.shape[1])
    for i in range(0, len(samples), block):
        meter.feed(samples[i : i + block])
    return meter.report()
