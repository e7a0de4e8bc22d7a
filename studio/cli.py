"""The command line: assemble, render and measure programmes without the window.

Every user error ends with one line in the user's language and a non-zero exit code, never a
traceback.

Adding a sub-command is one line in `COMMANDS`: its name, the module that defines it and its
one-line help in English and Vietnamese. The module has `register(sub)`, which adds its
parsers to the argparse sub-parsers with `set_defaults(handler=function)`; a handler takes
(args, home) and returns the exit code. A module may register several names (give each its own
line). Only the chosen command's module is imported, so `studio --help` and every command
start without paying for the others' machinery (scipy, SQLAlchemy, Qt…): keep heavy imports in
those modules or inside their handlers, never here.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from audio.errors import Cancelled, StudioError
from audio.errors import localized as _t

# name: (module, English help, Vietnamese help); help None keeps an alias out of the listing.
COMMANDS: dict[str, tuple[str, str | None, str | None]] = {
    "new": ("studio.cli_programme", "create an empty programme", "tạo chương trình trống"),
    "add": ("studio.cli_programme", "add an audio file to a track", "thêm tệp âm thanh vào rãnh"),
    "loudness": (
        "studio.cli_loudness",
        "measure loudness (BS.1770 / EBU R128)",
        "đo độ lớn âm thanh (BS.1770 / EBU R128)",
    ),
    "check": (
        "studio.cli_loudness",
        "broadcast-ready check of a finished file",
        "kiểm tra tệp đã sẵn sàng phát chưa",
    ),
    "library": ("studio.cli_library", "the segment library", "thư viện đoạn âm thanh"),
    "export": (
        "studio.cli_export",
        "export with a preset, a range or each marked region",
        "xuất theo mẫu xuất, theo đoạn hoặc từng đoạn đánh dấu",
    ),
    "render": ("studio.cli_export", None, None),  # the name the first releases used
    "level": (
        "studio.cli_level",
        "auto-level and ducking: what is measured and chosen per clip",
        "tự cân bằng mức và tự hạ nhạc nền: đo và chọn gì cho từng đoạn",
    ),
    "presets": ("studio.cli_export", "list or choose the export presets", "xem, chọn mẫu xuất"),
    "record": ("studio.cli_record", "record from an input (timer recording)", "thu âm (hẹn giờ)"),
    "recover-takes": (
        "studio.cli_record",
        "recover takes cut short by a crash",
        "khôi phục bản thu bị gián đoạn",
    ),
    "destinations": ("studio.cli_publish", "configure destinations", "cấu hình nơi nhận"),
    "push": ("studio.cli_publish", "send a file to a destination", "gửi tệp tới nơi nhận"),
    "outbox": ("studio.cli_publish", "show or manage the outbox", "xem, quản lý hộp thư đi"),
    "properties": (
        "studio.cli_properties",
        "show or set the programme's properties",
        "xem, sửa thuộc tính chương trình",
    ),
    "templates": ("studio.cli_script", "programme templates", "mẫu chương trình"),
    "script": ("studio.cli_script", "the programme's script", "kịch bản của chương trình"),
    "emergency": (
        "studio.cli_emergency",
        "send an emergency bulletin now",
        "phát bản tin khẩn cấp ngay",
    ),
    "report": (
        "studio.cli_report",
        "the periodic report (CSV, HTML, PDF)",
        "báo cáo định kỳ (CSV, HTML, PDF)",
    ),
}


def _chosen(argv: list[str]) -> str | None:
    return argv[0] if argv and argv[0] in COMMANDS else None


class _Parser(argparse.ArgumentParser):
    """argparse, but a mistake is one line (and the way to help), not the whole usage."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: {message} ({_t('see', 'xem')} {self.prog} --help)\n")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; with `command`, that command's module is imported and its real parsers
    added, otherwise every command is only a name and a line of help."""
    parser = _Parser(
        prog="studio",
        description=_t(
            "Studio Truyền Thanh. Without a command, opens the window.",
            "Studio Truyền Thanh. Không có lệnh con thì mở cửa sổ chương trình.",
        ),
    )
    # Handled by the launcher (studio/__main__.py), which can add the window's check; listed
    # here so that --help shows it.
    parser.add_argument(
        "--self-test",
        action="store_true",
        help=_t(
            "check this installation (window, audio devices, MP3, library, keyring) and exit",
            "kiểm tra bản cài đặt (cửa sổ, thiết bị âm thanh, MP3, thư viện, kho mật khẩu) rồi thoát",
        ),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    if command is not None:
        importlib.import_module(COMMANDS[command][0]).register(sub)
        return parser
    for name, (_module, en, vi) in COMMANDS.items():
        if en is None:
            sub.add_parser(name, add_help=False)
        else:
            sub.add_parser(name, help=_t(en, vi or en), add_help=False)
    return parser


def run(argv: list[str], home=None) -> int:
    """Run a sub-command; return the process exit code."""
    args = build_parser(_chosen(argv)).parse_args(argv)
    try:
        if args.self_test:
            from studio import selftest

            return selftest.main(None)  # without the window: the launcher adds that check
        if args.command is None:
            build_parser().print_help()
            return 2
        from studio.paths import StudioHome

        return args.handler(args, home or StudioHome.default())
    except StudioError as exc:
        print(exc.message(), file=sys.stderr)
        return 1
    except OSError as exc:  # a disk or folder fault no layer foresaw: still one line
        where = f" '{exc.filename}'" if exc.filename else ""
        print(
            _t(
                f"Cannot use{where}: {exc.strerror or exc}.",
                f"Không dùng được{where}: {exc.strerror or exc}.",
            ),
            file=sys.stderr,
        )
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
    return argv[0].startswith("-") or argv[0] in COMMANDS
