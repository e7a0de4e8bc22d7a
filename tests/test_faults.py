"""Faults at the boundaries, with real parts: a SQLite file that is damaged, read-only,
immutable (chattr +i) or locked by another program, a PostgreSQL server that is not there,
a server that echoes the request into its error reply, a full disk under an export, a killed
export's leftovers, an export whose own check fails. Each is one clear line, nothing lost.
"""

from __future__ import annotations

import errno
import http.server
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from studio.credentials import MemoryCredentials
from studio.paths import StudioHome

RATE = 48_000


def cli(capsys, *argv: str) -> tuple[int, str]:
    from studio.__main__ import main

    capsys.readouterr()
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = exit_.code
    out = capsys.readouterr()
    assert "Traceback" not in out.err + out.out
    return code, out.err.strip()


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("STUDIO_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("STUDIO_LANG", "en")
    monkeypatch.delenv("STUDIO_LIBRARY_URL", raising=False)
    return StudioHome(tmp_path / "home").ensure()


def db_file(home: StudioHome) -> Path:
    return Path(home.library_url.split(":///", 1)[1])


def ready_db(capsys, home, tmp_path) -> Path:
    (tmp_path / "usb").mkdir()
    assert cli(capsys, "destinations", "add", "usb", "--kind", "folder", "--url", str(tmp_path / "usb"))[0] == 0  # fmt: skip
    (tmp_path / "x.mp3").write_bytes(os.urandom(3000))
    return db_file(home)


COMMANDS = [
    ("outbox",),
    ("destinations", "list"),
    ("push", "{t}/x.mp3", "--to", "usb"),
]


@pytest.mark.parametrize(
    "argv", COMMANDS, ids=lambda a: a[0] + ("-" + a[1] if a[0] == "destinations" else "")
)
def test_damaged_database_is_one_line(argv, home, tmp_path, capsys):
    path = ready_db(capsys, home, tmp_path)
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    path.write_bytes(b"this is not a database" * 200)
    code, err = cli(capsys, *(a.replace("{t}", str(tmp_path)) for a in argv))
    assert code == 1 and len(err.splitlines()) == 1 and "is damaged" in err, err
    assert str(path) in err
    assert list((tmp_path / "usb").iterdir()) == []


@pytest.mark.parametrize(
    "argv", COMMANDS, ids=lambda a: a[0] + ("-" + a[1] if a[0] == "destinations" else "")
)
def test_immutable_database_is_one_line_that_says_what_it_is(argv, home, tmp_path, capsys):
    path = ready_db(capsys, home, tmp_path)
    files = [p for p in (path, Path(str(path) + "-wal"), Path(str(path) + "-shm")) if p.exists()]
    subprocess.run(["chattr", "+i", *map(str, files)], check=True)
    try:
        code, err = cli(capsys, *(a.replace("{t}", str(tmp_path)) for a in argv))
    finally:
        subprocess.run(["chattr", "-i", *map(str, files)], check=True)
    if argv[0] != "push":
        # reading an immutable file is fine when nothing needs writing
        assert code in (0, 1), err
        if code == 0:
            return
    assert code == 1 and len(err.splitlines()) == 1, err
    assert "network" not in err and "server" not in err  # a local file, not a lost server
    assert "read-only" in err or "cannot be opened or written" in err, err


def test_read_only_database_is_called_read_only_not_a_lost_server(
    home, tmp_path, capsys, monkeypatch
):
    path = ready_db(capsys, home, tmp_path)
    monkeypatch.setenv("STUDIO_LIBRARY_URL", f"sqlite:///file:{path.as_posix()}?mode=ro&uri=true")
    code, err = cli(capsys, "push", str(tmp_path / "x.mp3"), "--to", "usb")
    assert code == 1 and len(err.splitlines()) == 1, err
    assert "read-only" in err and "network" not in err, err
    monkeypatch.delenv("STUDIO_LIBRARY_URL")
    assert cli(capsys, "outbox")[0] == 0
    assert list((tmp_path / "usb").iterdir()) == []


def test_locked_database_is_one_line_and_the_push_can_be_repeated(home, tmp_path, capsys):
    path = ready_db(capsys, home, tmp_path)
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sqlite3, sys\n"
         f"c = sqlite3.connect({str(path)!r}, isolation_level=None)\n"
         "c.execute('BEGIN EXCLUSIVE')\nprint('locked', flush=True)\nsys.stdin.read()\n"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "locked"
        code, err = cli(capsys, "push", str(tmp_path / "x.mp3"), "--to", "usb")
        assert code == 1 and len(err.splitlines()) == 1 and "locked" in err, err
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
    copies = [p for p in home.outbox.iterdir() if p.is_dir()]
    assert copies == []  # the private copy went with the refused push
    assert cli(capsys, "push", str(tmp_path / "x.mp3"), "--to", "usb", "--wait")[0] == 0
    assert [p.name for p in (tmp_path / "usb").iterdir()] == ["x.mp3"]


@pytest.mark.parametrize(
    "argv", COMMANDS, ids=lambda a: a[0] + ("-" + a[1] if a[0] == "destinations" else "")
)
def test_postgresql_down_is_one_line(argv, home, tmp_path, capsys, monkeypatch):
    (tmp_path / "x.mp3").write_bytes(os.urandom(3000))
    monkeypatch.setenv(
        "STUDIO_LIBRARY_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2"
    )
    code, err = cli(capsys, *(a.replace("{t}", str(tmp_path)) for a in argv))
    assert code == 1 and len(err.splitlines()) == 1, err
    assert "Lost the connection to the server" in err


# --- an HTTP server that echoes the request into its error reply -----------------------------
class _Echo(http.server.BaseHTTPRequestHandler):
    reply = "text"

    def log_message(self, *args):
        pass

    def do_POST(self):  # noqa: N802 - http.server's name
        length = int(self.headers.get("Content-Length", 0))
        self.rfile.read(length)
        echoed = "".join(f"{k}: {v}\n" for k, v in self.headers.items())
        if self.reply == "json":
            body = json.dumps({"error": f"bad request, you sent {echoed}"}).encode()
        else:
            body = f"POST {self.path}\n{echoed}".encode()
        self.send_response(400)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.mark.parametrize("reply", ["text", "json"])
def test_an_echoing_server_never_puts_the_token_in_the_outbox(reply, home, tmp_path):
    from studio.outbox import Outbox, OutboxWorker

    handler = type("Echo", (_Echo,), {"reply": reply})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    token = "tok-SECRET-4f9a2c7e1b"
    box = Outbox.open(home, MemoryCredentials())
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/up"
        box.add_destination("web", "http", url, "", {"timeout_s": 5}, secret=token)
        src = tmp_path / "x.mp3"
        src.write_bytes(os.urandom(2000))
        row = box.enqueue(src, "web")
        final = OutboxWorker(box).send_next()
        assert final["id"] == row["id"] and final["status"] == "failed"
        assert "HTTP 400" in final["last_error"]
        stored = json.dumps(box.items())
        assert token not in stored and "Bearer" not in stored.replace("Bearer ***", "")
        raw = db_file(home).read_bytes() + Path(str(db_file(home)) + "-wal").read_bytes()
        assert token.encode() not in raw
    finally:
        box.close()
        server.shutdown()


def test_a_name_edited_into_an_outbox_row_never_leaves_the_folder(home, tmp_path):
    """The folder destination checks again: a row with a path for a name (an old database, a
    hand edit) fails for good and writes nothing outside its folder."""
    from sqlalchemy import update

    from studio.outbox import Outbox, OutboxWorker
    from studio.outbox.models import OutboxItemRow

    usb = tmp_path / "usb"
    usb.mkdir()
    box = Outbox.open(home, MemoryCredentials())
    try:
        box.add_destination("usb", "folder", str(usb))
        src = tmp_path / "x.mp3"
        src.write_bytes(os.urandom(2000))
        row = box.enqueue(src, "usb")
        with box.db.transaction() as s:
            s.execute(
                update(OutboxItemRow).where(OutboxItemRow.id == row["id"]).values(file_name="../escaped.mp3")
            )  # fmt: skip
        final = OutboxWorker(box).send_next()
        assert final["status"] == "failed" and final["next_retry_at"] is None
        assert "must not contain a folder" in final["last_error"]
        assert not (tmp_path / "escaped.mp3").exists() and list(usb.iterdir()) == []
    finally:
        box.close()


# --- exports --------------------------------------------------------------------------------
def programme(capsys, tmp_path, seconds=3.0, amp=0.3) -> Path:
    t = np.arange(int(seconds * RATE)) / RATE
    sf.write(str(tmp_path / "a.wav"), (amp * np.sin(2 * np.pi * 440 * t)).astype(np.float32), RATE)
    prog = tmp_path / "p.sttprog"
    assert cli(capsys, "new", str(prog))[0] == 0
    assert cli(capsys, "add", str(prog), str(tmp_path / "a.wav"), "--track", "V")[0] == 0
    return prog


@pytest.fixture
def small_disk(tmp_path):
    folder = tmp_path / "small"
    folder.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(folder)], check=True)
    yield folder
    subprocess.run(["umount", str(folder)], check=True)


@pytest.mark.parametrize("fmt", ["wav", "flac", "mp3"])
def test_full_disk_during_export_says_the_disk_is_full(fmt, home, tmp_path, capsys, small_disk):
    prog = programme(capsys, tmp_path, seconds=60.0)
    code, err = cli(capsys, "export", str(prog), "-o", str(small_disk / f"b.{fmt}"))
    assert code == 1 and len(err.splitlines()) == 1, err
    assert "The disk is full" in err, err
    assert list(small_disk.iterdir()) == []  # no half file, no .part


def test_full_disk_while_writing_the_report_leaves_no_audio_under_its_name(
    home, tmp_path, capsys, monkeypatch
):
    import export.master

    prog = programme(capsys, tmp_path)

    def full(*_args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(export.master, "save_report", full)
    code, err = cli(capsys, "export", str(prog), "-o", str(tmp_path / "b.mp3"))
    assert code == 1 and "The disk is full" in err, err
    assert not (tmp_path / "b.mp3").exists() and not list(tmp_path.glob(".*.part"))


def test_export_that_fails_its_own_check_exits_3_and_says_which_check(home, tmp_path, capsys):
    prog = programme(capsys, tmp_path, seconds=3.0)
    # not normalised, a quiet tone misses the preset's loudness target
    code, err = cli(capsys, "export", str(prog), "-o", str(tmp_path / "b.mp3"), "--no-normalise")
    report = json.loads((tmp_path / "b.mp3.report.json").read_text("utf-8"))
    failed = [line for line in report["checks"] if not line["passed"]]
    assert failed, report
    assert code == 3, err
    assert err.count("Not ready for broadcast: b.mp3:") == len(failed)


def test_orphan_part_files_of_a_killed_export_are_removed_before_the_next(home, tmp_path, capsys):
    prog = programme(capsys, tmp_path)
    old = tmp_path / ".b.mp3.k1ll3d.part"
    old.write_bytes(b"x" * 1000)
    os.utime(old, (time.time() - 7 * 3600,) * 2)
    fresh = tmp_path / ".other.mp3.wr1t1ng.part"  # an export still writing
    fresh.write_bytes(b"x" * 1000)
    cli(capsys, "export", str(prog), "-o", str(tmp_path / "b.mp3"))
    assert (tmp_path / "b.mp3").is_file()
    assert not old.exists() and fresh.exists()
