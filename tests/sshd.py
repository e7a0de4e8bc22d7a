"""A real OpenSSH `sshd` on 127.0.0.1 for the publishing tests, that a test can stop and start
again (a server that is down when a push is queued, a 30 s outage).

Two ways to log in:
- `OpenSshServer(folder)`: the test's own user (root on CI) with a throwaway client key,
  serving `folder/incoming` (an absolute path in the URL);
- `OpenSshServer(folder, password_user=True)`: also a throwaway system account with a password
  (`useradd` + `chpasswd`, removed again by `close()`), jailed (`ChrootDirectory`) in a
  root-owned folder under /srv whose `incoming` it owns: `sftp://USER@127.0.0.1:PORT/incoming`,
  as a head-end's account looks. Needs root (CI runs as root); `password_user_available()`.

Throwaway host key kept across restarts, `internal-sftp`, no PAM: nothing on the machine
changes except `/run/sshd` (sshd's privilege-separation folder) when it is missing and, for the
password account, the account and its folder while the server lives. Use the `openssh` /
`openssh_password` fixtures of `tests/conftest.py`, which clean up. `ThrottledRelay` puts a
slow link in front of it (bytes/s), so that a test can act mid-upload.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from tests.pubservers import free_port

SSHD = shutil.which("sshd") or "/usr/sbin/sshd"


def _keygen(path: Path) -> None:
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "studio-test", "-f", str(path)],
        check=True,
        capture_output=True,
    )


def sshd_available() -> bool:
    return Path(SSHD).is_file() and shutil.which("ssh-keygen") is not None


def password_user_available() -> bool:
    """A throwaway account can be made (root, with useradd/chpasswd/userdel)."""
    tools = ("useradd", "chpasswd", "userdel")
    return sshd_available() and os.geteuid() == 0 and all(shutil.which(t) for t in tools)


def wait_for_port(port: int, up: bool = True, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                state = True
        except OSError:
            state = False
        if state == up:
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"port {port} did not go {'up' if up else 'down'}")
        time.sleep(0.05)


class OpenSshServer:
    """sshd on 127.0.0.1:`port`, serving `root` (a folder) over SFTP. Not started yet."""

    def __init__(self, folder: Path, password_user: bool = False):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.root = folder / "incoming"
        self.root.mkdir(exist_ok=True)
        self.user = getpass.getuser()
        self.port = free_port()
        self.host_key = folder / "host_ed25519"
        self.client_key = folder / "client_ed25519"
        _keygen(self.host_key)
        _keygen(self.client_key)
        authorized = folder / "authorized_keys"
        authorized.write_text(Path(f"{self.client_key}.pub").read_text())
        os.chmod(self.client_key, 0o600)
        self.log = folder / "sshd.log"
        self.config = folder / "sshd_config"
        self.proc: subprocess.Popen | None = None
        self.login = self.password = ""  # the password account, when there is one
        self.jail: Path | None = None
        jailed = ""
        if password_user:
            self._make_password_user()
            jailed = f"""Match User {self.login}
    PasswordAuthentication yes
    ChrootDirectory {self.jail}
    ForceCommand internal-sftp
"""
        allowed = " ".join(u for u in (self.user, self.login) if u)
        self.config.write_text(
            f"""Port {self.port}
ListenAddress 127.0.0.1
HostKey {self.host_key}
PidFile {folder / "sshd.pid"}
AuthorizedKeysFile {authorized}
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
AllowUsers {allowed}
StrictModes no
UsePAM no
Subsystem sftp internal-sftp
LogLevel VERBOSE
{jailed}"""
        )

    def _make_password_user(self) -> None:
        self.login = f"radio-{secrets.token_hex(3)}"  # unique: several test runs share a host
        self.password = secrets.token_urlsafe(12)
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--home-dir", "/",
             "--shell", "/usr/sbin/nologin", "--user-group", self.login],
            check=True, capture_output=True,
        )  # fmt: skip
        subprocess.run(
            ["chpasswd"], input=f"{self.login}:{self.password}\n", text=True, check=True,
            capture_output=True,
        )  # fmt: skip
        # sshd jails only into a folder whose every parent is root's and not group/world
        # writable: /tmp is not, so the jail lives under /srv.
        base = Path("/srv") if Path("/srv").is_dir() else Path("/var/lib")
        self.jail = Path(tempfile.mkdtemp(prefix="studio-sftp-", dir=base))
        os.chmod(self.jail, 0o755)
        incoming = self.jail / "incoming"
        incoming.mkdir()
        shutil.chown(incoming, self.login, self.login)

    def password_url(self, port: int | None = None, folder: str = "/incoming") -> str:
        """The URL a station types for the password account: the user name in it."""
        return f"sftp://{self.login}@127.0.0.1:{port or self.port}{folder}"

    @property
    def password_root(self) -> Path:
        """Where the password account's uploads land."""
        assert self.jail is not None, "made without password_user=True"
        return self.jail / "incoming"

    def close(self) -> None:
        """Stop the server and remove the password account and its folder."""
        self.stop()
        if self.login:
            subprocess.run(["userdel", self.login], capture_output=True)
            self.login = ""
        if self.jail is not None:
            shutil.rmtree(self.jail, ignore_errors=True)
            self.jail = None

    def url(self, port: int | None = None) -> str:
        return f"sftp://127.0.0.1:{port or self.port}{self.root}"

    def destination_args(self, name: str, port: int | None = None) -> list[str]:
        """`studio destinations add` arguments for this server."""
        return [
            "destinations", "add", name, "--kind", "sftp", "--url", self.url(port),
            "--user", self.user, "--option", f"key_file={self.client_key}",
            "--option", "timeout_s=5",
        ]  # fmt: skip

    def start(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            return
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                [SSHD, "-D", "-e", "-f", str(self.config)],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        try:
            wait_for_port(self.port, up=True)
        except TimeoutError:
            self.stop()
            raise RuntimeError(f"sshd did not start: {self.log.read_text()[-2000:]}") from None

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.proc = None
        # sshd -D forks a process per connection; the listening socket goes with the parent.
        wait_for_port(self.port, up=False)

    def files(self) -> list[str]:
        return sorted(p.name for p in self.root.iterdir() if p.is_file())


class ThrottledRelay:
    """A TCP relay 127.0.0.1:`port` → 127.0.0.1:`target` that passes at most `rate` bytes/s
    upstream (a slow rural uplink). `rate` may be changed while it runs; 0 = unthrottled."""

    def __init__(self, target: int, rate: int = 0):
        self.target, self.rate = target, rate
        self.port = free_port()
        self.listener = socket.create_server(("127.0.0.1", self.port))
        self.listener.settimeout(0.2)
        self.upstream = 0  # bytes passed towards the server
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                server = socket.create_connection(("127.0.0.1", self.target), timeout=5)
            except OSError:
                client.close()
                continue
            threading.Thread(target=self._pipe, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client, False), daemon=True).start()

    def _pipe(self, src: socket.socket, dst: socket.socket, up: bool) -> None:
        src.settimeout(None)
        try:
            while not self._stop.is_set():
                data = src.recv(16 * 1024 if not (up and self.rate) else max(1024, self.rate // 20))
                if not data:
                    break
                dst.sendall(data)
                if up:
                    self.upstream += len(data)
                    if self.rate:
                        time.sleep(len(data) / self.rate)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()

    def close(self) -> None:
        self._stop.set()
        self.listener.close()
        self._thread.join(5)
