"""`studio emergency`: the emergency bulletin from the command line, with no questions.

studio emergency tin-bao.wav --title "Bão số 9 đổ bộ" --area "Thôn Đông" --wait
studio emergency ban-tin.sttprog                       # title: "Bản tin khẩn cấp HH:MM dd/mm"

The audio (a recording or any audio file) or the programme is normalised, limited, encoded and
queued, khẩn cấp, to every destination marked for emergencies (`destinations add … --emergency`).
"""

from __future__ import annotations

import argparse
import sys
import time

from audio.errors import localized as _t
from studio.paths import StudioHome

DONE = ("sent", "verified")


def _when(row: dict) -> str:
    """The local time a destination received the item, HH:MM:SS."""
    import datetime as dt

    from studio.schedule import LOCAL_TZ

    sent = dt.datetime.fromisoformat(row["sent_at"].rstrip("Z")).replace(tzinfo=dt.UTC)
    return f"{sent.astimezone(LOCAL_TZ):%H:%M:%S}"


def wait_for_all(outbox, ids: list[int]) -> list[dict]:
    """Send in this process until every item is delivered or has failed once."""
    from studio.outbox import OutboxWorker

    worker = OutboxWorker(outbox)
    while True:
        rows = [outbox.item(i) for i in ids]
        if all(r["status"] in (*DONE, "cancelled") or (r["status"] == "failed" and r["attempts"])
               for r in rows):  # fmt: skip
            return rows
        if worker.send_next() is None:
            time.sleep(0.2)  # another process is sending one of them


def cmd_emergency(args: argparse.Namespace, home: StudioHome) -> int:
    from studio.emergency import EmergencyService
    from studio.settings import Settings

    service = EmergencyService(home, settings=Settings(home.settings_file))
    try:
        b = service.broadcast(
            args.source, args.title, args.area or (), category=args.category or ""
        )
        print(
            _t(
                f"Emergency bulletin '{b.title}' ({b.duration_s:.1f} s): {b.path}",
                f"Bản tin khẩn cấp '{b.title}' ({b.duration_s:.1f} giây): {b.path}",
            )
        )
        for row in b.items:
            print(
                _t(f"Queued #{row['id']} khẩn cấp → {row['destination']}",
                   f"Đã xếp hàng #{row['id']} khẩn cấp → {row['destination']}"),
                flush=True,
            )  # fmt: skip
        for name, exc in b.refused:
            print(_t(f"Not queued for '{name}': ", f"Không xếp hàng gửi '{name}': ")
                  + exc.message(), file=sys.stderr)  # fmt: skip
        if not args.wait:
            return 1 if b.refused else 0
        rows = wait_for_all(service.outbox, [r["id"] for r in b.items])
    finally:
        service.close()
    ok = True
    for row in rows:
        if row["status"] in DONE:
            print(_t(f"{row['destination']} has it ({_when(row)})",
                     f"{row['destination']} đã nhận ({_when(row)})"))  # fmt: skip
        else:
            ok = False
            error = row["last_error_vi"] if _t("en", "vi") == "vi" else row["last_error"]
            print(_t(f"{row['destination']}: not delivered: {error}",
                     f"{row['destination']}: chưa đến: {error}"), file=sys.stderr)  # fmt: skip
    return 0 if ok and not b.refused else 1


def register(sub) -> None:
    p = sub.add_parser(
        "emergency",
        help=_t("send an emergency bulletin now", "phát bản tin khẩn cấp ngay"),
    )
    p.set_defaults(handler=cmd_emergency)
    p.add_argument("source", metavar="AUDIO_OR_PROGRAMME")
    p.add_argument("--title", help=_t("default: Bản tin khẩn cấp HH:MM dd/mm", "mặc định: "
                                      "Bản tin khẩn cấp GG:PP ngày/tháng"))  # fmt: skip
    p.add_argument("--area", action="append", help=_t("target area (thôn/xóm)", "thôn/xóm nhận"))
    p.add_argument("--category", help=_t("category (lĩnh vực)", "lĩnh vực"))
    p.add_argument("--wait", action="store_true",
                   help=_t("send now and wait for every destination",
                           "gửi ngay và chờ mọi nơi nhận"))  # fmt: skip
