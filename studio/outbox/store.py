"""The outbox: every push is a row in the library database, with its own copy of the file.

States: queued → sending → sent (→ verified when the destination confirmed size and SHA-256),
or failed with the reason and, when trying again may help, the next retry time (backing off).
A sending item is claimed with a lease by one worker (host:pid); if that worker dies (crash,
power cut, SIGKILL) the claim runs out — or is seen to be dead at once on this host — and the
item is resumed. Duplicates are prevented by the destinations: a temporary name and a rename,
the same idempotency key on every attempt, and recognising a file that had already arrived.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import shutil
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select, update

from audio.errors import StudioError
from audio.fileio import atomic_write
from export.destinations import (
    KINDS,
    NEEDS_SECRET,
    Destination,
    DestinationConfig,
    Item,
    Receipt,
    TransferError,
    make_destination,
)
from export.destinations.base import parse_address, redact, sha256_file
from export.naming import check_remote_name, safe_file_name
from studio.db import Database, DatabaseError, database_url
from studio.paths import StudioHome

from .lease import SenderLease, outbox_origin, owner_is_dead, process_id
from .models import PRIORITY_RANK, DestinationRow, OutboxItemRow, Status, utcnow

log = logging.getLogger(__name__)

PRIORITIES = tuple(PRIORITY_RANK)
LEASE_S = 120.0
# Retry schedule by priority: (first delay, cap) in seconds, doubling in between. An emergency
# bulletin is tried again soon and often; the sender also retries at once when a cheap
# connection test sees a destination come back (see worker.py).
RETRY_SCHEDULE_S = {"khan-cap": (10.0, 120.0), "uu-tien": (20.0, 600.0), "thuong": (30.0, 1800.0)}
# A retryable failure is tried again for this long after the push was queued; after that the
# item needs the user (a bulletin a day late is stale, and something is wrong for that long).
RETRY_FOR_S = 24 * 3600.0
# How long the outbox keeps its copy of a file after every item using it was sent (a re-send
# the same day needs it) or cancelled; a folder without any item (a push interrupted while
# copying) is removed once this old.
KEEP_SENT_S = 24 * 3600.0
KEEP_CANCELLED_S = 7 * 24 * 3600.0
KEEP_ORPHAN_S = 3600.0


def backoff_s(attempts: int, priority: str = "thuong") -> float:
    """Delay before the next attempt after `attempts` failed ones.

    khẩn cấp 10 s, 20 s, 40 s … 2 min; ưu tiên 20 s … 10 min; thông thường 30 s … 30 min.
    """
    base_s, max_s = RETRY_SCHEDULE_S.get(priority, RETRY_SCHEDULE_S["thuong"])
    return min(max_s, base_s * 2 ** min(30, max(0, attempts - 1)))


EMERGENCY_ON_TOP_S = 24 * 3600


def _on_top(row: OutboxItemRow, cutoff: dt.datetime) -> bool:
    if row.priority != "khan-cap":
        return False
    return row.status not in (*Status.DONE, Status.CANCELLED) or row.created_at >= cutoff


def worker_id() -> str:
    return process_id()


def _claim_is_dead(claimed_by: str) -> bool:
    """True when the claim belongs to a process on this host that no longer runs."""
    return owner_is_dead(claimed_by)


def interrupted(row: dict[str, Any], now: dt.datetime | None = None) -> bool:
    """A `sending` item that nobody is sending any more (its sender was killed or lost power):
    the next sender resumes it."""
    if row["status"] != Status.SENDING:
        return False
    until = row.get("lease_until")
    now = now or utcnow()
    if until is None or dt.datetime.fromisoformat(until.rstrip("Z")) < now:
        return True
    return owner_is_dead(row.get("claimed_by") or "")


def _with_state(row: dict[str, Any]) -> dict[str, Any]:
    row["interrupted"] = interrupted(row)
    return row


def audio_duration_s(path: Path) -> float | None:
    """The playing time of an audio file, or None when it cannot be read."""
    try:
        import mutagen

        f = mutagen.File(path)
        if f is not None and f.info is not None and f.info.length:
            return float(f.info.length)
    except Exception:  # noqa: BLE001 - metadata is best effort; the file is checked elsewhere
        pass
    try:
        import soundfile

        return float(soundfile.info(str(path)).duration)
    except Exception:  # noqa: BLE001
        return None


def _looks_secret(option: str) -> bool:
    key = option.lower()
    if key in ("header.authorization", "header.proxy-authorization", "header.cookie"):
        return True
    return any(
        word in key for word in ("password", "passwd", "secret", "token", "api_key", "apikey")
    )


def needs_secret(config: DestinationConfig) -> bool:
    """Whether sending needs the keyring: anonymous FTP and auth=none HTTP do not. A user
    named only in the URL (`sftp://radio@host/dir`) counts as a login too."""
    if config.kind not in NEEDS_SECRET or config.option("auth") == "none":
        return False
    return bool(config.login_user) or config.kind in ("http", "province")


# The schemes each remote kind's URL may use (folders take a path, not a URL).
URL_SCHEMES = {
    "ftp": ("ftp", "ftps"),
    "ftps": ("ftps", "ftp"),
    "sftp": ("sftp",),
    "http": ("http", "https"),
    "province": ("http", "https"),
}


def destination_config(
    name: str, kind: str, url: str, user: str = "", options: dict[str, Any] | None = None
) -> DestinationConfig:
    """A destination as it will be stored, its URL parsed once: for FTP/FTPS/SFTP the user
    name in the URL becomes the config's user (and leaves the URL); a password in any URL is
    refused and never stored or repeated. StudioError for a bad name, kind or URL."""
    name, url, user = name.strip(), url.strip(), user.strip()
    if not name:
        raise StudioError("A destination needs a name.", "Nơi nhận cần có tên.")
    if kind not in KINDS:
        raise StudioError(
            f"Unknown destination kind '{kind}' (use {', '.join(KINDS)}).",
            f"Loại nơi nhận '{kind}' không hợp lệ (dùng {', '.join(KINDS)}).",
        )
    if kind in URL_SCHEMES:
        address = parse_address(url, URL_SCHEMES[kind])
        if kind in ("ftp", "ftps", "sftp"):
            if address.user and user and address.user != user:
                raise StudioError(
                    f"The address names the user '{address.user}' but the user given is "
                    f"'{user}': give one of them.",
                    f"Địa chỉ ghi tài khoản '{address.user}' nhưng tài khoản nhập là '{user}': "
                    "hãy chỉ dùng một.",
                )
            user = user or address.user
            url = address.url()
    return DestinationConfig(name, kind, url, user, dict(options or {}))


class Outbox:
    """Destinations and outbox items in the database; files under `StudioHome.outbox`.

    Thread-safe in the way `Database` is: every call is its own transaction.
    """

    def __init__(self, db: Database, home: StudioHome, credentials=None):
        self.db = db
        self.home = home
        self._credentials = credentials

    @classmethod
    def open(cls, home: StudioHome, credentials=None) -> Outbox:
        home.ensure()
        return cls(Database(database_url(home)), home, credentials)

    @property
    def credentials(self):
        if self._credentials is None:
            from studio.credentials import KeyringCredentials

            self._credentials = KeyringCredentials()
        return self._credentials

    def close(self) -> None:
        self.db.close()

    @property
    def origin(self) -> str:
        """This studio home's id: its items' copies are here, so only its sender sends them."""
        if getattr(self, "_origin", None) is None:
            self._origin = outbox_origin(self.home.outbox)
        return self._origin

    # --- destinations ----------------------------------------------------------------------------
    def add_destination(
        self,
        name: str,
        kind: str,
        url: str,
        user: str = "",
        options: dict[str, Any] | None = None,
        secret: str | None = None,
        replace: bool = False,
        emergency: bool = False,
    ) -> DestinationConfig:
        config = destination_config(name, kind, url, user, options)
        name, url, user = config.name, config.url, config.user
        for key in config.options:
            if _looks_secret(key):
                raise StudioError(
                    f"The option '{key}' looks like a password or token; options are stored in "
                    "the database. Give the secret with --password-stdin (or the password field): "
                    "it goes to the system keyring.",
                    f"Tuỳ chọn '{key}' có vẻ là mật khẩu hoặc mã truy cập; tuỳ chọn được lưu "
                    "trong cơ sở dữ liệu. Hãy nhập bí mật bằng --password-stdin (hoặc ô mật khẩu): "
                    "nó sẽ được lưu vào kho mật khẩu của hệ thống.",
                )
        # Validate the address now, not at the first push.
        probe = Item(Path("probe.mp3"), "probe.mp3", "0" * 64, 0, uuid.uuid4().hex, {"title": "x"})
        try:
            make_destination(config, secret, known_hosts=self.known_hosts).prepare(probe)
        except ValueError as exc:  # urllib: a port out of range, a broken IPv6 address
            raise StudioError(
                f"The address '{url}' is not valid: {exc}.",
                f"Địa chỉ '{url}' không hợp lệ: {exc}.",
            ) from exc
        with self.db.transaction() as s:
            existing = s.get(DestinationRow, name)
            if existing is not None and not replace:
                raise StudioError(
                    f"A destination named '{name}' already exists.",
                    f"Đã có nơi nhận tên '{name}'.",
                )
            if existing is not None:
                s.delete(existing)
                s.flush()
            # The secret goes to the keyring first: if that fails, nothing half-configured stays.
            if secret is not None:
                self.credentials.set(name, secret)
            s.add(
                DestinationRow(
                    name=name,
                    kind=kind,
                    url=url,
                    user=user,
                    options=config.options,
                    emergency=emergency,
                )
            )
        return config

    def emergency_destinations(self) -> list[str]:
        """Names of the destinations every emergency bulletin goes to, without asking."""
        with self.db.transaction() as s:
            return list(
                s.scalars(
                    select(DestinationRow.name)
                    .where(DestinationRow.emergency.is_(True))
                    .order_by(DestinationRow.name)
                )
            )

    def set_emergency(self, name: str, emergency: bool) -> None:
        """Mark (or unmark) a destination for emergency bulletins."""
        with self.db.transaction() as s:
            row = s.get(DestinationRow, name)
            if row is None:
                raise StudioError(
                    f"There is no destination named '{name}'.",
                    f"Không có nơi nhận tên '{name}'.",
                )
            row.emergency = emergency

    def destinations(self) -> list[DestinationConfig]:
        with self.db.transaction() as s:
            rows = s.scalars(select(DestinationRow).order_by(DestinationRow.name)).all()
            return [DestinationConfig(r.name, r.kind, r.url, r.user, dict(r.options)) for r in rows]

    def destination(self, name: str) -> DestinationConfig:
        with self.db.transaction() as s:
            r = s.get(DestinationRow, name)
            if r is None:
                raise StudioError(
                    f"There is no destination named '{name}'.",
                    f"Không có nơi nhận tên '{name}'.",
                )
            return DestinationConfig(r.name, r.kind, r.url, r.user, dict(r.options))

    def remove_destination(self, name: str) -> None:
        with self.db.transaction() as s:
            row = s.get(DestinationRow, name)
            if row is None:
                raise StudioError(
                    f"There is no destination named '{name}'.",
                    f"Không có nơi nhận tên '{name}'.",
                )
            pending = s.scalars(
                select(OutboxItemRow.id).where(
                    OutboxItemRow.destination == name,
                    or_(
                        OutboxItemRow.status.in_([Status.QUEUED, Status.SENDING]),
                        (OutboxItemRow.status == Status.FAILED)
                        & OutboxItemRow.next_retry_at.is_not(None),
                    ),
                )
            ).all()
            if pending:
                raise StudioError(
                    f"Destination '{name}' still has items waiting to be sent "
                    f"({', '.join(map(str, pending))}); cancel them first.",
                    f"Nơi nhận '{name}' còn mục đang chờ gửi ({', '.join(map(str, pending))}); "
                    "hãy huỷ chúng trước.",
                )
            kind = row.kind
            s.delete(row)
        if kind in NEEDS_SECRET:
            # No keyring means no secret was ever stored for it.
            with contextlib.suppress(StudioError):
                self.credentials.delete(name)

    @property
    def known_hosts(self) -> Path:
        return self.home.root / "known_hosts"

    def plugin(self, name: str) -> Destination:
        return self.plugin_for(self.destination(name))

    def plugin_for(self, config: DestinationConfig, secret: str | None = None) -> Destination:
        """The plugin for `config` (saved or not yet saved, as in a dialog's form), its URL
        parsed as `add_destination` would; without `secret` the one stored for a destination
        of that name is used when it needs one."""
        config = destination_config(
            config.name, config.kind, config.url, config.user, config.options
        )
        if secret is None and needs_secret(config):
            with self.db.transaction() as s:
                known = s.get(DestinationRow, config.name) is not None
            if known:
                secret = self.credentials.get(config.name)
        return make_destination(config, secret, known_hosts=self.known_hosts)

    def test_destination(self, name: str) -> str:
        return self.plugin(name).check()

    # --- items ---------------------------------------------------------------------------------
    def enqueue(
        self,
        file: str | os.PathLike,
        destination: str,
        metadata: dict[str, Any] | None = None,
        priority: str = "thuong",
        name: str | None = None,
    ) -> dict[str, Any]:
        """Queue a push of `file`: a private copy is taken now, so later edits do not change it."""
        src = Path(file)
        if not src.is_file():
            raise StudioError(f"'{src}' is not a file.", f"'{src}' không phải là tệp.")
        if src.stat().st_size == 0:
            raise StudioError(
                f"'{src.name}' is empty (0 bytes): there is nothing to send.",
                f"Tệp '{src.name}' rỗng (0 byte): không có gì để gửi.",
            )
        if priority not in PRIORITY_RANK:
            raise StudioError(
                f"Unknown priority '{priority}' (use thuong, uu-tien or khan-cap).",
                f"Mức ưu tiên '{priority}' không hợp lệ (dùng thuong, uu-tien hoặc khan-cap).",
            )
        config = self.destination(destination)
        key = uuid.uuid4().hex
        # The one place a remote name enters: a given name must already be plain and
        # Windows-safe (refused with the reason); the file's own name is tidied.
        name = check_remote_name(name) if name is not None else safe_file_name(src.name)
        meta = dict(metadata or {})
        meta.setdefault("title", src.stem)
        meta.setdefault("language", "vi")
        meta["priority"] = priority
        meta.setdefault("created_at", utcnow().isoformat(timespec="seconds") + "Z")
        schedule = meta.get("schedule")
        if schedule is not None:
            from studio.schedule import Schedule

            if not isinstance(schedule, Schedule):
                schedule = Schedule.from_json(schedule)
            meta["schedule"] = schedule.as_json()
        if "duration_s" not in meta:
            meta["duration_s"] = audio_duration_s(src)
        # The broadcast-ready report the export wrote beside the file, if any.
        reports = [src.with_name(src.name + ".report.json"), src.with_suffix(".report.json")]
        report = next((r for r in reports if r.is_file()), None)
        if "report" not in meta and report is not None:
            try:
                meta["report"] = json.loads(report.read_text("utf-8"))
            except (OSError, ValueError) as exc:
                raise StudioError(
                    f"The broadcast-ready report '{report}' cannot be read: {exc}.",
                    f"Không đọc được báo cáo sẵn sàng phát '{report}': {exc}.",
                ) from exc
        folder = self.home.outbox / key
        folder.mkdir(parents=True, exist_ok=True)
        copy = folder / name
        try:
            with open(src, "rb") as f, atomic_write(copy) as out:
                shutil.copyfileobj(f, out, 1024 * 1024)
            sha = sha256_file(copy)
            size = copy.stat().st_size
            item = Item(copy, name, sha, size, key, meta, priority)
            # A plan now: a bad title, priority or mapping is reported before anything is queued.
            make_destination(config, None, known_hosts=self.known_hosts).prepare(item)
            with self.db.transaction() as s:
                row = OutboxItemRow(
                    idempotency_key=key,
                    destination=destination,
                    file_path=str(copy),
                    file_name=name,
                    sha256=sha,
                    size=size,
                    meta=meta,
                    priority=priority,
                    priority_rank=PRIORITY_RANK[priority],
                    status=Status.QUEUED,
                    attempts=0,
                    last_error="",
                    last_error_vi="",
                    claimed_by="",
                    remote_id="",
                    location="",
                    origin=self.origin,
                )
                s.add(row)
                s.flush()
                return row.as_dict()
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise

    def items(self, limit: int = 500) -> list[dict[str, Any]]:
        """Newest first, except that emergency items still on their way, or queued in the last
        day, come before everything else: the user must see where a warning stands."""
        cutoff = utcnow() - dt.timedelta(seconds=EMERGENCY_ON_TOP_S)
        with self.db.transaction() as s:
            rows = s.scalars(select(OutboxItemRow).order_by(OutboxItemRow.id.desc()).limit(limit))
            top, rest = [], []
            for r in rows:
                (top if _on_top(r, cutoff) else rest).append(_with_state(r.as_dict()))
        return top + rest

    def item(self, item_id: int) -> dict[str, Any]:
        with self.db.transaction() as s:
            return _with_state(self._row(s, item_id).as_dict())

    @staticmethod
    def _row(s, item_id: int) -> OutboxItemRow:
        row = s.get(OutboxItemRow, item_id)
        if row is None:
            raise StudioError(
                f"There is no outbox item {item_id}.", f"Không có mục {item_id} trong hộp thư đi."
            )
        return row

    def needs_attention(self) -> list[dict[str, Any]]:
        """Failed items: the user should look at these (wrong password, changed key, …)."""
        return [i for i in self.items() if i["status"] == Status.FAILED]

    def retry(self, item_id: int) -> dict[str, Any]:
        """Try a failed or cancelled item again now, with the same idempotency key."""
        with self.db.transaction() as s:
            row = self._row(s, item_id)
            if row.status not in (Status.FAILED, Status.CANCELLED, Status.QUEUED):
                raise StudioError(
                    f"Item {item_id} is {row.status}; only failed or cancelled items can be retried.",
                    f"Mục {item_id} đang ở trạng thái {row.status}; chỉ thử lại được mục lỗi "
                    "hoặc đã huỷ.",
                )
            row.status = Status.QUEUED
            row.next_retry_at = None
            return row.as_dict()

    def cancel(self, item_id: int) -> dict[str, Any]:
        with self.db.transaction() as s:
            row = self._row(s, item_id)
            if row.status not in (Status.QUEUED, Status.FAILED):
                raise StudioError(
                    f"Item {item_id} is {row.status} and cannot be cancelled.",
                    f"Mục {item_id} đang ở trạng thái {row.status}, không huỷ được.",
                )
            row.status = Status.CANCELLED
            row.next_retry_at = None
            return row.as_dict()

    def resend(self, item_id: int) -> dict[str, Any]:
        """Publish the same exact file again, deliberately: a new item with a new key."""
        original = self.item(item_id)
        if not Path(original["file_path"]).is_file():
            raise StudioError(
                f"The outbox copy of item {item_id} was removed after it was sent (copies are "
                f"kept {KEEP_SENT_S // 3600:.0f} h); push the exported file again.",
                f"Bản sao của mục {item_id} đã được xoá sau khi gửi xong (bản sao được giữ "
                f"{KEEP_SENT_S // 3600:.0f} giờ); hãy gửi lại tệp đã xuất.",
            )
        meta = dict(original["metadata"])
        meta.pop("created_at", None)
        return self.enqueue(
            original["file_path"],
            original["destination"],
            meta,
            original["priority"],
            original["file_name"],
        )

    # --- the worker's side -------------------------------------------------------------------
    def claim(self, owner: str | None = None, lease_s: float = LEASE_S) -> dict[str, Any] | None:
        """Take the most urgent due item for sending, or None. Safe across processes."""
        owner = owner or worker_id()
        now = utcnow()
        with self.db.transaction() as s:
            rows = s.scalars(
                select(OutboxItemRow)
                .where(
                    OutboxItemRow.origin.in_([self.origin, ""]),
                    or_(
                        OutboxItemRow.status == Status.QUEUED,
                        (OutboxItemRow.status == Status.FAILED)
                        & (OutboxItemRow.next_retry_at.is_not(None))
                        & (OutboxItemRow.next_retry_at <= now),
                        OutboxItemRow.status == Status.SENDING,
                    ),
                )
                .order_by(OutboxItemRow.priority_rank, OutboxItemRow.id)
            ).all()
            candidates = [
                (r.id, r.status, r.claimed_by)
                for r in rows
                if r.status != Status.SENDING
                or (r.lease_until is not None and r.lease_until < now)
                or _claim_is_dead(r.claimed_by)
            ]
        for item_id, status, claimed_by in candidates:
            with self.db.transaction() as s:
                # Conditional update: only one claimer wins even with two processes.
                result = s.execute(
                    update(OutboxItemRow)
                    .where(
                        OutboxItemRow.id == item_id,
                        OutboxItemRow.status == status,
                        OutboxItemRow.claimed_by == claimed_by,
                    )
                    .values(
                        status=Status.SENDING,
                        claimed_by=owner,
                        lease_until=now + dt.timedelta(seconds=lease_s),
                        attempts=OutboxItemRow.attempts + 1,
                        updated_at=now,
                    )
                )
                if result.rowcount == 1:
                    return self._row(s, item_id).as_dict()
        return None

    def renew(self, item_id: int, owner: str | None = None, lease_s: float = LEASE_S) -> None:
        with self.db.transaction() as s:
            s.execute(
                update(OutboxItemRow)
                .where(
                    OutboxItemRow.id == item_id, OutboxItemRow.claimed_by == (owner or worker_id())
                )
                .values(lease_until=utcnow() + dt.timedelta(seconds=lease_s))
            )

    def mark_done(self, item_id: int, receipt: Receipt) -> dict[str, Any]:
        with self.db.transaction() as s:
            row = self._row(s, item_id)
            row.status = Status.VERIFIED if receipt.verified else Status.SENT
            row.remote_id = receipt.remote_id
            row.location = receipt.location
            row.last_error = ""
            row.last_error_vi = ""
            row.next_retry_at = None
            row.lease_until = None
            row.sent_at = utcnow()
            if receipt.already_there:
                row.meta = {**row.meta, "_already_there": True}
            return row.as_dict()

    def mark_failed(self, item_id: int, error: BaseException) -> dict[str, Any]:
        if isinstance(error, StudioError):
            en, vi = error.en, error.vi
        else:
            en = vi = f"{type(error).__name__}: {error}"
        # The one way an error text enters the database: nothing that can carry a secret.
        en, vi = redact(en), redact(vi)
        # A TransferError knows; any other StudioError (no keyring, destination removed) needs
        # the user; an unexpected error may be passing (a locked database), so try again.
        if isinstance(error, TransferError):
            retryable = error.retryable
        else:
            retryable = isinstance(error, DatabaseError) or not isinstance(error, StudioError)
        with self.db.transaction() as s:
            row = self._row(s, item_id)
            row.status = Status.FAILED
            row.last_error = en
            row.last_error_vi = vi
            row.lease_until = None
            now = utcnow()
            retry_at = now + dt.timedelta(seconds=backoff_s(row.attempts, row.priority))
            if retryable and retry_at - row.created_at <= dt.timedelta(seconds=RETRY_FOR_S):
                row.next_retry_at = retry_at
            else:
                row.next_retry_at = None
            return row.as_dict()

    def release(self, item_id: int, owner: str | None = None) -> dict[str, Any]:
        """Hand back an item whose sending was stopped on purpose (the sender is shutting down):
        queued again, due at once for the next sender. A destination overwrites its own
        temporary file, so the next attempt still gives one copy."""
        with self.db.transaction() as s:
            s.execute(
                update(OutboxItemRow)
                .where(
                    OutboxItemRow.id == item_id,
                    OutboxItemRow.status == Status.SENDING,
                    OutboxItemRow.claimed_by == (owner or worker_id()),
                )
                .values(status=Status.QUEUED, claimed_by="", lease_until=None, next_retry_at=None)
                .execution_options(synchronize_session=False)
            )
            return self._row(s, item_id).as_dict()

    def sender_lease(self, role: str = "cli", owner: str | None = None) -> SenderLease:
        """The lease that makes one process the only sender of this outbox."""
        return SenderLease(self.db, self.origin, owner, role)

    def sender(self):
        """Who sends from this outbox now (`SenderInfo`), or None."""
        return self.sender_lease().holder()

    def _waiting(self):
        return (OutboxItemRow.status == Status.FAILED) & OutboxItemRow.next_retry_at.is_not(None)

    def pending(self) -> int:
        """How many of this home's items are still to be sent (queued, sending, or failed with
        a retry time): what the window's close prompt and `serve --until-done` look at."""
        with self.db.transaction() as s:
            ids = s.scalars(
                select(OutboxItemRow.id).where(
                    OutboxItemRow.origin.in_([self.origin, ""]),
                    or_(
                        OutboxItemRow.status.in_([Status.QUEUED, Status.SENDING]),
                        self._waiting(),
                    ),
                )
            ).all()
            return len(ids)

    def waiting_destinations(self) -> list[str]:
        """Destinations with items of this home waiting for their retry time."""
        with self.db.transaction() as s:
            names = s.scalars(
                select(OutboxItemRow.destination)
                .where(
                    OutboxItemRow.origin.in_([self.origin, ""]),
                    self._waiting(),
                    OutboxItemRow.next_retry_at > utcnow(),
                )
                .distinct()
            ).all()
            return sorted(names)

    def retry_now(self, destination: str) -> int:
        """Make the items waiting for `destination` due now (it answers again); how many."""
        now = utcnow()
        with self.db.transaction() as s:
            result = s.execute(
                update(OutboxItemRow)
                .where(
                    OutboxItemRow.origin.in_([self.origin, ""]),
                    OutboxItemRow.destination == destination,
                    self._waiting(),
                    OutboxItemRow.next_retry_at > now,
                )
                .values(next_retry_at=now)
                .execution_options(synchronize_session=False)
            )
            return result.rowcount

    def reachable(self, destination: str) -> bool:
        """A cheap connection test (no login, nothing sent); False also when it is gone."""
        try:
            config = self.destination(destination)
            return make_destination(config, None, known_hosts=self.known_hosts).reachable()
        except StudioError:
            return False

    def prune_copies(self, now: dt.datetime | None = None) -> tuple[int, int]:
        """Remove outbox copies nothing needs any more; (folders removed, bytes freed).

        A copy is kept while any item that uses it (a re-send uses its original's copy) is
        queued, sending or failed (it may be retried), for `KEEP_SENT_S` after the last of
        them was sent and `KEEP_CANCELLED_S` after it was cancelled. Only folders directly
        under this home's outbox folder are touched.
        """
        now = now or utcnow()
        root = self.home.outbox
        if not root.is_dir():
            return 0, 0
        keep_until: dict[str, dt.datetime] = {}
        forever = dt.datetime.max
        with self.db.transaction() as s:
            rows = s.execute(
                select(
                    OutboxItemRow.file_path,
                    OutboxItemRow.status,
                    OutboxItemRow.sent_at,
                    OutboxItemRow.updated_at,
                ).where(OutboxItemRow.origin.in_([self.origin, ""]))
            ).all()
        for file_path, status, sent_at, updated_at in rows:
            folder = Path(file_path).parent
            if folder.parent != root:
                continue
            if status in Status.DONE:
                until = (sent_at or updated_at) + dt.timedelta(seconds=KEEP_SENT_S)
            elif status == Status.CANCELLED:
                until = updated_at + dt.timedelta(seconds=KEEP_CANCELLED_S)
            else:
                until = forever
            keep_until[folder.name] = max(until, keep_until.get(folder.name, until))
        removed = freed = 0
        for folder in root.iterdir():
            if not folder.is_dir() or folder.is_symlink():
                continue
            until = keep_until.get(folder.name)
            if until is None:
                try:
                    age_s = now.replace(tzinfo=dt.UTC).timestamp() - folder.stat().st_mtime
                except OSError:
                    continue
                if age_s < KEEP_ORPHAN_S:
                    continue  # maybe a push being copied in right now
            elif until > now:
                continue
            size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
            shutil.rmtree(folder, ignore_errors=True)
            if not folder.exists():
                removed += 1
                freed += size
                log.info("Removed the outbox copy %s (%d bytes)", folder.name, size)
        return removed, freed

    def item_for_sending(self, row: dict[str, Any]) -> Item:
        return Item(
            Path(row["file_path"]),
            row["file_name"],
            row["sha256"],
            row["size"],
            row["idempotency_key"],
            row["metadata"],
            row["priority"],
        )


__all__ = ["Outbox", "PRIORITIES", "Status", "TransferError", "backoff_s"]
