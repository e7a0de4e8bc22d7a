"""Recording without a device: the take file, crash repair, the capture thread under awkward
block sizes and a slow disk, takes placement, and recovery into the media store."""

import json
import os
import threading
import time

import numpy as np
import pytest
import sounddevice as sd
import soundfile as sf

from audio.devices import Device, InputChoice
from audio.errors import StudioError
from audio.media import MediaStore
from audio.recording import (
    Recorder,
    TakeFile,
    assess_level,
    check_disk_space,
    find_unfinished_takes,
    journal_path,
    new_take_path,
    recover_take,
    repair_take_file,
)
from audio.timeline import Clip, Timeline, Track
from studio.paths import StudioHome
from studio.takes import (
    add_overdub_takes,
    alternative_takes,
    armed_inputs,
    place_take,
    recover_unfinished_takes,
    select_take,
)

RATE = 48_000
FAKE = Device(0, "Fake USB mixer", "Test", 2, 0, 48_000.0)


def _drain(rec, timeout=10.0):
    """Wait until the capture thread has taken everything the fake device gave."""
    deadline = time.monotonic() + timeout
    while rec._consumed < rec.ring.written and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.05)


def _stereo(n, seed=0):
    return np.random.default_rng(seed).uniform(-0.5, 0.5, (n, 2)).astype(np.float32)


def test_take_file_is_valid_while_being_written_and_after_close(tmp_path):
    path = tmp_path / "t.wav"
    tf = TakeFile(path, RATE, 2)
    data = _stereo(10_000)
    tf.write(data[:4000])
    tf.sync()
    # another reader sees a valid file holding what was synced
    assert sf.info(path).frames == 4000
    tf.write(data[4000:])
    tf.close()
    back, rate = sf.read(path, dtype="float32")
    assert rate == RATE and np.array_equal(back, data)
    with pytest.raises(FileExistsError):
        TakeFile(path, RATE, 2)  # never overwrites


def test_repair_after_a_crash_keeps_every_whole_frame(tmp_path):
    path = tmp_path / "t.wav"
    tf = TakeFile(path, RATE, 2)
    data = _stereo(5000)
    tf.write(data[:1000])
    tf.sync()
    tf.write(data[1000:])  # written but the header was never refreshed: as after SIGKILL
    with open(path, "ab") as f:
        f.write(b"\x01\x02\x03")  # a torn last frame
    assert sf.info(path).frames == 1000
    assert repair_take_file(path) == 5000
    back, _ = sf.read(path, dtype="float32")
    assert np.array_equal(back, data)


def test_recover_marks_the_journal_and_keeps_the_file(tmp_path):
    rec = Recorder(InputChoice(FAKE, RATE, (0,)))
    path = tmp_path / "take.wav"
    rec.start_take(path)
    rec.start_capture()
    rec._input_callback(_stereo(3000), 3000, None, sd.CallbackFlags())
    deadline = time.monotonic() + 5
    while (rec.take is None or rec.take.frames < 3000) and time.monotonic() < deadline:
        time.sleep(0.01)
    # simulate a crash: the capture thread is abandoned, the file never closed
    rec._closing = True
    rec._thread.join()
    assert find_unfinished_takes(tmp_path) == [path]
    recovered = recover_take(path)
    assert recovered.frames == 3000 and recovered.channels == 1
    assert json.loads(journal_path(path).read_text())["state"] == "recovered"
    assert find_unfinished_takes(tmp_path) == []
    assert path.exists()


class _SlowTakeFile(TakeFile):
    delay = 0.03

    def write(self, frames):
        time.sleep(self.delay)
        super().write(frames)


@pytest.mark.parametrize("block", [1, 64, 65, 441, 1024, 8193])
def test_capture_thread_writes_exactly_what_the_callback_gave(tmp_path, monkeypatch, block):
    monkeypatch.setattr("audio.recording.TakeFile", _SlowTakeFile)
    total = 30_000 if block < 64 else 120_000
    data = _stereo(total, seed=block)
    rec = Recorder(InputChoice(FAKE, RATE, (1,)), ring_seconds=1.0)  # right channel only
    path = tmp_path / "t.wav"
    rec.start_take(path)
    rec.start_capture()
    for i in range(0, total, block):
        chunk = data[i : i + block]
        # A device runs at real time; this one runs as fast as the ring lets it, so the test
        # checks the data path (wrap-around, chunking, the slow writer), not the machine load.
        while rec.ring.writable() < len(chunk):
            time.sleep(0.001)
        rec._input_callback(chunk, len(chunk), None, sd.CallbackFlags())
    take = rec.stop_take()
    rec.close()
    back, _ = sf.read(path, dtype="float32")
    assert take.frames == total and take.dropouts == []
    assert np.array_equal(back, data[:, 1])


def test_a_disk_too_slow_for_the_ring_gives_dropouts_with_positions(tmp_path, monkeypatch):
    monkeypatch.setattr("audio.recording.TakeFile", _SlowTakeFile)
    monkeypatch.setattr(_SlowTakeFile, "delay", 0.5)
    rec = Recorder(InputChoice(FAKE, RATE, (0,)), ring_seconds=0.1)
    seen = []
    rec.on_dropout = seen.append
    rec.start_take(tmp_path / "t.wav")
    rec.start_capture()
    data = _stereo(RATE)
    for i in range(0, RATE, 1000):
        rec._input_callback(data[i : i + 1000], 1000, None, sd.CallbackFlags())
    take = rec.stop_take()
    rec.close()
    assert take.dropouts and seen == take.dropouts
    assert all(d.kind == "buffer" and d.lost_frames > 0 for d in take.dropouts)
    assert take.frames + sum(d.lost_frames for d in take.dropouts) == RATE
    positions = [d.take_frame for d in take.dropouts]
    assert positions == sorted(positions) and 0 < positions[0] <= take.frames


def test_device_overflow_flag_is_a_dropout(tmp_path):
    rec = Recorder(InputChoice(FAKE, RATE, (0,)))
    rec.start_take(tmp_path / "t.wav")
    rec.start_capture()
    rec._input_callback(_stereo(2000), 2000, None, sd.CallbackFlags())
    flags = sd.CallbackFlags()
    flags.input_overflow = True
    rec._input_callback(_stereo(500), 500, None, flags)
    _drain(rec)
    take = rec.stop_take()
    rec.close()
    assert [(d.take_frame, d.kind) for d in take.dropouts] == [(2000, "device")]


def test_levels_and_clip_hold(tmp_path):
    rec = Recorder(InputChoice(FAKE, RATE, (0, 1)))
    rec.start_capture()
    block = np.zeros((4800, 2), np.float32)
    block[:, 0] = 0.25
    block[100, 1] = 1.0
    for _ in range(10):
        rec._input_callback(block, len(block), None, sd.CallbackFlags())
    _drain(rec)
    levels = rec.levels()
    assert levels.peaks == pytest.approx((0.25, 1.0))
    assert levels.clipped == (False, True)
    assert levels.momentary_lufs is not None
    assert rec.levels().peaks == (0.0, 0.0)  # peaks are since the last reading
    assert rec.levels().clipped == (False, True)  # the clip light is held
    rec.close()


def test_assess_level_verdicts():
    rng = np.random.default_rng(0)

    def energies(speech_lufs, noise_lufs, n=60):
        # phrases of 1.2 s with 0.5 s pauses, 100 ms hops
        e = np.full(n, 10 ** ((noise_lufs + 0.691) / 10))
        for start in range(0, n, 17):
            e[start : start + 12] = 10 ** ((speech_lufs + 0.691) * rng.uniform(0.9, 1.1) / 10)
        return e

    assert assess_level(energies(-20, -65), 0.5).verdict == "good"
    assert assess_level(energies(-20, -65), 0.5).noise == "quiet"
    assert assess_level(energies(-40, -70), 0.05).verdict == "too_low"
    assert assess_level(energies(-10, -50), 0.999).verdict == "too_hot"
    assert assess_level(energies(-20, -40), 0.5).noise == "noisy"
    assert assess_level(np.zeros(30), 0.0).verdict == "silent"
    assert "gain" in assess_level(energies(-40, -70), 0.05).message().en
    assert "khuếch đại" in assess_level(energies(-40, -70), 0.05).message().vi


def test_disk_space_check_warns_and_refuses(tmp_path, monkeypatch):
    import shutil as sh

    usage = sh.disk_usage(tmp_path)
    monkeypatch.setattr(
        "audio.recording.shutil.disk_usage",
        lambda p: usage._replace(free=20 * 60 * RATE * 4),
    )
    warning = check_disk_space(tmp_path, RATE, 1)
    assert warning is not None and "20 minutes" in warning.en and "20 phút" in warning.vi
    monkeypatch.setattr("audio.recording.shutil.disk_usage", lambda p: usage._replace(free=1000))
    with pytest.raises(StudioError):
        check_disk_space(tmp_path, RATE, 1)


def test_take_names_never_repeat(tmp_path):
    a = new_take_path(tmp_path)
    a.write_bytes(b"x")
    b = new_take_path(tmp_path)
    assert a != b and not b.exists()


def test_place_take_keeps_older_takes_selectable():
    old = Clip("old", 0, 10 * RATE, name="take-1", fade_in=100, fade_out=100)
    tl = Timeline(rate=RATE, tracks=(Track("Voice", (old,)),))
    new = Clip("new", 2 * RATE, 3 * RATE, name="take-2")
    tl2 = place_take(tl, 0, new)
    main = tl2.tracks[0].clips
    assert [(c.source_id, c.start, c.length, c.source_offset) for c in main] == [
        ("old", 0, 2 * RATE, 0),
        ("new", 2 * RATE, 3 * RATE, 0),
        ("old", 5 * RATE, 5 * RATE, 5 * RATE),
    ]
    assert main[0].fade_in == 100 and main[0].fade_out == 0 and main[2].fade_out == 100
    assert len(tl2.tracks) == 1  # the older take is an alternative of the track, not a track
    assert [(c.source_id, c.start, c.length, c.source_offset) for c in tl2.tracks[0].takes] == [
        ("old", 2 * RATE, 3 * RATE, 2 * RATE)
    ]
    # the older take can be chosen again; the newer one is then the alternative
    alts = alternative_takes(tl2, 0, 3 * RATE)
    assert [c.source_id for c in alts] == ["old"]
    tl3 = select_take(tl2, 0, alts[0])
    playing = [c.source_id for c in tl3.tracks[0].clips if c.start <= 3 * RATE < c.end]
    assert playing == ["old"]
    assert [c.source_id for c in alternative_takes(tl3, 0, 3 * RATE)] == ["new"]
    assert [c.source_id for c in tl3.tracks[0].takes] == ["new"]
    assert select_take(tl3, 0, tl3.tracks[0].takes[0]).tracks[0].clips == main  # and back


def test_recover_unfinished_takes_into_the_media_store(tmp_path):
    home = StudioHome(tmp_path / "home").ensure()
    path = home.recordings / "take-x.wav"
    tf = TakeFile(path, RATE, 1)
    data = _stereo(RATE)[:, :1]
    tf.write(data)  # never synced, never closed: the header says 0 frames
    journal_path(path).write_text(json.dumps({"state": "recording", "rate": RATE}))
    (home.recordings / "finished.wav.take.json").write_text(json.dumps({"state": "complete"}))
    items = recover_unfinished_takes(home)
    assert len(items) == 1 and items[0].take.frames == RATE
    store = MediaStore(home.media)
    assert np.array_equal(np.asarray(store.frames(items[0].info.source_id, RATE)), data)
    assert path.exists()  # the take stays in the recordings folder
    assert recover_unfinished_takes(home) == []
    os.close(tf._fd)


def test_ring_and_capture_survive_two_threads_at_real_block_cadence(tmp_path):
    rec = Recorder(InputChoice(FAKE, RATE, (0,)), ring_seconds=0.5)
    rec.start_take(tmp_path / "t.wav")
    rec.start_capture()
    data = _stereo(RATE * 2)

    def device():
        for i in range(0, len(data), 512):
            chunk = data[i : i + 512]
            rec._input_callback(chunk, len(chunk), None, sd.CallbackFlags())
            time.sleep(0.002)

    t = threading.Thread(target=device)
    t.start()
    t.join()
    take = rec.stop_take()
    rec.close()
    back, _ = sf.read(tmp_path / "t.wav", dtype="float32")
    assert take.dropouts == [] and np.array_equal(back, data[:, 0])


def test_two_armed_tracks_each_get_their_own_input_channel(tmp_path):
    from audio.recording import OverdubResult, Take

    tl = Timeline(
        rate=RATE,
        tracks=(
            Track("Bed"),
            Track("Host", armed=True, input_channels=(0,)),
            Track("Guest", armed=True, input_channels=(1,)),
        ),
    )
    channels, columns = armed_inputs(tl)
    assert channels == (0, 1) and columns == {1: (0,), 2: (1,)}
    data = _stereo(RATE)
    path = tmp_path / "take-1.wav"
    sf.write(path, data, RATE, subtype="FLOAT")
    from audio.recording import Dropout

    take = Take(path, RATE, 2, frames=RATE, dropouts=[Dropout(4900, 0, "device")])
    result = OverdubResult(take, RATE, 100, RATE - 100, 100)
    assert result.dropout_timeline_frames == [RATE + 4800]  # take frame 100 sits at RATE
    store = MediaStore(tmp_path / "media")
    tl2, infos = add_overdub_takes(tl, store, result)
    for track_index, col in ((1, 0), (2, 1)):
        clip = tl2.tracks[track_index].clips[0]
        assert (clip.start, clip.source_offset, clip.length) == (RATE, 100, RATE - 100)
        frames = np.asarray(store.frames(infos[track_index].source_id, RATE))
        assert frames.shape == (RATE, 1) and np.array_equal(frames[:, 0], data[:, col])
    assert path.exists()  # the recorded file is kept as it is


def test_a_device_that_will_not_open_leaves_no_empty_take(tmp_path):
    ghost = Device(9999, "Unplugged mixer", "Test", 2, 0, 48_000.0)
    rec = Recorder(InputChoice(ghost, RATE, (0,)))
    folder = tmp_path / "takes"
    folder.mkdir()
    with pytest.raises(StudioError) as info:
        rec.open(take_path=folder / "t.wav")
    assert "Unplugged mixer" in info.value.en and "Unplugged mixer" in info.value.vi
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("block", [1, 65, 256, 1000, 8193])
def test_the_live_waveform_is_the_min_max_of_every_bucket_of_the_take(tmp_path, block):
    """What the timeline draws while recording: per LIVE_BUCKET take frames and channel the
    min and max, whatever the device's block size; readable while the take grows."""
    from audio.recording import LIVE_BUCKET

    total = 20 * LIVE_BUCKET + 77  # a partial bucket at the end is not shown yet
    data = _stereo(total, seed=block)
    rec = Recorder(InputChoice(FAKE, RATE, (0, 1)), ring_seconds=1.0)
    assert rec.live_peaks()[0].shape == (0, 2)  # nothing before a take
    rec.start_take(tmp_path / "t.wav")
    rec.start_capture()
    seen = []
    for i in range(0, total, block):
        chunk = data[i : i + block]
        while rec.ring.writable() < len(chunk):
            time.sleep(0.001)
        rec._input_callback(chunk, len(chunk), None, sd.CallbackFlags())
        seen.append(len(rec.live_peaks()[0]))
    _drain(rec)
    mins, maxs = rec.live_peaks()
    whole = total // LIVE_BUCKET
    blocks = data[: whole * LIVE_BUCKET].reshape(whole, LIVE_BUCKET, 2)
    assert np.array_equal(mins, blocks.min(axis=1)) and np.array_equal(maxs, blocks.max(axis=1))
    assert seen == sorted(seen)  # it only ever grows
    rec.stop_take()
    assert rec.live_peaks()[0].shape == (0, 2)  # the take ended: nothing is live
    rec.close()
