"""Recording that never loses a take.

    PortAudio callback ──copy──▶ RingBuffer ──▶ capture thread ──▶ take file (+ journal)
       (audio thread)                             │ meters, loudness, level check
                                                  └▶ dropouts with their position

The callback only copies the device's frames into a preallocated ring and bumps counters.
The capture thread reads the ring every few milliseconds, feeds the meters, and appends the
selected channels to the take file as they arrive. The take is a 32-bit float WAV whose
header is brought up to date (and the file fsynced) every `SYNC_SECONDS`, and a JSON journal
beside it says "recording" until the take is closed: after a kill or a power cut the file is
valid up to the last sync, and `find_unfinished_takes` / `recover_take` repair it from its size
on the next start. Takes are never overwritten and never deleted.

With a `ProgrammeFeed` the same duplex stream also plays the programme (overdub): input and
output share one clock, so take frame j lines up with programme frame `play_start + j -
round_trip`, where `round_trip` is measured by `Overdub.calibrate` through the real device.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import errno
import json
import math
import os
import shutil
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import sounddevice as sd

from audio.devices import Device, InputChoice, find_device, stream_error
from audio.errors import StudioError
from audio.fileio import write_text_atomically
from audio.loudness import LoudnessMeter, energy_to_lufs
from audio.playback import ProgrammeFeed
from audio.ringbuffer import RingBuffer

SYNC_SECONDS = 0.5  # header refresh + fsync period: a crash loses at most about this much
WARN_MINUTES = 30  # warn before recording when less free space than this remains
CLIP_LEVEL = 0.999  # a sample at or above this magnitude counts as clipping
CLIP_HOLD_S = 2.0
LIVE_BUCKET = 256  # frames per min/max pair of a take's live waveform (5.3 ms at 48 kHz)
_POLL_S = 0.01
_MAX_DROPOUTS = 4096
_HEADER = 44
JOURNAL_SUFFIX = ".take.json"
_JOURNAL_PAD = 16_384  # bytes reserved in the journal for the closing update


# -- the take file ---------------------------------------------------------------------------
def _wav_header(rate: int, channels: int, data_bytes: int) -> bytes:
    """A RIFF/WAVE header for 32-bit IEEE float frames."""
    block_align = 4 * channels
    return (
        b"RIFF"
        + struct.pack("<I", 36 + data_bytes)
        + b"WAVEfmt "
        + struct.pack("<IHHIIHH", 16, 3, channels, rate, rate * block_align, block_align, 32)
        + b"data"
        + struct.pack("<I", data_bytes)
    )


class TakeFile:
    """A float32 WAV written as it arrives; `sync` makes everything so far durable.

    Created exclusively: an existing file is never overwritten.
    """

    def __init__(self, path: Path, rate: int, channels: int):
        self.path = Path(path)
        self.rate = rate
        self.channels = channels
        self.frames = 0  # whole frames written
        self._fd = os.open(
            self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        )
        self._write_all(_wav_header(rate, channels, 0))
        self._synced_frames = -1

    def _write_all(self, data: bytes | memoryview) -> int:
        view = memoryview(data)
        done = 0
        try:
            while done < len(view):
                done += os.write(self._fd, view[done:])
        except OSError:
            self._partial = done
            raise
        return done

    def write(self, frames: np.ndarray) -> None:
        """Append (n, channels) float32 frames. On OSError (disk full) the file is left ending
        on the last whole frame, with its header up to date, and the error is raised."""
        data = np.ascontiguousarray(frames, dtype="<f4")
        try:
            self._write_all(data.tobytes())
        except OSError:
            whole = self._partial // (4 * self.channels)
            self.frames += whole
            self._truncate_to_frames()
            with contextlib.suppress(OSError):
                self.sync()
            raise
        self.frames += len(data)

    def _truncate_to_frames(self) -> None:
        with contextlib.suppress(OSError):
            os.ftruncate(self._fd, _HEADER + self.frames * 4 * self.channels)
            os.lseek(self._fd, 0, os.SEEK_END)

    def sync(self) -> None:
        """fsync the frames, then the header that counts them (in that order, so the header
        never claims frames that are not on disk)."""
        if self._synced_frames == self.frames:
            return
        os.fsync(self._fd)
        data_bytes = self.frames * 4 * self.channels
        os.pwrite(self._fd, struct.pack("<I", 36 + data_bytes), 4)
        os.pwrite(self._fd, struct.pack("<I", data_bytes), 40)
        os.fsync(self._fd)
        self._synced_frames = self.frames

    def close(self) -> None:
        if self._fd < 0:
            return
        try:
            self.sync()
        finally:
            os.close(self._fd)
            self._fd = -1


def repair_take_file(path: Path) -> int:
    """Make a take cut short by a crash valid: header sizes from the file size, a torn last
    frame dropped. Returns the frames it holds. Never deletes audio."""
    with open(path, "r+b") as f:
        head = f.read(_HEADER)
        if len(head) < _HEADER or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            raise StudioError(
                f"'{path.name}' is not a take written by this program.",
                f"'{path.name}' không phải bản thu do chương trình này ghi.",
            )
        channels = struct.unpack("<H", head[22:24])[0]
        size = os.fstat(f.fileno()).st_size
        frames = max(size - _HEADER, 0) // (4 * channels)
        data_bytes = frames * 4 * channels
        f.truncate(_HEADER + data_bytes)
        f.seek(4)
        f.write(struct.pack("<I", 36 + data_bytes))
        f.seek(40)
        f.write(struct.pack("<I", data_bytes))
        f.flush()
        os.fsync(f.fileno())
    return frames


def journal_path(take: Path) -> Path:
    return take.with_name(take.name + JOURNAL_SUFFIX)


def new_take_path(folder: Path, stem: str = "take") -> Path:
    """A fresh take name in `folder` (date, time and a counter; never an existing name)."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    for n in range(1, 10_000):
        p = folder / f"{stem}-{stamp}-{n:02d}.wav"
        if not p.exists() and not journal_path(p).exists():
            return p
    raise StudioError("Too many takes in one second.", "Quá nhiều bản thu trong một giây.")


# -- disk space -------------------------------------------------------------------------------
def bytes_per_second(rate: int, channels: int) -> int:
    return rate * channels * 4


def check_disk_space(folder: Path, rate: int, channels: int) -> StudioError | None:
    """Before a take: raise when there is no room for even 2 s; return a warning (not raised)
    when less than WARN_MINUTES of recording fits, else None."""
    folder.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(folder).free
    seconds = free / bytes_per_second(rate, channels)
    if seconds < 2:
        raise StudioError(
            f"The disk holding {folder} is full ({free // 1024} KB free). Free some space "
            "before recording.",
            f"Ổ đĩa chứa {folder} đã đầy (còn {free // 1024} KB). Hãy giải phóng dung lượng "
            "trước khi thu.",
        )
    if seconds < WARN_MINUTES * 60:
        minutes = int(seconds // 60)
        return StudioError(
            f"Only about {minutes} minutes of recording fit on the disk.",
            f"Ổ đĩa chỉ còn chỗ cho khoảng {minutes} phút thu âm.",
        )
    return None


# -- results ----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Dropout:
    """Frames lost while recording: `take_frame` is where in the take the gap is."""

    take_frame: int
    lost_frames: int  # 0 when the device reported an overflow without saying how much
    kind: str  # "device" (PortAudio input overflow) or "buffer" (the disk writer fell behind)

    def seconds(self, rate: int) -> float:
        return self.take_frame / rate


@dataclass(slots=True)
class Take:
    path: Path
    rate: int
    channels: int
    frames: int = 0
    dropouts: list[Dropout] = field(default_factory=list)
    ended_by: StudioError | None = None  # why the take ended by itself (disk full, unplug)
    device_frames: int = 0  # frames the device delivered while the take ran (incl. lost ones)
    meta: dict = field(default_factory=dict)

    @property
    def duration_s(self) -> float:
        return self.frames / self.rate


@dataclass(frozen=True, slots=True)
class LevelCheck:
    """The result of "check level": a verdict and the figures behind it."""

    verdict: str  # "too_low", "good", "too_hot", "silent"
    speech_lufs: float | None
    peak_dbfs: float | None
    noise_lufs: float | None
    noise: str  # "quiet", "some", "noisy"

    def message(self) -> StudioError:
        """Advice for the user in both languages."""
        en = {
            "silent": "Nothing was heard. Check the microphone cable and the mixer channel.",
            "too_low": "The level is too low: turn the microphone gain up.",
            "good": "The level is right.",
            "too_hot": "The level is too hot (it clips): turn the microphone gain down.",
        }[self.verdict]
        vi = {
            "silent": "Không nghe thấy gì. Hãy kiểm tra dây micrô và kênh trên bàn trộn.",
            "too_low": "Mức thu quá nhỏ: hãy tăng độ khuếch đại micrô.",
            "good": "Mức thu vừa phải.",
            "too_hot": "Mức thu quá lớn (bị méo): hãy giảm độ khuếch đại micrô.",
        }[self.verdict]
        en += {
            "quiet": " The room is quiet.",
            "some": " Some background noise.",
            "noisy": " The room is noisy.",
        }[self.noise]
        vi += {
            "quiet": " Phòng yên tĩnh.",
            "some": " Có một chút tiếng ồn nền.",
            "noisy": " Phòng ồn.",
        }[self.noise]
        return StudioError(en, vi)


def assess_level(hop_energies: np.ndarray, peak: float) -> LevelCheck:
    """Judge a few seconds of reading from its 100 ms K-weighted energies and sample peak.

    Speech loudness is the gated integrated loudness of the reading; the room noise is the
    10th percentile of the 100 ms loudness (the pauses between words).
    """
    peak_db = 20 * math.log10(peak) if peak > 0 else None
    e = np.asarray(hop_energies, dtype=np.float64)
    if len(e) >= 4:
        c = np.concatenate([[0.0], np.cumsum(e)])
        blocks = (c[4:] - c[:-4]) / 4
    else:
        blocks = e
    loud = blocks[blocks > 10 ** ((-70 + 0.691) / 10)]
    speech = None
    if len(loud):
        rel = loud.mean() * 0.1
        gated = loud[loud > rel]
        speech = energy_to_lufs(float(gated.mean())) if len(gated) else None
    # Noise from 100 ms hops: the pauses between phrases are often shorter than 400 ms.
    noise = energy_to_lufs(float(np.percentile(e, 10))) if len(e) else None
    if noise is not None and not math.isfinite(noise):
        noise = None
    if speech is None or peak_db is None or peak_db < -50:
        verdict = "silent"
    elif peak_db >= -0.5:
        verdict = "too_hot"
    elif speech < -32 or peak_db < -18:
        verdict = "too_low"
    elif speech > -12:
        verdict = "too_hot"
    else:
        verdict = "good"
    if noise is None or noise < -60:
        noise_word = "quiet"
    elif noise < -45:
        noise_word = "some"
    else:
        noise_word = "noisy"
    return LevelCheck(verdict, speech, peak_db, noise, noise_word)


@dataclass(frozen=True, slots=True)
class InputLevels:
    peaks: tuple[float, ...]  # linear peak per selected channel since the last reading
    clipped: tuple[bool, ...]  # clip indicator per channel, held CLIP_HOLD_S
    momentary_lufs: float | None


# -- the recorder -----------------------------------------------------------------------------
class Recorder:
    """An input stream with live meters that records takes on request.

    GUI thread: `open`, `start_take`, `stop_take`, `levels`, `close`. The capture thread does
    the rest. With `feed`, the stream is duplex and also plays the programme (overdub).
    """

    def __init__(
        self,
        choice: InputChoice,
        block: int = 1024,
        latency: float = 0.1,
        feed: ProgrammeFeed | None = None,
        output_device: str | int | None = None,
        ring_seconds: float = 4.0,
    ):
        self.choice = choice
        self.rate = choice.rate
        self.block = block
        self.latency = latency
        self.feed = feed
        self.output: Device | None = find_device(output_device, "output") if feed else None
        self.channels = list(choice.channels)
        self.open_channels = choice.open_channels
        self.ring = RingBuffer(int(ring_seconds * self.rate), self.open_channels)
        # Written on the audio thread only.
        self.overflows = 0
        self.output_underflows = 0  # duplex: the device ran out of programme to play
        self._drop_pos = np.zeros(_MAX_DROPOUTS, np.int64)  # ring index of the gap
        self._drop_lost = np.zeros(_MAX_DROPOUTS, np.int64)
        self._drop_kind = np.zeros(_MAX_DROPOUTS, np.int8)  # 0 device, 1 buffer
        self._drop_count = 0
        self.callbacks = 0
        self._cue_armed = False
        self._cue_ring = -1
        self.callback_seconds = np.zeros(1 << 16, np.float64)  # for the soak benchmark
        self._perf = time.perf_counter
        # Capture-thread state.
        self._stream: sd.StreamBase | None = None
        self._thread: threading.Thread | None = None
        self._closing = False
        self._take: Take | None = None
        self._take_file: TakeFile | None = None
        self._take_request: tuple[Path, dict] | None = None
        self._stop_request = False
        self._stop_at = 0  # ring frame where a requested stop ends the take
        self._take_done = threading.Event()
        self._drops_seen = 0
        self._meter = LoudnessMeter(self.rate, len(self.channels))
        self._peaks = np.zeros(len(self.channels))
        self._clip_until = np.zeros(len(self.channels))
        self._check: list | None = None
        # The take's live waveform: per LIVE_BUCKET take frames a min and a max per channel,
        # written on the capture thread and published as one tuple (mins, maxs, count), so
        # the GUI timer reads a consistent view without a lock (rows < count never change).
        self._live: tuple[np.ndarray, np.ndarray, int] | None = None
        self._live_rest = np.zeros((0, len(self.channels)), np.float32)
        self.error: StudioError | None = None  # the stream ended by itself
        self.on_dropout: Callable[[Dropout], None] | None = None  # called on the capture thread

    # -- audio thread -------------------------------------------------------------------------
    def _note_drop(self, lost: int, kind: int) -> None:
        k = self._drop_count
        if k < _MAX_DROPOUTS:
            self._drop_pos[k] = self.ring.written
            self._drop_lost[k] = lost
            self._drop_kind[k] = kind
            self._drop_count = k + 1

    def _input(self, indata, frames: int, status) -> None:
        if status.input_overflow:
            self.overflows += 1
            self._note_drop(0, 0)
        written = self.ring.write(indata)
        if written < frames:
            self._note_drop(frames - written, 1)

    def _input_callback(self, indata, frames, time_info, status) -> None:
        """Called on the audio thread: copy into the ring, count. No allocation, no lock."""
        t0 = self._perf()
        self._input(indata, frames, status)
        self.callback_seconds[self.callbacks & 0xFFFF] = self._perf() - t0
        self.callbacks += 1

    def _duplex_callback(self, indata, outdata, frames, time_info, status) -> None:
        """Called on the audio thread: programme out of its ring, input into ours."""
        t0 = self._perf()
        if self._cue_armed:
            # Start the programme and the take on this very buffer: output frame k of the
            # programme and input frame k of the take leave/arrive in the same callback.
            self._cue_armed = False
            self._cue_ring = self.ring.written
            self.feed.active = True
        if status.output_underflow:
            self.output_underflows += 1
        self.feed.pull(outdata)
        self._input(indata, frames, status)
        self.callback_seconds[self.callbacks & 0xFFFF] = self._perf() - t0
        self.callbacks += 1

    # -- GUI thread ---------------------------------------------------------------------------
    def open(self, take_path: Path | None = None, meta: dict | None = None) -> None:
        """Open the device and start metering; with `take_path` the take starts at the very
        first frame (overdub: take frame 0 is stream frame 0)."""
        if take_path is not None:
            self._take_request = (Path(take_path), dict(meta or {}), False)
            self._take_done.clear()
        device = self.choice.device
        # blocksize 0: the host's own period. A fixed size makes PortAudio re-block, which on
        # PulseAudio's ALSA plugin glitched duplex streams (frames shifted) in our tests.
        kwargs = dict(samplerate=self.rate, dtype="float32", blocksize=0, latency=self.latency)
        try:
            if self.feed is None:
                stream = sd.InputStream(
                    device=device.index,
                    channels=self.open_channels,
                    callback=self._input_callback,
                    finished_callback=self._finished,
                    **kwargs,
                )
            else:
                stream = sd.Stream(
                    device=(device.index, self.output.index),
                    channels=(self.open_channels, 2),
                    callback=self._duplex_callback,
                    finished_callback=self._finished,
                    **kwargs,
                )
            if take_path is not None:
                self._start_file()  # before the first callback: nothing is missed
            stream.start()
        except (sd.PortAudioError, ValueError) as exc:
            self._abandon_file()
            raise stream_error(exc, device.name, "input") from exc
        self._stream = stream
        self.start_capture()

    def start_capture(self) -> None:
        """Start the capture thread (done by `open`; tests drive the callback themselves)."""
        self._closing = False
        self._thread = threading.Thread(target=self._run, name="recorder-capture", daemon=True)
        self._thread.start()

    def _finished(self) -> None:
        """PortAudio says the stream ended (called on the audio thread, once)."""
        if not self._closing:
            self._device_lost = True

    _device_lost = False

    def start_take(
        self, path: Path, meta: dict | None = None, cue: bool = False
    ) -> StudioError | None:
        """Start writing a take to `path` (which must not exist) from the next frames.

        With `cue` (duplex only) the take and the primed programme feed start together on
        the next device buffer, so take frame j was recorded while programme frame j left.
        Raises StudioError when the disk is full; returns a low-space warning or None.
        """
        warning = check_disk_space(Path(path).parent, self.rate, len(self.channels))
        if self._take is not None or self._take_request is not None:
            raise StudioError("Already recording.", "Đang thu âm rồi.")
        if cue and self.feed is None:
            raise ValueError("a cued take needs a duplex recorder (feed)")
        self._take_done.clear()
        self._last_take = None
        self._cue_ring = -1
        self._take_request = (Path(path), dict(meta or {}), cue)
        if cue:
            self._cue_armed = True
        return warning

    @property
    def recording(self) -> bool:
        return self._take is not None or self._take_request is not None

    @property
    def take(self) -> Take | None:
        """The take being recorded (its frames and dropouts grow as it goes)."""
        return self._take

    def stop_take(self, timeout: float = 10.0) -> Take | None:
        """Finish the current take: everything in the ring is written, then the file closed."""
        if self._take is None and self._take_request is None:
            return self._last_take
        # End at the frames that had arrived when the user pressed Stop. Waiting for an empty
        # ring instead could wait for ever: a live input keeps filling it.
        self._stop_at = self.ring.written
        self._stop_request = True
        self._take_done.wait(timeout)
        return self._last_take

    _last_take: Take | None = None

    @property
    def last_take(self) -> Take | None:
        """The most recently finished take."""
        return self._last_take

    def wait_take_end(self, timeout: float | None = None) -> Take | None:
        """Wait until the take ends by itself (disk full, device gone) or is stopped."""
        self._take_done.wait(timeout)
        return self._last_take

    def levels(self) -> InputLevels:
        """Peaks since the last call, held clip flags, momentary loudness (GUI thread)."""
        peaks = tuple(float(p) for p in self._peaks)
        self._peaks = np.zeros(len(self.channels))
        now = time.monotonic()
        clipped = tuple(bool(u > now) for u in self._clip_until)
        return InputLevels(peaks, clipped, self._meter_momentary)

    _meter_momentary: float | None = None

    def start_level_check(self) -> None:
        """Start listening for "check level" (the user reads a sentence)."""
        self._check = [LoudnessMeter(self.rate, len(self.channels)), 0.0]

    def finish_level_check(self) -> LevelCheck:
        check, self._check = self._check, None
        if check is None:
            raise StudioError("No level check is running.", "Chưa bắt đầu kiểm tra mức thu.")
        return assess_level(check[0].hop_energies, check[1])

    def close(self) -> Take | None:
        """Stop any take and close the device."""
        take = self.stop_take() if self.recording else None
        self._closing = True
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
        if self._stream is not None:
            with contextlib.suppress(sd.PortAudioError):
                self._stream.abort()
                self._stream.close()
            self._stream = None
        return take

    # -- capture thread -----------------------------------------------------------------------
    def _start_file(self) -> None:
        path, meta, cue = self._take_request
        if cue and self._cue_ring < 0:
            return  # the callback has not started the programme yet
        try:
            self._take_file = TakeFile(path, self.rate, len(self.channels))
        except OSError as exc:
            self._take_request = None
            self._last_take = Take(path, self.rate, len(self.channels), ended_by=_disk_error(exc))
            self._take_done.set()
            raise
        self._live = None
        self._live_rest = np.zeros((0, len(self.channels)), np.float32)
        self._take = Take(path, self.rate, len(self.channels), meta=meta)
        self._take_start_ring = self._cue_ring if cue else self._consumed
        # Cleared only now, so that `recording` never reads False between request and take
        # (the panel's refresh took that window for "the take ended by itself").
        self._take_request = None
        self._write_journal("recording")

    def _abandon_file(self) -> None:
        """The device would not open: remove the take we had just created (it holds no
        audio, so nothing is lost) rather than leave an empty "unfinished" take behind."""
        tf = self._take_file
        if tf is not None:
            tf.close()
            self._take_file = None
            self._take = None
            if tf.frames == 0:
                tf.path.unlink(missing_ok=True)
                journal_path(tf.path).unlink(missing_ok=True)

    def _write_journal(self, state: str) -> None:
        take = self._take
        data = {
            "state": state,
            "rate": take.rate,
            "channels": take.channels,
            "frames": take.frames,
            "device": self.choice.device.name,
            "input_channels": self.channels,
            "started": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
            "dropouts": [asdict(d) for d in take.dropouts],
            "ended_by": take.ended_by.en if take.ended_by else None,
            "meta": take.meta,
        }
        old = journal_path(take.path)
        if old.exists() and state != "recording":
            with contextlib.suppress(OSError, ValueError):
                data["started"] = json.loads(old.read_text("utf-8")).get("started", data["started"])
        text = json.dumps(data, ensure_ascii=False, indent=1)
        if state == "recording":
            # Padded, so that the closing update can be written in place on a full disk.
            text += " " * max(_JOURNAL_PAD - len(text.encode("utf-8")), 0)
        try:
            write_text_atomically(old, text)
        except OSError:
            _rewrite_in_place(old, text)

    def _run(self) -> None:
        buf = np.zeros((max(self.rate // 4, self.block), self.open_channels), np.float32)
        last_sync = last_disk = time.monotonic()
        while True:
            first = self.ring.read
            n = self.ring.read_into(buf)
            if self._take_request is not None and self._take is None:
                self._consumed = first  # a take started now begins with this chunk
                self._try(self._start_file)
            if n:
                self._consume(buf[:n], first)
            self._consumed = first + n
            self._collect_dropouts()
            now = time.monotonic()
            if self._take_file is not None:
                if now - last_sync >= SYNC_SECONDS:
                    last_sync = now
                    self._try(self._sync)
                if self._take_file is not None and now - last_disk >= 1.0:
                    last_disk = now
                    self._check_space()
            stream_gone = self._device_lost or (
                self._stream is not None and not self._stream.active and not self._closing
            )
            if stream_gone and self.ring.readable() == 0:
                if self.error is None:
                    self.error = StudioError(
                        f"The input device '{self.choice.device.name}' stopped (unplugged?). "
                        "The recording up to this point is kept.",
                        f"Thiết bị thu '{self.choice.device.name}' đã ngừng (bị rút ra?). "
                        "Phần đã thu được giữ lại.",
                    )
                if self._take_file is not None:
                    self._end_take(self.error)
                if not self._take_done.is_set():
                    self._take_done.set()
                return
            if self._stop_request and self._consumed >= self._stop_at:
                self._stop_request = False
                if self._take_file is not None:
                    self._end_take(None)
                self._take_request = None
                self._take_done.set()
            if self._closing and self.ring.readable() == 0:
                return
            if n < len(buf):
                time.sleep(_POLL_S)

    def _try(self, action) -> None:
        try:
            action()
        except OSError as exc:
            if self._take is not None:
                self._end_take(_disk_error(exc))

    def _sync(self) -> None:
        self._take_file.sync()
        if self._take is not None:
            self._take.frames = self._take_file.frames

    def _check_space(self) -> None:
        free = shutil.disk_usage(self._take.path.parent).free
        if free < bytes_per_second(self.rate, len(self.channels)) + 65_536:
            self._end_take(_disk_error(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))))

    _consumed = 0
    take_limit: int | None = None  # frames after which a take ends by itself (timer)
    _meter_frames = 0

    def _consume(self, frames: np.ndarray, first: int) -> None:
        """Meter and record ring frames [first, first + len(frames)) (capture thread)."""
        selected = frames[:, self.channels]
        peaks = np.abs(selected).max(axis=0)
        np.maximum(self._peaks, peaks, out=self._peaks)
        self._clip_until[peaks >= CLIP_LEVEL] = time.monotonic() + CLIP_HOLD_S
        self._meter.feed(selected)
        self._meter_momentary = self._meter.momentary_lufs()
        self._meter_frames += len(selected)
        if self._meter_frames > 600 * self.rate:
            # The live meter keeps every 100 ms hop; start a fresh one every 10 minutes.
            self._meter = LoudnessMeter(self.rate, len(self.channels))
            self._meter_frames = 0
        check = self._check
        if check is not None:
            check[0].feed(selected)
            check[1] = max(check[1], float(peaks.max()))
        if self._take_file is not None:
            skip = self._take_start_ring - first
            if skip >= len(selected):
                return
            part = selected[max(skip, 0) :]
            limit = self.take_limit
            if limit is not None:
                part = part[: max(limit - self._take_file.frames, 0)]
            try:
                self._take_file.write(part)
            except OSError as exc:
                self._end_take(_disk_error(exc))
                return
            self._live_add(part)
            self._take.frames = self._take_file.frames
            if limit is not None and self._take_file.frames >= limit:
                self._end_take(None)  # a timed take: exactly `limit` frames

    def _live_add(self, part: np.ndarray) -> None:
        """Add the take frames just written to the live waveform (capture thread)."""
        if len(part) == 0:
            return
        if len(self._live_rest):
            part = np.concatenate([self._live_rest, part])
        whole = len(part) // LIVE_BUCKET * LIVE_BUCKET
        self._live_rest = np.array(part[whole:], np.float32)
        if whole == 0:
            return
        blocks = part[:whole].reshape(-1, LIVE_BUCKET, part.shape[1])
        new_min, new_max = blocks.min(axis=1), blocks.max(axis=1)
        mins, maxs, count = self._live or (None, None, 0)
        need = count + len(new_min)
        if mins is None or need > len(mins):
            size = max(need * 2, 4096)
            grown_min = np.zeros((size, part.shape[1]), np.float32)
            grown_max = np.zeros((size, part.shape[1]), np.float32)
            if mins is not None:
                grown_min[:count] = mins[:count]
                grown_max[:count] = maxs[:count]
            mins, maxs = grown_min, grown_max
        mins[count:need] = new_min
        maxs[count:need] = new_max
        self._live = (mins, maxs, need)

    def live_peaks(self) -> tuple[np.ndarray, np.ndarray]:
        """The take's waveform so far (GUI thread): (mins, maxs), each (buckets, channels),
        one row per LIVE_BUCKET take frames. Empty when no take runs."""
        live = self._live
        if live is None or self._take is None:
            empty = np.zeros((0, len(self.channels)), np.float32)
            return empty, empty
        mins, maxs, count = live
        return mins[:count], maxs[:count]

    def _collect_dropouts(self) -> None:
        count = self._drop_count
        while self._drops_seen < count:
            k = self._drops_seen
            self._drops_seen += 1
            if self._take is None:
                continue
            pos = int(self._drop_pos[k]) - self._take_start_ring
            if pos < 0:
                continue
            drop = Dropout(
                pos, int(self._drop_lost[k]), "device" if self._drop_kind[k] == 0 else "buffer"
            )
            self._take.dropouts.append(drop)
            if self.on_dropout is not None:
                self.on_dropout(drop)

    def _end_take(self, reason: StudioError | None) -> None:
        take, tf = self._take, self._take_file
        if take is None or tf is None:
            return
        self._take_file = None
        take.ended_by = reason
        take.device_frames = max(self._consumed - self._take_start_ring, 0)
        with contextlib.suppress(OSError):
            tf.close()
        take.frames = tf.frames
        self._take = None
        self._last_take = take
        with contextlib.suppress(OSError):
            self._write_journal_for(take, "complete")
        self._take_done.set()

    def _write_journal_for(self, take: Take, state: str) -> None:
        saved = self._take
        self._take = take
        try:
            self._write_journal(state)
        finally:
            self._take = saved


def _rewrite_in_place(path: Path, text: str) -> None:
    """Overwrite a journal without allocating: the disk is full, the old file is padded."""
    data = text.encode("utf-8")
    with open(path, "r+b") as f:
        size = os.fstat(f.fileno()).st_size
        if len(data) > size:
            raise OSError(errno.ENOSPC, "journal does not fit")
        f.write(data + b" " * (size - len(data)))
        f.flush()
        os.fsync(f.fileno())


def _disk_error(exc: OSError) -> StudioError:
    if exc.errno == errno.ENOSPC:
        return StudioError(
            "The disk is full: recording stopped. Everything recorded so far is kept.",
            "Ổ đĩa đã đầy: đã dừng thu. Toàn bộ phần đã thu được giữ lại.",
        )
    return StudioError(
        f"Cannot write the recording: {exc.strerror}. Everything recorded so far is kept.",
        f"Không ghi được bản thu: {exc.strerror}. Phần đã thu được giữ lại.",
    )


# -- recovery ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class RecoveredTake:
    path: Path
    frames: int
    rate: int
    channels: int
    meta: dict


def find_unfinished_takes(folder: Path) -> list[Path]:
    """Takes whose journal still says "recording" (the program died while recording)."""
    found = []
    if not Path(folder).is_dir():
        return found
    for journal in sorted(Path(folder).glob("*" + JOURNAL_SUFFIX)):
        try:
            state = json.loads(journal.read_text("utf-8")).get("state")
        except (OSError, ValueError):
            state = "recording"  # a damaged journal: look at the take rather than ignore it
        take = journal.with_name(journal.name[: -len(JOURNAL_SUFFIX)])
        if state == "recording" and take.exists():
            found.append(take)
    return found


def recover_take(path: Path) -> RecoveredTake:
    """Repair an unfinished take in place and mark its journal "recovered"."""
    frames = repair_take_file(path)
    journal = journal_path(path)
    try:
        data = json.loads(journal.read_text("utf-8"))
    except (OSError, ValueError):
        data = {}
    with open(path, "rb") as f:
        head = f.read(_HEADER)
    channels = struct.unpack("<H", head[22:24])[0]
    rate = struct.unpack("<I", head[24:28])[0]
    data.update(state="recovered", frames=frames, rate=rate, channels=channels)
    write_text_atomically(journal, json.dumps(data, ensure_ascii=False, indent=1))
    return RecoveredTake(path, frames, rate, channels, data.get("meta", {}))


# -- overdub ----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class OverdubResult:
    """A finished overdub take and where it belongs: timeline frame `clip_start` plays take
    frame `source_offset` (round-trip latency and pre-roll already accounted for)."""

    take: Take
    clip_start: int
    source_offset: int
    length: int
    round_trip: int
    # times the programme did not reach the device in time during the pass (heard as a gap;
    # the take stays aligned, the feed skips what came late)
    playback_gaps: int = 0

    @property
    def dropout_timeline_frames(self) -> list[int]:
        """Where on the timeline each dropout of this pass happened."""
        return [self.clip_start - self.source_offset + d.take_frame for d in self.take.dropouts]


class Overdub:
    """Plays the programme and records the armed input through one duplex stream (one clock).

    GUI thread: `open`, `calibrate`, `record`, `finished`, `stop`, `close`. The stream stays
    open between takes, so the meters keep running and the measured round trip stays valid.
    """

    def __init__(
        self,
        choice: InputChoice,
        sources,
        output_device: str | int | None = None,
        block: int = 1024,
        latency: float = 0.1,
    ):
        self.rate = choice.rate
        self.feed = ProgrammeFeed(
            sources,
            self.rate,
            block,
            # the programme does not change during a take: a deep buffer costs nothing and
            # rides out a busy machine (64 ms was too little on a loaded 2-core PC)
            ahead=max(3 * block, self.rate // 4),
            prime=int(latency * self.rate) * 2 + 2 * block,
        )
        self.recorder = Recorder(
            choice, block, latency, feed=self.feed, output_device=output_device
        )
        self.round_trip: int | None = None
        self._plan: tuple[int, int, tuple[int, int] | None] | None = None
        self._gaps_before = 0

    def open(self) -> None:
        self.recorder.open()
        self._wait_flowing()

    def _wait_flowing(self, timeout: float = 6.0) -> None:
        """Wait until the device calls back at its real pace (a PulseAudio stream first
        takes a burst of buffers, then pauses for up to ~1.5 s)."""
        rec = self.recorder
        block_s = rec.block / self.rate
        deadline = time.monotonic() + timeout
        mark_t, mark_n = time.monotonic(), rec.callbacks
        while time.monotonic() < deadline:
            time.sleep(0.05)
            now, n = time.monotonic(), rec.callbacks
            if now - mark_t >= 0.3:
                expected = (now - mark_t) / block_s
                if n > 8 and 0.7 * expected <= n - mark_n <= 1.5 * expected:
                    return
                mark_t, mark_n = now, n
        if rec.error is not None:
            raise rec.error

    def calibrate(self, folder: Path) -> int:
        """Measure the round trip (frames) by playing a noise burst through the real device
        and finding it in the input. The output must reach the input (loopback)."""
        rng = np.random.default_rng(20_240_601)
        burst_len, lead = self.rate // 2, self.rate // 4
        burst = (rng.standard_normal((burst_len, 2)) * 0.2).clip(-0.9, 0.9).astype(np.float32)
        burst[:, 1] = burst[:, 0]
        from audio.timeline import Clip, Timeline, Track

        timeline = Timeline(
            rate=self.rate, tracks=(Track("calibration", (Clip("burst", lead, burst_len),)),)
        )
        sources, self.feed.sources = self.feed.sources, (lambda sid: burst)
        path = Path(folder) / f".calibration-{os.getpid()}-{time.monotonic_ns()}.wav"
        try:
            self.feed.timeline = timeline
            self.feed.start(0, lead + burst_len + self.rate, False, active=False)
            self.feed.wait_primed()
            self.recorder.start_take(path, {"calibration": True}, cue=True)
            deadline = time.monotonic() + 10
            while not self.feed.finished and time.monotonic() < deadline:
                time.sleep(0.02)
            take = self.recorder.stop_take()
        finally:
            self.feed.stop()
            self.feed.sources = sources
        try:
            import soundfile as sf

            heard = sf.read(path, dtype="float32", always_2d=True)[0][:, 0]
        finally:
            path.unlink(missing_ok=True)
            journal_path(path).unlink(missing_ok=True)
        ref = burst[:, 0]
        from scipy.signal import correlate

        if take is None or len(heard) < len(ref):
            raise _no_loopback()
        c = correlate(heard, ref, mode="valid", method="fft")
        at = int(np.argmax(np.abs(c)))
        seg = heard[at : at + len(ref)]
        norm = float(np.sqrt(np.dot(seg, seg) * np.dot(ref, ref)))
        if norm == 0 or abs(c[at]) / norm < 0.5:
            raise _no_loopback()
        self.round_trip = at - lead
        return self.round_trip

    def record(
        self,
        timeline,
        take_path: Path,
        play_from: int,
        end_frame: int | None = None,
        punch: tuple[int, int] | None = None,
        preroll: int = 0,
        meta: dict | None = None,
    ) -> StudioError | None:
        """Play `timeline` from `play_from - preroll` (or the punch-in minus pre-roll) and
        record a take. With `punch`, playback ends a little after the punch-out.
        Returns a low-disk warning or None."""
        start_at = punch[0] if punch else play_from
        start = max(start_at - preroll, 0)
        if punch and end_frame is None:
            end_frame = punch[1] + self.rate // 2
        self._plan = (start, start_at, punch)
        self._gaps_before = self.feed.underflows + self.recorder.output_underflows
        self.feed.timeline = timeline
        self.feed.start(start, end_frame, False, active=False)
        self.feed.wait_primed()
        return self.recorder.start_take(take_path, meta, cue=True)

    @property
    def finished(self) -> bool:
        """True once the programme reached its end (or the punch-out and post-roll)."""
        return self.feed.finished or self.recorder.error is not None

    def live(self) -> tuple[int, int, int, np.ndarray, np.ndarray] | None:
        """The take running now (GUI thread): (timeline frame where its clip starts, take
        frame at that point, take frames so far, mins, maxs) as `stop` would place it, or
        None before the first frame arrived. See `Recorder.live_peaks` for mins/maxs."""
        take = self.recorder.take
        if take is None or self._plan is None:
            return None
        start, start_at, _punch = self._plan
        offset = (self.round_trip or 0) + (start_at - start)
        mins, maxs = self.recorder.live_peaks()
        return start_at, offset, take.frames, mins, maxs

    def stop(self) -> OverdubResult | None:
        take = self.recorder.stop_take()
        self.feed.stop()
        if take is None or self._plan is None:
            return None
        start, start_at, punch = self._plan
        lag = self.round_trip or 0
        offset = lag + (start_at - start)
        length = take.frames - offset
        if punch:
            length = min(length, punch[1] - punch[0])
        gaps = self.feed.underflows + self.recorder.output_underflows - self._gaps_before
        return OverdubResult(take, start_at, offset, max(length, 0), lag, gaps)

    def close(self) -> None:
        self.feed.stop()
        self.recorder.close()


def _no_loopback() -> StudioError:
    return StudioError(
        "The test sound did not come back to the input. Connect the output to the input "
        "(or turn on the mixer's monitor) and try again.",
        "Không thu lại được âm thanh thử. Hãy nối đầu ra vào đầu vào (hoặc bật kênh "
        "giám sát trên bàn trộn) rồi thử lại.",
    )
