"""Schema migrations: a database made by every released schema version upgrades to head.

`tests/data/library-v0001.sqlite3` was made by the 0001_library migration (see
`tests/data/make_library_v0001.py`); add one fixture per later released version.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from audio.media import MediaStore
from studio.db import MIGRATIONS, Base, Database
from studio.library import Library
from tests import library_support
from tests.library_support import tone

backend = library_support.backend
db_url = library_support.db_url

DATA = Path(__file__).with_name("data")
LIBRARY_TABLES = {"segments", "segment_usages", "categories"}


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def _head() -> str:
    return ScriptDirectory.from_config(_config()).get_current_head()


def _migrate(url: str, revision: str, down: bool = False) -> None:
    engine = create_engine(url)
    cfg = _config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(cfg, revision)
    engine.dispose()


def _version(db: Database) -> str:
    with db.engine.connect() as conn:
        return conn.scalar(text("select version_num from alembic_version"))


def _check_upgraded(db: Database, tmp_path: Path) -> None:
    assert _version(db) == _head()
    lib = Library(db, MediaStore(tmp_path / "media"))
    assert [s.id for s in lib.search("ban tin")] == [1]
    assert [s.id for s in lib.search("phong chong bao")] == [3]
    assert [s.id for s in lib.search("d")] == [1, 2]  # "Đài xã", "đầu giờ"
    assert lib.get(3).expired()
    assert [u.programme for u in lib.usages(1)] == ["Bản tin 2/9"]
    # The upgraded library keeps working: edits refold, imports add.
    lib.update(2, title="Nhạc hiệu kết thúc")
    assert [s.id for s in lib.search("ket thuc")] == [2]
    new = lib.import_paths([tone(tmp_path / "moi.wav")]).added[0].segment_id
    assert new == 4 and lib.count() == 4


def test_v0001_sqlite_fixture_upgrades_to_head(tmp_path):
    path = tmp_path / "library.sqlite3"
    shutil.copy(DATA / "library-v0001.sqlite3", path)
    db = Database(f"sqlite:///{path.as_posix()}")
    _check_upgraded(db, tmp_path)
    db.close()


def test_v0001_postgresql_database_upgrades_to_head(tmp_path):
    url = library_support.pg_library_url()
    _migrate(url, "0001_library")
    spec = importlib.util.spec_from_file_location("make_v0001", DATA / "make_library_v0001.py")
    maker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(maker)
    engine = create_engine(url)
    with engine.begin() as conn:
        for i, title, kind, cat, tags, author, notes, until, folded, sort in maker.ROWS:
            conn.execute(
                text(
                    "INSERT INTO segments (id, title, kind, category, tags, author, notes, "
                    "valid_until, frames, store_rate, sample_rate, channels, sha256, peaks_ref, "
                    "created_at, modified_at, search_text, sort_title) VALUES (:i, :title, "
                    ":kind, :cat, :tags, :author, :notes, :until, 48000, 48000, 44100, 1, :sha, "
                    "'', now(), now(), :folded, :sort)"
                ),
                {
                    "i": i,
                    "title": title,
                    "kind": kind,
                    "cat": cat,
                    "tags": tags,
                    "author": author,
                    "notes": notes,
                    "until": until,
                    "folded": folded,
                    "sort": sort,
                    "sha": f"{i:064x}",
                },
            )
        # Rows written with explicit ids: move the sequence on, as a real 0001 library's is.
        conn.execute(text("select setval('segments_id_seq', 3)"))
        conn.execute(
            text(
                "INSERT INTO segment_usages (segment_id, programme, action, used_at) "
                "VALUES (1, 'Bản tin 2/9', 'exported', now())"
            )
        )
    engine.dispose()
    db = Database(url)
    _check_upgraded(db, tmp_path)
    db.close()


def test_models_match_the_migrations(db_url):
    db = Database(db_url)
    with db.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    db.close()

    def table_of(diff) -> str | None:
        op = diff[0] if isinstance(diff, list) else diff
        for part in op[1:]:
            name = getattr(part, "name", None) if not isinstance(part, str) else None
            table = getattr(part, "table", None)
            if table is not None:
                return table.name
            if name:
                return name
        return None

    # The dialect's search index (trigram on PostgreSQL) lives in the migration only.
    ours = [
        d
        for d in diffs
        if table_of(d) in LIBRARY_TABLES and "ix_segments_search_trgm" not in repr(d)
    ]
    assert ours == []


def test_downgrade_to_nothing_and_up_again(db_url):
    Database(db_url).close()
    _migrate(db_url, "base", down=True)
    engine = create_engine(db_url)
    with engine.connect() as conn:
        names = set(
            conn.scalars(
                text("select name from sqlite_master where type='table'")
                if conn.dialect.name == "sqlite"
                else text("select tablename from pg_tables where schemaname='public'")
            )
        )
    engine.dispose()
    assert not (names & (LIBRARY_TABLES | {"segment_fts"}))
    db = Database(db_url)
    assert _version(db) == _head()
    db.close()


@pytest.mark.parametrize("revision", ["0001_library"])
def test_every_released_revision_has_a_fixture(revision):
    assert (DATA / f"library-v{revision.split('_')[0]}.sqlite3").exists()
