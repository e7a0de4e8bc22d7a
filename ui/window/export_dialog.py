"""File → Xuất tệp… (Ctrl+E): one dialog for everything an export needs.

It shows the named presets (the user's chosen one selected), the format, the MP3 bitrate and
channels, the target loudness and true-peak ceiling, the file name and folder, and whether
the parts are balanced (auto-level by role) and the music bed ducked under the voice. A value
changed from the preset's makes a custom preset (`studio.exporting.custom`, validated there).
Accepting gives an `ExportChoice`; `run_export` turns it into the export service's call, so
the window and the command line still export through the same service.

The dialog asks nothing through the window's prompts: it is itself a prompt
(`ui.prompts.Prompts.export_options`). The folder chooser and the "replace it?" question are
attributes (`choose_folder`, `ask_replace`) that a test may swap.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from audio.errors import StudioError, current_language, localized
from studio.exporting import ExportPreset, custom

# What export.presets accepts (it validates again): kept in step by tests/test_ui_export_dialog.
MP3_BITRATES_KBPS = (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192)
TARGET_RANGE_LUFS = (-40.0, -5.0)
CEILING_RANGE_DBTP = (-12.0, 0.0)
AUDIO_SUFFIXES = (".mp3", ".wav", ".flac")
BAD_NAME_CHARACTERS = '/\\:*?"<>|'


@dataclass(frozen=True, slots=True)
class ExportChoice:
    """What the user chose: the file, the preset (named or custom), and the balance."""

    path: Path
    preset: ExportPreset
    auto_level: bool = True
    duck: bool = True


def run_export(service, programme, choice: ExportChoice, progress=None):
    """Export `programme` as `choice` says, through the export service (on the job's worker
    thread). The one place the window calls `ExportService.export`."""
    return service.export(
        programme,
        choice.path,
        choice.preset,
        progress=progress,
        auto_level=choice.auto_level,
        duck=choice.duck,
    )


def _name_with_extension(name: str, extension: str) -> str:
    stem, suffix = os.path.splitext(name)
    if suffix.lower() in AUDIO_SUFFIXES:
        name = stem
    return f"{name}.{extension}"


def _short_title(preset: ExportPreset, lang: str) -> str:
    """The preset's title without its technical summary in brackets."""
    return preset.title(lang).split(" (")[0]


def _summary(p: ExportPreset) -> str:
    if p.format == "mp3":
        kind = f"MP3 {p.bitrate_kbps} kbps {'mono' if p.channels == 1 else 'stereo'}"
    else:
        kind = f"{p.format.upper()} {p.rate / 1000:g} kHz {'mono' if p.channels == 1 else 'stereo'}"
    return f"{kind}, {p.target_lufs:g} LUFS, {p.ceiling_dbtp:g} dBTP".replace("-", "−")


class ExportDialog(QDialog):
    """`presets`: the named presets offered; `chosen`: the one selected first; `folder`: where
    the file goes first; `name_for(preset)`: the default file name for a preset (the export
    service's `file_name`). `choice` holds the ExportChoice once accepted."""

    def __init__(
        self,
        presets: list[ExportPreset],
        chosen: ExportPreset,
        folder: str,
        name_for: Callable[[ExportPreset], str],
        parent: QWidget | None = None,
        auto_level: bool = True,
        duck: bool = True,
    ):
        super().__init__(parent)
        self.setObjectName("ExportDialog")
        self.setWindowTitle(localized("Export audio", "Xuất tệp âm thanh"))
        self.presets = list(presets)
        self.name_for = name_for
        self.choice: ExportChoice | None = None
        self.choose_folder: Callable[[str], str] = self._choose_folder
        self.ask_replace: Callable[[Path], bool] = self._ask_replace
        self._name_edited = False
        self._filling = False
        lang = current_language()

        self.preset_box = QComboBox()
        for p in self.presets:
            self.preset_box.addItem(p.title(lang), p.name)
        self.custom_note = QLabel()
        self.custom_note.setObjectName("customNote")
        self.format_box = QComboBox()
        for fmt in dict.fromkeys(p.format for p in self.presets):  # as the presets allow
            self.format_box.addItem(fmt.upper(), fmt)
        self.bitrate_box = QComboBox()
        for kbps in MP3_BITRATES_KBPS:
            self.bitrate_box.addItem(f"{kbps} kbps", kbps)
        self.channels_box = QComboBox()
        self.channels_box.addItem(localized("Mono (one channel)", "Một kênh"), 1)
        self.channels_box.addItem(localized("Stereo (two channels)", "Hai kênh"), 2)
        self.target = QDoubleSpinBox()
        self.target.setRange(*TARGET_RANGE_LUFS)
        self.target.setDecimals(1)
        self.target.setSingleStep(0.5)
        self.target.setSuffix(" LUFS")
        self.ceiling = QDoubleSpinBox()
        self.ceiling.setRange(*CEILING_RANGE_DBTP)
        self.ceiling.setDecimals(1)
        self.ceiling.setSingleStep(0.1)
        self.ceiling.setSuffix(" dBTP")
        self.name = QLineEdit()
        self.folder = QLineEdit(folder)
        self.folder_button = QPushButton(localized("Choose…", "Chọn…"))
        self.auto_level = QCheckBox(localized("Auto-level by role", "Tự cân bằng mức theo vai trò"))
        self.auto_level.setToolTip(
            localized(
                "Brings the voice, jingles and music bed to levels that fit together.",
                "Đưa giọng đọc, nhạc hiệu và nhạc nền về mức vừa với nhau.",
            )
        )
        self.duck = QCheckBox(
            localized("Duck the music bed under the voice", "Tự hạ nhạc nền khi có giọng đọc")
        )
        self.auto_level.setChecked(auto_level)  # as the balance settings say
        self.duck.setChecked(duck)
        self.error = QLabel()
        self.error.setObjectName("exportError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828;")
        self.error.hide()

        folder_row = QHBoxLayout()
        folder_row.setContentsMargins(0, 0, 0, 0)
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.folder_button)
        self.form = QFormLayout()
        self.form.addRow(localized("Preset", "Mẫu xuất"), self.preset_box)
        self.form.addRow("", self.custom_note)
        self.form.addRow(localized("Format", "Định dạng"), self.format_box)
        self.form.addRow(localized("Bitrate", "Tốc độ bit"), self.bitrate_box)
        self.form.addRow(localized("Channels", "Kênh"), self.channels_box)
        self.form.addRow(localized("Target loudness", "Độ lớn mục tiêu"), self.target)
        self.form.addRow(localized("True-peak ceiling", "Ngưỡng đỉnh thực"), self.ceiling)
        self.form.addRow(localized("File name", "Tên tệp"), self.name)
        self.form.addRow(localized("Folder", "Thư mục"), folder_row)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.export_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.export_button.setText(localized("Export", "Xuất"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        col = QVBoxLayout(self)
        col.addLayout(self.form)
        col.addWidget(self.auto_level)
        col.addWidget(self.duck)
        col.addWidget(self.error)
        col.addWidget(self.buttons)
        self.setMinimumWidth(520)

        self.preset_box.currentIndexChanged.connect(self._preset_chosen)
        for box in (self.format_box, self.bitrate_box, self.channels_box):
            box.currentIndexChanged.connect(self._values_changed)
        self.target.valueChanged.connect(self._values_changed)
        self.ceiling.valueChanged.connect(self._values_changed)
        self.name.textEdited.connect(self._name_typed)
        self.folder_button.clicked.connect(self._folder_clicked)
        index = self.preset_box.findData(chosen.name)
        if index >= 0:
            self.preset_box.setCurrentIndex(index)
            self._preset_chosen(index)
        else:  # a custom preset: offered on top of the first named one
            self.preset_box.setCurrentIndex(0)
            self._fill(chosen)
        self.name.setText(self.name_for(self.preset()))

    # --- the preset ---------------------------------------------------------------------------

    def base(self) -> ExportPreset:
        return self.presets[max(0, self.preset_box.currentIndex())]

    def preset(self) -> ExportPreset:
        """The preset the fields describe: the chosen named one, or a custom one made from
        it. StudioError for a value the presets refuse."""
        mp3 = self.format_box.currentData() == "mp3"
        return custom(
            self.base(),
            target_lufs=round(self.target.value(), 1),
            ceiling_dbtp=round(self.ceiling.value(), 1),
            format=self.format_box.currentData(),
            bitrate_kbps=self.bitrate_box.currentData() if mp3 else None,
            channels=self.channels_box.currentData() if mp3 else None,
        )

    def _fill(self, p: ExportPreset) -> None:
        self._filling = True
        try:
            self.format_box.setCurrentIndex(max(0, self.format_box.findData(p.format)))
            self.bitrate_box.setCurrentIndex(max(0, self.bitrate_box.findData(p.bitrate_kbps)))
            self.channels_box.setCurrentIndex(max(0, self.channels_box.findData(p.channels)))
            self.target.setValue(p.target_lufs)
            self.ceiling.setValue(p.ceiling_dbtp)
        finally:
            self._filling = False
        self._values_changed()

    def _preset_chosen(self, index: int) -> None:
        if 0 <= index < len(self.presets):
            self._fill(self.presets[index])

    def _values_changed(self, *_args) -> None:
        if self._filling:
            return
        rows_before = (self.bitrate_box.isVisibleTo(self), self.custom_note.isVisibleTo(self))
        mp3 = self.format_box.currentData() == "mp3"
        self.form.setRowVisible(self.bitrate_box, mp3)
        self.form.setRowVisible(self.channels_box, mp3)
        try:
            p = self.preset()
        except StudioError as exc:  # the fields keep values in range; the preset has the last word
            self._show_error(exc.message(), block=True)
            return
        self._show_error("")
        lang = current_language()
        if p.name == self.base().name:
            self.custom_note.setText("")
            self.form.setRowVisible(self.custom_note, False)
        else:
            # one line (a wrapped label in a form row is cut short); the base is in the box above
            self.custom_note.setText(
                localized("Custom: %1", "Tuỳ chỉnh: %1").replace("%1", _summary(p))
            )
            self.custom_note.setToolTip(
                localized("Based on “%1”", "Dựa trên “%1”").replace(
                    "%1", _short_title(self.base(), lang)
                )
            )
            self.form.setRowVisible(self.custom_note, True)
        if rows_before != (mp3, self.custom_note.isVisibleTo(self)):
            self._fit()
        if not self._name_edited:
            self.name.setText(self.name_for(p))
        elif self.name.text().strip():
            self.name.setText(_name_with_extension(self.name.text().strip(), p.extension))

    def _fit(self) -> None:
        """Grow or shrink to the rows shown (hidden rows would leave a gap)."""
        if self.isVisible():
            self.layout().activate()
            self.resize(self.width(), self.sizeHint().height())

    # --- the file -----------------------------------------------------------------------------

    def _name_typed(self, _text: str) -> None:
        self._name_edited = True
        self._show_error("")

    def _folder_clicked(self) -> None:
        folder = self.choose_folder(self.folder.text())
        if folder:
            self.folder.setText(folder)

    def _choose_folder(self, current: str) -> str:
        return QFileDialog.getExistingDirectory(
            self, localized("Export to folder", "Chọn thư mục để lưu tệp xuất"), current
        )

    def _ask_replace(self, path: Path) -> bool:
        answer = QMessageBox.question(
            self,
            localized("Replace the file?", "Thay thế tệp?"),
            localized(
                "“%1” already exists in this folder. Do you want to replace it?",
                "Tệp “%1” đã có trong thư mục này. Bạn có muốn thay thế không?",
            ).replace("%1", path.name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _show_error(self, text: str, block: bool = False) -> None:
        """One line under the fields; `block` greys Export out until the values are fixed
        (a bad name only shows when Export is pressed, and typing clears it)."""
        self.error.setText(text)
        self.error.setVisible(bool(text))
        self.export_button.setEnabled(not block)

    def target_path(self) -> Path:
        """The file the fields name. StudioError for an empty or impossible name."""
        name = self.name.text().strip()
        if not name or name.startswith("."):
            raise StudioError("Give the file a name.", "Hãy đặt tên cho tệp.")
        if any(c in BAD_NAME_CHARACTERS for c in name):
            raise StudioError(
                f"A file name cannot contain any of {BAD_NAME_CHARACTERS}",
                f"Tên tệp không được có các ký tự {BAD_NAME_CHARACTERS}",
            )
        folder = self.folder.text().strip()
        if not folder:
            raise StudioError("Choose a folder for the file.", "Hãy chọn thư mục để lưu tệp.")
        name = _name_with_extension(name, self.preset().extension)
        return Path(os.path.expanduser(folder)) / name

    def accept(self) -> None:
        try:
            preset = self.preset()
            path = self.target_path()
        except StudioError as exc:
            self._show_error(exc.message())
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            self._show_error(
                localized("Cannot make the folder “%1”.", "Không tạo được thư mục “%1”.").replace(
                    "%1", str(path.parent)
                )
            )
            return
        if path.exists() and not self.ask_replace(path):
            return
        self.choice = ExportChoice(path, preset, self.auto_level.isChecked(), self.duck.isChecked())
        super().accept()
