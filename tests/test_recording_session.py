"""The recording session (studio/recording.py) without Qt, on the real (virtual PulseAudio)
device: input choice kept in the settings, monitoring and level check, a take and its poll,
a timed take, R over the programme (overdub with the measured round trip), and recovery."""

from __future__ import annotations

import datetime as dt
import json
import os
import time

import numpy as np
import pytest
import soundfile as sf

from audio.playback import Player
from audio.recording import TakeFile, journal_path, new_take_path
from audio.timeline import Clip, Timeline, Track
from studio.paths import StudioHome
from studio.programme import Programme
from studio.recording import RecordingSession
from studio.settings import Settings
from tests.pulse_device import require_pulse

RATE = 48_000


@pytest.fixture
def home(tmp_path):
    return StudioHome(tmp_path / "home").ensure()


@pytest.fixture
def settings(home):
    s = Settings(home.settings_file)
    s.set("input_device", "pulse")
    s.set("output_device", "pulse")
    return s


def noise(seconds: float, amp: float = 0.1, seed: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((int(seconds * RATE), 1)) * amp).astype(np.float32)


def play(sig: np.ndarray) -> Player:
    """Play `sig` on the left channel of the virtual sink (its monitor is the input)."""
    player = Player(lambda sid: sig, rate=RATE, device="pulse")
    player.set_timeline(
        Timeline(rate=RATE, tracks=(Track("p", (Clip("n", 0, len(sig)),), pan=-1.0),))
    )
    player.play()
    return player


def poll_until(session, predicate, timeout_s=10.0, now=None):
    deadline = time.monotonic() + timeout_s
    seen = []
    while True:
        state = session.poll(now() if now else None)
        seen.append(state)
        if predicate(state):
            return state, seen
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.03)


@pytest.mark.audio_device
def test_choice_is_remembered_and_a_take_is_polled_to_the_end(home, settings):
    require_pulse()
    session = RecordingSession(home, settings)
    assert "pulse" in [d.name for d in session.input_devices(session.choice.device.host_api)]
    assert session.input_channel_count("pulse", session.choice.device.host_api) >= 1
    chosen = session.choose(session.choice.device.host_api, "pulse", 48_000, (0,))
    assert chosen.device.name == "pulse" and chosen.channels == (0,)
    again = Settings(home.settings_file)  # saved, so the next start uses it
    assert again.get("input_device") == "pulse" and again.get("input_channels") == [0]

    session.monitor()
    player = play(noise(8.0))
    try:
        state, _ = poll_until(session, lambda s: s.levels and max(s.levels.peaks) > 0.05)
        assert state.monitoring and not state.recording
        assert session.start_take() is None  # no low-disk warning here
        state, seen = poll_until(session, lambda s: s.take_frames > RATE)
        assert state.recording and state.rate == RATE
        take = session.stop_take()
    finally:
        player.stop()
        player.close()
    assert take is not None and take.frames > RATE
    assert take.path.parent == home.recordings
    assert sf.info(str(take.path)).frames == take.frames
    assert not session.poll().recording
    assert session.close() is None


@pytest.mark.audio_device
def test_level_check_gives_a_verdict(home, settings):
    require_pulse()
    session = RecordingSession(home, settings)
    player = play(noise(6.0, amp=0.05))
    try:
        session.start_level_check()  # opens the input
        assert session.monitoring
        time.sleep(2.0)
        check = session.finish_level_check()
    finally:
        player.stop()
        player.close()
        session.close()
    assert check.verdict in ("good", "too_low", "too_hot", "silent")
    assert check.message().message("vi")


@pytest.mark.audio_device
def test_a_timed_take_starts_and_stops_by_the_clock(home, settings):
    require_pulse()
    session = RecordingSession(home, settings)
    clock = {"now": dt.datetime(2026, 12, 2, 5, 59, 30)}
    session.schedule(dt.time(6, 0), minutes=1)
    assert session.monitoring and session.scheduled
    state = session.poll(clock["now"])
    assert not state.timer_started and not state.recording  # 05:59: not yet
    clock["now"] = dt.datetime(2026, 12, 2, 6, 0, 1)
    state = session.poll(clock["now"])
    assert state.timer_started and not session.scheduled
    state, _ = poll_until(session, lambda s: s.take_frames > RATE // 2, now=lambda: clock["now"])
    clock["now"] = dt.datetime(2026, 12, 2, 6, 1, 2)  # the minute is over
    state = session.poll(clock["now"])
    assert state.finished is not None and state.finished.frames > RATE // 2
    assert not state.recording
    session.close()


@pytest.mark.audio_device
def test_r_records_the_armed_track_over_the_programme_with_the_round_trip(home, settings):
    require_pulse()
    session = RecordingSession(home, settings)
    lag = session.measure_latency(RATE)
    assert 0 < lag < RATE // 2
    bed = session.store.import_file(_wav(home.root / "bed.wav", noise(6.0, amp=0.05, seed=5)), RATE)
    timeline = Timeline(
        rate=RATE,
        tracks=(
            Track("Nhạc nền", (Clip(bed.source_id, 0, bed.frames),), pan=-1.0),
            Track("Giọng đọc", armed=True),  # no input channels: takes the chosen input
        ),
    )
    assert session.start_overdub(timeline, play_from=RATE // 2) is None
    assert session.overdubbing
    time.sleep(1.5)
    after = session.stop_overdub(timeline)
    assert not session.overdubbing
    assert after is not None
    voice = after.tracks[1]
    assert voice.input_channels == (0,)  # the input it was recorded from is kept
    (clip,) = voice.clips
    assert clip.start == RATE // 2 and clip.length > RATE // 2
    assert clip.source_offset == lag  # the round trip is compensated
    assert session.stop_overdub(after) is None  # nothing running any more
    assert len(after.tracks) == len(timeline.tracks) and clip.name == f"{voice.name} 1"
    session.close()


def _wav(path, frames) -> str:
    sf.write(str(path), frames, RATE, subtype="FLOAT")
    return str(path)


def test_unfinished_takes_are_recovered_onto_a_track_of_their_own(home):
    path = new_take_path(home.recordings)
    take = TakeFile(path, RATE, 1)
    take.write(noise(0.75))
    take.sync()
    journal_path(path).write_text(json.dumps({"state": "recording", "meta": {}}), "utf-8")
    os.close(take._fd)  # the process "died" before close(): the header is unfinished

    session = RecordingSession(home)
    assert session.unfinished_takes() == [path]
    items = session.recover()
    assert len(items) == 1 and items[0].info.frames == int(0.75 * RATE)
    programme, filled = session.add_recovered(Programme(title="x"), items, "Bản thu khôi phục")
    (track,) = programme.timeline.tracks
    assert track.name == "Bản thu khôi phục" and filled == int(0.75 * RATE)
    assert track.clips[0].length == filled
    assert session.unfinished_takes() == [] and path.exists()  # repaired, never deleted


def test_a_take_goes_to_the_first_armed_track_else_the_current_one():
    tl = Timeline(rate=RATE, tracks=(Track("a"), Track("b"), Track("c", armed=True)))
    assert RecordingSession.take_track(tl, 0) == 2
    tl = Timeline(rate=RATE, tracks=(Track("a"), Track("b")))
    assert RecordingSession.take_track(tl, 1) == 1
    assert RecordingSession.take_track(tl, 7) == 1
    assert RecordingSession.take_track(tl, -1) == 0
