"""`studio templates`, `studio script` and `studio new --template`: the daily bulletin from the
command line (automation and tests; the window is the main way).

    studio templates [--json]
    studio templates save PROGRAMME --id ID [--title T]
    studio script set PROGRAMME FILE.txt
    studio script show PROGRAMME [--json]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from audio.errors import StudioError
from audio.errors import localized as _t
from studio.paths import StudioHome
from studio.programme import load_programme, save_programme


def _clock(seconds: float) -> str:
    m, s = divmod(int(round(seconds)), 60)
    return f"{m}:{s:02d}"


def read_script_file(path: str | Path) -> str:
    """The text of a script file: UTF-8 (with or without BOM), else UTF-16 with a BOM, else
    Windows-1258 (Vietnamese Windows)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise StudioError(
            f"Cannot read '{path}': {exc.strerror}.", f"Không đọc được '{path}': {exc.strerror}."
        ) from exc
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1258")
    except UnicodeDecodeError as exc:
        raise StudioError(
            f"'{path.name}' is not a text file in UTF-8 or Windows-1258.",
            f"'{path.name}' không phải tệp văn bản UTF-8 hay Windows-1258.",
        ) from exc


def cmd_templates(args: argparse.Namespace, home: StudioHome) -> int:
    from studio.templates import list_templates, save_template

    if getattr(args, "action", None) == "save":
        programme = load_programme(args.programme)
        path = save_template(home.ensure(), programme, args.id, args.title or programme.title)
        print(_t(f"Saved the template '{args.id}' to {path}", f"Đã lưu mẫu '{args.id}' vào {path}"))
        return 0
    templates = list_templates(home)
    if args.json:
        print(json.dumps([t.as_json() for t in templates], ensure_ascii=False, indent=1))
        return 0
    for t in templates:
        slot = _clock(t.slot_s) if t.slot_s else "–"
        parts = ", ".join(t.part_labels())
        title = _t(t.title_en, t.title)
        print(f"{t.id:<20} {title:<24} {slot:>6}  {parts}")
    return 0


def new_from_template(path: Path, template_id: str, title: str | None, home: StudioHome) -> str:
    """Write a new programme assembled from a template; returns a line for the user."""
    from studio.library import open_library
    from studio.settings import Settings
    from studio.templates import assemble, get_template

    home = home.ensure()
    template = get_template(template_id, home)
    settings = Settings(home.settings_file)
    library = None
    try:
        library = open_library(home)
    except StudioError as exc:  # a template still gives its structure without the library
        print(exc.message())
    try:
        store = library.store if library is not None else None
        if store is None:
            from audio.media import MediaStore

            store = MediaStore(home.media)
        result = assemble(
            template,
            store,
            library,
            title=title or "",
            commune=str(settings.get("commune") or ""),
            pace_sps=settings.get("reader_pace_sps") or None,
            station=str(settings.get("station_name") or ""),
        )
    finally:
        if library is not None:
            library.close()
    save_programme(result.programme, path)
    lines = [_t(f"Created {path} from '{template.id}'", f"Đã tạo {path} theo mẫu '{template.id}'")]
    for label, title_ in result.picked:
        lines.append(f"  {label}: {title_}")
    for label in result.missing:
        lines.append(
            _t(
                f"  {label}: nothing in the library yet (add one of that kind)",
                f"  {label}: thư viện chưa có (hãy thêm một đoạn loại này)",
            )
        )
    return "\n".join(lines)


def cmd_script_set(args: argparse.Namespace, home: StudioHome) -> int:
    from studio.script import script_timing, set_script_text
    from studio.settings import Settings

    programme = load_programme(args.programme)
    text = read_script_file(args.file)
    base = programme.script
    if not base.items and not programme.meta("template"):
        pause = Settings(home.settings_file).get("script_pause_s")
        base = base.with_changes(pause_s=min(max(float(pause), 0.0), 10.0))
    timeline, script = set_script_text(programme.timeline, base, text)
    if not script.items:
        raise StudioError(f"'{args.file}' holds no text.", f"'{args.file}' không có nội dung.")
    programme = programme.with_changes(timeline=timeline, script=script)
    save_programme(programme, args.programme)
    timing = script_timing(timeline, script)
    print(
        _t(
            f"Script of {len(script.items)} item(s), about {_clock(timing.total_estimated_s)} to read",
            f"Kịch bản {len(script.items)} mục, đọc khoảng {_clock(timing.total_estimated_s)}",
        )
    )
    return 0


def cmd_script_show(args: argparse.Namespace, home: StudioHome) -> int:
    from studio.script import script_timing

    programme = load_programme(args.programme)
    timing = script_timing(programme.timeline, programme.script)
    if args.json:
        print(json.dumps(timing.as_json(), ensure_ascii=False, indent=1))
        return 0
    for item in timing.items:
        took = _t("not read", "chưa đọc") if item.take is None else _clock(item.take_s or 0)
        text = item.text if len(item.text) <= 70 else item.text[:69] + "…"
        print(f"{item.index + 1:>3}. {_clock(item.estimated_s):>6}  {took:>8}  {text}")
    total = _clock(timing.total_estimated_s)
    line = _t(f"Total about {total}", f"Tổng khoảng {total}")
    if timing.slot_s:
        over = timing.over_s or 0.0
        word = _t("over", "dư") if over > 0 else _t("under", "thiếu")
        line += _t(
            f" for a {_clock(timing.slot_s)} slot ({_clock(abs(over))} {word})",
            f" cho khung {_clock(timing.slot_s)} ({word} {_clock(abs(over))})",
        )
    print(line)
    return 0


def register(sub) -> None:
    p = sub.add_parser("templates", help=_t("programme templates", "mẫu chương trình"))
    p.set_defaults(handler=cmd_templates)
    p.add_argument("--json", action="store_true")
    actions = p.add_subparsers(dest="action", metavar="save")
    s = actions.add_parser("save", help=_t("save a programme as a template", "lưu thành mẫu"))
    s.add_argument("programme")
    s.add_argument("--id", required=True, help=_t("e.g. ban-tin-chieu", "ví dụ ban-tin-chieu"))
    s.add_argument("--title")

    p = sub.add_parser("script", help=_t("the programme's script", "kịch bản của chương trình"))
    actions = p.add_subparsers(dest="action", metavar="set|show", required=True)
    s = actions.add_parser("set", help=_t("set the script from a text file", "đặt kịch bản"))
    s.set_defaults(handler=cmd_script_set)
    s.add_argument("programme")
    s.add_argument("file")
    s = actions.add_parser("show", help=_t("items and reading times", "các mục và thời lượng"))
    s.set_defaults(handler=cmd_script_show)
    s.add_argument("programme")
    s.add_argument("--json", action="store_true")
