"""The script feature in the window: the dock, the prompter (keys move the highlight), a take
per item through the recording panel, programmes from templates."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QCoreApplication, Qt

from studio.paths import StudioHome
from studio.settings import Settings
from tests.ui_support import RATE, ScriptedPrompts, fake_factory, tone_file
from ui.app import build_window, install_features

SCRIPT = "Kính thưa bà con.\n\nTin thứ nhất về mưa lớn.\n\nTin thứ hai về lúa.\n\nXin chào."


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("STUDIO_HOME", str(tmp_path / "home"))
    return StudioHome(tmp_path / "home").ensure()


@pytest.fixture(autouse=True)
def reset_language(qapp):
    yield
    from audio.errors import set_language
    from ui.looks import load_translations

    set_language(None)
    load_translations(qapp, "en")


def open_window(qtbot, home):
    w = build_window(
        home, Settings(home.settings_file), player_factory=fake_factory, synchronous_jobs=True
    )
    w.prompts = ScriptedPrompts()
    features = install_features(w)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    return w, features.get("script")


def test_apply_the_script_is_one_undo_step_and_shows_reading_times(qtbot, home):
    w, script = open_window(qtbot, home)
    assert "script" in w.docks
    script.panel.text.setPlainText(SCRIPT)
    assert script.apply_text()
    p = w.editor.programme
    assert [i.text for i in p.script.items][1] == "Tin thứ nhất về mưa lớn."
    assert script.panel.items.rowCount() == 4
    assert script.panel.items.item(1, 2).text() == "chưa đọc"  # the window speaks Vietnamese
    assert "Tổng khoảng" in script.panel.total.text()
    assert w.editor.session.history.undo_description.en == "Changed the script"
    w.act_undo.trigger()
    assert w.editor.programme.script.items == ()
    assert script.panel.items.rowCount() == 0
    w.act_redo.trigger()
    assert len(w.editor.programme.script.items) == 4
    w.close()


def test_prompter_keys_move_the_highlight_and_a_take_lands_in_place(qtbot, home, tmp_path):
    from audio.recording import Take

    w, script = open_window(qtbot, home)
    script.panel.text.setPlainText(SCRIPT)
    script.apply_text()
    prompter = script.show_prompter()
    qtbot.waitExposed(prompter)
    assert prompter.current == 0
    qtbot.keyClick(prompter, Qt.Key.Key_PageDown)  # a foot switch sends PageDown
    qtbot.keyClick(prompter, Qt.Key.Key_Space)
    assert prompter.current == 2
    qtbot.keyClick(prompter, Qt.Key.Key_PageUp)
    assert prompter.current == 1
    assert "Mục 2/4" in prompter.position.text()
    size = prompter.font_size.value()
    qtbot.keyClick(prompter, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert prompter.font_size.value() == size + 2

    # the take of item 2 arrives through the recording panel's signal, as after Stop
    rec = w.features.get("recording")
    rec.take_owner = script._take_finished
    script.recording_item = 1
    path = tone_file(tmp_path / "take.wav", 2.0, 300)
    assert rec.place_panel_take(Take(path=Path(path), rate=RATE, channels=1, frames=2 * RATE))
    p = w.editor.programme
    assert p.script.items[1].take is not None and p.script.items[0].take is None
    voice = p.timeline.tracks[p.timeline.track_index(p.script.voice_track)]
    assert [c.source_id for c in voice.clips] == [p.script.items[1].take]
    assert prompter.current == 2  # on to the next item
    assert w.editor.session.history.undo_description.en == "Recorded a script item"
    assert rec.take_owner is None  # the next panel take goes to the playhead again
    w.close()


def test_new_from_a_template_and_save_as_template(qtbot, home):
    w, script = open_window(qtbot, home)
    assert script.new_from_template("ban-tin-sang", "Bản tin sáng 02/12")
    p = w.editor.programme
    assert p.title == "Bản tin sáng 02/12" and p.script.slot_s == 900
    assert {t.name for t in p.timeline.tracks} >= {"Giọng đọc", "Nhạc hiệu", "Nhạc nền"}
    assert "15:00" in script.slot_label.text()
    # an empty library: the window says which parts are still missing
    assert "Nhạc hiệu mở đầu" in w.statusBar().currentMessage()
    path = script.save_as_template("ban-tin-cua-toi", "Bản tin của tôi")
    assert path is not None and path.exists()
    w.close()


def test_script_strings_are_vietnamese(qapp):
    from ui.looks import load_translations

    load_translations(qapp, "vi")
    assert QCoreApplication.translate("ScriptFeature", "Script") == "Kịch bản"
    assert QCoreApplication.translate("Prompter", "Record this item") == "● Thu mục này"
    assert QCoreApplication.translate("ScriptPanel", "Apply script") == "Áp dụng kịch bản"
