"""`studio properties`: show or set a programme's title, station, commune, category, author
and broadcast date (they name the export, fill its tags and go with every push).

    studio properties PROGRAMME [--json]
    studio properties PROGRAMME --title T --category C --author A --date 02/12/2026 …
"""

from __future__ import annotations

import argparse
import json

from audio.errors import localized as _t
from studio.paths import StudioHome
from studio.programme import load_programme, save_programme
from studio.properties import PROPERTIES, properties, set_properties


def cmd_properties(args: argparse.Namespace, home: StudioHome) -> int:
    from studio.settings import Settings

    programme = load_programme(args.programme)
    changes = {p.key: getattr(args, p.key) for p in PROPERTIES if getattr(args, p.key) is not None}
    if changes:
        programme = set_properties(programme, **changes)
        save_programme(programme, args.programme)
    shown = properties(programme, Settings(home.settings_file))
    if args.json:
        print(json.dumps(shown, ensure_ascii=False, indent=2))
        return 0
    own = properties(programme)
    width = max(len(_t(p.label_en, p.label_vi)) for p in PROPERTIES)
    for p in PROPERTIES:
        note = (
            ""
            if own[p.key] or not shown[p.key]
            else _t("  (from the settings)", "  (theo cài đặt)")
        )
        print(f"{_t(p.label_en, p.label_vi):<{width}}  {shown[p.key] or '—'}{note}")
    return 0


def register(sub) -> None:
    p = sub.add_parser(
        "properties",
        help=_t("show or set the programme's properties", "xem, sửa thuộc tính chương trình"),
    )
    p.set_defaults(handler=cmd_properties)
    p.add_argument("programme")
    for prop in PROPERTIES:
        p.add_argument(f"--{prop.key}", help=_t(prop.label_en, prop.label_vi) + " ('' removes)")
    p.add_argument("--json", action="store_true")
