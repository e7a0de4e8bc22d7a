"""The publishing feature: the outbox tab beside the mixer, File/Publish → Push to
destination…, Publish → Destinations….

`OutboxWorker` sends on its own thread while the window is open (it resumes queued items and
stale `sending` ones at start), unless the background sender (`studio outbox serve`) holds the
outbox's sender lease: then the window waits, and the status bar says that background sending
is on. Closing the window with items still to send offers to keep sending in the background
(a `studio outbox serve --until-done` started detached); Settings → Background sending installs
the sender that starts at logon (ui/publishing/background.py). A push queues the last export,
exporting first when there is none, and asks the destination and the priority.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel

from audio.errors import StudioError
from ui.publishing import background
from ui.publishing.outbox_view import OutboxView
from ui.window.feature import Feature


class PublishingFeature(Feature):
    """The outbox, its sender thread and the push / destinations actions."""

    key = "publishing"

    def __init__(self, window, options: dict | None = None):
        from studio.outbox import Outbox, OutboxWorker

        super().__init__(window, options)
        self.outbox = self.options.get("outbox")
        self.worker = None
        self.view = None
        self.dock = None
        self._add_actions()
        if self.outbox is None:
            try:
                self.outbox = Outbox.open(window.home)
            except StudioError as exc:
                window.statusBar().showMessage(exc.message(), 10000)
                self.act_push.setEnabled(False)
                self.act_destinations.setEnabled(False)
                return
        self.worker = OutboxWorker(self.outbox, poll_s=5.0, role="window")
        self.view = OutboxView(self.outbox, self.worker)
        self.keep_sending = False  # the user chose to keep sending after the window closes
        self.sender_label = QLabel()
        self.sender_label.setObjectName("backgroundSenderState")
        window.statusBar().addPermanentWidget(self.sender_label)
        self.sender_timer = QTimer(self)
        self.sender_timer.timeout.connect(self.show_sender)
        self.sender_timer.start(3000)
        self.show_sender()
        window.installEventFilter(self)
        self.dock = window.add_dock(
            "outbox",
            self.view,
            self.tr("Outbox"),
            Qt.DockWidgetArea.BottomDockWidgetArea,
            tab_with=window.mixer_dock,
        )
        if self.options.get("start_worker", True):
            self.worker.start()  # resumes queued items and takes over stale "sending" ones

    def _add_actions(self) -> None:
        w = self.window
        self.act_push = QAction(self.tr("&Push to destination…"), w)
        self.act_push.setShortcut("Ctrl+Shift+P")
        self.act_push.triggered.connect(lambda _=False: self.push())
        self.act_destinations = QAction(self.tr("&Destinations…"), w)
        self.act_destinations.triggered.connect(lambda _=False: self.destinations_dialog())
        self.menu = w.add_menu("publish", self.tr("&Publish"))
        w.add_action("publish", self.act_push)
        w.add_action("publish", self.act_destinations)
        w.add_action("file", self.act_push, before=w.act_settings, separator=True)

    def destinations_dialog(self) -> None:
        from ui.publishing.destinations_dialog import DestinationsDialog

        dialog = DestinationsDialog(self.outbox, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.run_dialog(dialog)

    def run_dialog(self, dialog) -> None:
        """Modal in the app; tests replace it."""
        dialog.exec()

    def push(self) -> dict | None:
        """Queue the last export for a destination (export first when there is none)."""
        w = self.window
        last = getattr(w, "last_export", None)
        if last is None or not Path(last.path).is_file():
            w.export_dialog(then=lambda _result: self.push())
            return None
        names = [d.name for d in self.outbox.destinations()]
        if not names:
            if w.prompts.confirm(self.tr("No destination is set up yet. Set one up now?")):
                self.destinations_dialog()
            names = [d.name for d in self.outbox.destinations()]
            if not names:
                return None
        title = w.editor.programme.title or Path(last.path).stem
        choice = w.prompts.push_options(names, title, os.path.basename(str(last.path)))
        if choice is None:
            return None
        from studio.properties import push_metadata
        from studio.publishing import PublishService

        # The programme's properties (station, commune, category…) go with it; the dialog's win.
        meta = {**push_metadata(w.editor.programme, w.settings), **choice.metadata()}
        try:
            (row,) = PublishService(self.outbox).publish(
                last.path, [choice.destination], meta, choice.priority
            )
        except StudioError as exc:
            w.prompts.error(exc.message())
            return None
        name = choice.destination
        self.worker.wake()
        library = w.features.get("library")
        if library is not None:
            library.record_programme_usage("pushed")
        self.view.refresh()
        self.dock.show()
        self.dock.raise_()
        w.statusBar().showMessage(self.tr("Queued for %1").replace("%1", name), 5000)
        return row

    # --- the background sender --------------------------------------------------------------
    def show_sender(self) -> None:
        """The status-bar note: is a background sender running (from the sender lease)?"""
        try:
            holder = self.outbox.sender()
        except Exception:  # noqa: BLE001 - a database hiccup: keep the last note
            return
        text, tip = background.sender_text(holder, holder is not None and self.worker.holding)
        self.sender_label.setText(text)
        self.sender_label.setToolTip(tip)

    def settings_section(self):
        """(title, widget) for the Settings dialog."""
        return background.settings_section(self.window.home)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        if obj is self.window and event.type() == QEvent.Type.Close:
            return self._closing(event)
        return False

    def _closing(self, event) -> bool:
        """The window is asked to close: with items still to send and no background sender,
        offer to keep sending. True (and the event ignored) keeps the window open."""
        self.keep_sending = False
        try:
            pending = self.outbox.pending()
            holder = self.outbox.sender()
        except Exception:  # noqa: BLE001 - never keep the user from closing
            return False
        if not pending or (holder is not None and holder.role == "service"):
            return False
        ask = getattr(self.window.prompts, "keep_sending", None)
        answer = ask(pending) if ask is not None else "close"
        if answer == "cancel":
            event.ignore()
            return True
        self.keep_sending = answer == "background"
        return False

    def close(self) -> None:
        if self.view is not None:
            self.view.timer.stop()
        if getattr(self, "sender_timer", None) is not None:
            self.sender_timer.stop()
        if self.worker is not None:
            self.worker.stop(timeout=15.0)  # gives the sender lease up
        if self.keep_sending:
            from studio.outbox import service

            try:
                service.start_background_sender(self.window.home)
            except StudioError as exc:
                self.window.prompts.error(exc.message())
        if self.outbox is not None:
            with contextlib.suppress(Exception):
                self.outbox.close()


def install(window, options: dict) -> PublishingFeature:
    return PublishingFeature(window, options)
