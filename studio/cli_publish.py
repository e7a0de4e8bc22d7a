"""CLI for publishing: destinations, push, outbox — so stations can be provisioned by script.

studio destinations add NAME --kind KIND --url URL [--user U] [--password-stdin] [--option K=V]
    [--emergency]
studio destinations list | test NAME | remove NAME | emergency NAME [--off]
studio push FILE --to NAME [--to NAME…] [--priority thuong|uu-tien|khan-cap] [--title T] [--wait]
    [--at 2026-12-03T06:00 [--until DATE] [--weekdays 1-5] [--times 06:00,17:30] [--repeat N]]
studio outbox [--json] | retry ID | cancel ID | resend ID
The sender's commands (send, serve, install-service, …) are in `cli_outbox.py`.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from audio.errors import StudioError, current_language
from audio.errors import localized as _t
from export.destinations import KINDS, PRIORITIES
from studio import cli_outbox, cli_values
from studio.paths import StudioHome

if TYPE_CHECKING:
    from studio.outbox import Outbox

# The outbox (SQLAlchemy) is imported inside the handlers: `studio render` and the window's
# start-up should not pay for it.
FAILED, SENT, VERIFIED, CANCELLED = "failed", "sent", "verified", "cancelled"
DONE = (SENT, VERIFIED)


def _open(home: StudioHome) -> Outbox:
    from studio.outbox import Outbox

    return Outbox.open(home)


def _parse_options(pairs: list[str] | None) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise StudioError(
                f"'{pair}' is not KEY=VALUE.", f"'{pair}' không có dạng KHOÁ=GIÁ_TRỊ."
            )
        options[key.strip()] = value
    return options


def _read_secret() -> str:
    secret = sys.stdin.readline().rstrip("\r\n")
    if not secret:
        raise StudioError(
            "--password-stdin was given but standard input held no password.",
            "Đã dùng --password-stdin nhưng không có mật khẩu ở đầu vào chuẩn.",
        )
    return secret


def _service(home: StudioHome):
    from studio.publishing import PublishService

    return PublishService.open(home)


def cmd_dest_add(args: argparse.Namespace, home: StudioHome) -> int:
    options = _parse_options(args.option)
    secret = _read_secret() if args.password_stdin else None
    service = _service(home)
    try:
        config, warnings = service.add_destination(
            args.name, args.kind, args.url, args.user or "", options, secret, args.replace,
            emergency=args.emergency,
        )  # fmt: skip
    finally:
        service.close()
    login = f" ({config.user})" if config.user else ""
    print(_t(f"Added destination '{args.name}'{login}.", f"Đã thêm nơi nhận '{args.name}'{login}."))
    for w in warnings:
        print(_t("Warning: ", "Cảnh báo: ") + w, file=sys.stderr)
    return 0


def cmd_dest_list(args: argparse.Namespace, home: StudioHome) -> int:
    outbox = _open(home)
    try:
        configs = outbox.destinations()
        urgent = set(outbox.emergency_destinations())
    finally:
        outbox.close()
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "name": c.name,
                        "kind": c.kind,
                        "url": c.url,
                        "user": c.user,
                        "options": c.options,
                        "emergency": c.name in urgent,
                    }
                    for c in configs
                ],
                ensure_ascii=False,
                indent=1,
            )
        )
        return 0
    for c in configs:
        user = f" ({c.user})" if c.user else ""
        mark = "\t" + _t("emergency", "khẩn cấp") if c.name in urgent else ""
        print(f"{c.name}\t{c.kind}\t{c.url}{user}{mark}")
    return 0


def cmd_dest_test(args: argparse.Namespace, home: StudioHome) -> int:
    outbox = _open(home)
    try:
        plugin = outbox.plugin(args.name)
        for w in plugin.warnings():
            print(_t("Warning: ", "Cảnh báo: ") + w, file=sys.stderr)
        print(_t("OK: ", "Được: ") + plugin.check())
    finally:
        outbox.close()
    return 0


def cmd_dest_emergency(args: argparse.Namespace, home: StudioHome) -> int:
    outbox = _open(home)
    try:
        outbox.set_emergency(args.name, not args.off)
    finally:
        outbox.close()
    if args.off:
        print(_t(f"'{args.name}' no longer gets emergency bulletins.",
                 f"'{args.name}' không còn nhận bản tin khẩn cấp."))  # fmt: skip
    else:
        print(_t(f"'{args.name}' gets every emergency bulletin.",
                 f"'{args.name}' nhận mọi bản tin khẩn cấp."))  # fmt: skip
    return 0


def cmd_dest_remove(args: argparse.Namespace, home: StudioHome) -> int:
    outbox = _open(home)
    try:
        outbox.remove_destination(args.name)
    finally:
        outbox.close()
    print(_t(f"Removed destination '{args.name}'.", f"Đã xoá nơi nhận '{args.name}'."))
    return 0


def _metadata(args: argparse.Namespace) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    if args.metadata:
        try:
            with open(args.metadata, encoding="utf-8") as f:
                meta = json.load(f)
        except (OSError, ValueError) as exc:
            raise StudioError(
                f"Cannot read the metadata file '{args.metadata}': {exc}.",
                f"Không đọc được tệp thông tin '{args.metadata}': {exc}.",
            ) from exc
        if not isinstance(meta, dict):
            raise StudioError(
                "The metadata file must hold a JSON object.",
                "Tệp thông tin phải chứa một đối tượng JSON.",
            )
    for key in ("title", "summary", "category", "author", "language"):
        value = getattr(args, key)
        if value:
            meta[key] = value
    if args.area:
        meta["target_areas"] = args.area
    from studio.schedule import Schedule, schedule_from_args

    schedule = schedule_from_args(
        args.at, args.until, args.weekdays, args.times, args.repeat, args.repeat_gap
    )
    if schedule is not None:
        meta["schedule"] = schedule.as_json()
    elif meta.get("schedule") is not None:
        meta["schedule"] = Schedule.from_json(meta["schedule"]).as_json()
    return meta


STATUS_VI = {
    "queued": "đang chờ",
    "sending": "đang gửi",
    "sent": "đã gửi",
    "verified": "đã gửi, đã kiểm tra",
    "failed": "lỗi",
    "cancelled": "đã huỷ",
}


def _describe(row: dict[str, Any], reason: bool = True) -> str:
    """One line for an item; `reason=False` after a wait whose try line already gave it."""
    error = row["last_error_vi"] if current_language() == "vi" else row["last_error"]
    status = STATUS_VI.get(row["status"], row["status"]) if current_language() == "vi" else None
    text = f"#{row['id']} {status or row['status']} → {row['destination']} {row['file_name']}"
    if row.get("interrupted"):
        text += _t(
            " (interrupted: its sender stopped; will resume)",
            " (bị gián đoạn: trình gửi đã dừng; sẽ gửi tiếp)",
        )
    if row["status"] == FAILED:
        retry = row["next_retry_at"]
        text += (f": {error}" if reason else "") + (
            _t(f" (next try {retry})", f" (thử lại lúc {retry})")
            if retry
            else _t(" (needs attention)", " (cần xử lý)")
        )
    return text


def cmd_push(args: argparse.Namespace, home: StudioHome) -> int:
    service = _service(home)
    try:
        rows = service.publish(args.file, args.to, _metadata(args), args.priority, args.name)
        for row in rows:
            print(
                _t(
                    f"Queued #{row['id']} ({row['file_name']}, sha256 {row['sha256'][:12]}…) "
                    f"for '{row['destination']}'.",
                    f"Đã xếp hàng #{row['id']} ({row['file_name']}, sha256 "
                    f"{row['sha256'][:12]}…) gửi tới '{row['destination']}'.",
                ),
                flush=True,
            )
        if not args.wait:
            return 0
        codes = []
        for row in rows:
            row = cli_outbox.wait_for(service.outbox, row["id"], args.wait_max)
            print(_describe(row, reason=False))
            code = cli_outbox.wait_exit_code(row)
            if code == cli_outbox.EXIT_STILL_QUEUED:
                print(cli_outbox.still_queued_note(service.outbox, row))
            codes.append(code)
    finally:
        service.close()
    return 1 if 1 in codes else max(codes)


def cmd_outbox(args: argparse.Namespace, home: StudioHome) -> int:
    outbox = _open(home)
    try:
        rows = outbox.items()
        sender = None if args.json else cli_outbox.sender_line(outbox)
    finally:
        outbox.close()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    print(sender)
    if not rows:
        print(_t("The outbox is empty.", "Hộp thư đi trống."))
    for row in rows:
        print(_describe(row))
    return 0


def _item_command(action: str):
    def handler(args: argparse.Namespace, home: StudioHome) -> int:
        outbox = _open(home)
        try:
            row = getattr(outbox, action)(args.id)
            if action in ("retry", "resend") and args.wait:
                row = cli_outbox.wait_for(outbox, row["id"], args.wait_max)
                print(_describe(row, reason=False))
                code = cli_outbox.wait_exit_code(row)
                if code == cli_outbox.EXIT_STILL_QUEUED:
                    print(cli_outbox.still_queued_note(outbox, row))
                return code
        finally:
            outbox.close()
        print(_describe(row))
        return 0 if action == "cancel" or row["status"] != FAILED else 1

    return handler


def add_schedule_arguments(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group(
        _t("when to play (default: as soon as possible)", "lịch phát (mặc định: phát ngay)")
    )
    g.add_argument(
        "--at",
        metavar="YYYY-MM-DDTHH:MM",
        help=_t("first (or only) play; a date alone with --times", "lần phát đầu (hoặc duy nhất)"),
    )
    g.add_argument("--until", metavar="YYYY-MM-DD", help=_t("last day", "ngày cuối"))
    g.add_argument(
        "--weekdays",
        metavar="1-5",
        help=_t("ISO weekdays, 1 = Monday … 7 = Sunday", "thứ trong tuần, 1 = Thứ Hai … 7 = CN"),
    )
    g.add_argument("--times", metavar="06:00,17:30", help=_t("times of day", "các giờ phát"))
    g.add_argument(
        "--repeat", type=int, metavar="N", help=_t("plays at each time", "số lần phát mỗi giờ")
    )
    g.add_argument(
        "--repeat-gap",
        type=cli_values.seconds,
        metavar="S",
        help=_t("seconds between repeats", "số giây nghỉ giữa các lần"),
    )


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("destinations", help=_t("configure destinations", "cấu hình nơi nhận"))
    dsub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = dsub.add_parser("add", help=_t("add a destination", "thêm nơi nhận"))
    a.set_defaults(handler=cmd_dest_add)
    a.add_argument("name")
    a.add_argument("--kind", required=True, choices=list(KINDS))
    a.add_argument("--url", required=True)
    a.add_argument("--user")
    a.add_argument(
        "--password-stdin",
        action="store_true",
        help=_t("read the password/token from stdin", "đọc mật khẩu/mã từ đầu vào chuẩn"),
    )
    a.add_argument("--option", action="append", metavar="KEY=VALUE")
    a.add_argument("--replace", action="store_true")
    a.add_argument(
        "--emergency",
        action="store_true",
        help=_t("send every emergency bulletin here", "gửi mọi bản tin khẩn cấp tới đây"),
    )
    a = dsub.add_parser("list", help=_t("list destinations", "liệt kê nơi nhận"))
    a.set_defaults(handler=cmd_dest_list)
    a.add_argument("--json", action="store_true")
    a = dsub.add_parser("test", help=_t("check the connection", "kiểm tra kết nối"))
    a.set_defaults(handler=cmd_dest_test)
    a.add_argument("name")
    a = dsub.add_parser(
        "emergency", help=_t("mark for emergency bulletins", "đánh dấu nhận bản tin khẩn cấp")
    )
    a.set_defaults(handler=cmd_dest_emergency)
    a.add_argument("name")
    a.add_argument("--off", action="store_true", help=_t("unmark", "bỏ đánh dấu"))
    a = dsub.add_parser("remove", help=_t("remove a destination", "xoá nơi nhận"))
    a.set_defaults(handler=cmd_dest_remove)
    a.add_argument("name")

    p = sub.add_parser("push", help=_t("send a file to a destination", "gửi tệp tới nơi nhận"))
    p.set_defaults(handler=cmd_push)
    p.add_argument("file")
    p.add_argument(
        "--to",
        required=True,
        action="append",
        metavar="NAME",
        help=_t("a destination (repeat for several)", "nơi nhận (lặp lại để gửi tới nhiều nơi)"),
    )
    p.add_argument("--priority", choices=list(PRIORITIES), default="thuong")
    p.add_argument("--title")
    p.add_argument("--summary")
    p.add_argument("--category")
    p.add_argument("--author")
    p.add_argument("--language")
    p.add_argument("--area", action="append", help=_t("target area (thôn/xóm)", "thôn/xóm nhận"))
    p.add_argument("--metadata", help=_t("JSON file with bulletin metadata", "tệp JSON thông tin"))
    p.add_argument("--name", help=_t("publish under this file name", "tên tệp khi gửi"))
    add_schedule_arguments(p)
    p.add_argument(
        "--wait",
        action="store_true",
        help=_t("send now and wait through retries", "gửi ngay và chờ qua các lần thử lại"),
    )
    cli_outbox.add_wait_max(p)

    p = sub.add_parser("outbox", help=_t("show or manage the outbox", "xem, quản lý hộp thư đi"))
    p.set_defaults(handler=cmd_outbox)
    p.add_argument("--json", action="store_true")
    osub = p.add_subparsers(dest="action", metavar="ACTION")
    for action, en, vi in (
        ("retry", "try a failed item again", "thử gửi lại mục lỗi"),
        ("cancel", "cancel an item", "huỷ một mục"),
        ("resend", "publish the same file again", "gửi lại cùng tệp"),
    ):
        a = osub.add_parser(action, help=_t(en, vi))
        a.set_defaults(handler=_item_command(action))
        a.add_argument("id", type=int)
        if action != "cancel":
            a.add_argument("--wait", action="store_true")
            cli_outbox.add_wait_max(a)
    cli_outbox.register_outbox_actions(osub)
