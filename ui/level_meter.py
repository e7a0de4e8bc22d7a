"""A simple peak bar used until the meters of `ui/meters.py` are docked in.

It paints the last peak it was given (linear, per channel) on a dB scale with a slow fall.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

FLOOR_DB = -60.0


class LevelBar(QWidget):
    def __init__(self, vertical: bool = True, parent=None):
        super().__init__(parent)
        self.vertical = vertical
        self.levels_db: list[float] = [FLOOR_DB, FLOOR_DB]
        if vertical:
            self.setFixedWidth(14)
            self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        else:
            self.setFixedHeight(5)
            self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_levels(self, peaks) -> None:
        """`peaks`: linear peak per channel (None: silence)."""
        if peaks is None:
            new = [FLOOR_DB, FLOOR_DB]
        else:
            try:
                values = [float(v) for v in peaks][:2] or [0.0]
            except TypeError:
                values = [float(peaks)]
            new = [20 * math.log10(v) if v > 1e-6 else FLOOR_DB for v in values]
            if len(new) == 1:
                new *= 2
        # a quick rise and a gentle fall read better than raw block peaks
        self.levels_db = [max(n, o - 1.5) for n, o in zip(new, self.levels_db, strict=False)]
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#3a3d43") if self.vertical else QColor("#c9cdd4"))
        n = len(self.levels_db)
        for i, db in enumerate(self.levels_db):
            frac = max(0.0, min(1.0, (db - FLOOR_DB) / -FLOOR_DB))
            colour = (
                QColor("#2ecc71")
                if db < -9
                else QColor("#f1c40f")
                if db < -1
                else QColor("#e74c3c")
            )
            if self.vertical:
                w = self.width() / n
                h = self.height() * frac
                p.fillRect(QRectF(i * w + 1, self.height() - h, w - 2, h), colour)
            else:
                h = self.height() / n
                p.fillRect(QRectF(0, i * h, self.width() * frac, h - 1), colour)
        p.setPen(Qt.PenStyle.NoPen)
        p.end()
