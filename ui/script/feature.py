"""The script feature: the programme's script in a dock (text, items, reading time against the
slot), the prompter, a take per item, and programmes from templates.

- typing or pasting the script and pressing Apply is one undo step (pasting drops the
  formatting: the editor takes plain text only);
- each item shows its estimated reading time and, once read, its take; the total is shown
  against the slot in the dock and in the status bar (red when over);
- Record in the prompter (or the dock) records the current item's take through the recording
  panel's input; Stop puts it in its place (`studio.reading.add_item_take`, one undo step) and
  moves to the next item;
- File → New from template… and File → Save as template….
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from audio.errors import StudioError
from studio.history import Description
from ui.script.prompter import RECORD_STYLE, Prompter, _clock
from ui.window.feature import Feature

SET_SCRIPT = Description("Changed the script", "Đã sửa kịch bản", "Script", "Kịch bản")
ITEM_TAKE = Description(
    "Recorded a script item", "Đã thu một mục kịch bản", "Record item", "Thu mục"
)


class ScriptPanel(QWidget):
    """The script text, its items with reading times, and the total against the slot."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.text = QPlainTextEdit()
        self.text.setObjectName("scriptText")
        self.text.setPlaceholderText(
            self.tr("Type or paste the script here; a blank line starts a new item.")
        )
        self.apply_button = QPushButton(self.tr("Apply script"))
        self.prompter_button = QPushButton(self.tr("Prompter…"))
        self.record_button = QPushButton(self.tr("Record selected item"))
        self.record_button.setObjectName("recordButton")
        self.record_button.setStyleSheet(RECORD_STYLE)
        self.items = QTableWidget(0, 3)
        self.items.setObjectName("scriptItems")
        self.items.setHorizontalHeaderLabels([self.tr("Item"), self.tr("About"), self.tr("Take")])
        self.items.verticalHeader().setVisible(False)
        self.items.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.items.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.items.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.items.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.total = QLabel()
        self.total.setObjectName("scriptTotal")
        self.total.setWordWrap(True)

        buttons = QHBoxLayout()
        buttons.addWidget(self.apply_button)
        buttons.addWidget(self.prompter_button)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.text, 1)
        top_layout.addLayout(buttons)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.items, 1)
        bottom_layout.addWidget(self.total)
        bottom_layout.addWidget(self.record_button)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split)

    def show_timing(self, timing, text_changed: bool) -> None:
        if text_changed:
            self.text.blockSignals(True)
            self.text.setPlainText("\n\n".join(i.text for i in timing.items))
            self.text.blockSignals(False)
        selected = self.selected_item()
        self.items.setRowCount(len(timing.items))
        for row, item in enumerate(timing.items):
            cells = (
                f"{item.index + 1}. {item.text}",
                _clock(item.estimated_s),
                _clock(item.take_s) if item.take_s else self.tr("not read"),
            )
            for col, value in enumerate(cells):
                cell = QTableWidgetItem(value)
                if col:
                    cell.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.items.setItem(row, col, cell)
        if selected is not None and selected < len(timing.items):
            self.items.selectRow(selected)
        self.total.setText(self.total_text(timing))
        over = timing.over_s
        self.total.setProperty("over", bool(over is not None and over > 0))
        self.total.setStyleSheet("color:#c62828;font-weight:bold" if over and over > 0 else "")
        self.record_button.setEnabled(bool(timing.items))

    def selected_item(self) -> int | None:
        rows = self.items.selectionModel().selectedRows() if self.items.selectionModel() else []
        return rows[0].row() if rows else None

    def total_text(self, timing) -> str:
        total = _clock(timing.total_estimated_s)
        if timing.slot_s is None:
            return self.tr("Total about {0}").format(total)
        over = timing.over_s or 0.0
        if over > 0:
            return self.tr("Total about {0} for a {1} slot: {2} over").format(
                total, _clock(timing.slot_s), _clock(over)
            )
        return self.tr("Total about {0} for a {1} slot: {2} left").format(
            total, _clock(timing.slot_s), _clock(-over)
        )


class TemplateDialog(QDialog):
    """Choose a template and a title for a new programme."""

    def __init__(self, templates, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("New programme from a template"))
        self.choice = QComboBox()
        for t in templates:
            label = f"{t.title} ({_clock(t.slot_s)})" if t.slot_s else t.title
            self.choice.addItem(label, t.id)
        self.title = QLineEdit()
        self.title.setPlaceholderText(self.tr("e.g. Morning bulletin 02/12"))
        self.parts = QLabel()
        self.parts.setWordWrap(True)
        self._templates = {t.id: t for t in templates}
        self.choice.currentIndexChanged.connect(self._show_parts)
        form = QFormLayout()
        form.addRow(self.tr("Template"), self.choice)
        form.addRow(self.tr("Title"), self.title)
        form.addRow(self.tr("Parts"), self.parts)
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        box.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Create"))
        box.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(box)
        self._show_parts()

    def _show_parts(self, *_args) -> None:
        t = self._templates.get(self.choice.currentData())
        self.parts.setText(" → ".join(t.part_labels()) if t else "")

    def template_id(self) -> str:
        return str(self.choice.currentData())


class ScriptFeature(Feature):
    key = "script"

    def __init__(self, window, options: dict | None = None):
        super().__init__(window, options)
        self.panel = ScriptPanel()
        self.prompter: Prompter | None = None
        self.recording_item: int | None = None
        self._shown_texts: tuple[str, ...] | None = None
        self.slot_label = QLabel()
        self.slot_label.setObjectName("slotStatus")
        window.statusBar().addPermanentWidget(self.slot_label)
        library = window.docks.get("library")
        self.dock = window.add_dock("script", self.panel, self.tr("Script"), tab_with=library)
        self.panel.apply_button.clicked.connect(self.apply_text)
        self.panel.prompter_button.clicked.connect(self.show_prompter)
        self.panel.record_button.clicked.connect(self._record_selected)
        self.panel.items.cellDoubleClicked.connect(lambda row, _col: self.go_to_item(row))
        self._add_actions()
        window.editor.changed.connect(self.refresh)
        self.refresh()

    def _add_actions(self) -> None:
        w = self.window
        self.act_new_from_template = QAction(self.tr("New from &template…"), w)
        self.act_new_from_template.setShortcut(QKeySequence("Ctrl+Shift+N"))
        self.act_new_from_template.triggered.connect(lambda _=False: self.new_from_template())
        w.add_action("file", self.act_new_from_template, after=w.menus["file"].actions()[0])
        self.act_save_template = QAction(self.tr("Save as te&mplate…"), w)
        self.act_save_template.triggered.connect(lambda _=False: self.save_as_template())
        w.add_action("file", self.act_save_template, after=self.act_new_from_template)
        self.act_prompter = QAction(self.tr("&Prompter"), w)
        self.act_prompter.setShortcut(QKeySequence("F9"))
        self.act_prompter.triggered.connect(lambda _=False: self.show_prompter())
        w.add_action("transport", self.act_prompter, separator=True)

    # -- state -----------------------------------------------------------------------------
    def timing(self):
        from studio.script import script_timing

        p = self.window.editor.programme
        pace = float(self.window.settings.get("reader_pace_sps") or 0) or None
        return script_timing(p.timeline, p.script, pace or 4.0)

    def refresh(self) -> None:
        timing = self.timing()
        texts = tuple(i.text for i in timing.items)
        typed = self.panel.text.toPlainText().strip()
        # the text box follows the programme unless the user is typing something else in it
        changed = texts != self._shown_texts and (
            not typed or self._shown_texts is None or typed == "\n\n".join(self._shown_texts)
        )
        if texts != self._shown_texts:
            changed = True
        self.panel.show_timing(timing, changed)
        self._shown_texts = texts
        if self.prompter is not None:
            self.prompter.set_timing(timing)
        if timing.slot_s is not None or timing.items:
            self.slot_label.setText(self.panel.total_text(timing))
            over = timing.over_s
            self.slot_label.setStyleSheet("color:#c62828" if over and over > 0 else "")
        else:
            self.slot_label.setText("")

    def apply_text(self) -> bool:
        from studio.script import set_script_text

        ed = self.window.editor
        p = ed.programme
        timeline, script = set_script_text(p.timeline, p.script, self.panel.text.toPlainText())
        self._shown_texts = None
        return ed.apply(p.with_changes(timeline=timeline, script=script), SET_SCRIPT)

    def go_to_item(self, index: int) -> None:
        """Move the playhead to item `index` and show it in the prompter."""
        from studio.script import item_start

        p = self.window.editor.programme
        if 0 <= index < len(p.script.items):
            self.window.editor.set_playhead(item_start(p.timeline, p.script, index))
            if self.prompter is not None:
                self.prompter.move_to(index)

    # -- prompter and takes -----------------------------------------------------------------
    def show_prompter(self) -> Prompter:
        if self.panel.text.toPlainText().strip() and self._typed_differs():
            self.apply_text()
        if self.prompter is None:
            self.prompter = Prompter(self.window)
            self.prompter.recordRequested.connect(self.record_item)
            self.prompter.stopRequested.connect(self.stop_item)
        self.prompter.set_timing(self.timing())
        selected = self.panel.selected_item()
        if selected is not None:
            self.prompter.move_to(selected)
        self.prompter.show()
        self.prompter.raise_()
        self.prompter.activateWindow()
        return self.prompter

    def _typed_differs(self) -> bool:
        typed = self.panel.text.toPlainText().strip()
        return typed != "\n\n".join(self._shown_texts or ())

    def _record_selected(self) -> None:
        index = self.panel.selected_item()
        self.show_prompter()
        self.record_item(0 if index is None else index)

    def _recording_panel(self):
        feature = self.window.features.get("recording")
        return None if feature is None else feature

    def record_item(self, index: int) -> bool:
        """Start the take of item `index` through the recording panel's input."""
        feature = self._recording_panel()
        panel = getattr(feature, "panel", None)
        ok = False
        if panel is None:
            self.window.prompts.error(
                self.tr("There is no input device to record from (see the Recording panel).")
            )
        elif not self.window.editor.programme.script.items:
            self.window.prompts.error(self.tr("Type the script and press Apply first."))
        else:
            feature.take_owner = self._take_finished
            feature.owner_place = self._take_place(index)
            self.recording_item = index
            ok = panel.start_recording()
            if not ok:
                feature.take_owner = feature.owner_place = None
                self.recording_item = None
        if self.prompter is not None:
            self.prompter.set_recording(ok)
        return ok

    def _take_place(self, index: int) -> tuple[int, int] | None:
        """Where item `index`'s take will land (start, track), to draw it growing there."""
        from studio.script import item_place

        programme = self.window.editor.programme
        if not 0 <= index < len(programme.script.items):
            return None
        return item_place(programme.timeline, programme.script, index)

    def stop_item(self):
        feature = self._recording_panel()
        panel = getattr(feature, "panel", None)
        take = panel.stop_recording() if panel is not None else None
        if self.prompter is not None:
            self.prompter.set_recording(False)
        return take

    def _take_finished(self, take) -> bool:
        from studio.reading import add_item_take

        index, self.recording_item = self.recording_item, None
        if take is None or index is None or take.frames <= 0:
            return False
        w = self.window
        try:
            programme, _info = add_item_take(w.editor.programme, index, take.path, w.store)
        except StudioError as exc:
            w.prompts.error(exc.message())
            return False
        w.editor.apply(programme, ITEM_TAKE)
        self._remember_pace()
        if self.prompter is not None:
            self.prompter.set_recording(False)
            self.prompter.move_to(index + 1)
        w.statusBar().showMessage(self.tr("Item {0} is in its place.").format(index + 1), 5000)
        return True

    def _remember_pace(self) -> None:
        from studio.script import reader_pace

        p = self.window.editor.programme
        pace = reader_pace(p.timeline, p.script, 0.0)
        if pace:
            self.window.settings.set("reader_pace_sps", round(pace, 2))
            self.window.settings.save()

    # -- templates ---------------------------------------------------------------------------
    def new_from_template(self, template_id: str | None = None, title: str = "") -> bool:
        from studio.session import Session
        from studio.templates import assemble, get_template, list_templates

        w = self.window
        try:
            if template_id is None:
                dialog = TemplateDialog(list_templates(w.home), w)
                if dialog.exec() != QDialog.DialogCode.Accepted:
                    return False
                template_id, title = dialog.template_id(), dialog.title.text().strip()
            if not w.maybe_save():
                return False
            library = getattr(w.features.get("library"), "library", None)
            result = assemble(
                get_template(template_id, w.home),
                w.store,
                library,
                title=title,
                commune=str(w.settings.get("commune") or ""),
                station=str(w.settings.get("station_name") or ""),
                pace_sps=float(w.settings.get("reader_pace_sps") or 0) or None,
            )
        except StudioError as exc:
            w.prompts.error(exc.message())
            return False
        w.playback.stop()
        self._shown_texts = None
        w.editor.set_session(Session(w.home, result.programme))
        w.timeline_view.zoom_to_fit()
        if result.missing:
            w.statusBar().showMessage(
                self.tr("Nothing in the library yet for: {0}").format(", ".join(result.missing)),
                15000,
            )
        return True

    def save_as_template(self, template_id: str | None = None, title: str | None = None):
        from studio.templates import save_template

        w = self.window
        if template_id is None:
            template_id = w.prompts.text(
                self.tr("Save as template"),
                self.tr("Template id (lower-case letters, digits, dashes):"),
                "ban-tin-chieu",
            )
            if not template_id:
                return None
        try:
            return save_template(
                w.home, w.editor.programme, template_id, title or w.editor.programme.title
            )
        except StudioError as exc:
            w.prompts.error(exc.message())
            return None

    def close(self) -> None:
        if self.recording_item is not None:
            self.stop_item()
        if self.prompter is not None:
            self.prompter.close()


def install(window, options: dict) -> ScriptFeature:
    return ScriptFeature(window, options)
