"""The programme feed keeps the device's clock: what came late is skipped, not played late."""

import numpy as np

from audio.playback import ProgrammeFeed


def _frames(first: int, n: int) -> np.ndarray:
    """Frames whose value is their own ring index (both channels)."""
    v = np.arange(first, first + n, dtype=np.float32)
    return np.stack([v, v], axis=1)


def test_a_starved_pull_is_silence_and_the_late_frames_are_skipped():
    feed = ProgrammeFeed(lambda sid: None, 48_000, block=4, ahead=4)
    feed.active = True
    feed.ring.write(_frames(0, 2))
    out = np.full((4, 2), -1.0, np.float32)

    feed.pull(out)  # only 2 of 4 frames were there
    assert out[:, 0].tolist() == [0, 1, 0, 0] and feed.underflows == 1

    feed.ring.write(_frames(2, 6))  # frames 2 and 3 belonged to the silent part
    feed.pull(out)
    assert out[:, 0].tolist() == [4, 5, 6, 7]
    assert feed.ring.read == 8 and feed.underflows == 1  # stream frame k plays ring frame k


def test_no_skip_after_the_programme_ended():
    feed = ProgrammeFeed(lambda sid: None, 48_000, block=4, ahead=4)
    feed.active = True
    feed.ring.write(_frames(0, 2))
    feed.end_index = 2
    out = np.zeros((4, 2), np.float32)
    feed.pull(out)
    assert feed.finished and feed.underflows == 0
