"""Upload throughput of our SFTP and HTTPS destinations against scp and curl, same file, same
local servers (asyncssh SFTP/scp server; http.server + TLS with a test CA), in one run.

    /work/main/.venv/bin/python bench/upload.py [--mb 50] [--runs 3]

Prints medians (MB/s) and the ratio ours ÷ reference. Our SFTP figure is shown with and without
the SHA-256 read-back verification (the default reads the upload back to prove it arrived).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from export.destinations import DestinationConfig, Item, make_destination  # noqa: E402
from tests.pubservers import HttpsServer, SftpServer, make_ca  # noqa: E402


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=int, default=50)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    import asyncssh

    tmp = Path(tempfile.mkdtemp(prefix="bench-upload-"))
    src = tmp / "programme.mp3"
    data = os.urandom(args.mb * 1_000_000)
    src.write_bytes(data)
    sha = hashlib.sha256(data).hexdigest()
    size = len(data)
    mb = size / 1e6
    results: list[tuple[str, float, float]] = []

    def item() -> Item:
        # A fresh name each run, so no run finds the file "already there".
        return Item(src, f"{uuid.uuid4().hex[:8]}.mp3", sha, size, uuid.uuid4().hex, {"title": "b"})

    # --- SFTP vs scp ---------------------------------------------------------------------------
    client_key = asyncssh.generate_private_key("ssh-ed25519")
    key_file = tmp / "id_ed25519"
    client_key.write_private_key(str(key_file))
    key_file.chmod(0o600)
    sftp = SftpServer(tmp / "sftp", tmp / "keys", client_key=client_key)
    try:
        for verify in ("true", "false"):
            config = DestinationConfig(
                "s", "sftp", sftp.url("/"), sftp.user,
                {"key_file": str(key_file), "verify_sha256": verify},
            )  # fmt: skip
            dest = make_destination(config, None, known_hosts=tmp / "known_hosts")
            t = median_time(lambda d=dest: d.run(d.prepare(item())), args.runs)
            results.append((f"ours SFTP (paramiko, verify_sha256={verify})", t, 0.0))

        def scp(*extra: str) -> None:
            name = f"scp-{uuid.uuid4().hex[:6]}.mp3"
            subprocess.run(
                [
                    "scp", "-q", *extra, "-P", str(sftp.port), "-i", str(key_file),
                    "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                    "-o", "BatchMode=yes", str(src), f"{sftp.user}@127.0.0.1:/{name}",
                ],
                check=False,
            )  # fmt: skip
            # asyncssh sends no exit status for the sftp subsystem, so scp (SFTP mode) exits 1
            # even when the copy is complete: check the file instead.
            if (sftp.root / name).stat().st_size != size:
                raise RuntimeError("scp did not deliver the whole file")

        t_scp = median_time(scp, args.runs)
        t_scp_legacy = median_time(lambda: scp("-O"), args.runs)
        results = [(n, t, t_scp) for n, t, _ in results]
        results.append(("scp (OpenSSH 9, SFTP protocol) = reference", t_scp, t_scp))
        results.append(("scp -O (legacy SCP protocol)", t_scp_legacy, t_scp))
    finally:
        sftp.close()

    # --- HTTPS vs curl -------------------------------------------------------------------------
    ca = make_ca(tmp / "ca")
    web = HttpsServer(tmp / "web", ca)
    try:
        config = DestinationConfig(
            "w", "http", web.url("/files/{name}"), "",
            {"ca_file": str(ca.ca_file), "body": "raw"},
        )  # fmt: skip
        dest = make_destination(config, web.state.token)
        t_ours = median_time(lambda: dest.run(dest.prepare(item())), args.runs)

        def curl() -> None:
            subprocess.run(
                [
                    "curl", "-sS", "-o", "/dev/null", "--fail", "--cacert", str(ca.ca_file),
                    "-X", "POST", "-T", str(src), "-H", f"Authorization: Bearer {web.state.token}",
                    "-H", "Content-Type: audio/mpeg", "-H", "Expect:",
                    "-H", f"Idempotency-Key: {uuid.uuid4().hex}",
                    web.url(f"/files/curl-{uuid.uuid4().hex[:6]}.mp3"),
                ],
                check=True,
            )  # fmt: skip

        t_curl = median_time(curl, args.runs)
        results.append(("ours HTTPS (http.client, raw body)", t_ours, t_curl))
        results.append(("curl = reference", t_curl, t_curl))
    finally:
        web.close()

    print(f"file: {mb:.0f} MB, {args.runs} runs each, median; servers on 127.0.0.1")
    print(f"{'uploader':48s} {'time s':>8s} {'MB/s':>8s} {'÷ ref time':>10s}")
    for name, t, ref in results:
        print(f"{name:48s} {t:8.2f} {mb / t:8.1f} {t / ref:10.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
