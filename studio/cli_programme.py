"""`studio new PROG` and `studio add PROG AUDIO --track NAME`: assemble a programme file."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from audio.errors import StudioError
from audio.errors import localized as _t
from audio.media import MediaStore
from audio.timeline import TrackRole, seconds_to_frames
from studio import cli_values
from studio.edits import add_source_clip
from studio.paths import StudioHome
from studio.programme import Programme, load_programme, save_programme


def cmd_new(args: argparse.Namespace, home: StudioHome) -> int:
    path = Path(args.programme)
    if path.exists() and not args.force:
        raise StudioError(
            f"'{path}' already exists (use --force to replace it).",
            f"'{path}' đã tồn tại (dùng --force để ghi đè).",
        )
    if args.template:
        from studio.cli_script import new_from_template

        print(new_from_template(path, args.template, args.title, home))
        return 0
    save_programme(Programme(title=args.title or path.stem), path)
    print(_t(f"Created {path}", f"Đã tạo {path}"))
    return 0


def cmd_add(args: argparse.Namespace, home: StudioHome) -> int:
    programme = load_programme(args.programme)
    rate = programme.timeline.rate
    info = MediaStore(home.ensure().media).import_file(args.audio, rate)
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
    warning = info.warning()
    if warning is not None:
        print(_t("Warning: ", "Cảnh báo: ") + warning.message(), file=sys.stderr)
    return 0


def register(sub) -> None:
    p = sub.add_parser("new", help=_t("create an empty programme", "tạo chương trình trống"))
    p.set_defaults(handler=cmd_new)
    p.add_argument("programme")
    p.add_argument("--title")
    p.add_argument(
        "--template", help=_t("a template id (studio templates)", "mã mẫu (studio templates)")
    )
    p.add_argument("--force", action="store_true")

    p = sub.add_parser("add", help=_t("add an audio file to a track", "thêm tệp âm thanh vào rãnh"))
    p.set_defaults(handler=cmd_add)
    p.add_argument("programme")
    p.add_argument("audio")
    p.add_argument("--track", required=True)
    p.add_argument("--at", type=cli_values.seconds, help=_t("start in seconds", "bắt đầu tại giây"))
    p.add_argument("--gain-db", type=cli_values.gain_db, default=0.0)
    p.add_argument("--role", choices=[r.value for r in TrackRole])
