"""Faults: locked and read-only SQLite, PostgreSQL going away, unreadable folders.

Each must give a clear bilingual error, leave no half-written rows, and let the user go on.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from audio.media import MediaStore
from studio.db import Database
from studio.library import Library, LibraryError, open_database
from studio.library.importer import collect_files
from tests import library_support
from tests.library_support import pg_ctl, tone

library = library_support.library
backend = library_support.backend
db_url = library_support.db_url


def _sqlite_library(tmp_path: Path) -> tuple[Library, Path]:
    path = tmp_path / "library.sqlite3"
    db = Database(f"sqlite:///{path.as_posix()}")
    return Library(db, MediaStore(tmp_path / "media")), path


def test_sqlite_locked_by_another_process(tmp_path):
    lib, path = _sqlite_library(tmp_path)
    seg_id = lib.import_paths([tone(tmp_path / "a.wav")]).added[0].segment_id
    # Wait 0.2 s for the lock instead of the app's 5 s, to keep the test short.
    event.listen(lib.db.engine, "connect", lambda c, _r: c.execute("PRAGMA busy_timeout=200"))
    lib.db.engine.dispose()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys\n"
            f"c = sqlite3.connect({str(path)!r}, isolation_level=None)\n"
            "c.execute('BEGIN EXCLUSIVE')\n"
            "print('locked', flush=True)\n"
            "sys.stdin.read()\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(LibraryError) as locked:
            lib.update(seg_id, title="Tiêu đề mới")
        assert "locked" in locked.value.en and "khoá" in locked.value.vi
        # Reading goes on while another program writes (WAL).
        assert [s.title for s in lib.search()] == ["a"]
        # An import in the meantime lists the file as failed, with no row left behind.
        report = lib.import_paths([tone(tmp_path / "b.wav", freq=500)])
        assert report.items[0].status == "failed" and "locked" in report.items[0].reason_en
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
    assert lib.count() == 1
    assert lib.update(seg_id, title="Tiêu đề mới").title == "Tiêu đề mới"
    assert lib.import_paths([tmp_path / "b.wav"]).items[0].status == "added"
    lib.db.close()


def test_sqlite_read_only(tmp_path):
    lib, path = _sqlite_library(tmp_path)
    seg_id = lib.import_paths([tone(tmp_path / "a.wav")]).added[0].segment_id
    lib.db.close()
    # Opened read-only (as a file on a read-only share or without write permission is).
    ro = Library(
        open_database(f"sqlite:///file:{path.as_posix()}?mode=ro&uri=true"),
        MediaStore(tmp_path / "media"),
    )
    assert ro.get(seg_id).title == "a"
    assert [s.id for s in ro.search("a")] == [seg_id]
    with pytest.raises(LibraryError) as denied:
        ro.update(seg_id, title="Không lưu được")
    assert "read-only" in denied.value.en and "chỉ cho phép đọc" in denied.value.vi
    report = ro.import_paths([tone(tmp_path / "b.wav", freq=600)])
    assert report.items[0].status == "failed" and "read-only" in report.items[0].reason_en
    assert ro.count() == 1 and ro.get(seg_id).title == "a"
    ro.db.close()


def test_unreachable_server_at_start_is_a_clear_error():
    with pytest.raises(LibraryError) as lost:
        open_database("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
    assert "server" in lost.value.en and "máy chủ" in lost.value.vi


def test_postgresql_server_goes_away_and_comes_back(tmp_path):
    url = library_support.pg_library_url()
    db = Database(url)
    lib = Library(db, MediaStore(tmp_path / "media"))
    seg_id = lib.import_paths([tone(tmp_path / "a.wav")]).added[0].segment_id
    pg_ctl("stop")
    try:
        with pytest.raises(LibraryError) as lost:
            lib.search("a")
        assert "connection" in lost.value.en and "kết nối" in lost.value.vi
        with pytest.raises(LibraryError):
            lib.update(seg_id, title="Mất kết nối")
        report = lib.import_paths([tone(tmp_path / "b.wav", freq=700)])
        assert report.items[0].status == "failed"
    finally:
        pg_ctl("start")
    # The same Library object goes on once the server is back; nothing was half-written.
    assert [s.title for s in lib.search()] == ["a"]
    assert lib.import_paths([tmp_path / "b.wav"]).items[0].status == "added"
    assert lib.count() == 2
    db.close()


def test_postgresql_session_killed_in_the_middle_of_a_write(tmp_path):
    url = library_support.pg_library_url()
    db = Database(url)
    lib = Library(db, MediaStore(tmp_path / "media"))
    admin = create_engine(make_url(url), isolation_level="AUTOCOMMIT")
    killed = []

    def kill_after_insert(conn, cursor, statement, *_args):
        if statement.lstrip().upper().startswith("INSERT INTO SEGMENTS") and not killed:
            pid = cursor.connection.info.backend_pid
            with admin.connect() as c:
                c.execute(text("select pg_terminate_backend(:p)"), {"p": pid})
            killed.append(pid)

    event.listen(db.engine, "after_cursor_execute", kill_after_insert)
    report = lib.import_paths([tone(tmp_path / "a.wav")])
    assert killed, "the insert never ran"
    assert report.items[0].status == "failed"
    assert "connection" in report.items[0].reason_en
    assert lib.count() == 0  # the insert was rolled back with the session
    event.remove(db.engine, "after_cursor_execute", kill_after_insert)
    assert lib.import_paths([tmp_path / "a.wav"]).items[0].status == "added"
    assert lib.count() == 1
    admin.dispose()
    db.close()


def _collect_as(uid: int, folder: Path) -> dict:
    """Run collect_files in a child process with the given uid (root ignores permissions)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop privileges, report, exit without pytest's clean-up
        try:
            os.close(read)
            os.setgid(uid)
            os.setuid(uid)
            files, failures = collect_files([folder])
            out = {
                "files": [f.name for f in files],
                "failed": [(Path(i.path).name, i.reason_en, i.reason_vi) for i in failures],
            }
            os.write(write, json.dumps(out).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as f:
        data = f.read()
    os.waitpid(pid, 0)
    return json.loads(data)


def test_folder_without_permission_is_listed_and_the_rest_goes_on():
    root = Path(tempfile.mkdtemp(prefix="studio-perm-"))
    try:
        root.chmod(0o755)
        tone(root / "ok.wav").chmod(0o644)
        locked = root / "khoá"
        locked.mkdir()
        tone(locked / "hidden.wav")
        locked.chmod(0)
        if os.geteuid() == 0:
            result = _collect_as(65534, root)  # nobody
        else:
            files, failures = collect_files([root])
            result = {
                "files": [f.name for f in files],
                "failed": [(Path(i.path).name, i.reason_en, i.reason_vi) for i in failures],
            }
        assert result["files"] == ["ok.wav"]
        ((name, en, vi),) = result["failed"]
        assert name == "khoá" and "Permission denied" in en and "thư mục" in vi
    finally:
        (root / "khoá").chmod(0o755)
        shutil.rmtree(root)
