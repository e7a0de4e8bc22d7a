"""Push to destination…: where, how urgent, the title and areas, and when to play it.

The schedule fields are checked by `studio.schedule.schedule_from_args`, the same check as
`studio push --at … --until … --weekdays … --times …`; a bad value is shown in one line under
the fields and the dialog stays open.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
)

from audio.errors import StudioError
from studio.schedule import Schedule, now_local, schedule_from_args
from ui.publishing.outbox_view import priority_label

PRIORITIES = ("thuong", "uu-tien", "khan-cap")


def tr(text: str) -> str:
    return QCoreApplication.translate("Outbox", text)


@dataclass(frozen=True, slots=True)
class PushChoice:
    destination: str
    priority: str
    title: str
    areas: tuple[str, ...] = ()
    schedule: Schedule | None = None

    def metadata(self) -> dict[str, Any]:
        meta: dict[str, Any] = {"title": self.title}
        if self.areas:
            meta["target_areas"] = list(self.areas)
        if self.schedule is not None:
            meta["schedule"] = self.schedule.as_json()
        return meta


@dataclass
class _Fields:
    weekdays: list[QCheckBox] = field(default_factory=list)


class PushDialog(QDialog):
    def __init__(self, destinations: list[str], title: str, file_name: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(tr("Push to destination"))
        self.choice: PushChoice | None = None
        self.destination = QComboBox()
        self.destination.addItems(destinations)
        self.priority = QComboBox()
        for p in PRIORITIES:
            self.priority.addItem(priority_label(p), p)
        self.title = QLineEdit(title)
        self.areas = QLineEdit()
        self.areas.setPlaceholderText(tr("e.g. Thôn Đông, Xóm Bãi — empty: the whole commune"))
        form = QFormLayout()
        form.addRow(tr("File"), QLabel(file_name))
        form.addRow(tr("Destination"), self.destination)
        form.addRow(tr("Priority level"), self.priority)
        form.addRow(tr("Title"), self.title)
        form.addRow(tr("Target areas"), self.areas)

        # When to play: nothing ticked = as soon as possible.
        self.scheduled = QGroupBox(tr("Play by a schedule (otherwise: as soon as possible)"))
        self.scheduled.setCheckable(True)
        self.scheduled.setChecked(False)
        start = now_local() + dt.timedelta(hours=1)
        self.start = QDateTimeEdit(
            QDateTime(QDate(start.year, start.month, start.day), QTime(start.hour, 0)),
            calendarPopup=True,
            displayFormat="dd/MM/yyyy HH:mm",
        )
        self.until_on = QCheckBox(tr("until"))
        self.until = QDateEdit(self.start.date().addDays(6), calendarPopup=True,
                               displayFormat="dd/MM/yyyy")  # fmt: skip
        self.until.setEnabled(False)
        self.until_on.toggled.connect(self.until.setEnabled)
        self.fields = _Fields()
        days = QHBoxLayout()
        short = (tr("Mon"), tr("Tue"), tr("Wed"), tr("Thu"), tr("Fri"), tr("Sat"), tr("Sun"))
        for label in short:
            box = QCheckBox(label)
            box.setChecked(True)
            self.fields.weekdays.append(box)
            days.addWidget(box)
        days.addStretch(1)
        self.times = QLineEdit()
        self.times.setPlaceholderText(tr("06:00, 17:30 — empty: at the start time"))
        self.repeat = QSpinBox(minimum=1, maximum=20, value=1)
        when = QFormLayout(self.scheduled)
        start_row = QHBoxLayout()
        start_row.addWidget(self.start)
        start_row.addWidget(self.until_on)
        start_row.addWidget(self.until)
        start_row.addStretch(1)
        when.addRow(tr("From"), start_row)
        when.addRow(tr("Weekdays"), days)
        when.addRow(tr("Times"), self.times)
        when.addRow(tr("Plays each time"), self.repeat)

        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Queue"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.scheduled)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def schedule(self) -> Schedule | None:
        """The schedule the fields describe (None: as soon as possible); StudioError if bad."""
        if not self.scheduled.isChecked():
            return None
        start = self.start.dateTime()
        at = f"{start.date().toString('yyyy-MM-dd')}T{start.time().toString('HH:mm')}"
        times = self.times.text().strip()
        if times:
            at = start.date().toString("yyyy-MM-dd")  # the times say when, the date from when
        until = self.until.date().toString("yyyy-MM-dd") if self.until_on.isChecked() else None
        ticked = [n for n, box in enumerate(self.fields.weekdays, 1) if box.isChecked()]
        if not ticked:
            raise StudioError("Tick at least one weekday.", "Hãy chọn ít nhất một thứ trong tuần.")
        weekdays = None if len(ticked) == 7 else ",".join(map(str, ticked))
        repeat = self.repeat.value() if self.repeat.value() > 1 else None
        return schedule_from_args(at, until, weekdays, times or None, repeat)

    def accept(self) -> None:
        try:
            schedule = self.schedule()
        except StudioError as exc:
            self.error.setText(exc.message())
            return
        title = self.title.text().strip()
        if not title:
            self.error.setText(tr("The bulletin needs a title."))
            return
        areas = tuple(
            dict.fromkeys(a.strip() for a in self.areas.text().replace(";", ",").split(",")
                          if a.strip())
        )  # fmt: skip
        self.choice = PushChoice(
            self.destination.currentText(), self.priority.currentData(), title, areas, schedule
        )
        super().accept()
