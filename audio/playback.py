"""Playback of a timeline through a real output device.

A worker thread renders the timeline with the one mixer (`audio.mixer.render`) into a ring
buffer a little ahead of the device; the PortAudio callback only copies out of that ring
(`ProgrammeFeed.pull`, called on the audio thread). Handing the player a new timeline is one
reference assignment: the worker picks it up for the next block, so an edit is heard after at
most the ring's look-ahead plus the device latency (about 0.2 s).

`ProgrammeFeed` is shared with the recorder, whose duplex stream plays the programme and
records armed tracks on one clock.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import numpy as np
import sounddevice as sd

from audio.devices import find_device, stream_error
from audio.errors import StudioError
from audio.mixer import SourceFrames, channel_peaks, render
from audio.ringbuffer import RingBuffer, fill_silence
from audio.timeline import Timeline

_SEGMENTS = 512  # remembered rendered blocks (ring index → timeline frame, peaks)
_HISTORY = 256  # remembered device callbacks (for the playhead)
_POLL_S = 0.004  # worker sleep while the ring is full enough
METERED_TRACKS = 64  # tracks with a live peak meter (later ones play, unmetered)


class ProgrammeFeed:
    """Renders a timeline into a ring buffer ahead of the device.

    Producer: the worker thread (render). Consumer: `pull` on the audio thread. Every rendered
    block is remembered as a segment (ring index where it starts, timeline frame, peak per
    channel of the master and of each track) so the GUI thread can turn "ring frame heard
    now" into a timeline frame and meter readings without the audio thread doing any of that
    work. The segment arrays are preallocated; the worker writes a segment's values before it
    bumps the count, and the GUI thread only reads them (no lock: a reading torn by a block
    being written is one meter frame off, never a crash).
    """

    def __init__(self, sources: SourceFrames, rate: int, block: int, ahead: int, prime: int = 0):
        self.sources = sources
        self.rate = rate
        self.block = block
        self.ahead = max(ahead, block)
        # A device asks for its whole buffer at once when it starts: render that much before
        # the first callback, then keep only `ahead` frames in hand.
        self.prime = max(prime, self.ahead)
        self.ring = RingBuffer(self.prime + 2 * block, 2)
        self.timeline: Timeline = Timeline(rate=rate)
        self._buf = np.zeros((block, 2), np.float32)
        self._seg_ring = np.zeros(_SEGMENTS, np.int64)
        self._seg_frame = np.zeros(_SEGMENTS, np.int64)
        self._seg_peak = np.zeros((_SEGMENTS, 2), np.float32)
        self._seg_tracks = np.zeros((_SEGMENTS, METERED_TRACKS, 2), np.float32)
        self._track_buf = np.zeros((METERED_TRACKS, 2), np.float32)
        self._scratch = np.zeros((block, 2), np.float32)
        self._seg_count = 0
        self._thread: threading.Thread | None = None
        self._stop = False
        self.end_index: int | None = None  # ring index where the programme ends (no loop)
        self.finished = False  # set on the audio thread once end_index was pulled
        self.underflows = 0
        # Frames the device played as silence while the ring was empty: skipped when they
        # arrive, so ring frame k still leaves in stream frame k (an overdub stays aligned).
        self._owed = 0
        self.error: BaseException | None = None
        self.active = False  # False: `pull` plays silence (a duplex stream before playback)
        # Called on the render thread (never the audio thread) with each rendered block, e.g.
        # `audio.metering.MasterMeter.tap`; it must copy what it keeps and must not block.
        self.tap: Callable[[np.ndarray], None] | None = None

    # -- worker -------------------------------------------------------------------------------
    def start(
        self, start_frame: int, end_frame: int | None, loop: bool, active: bool = True
    ) -> None:
        """Render from `start_frame`; with active=False `pull` stays silent until a duplex
        stream's callback sets `active` (a cue on an exact buffer boundary)."""
        self.stop()
        self.ring = RingBuffer(self.ring.capacity, 2)
        self._seg_count = 0
        self.end_index = None
        self.finished = False
        self.error = None
        self._owed = 0
        self._stop = False
        self.active = active
        self._thread = threading.Thread(
            target=self._run,
            args=(start_frame, end_frame, loop),
            name="playback-render",
            daemon=True,
        )
        self._thread.start()

    def wait_primed(self, timeout: float = 1.0) -> None:
        """Block until the ring holds `prime` frames or the programme ended."""
        deadline = time.monotonic() + timeout
        while (
            self.ring.readable() < self.prime
            and self.end_index is None
            and self.error is None
            and time.monotonic() < deadline
        ):
            time.sleep(0.002)

    def stop(self) -> None:
        self._stop = True
        self.active = False
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _run(self, start: int, end_frame: int | None, loop: bool) -> None:
        try:
            self._render_loop(start, end_frame, loop)
        except BaseException as exc:  # shown by the player; never kills the process silently
            self.error = exc
            self.end_index = self.ring.written

    def _render_loop(self, start: int, end_frame: int | None, loop: bool) -> None:
        pos = start
        ring = self.ring
        while not self._stop:
            target = self.prime if ring.read == 0 else self.ahead
            if ring.readable() >= target or ring.writable() < self.block:
                time.sleep(_POLL_S)
                continue
            timeline = self.timeline  # one reference read: this block uses one snapshot
            end = timeline.length if end_frame is None else end_frame
            if pos >= end:
                if loop and end > start:
                    pos = start
                    continue
                self.end_index = ring.written
                return
            n = min(self.block, end - pos)
            out = render(
                timeline,
                self.sources,
                pos,
                n,
                out=self._buf,
                track_peaks=self._track_buf,
                scratch=self._scratch,
            )
            k = self._seg_count % _SEGMENTS
            self._seg_ring[k] = ring.written
            self._seg_frame[k] = pos
            channel_peaks(out[:n], self._seg_peak[k], work=self._scratch)
            self._seg_tracks[k] = self._track_buf
            self._seg_count += 1
            ring.write(out[:n])
            tap = self.tap
            if tap is not None:
                tap(out[:n])
            pos += n

    # -- audio thread -------------------------------------------------------------------------
    def pull(self, out: np.ndarray) -> None:
        """Fill `out` (frames, 2) from the ring; silence after the end. Called on the audio thread."""
        frames = len(out)
        if not self.active:
            fill_silence(out)
            return
        if self._owed:
            self._owed -= self.ring.skip(self._owed)
        n = self.ring.read_into(out)
        if n < frames:
            fill_silence(out, n)
            end = self.end_index
            if end is not None and self.ring.read >= end:
                self.finished = True
            else:
                self.underflows += 1
                self._owed += frames - n

    # -- GUI thread ---------------------------------------------------------------------------
    def timeline_frame_at(self, ring_index: int) -> int | None:
        """The timeline frame that sits at `ring_index`, or None when it is not known."""
        count = self._seg_count
        for i in range(count - 1, max(count - _SEGMENTS, 0) - 1, -1):
            k = i % _SEGMENTS
            seg_start = int(self._seg_ring[k])
            if seg_start <= ring_index:
                return int(self._seg_frame[k]) + (ring_index - seg_start)
        return None

    def _segments_between(self, first: int, last: int) -> list[int]:
        """Slots of the remembered blocks that overlap ring frames [first, last)."""
        count = self._seg_count
        slots = []
        for i in range(count - 1, max(count - _SEGMENTS, 0) - 1, -1):
            k = i % _SEGMENTS
            seg_start = int(self._seg_ring[k])
            if seg_start < first - self.block:
                break
            if seg_start < last:
                slots.append(k)
        return slots

    def peak_between(self, first: int, last: int) -> tuple[float, float]:
        """Peak per channel of blocks starting in ring frames [first, last)."""
        slots = self._segments_between(first, last)
        if not slots:
            return 0.0, 0.0
        peak = self._seg_peak[slots].max(axis=0)
        return float(peak[0]), float(peak[1])

    def track_peaks_between(self, first: int, last: int, tracks: int) -> np.ndarray:
        """(tracks, 2) peak per channel of the first `tracks` tracks over the blocks starting
        in ring frames [first, last); tracks past `METERED_TRACKS` read 0."""
        result = np.zeros((tracks, 2), np.float32)
        slots = self._segments_between(first, last)
        n = min(tracks, METERED_TRACKS)
        if slots and n:
            result[:n] = self._seg_tracks[slots, :n].max(axis=0)
        return result


class Player:
    """Plays a timeline on an output device; every method is for the GUI thread."""

    def __init__(
        self,
        sources: SourceFrames,
        rate: int = 48_000,
        device: str | int | None = None,
        block: int = 1024,
        latency: float = 0.1,
    ):
        self.rate = rate
        self.block = block
        self.latency = latency
        self.device = find_device(device, "output")  # raises a bilingual StudioError
        # Render ahead of the device by about three blocks (~64 ms at 48 kHz): enough to ride
        # out a busy GUI thread, short enough that an edit is heard within ~0.2 s.
        self._feed = ProgrammeFeed(
            sources,
            rate,
            block,
            ahead=max(3 * block, rate // 20),
            prime=int(latency * rate) * 2 + 2 * block,
        )
        self._stream: sd.OutputStream | None = None
        self._start_frame = 0
        self._last_position = 0
        self._levels_from = 0
        self._tracks_from = 0
        # Written on the audio thread, one entry per callback: the stream frame where the
        # buffer starts, the ring index of its first frame and how many ring frames it held
        # (less than the buffer after an underflow or the end). Lets the GUI thread map
        # "stream frame at the speaker now" to a ring index, hence a timeline frame.
        self._hist = np.zeros((_HISTORY, 3), np.int64)
        self._hist_count = 0
        self._stream_frames = 0
        self._cb_dac = 0.0
        self._cb_stream = 0
        self._stream_underflows = 0

    @property
    def underflows(self) -> int:
        return self._feed.underflows + self._stream_underflows

    def set_tap(self, tap: Callable[[np.ndarray], None] | None) -> None:
        """Hand every rendered master block to `tap` on the render thread (for meters)."""
        self._feed.tap = tap

    def set_timeline(self, timeline: Timeline) -> None:
        """Play `timeline` from the next rendered block on (a single reference assignment)."""
        self._feed.timeline = timeline

    @property
    def timeline(self) -> Timeline:
        return self._feed.timeline

    def play(self, start_frame: int = 0, end_frame: int | None = None, loop: bool = False) -> None:
        """Start playing timeline frames [start_frame, end_frame) (end: the timeline's end)."""
        self.stop()
        self._start_frame = self._last_position = start_frame
        self._hist_count = self._stream_frames = self._cb_stream = 0
        self._cb_dac = 0.0
        self._levels_from = self._tracks_from = 0
        self._feed.start(start_frame, end_frame, loop)
        self._feed.wait_primed()
        try:
            stream = sd.OutputStream(
                samplerate=self.rate,
                channels=2,
                dtype="float32",
                blocksize=0,  # the host's period; `block` is only the render size
                latency=self.latency,
                device=self.device.index,
                callback=self._callback,
            )
            stream.start()
        except (sd.PortAudioError, ValueError) as exc:
            self._feed.stop()
            raise stream_error(exc, self.device.name, "output") from exc
        self._stream = stream

    def stop(self) -> None:
        """Stop at once (the position stays where it was heard)."""
        if self._stream is not None:
            self._last_position = self.position()
            stream, self._stream = self._stream, None
            try:
                stream.abort()
                stream.close()
            except sd.PortAudioError:
                pass  # the device vanished: nothing left to stop
        self._feed.stop()

    def _callback(self, outdata, frames, time_info, status) -> None:
        """Called on the audio thread: copy out of the ring, note timing. No allocation."""
        if status.output_underflow:
            self._stream_underflows += 1
        ring = self._feed.ring
        before = ring.read
        self._feed.pull(outdata)
        k = self._hist_count % _HISTORY
        self._hist[k, 0] = self._stream_frames
        self._hist[k, 1] = before
        self._hist[k, 2] = ring.read - before
        self._cb_stream = self._stream_frames
        self._cb_dac = time_info.outputBufferDacTime
        self._stream_frames += frames
        self._hist_count += 1  # publish the entry last

    def _heard_ring_index(self) -> int:
        """Ring index of the frame at the speaker now (GUI thread)."""
        stream = self._stream
        count = self._hist_count
        if stream is None or count == 0:
            return 0
        base, dac = self._cb_stream, self._cb_dac
        try:
            now = stream.time
        except sd.PortAudioError:
            now = 0.0
        if dac and now:
            heard = base + int((now - dac) * self.rate)
        else:  # the host API gives no timing: assume the reported latency
            heard = base - int(stream.latency * self.rate)
        heard = min(heard, self._stream_frames)
        for i in range(count - 1, max(count - _HISTORY, 0) - 1, -1):
            k = i % _HISTORY
            start, ring_start, got = (int(v) for v in self._hist[k])
            if start <= heard:
                return ring_start + min(heard - start, got)
        return int(self._hist[max(count - _HISTORY, 0) % _HISTORY, 1])

    def position(self) -> int:
        """The timeline frame being heard now (output latency compensated)."""
        if self._stream is None:
            return self._last_position
        index = self._heard_ring_index()
        end = self._feed.end_index
        if end is not None:
            index = min(index, end)
        frame = self._feed.timeline_frame_at(index)
        if frame is None:
            return self._last_position
        self._last_position = frame
        return frame

    @property
    def playing(self) -> bool:
        """True while playing; False once stopped or past end_frame / the timeline end."""
        if self._stream is None:
            return False
        if self._feed.error is not None:
            return False
        if not self._stream.active:
            return False
        if not self._feed.finished:
            return True
        # Handed over to the device: still playing until the last frame reached the speaker.
        return self._heard_ring_index() < (self._feed.end_index or 0)

    @property
    def error(self) -> StudioError | None:
        """Why playback stopped by itself (a render failure), if it did."""
        exc = self._feed.error
        if exc is None:
            return None
        if isinstance(exc, StudioError):
            return exc
        return StudioError(f"Playback stopped: {exc}.", f"Phát âm thanh bị dừng: {exc}.")

    def levels(self) -> tuple[float, ...]:
        """Peak per output channel heard since the last call (linear, for meters)."""
        if self._stream is None:
            return (0.0, 0.0)
        now = self._heard_ring_index()
        peaks = self._feed.peak_between(self._levels_from, max(now, self._levels_from + 1))
        self._levels_from = now
        return peaks

    def track_levels(self) -> np.ndarray:
        """(tracks, 2): each track's peak per channel heard since the last call (linear,
        after the track's gain and pan), rows as in the timeline being played; zeros when
        stopped, for a muted or silent track, and past `METERED_TRACKS`. GUI thread."""
        tracks = len(self._feed.timeline.tracks)
        if self._stream is None:
            return np.zeros((tracks, 2), np.float32)
        now = self._heard_ring_index()
        peaks = self._feed.track_peaks_between(
            self._tracks_from, max(now, self._tracks_from + 1), tracks
        )
        self._tracks_from = now
        return peaks

    def close(self) -> None:
        self.stop()

    def __enter__(self) -> Player:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
