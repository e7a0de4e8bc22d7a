"""The emergency screen: record (or take a file, or the open programme), listen back, title,
target areas, and one "Phát khẩn cấp" button — no further questions.

The button hands the bulletin to `studio.emergency.EmergencyService.broadcast` through the
window's job helper (normalise, limit, encode, name, queue khẩn cấp to every destination
marked for emergencies), wakes the outbox sender and then shows, per destination, when it has
the bulletin (read from the outbox on a 1 s timer; no signal crosses threads).
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from audio.errors import StudioError, current_language
from studio.emergency import EmergencyService, default_title

STYLE = """
#EmergencyBanner { background: #b3261e; color: white; padding: 10px 14px; border-radius: 4px; }
#EmergencyBanner[ready="false"] { background: #7a4a00; }
#BroadcastButton { background: #b3261e; color: white; font-size: 18px; font-weight: bold;
  padding: 12px 28px; border-radius: 6px; }
#BroadcastButton:disabled { background: #9e9e9e; color: #eeeeee; }
"""


def tr(text: str) -> str:
    return QCoreApplication.translate("Emergency", text)


def _clock(seconds: float) -> str:
    m, s = divmod(int(round(seconds)), 60)
    return f"{m}:{s:02d}"


def _local_time(iso_utc: str | None) -> str:
    if not iso_utc:
        return ""
    from studio.schedule import LOCAL_TZ

    t = dt.datetime.fromisoformat(iso_utc.rstrip("Z")).replace(tzinfo=dt.UTC)
    return f"{t.astimezone(LOCAL_TZ):%H:%M:%S}"


class EmergencyScreen(QDialog):
    """One focused screen for a warning. `window` is the main window (jobs, prompts, store,
    playback, programme); `publishing` the publishing feature (outbox, sender, outbox view)."""

    sourceReady = Signal()  # noqa: N815 - a recording, file or programme is ready to send
    queued = Signal(object)  # noqa: N815 - the studio.emergency.EmergencyBulletin

    def __init__(self, window, publishing, parent: QWidget | None = None):
        super().__init__(parent or window)
        self.window = window
        self.publishing = publishing
        self.service = EmergencyService(
            window.home, publishing.outbox, window.settings, window.store
        )
        self.programme = None  # the bulletin's audio, as a programme
        self.source_label = ""
        self.bulletin = None
        self.player = None
        self.setObjectName("EmergencyScreen")
        self.setWindowTitle(tr("Emergency bulletin"))
        self.setStyleSheet(STYLE)
        self.resize(820, 640)

        self.banner = QLabel()
        self.banner.setObjectName("EmergencyBanner")
        self.banner.setWordWrap(True)
        self.destinations_button = QPushButton(tr("Destinations…"))
        self.destinations_button.clicked.connect(self._edit_destinations)
        banner_row = QHBoxLayout()
        banner_row.addWidget(self.banner, 1)
        banner_row.addWidget(self.destinations_button)

        # 1. the audio
        self.record_error = ""
        self.record_panel = self._recording_panel()
        self.import_button = QPushButton(tr("Choose an audio file…"))
        self.import_button.clicked.connect(self.choose_file)
        self.programme_button = QPushButton(tr("Use the open programme"))
        self.programme_button.clicked.connect(self.use_current_programme)
        self.source_status = QLabel(
            tr("Record the bulletin, or choose a file or the open programme.")
        )
        self.source_status.setWordWrap(True)
        self.listen_button = QPushButton(tr("▶ Listen back"))
        self.listen_button.setCheckable(True)
        self.listen_button.toggled.connect(self._listen_toggled)
        pick_row = QHBoxLayout()
        pick_row.addWidget(self.import_button)
        pick_row.addWidget(self.programme_button)
        pick_row.addStretch(1)
        listen_row = QHBoxLayout()
        listen_row.addWidget(self.source_status, 1)
        listen_row.addWidget(self.listen_button)
        audio_box = QGroupBox(tr("1. The bulletin's audio"))
        audio_layout = QVBoxLayout(audio_box)
        if self.record_panel is not None:
            audio_layout.addWidget(self.record_panel)
        else:  # no input device: a file or the open programme still works
            note = QLabel(self.record_error)
            note.setWordWrap(True)
            audio_layout.addWidget(note)
        audio_layout.addLayout(pick_row)
        audio_layout.addLayout(listen_row)

        # 2. title and areas
        self.title_edit = QLineEdit(default_title())
        self.areas_edit = QLineEdit()
        self.areas_edit.setPlaceholderText(tr("e.g. Thôn Đông, Xóm Bãi — empty: the whole commune"))
        form = QFormLayout()
        form.addRow(tr("Title"), self.title_edit)
        form.addRow(tr("Target areas"), self.areas_edit)
        text_box = QGroupBox(tr("2. Title and target areas"))
        text_box.setLayout(form)

        # 3. one button, then where it stands
        self.broadcast_button = QPushButton(tr("Broadcast emergency"))
        self.broadcast_button.setObjectName("BroadcastButton")
        self.broadcast_button.clicked.connect(self.broadcast)
        self.progress_list = QListWidget()
        self.progress_list.setMaximumHeight(110)
        self.progress_list.hide()
        go_row = QHBoxLayout()
        go_row.addStretch(1)
        go_row.addWidget(self.broadcast_button)
        go_row.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addLayout(banner_row)
        layout.addWidget(audio_box)
        layout.addWidget(text_box)
        layout.addLayout(go_row)
        layout.addWidget(self.progress_list)
        layout.addStretch(1)

        self.timer = QTimer(self, interval=1000)
        self.timer.timeout.connect(self.refresh_progress)
        self.refresh_destinations()
        self._update_button()
        # Load the encoder and the meters while the user records: Stop → outbox stays short.
        threading.Thread(target=self.service.warm_up, name="emergency-warm-up", daemon=True).start()

    # --- parts --------------------------------------------------------------------------------
    def _recording_panel(self):
        from studio.recording import RecordingSession
        from ui.recording.panel import RecordingPanel

        w = self.window
        try:
            panel = RecordingPanel(RecordingSession(w.home, w.settings, w.store))
        except StudioError as exc:
            self.record_error = exc.message()
            return None
        # The input is chosen in the recording dock; a warning needs only level and Record.
        for box in panel.findChildren(QGroupBox):
            box.hide()
        for w in (panel.timer_enabled, panel.timer_start, panel.timer_minutes):
            w.hide()
        for label in panel.findChildren(QLabel):  # the timer row's "for"
            if label.text() == QCoreApplication.translate("RecordingPanel", "for"):
                label.hide()
        panel.dropouts.setMaximumHeight(48)
        panel.record_button.setStyleSheet("font-size: 15px; font-weight: bold; padding: 6px 18px;")
        panel.takeFinished.connect(self._take_finished)
        panel.problem.connect(lambda text: self.source_status.setText(text))
        return panel

    def refresh_destinations(self) -> list[str]:
        names = self.service.destinations()
        if names:
            self.banner.setProperty("ready", "true")
            self.banner.setText(
                tr("EMERGENCY BULLETIN — sent at once, priority khẩn cấp, to: %1").replace(
                    "%1", ", ".join(names)
                )
            )
        else:
            self.banner.setProperty("ready", "false")
            self.banner.setText(
                tr("No destination is marked for emergencies yet: press Destinations… and tick "
                   "“Emergency bulletins” for the loudspeaker head-end.")
            )  # fmt: skip
        self.banner.style().unpolish(self.banner)
        self.banner.style().polish(self.banner)
        self.destination_names = names
        self._update_button()
        return names

    def _update_button(self) -> None:
        ready = self.programme is not None and bool(getattr(self, "destination_names", []))
        busy = self.bulletin is not None and self.timer.isActive()
        self.broadcast_button.setEnabled(ready and not busy)

    def _edit_destinations(self) -> None:
        self.publishing.destinations_dialog()
        self.refresh_destinations()

    # --- choosing the audio ------------------------------------------------------------------
    def _set_source(self, programme, label: str) -> None:
        self.programme = programme
        seconds = programme.timeline.length / programme.timeline.rate
        self.source_label = label
        self.source_status.setText(
            tr("Ready: %1 (%2)").replace("%1", label).replace("%2", _clock(seconds))
        )
        self._update_button()
        self.sourceReady.emit()

    def _import(self, path: str, label: str) -> None:
        title = self.title_edit.text()

        def work(progress):
            return self.service.programme_from_audio(path, title)

        self.window.jobs.run(
            tr("Preparing the audio"),
            work,
            lambda programme: self._set_source(programme, label),
            lambda exc: self.source_status.setText(
                exc.message() if isinstance(exc, StudioError) else str(exc)
            ),
        )

    def _take_finished(self, take) -> None:
        self._import(str(take.path), tr("the recording"))

    def choose_file(self) -> None:
        paths = self.window.prompts.import_paths(str(self.window.home.recordings))
        if paths:
            self._import(paths[0], Path(paths[0]).name)

    def use_current_programme(self) -> None:
        programme = self.window.editor.programme
        if programme.timeline.length == 0:
            self.source_status.setText(tr("The open programme is empty."))
            return
        self._set_source(programme, tr("the open programme"))

    # --- listening back ----------------------------------------------------------------------
    def _listen_toggled(self, on: bool) -> None:
        if not on:
            self.stop_listening()
            return
        if self.programme is None:
            self.listen_button.setChecked(False)
            return
        w = self.window
        if w.playback.playing:
            w.playback.pause()
        rate = self.programme.timeline.rate
        try:
            self.player = w.playback.factory(
                lambda sid: w.store.frames(sid, rate), rate, w.playback.device
            )
            self.player.set_timeline(self.programme.timeline)
            self.player.play(0)
        except StudioError as exc:
            self.source_status.setText(exc.message())
            self.listen_button.setChecked(False)
            return
        self.listen_button.setText(tr("■ Stop"))

    def stop_listening(self) -> None:
        if self.player is not None:
            self.player.stop()
            self.player = None
        self.listen_button.blockSignals(True)
        self.listen_button.setChecked(False)
        self.listen_button.blockSignals(False)
        self.listen_button.setText(tr("▶ Listen back"))

    # --- the one button ----------------------------------------------------------------------
    def areas(self) -> list[str]:
        return [a.strip() for a in self.areas_edit.text().replace(";", ",").split(",")]

    def broadcast(self) -> None:
        if self.programme is None:
            return
        self.stop_listening()
        if self.record_panel is not None and self.record_panel.recorder is not None:
            self.record_panel.stop_recording()
        title, areas, programme = self.title_edit.text(), self.areas(), self.programme

        def work(progress):
            return self.service.broadcast(programme, title, areas, progress=progress)

        self.broadcast_button.setEnabled(False)
        self.window.jobs.run(
            tr("Preparing the emergency bulletin"), work, self._queued, self._failed
        )

    def _failed(self, exc: BaseException) -> None:
        self._update_button()
        self.window.prompts.error(exc.message() if isinstance(exc, StudioError) else str(exc))

    def _queued(self, bulletin) -> None:
        self.bulletin = bulletin
        pub = self.publishing
        if pub.worker is not None:
            pub.worker.wake()
        if pub.view is not None:
            pub.view.refresh()
            pub.dock.show()
            pub.dock.raise_()
        for name, exc in bulletin.refused:
            self.window.prompts.error(f"{name}: {exc.message()}")
        self.progress_list.show()
        self.timer.start()
        self.refresh_progress()
        self._update_button()
        self.queued.emit(bulletin)

    def refresh_progress(self) -> None:
        """One line per destination: waiting, sending n %, has it since HH:MM:SS, or failed."""
        if self.bulletin is None:
            return
        outbox, worker = self.publishing.outbox, self.publishing.worker
        lines, pending = [], False
        for row in self.bulletin.items:
            item = outbox.item(row["id"])
            name = item["destination"]
            if item["status"] in ("sent", "verified"):
                text = tr("%1 has it (%2)").replace("%1", name)
                text = text.replace("%2", _local_time(item["sent_at"]))
            elif item["status"] == "failed":
                error = item["last_error_vi"] if current_language() == "vi" else item["last_error"]
                text = tr("%1: not delivered yet — %2").replace("%1", name).replace("%2", error)
                pending = pending or bool(item["next_retry_at"])
            elif item["status"] == "sending":
                share = (worker.progress.get(item["id"], 0.0) if worker else 0.0) * 100
                text = tr("%1: sending… %2 %").replace("%1", name).replace("%2", f"{share:.0f}")
                pending = True
            else:
                text = tr("%1: waiting to be sent").replace("%1", name)
                pending = True
            lines.append(text)
        self.progress_list.clear()
        self.progress_list.addItems(lines)
        if not pending:
            self.timer.stop()
            self._update_button()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self.record_panel is not None and self.record_panel.recorder is None:
            self.record_panel.start_monitoring()  # the level moves before Record is pressed

    def done(self, result: int) -> None:
        """Closing (Esc, the close button or accept) stops listening, the timer and the input."""
        self.stop_listening()
        self.timer.stop()
        if self.record_panel is not None:
            self.record_panel.takeFinished.disconnect(self._take_finished)
            self.record_panel.stop_monitoring()  # ends a take still running; nothing is sent
        super().done(result)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.done(QDialog.DialogCode.Rejected)
        super().closeEvent(event)
