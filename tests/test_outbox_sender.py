"""The outbox's one sender: the lease, links that come back, old copies, the service files.

In-process on SQLite and PostgreSQL (the `outbox` fixture of test_outbox.py); the background
sender against a real OpenSSH server is in test_outbox_serve.py.
"""

from __future__ import annotations

import datetime as dt
import os
import shlex
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from sqlalchemy import update

from studio.outbox import OutboxWorker, Status
from studio.outbox.lease import SenderLease
from studio.outbox.models import OutboxItemRow, utcnow
from studio.outbox.store import KEEP_SENT_S
from tests import test_outbox
from tests.test_outbox import add_web, audio_file, dead_pid

# The same fixtures as test_outbox.py: SQLite and PostgreSQL, a test CA, an HTTPS receiver.
outbox, ca, web = test_outbox.outbox, test_outbox.ca, test_outbox.web

pytestmark = pytest.mark.network
ROOT = Path(__file__).resolve().parents[1]


def lease(outbox, owner: str, role: str = "service") -> SenderLease:
    return SenderLease(outbox.db, outbox.origin, owner, role)


# --- one sender at a time ------------------------------------------------------------------------
def test_one_sender_at_a_time_and_a_clean_stop_hands_over(outbox):
    first, second = lease(outbox, "pc-a:1"), lease(outbox, "pc-a:2", "window")
    assert outbox.sender() is None
    assert first.acquire() and first.acquire()  # taking and renewing
    assert not second.acquire()
    holder = outbox.sender()
    assert holder.owner == "pc-a:1" and holder.role == "service"
    first.release()
    assert outbox.sender() is None
    assert second.acquire() and not first.acquire()
    assert outbox.sender().role == "window"


def test_a_dead_or_silent_sender_is_replaced(outbox):
    dead = lease(outbox, f"{socket.gethostname()}:{dead_pid()}")
    assert dead.acquire()
    assert lease(outbox, "pc-a:7").acquire(), "a killed process on this host is seen at once"
    # A sender on another PC that stopped renewing: its lease runs out.
    silent = lease(outbox, "pc-b:1")
    outbox.sender_lease(owner="pc-a:7").release()
    assert silent.acquire(lease_s=-1)
    assert lease(outbox, "pc-a:8").acquire()


def test_worker_without_the_lease_sends_nothing(outbox, tmp_path):
    usb = tmp_path / "usb"
    usb.mkdir()
    outbox.add_destination("usb", "folder", str(usb))
    row = outbox.enqueue(audio_file(tmp_path), "usb")
    other = lease(outbox, "pc-b:1")
    assert other.acquire()
    worker = OutboxWorker(outbox, role="window")
    assert worker.send_next() is None and not worker.holding
    assert outbox.item(row["id"])["status"] == Status.QUEUED
    other.release()
    assert worker.send_next()["status"] == Status.VERIFIED
    assert outbox.sender().owner == worker.owner
    worker.release()
    assert outbox.sender() is None


def test_items_of_another_studio_home_are_left_to_its_sender(outbox, tmp_path):
    """On a shared PostgreSQL library each PC's copies are on that PC."""
    usb = tmp_path / "usb"
    usb.mkdir()
    outbox.add_destination("usb", "folder", str(usb))
    row = outbox.enqueue(audio_file(tmp_path), "usb")
    assert row["origin"] == outbox.origin
    with outbox.db.transaction() as s:
        s.execute(update(OutboxItemRow).values(origin="another-pc"))
    assert OutboxWorker(outbox).send_next() is None
    assert outbox.pending() == 0


def test_stop_mid_upload_queues_the_item_again(outbox, tmp_path):
    usb = tmp_path / "usb"
    usb.mkdir()
    outbox.add_destination("usb", "folder", str(usb))
    row = outbox.enqueue(audio_file(tmp_path, size=3_000_000), "usb")
    worker = OutboxWorker(outbox)
    worker.on_change = lambda r: worker.stop(timeout=0) if r["status"] == "sending" else None
    final = worker.send_next()
    assert final["status"] == Status.QUEUED and final["claimed_by"] == ""
    assert not final["interrupted"] and final["next_retry_at"] is None
    assert sorted(p.name for p in usb.iterdir()) == []  # the temporary file is removed
    assert OutboxWorker(outbox).send_next()["id"] == row["id"]


# --- retry schedule and links that come back -----------------------------------------------------
def test_emergency_retries_sooner(outbox, tmp_path):
    outbox.add_destination("usb", "folder", str(tmp_path / "not-mounted"))
    urgent = outbox.enqueue(audio_file(tmp_path, "a.mp3"), "usb", priority="khan-cap")
    normal = outbox.enqueue(audio_file(tmp_path, "b.mp3"), "usb")
    worker = OutboxWorker(outbox)
    rows = {r["id"]: r for r in worker.drain()}

    def delay(row):
        return (dt.datetime.fromisoformat(row["next_retry_at"][:-1]) - utcnow()).total_seconds()

    assert 5 < delay(rows[urgent["id"]]) <= 10
    assert 20 < delay(rows[normal["id"]]) <= 30


def test_retries_stop_a_day_after_the_push_was_queued(outbox, tmp_path):
    outbox.add_destination("usb", "folder", str(tmp_path / "not-mounted"))
    row = outbox.enqueue(audio_file(tmp_path), "usb", priority="khan-cap")
    with outbox.db.transaction() as s:
        s.execute(
            update(OutboxItemRow)
            .where(OutboxItemRow.id == row["id"])
            .values(created_at=utcnow() - dt.timedelta(hours=24))
        )
    final = OutboxWorker(outbox).send_next()
    assert final["status"] == Status.FAILED and final["next_retry_at"] is None  # needs the user


def test_a_folder_that_comes_back_is_retried_at_once(outbox, tmp_path):
    usb = tmp_path / "usb"
    outbox.add_destination("usb", "folder", str(usb))
    row = outbox.enqueue(audio_file(tmp_path), "usb")
    worker = OutboxWorker(outbox)
    assert worker.send_next()["status"] == Status.FAILED
    assert worker.probe(force=True) == []  # still not there
    assert outbox.item(row["id"])["next_retry_at"] > utcnow().isoformat()
    usb.mkdir()  # the USB stick is plugged in again
    assert worker.probe(force=True) == ["usb"]
    final = worker.send_next()
    assert final["id"] == row["id"] and final["status"] == Status.VERIFIED


def test_a_server_that_answers_but_fails_keeps_its_back_off(outbox, web, ca, tmp_path):
    add_web(outbox, web, ca)
    web.state.fail_first = 5  # it answers, with 500
    row = outbox.enqueue(audio_file(tmp_path), "web")
    worker = OutboxWorker(outbox)
    assert worker.send_next()["status"] == Status.FAILED
    retry_at = outbox.item(row["id"])["next_retry_at"]
    assert worker.probe(force=True) == []
    assert worker.probe(force=True) == []
    assert outbox.item(row["id"])["next_retry_at"] == retry_at
    assert web.state.requests == 1


def test_reachable_is_a_plain_connection_test(outbox, web, ca):
    add_web(outbox, web, ca)
    assert outbox.reachable("web")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    outbox.add_destination("down", "sftp", f"sftp://127.0.0.1:{port}/in", "u", secret="x")
    assert not outbox.reachable("down")
    assert not outbox.reachable("no-such-destination")
    assert web.state.requests == 0  # nothing was sent


# --- outbox copies are removed when nothing needs them -------------------------------------------
def test_copies_are_pruned_only_when_sent_everywhere(outbox, tmp_path):
    usb = tmp_path / "usb"
    usb.mkdir()
    outbox.add_destination("usb", "folder", str(usb))
    outbox.add_destination("gone", "folder", str(tmp_path / "unplugged"))
    size = 1_000_000
    sent = [outbox.enqueue(audio_file(tmp_path, f"{i}.mp3", size), "usb") for i in range(5)]
    worker = OutboxWorker(outbox)
    assert len(worker.drain()) == 5
    waiting = outbox.enqueue(audio_file(tmp_path, "w.mp3"), "gone")
    worker.drain()  # failed, will retry: its copy stays
    queued = outbox.enqueue(audio_file(tmp_path, "q.mp3"), "usb")
    again = outbox.resend(sent[0]["id"])  # takes its own copy of item 1's copy
    orphan = outbox.home.outbox / ("0" * 32)
    orphan.mkdir()
    (orphan / "x.mp3").write_bytes(b"half")
    copies = outbox.home.outbox

    def folders():
        return sorted(p.name for p in copies.iterdir() if p.is_dir())

    before = folders()
    assert outbox.prune_copies() == (0, 0)  # all too new or still needed
    later = utcnow() + dt.timedelta(seconds=KEEP_SENT_S + 60)
    removed, freed = outbox.prune_copies(now=later)
    assert (removed, freed) == (6, 5 * size + 4)  # the five sent items and the orphan
    kept = {Path(r["file_path"]).parent.name for r in (waiting, queued, again)}
    assert set(folders()) == kept and set(before) - set(folders())
    assert Path(again["file_path"]).is_file()
    worker.drain()  # the re-send and the queued item go out
    assert outbox.prune_copies() == (0, 0)  # sent just now
    assert outbox.prune_copies(now=later)[0] == 2
    assert set(folders()) == {Path(waiting["file_path"]).parent.name}
    with pytest.raises(Exception, match="removed after it was sent"):
        outbox.resend(sent[1]["id"])


# --- the service, as each platform runs it ---------------------------------------------------------
def studio(home: Path, *args: str, env_extra=None, timeout=120):
    env = {**os.environ, "STUDIO_HOME": str(home), "STUDIO_LANG": "en", **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "studio", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=timeout,
    )


def queue_for_folder(home: Path, tmp_path: Path) -> Path:
    usb = tmp_path / "usb"
    usb.mkdir(exist_ok=True)
    assert (
        studio(home, "destinations", "add", "usb", "--kind", "folder", "--url", str(usb)).returncode
        == 0
    )
    src = tmp_path / "ban-tin.mp3"
    src.write_bytes(os.urandom(200_000))
    r = studio(home, "push", str(src), "--to", "usb")
    assert r.returncode == 0, r.stderr
    return usb


def test_linux_unit_file_runs_the_sender(tmp_path):
    home, config = tmp_path / "home", tmp_path / "config"
    env = {"XDG_CONFIG_HOME": str(config)}
    r = studio(home, "outbox", "install-service", "--no-start", env_extra=env)
    assert r.returncode == 0, r.stderr
    (unit,) = (config / "systemd" / "user").glob("studio-truyen-thanh-outbox*.service")
    text = unit.read_text()
    assert "WantedBy=default.target" in text and "Restart=on-failure" in text
    assert "KillSignal=SIGTERM" in text
    exec_start = next(line for line in text.splitlines() if line.startswith("ExecStart="))
    command = shlex.split(exec_start.removeprefix("ExecStart="))
    assert command[1:] == ["-m", "studio", "outbox", "serve", "--home", str(home.resolve())]
    # The command line the unit would run, run here (without STUDIO_HOME: --home is enough).
    usb = queue_for_folder(home, tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "STUDIO_HOME"}
    done = subprocess.run(
        [*command, "--until-done"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in usb.iterdir()) == ["ban-tin.mp3"]
    assert "sent to" in (home / "logs" / "outbox.log").read_text()
    r = studio(home, "outbox", "uninstall-service", env_extra={"XDG_CONFIG_HOME": str(config)})
    assert r.returncode == 0 and not unit.exists()


def test_windows_logon_task_and_its_command_line(tmp_path):
    home = tmp_path / "home"
    r = studio(home, "outbox", "install-service", "--dry-run", "--platform", "windows",
               env_extra={"USERDOMAIN": "DAI-XA", "USERNAME": "phat-thanh"})  # fmt: skip
    assert r.returncode == 0, r.stderr
    head, _, rest = r.stdout.partition("# task definition (XML)\n")
    xml, _, commands = rest.partition("</Task>\n")
    ns = {"t": "http://schemas.microsoft.com/windows/2004/02/mit/task"}
    task = ET.fromstring(xml.split("?>", 1)[1] + "</Task>")
    assert task.find("t:Triggers/t:LogonTrigger/t:UserId", ns).text == "DAI-XA\\phat-thanh"
    principal = task.find("t:Principals/t:Principal", ns)
    assert principal.find("t:LogonType", ns).text == "InteractiveToken"
    assert principal.find("t:RunLevel", ns).text == "LeastPrivilege"  # no elevation
    assert task.find("t:Settings/t:ExecutionTimeLimit", ns).text == "PT0S"  # no 72 h limit
    assert task.find("t:Settings/t:DisallowStartIfOnBatteries", ns).text == "false"
    lines = commands.strip().splitlines()
    assert lines[0].startswith('schtasks /Create /TN "\\StudioTruyenThanh\\Outbox sender')
    assert lines[0].endswith("/XML {xml} /F") and lines[1].startswith("schtasks /Run /TN")
    command = task.find("t:Actions/t:Exec/t:Command", ns).text
    arguments = task.find("t:Actions/t:Exec/t:Arguments", ns).text
    assert command == sys.executable  # pythonw.exe beside python.exe on Windows
    assert shlex.split(arguments) == [
        "-m",
        "studio",
        "outbox",
        "serve",
        "--home",
        str(home.resolve()),
    ]
    # What the task would start, started here.
    usb = queue_for_folder(home, tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "STUDIO_HOME"}
    done = subprocess.run(
        [command, *shlex.split(arguments), "--until-done"],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in usb.iterdir()) == ["ban-tin.mp3"]
    r = studio(home, "outbox", "uninstall-service", "--dry-run", "--platform", "windows")
    assert "schtasks /Delete /TN" in r.stdout and r.stdout.rstrip().endswith("/F")
