"""The one mixer: chunked equals whole, gains, pans, fades, mute/solo, source edges."""

from __future__ import annotations

import numpy as np
import pytest

from audio.mixer import clip_gain_curve, db_to_gain, pan_gains, render, render_blocks
from audio.timeline import Clip, EnvelopePoint, FadeShape, Timeline, Track, TrackRole
from tests.conftest import RATE, noise, tone, write_wav


def _sources(store, rate, *arrays_and_paths):
    ids = [store.import_file(p, rate).source_id for p in arrays_and_paths]
    return ids, (lambda sid: store.frames(sid, rate))


def _programme(tmp_path, store, rate=RATE):
    voice = write_wav(tmp_path / "voice.wav", noise(3.0, rate=44_100, amp=0.2, channels=1), 44_100)
    bed = write_wav(tmp_path / "bed.wav", tone(4.0, rate=RATE, freq=220, amp=0.3, channels=2))
    jingle = write_wav(tmp_path / "jingle.wav", noise(1.0, rate=RATE, amp=0.3, channels=2, seed=3))
    (v, b, j), sources = _sources(store, rate, voice, bed, jingle)
    tl = Timeline(
        rate=rate,
        tracks=(
            Track(
                "Giọng đọc",
                clips=(
                    Clip(
                        v,
                        start=rate // 2,
                        length=2 * rate,
                        source_offset=1000,
                        gain_db=-2.0,
                        fade_in=4801,
                        fade_out=9999,
                    ),
                ),
                pan=-0.3,
            ),
            Track(
                "Nhạc nền",
                role=TrackRole.MUSIC_BED,
                gain_db=-6.0,
                pan=0.5,
                clips=(
                    Clip(
                        b,
                        start=0,
                        length=3 * rate,
                        fade_out=rate,
                        fade_out_shape=FadeShape.LINEAR,
                        envelope=(
                            EnvelopePoint(0, 0.0),
                            EnvelopePoint(rate, -12.0),
                            EnvelopePoint(2 * rate, -12.0),
                            EnvelopePoint(3 * rate, 0.0),
                        ),
                    ),
                ),
            ),
            Track(
                "Hiệu", role=TrackRole.JINGLE, clips=(Clip(j, start=3 * rate - 100, length=rate),)
            ),
        ),
        master_gain_db=-1.5,
    )
    return tl, sources


@pytest.mark.parametrize("block", [1, 64, 65, 8192, 8193])
def test_chunked_render_equals_whole(tmp_path, store, block):
    tl, sources = _programme(tmp_path, store)
    whole = render(tl, sources, 0, tl.length)
    if block == 1:  # one frame at a time over a stretch with fades and an envelope
        start, stop = RATE // 2 - 10, RATE // 2 + 2000
        parts = [render(tl, sources, f, 1) for f in range(start, stop)]
        np.testing.assert_allclose(np.concatenate(parts), whole[start:stop], atol=1e-6)
        return
    chunked = np.concatenate(list(render_blocks(tl, sources, block=block)))
    assert chunked.shape == whole.shape == (tl.length, 2)
    np.testing.assert_allclose(chunked, whole, atol=1e-6)


def test_44k1_programme_renders(tmp_path, store):
    tl, sources = _programme(tmp_path, store, rate=44_100)
    assert tl.length == 4 * 44_100 - 100
    out = np.concatenate(list(render_blocks(tl, sources, block=8193)))
    np.testing.assert_allclose(out, render(tl, sources, 0, tl.length), atol=1e-6)
    assert np.max(np.abs(out)) > 0.05


def test_gain_and_constant_power_pan_for_mono(tmp_path, store):
    src = write_wav(tmp_path / "dc.wav", np.full((1000, 1), 0.5, np.float32))
    (sid,), sources = _sources(store, RATE, src)
    for pan in (-1.0, 0.0, 0.4, 1.0):
        tl = Timeline(
            tracks=(
                Track(
                    "t",
                    pan=pan,
                    gain_db=-6.0,
                    clips=(Clip(sid, start=10, length=1000, gain_db=2.0),),
                ),
            )
        )
        out = render(tl, sources, 0, 1010)
        left, right = pan_gains(pan, 1)
        g = 0.5 * db_to_gain(-4.0)
        np.testing.assert_allclose(out[10:, 0], g * left, rtol=1e-5)
        np.testing.assert_allclose(out[10:, 1], g * right, rtol=1e-5)
        assert not out[:10].any()
        assert left**2 + right**2 == pytest.approx(1.0)


def test_stereo_balance_keeps_centre_at_unity(tmp_path, store):
    data = np.stack([np.full(500, 0.25), np.full(500, -0.5)], axis=1).astype(np.float32)
    (sid,), sources = _sources(store, RATE, write_wav(tmp_path / "s.wav", data))
    tl = Timeline(tracks=(Track("t", clips=(Clip(sid, start=0, length=500),)),))
    np.testing.assert_allclose(render(tl, sources, 0, 500), data)
    tl = Timeline(tracks=(Track("t", pan=0.5, clips=(Clip(sid, start=0, length=500),)),))
    out = render(tl, sources, 0, 500)
    np.testing.assert_allclose(out[:, 0], 0.125)
    np.testing.assert_allclose(out[:, 1], -0.5)


def test_mute_and_solo(tmp_path, store):
    a = write_wav(tmp_path / "a.wav", np.full((100, 1), 0.1, np.float32))
    b = write_wav(tmp_path / "b.wav", np.full((100, 1), 0.2, np.float32))
    (ia, ib), sources = _sources(store, RATE, a, b)
    ta = Track("a", clips=(Clip(ia, 0, 100),))
    tb = Track("b", clips=(Clip(ib, 0, 100),))
    both = render(Timeline(tracks=(ta, tb)), sources, 0, 100)
    only_b = render(Timeline(tracks=(ta.with_changes(mute=True), tb)), sources, 0, 100)
    solo_a = render(Timeline(tracks=(ta.with_changes(solo=True), tb)), sources, 0, 100)
    c = pan_gains(0.0, 1)[0]
    np.testing.assert_allclose(both[:, 0], 0.3 * c, rtol=1e-5)
    np.testing.assert_allclose(only_b[:, 0], 0.2 * c, rtol=1e-5)
    np.testing.assert_allclose(solo_a[:, 0], 0.1 * c, rtol=1e-5)


@pytest.mark.parametrize("shape", [FadeShape.LINEAR, FadeShape.EQUAL_POWER])
def test_fades(shape):
    clip = Clip(
        "x" * 64,
        start=0,
        length=1000,
        fade_in=100,
        fade_out=200,
        fade_in_shape=shape,
        fade_out_shape=shape,
    )
    curve = clip_gain_curve(clip, 0, 1000)
    assert curve[0] < 0.02 and curve[-1] < 0.01
    assert np.all(curve[100:800] == 1.0)
    assert np.all(np.diff(curve[:100]) > 0) and np.all(np.diff(curve[800:]) < 0)
    mid = curve[50]
    assert mid == pytest.approx(
        0.505 if shape == FadeShape.LINEAR else np.sin(0.505 * np.pi / 2), abs=1e-3
    )
    assert clip_gain_curve(clip, 300, 100) is None  # the flat middle costs no curve


def test_envelope_is_piecewise_linear_in_db():
    clip = Clip(
        "x" * 64,
        start=0,
        length=300,
        envelope=(EnvelopePoint(0, 0.0), EnvelopePoint(100, -20.0), EnvelopePoint(300, -20.0)),
    )
    curve = clip_gain_curve(clip, 0, 300)
    assert curve[0] == pytest.approx(1.0)
    assert curve[50] == pytest.approx(10 ** (-10 / 20), rel=1e-4)
    assert curve[200] == pytest.approx(0.1, rel=1e-4)


def test_clip_past_source_end_is_silence(tmp_path, store):
    src = write_wav(tmp_path / "short.wav", np.full((100, 1), 0.5, np.float32))
    (sid,), sources = _sources(store, RATE, src)
    tl = Timeline(tracks=(Track("t", clips=(Clip(sid, start=0, length=300, source_offset=50),)),))
    out = render(tl, sources, 0, 300)
    assert np.all(out[:50] != 0) and not out[50:].any()


def test_render_reuses_the_output_buffer(tmp_path, store):
    tl, sources = _programme(tmp_path, store)
    buf = np.full((4096, 2), 9.0, np.float32)
    out = render(tl, sources, RATE, 4096, out=buf)
    assert out.base is buf or out is buf
    np.testing.assert_allclose(out, render(tl, sources, RATE, 4096))


def test_flat_stretches_of_an_envelope_render_as_the_per_frame_curve_would():
    """A ducked bed is flat almost everywhere: those blocks take a scalar gain, and the result
    equals the per-frame curve's to float precision, across ramps and block edges."""
    from audio.mixer import flat_gain_db

    rng = np.random.default_rng(5)
    src = rng.standard_normal((RATE * 4, 2)).astype(np.float32) * np.float32(0.1)
    points = (
        EnvelopePoint(0, 0.0),
        EnvelopePoint(RATE, 0.0),
        EnvelopePoint(RATE + 4800, -12.0),
        EnvelopePoint(3 * RATE, -12.0),
        EnvelopePoint(3 * RATE + 9600, 0.0),
        EnvelopePoint(4 * RATE, 0.0),
    )
    clip = Clip("s", 0, RATE * 4, duck=points, gain_db=-2.0)
    assert flat_gain_db(clip, RATE * 2, 1000) == -12.0
    assert flat_gain_db(clip, RATE - 10, 1000) is None
    assert flat_gain_db(clip.with_changes(fade_in=RATE * 3), RATE * 2, 1000) is None
    tl = Timeline(RATE, (Track("b", (clip,)),))
    got = np.concatenate(list(render_blocks(tl, {"s": src}.__getitem__, block=7_777)))
    curve = clip_gain_curve(clip, 0, RATE * 4)
    want = src * (curve * np.float32(10 ** (-2 / 20)))[:, None]
    np.testing.assert_allclose(got, want, atol=1e-6)


@pytest.mark.parametrize("block", [1, 64, 1024, 8193])
def test_track_peaks_measure_each_strip_and_leave_the_mix_unchanged(tmp_path, store, block):
    tl, sources = _programme(tmp_path, store)
    # a fourth track, muted, holding the loudest clip, and a fifth with no clip at all
    loud = write_wav(tmp_path / "loud.wav", np.full((RATE, 2), 0.9, np.float32))
    (lid,), _ = _sources(store, RATE, loud)
    muted = Track("tắt", mute=True, clips=(Clip(lid, start=0, length=RATE),))
    tl = tl.with_changes(tracks=(*tl.tracks, muted, Track("trống")))
    start, frames = 3 * RATE - 2000, 4000  # the bed, the jingle's first frames, the voice gone
    peaks = np.full((8, 2), 7.0, np.float32)
    scratch = np.zeros((block, 2), np.float32)
    mixed = np.concatenate(
        [
            render(tl, sources, pos, min(block, start + frames - pos), track_peaks=peaks).copy()
            for pos in range(start, start + frames, block)
        ]
    )
    np.testing.assert_allclose(mixed, render(tl, sources, start, frames), atol=1e-7)
    # one block over the whole range: each row is that track rendered alone (gain, pan, fades)
    out = render(tl, sources, start, frames, track_peaks=peaks, scratch=scratch)
    np.testing.assert_allclose(out, render(tl, sources, start, frames), atol=1e-7)
    for i in range(3):
        np.testing.assert_allclose(peaks[i], peaks_of(tl, sources, i, start, frames), rtol=1e-6)
    assert peaks[0].tolist() == [0.0, 0.0]  # the voice has ended by then
    assert peaks[1].min() > 0 and peaks[2].min() > 0
    assert peaks[3].tolist() == [0.0, 0.0]  # muted: silent on its meter, however loud
    assert peaks[4:].tolist() == [[0.0, 0.0]] * 4  # no clip; rows past the tracks cleared
    # solo: only the soloed track reads
    solo = tl.with_changes(
        tracks=tuple(t.with_changes(solo=(i == 2)) for i, t in enumerate(tl.tracks))
    )
    render(solo, sources, start, frames, track_peaks=peaks)
    assert peaks[2].min() > 0 and not np.delete(peaks, 2, axis=0).any()
    # fewer rows than tracks: the unmeasured tracks still play
    two = np.zeros((2, 2), np.float32)
    np.testing.assert_allclose(
        render(tl, sources, start, frames, track_peaks=two), render(tl, sources, start, frames)
    )
    np.testing.assert_allclose(two[1], peaks_of(tl, sources, 1, start, frames), rtol=1e-6)


def peaks_of(tl, sources, index, start, frames):
    """Track `index` rendered alone, without the master gain: its strip's peak."""
    alone = tl.with_changes(tracks=(tl.tracks[index],), master_gain_db=0.0)
    return np.abs(render(alone, sources, start, frames)).max(axis=0)
