"""Every question the window asks the user, in one replaceable object.

The main window never calls QMessageBox or QFileDialog directly; it asks its `prompts`. Tests
swap in an object with scripted answers, so no modal dialog ever blocks a test.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from studio.programme import SUFFIX

AUDIO_FILTER = "*.wav *.flac *.ogg *.oga *.mp3 *.aif *.aiff *.opus *.m4a"


class Prompts:
    def __init__(self, parent: QWidget):
        self.parent = parent

    def tr(self, text: str) -> str:
        from PySide6.QtCore import QCoreApplication

        return QCoreApplication.translate("Prompts", text)

    def unsaved(self, name: str) -> str:
        """'save', 'discard' or 'cancel'."""
        box = QMessageBox(self.parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Unsaved changes"))
        box.setText(self.tr("Save the changes to “%1” before closing?").replace("%1", name))
        box.setInformativeText(self.tr("If you don't save, your changes will be lost."))
        save = box.addButton(self.tr("Save"), QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton(self.tr("Don't save"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(self.tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(save)
        box.exec()
        clicked = box.clickedButton()
        return "save" if clicked is save else "discard" if clicked is discard else "cancel"

    def open_path(self, folder: str = "") -> str | None:
        path, _ = QFileDialog.getOpenFileName(
            self.parent,
            self.tr("Open programme"),
            folder,
            self.tr("Programmes (*%1)").replace("%1", SUFFIX),
        )
        return path or None

    def save_path(self, suggestion: str = "") -> str | None:
        path, _ = QFileDialog.getSaveFileName(
            self.parent,
            self.tr("Save programme"),
            suggestion,
            self.tr("Programmes (*%1)").replace("%1", SUFFIX),
        )
        return path or None

    def export_options(self, presets, chosen, folder: str, name_for, auto_level=True, duck=True):
        """The export dialog (ui.window.export_dialog): an ExportChoice, or None when
        cancelled. `name_for(preset)` gives the default file name for a preset; `auto_level`
        and `duck` are how the balance boxes start."""
        from ui.window.export_dialog import ExportDialog

        dialog = ExportDialog(presets, chosen, folder, name_for, self.parent, auto_level, duck)
        try:
            return dialog.choice if dialog.exec() else None
        finally:
            dialog.deleteLater()

    def push_options(self, destinations: list[str], title: str, file_name: str):
        """Where, how urgent, title, areas and schedule of a push: a PushChoice, or None."""
        from ui.publishing.push_dialog import PushDialog

        dialog = PushDialog(destinations, title, file_name, self.parent)
        return dialog.choice if dialog.exec() else None

    def save_file(self, title: str, suggestion: str, file_filter: str) -> str | None:
        """Where to save a file (a report, …); None when cancelled."""
        path, _ = QFileDialog.getSaveFileName(self.parent, title, suggestion, file_filter)
        return path or None

    def import_paths(self, folder: str = "") -> list[str]:
        paths, _ = QFileDialog.getOpenFileNames(
            self.parent,
            self.tr("Import audio"),
            folder,
            self.tr("Audio files (%1)").replace("%1", AUDIO_FILTER),
        )
        return list(paths)

    def relink_path(self, name: str) -> str | None:
        path, _ = QFileDialog.getOpenFileName(
            self.parent,
            self.tr("Find “%1”").replace("%1", name),
            "",
            self.tr("Audio files (%1)").replace("%1", AUDIO_FILTER),
        )
        return path or None

    def keep_sending(self, pending: int) -> str:
        """Closing with items still to send: 'background', 'close' or 'cancel'."""
        from ui.publishing.background import ask_keep_sending

        return ask_keep_sending(self.parent, pending)

    def error(self, text: str) -> None:
        QMessageBox.critical(self.parent, self.tr("Studio Truyền Thanh"), text)

    def info(self, text: str) -> None:
        QMessageBox.information(self.parent, self.tr("Studio Truyền Thanh"), text)

    def confirm(self, text: str) -> bool:
        answer = QMessageBox.question(self.parent, self.tr("Studio Truyền Thanh"), text)
        return answer == QMessageBox.StandardButton.Yes

    def number(self, title: str, label: str, value: float, lo: float, hi: float) -> float | None:
        v, ok = QInputDialog.getDouble(self.parent, title, label, value, lo, hi, 1)
        return v if ok else None

    def text(self, title: str, label: str, value: str = "") -> str | None:
        v, ok = QInputDialog.getText(self.parent, title, label, text=value)
        return v if ok else None

    def choose(self, title: str, label: str, items: list[str]) -> str | None:
        if not items:
            return None
        v, ok = QInputDialog.getItem(self.parent, title, label, items, 0, False)
        return v if ok else None
