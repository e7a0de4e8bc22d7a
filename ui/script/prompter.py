"""The prompter: the script large on screen while the reader records, one item at a time.

Keys move between items (PageDown / Down / Space / → next, PageUp / Up / ← back: a USB foot
switch that sends one of them works as it is); R or the red button records the current item's
take and R / Stop places it, then the next item comes up. Ctrl + / Ctrl − change the text size.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTextBrowser,
    QVBoxLayout,
)

# Red in light and dark themes alike: the one control that must never be mistaken.
RECORD_STYLE = (
    "QPushButton { background: #c62828; color: white; font-weight: bold; padding: 6px 14px; }"
    "QPushButton:checked { background: #8e0000; }"
    "QPushButton:disabled { background: #9e9e9e; color: #eeeeee; }"
)
NEXT_KEYS = (Qt.Key.Key_PageDown, Qt.Key.Key_Down, Qt.Key.Key_Space, Qt.Key.Key_Right)
BACK_KEYS = (Qt.Key.Key_PageUp, Qt.Key.Key_Up, Qt.Key.Key_Left)


def _clock(seconds: float) -> str:
    m, s = divmod(int(round(seconds)), 60)
    return f"{m}:{s:02d}"


class Prompter(QDialog):
    """Shows the items of a `ScriptTiming`; asks its owner to record through signals."""

    recordRequested = Signal(int)  # noqa: N815 - Qt naming; item index
    stopRequested = Signal()  # noqa: N815

    def __init__(self, parent=None, font_size: int = 30):
        super().__init__(parent)
        self.setObjectName("prompter")
        self.setWindowTitle(self.tr("Prompter"))
        self.setModal(False)
        self.resize(1100, 680)
        self.timing = None
        self.current = 0
        self.recording = False

        self.view = QTextBrowser()
        self.view.setObjectName("prompterText")
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.view.setOpenLinks(False)
        self.position = QLabel()
        self.position.setObjectName("prompterPosition")
        self.record_button = QPushButton(self.tr("Record this item"))
        self.record_button.setObjectName("recordButton")  # red in both themes (styles/*.qss)
        self.record_button.setCheckable(True)
        self.record_button.setStyleSheet(RECORD_STYLE)
        self.record_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.record_button.toggled.connect(self._record_toggled)
        self.back_button = QPushButton(self.tr("◀ Previous"))
        self.next_button = QPushButton(self.tr("Next ▶"))
        for b in (self.back_button, self.next_button):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.back_button.clicked.connect(lambda: self.move_to(self.current - 1))
        self.next_button.clicked.connect(lambda: self.move_to(self.current + 1))
        self.font_size = QSpinBox()
        self.font_size.setRange(14, 96)
        self.font_size.setValue(font_size)
        self.font_size.setSuffix(" pt")
        self.font_size.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.font_size.valueChanged.connect(lambda _v: self._render())
        size_label = QLabel(self.tr("Text size"))
        size_label.setBuddy(self.font_size)

        bar = QHBoxLayout()
        bar.addWidget(self.back_button)
        bar.addWidget(self.record_button, 1)
        bar.addWidget(self.next_button)
        bar.addSpacing(24)
        bar.addWidget(size_label)
        bar.addWidget(self.font_size)
        layout = QVBoxLayout(self)
        layout.addWidget(self.position)
        layout.addWidget(self.view, 1)
        layout.addLayout(bar)

    # -- content ------------------------------------------------------------------------------
    def set_timing(self, timing) -> None:
        self.timing = timing
        count = len(timing.items) if timing else 0
        self.current = min(self.current, max(count - 1, 0))
        self._render()

    def move_to(self, index: int) -> None:
        if self.timing is None or not self.timing.items or self.recording:
            return
        self.current = min(max(index, 0), len(self.timing.items) - 1)
        self._render()

    def _render(self) -> None:
        items = self.timing.items if self.timing else ()
        size = self.font_size.value()
        parts = []
        for item in items:
            here = item.index == self.current
            style = "background:#fff3b0;color:#111;" if here else "color:#777;"
            mark = "●" if item.take else "○"
            parts.append(
                f'<a name="i{item.index}"></a>'
                f'<p style="{style}font-size:{size}pt;margin:0 0 {size // 2}pt 0;padding:6px">'
                f'<span style="font-size:{max(size // 2, 10)}pt">{mark} {item.index + 1}.</span> '
                f"{html.escape(item.text)}</p>"
            )
        if not parts:
            parts.append(f'<p style="font-size:{size}pt">{html.escape(self._empty_text())}</p>')
        self.view.setHtml("".join(parts))
        self.view.scrollToAnchor(f"i{self.current}")
        if items:
            item = items[self.current]
            took = _clock(item.take_s) if item.take_s else self.tr("not read yet")
            self.position.setText(
                self.tr("Item {0} of {1} · about {2} · take: {3}").format(
                    self.current + 1, len(items), _clock(item.estimated_s), took
                )
            )
        else:
            self.position.setText("")
        self.back_button.setEnabled(bool(items) and self.current > 0 and not self.recording)
        self.next_button.setEnabled(
            bool(items) and self.current < len(items) - 1 and not self.recording
        )
        self.record_button.setEnabled(bool(items))
        self.view.moveCursor(QTextCursor.MoveOperation.Start)
        self.view.scrollToAnchor(f"i{self.current}")

    def _empty_text(self) -> str:
        return self.tr("The programme has no script yet: type it in the Script panel.")

    # -- recording ----------------------------------------------------------------------------
    def _record_toggled(self, on: bool) -> None:
        if on:
            self.recordRequested.emit(self.current)
        else:
            self.stopRequested.emit()

    def set_recording(self, on: bool) -> None:
        """The owner says whether a take is running (it may have refused to start one)."""
        self.recording = on
        self.record_button.blockSignals(True)
        self.record_button.setChecked(on)
        self.record_button.setText(self.tr("■ Stop") if on else self.tr("Record this item"))
        self.record_button.blockSignals(False)
        self._render()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        key, ctrl = event.key(), event.modifiers() & Qt.KeyboardModifier.ControlModifier
        if ctrl and key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal, Qt.Key.Key_Minus):
            step = -2 if key == Qt.Key.Key_Minus else 2
            self.font_size.setValue(self.font_size.value() + step)
        elif key == Qt.Key.Key_R and not ctrl:
            self.record_button.toggle()
        elif key in NEXT_KEYS:
            self.move_to(self.current + 1)
        elif event.key() in BACK_KEYS:
            self.move_to(self.current - 1)
        else:
            super().keyPressEvent(event)
