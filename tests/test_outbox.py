"""The outbox: persisted items, the sender, retries with back-off, resume after a crash.

Runs on SQLite and, when STUDIO_TEST_PG_URL is set (always in CI), on PostgreSQL too.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import update

from studio.credentials import MemoryCredentials
from studio.db import Base, Database
from studio.outbox import Outbox, OutboxWorker, Status, backoff_s
from studio.outbox.models import OutboxItemRow, utcnow
from studio.paths import StudioHome
from tests.pubservers import HttpsServer, make_ca, sha256

pytestmark = pytest.mark.network


@pytest.fixture(params=["sqlite", "postgres"])
def outbox(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'library.sqlite3'}"
    else:
        url = os.environ.get("STUDIO_TEST_PG_URL")
        if not url:
            if os.environ.get("CI"):
                pytest.fail("STUDIO_TEST_PG_URL is not set in CI")
            pytest.skip("no PostgreSQL (STUDIO_TEST_PG_URL)")
    db = Database(url, upgrade=False)
    names = ("destinations", "outbox_items", "outbox_senders")
    tables = [Base.metadata.tables[n] for n in names]
    Base.metadata.drop_all(db.engine, tables=tables)
    Base.metadata.create_all(db.engine, tables=tables)
    home = StudioHome(tmp_path / "home").ensure()
    box = Outbox(db, home, MemoryCredentials())
    yield box
    Base.metadata.drop_all(db.engine, tables=tables)
    db.close()


@pytest.fixture(scope="module")
def ca(tmp_path_factory):
    return make_ca(tmp_path_factory.mktemp("ca"))


@pytest.fixture
def web(tmp_path, ca):
    server = HttpsServer(tmp_path / "web", ca)
    yield server
    server.close()


def add_web(outbox: Outbox, web: HttpsServer, ca, name="web", token="tok-3"):
    outbox.add_destination(
        name, "http", web.url(), "", {"ca_file": str(ca.ca_file), "timeout_s": 5}, secret=token
    )


def audio_file(tmp_path, name="ban-tin.mp3", size=400_000):
    path = tmp_path / name
    path.write_bytes(os.urandom(size))
    return path


def make_due(outbox: Outbox, item_id: int) -> None:
    with outbox.db.transaction() as s:
        s.execute(
            update(OutboxItemRow)
            .where(OutboxItemRow.id == item_id)
            .values(next_retry_at=utcnow() - dt.timedelta(seconds=1))
        )


def test_item_keeps_the_exact_file_queued(outbox, tmp_path):
    dest = tmp_path / "usb"
    dest.mkdir()
    outbox.add_destination("usb", "folder", str(dest))
    src = audio_file(tmp_path)
    original = sha256(src)
    row = outbox.enqueue(src, "usb", {"title": "Bản tin"}, "uu-tien")
    src.write_bytes(b"edited later")  # the programme is edited after the push
    assert row["status"] == Status.QUEUED and row["sha256"] == original
    seen = []
    final = OutboxWorker(outbox, on_change=seen.append).send_next()
    assert final["status"] == Status.VERIFIED and final["attempts"] == 1
    assert [r["status"] for r in seen] == [Status.SENDING, Status.VERIFIED]
    assert sha256(dest / "ban-tin.mp3") == original
    assert outbox.item(row["id"])["sent_at"] is not None


def test_secret_never_stored_in_database(outbox, web, ca):
    add_web(outbox, web, ca, token="super-secret-token-123")
    with outbox.db.engine.connect() as conn:
        dump = " ".join(
            str(r)
            for t in ("destinations", "outbox_items")
            for r in conn.exec_driver_sql(f"select * from {t}")
        )
    assert "super-secret-token-123" not in dump
    assert outbox.credentials.get("web") == "super-secret-token-123"


def test_500_then_200_backs_off_and_sends_once(outbox, web, ca, tmp_path):
    add_web(outbox, web, ca)
    web.state.fail_first = 1
    row = outbox.enqueue(audio_file(tmp_path), "web")
    worker = OutboxWorker(outbox)
    failed = worker.send_next()
    assert failed["status"] == Status.FAILED and "500" in failed["last_error"]
    retry_at = dt.datetime.fromisoformat(failed["next_retry_at"].rstrip("Z"))
    assert 20 < (retry_at - utcnow()).total_seconds() <= backoff_s(1)
    assert worker.send_next() is None, "not due before the back-off has passed"
    make_due(outbox, row["id"])
    done = worker.send_next()
    assert done["status"] == Status.VERIFIED and done["remote_id"] == "R00001"
    assert done["attempts"] == 2 and len(web.state.stored) == 1


def test_backoff_grows_and_is_capped_sooner_for_emergencies():
    assert [backoff_s(n) for n in (1, 2, 3)] == [30, 60, 120]
    assert backoff_s(30) == 1800 and backoff_s(10_000) == 1800
    assert [backoff_s(n, "khan-cap") for n in (1, 2, 3, 4, 5, 6)] == [10, 20, 40, 80, 120, 120]
    assert backoff_s(3, "uu-tien") == 80 and backoff_s(30, "uu-tien") == 600


def test_bad_login_needs_attention_and_is_not_retried(outbox, web, ca, tmp_path):
    add_web(outbox, web, ca, token="wrong")
    row = outbox.enqueue(audio_file(tmp_path), "web")
    final = OutboxWorker(outbox).send_next()
    assert final["status"] == Status.FAILED and final["next_retry_at"] is None
    assert "refused the credentials" in final["last_error"]
    assert "từ chối" in final["last_error_vi"]
    assert [i["id"] for i in outbox.needs_attention()] == [row["id"]]
    outbox.credentials.set("web", "tok-3")  # the user fixes the password and retries
    outbox.retry(row["id"])
    assert OutboxWorker(outbox).send_next()["status"] == Status.VERIFIED
    assert outbox.needs_attention() == []


def test_unresolvable_name_fails_with_reason_and_retry_time(outbox, tmp_path):
    outbox.add_destination("far", "ftp", "ftp://head-end.invalid/", "u", {"timeout_s": 3}, "pw")
    outbox.enqueue(audio_file(tmp_path), "far")
    final = OutboxWorker(outbox).send_next()
    assert final["status"] == Status.FAILED and "could not be found" in final["last_error"]
    assert final["next_retry_at"] is not None


def test_emergency_goes_first(outbox, web, ca, tmp_path):
    add_web(outbox, web, ca)
    a = outbox.enqueue(audio_file(tmp_path, "a.mp3"), "web", priority="thuong")
    b = outbox.enqueue(audio_file(tmp_path, "b.mp3"), "web", priority="khan-cap")
    c = outbox.enqueue(audio_file(tmp_path, "c.mp3"), "web", priority="uu-tien")
    order = [r["id"] for r in OutboxWorker(outbox).drain()]
    assert order == [b["id"], c["id"], a["id"]]


def dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def claim_as(outbox: Outbox, owner: str, lease_s: float = 120) -> dict:
    row = outbox.claim(owner, lease_s)
    assert row is not None and row["status"] == Status.SENDING
    return row


def test_resumes_an_item_left_sending_by_a_dead_process(outbox, web, ca, tmp_path):
    import socket

    add_web(outbox, web, ca)
    row = outbox.enqueue(audio_file(tmp_path), "web")
    claim_as(outbox, f"{socket.gethostname()}:{dead_pid()}")
    final = OutboxWorker(outbox).send_next()
    assert final["id"] == row["id"] and final["status"] == Status.VERIFIED
    assert final["attempts"] == 2 and len(web.state.stored) == 1


def test_live_claim_is_respected_until_its_lease_runs_out(outbox, web, ca, tmp_path):
    add_web(outbox, web, ca)
    outbox.enqueue(audio_file(tmp_path), "web")
    claim_as(outbox, "other-host:4242", lease_s=120)
    assert OutboxWorker(outbox).send_next() is None
    with outbox.db.transaction() as s:
        s.execute(update(OutboxItemRow).values(lease_until=utcnow() - dt.timedelta(seconds=1)))
    assert OutboxWorker(outbox).send_next()["status"] == Status.VERIFIED


def test_arrived_before_the_crash_is_recognised_not_resent(outbox, tmp_path):
    import socket

    dest = tmp_path / "share"
    dest.mkdir()
    outbox.add_destination("share", "folder", str(dest))
    row = outbox.enqueue(audio_file(tmp_path), "share")
    claimed = claim_as(outbox, f"{socket.gethostname()}:{dead_pid()}")
    # The dead process had finished the copy but not recorded it.
    plugin = outbox.plugin("share")
    plugin.run(plugin.prepare(outbox.item_for_sending(claimed)))
    mtime = (dest / "ban-tin.mp3").stat().st_mtime_ns
    final = OutboxWorker(outbox).send_next()
    assert final["id"] == row["id"] and final["status"] == Status.VERIFIED
    assert final["metadata"]["_already_there"] is True
    assert (dest / "ban-tin.mp3").stat().st_mtime_ns == mtime
    assert sorted(p.name for p in dest.iterdir()) == ["ban-tin.mp3"]


def test_two_senders_never_send_an_item_twice(outbox, web, ca, tmp_path):
    add_web(outbox, web, ca)
    ids = {outbox.enqueue(audio_file(tmp_path, f"{i}.mp3", 50_000), "web")["id"] for i in range(8)}
    workers = [OutboxWorker(outbox) for _ in range(3)]
    for i, w in enumerate(workers):
        w.owner = f"test-host:{i}"  # three senders, as if three processes
    threads = [threading.Thread(target=w.drain) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert {i["id"] for i in outbox.items() if i["status"] == Status.VERIFIED} == ids
    assert web.state.requests == 8 and len(web.state.stored) == 8


def test_cancel_and_resend(outbox, web, ca, tmp_path):
    add_web(outbox, web, ca)
    row = outbox.enqueue(audio_file(tmp_path), "web")
    outbox.cancel(row["id"])
    assert OutboxWorker(outbox).send_next() is None
    assert web.state.stored == []
    outbox.retry(row["id"])
    first = OutboxWorker(outbox).send_next()
    again = outbox.resend(row["id"])
    assert again["idempotency_key"] != first["idempotency_key"]
    assert again["sha256"] == first["sha256"]
    OutboxWorker(outbox).send_next()
    assert len(web.state.stored) == 2  # a deliberate re-send publishes again


def test_background_thread_sends_after_wake(outbox, tmp_path):
    dest = tmp_path / "usb"
    dest.mkdir()
    outbox.add_destination("usb", "folder", str(dest))
    worker = OutboxWorker(outbox, poll_s=30)
    worker.start()
    try:
        row = outbox.enqueue(audio_file(tmp_path), "usb")
        worker.wake()
        deadline = time.monotonic() + 10
        while outbox.item(row["id"])["status"] != Status.VERIFIED:
            assert time.monotonic() < deadline, "the sender thread did not send"
            time.sleep(0.05)
    finally:
        worker.stop()


def test_bad_input_is_refused_before_queueing(outbox, tmp_path):
    from audio.errors import StudioError

    with pytest.raises(StudioError, match="no destination named"):
        outbox.enqueue(audio_file(tmp_path), "nowhere")
    outbox.add_destination("p", "province", "https://127.0.0.1:9/x", "", {}, "t")
    with pytest.raises(StudioError, match="Unknown priority"):
        outbox.enqueue(audio_file(tmp_path), "p", priority="urgent")
    with pytest.raises(StudioError, match="not a file"):
        outbox.enqueue(tmp_path / "missing.mp3", "p")
    with pytest.raises(StudioError, match="Unknown destination kind"):
        outbox.add_destination("x", "gopher", "gopher://x")
    with pytest.raises(StudioError, match="not an sftp"):
        outbox.add_destination("x", "sftp", "ftp://x")
    assert outbox.items() == []
    assert not outbox.home.outbox.exists() or list(outbox.home.outbox.iterdir()) == []


def test_remove_destination_refused_while_items_wait(outbox, tmp_path):
    from audio.errors import StudioError

    outbox.add_destination("usb", "folder", str(tmp_path))
    row = outbox.enqueue(audio_file(tmp_path, "x.mp3"), "usb")
    with pytest.raises(StudioError, match="still has items"):
        outbox.remove_destination("usb")
    outbox.cancel(row["id"])
    outbox.remove_destination("usb")
    assert outbox.destinations() == []


def test_missing_queued_copy_fails_clearly(outbox, tmp_path):
    dest = tmp_path / "usb"
    dest.mkdir()
    outbox.add_destination("usb", "folder", str(dest))
    row = outbox.enqueue(audio_file(tmp_path), "usb")
    os.unlink(row["file_path"])
    final = OutboxWorker(outbox).send_next()
    assert final["status"] == Status.FAILED and final["next_retry_at"] is None
    assert "missing or damaged" in final["last_error"]
    assert list(dest.iterdir()) == []


def test_remove_refused_while_a_failed_item_will_retry(outbox, tmp_path):
    from audio.errors import StudioError

    outbox.add_destination("usb", "folder", str(tmp_path / "not-mounted"))
    row = outbox.enqueue(audio_file(tmp_path, "y.mp3"), "usb")
    assert OutboxWorker(outbox).send_next()["next_retry_at"] is not None
    with pytest.raises(StudioError, match="still has items"):
        outbox.remove_destination("usb")
    outbox.cancel(row["id"])
    outbox.remove_destination("usb")
