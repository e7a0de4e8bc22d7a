"""Auto-level (clip gains from cached source loudness) and auto-duck (bed envelopes)."""

from __future__ import annotations

import numpy as np
import pytest

import studio.autolevel as autolevel
from audio.loudness import measure
from audio.media import MediaStore
from audio.mixer import clip_gain_curve, render
from audio.timeline import Clip, Timeline, Track, TrackRole
from studio.autoduck import DuckSettings, auto_duck, duck_envelope, voice_activity
from studio.autolevel import auto_level, cache_path, source_loudness, store_loudness_of
from tests.loudness_material import RATE, music, speech, write

# --- auto-level ------------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path):
    return MediaStore(tmp_path / "media")


def _import(store, tmp_path, name, data):
    return store.import_file(write(tmp_path / name, data), RATE)


def test_clips_recorded_at_different_levels_end_within_one_lu(store, tmp_path):
    # Three readings from different days: quiet mono, loud stereo, medium mono (−12 dB spread).
    a = _import(store, tmp_path, "a.wav", speech(12.0, seed=21) * np.float32(0.1))
    b = _import(store, tmp_path, "b.wav", np.repeat(speech(12.0, seed=22), 2, axis=1) * 0.9)
    c = _import(store, tmp_path, "c.wav", speech(12.0, seed=23) * np.float32(0.3))
    n = 12 * RATE
    clips = (
        Clip(a.source_id, 0, n),
        Clip(b.source_id, n, n),
        Clip(c.source_id, 2 * n, n - RATE, source_offset=RATE),  # trimmed: its part counts
    )
    timeline = Timeline(RATE, (Track("Giọng", clips, TrackRole.VOICE, gain_db=-3.0),))
    sources = {i.source_id: store.frames(i.source_id, RATE) for i in (a, b, c)}

    def clip_lufs(tl, k):
        clip = tl.tracks[0].clips[k]
        return measure(
            render(tl, sources.__getitem__, clip.start, clip.length), RATE
        ).integrated_lufs

    before = [clip_lufs(timeline, k) for k in range(3)]
    assert max(before) - min(before) > 10.0
    levelled, done = auto_level(timeline, store_loudness_of(store, RATE))
    after = [clip_lufs(levelled, k) for k in range(3)]
    assert max(after) - min(after) <= 1.0, after
    assert sum(d.changed for d in done) >= 2  # the median one may need nothing
    # The median clip stays where it was (the reference moves clips least).
    assert np.median(after) == pytest.approx(np.median(before), abs=0.5)
    # With a reference, every clip lands on it.
    levelled, _ = auto_level(timeline, store_loudness_of(store, RATE), reference_lufs=-20.0)
    assert all(abs(clip_lufs(levelled, k) - -20.0) <= 1.0 for k in range(3))


def test_switched_off_clips_and_other_roles_are_left_alone(store, tmp_path):
    a = _import(store, tmp_path, "a.wav", speech(6.0, seed=31) * np.float32(0.1))
    b = _import(store, tmp_path, "b.wav", speech(6.0, seed=32))
    n = 6 * RATE
    timeline = Timeline(
        RATE,
        (
            Track(
                "v",
                (Clip(a.source_id, 0, n, gain_db=1.5, auto_level=False), Clip(b.source_id, n, n)),
                TrackRole.VOICE,
            ),
            Track("j", (Clip(a.source_id, 0, n, gain_db=2.0),), TrackRole.JINGLE),
        ),
    )
    levelled, done = auto_level(timeline, store_loudness_of(store, RATE), reference_lufs=-18)
    assert levelled.tracks[0].clips[0].gain_db == 1.5
    assert levelled.tracks[1].clips[0].gain_db == 2.0
    assert levelled.tracks[0].clips[1].gain_db != 0.0
    assert len(done) == 1


def test_source_loudness_is_analysed_once_and_cached_beside_the_media(store, tmp_path, monkeypatch):
    info = _import(store, tmp_path, "a.wav", speech(8.0, seed=41))
    first = source_loudness(store, info.source_id, RATE)
    assert cache_path(store, info.source_id, RATE).exists()
    assert cache_path(store, info.source_id, RATE).parent == (store.root / info.source_id[:2])

    class Boom:
        def __init__(self, *a, **k):
            raise AssertionError("analysed again")

    monkeypatch.setattr(autolevel, "LoudnessMeter", Boom)
    again = source_loudness(store, info.source_id, RATE)
    assert again.integrated_lufs == pytest.approx(first.integrated_lufs, abs=1e-9)
    assert again.true_peak_dbtp == pytest.approx(first.true_peak_dbtp)
    whole = measure(store.frames(info.source_id, RATE), RATE).integrated_lufs
    assert first.integrated_lufs == pytest.approx(whole, abs=0.01)


def test_silent_or_missing_sources_are_left_alone(store, tmp_path):
    quiet = _import(store, tmp_path, "q.wav", np.zeros((RATE * 3, 1), np.float32) + 1e-7)
    timeline = Timeline(
        RATE,
        (
            Track(
                "v",
                (Clip(quiet.source_id, 0, RATE * 3), Clip("0" * 64, RATE * 3, RATE)),
                TrackRole.VOICE,
            ),
        ),
    )
    levelled, done = auto_level(timeline, store_loudness_of(store, RATE))
    assert levelled == timeline
    assert [d.loudness_lufs for d in done] == [None, None]


# --- auto-duck -------------------------------------------------------------------------------


def _burst(seconds: float, dbfs: float = -20.0, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((int(seconds * RATE), 1)) * 10 ** (dbfs / 20)).astype(np.float32)


def _value(clip: Clip, frame: int) -> float:
    """The clip's envelope in dB at timeline `frame`."""
    xs = [p.frame for p in clip.envelope]
    ys = [p.gain_db for p in clip.envelope]
    return float(np.interp(frame - clip.start, xs, ys))


def test_long_programme_every_stretch_of_speech_is_ducked():
    """A 40-minute programme with short announcements spread through it, the last one in its
    final seconds: every one gets a dip, and the bed is back at 0 dB in between."""
    settings = DuckSettings(depth_db=12, attack_ms=250, release_ms=700)
    length = 40 * 60 * RATE
    starts_s = [5, 61, 600, 1234.5, 1800, 2390, 2395.5]  # the last two are 2.5 s apart
    voice = _burst(3.0)
    bed = music(10.0) * np.float32(0.3)
    sources = {"voice": voice, "bed": bed}.__getitem__
    voice_clips = tuple(Clip("voice", int(s * RATE), len(voice)) for s in starts_s)
    timeline = Timeline(
        RATE,
        (
            Track("Giọng", voice_clips, TrackRole.VOICE),
            Track("Nhạc", (Clip("bed", 0, length),), TrackRole.MUSIC_BED),
        ),
    )
    ducked = auto_duck(timeline, sources, settings)
    bed_clip = ducked.tracks[1].clips[0]
    assert timeline.tracks[0] is ducked.tracks[0]  # the voice is untouched
    attack, release = int(0.25 * RATE), int(0.7 * RATE)
    for s in starts_s:
        a, e = int(s * RATE), int(s * RATE) + len(voice)
        for f in (a + 480, (a + e) // 2, e - 480):
            assert _value(bed_clip, f) == pytest.approx(-12.0), s
    # Before the first dip's ramp and between announcements the bed is at full level.
    for s in (0.1, 30, 300, 1500, 2000, 2300):
        assert _value(bed_clip, int(s * RATE)) == pytest.approx(0.0), s
    # Ramps: the bed starts going down `attack` before speech and is up `release` after.
    a = int(600 * RATE)
    assert _value(bed_clip, a - attack - 480) == pytest.approx(0.0)
    assert -12.0 < _value(bed_clip, a - attack // 2) < 0.0
    e = a + len(voice)
    assert -12.0 < _value(bed_clip, e + release // 2) < 0.0
    assert _value(bed_clip, e + release + 480) == pytest.approx(0.0)
    # Two announcements 2.5 s apart: the gap (−0.5 s between end and start) stays ducked.
    assert _value(bed_clip, int(2398.2 * RATE)) == pytest.approx(-12.0)
    # And the mixer really plays the bed 12 dB down under speech.
    curve = clip_gain_curve(bed_clip, int(1801 * RATE), 1000)
    assert 20 * np.log10(curve).max() == pytest.approx(-12.0, abs=0.01)


def test_pauses_inside_speech_are_bridged_and_the_envelope_is_editable():
    sp = speech(20.0, seed=51)
    sources = {"sp": sp, "bed": music(30.0)}.__getitem__
    timeline = Timeline(
        RATE,
        (
            Track("v", (Clip("sp", 5 * RATE, len(sp)),), TrackRole.VOICE),
            Track("b", (Clip("bed", 0, 30 * RATE),), TrackRole.MUSIC_BED),
        ),
    )
    settings = DuckSettings(bridge_ms=1500)  # espeak's pauses here are 0.3–1.2 s
    speech_ranges = voice_activity(timeline, sources, settings)
    assert len(speech_ranges) == 1
    s, e = speech_ranges[0]
    assert 5 * RATE <= s < 6 * RATE and 24 * RATE < e <= 25 * RATE
    env = duck_envelope(timeline.tracks[1].clips[0], speech_ranges, RATE, settings)
    assert [p.gain_db for p in env] == [0.0, 0.0, -12.0, -12.0, 0.0, 0.0]
    assert all(b.frame > a.frame for a, b in zip(env, env[1:], strict=False))


def test_a_bed_clip_starting_inside_speech_starts_ducked():
    clip = Clip("bed", 10 * RATE, 10 * RATE)
    env = duck_envelope(clip, [(5 * RATE, 12 * RATE)], RATE, DuckSettings(release_ms=1000))
    assert env[0].frame == 0 and env[0].gain_db == -12.0
    clip = clip.with_changes(envelope=env)
    assert _value(clip, 13 * RATE + 1) == pytest.approx(0.0)  # 12 s + 1 s release
    assert -12.0 < _value(clip, 12 * RATE + RATE // 2) < 0.0
    assert env[-1].gain_db == 0.0 and env[-1].frame == clip.length
    assert duck_envelope(clip, [(40 * RATE, 41 * RATE)], RATE) == ()


# --- speech leveler ---------------------------------------------------------------------------


def test_leveler_evens_out_a_drifting_reading_and_freezes_in_pauses(store, tmp_path):
    from studio.leveler import level_envelope

    rng = np.random.default_rng(3)
    first = speech(15.0, seed=61)
    pause = (rng.standard_normal((4 * RATE, 1)) * 10 ** (-60 / 20)).astype(np.float32)
    second = speech(15.0, seed=62) * np.float32(10 ** (-9 / 20))  # the reader turned away
    x = np.concatenate([first, pause, second])
    info = _import(store, tmp_path, "drift.wav", x)
    analysis = source_loudness(store, info.source_id, RATE)
    clip = Clip(info.source_id, 0, len(x))
    env = level_envelope(analysis, clip)
    assert env and env[0].frame == 0 and env[-1].frame == clip.length
    assert all(abs(p.gain_db) <= 6.0 for p in env)
    levelled = clip.with_changes(envelope=env)
    sources = {info.source_id: store.frames(info.source_id, RATE)}.__getitem__

    def lufs(c, a_s, b_s):
        tl = Timeline(RATE, (Track("v", (c,), TrackRole.VOICE),))
        return measure(render(tl, sources, int(a_s * RATE), int((b_s - a_s) * RATE)), RATE)

    gap_before = lufs(clip, 0, 15).integrated_lufs - lufs(clip, 19, 34).integrated_lufs
    gap_after = lufs(levelled, 0, 15).integrated_lufs - lufs(levelled, 19, 34).integrated_lufs
    assert gap_before > 7.0
    assert abs(gap_after) <= 3.0, (gap_before, gap_after)
    # In the pause the gain does not ride up: it stays where the speech before left it.
    in_pause = [_value(levelled, int(s * RATE)) for s in np.arange(15.5, 18.5, 0.25)]
    assert max(in_pause) - min(in_pause) <= 0.25
    assert max(in_pause) <= _value(levelled, int(14.5 * RATE)) + 0.25
