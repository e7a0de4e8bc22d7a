"""The studio window: timeline with track headers, mixer, transport bar and menus.

The window on its own edits, plays, saves and exports a programme (documents, import and
export are in `ui/window/documents.py`). Everything else is a feature (`ui/window/feature.py`)
that docks its own widgets with `add_dock()` and puts its actions into `menus` with
`add_action()`; the window imports none of them.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer, Signal
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

from audio.errors import localized
from audio.timeline import TrackRole
from studio import edits
from studio.balance import Balancer
from studio.exporting import ExportService
from studio.history import Description
from studio.media import open_media_store
from studio.paths import StudioHome
from studio.settings import Settings
from ui.jobs import JobRunner
from ui.looks import ICON_PROPERTY, apply_theme, refresh_toolbar_icons
from ui.prompts import Prompts
from ui.timefmt import clock
from ui.timeline.editor import Editor
from ui.timeline.tracks import MixerPanel, TrackHeaderPanel
from ui.timeline.transport import PlaybackController, default_player_factory
from ui.timeline.view import TimelineView
from ui.timeline.waveform import WaveformSource
from ui.window.dialogs import GuideDialog, SettingsDialog, ShortcutsDialog
from ui.window.documents import DocumentActions
from ui.window.feature import FeatureHost, Features


class MainWindow(FeatureHost, DocumentActions, QMainWindow):
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
        self.store = open_media_store(self.home)
        self.exports = ExportService(self.home, settings, self.store)
        self.prompts = Prompts(self)
        self.jobs = JobRunner(self, synchronous=synchronous_jobs)
        self.editor = Editor(self.home, parent=self)
        self.editor.set_balancer(Balancer(self.store, settings))
        self.waveforms = WaveformSource(self.store, self.editor.rate)
        self.playback = PlaybackController(
            self.editor,
            lambda sid: self.store.frames(sid, self.editor.rate),
            player_factory,
            settings.get("output_device") or None,
            parent=self,
        )
        self.docks: dict[str, QDockWidget] = {}
        self.features = Features()  # filled by ui.window.feature.install_features
        self._beside: dict[QDockWidget, list[QDockWidget]] = {}
        self._tab_groups: set[QDockWidget] = set()
        self._pending_tabs: list[tuple[QDockWidget, QDockWidget]] = []
        self.setObjectName("MainWindow")
        self.setDockOptions(
            QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks
        )
        self._build_central()
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_mixer()
        self._toolbar_looks()
        self.statusBar().showMessage(self.tr("Ready"))
        self.editor.documentChanged.connect(self._update_title)
        self.editor.changed.connect(self._update_actions)
        self.editor.selectionChanged.connect(self._update_actions)
        self.editor.message.connect(lambda m: self.statusBar().showMessage(m, 5000))
        self.editor.playheadChanged.connect(self._show_time)
        self.playback.stateChanged.connect(self._playing_changed)
        self.playback.failed.connect(lambda text: self.prompts.error(text))
        self.playback.levelsChanged.connect(self.mixer.set_levels)
        self.playback.trackLevelsChanged.connect(self.mixer.set_track_levels)
        self.playback.trackLevelsChanged.connect(self.headers.set_track_levels)
        self.editor.sessionReplaced.connect(self.playback.silence)
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
        col.setSpacing(0)
        col.addLayout(row, 1)
        self._central_column = col
        self.setCentralWidget(central)

    def add_bar(self, widget: QWidget) -> None:
        """A feature's bar above the timeline (e.g. the record bar), in the window's own
        column so that no dock arrangement can hide it."""
        self._central_column.insertWidget(0, widget)

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
        self.act_export = A(self.tr("&Export…"), self.export_dialog, "Ctrl+E")
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
        self.act_start = A(self.tr("Go to s&tart"), lambda: self._goto(0), "Home")
        self.act_end = A(
            self.tr("Go to &end"), lambda: self._goto(self.editor.timeline.length), "End"
        )
        self.act_loop = A(self.tr("&Loop selected range"), self._set_loop, "L", checkable=True)
        self.act_back = A(self.tr("Playhead back 1 s"), lambda: self._step(-1.0), "Left")
        self.act_fwd = A(self.tr("Playhead forward 1 s"), lambda: self._step(1.0), "Right")
        self.act_nudge_l = A(self.tr("Nudge clips left"), lambda: ed.nudge(-1), "Ctrl+Left")
        self.act_nudge_r = A(self.tr("Nudge clips right"), lambda: ed.nudge(1), "Ctrl+Right")
        self.act_guide = A(self.tr("&User guide"), self.show_guide, "Shift+F1")
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
        self.help_menu.addAction(self.act_guide)
        self.help_menu.addAction(self.act_help)
        self.help_menu.addAction(self.act_about)
        self.menus = {
            "file": self.file_menu,
            "edit": self.edit_menu,
            "track": self.track_menu,
            "transport": self.transport_menu,
            "view": self.view_menu,
            "help": self.help_menu,
        }

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

    # action attribute → (icon in resources/icons/toolbar/, short label under it or None)
    TOOLBAR_LOOKS = {
        "act_start": ("start", None),
        "act_play": ("play", "Play"),
        "act_stop": ("stop", None),
        "act_end": ("end", None),
        "act_loop": ("loop", "Loop"),
        "act_undo": ("undo", "Undo"),
        "act_redo": ("redo", "Redo"),
        "act_split": ("split", "Split"),
        "act_delete": ("delete", None),
        "act_zoom_out": ("zoom-out", None),
        "act_zoom_in": ("zoom-in", None),
        "act_zoom_fit": ("zoom-fit", "Fit"),
        "act_snap": ("snap", "Snap"),
    }

    def _toolbar_looks(self) -> None:
        """Icons with a short label under them, so that every toolbar action fits at 1366 px
        (the full name and the keys are in the tooltip)."""
        tb = self.transport_bar
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
        tb.setIconSize(QSize(22, 22))
        short = {
            "Play": self.tr("Play"),
            "Loop": self.tr("Loop"),
            "Undo": self.tr("Undo"),  # not the menu's "Undo <what>": it would widen the bar
            "Redo": self.tr("Redo"),
            "Split": self.tr("Split"),
            "Fit": self.tr("Fit"),
            "Snap": self.tr("Snap"),
        }
        for attr, (icon, label) in self.TOOLBAR_LOOKS.items():
            action = getattr(self, attr, None)
            if action is None:
                continue
            action.setProperty(ICON_PROPERTY, icon)
            if label:
                action.setIconText(short[label])
            if attr not in ("act_undo", "act_redo"):  # theirs say what would be undone
                keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                name = action.text().replace("&", "")
                action.setToolTip(f"{name} ({keys})" if keys else name)
        self.refresh_toolbar_icons()

    def refresh_toolbar_icons(self) -> None:
        """Icons in the current theme's colours (features' actions too, once installed)."""
        refresh_toolbar_icons(self.transport_bar, self.settings.get("theme") == "dark")

    # --- state shown -----------------------------------------------------------------------

    def _show_time(self, frame: int) -> None:
        self.time_label.setText(clock(frame, self.editor.rate))

    def _update_title(self) -> None:
        s = self.editor.session
        name = s.display_name or self.tr("Untitled programme")
        star = "*" if s.dirty else ""
        station = self.settings.get("station_name")  # set in the first-start assistant
        self.setWindowTitle(f"{name}{star} — {station or 'Studio Truyền Thanh'}")
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

    # --- other dialogs ---------------------------------------------------------------------

    def settings_dialog(self) -> None:
        presets = self.exports.presets()  # the export dialog makes every format
        sections = [s for f in self.features.values() if (s := f.settings_section())]
        dialog = SettingsDialog(
            self.settings, self, presets, self.exports.chosen_name(), sections, home=self.home
        )
        if dialog.exec():
            old_lang = self.settings.get("language")
            dialog.apply()
            self._update_title()
            if dialog.media_moves:
                self.prompts.info(
                    localized(
                        "The audio folder moves to the new place the next time the app starts.",
                        "Thư mục âm thanh sẽ được chuyển sang nơi mới ở lần mở chương trình sau.",
                    )
                )
            apply_theme(self.settings.get("theme"))
            self.refresh_toolbar_icons()
            self.timeline_view.set_dark(self.settings.get("theme") == "dark")
            self._show_export_target()
            if self.settings.get("language") != old_lang:
                self.prompts.info(self.tr("The new language is used after the app restarts."))

    def shortcut_rows(self) -> list[tuple[str, str, str]]:
        rows = []
        menus = [m for m in self.menuBar().actions() if m.menu() is not None]
        for menu in (m.menu() for m in menus):
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

    def show_guide(self) -> GuideDialog:
        """Help → User guide, not modal: it can stay open beside the window."""
        dialog = getattr(self, "guide_dialog", None)
        if dialog is None:
            self.guide_dialog = dialog = GuideDialog(parent=self)
        dialog.show()
        dialog.raise_()
        return dialog

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
