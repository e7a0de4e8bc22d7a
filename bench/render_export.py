"""Benchmark: export a long multitrack programme to MP3, against ffmpeg doing the same, in one run.

    python bench/render_export.py --minutes 30 --tracks 6            # issue 2: mix + encode
    python bench/render_export.py --minutes 30 --tracks 8 --loudnorm # issue 7: + 2-pass loudnorm

ffmpeg's plain amix + libmp3lame (no normalisation, no limiter, no check) is always measured
(issue 17: the whole normalised, limited, verified export should be at least as fast);
--loudnorm adds the two-pass loudnorm pipeline.

Source material is generated in the run at 48 kHz: speech-like noise bursts (mono, voice
tracks) and music-like chords (stereo, bed tracks), one source per track, written as WAV.
Each track repeats its source back to back from a per-track delay, at a per-track gain, to the
programme's end; ffmpeg gets exactly that as `-stream_loop`, `adelay`, `volume` and `amix`.

Ours: `export.master.export_master` (measure loudness → gain to −16 LUFS → peak backstop →
resample → LAME → ID3), i.e. two passes over the one mixer. ffmpeg: the same mix with
libmp3lame; with --loudnorm, a loudnorm analysis pass then a linear loudnorm pass (what a
careful ffmpeg user would run), so both sides normalise. Times are wall-clock, same machine,
same run; ratios > 1 mean we are faster.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf
from scipy.signal import butter, sosfilt

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from audio.timeline import Clip, Timeline, Track, TrackRole  # noqa: E402
from export import master  # noqa: E402
from export.encoders import SoundFileEncoder, Tags  # noqa: E402
from export.master import export_master  # noqa: E402
from export.presets import ExportPreset  # noqa: E402

RATE = 48_000
SOURCE_SECONDS = 97  # not a divisor of the programme, so clip edges fall anywhere in blocks


def speech_like(seconds: float, seed: int) -> np.ndarray:
    """Band-limited noise in syllable-like bursts (≈ 4 per second) with pauses between phrases."""
    rng = np.random.default_rng(seed)
    n = int(seconds * RATE)
    sos = butter(4, [150, 4000], btype="band", fs=RATE, output="sos")
    x = sosfilt(sos, rng.standard_normal(n)).astype(np.float32)
    env = np.zeros(n, np.float32)
    pos = 0
    while pos < n:
        phrase = int(rng.uniform(1.5, 4.0) * RATE)
        for start in range(pos, min(pos + phrase, n), RATE // 4):
            length = int(rng.uniform(0.12, 0.22) * RATE)
            seg = env[start : start + length]
            seg[:] = np.hanning(length)[: len(seg)] * rng.uniform(0.4, 1.0)
        pos += phrase + int(rng.uniform(0.3, 0.9) * RATE)
    return (x * env * 0.5)[:, None]


def music_like(seconds: float, seed: int) -> np.ndarray:
    """Stereo chords: a few harmonics per note, a new chord every 2 s, slow tremolo."""
    rng = np.random.default_rng(seed)
    n = int(seconds * RATE)
    out = np.zeros((n, 2), np.float32)
    step = 2 * RATE
    t = np.arange(step) / RATE
    for start in range(0, n, step):
        m = min(step, n - start)
        root = 110 * 2 ** (rng.integers(0, 12) / 12)
        block = np.zeros((m, 2), np.float32)
        for ratio in (1.0, 1.25, 1.5, 2.0):
            for h, amp in ((1, 0.12), (2, 0.05), (3, 0.02)):
                f = root * ratio * h
                block[:, 0] += (amp * np.sin(2 * np.pi * f * t[:m])).astype(np.float32)
                block[:, 1] += (amp * np.sin(2 * np.pi * f * 1.002 * t[:m] + 0.3)).astype(
                    np.float32
                )
        block *= (0.8 + 0.2 * np.sin(2 * np.pi * 0.5 * t[:m]))[:, None].astype(np.float32)
        out[start : start + m] = block
    return out * np.float32(0.6)


def build(folder: Path, minutes: float, tracks: int):
    """Write the sources and return (timeline, sources dict, per-track plan for ffmpeg)."""
    total = int(minutes * 60 * RATE)
    source_seconds = min(SOURCE_SECONDS, minutes * 60)
    length = int(source_seconds * RATE)
    timeline_tracks, sources, plan = [], {}, []
    for i in range(tracks):
        voice = i % 2 == 0
        data = speech_like(source_seconds, i) if voice else music_like(source_seconds, i)
        sid = f"src{i}"
        path = folder / f"{sid}.wav"
        sf.write(str(path), data, RATE, subtype="FLOAT")
        sources[sid] = data
        delay = int((0.5 + 3.7 * i) * RATE)
        gain_db = 0.0 if voice else -12.0 - i
        clips = []
        start = delay
        while start < total:
            clips.append(Clip(sid, start=start, length=min(length, total - start)))
            start += length
        role = TrackRole.VOICE if voice else TrackRole.MUSIC_BED
        timeline_tracks.append(Track(f"t{i}", clips=tuple(clips), role=role, gain_db=gain_db))
        plan.append((path, delay, gain_db, data.shape[1]))
    return Timeline(rate=RATE, tracks=tuple(timeline_tracks)), sources, plan, total


def ffmpeg_mix_graph(plan, loudnorm: str | None) -> str:
    parts, labels = [], []
    for i, (_path, delay, gain_db, channels) in enumerate(plan):
        # Our mixer places a mono source at centre with constant power (−3 dB each side).
        up = "pan=stereo|c0=0.70710678*c0|c1=0.70710678*c0," if channels == 1 else ""
        parts.append(f"[{i}:a]{up}adelay=delays={delay}S:all=1,volume={gain_db}dB[a{i}]")
        labels.append(f"[a{i}]")
    tail = f"amix=inputs={len(plan)}:duration=longest:normalize=0"
    if loudnorm:
        tail += f",{loudnorm}"
    parts.append("".join(labels) + tail + "[out]")
    return ";".join(parts)


def ffmpeg_inputs(plan) -> list[str]:
    args = []
    for path, *_ in plan:
        args += ["-stream_loop", "-1", "-i", str(path)]
    return args


def cpu_now() -> float:
    """CPU seconds used so far by this process (all threads) and its finished children.

    On a shared machine wall time depends on the neighbours' load; CPU time much less so.
    """
    try:
        import resource

        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.process_time() + kids.ru_utime + kids.ru_stime
    except ImportError:  # Windows: no children's times, ours only
        return time.process_time()


def run_ffmpeg(
    plan, total: int, out: Path, enc: ExportPreset, loudnorm: bool
) -> tuple[float, float]:
    seconds = f"{total / RATE:.6f}"
    ff = ["ffmpeg", "-hide_banner", "-nostats", "-y", "-v", "error"]
    start, cpu = time.perf_counter(), cpu_now()
    filt = None
    if loudnorm:
        # Pass 1: analysis (measure what the encoded mono mix will be).
        graph = ffmpeg_mix_graph(plan, "loudnorm=I=-16:TP=-1:LRA=11:print_format=json")
        res = subprocess.run(
            [*ff[:-2], "-v", "info", *ffmpeg_inputs(plan), "-filter_complex", graph,
             "-map", "[out]", "-t", seconds, "-ac", str(enc.channels), "-f", "null", "-"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        text = res.stderr
        m = json.loads(text[text.rindex("{") : text.rindex("}") + 1])
        filt = (
            "loudnorm=I=-16:TP=-1:LRA=11:linear=true:"
            f"measured_I={m['input_i']}:measured_TP={m['input_tp']}:"
            f"measured_LRA={m['input_lra']}:measured_thresh={m['input_thresh']}:"
            f"offset={m['target_offset']}"
        )
    graph = ffmpeg_mix_graph(plan, filt)
    subprocess.run(
        [*ff, *ffmpeg_inputs(plan), "-filter_complex", graph, "-map", "[out]", "-t", seconds,
         "-ac", str(enc.channels), "-ar", str(enc.rate), "-c:a", "libmp3lame",
         "-b:a", f"{enc.bitrate_kbps}k", "-metadata", "title=Bản tin", str(out)],
        check=True,
    )  # fmt: skip
    return time.perf_counter() - start, cpu_now() - cpu


def run_ours(timeline, sources, out: Path, enc: ExportPreset, libsndfile: bool = False) -> float:
    settings = enc.with_changes(target_lufs=-16.0, ceiling_dbtp=-1.0)
    tags = Tags(title="Bản tin", station="Đài xã", date="2026-11-26")
    opener = master.open_encoder
    if libsndfile:  # the encoder export used before the LAME/Info-tag encoder, for comparison
        master.open_encoder = SoundFileEncoder
    try:
        start, cpu = time.perf_counter(), cpu_now()
        result = export_master(timeline, sources.__getitem__, out, settings, tags)
        run_ours.last = result
        return time.perf_counter() - start, cpu_now() - cpu
    finally:
        master.open_encoder = opener


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--minutes", type=float, default=30.0)
    ap.add_argument("--tracks", type=int, default=6)
    ap.add_argument("--loudnorm", action="store_true", help="ffmpeg does two-pass loudnorm too")
    ap.add_argument("--bitrate", type=int, default=64)
    ap.add_argument("--stereo", action="store_true", help="stereo output (default mono)")
    ap.add_argument("--rate", type=int, default=44_100)
    ap.add_argument("--repeat", type=int, default=1, help="runs of each; medians are printed")
    ap.add_argument("--skip-ffmpeg", action="store_true")
    ap.add_argument(
        "--libsndfile", action="store_true", help="also time export through libsndfile's MP3"
    )
    args = ap.parse_args(argv)
    enc = ExportPreset(
        "bench",
        format="mp3",
        rate=args.rate,
        channels=2 if args.stereo else 1,
        bitrate_kbps=args.bitrate,
    )
    seconds = args.minutes * 60
    has_ffmpeg = shutil.which("ffmpeg") is not None and not args.skip_ffmpeg
    with tempfile.TemporaryDirectory(prefix="studio-bench-") as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        timeline, sources, plan, total = build(folder, args.minutes, args.tracks)
        print(
            f"programme: {args.minutes:g} min, {args.tracks} tracks, "
            f"{sum(len(t.clips) for t in timeline.tracks)} clips, 48 kHz → MP3 "
            f"{enc.bitrate_kbps} kbps {'stereo' if enc.channels == 2 else 'mono'} {enc.rate} Hz "
            f"(sources generated in {time.perf_counter() - t0:.1f} s)"
        )
        ours, plain, theirs, old = [], [], [], []
        for _ in range(args.repeat):  # interleaved, so the machine's load falls on all alike
            ours.append(run_ours(timeline, sources, folder / "ours.mp3", enc))
            if args.libsndfile:
                old.append(run_ours(timeline, sources, folder / "sndfile.mp3", enc, True))
            if has_ffmpeg:
                plain.append(run_ffmpeg(plan, total, folder / "ffmpeg.mp3", enc, False))
                if args.loudnorm:
                    theirs.append(
                        run_ffmpeg(plan, total, folder / "ffmpeg-loudnorm.mp3", enc, True)
                    )
        t_ours, c_ours = (statistics.median(x) for x in zip(*ours, strict=True))
        with sf.SoundFile(str(folder / "ours.mp3")) as f:
            frames = f.frames
        print(
            f"studio export_master : {t_ours:7.2f} s wall {seconds / t_ours:6.1f}× RT | "
            f"{c_ours:7.2f} s CPU {seconds / c_ours:6.1f}× RT  "
            f"(decoded {frames} frames, expected ≈ {round(total * enc.rate / RATE)})"
        )
        res = run_ours.last
        print(
            f"  decoded: {res.output.integrated_lufs:.2f} LUFS (target −16, "
            f"{res.output.integrated_lufs + 16:+.2f} LU), true peak "
            f"{res.output.true_peak_dbtp:.2f} dBTP (ceiling −1), {res.encodes} encode(s)"
        )
        if old:
            t_old, c_old = (statistics.median(x) for x in zip(*old, strict=True))
            print(
                f"  same via libsndfile : {t_old:7.2f} s wall {seconds / t_old:6.1f}× RT | "
                f"{c_old:7.2f} s CPU {seconds / c_old:6.1f}× RT  "
                f"(the LAME/Info-tag encoder is {t_old / t_ours:.2f}× faster in wall time)"
            )
        refs = [("amix + libmp3lame, no normalisation", plain)]
        if args.loudnorm:
            refs.append(("amix + 2-pass loudnorm + libmp3lame", theirs))
        for what, runs in refs if has_ffmpeg else []:
            t_ff, c_ff = (statistics.median(x) for x in zip(*runs, strict=True))
            print(
                f"ffmpeg ({what}) : {t_ff:7.2f} s wall {seconds / t_ff:6.1f}× RT | "
                f"{c_ff:7.2f} s CPU {seconds / c_ff:6.1f}× RT"
            )
            print(
                f"  ratio ffmpeg time / studio time = {t_ff / t_ours:.2f} (wall), "
                f"{c_ff / c_ours:.2f} (CPU)"
            )
        if not has_ffmpeg:
            print("ffmpeg not found: no reference measured")
        sizes = {p.name: p.stat().st_size for p in folder.glob("*.mp3")}
        print("files:", ", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in sorted(sizes.items())))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("STUDIO_LANG", "en")
    raise SystemExit(main())
