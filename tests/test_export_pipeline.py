"""BackgroundSink: blocks reach the sink in order on another thread; errors reach the caller."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from export.pipeline import BackgroundSink


def test_blocks_arrive_in_order_on_another_thread():
    seen, threads = [], set()

    def sink(block):
        seen.append(int(block[0]))
        threads.add(threading.get_ident())

    with BackgroundSink(sink, depth=2) as s:
        for i in range(50):
            s.feed(np.array([i]))
    assert seen == list(range(50))
    assert threads and threading.get_ident() not in threads


def test_the_sinks_error_reaches_the_producer():
    def sink(block):
        if block[0] == 3:
            raise ValueError("bad block")

    s = BackgroundSink(sink, depth=1)
    with pytest.raises(ValueError, match="bad block"):
        for i in range(100):
            s.feed(np.array([i]))
        s.close()
    with pytest.raises(ValueError):
        s.close()


def test_a_producer_error_stops_the_thread_and_is_kept():
    fed = []
    with pytest.raises(KeyError), BackgroundSink(fed.append) as s:
        s.feed(np.zeros(1))
        raise KeyError("producer")
    assert not s._thread.is_alive()
