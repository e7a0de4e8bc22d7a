"""The recording feature: the recording panel (tabbed with the library), R / Transport →
Record for takes over the programme, Transport → Measure recording latency, and unfinished
takes offered back at start. The flows are `studio.recording.RecordingSession`'s; this
module only asks, shows and records the undo steps.

- a take made with the panel's own Record button lands at the playhead where it began, on the
  armed track (one undo step; older clips move to the takes lane);
- R plays from the playhead and records every armed track in one pass (a track without input
  channels takes the input chosen in Settings), arming the current track when none is; R
  again places the takes (one undo step);
- the measured round trip is compensated in later takes;
- without any input device the dock shows the reason and the window still opens.
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea

from audio.errors import StudioError
from studio import history
from studio.history import Description
from studio.recording import RecordingSession
from ui.recording.input_bar import RecordBar, record_icon, style_record_button
from ui.timefmt import clock
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
        self.session = RecordingSession(window.home, window.settings, window.store)
        self.panel = None
        # A feature that started the panel's take for itself (the script's item takes) gets
        # that one take instead of the playhead: set before starting, cleared once it is used.
        self.take_owner = None
        # where the owner will place that take, (start frame, track), to draw it growing there
        self.owner_place: tuple[int, int] | None = None
        self._panel_take_start = 0
        self._panel_take_track = 0
        # The take grows on its track and the playhead runs with it: read on the GUI timer
        # from the recorder's published peaks (the audio thread never touches Qt).
        self._live_timer = QTimer(window, interval=33)
        self._live_timer.timeout.connect(self.show_live)
        self._starting = False  # R is opening its own stream: the monitor stays closed
        self._monitor_for_arm = False  # the input was opened because a track was armed
        self._last_armed: list[str] = []
        self._add_actions()
        self._install_panel()
        self.bar = RecordBar(self.act_record)
        window.add_bar(self.bar)
        if self.panel is not None:
            self.panel.levelsRead.connect(self._panel_levels)
        window.editor.changed.connect(self._armed_changed)
        self._armed_changed()

    def _add_actions(self) -> None:
        w = self.window
        self.act_record = QAction(self.tr("&Record"), w)
        self.act_record.setShortcut(QKeySequence("R"))
        self.act_record.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.act_record.setCheckable(True)
        self.act_record.setIcon(record_icon())
        self.act_record.setToolTip(self.tr("Record on the armed track from the playhead (R)"))
        self.act_record.triggered.connect(lambda _=False: self.toggle_record())
        w.add_action("transport", self.act_record, after=w.act_stop)
        w.transport_bar.insertAction(w.act_end, self.act_record)
        button = w.transport_bar.widgetForAction(self.act_record)
        if button is not None:  # red and with its dot in the text-only toolbar too
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            style_record_button(button)
        self.act_latency = QAction(self.tr("Measure recording &latency…"), w)
        self.act_latency.triggered.connect(lambda _=False: self.measure_latency())
        w.add_action("transport", self.act_latency, before=w.act_start, separator=True)

    def start(self) -> None:
        self.offer_take_recovery()

    def _install_panel(self) -> None:
        from ui.recording.panel import RecordingPanel

        try:
            self.panel = RecordingPanel(self.session)
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
        self.panel.recordingStarted.connect(lambda: self._panel_record_toggled(True))
        self.panel.takeFinished.connect(self.place_panel_take)
        self.panel.problem.connect(lambda text: self.window.statusBar().showMessage(text, 10000))

    @property
    def overdub(self):
        """The overdub pass running (R), or None."""
        return self.session.overdub

    @property
    def round_trip(self) -> int | None:
        return self.session.round_trip

    def _panel_record_toggled(self, on: bool) -> None:
        """The panel's take began (its button, or the timer): it lands at the playhead, or
        where its owner (the script) said it will place it."""
        if not on:
            return
        ed = self.window.editor
        if self.take_owner is not None:
            if self.owner_place is None:
                return
            self._panel_take_start, self._panel_take_track = self.owner_place
        else:
            self._panel_take_start = ed.playhead
            if ed.timeline.tracks:
                self._panel_take_track = self.session.take_track(ed.timeline, ed.current_track)
            else:
                self._panel_take_track = 0
        self.bar.meter.reset_clip()  # a new take: the clip light is about this one
        self.bar.set_elapsed(clock(0, ed.rate))
        self.bar.show()
        self._live_timer.start()

    def show_live(self) -> None:
        """On the GUI timer: draw the take growing on its track(s), move the playhead to
        where the recording is; once nothing records, stop drawing it."""
        w = self.window
        live = None
        if self.session.overdubbing:
            live = self.session.live_overdub()
        elif self.session.recording:
            live = self.session.live_take(self._panel_take_start, self._panel_take_track)
        if live is None and not (self.session.overdubbing or self.session.recording):
            self._live_timer.stop()
            w.timeline_view.set_live(None)
            self._armed_changed()
            return
        w.timeline_view.set_live(live)
        recorder = self.overdub.recorder if self.overdub is not None else self.session.recorder
        if self.overdub is not None:  # the panel's timer reads its own input
            self.bar.set_levels(recorder.levels())
        if live is not None:
            w.editor.set_playhead(live.end)
            take = recorder.take if recorder is not None else None
            self.bar.set_elapsed(
                clock(live.length, w.editor.rate), len(take.dropouts) if take else 0
            )

    def place_panel_take(self, take) -> bool:
        """A take recorded with the panel's own button lands at the playhead where it began,
        on the armed track (one undo step). Overlapped clips move to the takes lane."""
        if self.take_owner is not None:
            owner, self.take_owner, self.owner_place = self.take_owner, None, None
            self.window.timeline_view.set_live(None)
            return owner(take)
        w = self.window
        if take is None or take.frames <= 0:
            return False
        ed = w.editor
        w.timeline_view.set_live(None)
        if not ed.timeline.tracks:
            w.add_track()
        track = min(self._panel_take_track, len(ed.timeline.tracks) - 1)
        try:
            timeline = self.session.place_take(ed.timeline, take, self._panel_take_start, track)
        except StudioError as exc:
            w.prompts.error(exc.message())
            return False
        ed.apply(timeline, RECORD_TAKE)
        w.statusBar().showMessage(self.tr("Take added to the track."), 5000)
        return True

    def toggle_record(self) -> None:
        if self.session.overdubbing:
            self.stop_record()
        else:
            self.start_record()
        self.act_record.setChecked(self.session.overdubbing)

    # -- the record bar ------------------------------------------------------------------------
    def _armed_names(self) -> list[str]:
        return [t.name for t in self.window.editor.timeline.tracks if t.armed]

    def _armed_changed(self) -> None:
        """Show the record bar while a track is armed or a take runs; keep the input open
        while armed so its meter moves (closed again when nothing is armed)."""
        recording = self.session.overdubbing or self.session.recording
        armed = self._armed_names()
        self.bar.setVisible(bool(armed) or recording)
        if recording:
            return
        source = ""
        with contextlib.suppress(StudioError):
            source = self.session.choice.device.name
        self.bar.set_idle(armed, source)
        # only when the armed tracks change: an input that will not open is not retried
        # (nor its error repeated) on every edit
        changed, self._last_armed = armed != self._last_armed, armed
        if self.panel is None or self._starting or not changed:
            return
        if armed and not self.session.monitoring:
            self._monitor_for_arm = self.panel.start_monitoring()
        elif not armed and self._monitor_for_arm and self.session.monitoring:
            self._monitor_for_arm = False
            self.panel.stop_monitoring()

    def _resume_monitor(self) -> None:
        """After R: the armed track's input opens again for the meter (not when closing)."""
        if not self._closing:
            self._last_armed = []
            self._armed_changed()

    _closing = False

    def _panel_levels(self, levels) -> None:
        if not self.session.overdubbing:
            self.bar.set_levels(levels)

    def start_record(self) -> bool:
        """Play from the playhead and record into every armed track in one pass (each from
        its own input channels; a track without any takes the input chosen in Settings/the
        recording panel). With no armed track the current one is armed first (an undo step of
        its own). The round trip measured by "Measure recording latency" is compensated."""
        w = self.window
        ed = w.editor
        if not ed.timeline.tracks:
            w.add_track()
        if w.playback.playing:
            w.playback.pause()
        self._starting = True
        try:
            if not any(t.armed for t in ed.timeline.tracks):
                i = min(max(ed.current_track, 0), len(ed.timeline.tracks) - 1)
                ed.set_track(i, history.TRACK_ARM, armed=True)
            if self.panel is not None:
                self.panel.stop_monitoring()
            self._monitor_for_arm = False
            try:
                warning = self.session.start_overdub(ed.timeline, ed.playhead)
            except StudioError as exc:
                w.prompts.error(exc.message())
                return False
        finally:
            self._starting = False
        self.bar.meter.reset_clip()
        self.bar.set_elapsed(clock(0, ed.rate))
        self.bar.show()
        self.act_record.setCheckable(True)
        self.act_record.setChecked(True)
        self._live_timer.start()
        w.statusBar().showMessage(
            warning.message() if warning else self.tr("Recording… press R to stop.")
        )
        return True

    def measure_latency(self) -> int | None:
        """Play a short noise burst and find it in the input (the output must reach the input:
        a loopback cable or the mixer's monitor); the result is used by every later take."""
        w = self.window
        if self.session.overdubbing:
            return None
        if w.playback.playing:
            w.playback.pause()  # (stop() would also move the playhead)
        if self.panel is not None:
            self.panel.stop_monitoring()
        try:
            lag = self.session.measure_latency(w.editor.rate)
        except StudioError as exc:
            w.prompts.error(exc.message())
            return None
        w.statusBar().showMessage(
            self.tr("Recording latency: %1 ms").replace("%1", f"{1000 * lag / w.editor.rate:.0f}"),
            8000,
        )
        return lag

    def stop_record(self):
        """Stop the pass and place the takes on every armed track (one undo step). The new
        timeline, or None when nothing was recorded."""
        w = self.window
        self.act_record.setChecked(False)
        if not self.session.overdubbing:
            return None
        try:
            timeline = self.session.stop_overdub(w.editor.timeline)
        except StudioError as exc:
            w.prompts.error(exc.message())
            return None
        finally:
            w.timeline_view.set_live(None)
            self._resume_monitor()
        if timeline is None:
            w.statusBar().showMessage(self.tr("Nothing was recorded."), 5000)
            return None
        w.editor.apply(timeline, RECORD_TAKE)
        gaps = self.session.last_playback_gaps
        if gaps:
            # the take is still aligned; what the reader heard had a gap, so they may want to
            # read that part again
            w.statusBar().showMessage(
                self.tr(
                    "Take added to the track. The programme you heard broke up %1 time(s) "
                    "(the computer was busy): listen back to the take."
                ).replace("%1", str(gaps)),
                15000,
            )
        else:
            w.statusBar().showMessage(self.tr("Take added to the track."), 5000)
        return timeline

    def offer_take_recovery(self) -> bool:
        """At start: recordings a crash cut short are offered back; refused ones stay on disk."""
        w = self.window
        found = self.session.unfinished_takes()
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
                    "%1", str(self.session.recordings)
                ),
                10000,
            )
            return False

        def done(items) -> None:
            programme, filled = self.session.add_recovered(
                w.editor.programme, items, self.tr("Recovered recordings")
            )
            if filled:
                w.editor.apply(programme, RECOVER_TAKES)
            w.statusBar().showMessage(self.tr("Recovered recordings were added."), 8000)

        w.jobs.run(
            self.tr("Recovering recordings"),
            lambda progress: self.session.recover(),
            done,
            w._error,
        )
        return True

    def _library_dock(self):
        return self.window.docks.get("library")

    def close(self) -> None:
        """Stop a pass of R (placing its takes) and the panel's input."""
        self._closing = True
        self._live_timer.stop()
        if self.session.overdubbing:
            with contextlib.suppress(Exception):
                self.stop_record()
        if self.panel is not None:
            with contextlib.suppress(Exception):
                self.panel.close()
        self.session.close()


def install(window, options: dict) -> RecordingFeature:
    return RecordingFeature(window, options)
