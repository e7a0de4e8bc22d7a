"""`studio destinations|push|outbox` as a provincial IT officer scripts it, in real processes.

Includes the app process killed with SIGKILL mid-upload and started again, and the OS keyring
(the Secret Service of a gnome-keyring in a D-Bus session, as scripts/run-tests.sh provides).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.pubservers import FtpServer, HttpsServer, HttpState, make_ca, sha256

pytestmark = pytest.mark.network
ROOT = Path(__file__).resolve().parents[1]


def studio(home: Path, *args: str, stdin: str | None = None, env_extra=None, timeout=60):
    env = {**os.environ, "STUDIO_HOME": str(home), "STUDIO_LANG": "en", **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "studio", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=timeout,
    )


def spawn(home: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "STUDIO_HOME": str(home), "STUDIO_LANG": "en"}
    return subprocess.Popen(
        [sys.executable, "-m", "studio", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )


def outbox_json(home: Path) -> list[dict]:
    """The outbox items, read in-process (quicker than another `studio outbox --json`)."""
    from studio.outbox import Outbox
    from studio.paths import StudioHome

    box = Outbox.open(StudioHome(home))
    try:
        return json.loads(json.dumps(box.items()))
    finally:
        box.close()


def audio(tmp_path: Path, name="ban-tin-sang.mp3", size=400_000) -> Path:
    path = tmp_path / name
    path.write_bytes(os.urandom(size))
    return path


def real_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.is_file())


@pytest.fixture
def ftp(tmp_path):
    server = FtpServer(tmp_path / "ftproot")
    yield server
    server.close()


def test_folder_push_wait_list_and_json(tmp_path):
    home, dest = tmp_path / "home", tmp_path / "usb"
    dest.mkdir()
    r = studio(home, "destinations", "add", "usb", "--kind", "folder", "--url", str(dest))
    assert r.returncode == 0, r.stderr
    r = studio(home, "destinations", "list")
    assert r.stdout.split("\t")[:2] == ["usb", "folder"]
    assert studio(home, "destinations", "test", "usb").stdout.startswith("OK")
    src = audio(tmp_path)
    r = studio(home, "push", str(src), "--to", "usb", "--title", "Bản tin sáng", "--wait")
    assert r.returncode == 0, r.stderr
    assert "verified" in r.stdout
    r = studio(home, "outbox", "--json")
    assert r.returncode == 0, r.stderr
    (item,) = json.loads(r.stdout)
    assert item["status"] == "verified" and item["metadata"]["title"] == "Bản tin sáng"
    assert sha256(dest / src.name) == sha256(src) == item["sha256"]
    r = studio(home, "destinations", "add", "usb", "--kind", "folder", "--url", str(dest))
    assert r.returncode == 1 and "already exists" in r.stderr and "Traceback" not in r.stderr


def test_push_wait_exit_code_says_failed(tmp_path):
    home = tmp_path / "home"
    r = studio(
        home, "destinations", "add", "far", "--kind", "ftp", "--url", "ftp://head-end.invalid/",
        "--option", "timeout_s=3",
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    r = studio(home, "push", str(audio(tmp_path)), "--to", "far", "--wait", "--wait-max", "0")
    assert r.returncode == 75  # not sent yet; the outbox keeps trying
    assert "could not be found" in r.stdout and "next try" in r.stdout.lower()
    assert "Try 1" in r.stdout and "stays in the outbox" in r.stdout
    (item,) = outbox_json(home)
    assert item["status"] == "failed" and item["next_retry_at"]
    r = studio(home, "outbox")
    assert "failed" in r.stdout
    r = studio(home, "outbox", "retry", str(item["id"]))
    assert "#1" in r.stdout
    r = studio(home, "push", "/no/such/file.mp3", "--to", "far")
    assert r.returncode == 1 and "not a file" in r.stderr


def test_sigkill_mid_upload_then_restart_gives_one_copy(tmp_path, ftp):
    home = tmp_path / "home"
    ftp.faults.read_limit = 150_000  # a slow rural link: the upload takes seconds
    r = studio(home, "destinations", "add", "headend", "--kind", "ftp", "--url", ftp.url("/"))
    assert r.returncode == 0, r.stderr
    src = audio(tmp_path, size=1_500_000)
    proc = spawn(home, "push", str(src), "--to", "headend", "--priority", "khan-cap", "--wait")
    deadline = time.monotonic() + 60  # a loaded machine starts Python slowly
    while True:
        parts = [p for p in ftp.root.iterdir() if p.name.endswith(".part")]
        if parts and parts[0].stat().st_size > 200_000:
            break
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the upload never started"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)  # power cut / crash mid-upload
    proc.wait(10)
    (item,) = outbox_json(home)
    assert item["status"] == "sending" and item["attempts"] == 1
    assert item["interrupted"] is True  # nobody holds its claim any more
    assert real_files(ftp.root) == [parts[0].name], "only the temporary file, never a half final"
    r = studio(home, "outbox")
    assert "interrupted" in r.stdout and "will resume" in r.stdout, r.stdout
    r = studio(home, "outbox", env_extra={"STUDIO_LANG": "vi"})
    assert "bị gián đoạn" in r.stdout and "sẽ gửi tiếp" in r.stdout, r.stdout

    ftp.faults.read_limit = 0
    r = studio(home, "outbox", "send")  # what the app does on its next start
    assert r.returncode == 0, r.stdout + r.stderr
    (item,) = outbox_json(home)
    assert item["status"] == "verified" and item["attempts"] == 2
    assert real_files(ftp.root) == [src.name]
    assert sha256(ftp.root / src.name) == sha256(src)


# --- the OS keyring ----------------------------------------------------------------------------------
def secret_service_available() -> bool:
    try:
        import keyring

        return type(keyring.get_keyring()).__module__.startswith("keyring.backends.SecretService")
    except Exception:  # noqa: BLE001
        return False


needs_keyring = pytest.mark.skipif(
    not secret_service_available() and not os.environ.get("CI"),
    reason="no Secret Service (run under scripts/run-tests.sh or dbus-run-session + gnome-keyring)",
)


@needs_keyring
def test_password_goes_to_keyring_only(tmp_path, ftp):
    home = tmp_path / "home"
    password = ftp.password
    r = studio(
        home, "destinations", "add", "hq", "--kind", "ftp", "--url", ftp.url("/"),
        "--user", ftp.user, "--password-stdin", stdin=password + "\n",
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    r = studio(home, "destinations", "test", "hq")
    assert r.returncode == 0 and r.stdout.startswith("OK"), r.stderr
    src = audio(tmp_path)
    r = studio(home, "push", str(src), "--to", "hq", "--wait")
    assert r.returncode == 0, r.stdout + r.stderr
    assert sha256(ftp.root / src.name) == sha256(src)
    # The secret is in the Secret Service …
    look = subprocess.run(
        ["secret-tool", "lookup", "service", "studio-truyen-thanh", "username", "destination:hq"],
        capture_output=True,
        text=True,
    )
    assert look.stdout.strip() == password
    # … and nowhere in the studio home (database, WAL, settings, logs, outbox).
    for path in home.rglob("*"):
        if path.is_file():
            assert password.encode() not in path.read_bytes(), path
    # A wrong password: the push fails with a clear reason and the exit code says so.
    r = studio(
        home, "destinations", "add", "hq", "--replace", "--kind", "ftp", "--url", ftp.url("/"),
        "--user", ftp.user, "--password-stdin", stdin="wrong\n",
    )  # fmt: skip
    r = studio(home, "push", str(src), "--to", "hq", "--wait", "--name", "other.mp3")
    assert r.returncode == 1 and "refused the login" in r.stdout
    r = studio(home, "destinations", "remove", "hq")
    assert r.returncode == 0
    look = subprocess.run(
        ["secret-tool", "lookup", "service", "studio-truyen-thanh", "username", "destination:hq"],
        capture_output=True,
        text=True,
    )
    assert look.stdout.strip() == ""


def test_no_keyring_is_a_clear_error_never_plain_text(tmp_path):
    home = tmp_path / "home"
    r = studio(
        home, "destinations", "add", "hq", "--kind", "ftp", "--url", "ftp://127.0.0.1:21/",
        "--user", "u", "--password-stdin", stdin="hunter2-secret\n",
        env_extra={"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"},
    )  # fmt: skip
    assert r.returncode == 1
    assert "No secure password store" in r.stderr and "Traceback" not in r.stderr
    assert studio(home, "destinations", "list").stdout == ""
    for path in home.rglob("*"):
        if path.is_file():
            assert b"hunter2-secret" not in path.read_bytes(), path


def test_https_push_with_ca_and_receipt(tmp_path):
    ca = make_ca(tmp_path / "ca")
    server = HttpsServer(tmp_path / "web", ca, HttpState(token=None))  # no login: no keyring
    try:
        home = tmp_path / "home"
        r = studio(
            home, "destinations", "add", "web", "--kind", "http", "--url", server.url(),
            "--option", f"ca_file={ca.ca_file}", "--option", "auth=none",
        )  # fmt: skip
        assert r.returncode == 0, r.stderr
        src = audio(tmp_path)
        r = studio(home, "push", str(src), "--to", "web", "--wait")
        assert r.returncode == 0, r.stdout + r.stderr
        (item,) = outbox_json(home)
        assert item["remote_id"] == "R00001" and item["status"] == "verified"
        # A secret in the options (which are stored in the database) is refused.
        r = studio(
            home, "destinations", "add", "leak", "--kind", "http", "--url", server.url(),
            "--option", "header.Authorization=Bearer tok-3",
        )  # fmt: skip
        assert r.returncode == 1 and "--password-stdin" in r.stderr
        # Verification off needs saying so, and the user is warned.
        r = studio(
            home, "destinations", "add", "lax", "--kind", "http", "--url", server.url(),
            "--option", "insecure_skip_tls_verify=true",
        )  # fmt: skip
        assert r.returncode == 0 and "verification is OFF" in r.stderr
    finally:
        server.close()


def test_province_push_with_metadata_file_and_report(tmp_path):
    from tests.pubservers import load_schema

    ca = make_ca(tmp_path / "ca")
    server = HttpsServer(tmp_path / "province", ca, HttpState(token=None, schema=load_schema()))
    try:
        home = tmp_path / "home"
        r = studio(
            home, "destinations", "add", "tinh", "--kind", "province", "--url", server.url(),
            "--option", f"ca_file={ca.ca_file}", "--option", "auth=none",
            "--option", "station=Xã Hoà Bình",
        )  # fmt: skip
        assert r.returncode == 0, r.stderr
        src = audio(tmp_path, "Tin bão số 9.mp3")
        src.with_suffix(".report.json").write_text(
            json.dumps({"integrated_lufs": -16.1, "true_peak_dbtp": -1.3, "ready": True})
        )
        meta = tmp_path / "meta.json"
        meta.write_text(
            json.dumps(
                {
                    "summary": "Bão số 9 đổ bộ chiều nay",
                    "schedule": {"start_date": "2026-11-27", "times": ["06:30"], "repeat_count": 3},
                }
            )
        )
        r = studio(
            home, "push", str(src), "--to", "tinh", "--priority", "khan-cap",
            "--title", "Tin bão khẩn cấp", "--area", "Thôn Đông", "--area", "Xóm Bãi",
            "--category", "Phòng chống thiên tai", "--metadata", str(meta), "--wait",
        )  # fmt: skip
        assert r.returncode == 0, r.stdout + r.stderr
        (doc,) = server.state.documents
        assert doc["title"] == "Tin bão khẩn cấp" and doc["priority"] == "khan-cap"
        assert doc["station"] == "Xã Hoà Bình" and doc["target_areas"] == ["Thôn Đông", "Xóm Bãi"]
        assert doc["schedule"]["repeat_count"] == 3
        assert doc["broadcast_ready_report"]["ready"] is True
        assert doc["audio"]["sha256"] == sha256(src)
        # Without --title the file name stands in as the title.
        r = studio(home, "push", str(src), "--to", "tinh", "--metadata", str(meta))
        assert r.returncode == 0
        newest = max(outbox_json(home), key=lambda row: row["id"])  # khẩn cấp is listed first
        assert newest["metadata"]["title"] == "Tin bão số 9"
        r = studio(home, "push", str(src), "--to", "tinh", "--priority", "urgent")
        assert r.returncode == 2  # argparse refuses an unknown priority
    finally:
        server.close()


@pytest.mark.parametrize("when", ["mid-body", "after-store-before-reply"])
def test_sigkill_during_https_push_then_restart_publishes_once(tmp_path, when):
    ca = make_ca(tmp_path / "ca")
    server = HttpsServer(tmp_path / "web", ca, HttpState(token=None))  # no login: no keyring
    try:
        home = tmp_path / "home"
        r = studio(
            home, "destinations", "add", "web", "--kind", "http", "--url", server.url(),
            "--option", f"ca_file={ca.ca_file}", "--option", "auth=none",
        )  # fmt: skip
        assert r.returncode == 0, r.stderr
        if when == "mid-body":
            # A small receive window so the client cannot park the whole body in buffers.
            import socket

            server.server.socket.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 32 * 1024)
            src = audio(tmp_path, size=8_000_000)
            server.state.read_limit = 500_000  # 16 s for the body
        else:
            src = audio(tmp_path, size=1_000_000)
            server.state.reply_delay_s = 8  # stored, but the answer never reaches the app
        proc = spawn(home, "push", str(src), "--to", "web", "--wait")
        deadline = time.monotonic() + 20
        while not (server.state.requests and (when == "mid-body" or server.state.stored)):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the upload never reached the server"
            time.sleep(0.05)
        if when == "mid-body":
            time.sleep(1.5)  # part of the body is on its way
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        if when == "mid-body":
            time.sleep(0.5)
            assert server.state.stored == [], "a cut body must not be stored"
        (item,) = outbox_json(home)
        assert item["status"] == "sending"
        server.state.read_limit = 0
        server.state.reply_delay_s = 0
        r = studio(home, "outbox", "send")
        assert r.returncode == 0, r.stdout + r.stderr
        (item,) = outbox_json(home)
        assert item["status"] == "verified" and item["remote_id"] == "R00001"
        assert item["metadata"].get("_already_there", False) is (when != "mid-body")
        assert len(server.state.stored) == 1 and sha256(server.state.stored[0]) == sha256(src)
    finally:
        server.close()
