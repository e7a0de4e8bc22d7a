"""FTP and FTPS (explicit TLS, AUTH TLS) destinations, passive mode.

Upload under a temporary name, check its size, then RNFR/RNTO to the final name. On a retry a
final file of the right size is read back and hashed: if it matches, the earlier attempt had
arrived and nothing is sent again.
"""

from __future__ import annotations

import contextlib
import ftplib
import hashlib
import ssl
from urllib.parse import urlparse

from .base import (
    CHUNK,
    Destination,
    Item,
    Plan,
    Progress,
    Receipt,
    TransferError,
    network_error,
    parse_address,
    tls_error,
)
from .sidecar import sidecar_bytes, sidecar_mode, sidecar_name


def _reply_code(exc: ftplib.Error) -> str:
    return str(exc)[:3]


class FtpDestination(Destination):
    kind = "ftp"

    @property
    def _parts(self):
        a = parse_address(self.config.url, ("ftp", "ftps"))
        return a.host, a.port or 21, a.path

    @property
    def tls(self) -> bool:
        return self.config.kind == "ftps" or urlparse(self.config.url).scheme == "ftps"

    def prepare(self, item: Item) -> Plan:
        host, port, folder = self._parts
        sidecar_mode(self.config)
        scheme = "ftps" if self.tls else "ftp"
        return self._plan(item, f"{scheme}://{host}:{port}{folder.rstrip('/')}/{item.name}")

    def warnings(self) -> list[str]:
        w = super().warnings() if self.tls else []
        if not self.tls:
            w.append("plain FTP sends the password and the audio unencrypted")
        return w

    # --- connection --------------------------------------------------------------------------
    def _connect(self) -> ftplib.FTP:
        host, port, folder = self._parts
        where = f"{host}:{port}"
        ftp: ftplib.FTP
        if self.tls:
            ftp = ftplib.FTP_TLS(context=self.ssl_context(), timeout=self.timeout_s())
        else:
            ftp = ftplib.FTP(timeout=self.timeout_s())
        try:
            ftp.connect(host, port)
            if isinstance(ftp, ftplib.FTP_TLS):
                ftp.auth()
            ftp.login(self.config.login_user or "anonymous", self.secret or "")
            if isinstance(ftp, ftplib.FTP_TLS):
                ftp.prot_p()
            ftp.set_pasv(True)
            ftp.voidcmd("TYPE I")
            if folder not in ("", "/"):
                ftp.cwd(folder)
        except ftplib.error_perm as exc:
            with contextlib.suppress(Exception):
                ftp.close()
            raise self._ftp_error(exc, where) from exc
        except ftplib.Error as exc:
            with contextlib.suppress(Exception):
                ftp.close()
            raise self._ftp_error(exc, where) from exc
        except ssl.SSLError as exc:
            with contextlib.suppress(Exception):
                ftp.close()
            raise tls_error(exc, where) from exc
        except (OSError, EOFError) as exc:
            with contextlib.suppress(Exception):
                ftp.close()
            if isinstance(exc, EOFError):
                exc = ConnectionResetError("connection closed")
            raise network_error(exc, where) from exc
        return ftp

    def _ftp_error(self, exc: ftplib.Error, where: str) -> TransferError:
        code = _reply_code(exc)
        text = str(exc)
        if code == "530":
            return TransferError(
                f"{where} refused the login for user '{self.config.login_user}' ({text}). "
                "Check the user name and password.",
                f"{where} từ chối đăng nhập với tài khoản '{self.config.login_user}' ({text}). "
                "Hãy kiểm tra tên đăng nhập và mật khẩu.",
                retryable=False,
            )
        if code in ("552", "452") or "no space" in text.lower():
            return TransferError(
                f"{where} has no room for the file (disk full or quota exceeded: {text}).",
                f"{where} hết chỗ chứa tệp (đầy đĩa hoặc vượt hạn mức: {text}).",
            )
        if code == "426":
            return TransferError(
                f"{where} aborted the transfer ({text}); a full disk or a dropped line.",
                f"{where} đã huỷ lần truyền ({text}); có thể đầy đĩa hoặc đứt đường truyền.",
            )
        if code == "550":
            return TransferError(
                f"{where} refused the file or folder ({text}).",
                f"{where} từ chối tệp hoặc thư mục ({text}).",
                retryable=False,
            )
        return TransferError(
            f"{where} answered with an error: {text}.",
            f"{where} trả lời lỗi: {text}.",
            retryable=not code.startswith("5"),
        )

    def check(self) -> str:
        ftp = self._connect()
        try:
            welcome = ftp.getwelcome().splitlines()[0] if ftp.getwelcome() else ""
            pwd = ftp.pwd()
        finally:
            with contextlib.suppress(Exception):
                ftp.quit()
        return f"{welcome} — {pwd}"

    # --- sending -----------------------------------------------------------------------------
    def _size(self, ftp: ftplib.FTP, name: str) -> int | None:
        try:
            return ftp.size(name)
        except ftplib.error_perm:
            return None

    def _remote_sha256(self, ftp: ftplib.FTP, name: str) -> str:
        digest = hashlib.sha256()
        ftp.retrbinary(f"RETR {name}", digest.update, blocksize=CHUNK)
        return digest.hexdigest()

    def _put_small(self, ftp: ftplib.FTP, name: str, data: bytes, plan: Plan) -> None:
        """Store a small file under a temporary name and rename it into place."""
        import io

        temp = f".{name}.{plan.idempotency_key[:12]}.part"
        ftp.storbinary(f"STOR {temp}", io.BytesIO(data))
        try:
            ftp.rename(temp, name)
        except ftplib.error_perm:
            if self._size(ftp, name) is None:
                raise
            ftp.delete(name)
            ftp.rename(temp, name)

    def run(self, plan: Plan, progress: Progress | None = None) -> Receipt:
        host, port, _ = self._parts
        where = f"{host}:{port}"
        ftp = self._connect()
        readback = self.config.flag("verify_sha256", True)
        try:
            try:
                # Only a matching SHA-256 proves an earlier attempt arrived: two CBR bulletins
                # of the same length have the same size. Without read-back, upload again (the
                # same name is overwritten, so that is still one copy).
                if (
                    readback
                    and self._size(ftp, plan.final_name) == plan.size
                    and self._remote_sha256(ftp, plan.final_name) == plan.sha256
                ):
                    with contextlib.suppress(ftplib.Error):
                        ftp.delete(plan.temp_name)
                    return Receipt(plan.target, verified=True, already_there=True)
                sidecar = sidecar_bytes(self.config, plan)
                if sidecar is not None:  # in place before the audio appears
                    self._put_small(ftp, sidecar_name(plan.final_name), sidecar, plan)
                sent = [0]

                def block_sent(block: bytes) -> None:
                    sent[0] += len(block)
                    if progress:
                        progress(0.9 * sent[0] / max(1, plan.size))

                with open(plan.source, "rb") as f:
                    try:
                        ftp.storbinary(f"STOR {plan.temp_name}", f, 64 * 1024, block_sent)
                    except OSError as exc:
                        # The server may have dropped the data connection with a reason on
                        # the control connection (e.g. "426 No space left on device").
                        if isinstance(exc, ssl.SSLError):
                            raise
                        ftp.sock.settimeout(5)
                        ftp.voidresp()  # raises ftplib.Error with the server's reason
                        raise
                size = self._size(ftp, plan.temp_name)
                if size != plan.size:
                    with contextlib.suppress(ftplib.Error):
                        ftp.delete(plan.temp_name)
                    raise TransferError(
                        f"{where} holds {size} bytes of {plan.size}: the upload was incomplete.",
                        f"{where} chỉ nhận {size}/{plan.size} byte: tải lên chưa trọn.",
                    )
                try:
                    ftp.rename(plan.temp_name, plan.final_name)
                except ftplib.error_perm:
                    # Some servers refuse RNTO over an existing name: clear the old bulletin.
                    if self._size(ftp, plan.final_name) is None:
                        raise
                    ftp.delete(plan.final_name)
                    ftp.rename(plan.temp_name, plan.final_name)
                if self._size(ftp, plan.final_name) != plan.size:
                    raise TransferError(
                        f"{where} lost the file after the rename.",
                        f"{where} làm mất tệp sau khi đổi tên.",
                    )
                verified = readback and self._remote_sha256(ftp, plan.final_name) == plan.sha256
                if readback and not verified:
                    raise TransferError(
                        f"The file on {where} has a different SHA-256 from the original.",
                        f"Tệp trên {where} có SHA-256 khác bản gốc.",
                    )
            except ftplib.Error as exc:
                # The server still answers: free the space a partial upload holds.
                with contextlib.suppress(Exception):
                    ftp.delete(plan.temp_name)
                raise self._ftp_error(exc, where) from exc
            except ssl.SSLError as exc:
                raise tls_error(exc, where) from exc
            except EOFError as exc:
                raise network_error(ConnectionResetError("connection closed"), where) from exc
            except OSError as exc:
                raise network_error(exc, where) from exc
        finally:
            with contextlib.suppress(Exception):
                ftp.quit()
            with contextlib.suppress(Exception):
                ftp.close()
        if progress:
            progress(1.0)
        return Receipt(plan.target, verified=verified)


class FtpsDestination(FtpDestination):
    kind = "ftps"
