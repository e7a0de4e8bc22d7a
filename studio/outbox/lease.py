"""The one sender of an outbox: a lease row in the database, so that the window, the background
service and a `studio push --wait` never send from the same outbox at once.

The lease lives in the database (not a local lock file), so it holds on SQLite and on a shared
PostgreSQL alike. It is keyed by the outbox's origin (the studio home whose copies the items
are): on a district's shared PostgreSQL every PC has its own sender for its own items.
Taking it is one conditional UPDATE (only one process can win); the holder renews it every few
seconds and clears it when it stops. A holder that died (SIGKILL, power cut) is recognised
at once when it was a process on this host, otherwise when its lease runs out.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import uuid
from dataclasses import dataclass
from pathlib import Path

import psutil
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from studio.db import Database

from .models import OutboxSenderRow, utcnow

SENDER_LEASE_S = 30.0  # renewed every few seconds; how long a vanished host blocks the outbox
ROLES = ("window", "service", "cli")


def process_id() -> str:
    """This process as a lease owner: host:pid."""
    return f"{socket.gethostname()}:{os.getpid()}"


def owner_is_dead(owner: str) -> bool:
    """True when `owner` (host:pid) was a process on this host that no longer runs.

    psutil, not `os.kill(pid, 0)`: on Windows that call terminates the process.
    """
    host, _, pid = owner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    return not psutil.pid_exists(int(pid))


def outbox_origin(outbox_folder: Path) -> str:
    """The id of the studio home whose outbox copies live in `outbox_folder` (made once)."""
    marker = outbox_folder / "origin"
    try:
        value = marker.read_text("ascii").strip()
        if value:
            return value
    except (OSError, UnicodeDecodeError):
        pass
    from audio.fileio import atomic_write

    outbox_folder.mkdir(parents=True, exist_ok=True)
    value = uuid.uuid4().hex
    with atomic_write(marker) as f:
        f.write(value.encode("ascii"))
    return value


@dataclass(frozen=True, slots=True)
class SenderInfo:
    """Who sends from an outbox now."""

    owner: str
    role: str
    lease_until: dt.datetime
    started_at: dt.datetime | None

    @property
    def pid(self) -> int | None:
        pid = self.owner.rpartition(":")[2]
        return int(pid) if pid.isdigit() else None


class SenderLease:
    """The sender lease of one origin in one database. Every call is its own transaction."""

    def __init__(self, db: Database, origin: str, owner: str | None = None, role: str = "cli"):
        self.db = db
        self.origin = origin
        self.owner = owner or process_id()
        self.role = role

    def holder(self) -> SenderInfo | None:
        """The live holder (maybe this process), or None when nobody sends."""
        with self.db.transaction() as s:
            row = s.get(OutboxSenderRow, self.origin)
            if row is None or not row.owner or row.lease_until is None:
                return None
            if row.lease_until < utcnow() or owner_is_dead(row.owner):
                return None
            return SenderInfo(row.owner, row.role, row.lease_until, row.started_at)

    def acquire(self, lease_s: float = SENDER_LEASE_S) -> bool:
        """Take the lease, or renew it when this owner holds it. False: another sender has it."""
        now = utcnow()
        with self.db.transaction() as s:
            row = s.get(OutboxSenderRow, self.origin)
            seen = None if row is None else (row.owner, row.lease_until, row.started_at)
        if seen is None:
            try:
                with self.db.transaction() as s:
                    s.add(OutboxSenderRow(origin=self.origin, owner="", role=""))
            except IntegrityError:
                pass  # another process made the row just now
            return self.acquire(lease_s)
        owner, lease_until, started_at = seen
        if owner != self.owner and not (
            not owner or lease_until is None or lease_until < now or owner_is_dead(owner)
        ):
            return False
        # A second transaction, conditional on what was seen: of two processes taking a free
        # lease only one wins (on SQLite a read that turns into a write could fail as busy).
        # Taking over also needs the lease unchanged: a stalled holder that renewed keeps it.
        match = [OutboxSenderRow.origin == self.origin, OutboxSenderRow.owner == owner]
        if owner != self.owner:
            match.append(OutboxSenderRow.lease_until == lease_until)
        with self.db.transaction() as s:
            result = s.execute(
                update(OutboxSenderRow)
                .where(*match)
                .values(
                    owner=self.owner,
                    role=self.role,
                    lease_until=now + dt.timedelta(seconds=lease_s),
                    started_at=started_at if owner == self.owner else now,
                )
                .execution_options(synchronize_session=False)
            )
            return result.rowcount == 1

    def release(self) -> None:
        """Give the lease up (a clean stop), so that another sender can take over at once."""
        with self.db.transaction() as s:
            s.execute(
                update(OutboxSenderRow)
                .where(OutboxSenderRow.origin == self.origin, OutboxSenderRow.owner == self.owner)
                .values(owner="", role="", lease_until=None)
                .execution_options(synchronize_session=False)
            )
