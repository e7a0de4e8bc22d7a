"""`studio report`: the periodic report ("báo cáo định kỳ") for a period, as CSV, HTML or PDF.

studio report --from 2026-11-01 --to 2026-11-30 --format pdf -o bao-cao-thang-11.pdf
studio report                      # last month, HTML, in the current folder
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from audio.errors import localized as _t
from studio.paths import StudioHome


def last_month(today: dt.date) -> tuple[dt.date, dt.date]:
    end = today.replace(day=1) - dt.timedelta(days=1)
    return end.replace(day=1), end


def cmd_report(args: argparse.Namespace, home: StudioHome) -> int:
    from studio.export_log import open_log
    from studio.report import build_report, period, write_report
    from studio.schedule import now_local
    from studio.settings import Settings

    if args.start or args.end:
        start, end = period(args.start or args.end, args.end or args.start)
    else:
        start, end = last_month(now_local().date())
    fmt = args.format or (Path(args.output).suffix.lstrip(".").lower() if args.output else "html")
    out = Path(args.output or f"bao-cao-dinh-ky_{start:%Y-%m-%d}_{end:%Y-%m-%d}.{fmt}")
    db = open_log(home)
    try:
        report = build_report(db, start, end, Settings(home.settings_file).get("station_name"))
    finally:
        db.close()
    write_report(report, out, fmt)
    t = report.total
    print(
        _t(
            f"Wrote {out}: {t.programmes} programmes, {t.pushes} pushes, "
            f"{t.emergencies} emergency bulletins, {start:%Y-%m-%d} to {end:%Y-%m-%d}.",
            f"Đã ghi {out}: {t.programmes} chương trình, {t.pushes} lượt gửi, "
            f"{t.emergencies} bản tin khẩn cấp, từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}.",
        )
    )
    return 0


def register(sub) -> None:
    p = sub.add_parser(
        "report",
        help=_t("the periodic report (CSV, HTML, PDF)", "báo cáo định kỳ (CSV, HTML, PDF)"),
    )
    p.set_defaults(handler=cmd_report)
    p.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help=_t("first day", "từ ngày"))
    p.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help=_t("last day", "đến ngày"))
    p.add_argument("--format", choices=["csv", "html", "pdf"])
    p.add_argument("-o", "--output", metavar="FILE")
