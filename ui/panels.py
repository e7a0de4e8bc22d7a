"""The panels written separately, made one with the window.

`StudioPanels(window)` docks the library, the meters, the outbox (tabbed with the mixer) and,
when present, the recording panel, and wires them to the window:

- library: a segment dragged onto a track becomes a clip at the drop position (one undo step)
  and its usage is recorded; Preview plays the segment on its own small player;
- meters: the master's peak (from `Player.levels()`) and its momentary / short-term /
  integrated loudness from `audio.metering.MasterMeter` (fed by the player's render thread,
  measured on its own thread), read by one GUI timer; after an export the loudness-over-time
  graph of the programme and the broadcast-ready report;
- outbox: the `OutboxWorker` thread runs while the window is open; File → Push to
  destination… queues the last export (exporting first when there is none); Destinations…
  opens the destinations dialog;
- recording: R records at the playhead into the armed track through `audio.recording.Overdub`;
  the take lands as a clip (one undo step); unfinished takes found at start are offered back.

Everything stops in `close()` (connected to `MainWindow.closing`).
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
from pathlib import Path

import numpy as np
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from audio.errors import StudioError, current_language
from audio.timeline import Timeline, TrackRole
from studio import edits, history
from studio.edits import add_source_clip
from studio.history import Description
from ui.meters import IntegratedReadout, LoudnessGraph, LoudnessMeterBar

log = logging.getLogger(__name__)

HIDDEN_LIBRARY_COLUMNS = {"category", "last_used", "valid_until"}  # shown from the header menu
METER_MS = 50  # the meters' GUI timer (20 Hz); nothing is signalled per audio block

ADD_SEGMENT = Description(
    "Added segment from the library", "Đã thêm đoạn từ thư viện", "Add segment", "Thêm đoạn"
)
RECORD_TAKE = Description("Recorded take", "Đã thu đoạn mới", "Record", "Thu âm")
RECOVER_TAKES = Description(
    "Recovered unfinished recordings",
    "Đã khôi phục bản thu dở dang",
    "Recover recordings",
    "Khôi phục bản thu",
)


def _db(linear: float) -> float | None:
    return 20 * math.log10(linear) if linear > 0 else None


class MetersPanel(QWidget):
    """Master meters: peak / momentary / short-term bars, integrated against the target, and
    the loudness-over-time graph of the last analysed programme."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("MetersPanel")
        self.bar = LoudnessMeterBar(self, self.tr("Master"))
        self.bar.setFixedWidth(120)  # room for the Vietnamese labels under the bars
        self.readout = IntegratedReadout(self)
        self.graph = LoudnessGraph(self)
        self.graph.setMinimumSize(160, 80)
        self.graph_label = QLabel(self.tr("Loudness over time (after export)"))
        self.graph_label.setWordWrap(True)
        right = QVBoxLayout()
        right.addWidget(self.graph_label)
        right.addWidget(self.graph, 1)
        row = QHBoxLayout()
        row.addWidget(self.bar)
        row.addLayout(right, 1)
        col = QVBoxLayout(self)
        col.setContentsMargins(4, 4, 4, 4)
        col.addWidget(self.readout)
        col.addLayout(row, 1)

    def set_target(self, target_lufs: float, ceiling_dbtp: float, tolerance_lu: float) -> None:
        self.bar.set_target(target_lufs, ceiling_dbtp)
        self.readout.set_target(target_lufs, tolerance_lu)
        self.graph.set_target(target_lufs, tolerance_lu)


def _local_files(mime) -> list[str]:
    if not mime.hasUrls():
        return []
    paths = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()]
    return [p for p in paths if p and os.path.isfile(p)]


class _TimelineDrops(QObject):
    """Event filter on the timeline's viewport: accepts library segments."""

    def __init__(self, panels: StudioPanels):
        super().__init__(panels)
        self.panels = panels

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        from ui.library_dock import SEGMENT_MIME

        kind = event.type()
        view = self.panels.window.timeline_view
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
            files = _local_files(event.mimeData())
            if files and not event.mimeData().hasFormat(SEGMENT_MIME):
                return self._files(kind, event, files)
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            if event.mimeData().hasFormat(SEGMENT_MIME):
                pos = event.position()
                on_track = view.track_at(pos.y()) is not None
                # a line where the clip would start, as when dragging a clip
                self._show_line(self.panels.drop_frame(pos.x()) if on_track else None)
                event.setDropAction(Qt.DropAction.CopyAction)
                event.accept()
                return True
        elif kind == QEvent.Type.DragLeave:
            self._show_line(None)
        elif kind == QEvent.Type.Drop and event.mimeData().hasFormat(SEGMENT_MIME):
            from ui.library_dock import decode_segment_mime

            self._show_line(None)
            pos = event.position()
            done = self.panels.drop_segments(
                decode_segment_mime(event.mimeData()), pos.x(), pos.y()
            )
            if done:
                event.setDropAction(Qt.DropAction.CopyAction)
                event.accept()
            else:
                event.ignore()
            return True
        return False

    def _files(self, kind, event, files: list[str]) -> bool:
        """Audio files dragged in from the desktop are imported where they are dropped."""
        pos = event.position()
        track = self.panels.window.timeline_view.track_at(pos.y())
        frame = self.panels.drop_frame(pos.x())
        if kind == QEvent.Type.Drop:
            self._show_line(None)
            self.panels.window.import_files(files, track, frame)
        else:
            self._show_line(frame)
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        return True

    def _show_line(self, frame: int | None) -> None:
        view = self.panels.window.timeline_view
        if view.snap_frame != frame:
            view.snap_frame = frame
            view.viewport().update()


class StudioPanels(QObject):
    """Docks and wires the separately written panels into `window` (a MainWindow)."""

    def __init__(self, window, library=None, outbox=None, start_worker: bool = True):
        super().__init__(window)
        self.window = window
        self.home = window.home
        self.library = library
        self.outbox = outbox
        self.worker = None
        self.meter = None
        self.overdub = None
        self.recording_timeline = None
        self.round_trip: int | None = None  # frames, from "Measure recording latency"
        self.preview_player = None
        self._closed = False
        self.library_dock = None
        self.outbox_view = None
        self.recording_panel = None

        self._install_library()
        self._install_meters()
        self._install_outbox(start_worker)
        self._install_recording()
        self._add_actions()
        self._arrange()
        window.exported.connect(self._exported)
        window.closing.connect(self.close)

    def _arrange(self) -> None:
        """A layout that leaves the timeline most of a 1366×768 screen: library and recording
        as tabs on the left, the meters beside the mixer/outbox tabs at the bottom."""
        w = self.window
        rec = getattr(self, "recording_dock", None)
        if self.library_dock is not None and rec is not None:
            # Tabify once the window is shown: a second tab group made before that gets
            # duplicate tab bars drawn over each other (seen with PySide6 6.12).
            self._tabify_on_show = (self.library_dock, rec)
            if w.isVisible():
                self._tabify_now()
            else:
                w.installEventFilter(self)
        self._sizes()

    def _sizes(self) -> None:
        w = self.window
        left = self.library_dock or getattr(self, "recording_dock", None)
        if left is not None:
            w.resizeDocks([left], [420], Qt.Orientation.Horizontal)
        # the mixer's strips get the wider share of the bottom row, the meters the rest
        w.resizeDocks([w.mixer_dock, self.meters_dock], [3, 2], Qt.Orientation.Horizontal)
        w.resizeDocks([w.mixer_dock], [230], Qt.Orientation.Vertical)

    def _tabify_now(self) -> None:
        pair, self._tabify_on_show = self._tabify_on_show, None
        if pair:
            self.window.tabifyDockWidget(*pair)
            pair[0].raise_()
            self._sizes()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        if obj is self.window and event.type() == QEvent.Type.Show:
            self.window.removeEventFilter(self)
            QTimer.singleShot(0, self._tabify_now)
        return False

    # --- library ---------------------------------------------------------------------------

    def _install_library(self) -> None:
        from ui.library_dock import LibraryDock

        if self.library is None:
            try:
                from studio.library import open_library

                self.library = open_library(self.home)
            except StudioError as exc:
                self.window.statusBar().showMessage(exc.message(), 10000)
                return
        self.library_dock = LibraryDock(self.library, self.window, preview=self.preview)
        self.window.install_panel("library", self.library_dock)
        self._fit_library_columns()
        self.library_dock.importFinished.connect(lambda _r: None)
        viewport = self.window.timeline_view.viewport()
        viewport.setAcceptDrops(True)
        self._drops = _TimelineDrops(self)
        viewport.installEventFilter(self._drops)

    def _fit_library_columns(self) -> None:
        """Beside the timeline the dock is narrow: the title gets the room, three columns
        start hidden, and the header's context menu shows or hides any column."""
        table = self.library_dock.table
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(48)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        columns = self.library_dock.model.COLUMNS
        for i, (key, _text) in enumerate(columns):
            if i == 0:
                continue
            title = self.library_dock.model.headerData(i, Qt.Orientation.Horizontal)
            action = QAction(str(title), header)
            action.setCheckable(True)
            action.setChecked(key not in HIDDEN_LIBRARY_COLUMNS)
            action.toggled.connect(lambda on, i=i: table.setColumnHidden(i, not on))
            header.addAction(action)
            table.setColumnHidden(i, key in HIDDEN_LIBRARY_COLUMNS)

    def drop_frame(self, x: float) -> int:
        """The timeline frame a segment dropped at viewport x starts at (snapped to clip
        edges, markers and the playhead when snapping is on)."""
        w = self.window
        view = w.timeline_view
        frame = max(0, view.frame_at(x))
        if w.editor.snapping:
            targets = edits.snap_targets(w.editor.timeline, w.editor.playhead)
            snapped = edits.snap(frame, targets, w.editor.snap_tolerance_frames(view.frames_per_px))
            frame = frame if snapped is None else snapped
        return frame

    def drop_segments(self, segments: list[dict], x: float, y: float) -> bool:
        """Place dropped library segments on the track under (x, y) from the frame under x,
        one after the other, as one undo step; then note their usage in the library."""
        w = self.window
        view = w.timeline_view
        track = view.track_at(y)
        if not segments or track is None:
            return False
        start = self.drop_frame(x)
        programme = w.editor.programme
        name = programme.timeline.tracks[track].name
        rate = programme.timeline.rate
        placed = []
        try:
            for seg in segments:
                info = w.store.info(seg["source_id"], rate)
                if info is None:
                    raise StudioError(
                        f"The audio of “{seg.get('title', '')}” is not in the media store at "
                        f"{rate} Hz; import it again.",
                        f"Âm thanh của “{seg.get('title', '')}” không có trong kho ở {rate} Hz; "
                        "hãy nhập lại.",
                    )
                programme = add_source_clip(programme, info, name, start)
                start += info.frames
                placed.append(seg)
        except StudioError as exc:
            w.prompts.error(exc.message())
            return False
        w.editor.apply(programme, ADD_SEGMENT)
        used_in = self._programme_name()
        if self.library is not None:
            for seg in placed:
                try:
                    self.library.record_usage(int(seg["segment_id"]), used_in)
                except StudioError as exc:  # the clip stays; only the usage note failed
                    w.statusBar().showMessage(exc.message(), 8000)
            if self.library_dock is not None:
                self.library_dock.refresh()
        return True

    def _programme_sources(self) -> set[str]:
        return {c.source_id for t in self.window.editor.timeline.tracks for c in t.clips}

    def _programme_name(self) -> str:
        w = self.window
        return (
            w.editor.session.display_name
            or w.editor.programme.title
            or self.tr("Untitled programme")
        )

    def record_programme_usage(
        self, action: str, sources: set[str] | None = None, used_in: str | None = None
    ) -> int:
        """Note in the library that the programme's library segments were exported or pushed
        (any thread: the library has its own writer lock). Returns how many were noted."""
        if self.library is None:
            return 0
        sources = self._programme_sources() if sources is None else sources
        used_in = used_in or self._programme_name()
        noted = 0
        for sid in sources:
            try:
                seg = self.library.by_sha256(sid)
                if seg is not None:
                    self.library.record_usage(seg.id, used_in, action)
                    noted += 1
            except StudioError as exc:  # a usage note never stops an export or a push
                log.warning("usage of %s not recorded: %s", sid, exc)
        return noted

    def preview(self, frames: np.ndarray, rate: int) -> None:
        """Play a library segment on a player of its own (the programme's is stopped)."""
        from audio.timeline import Clip, Track

        w = self.window
        if w.playback.playing:
            w.playback.pause()
        self.stop_preview()
        frames = np.asarray(frames, np.float32)
        if frames.ndim == 1:
            frames = frames[:, None]
        timeline = Timeline(
            rate=rate, tracks=(Track("preview", (Clip("preview", 0, len(frames)),)),)
        )
        try:
            self.preview_player = w.playback.factory(lambda _sid: frames, rate, w.playback.device)
            self.preview_player.set_timeline(timeline)
            self.preview_player.play(0)
        except StudioError as exc:
            self.preview_player = None
            w.prompts.error(exc.message())

    def stop_preview(self) -> None:
        if self.preview_player is not None:
            with contextlib.suppress(Exception):
                self.preview_player.stop()
                closer = getattr(self.preview_player, "close", None)
                if closer:
                    closer()
            self.preview_player = None

    # --- meters ----------------------------------------------------------------------------

    def _install_meters(self) -> None:
        from audio.metering import MasterMeter

        self.meters = MetersPanel()
        self.meters_dock = self.window.install_panel("meters", self.meters)
        self.meter = MasterMeter(self.window.editor.rate)
        self._peak_db: float | None = None
        self.window.playback.aboutToPlay.connect(self._attach_meter)
        self.window.playback.levelsChanged.connect(self._levels)
        self.meter_timer = QTimer(self)
        self.meter_timer.setInterval(METER_MS)
        self.meter_timer.timeout.connect(self.update_meters)
        self.window.playback.stateChanged.connect(self._playing)
        self.window.exportTargetChanged.connect(self.show_target)
        self.show_target()

    def show_target(self) -> None:
        from export.presets import DEFAULT_PRESET, get_preset

        try:
            p = get_preset(self.window.settings.get("loudness_preset") or DEFAULT_PRESET)
        except StudioError:
            p = get_preset(DEFAULT_PRESET)
        self.meters.set_target(p.target_lufs, p.ceiling_dbtp, p.tolerance_lu)

    def _attach_meter(self, player) -> None:
        """Just before playback starts: a fresh measurement, fed by the player's render thread."""
        setter = getattr(player, "set_tap", None)
        if setter is not None and self.meter is not None:
            self.meter.reset()
            setter(self.meter.tap)

    def _levels(self, peaks) -> None:
        self._peak_db = _db(max(peaks)) if peaks else None

    def _playing(self, playing: bool) -> None:
        if playing:
            self.meter_timer.start()
        else:
            self.meter_timer.stop()
            self.meters.bar.set_levels(None, None, None)

    def update_meters(self) -> None:
        """GUI timer: show the latest reading (never waits for the meter thread)."""
        r = self.meter.reading()
        self.meters.bar.set_levels(self._peak_db, r.momentary_lufs, r.short_term_lufs)
        self.meters.readout.set_integrated(r.integrated_lufs)
        self.window.mixer.set_loudness(r.integrated_lufs)  # "fed by the meters"

    # --- export: report and loudness graph ---------------------------------------------------

    def _exported(self, result) -> None:
        path = str(result.path)
        preset_name = self.window.export_settings().preset
        sources = self._programme_sources()
        used_in = self._programme_name()

        def work(progress):
            from audio.loudness import LoudnessMeter
            from audio.media import Decoder
            from export.check import check_file
            from export.presets import get_preset

            dec = Decoder(path)
            meter = LoudnessMeter(dec.rate, dec.channels, true_peak=False)
            total = max(result.frames, 1)
            for block in dec.blocks():
                meter.feed(block if block.ndim == 2 else block[:, None])
                progress(min(meter.frames / total, 1.0) * 0.5)
            report = result.report or check_file(path, get_preset(preset_name))
            self.record_programme_usage("exported", sources, used_in)
            return meter.short_term_series(), meter.integrated_lufs(), report

        def done(out) -> None:
            series, integrated, report = out
            self.meters.graph.set_series(series)
            self.meters.readout.set_integrated(integrated)
            self.window.mixer.set_loudness(integrated)
            self.last_report = report
            self.show_report(report)

        self.window.jobs.run(self.tr("Checking the export"), work, done, self.window._error)

    def report_text(self, report) -> str:
        lang = current_language()
        head = (
            self.tr("Ready for broadcast.")
            if report.passed
            else self.tr("Not ready for broadcast: see the lines marked ✗.")
        )
        lines = [f"{'✓' if ln.passed else '✗'} {ln.message(lang)}" for ln in report.lines]
        return head + "\n\n" + "\n".join(lines)

    def show_report(self, report) -> None:
        text = self.report_text(report)
        if report.passed:
            self.window.prompts.info(text)
        else:
            self.window.prompts.error(text)

    # --- outbox ------------------------------------------------------------------------------

    def _install_outbox(self, start_worker: bool) -> None:
        from studio.outbox import Outbox, OutboxWorker
        from ui.outbox_view import OutboxView

        if self.outbox is None:
            try:
                self.outbox = Outbox.open(self.home)
            except StudioError as exc:
                self.window.statusBar().showMessage(exc.message(), 10000)
                return
        self.worker = OutboxWorker(self.outbox, poll_s=5.0)
        self.outbox_view = OutboxView(self.outbox, self.worker)
        self.outbox_dock = self.window.install_panel("outbox", self.outbox_view)
        if start_worker:
            self.worker.start()  # resumes queued items and takes over stale "sending" ones

    def _add_actions(self) -> None:
        w = self.window
        self.act_push = QAction(self.tr("&Push to destination…"), w)
        self.act_push.setShortcut("Ctrl+Shift+P")
        self.act_push.triggered.connect(lambda _=False: self.push())
        self.act_destinations = QAction(self.tr("&Destinations…"), w)
        self.act_destinations.triggered.connect(lambda _=False: self.destinations_dialog())
        w.addAction(self.act_push)
        self.publish_menu = w.menuBar().addMenu(self.tr("&Publish"))
        w.menuBar().insertMenu(w.view_menu.menuAction(), self.publish_menu)
        self.publish_menu.addAction(self.act_push)
        self.publish_menu.addAction(self.act_destinations)
        w.file_menu.insertAction(w.act_settings, self.act_push)
        w.file_menu.insertSeparator(w.act_settings)
        enabled = self.outbox is not None
        self.act_push.setEnabled(enabled)
        self.act_destinations.setEnabled(enabled)
        w.recordRequested = self.toggle_record
        self.act_latency = QAction(self.tr("Measure recording &latency…"), w)
        self.act_latency.triggered.connect(lambda _=False: self.measure_latency())
        w.transport_menu.insertAction(w.act_start, self.act_latency)
        w.transport_menu.insertSeparator(w.act_start)

    def destinations_dialog(self) -> None:
        from ui.destinations_dialog import DestinationsDialog

        dialog = DestinationsDialog(self.outbox, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.run_dialog(dialog)

    def run_dialog(self, dialog) -> None:
        """Modal in the app; tests replace it."""
        dialog.exec()

    def push(self) -> dict | None:
        """Queue the last export for a destination (export first when there is none)."""
        w = self.window
        last = getattr(w, "last_export", None)
        if last is None or not Path(last.path).is_file():
            w.export_dialog(then=lambda _result: self.push())
            return None
        names = [d.name for d in self.outbox.destinations()]
        if not names:
            if w.prompts.confirm(self.tr("No destination is set up yet. Set one up now?")):
                self.destinations_dialog()
            names = [d.name for d in self.outbox.destinations()]
            if not names:
                return None
        name = (
            names[0]
            if len(names) == 1
            else w.prompts.choose(
                self.tr("Push to destination"),
                self.tr("Send “%1” to:").replace("%1", os.path.basename(str(last.path))),
                names,
            )
        )
        if not name:
            return None
        from ui.outbox_view import priority_label

        labels = {priority_label(p): p for p in ("thuong", "uu-tien", "khan-cap")}
        chosen = w.prompts.choose(
            self.tr("Push to destination"), self.tr("Priority:"), list(labels)
        )
        if chosen is None:
            return None
        title = w.editor.programme.title or Path(last.path).stem
        try:
            row = self.outbox.enqueue(
                last.path, name, metadata={"title": title}, priority=labels[chosen]
            )
        except StudioError as exc:
            w.prompts.error(exc.message())
            return None
        self.worker.wake()
        self.record_programme_usage("pushed")
        self.outbox_view.refresh()
        self.outbox_dock.show()
        self.outbox_dock.raise_()
        w.statusBar().showMessage(self.tr("Queued for %1").replace("%1", name), 5000)
        return row

    # --- recording ---------------------------------------------------------------------------

    def _install_recording(self) -> None:
        try:
            from ui.recording_panel import RecordingPanel
        except ImportError:
            return  # not in this build: R still records with the settings' input
        try:
            self.recording_panel = RecordingPanel(self.home.recordings, self.window.settings)
        except StudioError as exc:  # no input device at all: the window still opens
            self.recording_panel = None
            note = QLabel(exc.message())
            note.setWordWrap(True)
            note.setAlignment(Qt.AlignmentFlag.AlignTop)
            self.recording_dock = self.window.install_panel("recording", note)
            return
        scroller = QScrollArea()  # taller than the space beside the timeline on 768 pixels
        scroller.setWidget(self.recording_panel)
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.recording_dock = self.window.install_panel("recording", scroller)
        self._panel_take_start = 0
        self.recording_panel.record_button.toggled.connect(self._panel_record_toggled)
        self.recording_panel.takeFinished.connect(self.place_panel_take)
        self.recording_panel.problem.connect(
            lambda text: self.window.statusBar().showMessage(text, 10000)
        )

    def _panel_record_toggled(self, on: bool) -> None:
        if on:
            self._panel_take_start = self.window.editor.playhead

    def _target_track(self) -> int:
        """The first armed track, else the current one (a track is made when there is none)."""
        ed = self.window.editor
        if not ed.timeline.tracks:
            self.window.add_track()
        armed = [i for i, t in enumerate(ed.timeline.tracks) if t.armed]
        return armed[0] if armed else min(max(ed.current_track, 0), len(ed.timeline.tracks) - 1)

    def place_panel_take(self, take) -> bool:
        """A take recorded with the panel's own button lands at the playhead where it began,
        on the armed track (one undo step). Overlapped clips move to the takes lane."""
        from audio.timeline import Clip
        from studio.takes import place_take

        w = self.window
        if take is None or take.frames <= 0:
            return False
        track = self._target_track()
        try:
            info = w.store.import_file(take.path, w.editor.rate)
        except StudioError as exc:
            w.prompts.error(exc.message())
            return False
        clip = Clip(
            source_id=info.source_id,
            start=self._panel_take_start,
            length=info.frames,
            name=Path(take.path).stem,
            auto_level=True,
        )
        w.editor.apply(place_take(w.editor.timeline, track, clip), RECORD_TAKE)
        w.statusBar().showMessage(self.tr("Take added to the track."), 5000)
        return True

    def toggle_record(self) -> None:
        if self.overdub is not None:
            self.stop_record()
        else:
            self.start_record()

    def start_record(self) -> bool:
        """Play from the playhead and record into every armed track in one pass (each from
        its own input channels; a track without any takes the input chosen in Settings/the
        recording panel). With no armed track the current one is armed first (an undo step of
        its own). The round trip measured by "Measure recording latency" is compensated."""
        import dataclasses

        from audio.devices import choice_from_settings
        from audio.recording import Overdub, new_take_path
        from studio.takes import armed_inputs

        w = self.window
        ed = w.editor
        if not ed.timeline.tracks:
            w.add_track()
        if not any(t.armed for t in ed.timeline.tracks):
            i = min(max(ed.current_track, 0), len(ed.timeline.tracks) - 1)
            ed.set_track(i, history.TRACK_ARM, armed=True)
        play_from = ed.playhead
        if w.playback.playing:
            w.playback.pause()
            play_from = ed.playhead
        if self.recording_panel is not None:
            with contextlib.suppress(Exception):
                self.recording_panel.stop_monitoring()
        rate = ed.rate
        try:
            choice = choice_from_settings(w.settings)
            default_inputs = tuple(choice.channels) or (0,)
            timeline = ed.timeline
            for i, t in enumerate(timeline.tracks):
                if t.armed and not t.input_channels:
                    timeline = timeline.with_track(i, t.with_changes(input_channels=default_inputs))
            channels, _columns = armed_inputs(timeline)
            choice = dataclasses.replace(choice, channels=channels)
            self.overdub = Overdub(
                choice,
                lambda sid: w.store.frames(sid, rate),
                output_device=w.settings.get("output_device") or None,
            )
            self.overdub.round_trip = self.round_trip
            self.overdub.open()
            warning = self.overdub.record(
                timeline,
                new_take_path(self.home.recordings),
                play_from=play_from,
                meta={"tracks": [t.name for t in timeline.tracks if t.armed]},
            )
        except StudioError as exc:
            self._close_overdub()
            w.prompts.error(exc.message())
            return False
        self.recording_timeline = timeline
        w.act_record.setCheckable(True)
        w.act_record.setChecked(True)
        w.statusBar().showMessage(
            warning.message() if warning else self.tr("Recording… press R to stop.")
        )
        return True

    def measure_latency(self) -> int | None:
        """Play a short noise burst and find it in the input (the output must reach the input:
        a loopback cable or the mixer's monitor); the result is used by every later take."""
        from audio.devices import choice_from_settings
        from audio.recording import Overdub

        w = self.window
        if self.overdub is not None:
            return None
        if w.playback.playing:
            w.playback.pause()  # (stop() would also move the playhead)
        overdub = None
        try:
            overdub = Overdub(
                choice_from_settings(w.settings),
                lambda sid: w.store.frames(sid, w.editor.rate),
                output_device=w.settings.get("output_device") or None,
            )
            overdub.open()
            self.round_trip = overdub.calibrate(self.home.recordings)
        except StudioError as exc:
            w.prompts.error(exc.message())
            return None
        finally:
            if overdub is not None:
                with contextlib.suppress(Exception):
                    overdub.close()
        w.statusBar().showMessage(
            self.tr("Recording latency: %1 ms").replace(
                "%1", f"{1000 * self.round_trip / w.editor.rate:.0f}"
            ),
            8000,
        )
        return self.round_trip

    def stop_record(self):
        """Stop the take and place it on every armed track (one undo step)."""
        from studio.takes import add_overdub_takes

        w = self.window
        overdub, self.overdub = self.overdub, None
        w.act_record.setChecked(False)
        if overdub is None:
            return None
        try:
            result = overdub.stop()
        finally:
            with contextlib.suppress(Exception):
                overdub.close()
        if result is None or result.length <= 0:
            w.statusBar().showMessage(self.tr("Nothing was recorded."), 5000)
            return None
        try:
            # the timeline recorded against (armed tracks carry the inputs used), with any
            # edits made meanwhile: only the armed tracks' input channels are taken from it
            timeline = w.editor.timeline
            for i, t in enumerate(self.recording_timeline.tracks):
                if t.armed and i < len(timeline.tracks) and timeline.tracks[i].name == t.name:
                    timeline = timeline.with_track(
                        i, timeline.tracks[i].with_changes(input_channels=t.input_channels)
                    )
            timeline, _infos = add_overdub_takes(timeline, w.store, result)
        except StudioError as exc:
            w.prompts.error(exc.message())
            return None
        w.editor.apply(timeline, RECORD_TAKE)
        w.statusBar().showMessage(self.tr("Take added to the track."), 5000)
        return result

    def _close_overdub(self) -> None:
        overdub, self.overdub = self.overdub, None
        if overdub is not None:
            with contextlib.suppress(Exception):
                overdub.close()

    def offer_take_recovery(self) -> bool:
        """At start: recordings a crash cut short are offered back; refused ones stay on disk."""
        from audio.recording import find_unfinished_takes

        w = self.window
        found = find_unfinished_takes(self.home.recordings)
        if not found:
            return False
        if not w.prompts.confirm(
            self.tr(
                "%1 recording(s) were cut short when the app stopped. Recover them and add them "
                "to the programme on a track of their own?"
            ).replace("%1", str(len(found)))
        ):
            w.statusBar().showMessage(
                self.tr("The unfinished recordings stay in %1.").replace(
                    "%1", str(self.home.recordings)
                ),
                10000,
            )
            return False
        from studio.takes import recover_unfinished_takes

        def done(items) -> None:
            programme = w.editor.programme
            name = self.tr("Recovered recordings")
            start = 0
            for item in items:
                if item.info is None:
                    continue
                programme = add_source_clip(
                    programme,
                    item.info,
                    name,
                    start,
                    role=TrackRole.VOICE,
                    original_path=str(item.take.path),
                )
                start += item.info.frames
            if start:
                w.editor.apply(programme, RECOVER_TAKES)
            w.statusBar().showMessage(self.tr("Recovered recordings were added."), 8000)

        w.jobs.run(
            self.tr("Recovering recordings"),
            lambda progress: recover_unfinished_takes(self.home),
            done,
            w._error,
        )
        return True

    # --- closing ---------------------------------------------------------------------------

    def close(self) -> None:
        """Stop every thread this object started (the window is closing)."""
        if self._closed:
            return
        self._closed = True
        if self.overdub is not None:
            with contextlib.suppress(Exception):
                self.stop_record()
        self._close_overdub()
        self.stop_preview()
        if hasattr(self, "meter_timer"):
            self.meter_timer.stop()
        if self.outbox_view is not None:
            self.outbox_view.timer.stop()
        if self.worker is not None:
            self.worker.stop(timeout=15.0)
        if self.library_dock is not None:
            with contextlib.suppress(Exception):
                self.library_dock.cancel_import()
            self.library_dock.pool.waitForDone(10_000)
            search_pool = getattr(self.library_dock, "search_pool", None)
            if search_pool is not None:
                search_pool.waitForDone(10_000)
        if self.recording_panel is not None:
            with contextlib.suppress(Exception):
                self.recording_panel.close()
        if self.meter is not None:
            self.meter.close()
        for closer in (self.library, self.outbox):
            if closer is not None:
                with contextlib.suppress(Exception):
                    closer.close()
