"""The studio window driven through its real widgets (offscreen): drag, trim, split, undo,
redo, save, reopen, and the rendered audio compared with what the pure edits predict."""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pytest
import shiboken6
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtWidgets import QApplication

from studio import edits
from studio.edits import ClipRef
from studio.paths import StudioHome
from studio.programme import load_programme
from studio.settings import Settings
from tests.ui_support import RATE, FakePlayer, ScriptedPrompts, fake_factory, mix, write_demo
from ui.app import build_window
from ui.timeline.view import TITLE_H


def leaked_since(before: set[int]) -> list:
    """Top-level widgets created since `before` that still exist after deferred deletes."""
    for _ in range(3):
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QApplication.processEvents()
    return [w for w in QApplication.topLevelWidgets() if widget_key(w) not in before]


def widget_key(w) -> int:
    """The C++ object's address: Python wrappers come and go, and their id() is reused."""
    return shiboken6.getCppPointer(w)[0]


def top_level_keys() -> set[int]:
    return {widget_key(w) for w in QApplication.topLevelWidgets()}


@pytest.fixture(autouse=True)
def no_leaked_windows(qapp):
    """Fails the test if it leaves a top-level widget behind (after qtbot closed its own)."""
    before = top_level_keys()
    yield
    leaked = leaked_since(before)
    # a window sets the process language and installs translators: undo both so that later
    # tests (other areas expect English) see the defaults again
    from audio.errors import set_language
    from ui.looks import load_translations

    set_language(None)
    load_translations(qapp, "en")
    assert not leaked, f"leaked top-level widgets: {leaked}"


def test_the_leak_check_sees_a_leaked_window(qapp):
    from PySide6.QtWidgets import QDialog

    before = top_level_keys()
    orphan = QDialog()
    assert leaked_since(before) == [orphan]
    orphan.deleteLater()
    assert leaked_since(before) == []


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("STUDIO_HOME", str(tmp_path / "home"))
    return StudioHome(tmp_path / "home").ensure()


def make_window(qtbot, home, lang="vi"):
    settings = Settings(home.settings_file)
    settings.set("language", lang)
    w = build_window(home, settings, player_factory=fake_factory, synchronous_jobs=True)
    w.prompts = ScriptedPrompts()
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    return w


@pytest.fixture
def window(qtbot, home):
    return make_window(qtbot, home)


@pytest.fixture
def opened(window, tmp_path):
    path, programme = write_demo(tmp_path / "demo", window.store)
    assert window.open_path(path, ask=False)
    view = window.timeline_view
    view.set_zoom(RATE / 100)  # 100 px per second, clips well inside the view
    view.horizontalScrollBar().setValue(0)
    window.editor.snapping = False
    return window, path, programme


def clip_point(view, ref: ClipRef, where: str = "body") -> QPoint:
    clip = edits.clip_at(view.timeline, ref)
    rect = view.clip_rect(ref.track, clip)
    y = int(rect.top() + TITLE_H + (rect.height() - TITLE_H) * 0.75)
    if where == "left":
        return QPoint(int(rect.left()) + 1, y)
    if where == "right":
        return QPoint(int(rect.right()) - 1, y)
    if where == "fade_in":
        x_in, _ = view._fade_handle_xs(clip, rect)
        return QPoint(int(x_in), int(rect.top()) + 4)
    if where == "gain":
        return QPoint(int(rect.center().x()), int(round(view.gain_y(rect, clip.gain_db))))
    return QPoint(int(rect.center().x()), y)


def balanced(window, timeline):
    """`timeline` as the window's editor balances every edit (studio.balance)."""
    programme = window.editor.programme.with_changes(timeline=timeline)
    return window.editor.balancer(programme).timeline


def drag(qtbot, view, start: QPoint, end: QPoint, steps: int = 4) -> None:
    vp = view.viewport()
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=start)
    for i in range(1, steps + 1):
        p = start + (end - start) * (i / steps)
        qtbot.mouseMove(vp, p)
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=end)


def test_drag_trim_split_undo_redo_save_reopen_and_render(qtbot, opened, tmp_path, home):
    window, path, original = opened
    view = window.timeline_view
    store = window.store
    fpp = view.frames_per_px
    base = window.editor.timeline

    # drag the second voice clip 120 px right: one undo step
    start = clip_point(view, ClipRef(0, 1))
    drag(qtbot, view, start, start + QPoint(120, 0))
    expected, _ = edits.move_clips(base, [ClipRef(0, 1)], int(round(120 * fpp)))
    expected = balanced(window, expected)
    assert window.editor.timeline == expected
    assert window.editor.session.history.undo_description.vi == "Đã di chuyển đoạn"
    assert len(window.editor.session.history) == 2  # a drag is one step

    # drag the first voice clip down onto the music-bed track
    start = clip_point(view, ClipRef(0, 0))
    drag(qtbot, view, start, start + QPoint(0, view.track_height))
    expected2, _ = edits.move_clips(expected, [ClipRef(0, 0)], 0, 1)
    expected2 = balanced(window, expected2)
    assert window.editor.timeline == expected2
    assert len(window.editor.timeline.tracks[1].clips) == 2

    # trim the right edge of the (now only) voice clip 50 px to the left
    start = clip_point(view, ClipRef(0, 0), "right")
    drag(qtbot, view, start, start + QPoint(-50, 0))
    clip = edits.clip_at(expected2, ClipRef(0, 0))
    expected3, _ = edits.trim_end(expected2, ClipRef(0, 0), clip.end - int(round(50 * fpp)))
    expected3 = balanced(window, expected3)
    assert window.editor.timeline == expected3
    assert window.editor.session.history.undo_description.en == "Trimmed clip end"

    # split at the playhead with the S shortcut
    split_at = clip.start + RATE
    window.editor.set_playhead(split_at)
    window.editor.select([ClipRef(0, 0)])
    window.act_split.trigger()
    split = edits.split_at(expected3, split_at, [0])
    np.testing.assert_allclose(mix(split, store), mix(expected3, store), atol=1e-6)
    expected4 = balanced(window, split)  # each part is then levelled on its own
    assert window.editor.timeline == expected4
    assert len(window.editor.timeline.tracks[0].clips) == 2

    # undo everything step by step, then redo it all
    for _ in range(4):
        window.act_undo.trigger()
    assert window.editor.timeline == base
    assert not window.editor.session.dirty
    assert not window.act_undo.isEnabled()
    for _ in range(4):
        window.act_redo.trigger()
    assert window.editor.timeline == expected4
    assert "Tách" in window.act_undo.text()

    # save as a new file, reopen it in a fresh window, compare model and sound
    out = tmp_path / "đã sửa.sttprog"
    window.prompts.queue("save_path", str(out))
    window.act_save_as.trigger()
    assert not window.editor.session.dirty and out.exists()
    assert window.windowTitle().startswith("đã sửa.sttprog")
    assert load_programme(path) == original  # the first file is untouched
    window2 = make_window(qtbot, home)
    assert window2.open_path(str(out), ask=False)
    assert window2.editor.timeline == expected4
    np.testing.assert_array_equal(mix(window2.editor.timeline, store), mix(expected4, store))
    # and the sound really changed against the original
    assert not np.allclose(mix(expected4, store)[: len(mix(base, store))], mix(base, store))


def test_fade_and_gain_handles(qtbot, opened):
    window, _, _ = opened
    view = window.timeline_view
    start = clip_point(view, ClipRef(0, 0), "fade_in")
    drag(qtbot, view, start, start + QPoint(80, 0))
    clip = edits.clip_at(window.editor.timeline, ClipRef(0, 0))
    assert abs(clip.fade_in - 80 * view.frames_per_px) <= view.frames_per_px * 2
    assert window.editor.session.history.undo_description.en == "Changed fade-in"

    start = clip_point(view, ClipRef(0, 1), "gain")
    drag(qtbot, view, start, start + QPoint(0, 12))
    gain = edits.clip_at(window.editor.timeline, ClipRef(0, 1)).gain_db
    assert gain < -3.0
    window.act_undo.trigger()
    assert edits.clip_at(window.editor.timeline, ClipRef(0, 1)).gain_db == 0.0
    window.act_undo.trigger()
    assert edits.clip_at(window.editor.timeline, ClipRef(0, 0)).fade_in == 0

    # typed gain through the prompt (double-click on the clip)
    window.prompts.queue("number", -4.5)
    qtbot.mouseDClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=clip_point(view, ClipRef(0, 0))
    )
    assert edits.clip_at(window.editor.timeline, ClipRef(0, 0)).gain_db == -4.5


def test_range_ripple_delete_markers_and_clipboard(qtbot, opened):
    window, _, _ = opened
    view = window.timeline_view
    ed = window.editor
    base = ed.timeline
    # drag across an empty part of the voice track: from 4.2 s to 4.8 s (between the clips)
    y = int(view.track_top(0) + view.track_height / 2)
    drag(qtbot, view, QPoint(int(view.x_of(4.2 * RATE)), y), QPoint(int(view.x_of(4.8 * RATE)), y))
    a, b = ed.range
    assert (
        abs(a - 4.2 * RATE) < view.frames_per_px * 2
        and abs(b - 4.8 * RATE) < view.frames_per_px * 2
    )
    window.act_ripple.trigger()
    assert ed.timeline == balanced(window, edits.ripple_delete(base, a, b))
    assert ed.timeline.tracks[0].clips[1].start == 5 * RATE - (b - a)

    ed.set_playhead(RATE)
    window.act_marker.trigger()
    assert ed.timeline.markers[0].frame == RATE and ed.timeline.markers[0].name == "Mốc 1"

    ed.select([ClipRef(0, 0)])
    window.act_copy.trigger()
    ed.set_playhead(20 * RATE)
    window.act_paste.trigger()
    assert ed.timeline.tracks[0].clips[-1].start == 20 * RATE
    window.act_duplicate.trigger()
    assert len(ed.timeline.tracks[0].clips) == 4
    window.act_delete.trigger()
    assert len(ed.timeline.tracks[0].clips) == 3


def test_track_header_and_mixer_edit_the_model(qtbot, opened):
    window, _, _ = opened
    ed = window.editor
    header = window.headers.headers[1]
    qtbot.mouseClick(header.mute, Qt.MouseButton.LeftButton)
    assert ed.timeline.tracks[1].mute
    assert ed.session.history.undo_description.en == "Muted or unmuted track"
    strip = window.mixer.strips[0]
    assert strip.mute.isChecked() is False
    qtbot.mouseClick(strip.solo, Qt.MouseButton.LeftButton)
    assert ed.timeline.tracks[0].solo and header.solo.isChecked() is False
    assert window.headers.headers[0].solo.isChecked()
    strip.value.setValue(-7.5)
    assert ed.timeline.tracks[0].gain_db == -7.5
    assert window.headers.headers[0].gain.value() == -7.5
    window.mixer.master.value.setValue(-2.0)
    assert ed.timeline.master_gain_db == -2.0
    header.role.setCurrentIndex(2)
    header.role.activated.emit(2)
    assert ed.timeline.tracks[1].role == "jingle"
    header.name.setText("Nhạc hiệu")
    header.name.editingFinished.emit()
    assert ed.timeline.tracks[1].name == "Nhạc hiệu"
    for _ in range(6):
        window.act_undo.trigger()
    assert not ed.session.dirty


def test_playback_follows_and_hears_edits(qtbot, opened):
    window, _, _ = opened
    ed = window.editor
    window.act_play.trigger()
    player = window.playback.player
    assert isinstance(player, FakePlayer) and player.playing
    assert player.calls[-1] == ("play", 0, None, False)
    player.pos = 2 * RATE
    window.playback.poll()
    assert ed.playhead == 2 * RATE
    assert window.time_label.text() == "0:02.00"
    ed.select([ClipRef(0, 1)])
    window.act_delete.trigger()
    assert player.timelines[-1] == ed.timeline  # the edit reached the player at once
    window.act_play.trigger()  # Space again: pause, the playhead stays
    assert not player.playing and ed.playhead == 2 * RATE
    ed.set_range(RATE, 3 * RATE)
    window.act_loop.setChecked(True)
    window.act_play.trigger()
    assert player.calls[-1] == ("play", 2 * RATE, 3 * RATE, True)
    window.act_stop.trigger()
    assert not player.playing and ed.playhead == 2 * RATE
    # playback that stops by itself with an error is reported, once
    from audio.errors import StudioError

    window.act_play.trigger()
    player.playing = False
    player.error = StudioError("Playback stopped: boom.", "Phát âm thanh bị dừng: boom.")
    window.playback.poll()
    assert window.prompts.asked[-1] == ("error", "Phát âm thanh bị dừng: boom.")
    assert not window.act_play.isChecked()


def test_export_mp3_through_the_job_helper(qtbot, opened, tmp_path):
    window, _, _ = opened
    out = tmp_path / "bản tin.mp3"
    window.prompts.queue("export_path", str(out))
    window.act_export.trigger()
    assert out.exists() and out.stat().st_size > 1000
    assert window.last_export.rate == 44_100
    import soundfile as sf

    info = sf.info(str(out))
    assert abs(info.frames / info.samplerate - window.editor.timeline.length / RATE) < 0.1


def test_export_cancel_leaves_no_file(qtbot, opened, tmp_path):
    window, _, _ = opened
    window.jobs.synchronous = False
    out = tmp_path / "huỷ.mp3"
    cancelled = []
    job = window.jobs.run(
        "x",
        lambda progress: [progress(i / 1e6) for i in range(10**6)] and None,
        on_cancel=lambda: cancelled.append(True),
    )
    job.cancel()
    qtbot.waitUntil(lambda: job.finished.is_set(), timeout=5000)
    qtbot.waitUntil(lambda: bool(cancelled), timeout=5000)
    assert job.was_cancelled
    job2 = window.export_mp3(str(out))
    job2.cancel()
    assert window.jobs.wait(20_000)
    qtbot.waitUntil(lambda: job2.finished.is_set(), timeout=5000)
    assert job2.was_cancelled or job2.result is not None
    if job2.was_cancelled:
        assert not out.exists()


def test_corrupt_and_future_files_open_nothing_and_stay_unchanged(qtbot, opened, tmp_path):
    window, path, _ = opened
    before = window.editor.timeline
    for content in (b"{not json", b'{"format": "studio-truyen-thanh/programme", "version": 7}'):
        bad = tmp_path / "hỏng.sttprog"
        bad.write_bytes(content)
        assert not window.open_path(str(bad), ask=False)
        assert bad.read_bytes() == content
        assert window.editor.timeline == before
        assert window.prompts.asked[-1][0] == "error"
    assert "không bị thay đổi" in window.prompts.asked[-1][1]


def test_unsaved_changes_prompt(qtbot, opened):
    window, path, _ = opened
    window.editor.select([ClipRef(0, 0)])
    window.act_delete.trigger()
    assert window.windowTitle().startswith("bản tin.sttprog*")
    window.prompts.queue("unsaved", "cancel")
    window.act_new.trigger()
    assert window.editor.session.path is not None  # still the same document
    window.prompts.queue("unsaved", "save")
    window.act_new.trigger()
    assert window.editor.session.path is None
    assert len(load_programme(path).timeline.tracks[0].clips) == 1  # it was saved first
    assert [t.name for t in window.editor.timeline.tracks] == ["Giọng đọc", "Nhạc nền"]


def test_missing_media_is_reported_and_relinked(qtbot, window, tmp_path, home):
    from audio.media import MediaStore

    other = MediaStore(tmp_path / "other-store")
    path, _ = write_demo(tmp_path / "demo", other)  # media not in the window's store
    window.show_missing_dialog = lambda dialog: None
    assert window.open_path(path, ask=False)
    dialog = window.missing_dialog
    assert dialog.table.rowCount() == 3
    wav = str(tmp_path / "demo" / "tin 2.wav")
    window.prompts.queue("relink_path", wav)
    sid = next(r[0] for r in dialog.rows if r[1] == "tin 2.wav")
    window.relink(sid)
    assert window.store.has(sid, RATE)
    assert window.editor.session.history.undo_description.en == "Relinked missing media"
    dialog.close()


def test_autosave_and_recovery_offered_next_start(qtbot, opened, home):
    window, path, _ = opened
    window.editor.select([ClipRef(0, 0)])
    window.act_delete.trigger()
    window.autosave()
    expected = window.editor.timeline
    # simulate a crash: the recovery file stays because the session never closed
    window.editor.session._recovery = window.editor.session.recovery_path  # unchanged
    window2 = make_window(qtbot, home)
    window2.prompts.queue("confirm", True)
    assert window2.offer_recovery()
    assert window2.editor.timeline == expected
    assert window2.editor.session.dirty
    assert str(window2.editor.session.path) == path


def test_language_english_and_shortcut_help(qtbot, home):
    w = make_window(qtbot, home, lang="en")
    assert w.file_menu.title() == "&File"
    rows = w.shortcut_rows()
    keys = {r[1]: r[2] for r in rows}
    assert keys["Undo"] == "Ctrl+Z"
    assert "Ctrl+Y" in keys["Redo"] and "Ctrl+Shift+Z" in keys["Redo"]
    assert keys["Play / Pause"] == "Space"
    assert keys["Split at playhead"] == "S"
    w.editor.set_playhead(RATE * 61 + RATE // 4)
    assert w.time_label.text() == "1:01.25"


def test_vietnamese_is_the_default(qtbot, window):
    assert window.file_menu.title() == "&Tệp"
    assert window.edit_menu.title() == "&Sửa"


def test_zoom_to_the_sample_and_scroll(qtbot, opened):
    window, _, _ = opened
    view = window.timeline_view
    view.set_zoom(0.01)
    assert view.frames_per_px == pytest.approx(1 / 16)
    view.scroll_to_frame(RATE, 0.0)
    window.repaint()
    assert abs(view.frame_at(0) - RATE) <= 1
    view.zoom_to_fit()
    assert view.x_of(window.editor.timeline.length) < view.viewport().width()


def test_thousands_of_qt_calls_and_emits_do_not_exhaust_none_or_true(qapp):
    """PySide6 6.12 drops a reference to None on every void call and to True on every emit
    (Python 3.11); ui.qt_guard gives them room, or a long session would abort."""
    from PySide6.QtGui import QColor, QImage, QPainter

    from ui.timeline.editor import Editor

    ed = Editor(StudioHome(__import__("pathlib").Path("/nonexistent")))
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    p = QPainter(image)
    for i in range(20_000):
        p.setPen(QColor("#fff"))
        ed.playheadChanged.emit(i)
    p.end()
    assert sys.getrefcount(None) > 1 << 40 or sys.version_info >= (3, 12)


def test_import_audio_onto_the_current_track(qtbot, opened, tmp_path):
    from tests.ui_support import tone_file

    window, _, _ = opened
    ed = window.editor
    ed.current_track = 1
    files = [tone_file(tmp_path / "một.wav", 1.0, 440), tone_file(tmp_path / "hai.wav", 0.5, 550)]
    window.prompts.queue("import_paths", files)
    window.act_import.trigger()
    clips = ed.timeline.tracks[1].clips
    assert [c.name for c in clips[-2:]] == ["một.wav", "hai.wav"]
    assert clips[-1].start == clips[-2].end  # one after the other
    assert ed.session.history.undo_description.en == "Imported audio"
    window.act_undo.trigger()
    assert len(ed.timeline.tracks[1].clips) == 1


def test_keyboard_shortcuts_reach_the_actions(qtbot, opened):
    window, _, _ = opened
    ed = window.editor
    window.activateWindow()
    window.timeline_view.setFocus()
    ed.set_playhead(RATE)
    qtbot.keyClick(window.timeline_view, Qt.Key.Key_S)
    assert len(ed.timeline.tracks[0].clips) == 3
    qtbot.keyClick(window.timeline_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(ed.timeline.tracks[0].clips) == 2
    qtbot.keyClick(window.timeline_view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert len(ed.timeline.tracks[0].clips) == 3
    qtbot.keyClick(window.timeline_view, Qt.Key.Key_End)
    assert ed.playhead == ed.timeline.length
    qtbot.keyClick(window.timeline_view, Qt.Key.Key_Home)
    assert ed.playhead == 0


def test_studio_without_arguments_opens_the_window(qtbot, home, monkeypatch, tmp_path):
    """`studio PROGRAMME` → run_window: Vietnamese window, the programme open, exit code 0."""
    from PySide6.QtWidgets import QApplication

    import studio.__main__ as entry
    from audio.media import MediaStore

    path, programme = write_demo(tmp_path / "demo", MediaStore(home.media))
    done = Settings(home.settings_file)
    done.set("first_start_done", True)  # not a first start: no assistant before the window
    done.save()
    seen = {}

    def fake_exec():
        for _ in range(5):
            QApplication.processEvents()
        (window,) = [w for w in QApplication.topLevelWidgets() if w.objectName() == "MainWindow"]
        seen["title"] = window.windowTitle()
        seen["menu"] = window.file_menu.title()
        seen["timeline"] = window.editor.timeline
        seen["balanced"] = balanced(window, programme.timeline)
        window.playback.factory = fake_factory
        window.close()
        window.deleteLater()
        return 0

    monkeypatch.setenv("STUDIO_MAXIMISE", "0")
    monkeypatch.setattr(QApplication, "exec", staticmethod(fake_exec))
    assert entry.main([path]) == 0
    assert seen["title"].startswith("bản tin.sttprog")
    assert seen["menu"] == "&Tệp"
    assert seen["timeline"] == seen["balanced"]  # balanced as it opens


def test_recent_programmes_menu(qtbot, opened, tmp_path):
    window, path, _ = opened
    window._fill_recent()
    actions = window.recent_menu.actions()
    assert actions[0].text() == "bản tin.sttprog" and actions[0].toolTip() == os.path.abspath(path)
    assert window.settings.get("recent_programmes")[0] == os.path.abspath(path)
    out = tmp_path / "khác.sttprog"
    window.prompts.queue("save_path", str(out))
    window.act_save_as.trigger()
    window._fill_recent()
    assert [a.text() for a in window.recent_menu.actions()][:2] == [
        "khác.sttprog",
        "bản tin.sttprog",
    ]
    window.recent_menu.actions()[1].trigger()  # reopen the first one from the menu
    assert window.editor.session.path.name == "bản tin.sttprog"


def test_drag_snaps_to_a_clip_edge_and_shows_where(qtbot, opened):
    window, _, _ = opened
    view = window.timeline_view
    ed = window.editor
    ed.snapping = True
    a_end = ed.timeline.tracks[0].clips[0].end  # 4 s
    start = clip_point(view, ClipRef(0, 1))
    vp = view.viewport()
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(vp, start + QPoint(-50, 0))
    qtbot.mouseMove(vp, start + QPoint(-97, 0))  # 3 px short of the first clip's end
    assert view.snap_frame == a_end
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=start + QPoint(-97, 0))
    assert ed.timeline.tracks[0].clips[1].start == a_end
    assert view.snap_frame is None
    # Alt turns snapping off for a drag
    start = clip_point(view, ClipRef(0, 1))
    alt = Qt.KeyboardModifier.AltModifier
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, alt, start)
    qtbot.mouseMove(vp, start + QPoint(3, 0))
    qtbot.mouseMove(vp, start + QPoint(6, 0))
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, alt, start + QPoint(6, 0))
    assert ed.timeline.tracks[0].clips[1].start == a_end + int(round(6 * view.frames_per_px))
