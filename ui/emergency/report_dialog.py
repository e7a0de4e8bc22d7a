"""Publish → Periodic report…: choose the period, preview the report, save it as CSV, HTML or
PDF. The figures and the page come from `studio.report` (the same as `studio report`)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
)

from audio.errors import StudioError


def tr(text: str) -> str:
    return QCoreApplication.translate("Report", text)


def _qdate(d: dt.date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _date(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


class ReportDialog(QDialog):
    def __init__(self, window, db):
        """`db`: the open library database (the outbox's), read on the job thread."""
        super().__init__(window)
        self.db = db
        from studio.cli_report import last_month
        from studio.schedule import now_local

        self.window = window
        self.report = None
        self.setWindowTitle(tr("Periodic report"))
        self.resize(1100, 700)
        start, end = last_month(now_local().date())
        self.start = QDateEdit(_qdate(start), calendarPopup=True, displayFormat="dd/MM/yyyy")
        self.end = QDateEdit(_qdate(end), calendarPopup=True, displayFormat="dd/MM/yyyy")
        self.show_button = QPushButton(tr("Show"))
        self.show_button.clicked.connect(self.refresh)
        self.summary = QLabel()
        self.preview = QTextBrowser()
        self.preview.setOpenLinks(False)
        self.save_buttons = {}
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("From")))
        row.addWidget(self.start)
        row.addWidget(QLabel(tr("to")))
        row.addWidget(self.end)
        row.addWidget(self.show_button)
        row.addStretch(1)
        for fmt, label in (("csv", tr("Save CSV…")), ("html", tr("Save HTML…")),
                           ("pdf", tr("Save PDF…"))):  # fmt: skip
            b = QPushButton(label)
            b.clicked.connect(lambda _=False, f=fmt: self.save(f))
            b.setEnabled(False)
            self.save_buttons[fmt] = b
            row.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.preview, 1)
        self.refresh()

    def refresh(self) -> None:
        from studio.report import build_report, period

        settings, db = self.window.settings, self.db

        def work(progress):
            start, end = period(_date(self.start.date()), _date(self.end.date()))
            return build_report(db, start, end, settings.get("station_name"))

        self.window.jobs.run(tr("Making the report"), work, self._show, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.summary.setText(exc.message() if isinstance(exc, StudioError) else str(exc))

    def _show(self, report) -> None:
        from studio.report import to_html

        self.report = report
        t = report.total
        self.summary.setText(
            tr("%1 programmes, %2 pushes (%3 delivered), %4 emergency bulletins")
            .replace("%1", str(t.programmes))
            .replace("%2", str(t.pushes))
            .replace("%3", str(t.delivered))
            .replace("%4", str(t.emergencies))
        )
        self.preview.setHtml(to_html(report))
        for b in self.save_buttons.values():
            b.setEnabled(True)

    def save(self, fmt: str, path: str | None = None):
        """Save the report shown; returns the path written (None when cancelled)."""
        from studio.report import PdfUnavailable, write_report

        if self.report is None:
            return None
        r = self.report
        suggestion = str(
            self.window.home.exports / f"bao-cao-dinh-ky_{r.start:%Y-%m-%d}_{r.end:%Y-%m-%d}.{fmt}"
        )
        path = path or self.window.prompts.save_file(
            tr("Save the report"), suggestion, f"{fmt.upper()} (*.{fmt})"
        )
        if not path:
            return None
        try:
            written = write_report(r, path, fmt)
        except PdfUnavailable:
            written = self._qt_pdf(path)  # no Pango here (a Windows PC): Qt prints the page
        except StudioError as exc:
            self.window.prompts.error(exc.message())
            return None
        self.window.statusBar().showMessage(tr("Saved %1").replace("%1", str(written)), 8000)
        return written

    def _qt_pdf(self, path: str):
        from PySide6.QtGui import QPageSize, QPdfWriter, QTextDocument

        writer = QPdfWriter(path)
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        doc = QTextDocument()
        doc.setHtml(self.preview.toHtml())
        doc.print_(writer)
        return path
