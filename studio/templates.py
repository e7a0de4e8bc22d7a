"""Programme templates: the fixed structure of a programme and its slot length.

A template is a JSON file (`resources/templates/*.json` ship with the app; the user's own live
in `StudioHome.root / "templates"`). Its `parts` run in order:

- `jingle`: the newest library segment of a kind (and tag, when one matches), on the jingle
  track;
- `script`: items of the script with a starting text for the reader to replace; a part may ask
  for a `bed` from the library under its items;
- `clip`: a fixed source (from a programme saved as a template), placed before the script, or
  after its end by an offset.

The script's parts stand together; what comes after them follows the script's end, so the
closing jingle moves as takes are read. Nothing here renders audio: a template only places
clips, which auto-level and ducking then balance at render time.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

from audio.errors import StudioError
from audio.media import MediaInfo, MediaStore
from audio.timeline import Clip, Marker, Timeline, Track, TrackRole
from studio.programme import Programme, media_ref_for
from studio.script import Script, ScriptItem, item_start, reserve_room, script_end

FORMAT = "studio-truyen-thanh/template"
VERSION = 1
BUILTIN_DIR = Path(__file__).resolve().parent.parent / "resources" / "templates"
BED_LEAD_S = 2.0  # the bed starts this long before the voice it sits under
BED_TAIL_S = 4.0  # and runs on this long after it (it then fades by itself)
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


class TemplateError(StudioError):
    """A template that cannot be read, found or used."""


@dataclass(frozen=True, slots=True)
class Template:
    id: str
    title: str
    title_en: str
    category: str
    slot_s: float | None
    pause_s: float
    tracks: tuple[dict, ...]
    parts: tuple[dict, ...]
    path: Path | None = None
    builtin: bool = True

    def part_labels(self) -> list[str]:
        return [p.get("label", p["type"]) for p in self.parts]

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "title_en": self.title_en,
            "category": self.category,
            "slot_s": self.slot_s,
            "builtin": self.builtin,
            "parts": [
                {"type": p["type"], "label": p.get("label", ""), "items": len(p.get("items", ()))}
                for p in self.parts
            ],
        }


def _bad(name: str, detail: str) -> TemplateError:
    return TemplateError(
        f"The template '{name}' is damaged ({detail}).",
        f"Mẫu chương trình '{name}' bị hỏng ({detail}).",
    )


def template_from_json(d: dict, name: str = "", path: Path | None = None) -> Template:
    if not isinstance(d, dict) or d.get("format") != FORMAT:
        raise _bad(name, "not a template")
    if not isinstance(d.get("version"), int) or d["version"] > VERSION:
        raise TemplateError(
            f"The template '{name}' is from a newer version of the app.",
            f"Mẫu chương trình '{name}' thuộc phiên bản mới hơn của ứng dụng.",
        )
    try:
        tid = str(d["id"])
        if not _ID.match(tid):
            raise ValueError(f"bad id {tid!r}")
        parts = tuple(dict(p) for p in d["parts"])
        kinds = [p["type"] for p in parts]
        for kind in kinds:
            if kind not in ("jingle", "script", "clip"):
                raise ValueError(f"unknown part {kind!r}")
        script_at = [i for i, k in enumerate(kinds) if k == "script"]
        if script_at and script_at != list(range(script_at[0], script_at[-1] + 1)):
            raise ValueError("the script parts must stand together")
        slot = d.get("slot_s")
        return Template(
            id=tid,
            title=str(d["title"]),
            title_en=str(d.get("title_en", d["title"])),
            category=str(d.get("category", "")),
            slot_s=None if slot is None else float(slot),
            pause_s=float(d.get("pause_s", 0.8)),
            tracks=tuple(dict(t) for t in d.get("tracks", ())),
            parts=parts,
            path=path,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise _bad(name, str(exc)) from exc


def user_templates_dir(home) -> Path:
    return Path(home.root) / "templates"


def list_templates(home=None) -> list[Template]:
    """Built-in templates, then the user's (a user template with a built-in id replaces it)."""
    found: dict[str, Template] = {}
    dirs = [(BUILTIN_DIR, True)]
    if home is not None:
        dirs.append((user_templates_dir(home), False))
    for folder, builtin in dirs:
        for path in sorted(folder.glob("*.json")) if folder.is_dir() else ():
            try:
                d = json.loads(path.read_text("utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise _bad(path.name, "not valid JSON") from exc
            t = template_from_json(d, path.name, path)
            found[t.id] = Template(**{**_fields(t), "builtin": builtin})
    return list(found.values())


def _fields(t: Template) -> dict:
    return {f: getattr(t, f) for f in Template.__slots__}


def get_template(template_id: str, home=None) -> Template:
    for t in list_templates(home):
        if t.id == template_id:
            return t
    known = ", ".join(t.id for t in list_templates(home))
    raise TemplateError(
        f"No template '{template_id}' (there are: {known}).",
        f"Không có mẫu '{template_id}' (hiện có: {known}).",
    )


# --- a programme from a template ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Assembly:
    programme: Programme
    picked: tuple[tuple[str, str], ...]  # (part label, segment title) taken from the library
    missing: tuple[str, ...]  # part labels the library had nothing for


def _pick(library, kind: str, tag: str = ""):
    """The newest valid segment of `kind`, with `tag` when one has it."""
    if library is None:
        return None
    for text in ([tag] if tag else []) + [""]:
        found = library.search(
            text, kinds=(kind,), hide_expired=True, sort="created", descending=True, limit=1
        )
        if found:
            return found[0]
    return None


def _info_for(segment, store: MediaStore, rate: int) -> MediaInfo | None:
    return None if segment is None else store.info(segment.source_id, rate)


def _fill(text: str, values: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m[1], m[0]), text)


def _track(timeline: Timeline, name: str, role: TrackRole) -> tuple[Timeline, int]:
    index = timeline.track_index(name)
    if index is None:
        timeline = timeline.add_track(Track(name, role=role))
        index = len(timeline.tracks) - 1
    return timeline, index


def _first_track(template: Template, role: TrackRole, default: str) -> str:
    return next((t["name"] for t in template.tracks if t.get("role") == role), default)


def assemble(
    template: Template,
    store: MediaStore,
    library=None,
    *,
    title: str = "",
    commune: str = "",
    station: str = "",
    today: dt.date | None = None,
    rate: int = 48_000,
    pace_sps: float | None = None,
) -> Assembly:
    """A new programme laid out as `template` says, with the library's newest jingles and beds.

    Script items get room for their estimated reading time, so the closing parts stand where
    they will play; reading the items then moves them by what the takes really last."""
    today = today or dt.date.today()
    values = {
        "commune": commune or "xã",
        "station": station or "Đài truyền thanh",
        "date": today.strftime("%d/%m/%Y"),
    }
    timeline = Timeline(rate=rate)
    for t in template.tracks:
        timeline, _ = _track(timeline, str(t["name"]), TrackRole(t.get("role", "voice")))
    voice = _first_track(template, TrackRole.VOICE, "Giọng đọc")
    beds = _first_track(template, TrackRole.MUSIC_BED, "Nhạc nền")
    pause = int(round(template.pause_s * rate))

    programme = Programme()
    picked: list[tuple[str, str]] = []
    missing: list[str] = []
    markers: list[Marker] = []
    items: list[ScriptItem] = []
    part_items: list[tuple[dict, int, int]] = []  # (part, first item, item count)
    cursor = 0
    anchor = None
    placed_after: list[tuple[dict, int]] = []  # parts after the script

    def put(
        track_name: str, role: TrackRole, info: MediaInfo, start: int, name: str, length: int = 0
    ) -> int:
        nonlocal timeline, programme
        timeline, index = _track(timeline, track_name, role)
        length = min(length, info.frames) if length > 0 else info.frames
        clip = Clip(info.source_id, start, length, name=name)
        timeline = timeline.with_track(index, timeline.tracks[index].with_clip(clip))
        programme = programme.with_media(media_ref_for(info))
        return clip.end

    for part in template.parts:
        label = str(part.get("label", part["type"]))
        if part["type"] == "script":
            if anchor is None:
                anchor = cursor
            texts = [_fill(str(t), values) for t in part.get("items", ())] or [label]
            part_items.append((part, len(items), len(texts)))
            items.extend(ScriptItem(t) for t in texts)
            continue
        if anchor is not None:  # after the script: placed below, once its room is known
            placed_after.append((part, 0))
            continue
        markers.append(Marker(cursor, label))
        cursor = _place_part(part, label, store, library, rate, put, cursor, picked, missing)
        cursor += pause if cursor else 0

    script = Script(
        items=tuple(items),
        voice_track=voice,
        anchor=anchor if anchor is not None else cursor,
        pause_s=template.pause_s,
        slot_s=template.slot_s,
    )
    script = reserve_room(timeline, script, pace_sps)

    for part, first, count in part_items:
        start = item_start(timeline, script, first)
        markers.append(Marker(start, str(part.get("label", ""))))
        bed = part.get("bed")
        if bed:
            segment = _pick(library, str(bed.get("kind", "music_bed")), str(bed.get("tag", "")))
            info = _info_for(segment, store, rate)
            label = str(part.get("label", "")) + " · " + "nhạc nền"
            if info is None:
                missing.append(label)
                continue
            last = first + count - 1
            end = item_start(timeline, script, last) + script.items[last].reserved
            lead, tail = int(BED_LEAD_S * rate), int(BED_TAIL_S * rate)
            bed_start = max(start - lead, 0)
            length = min(info.frames, end + tail - bed_start)
            timeline, index = _track(timeline, beds, TrackRole.MUSIC_BED)
            clip = Clip(info.source_id, bed_start, length, name=segment.title)
            timeline = timeline.with_track(index, timeline.tracks[index].with_clip(clip))
            programme = programme.with_media(media_ref_for(info))
            picked.append((label, segment.title))

    end = script_end(timeline, script) if items else cursor
    cursor = end + pause if items else cursor
    for part, _ in placed_after:
        label = str(part.get("label", part["type"]))
        base = {"script_end": end, "script_start": script.anchor}.get(part.get("from", ""), 0)
        markers.append(Marker(base + int(part.get("offset", 0)) if base else cursor, label))
        cursor = _place_part(part, label, store, library, rate, put, cursor, picked, missing, base)
        cursor += pause
    timeline = timeline.with_changes(markers=tuple(sorted(markers, key=lambda m: m.frame)))
    metadata = [("template", template.id)]
    if template.category:
        metadata.append(("category", template.category))
    if station:
        metadata.append(("station", station))
    programme = programme.with_changes(
        title=title or f"{template.title} {today.strftime('%d/%m')}",
        timeline=timeline,
        script=script,
        metadata=tuple(metadata),
    )
    return Assembly(programme, tuple(picked), tuple(missing))


def _place_part(part, label, store, library, rate, put, cursor, picked, missing, base=0) -> int:
    """Place one jingle or fixed clip; returns where the next part may start."""
    if part["type"] == "jingle":
        pick = part.get("pick", {})
        segment = _pick(library, str(pick.get("kind", "jingle")), str(pick.get("tag", "")))
        info = _info_for(segment, store, rate)
        if info is None:
            missing.append(label)
            return cursor
        picked.append((label, segment.title))
        return put(str(part.get("track", "Nhạc hiệu")), TrackRole.JINGLE, info, cursor, label)
    if part["type"] != "clip":
        return cursor
    # a fixed clip saved with a user template
    info = store.info(str(part["source"]), rate)
    if info is None:
        missing.append(label)
        return cursor
    start = base + int(part.get("offset", 0))
    role = TrackRole(part.get("role", "jingle"))
    track = str(part.get("track", "Nhạc hiệu"))
    end = put(track, role, info, start, label, int(part.get("length", 0)))
    return max(cursor, end) if part.get("from") != "script_start" else cursor


# --- a programme saved as a template ----------------------------------------------------------


def template_from_programme(programme: Programme, template_id: str, title: str) -> dict:
    """A template that rebuilds `programme`'s structure: its tracks, the clips before and after
    the script as fixed parts, the script's texts as the starting text. Takes are not kept."""
    if not _ID.match(template_id):
        raise TemplateError(
            "A template id is lower-case letters, digits and dashes (e.g. ban-tin-chieu).",
            "Mã mẫu chỉ gồm chữ thường không dấu, số và gạch ngang (ví dụ ban-tin-chieu).",
        )
    tl = programme.timeline
    script = programme.script
    takes = {i.take for i in script.items if i.take}
    start = script.anchor if script.items else tl.length
    end = script_end(tl, script) if script.items else tl.length
    before, after = [], []
    for track in tl.tracks:  # (alternative takes, `Track.takes`, are not part of it)
        for c in track.clips:
            if c.source_id in takes:
                continue
            part = {
                "type": "clip",
                "label": c.name or track.name,
                "track": track.name,
                "role": str(track.role),
                "source": c.source_id,
            }
            part["length"] = c.length
            if script.items and c.start >= end:
                after.append({**part, "offset": c.start - end, "from": "script_end"})
            elif not script.items or c.start < start:
                before.append({**part, "offset": c.start})
            else:  # under the script, e.g. a bed: kept where it was against the script's start
                after.append({**part, "offset": c.start - start, "from": "script_start"})
    parts = sorted(before, key=lambda p: p["offset"])
    if script.items:
        parts.append(
            {"type": "script", "label": "Kịch bản", "items": [i.text for i in script.items]}
        )
    parts += sorted(after, key=lambda p: (p["from"] == "script_end", p["offset"]))
    return {
        "format": FORMAT,
        "version": VERSION,
        "id": template_id,
        "title": title,
        "title_en": title,
        "category": programme.meta("category"),
        "slot_s": script.slot_s,
        "pause_s": script.pause_s,
        "tracks": [{"name": t.name, "role": str(t.role)} for t in tl.tracks],
        "parts": parts,
    }


def save_template(home, programme: Programme, template_id: str, title: str) -> Path:
    """Write `programme` as the user's template `template_id` (replacing one of that id)."""
    from audio.fileio import write_text_atomically

    d = template_from_programme(programme, template_id, title)
    path = user_templates_dir(home) / f"{template_id}.json"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomically(path, json.dumps(d, ensure_ascii=False, indent=1))
    except OSError as exc:
        raise TemplateError(
            f"Cannot save the template in {path.parent}: {exc.strerror}.",
            f"Không lưu được mẫu vào {path.parent}: {exc.strerror}.",
        ) from exc
    return path
