"""The transport and the live meters (studio/transport.py, studio/meters.py) without Qt: the
transport rules on a stand-in player, then real playback through the virtual PulseAudio
device with the meters fed by the render thread."""

from __future__ import annotations

import time

import numpy as np
import pytest

from audio.errors import StudioError
from audio.timeline import Clip, Timeline, Track
from studio.meters import LiveMeters, peak_db
from studio.transport import Transport, default_player_factory, stop_player
from tests.pulse_device import require_pulse
from tests.ui_support import FakePlayer, fake_factory

RATE = 48_000


def tone(seconds: float, amp: float = 0.3) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return (amp * np.sin(2 * np.pi * 440 * t)).astype(np.float32)[:, None]


def timeline(frames: int) -> Timeline:
    return Timeline(rate=RATE, tracks=(Track("v", (Clip("a", 0, frames),)),))


def test_transport_rules_on_a_stand_in_player():
    tr = Transport(lambda sid: tone(4.0), RATE, fake_factory)
    tl = timeline(4 * RATE)
    tr.set_timeline(tl)
    assert not tr.playing and tr.levels() is None and tr.position() == 0
    assert tr.track_levels() is None
    assert tr.play(RATE) == RATE
    player = tr.player
    assert isinstance(player, FakePlayer) and player.calls[-1] == ("play", RATE, None, False)
    player.pos = 2 * RATE
    assert tr.position() == 2 * RATE and tr.levels() == [0.5, 0.25]
    assert tr.track_levels().tolist() == [[0.5, 0.5]]  # one row per track of the timeline
    assert tr.pause() == 2 * RATE and not tr.playing
    assert tr.pause() is None  # nothing playing
    tr.play(2 * RATE)
    assert tr.stop() == 2 * RATE  # back to where it started
    assert tr.stop() == 0  # pressed again: to the start
    assert tr.play(4 * RATE) == 0  # at the end: from the start
    assert tr.play(3 * RATE, (RATE, 2 * RATE)) == RATE  # outside the loop: its start
    assert player.calls[-1] == ("play", RATE, 2 * RATE, True)
    assert tr.play(int(1.5 * RATE), (RATE, 2 * RATE)) == int(1.5 * RATE)
    # an edit while playing reaches the player at once
    shorter = timeline(RATE)
    tr.set_timeline(shorter)
    assert player.timelines[-1] is shorter
    # stopping by itself is reported once, with the player's error
    player.playing = False
    player.error = StudioError("Playback stopped: boom.", "Phát âm thanh bị dừng: boom.")
    assert tr.finished() == (True, player.error)
    assert tr.finished() == (False, None)
    tr.close()
    assert tr.player is None


def test_peak_in_db():
    assert peak_db(None) is None and peak_db([]) is None and peak_db([0.0, 0.0]) is None
    assert peak_db([0.5, 1.0]) == 0.0
    assert abs(peak_db([0.1]) + 20.0) < 1e-9


@pytest.mark.audio_device
def test_real_playback_moves_the_playhead_and_feeds_the_meters():
    require_pulse()
    sig = tone(3.0)
    tr = Transport(lambda sid: sig, RATE, default_player_factory, "pulse")
    meters = LiveMeters(RATE)
    tr.attach_meter(meters)
    tr.set_timeline(timeline(len(sig)))
    try:
        tr.play(0)
        deadline = time.monotonic() + 10
        reading = meters.reading(tr.levels())
        while reading.short_term_lufs is None or reading.peak_db is None:
            assert time.monotonic() < deadline, "the meters never moved"
            time.sleep(0.05)
            reading = meters.reading(tr.levels())
        assert tr.playing and tr.position() > 0
        # a 0.3-amplitude sine in the middle: about -13.5 dBFS peak, -16 LUFS or so
        assert -20 < reading.peak_db < -8
        assert -25 < reading.short_term_lufs < -8
        assert reading.integrated_lufs is not None
        while tr.playing:
            assert time.monotonic() < deadline + 10
            time.sleep(0.05)
        assert tr.finished() == (True, None)  # reached the end by itself
        # a preview plays on a player of its own
        preview = tr.preview(sig[: RATE // 2, 0], RATE)
        assert preview.playing and preview is not tr.player
        stop_player(preview)
        assert not preview.playing
    finally:
        tr.close()
        meters.close()
    assert not meters.running
