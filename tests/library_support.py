"""Fixtures for the library tests: one library on a SQLite file and one on real PostgreSQL.

PostgreSQL comes from $STUDIO_TEST_PG_URL (`.ci/services.sh`); the tests use their own
database `<name>_library` on that server and a fresh schema per test. Without the variable
the PostgreSQL cases skip, unless CI is set: then they fail.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from audio.media import MediaStore
from studio.db import Database
from studio.library import Library

RATE = 48_000
BACKENDS = ["sqlite", "postgresql"]


def pg_admin_url() -> str | None:
    url = os.environ.get("STUDIO_TEST_PG_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("STUDIO_TEST_PG_URL is not set under CI: PostgreSQL tests cannot run")
        pytest.skip("STUDIO_TEST_PG_URL not set (start .ci/services.sh)")
    return url


def pg_library_url() -> str:
    """A database of our own on the test server, emptied for each test."""
    admin = make_url(pg_admin_url())
    name = f"{admin.database}_library"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if conn.scalar(text("select 1 from pg_database where datname = :n"), {"n": name}) is None:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    url = admin.set(database=name)
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        # Close other sessions left over from an earlier failed test, then start empty.
        conn.execute(
            text(
                "select pg_terminate_backend(pid) from pg_stat_activity "
                "where datname = :n and pid <> pg_backend_pid()"
            ),
            {"n": name},
        )
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url.render_as_string(hide_password=False)


def database_url(backend: str, tmp_path: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{(tmp_path / 'library.sqlite3').as_posix()}"
    return pg_library_url()


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def db_url(backend, tmp_path) -> str:
    return database_url(backend, tmp_path)


@pytest.fixture
def library(db_url, tmp_path):
    db = Database(db_url)
    lib = Library(db, MediaStore(tmp_path / "media"))
    yield lib
    db.close()


def tone(
    path: Path,
    freq: float = 440.0,
    seconds: float = 1.0,
    rate: int = 44_100,
    channels: int = 1,
    amplitude: float = 0.3,
    **kw,
) -> Path:
    """A sine file (any soundfile format by suffix); distinct parameters give distinct bytes."""
    t = np.arange(int(seconds * rate)) / rate
    x = (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.float32)
    data = np.stack([x] * channels, axis=1) if channels > 1 else x
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, data, rate, **kw)
    return path


def pg_ctl(action: str) -> None:
    """Stop or start the test PostgreSQL cluster (.ci/services.sh layout)."""
    pgdata = os.environ.get("PGDATA")
    svc = os.environ.get("STUDIO_SVC")
    port = make_url(pg_admin_url()).port
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if not (pgdata and svc and bins):
        pytest.fail("PGDATA/STUDIO_SVC not set: source .ci/services.sh to run this test")
    pg = str(bins[-1])
    if action == "stop":
        cmd = f"{pg} -D {pgdata} -m fast -w stop"
    else:
        cmd = (
            f"{pg} -D {pgdata} -l {svc}/pg.log -w -o "
            f"'-p {port} -k {svc} -c listen_addresses=127.0.0.1' start"
        )
    if os.geteuid() == 0:
        subprocess.run(["su", "postgres", "-c", cmd], check=True, capture_output=True)
    else:
        subprocess.run(cmd, shell=True, check=True, capture_output=True)
