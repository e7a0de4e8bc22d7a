"""Destination plugins against real servers on 127.0.0.1 (pyftpdlib, asyncssh, http.server+ssl)."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from export.destinations import (
    DestinationConfig,
    HostKeyChanged,
    Item,
    TransferError,
    make_destination,
)
from export.destinations.province import apply_mapping, bulletin_document
from tests.pubservers import (
    FtpServer,
    HttpsServer,
    HttpState,
    SftpServer,
    load_schema,
    make_ca,
    sha256,
)

pytestmark = pytest.mark.network


def make_item(tmp_path: Path, size: int = 600_000, name: str = "Bản tin sáng.mp3", **meta) -> Item:
    data = os.urandom(size)
    path = tmp_path / f"src-{uuid.uuid4().hex[:6]}.mp3"
    path.write_bytes(data)
    metadata = {"title": "Bản tin sáng 26/11", "duration_s": 12.5, **meta}
    return Item(path, name, hashlib.sha256(data).hexdigest(), size, uuid.uuid4().hex, metadata)


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def ca(tmp_path_factory):
    return make_ca(tmp_path_factory.mktemp("ca"))


@pytest.fixture(scope="module")
def other_ca(tmp_path_factory):
    return make_ca(tmp_path_factory.mktemp("ca2"), "Someone Else CA")


# --- folder ---------------------------------------------------------------------------------------
def test_folder_copies_verifies_and_recognises_an_earlier_copy(tmp_path):
    dest = tmp_path / "usb"
    dest.mkdir()
    d = make_destination(DestinationConfig("usb", "folder", str(dest)))
    item = make_item(tmp_path)
    plan = d.prepare(item)
    assert plan.final_name == item.name and plan.temp_name.startswith(".")
    assert not any(dest.iterdir()), "prepare() must not touch the destination"
    seen = []
    receipt = d.run(plan, seen.append)
    assert receipt.verified and not receipt.already_there
    assert seen[-1] == 1.0 and seen == sorted(seen)
    assert files_in(dest) == [item.name] and sha256(dest / item.name) == item.sha256
    again = d.run(plan)
    assert again.already_there and files_in(dest) == [item.name]


def test_folder_missing_is_a_clear_error(tmp_path):
    d = make_destination(DestinationConfig("usb", "folder", str(tmp_path / "not-mounted")))
    with pytest.raises(TransferError, match="does not exist or is not mounted"):
        d.run(d.prepare(make_item(tmp_path)))


@pytest.fixture
def small_tmpfs(tmp_path):
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mnt)])
    if r.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail("cannot mount a size-limited tmpfs for the disk-full test")
        pytest.skip("cannot mount tmpfs here")
    yield mnt
    subprocess.run(["umount", str(mnt)], check=True)


def test_folder_disk_full_leaves_no_half_file(tmp_path, small_tmpfs):
    d = make_destination(DestinationConfig("usb", "folder", str(small_tmpfs)))
    with pytest.raises(TransferError, match="is full") as err:
        d.run(d.prepare(make_item(tmp_path, size=600_000)))
    assert err.value.retryable
    assert files_in(small_tmpfs) == []


# --- FTP / FTPS -----------------------------------------------------------------------------------
@pytest.fixture
def ftp(tmp_path):
    server = FtpServer(tmp_path / "ftproot")
    yield server
    server.close()


@pytest.fixture
def ftps(tmp_path, ca):
    server = FtpServer(tmp_path / "ftpsroot", tls=ca)
    yield server
    server.close()


def ftp_dest(server: FtpServer, kind="ftp", password=None, **options):
    url = server.url("/").replace("ftp://", f"{kind}://")
    config = DestinationConfig("ftp1", kind, url, server.user, {"timeout_s": 5, **options})
    return make_destination(config, password or server.password)


def test_ftp_upload_temp_then_rename_and_retry_recognised(ftp, tmp_path):
    d = ftp_dest(ftp)
    assert d.check().endswith(" — /")  # the server's welcome and the folder it logged into
    item = make_item(tmp_path)
    plan = d.prepare(item)
    receipt = d.run(plan)
    assert receipt.verified and not receipt.already_there
    assert ftp.faults.stores == [plan.temp_name]
    assert files_in(ftp.root) == [item.name] and sha256(ftp.root / item.name) == item.sha256
    again = d.run(plan)
    assert again.already_there and ftp.faults.stores == [plan.temp_name]


def test_ftp_bad_login_530(ftp, tmp_path):
    d = ftp_dest(ftp, password="wrong")
    with pytest.raises(TransferError, match="refused the login") as err:
        d.run(d.prepare(make_item(tmp_path)))
    assert not err.value.retryable
    assert files_in(ftp.root) == []


def test_ftp_disk_full_552(ftp, tmp_path):
    ftp.faults.disk_full = True
    d = ftp_dest(ftp)
    with pytest.raises(TransferError, match="no room") as err:
        d.run(d.prepare(make_item(tmp_path)))
    assert err.value.retryable
    assert files_in(ftp.root) == []


def test_ftp_connection_cut_mid_transfer_then_retry_gives_one_copy(ftp, tmp_path):
    ftp.faults.cut_after_bytes = 200_000
    ftp.faults.cuts_left = 1
    d = ftp_dest(ftp)
    item = make_item(tmp_path, size=2_000_000)
    plan = d.prepare(item)
    with pytest.raises(TransferError) as err:
        d.run(plan)
    assert err.value.retryable
    assert item.name not in files_in(ftp.root), "no final file after a cut"
    d.run(plan)
    assert files_in(ftp.root) == [item.name] and sha256(ftp.root / item.name) == item.sha256


def test_ftp_very_slow_link_still_delivers_with_progress(ftp, tmp_path):
    ftp.faults.read_limit = 200_000  # bytes/s
    d = ftp_dest(ftp)
    item = make_item(tmp_path, size=500_000)
    seen = []
    t0 = time.monotonic()
    d.run(d.prepare(item), seen.append)
    assert time.monotonic() - t0 > 1.5, "the throttle was not in effect"
    assert len(seen) > 5 and seen[-1] == 1.0
    assert sha256(ftp.root / item.name) == item.sha256


def test_ftp_unresolvable_name(tmp_path):
    config = DestinationConfig("x", "ftp", "ftp://head-end.invalid/", "u", {"timeout_s": 5})
    d = make_destination(config, "pw")
    with pytest.raises(TransferError, match="could not be found") as err:
        d.run(d.prepare(make_item(tmp_path)))
    assert err.value.retryable


def test_ftps_with_test_ca(ftps, ca, tmp_path):
    d = ftp_dest(ftps, kind="ftps", ca_file=str(ca.ca_file))
    item = make_item(tmp_path)
    receipt = d.run(d.prepare(item))
    assert receipt.verified
    assert sha256(ftps.root / item.name) == item.sha256
    assert d.warnings() == []


def test_ftps_untrusted_certificate_refused(ftps, other_ca, tmp_path):
    d = ftp_dest(ftps, kind="ftps", ca_file=str(other_ca.ca_file))
    with pytest.raises(TransferError, match="not trusted") as err:
        d.run(d.prepare(make_item(tmp_path)))
    assert not err.value.retryable
    assert files_in(ftps.root) == []
    # Turning verification off is possible, but only explicitly, and it is flagged.
    d = ftp_dest(ftps, kind="ftps", insecure_skip_tls_verify="true")
    assert any("verification is OFF" in w for w in d.prepare(make_item(tmp_path)).warnings)
    d.run(d.prepare(make_item(tmp_path)))


# --- SFTP -------------------------------------------------------------------------------------------
@pytest.fixture
def sftp(tmp_path):
    server = SftpServer(tmp_path / "sftproot", tmp_path / "sshkeys")
    yield server
    server.close()


def sftp_dest(server: SftpServer, known_hosts: Path, password=None):
    config = DestinationConfig("s1", "sftp", server.url("/"), server.user, {"timeout_s": 5})
    return make_destination(config, password or server.password, known_hosts=known_hosts)


def test_sftp_pins_key_uploads_and_recognises_retry(sftp, tmp_path):
    known = tmp_path / "home" / "known_hosts"
    d = sftp_dest(sftp, known)
    first = d.check()
    assert "new host key pinned: ssh-ed25519 SHA256:" in first
    assert f"[127.0.0.1]:{sftp.port}" in known.read_text()
    assert "host key matches" in d.check()
    item = make_item(tmp_path)
    plan = d.prepare(item)
    receipt = d.run(plan)
    assert receipt.verified and not receipt.already_there
    assert files_in(sftp.root) == [item.name] and sha256(sftp.root / item.name) == item.sha256
    assert d.run(plan).already_there and files_in(sftp.root) == [item.name]


def test_sftp_changed_host_key_refused(sftp, tmp_path):
    import asyncssh

    known = tmp_path / "known_hosts"
    impostor = asyncssh.generate_private_key("ssh-ed25519").export_public_key("openssh")
    known.write_text(f"[127.0.0.1]:{sftp.port} {impostor.decode().strip()}\n")
    d = sftp_dest(sftp, known)
    with pytest.raises(HostKeyChanged, match="DIFFERENT host key") as err:
        d.run(d.prepare(make_item(tmp_path)))
    assert not err.value.retryable
    assert files_in(sftp.root) == []


def test_sftp_bad_login(sftp, tmp_path):
    d = sftp_dest(sftp, tmp_path / "kh", password="nope")
    with pytest.raises(TransferError, match="refused the login") as err:
        d.check()
    assert not err.value.retryable


def test_sftp_cut_mid_transfer_then_retry_gives_one_copy(sftp, tmp_path):
    sftp.cut_after_bytes = 300_000
    sftp.cuts_left = 1
    d = sftp_dest(sftp, tmp_path / "kh")
    item = make_item(tmp_path, size=1_500_000)
    plan = d.prepare(item)
    with pytest.raises(TransferError) as err:
        d.run(plan)
    assert err.value.retryable
    assert item.name not in files_in(sftp.root)
    d.run(plan)
    assert files_in(sftp.root) == [item.name] and sha256(sftp.root / item.name) == item.sha256


# --- HTTPS --------------------------------------------------------------------------------------------
@pytest.fixture
def https(tmp_path, ca):
    server = HttpsServer(tmp_path / "web", ca)
    yield server
    server.close()


def http_dest(server: HttpsServer, ca, kind="http", token=None, **options):
    opts = {"ca_file": str(ca.ca_file), "timeout_s": 5, **options}
    return make_destination(DestinationConfig("w", kind, server.url(), "", opts), token or "tok-3")


def test_https_multipart_upload_with_receipt_and_idempotency(https, ca, tmp_path):
    d = http_dest(https, ca, **{"field.station": "Xã Hoà Bình", "receipt_path": "data.id"})
    assert d.check().endswith(" HTTP 200")
    item = make_item(tmp_path)
    plan = d.prepare(item)
    receipt = d.run(plan)
    assert receipt.remote_id == "R00001" and receipt.verified
    assert len(https.state.stored) == 1 and sha256(https.state.stored[0]) == item.sha256
    assert https.state.stored[0].name.endswith(item.name), "Vietnamese file name kept"
    assert https.state.receipts[item.idempotency_key]["fields"] == {"station": "Xã Hoà Bình"}
    again = d.run(plan)  # a retry of an item that had arrived
    assert again.already_there and again.remote_id == "R00001"
    assert len(https.state.stored) == 1


def test_https_raw_body(https, ca, tmp_path):
    d = make_destination(
        DestinationConfig(
            "raw",
            "http",
            https.url("/files/{name}"),
            "",
            {"ca_file": str(ca.ca_file), "body": "raw"},
        ),
        "tok-3",
    )
    item = make_item(tmp_path, name="ban-tin.mp3")
    d.run(d.prepare(item))
    assert [p.name for p in https.state.stored] == ["001-ban-tin.mp3"]
    assert sha256(https.state.stored[0]) == item.sha256


def test_https_500_then_200(https, ca, tmp_path):
    https.state.fail_first = 1
    d = http_dest(https, ca)
    plan = d.prepare(make_item(tmp_path))
    with pytest.raises(TransferError, match="500") as err:
        d.run(plan)
    assert err.value.retryable
    assert d.run(plan).remote_id == "R00001" and len(https.state.stored) == 1


def test_https_bad_token_401(https, ca, tmp_path):
    d = http_dest(https, ca, token="wrong")
    with pytest.raises(TransferError, match="refused the credentials") as err:
        d.run(d.prepare(make_item(tmp_path)))
    assert not err.value.retryable
    with pytest.raises(TransferError, match="401"):
        d.check()
    assert https.state.stored == []


def test_https_cut_mid_body_then_retry(https, ca, tmp_path):
    https.state.cut_first = 1
    d = http_dest(https, ca)
    plan = d.prepare(make_item(tmp_path, size=3_000_000))
    with pytest.raises(TransferError) as err:
        d.run(plan)
    assert err.value.retryable
    d.run(plan)
    assert len(https.state.stored) == 1


def test_https_storage_full_507(https, ca, tmp_path):
    https.state.storage_full = True
    d = http_dest(https, ca)
    with pytest.raises(TransferError, match="no room"):
        d.run(d.prepare(make_item(tmp_path)))
    assert https.state.stored == []


def test_https_untrusted_certificate(https, other_ca, tmp_path):
    d = http_dest(https, other_ca)
    with pytest.raises(TransferError, match="not trusted") as err:
        d.run(d.prepare(make_item(tmp_path)))
    assert not err.value.retryable
    assert https.state.requests == 0
    # and the system trust store does not know our test CA either
    d = make_destination(DestinationConfig("w", "http", https.url(), "", {}), "tok-3")
    with pytest.raises(TransferError, match="not trusted"):
        d.check()


def test_https_very_slow_server_times_out_clearly(tmp_path, ca):
    import socket
    import threading

    # A server that accepts and then never answers: a dead rural link.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    held = []
    threading.Thread(target=lambda: held.append(listener.accept()), daemon=True).start()
    d = make_destination(
        DestinationConfig("w", "http", f"https://127.0.0.1:{port}/u", "", {"timeout_s": 1}), "t"
    )
    t0 = time.monotonic()
    with pytest.raises(TransferError, match="did not answer in time") as err:
        d.run(d.prepare(make_item(tmp_path)))
    assert err.value.retryable and time.monotonic() - t0 < 5
    listener.close()


# --- province -------------------------------------------------------------------------------------
SCHEDULE = {
    "start_date": "2026-11-27",
    "end_date": "2026-11-30",
    "weekdays": [1, 3, 5],
    "times": ["06:30", "17:00"],
    "repeat_count": 2,
    "repeat_gap_s": 10,
}


@pytest.fixture
def province(tmp_path, ca):
    server = HttpsServer(tmp_path / "province", ca, HttpState(schema=load_schema()))
    yield server
    server.close()


def test_province_document_matches_schema_and_arrives(province, ca, tmp_path):
    d = http_dest(province, ca, kind="province")
    item = make_item(
        tmp_path,
        priority="khan-cap",
        summary="Tin bão số 9",
        category="Phòng chống thiên tai",
        target_areas=["Thôn Đông", "Xóm Bãi"],
        schedule=SCHEDULE,
        author="Nguyễn Thị Hà",
        report={"integrated_lufs": -16.0, "true_peak_dbtp": -1.2, "ready": True},
    )
    d.run(d.prepare(item))
    assert len(province.state.documents) == 1
    doc = province.state.documents[0]
    assert doc["priority"] == "khan-cap" and doc["priority_label"] == "Khẩn cấp"
    assert doc["target_areas"] == ["Thôn Đông", "Xóm Bãi"]
    assert doc["audio"]["sha256"] == item.sha256 and doc["schedule"] == SCHEDULE
    assert doc["broadcast_ready_report"]["ready"] is True


def test_province_rejects_invalid_document(province, ca, tmp_path):
    d = http_dest(province, ca, kind="province")
    item = make_item(tmp_path, schedule={"start_date": "26/11/2026"})
    with pytest.raises(TransferError, match="422") as err:
        d.run(d.prepare(item))
    assert not err.value.retryable
    assert province.state.stored == []


def test_province_bad_priority_fails_at_prepare(ca, tmp_path):
    config = DestinationConfig("p", "province", "https://127.0.0.1:9/x", "", {})
    with pytest.raises(TransferError, match="Unknown priority"):
        make_destination(config, "t").prepare(make_item(tmp_path, priority="urgent"))


def test_province_field_mapping(tmp_path):
    config = DestinationConfig(
        "p",
        "province",
        "https://127.0.0.1:9/x",
        "",
        {
            "field_map": '{"title": "tieu_de", "priority": "muc_do", "broadcast_ready_report": null}',
            "priority_map": '{"khan-cap": 3}',
        },
    )
    d = make_destination(config, "t")
    plan = d.prepare(make_item(tmp_path, priority="khan-cap"))
    doc = d.document(plan)
    assert doc["tieu_de"] == "Bản tin sáng 26/11" and doc["muc_do"] == 3
    assert "title" not in doc and "broadcast_ready_report" not in doc
    assert apply_mapping(bulletin_document(plan), {}, {}) == bulletin_document(plan)


def test_documented_example_matches_the_schema():
    import json
    import re

    import jsonschema

    from tests.pubservers import ROOT

    text = (ROOT / "docs" / "province-bulletin.md").read_text("utf-8")
    example = re.search(r"## The metadata document\s+```json\n(.*?)```", text, re.S).group(1)
    jsonschema.validate(json.loads(example), load_schema())


def test_same_size_different_file_is_not_taken_as_arrived(ftp, tmp_path):
    # Two CBR bulletins of the same length have the same size: only the SHA-256 counts.
    item = make_item(tmp_path, size=300_000)
    (ftp.root / item.name).write_bytes(os.urandom(300_000))  # yesterday's bulletin
    for verify in ("true", "false"):
        d = ftp_dest(ftp, verify_sha256=verify)
        receipt = d.run(d.prepare(item))
        assert not receipt.already_there
        assert sha256(ftp.root / item.name) == item.sha256
        (ftp.root / item.name).write_bytes(os.urandom(300_000))


def test_https_put_raw_with_basic_auth(https, ca, tmp_path):
    config = DestinationConfig(
        "b",
        "http",
        https.url("/files/{name}"),
        "tram",
        {"ca_file": str(ca.ca_file), "body": "raw", "method": "PUT"},
    )
    d = make_destination(config, "tok-3")
    item = make_item(tmp_path, name="ban-tin-trua.mp3")
    assert d.run(d.prepare(item)).remote_id == "R00001"
    assert https.state.methods == ["PUT"]
    d = make_destination(config, "wrong")
    with pytest.raises(TransferError, match="401"):
        d.run(d.prepare(item))


def test_ftp_real_disk_full(tmp_path, small_tmpfs):
    server = FtpServer(small_tmpfs)
    try:
        d = ftp_dest(server)
        # pyftpdlib 2.2 loses the errno and answers "426 None; transfer aborted."
        with pytest.raises(TransferError, match="aborted the transfer") as err:
            d.run(d.prepare(make_item(tmp_path, size=600_000)))
        assert err.value.retryable
        assert files_in(small_tmpfs) == [], "the partial upload is removed to free the space"
    finally:
        server.close()


def test_sftp_real_disk_full(tmp_path, small_tmpfs):
    server = SftpServer(small_tmpfs, tmp_path / "keys")
    try:
        d = sftp_dest(server, tmp_path / "kh")
        # asyncssh's server stops writing without an error; the size check catches it.
        with pytest.raises(TransferError, match="incomplete|no room") as err:
            d.run(d.prepare(make_item(tmp_path, size=600_000)))
        assert err.value.retryable
        assert files_in(small_tmpfs) == []
    finally:
        server.close()


def test_free_space_reads_like_windows_explorer(tmp_path):
    from audio.errors import set_language
    from export.destinations.base import readable_size

    assert readable_size(82925 * 1024**2) == "81 GB"
    assert readable_size(int(3.46 * 1024**3)) == "3.5 GB"
    assert readable_size(512 * 1024**2 + 7) == "512 MB"
    assert readable_size(0) == "0 MB"
    d = make_destination(DestinationConfig("usb", "folder", str(tmp_path), "", {}))
    set_language("vi")
    try:
        assert re.fullmatch(rf"{re.escape(str(tmp_path))} \(còn trống [\d.]+ [GM]B\)", d.check())
    finally:
        set_language(None)
    assert d.check().endswith(" free)")
