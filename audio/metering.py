"""Live loudness of what the player renders, measured on a thread of its own.

The player's render thread hands each master block to `MasterMeter.tap`, which copies it into
a bounded queue (a full queue drops the block and counts it: the meter lags, playback never
waits). A worker thread feeds a `LoudnessMeter`; the GUI timer reads `reading()`. Nothing here
runs on the audio thread.
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass

import numpy as np

from audio.loudness import LoudnessMeter

_RESET = object()
_STOP = object()


@dataclass(frozen=True, slots=True)
class MeterReading:
    momentary_lufs: float | None
    short_term_lufs: float | None
    integrated_lufs: float | None
    frames: int  # frames measured since the last reset


class MasterMeter:
    """Momentary / short-term / integrated loudness of the rendered master (stereo)."""

    def __init__(self, rate: int, channels: int = 2, max_blocks: int = 64):
        self.rate = rate
        self.channels = channels
        self.dropped = 0  # blocks the worker could not keep up with
        self._queue: queue.Queue = queue.Queue(max_blocks)
        self._meter = LoudnessMeter(rate, channels, true_peak=False)
        self._reading = MeterReading(None, None, None, 0)
        self._thread = threading.Thread(target=self._run, name="master-meter", daemon=True)
        self._thread.start()

    def tap(self, block: np.ndarray) -> None:
        """Render thread: keep a copy of `block` (frames, channels); never blocks."""
        try:
            self._queue.put_nowait(np.array(block, np.float32, copy=True))
        except queue.Full:
            self.dropped += 1

    def reset(self) -> None:
        """Start a new measurement (a new play from the playhead)."""
        self._put(_RESET)

    def reading(self) -> MeterReading:
        return self._reading  # one reference, replaced whole by the worker

    def wait_idle(self, timeout: float = 2.0) -> None:
        """Wait until every queued block was measured (tests, and before a final reading)."""
        done = threading.Event()
        self._put(done)
        done.wait(timeout)

    def close(self, timeout: float = 2.0) -> None:
        self._put(_STOP)
        self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def _put(self, item) -> None:
        while True:
            try:
                self._queue.put(item, timeout=0.5)
                return
            except queue.Full:
                if not self._thread.is_alive():
                    return

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                return
            if item is _RESET:
                self._meter = LoudnessMeter(self.rate, self.channels, true_peak=False)
                self._reading = MeterReading(None, None, None, 0)
                continue
            if isinstance(item, threading.Event):
                self._update()
                item.set()
                continue
            self._meter.feed(item)
            if self._queue.empty():  # catching up: the reading waits until the queue runs dry
                self._update()

    def _update(self) -> None:
        m = self._meter
        self._reading = MeterReading(
            m.momentary_lufs(), m.short_term_lufs(), m.integrated_lufs(), m.frames
        )
