"""A sink that runs on a thread of its own, so that producing blocks and consuming them
(rendering and metering, encoding and checking the decoded file) use two cores.

numpy, scipy's filters, BLAS, LAME and libsndfile release the GIL in their loops, so a meter
fed on its own thread overlaps with the mixer that renders the next block.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from queue import Queue

import numpy as np


class BackgroundSink:
    """Calls `sink(block)` for every fed block, in order, on one thread of its own.

    `feed` waits when `depth` blocks are already queued (memory stays bounded); `close()`
    waits for the last one and raises what the sink raised, if anything (then `feed` raises it
    too, at once). Use as a context manager to close on the way out.
    """

    def __init__(self, sink: Callable[[np.ndarray], None], depth: int = 4, name: str = "sink"):
        self._sink = sink
        self._queue: Queue[np.ndarray | None] = Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._closed = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (block := self._queue.get()) is not None:
            if self._error is None:
                try:
                    self._sink(block)
                except BaseException as exc:  # handed to the producer
                    self._error = exc

    def feed(self, block: np.ndarray) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put(block)

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._queue.put(None)
            self._thread.join()
        if self._error is not None:
            raise self._error

    def __enter__(self) -> BackgroundSink:
        return self

    def __exit__(self, kind, exc, tb) -> None:
        if exc is None:
            self.close()
        else:  # the producer failed: stop the thread, keep the producer's error
            self._closed = True
            self._queue.put(None)
            self._thread.join()
