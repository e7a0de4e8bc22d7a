"""The recording feature: the recording panel (tabbed with the library), R / Transport →
Record for takes over the programme, Transport → Measure recording latency, and unfinished
takes offered back at start.

- a take made with the panel's own Record button lands at the playhead where it began, on the
  armed track (one undo step; older clips move to the takes lane);
- R plays from the playhead and records every armed track in one pass through
  `audio.recording.Overdub` (a track without input channels takes the input chosen in
  Settings), arming the current track when none is; R again places the takes (one undo step);
- the measured round trip is compensated in later takes;
- without any input device the dock shows the reason and the window still opens.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea

from audio.errors import StudioError
from audio.timeline import TrackRole
from studio import history
from studio.edits import add_source_clip
from studio.history import Description
from ui.window.feature import Feature

RECORD_TAKE = Description("Recorded take", "Đã thu đoạn mới", "Record", "Thu âm")
RECOVER_TAKES = Description(
    "Recovered unfinished recordings",
    "Đã khôi phục bản thu dở dang",
    "Recover recordings",
    "Khôi phục bản thu",
)


class RecordingFeature(Feature):
    """The recording panel and the programme's record / latency / recovery actions."""

    key = "recording"

    def __init__(self, window, options: dict | None = None):
        super().__init__(window, options)
        self.home = window.home
        self.overdub = None
        self.recording_timeline = None
        self.round_trip: int | None = None  # frames, from "Measure recording latency"
        self.panel = None
        # A feature that started the panel's take for itself (the script's item takes) gets
        # that one take instead of the playhead: set before starting, cleared once it is used.
        self.take_owner = None
        self._add_actions()
        self._install_panel()

    def _add_actions(self) -> None:
        w = self.window
        self.act_record = QAction(self.tr("&Record"), w)
        self.act_record.setShortcut(QKeySequence("R"))
        self.act_record.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.act_record.triggered.connect(lambda _=False: self.toggle_record())
        w.add_action("transport", self.act_record, after=w.act_stop)
        w.transport_bar.insertAction(w.act_end, self.act_record)
        self.act_latency = QAction(self.tr("Measure recording &latency…"), w)
        self.act_latency.triggered.connect(lambda _=False: self.measure_latency())
        w.add_action("transport", self.act_latency, before=w.act_start, separator=True)

    def start(self) -> None:
        self.offer_take_recovery()

    def _install_panel(self) -> None:
        from ui.recording.panel import RecordingPanel

        try:
            self.panel = RecordingPanel(self.home.recordings, self.window.settings)
        except StudioError as exc:  # no input device at all: the window still opens
            self.panel = None
            note = QLabel(exc.message())
            note.setWordWrap(True)
            note.setAlignment(Qt.AlignmentFlag.AlignTop)
            self.dock = self.window.add_dock(
                "recording", note, self.tr("Recording"), tab_with=self._library_dock()
            )
            return
        scroller = QScrollArea()  # taller than the space beside the timeline on 768 pixels
        scroller.setWidget(self.panel)
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.dock = self.window.add_dock(
            "recording", scroller, self.tr("Recording"), tab_with=self._library_dock()
        )
        self._panel_take_start = 0
        self.panel.record_button.toggled.connect(self._panel_record_toggled)
        self.panel.takeFinished.connect(self.place_panel_take)
        self.panel.problem.connect(lambda text: self.window.statusBar().showMessage(text, 10000))

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

        if self.take_owner is not None:
            owner, self.take_owner = self.take_owner, None
            return owner(take)
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
        if self.panel is not None:
            with contextlib.suppress(Exception):
                self.panel.stop_monitoring()
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
        self.act_record.setCheckable(True)
        self.act_record.setChecked(True)
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
        self.act_record.setChecked(False)
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

    def _library_dock(self):
        return self.window.docks.get("library")

    def close(self) -> None:
        """Stop the take (placing it) and the panel's input."""
        if self.overdub is not None:
            with contextlib.suppress(Exception):
                self.stop_record()
        self._close_overdub()
        if self.panel is not None:
            with contextlib.suppress(Exception):
                self.panel.close()


def install(window, options: dict) -> RecordingFeature:
    return RecordingFeature(window, options)
