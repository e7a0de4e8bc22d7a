"""The background sender (`studio outbox serve`) and `push --wait`, in real processes, against
a real OpenSSH server on 127.0.0.1 that is down when the push is queued and started later.

Needs the OS keyring that scripts/run-tests.sh provides (an SFTP destination with a user asks
the keyring for its secret; with a key file there is none, and that is fine).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from studio.outbox import Outbox
from studio.paths import StudioHome
from tests.pubservers import sha256
from tests.sshd import OpenSshServer, ThrottledRelay, sshd_available

pytestmark = [
    pytest.mark.network,
    pytest.mark.slow,
    pytest.mark.skipif(
        not sshd_available() and not os.environ.get("CI"), reason="OpenSSH sshd is not installed"
    ),
]
ROOT = Path(__file__).resolve().parents[1]


def env(home: Path) -> dict[str, str]:
    return {**os.environ, "STUDIO_HOME": str(home), "STUDIO_LANG": "en"}


def studio(home: Path, *args: str, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "studio", *args],
        capture_output=True, text=True, cwd=ROOT, env=env(home), timeout=timeout,
    )  # fmt: skip


def spawn(home: Path, out: Path, *args: str) -> subprocess.Popen:
    with open(out, "w") as f:
        return subprocess.Popen(
            [sys.executable, "-m", "studio", *args],
            stdout=f, stderr=subprocess.STDOUT, text=True, cwd=ROOT, env=env(home),
        )  # fmt: skip


def serve(home: Path, out: Path) -> subprocess.Popen:
    return spawn(home, out, "outbox", "serve", "--home", str(home))


def items(home: Path) -> list[dict]:
    box = Outbox.open(StudioHome(home))
    try:
        return box.items()
    finally:
        box.close()


def sender_owner(home: Path) -> str | None:
    box = Outbox.open(StudioHome(home))
    try:
        holder = box.sender()
        return holder.owner if holder else None
    finally:
        box.close()


def wait_until(predicate, what: str, timeout_s: float = 90.0, procs=()) -> None:
    """Poll until `predicate()`; a generous limit so a loaded machine only slows the test."""
    deadline = time.monotonic() + timeout_s
    while not predicate():
        for p in procs:
            assert p.poll() is None, f"a sender exited early ({p.returncode})"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def stop(proc: subprocess.Popen) -> int:
    proc.send_signal(signal.SIGTERM)
    return proc.wait(60)


def audio(tmp_path: Path, name: str = "ban-tin-khan.mp3", size: int = 400_000) -> Path:
    path = tmp_path / name
    path.write_bytes(os.urandom(size))
    return path


@pytest.fixture
def sshd(tmp_path):
    server = OpenSshServer(tmp_path / "sshd")
    yield server
    server.stop()


def test_serve_alone_delivers_once_when_the_server_comes_up(tmp_path, sshd):
    home = tmp_path / "home"
    assert studio(home, *sshd.destination_args("loa-xa")).returncode == 0
    src = audio(tmp_path)
    r = studio(home, "push", str(src), "--to", "loa-xa", "--priority", "khan-cap")
    assert r.returncode == 0, r.stderr  # queued while the server is down
    proc = serve(home, tmp_path / "serve.out")
    try:
        wait_until(lambda: items(home)[0]["attempts"] >= 1 and items(home)[0]["status"] == "failed",
                   "the first failed try", procs=[proc])  # fmt: skip
        assert "refused" in items(home)[0]["last_error"]
        sshd.start()
        wait_until(lambda: items(home)[0]["status"] == "verified", "delivery", procs=[proc])
    finally:
        code = stop(proc)
    assert code == 0
    assert sshd.files() == [src.name] and sha256(sshd.root / src.name) == sha256(src)
    log = (home / "logs" / "outbox.log").read_text()
    assert "answers again: retrying its items now" in log  # noticed by the connection test
    assert "signal SIGTERM, stopping" in log
    assert sender_owner(home) is None  # the lease was given up
    r = studio(home, "outbox")
    assert "No sender is running" in r.stdout and "#1 verified" in r.stdout


def test_sigterm_mid_upload_then_restart_gives_one_copy(tmp_path, sshd):
    home = tmp_path / "home"
    sshd.start()
    relay = ThrottledRelay(sshd.port, rate=150_000)  # a slow uplink: the upload takes seconds
    try:
        assert studio(home, *sshd.destination_args("loa-xa", relay.port)).returncode == 0
        src = audio(tmp_path, size=2_500_000)
        assert studio(home, "push", str(src), "--to", "loa-xa").returncode == 0
        proc = serve(home, tmp_path / "serve1.out")

        def part_growing() -> bool:
            parts = [p for p in sshd.root.iterdir() if p.name.endswith(".part")]
            return bool(parts) and parts[0].stat().st_size > 300_000

        try:
            wait_until(part_growing, "the upload to start", procs=[proc])
        finally:
            assert stop(proc) == 0  # a clean stop in the middle of the upload
        (item,) = items(home)
        assert item["status"] == "queued" and item["attempts"] == 1 and not item["interrupted"]
        assert sender_owner(home) is None
        assert [n for n in sshd.files() if not n.startswith(".")] == []  # no final file yet

        relay.rate = 0
        proc = serve(home, tmp_path / "serve2.out")
        try:
            wait_until(lambda: items(home)[0]["status"] == "verified", "delivery", procs=[proc])
        finally:
            assert stop(proc) == 0
    finally:
        relay.close()
    (item,) = items(home)
    assert item["attempts"] == 2
    assert sshd.files() == [src.name], "one copy, no temporary file left"
    assert sha256(sshd.root / src.name) == sha256(src)


def test_two_senders_one_sends_the_other_waits(tmp_path, sshd):
    home = tmp_path / "home"
    sshd.start()
    assert studio(home, *sshd.destination_args("loa-xa")).returncode == 0
    first = serve(home, tmp_path / "first.out")
    second = None
    try:
        wait_until(lambda: sender_owner(home) == f"{os.uname().nodename}:{first.pid}",
                   "the first sender's lease", procs=[first])  # fmt: skip
        second = serve(home, tmp_path / "second.out")
        wait_until(lambda: "waiting until it stops" in (tmp_path / "second.out").read_text(),
                   "the second sender to wait", procs=[first, second])  # fmt: skip
        sources = [audio(tmp_path, f"ban-tin-{i}.mp3", 300_000) for i in range(3)]
        for src in sources:
            assert studio(home, "push", str(src), "--to", "loa-xa").returncode == 0
        wait_until(lambda: all(i["status"] == "verified" for i in items(home)), "delivery",
                   procs=[first, second])  # fmt: skip
        assert {i["claimed_by"] for i in items(home)} == {f"{os.uname().nodename}:{first.pid}"}
        assert sender_owner(home).endswith(f":{first.pid}")

        assert stop(first) == 0  # the first one stops: the waiting one takes over at once
        wait_until(lambda: (sender_owner(home) or "").endswith(f":{second.pid}"),
                   "the second sender to take over", procs=[second])  # fmt: skip
        late = audio(tmp_path, "ban-tin-chieu.mp3")
        assert studio(home, "push", str(late), "--to", "loa-xa").returncode == 0
        wait_until(lambda: items(home)[0]["status"] == "verified", "delivery", procs=[second])
        assert items(home)[0]["claimed_by"].endswith(f":{second.pid}")
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                stop(proc)
    assert sshd.files() == sorted(p.name for p in [*sources, late])
    for src in [*sources, late]:
        assert sha256(sshd.root / src.name) == sha256(src)


def test_push_wait_through_a_30_second_outage(tmp_path, sshd):
    home = tmp_path / "home"
    assert studio(home, *sshd.destination_args("loa-xa")).returncode == 0
    src = audio(tmp_path, "ban-tin-sang.mp3")
    started = time.monotonic()
    proc = spawn(home, tmp_path / "push.out", "push", str(src), "--to", "loa-xa", "--wait")
    wait_until(lambda: "failed" in (tmp_path / "push.out").read_text(), "the first try",
               procs=[proc])  # fmt: skip
    time.sleep(max(0.0, 30 - (time.monotonic() - started)))  # the line stays down 30 s
    assert proc.poll() is None, "push --wait gave up during the outage"
    sshd.start()
    assert proc.wait(240) == 0
    out = (tmp_path / "push.out").read_text()
    assert "Try 1 → 'loa-xa' failed" in out and "Next try in" in out
    assert "'loa-xa': sent." in out and "#1 verified" in out
    assert sshd.files() == [src.name] and sha256(sshd.root / src.name) == sha256(src)
