"""The loudness meter against EBU Tech 3341 / 3342 (signals generated from their published
descriptions), pyloudnorm with the spec's filter, ffmpeg's ebur128, and itself chunked."""

from __future__ import annotations

import math

import numpy as np
import pyloudnorm
import pytest

from audio.loudness import LoudnessMeter, TruePeakMeter, measure
from tests.loudness_material import (
    RATE,
    ffmpeg_ebur128,
    music,
    sequence,
    sine,
    speech,
    write,
)

# --- EBU Tech 3341 (2016), minimum requirements test signals ---------------------------------


@pytest.mark.parametrize(
    "case, signal",
    [
        ("1", lambda: sequence((-23, 20))),
        ("2", lambda: sequence((-33, 20))),
        ("3", lambda: sequence((-36, 10), (-23, 60), (-36, 10))),
        ("4", lambda: sequence((-72, 10), (-36, 10), (-23, 60), (-36, 10), (-72, 10))),
        ("5", lambda: sequence((-26, 20), (-20, 20.1), (-26, 20))),
    ],
)
def test_tech3341_integrated(case, signal):
    x = signal()
    expected = -33.0 if case == "2" else -23.0
    r = measure(x, RATE)
    assert abs(r.integrated_lufs - expected) <= 0.1, (case, r)
    if case in ("1", "2"):  # a steady tone: momentary and short-term read the same throughout
        meter = LoudnessMeter(RATE, 2)
        meter.feed(x)
        for series in (meter.momentary_series(), meter.short_term_series()):
            assert np.all(np.abs(series - expected) <= 0.1)
        assert abs(r.momentary_max_lufs - expected) <= 0.1
        assert abs(r.short_term_max_lufs - expected) <= 0.1


def test_tech3341_case6_five_channels():
    """L, R at −28 dBFS, C at −24 dBFS, Ls, Rs at −30 dBFS read −23 LUFS (1.41 weights)."""
    x = np.concatenate([sine(-28, 20, 2), sine(-24, 20, 1), sine(-30, 20, 2)], axis=1)
    assert abs(measure(x, RATE).integrated_lufs - -23.0) <= 0.1


def test_six_channels_drop_the_lfe():
    """The same programme as 5.1 (WAV order L R C LFE Ls Rs) with a loud LFE still reads −23."""
    lfe = sine(-3, 20, 1, freq=60)
    x = np.concatenate([sine(-28, 20, 2), sine(-24, 20, 1), lfe, sine(-30, 20, 2)], axis=1)
    assert abs(measure(x, RATE).integrated_lufs - -23.0) <= 0.1


def test_tech3341_case9_short_term_constant():
    """20 × (1.34 s at −20 dBFS, 1.66 s at −30 dBFS): short-term −23 ±0.1 after the first 3 s."""
    x = sequence(*[(-20, 1.34), (-30, 1.66)] * 20)
    meter = LoudnessMeter(RATE, 2)
    meter.feed(x)
    st = meter.short_term_series()
    assert len(st) > 500
    assert np.all(np.abs(st - -23.0) <= 0.1), (st.min(), st.max())


def test_tech3341_case12_momentary_constant():
    """25 × (0.18 s at −20 dBFS, 0.22 s at −30 dBFS): momentary −23 ±0.1 after the first 0.4 s."""
    x = sequence(*[(-20, 0.18), (-30, 0.22)] * 25)
    meter = LoudnessMeter(RATE, 2)
    meter.feed(x)
    m = meter.momentary_series()
    assert len(m) > 90
    assert np.all(np.abs(m - -23.0) <= 0.1), (m.min(), m.max())


@pytest.mark.parametrize(
    "case, rate, freq, phase_deg, peak_dbfs, expected",
    [
        # Tech 3341 cases 15–19: sines whose samples miss the crest by a known angle.
        ("15", 48_000, 12_000, 45.0, -6.0, -6.0),
        ("16", 48_000, 8_000, 60.0, -6.0, -6.0),
        ("17", 48_000, 6_000, 67.5, -6.0, -6.0),
        ("18", 48_000, 4_800, 72.0, -6.0, -6.0),
        ("19", 48_000, 12_000, 45.0, 3.0, 3.0),
        # The same idea at the other rates the Annex covers (2× from 96 kHz).
        ("44k1", 44_100, 11_025, 45.0, 0.0, 0.0),
        ("96k", 96_000, 24_000, 45.0, 0.0, 0.0),
        ("192k", 192_000, 48_000, 45.0, 0.0, 0.0),
    ],
)
def test_tech3341_true_peak(case, rate, freq, phase_deg, peak_dbfs, expected):
    x = sine(peak_dbfs, 2.0, 2, freq, rate, math.radians(phase_deg), fade_s=0.02)
    r = measure(x, rate)
    # Tolerance from the spec: +0.2 / −0.4 dB.
    assert expected - 0.4 <= r.true_peak_dbtp <= expected + 0.2, (case, r.true_peak_dbtp)
    assert r.sample_peak_dbfs < r.true_peak_dbtp  # the samples really miss the crest


# --- EBU Tech 3342 loudness range -----------------------------------------------------------


@pytest.mark.parametrize(
    "parts, expected",
    [
        (((-20, 20), (-30, 20)), 10.0),
        (((-20, 20), (-15, 20)), 5.0),
        (((-40, 20), (-20, 20)), 20.0),
        (((-50, 20), (-35, 20), (-20, 20), (-35, 20), (-50, 20)), 15.0),
    ],
)
def test_tech3342_loudness_range(parts, expected):
    r = measure(sequence(*parts), RATE)
    assert abs(r.loudness_range_lu - expected) <= 1.0, r


# --- edge cases -----------------------------------------------------------------------------


def test_silence_and_short_input_report_none_not_minus_infinity():
    meter = LoudnessMeter(RATE, 2)
    assert meter.report().integrated_lufs is None
    meter.feed(np.zeros((RATE, 2), np.float32))
    r = meter.report()
    assert r.integrated_lufs is None and r.true_peak_dbtp is None and r.sample_peak_dbfs is None
    assert r.loudness_range_lu is None and r.duration_s == 1.0
    short = LoudnessMeter(RATE, 1)
    short.feed(sine(-20, 0.3, 1))
    assert short.integrated_lufs() is None and short.momentary_lufs() is None


def test_live_readings_follow_the_signal():
    meter = LoudnessMeter(RATE, 2)
    meter.feed(sequence((-30, 4)))
    assert meter.momentary_lufs() == pytest.approx(-30, abs=0.1)
    meter.feed(sequence((-20, 0.5)))
    assert meter.momentary_lufs() == pytest.approx(-20, abs=0.1)
    assert -30 < meter.short_term_lufs() < -20


def test_wrong_channel_count_is_refused():
    meter = LoudnessMeter(RATE, 2)
    with pytest.raises(ValueError):
        meter.feed(np.zeros((10, 3), np.float32))


# --- chunked == whole ---------------------------------------------------------------------------


def _fields(r):
    return [
        r.integrated_lufs,
        r.true_peak_dbtp,
        r.sample_peak_dbfs,
        r.loudness_range_lu,
        r.momentary_max_lufs,
        r.short_term_max_lufs,
        r.duration_s,
    ]


@pytest.mark.parametrize("block", [1, 64, 65, 8192, 8193])
def test_chunked_equals_whole(block):
    seconds = 0.5 if block == 1 else 4.5  # block size 1 is slow: a shorter signal
    x = music(seconds, seed=3)
    whole = LoudnessMeter(RATE, 2)
    whole.feed(x)
    chunked = LoudnessMeter(RATE, 2)
    for i in range(0, len(x), block):
        chunked.feed(x[i : i + block])
    a, b = _fields(whole.report()), _fields(chunked.report())
    for u, v in zip(a, b, strict=True):
        if u is None:
            assert v is None
        else:
            assert v == pytest.approx(u, abs=1e-6)
    assert a[0] is not None and a[1] is not None


@pytest.mark.parametrize("rate", [44_100, 48_000])
def test_true_peak_pruning_gives_the_same_answer(rate):
    """Pruned (streaming, running max) equals oversampling everything."""
    rng = np.random.default_rng(5)
    x = (rng.standard_normal((rate * 3, 2)) * np.linspace(0.01, 0.2, rate * 3)[:, None]).astype(
        np.float32
    )
    x[rate // 2, 0] = 0.5  # an early spike raises the running max, pruning later blocks
    pruned = TruePeakMeter(rate, 2)
    for i in range(0, len(x), 4096):
        pruned.feed(x[i : i + 4096])
    full = TruePeakMeter(rate, 2)
    for c in range(2):
        xc = np.concatenate([np.zeros(full.TAPS_PER_PHASE - 1, np.float32), x[:, c]])
        full.peaks[c] = full._peak_of(xc, 0, len(x))
    assert pruned.peak == pytest.approx(max(full.peak, float(np.abs(x).max())), rel=1e-6)


# --- agreement with independent implementations -------------------------------------------------


@pytest.fixture(scope="module")
def material(tmp_path_factory):
    d = tmp_path_factory.mktemp("material")
    sp = speech(40.0)
    return {
        "speech": (write(d / "speech.wav", np.repeat(sp, 2, axis=1)), np.repeat(sp, 2, axis=1)),
        "speech_mono": (write(d / "speech_mono.wav", sp), sp),
        "music": (write(d / "music.wav", music(40.0)), music(40.0)),
    }


@pytest.mark.parametrize("name", ["speech", "speech_mono", "music"])
def test_agrees_with_pyloudnorm(material, name):
    _, x = material[name]
    ours = measure(x, RATE).integrated_lufs
    theirs = pyloudnorm.Meter(RATE, filter_class="DeMan").integrated_loudness(x.astype(np.float64))
    assert abs(ours - theirs) <= 0.1, (ours, theirs)
    assert abs(ours - theirs) <= 0.01  # in fact, the same filter gives the same figure


@pytest.mark.parametrize("name", ["speech", "speech_mono", "music"])
def test_agrees_with_ffmpeg_ebur128(material, name):
    path, x = material[name]
    ref = ffmpeg_ebur128(path)
    ours = measure(x, RATE)
    assert abs(ours.integrated_lufs - ref["integrated_lufs"]) <= 0.1, (ours, ref)
    assert abs(ours.loudness_range_lu - ref["loudness_range_lu"]) <= 1.0, (ours, ref)
    # ffmpeg prints the true peak with one decimal.
    assert abs(ours.true_peak_dbtp - ref["true_peak_dbtp"]) <= 0.2 + 0.05, (ours, ref)
