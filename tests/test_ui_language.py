"""The window's language: Qt's own dialogs and buttons in Vietnamese (resources'
qtbase_vi), and STUDIO_LANG / the language setting honoured by the window."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox, QPushButton, QTreeView

from studio.settings import Settings
from tests.ui_support import ScriptedPrompts, fake_factory
from ui.app import build_window
from ui.looks import load_translations

TRANSLATIONS = Path(__file__).resolve().parent.parent / "resources" / "translations"
EXPECTED = {
    "vi": {
        "labels": ["&Tìm trong:", "&Tên tệp:", "&Kiểu tệp:"],
        "buttons": ["&Lưu", "Huỷ"],
        "columns": ["Tên", "Kích thước", "Kiểu", "Ngày sửa"],
        "yes_no": ["&Có", "&Không"],
    },
    "en": {
        "labels": ["&Look in:", "File &name:", "Files of &type:"],
        "buttons": ["&Save", "Cancel"],
        "columns": ["Name", "Size", "Type", "Date Modified"],
        "yes_no": ["&Yes", "&No"],
    },
}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_qt_file_dialog_and_message_box_speak_the_language(qtbot, qapp, tmp_path, lang):
    loaded = load_translations(qapp, lang)
    assert ("qtbase_vi.qm" in loaded) == (lang == "vi")
    # the app's save dialogs: QFileDialog's own widgets (no native dialog offscreen / on a
    # bare X server; Windows shows its own, already in the system's language)
    dialog = QFileDialog(None, "x", str(tmp_path))
    qtbot.addWidget(dialog)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.show()
    qtbot.waitExposed(dialog)
    labels = [w.text() for w in dialog.findChildren(QLabel) if w.isVisible() and w.text()]
    assert labels == EXPECTED[lang]["labels"]
    buttons = [b.text() for b in dialog.findChildren(QPushButton) if b.isVisible()]
    assert buttons == EXPECTED[lang]["buttons"]
    model = dialog.findChild(QTreeView).model()
    columns = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert columns == EXPECTED[lang]["columns"]
    dialog.close()

    box = QMessageBox(
        QMessageBox.Icon.Question,
        "x",
        "?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
    )
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    assert [b.text() for b in box.buttons()] == EXPECTED[lang]["yes_no"]
    box.close()


def test_qtbase_vi_is_complete_and_compiled():
    ts = TRANSLATIONS / "qtbase_vi.ts"
    root = ET.parse(ts).getroot()
    contexts = {c.findtext("name"): c for c in root.iter("context")}
    for name in (
        "QFileDialog",
        "QFileSystemModel",
        "QPlatformTheme",
        "QMessageBox",
        "QDialogButtonBox",
        "QLineEdit",
        "QWidgetTextControl",
        "QAbstractSpinBox",
        "QProgressDialog",
        "QInputDialog",
    ):
        assert name in contexts, name
    untranslated = [
        m.findtext("source")
        for m in root.iter("message")
        if not "".join(m.find("translation").itertext()).strip()
        or m.find("translation").get("type") == "unfinished"
    ]
    assert not untranslated
    buttons = {m.findtext("source") for m in contexts["QPlatformTheme"].iter("message")}
    assert {
        "&Yes",
        "&No",
        "OK",
        "Cancel",
        "Save",
        "Discard",
        "Yes to &All",
        "N&o to All",
    } <= buttons
    qm = TRANSLATIONS / "qtbase_vi.qm"
    assert qm.exists() and qm.stat().st_mtime >= ts.stat().st_mtime - 5


def window(qtbot, home, setting: str | None = None):
    settings = Settings(home.settings_file)
    if setting:
        settings.set("language", setting)
    w = build_window(home, settings, player_factory=fake_factory, synchronous_jobs=True)
    w.prompts = ScriptedPrompts()
    qtbot.addWidget(w)
    return w


def yes_button_text(parent) -> str:
    box = QMessageBox(parent)
    box.setStandardButtons(QMessageBox.StandardButton.Yes)
    text = box.button(QMessageBox.StandardButton.Yes).text()
    box.deleteLater()
    return text


def test_studio_lang_en_gives_an_english_window(qtbot, studio_home, monkeypatch):
    monkeypatch.setenv("STUDIO_LANG", "en")  # the language setting stays at its default, vi
    w = window(qtbot, studio_home)
    titles = [a.text() for a in w.menuBar().actions()]
    assert titles[:2] == ["&File", "&Edit"]
    assert w.statusBar().currentMessage() == "Ready"
    assert yes_button_text(w) == "&Yes"
    w.close()


def test_studio_lang_beats_the_setting_and_the_setting_works_alone(qtbot, studio_home, monkeypatch):
    monkeypatch.setenv("STUDIO_LANG", "vi")
    w = window(qtbot, studio_home, setting="en")
    assert [a.text() for a in w.menuBar().actions()][:2] == ["&Tệp", "&Sửa"]
    assert yes_button_text(w) == "&Có"
    w.close()
    monkeypatch.delenv("STUDIO_LANG")
    w = window(qtbot, studio_home, setting="en")
    assert [a.text() for a in w.menuBar().actions()][:2] == ["&File", "&Edit"]
    assert yes_button_text(w) == "&Yes"
    w.close()
    w = window(qtbot, studio_home)  # nothing chosen: Vietnamese
    assert w.file_menu.title() == "&Tệp" and yes_button_text(w) == "&Có"
    w.close()
