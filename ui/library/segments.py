"""The library's rows as the dock shows them: the table model, the segment edit dialog, the
segment kinds' names, and the drag payload (`application/x-studio-segment`: JSON, a list of
{"segment_id", "source_id", "frames", "rate", "title"}) that the timeline reads back.
"""

from __future__ import annotations

import datetime as dt
import json

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QDate,
    QMimeData,
    QModelIndex,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from audio.errors import StudioError
from studio.library import (
    Library,
    SegmentKind,
    SegmentView,
)

SEGMENT_MIME = "application/x-studio-segment"


def kind_label(kind: str) -> str:
    labels = {
        SegmentKind.JINGLE: QCoreApplication.translate("LibraryDock", "Jingle"),
        SegmentKind.MUSIC_BED: QCoreApplication.translate("LibraryDock", "Music bed"),
        SegmentKind.NEWS_ITEM: QCoreApplication.translate("LibraryDock", "News item"),
        SegmentKind.ANNOUNCEMENT: QCoreApplication.translate("LibraryDock", "Announcement"),
        SegmentKind.INTERVIEW: QCoreApplication.translate("LibraryDock", "Interview"),
        SegmentKind.ADVERT: QCoreApplication.translate("LibraryDock", "Advert"),
        SegmentKind.RECORDING: QCoreApplication.translate("LibraryDock", "Recording"),
    }
    return labels.get(kind, kind)


def encode_segment_mime(segments: list[SegmentView]) -> QMimeData:
    mime = QMimeData()
    payload = [
        {
            "segment_id": s.id,
            "source_id": s.source_id,
            "frames": s.frames,
            "rate": s.store_rate,
            "title": s.title,
        }
        for s in segments
    ]
    mime.setData(SEGMENT_MIME, json.dumps(payload, ensure_ascii=False).encode("utf-8"))
    mime.setText("\n".join(s.title for s in segments))
    return mime


def decode_segment_mime(mime: QMimeData) -> list[dict]:
    """The segments a drag from the library carries; [] when it carries none."""
    if not mime.hasFormat(SEGMENT_MIME):
        return []
    try:
        data = json.loads(bytes(mime.data(SEGMENT_MIME)).decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return []
    return [d for d in data if isinstance(d, dict) and "segment_id" in d and "source_id" in d]


def _format_duration(seconds: float) -> str:
    seconds = round(seconds)
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


# --- the table model ----------------------------------------------------------------------------


class SegmentTableModel(QAbstractTableModel):
    """Rows of one search; sorting asks the library again (the database sorts)."""

    COLUMNS = (
        ("title", "Title"),
        ("kind", "Kind"),
        ("category", "Category"),
        ("duration", "Duration"),
        ("loudness", "Loudness"),
        ("last_used", "Last used"),
        ("valid_until", "Valid until"),
    )
    EDITABLE = {"title", "category"}
    SegmentRole = Qt.ItemDataRole.UserRole + 1

    edit_failed = Signal(str)
    sort_requested = Signal(str, bool)

    def __init__(self, library: Library, parent: QObject | None = None):
        super().__init__(parent)
        self.library = library
        self.rows: list[SegmentView] = []
        self.today = dt.date.today()

    def set_rows(self, rows: list[SegmentView]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.today = dt.date.today()
        self.endResetModel()

    def segment(self, row: int) -> SegmentView:
        return self.rows[row]

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            titles = {
                "title": QCoreApplication.translate("LibraryDock", "Title"),
                "kind": QCoreApplication.translate("LibraryDock", "Kind"),
                "category": QCoreApplication.translate("LibraryDock", "Category"),
                "duration": QCoreApplication.translate("LibraryDock", "Duration"),
                "loudness": QCoreApplication.translate("LibraryDock", "Loudness"),
                "last_used": QCoreApplication.translate("LibraryDock", "Last used"),
                "valid_until": QCoreApplication.translate("LibraryDock", "Valid until"),
            }
            return titles[self.COLUMNS[section][0]]
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        seg = self.rows[index.row()]
        key = self.COLUMNS[index.column()][0]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(seg, key, role == Qt.ItemDataRole.EditRole)
        if role == self.SegmentRole:
            return seg.id
        if role == Qt.ItemDataRole.TextAlignmentRole and key in ("duration", "loudness"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and seg.expired(self.today):
            return QBrush(QColor("#8a8a8a"))
        if role == Qt.ItemDataRole.BackgroundRole and seg.expiring_soon(self.today):
            return QBrush(QColor("#fff1c2"))
        if role == Qt.ItemDataRole.FontRole and seg.expired(self.today) and key == "title":
            font = QFont()
            font.setStrikeOut(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            if seg.expired(self.today):
                return QCoreApplication.translate("LibraryDock", "Expired")
            if seg.expiring_soon(self.today):
                return QCoreApplication.translate("LibraryDock", "Expires soon")
            if seg.not_yet_valid(self.today):
                return QCoreApplication.translate("LibraryDock", "Not valid yet")
        return None

    def _text(self, seg: SegmentView, key: str, editing: bool) -> str:
        if key == "title":
            return seg.title
        if key == "kind":
            return kind_label(seg.kind)
        if key == "category":
            return seg.category
        if key == "duration":
            return _format_duration(seg.duration_s)
        if key == "loudness":
            return "—" if seg.integrated_lufs is None else f"{seg.integrated_lufs:.1f} LUFS"
        if key == "last_used":
            used = seg.last_used_at
            return "" if used is None else used.astimezone().strftime("%d/%m/%Y")
        if key == "valid_until":
            return "" if seg.valid_until is None else seg.valid_until.strftime("%d/%m/%Y")
        return ""

    def flags(self, index: QModelIndex):
        base = super().flags(index)
        if not index.isValid():
            return base
        base |= Qt.ItemFlag.ItemIsDragEnabled
        if self.COLUMNS[index.column()][0] in self.EDITABLE:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: QModelIndex, value, role=Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        key = self.COLUMNS[index.column()][0]
        if key not in self.EDITABLE:
            return False
        seg = self.rows[index.row()]
        try:
            updated = self.library.update(seg.id, **{key: str(value)})
        except StudioError as exc:
            self.edit_failed.emit(exc.message())
            return False
        self.rows[index.row()] = updated
        first, last = self.index(index.row(), 0), self.index(index.row(), self.columnCount() - 1)
        self.dataChanged.emit(first, last)
        return True

    def replace(self, updated: SegmentView) -> None:
        for row, seg in enumerate(self.rows):
            if seg.id == updated.id:
                self.rows[row] = updated
                self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        self.sort_requested.emit(self.COLUMNS[column][0], order == Qt.SortOrder.DescendingOrder)

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [SEGMENT_MIME]

    def mimeData(self, indexes) -> QMimeData:  # noqa: N802
        rows = sorted({i.row() for i in indexes if i.isValid()})
        return encode_segment_mime([self.rows[r] for r in rows])

    def supportedDragActions(self):  # noqa: N802
        return Qt.DropAction.CopyAction


# --- the metadata dialog ------------------------------------------------------------------------


class SegmentDialog(QDialog):
    """Edit every editable field of one segment; `changes()` gives what to save."""

    def __init__(self, segment: SegmentView, categories: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.segment = segment
        self.setWindowTitle(QCoreApplication.translate("LibraryDock", "Segment details"))
        form = QFormLayout(self)
        self.title = QLineEdit(segment.title)
        self.kind = QComboBox()
        for k in SegmentKind:
            self.kind.addItem(kind_label(k), k.value)
        self.kind.setCurrentIndex(max(0, self.kind.findData(segment.kind)))
        self.category = QComboBox()
        self.category.setEditable(True)
        self.category.addItem("")
        self.category.addItems(categories)
        self.category.setCurrentText(segment.category)
        self.tags = QLineEdit(", ".join(segment.tags))
        self.author = QLineEdit(segment.author)
        self.notes = QPlainTextEdit(segment.notes)
        self.recorded_on = self._date_edit(segment.recorded_on)
        self.valid_from = self._date_edit(segment.valid_from)
        self.valid_until = self._date_edit(segment.valid_until)
        form.addRow(QCoreApplication.translate("LibraryDock", "Title"), self.title)
        form.addRow(QCoreApplication.translate("LibraryDock", "Kind"), self.kind)
        form.addRow(QCoreApplication.translate("LibraryDock", "Category"), self.category)
        form.addRow(QCoreApplication.translate("LibraryDock", "Tags"), self.tags)
        form.addRow(QCoreApplication.translate("LibraryDock", "Author / source"), self.author)
        form.addRow(QCoreApplication.translate("LibraryDock", "Notes"), self.notes)
        form.addRow(QCoreApplication.translate("LibraryDock", "Recorded on"), self.recorded_on)
        form.addRow(QCoreApplication.translate("LibraryDock", "Valid from"), self.valid_from)
        form.addRow(QCoreApplication.translate("LibraryDock", "Valid until"), self.valid_until)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    @staticmethod
    def _date_edit(value: dt.date | None) -> QDateEdit:
        edit = QDateEdit()
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd/MM/yyyy")
        edit.setMinimumDate(QDate(1900, 1, 1))
        edit.setSpecialValueText("—")  # the minimum date means "no date"
        edit.setDate(QDate(value.year, value.month, value.day) if value else edit.minimumDate())
        return edit

    @staticmethod
    def _date_of(edit: QDateEdit) -> dt.date | None:
        if edit.date() == edit.minimumDate():
            return None
        d = edit.date()
        return dt.date(d.year(), d.month(), d.day())

    def changes(self) -> dict:
        return {
            "title": self.title.text(),
            "kind": self.kind.currentData(),
            "category": self.category.currentText(),
            "tags": self.tags.text(),
            "author": self.author.text(),
            "notes": self.notes.toPlainText(),
            "recorded_on": self._date_of(self.recorded_on),
            "valid_from": self._date_of(self.valid_from),
            "valid_until": self._date_of(self.valid_until),
        }


# --- the dock -----------------------------------------------------------------------------------
