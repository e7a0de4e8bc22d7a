"""The command line: assemble, render and measure programmes without the window.

Every user error ends with one line in the user's language and a non-zero exit code, never a
traceback. Sub-commands live in small functions registered in `COMMANDS`.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from audio.errors import Cancelled, StudioError
from audio.errors import localized as _t
from audio.media import MediaStore
from audio.timeline import TrackRole, seconds_to_frames
from studio import cli_export, cli_library, cli_loudness, cli_publish, cli_record
from studio.edits import add_source_clip
from studio.paths import StudioHome
from studio.programme import Programme, load_programme, save_programme


def _store(home: StudioHome) -> MediaStore:
    return MediaStore(home.ensure().media)


def cmd_new(args: argparse.Namespace, home: StudioHome) -> int:
    path = Path(args.programme)
    if path.exists() and not args.force:
        raise StudioError(
            f"'{path}' already exists (use --force to replace it).",
            f"'{path}' đã tồn tại (dùng --force để ghi đè).",
        )
    save_programme(Programme(title=args.title or path.stem), path)
    print(_t(f"Created {path}", f"Đã tạo {path}"))
    return 0


def cmd_add(args: argparse.Namespace, home: StudioHome) -> int:
    programme = load_programme(args.programme)
    rate = programme.timeline.rate
    info = _store(home).import_file(args.audio, rate)
    start = None if args.at is None else seconds_to_frames(args.at, rate)
    role = TrackRole(args.role) if args.role else None
    programme = add_source_clip(
        programme, info, args.track, start, args.gain_db, role, os.path.abspath(args.audio)
    )
    save_programme(programme, args.programme)
    print(
        _t(
            f"Added '{info.original_name}' ({info.duration_s:.2f} s) to track '{args.track}'",
            f"Đã thêm '{info.original_name}' ({info.duration_s:.2f} giây) vào rãnh '{args.track}'",
        )
    )
    return 0


# Sub-command modules: each has `register(subparsers)` that adds its parsers with
# `set_defaults(handler=function)`; a handler takes (args, home) and returns the exit code.
EXTENSIONS: list = [cli_loudness, cli_library, cli_export, cli_record, cli_publish]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="studio",
        description=_t(
            "Studio Truyền Thanh. Without a command, opens the window.",
            "Studio Truyền Thanh. Không có lệnh con thì mở cửa sổ chương trình.",
        ),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("new", help=_t("create an empty programme", "tạo chương trình trống"))
    p.set_defaults(handler=cmd_new)
    p.add_argument("programme")
    p.add_argument("--title")
    p.add_argument("--force", action="store_true")

    p = sub.add_parser("add", help=_t("add an audio file to a track", "thêm tệp âm thanh vào rãnh"))
    p.set_defaults(handler=cmd_add)
    p.add_argument("programme")
    p.add_argument("audio")
    p.add_argument("--track", required=True)
    p.add_argument("--at", type=float, help=_t("start in seconds", "bắt đầu tại giây"))
    p.add_argument("--gain-db", type=float, default=0.0)
    p.add_argument("--role", choices=[r.value for r in TrackRole])

    for module in EXTENSIONS:
        module.register(sub)
    return parser


def run(argv: list[str], home: StudioHome | None = None) -> int:
    """Run a sub-command; return the process exit code."""
    args = build_parser().parse_args(argv)
    home = home or StudioHome.default()
    try:
        if args.command is None:
            build_parser().print_help()
            return 2
        return args.handler(args, home)
    except StudioError as exc:
        print(exc.message(), file=sys.stderr)
        return 1
    except Cancelled:
        print(_t("Cancelled.", "Đã huỷ."), file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print(_t("Interrupted.", "Đã dừng."), file=sys.stderr)
        return 130


def is_command(argv: list[str]) -> bool:
    """True when argv asks for a sub-command (or help) rather than the window."""
    if not argv:
        return False
    if argv[0].startswith("-"):
        return True
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return argv[0] in sub.choices
