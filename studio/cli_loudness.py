"""`studio loudness FILE... [--json]` and `studio check FILE --preset NAME [--json]`.

`loudness` gives the full BS.1770 / R128 measurement of each file; `check` gives the
broadcast-ready report and exits 1 when any line fails (2 when the file cannot be read).
"""

from __future__ import annotations

import argparse
import json
import math
import os
from pathlib import Path

from audio.errors import StudioError, current_language
from audio.errors import localized as _t
from audio.loudness import LoudnessMeter
from audio.media import Decoder
from export.check import check_file, write_report
from export.presets import ALIASES, DEFAULT_PRESET, PRESETS, custom, preset
from studio import cli_values
from studio.exporting import ExportService
from studio.settings import Settings


def _finite(d: dict) -> dict:
    return {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in d.items()}


def measure_file(path: str | os.PathLike) -> dict:
    """The loudness measurement of one audio file as a JSON-ready dict: integrated_lufs,
    true_peak_dbtp, sample_peak_dbfs, loudness_range_lu, duration_s, momentary_max_lufs,
    short_term_max_lufs (None where there is nothing to measure)."""
    decoder = Decoder(Path(path))
    meter = LoudnessMeter(decoder.rate, decoder.channels)
    for block in decoder.blocks():
        meter.feed(block)
    report = meter.report().as_dict()
    result = {"file": os.fsdecode(path), **_finite(report)}
    warning = decoder.warning()  # a cut-short file: measured as far as it goes, and said so
    if warning is not None:
        result["warning"] = warning.message()
    return result


def _fmt(v, unit: str, digits: int = 1) -> str:
    return "—" if v is None else f"{v:.{digits}f} {unit}"


def cmd_loudness(args: argparse.Namespace, home) -> int:
    results, failed = [], 0
    for f in args.files:
        try:
            results.append(measure_file(f))
        except StudioError as exc:
            failed += 1
            results.append({"file": f, "error": exc.message()})
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
    else:
        for r in results:
            if "error" in r:
                print(f"{r['file']}: {r['error']}")
                continue
            print(
                f"{r['file']}: I {_fmt(r['integrated_lufs'], 'LUFS')}, "
                f"TP {_fmt(r['true_peak_dbtp'], 'dBTP')}, "
                f"SP {_fmt(r['sample_peak_dbfs'], 'dBFS')}, "
                f"LRA {_fmt(r['loudness_range_lu'], 'LU')}, "
                f"M max {_fmt(r['momentary_max_lufs'], 'LUFS')}, "
                f"S max {_fmt(r['short_term_max_lufs'], 'LUFS')}, {r['duration_s']:.2f} s"
            )
            if "warning" in r:
                print(f"  {_t('Warning: ', 'Cảnh báo: ')}{r['warning']}")
    return 1 if failed else 0


def cmd_check(args: argparse.Namespace, home) -> int:
    if (args.preset or "").strip().lower() == "custom":
        if args.target_lufs is None:
            raise StudioError(
                "The custom preset needs a target loudness (--target-lufs).",
                "Mẫu tùy chỉnh cần độ lớn mục tiêu (--target-lufs).",
            )
        base = DEFAULT_PRESET
    elif args.preset:
        base = preset(args.preset)
    else:  # the preset chosen for exports
        base = ExportService(home, Settings(home.settings_file)).preset()
    chosen = custom(base, target_lufs=args.target_lufs, ceiling_dbtp=args.ceiling_dbtp)
    if args.slot_seconds is not None and not args.slot_seconds > 0:
        raise StudioError(
            "The slot length must be a positive number of seconds.",
            "Độ dài khung giờ phải là số giây dương.",
        )
    report = check_file(args.file, chosen, args.slot_seconds)
    if args.save:
        write_report(report, args.file)
    if args.json:
        print(report.to_json())
    else:
        lang = current_language()
        print(f"{args.file} — {chosen.title(lang)}")
        for line in report.lines:
            mark = "✓" if line.passed else "✗"
            verdict = _t("pass", "đạt") if line.passed else _t("FAIL", "KHÔNG ĐẠT")
            print(f"  {mark} {verdict:9} {line.message(lang)}")
        print(
            _t("Ready for broadcast.", "Sẵn sàng phát.")
            if report.passed
            else _t("Not ready for broadcast.", "Chưa sẵn sàng phát.")
        )
    return 0 if report.passed else 1


def register(sub) -> None:
    p = sub.add_parser(
        "loudness",
        help=_t("measure loudness (BS.1770 / EBU R128)", "đo độ lớn âm thanh (BS.1770 / EBU R128)"),
    )
    p.set_defaults(handler=cmd_loudness)
    p.add_argument("files", nargs="+")
    p.add_argument("--json", action="store_true")

    names = ", ".join([*PRESETS, "custom", *ALIASES])
    p = sub.add_parser(
        "check",
        help=_t("broadcast-ready check of a finished file", "kiểm tra tệp đã sẵn sàng phát chưa"),
    )
    p.set_defaults(handler=cmd_check)
    p.add_argument("file")
    p.add_argument(
        "--preset",
        help=f"{names} ({_t('default: the chosen one', 'mặc định: mẫu đang chọn')})",
    )
    p.add_argument(
        "--target-lufs", type=cli_values.finite, help=_t("override the target", "mục tiêu khác")
    )
    p.add_argument(
        "--ceiling-dbtp", type=cli_values.finite, help=_t("override the ceiling", "ngưỡng khác")
    )
    p.add_argument(
        "--slot-seconds",
        type=cli_values.duration,
        help=_t("the broadcast slot length", "độ dài khung giờ phát"),
    )
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "--save",
        action="store_true",
        help=_t("also write <file>.report.json beside it", "ghi thêm <tệp>.report.json bên cạnh"),
    )
