"""Publishing to a real OpenSSH server: the user name in the URL, the password from stdin to the
keyring, the file delivered with the right checksum; a password inside a URL refused; an SFTP
failure reported in one line (no paramiko traceback, not twice)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading

import numpy as np
import pytest
import soundfile as sf

from export.destinations import DestinationConfig
from studio.outbox.store import destination_config, needs_secret
from tests.pubservers import free_port, sha256

pytestmark = pytest.mark.network


def studio(home, *args, stdin: str | None = None, lang: str = "en"):
    env = {**os.environ, "STUDIO_HOME": str(home), "STUDIO_LANG": lang}
    return subprocess.run(
        [sys.executable, "-m", "studio", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.fixture
def bulletin(tmp_path):
    rng = np.random.default_rng(3)
    path = tmp_path / "ban-tin-sang.wav"
    sf.write(str(path), (rng.standard_normal((48_000 * 2, 1)) * 0.1).astype(np.float32), 48_000)
    return path


def test_the_user_in_the_url_logs_in_and_the_file_arrives(openssh_password, tmp_path, bulletin):
    server = openssh_password
    home = tmp_path / "home"
    url = server.password_url()  # sftp://radio-…@127.0.0.1:PORT/incoming
    added = studio(
        home, "destinations", "add", "tinh", "--kind", "sftp", "--url", url, "--password-stdin",
        stdin=server.password + "\n",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert f"({server.login})" in added.stdout
    listed = json.loads(studio(home, "destinations", "list", "--json").stdout)
    assert listed[0]["user"] == server.login
    assert listed[0]["url"] == f"sftp://127.0.0.1:{server.port}/incoming"  # parsed once
    pushed = studio(home, "push", str(bulletin), "--to", "tinh", "--wait")
    assert pushed.returncode == 0, pushed.stdout + pushed.stderr
    assert "verified" in pushed.stdout
    arrived = server.password_root / bulletin.name
    assert sha256(arrived) == sha256(bulletin)
    # the password went to the keyring: not in the database, the output or the log
    db = (home / "library.sqlite3").read_bytes()
    logs = "".join(p.read_text("utf-8") for p in (home / "logs").glob("*.log"))
    for text in (db.decode("latin-1"), added.stdout + added.stderr, pushed.stdout, logs):
        assert server.password not in text


def test_a_password_inside_the_url_is_refused_and_never_stored(openssh_password, tmp_path):
    server = openssh_password
    home = tmp_path / "home"
    url = f"sftp://{server.login}:{server.password}@127.0.0.1:{server.port}/incoming"
    for lang, words in (("en", "holds a password"), ("vi", "có chứa mật khẩu")):
        out = studio(home, "destinations", "add", "tinh", "--kind", "sftp", "--url", url, lang=lang)
        assert out.returncode == 1
        err = out.stderr.strip()
        assert words in err and "\n" not in err and server.password not in out.stdout + err
    assert json.loads(studio(home, "destinations", "list", "--json").stdout) == []


def test_user_in_url_and_a_different_user_given_is_refused(tmp_path):
    with pytest.raises(Exception, match="give one of them"):
        destination_config("t", "sftp", "sftp://radio@127.0.0.1:2222/up", "dai")
    config = destination_config("t", "ftp", "ftp://radio@127.0.0.1/up", "radio")
    assert (config.user, config.url) == ("radio", "ftp://127.0.0.1/up")


def test_a_user_left_in_the_url_of_an_older_row_still_needs_its_password():
    old = DestinationConfig("tinh", "sftp", "sftp://radio@127.0.0.1:2222/upload")
    assert old.login_user == "radio" and needs_secret(old)
    assert not needs_secret(DestinationConfig("anon", "ftp", "ftp://127.0.0.1/up"))


class NotSsh:
    """Answers every connection with an HTTP line and hangs up: not an SSH server."""

    def __init__(self):
        self.port = free_port()
        self.sock = socket.create_server(("127.0.0.1", self.port))
        self.sock.settimeout(0.2)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n")

    def close(self):
        self.stop.set()
        self.thread.join(5)
        self.sock.close()


def test_an_sftp_failure_is_one_clear_line(tmp_path, bulletin):
    fake = NotSsh()
    home = tmp_path / "home"
    try:
        url = f"sftp://radio@127.0.0.1:{fake.port}/incoming"
        assert studio(
            home, "destinations", "add", "tinh", "--kind", "sftp", "--url", url,
            "--password-stdin", stdin="pw\n",
        ).returncode == 0  # fmt: skip
        pushed = studio(
            home, "push", str(bulletin), "--to", "tinh", "--wait", "--wait-max", "1", lang="vi"
        )
    finally:
        fake.close()
    assert pushed.returncode == 75  # not sent yet, still queued: the outbox keeps trying
    console = pushed.stdout + pushed.stderr
    assert "Traceback" not in console and "paramiko" not in console
    assert "protocol banner" not in console
    reason = "không trả lời như một máy chủ SSH"
    assert console.count(reason) == 1, console
    assert [ln for ln in pushed.stderr.splitlines() if ln.strip()] == []
    assert "failed" not in console and "#1 lỗi → tinh" in console  # no English status word
    # the details are in the sender's log file, in both languages
    log = (home / "logs" / "outbox.log").read_text("utf-8")
    assert "did not answer as an SSH server" in log and reason in log


def test_opening_the_window_retries_quietly_and_logs_in_both_languages(tmp_path, bulletin):
    """The window's sender retries a queued item at once; its failure goes to the log file
    (English and Vietnamese), not to the console."""
    home = tmp_path / "home"
    closed = free_port()  # nothing listens there: the connection is refused
    url = f"sftp://radio@127.0.0.1:{closed}/incoming"
    assert studio(
        home, "destinations", "add", "tinh", "--kind", "sftp", "--url", url,
        "--password-stdin", "--option", "timeout_s=3", stdin="pw\n",
    ).returncode == 0  # fmt: skip
    assert studio(home, "push", str(bulletin), "--to", "tinh").returncode == 0
    env = {
        **os.environ,
        "STUDIO_HOME": str(home),
        "STUDIO_LANG": "vi",
        "QT_QPA_PLATFORM": "offscreen",
        "STUDIO_QUIT_AFTER_MS": "6000",
    }
    window = subprocess.run(
        [sys.executable, "-m", "studio"], capture_output=True, text=True, env=env, timeout=120
    )
    assert window.returncode == 0, window.stderr
    console = window.stdout + window.stderr
    assert "Outbox item" not in console and "refused" not in console, console
    log = (home / "logs" / "studio.log").read_text("utf-8")
    assert "refused the connection" in log and "từ chối kết nối" in log, log
