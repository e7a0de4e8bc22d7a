"""Render a timeline to a finished master file.

Two passes over the one mixer: the first measures the integrated loudness of exactly what will
be encoded (after the mono fold-down), the second applies the gain to the target, keeps peaks
under the ceiling, converts the rate and encodes. Memory is bounded by the block size.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soxr

from audio.errors import StudioError
from audio.fileio import atomic_path
from audio.loudness import LoudnessMeter, LoudnessReport
from audio.mixer import SourceFrames, render_blocks
from audio.timeline import Timeline
from export.encoders import EncodingSettings, Tags, open_encoder, write_id3

Progress = Callable[[float], None]


@dataclass(frozen=True, slots=True)
class MasterSettings:
    encoding: EncodingSettings = EncodingSettings()
    target_lufs: float | None = -16.0  # None: no normalisation
    ceiling_dbtp: float = -1.0


@dataclass(frozen=True, slots=True)
class MasterResult:
    path: Path
    frames: int  # at the encoding rate
    rate: int
    gain_db: float
    mix: LoudnessReport  # the mix before gain


def _fold(block: np.ndarray, channels: int) -> np.ndarray:
    if channels == 1:
        return (block[:, :1] + block[:, 1:2]) * np.float32(0.5)
    return block


def _master_blocks(
    timeline: Timeline, sources: SourceFrames, channels: int
) -> Iterator[np.ndarray]:
    for block in render_blocks(timeline, sources):
        yield _fold(block, channels)


def measure_mix(
    timeline: Timeline, sources: SourceFrames, channels: int = 2, progress: Progress | None = None
) -> LoudnessReport:
    """Loudness of the mix as it would be encoded with `channels` channels."""
    meter = LoudnessMeter(timeline.rate, channels)
    total = max(timeline.length, 1)
    done = 0
    for block in _master_blocks(timeline, sources, channels):
        meter.feed(block)
        done += len(block)
        if progress is not None:
            progress(done / total)
    return meter.report()


def normalisation_gain_db(report: LoudnessReport, settings: MasterSettings) -> float:
    """Gain to reach the target, lowered if needed so that sample peaks stay under the ceiling."""
    gain = 0.0
    if settings.target_lufs is not None and report.integrated_lufs is not None:
        gain = settings.target_lufs - report.integrated_lufs
    peak = report.true_peak_dbtp if report.true_peak_dbtp is not None else report.sample_peak_dbfs
    if peak is not None and peak + gain > settings.ceiling_dbtp:
        gain = settings.ceiling_dbtp - peak
    return gain


def _output_error(path: Path, exc: OSError) -> StudioError:
    if exc.errno == errno.ENOSPC:
        return StudioError(
            f"The disk is full: cannot write '{path.name}'. Free some space and export again.",
            f"Ổ đĩa đã đầy: không ghi được '{path.name}'. Hãy giải phóng dung lượng rồi xuất lại.",
        )
    return StudioError(
        f"Cannot write '{path.name}' in {path.parent}: {exc.strerror or exc}.",
        f"Không ghi được '{path.name}' vào {path.parent}: {exc.strerror or exc}.",
    )


def export_master(
    timeline: Timeline,
    sources: SourceFrames,
    out_path: str | os.PathLike,
    settings: MasterSettings = MasterSettings(),
    tags: Tags | None = None,
    progress: Progress | None = None,
) -> MasterResult:
    """Render, normalise, encode and tag `timeline` into `out_path` (replaced atomically).

    `progress(fraction)` is called often; it may raise Cancelled to stop, in which case no
    output file is left behind. Raises StudioError for an empty programme or an unwritable
    destination.
    """
    out_path = Path(out_path)
    if timeline.length == 0:
        raise StudioError(
            "The programme is empty: add some audio before exporting.",
            "Chương trình trống: hãy thêm âm thanh trước khi xuất.",
        )
    enc = settings.encoding

    def stage(offset: float, span: float) -> Progress | None:
        return None if progress is None else (lambda f: progress(offset + span * f))

    mix = measure_mix(timeline, sources, enc.channels, stage(0.0, 0.3))
    gain_db = normalisation_gain_db(mix, settings)
    gain = np.float32(10 ** (gain_db / 20))
    ceiling = np.float32(10 ** (settings.ceiling_dbtp / 20))
    resampler = None
    if enc.rate != timeline.rate:
        resampler = soxr.ResampleStream(timeline.rate, enc.rate, enc.channels, dtype="float32")
    total = timeline.length
    written = done = 0
    encode_progress = stage(0.3, 0.7)
    try:
        with atomic_path(out_path) as tmp:
            encoder = open_encoder(tmp, enc)
            try:
                for block in _master_blocks(timeline, sources, enc.channels):
                    block *= gain
                    np.clip(block, -ceiling, ceiling, out=block)  # the limiter's backstop
                    done += len(block)
                    last = done >= total
                    if resampler is not None:
                        block = resampler.resample_chunk(block, last=last)
                        np.clip(block, -ceiling, ceiling, out=block)
                    if len(block):
                        encoder.write(block)
                        written += len(block)
                    if encode_progress is not None:
                        encode_progress(done / total)
            finally:
                encoder.close()
            if enc.format == "mp3" and tags is not None:
                write_id3(tmp, tags)
    except OSError as exc:
        raise _output_error(out_path, exc) from exc
    except RuntimeError as exc:  # libsndfile reports a failed write this way
        raise _output_error(out_path, OSError(errno.EIO, str(exc))) from exc
    return MasterResult(path=out_path, frames=written, rate=enc.rate, gain_db=gain_db, mix=mix)
