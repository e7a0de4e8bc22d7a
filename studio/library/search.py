"""Diacritic- and case-insensitive search over the segment library.

Text is folded the same way when stored and when searched: Unicode NFD, combining marks
removed, đ/Đ → d, case-folded, every run of non-letters/digits → one space. The folded
column starts with a space, so "word starts with w" is `LIKE '% w%'` everywhere; SQLite
answers the same question from its FTS5 index (`"w"*`), PostgreSQL from a trigram index.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import Select, asc, desc, func, or_, select, text

from studio.library.models import Segment

_WORD = re.compile(r"[^\W_]+")
_DD = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D"})

EXPIRY_WARNING_DAYS = 7  # an item this close to its valid-until date is flagged


def fold(value: str) -> str:
    """The search form of `value`: "Bản tin Đêm" → "ban tin dem"."""
    decomposed = unicodedata.normalize("NFD", value.translate(_DD))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_WORD.findall(bare.casefold()))


def search_words(query: str) -> list[str]:
    return fold(query).split()


def search_document(*parts: str) -> str:
    """The stored `search_text`: folded parts with a leading and trailing space."""
    return " " + " ".join(p for p in (fold(x) for x in parts) if p) + " "


SORT_COLUMNS = {
    "title": Segment.sort_title,
    "kind": Segment.kind,
    "category": Segment.category,
    "duration": Segment.frames,  # all media in one store share a rate
    "loudness": Segment.integrated_lufs,
    "true_peak": Segment.true_peak_dbtp,
    "last_used": Segment.last_used_at,
    "valid_until": Segment.valid_until,
    "recorded": Segment.recorded_on,
    "created": Segment.created_at,
    "modified": Segment.modified_at,
    "author": Segment.author,
}


@dataclass(frozen=True)
class SearchQuery:
    """What the user asked for. Dates are calendar dates in the station's time zone."""

    text: str = ""
    kinds: tuple[str, ...] = ()
    category: str | None = None
    recorded_from: dt.date | None = None
    recorded_to: dt.date | None = None
    valid_today: bool = False
    hide_expired: bool = False
    unused_days: int | None = None  # only items not used in the last N days
    sort: str = "title"
    descending: bool = False
    limit: int = 500
    offset: int = 0
    today: dt.date | None = field(default=None, compare=False)  # for tests; None = today


def build_select(q: SearchQuery, dialect: str, now: dt.datetime) -> Select:
    """The SELECT of matching segments for `q` on `dialect` ('sqlite' or 'postgresql')."""
    today = q.today or now.date()
    conditions = []
    words = search_words(q.text)
    if words:
        if dialect == "sqlite":
            match = " AND ".join(f'"{w}"*' for w in words)
            conditions.append(
                Segment.id.in_(
                    select(text("rowid"))
                    .select_from(text("segment_fts"))
                    .where(text("segment_fts MATCH :fts_query"))
                )
            )
            params = {"fts_query": match}
        else:
            params = {}
            conditions.extend(Segment.search_text.like(f"% {w}%") for w in words)
    else:
        params = {}
    if q.kinds:
        conditions.append(Segment.kind.in_(q.kinds))
    if q.category:
        conditions.append(Segment.category == q.category)
    if q.recorded_from:
        conditions.append(Segment.recorded_on >= q.recorded_from)
    if q.recorded_to:
        conditions.append(Segment.recorded_on <= q.recorded_to)
    if q.valid_today:
        conditions.append(or_(Segment.valid_from.is_(None), Segment.valid_from <= today))
        conditions.append(or_(Segment.valid_until.is_(None), Segment.valid_until >= today))
    elif q.hide_expired:
        conditions.append(or_(Segment.valid_until.is_(None), Segment.valid_until >= today))
    if q.unused_days is not None:
        since = now - dt.timedelta(days=q.unused_days)
        conditions.append(or_(Segment.last_used_at.is_(None), Segment.last_used_at < since))
    column = SORT_COLUMNS.get(q.sort)
    if column is None:
        raise KeyError(q.sort)
    order = desc(column) if q.descending else asc(column)
    # NULLs last whichever way, then a stable tie-break.
    stmt = (
        select(Segment)
        .where(*conditions)
        .order_by(column.is_(None), order, Segment.id)
        .limit(q.limit)
        .offset(q.offset)
    )
    return stmt.params(**params) if params else stmt


def count_select(q: SearchQuery, dialect: str, now: dt.datetime) -> Select:
    inner = build_select(SearchQuery(**{**q.__dict__, "limit": None, "offset": 0}), dialect, now)
    return select(func.count()).select_from(inner.order_by(None).subquery())
