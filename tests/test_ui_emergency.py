"""The emergency screen, the report dialog and the emergency tick box, driven offscreen in the
whole window (real outbox, real sender thread, a folder destination)."""

from __future__ import annotations

import csv
import io
import os
import re

import pytest
from PySide6.QtGui import QKeySequence

from studio.emergency import default_title
from studio.history import IMPORT_AUDIO
from studio.outbox import Status
from tests.test_ui_integration import home, open_window, reset_language, wait_until  # noqa: F401
from tests.ui_support import tone_file


@pytest.fixture
def window(qtbot, home):  # noqa: F811 - the fixture imported above
    w, features = open_window(qtbot, home)
    yield w, features
    w.close()


def test_one_action_one_button_no_questions(qtbot, window, tmp_path):
    w, features = window
    em, pub = features["emergency"], features["publishing"]
    assert em.act_emergency in w.transport_bar.actions()
    assert em.act_emergency.shortcut() == QKeySequence("Ctrl+Shift+K")
    loa = tmp_path / "loa"
    loa.mkdir()
    pub.outbox.add_destination("loa-xa", "folder", str(loa), emergency=True)
    pub.outbox.add_destination("tinh", "folder", str(tmp_path))  # not for emergencies
    ordinary = pub.outbox.enqueue(tone_file(tmp_path / "a.wav", 1.0, 330), "tinh")

    em.act_emergency.trigger()
    screen = em.screen
    assert screen is not None and screen.isVisible()
    assert re.fullmatch(r"Bản tin khẩn cấp \d\d:\d\d \d\d/\d\d", screen.title_edit.text())
    assert "loa-xa" in screen.banner.text() and "tinh" not in screen.banner.text()
    assert not screen.broadcast_button.isEnabled(), "nothing to send yet"

    w.prompts.queue("import_paths", [tone_file(tmp_path / "bao.wav", 6.0, 440, amp=0.3)])
    screen.choose_file()
    assert screen.programme is not None and screen.broadcast_button.isEnabled()
    assert "bao.wav" in screen.source_status.text() and "0:06" in screen.source_status.text()
    screen.listen_button.click()
    assert screen.player is not None and screen.player.playing
    screen.listen_button.click()
    assert screen.player is None

    screen.title_edit.setText("Bão số 9")
    screen.areas_edit.setText("Thôn Đông, Xóm Bãi")
    asked_before = list(w.prompts.asked)
    screen.broadcast_button.click()
    assert w.prompts.asked == asked_before, "no further questions"
    bulletin = screen.bulletin
    (item,) = bulletin.items
    assert item["priority"] == "khan-cap" and item["metadata"]["target_areas"] == [
        "Thôn Đông",
        "Xóm Bãi",
    ]
    pub.view.refresh()
    assert pub.view.model.rows[0]["id"] == item["id"], "first in the outbox"
    wait_until(qtbot, lambda: pub.outbox.item(item["id"])["status"] in Status.DONE)
    wait_until(qtbot, lambda: pub.outbox.item(ordinary["id"])["status"] in Status.DONE)
    pub.view.refresh()
    assert pub.view.model.rows[0]["id"] == item["id"]
    screen.refresh_progress()
    line = screen.progress_list.item(0).text()
    assert re.fullmatch(r"loa-xa đã nhận \(\d\d:\d\d:\d\d\)", line), line  # the UI speaks vi
    assert [p.name for p in loa.iterdir()] == ["Bão số 9.mp3"]
    screen.close()
    assert em.screen is None or not em.screen.isVisible()


def test_the_open_programme_and_no_emergency_destination(qtbot, window, tmp_path):
    w, features = window
    em, pub = features["emergency"], features["publishing"]
    screen = em.open_screen()
    assert "Chưa có nơi nhận nào nhận bản tin khẩn cấp" in screen.banner.text()
    screen.use_current_programme()
    assert "còn trống" in screen.source_status.text()
    w.add_track_defaults()
    info = w.store.import_file(tone_file(tmp_path / "t.wav", 3.0, 500), 48_000)
    from studio.edits import add_source_clip

    w.editor.apply(add_source_clip(w.editor.programme, info, "Giọng đọc", 0), IMPORT_AUDIO)
    screen.use_current_programme()
    assert screen.programme is not None and not screen.broadcast_button.isEnabled()

    def tick_emergency(dialog):  # what the user does in Destinations…
        pub.outbox.add_destination("loa", "folder", str(tmp_path), emergency=True)
        dialog.close()

    pub.run_dialog = tick_emergency
    screen.destinations_button.click()
    assert "loa" in screen.banner.text() and screen.broadcast_button.isEnabled()
    screen.close()


def test_destinations_dialog_marks_for_emergencies(qtbot, window, tmp_path):
    from ui.publishing.destinations_dialog import DestinationsDialog

    _w, features = window
    outbox = features["publishing"].outbox
    dialog = DestinationsDialog(outbox)
    qtbot.addWidget(dialog)
    dialog.name.setText("loa-xa")
    dialog.kind.setCurrentIndex(dialog.kind.findData("folder"))
    dialog.url.setText(str(tmp_path))
    dialog.emergency.setChecked(True)
    assert dialog.save()
    assert outbox.emergency_destinations() == ["loa-xa"]
    dialog.clear_form()
    assert not dialog.emergency.isChecked()
    dialog.show_destination("loa-xa")
    assert dialog.emergency.isChecked()
    dialog.emergency.setChecked(False)
    assert dialog.save()
    assert outbox.emergency_destinations() == []


def test_report_dialog_previews_and_saves(qtbot, window, tmp_path):
    import datetime as dt

    from PySide6.QtCore import QDate

    from tests.report_support import seed_history

    w, features = window
    files = tmp_path / "files"
    files.mkdir()
    seed_history(w.home, files)
    dialog = features["emergency"].open_report()
    qtbot.addWidget(dialog)
    dialog.start.setDate(QDate(2026, 11, 1))
    dialog.end.setDate(QDate(2026, 11, 30))
    dialog.refresh()
    assert dialog.report.start == dt.date(2026, 11, 1)
    assert dialog.summary.text() == (
        "4 chương trình, 5 lượt gửi (3 lượt đã đến), 1 bản tin khẩn cấp"
    )
    text = dialog.preview.toPlainText()
    assert "BÁO CÁO ĐỊNH KỲ HOẠT ĐỘNG TRUYỀN THANH" in text
    assert text.index("Bản tin khẩn cấp 06:12 17/11") < text.index("Bản tin sáng 03/11")
    out = tmp_path / "r.csv"
    w.prompts.queue("save_file", str(out))
    assert dialog.save("csv") == out
    rows = list(csv.reader(io.StringIO(out.read_text("utf-8-sig"))))
    assert rows[0] == ["BÁO CÁO ĐỊNH KỲ HOẠT ĐỘNG TRUYỀN THANH"]
    pdf = dialog.save("pdf", str(tmp_path / "r.pdf"))
    assert pdf is not None and (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    dialog.close()


def test_a_window_export_is_noted_for_the_report(qtbot, window, tmp_path):
    from studio.export_log import ProgrammeExportRow

    w, features = window
    w.add_track_defaults()
    info = w.store.import_file(tone_file(tmp_path / "t.wav", 2.0, 500, amp=0.2), 48_000)
    from studio.edits import add_source_clip

    w.editor.apply(add_source_clip(w.editor.programme, info, "Giọng đọc", 0), IMPORT_AUDIO)
    out = tmp_path / "Bản tin chiều.mp3"
    w.export_mp3(str(out))
    assert out.is_file()

    def noted():
        with features["publishing"].outbox.db.transaction() as s:
            return [r.file_name for r in s.query(ProgrammeExportRow).all()]

    wait_until(qtbot, lambda: noted() == [out.name])
    assert default_title()  # the module imports without Qt
    assert os.environ["QT_QPA_PLATFORM"] == "offscreen"


def test_push_dialog_carries_a_schedule_and_refuses_a_bad_one(qtbot, window, tmp_path):
    from PySide6.QtCore import QDate, QDateTime, QTime

    from ui.publishing.push_dialog import PushDialog

    w, features = window
    dialog = PushDialog(["loa-xa", "tinh"], "Lịch tiêm phòng", "tiem-phong.mp3", w)
    qtbot.addWidget(dialog)
    assert dialog.schedule() is None  # not ticked: as soon as possible
    tomorrow = QDate.currentDate().addDays(1)
    dialog.scheduled.setChecked(True)
    dialog.start.setDateTime(QDateTime(tomorrow, QTime(6, 0)))
    dialog.until_on.setChecked(True)
    dialog.until.setDate(tomorrow.addDays(-2))
    dialog.accept()
    assert dialog.choice is None and "trước ngày bắt đầu" in dialog.error.text()
    dialog.until.setDate(tomorrow.addDays(6))
    dialog.fields.weekdays[5].setChecked(False)  # T7
    dialog.fields.weekdays[6].setChecked(False)  # CN
    dialog.times.setText("17:30, 6h")
    dialog.priority.setCurrentIndex(dialog.priority.findData("uu-tien"))
    dialog.areas.setText("Thôn Đông; Thôn Đông, Xóm Bãi")
    dialog.destination.setCurrentText("tinh")
    dialog.accept()
    choice = dialog.choice
    assert choice is not None and choice.destination == "tinh" and choice.priority == "uu-tien"
    assert choice.areas == ("Thôn Đông", "Xóm Bãi")
    assert choice.schedule.as_json() == {
        "start_date": tomorrow.toString("yyyy-MM-dd"),
        "end_date": tomorrow.addDays(6).toString("yyyy-MM-dd"),
        "weekdays": [1, 2, 3, 4, 5],
        "times": ["06:00", "17:30"],
    }

    # Through File → Push: the schedule reaches the outbox and the head-end's sidecar.
    pub = features["publishing"]
    loa = tmp_path / "loa"
    loa.mkdir()
    pub.outbox.add_destination("tinh", "folder", str(loa))
    exported = tmp_path / "tiem-phong.mp3"
    exported.write_bytes(os.urandom(20_000))
    w.last_export = type("R", (), {"path": exported})()
    w.prompts.queue("push_options", choice)
    row = pub.push()
    assert row["metadata"]["schedule"]["times"] == ["06:00", "17:30"]
    wait_until(qtbot, lambda: pub.outbox.item(row["id"])["status"] in Status.DONE)
    assert sorted(p.name for p in loa.iterdir()) == [
        "tiem-phong.mp3",
        "tiem-phong.mp3.bulletin.json",
    ]


def test_vietnamese_translations_cover_the_new_screens():
    import ast
    import xml.etree.ElementTree as ET
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    sources = set()
    for f in sorted((root / "ui" / "emergency").glob("*.py")):
        for node in ast.walk(ast.parse(f.read_text("utf-8"))):
            func = getattr(node, "func", None)
            name = getattr(func, "id", None) or getattr(func, "attr", None)
            if (
                isinstance(node, ast.Call)
                and name == "tr"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                sources.add(node.args[0].value)
    folder = root / "resources" / "translations"
    ts = folder / "emergency_vi.ts"
    translated = {
        m.find("source").text
        for f in (ts, folder / "studio_vi.ts")  # the feature's actions are with the others'
        for m in ET.parse(f).getroot().iter("message")
    }
    assert sources and sources - translated == set()
    qm = ts.with_suffix(".qm")
    assert qm.stat().st_mtime >= ts.stat().st_mtime - 1, "recompile with pyside6-lrelease"


@pytest.mark.audio_device
def test_record_on_the_screen_then_broadcast(qtbot, home, tmp_path):  # noqa: F811
    """Thu âm on the real (virtual) input, Stop, Phát khẩn cấp: it arrives."""
    import numpy as np

    from audio.playback import Player
    from audio.timeline import Clip, Timeline, Track
    from studio.settings import Settings
    from tests.pulse_device import require_pulse

    require_pulse()
    settings = Settings(home.settings_file)
    settings.set("input_device", "pulse")
    w, features = open_window(qtbot, home, settings=settings)
    try:
        pub = features["publishing"]
        loa = tmp_path / "loa"
        loa.mkdir()
        pub.outbox.add_destination("loa-xa", "folder", str(loa), emergency=True)
        screen = features["emergency"].open_screen()
        panel = screen.record_panel
        assert panel is not None
        rate = 48_000
        voice = (np.random.default_rng(5).standard_normal((6 * rate, 1)) * 0.1).astype(np.float32)
        player = Player(lambda sid: voice, rate=rate, device="pulse")
        player.set_timeline(Timeline(rate=rate, tracks=(Track("v", (Clip("v", 0, len(voice)),)),)))
        player.play()
        try:
            panel.record_button.click()
            qtbot.waitUntil(
                lambda: panel.recorder.take is not None and panel.recorder.take.frames > 2 * rate,
                timeout=8000,
            )
            panel.record_button.click()  # Stop
        finally:
            player.stop()
        qtbot.waitUntil(lambda: screen.programme is not None, timeout=8000)
        assert screen.broadcast_button.isEnabled()
        screen.broadcast_button.click()
        (item,) = screen.bulletin.items
        wait_until(qtbot, lambda: pub.outbox.item(item["id"])["status"] in Status.DONE)
        assert [p.suffix for p in loa.iterdir()] == [".mp3"]
        screen.close()
    finally:
        w.close()
