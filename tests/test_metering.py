"""audio.metering.MasterMeter: the live master loudness measured off the render thread."""

from __future__ import annotations

import numpy as np

from audio.loudness import LoudnessMeter
from audio.metering import MasterMeter

RATE = 48_000


def sine(seconds: float, amp: float = 0.1) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    x = (amp * np.sin(2 * np.pi * 997 * t)).astype(np.float32)
    return np.stack([x, x], axis=1)


def test_reads_what_a_loudness_meter_reads_block_by_block():
    audio = sine(4.0)
    meter = MasterMeter(RATE, max_blocks=1024)
    for i in range(0, len(audio), 1024):
        block = audio[i : i + 1024]
        meter.tap(block)
        block[:] = 0  # the render buffer is reused at once: the tap must have copied it
    meter.wait_idle()
    ref = LoudnessMeter(RATE, 2, true_peak=False)
    ref.feed(sine(4.0))
    r = meter.reading()
    assert meter.dropped == 0 and r.frames == len(audio)
    assert abs(r.integrated_lufs - ref.integrated_lufs()) < 1e-6
    assert abs(r.short_term_lufs - ref.short_term_lufs()) < 1e-6
    assert abs(r.momentary_lufs - ref.momentary_lufs()) < 1e-6
    meter.reset()
    meter.wait_idle()
    assert meter.reading().integrated_lufs is None and meter.reading().frames == 0
    meter.close()
    assert not meter.running


def test_a_full_queue_drops_and_counts_instead_of_blocking():
    meter = MasterMeter(RATE, max_blocks=2)
    meter.close()  # nobody reads any more: the queue fills up
    block = sine(0.1)
    for _ in range(10):
        meter.tap(block)  # must return at once
    assert meter.dropped >= 8
