"""Render a timeline to a finished master file.

Two passes over the one mixer: the first measures the integrated loudness of exactly what will
be encoded (after the mono fold-down); the second applies the gain to the target, converts the
rate, holds true peaks under the ceiling with the look-ahead limiter and encodes. Then the
encoded file is decoded and measured as a player would hear it: MP3 adds its own overshoot, so
if the decoded true peak breaks the ceiling (or the limiter cost loudness) the second pass is
run again with the ceiling lowered by the overshoot (and the gain corrected). The broadcast
check of that decoded file is written beside the export. Memory is bounded by the block size.
"""

from __future__ import annotations

import errno
import math
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soxr

from audio.errors import StudioError
from audio.fileio import atomic_path
from audio.limiter import TruePeakLimiter
from audio.loudness import LoudnessMeter, LoudnessReport
from audio.mixer import SourceFrames, render_blocks
from audio.timeline import Timeline
from export.check import BroadcastReport, analyse_file, build_report, write_report
from export.encoders import EncodingSettings, Tags, open_encoder, write_id3
from export.presets import DEFAULT_PRESET, get_preset

Progress = Callable[[float], None]


MAX_ENCODES = 3  # the first encode and up to two corrections
MAX_COMPENSATION_DB = 3.0  # the most the second pass adds for what the limiter took
LOUDNESS_CORRECTION_LU = 0.2  # re-encode when the decoded file is further than this off target


@dataclass(frozen=True, slots=True)
class MasterSettings:
    encoding: EncodingSettings = EncodingSettings()
    target_lufs: float | None = -16.0  # None: no normalisation
    ceiling_dbtp: float = -1.0
    preset: str = DEFAULT_PRESET  # the check's other limits (LRA, dead air, mono loss)
    slot_seconds: float | None = None  # the broadcast slot, for the duration check
    write_report: bool = True  # `<file>.report.json` beside the export


@dataclass(frozen=True, slots=True)
class MasterResult:
    path: Path
    frames: int  # at the encoding rate
    rate: int
    gain_db: float
    mix: LoudnessReport  # the mix before gain
    output: LoudnessReport | None = None  # the decoded encoded file
    report: BroadcastReport | None = None
    ceiling_used_dbtp: float | None = None  # the limiter's ceiling in the last encode
    limiter_reduction_db: float = 0.0  # the most the limiter took off, last encode
    encodes: int = 1


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
    """Gain to reach the target. Peaks are the limiter's job; without a target (no
    normalisation) the gain is 0 dB and the limiter still holds the ceiling."""
    if settings.target_lufs is not None and report.integrated_lufs is not None:
        return settings.target_lufs - report.integrated_lufs
    return 0.0


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

    preset = get_preset(settings.preset, settings.target_lufs, settings.ceiling_dbtp)
    mix = measure_mix(timeline, sources, enc.channels, stage(0.0, 0.25))
    gain_db = straight_gain_db = normalisation_gain_db(mix, settings)
    ceiling = settings.ceiling_dbtp
    tried: list[tuple[float, float]] = []  # (gain_db, decoded integrated LUFS) per pass
    try:
        with atomic_path(out_path) as tmp:
            for attempt in range(1, MAX_ENCODES + 1):
                span = stage(0.25, 0.65) if attempt == 1 else stage(0.9, 0.1)
                written, reduction = _encode_pass(
                    timeline, sources, tmp, enc, gain_db, ceiling, span
                )
                analysis = analyse_file(tmp, preset.silence_threshold_lufs)
                out = analysis.loudness
                if attempt == MAX_ENCODES:
                    break
                overshoot = (out.true_peak_dbtp or -math.inf) - settings.ceiling_dbtp
                off = 0.0
                if settings.target_lufs is not None and out.integrated_lufs is not None:
                    off = settings.target_lufs - out.integrated_lufs
                fix_level = abs(off) > LOUDNESS_CORRECTION_LU
                if overshoot <= 0 and not fix_level:
                    break
                if overshoot > 0:  # the codec's own overshoot: leave it that much room
                    ceiling -= overshoot + 0.05
                if fix_level:  # what the limiter took off the loudness
                    # Under heavy limiting 1 dB of gain buys less than 1 LU: after two passes
                    # use the slope they show (secant step), within reason.
                    slope = 1.0
                    if tried:
                        g0, i0 = tried[-1]
                        if gain_db != g0:
                            slope = min(1.0, max(0.2, (out.integrated_lufs - i0) / (gain_db - g0)))
                    tried.append((gain_db, out.integrated_lufs))
                    # Bounded: material that is nearly all peaks (clicks, a hard-clipped
                    # recording) must not drive the gain up without end.
                    gain_db = min(gain_db + off / slope, straight_gain_db + MAX_COMPENSATION_DB)
            if enc.format == "mp3" and tags is not None:
                write_id3(tmp, tags)
    except OSError as exc:
        raise _output_error(out_path, exc) from exc
    except RuntimeError as exc:  # libsndfile reports a failed write this way
        raise _output_error(out_path, OSError(errno.EIO, str(exc))) from exc
    report = build_report(analysis, preset, settings.slot_seconds, os.fsdecode(out_path))
    if settings.write_report:
        try:
            write_report(report, out_path)
        except OSError as exc:
            raise _output_error(out_path, exc) from exc
    if progress is not None:
        progress(1.0)
    return MasterResult(
        path=out_path,
        frames=written,
        rate=enc.rate,
        gain_db=gain_db,
        mix=mix,
        output=out,
        report=report,
        ceiling_used_dbtp=ceiling,
        limiter_reduction_db=reduction,
        encodes=attempt,
    )


def _encode_pass(
    timeline: Timeline,
    sources: SourceFrames,
    path: Path,
    enc: EncodingSettings,
    gain_db: float,
    ceiling_dbtp: float,
    progress: Progress | None,
) -> tuple[int, float]:
    """Render → gain → rate conversion → true-peak limiter → encoder, into `path`.

    Returns (frames written, the limiter's largest gain reduction in dB). The limiter works at
    the encoding rate, on exactly what the encoder gets, so resampling adds no overshoot.
    """
    gain = np.float32(10 ** (gain_db / 20))
    resampler = None
    if enc.rate != timeline.rate:
        resampler = soxr.ResampleStream(timeline.rate, enc.rate, enc.channels, dtype="float32")
    limiter = TruePeakLimiter(enc.rate, enc.channels, ceiling_dbtp)
    total = timeline.length
    written = done = 0
    encoder = open_encoder(path, enc)
    try:
        for block in _master_blocks(timeline, sources, enc.channels):
            block *= gain
            done += len(block)
            if resampler is not None:
                block = resampler.resample_chunk(block, last=done >= total)
            block = limiter.process(block)
            if len(block):
                encoder.write(block)
                written += len(block)
            if progress is not None:
                progress(done / total)
        tail = limiter.flush()
        if len(tail):
            encoder.write(tail)
            written += len(tail)
    finally:
        encoder.close()
    return written, limiter.max_reduction_db
