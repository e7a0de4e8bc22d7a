"""The SPSC ring buffer: awkward block sizes, wrap-around, overflow, two real threads."""

import threading

import numpy as np
import pytest

from audio.ringbuffer import RingBuffer, fill_silence


@pytest.mark.parametrize(
    "write_block,read_block", [(1, 64), (64, 65), (65, 1), (128, 8193), (8193, 127)]
)
@pytest.mark.parametrize("channels", [1, 2])
def test_stream_through_small_ring_is_exact(write_block, read_block, channels):
    total = 20_000
    data = np.random.default_rng(0).standard_normal((total, channels)).astype(np.float32)
    ring = RingBuffer(1000, channels)
    out = np.zeros((read_block, channels), np.float32)
    got, w, r = [], 0, 0
    while r < total:
        if w < total:
            w += ring.write(data[w : w + write_block])
        n = ring.read_into(out)
        got.append(out[:n].copy())
        r += n
    assert np.array_equal(np.concatenate(got), data)
    assert ring.written == ring.read == total


def test_full_ring_drops_and_reports_short_write():
    ring = RingBuffer(10, 1)
    assert ring.write(np.ones((7, 1), np.float32)) == 7
    assert ring.write(np.full((7, 1), 2, np.float32)) == 3
    assert ring.writable() == 0 and ring.readable() == 10
    out = np.zeros((20, 1), np.float32)
    assert ring.read_into(out) == 10
    assert out[:10, 0].tolist() == [1] * 7 + [2] * 3
    assert ring.read_into(out) == 0


def test_silence_and_skip():
    ring = RingBuffer(8, 2)
    ring.write(np.ones((5, 2), np.float32))
    assert ring.skip(3) == 3
    assert ring.write_silence(10) == 6
    out = np.ones((8, 2), np.float32)
    assert ring.read_into(out) == 8
    assert out[:2].tolist() == [[1, 1], [1, 1]] and not out[2:].any()


def test_rejects_empty_ring():
    with pytest.raises(ValueError):
        RingBuffer(0, 1)


def test_two_threads_move_every_frame_in_order():
    total = 400_000
    ramp = np.arange(total, dtype=np.float64).reshape(-1, 1)
    ring = RingBuffer(4096, 1, dtype=np.float64)
    received = np.zeros((total, 1))

    def producer():
        w = 0
        while w < total:
            w += ring.write(ramp[w : w + 333])

    def consumer():
        r = 0
        buf = np.zeros((517, 1))
        while r < total:
            n = ring.read_into(buf)
            received[r : r + n] = buf[:n]
            r += n

    threads = [threading.Thread(target=producer), threading.Thread(target=consumer)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert np.array_equal(received, ramp)


@pytest.mark.parametrize("start", [0, 1, 700, 1024])
def test_fill_silence_zeroes_the_tail_only(start):
    out = np.ones((1024, 2), np.float32)
    fill_silence(out, start)
    assert out[:start].all() and not out[start:].any()
    big = np.ones((70_000, 2), np.float32)  # larger than the preallocated silence
    fill_silence(big, 5)
    assert big[:5].all() and not big[5:].any()
