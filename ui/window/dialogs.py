"""Small dialogs: settings (language, theme), keyboard shortcuts help, the user guide, missing
media."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
)

from audio.errors import current_language
from ui.looks import RESOURCES

GUIDE = RESOURCES / "guide"  # index.html (Vietnamese), index-en.html, images/*.png


def guide_page(lang: str) -> Path:
    """The user guide's page in `lang` (Vietnamese when there is none in that language)."""
    page = GUIDE / f"index-{lang}.html"
    return page if lang != "vi" and page.is_file() else GUIDE / "index.html"


class SettingsDialog(QDialog):
    def __init__(self, settings, parent=None, presets=(), chosen: str = "", sections=(), home=None):
        """`presets`: the export presets to offer (studio.exporting), `chosen`: the name of
        the current one; `sections`: (title, widget) pairs the features add."""
        super().__init__(parent)
        self.settings = settings
        self.home = home
        self.media_moves = False
        self.setWindowTitle(self.tr("Settings"))
        self.language = QComboBox()
        self.language.addItem("Tiếng Việt", "vi")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(max(0, self.language.findData(settings.get("language"))))
        self.theme = QComboBox()
        self.theme.addItem(self.tr("Light"), "light")
        self.theme.addItem(self.tr("Dark"), "dark")
        self.theme.setCurrentIndex(max(0, self.theme.findData(settings.get("theme"))))
        self.preset = QComboBox()
        lang = current_language()
        for p in presets:
            self.preset.addItem(p.title(lang), p.name)
        self.preset.setCurrentIndex(max(0, self.preset.findData(chosen)))
        from audio.errors import localized as _t

        # what the first-start assistant asked, changeable here too
        self.station = QLineEdit(settings.get("station_name"))
        self.commune = QLineEdit(settings.get("commune"))
        self.media = QLineEdit(str(home.media) if home is not None else "")
        form = QFormLayout()
        form.addRow(self.tr("Language"), self.language)
        form.addRow(self.tr("Theme"), self.theme)
        form.addRow(self.tr("Export preset"), self.preset)
        form.addRow(_t("Station name", "Tên đài"), self.station)
        form.addRow(_t("Commune", "Xã / phường"), self.commune)
        if home is not None:
            form.addRow(_t("Audio folder", "Thư mục âm thanh"), self.media)
        note = QLabel(self.tr("A new language is used after the app restarts."))
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("OK"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        col = QVBoxLayout(self)
        col.addLayout(form)
        col.addWidget(note)
        for title, widget in sections:
            box = QGroupBox(title)
            QVBoxLayout(box).addWidget(widget)
            col.addWidget(box)
        col.addWidget(buttons)

    def apply(self) -> None:
        self.settings.set("language", self.language.currentData())
        self.settings.set("theme", self.theme.currentData())
        if self.preset.count():
            self.settings.set("export_preset", self.preset.currentData())
        self.settings.set("station_name", " ".join(self.station.text().split()))
        self.settings.set("commune", " ".join(self.commune.text().split()))
        self.media_moves = False
        if self.home is not None and self.media.text().strip():
            from studio.paths import choose_media_folder

            self.media_moves = choose_media_folder(
                self.settings, self.home, self.media.text().strip()
            )
        self.settings.save()


class ShortcutsDialog(QDialog):
    """The help page: every menu action with its keyboard shortcut."""

    def __init__(self, rows: list[tuple[str, str, str]], parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.resize(560, 520)
        table = QTableWidget(len(rows), 3)
        table.setHorizontalHeaderLabels([self.tr("Menu"), self.tr("Command"), self.tr("Keys")])
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                table.setItem(r, c, item)
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        table.verticalHeader().hide()
        tips = QLabel(
            self.tr(
                "Mouse: drag a clip to move it (also to another track); drag its edges to trim; "
                "drag the small squares at its top corners for fades; drag the yellow line for "
                "its gain, or double-click the clip to type it. Drag on an empty part of a track "
                "to select a time range. Ctrl+wheel zooms, Shift+wheel scrolls sideways. Hold "
                "Alt while dragging to turn snapping off."
            )
        )
        tips.setWordWrap(True)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        col = QVBoxLayout(self)
        col.addWidget(tips)
        col.addWidget(table, 1)
        col.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)


class GuideDialog(QDialog):
    """Help → User guide: the HTML guide of resources/guide/ in a text browser (offline; its
    pictures load relative to the page)."""

    def __init__(self, lang: str | None = None, parent=None):
        super().__init__(parent)
        self.setObjectName("GuideDialog")
        self.setWindowTitle(self.tr("User guide"))
        self.resize(940, 680)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        self.browser.setOpenLinks(True)  # links inside the guide (the table of contents)
        self.page = guide_page(lang or current_language())
        self.browser.setSource(QUrl.fromLocalFile(str(self.page)))
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        col = QVBoxLayout(self)
        col.addWidget(self.browser, 1)
        col.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)


class MissingMediaDialog(QDialog):
    """Lists the media a programme needs but the media folder lacks, with a Relink button
    per row. `relink(source_id)` is called when the user asks to find one."""

    def __init__(self, rows: list[tuple[str, str, str]], relink, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Missing audio"))
        self.resize(620, 300)
        self.rows = rows
        info = QLabel(
            self.tr(
                "Some audio used by this programme is missing from the media folder. Those "
                "clips play as silence until you find the files again."
            )
        )
        info.setWordWrap(True)
        self.table = QTableWidget(len(rows), 3)
        self.table.setHorizontalHeaderLabels([self.tr("File"), self.tr("Last known place"), ""])
        for r, (source_id, name, path) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(name or source_id[:12]))
            self.table.setItem(r, 1, QTableWidgetItem(path))
            button = QPushButton(self.tr("Find…"))
            button.clicked.connect(lambda _=False, sid=source_id: relink(sid))
            self.table.setCellWidget(r, 2, button)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        col = QVBoxLayout(self)
        col.addWidget(info)
        col.addWidget(self.table, 1)
        col.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)

    def mark_found(self, source_id: str) -> None:
        for r, (sid, _, _) in enumerate(self.rows):
            if sid == source_id:
                self.table.setCellWidget(r, 2, QLabel(self.tr("Found")))
