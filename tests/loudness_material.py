"""Test material for the loudness tests: EBU-style sines, speech (espeak-ng), music-like
signals, and a reference reading from ffmpeg's ebur128 filter."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
import soxr

RATE = 48_000


def need_tool(name: str) -> str:
    """The tool's path; skip when it is missing, unless CI is set (then fail)."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is required under CI but is not installed")
        pytest.skip(f"{name} is not installed")
    return path


def sine(
    dbfs: float,
    seconds: float,
    channels: int = 2,
    freq: float = 1000.0,
    rate: int = RATE,
    phase: float = 0.0,
    fade_s: float = 0.0,
) -> np.ndarray:
    """A sine whose peak is `dbfs`, (frames, channels) float32; optional raised-cosine fade-in."""
    t = np.arange(int(round(seconds * rate))) / rate
    x = 10 ** (dbfs / 20) * np.sin(2 * np.pi * freq * t + phase)
    if fade_s:
        n = int(fade_s * rate)
        x[:n] *= np.sin(np.linspace(0, np.pi / 2, n)) ** 2
    return np.repeat(x[:, None].astype(np.float32), channels, axis=1)


def sequence(*parts: tuple[float, float], channels: int = 2) -> np.ndarray:
    """Consecutive 1 kHz sines given as (dBFS, seconds)."""
    return np.concatenate([sine(db, s, channels) for db, s in parts])


def speech(seconds: float, seed: int = 0, rate: int = RATE) -> np.ndarray:
    """Mono Vietnamese speech from espeak-ng with pauses, uneven level and a noise floor."""
    need_tool("espeak-ng")
    sentences = [
        "Xin chào bà con, đây là bản tin của đài truyền thanh xã.",
        "Hôm nay trời có mưa lớn, bà con chú ý phòng chống lụt bão.",
        "Ủy ban nhân dân xã thông báo lịch tiêm chủng cho trẻ em.",
        "Đề nghị các hộ gia đình thu gom rác đúng nơi quy định.",
    ]
    rng = np.random.default_rng(seed)
    pieces, total = [], 0
    i = 0
    while total < seconds * rate:
        out = subprocess.run(
            ["espeak-ng", "-v", "vi", "-s", str(150 + 10 * (i % 3)), "--stdout", sentences[i % 4]],
            capture_output=True,
            check=True,
        ).stdout
        data, sr = sf.read(_bytes_io(out), dtype="float32")
        data = soxr.resample(data, sr, rate).astype(np.float32)
        data *= np.float32(10 ** (rng.uniform(-6, 0) / 20))  # each sentence at its own level
        pause = np.zeros(int(rng.uniform(0.3, 1.2) * rate), np.float32)
        pieces += [data, pause]
        total += len(data) + len(pause)
        i += 1
    x = np.concatenate(pieces)[: int(seconds * rate)]
    x += (rng.standard_normal(len(x)) * 10 ** (-60 / 20)).astype(np.float32)
    return x[:, None]


def _bytes_io(data: bytes):
    import io

    return io.BytesIO(data)


def music(seconds: float, seed: int = 1, rate: int = RATE) -> np.ndarray:
    """Stereo music-like material: chords of harmonic tones with note envelopes, a beat of
    filtered noise and a slow level change, all with smooth edges."""
    rng = np.random.default_rng(seed)
    n = int(seconds * rate)
    t = np.arange(n) / rate
    out = np.zeros((n, 2), np.float64)
    note = int(0.5 * rate)
    env = np.sin(np.linspace(0, np.pi, note)) ** 2
    for start in range(0, n - note, note // 2):
        f0 = 110 * 2 ** (rng.integers(0, 24) / 12)
        seg = t[start : start + note]
        tone = sum(np.sin(2 * np.pi * f0 * k * seg + rng.uniform(0, 6)) / k for k in range(1, 8))
        pan = rng.uniform(0.2, 0.8)
        out[start : start + note, 0] += 0.08 * env * tone * (1 - pan)
        out[start : start + note, 1] += 0.08 * env * tone * pan
    beat = np.zeros(n)
    hit = np.exp(-np.arange(int(0.15 * rate)) / (0.03 * rate))
    for start in range(0, n - len(hit), int(0.5 * rate)):
        beat[start : start + len(hit)] += hit
    out += (beat * rng.standard_normal(n) * 0.05)[:, None]
    out *= (0.6 + 0.4 * np.sin(2 * np.pi * t / 17.0))[:, None]
    fade = int(0.05 * rate)
    out[:fade] *= np.linspace(0, 1, fade)[:, None]
    out[-fade:] *= np.linspace(1, 0, fade)[:, None]
    return out.astype(np.float32)


def write(path: Path, data: np.ndarray, rate: int = RATE) -> Path:
    sf.write(str(path), data, rate, subtype="FLOAT")
    return path


def ffmpeg_ebur128(path: Path) -> dict:
    """ffmpeg's own reading: integrated, LRA (3 decimals, from the last metadata frame) and
    true peak (summary, one decimal)."""
    need_tool("ffmpeg")
    meta = Path(str(path) + ".meta.txt")
    proc = subprocess.run(
        [
            "ffmpeg", "-nostats", "-hide_banner", "-i", str(path), "-filter_complex",
            f"ebur128=peak=true:metadata=1,ametadata=mode=print:file={meta.name}",
            "-f", "null", "-",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=path.parent,
    )  # fmt: skip
    text = meta.read_text()

    def last(key: str) -> float:
        return float(re.findall(rf"lavfi\.r128\.{re.escape(key)}=(-?[\d.]+|-?inf)", text)[-1])

    # The summary is printed more than once (the first time empty): take the last.
    peaks = re.findall(r"Peak:\s+(-?[\d.]+|-inf) dBFS", proc.stderr)
    return {
        "integrated_lufs": last("I"),
        "loudness_range_lu": last("LRA"),
        "true_peak_dbtp": float(peaks[-1]) if peaks else None,
    }
