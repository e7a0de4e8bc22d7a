"""Live master meter benchmark: what metering costs the player's render thread.

    python bench/master_meter.py [--seconds 120] [--tracks 8]

Renders a programme in the player's 1024-frame blocks through the one mixer, first alone (the
reference), then with `audio.metering.MasterMeter.tap` called on every block as
`ProgrammeFeed` does, the meter's thread measuring in the background. Prints both render
speeds (×RT), the ratio, how fast the meter thread keeps up (×RT, it must stay far above 1)
and how many blocks it dropped (0 expected). CPU time is printed beside wall time: the
machine is shared.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from audio.metering import MasterMeter  # noqa: E402
from audio.mixer import render  # noqa: E402
from audio.timeline import Clip, Timeline, Track  # noqa: E402

RATE = 48_000
BLOCK = 1024


def programme(seconds: float, tracks: int) -> tuple[Timeline, dict]:
    rng = np.random.default_rng(7)
    n = int(seconds * RATE)
    sources = {
        f"s{i}": (rng.standard_normal((n, 2)) * 0.05).astype(np.float32) for i in range(tracks)
    }
    tl = Timeline(
        rate=RATE, tracks=tuple(Track(f"t{i}", (Clip(f"s{i}", 0, n),)) for i in range(tracks))
    )
    return tl, sources


def run(tl: Timeline, sources: dict, tap=None) -> tuple[float, float]:
    buf = np.zeros((BLOCK, 2), np.float32)
    t0, c0 = time.perf_counter(), time.process_time()
    pos = 0
    while pos < tl.length:
        n = min(BLOCK, tl.length - pos)
        out = render(tl, sources.__getitem__, pos, n, out=buf)
        if tap is not None:
            tap(out[:n])
        pos += n
    return time.perf_counter() - t0, time.process_time() - c0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=120.0)
    ap.add_argument("--tracks", type=int, default=8)
    args = ap.parse_args()
    tl, sources = programme(args.seconds, args.tracks)
    run(tl, sources)  # warm-up
    ref_wall, ref_cpu = run(tl, sources)
    meter = MasterMeter(RATE, max_blocks=4096)  # a deep queue: measure the thread, not drops
    t0 = time.perf_counter()
    tap_wall, tap_cpu = run(tl, sources, meter.tap)
    meter.wait_idle(timeout=600)
    meter_wall = time.perf_counter() - t0
    reading = meter.reading()
    meter.close()
    print(f"programme: {args.seconds:g} s, {args.tracks} tracks, {BLOCK}-frame blocks")
    print(f"render alone (reference): {args.seconds / ref_wall:8.0f} ×RT  (cpu {ref_cpu:.2f} s)")
    print(f"render + tap            : {args.seconds / tap_wall:8.0f} ×RT  (cpu {tap_cpu:.2f} s)")
    print(f"render thread slowdown  : {tap_wall / ref_wall:8.2f} ×")
    print(f"meter thread kept up at : {args.seconds / meter_wall:8.0f} ×RT (to the last block)")
    print(f"dropped blocks          : {meter.dropped}")
    print(f"integrated reading      : {reading.integrated_lufs:.2f} LUFS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
