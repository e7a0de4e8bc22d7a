"""The balance in the window: every edit is balanced in its own undo step, the per-clip
switch, the ducking points dragged in the timeline, the balance dialog (offscreen)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt

from audio.timeline import Clip, TrackRole
from studio import edits, history
from studio.edits import ClipRef, add_source_clip
from studio.paths import StudioHome
from studio.programme import Programme, save_programme
from studio.settings import Settings
from tests.loudness_material import RATE, music, speech, write
from tests.ui_support import ScriptedPrompts, fake_factory


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    from ui.app import build_window, install_features

    monkeypatch.setenv("STUDIO_HOME", str(tmp_path / "home"))
    home = StudioHome(tmp_path / "home").ensure()
    w = build_window(
        home, Settings(home.settings_file), player_factory=fake_factory, synchronous_jobs=True
    )
    w.prompts = ScriptedPrompts()
    install_features(w)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


@pytest.fixture
def bulletin(window, tmp_path):
    store = window.store
    v = store.import_file(write(tmp_path / "giọng.wav", speech(10.0, seed=2) * 0.1), RATE)
    b = store.import_file(write(tmp_path / "nền.wav", music(30.0) * np.float32(0.8)), RATE)
    p = Programme(title="Bản tin")
    p = add_source_clip(p, v, "Giọng đọc", 3 * RATE)
    p = add_source_clip(p, b, "Nhạc nền", 0, 0.0, TrackRole.MUSIC_BED)
    path = tmp_path / "bản tin.sttprog"
    save_programme(p, path)
    window.open_path(str(path))
    return window


def _bed(w) -> Clip:
    return w.editor.timeline.tracks[1].clips[0]


def test_an_opened_programme_is_balanced_without_an_undo_step(bulletin):
    w = bulletin
    voice, bed = w.editor.timeline.tracks[0].clips[0], _bed(w)
    assert voice.level_db > 10  # a quiet reading brought up
    assert bed.duck and bed.auto_fade and bed.end == 16 * RATE  # cut 3 s after the voice
    assert not w.editor.session.history.can_undo
    assert w.timeline_view.level_badge(voice) == f"tự động {voice.level_db:+.1f} dB"


def test_moving_the_voice_moves_the_ducking_in_the_same_undo_step(bulletin):
    w = bulletin
    before = _bed(w)
    w.editor.apply(
        edits.move_clip(w.editor.timeline, ClipRef(0, 0), 8 * RATE)[0], history.MOVE_CLIP
    )
    after = _bed(w)
    assert after.duck != before.duck and after.end == 21 * RATE
    first_dip = next(p.frame for p in after.duck if p.gain_db < 0)
    assert first_dip > 7 * RATE
    w.editor.undo()
    assert _bed(w) == before
    w.editor.redo()
    assert _bed(w) == after


def test_the_clip_switch_turns_auto_level_off_in_one_step(bulletin):
    w = bulletin
    feature = w.features.get("balance")
    assert feature.act_auto_level in w.timeline_view.context_actions
    w.editor.select([ClipRef(0, 0)])
    assert feature.act_auto_level.isEnabled() and feature.act_auto_level.isChecked()
    feature.act_auto_level.trigger()  # unchecks it
    clip = w.editor.timeline.tracks[0].clips[0]
    assert clip.auto_level is False and clip.played_gain_db == 0.0
    assert w.timeline_view.level_badge(clip) == "tự động: tắt"
    assert w.editor.session.history.undo_description == history.AUTO_LEVEL
    w.editor.undo()
    assert w.editor.timeline.tracks[0].clips[0].auto_level is True


def test_dragging_a_ducking_point_keeps_it_until_the_voice_moves(bulletin, qtbot):
    w = bulletin
    view = w.timeline_view
    view.zoom_to_fit()
    bed = _bed(w)
    rect = view.clip_rect(1, bed)
    k = next(i for i, p in enumerate(bed.duck) if p.gain_db < 0)
    x, y = view.duck_points_xy(bed, rect)[k]
    assert view.hit(x, y) == (f"duck:{k}", ClipRef(1, 0))
    vp = view.viewport()
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=QPoint(int(x), int(y)))
    qtbot.mouseMove(vp, QPoint(int(x), int(y) - 12))
    qtbot.mouseMove(vp, QPoint(int(x), int(y) - 25))
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=QPoint(int(x), int(y) - 25))
    dragged = _bed(w)
    assert dragged.duck_edited and dragged.duck[k].gain_db > bed.duck[k].gain_db
    assert w.editor.session.history.undo_description == history.DUCK_POINT
    # Another edit elsewhere keeps the dragged point …
    w.editor.set_master_gain(-1.0)
    assert _bed(w).duck == dragged.duck
    # … moving the voice works the ducking out again.
    w.editor.apply(
        edits.move_clip(w.editor.timeline, ClipRef(0, 0), 6 * RATE)[0], history.MOVE_CLIP
    )
    assert not _bed(w).duck_edited


def test_the_balance_dialog_sets_the_track_ducking_and_the_settings(bulletin):
    w = bulletin
    feature = w.features.get("balance")
    w.editor.current_track = 1
    dialog = feature.dialog()
    assert dialog.windowTitle() == "Cân bằng tự động"
    dialog.depth.setValue(20)
    dialog.bed_fade.setValue(5)
    feature.apply(dialog)
    bed = _bed(w)
    assert min(p.gain_db for p in bed.duck) == pytest.approx(-20.0)
    assert bed.fade_out == 5 * RATE
    assert w.settings.get("balance_bed_fade_s") == 5.0
    assert w.editor.timeline.tracks[1].ducking.depth_db == 20
    w.editor.undo()
    assert min(p.gain_db for p in _bed(w).duck) == pytest.approx(-12.0)
    # Switching auto-level off for the programme takes the levels out.
    dialog = feature.dialog()
    dialog.auto_level.setChecked(False)
    feature.apply(dialog)
    assert w.editor.timeline.tracks[0].clips[0].level_db == 0.0


def test_even_out_rides_a_drifting_reading_in_one_step(window, tmp_path):
    w = window
    drifting = np.concatenate([speech(12.0, seed=61), speech(12.0, seed=62) * np.float32(0.3)])
    info = w.store.import_file(write(tmp_path / "trôi.wav", drifting), RATE)
    w.editor.apply(add_source_clip(w.editor.programme, info, "Giọng đọc", 0), history.IMPORT_AUDIO)
    w.editor.select([ClipRef(0, 0)])
    feature = w.features.get("balance")
    assert feature.act_even_out in w.menus["edit"].actions()
    assert feature.even_out() == 1
    env = w.editor.timeline.tracks[0].clips[0].envelope
    assert env and max(p.gain_db for p in env) - min(p.gain_db for p in env) > 4
    assert w.editor.session.history.undo_description.vi == "Đã làm đều giọng đọc"
    w.editor.undo()
    assert w.editor.timeline.tracks[0].clips[0].envelope == ()


def test_a_new_track_takes_the_name_of_its_role(window):
    w = window
    w.add_track()
    w.add_track()
    header = w.headers.headers[-1]
    i = len(w.editor.timeline.tracks) - 1
    assert w.editor.timeline.tracks[i].name == "Rãnh 2"
    header.role.setCurrentIndex(header.role.findData("jingle"))
    header.role.activated.emit(header.role.currentIndex())
    track = w.editor.timeline.tracks[i]
    assert (track.role, track.name) == ("jingle", "Nhạc hiệu")
    assert w.editor.session.history.undo_description == history.TRACK_ROLE
    # A name the user gave stays.
    w.editor.set_track(i, history.TRACK_RENAME, name="Hiệu đài")
    header.role.setCurrentIndex(header.role.findData("music_bed"))
    header.role.activated.emit(header.role.currentIndex())
    assert w.editor.timeline.tracks[i].name == "Hiệu đài"


def test_the_mixer_shows_what_the_balance_did_per_clip(bulletin, qtbot):
    w = bulletin
    panel = w.features.get("balance").panel
    mixer = w.mixer
    row = mixer.row
    # between the track strips and the master, where the dock was empty
    assert row.indexOf(mixer.strips[-1]) < row.indexOf(panel) < row.indexOf(mixer.master)
    assert panel.table.topLevelItemCount() == 2
    voice, bed = w.editor.timeline.tracks[0].clips[0], _bed(w)
    first = panel.table.topLevelItem(0)
    assert first.text(0) == voice.name
    assert first.text(2) == f"{voice.level_db:+.1f}"  # the gain the voice clip carries
    measured = float(first.text(1))
    assert measured + voice.level_db == pytest.approx(
        w.settings.get("balance_speech_lufs"), abs=0.1
    )
    assert "giọng đọc" in first.text(3)
    assert panel.table.topLevelItem(1).text(2) == f"{bed.level_db:+.1f}"
    assert "1/1 đoạn nhạc nền tự hạ" in panel.summary.text()
    assert "1 đoạn tự nhỏ dần" in panel.summary.text()
    # the bed's strip says it dips, by the track's depth
    depth = w.editor.timeline.tracks[1].duck_settings.depth_db
    assert mixer.strips[1].balance_note.text() == f"tự hạ {depth:g} dB"
    assert mixer.strips[0].balance_note.text() == "Giọng đọc"
    # double-click: the clip is selected and the playhead goes to it
    panel.table.itemDoubleClicked.emit(panel.table.topLevelItem(1), 0)
    assert w.editor.selection == [ClipRef(1, 0)] and w.editor.playhead == bed.start
    # the panel follows an edit (after its short delay) and undo
    w.editor.select([ClipRef(0, 0)])
    w.features.get("balance").act_auto_level.trigger()
    qtbot.waitUntil(lambda: panel.table.topLevelItem(0).text(2) == "—", timeout=2000)
    assert "đã tắt" in panel.table.topLevelItem(0).text(3)
    w.editor.undo()
    qtbot.waitUntil(
        lambda: panel.table.topLevelItem(0).text(2) == f"{voice.level_db:+.1f}", timeout=2000
    )


def test_the_panel_says_when_auto_level_is_off_for_the_programme(bulletin):
    w = bulletin
    feature = w.features.get("balance")
    dialog = feature.dialog()
    dialog.auto_level.setChecked(False)
    feature.apply(dialog)
    assert feature.panel.settings_line.text().startswith("tự cân bằng mức đang TẮT")
    assert feature.panel.table.topLevelItemCount() == 0
    assert "0 đoạn đã cân bằng" in feature.panel.summary.text()


def test_the_clip_title_row_keeps_the_name_badge_and_fade_handles_apart(bulletin):
    from PySide6.QtGui import QFontMetrics

    from ui.timeline.view import HANDLE_PX

    w = bulletin
    view = w.timeline_view
    tl = w.editor.timeline
    bed = _bed(w).with_changes(fade_in=RATE)  # a fade-in handle 1 s into the title row
    w.editor.apply(tl.with_track(1, tl.tracks[1].with_changes(clips=(bed,))), history.FADE_IN)
    bed = _bed(w)
    assert bed.fade_out > 0 and bed.level_db != 0  # the balance's fade-out and level
    fm = QFontMetrics(view.font())
    for zoom in (RATE / 40, RATE / 80):  # 40 and 80 px a second
        view.set_zoom(zoom)
        view.scroll_to_frame(0, 0)
        rect = view.clip_rect(1, bed)
        x_in, x_out = view._fade_handle_xs(bed, rect)
        text_x, end, badge = view.title_row(bed, rect, fm)
        assert text_x >= x_in + HANDLE_PX / 2  # the name starts after the fade-in handle
        assert badge is not None
        assert badge.right() <= x_out - HANDLE_PX / 2  # the badge ends before the fade-out's
        assert end <= badge.left()  # and the name stops before the badge
