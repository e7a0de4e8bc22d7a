"""A single-producer / single-consumer ring buffer of audio frames, without locks.

One thread writes, one other thread reads. The storage is preallocated once; `write` and
`read_into` only copy slices and bump a monotonic counter, so they are safe to call on the
audio thread (no allocation of sample memory, no lock, no I/O).

Copies go through `memoryview` byte slices, not numpy assignment: numpy releases the GIL
around copies of more than a few hundred elements, and getting it back can cost the audio
thread a whole interpreter switch interval (5 ms) while a busy thread holds it. A memoryview
copy is a plain memcpy that keeps the GIL.

Why no lock is needed: the producer changes only `written`, the consumer only `read`, and each
bumps its counter *after* copying the frames (a Python attribute store of an int is atomic
under the GIL, and the copy is complete before the store). The counters never wrap (Python
ints), so `written - read` is always the number of frames waiting.
"""

from __future__ import annotations

import numpy as np


class RingBuffer:
    """`capacity` frames of `channels` channels (float32 by default)."""

    def __init__(self, capacity: int, channels: int, dtype=np.float32):
        if capacity <= 0 or channels <= 0:
            raise ValueError("capacity and channels must be positive")
        self.capacity = int(capacity)
        self.channels = int(channels)
        self._data = np.zeros((self.capacity, self.channels), dtype=dtype)
        self._bytes = memoryview(self._data).cast("B")
        self._frame_bytes = self._data.itemsize * self.channels
        self.written = 0  # frames ever written (only the producer changes it)
        self.read = 0  # frames ever read (only the consumer changes it)

    # -- either side -------------------------------------------------------------------------
    def readable(self) -> int:
        """Frames waiting to be read."""
        return self.written - self.read

    def writable(self) -> int:
        """Free space in frames."""
        return self.capacity - (self.written - self.read)

    # -- producer ----------------------------------------------------------------------------
    def write(self, frames: np.ndarray) -> int:
        """Copy as many of `frames` (n, channels) as fit; return how many were written.

        Safe on the audio thread. A short count means the consumer fell behind (an overflow
        for the caller to count); the frames that did not fit are dropped, never blocking.
        """
        n = min(len(frames), self.capacity - (self.written - self.read))
        if n <= 0:
            return 0
        start = self.written % self.capacity
        first = min(n, self.capacity - start)
        if frames.dtype == self._data.dtype and frames.flags.c_contiguous and frames.ndim == 2:
            fb = self._frame_bytes
            src = memoryview(frames).cast("B")
            self._bytes[start * fb : (start + first) * fb] = src[: first * fb]
            if first < n:
                self._bytes[: (n - first) * fb] = src[first * fb : n * fb]
        else:  # not the device's own buffer: numpy converts
            self._data[start : start + first] = frames[:first]
            if first < n:
                self._data[: n - first] = frames[first:n]
        self.written += n  # publish after the copy
        return n

    def write_silence(self, n: int) -> int:
        """Write up to `n` frames of silence; return how many fitted."""
        n = min(n, self.capacity - (self.written - self.read))
        if n <= 0:
            return 0
        start = self.written % self.capacity
        first = min(n, self.capacity - start)
        self._data[start : start + first] = 0
        if first < n:
            self._data[: n - first] = 0
        self.written += n
        return n

    # -- consumer ----------------------------------------------------------------------------
    def read_into(self, out: np.ndarray, frames: int | None = None) -> int:
        """Copy up to `frames` (default len(out)) waiting frames into `out`; return the count.

        Safe on the audio thread. `out` keeps whatever it held beyond the returned count.
        """
        want = len(out) if frames is None else min(frames, len(out))
        n = min(want, self.written - self.read)
        if n <= 0:
            return 0
        start = self.read % self.capacity
        first = min(n, self.capacity - start)
        if out.dtype == self._data.dtype and out.flags.c_contiguous and out.ndim == 2:
            fb = self._frame_bytes
            dst = memoryview(out).cast("B")
            dst[: first * fb] = self._bytes[start * fb : (start + first) * fb]
            if first < n:
                dst[first * fb : n * fb] = self._bytes[: (n - first) * fb]
        else:
            out[:first] = self._data[start : start + first]
            if first < n:
                out[first:n] = self._data[: n - first]
        self.read += n  # release the space after the copy
        return n

    def skip(self, n: int) -> int:
        """Drop up to `n` waiting frames (consumer side); return how many were dropped."""
        n = min(n, self.written - self.read)
        if n > 0:
            self.read += n
        return max(n, 0)


_SILENCE = np.zeros(32_768 * 2, np.float32)
_SILENCE_BYTES = memoryview(_SILENCE).cast("B")


def fill_silence(out: np.ndarray, start: int = 0) -> None:
    """Zero `out[start:]` (an output buffer) without letting go of the GIL when it can.

    Safe on the audio thread.
    """
    if out.dtype == np.float32 and out.flags.c_contiguous:
        dst = memoryview(out).cast("B")
        first = start * out.itemsize * (out.shape[1] if out.ndim == 2 else 1)
        n = len(dst) - first
        if 0 <= n <= len(_SILENCE_BYTES):
            dst[first:] = _SILENCE_BYTES[:n]
            return
    out[start:] = 0
