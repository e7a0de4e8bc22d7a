"""No English in the window when the language is Vietnamese: the main window, its docks
(also those behind another dock's tab), menus, toolbar, tooltips, column headings, the
meters' painted labels, and the window's own dialogs with their standard buttons.

The check is a heuristic (tests/vietnamese_text.py); the first test pins what it flags and
what it lets through, and the English run shows that the collector really sees the window.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtWidgets import QApplication, QWidget

from studio.paths import StudioHome
from studio.settings import Settings
from tests.ui_support import ScriptedPrompts, fake_factory, write_demo
from tests.vietnamese_text import english_in, english_words, visible_texts
from ui.app import build_window, install_features


def test_the_heuristic_flags_english_and_lets_vietnamese_through():
    assert english_words("&Save as…") == ["Save", "as"]
    assert english_words("Cancel") == ["Cancel"]
    assert english_words("Loa truyền thanh (MP3 64 kbps mono, −16 LUFS)") == ["mono"]
    assert english_words("Pk") == ["Pk"] and english_words("OK") == ["OK"]
    assert english_words("(82925 MB free)") == ["free"]
    assert english_words("+ Track") == ["Track"]
    # Vietnamese, also where a word has no marks, and what is allowed as it is
    assert english_words("Phóng to (Ctrl+=)") == []
    assert english_words("Tin xong, loa nhanh, in lại") == []
    assert english_words("Đỉnh thực −1.0 dBTP, độ lớn cả bài −16 LUFS, 48 kHz, ID3, SFTP") == []
    assert english_words("bản tin.sttprog — Studio Truyền Thanh") == []  # a file name
    assert english_words("Đã lưu /home/x/ban-tin.mp3") == []
    assert english_words("M") == []  # a single letter on a button (its tooltip says it)


@pytest.fixture
def window(qtbot, qapp, tmp_path, monkeypatch):
    def make(lang: str):
        monkeypatch.setenv("STUDIO_HOME", str(tmp_path / lang / "home"))
        home = StudioHome(tmp_path / lang / "home").ensure()
        settings = Settings(home.settings_file)
        settings.set("language", lang)
        w = build_window(home, settings, player_factory=fake_factory, synchronous_jobs=True)
        w.prompts = ScriptedPrompts()
        install_features(w, start_worker=False)
        qtbot.addWidget(w)
        w.resize(1366, 768)
        w.show()
        qtbot.waitExposed(w)
        path, _ = write_demo(tmp_path / lang / "demo", w.store)
        assert w.open_path(path, ask=False)
        return w

    yield make
    from audio.errors import set_language
    from ui.looks import load_translations

    set_language(None)  # later tests expect English
    load_translations(qapp, "en")


def system_names() -> set[str]:
    """Names the window shows as the system or the language itself gives them."""
    import sounddevice as sd

    devices = {d["name"] for d in sd.query_devices()}
    return devices | {h["name"] for h in sd.query_hostapis()} | {"English"}


def test_the_collector_sees_the_window_and_its_docks(window):
    w = window("en")
    texts = [text for _, text in visible_texts(w, tooltips=True)]
    found = english_in(w)
    assert len(found) > 30, found  # in English, the check fails all over the window
    assert any(line.startswith("toolbar action: '&Play / Pause'") for line in found)
    assert any(line.startswith("toolbar label: 'Fit'") for line in found)  # under the icon
    assert any(line.startswith("dock title: 'Mixer'") for line in found)
    assert any("column heading" in line for line in found)  # the library and outbox tables
    assert "+ Track" in texts and "Solo: hear only soloed tracks" in texts  # track headers


def test_no_english_in_the_main_window_and_its_docks(window):
    w = window("vi")
    assert english_in(w, tooltips=True, names=system_names()) == []


def test_no_english_on_the_meters_painted_labels(window):
    from ui.meters.widgets import tr

    window("vi")
    for label in ("Pk", "M", "S"):
        assert english_words(tr(label)) == [], label
    assert tr("Pk") == "Đỉnh" and tr("M") == "Tức thời" and tr("S") == "Ngắn hạn"


def _dialog_english(dialog: QWidget) -> list[str]:
    dialog.show()
    QApplication.processEvents()
    try:
        return english_in(dialog, tooltips=True, names=system_names())
    finally:
        dialog.close()


def test_no_english_in_the_window_s_own_dialogs(window):
    from ui.window.dialogs import SettingsDialog, ShortcutsDialog

    w = window("vi")
    presets = [p for p in w.exports.presets() if p.format == "mp3"]
    sections = [s for f in w.features.values() if (s := f.settings_section())]
    settings = SettingsDialog(
        w.settings, w, presets, w.exports.chosen_name(), sections, home=w.home
    )
    assert _dialog_english(settings) == []  # OK/Cancel included: "Đồng ý", "Huỷ"
    assert _dialog_english(ShortcutsDialog(w.shortcut_rows(), w)) == []
    settings.deleteLater()


def test_no_english_in_the_export_properties_balance_push_and_destinations_dialogs(window):
    from ui.publishing.destinations_dialog import DestinationsDialog
    from ui.publishing.push_dialog import PushDialog
    from ui.window.export_dialog import ExportDialog

    w = window("vi")
    p = w.editor.programme
    dialogs = [
        ExportDialog(
            w.exports.presets(),
            w.exports.preset(),
            str(w.home.exports),
            lambda preset: w.exports.file_name(p, preset),
            w,
        ),
        w.features.get("properties").dialog(),
        w.features.get("balance").dialog(),
        PushDialog(["loa-xa"], "Bản tin sáng", "ban-tin-sang.mp3", w),
        DestinationsDialog(w.features.get("publishing").outbox, w),
    ]
    for dialog in dialogs:
        assert _dialog_english(dialog) == [], dialog.objectName() or type(dialog).__name__
        dialog.deleteLater()
