"""The broadcast-ready check: one report, line by line, that a finished file is fit to send.

Lines: integrated loudness vs the target (± tolerance), true peak (measured on the encoded
file, as a decoder sees it) vs the ceiling, loudness range, duration vs the slot, dead air,
clipping, and mono compatibility (loudspeakers sum stereo to mono). Each line passes or fails
with its figures; the whole passes only if every line does. The report is written beside the
export as `<file>.report.json` and sent with pushes.

`ProgrammeAnalyser` takes blocks, so the same analysis runs on a file being decoded or on a
stream being rendered.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from audio.errors import MediaError
from audio.fileio import write_text_atomically
from audio.loudness import LoudnessMeter, LoudnessReport
from audio.media import Decoder
from export.presets import ExportPreset

REPORT_SUFFIX = ".report.json"
CLIP_LEVEL = 10 ** (-0.1 / 20)  # a sample at or above −0.1 dBFS counts as clipped …
CLIP_RUN = 3  # … when at least this many follow each other (a flat top, not one peak)
MONO_SUM_OFFSET_DB = 10 * math.log10(2.0)  # (L+R)/2 measured alone vs as two equal channels


class _ClipCounter:
    """Runs of ≥ CLIP_RUN consecutive clipped samples per channel, across blocks."""

    def __init__(self, channels: int):
        self._run = np.zeros(channels, np.int64)
        self.runs = 0
        self.samples = 0

    def feed(self, block: np.ndarray) -> None:
        hot = np.abs(block) >= CLIP_LEVEL
        self.samples += int(hot.sum())
        for c in range(block.shape[1]):
            b = hot[:, c]
            if not b.any():
                self._close(c)
                continue
            edges = np.diff(np.concatenate([[0], b.view(np.int8), [0]]))
            starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
            lengths = ends - starts
            if starts[0] == 0:  # continues the run open at the end of the last block
                lengths[0] += self._run[c]
            elif self._run[c]:
                self._close(c)
            open_at_end = ends[-1] == len(b)
            closed = lengths[:-1] if open_at_end else lengths
            self.runs += int((closed >= CLIP_RUN).sum())
            self._run[c] = lengths[-1] if open_at_end else 0

    def _close(self, c: int) -> None:
        if self._run[c] >= CLIP_RUN:
            self.runs += 1
        self._run[c] = 0

    def finish(self) -> None:
        for c in range(len(self._run)):
            self._close(c)


@dataclass(frozen=True, slots=True)
class ProgrammeAnalysis:
    loudness: LoudnessReport
    rate: int
    channels: int
    longest_silence_s: float
    longest_silence_at_s: float | None
    clipped_runs: int
    clipped_samples: int
    mono_loss_db: float | None  # None for mono, or when silent
    short_term_series: np.ndarray | None = None  # LUFS every 100 ms (−inf in silence)


class ProgrammeAnalyser:
    """Everything the check needs, from one pass over the blocks of a programme."""

    def __init__(self, rate: int, channels: int):
        self.rate = rate
        self.channels = channels
        self.meter = LoudnessMeter(rate, channels)
        self._mono = LoudnessMeter(rate, 1, true_peak=False) if channels == 2 else None
        self._clips = _ClipCounter(channels)

    def feed(self, block: np.ndarray) -> None:
        if block.ndim == 1:
            block = block[:, None]
        self.meter.feed(block)
        if self._mono is not None:
            self._mono.feed((block[:, 0] + block[:, 1]) * np.float32(0.5))
        self._clips.feed(block)

    def finish(self, silence_threshold_lufs: float = -60.0) -> ProgrammeAnalysis:
        self._clips.finish()
        report = self.meter.report()
        longest, at = _longest_silence(self.meter.hop_energies, silence_threshold_lufs)
        mono_loss = None
        if self._mono is not None:
            mono = self._mono.integrated_lufs()
            if report.integrated_lufs is not None:
                if mono is None:
                    mono_loss = math.inf  # the channels cancel out completely
                else:
                    mono_loss = report.integrated_lufs - (mono + MONO_SUM_OFFSET_DB)
        return ProgrammeAnalysis(
            loudness=report,
            rate=self.rate,
            channels=self.channels,
            longest_silence_s=longest,
            longest_silence_at_s=at,
            clipped_runs=self._clips.runs,
            clipped_samples=self._clips.samples,
            mono_loss_db=mono_loss,
            short_term_series=self.meter.short_term_series(),
        )


def _longest_silence(hops: np.ndarray, threshold_lufs: float) -> tuple[float, float | None]:
    """(length, start) in seconds of the longest run of 100 ms hops under the threshold."""
    if not len(hops):
        return 0.0, None
    silent = hops < 10 ** ((threshold_lufs + 0.691) / 10)
    edges = np.diff(np.concatenate([[0], silent.view(np.int8), [0]]))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    if not len(starts):
        return 0.0, None
    i = int(np.argmax(ends - starts))
    return (ends[i] - starts[i]) / 10.0, starts[i] / 10.0


def analyse_file(
    path: str | os.PathLike, silence_threshold_lufs: float = -60.0
) -> ProgrammeAnalysis:
    """Decode `path` (as a player would) and analyse it. Raises MediaError if unreadable."""
    decoder = Decoder(Path(path))
    analyser = ProgrammeAnalyser(decoder.rate, decoder.channels)
    for block in decoder.blocks():
        analyser.feed(block)
    if analyser.meter.frames == 0:
        name = Path(path).name
        raise MediaError(f"'{name}' holds no audio.", f"Tệp '{name}' không có dữ liệu âm thanh.")
    return analyser.finish(silence_threshold_lufs)


@dataclass(frozen=True, slots=True)
class CheckLine:
    check: str  # a stable key: integrated_loudness, true_peak, loudness_range, duration, ...
    passed: bool
    value: float | int | None
    limit: str  # the rule, e.g. "−16.0 ± 1.0 LUFS"
    unit: str
    en: str
    vi: str

    def message(self, lang: str) -> str:
        return self.vi if lang == "vi" else self.en


@dataclass(frozen=True, slots=True)
class BroadcastReport:
    file: str
    preset: ExportPreset
    lines: tuple[CheckLine, ...]
    measurement: dict = field(default_factory=dict)
    slot_seconds: float | None = None

    @property
    def passed(self) -> bool:
        return all(line.passed for line in self.lines)

    def line(self, check: str) -> CheckLine:
        return next(line for line in self.lines if line.check == check)

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "passed": bool(self.passed),
            "preset": self.preset.as_dict(),
            "slot_seconds": self.slot_seconds,
            "checks": [
                {
                    "check": ln.check,
                    "passed": bool(ln.passed),
                    "value": _finite(ln.value),
                    "limit": ln.limit,
                    "unit": ln.unit,
                    "en": ln.en,
                    "vi": ln.vi,
                }
                for ln in self.lines
            ],
            "measurement": {k: _finite(v) for k, v in self.measurement.items()},
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=1)


def _finite(v):
    if isinstance(v, np.generic):  # numpy scalars are not JSON; their Python values are
        v = v.item()
    if isinstance(v, float):
        return round(v, 3) if math.isfinite(v) else None
    return v


def _f(v: float | None, digits: int = 1) -> str:
    return "—" if v is None or not math.isfinite(v) else f"{v:.{digits}f}"


def _mmss(seconds: float) -> str:
    m, s = divmod(int(round(seconds)), 60)
    return f"{m}:{s:02d}"


def build_report(
    analysis: ProgrammeAnalysis,
    preset: ExportPreset,
    slot_seconds: float | None = None,
    file: str = "",
    limiter_reduction_db: float | None = None,
) -> BroadcastReport:
    """Judge an analysis against a preset (and a slot length, if one is set).
    `limiter_reduction_db` (from an export) adds a line saying how hard the limiter worked."""
    r = analysis.loudness
    p = preset
    lines = []

    i = r.integrated_lufs
    ok = i is not None and abs(i - p.target_lufs) <= p.tolerance_lu
    rule = f"{p.target_lufs:.1f} ± {p.tolerance_lu:.1f} LUFS"
    lines.append(
        CheckLine(
            "integrated_loudness", ok, i, rule, "LUFS",
            f"Integrated loudness {_f(i)} LUFS (target {rule})",
            f"Độ lớn cả bài {_f(i)} LUFS (mục tiêu {rule})",
        )
    )  # fmt: skip

    tp = r.true_peak_dbtp
    ok = tp is None or tp <= p.ceiling_dbtp + 0.005  # shown with two decimals
    rule = f"≤ {p.ceiling_dbtp:.1f} dBTP"
    lines.append(
        CheckLine(
            "true_peak", ok, tp, rule, "dBTP",
            f"True peak {_f(tp, 2)} dBTP (ceiling {rule})",
            f"Đỉnh thực {_f(tp, 2)} dBTP (ngưỡng {rule})",
        )
    )  # fmt: skip

    lra = r.loudness_range_lu
    ok = lra is None or lra <= p.max_lra_lu
    rule = f"≤ {p.max_lra_lu:.0f} LU"
    lines.append(
        CheckLine(
            "loudness_range", ok, lra, rule, "LU",
            f"Loudness range {_f(lra)} LU ({rule})",
            f"Dải độ lớn {_f(lra)} LU ({rule})",
        )
    )  # fmt: skip

    d = r.duration_s
    if slot_seconds is None:
        lines.append(
            CheckLine(
                "duration", True, d, "no slot set", "s",
                f"Duration {_mmss(d)} (no slot length set)",
                f"Thời lượng {_mmss(d)} (chưa đặt độ dài khung giờ)",
            )
        )  # fmt: skip
    else:
        ok = d <= slot_seconds
        rule = f"≤ {_mmss(slot_seconds)}"
        over = "" if ok else f", {d - slot_seconds:.1f} s over"
        over_vi = "" if ok else f", thừa {d - slot_seconds:.1f} giây"
        lines.append(
            CheckLine(
                "duration", ok, d, rule, "s",
                f"Duration {_mmss(d)} (slot {rule}{over})",
                f"Thời lượng {_mmss(d)} (khung giờ {rule}{over_vi})",
            )
        )  # fmt: skip

    s = analysis.longest_silence_s
    ok = s <= p.max_silence_s
    rule = f"≤ {p.max_silence_s:.0f} s"
    where = "" if analysis.longest_silence_at_s is None else _mmss(analysis.longest_silence_at_s)
    lines.append(
        CheckLine(
            "dead_air", ok, s, rule, "s",
            f"Longest silence {s:.1f} s" + (f" at {where}" if where else "") + f" ({rule})",
            f"Khoảng lặng dài nhất {s:.1f} giây" + (f" tại {where}" if where else "")
            + f" ({rule})",
        )
    )  # fmt: skip

    n = analysis.clipped_runs
    lines.append(
        CheckLine(
            "clipping", n == 0, n, "0", "runs",
            f"Clipping: {n} clipped stretch(es) ({analysis.clipped_samples} samples at 0 dBFS)",
            f"Méo cắt đỉnh: {n} đoạn ({analysis.clipped_samples} mẫu chạm 0 dBFS)",
        )
    )  # fmt: skip

    loss = analysis.mono_loss_db
    rule = f"≤ {p.max_mono_loss_db:.1f} dB"
    if analysis.channels == 1:
        lines.append(
            CheckLine(
                "mono_compatibility", True, None, rule, "dB",
                "Mono compatibility: the file is mono",
                "Nghe tốt khi gộp về một kênh: tệp chỉ có một kênh",
            )
        )  # fmt: skip
    else:
        ok = loss is None or loss <= p.max_mono_loss_db
        lines.append(
            CheckLine(
                "mono_compatibility", ok, loss, rule, "dB",
                f"Summed to mono the programme loses {_f(loss)} dB ({rule})",
                f"Khi gộp về một kênh chương trình nhỏ đi {_f(loss)} dB ({rule})",
            )
        )  # fmt: skip

    if limiter_reduction_db is not None:
        g = max(0.0, float(limiter_reduction_db))
        en = (
            "Limiter: not needed"
            if g < 0.05
            else f"Limiter: took up to {g:.1f} dB off the loudest peaks"
            + (" (heavy: the mix has very loud peaks)" if g > 6 else "")
        )
        vi = (
            "Bộ giới hạn đỉnh: không phải làm việc"
            if g < 0.05
            else f"Bộ giới hạn đỉnh: giảm tối đa {g:.1f} dB ở các đỉnh to nhất"
            + (" (nhiều: bản phối có đỉnh rất to)" if g > 6 else "")
        )
        lines.append(CheckLine("limiter", True, g, "", "dB", en, vi))

    measurement = {
        **r.as_dict(),
        **({} if limiter_reduction_db is None else {"limiter_reduction_db": limiter_reduction_db}),
        "rate": analysis.rate,
        "channels": analysis.channels,
        "longest_silence_s": analysis.longest_silence_s,
        "clipped_runs": analysis.clipped_runs,
        "mono_loss_db": loss,
    }
    return BroadcastReport(file, preset, tuple(lines), measurement, slot_seconds)


def report_path(export_path: str | os.PathLike) -> Path:
    """Where the report of `export_path` lives: `<file>.report.json` beside it."""
    p = Path(export_path)
    return p.with_name(p.name + REPORT_SUFFIX)


def write_report(report: BroadcastReport, export_path: str | os.PathLike) -> Path:
    """Write the report beside the export, atomically; returns its path."""
    path = report_path(export_path)
    write_text_atomically(path, report.to_json() + "\n")
    return path


def check_file(
    path: str | os.PathLike, preset: ExportPreset, slot_seconds: float | None = None
) -> BroadcastReport:
    """Decode, analyse and judge one file."""
    analysis = analyse_file(path, preset.silence_threshold_lufs)
    return build_report(analysis, preset, slot_seconds, os.fsdecode(path))


__all__ = [
    "BroadcastReport",
    "CheckLine",
    "ProgrammeAnalyser",
    "ProgrammeAnalysis",
    "analyse_file",
    "build_report",
    "check_file",
    "report_path",
    "write_report",
]
