"""Migration 0003_broadcast_log: the export log table and the destinations' emergency flag."""

from __future__ import annotations

import os

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from studio.db import MIGRATIONS, Base, Database


def urls(tmp_path):
    yield f"sqlite:///{tmp_path / 'lib.sqlite3'}"
    pg = os.environ.get("STUDIO_TEST_PG_URL")
    if pg:
        yield pg
    elif os.environ.get("CI"):
        pytest.fail("STUDIO_TEST_PG_URL is not set in CI")


def test_upgrade_keeps_destinations_matches_models_and_downgrades(tmp_path):
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    for url in urls(tmp_path):
        db = Database(url, upgrade=False)
        try:
            with db.engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "0002_outbox")
                conn.execute(
                    text(
                        'INSERT INTO destinations (name, kind, url, "user", options, created_at)'
                        " VALUES ('loa', 'folder', '/srv/loa', '', '{}', '2026-11-01 00:00:00')"
                    )
                )
            with db.engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
            with db.engine.connect() as conn:
                assert "programme_exports" in inspect(conn).get_table_names()
                flag = conn.execute(text("SELECT emergency FROM destinations")).scalar_one()
                assert not flag  # an existing destination is not an emergency one
                diffs = [
                    d
                    for d in compare_metadata(MigrationContext.configure(conn), Base.metadata)
                    if any(t in repr(d) for t in ("programme_exports", "emergency"))
                ]
            assert diffs == [], diffs
            with db.engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.downgrade(cfg, "0002_outbox")
            with db.engine.connect() as conn:
                assert "programme_exports" not in inspect(conn).get_table_names()
                columns = {c["name"] for c in inspect(conn).get_columns("destinations")}
                assert "emergency" not in columns
        finally:
            with db.engine.begin() as conn:  # leave the (shared) test database empty
                cfg.attributes["connection"] = conn
                command.downgrade(cfg, "base")
            db.close()
