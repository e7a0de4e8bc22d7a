"""`studio export`: export a programme with a destination preset, a range, or each region.

studio export PROG.json                        # loudspeaker preset, next to the programme
studio export PROG.json --preset archive-flac -o bulletin.flac
studio export PROG.json --range 12.5 95 --ascii-name --folder out/
studio export PROG.json --regions --folder out/   # one file per marked region
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from audio.errors import StudioError
from audio.errors import localized as _t
from audio.media import MediaStore
from audio.timeline import seconds_to_frames
from export.encoders import Tags
from export.formats import DEFAULT_PRESET, PRESETS, custom_preset, master_settings, preset
from export.master import export_master
from export.naming import export_file_name
from export.ranges import export_range, export_regions
from studio.export_log import note_exports
from studio.paths import StudioHome
from studio.programme import load_programme


def _reference_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def cmd_export(args: argparse.Namespace, home: StudioHome) -> int:
    programme = load_programme(args.programme)
    p = preset(args.preset) if args.preset else DEFAULT_PRESET
    fmt = args.format
    if fmt is None and args.output and not args.preset:
        suffix = Path(args.output).suffix.lower().lstrip(".")
        fmt = suffix if suffix in ("mp3", "wav", "flac") else None
    overrides = (args.bitrate, args.stereo, args.mono, args.rate, fmt, args.ceiling_dbtp)
    if any(overrides) or args.target_lufs is not None or args.no_normalise:
        channels = 2 if args.stereo else (1 if args.mono else None)
        target = None if args.no_normalise else (args.target_lufs or "keep")
        p = custom_preset(
            p,
            format=fmt,
            bitrate_kbps=args.bitrate,
            channels=channels,
            rate=args.rate,
            target_lufs=target,
            ceiling_dbtp=args.ceiling_dbtp,
        )
    settings = master_settings(p)
    ascii_names = p.ascii_file_name if args.ascii_name is None else args.ascii_name
    title = args.title or programme.title or Path(args.programme).stem
    tags = Tags(
        title=title,
        station=programme.meta("station"),
        category=programme.meta("category"),
        author=programme.meta("author"),
        date=programme.meta("date"),
        comment=programme.meta("comment"),
    )
    reference = _reference_date(programme.meta("date"))
    store = MediaStore(home.ensure().media)
    rate = programme.timeline.rate

    def sources(sid):
        return store.frames(sid, rate)

    folder = Path(args.folder) if args.folder else Path(args.programme).resolve().parent
    if not folder.is_dir():
        raise StudioError(
            f"The folder '{folder}' does not exist.", f"Thư mục '{folder}' không tồn tại."
        )
    if args.regions:
        results = export_regions(
            programme.timeline, sources, folder, title, settings, tags,
            ascii_names=ascii_names, reference=reference,
        )  # fmt: skip
    else:
        name = export_file_name(title, p.extension, ascii_only=ascii_names, reference=reference)
        out = Path(args.output) if args.output else folder / name
        if args.range:
            start, end = (seconds_to_frames(s, rate) for s in args.range)
            results = [export_range(programme.timeline, sources, out, start, end, settings, tags)]
        else:
            results = [export_master(programme.timeline, sources, out, settings, tags)]
    details = {
        "category": programme.meta("category"),
        "author": programme.meta("author") or None,
        "preset": p.key,
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
                f"Đã ghi {r.path} ({r.frames / r.rate:.2f} giây, khuếch đại {r.gain_db:+.1f} dB)",
            )
        )
    sys.stdout.flush()
    if warning:
        print(_t("Warning: ", "Cảnh báo: ") + warning, file=sys.stderr)
    return 0


def register(sub) -> None:
    # `render` is the same command under the name the first releases used.
    p = sub.add_parser(
        "export",
        aliases=["render"],
        help=_t(
            "export with a destination preset, a range or each marked region",
            "xuất theo mẫu nơi nhận, theo đoạn hoặc từng đoạn đánh dấu",
        ),
    )
    p.set_defaults(handler=cmd_export)
    p.add_argument("programme")
    p.add_argument("--preset", choices=sorted(PRESETS))
    p.add_argument("-o", "--output", help=_t("output file", "tệp xuất"))
    p.add_argument("--folder", help=_t("output folder", "thư mục xuất"))
    where = p.add_mutually_exclusive_group()
    where.add_argument("--range", nargs=2, type=float, metavar=("START_S", "END_S"))
    where.add_argument("--regions", action="store_true")
    names = p.add_mutually_exclusive_group()
    names.add_argument("--ascii-name", dest="ascii_name", action="store_true", default=None)
    names.add_argument("--unicode-name", dest="ascii_name", action="store_false")
    p.add_argument("--format", choices=["mp3", "wav", "flac"])
    p.add_argument("--target-lufs", type=float)
    p.add_argument("--ceiling-dbtp", type=float)
    p.add_argument("--no-normalise", action="store_true")
    p.add_argument("--bitrate", type=int, help="kbps (MP3)")
    p.add_argument("--rate", type=int, choices=[44_100, 48_000])
    ch = p.add_mutually_exclusive_group()
    ch.add_argument("--mono", action="store_true")
    ch.add_argument("--stereo", action="store_true")
    p.add_argument("--title")
