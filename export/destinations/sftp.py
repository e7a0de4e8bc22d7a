"""SFTP destination (paramiko).

The server's host key is pinned on first use in the studio home's `known_hosts`; a changed key
is refused with a clear warning (it may be a new server, or someone in between). Upload under a
temporary name, check size and SHA-256 by reading the copy back, then posix-rename.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import socket
from pathlib import Path

import paramiko

from audio.errors import localized

from .base import (
    CHUNK,
    Destination,
    HostKeyChanged,
    Item,
    Plan,
    Progress,
    Receipt,
    TransferError,
    network_error,
    parse_address,
)
from .sidecar import sidecar_bytes, sidecar_mode, sidecar_name

log = logging.getLogger(__name__)


class SftpDestination(Destination):
    kind = "sftp"

    @property
    def _parts(self):
        a = parse_address(self.config.url, ("sftp",))
        return a.host, a.port or 22, a.path

    @property
    def known_hosts(self) -> Path:
        path = self.context.get("known_hosts")
        if not path:
            raise TransferError(
                "No place to pin SFTP host keys was given.",
                "Chưa có nơi lưu khoá máy chủ SFTP.",
                retryable=False,
            )
        return Path(path)

    def prepare(self, item: Item) -> Plan:
        host, port, folder = self._parts
        sidecar_mode(self.config)
        return self._plan(item, f"sftp://{host}:{port}{folder.rstrip('/')}/{item.name}")

    # --- connection ----------------------------------------------------------------------------
    def _host_entry(self, host: str, port: int) -> str:
        return host if port == 22 else f"[{host}]:{port}"

    def _verify_host_key(self, host: str, port: int, key: paramiko.PKey) -> bool:
        """Refuse a changed key; pin an unknown one. True when it was pinned just now."""
        entry = self._host_entry(host, port)
        keys = paramiko.HostKeys()
        if self.known_hosts.exists():
            keys.load(str(self.known_hosts))
        pinned = keys.lookup(entry)
        if pinned:
            old = pinned.get(key.get_name())
            if old is None or old != key:
                old = old or next(iter(pinned.values()))
                raise HostKeyChanged(
                    f"WARNING: the SFTP server {entry} presented a DIFFERENT host key "
                    f"({key.get_name()} {key.fingerprint}) from the one pinned on first use "
                    f"({old.get_name()} {old.fingerprint}). Nothing was sent. If the server was "
                    f"really replaced, remove its line from {self.known_hosts}.",
                    f"CẢNH BÁO: máy chủ SFTP {entry} đưa ra khoá KHÁC ({key.get_name()} "
                    f"{key.fingerprint}) với khoá đã ghi nhận lần đầu ({old.get_name()} "
                    f"{old.fingerprint}). Chưa gửi gì. Nếu máy chủ thật sự đã được thay, hãy xoá "
                    f"dòng của nó trong {self.known_hosts}.",
                    retryable=False,
                )
            return False
        keys.add(entry, key.get_name(), key)
        self.known_hosts.parent.mkdir(parents=True, exist_ok=True)
        from audio.fileio import atomic_path

        with atomic_path(self.known_hosts) as tmp:
            keys.save(str(tmp))
        log.info("Pinned SFTP host key of %s: %s %s", entry, key.get_name(), key.fingerprint)
        return True

    def _connect(self) -> tuple[paramiko.Transport, paramiko.SFTPClient]:
        host, port, folder = self._parts
        where = f"{host}:{port}"
        try:
            sock = socket.create_connection((host, port), timeout=self.timeout_s())
        except OSError as exc:
            raise network_error(exc, where) from exc
        transport = paramiko.Transport(sock)
        try:
            transport.start_client(timeout=self.timeout_s())
            server_key = transport.get_remote_server_key()
            self.pinned_now = self._verify_host_key(host, port, server_key)
            self.host_key = f"{server_key.get_name()} {server_key.fingerprint}"
            key_file = self.config.option("key_file")
            if key_file:
                pkey = paramiko.PKey.from_path(
                    key_file, self.secret.encode() if self.secret else None
                )
                transport.auth_publickey(self.config.login_user, pkey)
            else:
                transport.auth_password(self.config.login_user, self.secret or "")
            sftp = paramiko.SFTPClient.from_transport(transport)
            assert sftp is not None
            sftp.get_channel().settimeout(self.timeout_s())
            if folder not in ("", "/"):
                sftp.chdir(folder)
        except paramiko.AuthenticationException as exc:
            transport.close()
            raise TransferError(
                f"{where} refused the login for user '{self.config.login_user}'. Check the user name "
                "and password.",
                f"{where} từ chối đăng nhập với tài khoản '{self.config.login_user}'. Hãy kiểm tra tên "
                "đăng nhập và mật khẩu.",
                retryable=False,
            ) from exc
        except TransferError:
            transport.close()
            raise
        except (paramiko.SSHException, EOFError) as exc:
            transport.close()
            if "banner" in str(exc).lower():  # something answered, but not an SSH server
                raise TransferError(
                    f"{where} did not answer as an SSH server (no SSH greeting). Check the port "
                    "in the address, or whether the server is starting up.",
                    f"{where} không trả lời như một máy chủ SSH (không có lời chào SSH). Hãy kiểm "
                    "tra cổng trong địa chỉ, hoặc máy chủ có đang khởi động không.",
                ) from exc
            raise TransferError(
                f"The SSH connection to {where} failed: {exc}.",
                f"Kết nối SSH tới {where} bị lỗi: {exc}.",
            ) from exc
        except OSError as exc:
            transport.close()
            if isinstance(exc, FileNotFoundError | PermissionError) or exc.errno is None:
                raise TransferError(
                    f"The folder '{folder}' on {where} cannot be used: {exc}.",
                    f"Không dùng được thư mục '{folder}' trên {where}: {exc}.",
                    retryable=False,
                ) from exc
            raise network_error(exc, where) from exc
        return transport, sftp

    def check(self) -> str:
        transport, sftp = self._connect()
        try:
            cwd = sftp.getcwd() or "/"
            if self.pinned_now:
                note = localized("new host key pinned", "đã ghi nhớ khoá mới của máy chủ")
            else:
                note = localized("host key matches", "khoá máy chủ khớp")
            return f"{transport.remote_version} — {cwd} — {note}: {self.host_key}"
        finally:
            sftp.close()
            transport.close()

    # --- sending ---------------------------------------------------------------------------------
    @staticmethod
    def _remote_size(sftp: paramiko.SFTPClient, name: str) -> int | None:
        try:
            return sftp.stat(name).st_size
        except OSError:
            return None

    @staticmethod
    def _remote_sha256(sftp: paramiko.SFTPClient, name: str) -> str:
        digest = hashlib.sha256()
        with sftp.open(name, "rb") as f:
            f.prefetch()
            while chunk := f.read(CHUNK):
                digest.update(chunk)
        return digest.hexdigest()

    @staticmethod
    def _put_small(sftp: paramiko.SFTPClient, name: str, data: bytes, plan: Plan) -> None:
        """Write a small file under a temporary name and rename it into place."""
        temp = f".{name}.{plan.idempotency_key[:12]}.part"
        with sftp.open(temp, "wb") as f:
            f.write(data)
        try:
            sftp.posix_rename(temp, name)
        except OSError:
            with contextlib.suppress(OSError):
                sftp.remove(name)
            sftp.rename(temp, name)

    def run(self, plan: Plan, progress: Progress | None = None) -> Receipt:
        host, port, _ = self._parts
        where = f"{host}:{port}"
        readback = self.config.flag("verify_sha256", True)
        transport, sftp = self._connect()
        try:
            # Only a matching SHA-256 proves an earlier attempt arrived (same-length CBR
            # bulletins have the same size); without read-back the same name is overwritten.
            if (
                readback
                and self._remote_size(sftp, plan.final_name) == plan.size
                and self._remote_sha256(sftp, plan.final_name) == plan.sha256
            ):
                with contextlib.suppress(OSError):
                    sftp.remove(plan.temp_name)
                return Receipt(plan.target, verified=True, already_there=True)
            sidecar = sidecar_bytes(self.config, plan)
            if sidecar is not None:  # in place before the audio appears
                self._put_small(sftp, sidecar_name(plan.final_name), sidecar, plan)
            sent = 0
            with open(plan.source, "rb") as src, sftp.open(plan.temp_name, "wb") as dst:
                dst.set_pipelined(True)
                while chunk := src.read(CHUNK):
                    dst.write(chunk)
                    sent += len(chunk)
                    if progress:
                        progress(0.9 * sent / max(1, plan.size))
            size = self._remote_size(sftp, plan.temp_name)
            if size != plan.size:
                raise TransferError(
                    f"{where} holds {size} bytes of {plan.size}: the upload was incomplete.",
                    f"{where} chỉ nhận {size}/{plan.size} byte: tải lên chưa trọn.",
                )
            if readback and self._remote_sha256(sftp, plan.temp_name) != plan.sha256:
                raise TransferError(
                    f"The file on {where} has a different SHA-256 from the original.",
                    f"Tệp trên {where} có SHA-256 khác bản gốc.",
                )
            try:
                sftp.posix_rename(plan.temp_name, plan.final_name)
            except OSError:
                # Servers without the posix-rename extension refuse to rename over a file.
                with contextlib.suppress(OSError):
                    sftp.remove(plan.final_name)
                sftp.rename(plan.temp_name, plan.final_name)
        except TransferError:
            if transport.is_active():
                # Free the space a partial or damaged upload holds (e.g. a full disk).
                with contextlib.suppress(Exception):
                    sftp.remove(plan.temp_name)
            raise
        except (paramiko.SSHException, EOFError) as exc:
            raise TransferError(
                f"The SSH connection to {where} broke: {exc}.",
                f"Kết nối SSH tới {where} bị đứt: {exc}.",
            ) from exc
        except OSError as exc:
            if transport.is_active():
                # The server still answers: free the space a partial upload holds.
                with contextlib.suppress(Exception):
                    sftp.remove(plan.temp_name)
            if "quota" in str(exc).lower() or "no space" in str(exc).lower() or exc.errno == 28:
                raise TransferError(
                    f"{where} has no room for the file (disk full): {exc}.",
                    f"{where} hết chỗ chứa tệp (đầy đĩa): {exc}.",
                ) from exc
            raise network_error(exc, where) from exc
        finally:
            with contextlib.suppress(Exception):
                sftp.close()
            transport.close()
        if progress:
            progress(1.0)
        return Receipt(plan.target, verified=readback)
