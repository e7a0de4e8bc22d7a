"""Encoders: MP3 (constant bitrate, gapless), WAV and FLAC, plus ID3v2 tags.

An encoder takes float32 blocks (frames, channels) at its own rate and channel count and
writes one file. MP3 goes through LAME (lameenc) on a second thread, with an Info/LAME tag
frame carrying the encoder delay and padding, so the decoded length equals the input exactly
(`export/mp3.py`). WAV and FLAC go through libsndfile.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
import soundfile as sf
from mutagen.id3 import COMM, ID3, TCON, TDRC, TIT2, TPE1, TPUB, ID3NoHeaderError

from export.mp3 import Mp3Encoder

MP3_QUALITY = 3  # LAME -q 3: ffmpeg's libmp3lame default; ≈ 1.5× faster than lameenc's q2


class Encoder(Protocol):
    def write(self, block: np.ndarray) -> None: ...

    def close(self) -> None: ...


class Encoding(Protocol):
    """What an encoder needs of an export preset (`export.presets.ExportPreset`, where the
    values are validated)."""

    format: str
    rate: int
    channels: int
    bitrate_kbps: int


class SoundFileEncoder:
    """WAV (PCM 16-bit), FLAC (16-bit) or MP3 (CBR) through libsndfile.

    libsndfile's MP3 is ≈ 3× slower than `Mp3Encoder` and not exactly gapless at low bitrates
    (at 32 kbps mono it writes no LAME tag), so `open_encoder` uses it for WAV and FLAC only.
    """

    def __init__(self, path: str | os.PathLike, settings: Encoding):
        kwargs: dict = {}
        if settings.format == "mp3":
            fmt, subtype = "MP3", "MPEG_LAYER_III"
            # libsndfile maps a compression level in [0, 1] linearly onto 320…32 kbps and
            # rounds down to a legal bitrate; aim just above the wanted one.
            level = (320 - settings.bitrate_kbps) / 288 - 1e-4
            kwargs = {"compression_level": max(0.0, min(1.0, level)), "bitrate_mode": "CONSTANT"}
        elif settings.format == "flac":
            fmt, subtype = "FLAC", "PCM_16"
        else:
            fmt, subtype = "WAV", "PCM_16"
        self._file = sf.SoundFile(
            str(path),
            "w",
            samplerate=settings.rate,
            channels=settings.channels,
            format=fmt,
            subtype=subtype,
            **kwargs,
        )

    def write(self, block: np.ndarray) -> None:
        self._file.write(block)

    def close(self) -> None:
        self._file.close()


def open_encoder(path: str | os.PathLike, settings: Encoding) -> Encoder:
    """An encoder writing `path` with `settings`; call `.close()` when done (it may raise
    OSError, e.g. for a full disk)."""
    if settings.format == "mp3":
        return Mp3Encoder(
            path,
            rate=settings.rate,
            channels=settings.channels,
            bitrate_kbps=settings.bitrate_kbps,
            quality=MP3_QUALITY,
        )
    return SoundFileEncoder(path, settings)


@dataclass(frozen=True, slots=True)
class Tags:
    title: str = ""
    station: str = ""
    date: str = ""  # ISO date, e.g. 2026-11-26
    category: str = ""
    comment: str = ""
    author: str = ""


def write_id3(path: str | os.PathLike, tags: Tags) -> None:
    """Write ID3v2.3 tags in UTF-16, which Windows Explorer and head-end players read."""
    try:
        id3 = ID3(str(path))
    except ID3NoHeaderError:
        id3 = ID3()
    enc = 1  # UTF-16 with BOM: the Unicode encoding ID3v2.3 allows
    if tags.title:
        id3.setall("TIT2", [TIT2(encoding=enc, text=tags.title)])
    if tags.author or tags.station:
        id3.setall("TPE1", [TPE1(encoding=enc, text=tags.author or tags.station)])
    if tags.station:
        id3.setall("TPUB", [TPUB(encoding=enc, text=tags.station)])
    if tags.date:
        id3.setall("TDRC", [TDRC(encoding=enc, text=tags.date)])
    if tags.category:
        id3.setall("TCON", [TCON(encoding=enc, text=tags.category)])
    if tags.comment:
        id3.setall("COMM", [COMM(encoding=enc, lang="vie", desc="", text=tags.comment)])
    id3.save(str(path), v2_version=3)


def decoded_length(path: str | Path) -> tuple[int, int]:
    """(frames, rate) of an encoded file as a decoder sees it."""
    with open(path, "rb") as f, sf.SoundFile(f) as snd:
        frames = 0
        while True:
            block = snd.read(65536, dtype="float32", always_2d=True)
            if not len(block):
                break
            frames += len(block)
        return frames, snd.samplerate
