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
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

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


def upgrade_schema(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


class Database:
    def __init__(self, url: str, upgrade: bool = True):
        self.url = url
        self.engine = make_engine(url)
        if upgrade:
            upgrade_schema(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed when the block ends, rolled back on error."""
        with self._sessions() as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()
