"""File names for exported programmes.

Two forms: the title as it is (Vietnamese kept, only characters Windows forbids replaced), or
an ASCII-only slug for head-ends and provincial systems that cannot take diacritics:
"Bản tin sáng 26/11" → "ban-tin-sang-2026-11-26.mp3". Both are safe on Windows: no reserved
device names (CON, NUL, COM1…), no <>:"/\\|?* or control characters, no trailing dot or space.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

MAX_STEM = 80  # leaves room for a folder path under Windows' 260-character limit
FALLBACK_STEM = "chuong-trinh"  # "programme", for a title with no usable character

_WINDOWS_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')

# Dates as people write them in Vietnamese titles: day first. "26/11", "26/11/2026",
# "26-11-2026", "26.11.26", and ISO "2026-11-26" ("5-1" alone is not taken for a date).
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_DAY_FIRST = re.compile(r"(?<!\d)(\d{1,2})([/.-])(\d{1,2})(?!\d)(?:\2(\d{4}|\d{2}))?(?![\d/.-]\d)")


def strip_diacritics(text: str) -> str:
    """Vietnamese to plain ASCII letters: "Đài Truyền thanh" → "Dai Truyen thanh".

    đ/Đ are letters of their own (not d plus a mark), so they are mapped by hand.
    """
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _valid_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def normalise_dates(text: str, reference: dt.date | None = None) -> str:
    """Rewrite day-first dates in `text` as ISO dates (YYYY-MM-DD).

    A date without a year takes the year of `reference` (the programme's date; today if
    None). Digit groups that are not a valid date are left as they are.
    """
    year_default = (reference or dt.date.today()).year

    def iso(m: re.Match) -> str:
        d = _valid_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return d.isoformat() if d else m.group(0)

    def day_first(m: re.Match) -> str:
        year = year_default
        if m.group(4):
            year = int(m.group(4))
            if year < 100:
                year += 2000
        elif m.group(2) == "-":
            return m.group(0)  # "5-1" is as likely a score or a range as a date
        d = _valid_date(year, int(m.group(3)), int(m.group(1)))
        return d.isoformat() if d else m.group(0)

    text = _ISO_DATE.sub(iso, text)
    # Mask ISO dates so that their "11-26" part is not read again as day-month.
    parts = re.split(r"(\d{4}-\d{2}-\d{2})", text)
    return "".join(p if i % 2 else _DAY_FIRST.sub(day_first, p) for i, p in enumerate(parts))


def _not_reserved(stem: str) -> str:
    # Windows refuses "CON", and also "CON.mp3" or "con.tar.gz": check the part before a dot.
    if stem.split(".")[0].strip().lower() in _WINDOWS_RESERVED:
        return f"{stem}-"
    return stem


def _shorten(stem: str, sep: str) -> str:
    if len(stem) <= MAX_STEM:
        return stem
    cut = stem[:MAX_STEM]
    if sep in cut[MAX_STEM // 2 :]:
        cut = cut[: cut.rfind(sep)]  # end on a word boundary
    return cut


def ascii_stem(title: str, reference: dt.date | None = None) -> str:
    """The ASCII-only slug of `title`: lower case, digits and hyphens only."""
    text = strip_diacritics(normalise_dates(title, reference)).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    slug = _shorten(slug, "-").strip("-")
    return _not_reserved(slug) if slug else FALLBACK_STEM


def unicode_stem(title: str) -> str:
    """`title` kept readable (Vietnamese in NFC) with only what Windows forbids removed."""
    text = unicodedata.normalize("NFC", title)
    text = _FORBIDDEN.sub("-", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = _shorten(text, " ").rstrip(" .")
    return _not_reserved(text) if text else FALLBACK_STEM


def export_file_name(
    title: str, extension: str, *, ascii_only: bool = False, reference: dt.date | None = None
) -> str:
    """A file name for an export of `title` with `extension` ("mp3", "wav", "flac")."""
    stem = ascii_stem(title, reference) if ascii_only else unicode_stem(title)
    return f"{stem}.{extension.lstrip('.').lower()}"


MAX_REMOTE_NAME = 200  # characters; leaves room for the ".<name>.<key>.part" upload name


def remote_name_problem(name: str) -> tuple[str, str] | None:
    """Why `name` is not one plain, Windows-safe file name (en, vi), or None when it is.

    A remote name reaches file systems we do not control (a Windows share, an FTP server):
    no folder part, no character Windows forbids, no control character (an FTP command
    could ride on a line break), no reserved device name, no trailing dot or space, and not
    hidden (a leading dot: head-end software skips such files, and upload names use it).
    """
    if not name or not name.strip():
        return "the name is empty", "tên trống"
    if "/" in name or "\\" in name or name in (".", ".."):
        return (
            "a name must not contain a folder (/ or \\)",
            "tên không được chứa thư mục (/ hoặc \\)",
        )
    bad = sorted({c for c in name if _FORBIDDEN.match(c) or 0xD800 <= ord(c) <= 0xDFFF})
    if bad:
        shown = " ".join(c if c.isprintable() else f"U+{ord(c):04X}" for c in bad)
        return (
            f"it contains characters a file name cannot have ({shown})",
            f"tên có ký tự không dùng được trong tên tệp ({shown})",
        )
    if name != name.rstrip(". "):
        return "it ends with a dot or a space", "tên kết thúc bằng dấu chấm hoặc dấu cách"
    if name.startswith(".") or name != name.lstrip():
        return "it starts with a dot or a space", "tên bắt đầu bằng dấu chấm hoặc dấu cách"
    if _not_reserved(name) != name:
        return "it is a name Windows reserves for a device", "đây là tên Windows dành cho thiết bị"
    if len(name) > MAX_REMOTE_NAME:
        return (
            f"it is longer than {MAX_REMOTE_NAME} characters",
            f"tên dài hơn {MAX_REMOTE_NAME} ký tự",
        )
    return None


def check_remote_name(name: str) -> str:
    """`name` when it is one plain, Windows-safe file name; else a StudioError saying why."""
    from audio.errors import StudioError

    problem = remote_name_problem(name)
    if problem is not None:
        shown = shown_name(name)
        raise StudioError(
            f"'{shown}' cannot be used as the file name to publish under: {problem[0]}.",
            f"Không dùng được '{shown}' làm tên tệp khi gửi: {problem[1]}.",
        )
    return name


def shown_name(name: str, limit: int = 60) -> str:
    """`name` safe to print on one line: control characters and bytes that are not UTF-8
    written as escapes, long names shortened."""
    text = "".join(
        c if c.isprintable() else f"\\x{ord(c) & 0xFF:02x}" if 0xDC80 <= ord(c) <= 0xDCFF
        else f"\\u{ord(c):04x}" for c in name
    )  # fmt: skip
    return text if len(text) <= limit else text[: limit - 1] + "…"


def safe_file_name(name: str) -> str:
    """A plain, Windows-safe file name made from any name (the stem tidied, the suffix kept;
    bytes that are not UTF-8 become "_")."""
    name = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace").replace("\ufffd", "_")
    name = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem.strip(". "):
        stem, suffix = name, ""
    suffix = re.sub(r"[^\w]", "", suffix)[:10]
    stem = unicode_stem(stem.lstrip(". "))
    return f"{stem}.{suffix}" if suffix else stem
