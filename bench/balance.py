"""Benchmark: what the balance (auto-level by role + auto-duck + bed fades) costs an export of
a long programme, against the same export with both off, in one run.

    python bench/balance.py --minutes 30 --tracks 8

The programme is the one of bench/render_export.py (speech-like voice tracks, music-like bed
tracks, each source repeated to the end). "On": analyse every source (BS.1770 energy per
100 ms, what the media store caches after the first time), balance, then export to MP3
(loudspeaker preset: 64 kbps mono, −16 LUFS); "off": the same export of the timeline as it
is. Also printed: the balance alone with the analyses cached (what every edit in the window
costs), and how many clips were levelled and ducked. Ratios < 1 mean the balance costs time.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from audio.loudness import LoudnessMeter  # noqa: E402
from bench.render_export import build  # noqa: E402
from export.master import export_master  # noqa: E402
from export.presets import preset  # noqa: E402
from studio.autolevel import SourceLoudness  # noqa: E402
from studio.balance import balance  # noqa: E402

RATE = 48_000


def analyse(sources: dict) -> dict[str, SourceLoudness]:
    out = {}
    for sid, data in sources.items():
        meter = LoudnessMeter(RATE, data.shape[1])
        meter.feed(data)
        out[sid] = SourceLoudness(sid, RATE, meter.hop_energies, meter.true_peak_dbtp())
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--minutes", type=float, default=30.0)
    ap.add_argument("--tracks", type=int, default=8)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        timeline, sources, _plan, _total = build(folder, args.minutes, args.tracks)
        frames = sources.__getitem__
        p = preset("loudspeaker")

        t0 = time.perf_counter()
        off = export_master(timeline, frames, folder / "off.mp3", p)
        t_off = time.perf_counter() - t0

        t0 = time.perf_counter()
        analyses = analyse(sources)
        t_analyse = time.perf_counter() - t0
        t1 = time.perf_counter()
        result = balance(timeline, analyses.get)
        t_balance = time.perf_counter() - t1
        on = export_master(result.timeline, frames, folder / "on.mp3", p)
        t_on = time.perf_counter() - t0

    clips = sum(len(t.clips) for t in timeline.tracks)
    print(f"programme: {args.minutes:g} min, {args.tracks} tracks, {clips} clips")
    print(
        f"export, balance off:            {t_off:7.2f} s  (I {off.output.integrated_lufs:.2f} LUFS, "
        f"{off.encodes} encode(s))"
    )
    print(
        f"export, balance on:             {t_on:7.2f} s  (I {on.output.integrated_lufs:.2f} LUFS, "
        f"{on.encodes} encode(s); "
        f"{sum(1 for d in result.levels if d.level_db)} clips levelled, "
        f"{result.ducked_clips} ducked, {result.faded_clips} faded)"
    )
    print(f"  of which source analysis:    {t_analyse:7.2f} s  (once per source, then cached)")
    print(
        f"  of which the balance itself: {t_balance:7.3f} s  (what each edit in the window costs)"
    )
    print(f"ratio off/on: {t_off / t_on:.2f}  (1.00 = the balance is free)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
