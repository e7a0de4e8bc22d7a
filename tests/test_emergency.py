"""The emergency bulletin end to end: speech in, one khẩn cấp copy at each emergency destination.

Against a folder and a real SFTP server on 127.0.0.1 (asyncssh), through the service, and the
same from the command line in a real process.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import soundfile as sf

from audio.errors import StudioError
from studio.credentials import MemoryCredentials
from studio.emergency import EmergencyService, default_title
from studio.export_log import ProgrammeExportRow
from studio.outbox import Outbox, OutboxWorker
from tests.conftest import noise, tone, write_wav
from tests.pubservers import SftpServer, sha256

ROOT = Path(__file__).resolve().parents[1]


def speech(
    path: Path, text: str = "Bão số chín đang đổ bộ. Đề nghị bà con vào nơi trú ẩn an toàn."
) -> Path:
    """Vietnamese speech from espeak-ng (CI installs it), else a tone over noise."""
    if shutil.which("espeak-ng"):
        subprocess.run(["espeak-ng", "-v", "vi", "-w", str(path), text], check=True)
    else:
        write_wav(path, tone(4.0, amp=0.2) + noise(4.0, channels=1, amp=0.02))
    return path


@pytest.fixture
def outbox(studio_home):
    box = Outbox.open(studio_home, MemoryCredentials())
    yield box
    box.close()


def mp3s(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.suffix == ".mp3")


def test_folder_gets_one_khan_cap_copy_first_in_the_outbox(studio_home, outbox, tmp_path):
    loa, tinh = tmp_path / "loa", tmp_path / "tinh"
    loa.mkdir()
    tinh.mkdir()
    outbox.add_destination("loa-xa", "folder", str(loa), emergency=True)
    outbox.add_destination("tinh", "folder", str(tinh))  # not marked: gets nothing
    ordinary = write_wav(tmp_path / "thuong.wav", tone(1.0))
    older = outbox.enqueue(ordinary, "tinh", {"title": "Tin thường"})

    service = EmergencyService(studio_home, outbox)
    before = dt.datetime.now()
    bulletin = service.broadcast(
        speech(tmp_path / "bao.wav"), None, ["Thôn Đông", " ", "Thôn Đông", "Xóm Bãi"]
    )
    assert re.fullmatch(r"Bản tin khẩn cấp \d\d:\d\d \d\d/\d\d", bulletin.title)
    assert bulletin.title in (default_title(before), default_title())
    assert bulletin.areas == ("Thôn Đông", "Xóm Bãi")
    (item,) = bulletin.items
    assert item["destination"] == "loa-xa" and item["priority"] == "khan-cap"
    assert item["metadata"]["target_areas"] == ["Thôn Đông", "Xóm Bãi"]
    assert item["metadata"]["report"]["passed"] in (True, False)  # the export's check travels
    newer = outbox.enqueue(ordinary, "tinh", {"title": "Tin thường sau"})
    assert [i["id"] for i in outbox.items()][:1] == [item["id"]], "khẩn cấp first in the outbox"
    assert {i["id"] for i in outbox.items()} == {older["id"], newer["id"], item["id"]}

    # The sender takes it before the older ordinary item.
    first = OutboxWorker(outbox).send_next()
    assert first["id"] == item["id"] and first["status"] == "verified" and first["sent_at"]
    assert mp3s(loa) == [bulletin.path.name] and sha256(loa / bulletin.path.name) == item["sha256"]
    assert mp3s(tinh) == []
    # Normalised and limited for loudspeakers, mono MP3.
    info = sf.info(str(loa / bulletin.path.name))
    assert info.channels == 1 and abs(info.duration - bulletin.duration_s) < 0.1
    report = json.loads(Path(str(bulletin.path) + ".report.json").read_text("utf-8"))
    loud = report["measurement"]
    assert abs(loud["integrated_lufs"] - -16.0) < 1.0 and loud["true_peak_dbtp"] <= -0.9, loud
    # Noted for the periodic report as an emergency bulletin.
    with outbox.db.transaction() as s:
        (row,) = s.query(ProgrammeExportRow).all()
        assert (row.title, row.priority, row.target_areas) == (
            bulletin.title, "khan-cap", ["Thôn Đông", "Xóm Bãi"],
        )  # fmt: skip
    assert set(bulletin.timings) == {"prepare", "export", "queue", "total"}


def test_no_emergency_destination_and_bad_sources_queue_nothing(studio_home, outbox, tmp_path):
    outbox.add_destination("tinh", "folder", str(tmp_path))
    service = EmergencyService(studio_home, outbox)
    wav = speech(tmp_path / "bao.wav")
    with pytest.raises(StudioError, match="No destination is marked for emergencies"):
        service.broadcast(wav, "Bão")
    outbox.set_emergency("tinh", True)
    with pytest.raises(StudioError, match="is not a file"):
        service.broadcast(tmp_path / "none.wav", "Bão")
    silent = tmp_path / "empty.wav"
    sf.write(str(silent), tone(0.0), 48_000)
    with pytest.raises(StudioError):
        service.broadcast(silent, "Bão")
    assert outbox.items() == []
    assert not any((studio_home.exports / "khan-cap").glob("*.mp3"))


def test_a_programme_file_is_a_source_too(studio_home, outbox, tmp_path):
    from studio.cli import run

    prog = tmp_path / "ban-tin.sttprog"
    assert run(["new", str(prog), "--title", "Chương trình"], studio_home) == 0
    assert (
        run(["add", str(prog), str(speech(tmp_path / "a.wav")), "--track", "Giọng"], studio_home)
        == 0
    )
    outbox.add_destination("loa", "folder", str(tmp_path), emergency=True)
    b = EmergencyService(studio_home, outbox).broadcast(prog, "Cảnh báo lũ", ["Thôn Tây"])
    assert b.title == "Cảnh báo lũ" and b.path.name == "Cảnh báo lũ.mp3"
    assert b.items[0]["metadata"]["title"] == "Cảnh báo lũ"
    again = EmergencyService(studio_home, outbox).broadcast(prog, "Cảnh báo lũ")
    assert again.path.name == "Cảnh báo lũ (2).mp3", "an earlier bulletin is never overwritten"


@pytest.mark.network
def test_sftp_gets_one_copy(studio_home, outbox, tmp_path):
    server = SftpServer(tmp_path / "sftproot", tmp_path / "keys")
    try:
        outbox.add_destination(
            "loa-sftp", "sftp", server.url("/"), server.user, {"timeout_s": 10},
            secret=server.password, emergency=True,
        )  # fmt: skip
        b = EmergencyService(studio_home, outbox).broadcast(speech(tmp_path / "bao.wav"), "Lũ quét")
        (item,) = b.items
        assert outbox.items()[0]["id"] == item["id"]
        final = OutboxWorker(outbox).send_next()
        assert final["status"] == "verified" and final["priority"] == "khan-cap"
        assert sorted(p.name for p in server.root.iterdir()) == ["Lũ quét.mp3"]
        assert sha256(server.root / "Lũ quét.mp3") == sha256(b.path)
        # A second send attempt (e.g. after a lost answer) finds it there: still one copy.
        assert OutboxWorker(outbox).send_next() is None
    finally:
        server.close()


def test_cli_emergency_wait_and_destinations_flag(tmp_path):
    home, loa = tmp_path / "home", tmp_path / "loa"
    loa.mkdir()
    env = {**os.environ, "STUDIO_HOME": str(home), "STUDIO_LANG": "en"}

    def studio(*args):
        return subprocess.run(
            [sys.executable, "-m", "studio", *args],
            capture_output=True, text=True, cwd=ROOT, env=env, timeout=120,
        )  # fmt: skip

    r = studio(
        "destinations", "add", "loa-xa", "--kind", "folder", "--url", str(loa), "--emergency"
    )
    assert r.returncode == 0, r.stderr
    r = studio("emergency", str(speech(tmp_path / "bao.wav")), "--title", "Bão số 9",
               "--area", "Thôn Đông", "--wait")  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "Queued #1 khẩn cấp → loa-xa" in r.stdout
    assert re.search(r"loa-xa has it \(\d\d:\d\d:\d\d\)", r.stdout), r.stdout
    assert mp3s(loa) == ["Bão số 9.mp3"]
    r = studio("destinations", "list", "--json")
    assert json.loads(r.stdout)[0]["emergency"] is True
    r = studio("destinations", "emergency", "loa-xa", "--off")
    assert r.returncode == 0
    r = studio("emergency", str(tmp_path / "bao.wav"))
    assert r.returncode == 1 and "No destination is marked" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
