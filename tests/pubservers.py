"""Real servers on 127.0.0.1 for the publishing tests, started in-process on free ports.

- a test CA and a server certificate for 127.0.0.1 (cryptography)
- FTP and FTPS (pyftpdlib), with faults: cut data connection, 552 disk full, throttled link
- SFTP (asyncssh server in its own thread), with a cut connection and a chosen host key
- HTTPS upload receiver (http.server + ssl) that honours Idempotency-Key, checks a bearer
  token, and can answer 500 first, cut the body, or validate the province JSON Schema
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import datetime as dt
import hashlib
import ipaddress
import json
import os
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


# --- certificates ---------------------------------------------------------------------------------
@dataclass
class TestCA:
    ca_file: Path
    cert_file: Path
    key_file: Path


def make_ca(folder: Path, name: str = "Studio Test CA") -> TestCA:
    """A CA and a server certificate for 127.0.0.1/localhost signed by it."""
    folder.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), False)
        .sign(ca_key, hashes.SHA256())
    )
    ca_file, cert_file, key_file = folder / "ca.pem", folder / "server.pem", folder / "server.key"
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return TestCA(ca_file, cert_file, key_file)


# --- FTP / FTPS -------------------------------------------------------------------------------------
@dataclass
class FtpFaults:
    cut_after_bytes: int | None = None  # cut the connection during the next N uploads
    cuts_left: int = 0
    disk_full: bool = False
    read_limit: int = 0  # bytes/s; 0 = unthrottled
    stores: list[str] = field(default_factory=list)


class FtpServer:
    """pyftpdlib on 127.0.0.1 in a thread. user/password, or anonymous with write rights."""

    def __init__(self, root: Path, tls: TestCA | None = None, user="station", password="pw-1"):
        from pyftpdlib.authorizers import DummyAuthorizer
        from pyftpdlib.handlers import FTPHandler, ThrottledDTPHandler, TLS_FTPHandler
        from pyftpdlib.servers import ThreadedFTPServer

        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.faults = FtpFaults()
        faults = self.faults
        authorizer = DummyAuthorizer()
        authorizer.add_user(user, password, str(root), perm="elradfmwMT")
        authorizer.add_anonymous(str(root), perm="elradfmwMT")

        class Dtp(ThrottledDTPHandler):
            def __init__(self, sock, cmd_channel):
                super().__init__(sock, cmd_channel)
                self.read_limit = faults.read_limit
                self._got = 0
                self._cut = faults.cut_after_bytes is not None and faults.cuts_left > 0
                if self._cut:
                    faults.cuts_left -= 1

            def handle_read(self):
                super().handle_read()
                if self._cut:
                    self._got = self.tot_bytes_received
                    if self._got >= faults.cut_after_bytes:
                        # A dropped line: both connections go away mid-transfer.
                        self.cmd_channel.close()
                        self.close()

            handle_read_event = handle_read  # pyftpdlib's ioloop calls this name

        base = TLS_FTPHandler if tls else FTPHandler

        class Handler(base):
            # Faults and throttling are on the plain-FTP data channel; FTPS keeps its TLS one.
            dtp_handler = base.dtp_handler if tls else Dtp

            def ftp_STOR(self, file, mode="w"):
                faults.stores.append(os.path.basename(file))
                if faults.disk_full:
                    self.respond("552 Requested file action aborted: exceeded storage allocation.")
                    return None
                return super().ftp_STOR(file, mode)

        Handler.authorizer = authorizer
        Handler.passive_ports = None
        Handler.permit_foreign_addresses = False
        if tls:
            Handler.certfile = str(tls.cert_file)
            Handler.keyfile = str(tls.key_file)
            Handler.tls_control_required = True
            Handler.tls_data_required = True
        self.port = free_port()
        self.server = ThreadedFTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.user, self.password = user, password

    def url(self, folder: str = "/") -> str:
        return f"ftp://127.0.0.1:{self.port}{folder}"

    def close(self) -> None:
        self.server.close_all()
        self.thread.join(5)


# --- SFTP (asyncssh) ------------------------------------------------------------------------------
class SftpServer:
    """An asyncssh SFTP (and scp) server chrooted to `root`, on its own event loop thread."""

    def __init__(
        self, root: Path, key_folder: Path, user="station", password="pw-2", client_key=None
    ):
        import asyncssh

        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        key_folder.mkdir(parents=True, exist_ok=True)
        self.host_key = asyncssh.generate_private_key("ssh-ed25519")
        self.cut_after_bytes: int | None = None
        self.cuts_left = 0
        self.user, self.password = user, password
        self.port = free_port()
        self.loop = asyncio.new_event_loop()
        server = self

        class Auth(asyncssh.SSHServer):
            def begin_auth(self, username):
                return True

            def password_auth_supported(self):
                return True

            def public_key_auth_supported(self):
                return client_key is not None

            def validate_public_key(self, username, key):
                return username == server.user and key.public_data == client_key.public_data

            def validate_password(self, username, password):
                return username == server.user and password == server.password

        class Sftp(asyncssh.SFTPServer):
            def __init__(self, chan):
                super().__init__(chan, chroot=str(server.root).encode())
                self._got = 0

            def write(self, file_obj, offset, data):
                if server.cut_after_bytes is not None and server.cuts_left > 0:
                    self._got += len(data)
                    if self._got >= server.cut_after_bytes:
                        server.cuts_left -= 1
                        self.connection.abort()  # a dropped line, mid-transfer
                        return None
                return super().write(file_obj, offset, data)

        async def start():
            return await asyncssh.create_server(
                Auth,
                "127.0.0.1",
                self.port,
                server_host_keys=[self.host_key],
                sftp_factory=Sftp,
                allow_scp=True,
            )

        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.acceptor = asyncio.run_coroutine_threadsafe(start(), self.loop).result(10)

    def url(self, folder: str = "/") -> str:
        return f"sftp://127.0.0.1:{self.port}{folder}"

    def public_key_line(self) -> str:
        return self.host_key.export_public_key("openssh").decode().strip()

    def close(self) -> None:
        async def stop():
            self.acceptor.close()
            await self.acceptor.wait_closed()

        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(stop(), self.loop).result(5)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


def parse_multipart(ctype: str, body: bytes) -> tuple[dict[str, str], bytes | None, str | None]:
    """(text fields, file bytes, file name) of a multipart/form-data body; names are UTF-8."""
    boundary = ctype.split("boundary=", 1)[1].strip().strip('"').encode()
    fields, audio, name = {}, None, None
    for part in body.split(b"--" + boundary)[1:]:
        if part.startswith(b"--"):
            break
        head, _, content = part[2:].partition(b"\r\n\r\n")
        content = content[:-2]  # the CRLF before the next boundary
        disposition = next(
            line.decode("utf-8")
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-disposition")
        )
        params = dict(
            (k.strip(), v.strip().strip('"'))
            for k, _, v in (p.partition("=") for p in disposition.split(";")[1:])
        )
        if "filename" in params:
            audio, name = content, params["filename"]
        else:
            fields[params["name"]] = content.decode("utf-8")
    return fields, audio, name


# --- HTTPS receiver ---------------------------------------------------------------------------------
@dataclass
class HttpState:
    token: str | None = "tok-3"  # None: an open endpoint that takes no credentials
    basic_user: str = "tram"  # Basic auth with this user and `token` as the password is also OK
    methods: list[str] = field(default_factory=list)
    fail_first: int = 0  # answer 500 to this many requests
    cut_first: int = 0  # read part of the body, then drop the connection
    storage_full: bool = False
    read_limit: int = 0  # bytes/s while reading the body; 0 = unthrottled (a slow link)
    reply_delay_s: float = 0.0  # store first, answer later (a reply lost to a crash)
    schema: dict | None = None  # validate the "metadata" field against this JSON Schema
    requests: int = 0
    receipts: dict[str, dict] = field(default_factory=dict)  # idempotency key → receipt
    stored: list[Path] = field(default_factory=list)
    documents: list[dict] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class HttpsServer:
    """A receiving stand-in for a head-end web upload or the provincial system."""

    def __init__(self, root: Path, tls: TestCA | None, state: HttpState | None = None):
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.state = state or HttpState()
        st = self.state
        store = root

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output quiet
                pass

            def _reply(self, status: int, body: dict, extra: dict | None = None) -> None:
                data = json.dumps(body, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (extra or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def do_HEAD(self):
                if st.token and self.headers.get("Authorization") != f"Bearer {st.token}":
                    self.send_response(401)
                else:
                    self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_POST(self):
                with st.lock:
                    st.requests += 1
                length = int(self.headers.get("Content-Length", "0"))
                st.methods.append(self.command)
                basic = base64.b64encode(f"{st.basic_user}:{st.token}".encode()).decode()
                if st.token and self.headers.get("Authorization") not in (
                    f"Bearer {st.token}",
                    f"Basic {basic}",
                ):
                    self.rfile.read(length)
                    return self._reply(401, {"error": "bad token"})
                if st.cut_first > 0:
                    st.cut_first -= 1
                    self.rfile.read(min(length, 64 * 1024))
                    self.connection.shutdown(socket.SHUT_RDWR)
                    self.close_connection = True
                    return None
                body = self._read_body(length)
                if len(body) < length:
                    return None  # the client went away mid-body: nothing is stored
                if st.fail_first > 0:
                    st.fail_first -= 1
                    return self._reply(500, {"error": "temporary failure"})
                if st.storage_full:
                    return self._reply(507, {"error": "insufficient storage"})
                key = self.headers.get("Idempotency-Key", "")
                with st.lock:
                    if key and key in st.receipts:
                        return self._reply(200, st.receipts[key], {"Idempotent-Replayed": "true"})
                ctype = self.headers.get("Content-Type", "")
                if ctype.startswith("multipart/form-data"):
                    fields, audio, name = parse_multipart(ctype, body)
                else:
                    fields, audio, name = {}, body, self.path.rsplit("/", 1)[-1]
                if audio is None:
                    return self._reply(400, {"error": "no file"})
                claimed = self.headers.get("X-Content-SHA256")
                if claimed and claimed != hashlib.sha256(audio).hexdigest():
                    return self._reply(422, {"error": "X-Content-SHA256 does not match"})
                if st.schema is not None:
                    import jsonschema

                    try:
                        doc = json.loads(fields.get("metadata", ""))
                        jsonschema.validate(doc, st.schema)
                    except (ValueError, jsonschema.ValidationError) as exc:
                        return self._reply(422, {"error": f"metadata invalid: {exc}"[:300]})
                    if doc["audio"]["sha256"] != hashlib.sha256(audio).hexdigest():
                        return self._reply(422, {"error": "sha256 mismatch"})
                    st.documents.append(doc)
                with st.lock:
                    n = len(st.stored) + 1
                    path = store / f"{n:03d}-{name}"
                    path.write_bytes(audio)
                    st.stored.append(path)
                    receipt = {
                        "data": {"id": f"R{n:05d}"},
                        "id": f"R{n:05d}",
                        "sha256": hashlib.sha256(audio).hexdigest(),
                        "fields": {k: v for k, v in fields.items() if k != "metadata"},
                    }
                    if key:
                        st.receipts[key] = receipt
                if st.reply_delay_s:
                    time.sleep(st.reply_delay_s)
                return self._reply(201, receipt)

            def _read_body(self, length: int) -> bytes:
                if not st.read_limit:
                    return self.rfile.read(length)
                parts, got = [], 0
                step = max(1, st.read_limit // 20)
                while got < length:
                    chunk = self.rfile.read(min(step, length - got))
                    if not chunk:
                        break
                    parts.append(chunk)
                    got += len(chunk)
                    time.sleep(len(chunk) / st.read_limit)
                return b"".join(parts)

            do_PUT = do_POST

        self.port = free_port()
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        # A client killed on purpose makes the late reply fail: expected, not worth a traceback.
        self.server.handle_error = lambda request, client_address: None
        self.tls = tls is not None
        if tls:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(tls.cert_file, tls.key_file)
            self.server.socket = ctx.wrap_socket(self.server.socket, server_side=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "/upload") -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}{path}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


def load_schema() -> dict[str, Any]:
    return json.loads((ROOT / "docs" / "province-bulletin.schema.json").read_text("utf-8"))
