"""The balance (studio.balance): auto-level by role, auto-duck, bed fades. Measured on the
rendered audio (the one mixer), not on the model, except where the model is the point."""

from __future__ import annotations

import numpy as np
import pytest

import studio.autolevel as autolevel
from audio.loudness import LoudnessMeter, measure
from audio.media import MediaStore
from audio.mixer import clip_gain_curve, render
from audio.timeline import Clip, Ducking, Timeline, Track, TrackRole
from studio import edits
from studio.autoduck import duck_envelope, speech_spans
from studio.autolevel import SourceLoudness, cache_path, source_loudness
from studio.balance import Analyses, BalanceSettings, balance, fade_beds, level_clips
from tests.loudness_material import RATE, music, speech, write


@pytest.fixture
def store(tmp_path):
    return MediaStore(tmp_path / "media")


def _import(store, tmp_path, name, data):
    return store.import_file(write(tmp_path / name, data), RATE)


def _analysis(source_id: str, x: np.ndarray) -> SourceLoudness:
    meter = LoudnessMeter(RATE, x.shape[1])
    meter.feed(x)
    return SourceLoudness(source_id, RATE, meter.hop_energies, meter.true_peak_dbtp())


def _in_memory(sources: dict[str, np.ndarray]):
    """(frames_of, analysis_of) for arrays kept in memory."""
    analyses = {k: _analysis(k, v) for k, v in sources.items()}
    return sources.__getitem__, analyses.get


def _lufs(x: np.ndarray) -> float:
    return measure(x, RATE).integrated_lufs


def _solo(timeline: Timeline, index: int) -> Timeline:
    return timeline.with_changes(
        tracks=tuple(t.with_changes(solo=i == index) for i, t in enumerate(timeline.tracks))
    )


# --- auto-level -------------------------------------------------------------------------------


def test_voice_clips_recorded_at_different_levels_land_on_the_speech_level(store, tmp_path):
    a = _import(store, tmp_path, "a.wav", speech(12.0, seed=21) * np.float32(0.1))
    b = _import(store, tmp_path, "b.wav", np.repeat(speech(12.0, seed=22), 2, axis=1) * 0.9)
    c = _import(store, tmp_path, "c.wav", speech(12.0, seed=23) * np.float32(0.3))
    n = 12 * RATE
    clips = (
        Clip(a.source_id, 0, n),
        Clip(b.source_id, n, n),
        Clip(c.source_id, 2 * n, n - RATE, source_offset=RATE),  # trimmed: its part counts
    )
    timeline = Timeline(RATE, (Track("Giọng", clips, TrackRole.VOICE),))
    frames = {i.source_id: store.frames(i.source_id, RATE) for i in (a, b, c)}.__getitem__

    def clip_lufs(tl, k):
        clip = tl.tracks[0].clips[k]
        return _lufs(render(tl, frames, clip.start, clip.length))

    before = [clip_lufs(timeline, k) for k in range(3)]
    assert max(before) - min(before) > 10.0
    levelled, done = level_clips(timeline, Analyses(store, RATE), BalanceSettings(speech_lufs=-20))
    after = [clip_lufs(levelled, k) for k in range(3)]
    assert all(abs(x - -20.0) <= 0.5 for x in after), after
    assert [d.measure for d in done] == ["integrated"] * 3
    assert all("→ -20.0 LUFS" in d.reason_en for d in done)
    # Only the model changed: the user's own gain is still 0 and the level is separate.
    assert all(c.gain_db == 0.0 and c.level_db != 0.0 for c in levelled.tracks[0].clips)
    # The user's clip gain is a trim on top of the auto-level.
    trimmed = edits.set_clip_gain(levelled, edits.ClipRef(0, 0), -3.0)
    assert clip_lufs(trimmed, 0) == pytest.approx(after[0] - 3.0, abs=0.05)
    # Switched off, the clip plays as recorded (its level is kept but not played).
    off = edits.set_clip_auto_level(levelled, edits.ClipRef(0, 0), False)
    assert clip_lufs(off, 0) == pytest.approx(before[0], abs=0.05)
    relevelled, done = level_clips(off, Analyses(store, RATE))
    assert clip_lufs(relevelled, 0) == pytest.approx(before[0], abs=0.05)
    assert "off" in done[0].reason_en


def test_a_hot_short_jingle_is_matched_to_the_voice_by_its_loudest_moment(store, tmp_path):
    voice = _import(store, tmp_path, "v.wav", speech(20.0, seed=5) * np.float32(0.15))
    t = np.arange(int(1.6 * RATE)) / RATE
    tone = 0.9 * np.sin(2 * np.pi * 880 * t) * np.minimum(1, t * 50)
    jingle = _import(store, tmp_path, "j.wav", np.repeat(tone[:, None], 2, 1).astype(np.float32))
    timeline = Timeline(
        RATE,
        (
            Track("Nhạc hiệu", (Clip(jingle.source_id, 0, len(t)),), TrackRole.JINGLE),
            Track("Giọng", (Clip(voice.source_id, 2 * RATE, 20 * RATE),), TrackRole.VOICE),
        ),
    )
    result = balance(timeline, Analyses(store, RATE))
    frames = {i.source_id: store.frames(i.source_id, RATE) for i in (voice, jingle)}.__getitem__
    mix = render(result.timeline, frames, 0, 22 * RATE)
    jingle_meter = LoudnessMeter(RATE, 2)
    jingle_meter.feed(mix[: int(1.6 * RATE)])
    voice_meter = LoudnessMeter(RATE, 2)
    voice_meter.feed(mix[2 * RATE :])
    before = LoudnessMeter(RATE, 2)
    before.feed(render(timeline, frames, 0, int(1.6 * RATE)))
    # Short-term loudness: a jingle shorter than 3 s is heard whole, so its loudness over its
    # own length is what a listener compares with the voice's 3 s loudness.
    jingle_now = jingle_meter.integrated_lufs()
    voice_st = voice_meter.short_term_max_lufs()
    # Before: the jingle blasts over the voice; after: within 3 LU of it.
    assert before.integrated_lufs() - voice_st > 10
    assert abs(jingle_now - voice_st) <= 3.0, (jingle_now, voice_st)
    assert abs(jingle_now - voice_meter.integrated_lufs()) <= 3.0
    assert result.levels[0].measure == "short_term_max"


def test_source_loudness_is_analysed_once_and_cached_beside_the_media(store, tmp_path, monkeypatch):
    info = _import(store, tmp_path, "a.wav", speech(8.0, seed=41))
    first = source_loudness(store, info.source_id, RATE)
    assert cache_path(store, info.source_id, RATE).parent == (store.root / info.source_id[:2])

    class Boom:
        def __init__(self, *a, **k):
            raise AssertionError("analysed again")

    monkeypatch.setattr(autolevel, "LoudnessMeter", Boom)
    again = source_loudness(store, info.source_id, RATE)
    assert again.integrated_lufs == pytest.approx(first.integrated_lufs, abs=1e-9)
    whole = measure(store.frames(info.source_id, RATE), RATE).integrated_lufs
    assert first.integrated_lufs == pytest.approx(whole, abs=0.01)


def test_silent_or_missing_sources_get_no_gain(store, tmp_path):
    quiet = _import(store, tmp_path, "q.wav", np.zeros((RATE * 3, 1), np.float32) + 1e-7)
    timeline = Timeline(
        RATE,
        (
            Track(
                "v",
                (Clip(quiet.source_id, 0, RATE * 3), Clip("0" * 64, RATE * 3, RATE, level_db=2.0)),
                TrackRole.VOICE,
            ),
        ),
    )
    levelled, done = level_clips(timeline, Analyses(store, RATE))
    assert [c.level_db for c in levelled.tracks[0].clips] == [0.0, 2.0]
    assert [d.measured_lufs for d in done] == [None, None]
    assert "missing" in done[1].reason_en and "thiếu" in done[1].reason_vi


# --- auto-duck --------------------------------------------------------------------------------


def _burst(seconds: float, dbfs: float = -20.0, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((int(seconds * RATE), 1)) * 10 ** (dbfs / 20)).astype(np.float32)


def _duck_db(clip: Clip, frame: int) -> float:
    xs = [p.frame for p in clip.duck]
    ys = [p.gain_db for p in clip.duck]
    return float(np.interp(frame - clip.start, xs, ys))


def test_long_programme_every_stretch_of_speech_is_ducked():
    """40 minutes with short announcements spread through it, the last one in its final
    seconds: every one gets a dip, and the bed is back up in between."""
    length = 40 * 60 * RATE
    starts_s = [5, 61, 600, 1234.5, 1800, 2390, 2395.5]  # the last two are 2.5 s apart
    voice = _burst(3.0)
    _, analysis_of = _in_memory({"voice": voice, "bed": music(10.0) * np.float32(0.3)})
    timeline = Timeline(
        RATE,
        (
            Track("Giọng", tuple(Clip("voice", int(s * RATE), len(voice)) for s in starts_s)),
            Track("Nhạc", (Clip("bed", 0, length),), TrackRole.MUSIC_BED),
        ),
    )
    result = balance(timeline, analysis_of, BalanceSettings(auto_level=False, bed_fades=False))
    bed = result.timeline.tracks[1].clips[0]
    assert result.ducked_clips == 1
    attack, release = int(0.25 * RATE), int(0.7 * RATE)
    for s in starts_s:
        a, e = int(s * RATE), int(s * RATE) + len(voice)
        for f in (a + 4800, (a + e) // 2, e - 4800):
            assert _duck_db(bed, f) == pytest.approx(-12.0), s
    for s in (0.1, 30, 300, 1500, 2000, 2300):
        assert _duck_db(bed, int(s * RATE)) == pytest.approx(0.0), s
    a = int(600 * RATE)
    assert _duck_db(bed, a - attack - 4800) == pytest.approx(0.0)
    assert -12.0 < _duck_db(bed, a - attack // 2) < 0.0
    e = a + len(voice)
    assert _duck_db(bed, e + release + 4800) == pytest.approx(0.0)
    assert _duck_db(bed, int(2398.2 * RATE)) == pytest.approx(-12.0)  # the short gap holds
    curve = clip_gain_curve(bed, int(1801 * RATE), 1000)
    assert 20 * np.log10(curve).max() == pytest.approx(-12.0, abs=0.01)


def test_pauses_inside_speech_are_held_and_a_muted_voice_does_not_duck():
    sp = speech(20.0, seed=51)
    _, analysis_of = _in_memory({"sp": sp})
    timeline = Timeline(
        RATE,
        (
            Track("v", (Clip("sp", 5 * RATE, len(sp)),), TrackRole.VOICE),
            Track("b", (Clip("bed", 0, 30 * RATE),), TrackRole.MUSIC_BED),
        ),
    )
    duck = Ducking(hold_ms=1500)  # espeak's pauses here are 0.3–1.2 s
    spans = speech_spans(timeline, analysis_of, duck)
    assert len(spans) == 1
    s, e = spans[0]
    assert 5 * RATE <= s < 6 * RATE and 24 * RATE < e <= 25 * RATE
    env = duck_envelope(timeline.tracks[1].clips[0], spans, RATE, duck)
    assert [p.gain_db for p in env] == [0.0, 0.0, -12.0, -12.0, 0.0, 0.0]
    muted = timeline.with_track(0, timeline.tracks[0].with_changes(mute=True))
    assert speech_spans(muted, analysis_of, duck) == []


def test_ducking_follows_the_track_settings_and_can_be_switched_off():
    _, analysis_of = _in_memory({"v": _burst(4.0), "bed": music(12.0)})
    bed = Track("b", (Clip("bed", 0, 12 * RATE),), TrackRole.MUSIC_BED)
    timeline = Timeline(RATE, (Track("v", (Clip("v", 4 * RATE, 4 * RATE),)), bed))
    deep = timeline.with_track(1, bed.with_changes(ducking=Ducking(depth_db=20)))
    out = balance(deep, analysis_of, BalanceSettings(auto_level=False)).timeline
    assert _duck_db(out.tracks[1].clips[0], 6 * RATE) == pytest.approx(-20.0)
    off = out.with_track(1, out.tracks[1].with_changes(ducking=Ducking(enabled=False)))
    assert balance(off, analysis_of).timeline.tracks[1].clips[0].duck == ()
    # Voice and jingle tracks do not duck unless asked.
    assert Track("v").duck_settings.enabled is False
    assert Track("j", role=TrackRole.JINGLE).duck_settings.enabled is False


def test_a_bed_clip_starting_inside_speech_starts_ducked():
    clip = Clip("bed", 10 * RATE, 10 * RATE)
    env = duck_envelope(clip, [(5 * RATE, 12 * RATE)], RATE, Ducking(release_ms=1000))
    assert env[0].frame == 0 and env[0].gain_db == -12.0
    clip = clip.with_changes(duck=env)
    assert _duck_db(clip, 13 * RATE + 1) == pytest.approx(0.0)
    assert env[-1].gain_db == 0.0 and env[-1].frame == clip.length
    assert duck_envelope(clip, [(40 * RATE, 41 * RATE)], RATE) == ()


# --- bed fades --------------------------------------------------------------------------------


def test_a_bed_running_past_the_voice_is_cut_and_faded_and_given_back_when_it_grows():
    voice = Track("v", (Clip("v", 2 * RATE, 40 * RATE),))
    bed = Track("b", (Clip("bed", 0, 60 * RATE),), TrackRole.MUSIC_BED)
    timeline = Timeline(RATE, (voice, bed))
    settings = BalanceSettings(bed_fade_s=3.0)
    faded = fade_beds(timeline, settings)
    clip = faded.tracks[1].clips[0]
    assert clip.end == 45 * RATE and clip.fade_out == 3 * RATE
    assert clip.auto_fade and clip.auto_cut == 15 * RATE
    assert faded.length == 45 * RATE
    assert fade_beds(faded, settings) == faded  # the same again
    # The voice grows: the bed comes back as far as it is needed.
    longer = faded.with_track(0, voice.with_changes(clips=(Clip("v", 2 * RATE, 50 * RATE),)))
    clip = fade_beds(longer, settings).tracks[1].clips[0]
    assert clip.end == 55 * RATE and clip.auto_cut == 5 * RATE
    # A bed ending before the voice fades where it ends.
    short = timeline.with_track(1, bed.with_changes(clips=(Clip("bed", 0, 20 * RATE),)))
    clip = fade_beds(short, settings).tracks[1].clips[0]
    assert clip.end == 20 * RATE and clip.fade_out == 3 * RATE


def test_a_fade_the_user_set_is_left_alone():
    voice = Track("v", (Clip("v", 0, 10 * RATE),))
    bed = Track("b", (Clip("bed", 0, 30 * RATE),), TrackRole.MUSIC_BED)
    faded = fade_beds(Timeline(RATE, (voice, bed)))
    ref = edits.ClipRef(1, 0)
    own = edits.set_fades(faded, ref, fade_out=RATE)
    clip = own.tracks[1].clips[0]
    assert not clip.auto_fade and clip.fade_out == RATE
    assert fade_beds(own) == own
    # Trimming the end by hand: the balance no longer gives frames back, but fades it.
    trimmed, _ = edits.trim_end(faded, ref, 8 * RATE)
    clip = fade_beds(trimmed).tracks[1].clips[0]
    assert clip.end == 8 * RATE and clip.auto_cut == 0 and clip.fade_out == 3 * RATE


# --- the whole balance, rendered ---------------------------------------------------------------


def test_balanced_bulletin_voice_over_the_bed_and_a_faded_end(store, tmp_path):
    """A quiet voice, a hot jingle and a loud bed, as in the issue: rendered, the bed sits at
    least 12 LU under the voice while it speaks and at least 10 dB under itself alone, and
    fades out after the voice instead of running on."""
    v = _import(store, tmp_path, "v.wav", speech(30.0, seed=7) * np.float32(0.12))
    b = _import(store, tmp_path, "b.wav", music(60.0) * np.float32(0.9))
    timeline = Timeline(
        RATE,
        (
            Track("Giọng đọc", (Clip(v.source_id, 4 * RATE, 30 * RATE),)),
            Track("Nhạc nền", (Clip(b.source_id, 0, 60 * RATE),), TrackRole.MUSIC_BED),
        ),
    )
    result = balance(timeline, Analyses(store, RATE))
    tl = result.timeline
    frames = {i.source_id: store.frames(i.source_id, RATE) for i in (v, b)}.__getitem__
    n = tl.length
    assert n == 37 * RATE  # 30 s of voice from 4 s, plus the 3 s fade
    voice = render(_solo(tl, 0), frames, 0, n)
    bed = render(_solo(tl, 1), frames, 0, n)
    undocked = tl.with_track(1, tl.tracks[1].with_changes(ducking=Ducking(enabled=False)))
    bed_alone = render(_solo(balance(undocked, Analyses(store, RATE)).timeline, 1), frames, 0, n)
    under = slice(6 * RATE, 32 * RATE)
    assert _lufs(voice[under]) - _lufs(bed[under]) >= 12.0
    assert _lufs(bed_alone[under]) - _lufs(bed[under]) >= 10.0
    # Before the voice the bed is up (the intro), 8 LU under the speech level.
    assert _lufs(bed[: 3 * RATE]) == pytest.approx(-28.0, abs=1.5)

    # The fade: the bed's level falls through its last seconds, ending far under the intro.
    def db(x):
        return 20 * np.log10(np.sqrt(np.mean(x**2)))

    slices = [db(bed[n - k * RATE // 2 : n - (k - 1) * RATE // 2]) for k in (4, 3, 2, 1)]
    assert slices == sorted(slices, reverse=True), slices
    assert db(bed[-RATE // 5 :]) - db(bed[: 3 * RATE]) < -20


def test_switching_the_balance_off_takes_its_values_back_out(store, tmp_path):
    v = _import(store, tmp_path, "v.wav", speech(8.0, seed=9) * np.float32(0.1))
    b = _import(store, tmp_path, "b.wav", music(20.0))
    timeline = Timeline(
        RATE,
        (
            Track("v", (Clip(v.source_id, RATE, 8 * RATE),)),
            Track("b", (Clip(b.source_id, 0, 20 * RATE),), TrackRole.MUSIC_BED),
        ),
    )
    on = balance(timeline, Analyses(store, RATE)).timeline
    assert on != timeline
    off = balance(on, Analyses(store, RATE), BalanceSettings(False, False, False)).timeline
    assert off == timeline


def test_a_balanced_programme_balanced_again_is_the_same(store, tmp_path):
    """The session balances after every edit: a bed cut after the voice keeps the level it
    got the first time (measured on what plays, not on the uncut bed once and the cut one
    after), so an unrelated edit does not move the bed."""
    v = _import(store, tmp_path, "v.wav", speech(10.0, seed=4) * np.float32(0.1))
    quiet_then_loud = np.concatenate([music(20.0) * np.float32(0.1), music(40.0) * np.float32(0.9)])
    b = _import(store, tmp_path, "b.wav", quiet_then_loud)
    timeline = Timeline(
        RATE,
        (
            Track("v", (Clip(v.source_id, 2 * RATE, 10 * RATE),)),
            Track("b", (Clip(b.source_id, 0, 60 * RATE),), TrackRole.MUSIC_BED),
        ),
    )
    once = balance(timeline, Analyses(store, RATE)).timeline
    assert once.tracks[1].clips[0].end == 15 * RATE  # cut 3 s after the voice, in the quiet part
    assert balance(once, Analyses(store, RATE)).timeline == once
    bed = once.tracks[1].clips[0]
    plays = _lufs(store.frames(b.source_id, RATE)[: bed.length])
    target = BalanceSettings().speech_lufs - BalanceSettings().bed_below_speech_lu
    assert plays + bed.level_db == pytest.approx(target, abs=0.3)
