"""The record bar above the timeline: shown while a track is armed or a take runs.

It holds what a broadcaster must see while reading: the red Record control (the window's
Record action, R), how long the take is, and a large input meter with a dB scale and a clip
light that stays red once a sample clipped until it is clicked (or a new take starts).

A view only: the recording feature feeds it the levels it read on its GUI timer
(`set_levels`) and the take's length (`set_elapsed`); the audio thread never touches it.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QCoreApplication, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QToolButton, QWidget

SCALE_DB = (-60, -48, -36, -24, -18, -12, -6, -3, 0)  # labelled ticks, dBFS
FLOOR_DB = -60.0
RECORD_RED = "#c62828"

# The Record control looks the same wherever it is: red text and frame, filled red while
# recording. Set on the widgets themselves so it holds in the light and the dark theme.
RECORD_STYLE = f"""
QToolButton#RecordButton, QPushButton#RecordButton {{
    color: {RECORD_RED}; font-weight: bold; border: 1px solid {RECORD_RED};
    border-radius: 4px; padding: 3px 10px; background: transparent;
}}
QToolButton#RecordButton:hover, QPushButton#RecordButton:hover {{ background: #fbe3e1; }}
QToolButton#RecordButton:checked, QPushButton#RecordButton:checked {{
    color: white; background: {RECORD_RED};
}}
"""


def tr(text: str) -> str:
    return QCoreApplication.translate("RecordBar", text)


def record_icon(size: int = 16) -> QIcon:
    """A red dot: the Record control's icon in menus, the toolbar and the panels."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QColor("#ffffff"))
    p.setBrush(QColor(RECORD_RED))
    m = max(size // 8, 1)
    p.drawEllipse(QRectF(m, m, size - 2 * m, size - 2 * m))
    p.end()
    return QIcon(pixmap)


def style_record_button(button) -> None:
    """Make a button the red Record control."""
    button.setObjectName("RecordButton")
    button.setIcon(record_icon())
    button.setStyleSheet(RECORD_STYLE)


class InputMeter(QWidget):
    """A large horizontal peak meter per input channel (dBFS, −60…0 with a scale) and a
    clip light that latches red on a clipped sample until it is clicked or `reset_clip()`."""

    clipReset = Signal()  # noqa: N815 - Qt naming

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._peaks_db: list[float] = []
        self.clip_latched = False
        self.setMinimumSize(320, 40)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setToolTip(
            tr("Input level in dBFS. Speech should peak between −12 and −6; the light on the")
            + " "
            + tr("right turns red when the sound clipped (click it to clear).")
        )

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(520, 44)

    @property
    def peaks_db(self) -> list[float]:
        return list(self._peaks_db)

    def set_levels(self, peaks, clipped) -> None:
        """Linear peaks per channel since the last reading, and whether any clipped."""
        new = [20 * math.log10(p) if p > 1e-6 else -120.0 for p in peaks]
        if len(new) != len(self._peaks_db):
            self._peaks_db = new
        else:  # fast attack, a falling display (about 20 dB/s at 30 Hz)
            self._peaks_db = [max(n, o - 0.7) for n, o in zip(new, self._peaks_db, strict=True)]
        if any(clipped):
            self.clip_latched = True
        self.update()

    def clear(self) -> None:
        """No input: the bars fall back (the clip light stays as it was)."""
        self._peaks_db = []
        self.update()

    def reset_clip(self) -> None:
        self.clip_latched = False
        self.update()
        self.clipReset.emit()

    def clip_rect(self) -> QRectF:
        return QRectF(self.width() - 78, 2, 76, self.height() - 4)

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.reset_clip()

    def x_of_db(self, db: float, width: float) -> float:
        return min(max((db - FLOOR_DB) / -FLOOR_DB, 0.0), 1.0) * width

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        text = self.palette().windowText().color()
        width = self.width() - 86
        bars_h = self.height() - 16
        trough = QRectF(0, 0, width, bars_h)
        p.fillRect(trough, QColor("#16181b"))
        p.setPen(QColor("#8a9099"))
        p.drawRect(trough.adjusted(0, 0, -1, -1))
        peaks = self._peaks_db or [-120.0]
        n = len(peaks)
        gap = 2
        bar_h = max((bars_h - 4 - gap * (n - 1)) / n, 3)
        for i, db in enumerate(peaks):
            y = 2 + i * (bar_h + gap)
            # green up to −12, amber to −3, red above: the zones a reader aims for
            for lo, hi, colour in ((-60, -12, "#3cb371"), (-12, -3, "#e0a100"), (-3, 0, "#e53935")):
                top = min(db, hi)
                if top <= lo:
                    break
                x0, x1 = self.x_of_db(lo, width - 4), self.x_of_db(top, width - 4)
                p.fillRect(QRectF(2 + x0, y, x1 - x0, bar_h), QColor(colour))
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF() - 1.5, 7))
        p.setFont(font)
        metrics = p.fontMetrics()
        for db in SCALE_DB:
            x = 2 + self.x_of_db(db, width - 4)
            p.setPen(QColor("#8a9099"))
            p.drawLine(int(x), 0, int(x), bars_h)  # a tick through the trough
            p.setPen(text)
            label = f"{db}"
            lw = metrics.horizontalAdvance(label)
            p.drawText(int(min(max(x - lw / 2, 0), width - lw)), self.height() - 2, label)
        light = self.clip_rect()
        lit = self.clip_latched
        p.fillRect(light, QColor(RECORD_RED) if lit else QColor("#3a3d42"))
        p.setPen(QColor("#ffffff") if lit else QColor("#aab0b8"))
        bold = QFont(font)
        bold.setBold(True)
        p.setFont(bold)
        p.drawText(light, Qt.AlignmentFlag.AlignCenter, tr("CLIP"))
        p.end()


class RecordBar(QFrame):
    """Record control, take length and the input meter, above the timeline."""

    def __init__(self, record_action, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("RecordBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.record = QToolButton()
        self.record.setDefaultAction(record_action)
        self.record.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        style_record_button(self.record)
        self.record.setMinimumHeight(34)
        self.status = QLabel()
        self.status.setObjectName("RecordStatus")
        self.status.setMinimumWidth(190)
        big = QFont(self.status.font())
        big.setPointSizeF(big.pointSizeF() + 1.5)
        big.setBold(True)
        self.status.setFont(big)
        self.source = QLabel()
        self.source.setObjectName("RecordSource")
        self.meter = InputMeter()
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 3, 6, 3)
        row.setSpacing(10)
        row.addWidget(self.record)
        row.addWidget(self.status)
        row.addWidget(self.meter, 1)
        row.addWidget(self.source)
        self.set_idle([])

    def set_idle(self, armed_names: list[str], source: str = "") -> None:
        self.status.setStyleSheet("")
        self.status.setText(
            tr("Armed: %1").replace("%1", ", ".join(armed_names)) if armed_names else ""
        )
        self.source.setText(source)

    def set_elapsed(self, text: str, dropouts: int = 0) -> None:
        """While recording: the take's length (and dropouts, as they happen)."""
        self.status.setStyleSheet(f"color: {RECORD_RED};")
        line = "● " + tr("Recording %1").replace("%1", text)
        if dropouts:
            line += "  " + tr("(%1 dropouts)").replace("%1", str(dropouts))
        self.status.setText(line)

    def set_levels(self, levels) -> None:
        """An audio.recording.InputLevels (peaks, clipped) read on the GUI timer."""
        if levels is None:
            self.meter.clear()
        else:
            self.meter.set_levels(levels.peaks, levels.clipped)


__all__ = ["InputMeter", "RecordBar", "record_icon", "style_record_button"]
