"""The whole window: the library, meters, outbox and recording panels docked and wired
(ui/*/feature.py) on the embedded default (SQLite library, local media store, no server)."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from audio.recording import TakeFile, find_unfinished_takes, journal_path, new_take_path
from studio.paths import StudioHome
from studio.settings import Settings
from tests.ui_support import RATE, ScriptedPrompts, fake_factory, tone_file, write_demo
from ui.app import build_window, install_features

FEATURE_KEYS = ("library", "meters", "publishing", "recording")
PANEL_THREADS = ("outbox-sender", "master-meter", "playback-render", "outbox-lease")


def panel_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith(PANEL_THREADS)]


def owned_by(widget, window) -> bool:
    """True for the window itself and for its menus, popups and docks (deleted with it)."""
    while widget is not None:
        if widget is window:
            return True
        widget = widget.parent()
    return False


def leaked_since(before: set[int]) -> list:
    for _ in range(3):
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QApplication.processEvents()
    return [w for w in QApplication.topLevelWidgets() if id(w) not in before]


@pytest.fixture(autouse=True)
def reset_language(qapp):
    yield
    from audio.errors import set_language
    from ui.looks import load_translations

    set_language(None)
    load_translations(qapp, "en")


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("STUDIO_HOME", str(tmp_path / "home"))
    return StudioHome(tmp_path / "home").ensure()


def open_window(qtbot, home, factory=fake_factory, settings=None):
    settings = settings or Settings(home.settings_file)
    w = build_window(home, settings, player_factory=factory, synchronous_jobs=True)
    w.prompts = ScriptedPrompts()
    features = install_features(w)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    return w, features


def wait_until(qtbot, predicate, timeout_s=15.0):
    deadline = time.monotonic() + timeout_s
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        qtbot.wait(20)


def test_panels_are_docked_and_menus_present(qtbot, home):
    w, features = open_window(qtbot, home)
    lib, meters, pub, rec = (features.get(k) for k in FEATURE_KEYS)
    assert set(w.docks) >= {"library", "meters", "outbox"}
    assert w.docks["outbox"] in w.tabifiedDockWidgets(w.mixer_dock)
    assert pub.act_push in w.file_menu.actions()
    assert pub.act_destinations in pub.menu.actions()
    assert pub.worker._thread.is_alive()
    assert meters.panel.readout.target_lufs == -16.0  # the default preset
    w.settings.set("export_preset", "ebu-r128")
    w._show_export_target()  # what the Settings dialog does after OK
    assert meters.panel.readout.target_lufs == -23.0
    assert meters.panel.graph.target_lufs == -23.0
    w.close()


def test_segment_dropped_on_a_track_becomes_a_clip_and_undo_removes_it(qtbot, home, tmp_path):
    from ui.library.segments import encode_segment_mime

    w, features = open_window(qtbot, home)
    lib, meters, pub, rec = (features.get(k) for k in FEATURE_KEYS)
    w.add_track_defaults()
    info = w.store.import_file(tone_file(tmp_path / "jingle.wav", 1.5, 660), RATE)
    seg = lib.library.add(info, title="Nhạc hiệu đầu bản tin")
    lib.dock.search_box.setText("nhạc hiệu")  # search as the user types
    wait_until(qtbot, lambda: lib.dock.model.rowCount() == 1, 10)
    assert lib.dock.model.segment(0).id == seg.id

    view = w.timeline_view
    view.set_zoom(RATE / 100)  # 100 px per second
    view.horizontalScrollBar().setValue(0)
    w.editor.snapping = False
    track = 1  # the music-bed track
    y = view.track_top(track) + view.track_height / 2
    pos = QPointF(250, y)  # 2.5 s
    mime = encode_segment_mime([seg])
    vp = view.viewport()
    enter = QDragEnterEvent(
        pos.toPoint(),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(vp, enter)
    assert enter.isAccepted()
    assert abs(view.snap_frame - int(2.5 * RATE)) <= RATE // 100  # where it would land
    drop = QDropEvent(
        pos,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(vp, drop)
    assert drop.isAccepted()
    assert view.snap_frame is None

    clips = w.editor.timeline.tracks[track].clips
    assert len(clips) == 1
    assert clips[0].source_id == info.source_id
    assert abs(clips[0].start - int(2.5 * RATE)) <= RATE // 100
    assert clips[0].length == info.frames
    assert w.editor.session.history.undo_description.en == "Added segment from the library"
    usages = lib.library.usages(seg.id)
    assert len(usages) == 1 and usages[0].action == "added"

    w.act_undo.trigger()
    assert w.editor.timeline.tracks[track].clips == ()

    # with snapping on, a drop just past the end of a clip starts right at that end
    w.editor.snapping = True
    w.act_redo.trigger()
    end = w.editor.timeline.tracks[track].clips[0].end
    x = view.x_of(end) + 3
    assert lib.drop_segments([{"segment_id": seg.id, "source_id": seg.source_id}], x, y)
    assert [c.start for c in w.editor.timeline.tracks[track].clips][-1] == end
    w.close()


def test_drop_outside_any_track_changes_nothing(qtbot, home, tmp_path):
    w, features = open_window(qtbot, home)
    lib, meters, pub, rec = (features.get(k) for k in FEATURE_KEYS)
    w.add_track_defaults()
    info = w.store.import_file(tone_file(tmp_path / "bed.wav", 1.0, 220), RATE)
    seg = lib.library.add(info, title="Nhạc nền")
    before = w.editor.timeline
    assert not lib.drop_segments(
        [{"segment_id": seg.id, "source_id": seg.source_id}],
        10,
        1,  # the ruler
    )
    assert w.editor.timeline is before
    w.close()


def write_unfinished_take(folder, seconds=1.0) -> object:
    """A take as a crash leaves it: frames on disk, header never finished, journal says
    "recording"."""
    folder.mkdir(parents=True, exist_ok=True)
    path = new_take_path(folder)
    take = TakeFile(path, RATE, 1)
    t = np.arange(int(seconds * RATE)) / RATE
    take.write((0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)[:, None])
    take.sync()
    journal_path(path).write_text(json.dumps({"state": "recording", "meta": {}}), "utf-8")
    os.close(take._fd)  # the process "died": no close(), so the header is still unfinished
    return path


def test_recovery_is_offered_for_an_unfinished_take_and_refusing_keeps_it(qtbot, home):
    path = write_unfinished_take(home.recordings)
    w, features = open_window(qtbot, home)
    lib, meters, pub, rec = (features.get(k) for k in FEATURE_KEYS)
    w.add_track_defaults()
    w.prompts.queue("confirm", False)
    assert not rec.offer_take_recovery()
    asked = [a for a in w.prompts.asked if a[0] == "confirm"]
    assert asked and "1" in asked[0][1]
    assert path.exists() and find_unfinished_takes(home.recordings) == [path]  # not deleted

    w.prompts.queue("confirm", True)
    names = {t.name for t in w.editor.timeline.tracks}
    assert rec.offer_take_recovery()
    recovered = [t for t in w.editor.timeline.tracks if t.name not in names]
    assert len(recovered) == 1 and len(recovered[0].clips) == 1
    assert recovered[0].clips[0].length == RATE
    assert path.exists() and find_unfinished_takes(home.recordings) == []
    w.act_undo.trigger()
    assert len(w.editor.timeline.tracks) == 2
    w.close()


def test_outbox_worker_sends_a_queued_item_while_the_window_is_open(qtbot, home, tmp_path):
    from studio.outbox import Outbox, Status

    # queued before the window opens: the window's worker picks it up (a restart resumes)
    box = Outbox.open(home)
    usb = tmp_path / "usb"
    usb.mkdir()
    box.add_destination("usb", "folder", str(usb))
    src = tmp_path / "ban-tin.mp3"
    src.write_bytes(os.urandom(50_000))
    first = box.enqueue(src, "usb", {"title": "Bản tin sáng"})
    box.close()

    w, features = open_window(qtbot, home)
    lib, meters, pub, rec = (features.get(k) for k in FEATURE_KEYS)
    wait_until(qtbot, lambda: pub.outbox.item(first["id"])["status"] in Status.DONE)
    assert sorted(p.read_bytes() for p in usb.rglob("*.mp3")) == [src.read_bytes()]

    # Push to destination… queues the last export and the worker sends it
    exported = tmp_path / "export.mp3"
    exported.write_bytes(os.urandom(30_000))
    w.last_export = type("R", (), {"path": exported})()
    row = pub.push()
    assert row is not None
    wait_until(qtbot, lambda: pub.outbox.item(row["id"])["status"] in Status.DONE)
    assert len(list(usb.rglob("*.mp3"))) == 2
    pub.view.refresh()
    assert pub.view.model.rowCount() == 2
    w.close()


def test_closing_stops_worker_meter_and_player_and_leaks_nothing(qtbot, home):
    before = {id(x) for x in QApplication.topLevelWidgets()}
    w, features = open_window(qtbot, home)
    lib, meters, pub, rec = (features.get(k) for k in FEATURE_KEYS)
    assert pub.worker._thread.is_alive() and meters.meter.running
    w.playback.play()
    assert w.close()
    assert not pub.worker._thread.is_alive()
    assert not meters.meter.running
    assert w.playback.player is None
    assert panel_threads() == []
    leaked = [x for x in leaked_since(before) if not owned_by(x, w)]
    assert leaked == [], [(type(x).__name__, x.objectName(), x.windowTitle()) for x in leaked]


@pytest.mark.audio_device
def test_meters_move_during_real_playback(qtbot, home, tmp_path):
    from tests.pulse_device import require_pulse

    require_pulse()
    from ui.timeline.transport import default_player_factory

    settings = Settings(home.settings_file)
    settings.set("output_device", "pulse")
    w, features = open_window(qtbot, home, default_player_factory, settings)
    lib, meters, pub, rec = (features.get(k) for k in FEATURE_KEYS)
    path, _ = write_demo(tmp_path / "demo", w.store)
    assert w.open_path(path, ask=False)
    w.act_play.trigger()
    assert w.playback.playing, w.prompts.asked
    bar = meters.panel.bar
    wait_until(
        qtbot,
        lambda: bar.short_term_lufs is not None and bar.peak_db is not None,
        timeout_s=10,
    )
    assert -60 < bar.momentary_lufs < 0
    assert -60 < bar.peak_db <= 0.5
    wait_until(qtbot, lambda: meters.panel.readout.integrated_lufs is not None, 10)
    assert not w.mixer.master.loudness.text().startswith("—")  # the mixer's master reading
    first = bar.momentary_lufs
    qtbot.wait(600)
    assert bar.momentary_lufs != first or bar.short_term_lufs is not None  # still updating
    w.playback.pause()
    assert bar.momentary_lufs is None  # stopped: the bars fall back
    w.close()
    assert panel_threads() == []


def test_a_take_from_the_recording_panel_lands_on_the_armed_track(qtbot, home, tmp_path):
    from audio.recording import Take

    w, features = open_window(qtbot, home)
    lib, meters, pub, rec = (features.get(k) for k in FEATURE_KEYS)
    assert "recording" in w.docks
    w.add_track_defaults()
    w.editor.set_playhead(RATE)
    rec._panel_record_toggled(True)  # the panel's Record button went down at 0:01
    path = tone_file(tmp_path / "take-1.wav", 2.0, 330)
    assert rec.place_panel_take(Take(path=Path(path), rate=RATE, channels=1, frames=2 * RATE))
    clips = w.editor.timeline.tracks[0].clips
    assert len(clips) == 1 and clips[0].start == RATE and clips[0].length == 2 * RATE
    w.act_undo.trigger()
    assert w.editor.timeline.tracks[0].clips == ()
    w.close()


@pytest.mark.audio_device
def test_r_records_at_the_playhead_into_the_armed_track(qtbot, home, tmp_path):
    from tests.pulse_device import require_pulse

    require_pulse()
    from ui.timeline.transport import default_player_factory

    settings = Settings(home.settings_file)
    settings.set("output_device", "pulse")
    settings.set("input_device", "pulse")
    w, features = open_window(qtbot, home, default_player_factory, settings)
    lib, meters, pub, rec = (features.get(k) for k in FEATURE_KEYS)
    path, _ = write_demo(tmp_path / "demo", w.store)
    assert w.open_path(path, ask=False)
    w.editor.set_playhead(RATE // 2)
    lag = rec.measure_latency()  # through the loopback of the virtual device
    # The virtual device's round trip grows with the machine's load (0.79 s seen with a
    # second suite running); a value past 2 s would mean the measurement is wrong.
    assert lag is not None and 0 < lag < 2 * RATE, w.prompts.asked
    rec.act_record.trigger()  # R: arms the current track, plays and records
    assert rec.overdub is not None, w.prompts.asked
    assert w.editor.timeline.tracks[0].armed
    qtbot.wait(1500)
    rec.act_record.trigger()  # R again: stop, the take becomes a clip
    assert rec.overdub is None
    clips = w.editor.timeline.tracks[0].clips
    new = [c for c in clips if c.name == "Giọng đọc 1"]  # named after its track
    assert new, (w.prompts.asked, clips)
    assert new[0].start == RATE // 2 and new[0].length > RATE // 2
    assert new[0].source_offset == lag  # the round trip is compensated
    assert w.editor.session.history.undo_description.en == "Recorded take"
    w.close()
    assert panel_threads() == []


def test_every_feature_string_is_translated(qapp):
    """Every `self.tr("…")` in ui/*/feature.py has a Vietnamese translation in its class's
    context, and it loads."""
    import ast
    import xml.etree.ElementTree as ET

    from PySide6.QtCore import QCoreApplication

    from ui.looks import TRANSLATIONS, load_translations

    root = Path(__file__).resolve().parents[1]
    wanted = set()
    for path in sorted((root / "ui").glob("*/feature.py")):
        for cls in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(cls, ast.ClassDef):
                continue
            wanted |= {
                (cls.name, node.args[0].value)
                for node in ast.walk(cls)
                if isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "tr"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            }
    assert len(wanted) > 15
    ts = ET.parse(TRANSLATIONS / "studio_vi.ts").getroot()
    translated = {
        (c.findtext("name"), m.findtext("source"))
        for c in ts.iter("context")
        for m in c.iter("message")
        if m.findtext("translation")
    }
    assert wanted - translated == set()
    load_translations(qapp, "vi")
    assert QCoreApplication.translate("PublishingFeature", "&Publish") == "&Phát hành"
    assert QCoreApplication.translate("MetersPanel", "Master") == "Tổng"
    assert QCoreApplication.translate("RecordingFeature", "&Record") == "&Thu âm"


def test_export_shows_the_report_and_graph_and_push_queues_it(qtbot, home, tmp_path):
    from studio.outbox import Status

    w, features = open_window(qtbot, home)
    lib, meters, pub, rec = (features.get(k) for k in FEATURE_KEYS)
    w.add_track_defaults()
    info = w.store.import_file(tone_file(tmp_path / "tin.wav", 4.0, 440, amp=0.2), RATE)
    seg = lib.library.add(info, title="Tin nông nghiệp")
    assert lib.drop_segments(
        [{"segment_id": seg.id, "source_id": seg.source_id}],
        5,
        w.timeline_view.track_top(0) + 10,
    )
    usb = tmp_path / "usb"
    usb.mkdir()
    pub.outbox.add_destination("usb", "folder", str(usb))
    out = tmp_path / "ban-tin.mp3"
    w.prompts.queue("export_path", str(out))
    w.prompts.queue("choose", "Khẩn cấp")  # the priority
    pub.push()  # nothing exported yet: exports first, then pushes
    assert out.is_file()
    shown = [a for a in w.prompts.asked if a[0] in ("info", "error") and "✓" in a[1] + "✗"]
    assert shown, w.prompts.asked  # the broadcast-ready report
    assert "LUFS" in shown[0][1]
    assert len(meters.panel.graph.short_term) > 10  # the loudness-over-time graph
    assert meters.panel.readout.integrated_lufs is not None
    actions = sorted(u.action for u in lib.library.usages(seg.id))
    assert actions == ["added", "exported", "pushed"]
    items = pub.outbox.items()
    assert len(items) == 1 and items[0]["priority"] == "khan-cap"
    wait_until(qtbot, lambda: pub.outbox.item(items[0]["id"])["status"] in Status.DONE)
    assert (usb / "ban-tin.mp3").read_bytes() == out.read_bytes()
    w.close()


def test_preview_plays_the_selected_segment_on_its_own_player(qtbot, home, tmp_path):
    from tests.ui_support import FakePlayer

    w, features = open_window(qtbot, home)
    lib, meters, pub, rec = (features.get(k) for k in FEATURE_KEYS)
    info = w.store.import_file(tone_file(tmp_path / "jingle.wav", 1.0, 880), RATE)
    lib.library.add(info, title="Nhạc hiệu")
    dock = lib.dock
    dock.refresh()
    wait_until(qtbot, lambda: dock.model.rowCount() == 1, 10)
    dock.table.selectRow(0)
    w.editor.set_playhead(RATE)
    dock.preview_button.click()
    player = lib.preview_player
    assert isinstance(player, FakePlayer) and player.playing
    assert player.timelines[-1].length == info.frames
    assert np.array_equal(player.sources("preview"), w.store.frames(info.source_id, RATE))
    assert w.editor.playhead == RATE  # the programme's playhead stays where it was
    w.close()
    assert not player.playing  # closing the window stops the preview too


def test_start_offers_unfinished_takes_back_into_the_programme(qtbot, home, monkeypatch):
    """`studio` with no arguments (run_window): the take a crash cut short is offered, and
    accepted it lands on a track of its own in the new programme."""
    import studio.__main__ as entry
    from ui.prompts import Prompts

    path = write_unfinished_take(home.recordings, seconds=0.5)
    done = Settings(home.settings_file)
    done.set("first_start_done", True)  # not a first start: no assistant before the window
    done.save()
    asked = []

    def confirm(self, text):
        asked.append(text)
        return True

    seen = {}

    def fake_exec():
        (window,) = [
            w
            for w in QApplication.topLevelWidgets()
            if w.objectName() == "MainWindow" and w.isVisible()
        ]
        deadline = time.monotonic() + 15
        while len(window.editor.timeline.tracks) < 3 and time.monotonic() < deadline:
            QApplication.processEvents()
            time.sleep(0.01)
        seen["tracks"] = [(t.name, len(t.clips)) for t in window.editor.timeline.tracks]
        seen["panels"] = sorted(window.docks)
        window.playback.factory = fake_factory
        window.editor.session.history.mark_saved()
        window.close()
        window.deleteLater()
        return 0

    monkeypatch.setattr(Prompts, "confirm", confirm)
    monkeypatch.setenv("STUDIO_MAXIMISE", "0")
    monkeypatch.setattr(QApplication, "exec", staticmethod(fake_exec))
    assert entry.main([]) == 0
    assert len(asked) == 1 and "1" in asked[0]
    assert seen["panels"] == ["library", "meters", "outbox", "recording", "script"]
    assert len(seen["tracks"]) == 3 and seen["tracks"][2][1] == 1, seen["tracks"]
    assert path.exists()  # the take file is kept
    assert panel_threads() == []


def test_destinations_dialog_from_the_menu_and_from_a_push_without_any(qtbot, home, tmp_path):
    from ui.publishing.destinations_dialog import DestinationsDialog

    w, features = open_window(qtbot, home)
    lib, meters, pub, rec = (features.get(k) for k in FEATURE_KEYS)
    opened = []
    usb = tmp_path / "usb"

    def run_dialog(dialog):
        opened.append(type(dialog))
        # what the user does in it: a folder destination, saved
        if not pub.outbox.destinations():
            pub.outbox.add_destination("usb", "folder", str(usb))
        dialog.close()

    pub.run_dialog = run_dialog
    pub.act_destinations.trigger()
    assert opened == [DestinationsDialog]
    pub.outbox.remove_destination("usb")

    exported = tmp_path / "export.mp3"
    exported.write_bytes(os.urandom(10_000))
    w.last_export = type("R", (), {"path": exported})()
    w.prompts.queue("confirm", True)  # "No destination is set up yet. Set one up now?"
    row = pub.push()
    assert opened == [DestinationsDialog, DestinationsDialog]
    assert row is not None and row["destination"] == "usb"
    w.close()


def test_an_audio_file_dropped_from_the_desktop_is_imported_where_it_lands(qtbot, home, tmp_path):
    from PySide6.QtCore import QMimeData, QUrl

    w, features = open_window(qtbot, home)
    lib, meters, pub, rec = (features.get(k) for k in FEATURE_KEYS)
    w.add_track_defaults()
    view = w.timeline_view
    view.set_zoom(RATE / 100)
    view.horizontalScrollBar().setValue(0)
    w.editor.snapping = False
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(tone_file(tmp_path / "phỏng vấn.wav", 1.0, 300))])
    pos = QPointF(100, view.track_top(1) + view.track_height / 2)  # 1 s, second track
    enter = QDragEnterEvent(
        pos.toPoint(),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(view.viewport(), enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        pos,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(view.viewport(), drop)
    assert drop.isAccepted(), w.prompts.asked
    clips = w.editor.timeline.tracks[1].clips
    assert len(clips) == 1 and abs(clips[0].start - RATE) <= RATE // 100
    assert clips[0].length == RATE
    w.act_undo.trigger()
    assert w.editor.timeline.tracks[1].clips == ()
    w.close()


def test_the_window_fits_a_1366x768_screen_with_every_dock(qtbot, home):
    """Docks that become tabs on the first show wait hidden: stacked for a moment, their
    heights added up and the window grew past the screen."""
    w, features = open_window(qtbot, home)
    wait_until(qtbot, lambda: not w._pending_tabs)
    qtbot.wait(50)
    assert w.height() <= 768, w.height()
    left = {
        k for k, d in w.docks.items() if w.dockWidgetArea(d) == Qt.DockWidgetArea.LeftDockWidgetArea
    }
    for key in left - {"library"}:
        assert w.docks[key] in w.tabifiedDockWidgets(w.docks["library"])
        assert not w.docks[key].isHidden()
    w.close()


def test_add_at_playhead_puts_a_jingle_on_a_named_jingle_track(qtbot, home, tmp_path):
    w, features = open_window(qtbot, home)
    lib = features.get("library")
    w.add_track_defaults()
    (tmp_path / "Nhạc hiệu").mkdir()
    report = lib.library.import_paths([tone_file(tmp_path / "Nhạc hiệu" / "mở đầu.wav", 2.0, 500)])
    seg = lib.library.get(report.added[0].segment_id)
    assert seg.kind == "jingle"  # guessed from the folder's name
    w.editor.set_playhead(3 * RATE)
    assert lib.add_at_playhead([seg])
    tl = w.editor.timeline
    jingles = [t for t in tl.tracks if t.role == "jingle"]
    assert len(jingles) == 1 and jingles[0].name == "Nhạc hiệu"
    assert jingles[0].clips[0].start == 3 * RATE
    w.act_undo.trigger()
    assert not any(t.role == "jingle" for t in w.editor.timeline.tracks)
    w.close()
