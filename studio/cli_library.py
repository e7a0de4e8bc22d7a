"""`studio library …`: import files into the segment library, search it, show one segment.

The database is `STUDIO_LIBRARY_URL` when set, else the `library_url` setting, else the SQLite
file in the studio home.
"""

from __future__ import annotations

import argparse
import json
import sys

from audio.errors import localized as _t
from studio.library import SearchQuery, SegmentKind, open_library
from studio.library.search import SORT_COLUMNS
from studio.paths import StudioHome


def _progress():
    if not sys.stderr.isatty():
        return None
    last = [-1]

    def show(fraction: float) -> None:
        pct = int(fraction * 100)
        if pct != last[0]:
            last[0] = pct
            print(f"\r{pct:3d}%", end="", file=sys.stderr, flush=True)

    return show


def cmd_import(args: argparse.Namespace, home: StudioHome) -> int:
    lib = open_library(home)
    try:
        report = lib.import_paths(
            args.paths, kind=args.kind, category=args.category or "", progress=_progress()
        )
    finally:
        lib.close()
    if sys.stderr.isatty():
        print(file=sys.stderr)
    for item in report.items:
        if item.status == "added":
            print(
                _t(
                    f"added #{item.segment_id}: {item.path}",
                    f"đã thêm #{item.segment_id}: {item.path}",
                )
            )
            if item.reason_en:  # added, with a note (a cut-short file)
                print(_t("Warning: ", "Cảnh báo: ") + item.reason(), file=sys.stderr)
        elif item.status == "duplicate":
            print(
                _t(
                    f"already in the library as #{item.segment_id}: {item.path}",
                    f"đã có trong thư viện (#{item.segment_id}): {item.path}",
                )
            )
        else:
            print(f"{_t('failed', 'lỗi')}: {item.path}: {item.reason()}", file=sys.stderr)
    print(
        _t(
            f"{len(report.added)} added, {len(report.duplicates)} already there, "
            f"{len(report.failed)} failed.",
            f"Đã thêm {len(report.added)}, đã có {len(report.duplicates)}, "
            f"lỗi {len(report.failed)}.",
        )
    )
    return 1 if report.failed else 0


def cmd_search(args: argparse.Namespace, home: StudioHome) -> int:
    lib = open_library(home)
    try:
        query = SearchQuery(
            text=args.text,
            kinds=tuple(args.kind or ()),
            category=args.category,
            valid_today=args.valid_today,
            hide_expired=args.hide_expired,
            unused_days=args.unused_days,
            sort=args.sort,
            descending=args.desc,
            limit=args.limit,
        )
        found = lib.search(query)
    finally:
        lib.close()
    if args.json:
        print(json.dumps([s.as_json() for s in found], ensure_ascii=False, indent=1))
        return 0
    for s in found:
        loud = "—" if s.integrated_lufs is None else f"{s.integrated_lufs:.1f} LUFS"
        flag = ""
        if s.expired():
            flag = _t(" [expired]", " [hết hạn]")
        elif s.expiring_soon():
            flag = _t(" [expires soon]", " [sắp hết hạn]")
        print(f"#{s.id}\t{s.title}\t{s.kind}\t{s.category}\t{s.duration_s:.1f} s\t{loud}{flag}")
    if not found:
        print(_t("Nothing found.", "Không tìm thấy gì."), file=sys.stderr)
    return 0


def cmd_show(args: argparse.Namespace, home: StudioHome) -> int:
    lib = open_library(home)
    try:
        seg = lib.get(args.id)
        usages = lib.usages(args.id)
    finally:
        lib.close()
    data = seg.as_json()
    data["usages"] = [
        {"programme": u.programme, "action": u.action, "used_at": u.used_at.isoformat()}
        for u in usages
    ]
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        for key, value in data.items():
            print(f"{key}: {value}")
    return 0


def register(sub) -> None:
    lib = sub.add_parser("library", help=_t("the segment library", "thư viện đoạn âm thanh"))
    lsub = lib.add_subparsers(dest="library_command", metavar="ACTION", required=True)
    kinds = [k.value for k in SegmentKind]

    p = lsub.add_parser("import", help=_t("import files and folders", "nhập tệp và thư mục"))
    p.set_defaults(handler=cmd_import)
    p.add_argument("paths", nargs="+")
    p.add_argument("--kind", choices=kinds)
    p.add_argument("--category")

    p = lsub.add_parser("search", help=_t("search the library", "tìm trong thư viện"))
    p.set_defaults(handler=cmd_search)
    p.add_argument("text", nargs="?", default="")
    p.add_argument("--kind", action="append", choices=kinds)
    p.add_argument("--category")
    p.add_argument("--valid-today", action="store_true")
    p.add_argument("--hide-expired", action="store_true")
    p.add_argument("--unused-days", type=int)
    p.add_argument(
        "--sort",
        default="title",
        choices=sorted(SORT_COLUMNS),
    )
    p.add_argument("--desc", action="store_true")
    p.add_argument("--limit", type=int, default=100)
    p.add_argument("--json", action="store_true")

    p = lsub.add_parser("show", help=_t("show one segment", "xem một đoạn"))
    p.set_defaults(handler=cmd_show)
    p.add_argument("id", type=int)
    p.add_argument("--json", action="store_true")
