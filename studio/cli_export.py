"""`studio export` and `studio presets`: export a programme with a preset, a range or each
region, through the same export service as the window (`studio.exporting`).

studio export PROG.sttprog                        # the chosen preset, next to the programme
studio export PROG.sttprog --preset archive-flac -o bulletin.flac
studio export PROG.sttprog --range 12.5 95 --ascii-name --folder out/
studio export PROG.sttprog --regions --folder out/   # one file per marked region
studio export PROG.sttprog --no-auto-level --no-duck  # without the balance (studio level)
studio presets [--json] [--use NAME]              # list the presets; choose the default
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from audio.errors import StudioError, current_language
from audio.errors import localized as _t
from audio.timeline import seconds_to_frames
from studio import cli_values
from studio.export_log import note_exports
from studio.exporting import ExportService, custom
from studio.paths import StudioHome
from studio.programme import load_programme
from studio.settings import Settings


def _service(home: StudioHome) -> ExportService:
    home = home.ensure()
    return ExportService(home, Settings(home.settings_file))


def _chosen_preset(args: argparse.Namespace, service: ExportService):
    base = service.preset(args.preset)
    fmt = args.format
    if fmt is None and args.output and not args.preset:
        suffix = Path(args.output).suffix.lower().lstrip(".")
        fmt = suffix if suffix in ("mp3", "wav", "flac") else None
    channels = 2 if args.stereo else (1 if args.mono else None)
    return custom(
        base,
        format=fmt,
        bitrate_kbps=args.bitrate,
        channels=channels,
        rate=args.rate,
        target_lufs=args.target_lufs,
        ceiling_dbtp=args.ceiling_dbtp,
        normalise=False if args.no_normalise else None,
    )


def cmd_export(args: argparse.Namespace, home: StudioHome) -> int:
    programme = load_programme(args.programme)
    service = _service(home)
    preset = _chosen_preset(args, service)
    ascii_names = args.ascii_name
    title = args.title or programme.title or Path(args.programme).stem
    rate = programme.timeline.rate
    folder = Path(args.folder) if args.folder else Path(args.programme).resolve().parent
    if not folder.is_dir():
        raise StudioError(
            f"The folder '{folder}' does not exist.", f"Thư mục '{folder}' không tồn tại."
        )
    balance = {
        "auto_level": False if args.no_auto_level else None,
        "duck": False if args.no_duck else None,
    }
    if args.regions:
        results = service.export_regions(
            programme, folder, preset, title=title, ascii_only=ascii_names, **balance
        )
    else:
        name = service.file_name(programme, preset, title, ascii_names)
        out = Path(args.output) if args.output else folder / name
        start = end = None
        if args.range:
            start, end = (seconds_to_frames(s, rate) for s in args.range)
        results = [
            service.export(programme, out, preset, title=title, start=start, end=end, **balance)
        ]
    details = {
        "category": programme.meta("category"),
        "author": programme.meta("author") or None,
        "preset": preset.name,
        "programme": Path(args.programme).resolve(),
    }
    multiple = len(results) > 1
    warning = note_exports(
        home, [(r, r.path.stem if multiple else title, details) for r in results]
    )
    for r in results:
        print(
            _t(
                f"Wrote {r.path} ({r.frames / r.rate:.2f} s, gain {r.gain_db:+.1f} dB)",
                f"Đã ghi {r.path} ({r.frames / r.rate:.2f} giây, chỉnh âm lượng {r.gain_db:+.1f} dB)",
            )
        )
    b = service.last_balance
    if b is not None:
        levelled = sum(1 for d in b.levels if d.measured_lufs is not None and d.level_db)
        print(
            _t(
                f"Balance: {levelled} clip(s) auto-levelled, {b.ducked_clips} bed clip(s) "
                f"ducked under the voice, {b.faded_clips} faded out (see `studio level`)",
                f"Cân bằng: {levelled} đoạn tự cân bằng mức, {b.ducked_clips} đoạn nhạc nền "
                f"tự hạ dưới giọng đọc, {b.faded_clips} đoạn tự nhỏ dần (xem `studio level`)",
            )
        )
    sys.stdout.flush()
    if warning:
        print(_t("Warning: ", "Cảnh báo: ") + warning, file=sys.stderr)
    return exit_for_reports(results)


NOT_READY = 3  # written, but its own broadcast-ready check failed: a script must not push it


def exit_for_reports(results) -> int:
    """0 when every export passed its broadcast-ready check; else NOT_READY, after one line
    per failed check."""
    lang = current_language()
    failed = [
        (r, line)
        for r in results
        if r.report is not None
        for line in r.report.lines
        if not line.passed
    ]
    for r, line in failed:
        print(
            _t(f"Not ready for broadcast: {r.path.name}: ", f"Chưa sẵn sàng phát: {r.path.name}: ")
            + line.message(lang),
            file=sys.stderr,
        )
    return NOT_READY if failed else 0


def cmd_presets(args: argparse.Namespace, home: StudioHome) -> int:
    service = _service(home)
    if args.use:
        chosen = service.choose(args.use)
        print(_t(f"Exports now use '{chosen.name}'.", f"Từ nay xuất theo mẫu '{chosen.name}'."))
        return 0
    chosen = service.chosen_name()
    presets = service.presets()
    if args.json:
        rows = [{**p.as_dict(), "chosen": p.name == chosen} for p in presets]
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    lang = current_language()
    for p in presets:
        mark = "*" if p.name == chosen else " "
        enc = f"{p.format.upper()} {p.rate} Hz {'mono' if p.channels == 1 else 'stereo'}"
        if p.format == "mp3":
            enc += f" {p.bitrate_kbps} kbps"
        print(
            f"{mark} {p.name:13} {p.target_lufs:.0f} LUFS / {p.ceiling_dbtp:.0f} dBTP, "
            f"{enc} — {p.title(lang)}"
        )
    return 0


def register(sub) -> None:
    # `render` is the same command under the name the first releases used.
    p = sub.add_parser(
        "export",
        aliases=["render"],
        help=_t(
            "export with a preset, a range or each marked region",
            "xuất theo mẫu xuất, theo đoạn hoặc từng đoạn đánh dấu",
        ),
    )
    p.set_defaults(handler=cmd_export)
    p.add_argument("programme")
    p.add_argument("--preset", help=_t("see `studio presets`", "xem `studio presets`"))
    p.add_argument("-o", "--output", help=_t("output file", "tệp xuất"))
    p.add_argument("--folder", help=_t("output folder", "thư mục xuất"))
    where = p.add_mutually_exclusive_group()
    where.add_argument("--range", nargs=2, type=cli_values.seconds, metavar=("START_S", "END_S"))
    where.add_argument("--regions", action="store_true")
    names = p.add_mutually_exclusive_group()
    names.add_argument("--ascii-name", dest="ascii_name", action="store_true", default=None)
    names.add_argument("--unicode-name", dest="ascii_name", action="store_false")
    p.add_argument("--format", choices=["mp3", "wav", "flac"])
    p.add_argument("--target-lufs", type=cli_values.finite)
    p.add_argument("--ceiling-dbtp", type=cli_values.finite)
    p.add_argument("--no-normalise", action="store_true")
    p.add_argument("--bitrate", type=int, help="kbps (MP3)")
    p.add_argument("--rate", type=int)
    ch = p.add_mutually_exclusive_group()
    ch.add_argument("--mono", action="store_true")
    ch.add_argument("--stereo", action="store_true")
    p.add_argument("--title")
    p.add_argument(
        "--no-auto-level",
        action="store_true",
        help=_t("do not auto-level clips by role", "không tự cân bằng mức theo vai trò"),
    )
    p.add_argument(
        "--no-duck",
        action="store_true",
        help=_t("music beds do not dip under the voice", "nhạc nền không tự hạ dưới giọng đọc"),
    )

    p = sub.add_parser(
        "presets",
        help=_t("list the export presets", "liệt kê các mẫu xuất"),
    )
    p.set_defaults(handler=cmd_presets)
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "--use", metavar="NAME", help=_t("make NAME the default", "đặt NAME làm mặc định")
    )
