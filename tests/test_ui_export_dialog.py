"""The window's export dialog (File → Xuất tệp…, Ctrl+E) driven offscreen through its real
widgets: preset, target, name, folder, replace-or-not, cancel; the exported file measured."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
import soundfile as sf
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from studio.cli_loudness import measure_file
from studio.exporting import ExportService
from studio.paths import StudioHome
from studio.settings import Settings
from tests.ui_support import ScriptedPrompts, fake_factory, write_demo
from ui.app import build_window
from ui.prompts import Prompts
from ui.window.export_dialog import ExportChoice, ExportDialog


@pytest.fixture
def home(tmp_path):
    return StudioHome(tmp_path / "home").ensure()


@pytest.fixture
def window(qtbot, home, tmp_path):
    settings = Settings(home.settings_file)
    w = build_window(home, settings, player_factory=fake_factory, synchronous_jobs=True)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    path, _ = write_demo(tmp_path / "demo", w.store)
    w.prompts = ScriptedPrompts()
    assert w.open_path(path, ask=False)
    w.prompts = Prompts(w)  # the real dialogs from here on
    yield w
    w.close()


def type_text(widget, text: str) -> None:
    """Type `text` as an input method commits it (how Vietnamese letters arrive; QTest's
    key clicks take ASCII only)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def drive_modal(qtbot, steps):
    """Run `steps(dialog)` on the modal export dialog once it is open (from the event loop
    its exec() runs); the dialog is always closed, and a failed step fails the test."""
    errors: list[BaseException] = []
    polls = [0]

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ExportDialog):
            polls[0] += 1
            if polls[0] < 500:  # the dialog never opened: the test's asserts say so
                QTimer.singleShot(10, run)
            return
        try:
            steps(dialog)
        except BaseException as exc:  # re-raised in the test
            errors.append(exc)
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, run)
    return errors


def test_the_dialog_exports_the_chosen_preset_target_name_and_folder(
    qtbot, window, tmp_path, monkeypatch
):
    out = tmp_path / "gửi tỉnh"
    seen = {}
    import ui.window.documents as documents

    real_run_export = documents.run_export
    choices = []
    monkeypatch.setattr(
        documents,
        "run_export",
        lambda service, programme, choice, progress=None: (
            choices.append(choice) or real_run_export(service, programme, choice, progress)
        ),
    )

    def steps(d: ExportDialog) -> None:
        seen["preset"] = d.preset_box.currentData()  # the user's chosen one: loudspeaker
        seen["checks"] = (d.auto_level.isChecked(), d.duck.isChecked())
        seen["labels"] = (d.auto_level.text(), d.duck.text(), d.folder_button.text())
        d.preset_box.setCurrentIndex(d.preset_box.findData("province"))
        assert d.format_box.currentData() == "mp3" and d.channels_box.currentData() == 2
        d.target.setValue(-20.0)
        assert d.preset().name == "custom" and d.custom_note.isVisible()
        assert "Tuỳ chỉnh" in d.custom_note.text()

        def choose_folder(current: str) -> str:
            seen["from"] = current
            return str(out)

        d.choose_folder = choose_folder
        qtbot.mouseClick(d.folder_button, Qt.MouseButton.LeftButton)
        assert d.folder.text() == str(out)
        d.name.clear()
        type_text(d.name, "Bản tin chiều")
        d.duck.setChecked(False)
        qtbot.mouseClick(d.export_button, Qt.MouseButton.LeftButton)

    errors = drive_modal(qtbot, steps)
    job = window.export_dialog()
    assert not errors, errors
    assert seen["preset"] == "loudspeaker" and seen["checks"] == (True, True)
    assert seen["labels"] == (
        "Tự cân bằng mức theo vai trò",
        "Tự hạ nhạc nền khi có giọng đọc",
        "Chọn…",
    )
    assert seen["from"] == str(window.home.exports)  # no export yet: the home's exports
    assert job is not None and job.result is not None
    assert [(c.auto_level, c.duck, c.preset.name) for c in choices] == [(True, False, "custom")]
    target = out / "Bản tin chiều.mp3"
    assert [p.name for p in out.iterdir() if p.suffix == ".mp3"] == [target.name]
    info = sf.info(str(target))
    assert info.channels == 2 and info.samplerate == 44_100  # the province preset's
    measured = measure_file(target)
    assert measured["integrated_lufs"] == pytest.approx(-20.0, abs=0.5)
    assert measured["true_peak_dbtp"] <= -1.0 + 0.3
    assert window.last_export.preset.target_lufs == -20.0
    assert window.last_export.preset.bitrate_kbps == 128 and window.last_export.report.passed
    # the folder is remembered; a custom preset does not replace the chosen one
    assert Settings(window.home.settings_file).get("export_folder") == str(out)
    assert window.exports.chosen_name() == "loudspeaker"

    # again, to the same name: the dialog starts in the last folder and asks before replacing
    before = target.read_bytes()
    asked = {}

    def answer_no() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, answer_no)
            return
        asked["text"] = box.text()
        asked["buttons"] = sorted(b.text() for b in box.buttons())
        box.button(QMessageBox.StandardButton.No).click()

    def steps_again(d: ExportDialog) -> None:
        asked["folder"] = d.folder.text()
        d.preset_box.setCurrentIndex(d.preset_box.findData("province"))
        d.target.setValue(-20.0)
        d.name.setText("Bản tin chiều")
        QTimer.singleShot(0, answer_no)
        qtbot.mouseClick(d.export_button, Qt.MouseButton.LeftButton)
        assert d.isVisible() and d.choice is None  # "no": the dialog stays open
        qtbot.mouseClick(
            d.buttons.button(d.buttons.StandardButton.Cancel), Qt.MouseButton.LeftButton
        )

    errors = drive_modal(qtbot, steps_again)
    assert window.export_dialog() is None
    assert not errors, errors
    assert asked["folder"] == str(out)
    assert (
        asked["text"]
        == "Tệp “Bản tin chiều.mp3” đã có trong thư mục này. Bạn có muốn thay thế không?"
    )
    assert asked["buttons"] == ["&Có", "&Không"]
    assert target.read_bytes() == before


def test_cancel_writes_nothing_and_ctrl_e_opens_the_dialog(qtbot, window, tmp_path):
    out = tmp_path / "không xuất"
    opened = []

    def steps(d: ExportDialog) -> None:
        opened.append(d.windowTitle())
        d.folder.setText(str(out))
        d.name.setText("thử")
        qtbot.mouseClick(
            d.buttons.button(d.buttons.StandardButton.Cancel), Qt.MouseButton.LeftButton
        )

    errors = drive_modal(qtbot, steps)
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert not errors, errors
    assert opened == ["Xuất tệp âm thanh"]
    assert not out.exists()
    assert not list(window.home.exports.glob("*.mp3"))
    assert getattr(window, "last_export", None) is None
    assert Settings(window.home.settings_file).get("export_folder") == ""


def make_dialog(qtbot, chosen="loudspeaker", folder="/tmp"):
    service = ExportService(StudioHome.default().ensure())
    d = ExportDialog(
        service.presets(),
        service.preset(chosen),
        folder,
        lambda p: f"ban-tin-sang.{p.extension}",
    )
    qtbot.addWidget(d)
    d.show()
    return d


def test_values_make_a_custom_preset_and_the_extension_follows_the_format(qtbot):
    d = make_dialog(qtbot)
    assert d.preset().name == "loudspeaker" and not d.custom_note.isVisible()
    assert d.name.text() == "ban-tin-sang.mp3"
    d.bitrate_box.setCurrentIndex(d.bitrate_box.findData(96))
    p = d.preset()
    assert p.name == "custom" and p.bitrate_kbps == 96 and p.channels == 1
    d.bitrate_box.setCurrentIndex(d.bitrate_box.findData(64))
    assert d.preset().name == "loudspeaker"  # back to the preset's values: the preset again
    d.name.clear()
    type_text(d.name, "Tin bão.mp3")
    d.format_box.setCurrentIndex(d.format_box.findData("wav"))
    assert d.name.text() == "Tin bão.wav"  # the user's name kept, the extension follows
    assert not d.bitrate_box.isVisibleTo(d) and not d.channels_box.isVisibleTo(d)
    assert d.preset().format == "wav" and d.preset().name == "custom"
    d.preset_box.setCurrentIndex(d.preset_box.findData("archive-flac"))
    assert d.preset().name == "archive-flac" and d.name.text() == "Tin bão.flac"
    d.ceiling.setValue(-2.0)
    assert d.preset().ceiling_dbtp == -2.0 and d.preset().format == "flac"


def test_a_bad_name_is_said_in_the_dialog_and_nothing_is_chosen(qtbot, tmp_path):
    d = make_dialog(qtbot, folder=str(tmp_path))
    d.name.setText("tin/bão")
    d.accept()
    assert d.isVisible() and d.choice is None
    assert d.error.isVisible() and "Tên tệp không được có" in d.error.text()
    d.name.setText("  ")
    d.accept()
    assert d.choice is None and d.error.text() == "Hãy đặt tên cho tệp."
    d.name.setText("tin bão")
    d.duck.setChecked(False)
    d.accept()
    assert d.choice == ExportChoice(
        tmp_path / "tin bão.mp3", d.presets[0], auto_level=True, duck=False
    )
    assert not d.isVisible()


def test_the_dialog_offers_what_the_presets_accept():
    from export import presets
    from ui.window import export_dialog

    assert export_dialog.MP3_BITRATES_KBPS == presets.MP3_BITRATES_KBPS
    assert export_dialog.TARGET_RANGE_LUFS == presets.TARGET_RANGE_LUFS
    assert export_dialog.CEILING_RANGE_DBTP == presets.CEILING_RANGE_DBTP
