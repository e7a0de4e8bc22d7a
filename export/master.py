"""Render a timeline to a finished master file.

Passes over the one mixer: the first measures the integrated loudness of exactly what will be
encoded (after the mono fold-down); the last applies the gain to the target, converts the
rate, holds true peaks under the ceiling with the look-ahead limiter and encodes. When the
limiter will have work (and so take some loudness away), the chain is first rehearsed without
the encoder, which costs little next to LAME, and the gain corrected. Then the encoded file is
measured as a player would hear it (the MP3 encoder decodes its own frames as it goes, and
every meter runs on a thread of its own beside the renderer): MP3 adds its own overshoot, so
if the decoded true peak breaks the ceiling (or the loudness is still off) the encode is run again with the
ceiling lowered by the overshoot (and the gain corrected). The broadcast check of that decoded
file is written beside the export. Memory is bounded by the block size.
"""

from __future__ import annotations

import contextlib
import errno
import math
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soxr

from audio.errors import StudioError
from audio.fileio import atomic_path, remove_orphan_parts
from audio.limiter import TruePeakLimiter
from audio.loudness import LoudnessMeter, LoudnessReport
from audio.mixer import SourceFrames, render_blocks
from audio.timeline import Timeline
from export.check import (
    BroadcastReport,
    ProgrammeAnalyser,
    ProgrammeAnalysis,
    analyse_file,
    build_report,
)
from export.check import write_report as save_report
from export.encoders import Encoding, Tags, open_encoder, write_id3
from export.mp3 import Mp3Encoder
from export.pipeline import BackgroundSink
from export.presets import DEFAULT_PRESET, ExportPreset

Progress = Callable[[float], None]


MAX_ENCODES = 4  # the first encode and up to three corrections
# Re-encode when the decoded file is further than this off target: the export promises
# ±0.2 LU, and a correction lands within about 0.05 LU of where it aims.
LOUDNESS_CORRECTION_LU = 0.12
# The most the corrections may add to the straight normalisation gain: material that is nearly
# all peaks (clicks, a hard-clipped recording) must not drive the gain up without end.
MAX_COMPENSATION_DB = 10.0


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
    preset: ExportPreset = DEFAULT_PRESET
    # Short-term loudness (LUFS every 100 ms) of the decoded file, from the check's own pass:
    # the loudness graph needs no second decode.
    short_term_series: np.ndarray | None = None


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
    """Loudness of the mix as it would be encoded with `channels` channels (metered on a
    thread of its own while the next block renders)."""
    meter = LoudnessMeter(timeline.rate, channels)
    total = max(timeline.length, 1)
    done = 0
    with BackgroundSink(meter.feed, name="mix-meter") as metering:
        for block in _master_blocks(timeline, sources, channels):
            metering.feed(block)
            done += len(block)
            if progress is not None:
                progress(done / total)
    return meter.report()


def normalisation_gain_db(report: LoudnessReport, preset: ExportPreset) -> float:
    """Gain to reach the target. Peaks are the limiter's job; without normalisation the gain
    is 0 dB and the limiter still holds the ceiling."""
    if preset.normalise and report.integrated_lufs is not None:
        return preset.target_lufs - report.integrated_lufs
    return 0.0


def codec_allowance(enc: Encoding) -> tuple[float, float]:
    """(true-peak overshoot in dB, loudness lost in LU) that a decoded file usually shows.

    Seen on speech, noise-like and music material with LAME CBR: the decoded peaks rise over
    the limiter's ceiling, more at low bitrates, and the integrated loudness drops by about
    0.4 LU. Allowing for both up front makes most exports need one encode instead of two or
    three; the decoded file is still measured and corrected when it misses.
    """
    if enc.format != "mp3":
        return 0.0, 0.0
    if enc.bitrate_kbps <= 64:
        return 1.4, 0.35
    if enc.bitrate_kbps <= 128:
        return 0.4, 0.35
    return 0.3, 0.2


def _disk_full(folder: Path) -> bool:
    import shutil

    try:
        return shutil.disk_usage(folder).free < 1_000_000
    except OSError:
        return False


def _output_error(path: Path, exc: OSError) -> StudioError:
    # libsndfile reports a full disk as "System error." (a RuntimeError): ask the disk.
    if exc.errno == errno.ENOSPC or (exc.errno == errno.EIO and _disk_full(path.parent)):
        return StudioError(
            f"The disk is full: cannot write '{path.name}'. Free some space and export again.",
            f"Ổ đĩa đã đầy: không ghi được '{path.name}'. Hãy giải phóng dung lượng rồi xuất lại.",
        )
    return StudioError(
        f"Cannot write '{path.name}' in {path.parent}: {exc.strerror or exc}.",
        f"Không ghi được '{path.name}' vào {path.parent}: {exc.strerror or exc}.",
    )


SUFFIXES = {"mp3": (".mp3",), "wav": (".wav",), "flac": (".flac",)}


def check_output_name(path: Path, fmt: str) -> None:
    """Refuse to write one format under another's name (-o x.ogg used to hold an MP3)."""
    wanted = SUFFIXES.get(fmt, (f".{fmt}",))
    if path.suffix.lower() not in wanted:
        raise StudioError(
            f"'{path.name}' does not end in {wanted[0]}, but the export is {fmt.upper()}: "
            f"name it {path.stem}{wanted[0]}, or choose the format that name says.",
            f"'{path.name}' không có đuôi {wanted[0]}, nhưng tệp xuất là {fmt.upper()}: "
            f"hãy đặt tên {path.stem}{wanted[0]}, hoặc chọn đúng định dạng của tên đó.",
        )
    if path.is_dir():
        raise StudioError(
            f"'{path}' is a folder: give a file name to export to.",
            f"'{path}' là thư mục: hãy cho tên tệp để xuất ra.",
        )


def shown_path(path: Path) -> str:
    """`path` as text that can be written anywhere (bytes that are not UTF-8 become �)."""
    return os.fsencode(path).decode("utf-8", "replace")


def _remove_report(path: Path | None) -> None:
    if path is not None:
        with contextlib.suppress(OSError):
            path.unlink()


def export_master(
    timeline: Timeline,
    sources: SourceFrames,
    out_path: str | os.PathLike,
    preset: ExportPreset = DEFAULT_PRESET,
    tags: Tags | None = None,
    progress: Progress | None = None,
    *,
    slot_seconds: float | None = None,
    write_report: bool = True,
) -> MasterResult:
    """Render, normalise, encode and tag `timeline` into `out_path` (replaced atomically),
    as `preset` says, and judge the decoded file against it (`result.report`, also written
    beside the export as `<file>.report.json` unless `write_report` is False).

    `progress(fraction)` is called often; it may raise Cancelled to stop, in which case no
    output file is left behind. `slot_seconds` is the broadcast slot, for the duration check.
    Raises StudioError for an empty programme or an unwritable destination.
    """
    out_path = Path(out_path)
    if timeline.length == 0:
        raise StudioError(
            "The programme is empty: add some audio before exporting.",
            "Chương trình trống: hãy thêm âm thanh trước khi xuất.",
        )
    enc = preset
    target = preset.target_lufs if preset.normalise else None
    check_output_name(out_path, enc.format)
    remove_orphan_parts(out_path.parent)

    def stage(offset: float, span: float) -> Progress | None:
        return None if progress is None else (lambda f: progress(offset + span * f))

    mix = measure_mix(timeline, sources, enc.channels, stage(0.0, 0.25))
    peak_margin_db, codec_loss_lu = codec_allowance(enc)
    if target is None:
        codec_loss_lu = 0.0
    gain_db = normalisation_gain_db(mix, preset) + codec_loss_lu
    gain_db_limit = gain_db + MAX_COMPENSATION_DB
    ceiling = preset.ceiling_dbtp - peak_margin_db
    slope = 1.0  # LU gained per dB of gain, once the limiter is at work
    if target is not None and mix.integrated_lufs is not None:
        peak = mix.true_peak_dbtp if mix.true_peak_dbtp is not None else -math.inf
        if peak + gain_db > ceiling - 1.0:
            # The limiter will work and take some loudness with it: rehearse the chain without
            # the encoder (cheap next to LAME) and correct the gain before the real encode.
            gain_db, slope = _rehearse(
                timeline,
                sources,
                enc,
                gain_db,
                ceiling,
                target + codec_loss_lu,
                stage(0.25, 0.2),
                gain_db_limit,
            )
    tried: list[tuple[float, float]] = []  # (gain_db, decoded integrated LUFS) per encode
    report_written: Path | None = None
    try:
        with atomic_path(out_path) as tmp:
            for attempt in range(1, MAX_ENCODES + 1):
                span = stage(0.45, 0.45) if attempt == 1 else stage(0.9, 0.1)
                written, reduction, analysis = _encode_pass(
                    timeline, sources, tmp, enc, gain_db, ceiling, span,
                    preset.silence_threshold_lufs,
                )  # fmt: skip
                out = analysis.loudness
                if attempt == MAX_ENCODES:
                    break
                overshoot = (out.true_peak_dbtp or -math.inf) - preset.ceiling_dbtp
                off = 0.0
                if target is not None and out.integrated_lufs is not None:
                    off = target - out.integrated_lufs
                fix_level = abs(off) > LOUDNESS_CORRECTION_LU
                if overshoot <= 0 and not fix_level:
                    break
                lowered = 0.0
                if overshoot > 0:  # the codec's own overshoot: leave it that much room
                    lowered = overshoot + 0.05
                    ceiling -= lowered
                if fix_level or lowered:
                    # What the codec (or the limiter) took off the loudness, and what the lower
                    # ceiling will take: limiting is scale-free, so lowering the ceiling by d
                    # costs (1 − slope)·d LU, which (1 − slope)·d / slope dB of gain buys back.
                    s = min(1.0, max(0.2, slope))
                    off += (1.0 - s) * lowered
                    before = gain_db
                    gain_db = _next_gain(
                        tried, gain_db, out.integrated_lufs, off, slope, gain_db_limit
                    )
                    if gain_db == before and not lowered:
                        break  # at the most gain allowed: another encode would be the same
            if enc.format == "mp3" and tags is not None:
                write_id3(tmp, tags)
            report = build_report(
                analysis, preset, slot_seconds, shown_path(out_path), limiter_reduction_db=reduction
            )
            # The report first: a failure here (a full disk) leaves no audio under its
            # final name either, so nothing half-exported is ever pushed.
            if write_report:
                report_written = save_report(report, out_path)
    except OSError as exc:
        _remove_report(report_written)
        raise _output_error(out_path, exc) from exc
    except RuntimeError as exc:  # libsndfile reports a failed write this way
        _remove_report(report_written)
        raise _output_error(out_path, OSError(errno.EIO, str(exc))) from exc
    except BaseException:
        _remove_report(report_written)
        raise
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
        preset=preset,
        short_term_series=analysis.short_term_series,
    )


def _next_gain(
    tried: list[tuple[float, float]],
    gain_db: float,
    lufs: float,
    off: float,
    slope: float = 1.0,
    max_gain_db: float = math.inf,
) -> float:
    """The gain for the next try. Under heavy limiting 1 dB of gain buys less than 1 LU: after
    two tries use the slope they show (a secant step), otherwise `slope`, within reason.
    Records this try in `tried`."""
    if tried:
        g0, i0 = tried[-1]
        if gain_db != g0:
            slope = (lufs - i0) / (gain_db - g0)
    tried.append((gain_db, lufs))
    return min(gain_db + off / min(1.0, max(0.2, slope)), max_gain_db)


REHEARSALS = 3
REHEARSAL_TOLERANCE_LU = 0.15


def _rehearse(
    timeline: Timeline,
    sources: SourceFrames,
    enc: Encoding,
    gain_db: float,
    ceiling_dbtp: float,
    target_lufs: float,
    progress: Progress | None,
    gain_db_limit: float = math.inf,
) -> tuple[float, float]:
    """Render → gain → rate conversion → limiter → meter, no encoder, until the limited
    programme is within REHEARSAL_TOLERANCE_LU of the target. Returns the gain to encode with
    and the slope (LU per dB) the tries showed, for corrections after the encode."""
    tried: list[tuple[float, float]] = []
    for k in range(REHEARSALS):
        span = None if progress is None else (lambda f, k=k: progress((k + f) / REHEARSALS))
        meter = LoudnessMeter(enc.rate, enc.channels, true_peak=False)
        with BackgroundSink(meter.feed, name="rehearsal-meter") as metering:
            _limited_blocks(timeline, sources, enc, gain_db, ceiling_dbtp, metering.feed, span)
        lufs = meter.integrated_lufs()
        if lufs is None:
            break
        off = target_lufs - lufs
        if abs(off) <= REHEARSAL_TOLERANCE_LU:
            break
        gain_db = _next_gain(tried, gain_db, lufs, off, max_gain_db=gain_db_limit)
    slope = 1.0
    if len(tried) >= 2 and tried[-1][0] != tried[-2][0]:
        (g0, i0), (g1, i1) = tried[-2:]
        slope = min(1.0, max(0.2, (i1 - i0) / (g1 - g0)))
    return gain_db, slope


def _limited_blocks(
    timeline: Timeline,
    sources: SourceFrames,
    enc: Encoding,
    gain_db: float,
    ceiling_dbtp: float,
    sink: Callable[[np.ndarray], None],
    progress: Progress | None,
) -> float:
    """Render → gain → rate conversion → true-peak limiter, each block handed to `sink`.

    Returns the limiter's largest gain reduction in dB. The limiter works at the encoding
    rate, on exactly what the encoder gets, so resampling adds no overshoot.
    """
    gain = np.float32(10 ** (gain_db / 20))
    resampler = None
    if enc.rate != timeline.rate:
        resampler = soxr.ResampleStream(timeline.rate, enc.rate, enc.channels, dtype="float32")
    limiter = TruePeakLimiter(enc.rate, enc.channels, ceiling_dbtp)
    total = timeline.length
    done = 0
    for block in _master_blocks(timeline, sources, enc.channels):
        block *= gain
        done += len(block)
        if resampler is not None:
            block = resampler.resample_chunk(block, last=done >= total)
        block = limiter.process(block)
        if len(block):
            sink(block)
        if progress is not None:
            progress(done / total)
    tail = limiter.flush()
    if len(tail):
        sink(tail)
    return limiter.max_reduction_db


def _encode_pass(
    timeline: Timeline,
    sources: SourceFrames,
    path: Path,
    enc: Encoding,
    gain_db: float,
    ceiling_dbtp: float,
    progress: Progress | None,
    silence_threshold_lufs: float = -60.0,
) -> tuple[int, float, ProgrammeAnalysis]:
    """Render → gain → rate conversion → true-peak limiter → encoder, into `path`, and the
    analysis of the file as a player decodes it.

    An MP3 encoder decodes its own frames as they become final (on its worker threads) and the
    analysis runs on a thread of its own while the next blocks render, so no second pass over
    the file is needed; WAV and FLAC are decoded afterwards (cheap, no codec).
    Returns (frames written, the limiter's largest gain reduction in dB, the analysis).
    """
    written = 0
    encoder = open_encoder(path, enc)
    analyser = None
    checking: contextlib.AbstractContextManager = contextlib.nullcontext()
    if isinstance(encoder, Mp3Encoder):
        analyser = ProgrammeAnalyser(enc.rate, enc.channels)
        checking = BackgroundSink(analyser.feed, name="export-check")
        encoder.decoded = checking.feed

    def write(block: np.ndarray) -> None:
        nonlocal written
        encoder.write(block)
        written += len(block)

    with checking:
        try:
            reduction = _limited_blocks(
                timeline, sources, enc, gain_db, ceiling_dbtp, write, progress
            )
        finally:
            encoder.close()
    if analyser is None:
        return written, reduction, analyse_file(path, silence_threshold_lufs)
    return written, reduction, analyser.finish(silence_threshold_lufs)
