"""The studio window: timeline with track headers, mixer, transport, menus and documents.

Docking places for panels written separately (recording, meters, library, outbox) are listed
in `PANEL_SLOTS`; `install_panel()` puts a widget there. Until one is installed its slot shows
nothing, so the window works on its own.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from audio.errors import StudioError
from audio.media import MediaStore
from audio.timeline import TrackRole
from studio import edits, history
from studio.edits import add_source_clip
from studio.history import Description
from studio.paths import StudioHome
from studio.programme import Programme, missing_media
from studio.session import Session, find_recovery
from studio.settings import Settings
from ui.dialogs import MissingMediaDialog, SettingsDialog, ShortcutsDialog
from ui.editor import Editor
from ui.jobs import JobRunner
from ui.playback import PlaybackController, default_player_factory
from ui.prompts import Prompts
from ui.timefmt import clock
from ui.timeline_view import TimelineView
from ui.tracks import MixerPanel, TrackHeaderPanel
from ui.waveform import WaveformSource

MAX_RECENT = 10

# How each loudness preset (export/presets.py) is encoded: (channels, MP3 kbps, sample rate).
EXPORT_ENCODING = {
    "loa-truyen-thanh": (1, 64, 44_100),  # loudspeaker networks: mono, small files
    "ebu-r128": (2, 128, 48_000),
}

# MERGE POINT: panels written by other engineers as standalone widgets. The lead engineer
# creates each widget and calls `window.install_panel(key, widget)` when merging.
PANEL_SLOTS = {
    # key: (dock area, module that provides the widget)
    "recording": (Qt.DockWidgetArea.LeftDockWidgetArea, "ui/recording_panel.py"),
    "meters": (Qt.DockWidgetArea.BottomDockWidgetArea, "ui/meters.py"),
    "library": (Qt.DockWidgetArea.LeftDockWidgetArea, "ui/library_dock.py"),
    "outbox": (Qt.DockWidgetArea.BottomDockWidgetArea, "ui/outbox_view.py"),
}


class MainWindow(QMainWindow):
    documentOpened = Signal(str)
    exported = Signal(object)  # the export.master.MasterResult of a finished export
    closing = Signal()  # the close was accepted: panels stop their threads now
    exportTargetChanged = Signal()  # noqa: N815 - the loudness preset changed in Settings

    def __init__(
        self,
        home: StudioHome,
        settings: Settings,
        player_factory=default_player_factory,
        synchronous_jobs: bool = False,
        parent=None,
    ):
        super().__init__(parent)
        self.home = home.ensure()
        self.settings = settings
        self.store = MediaStore(self.home.media)
        self.prompts = Prompts(self)
        self.jobs = JobRunner(self, synchronous=synchronous_jobs)
        self.editor = Editor(self.home, parent=self)
        self.waveforms = WaveformSource(self.store, self.editor.rate)
        self.playback = PlaybackController(
            self.editor,
            lambda sid: self.store.frames(sid, self.editor.rate),
            player_factory,
            settings.get("output_device") or None,
            parent=self,
        )
        self.panels: dict[str, QDockWidget] = {}
        self.setObjectName("MainWindow")
        self.setDockOptions(
            QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks
        )
        self._build_central()
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_mixer()
        self.statusBar().showMessage(self.tr("Ready"))
        self.editor.documentChanged.connect(self._update_title)
        self.editor.changed.connect(self._update_actions)
        self.editor.selectionChanged.connect(self._update_actions)
        self.editor.message.connect(lambda m: self.statusBar().showMessage(m, 5000))
        self.editor.playheadChanged.connect(self._show_time)
        self.playback.stateChanged.connect(self._playing_changed)
        self.playback.failed.connect(lambda text: self.prompts.error(text))
        self.playback.levelsChanged.connect(self.mixer.set_levels)
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(max(10, settings.get("autosave_seconds")) * 1000)
        self.autosave_timer.timeout.connect(self.autosave)
        self.autosave_timer.start()
        self._show_export_target()
        self.resize(1366, 768)
        self._update_title()
        self._update_actions()
        self._show_time(0)

    # --- layout ----------------------------------------------------------------------------

    def _build_central(self) -> None:
        self.timeline_view = TimelineView(self.editor, self.waveforms)
        self.headers = TrackHeaderPanel(self.editor, self.timeline_view.track_height)
        self.timeline_view.verticalOffsetChanged.connect(self.headers.set_offset)
        self.timeline_view.seekRequested.connect(self.playback.seek)
        self.timeline_view.clipGainRequested = self.ask_clip_gain
        self.timeline_view.markerEditRequested = self.rename_marker
        self.headers.add_button.clicked.connect(lambda: self.add_track())
        central = QWidget()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.headers)
        row.addWidget(self.timeline_view, 1)
        col = QVBoxLayout(central)
        col.setContentsMargins(0, 0, 0, 0)
        col.addLayout(row, 1)
        self.setCentralWidget(central)

    def _build_mixer(self) -> None:
        self.mixer = MixerPanel(self.editor)
        dock = QDockWidget(self.tr("Mixer"), self)
        dock.setObjectName("MixerDock")
        dock.setWidget(self.mixer)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        self.resizeDocks([dock], [250], Qt.Orientation.Vertical)
        self.mixer_dock = dock
        self.view_menu.addAction(dock.toggleViewAction())

    def install_panel(self, key: str, widget: QWidget, title: str | None = None) -> QDockWidget:
        """Dock a separately written panel in its slot (see PANEL_SLOTS); a panel that is a
        QDockWidget already is docked as it is."""
        area = PANEL_SLOTS[key][0]
        titles = {
            "recording": self.tr("Recording"),
            "meters": self.tr("Meters"),
            "library": self.tr("Library"),
            "outbox": self.tr("Outbox"),
        }
        if isinstance(widget, QDockWidget):
            dock = widget
            if title:
                dock.setWindowTitle(title)
        else:
            dock = QDockWidget(title or titles[key], self)
            dock.setObjectName(f"{key}Dock")
            dock.setWidget(widget)
        self.addDockWidget(area, dock)
        if key == "meters":  # beside the mixer, not under it
            self.splitDockWidget(self.mixer_dock, dock, Qt.Orientation.Horizontal)
        if key == "outbox":
            self.tabifyDockWidget(self.mixer_dock, dock)
            self.mixer_dock.raise_()
        self.panels[key] = dock
        self.view_menu.addAction(dock.toggleViewAction())
        return dock

    def _action(self, text, slot, shortcut=None, checkable=False, tip=None) -> QAction:
        a = QAction(text, self)
        if shortcut:
            keys = shortcut if isinstance(shortcut, list) else [shortcut]
            a.setShortcuts([QKeySequence(k) for k in keys])
            a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        a.setCheckable(checkable)
        if tip:
            a.setToolTip(tip)
        if checkable:
            a.toggled.connect(slot)
        else:
            a.triggered.connect(lambda _=False: slot())
        self.addAction(a)  # shortcuts work even with the menu bar hidden
        return a

    def _build_actions(self) -> None:
        ed = self.editor
        A = self._action  # noqa: N806
        self.act_new = A(
            self.tr("&New programme"), self.new_programme, QKeySequence.StandardKey.New
        )
        self.act_open = A(self.tr("&Open…"), self.open_dialog, QKeySequence.StandardKey.Open)
        self.act_save = A(self.tr("&Save"), self.save, "Ctrl+S")
        self.act_save_as = A(self.tr("Save &as…"), self.save_as, "Ctrl+Shift+S")
        self.act_import = A(self.tr("&Import audio…"), self.import_dialog, "Ctrl+I")
        self.act_export = A(self.tr("&Export MP3…"), self.export_dialog, "Ctrl+E")
        self.act_settings = A(self.tr("Se&ttings…"), self.settings_dialog, "Ctrl+,")
        self.act_quit = A(self.tr("&Quit"), self.close, "Ctrl+Q")
        self.act_undo = A(self.tr("&Undo"), ed.undo, "Ctrl+Z")
        self.act_redo = A(self.tr("&Redo"), ed.redo, ["Ctrl+Shift+Z", "Ctrl+Y"])
        self.act_cut = A(self.tr("Cu&t"), ed.cut, "Ctrl+X")
        self.act_copy = A(self.tr("&Copy"), ed.copy, "Ctrl+C")
        self.act_paste = A(self.tr("&Paste at playhead"), ed.paste, "Ctrl+V")
        self.act_duplicate = A(self.tr("D&uplicate"), ed.duplicate, "Ctrl+D")
        self.act_split = A(self.tr("&Split at playhead"), ed.split_at_playhead, "S")
        self.act_delete = A(self.tr("&Delete"), ed.delete_selection, ["Delete", "Backspace"])
        self.act_ripple = A(
            self.tr("Delete range and close &gap"), ed.ripple_delete_range, "Shift+Delete"
        )
        self.act_crossfade = A(self.tr("Cross&fade with next clip"), ed.crossfade, "X")
        self.act_gain = A(self.tr("Clip &gain…"), self._gain_of_selection, "G")
        self.act_select_all = A(self.tr("Select &all"), ed.select_all, "Ctrl+A")
        self.act_add_track = A(self.tr("&Add track"), lambda: self.add_track(), "Ctrl+T")
        self.act_remove_track = A(self.tr("&Remove current track"), self.remove_track)
        self.act_marker = A(self.tr("Add &marker at playhead"), self.add_marker, "M")
        self.act_zoom_in = A(
            self.tr("Zoom &in"), lambda: self.timeline_view.zoom_by(1.5), ["=", "Ctrl+="]
        )
        self.act_zoom_out = A(
            self.tr("Zoom &out"), lambda: self.timeline_view.zoom_by(1 / 1.5), ["-", "Ctrl+-"]
        )
        self.act_zoom_fit = A(self.tr("Zoom to &fit"), self.timeline_view.zoom_to_fit, "Ctrl+0")
        self.act_snap = A(
            self.tr("S&nap to edges and markers"), self._set_snapping, "N", checkable=True
        )
        self.act_snap.setChecked(True)
        self.act_follow = A(self.tr("&Follow playhead"), self._set_follow, checkable=True)
        self.act_follow.setChecked(True)
        self.act_play = A(self.tr("&Play / Pause"), self.playback.toggle, "Space")
        self.act_stop = A(self.tr("&Stop"), self.playback.stop, ["Enter", "Return"])
        self.act_record = A(self.tr("&Record"), self.record, "R")
        self.act_start = A(self.tr("Go to s&tart"), lambda: self._goto(0), "Home")
        self.act_end = A(
            self.tr("Go to &end"), lambda: self._goto(self.editor.timeline.length), "End"
        )
        self.act_loop = A(self.tr("&Loop selected range"), self._set_loop, "L", checkable=True)
        self.act_back = A(self.tr("Playhead back 1 s"), lambda: self._step(-1.0), "Left")
        self.act_fwd = A(self.tr("Playhead forward 1 s"), lambda: self._step(1.0), "Right")
        self.act_nudge_l = A(self.tr("Nudge clips left"), lambda: ed.nudge(-1), "Ctrl+Left")
        self.act_nudge_r = A(self.tr("Nudge clips right"), lambda: ed.nudge(1), "Ctrl+Right")
        self.act_help = A(self.tr("&Keyboard shortcuts"), self.show_shortcuts, "F1")
        self.act_about = A(self.tr("&About"), self.about)
        self.timeline_view.context_actions = [
            self.act_split,
            self.act_duplicate,
            self.act_copy,
            self.act_cut,
            self.act_paste,
            None,
            self.act_crossfade,
            self.act_gain,
            None,
            self.act_delete,
        ]

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu(self.tr("&File"))
        self.recent_menu = QMenu(self.tr("Open &recent"), self)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        for a in (self.act_new, self.act_open):
            self.file_menu.addAction(a)
        self.file_menu.addMenu(self.recent_menu)
        self.file_menu.addSeparator()
        for a in (
            self.act_save,
            self.act_save_as,
            None,
            self.act_import,
            self.act_export,
            None,
            self.act_settings,
            None,
            self.act_quit,
        ):
            self.file_menu.addSeparator() if a is None else self.file_menu.addAction(a)
        self.edit_menu = bar.addMenu(self.tr("&Edit"))
        for a in (
            self.act_undo,
            self.act_redo,
            None,
            self.act_cut,
            self.act_copy,
            self.act_paste,
            self.act_duplicate,
            None,
            self.act_split,
            self.act_delete,
            self.act_ripple,
            None,
            self.act_crossfade,
            self.act_gain,
            self.act_nudge_l,
            self.act_nudge_r,
            None,
            self.act_select_all,
        ):
            self.edit_menu.addSeparator() if a is None else self.edit_menu.addAction(a)
        self.track_menu = bar.addMenu(self.tr("&Track"))
        for a in (self.act_add_track, self.act_remove_track, None, self.act_marker):
            self.track_menu.addSeparator() if a is None else self.track_menu.addAction(a)
        self.transport_menu = bar.addMenu(self.tr("T&ransport"))
        for a in (
            self.act_play,
            self.act_stop,
            self.act_record,
            None,
            self.act_start,
            self.act_end,
            self.act_back,
            self.act_fwd,
            None,
            self.act_loop,
        ):
            self.transport_menu.addSeparator() if a is None else self.transport_menu.addAction(a)
        self.view_menu = bar.addMenu(self.tr("&View"))
        for a in (
            self.act_zoom_in,
            self.act_zoom_out,
            self.act_zoom_fit,
            None,
            self.act_snap,
            self.act_follow,
            None,
        ):
            self.view_menu.addSeparator() if a is None else self.view_menu.addAction(a)
        self.help_menu = bar.addMenu(self.tr("&Help"))
        self.help_menu.addAction(self.act_help)
        self.help_menu.addAction(self.act_about)

    def _build_toolbar(self) -> None:
        tb = QToolBar(self.tr("Transport"), self)
        tb.setObjectName("TransportBar")
        tb.setMovable(False)
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, tb)
        self.act_play.setText(self.tr("&Play / Pause"))
        for a in (
            self.act_start,
            self.act_play,
            self.act_stop,
            self.act_record,
            self.act_end,
            self.act_loop,
        ):
            tb.addAction(a)
        self.time_label = QLabel()
        self.time_label.setObjectName("TimeDisplay")
        self.time_label.setToolTip(self.tr("Playhead (minutes:seconds.hundredths)"))
        self.time_label.setMinimumWidth(120)
        self.time_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        tb.addSeparator()
        tb.addWidget(self.time_label)
        tb.addSeparator()
        for a in (
            self.act_undo,
            self.act_redo,
            None,
            self.act_split,
            self.act_delete,
            None,
            self.act_zoom_out,
            self.act_zoom_in,
            self.act_zoom_fit,
            self.act_snap,
        ):
            tb.addSeparator() if a is None else tb.addAction(a)
        self.transport_bar = tb

    # --- state shown -----------------------------------------------------------------------

    def _show_time(self, frame: int) -> None:
        self.time_label.setText(clock(frame, self.editor.rate))

    def _update_title(self) -> None:
        s = self.editor.session
        name = s.display_name or self.tr("Untitled programme")
        star = "*" if s.dirty else ""
        self.setWindowTitle(f"{name}{star} — Studio Truyền Thanh")
        self._update_actions()

    def _update_actions(self) -> None:
        h = self.editor.session.history
        undo = h.undo_description
        redo = h.redo_description
        self.act_undo.setEnabled(h.can_undo)
        self.act_redo.setEnabled(h.can_redo)
        self.act_undo.setText(
            self.tr("&Undo %1").replace("%1", undo.menu()) if undo else self.tr("&Undo")
        )
        self.act_redo.setText(
            self.tr("&Redo %1").replace("%1", redo.menu()) if redo else self.tr("&Redo")
        )
        self.act_undo.setToolTip(undo.text() if undo else "")
        self.act_redo.setToolTip(redo.text() if redo else "")
        has_sel = bool(self.editor.selection)
        for a in (
            self.act_cut,
            self.act_copy,
            self.act_duplicate,
            self.act_crossfade,
            self.act_gain,
            self.act_nudge_l,
            self.act_nudge_r,
        ):
            a.setEnabled(has_sel)
        self.act_remove_track.setEnabled(bool(self.editor.timeline.tracks))

    def _playing_changed(self, playing: bool) -> None:
        self.act_play.setChecked(playing)
        self.statusBar().showMessage(self.tr("Playing") if playing else self.tr("Stopped"), 2000)

    # --- transport -------------------------------------------------------------------------

    def _goto(self, frame: int) -> None:
        self.editor.set_playhead(frame)
        self.timeline_view.scroll_to_frame(frame, 0.5 if frame else 0.0)
        self.playback.seek(frame)

    def _step(self, seconds: float) -> None:
        self._goto(max(0, self.editor.playhead + int(seconds * self.editor.rate)))

    def _set_loop(self, on: bool) -> None:
        self.playback.loop = on

    def _set_snapping(self, on: bool) -> None:
        self.editor.snapping = on

    def _set_follow(self, on: bool) -> None:
        self.timeline_view.follow_playhead = on

    def record(self) -> None:
        """R: recording is done by the recording panel; this is its hook."""
        self.recordRequested()

    def recordRequested(self) -> None:  # noqa: N802 - replaced when the recording panel is docked
        self.statusBar().showMessage(self.tr("Recording is done in the Recording panel."), 4000)

    # --- edits needing a question -----------------------------------------------------------

    def _gain_of_selection(self) -> None:
        if self.editor.selection:
            self.ask_clip_gain(self.editor.selection[0])

    def ask_clip_gain(self, ref) -> None:
        clip = edits.clip_at(self.editor.timeline, ref)
        value = self.prompts.number(
            self.tr("Clip gain"),
            self.tr("Gain of “%1” in dB:").replace("%1", clip.name),
            clip.gain_db,
            edits.MIN_GAIN_DB,
            edits.MAX_GAIN_DB,
        )
        if value is not None:
            self.editor.set_clip_gain(ref, value)

    def add_marker(self) -> None:
        n = len(self.editor.timeline.markers) + 1
        self.editor.add_marker(self.tr("Marker %1").replace("%1", str(n)))

    def rename_marker(self, index: int) -> None:
        m = self.editor.timeline.markers[index]
        name = self.prompts.text(
            self.tr("Marker"), self.tr("Name (empty: remove the marker):"), m.name
        )
        if name is None:
            return
        if name.strip():
            self.editor.rename_marker(index, name.strip())
        else:
            self.editor.remove_marker(index)

    def add_track(self, role: TrackRole = TrackRole.VOICE) -> None:
        n = len(self.editor.timeline.tracks) + 1
        self.editor.add_track(self.tr("Track %1").replace("%1", str(n)), role)

    def remove_track(self) -> None:
        i = self.editor.current_track
        tl = self.editor.timeline
        if not 0 <= i < len(tl.tracks):
            return
        if tl.tracks[i].clips and not self.prompts.confirm(
            self.tr("Remove track “%1” and its clips?").replace("%1", tl.tracks[i].name)
        ):
            return
        self.editor.remove_track(i)

    # --- documents -------------------------------------------------------------------------

    def _error(self, exc: BaseException) -> None:
        if isinstance(exc, StudioError):
            self.prompts.error(exc.message())
        else:
            detail = getattr(exc, "__traceback_text__", "")
            self.prompts.error(
                self.tr("Something went wrong: %1").replace("%1", str(exc) or type(exc).__name__)
                + ("\n\n" + detail[-1500:] if detail else "")
            )

    def maybe_save(self) -> bool:
        """Ask about unsaved changes; False when the user cancelled."""
        if not self.editor.session.dirty:
            return True
        name = self.editor.session.display_name or self.tr("Untitled programme")
        answer = self.prompts.unsaved(name)
        if answer == "cancel":
            return False
        if answer == "save":
            return self.save()
        return True

    def new_programme(self) -> None:
        if not self.maybe_save():
            return
        self.playback.stop()
        p = Programme(title="")
        self.editor.set_session(Session(self.home, p))
        self.add_track_defaults()

    def add_track_defaults(self) -> None:
        """A fresh programme starts with a voice track and a music-bed track (not an edit)."""
        s = self.editor.session
        tl = edits.add_track(s.programme.timeline, self.tr("Voice"), TrackRole.VOICE)
        tl = edits.add_track(tl, self.tr("Music bed"), TrackRole.MUSIC_BED)
        self.editor.set_session(Session(self.home, s.programme.with_changes(timeline=tl)))

    def open_dialog(self) -> None:
        if not self.maybe_save():
            return
        folder = os.path.dirname(self._recent()[0]) if self._recent() else ""
        path = self.prompts.open_path(folder)
        if path:
            self.open_path(path, ask=False)

    def open_path(self, path: str, ask: bool = True) -> bool:
        """Open a programme file; a bad file is reported and nothing else changes."""
        if ask and not self.maybe_save():
            return False
        try:
            session = Session.open(self.home, path)
        except StudioError as exc:
            self.prompts.error(exc.message())
            return False
        self.playback.stop()
        self.editor.set_session(session)
        self._add_recent(path)
        self.timeline_view.zoom_to_fit()
        self.documentOpened.emit(path)
        self.check_missing_media()
        return True

    def check_missing_media(self) -> list[str]:
        missing = missing_media(self.editor.programme, self.store)
        if not missing:
            return []
        rows = []
        for sid in missing:
            ref = self.editor.programme.media_ref(sid)
            rows.append((sid, ref.original_name if ref else "", ref.original_path if ref else ""))
        self.missing_dialog = MissingMediaDialog(rows, self.relink, self)
        self.show_missing_dialog(self.missing_dialog)
        return missing

    def show_missing_dialog(self, dialog) -> None:
        dialog.open()

    def relink(self, source_id: str) -> None:
        ref = self.editor.programme.media_ref(source_id)
        path = self.prompts.relink_path(ref.original_name if ref else source_id[:12])
        if not path:
            return
        rate = self.editor.rate

        def done(info) -> None:
            programme = edits.relink_source(self.editor.programme, source_id, info, path)
            self.editor.apply(programme, history.RELINK)
            self.waveforms.forget(info.source_id)
            if getattr(self, "missing_dialog", None) is not None:
                self.missing_dialog.mark_found(source_id)

        self.jobs.run(
            self.tr("Importing audio"),
            lambda progress: self.store.import_file(path, rate, progress),
            done,
            self._error,
        )

    def save(self) -> bool:
        if self.editor.session.path is None:
            return self.save_as()
        try:
            self.editor.save()
        except StudioError as exc:
            self.prompts.error(exc.message())
            return False
        self._add_recent(str(self.editor.session.path))
        self.statusBar().showMessage(self.tr("Saved"), 3000)
        return True

    def save_as(self) -> bool:
        suggestion = str(
            self.editor.session.path or Path.home() / (self.tr("Bulletin") + ".sttprog")
        )
        path = self.prompts.save_path(suggestion)
        if not path:
            return False
        try:
            target = self.editor.save(path)
        except StudioError as exc:
            self.prompts.error(exc.message())
            return False
        self._add_recent(str(target))
        self.statusBar().showMessage(self.tr("Saved"), 3000)
        return True

    def autosave(self) -> None:
        try:
            self.editor.session.autosave()
        except StudioError as exc:
            self.statusBar().showMessage(exc.message(), 8000)

    def offer_recovery(self) -> bool:
        """At start-up: offer to restore what an interrupted session left behind."""
        found = find_recovery(self.home)
        if not found:
            return False
        rec = found[0]
        name = os.path.basename(rec.document) if rec.document else self.tr("Untitled programme")
        restore = self.prompts.confirm(
            self.tr(
                "The app did not close properly last time. Restore the unsaved changes to “%1”?"
            ).replace("%1", name)
        )
        if not restore:
            for r in found:
                r.discard()
            return False
        try:
            programme = rec.load()
        except StudioError as exc:
            self.prompts.error(exc.message())
            rec.set_aside()
            return False
        session = Session(self.home, programme, rec.document or None)
        session.history.mark_unsaved()  # what was restored is not what is on disk
        self.editor.set_session(session)
        for r in found:
            r.discard()
        self.timeline_view.zoom_to_fit()
        return True

    def _recent(self) -> list[str]:
        return [p for p in self.settings.get("recent_programmes") if isinstance(p, str)]

    def _add_recent(self, path: str) -> None:
        path = os.path.abspath(path)
        recent = [p for p in self._recent() if p != path]
        self.settings.set("recent_programmes", [path, *recent][:MAX_RECENT])
        with contextlib.suppress(OSError):
            self.settings.save()

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = self._recent()
        if not recent:
            a = self.recent_menu.addAction(self.tr("(none)"))
            a.setEnabled(False)
        for path in recent:
            a = self.recent_menu.addAction(os.path.basename(path))
            a.setToolTip(path)
            a.triggered.connect(lambda _=False, p=path: self.open_path(p))

    # --- import and export (long jobs) -----------------------------------------------------

    def import_dialog(self) -> None:
        paths = self.prompts.import_paths()
        if paths:
            self.import_files(paths)

    def import_files(
        self, paths: list[str], track: int | None = None, at: int | None = None
    ) -> None:
        """Import files one after the other onto the current track (from `at` or its end)."""
        rate = self.editor.rate

        def work(progress):
            infos = []
            for i, path in enumerate(paths):
                infos.append(
                    (
                        path,
                        self.store.import_file(
                            path, rate, lambda f, i=i: progress((i + f) / len(paths))
                        ),
                    )
                )
            return infos

        def done(infos) -> None:
            programme = self.editor.programme
            if not programme.timeline.tracks:
                programme = programme.with_changes(
                    timeline=edits.add_track(programme.timeline, self.tr("Voice"))
                )
            t = self.editor.current_track if track is None else track
            t = min(max(t, 0), len(programme.timeline.tracks) - 1)
            name = programme.timeline.tracks[t].name
            start = at
            for path, info in infos:
                programme = add_source_clip(
                    programme, info, name, start, original_path=os.path.abspath(path)
                )
                start = None
            self.editor.apply(programme, history.IMPORT_AUDIO)

        self.jobs.run(self.tr("Importing audio"), work, done, self._error)

    def export_settings(self):
        """MasterSettings for the chosen preset. export/ is imported here, not at start-up:
        it pulls in scipy, which would double the time to the first paint."""
        from export.encoders import EncodingSettings
        from export.master import MasterSettings
        from export.presets import DEFAULT_PRESET, get_preset

        name = self.settings.get("loudness_preset") or DEFAULT_PRESET
        try:
            preset = get_preset(name)
        except StudioError:
            preset = get_preset(DEFAULT_PRESET)
        channels, bitrate, rate = EXPORT_ENCODING.get(preset.name, EXPORT_ENCODING[DEFAULT_PRESET])
        return MasterSettings(
            encoding=EncodingSettings("mp3", rate, channels, bitrate),
            target_lufs=preset.target_lufs,
            ceiling_dbtp=preset.ceiling_dbtp,
            preset=preset.name,
        )

    def _show_export_target(self) -> None:
        from export.presets import DEFAULT_PRESET, get_preset

        try:
            preset = get_preset(self.settings.get("loudness_preset") or DEFAULT_PRESET)
        except StudioError:
            preset = get_preset(DEFAULT_PRESET)
        self.mixer.target_lufs = preset.target_lufs
        self.mixer.set_loudness(None)
        self.exportTargetChanged.emit()

    def export_dialog(self, then=None):
        """Ask where, then export; `then(result)` runs after a successful export. The Job, or
        None when nothing was started."""
        p = self.editor.programme
        if p.timeline.length == 0:
            self.prompts.error(
                StudioError(
                    "The programme is empty: add some audio before exporting.",
                    "Chương trình trống: hãy thêm âm thanh trước khi xuất.",
                ).message()
            )
            return None
        stem = (
            self.editor.session.path.stem if self.editor.session.path else p.title
        ) or "bulletin"
        path = self.prompts.export_path(str(self.home.exports / f"{stem}.mp3"))
        if path:
            return self.export_mp3(path, then)
        return None

    def export_mp3(self, path: str, then=None):
        """Export through the job helper; returns the Job."""
        from export.encoders import Tags
        from export.master import export_master

        programme = self.editor.programme
        timeline = programme.timeline
        rate = timeline.rate
        settings = self.export_settings()
        tags = Tags(
            title=programme.title or Path(path).stem,
            station=self.settings.get("station_name") or programme.meta("station"),
            category=programme.meta("category"),
            author=programme.meta("author"),
            date=programme.meta("date"),
        )

        def work(progress):
            return export_master(
                timeline, lambda sid: self.store.frames(sid, rate), path, settings, tags, progress
            )

        def done(result) -> None:
            self.last_export = result
            self.exported.emit(result)
            if then is not None:
                then(result)
            self.statusBar().showMessage(
                self.tr("Exported %1 (%2, gain %3 dB)")
                .replace("%1", os.path.basename(str(result.path)))
                .replace("%2", clock(result.frames * rate // result.rate, rate))
                .replace("%3", f"{result.gain_db:+.1f}"),
                10000,
            )

        def cancelled() -> None:
            self.statusBar().showMessage(self.tr("Export cancelled"), 5000)

        return self.jobs.run(self.tr("Exporting MP3"), work, done, self._error, cancelled)

    # --- other dialogs ---------------------------------------------------------------------

    def settings_dialog(self) -> None:
        dialog = SettingsDialog(self.settings, self)
        if dialog.exec():
            old_lang = self.settings.get("language")
            dialog.apply()
            from ui.app import apply_theme

            apply_theme(self.settings.get("theme"))
            self.timeline_view.set_dark(self.settings.get("theme") == "dark")
            self._show_export_target()
            if self.settings.get("language") != old_lang:
                self.prompts.info(self.tr("The new language is used after the app restarts."))

    def shortcut_rows(self) -> list[tuple[str, str, str]]:
        rows = []
        for menu in (
            self.file_menu,
            self.edit_menu,
            self.track_menu,
            self.transport_menu,
            self.view_menu,
            self.help_menu,
        ):
            for a in menu.actions():
                if a.isSeparator() or a.menu() is not None:
                    continue
                keys = ", ".join(
                    k.toString(QKeySequence.SequenceFormat.NativeText) for k in a.shortcuts()
                )
                rows.append((menu.title().replace("&", ""), a.text().replace("&", ""), keys))
        return rows

    def show_shortcuts(self) -> None:
        ShortcutsDialog(self.shortcut_rows(), self).exec()

    def about(self) -> None:
        self.prompts.info(
            self.tr("Studio Truyền Thanh — record, edit and publish bulletins for commune radio.")
        )

    # --- closing ---------------------------------------------------------------------------

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        if not self.maybe_save():
            event.ignore()
            return
        self.closing.emit()
        self.playback.close()
        self.jobs.cancel_all()
        self.jobs.wait(10_000)
        self.autosave_timer.stop()
        self.editor.session.close()
        event.accept()


def describe(d: Description | None) -> str:
    return d.text() if d else ""
