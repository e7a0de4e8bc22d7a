"""The database behind the segment library and the publishing outbox.

SQLite in the user's data folder by default (WAL journal, foreign keys on); the same models on
PostgreSQL when a URL is configured. The schema is created and upgraded by Alembic migrations
in `studio/migrations` (revision ids: 0001_library, 0002_outbox, …). All writes go through
`Database.transaction()`, which commits on success and rolls back on any error, so a failure
never leaves half-written rows.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from audio.errors import StudioError

if TYPE_CHECKING:
    from studio.paths import StudioHome

MIGRATIONS = Path(__file__).with_name("migrations")
URL_ENV = "STUDIO_LIBRARY_URL"


def database_url(home: StudioHome) -> str:
    """The one database of a studio home (segment library and outbox alike): the environment
    variable STUDIO_LIBRARY_URL, else the `library_url` setting, else the SQLite file in the
    studio home."""
    from studio.settings import Settings

    env = os.environ.get(URL_ENV, "").strip()
    if env:
        return env
    setting = Settings(home.settings_file).get("library_url").strip()
    return setting or home.library_url


class Base(DeclarativeBase):
    """Declarative base of every table (library, outbox)."""


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


_REVISION = re.compile(r"^(down_)?revision\s*(?::[^=]*)?=\s*(?:[\"']([^\"']+)[\"']|None)", re.M)


def head_revision() -> str | None:
    """The newest migration's revision id, read from the migration files (importing Alembic
    costs the window's start half a second); None if they do not form one line."""
    revisions, parents = set(), set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        for down, value in _REVISION.findall(path.read_text("utf-8")):
            if value:
                (parents if down else revisions).add(value)
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def current_revision(engine: Engine) -> str | None:
    """The database's Alembic revision, or None (a new database, or unreadable)."""
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).fetchall()
    except sa_exc.SQLAlchemyError:
        return None
    return rows[0][0] if len(rows) == 1 else None


def upgrade_schema(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (Alembic is imported only when there is
    something to do)."""
    head = head_revision()
    if head is not None and current_revision(engine) == head:
        return
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


class DatabaseError(StudioError):
    """The database could not do what was asked; nothing was half-written."""


_WHAT = ("The studio database (library and outbox)", "Cơ sở dữ liệu (thư viện và hộp thư đi)")


def database_error(exc: BaseException, url: str = "") -> DatabaseError:
    """The one translation of a database failure into a bilingual sentence that says what it
    is: locked, read-only, damaged, full, a file that cannot be opened, or a lost server."""
    text = str(getattr(exc, "orig", exc)).lower()
    en, vi = _WHAT
    local = url.startswith("sqlite")
    where = _sqlite_file(url) if local else ""
    if "locked" in text or "busy" in text:
        return DatabaseError(
            f"{en} is locked by another program. Close it and try again.",
            f"{vi} đang bị chương trình khác khoá. Hãy đóng chương trình đó rồi thử lại.",
        )
    if "readonly" in text or "read-only" in text or "read only" in text:
        return DatabaseError(
            f"{en} is read-only: changes cannot be saved{where and f' ({where})'}.",
            f"{vi} chỉ cho phép đọc: không lưu được thay đổi{where and f' ({where})'}.",
        )
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return DatabaseError(
            f"{en} is damaged{where and f' ({where})'}. Nothing was changed; restore it from "
            "a backup or move it away to start a new one.",
            f"{vi} bị hỏng{where and f' ({where})'}. Chưa có gì bị thay đổi; hãy khôi phục từ "
            "bản sao lưu hoặc chuyển tệp đi để tạo mới.",
        )
    if "full" in text:
        return DatabaseError(
            f"The disk of {en.lower()} is full. Free some space and try again.",
            f"Ổ đĩa chứa {vi.lower()} đã đầy. Hãy giải phóng dung lượng rồi thử lại.",
        )
    if local:
        # A local file is never "the network": say it cannot be opened or written, and where.
        return DatabaseError(
            f"{en} cannot be opened or written ({where}): {text.splitlines()[0] if text else ''}. "
            "Check that the file and its folder may be written.",
            f"Không mở hoặc ghi được {vi.lower()} ({where}): "
            f"{text.splitlines()[0] if text else ''}. Hãy kiểm tra quyền ghi tệp và thư mục.",
        )
    if isinstance(exc, sa_exc.DBAPIError) and (
        exc.connection_invalidated
        or isinstance(exc, sa_exc.OperationalError | sa_exc.InterfaceError)
    ):
        return DatabaseError(
            f"Lost the connection to the server of {en.lower()}. Nothing was changed; "
            "check the network and try again.",
            f"Mất kết nối tới máy chủ {vi.lower()}. Chưa có gì bị thay đổi; hãy kiểm tra mạng "
            "rồi thử lại.",
        )
    first = text.splitlines()[0] if text else type(exc).__name__
    return DatabaseError(f"{en} failed: {first}.", f"{vi} bị lỗi: {first}.")


def _sqlite_file(url: str) -> str:
    path = url.split(":///", 1)[-1].split("?", 1)[0]
    return path.removeprefix("file:")


class Database:
    """Every failure of the database reaches the caller as a `DatabaseError` (a StudioError
    with one sentence in each language): opening, migrating, and any transaction. Only an
    IntegrityError passes as it is: callers that insert concurrently catch it."""

    def __init__(self, url: str, upgrade: bool = True):
        self.url = url
        try:
            self.engine = make_engine(url)
            if upgrade:
                upgrade_schema(self.engine)
        except sa_exc.SQLAlchemyError as exc:
            raise database_error(exc, url) from exc
        except ImportError as exc:  # mysql://…: a driver this app does not ship
            raise DatabaseError(
                f"The database address '{url.split('://')[0]}://…' is not one this app can use "
                "(use PostgreSQL: postgresql+psycopg://user@host/db, or leave it empty).",
                f"Địa chỉ cơ sở dữ liệu '{url.split('://')[0]}://…' không dùng được "
                "(hãy dùng PostgreSQL: postgresql+psycopg://user@host/db, hoặc để trống).",
            ) from exc
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed when the block ends, rolled back on error."""
        try:
            with self._sessions() as session, session.begin():
                yield session
        except sa_exc.IntegrityError:
            raise  # a constraint the caller expects (a row another process made just now)
        except sa_exc.SQLAlchemyError as exc:
            raise database_error(exc, self.url) from exc

    def close(self) -> None:
        self.engine.dispose()
