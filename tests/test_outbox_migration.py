"""The outbox migrations (0002_outbox, 0004_outbox_sender) create exactly the tables the
models describe."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import inspect

pytest.importorskip(
    "studio.library.models", reason="needs 0001_library (the library branch) to be merged"
)

from alembic.autogenerate import compare_metadata  # noqa: E402
from alembic.migration import MigrationContext  # noqa: E402

from studio.db import Base, Database  # noqa: E402

TABLES = ("destinations", "outbox_items", "outbox_senders")


def urls(tmp_path):
    yield f"sqlite:///{tmp_path / 'lib.sqlite3'}"
    pg = os.environ.get("STUDIO_TEST_PG_URL")
    if pg:
        yield pg
    elif os.environ.get("CI"):
        pytest.fail("STUDIO_TEST_PG_URL is not set in CI")


def test_upgrade_matches_models_and_downgrades(tmp_path):
    from alembic import command
    from alembic.config import Config

    from studio.db import MIGRATIONS

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    for url in urls(tmp_path):
        db = Database(url)  # upgrade to head
        try:
            with db.engine.connect() as conn:
                names = set(inspect(conn).get_table_names())
                assert set(TABLES) <= names
                diffs = [
                    d
                    for d in compare_metadata(MigrationContext.configure(conn), Base.metadata)
                    if any(t in repr(d) for t in TABLES)
                ]
            assert diffs == [], diffs
            with db.engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.downgrade(cfg, "0001_library")
            with db.engine.connect() as conn:
                assert not set(TABLES) & set(inspect(conn).get_table_names())
            with db.engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        finally:
            with db.engine.begin() as conn:  # leave the (shared) test database empty
                cfg.attributes["connection"] = conn
                command.downgrade(cfg, "base")
            db.close()
