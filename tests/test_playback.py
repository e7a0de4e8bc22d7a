"""Playback through the real (virtual PulseAudio) device, recorded back from its monitor."""

import time

import numpy as np
import pytest

from audio.errors import StudioError
from audio.playback import Player
from audio.timeline import Clip, Timeline, Track
from tests.pulse_device import InputCapture, find_lag, require_pulse

RATE = 48_000
pytestmark = pytest.mark.audio_device


@pytest.fixture(autouse=True)
def _device():
    require_pulse()


def _noise(seconds: float, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((int(seconds * RATE), 1)) * 0.1).astype(np.float32)


def _timeline(sig: np.ndarray, source_id: str = "a") -> Timeline:
    # pan hard left: a mono source lands on the left channel at unity gain
    return Timeline(
        rate=RATE, tracks=(Track("v", clips=(Clip(source_id, 0, len(sig)),), pan=-1.0),)
    )


def _wait_until_done(player: Player, limit: float) -> None:
    deadline = time.monotonic() + limit
    while player.playing and time.monotonic() < deadline:
        time.sleep(0.02)


def test_plays_what_the_mixer_renders_and_stops_at_the_end():
    sig = _noise(2.0)
    player = Player(lambda sid: sig, rate=RATE)
    player.set_timeline(_timeline(sig))
    with InputCapture() as cap:
        t0 = time.monotonic()
        player.play()
        assert player.playing
        _wait_until_done(player, 8)
        elapsed = time.monotonic() - t0
        assert not player.playing
        player.stop()
        time.sleep(0.2)
    recorded = cap.audio()
    lag, corr = find_lag(recorded[:, 0], sig[:, 0])
    assert corr >= 0.99, f"underflows {player.underflows}, capture overflows {cap.overflows}"
    assert np.abs(recorded[:, 1]).max() < 1e-4  # the right channel stayed silent
    assert elapsed >= 1.9
    assert player.underflows == 0
    assert abs(player.position() - len(sig)) <= 1024


def test_play_range_position_moves_and_levels_read_the_signal():
    sig = _noise(4.0)
    player = Player(lambda sid: sig, rate=RATE)
    player.set_timeline(_timeline(sig))
    player.play(start_frame=RATE, end_frame=2 * RATE + RATE // 2)
    try:
        # PulseAudio's virtual sink takes up to ~1.5 s to start consuming; wait for it
        deadline = time.monotonic() + 5
        while player.position() < RATE + RATE // 5 and time.monotonic() < deadline:
            time.sleep(0.01)
        p1 = player.position()
        peaks = player.levels()
        time.sleep(0.3)
        p2 = player.position()
        assert abs((p2 - p1) - 0.3 * RATE) < 0.1 * RATE  # the playhead runs at real time
        assert RATE <= p1 < p2 <= 2 * RATE + RATE // 2
        assert 0.1 < peaks[0] < 1.0 and peaks[1] == 0.0
        _wait_until_done(player, 5)
        assert not player.playing
        assert player.position() == 2 * RATE + RATE // 2
    finally:
        player.stop()


def test_track_levels_read_each_track_as_heard():
    """The per-track meters: a loud track reads its level, a muted track with a louder clip
    and a track without clips read silence, and everything reads silence once stopped."""
    sig = _noise(3.0)
    loud = np.full((3 * RATE, 1), 0.9, np.float32)
    sources = {"a": sig, "loud": loud}
    tl = Timeline(
        rate=RATE,
        tracks=(
            Track("giọng", clips=(Clip("a", 0, len(sig)),), pan=-1.0),
            Track("tắt tiếng", clips=(Clip("loud", 0, len(loud)),), mute=True),
            Track("trống"),
        ),
    )
    player = Player(sources.__getitem__, rate=RATE)
    player.set_timeline(tl)
    assert player.track_levels().tolist() == [[0.0, 0.0]] * 3  # not playing yet
    player.play()
    try:
        deadline = time.monotonic() + 5
        while player.position() < RATE // 5 and time.monotonic() < deadline:
            time.sleep(0.01)
        player.track_levels()  # start a fresh window once the sound is flowing
        time.sleep(0.2)
        tracks = player.track_levels()
        master = player.levels()
        assert tracks.shape == (3, 2)
        assert 0.1 < tracks[0, 0] < 1.0 and tracks[0, 1] == 0.0  # panned hard left
        assert tracks[1].tolist() == [0.0, 0.0]  # muted: silent, though its clip is louder
        assert tracks[2].tolist() == [0.0, 0.0]  # no clip
        assert master[0] == pytest.approx(float(tracks[0, 0]), rel=0.5)  # the only sound
        assert master[1] == 0.0
        # a window with no new audio heard reads the block under the playhead, not silence
        assert player.track_levels()[0, 0] > 0.0
    finally:
        player.stop()
    assert player.track_levels().tolist() == [[0.0, 0.0]] * 3


def test_set_timeline_while_playing_is_heard_quickly():
    a = _noise(6.0, seed=1)
    b = _noise(6.0, seed=2)
    sources = {"a": a, "b": b}
    player = Player(sources.__getitem__, rate=RATE)
    player.set_timeline(_timeline(a, "a"))
    with InputCapture() as cap:
        player.play()
        time.sleep(1.0)
        switch_pos = player.position()
        player.set_timeline(_timeline(b, "b"))
        time.sleep(1.5)
        player.stop()
    recorded = cap.audio()[:, 0]
    lag_a, corr_a = find_lag(recorded, a[: RATE // 2, 0])
    # Where does the new timeline's audio start in the recording (timeline frame terms)?
    probe = b[switch_pos + RATE // 2 : switch_pos + RATE, 0]
    lag_b, corr_b = find_lag(recorded, probe)
    assert corr_a > 0.99 and corr_b > 0.99
    # b is heard at the same timeline position (the clock keeps running) ...
    assert abs((lag_b - lag_a) - (switch_pos + RATE // 2)) <= 2
    # ... and the switch happened within ~0.2 s of set_timeline (the ring's look-ahead plus the
    # device latency); 0.25 s leaves room for the playhead reading's jitter on a busy machine.
    seg = recorded[lag_a + switch_pos : lag_a + switch_pos + RATE // 2]
    ref_b = b[switch_pos : switch_pos + RATE // 2, 0]
    diff = np.abs(seg - ref_b) > 1e-4
    switched_at = int(np.nonzero(diff)[0].max()) + 1 if diff.any() else 0
    assert switched_at <= int(0.25 * RATE), switched_at


def test_loop_repeats_the_range():
    sig = _noise(1.0)
    player = Player(lambda sid: sig, rate=RATE)
    player.set_timeline(_timeline(sig))
    player.play(0, RATE // 4, loop=True)
    try:
        time.sleep(1.2)
        assert player.playing
        assert 0 <= player.position() < RATE // 4
    finally:
        player.stop()
    assert not player.playing


def test_missing_device_is_a_bilingual_error():
    with pytest.raises(StudioError) as info:
        Player(lambda sid: None, device="No Such Interface 9000")
    assert "No Such Interface 9000" in info.value.en
    assert "Không tìm thấy" in info.value.vi
