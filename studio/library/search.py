"""Diacritic- and case-insensitive search over the segment library.

Text is folded the same way when stored and when searched: Unicode NFD, combining marks
removed, đ/Đ → d, case-folded, every run of non-letters/digits → one space. The folded
column starts with a space, so "word starts with w" is `LIKE '% w%'` everywhere; SQLite
answers the same question from its FTS5 index (`"w"*`), PostgreSQL from a GIN index over a
generated tsvector of the folded text (`w:*`).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import Select, asc, column, desc, func, or_, select, table, text
from sqlalchemy.orm import Session, aliased

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


_FTS = table("segment_fts", column("rowid"))
# Up to this many FTS matches are fetched as a list of ids and sorted directly; beyond it the
# words are common, and walking the sort column's index (testing each id against the matches,
# without reading rows) reaches a page sooner than reading every match.
_SPARSE_CAP = 2000
# Common words are first tried by reading at most this many rows per wanted row in sort order
# and testing the folded text: when matches are spread out that finds a page at once.
_WALK_BUDGET = 10


def filter_conditions(q: SearchQuery, now: dt.datetime, e=Segment) -> list:
    """The WHERE conditions of everything but the text (on `e`: the table or an alias)."""
    today = q.today or now.date()
    conditions = []
    if q.kinds:
        conditions.append(e.kind.in_(q.kinds))
    if q.category:
        conditions.append(e.category == q.category)
    if q.recorded_from:
        conditions.append(e.recorded_on >= q.recorded_from)
    if q.recorded_to:
        conditions.append(e.recorded_on <= q.recorded_to)
    if q.valid_today:
        conditions.append(or_(e.valid_from.is_(None), e.valid_from <= today))
        conditions.append(or_(e.valid_until.is_(None), e.valid_until >= today))
    elif q.hide_expired:
        conditions.append(or_(e.valid_until.is_(None), e.valid_until >= today))
    if q.unused_days is not None:
        since = now - dt.timedelta(days=q.unused_days)
        conditions.append(or_(e.last_used_at.is_(None), e.last_used_at < since))
    return conditions


def like_conditions(words: list[str], e=Segment) -> list:
    """Word-prefix matching on the folded column: works on any database."""
    return [e.search_text.like(f"% {w}%") for w in words]


def fts_match(words: list[str]) -> str:
    return " AND ".join(f'"{w}"*' for w in words)


def pg_match(words: list[str]):
    """PostgreSQL: every word a prefix of some word, from the GIN index on `search_tsv`."""
    query = " & ".join(f"{w}:*" for w in words)
    return text("segments.search_tsv @@ to_tsquery('simple', :ts_query)").bindparams(ts_query=query)


def _fts_rowids(words: list[str]) -> Select:
    return select(_FTS.c.rowid).where(
        text("segment_fts MATCH :fts_query").bindparams(fts_query=fts_match(words))
    )


def search_ids(session: Session, q: SearchQuery, dialect: str, now: dt.datetime) -> list[int]:
    """Ids of the page of segments for `q`, sorted, empty values last whichever way."""
    sort_col = SORT_COLUMNS[q.sort]
    conditions = filter_conditions(q, now)
    words = search_words(q.text)
    if words and dialect == "sqlite":
        ids = session.scalars(_fts_rowids(words).limit(_SPARSE_CAP)).all()
        if not ids:
            return []
        if len(ids) < _SPARSE_CAP:
            conditions.append(Segment.id.in_(ids))
        else:
            page = _walk_in_order(session, q, now, words, sort_col)
            if page is not None:
                return page
            # "id + 0" keeps SQLite from looking the matches up by id (and then sorting them
            # all): it walks the sort column's index instead, which holds the ids.
            conditions.append((Segment.id + 0).in_(_fts_rowids(words)))
    elif words and dialect == "postgresql":
        # No cheap count of matches here: a short walk in sort order settles common words;
        # rarer ones go to the GIN index (the planner's guess for several words is poor).
        page = _walk_in_order(session, q, now, words, sort_col)
        if page is not None:
            return page
        conditions.append(pg_match(words))
    elif words:
        conditions += like_conditions(words)
    return _page_ids(session, conditions, sort_col, q)


def _walk_in_order(
    session: Session, q: SearchQuery, now: dt.datetime, words: list[str], sort_col
) -> list[int] | None:
    """A full page from the first rows in sort order, or None when they hold too few matches.

    Correct because the rows are read in the page's own order from the start: the first
    matches among them are the first matches of all. Only rows with a value in the sort
    column are read; a page that would reach the empty ones is left to the general path.
    """
    wanted = q.limit + q.offset
    if not _WALK_BUDGET:
        return None
    order = desc(sort_col) if q.descending else asc(sort_col)
    tie = desc(Segment.id) if q.descending else asc(Segment.id)
    head = (
        select(Segment.id, Segment.search_text, *_filter_columns(q), sort_col)
        .order_by(order, tie)
        .limit(_WALK_BUDGET * wanted)
    )
    if sort_col.property.columns[0].nullable:
        head = head.where(sort_col.is_not(None))
    rows = aliased(Segment, head.subquery())
    stmt = (
        select(rows.id)
        .where(*filter_conditions(q, now, rows), *like_conditions(words, rows))
        .limit(q.limit)
        .offset(q.offset)
    )
    ids = list(session.scalars(stmt))
    return ids if len(ids) == q.limit else None


def _filter_columns(q: SearchQuery) -> list:
    """The columns `filter_conditions` reads for `q` (the walk reads only those)."""
    cols = []
    if q.kinds:
        cols.append(Segment.kind)
    if q.category:
        cols.append(Segment.category)
    if q.recorded_from or q.recorded_to:
        cols.append(Segment.recorded_on)
    if q.valid_today:
        cols += [Segment.valid_from, Segment.valid_until]
    elif q.hide_expired:
        cols.append(Segment.valid_until)
    if q.unused_days is not None:
        cols.append(Segment.last_used_at)
    return cols


def _page_ids(session: Session, conditions: list, sort_col, q: SearchQuery) -> list[int]:
    """Ids of one page in sort order: rows with a value first, then rows without one."""
    order = desc(sort_col) if q.descending else asc(sort_col)
    # Ties broken by id in the same direction, so that the column's index serves both.
    tie = desc(Segment.id) if q.descending else asc(Segment.id)
    nullable = sort_col.property.columns[0].nullable
    first = select(Segment.id).where(*conditions).order_by(order, tie)
    if nullable:
        first = first.where(sort_col.is_not(None))
    ids = list(session.scalars(first.limit(q.limit).offset(q.offset)))
    if not nullable or len(ids) >= q.limit:
        return ids
    if q.offset:
        with_value = session.scalar(
            select(func.count()).select_from(Segment).where(*conditions, sort_col.is_not(None))
        )
    else:
        with_value = len(ids)
    rest = (
        select(Segment.id)
        .where(*conditions, sort_col.is_(None))
        .order_by(Segment.id)
        .limit(q.limit - len(ids))
        .offset(max(0, q.offset - with_value))
    )
    return ids + list(session.scalars(rest))


def count_matches(session: Session, q: SearchQuery, dialect: str, now: dt.datetime) -> int:
    """How many segments match `q` (ignoring limit and offset)."""
    conditions = filter_conditions(q, now)
    words = search_words(q.text)
    if words and dialect == "sqlite" and not conditions:
        rowids = _fts_rowids(words).subquery()
        return int(session.scalar(select(func.count()).select_from(rowids)))
    if words and dialect == "sqlite":
        conditions.append(Segment.id.in_(_fts_rowids(words)))
    elif words and dialect == "postgresql":
        conditions.append(pg_match(words))
    else:
        conditions += like_conditions(words)
    return int(session.scalar(select(func.count()).select_from(Segment).where(*conditions)))
