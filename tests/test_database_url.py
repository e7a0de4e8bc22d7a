"""One database for the library and the outbox: the outbox follows STUDIO_LIBRARY_URL (and the
`library_url` setting) exactly as the library does, on the real PostgreSQL server."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, inspect, text

from studio.cli import run
from studio.db import database_url
from studio.library import library_url, open_library
from studio.outbox import Outbox
from studio.paths import StudioHome
from studio.settings import Settings
from tests import library_support


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("STUDIO_HOME", str(tmp_path / "home"))
    return StudioHome(tmp_path / "home").ensure()


def test_library_and_outbox_read_one_url(home, tmp_path, monkeypatch):
    monkeypatch.delenv("STUDIO_LIBRARY_URL", raising=False)
    assert library_url is database_url  # one function, not two that drift
    assert database_url(home) == home.library_url
    settings = Settings(home.settings_file)
    settings.set("library_url", f"sqlite:///{(tmp_path / 'shared.sqlite3').as_posix()}")
    settings.save()
    assert database_url(home).endswith("shared.sqlite3")
    monkeypatch.setenv("STUDIO_LIBRARY_URL", f"sqlite:///{(tmp_path / 'env.sqlite3').as_posix()}")
    assert database_url(home).endswith("env.sqlite3")
    box = Outbox.open(home)
    try:
        assert box.db.url.endswith("env.sqlite3")
    finally:
        box.db.close()


@pytest.mark.postgres
def test_the_outbox_lives_in_postgresql_when_the_library_does(home, tmp_path, monkeypatch):
    url = library_support.pg_library_url()
    monkeypatch.setenv("STUDIO_LIBRARY_URL", url)
    drop = tmp_path / "drop"
    drop.mkdir()
    assert run(["destinations", "add", "kho", "--kind", "folder", "--url", str(drop)], home) == 0
    song = tmp_path / "ban-tin.mp3"
    song.write_bytes(b"ID3" + bytes(5000))
    assert run(["push", str(song), "--to", "kho", "--wait"], home) == 0
    assert (drop / "ban-tin.mp3").read_bytes() == song.read_bytes()
    # the rows are in PostgreSQL, next to the library's tables; no SQLite file was made
    engine = create_engine(url)
    try:
        tables = set(inspect(engine).get_table_names())
        assert {"segments", "destinations", "outbox_items"} <= tables
        with engine.connect() as conn:
            assert conn.scalar(text("select name from destinations")) == "kho"
            assert conn.scalar(text("select status from outbox_items")) in ("sent", "verified")
    finally:
        engine.dispose()
    assert not (home.root / "library.sqlite3").exists()
    lib = open_library(home)
    try:
        assert lib.dialect == "postgresql"
    finally:
        lib.close()
