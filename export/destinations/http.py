"""HTTP(S) upload destination: multipart or raw body, streamed, with an Idempotency-Key.

Options (all strings from `--option KEY=VALUE`, or JSON values):
  method            POST (default), PUT, …
  body              multipart (default) | raw
  file_field        multipart field of the audio (default "file")
  metadata_field    multipart field carrying the item's metadata as JSON (default: none)
  field.NAME=VALUE  an extra multipart field (repeatable)
  header.NAME=VALUE an extra request header (repeatable)
  auth              none | bearer | basic (default: basic with a user, else bearer with a secret)
  receipt_path      dotted JSON path of the receipt id in the response (default "id")
  receipt_sha256_path dotted JSON path of a SHA-256 the server computed (default "sha256")
  idempotency_header name of the idempotency header (default "Idempotency-Key")
  ca_file, insecure_skip_tls_verify, timeout_s
The URL may contain `{name}` (the file name, URL-quoted) for raw uploads.

HTTP has no rename, so duplicates are prevented by the Idempotency-Key: the same item always
sends the same key, and the receiving side answers a repeat with the first receipt.
"""

from __future__ import annotations

import base64
import http.client
import json
import mimetypes
import ssl
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlparse

from .base import (
    CHUNK,
    Destination,
    Item,
    Plan,
    Progress,
    Receipt,
    TransferError,
    network_error,
    redact,
    server_message,
    tls_error,
)


def json_path(document: Any, path: str) -> Any:
    """`a.b.0.c` → document["a"]["b"][0]["c"], or None when any step is missing."""
    node = document
    for step in [s for s in path.split(".") if s]:
        if isinstance(node, dict):
            node = node.get(step)
        elif isinstance(node, list) and step.isdigit() and int(step) < len(node):
            node = node[int(step)]
        else:
            return None
    return node


class HttpDestination(Destination):
    kind = "http"

    def prepare(self, item: Item) -> Plan:
        url = self.config.url.replace("{name}", quote(item.name))
        u = urlparse(url)
        if u.scheme not in ("http", "https") or not u.hostname:
            raise TransferError(
                f"'{self.config.url}' is not an http:// or https:// address.",
                f"'{self.config.url}' không phải địa chỉ http:// hoặc https://.",
                retryable=False,
            )
        return self._plan(item, url)

    def warnings(self) -> list[str]:
        w = super().warnings()
        if urlparse(self.config.url).scheme == "http":
            w.append("plain HTTP sends the credentials and the audio unencrypted")
        return w

    # --- request building ----------------------------------------------------------------------
    def _prefixed(self, prefix: str) -> dict[str, str]:
        out = {
            k[len(prefix) :]: str(v) for k, v in self.config.options.items() if k.startswith(prefix)
        }
        return out

    def extra_fields(self, plan: Plan) -> dict[str, str]:
        """Multipart fields sent beside the audio (subclasses add the metadata document)."""
        fields = self._prefixed("field.")
        meta_field = self.config.option("metadata_field")
        if meta_field:
            fields[meta_field] = json.dumps(plan.metadata, ensure_ascii=False)
        return fields

    def headers(self, plan: Plan | None) -> dict[str, str]:
        headers = {"User-Agent": "StudioTruyenThanh/0.1", "Accept": "application/json"}
        headers.update(self._prefixed("header."))
        auth = self.config.option("auth") or (
            "basic" if self.config.user else ("bearer" if self.secret else "none")
        )
        if auth == "bearer":
            if not self.secret:
                raise TransferError(
                    f"Destination '{self.config.name}' needs a token, but none is stored.",
                    f"Nơi nhận '{self.config.name}' cần mã truy cập nhưng chưa lưu.",
                    retryable=False,
                )
            headers["Authorization"] = f"Bearer {self.secret}"
        elif auth == "basic":
            token = base64.b64encode(f"{self.config.user}:{self.secret or ''}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        if plan is not None:
            headers[self.config.option("idempotency_header", "Idempotency-Key")] = (
                plan.idempotency_key
            )
            headers["X-Content-SHA256"] = plan.sha256
        return headers

    def _body(self, plan: Plan) -> tuple[str, int, Iterator[bytes]]:
        """(content type, length, chunks) of the request body; the audio is streamed from disk."""
        mime = mimetypes.guess_type(plan.final_name)[0] or "application/octet-stream"

        def file_chunks() -> Iterator[bytes]:
            with open(plan.source, "rb") as f:
                while chunk := f.read(CHUNK):
                    yield chunk

        if self.config.option("body", "multipart") == "raw":
            return mime, plan.size, file_chunks()
        boundary = f"studio-{uuid.uuid4().hex}"
        head = b""
        for name, value in self.extra_fields(plan).items():
            head += (
                (
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n'
                    f"Content-Type: {'application/json' if value.startswith('{') else 'text/plain'}"
                    f"; charset=utf-8\r\n\r\n"
                ).encode()
                + value.encode("utf-8")
                + b"\r\n"
            )
        field = self.config.option("file_field", self.default_file_field)
        # RFC 7578 §4.2: the file name goes as raw UTF-8 (what browsers send), quotes escaped.
        filename = plan.final_name.replace("\\", "_").replace('"', "%22").replace("\r", "")
        head += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
            f'filename="{filename}"\r\nContent-Type: {mime}\r\n\r\n'
        ).encode()
        tail = f"\r\n--{boundary}--\r\n".encode()

        def chunks() -> Iterator[bytes]:
            yield head
            yield from file_chunks()
            yield tail

        return (
            f"multipart/form-data; boundary={boundary}",
            len(head) + plan.size + len(tail),
            chunks(),
        )

    default_file_field = "file"

    # --- sending ---------------------------------------------------------------------------------
    def _connection(self, url: str) -> http.client.HTTPConnection:
        u = urlparse(url)
        if u.scheme == "https":
            return http.client.HTTPSConnection(
                u.hostname, u.port or 443, context=self.ssl_context(), timeout=self.timeout_s()
            )
        return http.client.HTTPConnection(u.hostname, u.port or 80, timeout=self.timeout_s())

    def _status_error(self, status: int, reason: str, body: bytes, where: str) -> TransferError:
        # Never the raw body: only the server's JSON explanation, with secrets taken out.
        text = server_message(body, self.secret)
        detail = f"HTTP {status} {redact(reason, self.secret)}" + (f": {text}" if text else "")
        if status in (401, 403):
            return TransferError(
                f"{where} refused the credentials ({detail}). Check the account or token.",
                f"{where} từ chối thông tin đăng nhập ({detail}). Hãy kiểm tra tài khoản hoặc mã.",
                retryable=False,
            )
        if status in (413, 507):
            return TransferError(
                f"{where} has no room for the file ({detail}).",
                f"{where} không còn chỗ cho tệp ({detail}).",
                retryable=status == 507,
            )
        retryable = status >= 500 or status in (408, 409, 425, 429)
        return TransferError(
            f"{where} answered {detail}.",
            f"{where} trả lời {detail}.",
            retryable=retryable,
        )

    def run(self, plan: Plan, progress: Progress | None = None) -> Receipt:
        u = urlparse(plan.target)
        where = f"{u.hostname}:{u.port or (443 if u.scheme == 'https' else 80)}"
        content_type, length, chunks = self._body(plan)
        headers = self.headers(plan)
        headers["Content-Type"] = content_type
        headers["Content-Length"] = str(length)
        path = (u.path or "/") + (f"?{u.query}" if u.query else "")
        conn = self._connection(plan.target)
        try:
            conn.putrequest(self.config.option("method", "POST").upper(), path)
            for k, v in headers.items():
                conn.putheader(k, v)
            conn.endheaders()
            sent = 0
            for chunk in chunks:
                conn.send(chunk)
                sent += len(chunk)
                if progress:
                    progress(0.95 * sent / max(1, length))
            response = conn.getresponse()
            body = response.read()
        except ssl.SSLError as exc:
            raise tls_error(exc, where) from exc
        except http.client.HTTPException as exc:
            raise TransferError(
                f"{where} broke off the upload ({type(exc).__name__}).",
                f"{where} ngắt giữa chừng khi tải lên ({type(exc).__name__}).",
            ) from exc
        except OSError as exc:
            raise network_error(exc, where) from exc
        finally:
            conn.close()
        if not 200 <= response.status < 300:
            raise self._status_error(response.status, response.reason, body, where)
        return self._receipt(plan, response, body, progress)

    def _receipt(
        self, plan: Plan, response: http.client.HTTPResponse, body: bytes, progress: Progress | None
    ) -> Receipt:
        try:
            document = json.loads(body) if body.strip() else {}
        except ValueError:
            document = {}
        remote_id = json_path(document, self.config.option("receipt_path", "id"))
        remote_sha = json_path(document, self.config.option("receipt_sha256_path", "sha256"))
        replayed = (response.getheader("Idempotent-Replayed") or "").lower() == "true"
        if isinstance(remote_sha, str) and remote_sha and remote_sha.lower() != plan.sha256:
            raise TransferError(
                "The server received a file with a different SHA-256 from the original.",
                "Máy chủ nhận được tệp có SHA-256 khác bản gốc.",
            )
        if progress:
            progress(1.0)
        return Receipt(
            location=plan.target,
            remote_id="" if remote_id is None else str(remote_id),
            verified=isinstance(remote_sha, str) and remote_sha.lower() == plan.sha256,
            already_there=replayed,
            detail=f"HTTP {response.status}",
        )

    def check(self) -> str:
        """A HEAD (or `check_url` GET) with the credentials: proves TLS, DNS and the account."""
        url = self.config.option("check_url") or self.config.url.replace("{name}", "")
        u = urlparse(url)
        where = f"{u.hostname}:{u.port or (443 if u.scheme == 'https' else 80)}"
        conn = self._connection(url)
        try:
            conn.request(
                "GET" if self.config.option("check_url") else "HEAD",
                (u.path or "/") + (f"?{u.query}" if u.query else ""),
                headers=self.headers(None),
            )
            response = conn.getresponse()
            body = response.read()
        except ssl.SSLError as exc:
            raise tls_error(exc, where) from exc
        except http.client.HTTPException as exc:
            raise TransferError(
                f"{where} gave a broken answer ({type(exc).__name__}).",
                f"{where} trả lời hỏng ({type(exc).__name__}).",
            ) from exc
        except OSError as exc:
            raise network_error(exc, where) from exc
        finally:
            conn.close()
        if response.status in (401, 403) or response.status >= 500:
            raise self._status_error(response.status, response.reason, body, where)
        return f"{where} HTTP {response.status}"
