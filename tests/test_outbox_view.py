"""The outbox widget and the destinations dialog, driven as a user would (pytest-qt)."""

from __future__ import annotations

import ast
import os
import time
import xml.etree.ElementTree as ET
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator

from studio.credentials import MemoryCredentials
from studio.db import Base, Database
from studio.outbox import Outbox, OutboxWorker, Status
from studio.paths import StudioHome

ROOT = Path(__file__).resolve().parents[1]
TS = ROOT / "resources" / "translations" / "publishing_vi.ts"
QM = ROOT / "resources" / "translations" / "publishing_vi.qm"


@pytest.fixture(autouse=True)
def english(monkeypatch):
    monkeypatch.setenv("STUDIO_LANG", "en")


@pytest.fixture
def outbox(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'lib.sqlite3'}", upgrade=False)
    Base.metadata.create_all(
        db.engine,
        tables=[
            Base.metadata.tables[t] for t in ("destinations", "outbox_items", "outbox_senders")
        ],
    )
    box = Outbox(db, StudioHome(tmp_path / "home").ensure(), MemoryCredentials())
    yield box
    db.close()


def wait_until(qtbot, predicate, timeout_s=10.0):
    deadline = time.monotonic() + timeout_s
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        qtbot.wait(20)


def test_outbox_view_status_attention_and_retry(qtbot, outbox, tmp_path):
    from ui.publishing.outbox_view import OutboxView

    usb = tmp_path / "usb"
    outbox.add_destination("usb", "folder", str(usb))  # not mounted yet
    src = tmp_path / "ban-tin.mp3"
    src.write_bytes(os.urandom(100_000))
    row = outbox.enqueue(src, "usb", {"title": "Bản tin"}, "khan-cap")
    worker = OutboxWorker(outbox)
    view = OutboxView(outbox, worker)
    qtbot.addWidget(view)
    view.show()
    assert view.model.rowCount() == 1
    assert view.model.data(view.model.index(0, 1)) == "Queued"
    assert view.model.data(view.model.index(0, 5)) == "Emergency"
    assert view.notice.isHidden()

    worker.send_next()  # the folder is missing: fails, will retry
    view.refresh()
    assert view.model.data(view.model.index(0, 1)) == "Failed"
    assert "not mounted" in view.model.data(view.model.index(0, 7))
    assert view.notice.isVisible() and "tried again automatically" in view.notice.text()
    view.select_item(row["id"])
    assert view.retry_button.isEnabled() and view.cancel_button.isEnabled()

    usb.mkdir()  # the user plugs the USB stick in and presses Retry
    view.retry_button.click()
    assert outbox.item(row["id"])["status"] == Status.QUEUED
    worker.send_next()
    view.refresh()
    assert view.model.data(view.model.index(0, 1)) == "Sent and verified"
    assert view.model.data(view.model.index(0, 2)) == "100%"
    assert view.notice.isHidden()
    assert view.resend_button.isEnabled() and not view.retry_button.isEnabled()
    view.resend_button.click()
    assert view.model.rowCount() == 2


def test_attention_notice_for_an_item_that_will_not_retry(qtbot, outbox, tmp_path):
    from ui.publishing.outbox_view import OutboxView

    outbox.add_destination("web", "http", "https://127.0.0.1:9/x", "", {"auth": "none"})
    src = tmp_path / "a.mp3"
    src.write_bytes(b"x" * 1000)
    row = outbox.enqueue(src, "web")
    outbox.claim("t:1")
    from export.destinations import TransferError

    outbox.mark_failed(row["id"], TransferError("login refused", "sai mật khẩu", retryable=False))
    view = OutboxView(outbox)
    qtbot.addWidget(view)
    view.show()
    assert view.notice.isVisible()
    assert "need your attention" in view.notice.text() and "login refused" in view.notice.text()


def test_vietnamese_translation_is_complete_and_loads(qtbot, outbox):
    sources = set()
    for f in (
        "ui/publishing/outbox_view.py",
        "ui/publishing/destinations_dialog.py",
        "ui/publishing/background.py",
        "ui/publishing/push_dialog.py",
    ):
        for node in ast.walk(ast.parse((ROOT / f).read_text("utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "tr"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                sources.add(node.args[0].value)
    translated = {}
    for message in ET.parse(TS).getroot().iter("message"):
        t = message.find("translation")
        if t.get("type") != "unfinished" and t.text:
            translated[message.find("source").text] = t.text
    assert sources - set(translated) == set()
    assert QM.stat().st_mtime >= TS.stat().st_mtime - 1, "recompile the .qm with pyside6-lrelease"

    translator = QTranslator()
    assert translator.load(str(QM))
    QCoreApplication.installTranslator(translator)
    try:
        from ui.publishing.outbox_view import OutboxView

        view = OutboxView(outbox)
        qtbot.addWidget(view)
        assert view.retry_button.text() == "Thử lại"
        assert view.model.headers()[1] == "Trạng thái"
    finally:
        QCoreApplication.removeTranslator(translator)


def test_destinations_dialog_check_save_remove(qtbot, outbox, tmp_path):
    from ui.publishing.destinations_dialog import DestinationsDialog

    dialog = DestinationsDialog(outbox)
    qtbot.addWidget(dialog)
    dialog.name.setText("usb")
    dialog.kind.setCurrentIndex(dialog.kind.findData("folder"))
    dialog.url.setText(str(tmp_path / "missing"))
    dialog.check_button.click()
    wait_until(qtbot, lambda: dialog.check_button.isEnabled())
    assert dialog.result.text().startswith("Connection failed: ")
    assert "not mounted" in dialog.result.text()

    dialog.url.setText(str(tmp_path))
    dialog.check_button.click()
    wait_until(qtbot, lambda: dialog.check_button.isEnabled())
    assert dialog.result.text().startswith(f"Connection works: {tmp_path} (")
    assert dialog.result.text().endswith(" free)")
    assert dialog.save()
    assert [c.name for c in outbox.destinations()] == ["usb"]
    assert dialog.list.count() == 1

    dialog.clear_form()
    dialog.name.setText("web")
    dialog.kind.setCurrentIndex(dialog.kind.findData("http"))
    dialog.url.setText("https://127.0.0.1:9/upload")
    dialog.password.setText("token-xyz")
    dialog.options.setPlainText("insecure_skip_tls_verify=true\ntimeout_s=2")
    assert "certificate checks are switched off" in dialog.warning.text()
    assert dialog.save()
    assert outbox.credentials.get("web") == "token-xyz"
    assert dialog.password.text() == ""
    assert outbox.destination("web").options == {
        "insecure_skip_tls_verify": "true",
        "timeout_s": "2",
    }

    dialog.options.setPlainText("no equals sign")
    assert not dialog.save()
    assert "KEY=VALUE" in dialog.result.text()

    dialog.list.setCurrentRow(1)
    assert dialog.name.text() == "web"
    dialog.remove()
    assert [c.name for c in outbox.destinations()] == ["usb"]
