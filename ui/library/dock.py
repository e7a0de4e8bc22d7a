"""The library dock: find a jingle, bed or news item in a keystroke and drag it onto a track.

A standalone QDockWidget over a `studio.library.Library`; the window places it. Search runs as
the user types (debounced, one short query: well under 30 ms at 100,000 segments); imports run
off the GUI thread with a progress bar and a cancel button. Dragging rows out carries
`application/x-studio-segment`: JSON, a list of {"segment_id", "source_id", "frames",
"rate", "title"} (`ui/library/segments.py`, with the table model and the edit dialog).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import (
    QCoreApplication,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from audio.errors import StudioError
from studio.library import (
    ImportReport,
    Library,
    SearchQuery,
    SegmentInUse,
    SegmentKind,
    SegmentView,
)
from ui.jobs import Job, JobRunner
from ui.library.segments import (
    SegmentDialog,
    SegmentTableModel,
    kind_label,
)

PAGE_ROWS = 200  # rows shown per search; the count says how many matched in all
SEARCH_DELAY_MS = 120  # debounce while typing


class LibraryDock(QDockWidget):
    """Search, filter, preview, edit, import and drag segments out of the library.

    `preview` is called with (frames, rate) of the selected segment on the GUI thread; the
    window connects it to its playback engine. `previewRequested(segment_id)` is emitted too.
    Searches run one at a time on `search_pool` (its own single thread by default), so a slow
    or unreachable database server never freezes the window; only the newest answer is shown.
    Imports run on `pool`.
    """

    previewRequested = Signal(int)  # noqa: N815 - Qt signal naming
    addRequested = Signal(list)  # noqa: N815 - SegmentViews to place at the playhead
    importFinished = Signal(object)  # noqa: N815 - the ImportReport
    searchFinished = Signal(int)  # noqa: N815 - rows shown

    def __init__(
        self,
        library: Library,
        parent: QWidget | None = None,
        *,
        preview: Callable[[np.ndarray, int], None] | None = None,
        pool: QThreadPool | None = None,
        search_pool: QThreadPool | None = None,
    ):
        super().__init__(QCoreApplication.translate("LibraryDock", "Library"), parent)
        self.setObjectName("LibraryDock")
        self.library = library
        self.preview = preview
        # The one job helper, twice: imports (one at a time, inline progress bar) and
        # searches (one thread, the newest answer wins), so a search never waits on an import.
        self.imports = JobRunner(self, pool=pool, show_dialog=False)
        self.searches = JobRunner(self, pool=search_pool, show_dialog=False)
        self.pool = self.imports.pool
        self.search_pool = self.searches.pool
        self._generation = 0  # of the newest search; older answers are dropped
        self.job: Job | None = None
        self._sort = ("title", False)
        self.last_report: ImportReport | None = None

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)

        self.search_box = QLineEdit()
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setPlaceholderText(
            QCoreApplication.translate("LibraryDock", "Search title, tags, notes, author…")
        )
        layout.addWidget(self.search_box)

        filters = QHBoxLayout()
        self.kind_filter = QComboBox()
        self.kind_filter.addItem(QCoreApplication.translate("LibraryDock", "All kinds"), None)
        for k in SegmentKind:
            self.kind_filter.addItem(kind_label(k), k.value)
        self.category_filter = QComboBox()
        self.valid_today = QCheckBox(QCoreApplication.translate("LibraryDock", "Valid today"))
        self.hide_expired = QCheckBox(QCoreApplication.translate("LibraryDock", "Hide expired"))
        self.unused_days = QSpinBox()
        self.unused_days.setRange(0, 3650)
        self.unused_days.setSpecialValueText(
            QCoreApplication.translate("LibraryDock", "Last used: any time")
        )
        self.unused_days.setPrefix(QCoreApplication.translate("LibraryDock", "Not used for "))
        self.unused_days.setSuffix(QCoreApplication.translate("LibraryDock", " days"))
        # Two short rows rather than one long one: the dock fits beside the timeline on a
        # 1366-pixel screen.
        filters.addWidget(self.kind_filter, 1)
        filters.addWidget(self.category_filter, 1)
        filters.addWidget(self.unused_days, 1)
        layout.addLayout(filters)
        checks = QHBoxLayout()
        checks.addWidget(self.valid_today)
        checks.addWidget(self.hide_expired)
        checks.addStretch(1)
        layout.addLayout(checks)

        dates = QHBoxLayout()
        self.recorded_from = SegmentDialog._date_edit(None)
        self.recorded_to = SegmentDialog._date_edit(None)
        dates.addWidget(QLabel(QCoreApplication.translate("LibraryDock", "Recorded from")))
        dates.addWidget(self.recorded_from)
        dates.addWidget(QLabel(QCoreApplication.translate("LibraryDock", "to")))
        dates.addWidget(self.recorded_to)
        dates.addStretch(1)
        layout.addLayout(dates)

        self.model = SegmentTableModel(library, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setDragEnabled(True)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        # Double-click listens (as in every audio library); F2 or a second click edits a cell.
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.SelectedClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.doubleClicked.connect(self._listen_to)
        self.table.verticalHeader().hide()
        layout.addWidget(self.table, 1)

        buttons = QHBoxLayout()
        self.add_button = QPushButton(QCoreApplication.translate("LibraryDock", "Add at playhead"))
        self.add_button.setToolTip(
            QCoreApplication.translate(
                "LibraryDock", "Put the selected segments on the timeline at the playhead (Enter)"
            )
        )
        self.kind_button = QPushButton(QCoreApplication.translate("LibraryDock", "Kind"))
        kind_menu = QMenu(self.kind_button)
        for k in SegmentKind:
            kind_menu.addAction(kind_label(k), lambda k=k: self.set_kind_of_selected(k.value))
        self.kind_button.setMenu(kind_menu)
        self.kind_button.setToolTip(
            QCoreApplication.translate("LibraryDock", "Set the kind of every selected segment")
        )
        self.preview_button = QPushButton(QCoreApplication.translate("LibraryDock", "Preview"))
        self.edit_button = QPushButton(QCoreApplication.translate("LibraryDock", "Details…"))
        self.delete_button = QPushButton(QCoreApplication.translate("LibraryDock", "Delete"))
        self.import_button = QPushButton(QCoreApplication.translate("LibraryDock", "Import…"))
        for b in (self.add_button, self.preview_button, self.kind_button, self.edit_button):
            buttons.addWidget(b)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        layout.addLayout(buttons)

        progress_row = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.cancel_button = QPushButton(QCoreApplication.translate("LibraryDock", "Cancel"))
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)
        self.progress.hide()
        self.cancel_button.hide()
        layout.addLayout(progress_row)

        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.setWidget(body)
        self.setAcceptDrops(True)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh)
        self.search_box.textChanged.connect(self._search_timer.start)
        for signal in (
            self.kind_filter.currentIndexChanged,
            self.category_filter.currentIndexChanged,
            self.valid_today.toggled,
            self.hide_expired.toggled,
            self.unused_days.valueChanged,
            self.recorded_from.dateChanged,
            self.recorded_to.dateChanged,
        ):
            signal.connect(self.refresh)
        self.model.sort_requested.connect(self._sort_by)
        self.model.edit_failed.connect(self._show_error)
        self.preview_button.clicked.connect(self.preview_selected)
        self.add_button.clicked.connect(self.add_selected)
        enter = QShortcut(QKeySequence(Qt.Key.Key_Return), self.table)
        enter.setContext(Qt.ShortcutContext.WidgetShortcut)
        enter.activated.connect(self.add_selected)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.import_button.clicked.connect(self._choose_files)
        self.cancel_button.clicked.connect(self.cancel_import)

        self.reload_categories()
        self.refresh()

    # --- searching ------------------------------------------------------------------------

    def query(self) -> SearchQuery:
        kind = self.kind_filter.currentData()
        unused = self.unused_days.value()
        return SearchQuery(
            text=self.search_box.text(),
            kinds=(kind,) if kind else (),
            category=self.category_filter.currentData() or None,
            recorded_from=SegmentDialog._date_of(self.recorded_from),
            recorded_to=SegmentDialog._date_of(self.recorded_to),
            valid_today=self.valid_today.isChecked(),
            hide_expired=self.hide_expired.isChecked(),
            unused_days=unused or None,
            sort=self._sort[0],
            descending=self._sort[1],
            limit=PAGE_ROWS,
        )

    def refresh(self) -> None:
        """Search now, in the background (typing searches after a short pause)."""
        self._search_timer.stop()
        q = self.query()
        self._generation += 1
        generation = self._generation
        library = self.library

        def work(_progress):
            try:
                return generation, library.search(q)
            except StudioError as exc:
                return generation, exc

        self.searches.run("search", work, on_done=self._search_done)

    def _search_done(self, answer: tuple) -> None:
        generation, rows = answer
        if generation != self._generation:
            return  # the user typed on: a newer search is coming
        if isinstance(rows, StudioError):
            self._show_error(rows.message())
            return
        self.model.set_rows(rows)
        # No exact count for a full page: counting every match of a common word with filters
        # would cost more than the search itself, on every keystroke.
        if len(rows) >= PAGE_ROWS:
            self.status.setText(
                QCoreApplication.translate(
                    "LibraryDock", "Showing the first %1 matches; type more to narrow them."
                ).replace("%1", str(len(rows)))
            )
        else:
            self.status.setText(
                QCoreApplication.translate("LibraryDock", "%1 segments.").replace(
                    "%1", str(len(rows))
                )
            )
        self.searchFinished.emit(len(rows))

    def reload_categories(self) -> None:
        current = self.category_filter.currentData()
        self.category_filter.blockSignals(True)
        self.category_filter.clear()
        self.category_filter.addItem(
            QCoreApplication.translate("LibraryDock", "All categories"), None
        )
        try:
            names = self.library.categories()
        except StudioError as exc:
            names = []
            self._show_error(exc.message())
        for name in names:
            self.category_filter.addItem(name, name)
        self.category_filter.setCurrentIndex(max(0, self.category_filter.findData(current)))
        self.category_filter.blockSignals(False)

    def _sort_by(self, key: str, descending: bool) -> None:
        self._sort = (key, descending)
        self.refresh()

    def _show_error(self, message: str) -> None:
        self.status.setText(message)

    # --- actions on the selection ---------------------------------------------------------------

    def selected(self) -> list[SegmentView]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.segment(r) for r in rows]

    def preview_selected(self) -> None:
        chosen = self.selected()
        if not chosen:
            return
        seg = chosen[0]
        try:
            frames = self.library.frames(seg.id)
        except StudioError as exc:
            self._show_error(exc.message())
            return
        self.previewRequested.emit(seg.id)
        if self.preview is not None:
            self.preview(frames, seg.store_rate)

    def _listen_to(self, index) -> None:
        self.table.selectRow(index.row())
        self.preview_selected()

    def add_selected(self) -> None:
        chosen = self.selected()
        if chosen:
            self.addRequested.emit(chosen)

    def set_kind_of_selected(self, kind: str) -> int:
        """Give every selected segment `kind` (one click for many rows); returns how many."""
        done = 0
        for seg in self.selected():
            if seg.kind != kind and self.apply_edit(seg.id, {"kind": kind}):
                done += 1
        return done

    def edit_selected(self) -> None:
        chosen = self.selected()
        if not chosen:
            return
        dialog = SegmentDialog(chosen[0], self.library.categories(), self)
        if self._run_dialog(dialog):
            self.apply_edit(chosen[0].id, dialog.changes())

    def apply_edit(self, segment_id: int, changes: dict) -> bool:
        try:
            updated = self.library.update(segment_id, **changes)
        except StudioError as exc:
            self._show_error(exc.message())
            return False
        self.model.replace(updated)
        return True

    def delete_selected(self) -> None:
        for seg in self.selected():
            try:
                self.library.delete(seg.id)
            except SegmentInUse as exc:
                if not self._confirm(
                    QCoreApplication.translate("LibraryDock", "Delete a segment in use?"),
                    exc.message(),
                ):
                    continue
                try:
                    self.library.delete(seg.id, confirm_in_use=True)
                except StudioError as again:
                    self._show_error(again.message())
            except StudioError as exc:
                self._show_error(exc.message())
        self.refresh()

    # Dialog hooks, replaced in tests (a modal dialog would wait for a click).
    def _confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def _run_dialog(self, dialog: QDialog) -> bool:
        return dialog.exec() == QDialog.DialogCode.Accepted

    # --- import ----------------------------------------------------------------------------

    def _choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self,
            QCoreApplication.translate("LibraryDock", "Import audio files"),
            "",
            QCoreApplication.translate("LibraryDock", "Audio files")
            + " (*.wav *.flac *.mp3 *.ogg *.opus *.m4a *.aif *.aiff)",
        )
        if files:
            self.start_import(files)

    def start_import(self, paths: list[str | Path], kind: str | None = None) -> Job | None:
        """Import files and folders in the background; one import at a time."""
        if self.job is not None:
            self._show_error(
                QCoreApplication.translate("LibraryDock", "An import is already running.")
            )
            return None
        paths = [str(p) for p in paths]
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()
        self.import_button.setEnabled(False)
        self.status.setText(QCoreApplication.translate("LibraryDock", "Importing…"))
        self.job = self.imports.run(
            "import",
            lambda progress: self.library.import_paths(paths, kind=kind, progress=progress),
            on_done=self._import_done,
            on_error=self._import_failed,
            on_cancel=self._end_job,
            on_progress=self._import_progress,
        )
        return self.job

    def cancel_import(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def _import_progress(self, fraction: float) -> None:
        self.progress.setValue(int(fraction * 1000))

    def _end_job(self) -> None:
        self.job = None
        self.progress.hide()
        self.cancel_button.hide()
        self.import_button.setEnabled(True)

    def _import_done(self, report: ImportReport) -> None:
        self._end_job()
        self.last_report = report
        self.refresh()
        summary = (
            QCoreApplication.translate("LibraryDock", "Added %1, already there %2, failed %3.")
            .replace("%1", str(len(report.added)))
            .replace("%2", str(len(report.duplicates)))
            .replace("%3", str(len(report.failed)))
        )
        if report.cancelled:
            summary = QCoreApplication.translate("LibraryDock", "Import cancelled.") + " " + summary
        lines = [summary] + [f"{Path(i.path).name}: {i.reason()}" for i in report.failed]
        self.status.setText("\n".join(lines))
        self.importFinished.emit(report)

    def _import_failed(self, exc: Exception) -> None:
        self._end_job()
        if isinstance(exc, StudioError):
            self._show_error(exc.message())
        else:
            self._show_error(
                QCoreApplication.translate("LibraryDock", "Import failed: %1").replace(
                    "%1", str(exc)
                )
            )

    # --- dropping files onto the dock ---------------------------------------------------------

    def dragEnterEvent(self, event) -> None:  # noqa: N802
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:  # noqa: N802
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.start_import(paths)
            event.acceptProposedAction()
