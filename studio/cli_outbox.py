"""CLI for the outbox's sender: waiting for a push, the background sender and its service.

studio outbox serve [--until-done] [--home DIR]     send until stopped (SIGTERM / Ctrl+C)
studio outbox install-service [--no-start] [--dry-run] [--platform windows|linux]
studio outbox uninstall-service [--dry-run] [--platform windows|linux]
studio outbox send                                   send what is due now, once
studio outbox clean                                  remove copies nothing needs any more
`studio push … --wait [--wait-max S]` waits through retries (see `wait_for`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import signal
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from audio.errors import StudioError, current_language
from audio.errors import localized as _t
from studio.paths import StudioHome

if TYPE_CHECKING:
    from studio.outbox import Outbox

log = logging.getLogger(__name__)

DONE = ("sent", "verified")
WAIT_MAX_S = 300.0  # `push --wait` gives up waiting after 5 minutes …
WAIT_MAX_EMERGENCY_S = 1800.0  # … or 30 minutes for a khẩn cấp bulletin
EXIT_STILL_QUEUED = 75  # sysexits EX_TEMPFAIL: not sent yet, the outbox keeps trying


def _open(home: StudioHome) -> Outbox:
    from studio.outbox import Outbox

    return Outbox.open(home)


def _clock(iso: str | None) -> str:
    """A UTC timestamp from the outbox as local wall-clock time (HH:MM:SS)."""
    if not iso:
        return ""
    when = dt.datetime.fromisoformat(iso.rstrip("Z")).replace(tzinfo=dt.UTC)
    return when.astimezone().strftime("%H:%M:%S")


def _seconds_until(iso: str | None) -> int:
    if not iso:
        return 0
    when = dt.datetime.fromisoformat(iso.rstrip("Z")).replace(tzinfo=dt.UTC)
    return max(0, round((when - dt.datetime.now(dt.UTC)).total_seconds()))


def sender_line(outbox: Outbox) -> str:
    """Who sends from this outbox now, for `studio outbox` and the window's status bar."""
    holder = outbox.sender()
    if holder is None:
        return _t(
            "No sender is running: queued items wait for the window or `studio outbox serve`.",
            "Không có trình gửi nào đang chạy: mục chờ gửi sẽ đợi cửa sổ chương trình hoặc "
            "`studio outbox serve`.",
        )
    what = {
        "service": _t("the background sender", "trình gửi nền"),
        "window": _t("the window", "cửa sổ chương trình"),
    }.get(holder.role, _t("a command", "một lệnh"))
    return _t(f"Sending: {what} ({holder.owner}).", f"Đang gửi: {what} ({holder.owner}).")


class TryPrinter:
    """Prints one line per try of one item (started, failed with the next try, sent)."""

    def __init__(self, item_id: int):
        self.item_id = item_id
        self.seen: tuple[int, str] | None = None

    def __call__(self, row: dict[str, Any]) -> None:
        if row["id"] != self.item_id:
            return
        state = (row["attempts"], row["status"])
        if state == self.seen or row["status"] == "queued":
            return
        self.seen = state
        n, dest = row["attempts"], row["destination"]
        if row["status"] == "sending":
            line = _t(f"Try {n} → '{dest}': sending…", f"Lần {n} → '{dest}': đang gửi…")
        elif row["status"] == "failed":
            error = row["last_error_vi"] if current_language() == "vi" else row["last_error"]
            if row["next_retry_at"]:
                wait_s, at = _seconds_until(row["next_retry_at"]), _clock(row["next_retry_at"])
                line = _t(
                    f"Try {n} → '{dest}' failed: {error} Next try in {wait_s} s ({at}).",
                    f"Lần {n} → '{dest}' lỗi: {error} Thử lại sau {wait_s} giây ({at}).",
                )
            else:
                line = _t(
                    f"Try {n} → '{dest}' failed: {error} (needs attention)",
                    f"Lần {n} → '{dest}' lỗi: {error} (cần xử lý)",
                )
        elif row["status"] in DONE:
            line = _t(f"Try {n} → '{dest}': sent.", f"Lần {n} → '{dest}': đã gửi.")
        else:
            return
        print(line, flush=True)


def wait_for(outbox: Outbox, item_id: int, wait_max_s: float | None = None) -> dict[str, Any]:
    """Wait until `item_id` is sent, cancelled, failed for good, or `wait_max_s` has passed,
    printing each try. This process sends (it takes the outbox's sender lease) unless another
    sender (the window, the background service) holds it; then it watches that one work."""
    from studio.applog import log_to_file
    from studio.outbox import OutboxWorker

    # The sender's log goes to the app's log file: the terminal gets the lines printed here.
    log_to_file(outbox.home, "outbox")
    row = outbox.item(item_id)
    if wait_max_s is None:
        wait_max_s = WAIT_MAX_EMERGENCY_S if row["priority"] == "khan-cap" else WAIT_MAX_S
    printer = TryPrinter(item_id)
    worker = OutboxWorker(outbox, on_change=printer, role="cli", probe_s=2.0)
    deadline = time.monotonic() + wait_max_s
    told_other = tried = False
    try:
        while True:
            row = outbox.item(item_id)
            printer(row)
            if row["status"] in DONE or row["status"] == "cancelled":
                return row
            if row["status"] == "failed" and not row["next_retry_at"]:
                return row
            if tried and time.monotonic() >= deadline:
                return row
            tried = True
            if worker.acquire():
                worker.step()
            elif not told_other:
                told_other = True
                print(
                    _t(
                        "Another sender works on this outbox; waiting for it to send "
                        f"#{item_id}. {sender_line(outbox)}",
                        f"Một trình gửi khác đang làm việc với hộp thư đi; chờ nó gửi "
                        f"#{item_id}. {sender_line(outbox)}",
                    ),
                    flush=True,
                )
            time.sleep(0.5)
    finally:
        worker.release()


def wait_exit_code(row: dict[str, Any]) -> int:
    """0 sent; 1 failed for good or cancelled; 75 not sent yet but the outbox keeps trying."""
    if row["status"] in DONE:
        return 0
    if row["status"] in ("failed", "queued", "sending") and (
        row["status"] != "failed" or row["next_retry_at"]
    ):
        return EXIT_STILL_QUEUED
    return 1


def still_queued_note(outbox: Outbox, row: dict[str, Any]) -> str:
    keeps = (
        _t("The background sender keeps trying.", "Trình gửi nền sẽ tiếp tục thử.")
        if outbox.sender() is not None
        else _t(
            "It is sent when the window is open or `studio outbox serve` runs.",
            "Mục sẽ được gửi khi cửa sổ chương trình mở hoặc `studio outbox serve` chạy.",
        )
    )
    return _t(
        f"#{row['id']} is not sent yet; it stays in the outbox. {keeps}",
        f"#{row['id']} chưa gửi được; mục vẫn nằm trong hộp thư đi. {keeps}",
    )


# --- the background sender --------------------------------------------------------------------
def cmd_serve(args: argparse.Namespace, home: StudioHome) -> int:
    from studio.applog import log_to_file
    from studio.outbox import OutboxWorker

    if args.home:
        home = StudioHome(Path(args.home).expanduser())
    log_to_file(home.ensure(), "outbox", echo=True)
    outbox = _open(home)
    worker = OutboxWorker(outbox, poll_s=args.poll, role="service")

    def stop(signum, _frame) -> None:
        log.info("Outbox sender: signal %s, stopping", signal.Signals(signum).name)
        worker.stop(timeout=0)

    previous = {}
    for name in ("SIGTERM", "SIGINT", "SIGHUP", "SIGBREAK"):
        sig = getattr(signal, name, None)
        if sig is not None:
            previous[sig] = signal.signal(sig, stop)
    print(
        _t(
            f"Sending from the outbox of {home.root} (Ctrl+C to stop).",
            f"Đang gửi từ hộp thư đi của {home.root} (Ctrl+C để dừng).",
        ),
        flush=True,
    )
    if not worker.acquire():
        print(
            _t(
                f"Another sender works on this outbox; waiting until it stops. "
                f"{sender_line(outbox)}",
                f"Một trình gửi khác đang làm việc với hộp thư đi; chờ nó dừng. "
                f"{sender_line(outbox)}",
            ),
            flush=True,
        )
    try:
        worker.run(until_done=args.until_done)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        outbox.close()
    return 0


def cmd_send(args: argparse.Namespace, home: StudioHome) -> int:
    """What the app does on start: send every due item, including ones a crash interrupted."""
    from studio.applog import log_to_file
    from studio.cli_publish import _describe
    from studio.outbox import OutboxWorker

    log_to_file(home.ensure(), "outbox")
    outbox = _open(home)
    try:
        worker = OutboxWorker(outbox, role="cli")
        if not worker.acquire():
            print(sender_line(outbox))
            return 0
        try:
            worker.probe(force=True)
            rows = worker.drain()
        finally:
            worker.release()
    finally:
        outbox.close()
    for row in rows:
        print(_describe(row))
    return 1 if any(r["status"] == "failed" for r in rows) else 0


def cmd_clean(args: argparse.Namespace, home: StudioHome) -> int:
    outbox = _open(home)
    try:
        removed, freed = outbox.prune_copies()
    finally:
        outbox.close()
    mb = freed / 1_000_000
    print(
        _t(
            f"Removed {removed} outbox copies that nothing needs any more ({mb:.1f} MB).",
            f"Đã xoá {removed} bản sao không còn cần trong hộp thư đi ({mb:.1f} MB).",
        )
    )
    return 0


def cmd_install_service(args: argparse.Namespace, home: StudioHome) -> int:
    from studio.outbox import service

    if args.dry_run:
        print(service.install_plan(home, args.platform, start=not args.no_start).describe())
        return 0
    if args.platform and args.platform != service.current_platform():
        raise StudioError(
            f"--platform {args.platform} only works with --dry-run on this computer.",
            f"--platform {args.platform} chỉ dùng được với --dry-run trên máy này.",
        )
    plan, problems = service.install(home, start=not args.no_start)
    where = next(iter(plan.files), plan.name)
    print(
        _t(
            f"Installed the background sender ({where}); it starts when you log in.",
            f"Đã cài trình gửi nền ({where}); nó chạy khi bạn đăng nhập.",
        )
    )
    for problem in problems:
        print(
            _t(
                f"Warning: {problem}. Start it yourself with: systemctl --user enable --now "
                f"{plan.name}",
                f"Cảnh báo: {problem}. Hãy tự khởi động bằng: systemctl --user enable --now "
                f"{plan.name}",
            ),
            file=sys.stderr,
        )
    return 0


def cmd_uninstall_service(args: argparse.Namespace, home: StudioHome) -> int:
    from studio.outbox import service

    if args.dry_run:
        print(service.uninstall_plan(home, args.platform).describe())
        return 0
    plan, problems = service.uninstall(home)
    print(_t("Removed the background sender.", "Đã gỡ trình gửi nền."))
    for problem in problems:
        print(_t("Warning: ", "Cảnh báo: ") + problem, file=sys.stderr)
    return 0


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 7 * 24 * 3600:  # also refuses nan and inf
        raise argparse.ArgumentTypeError(
            _t(f"'{text}' is not a number of seconds.", f"'{text}' không phải số giây.")
        )
    return value


def add_wait_max(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--wait-max",
        type=_positive_seconds,
        metavar="SECONDS",
        help=_t(
            "with --wait: how long to wait through retries (default 300, khẩn cấp 1800)",
            "với --wait: chờ qua các lần thử lại tối đa bao lâu (mặc định 300, khẩn cấp 1800)",
        ),
    )


def register_outbox_actions(osub: argparse._SubParsersAction) -> None:
    """The sender's sub-commands of `studio outbox`."""
    a = osub.add_parser("send", help=_t("send every due item now", "gửi mọi mục đến hạn"))
    a.set_defaults(handler=cmd_send)
    a = osub.add_parser(
        "serve", help=_t("keep sending until stopped", "gửi liên tục cho tới khi dừng")
    )
    a.set_defaults(handler=cmd_serve)
    a.add_argument(
        "--until-done",
        action="store_true",
        help=_t("stop when nothing is left to send", "dừng khi không còn gì để gửi"),
    )
    a.add_argument("--home", help=_t("the studio data folder", "thư mục dữ liệu của studio"))
    a.add_argument("--poll", type=_positive_seconds, default=2.0, help=argparse.SUPPRESS)
    a = osub.add_parser(
        "clean",
        help=_t("remove outbox copies nothing needs", "xoá bản sao không còn cần"),
    )
    a.set_defaults(handler=cmd_clean)
    for action, handler, en, vi in (
        (
            "install-service",
            cmd_install_service,
            "start the background sender at logon",
            "chạy trình gửi nền khi đăng nhập",
        ),
        ("uninstall-service", cmd_uninstall_service, "remove it", "gỡ trình gửi nền"),
    ):
        a = osub.add_parser(action, help=_t(en, vi))
        a.set_defaults(handler=handler)
        a.add_argument(
            "--dry-run",
            action="store_true",
            help=_t("print what would be done", "chỉ in ra những gì sẽ làm"),
        )
        a.add_argument("--platform", choices=["windows", "linux"], help=argparse.SUPPRESS)
        if action == "install-service":
            a.add_argument("--no-start", action="store_true")
