"""The outbox as the user sees it: every push with its status and progress, retry/cancel/re-send,
and a notice when something needs attention (a wrong password, a changed host key, …).

The sending happens on `studio.outbox.OutboxWorker`'s own thread; this view only reads the
outbox (a small query) and the worker's progress on a 1 s timer on the GUI thread, and asks the
worker to wake up after a retry — no Qt signal crosses threads.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from audio.errors import StudioError, current_language
from studio.outbox import Outbox, OutboxWorker, Status


def _local_time(iso_utc: str) -> str:
    """'2026-12-02T06:12:31Z' → '13:12:31 02/12', Vietnam time (UTC+7)."""
    import datetime as dt

    from studio.schedule import LOCAL_TZ

    t = dt.datetime.fromisoformat(iso_utc.rstrip("Z")).replace(tzinfo=dt.UTC)
    return f"{t.astimezone(LOCAL_TZ):%H:%M:%S %d/%m}"


def tr(text: str) -> str:
    return QCoreApplication.translate("Outbox", text)


def status_label(status: str) -> str:
    return {
        Status.QUEUED: tr("Queued"),
        Status.SENDING: tr("Sending"),
        Status.SENT: tr("Sent"),
        Status.VERIFIED: tr("Sent and verified"),
        Status.FAILED: tr("Failed"),
        Status.CANCELLED: tr("Cancelled"),
    }.get(status, status)


def priority_label(priority: str) -> str:
    return {
        "thuong": tr("Normal"),
        "uu-tien": tr("Priority"),
        "khan-cap": tr("Emergency"),
    }.get(priority, priority)


class OutboxModel(QAbstractTableModel):
    COLUMNS = ("id", "status", "progress", "destination", "file", "priority", "attempts", "note")
    PROGRESS_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[dict[str, Any]] = []
        self.progress: dict[int, float] = {}

    def headers(self) -> list[str]:
        return [
            tr("#"),
            tr("Status"),
            tr("Progress"),
            tr("Destination"),
            tr("File"),
            tr("Priority level"),
            tr("Attempts"),
            tr("Reason / next try"),
        ]

    def set_rows(self, rows: list[dict[str, Any]], progress: dict[int, float]) -> None:
        # A reset rather than dataChanged.emit(): PySide6 6.12 leaks a reference to True on
        # every Python-side emit, and this runs every second for hours.
        self.beginResetModel()
        self.rows, self.progress = rows, dict(progress)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()):  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()):  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section]
        return None

    def fraction(self, row: dict[str, Any]) -> float:
        if row["status"] in Status.DONE:
            return 1.0
        if row["status"] == Status.SENDING:
            return self.progress.get(row["id"], 0.0)
        return 0.0

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = self.COLUMNS[index.column()]
        if role == self.PROGRESS_ROLE:
            return self.fraction(row)
        if role == Qt.ItemDataRole.ToolTipRole and column == "note":
            return self._note(row)
        if role == Qt.ItemDataRole.ForegroundRole and row["priority"] == "khan-cap":
            return QColor("#b3261e")  # an emergency bulletin stands out in the list
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            "id": str(row["id"]),
            "status": tr("Interrupted, will resume")
            if row.get("interrupted")
            else status_label(row["status"]),
            "progress": f"{round(self.fraction(row) * 100)}%",
            "destination": row["destination"],
            "file": row["file_name"],
            "priority": priority_label(row["priority"]),
            "attempts": str(row["attempts"]),
            "note": self._note(row),
        }[column]

    @staticmethod
    def _note(row: dict[str, Any]) -> str:
        if row["status"] in Status.DONE and row.get("sent_at"):
            arrived = tr("Arrived at {time}").format(time=_local_time(row["sent_at"]))
            return f"{arrived} — {row['remote_id']}" if row["remote_id"] else arrived
        if row["status"] != Status.FAILED:
            return row["remote_id"] or ""
        error = row["last_error_vi"] if current_language() == "vi" else row["last_error"]
        if row["next_retry_at"]:
            return tr("{error} — next try at {time} UTC").format(
                error=error, time=row["next_retry_at"][11:19]
            )
        return tr("{error} — needs your attention").format(error=error)


class ProgressDelegate(QStyledItemDelegate):
    """Draws the progress column as a progress bar."""

    def paint(self, painter, option, index):
        fraction = index.data(OutboxModel.PROGRESS_ROLE)
        if fraction is None:
            return super().paint(painter, option, index)
        bar = QStyleOptionProgressBar()
        bar.rect = option.rect.adjusted(2, 3, -2, -3)
        bar.minimum, bar.maximum = 0, 1000
        bar.progress = int(fraction * 1000)
        bar.text = f"{round(fraction * 100)}%"
        bar.textVisible = True
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, option.widget)
        return None


class OutboxView(QWidget):
    """A standalone widget: put it in a dock or a tab of the main window."""

    def __init__(self, outbox: Outbox, worker: OutboxWorker | None = None, parent=None):
        super().__init__(parent)
        self.outbox, self.worker = outbox, worker
        self.setObjectName("OutboxView")
        self.notice = QLabel()
        self.notice.setObjectName("outboxNotice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(
            "QLabel#outboxNotice { background: #fdecea; color: #8a1c12; padding: 6px;"
            " border: 1px solid #e0a39b; border-radius: 3px; }"
        )
        self.notice.hide()
        self.model = OutboxModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(2, ProgressDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.retry_button = QPushButton(tr("Retry"))
        self.cancel_button = QPushButton(tr("Cancel"))
        self.resend_button = QPushButton(tr("Send again"))
        self.retry_button.setToolTip(tr("Try a failed item again now"))
        self.resend_button.setToolTip(tr("Publish the same file once more"))
        self.message = QLabel()
        buttons = QHBoxLayout()
        for b in (self.retry_button, self.cancel_button, self.resend_button):
            buttons.addWidget(b)
        buttons.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.retry_button.clicked.connect(lambda: self._act("retry"))
        self.cancel_button.clicked.connect(lambda: self._act("cancel"))
        self.resend_button.clicked.connect(lambda: self._act("resend"))
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self.refresh()

    def selected(self) -> dict[str, Any] | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def select_item(self, item_id: int) -> None:
        for i, row in enumerate(self.model.rows):
            if row["id"] == item_id:
                self.table.selectRow(i)
                return

    def refresh(self) -> None:
        selected = self.selected()
        try:
            rows = self.outbox.items()
        except Exception as exc:  # noqa: BLE001 - e.g. the database on a share went away
            self.message.setText(tr("Cannot read the outbox: {error}").format(error=exc))
            return
        progress = dict(self.worker.progress) if self.worker else {}
        self.model.set_rows(rows, progress)
        if selected:
            self.select_item(selected["id"])
        failed = [r for r in rows if r["status"] == Status.FAILED]
        stuck = [r for r in failed if not r["next_retry_at"]]
        if stuck:
            self.notice.setText(
                tr("{n} item(s) could not be sent and need your attention: {reason}").format(
                    n=len(stuck), reason=OutboxModel._note(stuck[0])
                )
            )
            self.notice.show()
        elif failed:
            self.notice.setText(
                tr("{n} item(s) failed and will be tried again automatically.").format(
                    n=len(failed)
                )
            )
            self.notice.show()
        else:
            self.notice.hide()
        self._update_buttons()

    def _update_buttons(self, *_args) -> None:
        row = self.selected()
        status = row["status"] if row else None
        self.retry_button.setEnabled(status in (Status.FAILED, Status.CANCELLED))
        self.cancel_button.setEnabled(status in (Status.QUEUED, Status.FAILED))
        self.resend_button.setEnabled(status in (*Status.DONE, Status.FAILED, Status.CANCELLED))

    def _act(self, action: str) -> None:
        row = self.selected()
        if row is None:
            return
        try:
            getattr(self.outbox, action)(row["id"])
        except StudioError as exc:
            self.message.setText(exc.message())
            return
        self.message.setText("")
        if self.worker:
            self.worker.wake()
        self.refresh()
