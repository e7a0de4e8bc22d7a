"""The recording panel: input chooser, live level meters with clip hold, "check level",
record/stop with dropouts shown as they happen, and timer recording.

A view of one `studio.recording.RecordingSession`: the panel shows the session's state and
calls it, nothing more (the input stays open while the panel monitors, so the meters always
move). It polls `session.poll()` on a 30 Hz QTimer; the audio thread never touches Qt.
Finished takes are announced with `takeFinished(take)`; the recording feature adds them to
the programme.

Strings are English in the source and go through `QCoreApplication.translate
("RecordingPanel", ...)`; Vietnamese is in `resources/translations/recording_vi.ts`.
"""

from __future__ import annotations

import datetime as dt
import math

from PySide6.QtCore import QCoreApplication, QSize, QTime, QTimer, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from audio.errors import StudioError, current_language
from studio.recording import CHECK_SECONDS, RATES, RecordingSession
from ui.recording.input_bar import style_record_button

SILENCE_LUFS = -70.0  # the momentary reading below which the panel shows "—"


def tr(text: str) -> str:
    return QCoreApplication.translate("RecordingPanel", text)


def _clock(frames: int, rate: int) -> str:
    seconds = frames / rate
    m, s = divmod(seconds, 60)
    return f"{int(m):02d}:{s:04.1f}"


class LevelMeter(QWidget):
    """Horizontal peak bars (dBFS, −60…0) per channel, with a clip light held for a while."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._peaks_db: list[float] = []
        self._clipped: list[bool] = []
        self.setMinimumHeight(28)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(240, 36)

    def set_levels(self, peaks: tuple[float, ...], clipped: tuple[bool, ...]) -> None:
        # a falling display: fast attack, 20 dB/s release at 30 Hz
        new = [20 * math.log10(p) if p > 1e-6 else -120.0 for p in peaks]
        if len(new) != len(self._peaks_db):
            self._peaks_db = new
        else:
            self._peaks_db = [max(n, old - 0.7) for n, old in zip(new, self._peaks_db, strict=True)]
        self._clipped = list(clipped)
        self.update()

    @property
    def peaks_db(self) -> list[float]:
        return list(self._peaks_db)

    @property
    def clipped(self) -> list[bool]:
        return list(self._clipped)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        n = max(len(self._peaks_db), 1)
        w, h = self.width() - 18, self.height()
        bar_h = max((h - 2 * (n - 1)) // n, 4)
        for i, db in enumerate(self._peaks_db or [-120.0]):
            y = i * (bar_h + 2)
            p.fillRect(0, y, w, bar_h, QColor("#16181b"))
            p.setPen(QColor("#8a9099"))  # an outline keeps the empty bar visible in the dark theme
            p.drawRect(0, y, w - 1, bar_h - 1)
            frac = min(max((db + 60) / 60, 0.0), 1.0)
            color = (
                QColor("#3cb371")
                if db < -9
                else QColor("#e0a100")
                if db < -1
                else QColor("#d23c2a")
            )
            p.fillRect(0, y, int(w * frac), bar_h, color)
            lit = i < len(self._clipped) and self._clipped[i]
            p.fillRect(w + 4, y, 14, bar_h, QColor("#d23c2a") if lit else QColor("#4a4e54"))
        p.end()


class RecordingPanel(QWidget):
    """Choose the input, watch its level, check it, record takes (now or at a set time)."""

    takeFinished = Signal(object)  # noqa: N815 - Qt naming; the finished audio.recording.Take
    dropoutSeen = Signal(object)  # noqa: N815 - an audio.recording.Dropout, as it happens
    problem = Signal(str)  # a message for the user (already in their language)
    levelsRead = Signal(object)  # noqa: N815 - audio.recording.InputLevels, or None (closed)
    recordingStarted = Signal()  # noqa: N815 - a take began (the button or the timer)

    def __init__(self, session: RecordingSession, parent: QWidget | None = None):
        """StudioError when the computer has no input device at all."""
        super().__init__(parent)
        self.session = session
        self._check_timer = QTimer(self, singleShot=True, interval=CHECK_SECONDS * 1000)
        self._check_timer.timeout.connect(self._finish_check)

        self.host_api = QComboBox()
        self.device = QComboBox()
        self.rate = QComboBox()
        for r in RATES:
            self.rate.addItem(f"{r / 1000:g} kHz", r)
        self.channels = QComboBox()
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.meter = LevelMeter()
        self.loudness = QLabel("—")
        self.check_button = QPushButton(tr("Check level"))
        self.check_result = QLabel()
        self.check_result.setWordWrap(True)
        self.record_button = QPushButton(tr("Record"))
        self.record_button.setCheckable(True)
        style_record_button(self.record_button)
        self.elapsed = QLabel("00:00.0")
        self.dropouts = QListWidget()
        self.dropouts.setMaximumHeight(90)
        self.timer_enabled = QCheckBox(tr("Record at"))
        self.timer_start = QTimeEdit(QTime.currentTime().addSecs(3600))
        self.timer_start.setDisplayFormat("HH:mm")
        self.timer_minutes = QSpinBox(minimum=1, maximum=600, value=30, suffix=tr(" min"))

        form = QFormLayout()
        form.addRow(tr("System"), self.host_api)
        form.addRow(tr("Device"), self.device)
        form.addRow(tr("Sample rate"), self.rate)
        form.addRow(tr("Channels"), self.channels)
        input_box = QGroupBox(tr("Input"))
        input_box.setLayout(form)

        level_row = QHBoxLayout()
        level_row.addWidget(self.meter, 1)
        level_row.addWidget(self.loudness)
        check_row = QHBoxLayout()
        check_row.addWidget(self.check_button)
        check_row.addWidget(self.check_result, 1)
        rec_row = QHBoxLayout()
        rec_row.addWidget(self.record_button)
        rec_row.addWidget(self.elapsed)
        rec_row.addStretch(1)
        timer_row = QHBoxLayout()
        timer_row.addWidget(self.timer_enabled)
        timer_row.addWidget(self.timer_start)
        timer_row.addWidget(QLabel(tr("for")))
        timer_row.addWidget(self.timer_minutes)
        timer_row.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addWidget(input_box)
        layout.addWidget(self.notice)
        layout.addLayout(level_row)
        layout.addLayout(check_row)
        layout.addLayout(rec_row)
        layout.addWidget(QLabel(tr("Dropouts")))
        layout.addWidget(self.dropouts)
        layout.addLayout(timer_row)

        self._populate()
        self.host_api.currentIndexChanged.connect(self._fill_devices)
        self.device.currentIndexChanged.connect(self._fill_channels)
        for combo in (self.device, self.rate, self.channels):
            combo.activated.connect(self._input_changed)
        self.check_button.clicked.connect(self._start_check)
        self.record_button.toggled.connect(self._record_toggled)
        self.timer_enabled.toggled.connect(self._timer_toggled)

        self._tick = QTimer(self, interval=33)  # the meters' 30 Hz
        self._tick.timeout.connect(self._refresh)

    # -- input choice ------------------------------------------------------------------------
    def _populate(self) -> None:
        remembered = self.session.choice
        self.host_api.blockSignals(True)
        self.host_api.clear()
        for name in self.session.host_apis():
            self.host_api.addItem(name, name)
        if remembered is not None:
            i = self.host_api.findData(remembered.device.host_api)
            self.host_api.setCurrentIndex(max(i, 0))
            self.rate.setCurrentIndex(max(self.rate.findData(remembered.rate), 0))
            if remembered.fallback_reason is not None:
                self.notice.setText(remembered.fallback_reason.message())
        self.host_api.blockSignals(False)
        self._fill_devices(remembered)

    def _fill_devices(self, remembered=None) -> None:
        api = self.host_api.currentData()
        self.device.blockSignals(True)
        self.device.clear()
        for d in self.session.input_devices(api):
            self.device.addItem(d.name, d.name)
            if (remembered is None or isinstance(remembered, int)) and d.is_default_input:
                self.device.setCurrentIndex(self.device.count() - 1)
        if remembered is not None and not isinstance(remembered, int):
            self.device.setCurrentIndex(max(self.device.findData(remembered.device.name), 0))
        self.device.blockSignals(False)
        self._fill_channels(remembered)

    def _fill_channels(self, remembered=None) -> None:
        self.channels.clear()
        count = self.session.input_channel_count(
            self.device.currentData(), self.host_api.currentData()
        )
        if count == 0:
            return
        if count >= 2:
            self.channels.addItem(tr("Left (1)"), (0,))
            self.channels.addItem(tr("Right (2)"), (1,))
            self.channels.addItem(tr("Stereo (1+2)"), (0, 1))
            for c in range(2, count):
                self.channels.addItem(tr("Channel {n}").format(n=c + 1), (c,))
        else:
            self.channels.addItem(tr("Mono (1)"), (0,))
        if remembered is not None and not isinstance(remembered, int):
            for i in range(self.channels.count()):
                if self.channels.itemData(i) == tuple(remembered.channels):
                    self.channels.setCurrentIndex(i)

    def _input_changed(self, *_args) -> None:
        try:
            self.session.choose(
                self.host_api.currentData() or "",
                self.device.currentData() or "",
                self.rate.currentData() or 48_000,
                self.channels.currentData() or (0,),
            )
        except StudioError as exc:
            self._show_problem(exc)

    # -- monitoring --------------------------------------------------------------------------
    @property
    def recorder(self):
        """The session's open input (None when not monitoring)."""
        return self.session.recorder

    def start_monitoring(self) -> bool:
        """Open the chosen input so the meters move; False (and a message) if it cannot."""
        choice = self.session.choice
        self.notice.setText(choice.fallback_reason.message() if choice.fallback_reason else "")
        try:
            self.session.monitor()
        except StudioError as exc:
            self._show_problem(exc)
            return False
        self._tick.start()
        return True

    def _show_loudness(self, lufs: float | None) -> None:
        # below the meter's floor a reading is silence, not "-3066.5 LUFS"
        quiet = lufs is None or not math.isfinite(lufs) or lufs < SILENCE_LUFS
        self.loudness.setText("—" if quiet else tr("{lufs} LUFS").format(lufs=f"{lufs:.1f}"))

    def stop_monitoring(self) -> None:
        self._tick.stop()
        self.meter.set_levels((), ())  # the input is closed: no stale level stays up
        self.levelsRead.emit(None)
        self._show_loudness(None)
        take = self.session.stop_monitoring()
        if take is not None:
            self._set_idle()
            self._take_done(take)

    def _show_problem(self, exc: StudioError) -> None:
        text = exc.message(current_language())
        self.notice.setText(text)
        self.problem.emit(text)

    # -- check level -------------------------------------------------------------------------
    def _start_check(self) -> None:
        if not self.session.monitoring and not self.start_monitoring():
            return
        self.session.start_level_check()
        self.check_button.setEnabled(False)
        self.check_result.setText(tr("Listening… read a sentence at your normal voice."))
        self._check_timer.start()

    def _finish_check(self) -> None:
        self.check_button.setEnabled(True)
        if not self.session.monitoring:
            return
        try:
            result = self.session.finish_level_check()
        except StudioError:
            return
        self.check_result.setText(result.message().message(current_language()))
        self.last_check = result

    last_check = None

    # -- recording ---------------------------------------------------------------------------
    def start_recording(self) -> bool:
        if not self.session.monitoring and not self.start_monitoring():
            return False
        try:
            warning = self.session.start_take()
        except StudioError as exc:
            self._show_problem(exc)
            return False
        self._show_recording(warning)
        return True

    def _show_recording(self, warning: StudioError | None) -> None:
        self.notice.setText(warning.message(current_language()) if warning else "")
        self.dropouts.clear()
        self.record_button.blockSignals(True)
        self.record_button.setChecked(True)
        self.record_button.setText(tr("Stop"))
        self.record_button.blockSignals(False)
        self.recordingStarted.emit()

    def stop_recording(self):
        """Finish the take (announced with takeFinished) and return it, or None."""
        take = self.session.stop_take()
        self._set_idle()
        if take is not None:
            self._take_done(take)
        return take

    def _record_toggled(self, on: bool) -> None:
        if on:
            if not self.start_recording():
                self._set_idle()
        else:
            self.stop_recording()

    def _set_idle(self) -> None:
        self.record_button.blockSignals(True)
        self.record_button.setChecked(False)
        self.record_button.setText(tr("Record"))
        self.record_button.blockSignals(False)

    def _take_done(self, take) -> None:
        self._show_dropouts(take.dropouts[self.dropouts.count() :], take.rate)
        if take.ended_by is not None:
            self._show_problem(take.ended_by)
        self.takeFinished.emit(take)

    def _show_dropouts(self, dropouts, rate: int) -> None:
        for drop in dropouts:
            self.dropouts.addItem(
                tr("Dropout at {time}").format(time=_clock(drop.take_frame, rate))
            )
            self.dropoutSeen.emit(drop)

    # -- timer recording ---------------------------------------------------------------------
    def _timer_toggled(self, on: bool) -> None:
        if not on:
            self.session.cancel_schedule()
            return
        start = self.timer_start.time()
        try:
            self.session.schedule(dt.time(start.hour(), start.minute()), self.timer_minutes.value())
        except StudioError as exc:
            self._show_problem(exc)
            return
        self._tick.start()

    # -- 30 Hz refresh -----------------------------------------------------------------------
    def _refresh(self, now: dt.datetime | None = None) -> None:
        state = self.session.poll(now)
        if not state.monitoring and state.error is None:
            return
        if state.levels is not None:
            levels = state.levels
            self.meter.set_levels(levels.peaks, levels.clipped)
            self._show_loudness(levels.momentary_lufs)
            self.levelsRead.emit(levels)
        if state.timer_started:
            self.timer_enabled.setChecked(False)
            self._show_recording(state.notice)
        elif state.notice is not None:
            self._show_problem(state.notice)
        if state.recording:
            self.elapsed.setText(_clock(state.take_frames, state.rate))
        self._show_dropouts(state.new_dropouts, state.rate)
        if state.finished is not None:
            self._set_idle()
            self._take_done(state.finished)
        if state.error is not None:
            self._set_idle()
            self._show_problem(state.error)
            self._tick.stop()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.stop_monitoring()
        super().closeEvent(event)


__all__ = ["LevelMeter", "RecordingPanel"]
