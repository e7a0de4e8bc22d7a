"""File → Programme properties…: the title, station, commune, category, author and broadcast
date that name the export, fill its tags and go with every push (studio.properties).

The labels come from `studio.properties` in both languages, so this dialog needs no entry in
the translation files.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit

from audio.errors import StudioError
from audio.errors import localized as _t
from studio.history import Description
from studio.properties import PROPERTIES, date_vi, properties, set_properties
from ui.window.feature import Feature

SET_PROPERTIES = Description(
    "Changed the programme's properties",
    "Đã sửa thuộc tính chương trình",
    "Properties",
    "Thuộc tính",
)


class PropertiesDialog(QDialog):
    def __init__(self, values: dict[str, str], defaults: dict[str, str], parent=None):
        super().__init__(parent)
        self.setWindowTitle(_t("Programme properties", "Thuộc tính chương trình"))
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for p in PROPERTIES:
            edit = QLineEdit(values.get(p.key, ""))
            if defaults.get(p.key):
                edit.setPlaceholderText(
                    defaults[p.key] + _t(" (from the settings)", " (theo cài đặt)")
                )
            if p.key == "date":
                edit.setPlaceholderText(_t("e.g. 02/12/2026", "ví dụ 02/12/2026"))
            self.fields[p.key] = edit
            form.addRow(_t(p.label_en, p.label_vi), edit)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        form.addRow(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_t("OK", "Đồng ý"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_t("Cancel", "Huỷ"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.setLayout(form)
        self.setMinimumWidth(460)

    def values(self) -> dict[str, str]:
        return {key: edit.text() for key, edit in self.fields.items()}


class PropertiesFeature(Feature):
    key = "properties"

    def __init__(self, window, options=None):
        super().__init__(window, options)
        self.act_properties = QAction(
            _t("Programme &properties…", "&Thuộc tính chương trình…"), window
        )
        self.act_properties.setShortcut(QKeySequence("Alt+Return"))
        self.act_properties.triggered.connect(lambda _=False: self.edit())
        window.add_action("file", self.act_properties, before=window.act_settings)

    def dialog(self) -> PropertiesDialog:
        w = self.window
        programme = w.editor.programme
        own = properties(programme)  # without settings: only the programme's own values
        own["date"] = date_vi(own["date"])
        defaults = properties(programme.with_changes(title="", metadata=()), w.settings)
        return PropertiesDialog(own, defaults, w)

    def apply(self, values: dict[str, str]) -> bool:
        """One undo step; StudioError (one line) for a bad value, nothing changed then."""
        ed = self.window.editor
        return ed.apply(set_properties(ed.programme, **values), SET_PROPERTIES)

    def edit(self) -> bool:
        dlg = self.dialog()
        while dlg.exec() == QDialog.DialogCode.Accepted:
            try:
                return self.apply(dlg.values())
            except StudioError as exc:
                dlg.error.setText(exc.message())
        return False


def install(window, options: dict) -> PropertiesFeature:
    return PropertiesFeature(window, options)
