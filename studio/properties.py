"""A programme's properties: title, station, commune, category, author and broadcast date.

They name the export (`ExportService.file_name`), fill its ID3 tags (`programme_tags`) and go
with every push as metadata. The title lives in `Programme.title`, the others in
`Programme.metadata`. Station and commune fall back to the settings (the station's own name
and commune), so a programme made before the station was set up still exports with them.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from audio.errors import StudioError
from studio.programme import Programme

MAX_LENGTH = 200  # ID3 frames and head-end title fields stay readable well under this


@dataclass(frozen=True, slots=True)
class Property:
    key: str
    label_en: str
    label_vi: str
    setting: str = ""  # the settings key it falls back to, if any


PROPERTIES = (
    Property("title", "Title", "Tiêu đề"),
    Property("station", "Station", "Đài", "station_name"),
    Property("commune", "Commune", "Xã", "commune"),
    Property("category", "Category", "Lĩnh vực"),
    Property("author", "Author", "Người thực hiện"),
    Property("date", "Broadcast date", "Ngày phát"),
)
KEYS = tuple(p.key for p in PROPERTIES)


def _clean(key: str, value: object) -> str:
    """One line of plain text: whitespace collapsed, control characters refused."""
    text = " ".join(str(value).split())
    text = unicodedata.normalize("NFC", text)
    if any(unicodedata.category(ch).startswith("C") for ch in text):
        raise StudioError(
            f"The {key} contains a control character.",
            f"Trường {_label_vi(key)} chứa ký tự điều khiển.",
        )
    if len(text) > MAX_LENGTH:
        raise StudioError(
            f"The {key} is {len(text)} characters long; at most {MAX_LENGTH}.",
            f"Trường {_label_vi(key)} dài {len(text)} ký tự; tối đa {MAX_LENGTH}.",
        )
    return text


def _label_vi(key: str) -> str:
    return next((p.label_vi.lower() for p in PROPERTIES if p.key == key), key)


def parse_date(text: str) -> str:
    """An ISO date from 'YYYY-MM-DD' or the Vietnamese 'dd/mm/yyyy'; '' stays ''."""
    text = text.strip()
    if not text:
        return ""
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    raise StudioError(
        f"'{text}' is not a date (write 2026-12-02 or 02/12/2026).",
        f"'{text}' không phải là ngày (viết 02/12/2026 hoặc 2026-12-02).",
    )


def date_vi(iso: str) -> str:
    """'2026-12-02' as the Vietnamese write it, '02/12/2026'; anything else unchanged."""
    try:
        return dt.date.fromisoformat(iso).strftime("%d/%m/%Y")
    except ValueError:
        return iso


def properties(programme: Programme, settings=None) -> dict[str, str]:
    """Every property as it will be used: the programme's own value, else the setting."""
    out: dict[str, str] = {}
    for p in PROPERTIES:
        value = programme.title if p.key == "title" else programme.meta(p.key)
        if not value and p.setting and settings is not None:
            value = str(settings.get(p.setting) or "")
        out[p.key] = value
    return out


def set_properties(programme: Programme, **values: object) -> Programme:
    """A programme with the given properties changed ('' removes one). Unknown keys, control
    characters, over-long values and dates that are not dates are refused, one line each."""
    unknown = sorted(set(values) - set(KEYS))
    if unknown:
        raise StudioError(
            f"Unknown programme property: {', '.join(unknown)} (known: {', '.join(KEYS)}).",
            f"Không có thuộc tính chương trình: {', '.join(unknown)} (có: {', '.join(KEYS)}).",
        )
    clean = {key: _clean(key, value) for key, value in values.items() if value is not None}
    if "date" in clean:
        clean["date"] = parse_date(clean["date"])
    title = clean.pop("title", programme.title)
    meta = dict(programme.metadata)
    for key, value in clean.items():
        if value:
            meta[key] = value
        else:
            meta.pop(key, None)
    return programme.with_changes(title=title, metadata=tuple(meta.items()))


def push_metadata(programme: Programme, settings=None) -> dict[str, str]:
    """What a push of this programme's export carries (title excluded: the push names it)."""
    props = properties(programme, settings)
    return {k: v for k, v in props.items() if v and k != "title"}
