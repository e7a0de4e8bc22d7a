"""Benchmark: full loudness analysis (integrated, LRA, true peak) of a long programme.

    /work/main/.venv/bin/python bench/loudness.py [--minutes 60] [--runs 3] [--keep]

Generates a 48 kHz stereo float32 WAV of speech (espeak-ng, or a synthetic voice when it is
missing) with pauses, uneven levels, a noise floor and stretches of music bed, then times, on
the same file and in the same run:

  * ours:        studio's LoudnessMeter over the decoded file (I, LRA, TP, sample peak)
  * ffmpeg:      `ffmpeg -filter_complex ebur128=peak=true -f null -` (I, LRA, TP)
  * pyloudnorm:  `Meter(rate, filter_class="DeMan").integrated_loudness` (I only), on the
                 file already in memory (its load time is printed apart)

and prints medians, × real time, the ratios, and how far the figures agree.
"""

from __future__ import annotations

import argparse
import io
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from audio.loudness import LoudnessMeter  # noqa: E402

RATE = 48_000
SENTENCES = [
    "Xin chào bà con, đây là bản tin của đài truyền thanh xã.",
    "Hôm nay trời có mưa lớn, bà con chú ý phòng chống lụt bão.",
    "Ủy ban nhân dân xã thông báo lịch tiêm chủng cho trẻ em.",
    "Đề nghị các hộ gia đình thu gom rác đúng nơi quy định.",
    "Chương trình khuyến nông sẽ tổ chức tập huấn vào sáng thứ bảy.",
]


def _voice_material(rng: np.random.Generator) -> list[np.ndarray]:
    """A few spoken sentences at 48 kHz mono (espeak-ng), or a buzzy synthetic voice."""
    out = []
    if shutil.which("espeak-ng"):
        for i, text in enumerate(SENTENCES):
            wav = subprocess.run(
                ["espeak-ng", "-v", "vi", "-s", str(140 + 10 * i), "--stdout", text],
                capture_output=True,
                check=True,
            ).stdout
            x, sr = sf.read(io.BytesIO(wav), dtype="float32")
            out.append(soxr.resample(x, sr, RATE).astype(np.float32))
        return out
    for _ in range(5):  # no espeak-ng: glottal-pulse-like buzz with syllable envelopes
        n = int(rng.uniform(2.5, 4.5) * RATE)
        t = np.arange(n) / RATE
        f0 = 120 + 20 * np.sin(2 * np.pi * 0.7 * t)
        buzz = np.sign(np.sin(2 * np.pi * np.cumsum(f0) / RATE)) * 0.2
        syll = np.clip(np.sin(2 * np.pi * 4 * t), 0, None) ** 2
        out.append((buzz * syll).astype(np.float32))
    return out


def make_programme(path: Path, minutes: float, seed: int = 0) -> None:
    """Write the test programme block by block (bounded memory)."""
    rng = np.random.default_rng(seed)
    voices = _voice_material(rng)
    total = int(minutes * 60 * RATE)
    written = 0
    with sf.SoundFile(str(path), "w", RATE, 2, subtype="FLOAT", format="WAV") as f:
        while written < total:
            parts = []
            for _ in range(8):  # a paragraph: sentences at their own level with pauses
                v = voices[rng.integers(len(voices))] * np.float32(10 ** (rng.uniform(-8, 0) / 20))
                pan = rng.uniform(0.4, 0.6)
                parts.append(np.stack([v * (1 - pan) * 2, v * pan * 2], axis=1))
                parts.append(np.zeros((int(rng.uniform(0.2, 1.5) * RATE), 2), np.float32))
            block = np.concatenate(parts)
            if rng.random() < 0.3:  # a music bed under this paragraph
                t = np.arange(len(block)) / RATE
                f0 = 110 * 2 ** (rng.integers(0, 12) / 12)
                bed = sum(np.sin(2 * np.pi * f0 * k * t) / k for k in range(1, 6)) * 0.02
                block += np.stack([bed, bed * 0.9], axis=1).astype(np.float32)
            block += (rng.standard_normal(block.shape) * 10 ** (-62 / 20)).astype(np.float32)
            block = block[: total - written]
            f.write(block)
            written += len(block)


def ours(path: Path) -> dict:
    with sf.SoundFile(str(path)) as f:
        meter = LoudnessMeter(f.samplerate, f.channels)
        while True:
            block = f.read(1 << 17, dtype="float32", always_2d=True)
            if not len(block):
                break
            meter.feed(block)
    r = meter.report()
    return {"I": r.integrated_lufs, "LRA": r.loudness_range_lu, "TP": r.true_peak_dbtp}


def ffmpeg(path: Path) -> dict:
    proc = subprocess.run(
        ["ffmpeg", "-nostats", "-hide_banner", "-i", str(path), "-filter_complex",
         "ebur128=peak=true", "-f", "null", "-"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    err = proc.stderr

    def last(pattern: str) -> float:
        return float(re.findall(pattern, err)[-1])

    return {
        "I": last(r"I:\s+(-?[\d.]+) LUFS"),
        "LRA": last(r"LRA:\s+(-?[\d.]+) LU"),
        "TP": last(r"Peak:\s+(-?[\d.]+) dBFS"),
    }


def timed(fn, runs: int):
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--minutes", type=float, default=60.0)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--keep", action="store_true", help="keep the generated file")
    ap.add_argument("--no-pyloudnorm", action="store_true")
    args = ap.parse_args()
    seconds = args.minutes * 60
    workdir = Path(tempfile.mkdtemp(prefix="bench-loudness-"))
    path = workdir / "programme.wav"
    t0 = time.perf_counter()
    make_programme(path, args.minutes)
    print(f"generated {args.minutes:g} min 48 kHz stereo float32 ({path.stat().st_size / 1e9:.2f} GB)"
          f" in {time.perf_counter() - t0:.1f} s; {args.runs} run(s) each, medians")  # fmt: skip
    try:
        rows = []
        t_ours, r_ours = timed(lambda: ours(path), args.runs)
        rows.append(("ours (I + LRA + TP)", t_ours, r_ours))
        t_ff = r_ff = None
        if shutil.which("ffmpeg"):
            t_ff, r_ff = timed(lambda: ffmpeg(path), args.runs)
            rows.append(("ffmpeg ebur128=peak=true", t_ff, r_ff))
        else:
            print("ffmpeg not found: skipped")
        t_pyl = r_pyl = None
        if not args.no_pyloudnorm:
            import pyloudnorm

            t_load = time.perf_counter()
            data, _ = sf.read(str(path), dtype="float64")
            t_load = time.perf_counter() - t_load
            meter = pyloudnorm.Meter(RATE, filter_class="DeMan")
            t_pyl, i_pyl = timed(lambda: meter.integrated_loudness(data), args.runs)
            r_pyl = {"I": i_pyl, "LRA": None, "TP": None}
            rows.append(("pyloudnorm DeMan (I only)", t_pyl, r_pyl))
            del data
            print(f"(pyloudnorm's file load, not timed below: {t_load:.1f} s)")

        def fmt(v, d=2):
            return "—" if v is None else f"{v:.{d}f}"

        print(f"\n{'tool':28} {'time s':>8} {'×RT':>8} {'I LUFS':>9} {'LRA LU':>8} {'TP dBTP':>8}")
        for name, t, r in rows:
            print(f"{name:28} {t:8.2f} {seconds / t:8.0f} {fmt(r['I'], 3):>9} "
                  f"{fmt(r['LRA']):>8} {fmt(r['TP']):>8}")  # fmt: skip
        print()
        if t_ff is not None:
            print(f"ours vs ffmpeg ebur128=peak=true: {t_ff / t_ours:.2f}× faster")
            print(f"  agreement: ΔI {r_ours['I'] - r_ff['I']:+.3f} LU (ffmpeg prints 0.1), "
                  f"ΔLRA {r_ours['LRA'] - r_ff['LRA']:+.2f} LU, "
                  f"ΔTP {r_ours['TP'] - r_ff['TP']:+.2f} dB")  # fmt: skip
        if t_pyl is not None:
            print(f"ours (I+LRA+TP) vs pyloudnorm (I only): {t_pyl / t_ours:.2f}× faster; "
                  f"ΔI {r_ours['I'] - r_pyl['I']:+.4f} LU")  # fmt: skip
    finally:
        if args.keep:
            print(f"kept {path}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
