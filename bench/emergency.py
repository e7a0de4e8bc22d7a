"""The emergency bulletin's speed: from Stop on a 2-minute recording to the outbox, and to a
folder destination delivered (targets: < 10 s and < 15 s; docs/PERFORMANCE: "Emergency
bulletin").

    .venv/bin/python bench/emergency.py [--seconds 120] [--runs 3]

The take is what the recorder leaves at Stop: a 48 kHz float WAV (Vietnamese speech from
espeak-ng with pauses and room noise, or tone bursts without espeak-ng). Each run uses a fresh
studio home with one folder destination marked for emergencies, then times each stage of
`EmergencyService.broadcast` (prepare: import the take; export: normalise, limit, encode,
decode-verify; queue: note and enqueue) and the sender's delivery (copy, fsync, read back,
rename). The service is warmed up first (encoder, meters, scipy loaded), as the emergency
screen does while the user records. Reference in the same run: LAME alone encoding the same audio with the same settings
(lameenc), the floor of any export.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from studio.credentials import MemoryCredentials  # noqa: E402
from studio.emergency import EmergencyService  # noqa: E402
from studio.outbox import Outbox, OutboxWorker  # noqa: E402
from studio.paths import StudioHome  # noqa: E402

RATE = 48_000
TEXT = (
    "Thông báo khẩn cấp. Bão số chín đang tiến vào đất liền, gió giật cấp mười hai. "
    "Đề nghị bà con các thôn ven sông khẩn trương di chuyển người và tài sản đến nơi an toàn."
)


def make_take(path: Path, seconds: float) -> None:
    """A recording as the recorder leaves it: speech with pauses over room noise."""
    rng = np.random.default_rng(9)
    if shutil.which("espeak-ng"):
        raw = path.with_suffix(".espeak.wav")
        subprocess.run(["espeak-ng", "-v", "vi", "-s", "150", "-w", str(raw), TEXT], check=True)
        import soxr

        voice, rate = sf.read(str(raw), dtype="float32")
        voice = soxr.resample(voice, rate, RATE).astype(np.float32)
    else:
        t = np.arange(int(3 * RATE)) / RATE
        voice = (0.3 * np.sin(2 * np.pi * 220 * t) * (np.sin(2 * np.pi * 3 * t) > 0)).astype(
            np.float32
        )
    pause = np.zeros(int(0.8 * RATE), np.float32)
    unit = np.concatenate([voice * 0.5, pause])
    n = int(seconds * RATE)
    audio = np.tile(unit, n // len(unit) + 1)[:n]
    audio += (rng.standard_normal(n) * 0.003).astype(np.float32)
    sf.write(str(path), audio[:, None], RATE, subtype="FLOAT")


def lame_reference(take: Path) -> float:
    """LAME alone on the same audio, mono 64 kbps at 48 kHz (the loudspeaker preset)."""
    import lameenc

    audio, _ = sf.read(str(take), dtype="float32")
    pcm = (np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes()
    t0 = time.perf_counter()
    enc = lameenc.Encoder()
    enc.set_bit_rate(64)
    enc.set_in_sample_rate(RATE)
    enc.set_channels(1)
    enc.set_quality(2)
    enc.encode(pcm)
    enc.flush()
    return time.perf_counter() - t0


def one_run(take: Path, work: Path) -> dict[str, float]:
    home = StudioHome(work / "home").ensure()
    folder = work / "loa"
    folder.mkdir()
    outbox = Outbox.open(home, MemoryCredentials())
    try:
        outbox.add_destination("loa-xa", "folder", str(folder), emergency=True)
        service = EmergencyService(home, outbox)
        service.warm_up()  # what the screen does while the user records
        stop = time.perf_counter()  # the user pressed Stop: the take is on disk
        bulletin = service.broadcast(take, "Bản tin khẩn cấp", ["Thôn Đông"])
        in_outbox = time.perf_counter() - stop
        row = OutboxWorker(outbox).send_next()
        delivered = time.perf_counter() - stop
        assert row is not None and row["status"] == "verified", row
        assert (folder / bulletin.path.name).is_file()
    finally:
        outbox.close()
    return {
        **{k: v for k, v in bulletin.timings.items() if k != "total"},
        "in outbox": in_outbox,
        "send": delivered - in_outbox,
        "delivered": delivered,
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=120.0)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-emergency-"))
    try:
        take = tmp / "take.wav"
        make_take(take, args.seconds)
        runs = [one_run(take, Path(tempfile.mkdtemp(dir=tmp))) for _ in range(args.runs)]
        lame = statistics.median(lame_reference(take) for _ in range(args.runs))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"Emergency bulletin from a {args.seconds:.0f} s take, median of {args.runs} runs")
    for stage in ("prepare", "export", "queue", "in outbox", "send", "delivered"):
        values = [r[stage] for r in runs]
        print(f"  {stage:<10} {statistics.median(values):6.2f} s  (runs: "
              + ", ".join(f"{v:.2f}" for v in values) + ")")  # fmt: skip
    outbox_s = statistics.median(r["in outbox"] for r in runs)
    delivered_s = statistics.median(r["delivered"] for r in runs)
    export_s = statistics.median(r["export"] for r in runs)
    print(f"  reference: LAME alone {lame:.2f} s; export ÷ LAME = {export_s / lame:.1f}×")
    ok = outbox_s < 10.0 and delivered_s < 15.0
    print(f"  Stop → in outbox {outbox_s:.2f} s (target < 10 s), → delivered {delivered_s:.2f} s "
          f"(target < 15 s): {'OK' if ok else 'TOO SLOW'}")  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
