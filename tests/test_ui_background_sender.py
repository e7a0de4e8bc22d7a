"""The window and the background sender: the status-bar note, the question on close (and the
detached `studio outbox serve --until-done` it starts), Settings → Background sending."""

from __future__ import annotations

import os
import time

import pytest

from studio.outbox import Outbox, Status
from studio.outbox.lease import SenderLease
from studio.paths import StudioHome
from studio.settings import Settings
from tests.ui_support import ScriptedPrompts, fake_factory
from ui.app import build_window
from ui.window.feature import install_features


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("STUDIO_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("STUDIO_LANG", "en")
    return StudioHome(tmp_path / "home").ensure()


@pytest.fixture(autouse=True)
def reset_language(qapp):
    yield
    from audio.errors import set_language
    from ui.looks import load_translations

    set_language(None)
    load_translations(qapp, "en")


def open_window(qtbot, home, start_worker=True):
    settings = Settings(home.settings_file)
    settings.set("language", "en")
    w = build_window(home, settings, player_factory=fake_factory, synchronous_jobs=True)
    w.prompts = ScriptedPrompts()
    features = install_features(w, start_worker=start_worker)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w, features.get("publishing")


def queue_item(home, tmp_path, folder: str = "usb") -> int:
    box = Outbox.open(home)
    try:
        box.add_destination(folder, "folder", str(tmp_path / folder))  # not plugged in yet
        src = tmp_path / "ban-tin.mp3"
        src.write_bytes(os.urandom(100_000))
        return box.enqueue(src, folder, {"title": "Bản tin"}, "khan-cap")["id"]
    finally:
        box.close()


def test_status_bar_says_whether_a_background_sender_runs(qtbot, home):
    w, pub = open_window(qtbot, home, start_worker=False)
    pub.show_sender()
    assert pub.sender_label.text() == "Background sending: off"
    service = SenderLease(pub.outbox.db, pub.outbox.origin, "pc-a:1", "service")
    assert service.acquire()
    pub.show_sender()
    assert pub.sender_label.text() == "Background sending: on"
    assert "pc-a:1" in pub.sender_label.toolTip()
    service.release()
    pub.show_sender()
    assert pub.sender_label.text() == "Background sending: off"
    w.close()


def test_the_window_waits_while_the_service_sends(qtbot, home, tmp_path):
    item = queue_item(home, tmp_path)
    (tmp_path / "usb").mkdir()
    box = Outbox.open(home)
    service = SenderLease(box.db, box.origin, "pc-a:1", "service")
    assert service.acquire()
    w, pub = open_window(qtbot, home)
    qtbot.wait(1500)
    assert box.item(item)["status"] == Status.QUEUED  # the window does not race the service
    assert not pub.worker.holding
    service.release()
    deadline = time.monotonic() + 30
    while box.item(item)["status"] != Status.VERIFIED:  # the window takes over
        assert time.monotonic() < deadline, "the window did not take over"
        qtbot.wait(50)
    box.close()
    w.close()


def test_close_with_items_waiting_offers_to_keep_sending(qtbot, home, tmp_path):
    item = queue_item(home, tmp_path)
    w, pub = open_window(qtbot, home)
    w.prompts.queue("keep_sending", "cancel", "background")
    w.close()
    assert w.isVisible(), "Cancel keeps the window open"
    assert ("keep_sending", 1) in w.prompts.asked
    (tmp_path / "usb").mkdir()  # the USB stick is plugged in as the window closes
    w.close()
    assert not w.isVisible()
    # The detached `studio outbox serve --until-done` sends it and stops by itself.
    box = Outbox.open(home)
    try:
        deadline = time.monotonic() + 120
        while box.item(item)["status"] != Status.VERIFIED:
            assert time.monotonic() < deadline, "the background sender did not send"
            time.sleep(0.2)
        deadline = time.monotonic() + 60
        while box.sender() is not None:
            assert time.monotonic() < deadline, "the background sender did not stop"
            time.sleep(0.2)
    finally:
        box.close()
    assert (tmp_path / "usb" / "ban-tin.mp3").is_file()
    assert "nothing left to send" in (home.logs / "outbox.log").read_text()


def test_close_with_nothing_waiting_asks_nothing(qtbot, home):
    w, _pub = open_window(qtbot, home)
    w.close()
    assert not w.isVisible() and not any(a[0] == "keep_sending" for a in w.prompts.asked)


def test_settings_installs_and_removes_the_logon_sender(qtbot, home, tmp_path, monkeypatch):
    from studio.outbox import service
    from ui.publishing.background import BackgroundSendingSection
    from ui.window.dialogs import SettingsDialog

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    ran = []
    monkeypatch.setattr(service, "_run", lambda argv: (ran.append(argv), (True, ""))[1])
    w, pub = open_window(qtbot, home, start_worker=False)
    sections = [s for f in w.features.values() if (s := f.settings_section())]
    dialog = SettingsDialog(w.settings, w, sections=sections)
    qtbot.addWidget(dialog)
    (section,) = dialog.findChildren(BackgroundSendingSection)
    assert "Not installed" in section.state.text() and not section.remove_button.isEnabled()
    section.install_button.click()
    (unit,) = (tmp_path / "config" / "systemd" / "user").glob("*.service")
    assert "outbox serve --home" in unit.read_text().replace('" "', " ")
    assert ran[-1][:3] == ["systemctl", "--user", "enable"]
    assert "Installed" in section.state.text() and section.remove_button.isEnabled()
    section.remove_button.click()
    assert not unit.exists() and "Not installed" in section.state.text()
    w.close()


def test_outbox_view_shows_an_interrupted_item(qtbot, home, tmp_path):
    from tests.test_outbox import dead_pid
    from ui.publishing.outbox_view import OutboxView

    queue_item(home, tmp_path)
    box = Outbox.open(home)
    try:
        import socket

        assert box.claim(f"{socket.gethostname()}:{dead_pid()}") is not None  # then killed
        view = OutboxView(box)
        qtbot.addWidget(view)
        view.refresh()
        assert view.model.data(view.model.index(0, 1)) == "Interrupted, will resume"
    finally:
        box.close()
