"""The recording panel: input chooser, live level meters with clip hold, "check level",
record/stop with dropouts shown as they happen, and timer recording.

A standalone widget the main window places where it likes. It owns one `audio.recording
.Recorder` (the input stays open while the panel monitors, so the meters always move) and
reads it on a 30 Hz QTimer; the audio thread never touches Qt. Finished takes are announced
with `takeFinished(Take)`; the window adds them to the programme.

Strings are English in the source and go through `QCoreApplication.translate
("RecordingPanel", ...)`; Vietnamese is in `resources/translations/recording_vi.ts`.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

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

from audio import devices
from audio.errors import StudioError, current_language
from audio.recording import CLIP_HOLD_S, Dropout, Recorder, Take, new_take_path

CHECK_SECONDS = 6


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
            p.fillRect(0, y, w, bar_h, QColor("#2a2d31"))
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

    def __init__(self, recordings: Path, settings=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.recordings = Path(recordings)
        self.settings = settings
        self.recorder: Recorder | None = None
        self._dropouts_shown = 0
        self._check_timer = QTimer(self, singleShot=True, interval=CHECK_SECONDS * 1000)
        self._check_timer.timeout.connect(self._finish_check)
        self._timer_stop: dt.datetime | None = None

        self.host_api = QComboBox()
        self.device = QComboBox()
        self.rate = QComboBox()
        for r in devices.SUPPORTED_RATES:
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
        remembered = devices.choice_from_settings(self.settings) if self.settings else None
        self.host_api.blockSignals(True)
        self.host_api.clear()
        for name in devices.host_apis():
            if devices.input_devices(name):
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
        for d in devices.input_devices(api):
            self.device.addItem(d.name, d.name)
            if (remembered is None or isinstance(remembered, int)) and d.is_default_input:
                self.device.setCurrentIndex(self.device.count() - 1)
        if remembered is not None and not isinstance(remembered, int):
            self.device.setCurrentIndex(max(self.device.findData(remembered.device.name), 0))
        self.device.blockSignals(False)
        self._fill_channels(remembered)

    def _fill_channels(self, remembered=None) -> None:
        try:
            dev = devices.find_device(
                self.device.currentData(), "input", self.host_api.currentData()
            )
        except StudioError:
            self.channels.clear()
            return
        self.channels.clear()
        count = min(dev.max_input_channels, 8)
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

    def choice(self) -> devices.InputChoice:
        return devices.choose_input(
            self.host_api.currentData() or "",
            self.device.currentData() or "",
            self.rate.currentData() or 48_000,
            self.channels.currentData() or (0,),
        )

    def _input_changed(self, *_args) -> None:
        if self.settings is not None:
            devices.remember_choice(self.settings, self.choice())
            self.settings.save()
        if self.recorder is not None and not self.recorder.recording:
            self.start_monitoring()

    # -- monitoring --------------------------------------------------------------------------
    def start_monitoring(self) -> bool:
        """Open the chosen input so the meters move; False (and a message) if it cannot."""
        self.stop_monitoring()
        choice = self.choice()
        self.notice.setText(choice.fallback_reason.message() if choice.fallback_reason else "")
        recorder = Recorder(choice)
        try:
            recorder.open()
        except StudioError as exc:
            self._show_problem(exc)
            return False
        self.recorder = recorder
        self._tick.start()
        return True

    def stop_monitoring(self) -> None:
        self._tick.stop()
        if self.recorder is not None:
            take = self.recorder.close()
            self.recorder = None
            if take is not None:
                self._take_done(take)

    def _show_problem(self, exc: StudioError) -> None:
        text = exc.message(current_language())
        self.notice.setText(text)
        self.problem.emit(text)

    # -- check level -------------------------------------------------------------------------
    def _start_check(self) -> None:
        if self.recorder is None and not self.start_monitoring():
            return
        self.recorder.start_level_check()
        self.check_button.setEnabled(False)
        self.check_result.setText(tr("Listening… read a sentence at your normal voice."))
        self._check_timer.start()

    def _finish_check(self) -> None:
        self.check_button.setEnabled(True)
        if self.recorder is None:
            return
        result = self.recorder.finish_level_check()
        self.check_result.setText(result.message().message(current_language()))
        self.last_check = result

    last_check = None

    # -- recording ---------------------------------------------------------------------------
    def start_recording(self) -> bool:
        if self.recorder is None and not self.start_monitoring():
            return False
        try:
            warning = self.recorder.start_take(new_take_path(self.recordings))
        except StudioError as exc:
            self._show_problem(exc)
            return False
        self.notice.setText(warning.message(current_language()) if warning else "")
        self.dropouts.clear()
        self._dropouts_shown = 0
        self.record_button.blockSignals(True)
        self.record_button.setChecked(True)
        self.record_button.setText(tr("Stop"))
        self.record_button.blockSignals(False)
        return True

    def stop_recording(self) -> Take | None:
        if self.recorder is None:
            return None
        take = self.recorder.stop_take()
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
        self._timer_stop = None
        self.record_button.blockSignals(True)
        self.record_button.setChecked(False)
        self.record_button.setText(tr("Record"))
        self.record_button.blockSignals(False)

    def _take_done(self, take: Take) -> None:
        self._show_new_dropouts(take)
        if take.ended_by is not None:
            self._show_problem(take.ended_by)
        self.takeFinished.emit(take)

    def _show_new_dropouts(self, take: Take) -> None:
        while self._dropouts_shown < len(take.dropouts):
            drop: Dropout = take.dropouts[self._dropouts_shown]
            self._dropouts_shown += 1
            self.dropouts.addItem(
                tr("Dropout at {time}").format(time=_clock(drop.take_frame, take.rate))
            )
            self.dropoutSeen.emit(drop)

    # -- timer recording ---------------------------------------------------------------------
    def _timer_toggled(self, on: bool) -> None:
        if on and self.recorder is None:
            self.start_monitoring()

    def _timer_due(self, now: dt.datetime) -> None:
        if not self.timer_enabled.isChecked() or (self.recorder and self.recorder.recording):
            return
        start = self.timer_start.time()
        if (now.hour, now.minute) == (start.hour(), start.minute()):
            self.timer_enabled.setChecked(False)
            if self.start_recording():
                self._timer_stop = now + dt.timedelta(minutes=self.timer_minutes.value())

    # -- 30 Hz refresh -----------------------------------------------------------------------
    def _refresh(self) -> None:
        rec = self.recorder
        if rec is None:
            return
        levels = rec.levels()
        self.meter.set_levels(levels.peaks, levels.clipped)
        m = levels.momentary_lufs
        self.loudness.setText("—" if m is None else tr("{lufs} LUFS").format(lufs=f"{m:.1f}"))
        now = dt.datetime.now()
        self._timer_due(now)
        take = rec.take
        if take is not None:
            self.elapsed.setText(_clock(take.frames, take.rate))
            self._show_new_dropouts(take)
            if self._timer_stop is not None and now >= self._timer_stop:
                self.stop_recording()
        elif self.record_button.isChecked() and not rec.recording:
            # the take ended by itself (disk full, device gone)
            self._set_idle()
            if rec.last_take is not None:
                self._take_done(rec.last_take)
        if rec.error is not None and not rec.recording:
            self._show_problem(rec.error)
            self.recorder = None
            self._tick.stop()
            rec.close()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.stop_monitoring()
        super().closeEvent(event)


__all__ = ["CLIP_HOLD_S", "LevelMeter", "RecordingPanel"]
