"""The look-ahead true-peak limiter: holds the ceiling as true peak, streams exactly, recovers
slowly (no pumping), leaves quiet audio alone."""

from __future__ import annotations

import numpy as np
import pytest

from audio.limiter import TruePeakLimiter, limit
from audio.loudness import LoudnessMeter, measure
from tests.loudness_material import RATE, music, sine, speech


def _at(x: np.ndarray, lufs: float, rate: int = RATE) -> np.ndarray:
    return (x * np.float32(10 ** ((lufs - measure(x, rate).integrated_lufs) / 20))).astype(
        np.float32
    )


@pytest.fixture(scope="module")
def hot_speech():
    x = np.repeat(speech(30.0, seed=4), 2, axis=1)
    return _at(x, -14.0)  # peaks well over 0 dBTP


@pytest.mark.parametrize("ceiling", [-1.0, -2.0])
def test_holds_the_ceiling_as_true_peak_on_speech(hot_speech, ceiling):
    assert measure(hot_speech, RATE).true_peak_dbtp > ceiling + 2
    out = limit(hot_speech, RATE, ceiling)
    assert len(out) == len(hot_speech)
    assert measure(out, RATE).true_peak_dbtp <= ceiling


@pytest.mark.parametrize("rate, channels", [(44_100, 1), (48_000, 2), (44_100, 2)])
def test_holds_the_ceiling_on_music_and_intersample_peaks(rate, channels):
    x = _at(music(20.0, seed=7, rate=rate)[:, :channels], -8.0, rate)
    # A burst of fs/4 sine sampled 45° off the crest: inter-sample peaks 3 dB over the samples.
    burst = sine(0.0, 0.5, channels, rate / 4, rate, np.pi / 4, fade_s=0.01)
    x[rate * 5 : rate * 5 + len(burst)] += burst
    out = limit(x, rate, -1.0)
    assert measure(x, rate).true_peak_dbtp > 3.0
    assert measure(out, rate).true_peak_dbtp <= -1.0


def test_quiet_audio_passes_untouched():
    x = music(5.0) * np.float32(0.1)  # true peak far under −1 dBTP
    lim = TruePeakLimiter(RATE, 2, -1.0)
    out = np.concatenate([lim.process(x), lim.flush()])
    np.testing.assert_array_equal(out, x)
    assert lim.max_reduction_db == 0.0


@pytest.mark.parametrize("block", [1, 64, 65, 8192, 8193])
def test_chunked_equals_whole(block, hot_speech):
    x = hot_speech[: RATE // 4] if block == 1 else hot_speech[: 3 * RATE]
    whole = limit(x, RATE, -1.0)
    lim = TruePeakLimiter(RATE, 2, -1.0)
    parts = [lim.process(x[i : i + block]) for i in range(0, len(x), block)]
    parts.append(lim.flush())
    chunked = np.concatenate(parts)
    assert chunked.shape == x.shape
    np.testing.assert_allclose(chunked, whole, atol=1e-6)


def test_gain_falls_only_within_the_lookahead_and_recovers_at_the_release_rate():
    """A steady tone with one loud burst: the gain (output/input of the tone) starts to fall at
    most `lookahead` before the burst and never rises faster than the release rate."""
    look_ms, hold_ms, release = 5.0, 40.0, 20.0
    tone = sine(-12.0, 4.0, 1, 997.0)
    x = tone.copy()
    b0, b1 = 2 * RATE, 2 * RATE + RATE // 20
    x[b0:b1] *= np.float32(10 ** (14 / 20))  # +2 dBFS peaks for 50 ms
    out = limit(x, RATE, -1.0, lookahead_ms=look_ms, hold_ms=hold_ms, release_db_per_s=release)[
        :, 0
    ]
    mask = np.abs(x[:, 0]) > 0.1
    gain_db = np.full(len(x), np.nan)
    gain_db[mask] = 20 * np.log10(np.abs(out[mask]) / np.abs(x[mask, 0]))
    look = int(look_ms * RATE / 1000)
    before = gain_db[: b0 - look - 20]
    assert np.nanmax(np.abs(before)) < 1e-4  # untouched until the look-ahead
    assert np.nanmin(gain_db[b0:b1]) <= -2.9  # the burst is brought down ≈ 3 dB
    after = gain_db[b1:]
    idx = np.flatnonzero(~np.isnan(after))
    rise = np.diff(after[idx]) / (np.diff(idx) / RATE)
    assert rise.max() <= release * 1.05
    # It does come back: 3 dB at 20 dB/s takes ≈ 0.15 s (+ hold), well before the end.
    assert np.nanmax(np.abs(after[RATE:])) < 1e-3


def test_no_pumping_on_speech(hot_speech):
    """Speech at the loudspeaker target (−16 LUFS, peaks over 0 dBTP) through the limiter:
    the momentary loudness moves by little from one 100 ms step to the next (no audible
    breathing), is never raised, and the programme loses well under 0.5 LU."""
    x = _at(hot_speech, -16.0)
    assert measure(x, RATE).true_peak_dbtp > 0.0
    out = limit(x, RATE, -1.0)
    a, b = LoudnessMeter(RATE, 2), LoudnessMeter(RATE, 2)
    a.feed(x)
    b.feed(out)
    ma, mb = a.momentary_series(), b.momentary_series()
    voiced = ma > -40
    delta = mb[voiced] - ma[voiced]
    assert np.all(delta <= 1e-6)  # never louder
    assert delta.min() >= -2.0
    assert np.percentile(np.abs(np.diff(delta)), 95) <= 0.6
    assert abs(b.integrated_lufs() - a.integrated_lufs()) <= 0.5
