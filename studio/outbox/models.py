"""Outbox tables: configured destinations (no secrets) and the items waiting to be sent."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, DateTime, Index, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from studio.db import Base


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)  # naive UTC: same on SQLite and PG


class DestinationRow(Base):
    """A configured destination. The password/token is in the OS keyring, never here."""

    __tablename__ = "destinations"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    url: Mapped[str] = mapped_column(Text)
    user: Mapped[str] = mapped_column(String(200), default="")
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # Every emergency bulletin goes here at once, without asking (migration 0003).
    emergency: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Status:
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    VERIFIED = "verified"
    FAILED = "failed"
    CANCELLED = "cancelled"
    DONE = (SENT, VERIFIED)


PRIORITY_RANK = {"khan-cap": 0, "uu-tien": 1, "thuong": 2}  # sending order: most urgent first


class OutboxItemRow(Base):
    """One push of one exact file to one destination."""

    __tablename__ = "outbox_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    # A plain name, not a foreign key: history stays readable after a destination is removed.
    destination: Mapped[str] = mapped_column(String(100))
    file_path: Mapped[str] = mapped_column(Text)  # the copy inside StudioHome.outbox
    file_name: Mapped[str] = mapped_column(Text)  # the name it is published under
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", JSON, default=dict)
    priority: Mapped[str] = mapped_column(String(10), default="thuong")
    priority_rank: Mapped[int] = mapped_column(Integer, default=2)
    status: Mapped[str] = mapped_column(String(12), default=Status.QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    last_error_vi: Mapped[str] = mapped_column(Text, default="")
    next_retry_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    # Who is sending it and until when the claim holds: a crashed sender's claim runs out.
    claimed_by: Mapped[str] = mapped_column(String(200), default="")
    lease_until: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    remote_id: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    # The studio home that queued it (its copy of the file is there): on a shared PostgreSQL
    # library each PC sends only its own items. "" = queued before this column existed.
    origin: Mapped[str] = mapped_column(String(64), default="", server_default="")

    __table_args__ = (Index("ix_outbox_items_status", "status", "priority_rank", "id"),)

    def as_dict(self) -> dict[str, Any]:
        def iso(t: dt.datetime | None) -> str | None:
            return None if t is None else t.isoformat(timespec="seconds") + "Z"

        return {
            "id": self.id,
            "idempotency_key": self.idempotency_key,
            "destination": self.destination,
            "file_name": self.file_name,
            "file_path": self.file_path,
            "sha256": self.sha256,
            "size": self.size,
            "priority": self.priority,
            "status": self.status,
            "attempts": self.attempts,
            "last_error": self.last_error,
            "last_error_vi": self.last_error_vi,
            "next_retry_at": iso(self.next_retry_at),
            "claimed_by": self.claimed_by,
            "lease_until": iso(self.lease_until),
            # True for a `sending` item whose sender is gone; the store fills it in.
            "interrupted": False,
            "remote_id": self.remote_id,
            "location": self.location,
            "created_at": iso(self.created_at),
            "updated_at": iso(self.updated_at),
            "sent_at": iso(self.sent_at),
            "metadata": self.meta,
            "origin": self.origin,
        }


class OutboxSenderRow(Base):
    """Who is the one sender of a studio home's outbox, and until when its claim holds.

    One row per origin (see `OutboxItemRow.origin`). A sender renews `lease_until` every few
    seconds and clears `owner` when it stops; a sender that died is recognised by its lease
    running out, or at once when it was a process on this host that no longer runs.
    """

    __tablename__ = "outbox_senders"

    origin: Mapped[str] = mapped_column(String(64), primary_key=True)
    owner: Mapped[str] = mapped_column(String(200), default="")  # host:pid, "" = nobody
    role: Mapped[str] = mapped_column(String(20), default="")  # window | service | cli
    lease_until: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
