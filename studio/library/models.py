"""The segment library's tables: segments, their usage history and the editable categories.

`search_text` and `sort_title` are folded copies (no diacritics, đ→d, lower case) kept up to
date by the service on every write; search and sorting read only them. On SQLite an FTS5
index over `search_text` (created by the 0001 migration, kept in step by triggers) answers
word-prefix queries; on PostgreSQL a pg_trgm GIN index serves `LIKE '% word%'`.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from studio.db import Base


class SegmentKind(enum.StrEnum):
    JINGLE = "jingle"
    MUSIC_BED = "music_bed"
    NEWS_ITEM = "news_item"
    ANNOUNCEMENT = "announcement"
    INTERVIEW = "interview"
    ADVERT = "advert"
    RECORDING = "recording"


KIND_NAMES_VI = {
    SegmentKind.JINGLE: "Nhạc hiệu",
    SegmentKind.MUSIC_BED: "Nhạc nền",
    SegmentKind.NEWS_ITEM: "Tin bài",
    SegmentKind.ANNOUNCEMENT: "Thông báo",
    SegmentKind.INTERVIEW: "Phỏng vấn",
    SegmentKind.ADVERT: "Quảng cáo",
    SegmentKind.RECORDING: "Bản thu",
}

# The "lĩnh vực" list a new library starts with; users add, rename and remove entries.
DEFAULT_CATEGORIES = (
    "Chính trị",
    "Kinh tế",
    "Nông nghiệp",
    "Y tế",
    "Giáo dục",
    "An ninh trật tự",
    "Phòng chống thiên tai",
    "Văn hoá–xã hội",
    "Môi trường",
    "Giao thông",
    "Thông báo của UBND",
)


class UsageAction(enum.StrEnum):
    ADDED = "added"  # placed in a programme
    EXPORTED = "exported"
    PUSHED = "pushed"


class Category(Base):
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Segment(Base):
    __tablename__ = "segments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(20), index=True)
    category: Mapped[str] = mapped_column(String(120), default="", index=True)
    tags: Mapped[str] = mapped_column(Text, default="")  # comma-separated
    author: Mapped[str] = mapped_column(String(300), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_until: Mapped[dt.date | None] = mapped_column(Date, index=True)
    # Media: frames at `store_rate` in the media store; the original's rate and channels.
    frames: Mapped[int] = mapped_column(Integer)
    store_rate: Mapped[int] = mapped_column(Integer)
    sample_rate: Mapped[int] = mapped_column(Integer)
    channels: Mapped[int] = mapped_column(Integer)
    integrated_lufs: Mapped[float | None] = mapped_column(Float)
    true_peak_dbtp: Mapped[float | None] = mapped_column(Float)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    peaks_ref: Mapped[str] = mapped_column(String(200))  # path under the media folder
    source_name: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    modified_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    search_text: Mapped[str] = mapped_column(Text, default="")
    sort_title: Mapped[str] = mapped_column(String(500), default="", index=True)

    usages: Mapped[list[SegmentUsage]] = relationship(
        back_populates="segment", cascade="all, delete-orphan", passive_deletes=True
    )


class SegmentUsage(Base):
    __tablename__ = "segment_usages"
    __table_args__ = (Index("ix_segment_usages_segment_used", "segment_id", "used_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    segment_id: Mapped[int] = mapped_column(ForeignKey("segments.id", ondelete="CASCADE"))
    programme: Mapped[str] = mapped_column(String(500))
    action: Mapped[str] = mapped_column(String(20))
    used_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    segment: Mapped[Segment] = relationship(back_populates="usages")
