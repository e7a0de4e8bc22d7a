"""The destination plugin interface: a pure `prepare()` and a `run()` that sends.

A destination is where a finished bulletin goes: a folder, an FTP/FTPS or SFTP server, an HTTP
upload endpoint or the provincial source-information system. `prepare(item)` decides, without
touching the network or disk, what will be sent where (temporary name, final name, checksum,
metadata); `run(plan, progress)` sends it and returns a `Receipt`.

Every destination follows the same rules so that nothing is lost or published twice: upload
under a temporary name and rename when complete; verify size (and SHA-256 where the destination
allows); recognise a file that is already complete at the destination from an earlier attempt;
send an idempotency key where the protocol has no rename.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import re
import ssl
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from audio.errors import StudioError
from export.naming import remote_name_problem

log = logging.getLogger(__name__)

Progress = Callable[[float], None]
CHUNK = 256 * 1024
DEFAULT_PORTS = {"ftp": 21, "ftps": 21, "sftp": 22, "http": 80, "https": 443}


class TransferError(StudioError):
    """A send that did not complete. `retryable` says whether trying again later may help."""

    def __init__(self, en: str, vi: str, retryable: bool = True):
        super().__init__(en, vi)
        self.retryable = retryable


class HostKeyChanged(TransferError):
    """An SFTP server presented a different key from the one pinned on first use."""


# Thông tư 39/2020/TT-BTTTT's three levels: thông thường, ưu tiên, khẩn cấp (most urgent last).
PRIORITIES = ("thuong", "uu-tien", "khan-cap")


@dataclass(frozen=True, slots=True)
class DestinationConfig:
    """A configured destination: no secret in here (the secret lives in the OS keyring)."""

    name: str
    kind: str
    url: str
    user: str = ""
    options: dict[str, Any] = field(default_factory=dict)

    def option(self, key: str, default: Any = None) -> Any:
        return self.options.get(key, default)

    @property
    def login_user(self) -> str:
        """The account to log in as: the user given, else the one in the URL
        (`sftp://radio@host/dir`; rows saved before the URL was parsed on entry keep it there)."""
        if self.user or "://" not in self.url:
            return self.user
        try:
            return unquote(urlsplit(self.url).username or "")
        except ValueError:
            return ""

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.options.get(key, default)
        if isinstance(value, str):
            return value.strip().lower() in ("1", "true", "yes", "on")
        return bool(value)


@dataclass(frozen=True, slots=True)
class Item:
    """One file to send, exactly as queued (the outbox keeps its own copy)."""

    path: Path
    name: str  # the file name to publish under
    sha256: str
    size: int
    idempotency_key: str
    metadata: dict[str, Any] = field(default_factory=dict)
    priority: str = "thuong"


@dataclass(frozen=True, slots=True)
class Plan:
    """What `run()` will do: every decision made, nothing sent yet."""

    destination: str
    kind: str
    source: Path
    target: str  # where the final file will be, human readable (URL or path)
    temp_name: str
    final_name: str
    sha256: str
    size: int
    idempotency_key: str
    metadata: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Receipt:
    """What the destination confirmed."""

    location: str
    remote_id: str = ""
    verified: bool = False  # True when the destination confirmed size and SHA-256
    already_there: bool = False  # an earlier attempt had in fact arrived
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Address:
    """A remote destination's URL, parsed once (`parse_address`)."""

    scheme: str
    host: str
    port: int | None
    path: str  # unquoted; "/" when none is given
    user: str = ""

    def url(self) -> str:
        """The URL again, without the user name (that is kept apart, in the config's user)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        port = f":{self.port}" if self.port else ""
        return f"{self.scheme}://{host}{port}{quote(self.path)}"


def readable_size(n_bytes: int) -> str:
    """A disk size as a person reads it, in the units Windows Explorer shows (1 GB = 1024³
    bytes): "77 GB", "3.5 GB", "512 MB", "0 MB"."""
    gb = n_bytes / 1024**3
    if gb >= 10:
        return f"{gb:.0f} GB"
    if gb >= 1:
        return f"{gb:.1f} GB"
    return f"{n_bytes // 1024**2} MB"


def redacted(url: str) -> str:
    """`url` with any password in it replaced by ***, for messages."""
    try:
        u = urlsplit(url)
    except ValueError:
        return url
    if u.password is None:
        return url
    userinfo = f"{u.username}:***@" if u.username else "***@"
    return url.replace(u.netloc, userinfo + u.netloc.rpartition("@")[2], 1)


def parse_address(url: str, schemes: tuple[str, ...]) -> Address:
    """Parse a destination URL, once: scheme, host, port, path and the user name in it.

    A password inside the URL is refused (it would end up in the database and the logs; the
    secret belongs in the keyring) and never repeated in the message. Raises TransferError
    (not retryable) for a URL of another scheme, without a host, or with a bad port.
    """
    try:
        u = urlsplit(url.strip())
        port = u.port
    except ValueError as exc:  # urllib: a port out of range, a broken IPv6 address
        raise TransferError(
            f"The address '{redacted(url)}' is not valid: {exc}.",
            f"Địa chỉ '{redacted(url)}' không hợp lệ: {exc}.",
            retryable=False,
        ) from None
    if u.password is not None:
        raise TransferError(
            "The address holds a password. Passwords are kept only in the system keyring: "
            "remove it from the address and give it with --password-stdin (or the password "
            "field). Nothing was saved.",
            "Địa chỉ có chứa mật khẩu. Mật khẩu chỉ được lưu trong kho mật khẩu của hệ thống: "
            "hãy bỏ nó khỏi địa chỉ và nhập bằng --password-stdin (hoặc ô mật khẩu). Chưa lưu "
            "gì.",
            retryable=False,
        )
    want = " or ".join(f"{s}://" for s in schemes)
    want_vi = " hoặc ".join(f"{s}://" for s in schemes)
    if u.scheme.lower() not in schemes or not u.hostname:
        raise TransferError(
            f"'{url}' is not an {want} address with a server name.",
            f"'{url}' không phải địa chỉ {want_vi} có tên máy chủ.",
            retryable=False,
        )
    return Address(
        u.scheme.lower(), u.hostname, port, unquote(u.path) or "/", unquote(u.username or "")
    )


def temp_name_for(final_name: str, idempotency_key: str) -> str:
    """The temporary upload name: hidden, tied to the item so a retry overwrites its own."""
    return f".{final_name}.{idempotency_key[:12]}.part"


def sha256_file(path: Path, progress: Progress | None = None) -> str:
    digest = hashlib.sha256()
    size = max(1, os.path.getsize(path))
    done = 0
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
            done += len(chunk)
            if progress:
                progress(done / size)
    return digest.hexdigest()


class Destination(ABC):
    """A place bulletins are pushed to. Subclasses set `kind` and implement the three calls."""

    kind: str = ""

    def __init__(self, config: DestinationConfig, secret: str | None = None, **context: Any):
        self.config = config
        self.secret = secret
        self.context = context

    @abstractmethod
    def prepare(self, item: Item) -> Plan:
        """Decide what will be sent where. Pure: no network, no disk writes."""

    @abstractmethod
    def run(self, plan: Plan, progress: Progress | None = None) -> Receipt:
        """Send the planned file. Raises `TransferError` with a clear reason on failure.

        Called on a worker thread, never the GUI thread; `progress` gets 0..1.
        """

    @abstractmethod
    def check(self) -> str:
        """Check the connection and the account without sending a bulletin: what was found,
        one line in the user's language (the caller says it worked: "OK: " on the command
        line, "Kết nối tốt: " in the window); a TransferError when it does not work."""

    def reachable(self, timeout_s: float = 2.0) -> bool:
        """A cheap test that the server answers: a TCP connection to its address, no login,
        nothing sent. How the outbox notices a network that came back. Never raises."""
        import socket
        from urllib.parse import urlparse

        try:
            u = urlparse(self.config.url.replace("{name}", ""))
            port = u.port or DEFAULT_PORTS.get(u.scheme)
            if not u.hostname or not port:
                return False
            with socket.create_connection((u.hostname, port), timeout=timeout_s):
                return True
        except (OSError, ValueError):
            return False

    def _plan(self, item: Item, target: str, **extra: Any) -> Plan:
        self.timeout_s()  # a bad option is refused when the destination is added
        problem = remote_name_problem(item.name)
        if problem is not None:  # checked on entry; an old or edited row is refused here too
            raise TransferError(
                f"'{item.name}' cannot be published: {problem[0]}.",
                f"Không gửi được '{item.name}': {problem[1]}.",
                retryable=False,
            )
        return Plan(
            destination=self.config.name,
            kind=self.config.kind,
            source=item.path,
            target=target,
            temp_name=temp_name_for(item.name, item.idempotency_key),
            final_name=item.name,
            sha256=item.sha256,
            size=item.size,
            idempotency_key=item.idempotency_key,
            metadata=dict(item.metadata),
            warnings=tuple(self.warnings()),
            **extra,
        )

    def warnings(self) -> list[str]:
        if self.tls_verification_disabled():
            return ["TLS certificate verification is OFF for this destination"]
        return []

    # --- TLS: verified by default; a custom CA file; switching off takes an explicit option --
    def tls_verification_disabled(self) -> bool:
        return self.config.flag("insecure_skip_tls_verify")

    def ssl_context(self) -> ssl.SSLContext:
        if self.tls_verification_disabled():
            log.warning(
                "TLS certificate verification is disabled for destination %r", self.config.name
            )
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            return ctx
        ca_file = self.config.option("ca_file")
        if ca_file and not Path(ca_file).is_file():
            raise TransferError(
                f"The CA certificate file '{ca_file}' does not exist.",
                f"Không thấy tệp chứng chỉ CA '{ca_file}'.",
                retryable=False,
            )
        return ssl.create_default_context(cafile=ca_file or None)

    def timeout_s(self) -> float:
        value = self.config.option("timeout_s", 30)
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            seconds = math.nan
        if not 0 < seconds <= 3600:  # also refuses NaN
            raise TransferError(
                f"The option timeout_s must be a number of seconds (1…3600), not '{value}'.",
                f"Tuỳ chọn timeout_s phải là số giây (1…3600), không phải '{value}'.",
                retryable=False,
            )
        return seconds


_SCHEME = re.compile(r"(?i)\b(bearer|basic|digest|token)(\s+)[^\s\"',;&]+")
_CREDENTIAL = re.compile(
    r"(?i)\b(token|password|passwd|pwd|secret|api[_-]?key|authorization|cookie|session)"
    r"(\"?\s*[:=]\s*)(\"?)(?!\*\*\*)[^\s\"',;&]+"
)
_TOKEN_LIKE = re.compile(r"(?=[\w+=-]*\d)(?=[\w+=-]*[A-Za-z])[\w+=-]{32,}")


def redact(text: str, *secrets: str | None) -> str:
    """`text` with anything that can carry a secret replaced by "***": the given secrets
    (and their Basic-auth form), credentials after a keyword, and long token-like runs.
    For error texts that reach the outbox database, the window and the logs."""
    import base64

    for secret in secrets:
        if secret and len(secret) >= 4:  # a one-letter "secret" would blank the sentence
            text = text.replace(secret, "***")
            text = text.replace(base64.b64encode(secret.encode()).decode(), "***")
    text = _SCHEME.sub(lambda m: f"{m.group(1)}{m.group(2)}***", text)
    text = _CREDENTIAL.sub(lambda m: f"{m.group(1)}{m.group(2)}{m.group(3)}***", text)
    return _TOKEN_LIKE.sub("***", text)


def server_message(body: bytes, *secrets: str | None, limit: int = 120) -> str:
    """The server's own explanation in a reply body, safe to store: only a short "error",
    "message" or "detail" text of a JSON reply, redacted. A raw body is never kept: a server
    that echoes the request would put the Authorization header in the outbox."""
    import json

    try:
        document = json.loads(body[:4096].decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return ""
    if not isinstance(document, dict):
        return ""
    for key in ("error", "message", "detail", "error_description"):
        value = document.get(key)
        if isinstance(value, dict):
            value = value.get("message")
        if isinstance(value, str) and value.strip():
            text = " ".join(redact(value, *secrets).split())
            return text if len(text) <= limit else text[: limit - 1] + "…"
    return ""


def tls_error(exc: ssl.SSLError, where: str) -> TransferError:
    """A clear, permanent error for an untrusted or mismatched certificate."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        return TransferError(
            f"The certificate of {where} is not trusted ({exc.verify_message}). "
            "Set the destination's CA file, or check that you reach the right server.",
            f"Chứng chỉ của {where} không được tin cậy ({exc.verify_message}). "
            "Hãy đặt tệp CA cho nơi nhận, hoặc kiểm tra đúng máy chủ.",
            retryable=False,
        )
    return TransferError(
        f"Secure connection to {where} failed: {exc}.",
        f"Kết nối bảo mật tới {where} thất bại: {exc}.",
    )


def network_error(exc: OSError, where: str) -> TransferError:
    """A clear error for a network failure; retrying later may help."""
    import socket

    if isinstance(exc, ssl.SSLError):
        return tls_error(exc, where)
    if isinstance(exc, socket.gaierror):
        return TransferError(
            f"The server name of {where} could not be found (DNS). Check the address and the "
            "internet connection.",
            f"Không tìm thấy tên máy chủ của {where} (DNS). Hãy kiểm tra địa chỉ và kết nối mạng.",
        )
    if isinstance(exc, TimeoutError | socket.timeout):
        return TransferError(
            f"{where} did not answer in time (slow or broken connection).",
            f"{where} không trả lời kịp (đường truyền chậm hoặc bị ngắt).",
        )
    if isinstance(exc, ConnectionRefusedError):
        return TransferError(
            f"{where} refused the connection (is the server running?).",
            f"{where} từ chối kết nối (máy chủ có đang chạy không?).",
        )
    return TransferError(
        f"The connection to {where} failed: {exc.strerror or exc}.",
        f"Kết nối tới {where} bị lỗi: {exc.strerror or exc}.",
    )
