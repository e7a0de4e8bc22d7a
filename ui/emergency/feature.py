"""The emergency feature: one action — toolbar button "Khẩn cấp", File → Emergency bulletin…,
Ctrl+Shift+K — opening the focused emergency screen (`ui/emergency/screen.py`); and
Publish → Periodic report… with a preview (`ui/emergency/report_dialog.py`).

It also notes every export made in the window in the export log, for the periodic report
(off the GUI thread: the log is a database write).
"""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from ui.window.feature import Feature

SHORTCUT = "Ctrl+Shift+K"  # K: khẩn cấp


class EmergencyFeature(Feature):
    key = "emergency"

    def __init__(self, window, options: dict | None = None):
        super().__init__(window, options)
        self.screen = None
        w = window
        self.act_emergency = QAction(self.tr("Emergency bulletin…"), w)
        self.act_emergency.setObjectName("EmergencyAction")
        self.act_emergency.setIconText(self.tr("Emergency"))
        self.act_emergency.setProperty("toolbarIcon", "emergency")  # ui/looks.py
        self.act_emergency.setShortcut(QKeySequence(SHORTCUT))
        self.act_emergency.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.act_emergency.setToolTip(
            self.tr("Record and send an emergency bulletin at once (%1)").replace("%1", SHORTCUT)
        )
        self.act_emergency.triggered.connect(lambda _=False: self.open_screen())
        w.add_action("file", self.act_emergency, before=w.act_settings, separator=True)
        # First in the toolbar: it must never fall into the overflow on a small screen.
        bar = w.transport_bar
        first = bar.actions()[0] if bar.actions() else None
        bar.insertAction(first, self.act_emergency)
        if first is not None:
            bar.insertSeparator(first)
        button = w.transport_bar.widgetForAction(self.act_emergency)
        if button is not None:
            button.setObjectName("EmergencyToolButton")
            button.setStyleSheet(
                "#EmergencyToolButton { background: #b3261e; color: white; font-weight: bold;"
                " padding: 3px 10px; border-radius: 3px; }"
            )
        self.act_report = QAction(self.tr("Periodic &report…"), w)
        self.act_report.triggered.connect(lambda _=False: self.open_report())
        if "publish" in w.menus:
            w.add_action("publish", self.act_report)
        else:
            w.add_action("file", self.act_report, before=w.act_settings)
        w.exported.connect(self._exported)

    def _publishing(self):
        pub = self.window.features.get("publishing")
        if pub is None or pub.outbox is None:
            return None
        return pub

    def open_screen(self):
        """Show the emergency screen (one at a time); it returns the screen."""
        from ui.emergency.screen import EmergencyScreen

        pub = self._publishing()
        if pub is None:
            self.window.prompts.error(
                self.tr("The outbox could not be opened, so nothing can be sent.")
            )
            return None
        if self.screen is not None and self.screen.isVisible():
            self.screen.raise_()
            self.screen.activateWindow()
            return self.screen
        self.screen = EmergencyScreen(self.window, pub)
        self.screen.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.screen.destroyed.connect(lambda *_: setattr(self, "screen", None))
        self.screen.show()
        return self.screen

    def open_report(self):
        from ui.emergency.report_dialog import ReportDialog

        pub = self._publishing()
        if pub is None:
            self.window.prompts.error(
                self.tr("The outbox could not be opened, so nothing can be sent.")
            )
            return None
        dialog = ReportDialog(self.window, pub.outbox.db)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def _exported(self, result) -> None:
        """Note a window export for the periodic report, on a thread of its own."""
        from studio.export_log import note_exports

        w = self.window
        programme = w.editor.programme
        details = {
            "category": programme.meta("category"),
            "author": programme.meta("author") or None,
            "preset": getattr(getattr(result, "preset", None), "name", ""),
            "programme": w.editor.session.path or "",
        }
        title = programme.title or result.path.stem
        pub = self._publishing()
        if pub is None:
            return
        threading.Thread(
            target=note_exports,
            args=(w.home, [(result, title, details)], pub.outbox.db),
            name="export-log",
            daemon=True,
        ).start()

    def close(self) -> None:
        if self.screen is not None:
            self.screen.close()


def install(window, options: dict) -> EmergencyFeature:
    return EmergencyFeature(window, options)
