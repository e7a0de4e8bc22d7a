"""The meter use case: the master's live loudness while the programme plays, with no screen.

`LiveMeters` is fed by the player's render thread (`tap`, attached by `Transport`), measures
on its own thread (`audio.metering.MasterMeter`: a bounded queue, full = dropped and counted)
and is read on the window's GUI timer with `reading(peaks)`; nothing waits on the meter
thread and nothing is signalled per audio block.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from audio.metering import MasterMeter


@dataclass(frozen=True, slots=True)
class MasterLevels:
    peak_db: float | None  # the heard peak (dBFS), None for silence
    momentary_lufs: float | None
    short_term_lufs: float | None
    integrated_lufs: float | None


def peak_db(peaks) -> float | None:
    """The loudest of per-channel linear peaks in dBFS, None for silence or no reading."""
    if not peaks:
        return None
    top = max(float(p) for p in peaks)
    return 20 * math.log10(top) if top > 0 else None


class LiveMeters:
    """Momentary / short-term / integrated loudness of the master while it plays."""

    def __init__(self, rate: int, channels: int = 2):
        self._meter = MasterMeter(rate, channels)
        # called on the player's render thread with each rendered master block (no wrapper:
        # one Python call less per block on that thread)
        self.tap = self._meter.tap

    def reset(self) -> None:
        self._meter.reset()

    def reading(self, peaks=None) -> MasterLevels:
        """The latest values (GUI thread; never waits); `peaks` from `Transport.levels()`."""
        r = self._meter.reading()
        return MasterLevels(peak_db(peaks), r.momentary_lufs, r.short_term_lufs, r.integrated_lufs)

    def wait_idle(self, timeout: float = 2.0) -> None:
        self._meter.wait_idle(timeout)

    @property
    def running(self) -> bool:
        return self._meter.running

    def close(self) -> None:
        self._meter.close()
