"""Loudness meters for the window: a peak / momentary / short-term bar, an integrated reading
against the target, and a loudness-over-time graph.

The widgets only draw what they are given: the window reads the engine's meters on its
30–60 Hz timer and calls `set_levels` / `set_integrated` / `set_series`; nothing here runs per
audio block, and nothing here touches audio. Source strings are English, translated through
`QCoreApplication.translate("Meters", …)`; Vietnamese lives in
`resources/translations/meters_vi.ts` (compiled to `.qm`, loaded with the others by
`ui.looks.load_translations`). `PeakBar` is the compact per-track peak bar of the track
headers and mixer strips.
"""

from __future__ import annotations

import math
import time

import numpy as np
from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

GOOD = QColor("#2e9d4c")
WARN = QColor("#e0a100")
OVER = QColor("#d23c2a")
TRACK = QColor("#2a2d31")
TEXT = QColor("#d8dadc")
GRID = QColor("#4a4e54")


def tr(text: str) -> str:
    return QCoreApplication.translate("Meters", text)


def _fmt(value: float | None, digits: int = 1) -> str:
    return "—" if value is None or not math.isfinite(value) else f"{value:.{digits}f}"


class LoudnessMeterBar(QWidget):
    """Three vertical bars: sample/true peak (dBFS, with a falling peak hold), momentary and
    short-term loudness (LUFS), on one scale, with the target marked on the loudness bars.

    Call `set_levels` from the GUI timer; None (or −inf) means silence.
    """

    SCALE_TOP_DB = 3.0
    SCALE_BOTTOM_DB = -60.0
    HOLD_S = 1.5
    FALL_DB_PER_S = 20.0

    def __init__(self, parent: QWidget | None = None, title: str = ""):
        super().__init__(parent)
        self.title = title
        self.peak_db: float | None = None
        self.momentary_lufs: float | None = None
        self.short_term_lufs: float | None = None
        self.target_lufs = -16.0
        self.ceiling_dbtp = -1.0
        self._hold_db: float | None = None
        self._hold_at = 0.0
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(120)
        self._update_tooltip()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(72, 240)

    def set_target(self, target_lufs: float, ceiling_dbtp: float) -> None:
        self.target_lufs = target_lufs
        self.ceiling_dbtp = ceiling_dbtp
        self.update()

    def set_levels(
        self,
        peak_db: float | None,
        momentary_lufs: float | None,
        short_term_lufs: float | None,
        now: float | None = None,
    ) -> None:
        now = time.monotonic() if now is None else now
        self.peak_db = _finite_or_none(peak_db)
        self.momentary_lufs = _finite_or_none(momentary_lufs)
        self.short_term_lufs = _finite_or_none(short_term_lufs)
        hold = self.hold_db(now)
        if self.peak_db is not None and (hold is None or self.peak_db >= hold):
            self._hold_db, self._hold_at = self.peak_db, now
        self._update_tooltip()
        self.update()

    def hold_db(self, now: float | None = None) -> float | None:
        """The peak hold: held for HOLD_S, then falling at FALL_DB_PER_S."""
        if self._hold_db is None:
            return None
        now = time.monotonic() if now is None else now
        fall = max(0.0, now - self._hold_at - self.HOLD_S) * self.FALL_DB_PER_S
        value = self._hold_db - fall
        return None if value < self.SCALE_BOTTOM_DB else value

    def reset(self) -> None:
        self._hold_db = None
        self.set_levels(None, None, None)

    def _update_tooltip(self) -> None:
        self.setToolTip(
            tr("Peak {peak} dBFS, momentary {m} LUFS, short-term {s} LUFS")
            .replace("{peak}", _fmt(self.peak_db))
            .replace("{m}", _fmt(self.momentary_lufs))
            .replace("{s}", _fmt(self.short_term_lufs))
        )

    def _y(self, db: float, top: float, height: float) -> float:
        span = self.SCALE_TOP_DB - self.SCALE_BOTTOM_DB
        frac = (min(max(db, self.SCALE_BOTTOM_DB), self.SCALE_TOP_DB) - self.SCALE_BOTTOM_DB) / span
        return top + height * (1.0 - frac)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        w, h = self.width(), self.height()
        font = QFont(self.font())
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.8))
        p.setFont(font)
        scale_w = 22.0
        bar_w = (w - scale_w - 8) / 3.0
        labels = [tr("Pk"), tr("M"), tr("S")]
        # a label wider than its bar ("Tức thời", "Ngắn hạn") wraps onto a second line
        fm = p.fontMetrics()
        lines = 2 if any(fm.horizontalAdvance(t) > bar_w - 1 for t in labels) else 1
        label_h = lines * fm.height() + 2
        top, bottom = 4.0, h - label_h
        height = bottom - top
        values = [self.peak_db, self.momentary_lufs, self.short_term_lufs]
        limits = [self.ceiling_dbtp, self.target_lufs, self.target_lufs]
        for i, (label, value, limit) in enumerate(zip(labels, values, limits, strict=True)):
            x = scale_w + 4 + i * bar_w
            rect = QRectF(x, top, bar_w - 3, height)
            p.fillRect(rect, TRACK)
            if value is not None:
                y = self._y(value, top, height)
                if i == 0:
                    colour = OVER if value > limit else GOOD
                else:
                    colour = OVER if value > limit + 3 else (WARN if value > limit + 1 else GOOD)
                p.fillRect(QRectF(x, y, bar_w - 3, bottom - y), colour)
            y_lim = self._y(limit, top, height)
            p.setPen(QPen(TEXT, 1, Qt.PenStyle.DashLine))
            p.drawLine(QPointF(x, y_lim), QPointF(x + bar_w - 3, y_lim))
            p.setPen(self.palette().windowText().color())  # drawn on the window, not a bar
            p.drawText(
                QRectF(x - 1, bottom + 1, bar_w - 1, label_h),
                Qt.AlignmentFlag.AlignHCenter
                | Qt.AlignmentFlag.AlignTop
                | Qt.TextFlag.TextWordWrap,
                label,
            )
        hold = self.hold_db()
        if hold is not None:
            y = self._y(hold, top, height)
            p.setPen(QPen(OVER if hold > self.ceiling_dbtp else TEXT, 2))
            p.drawLine(QPointF(scale_w + 4, y), QPointF(scale_w + 4 + bar_w - 3, y))
        p.setPen(self.palette().windowText().color())
        for db in (0, -10, -20, -30, -40, -50, -60):
            y = self._y(db, top, height)
            p.drawLine(QPointF(scale_w - 3, y), QPointF(scale_w, y))
            p.drawText(QRectF(0, y - 6, scale_w - 4, 12), Qt.AlignmentFlag.AlignRight, str(db))
        p.end()


def _finite_or_none(v: float | None) -> float | None:
    return None if v is None or not math.isfinite(v) else float(v)


class IntegratedReadout(QWidget):
    """The programme's integrated loudness against its target: "−16.2 LUFS (target −16.0)",
    green within the tolerance, amber within twice it, red beyond."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.integrated_lufs: float | None = None
        self.target_lufs = -16.0
        self.tolerance_lu = 1.0
        self.setMinimumHeight(28)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(260, 32)

    def set_target(self, target_lufs: float, tolerance_lu: float = 1.0) -> None:
        self.target_lufs = target_lufs
        self.tolerance_lu = tolerance_lu
        self.update()

    def set_integrated(self, lufs: float | None) -> None:
        self.integrated_lufs = _finite_or_none(lufs)
        self.update()

    def status(self) -> str:
        """ "none", "ok", "near" or "off" — what the colour says."""
        if self.integrated_lufs is None:
            return "none"
        off = abs(self.integrated_lufs - self.target_lufs)
        if off <= self.tolerance_lu:
            return "ok"
        return "near" if off <= 2 * self.tolerance_lu else "off"

    def text(self) -> str:
        return (
            tr("Integrated {value} LUFS (target {target})")
            .replace("{value}", _fmt(self.integrated_lufs))
            .replace("{target}", _fmt(self.target_lufs))
        )

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        p = QPainter(self)
        colour = {"none": GRID, "ok": GOOD, "near": WARN, "off": OVER}[self.status()]
        r = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        p.fillRect(r, TRACK)
        p.fillRect(QRectF(r.left(), r.top(), 6, r.height()), colour)
        p.setPen(TEXT)
        p.drawText(r.adjusted(12, 0, -4, 0), Qt.AlignmentFlag.AlignVCenter, self.text())
        p.end()


class LoudnessGraph(QWidget):
    """Short-term (and optionally momentary) loudness over the programme, with the target and
    its tolerance band. Feed it `LoudnessMeter.short_term_series()` (one value per 100 ms)."""

    BOTTOM_LUFS = -50.0
    TOP_LUFS = 0.0

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.short_term = np.zeros(0)
        self.momentary = np.zeros(0)
        self.hop_s = 0.1
        self.target_lufs = -16.0
        self.tolerance_lu = 1.0
        self.setMinimumSize(200, 80)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(600, 140)

    def set_target(self, target_lufs: float, tolerance_lu: float = 1.0) -> None:
        self.target_lufs = target_lufs
        self.tolerance_lu = tolerance_lu
        self.update()

    def set_series(
        self, short_term: np.ndarray, momentary: np.ndarray | None = None, hop_s: float = 0.1
    ) -> None:
        self.short_term = np.asarray(short_term, np.float64)
        self.momentary = np.zeros(0) if momentary is None else np.asarray(momentary, np.float64)
        self.hop_s = hop_s
        self.update()

    @staticmethod
    def columns(series: np.ndarray, width: int) -> np.ndarray:
        """The series reduced to `width` columns (the loudest value in each), −inf in silence;
        vectorised, so an hour (36,000 values) costs nothing per repaint."""
        if width <= 0 or not len(series):
            return np.full(max(width, 0), -np.inf)
        edges = np.linspace(0, len(series), width + 1).astype(np.int64)
        edges[1:] = np.maximum(edges[1:], edges[:-1] + 1)
        edges = np.minimum(edges, len(series))
        out = np.full(width, -np.inf)
        valid = edges[:-1] < len(series)
        starts = edges[:-1][valid]
        out[valid] = np.maximum.reduceat(series, starts)
        # reduceat takes a single value where a column is narrower than one sample
        return out

    def _y(self, lufs: np.ndarray | float, top: float, height: float):
        span = self.TOP_LUFS - self.BOTTOM_LUFS
        v = np.clip(lufs, self.BOTTOM_LUFS, self.TOP_LUFS)
        return top + height * (1.0 - (v - self.BOTTOM_LUFS) / span)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        w, h = self.width(), self.height()
        left, top, right, bottom = 34.0, 4.0, w - 4.0, h - 16.0
        height, width = bottom - top, int(right - left)
        p.fillRect(self.rect(), TRACK)
        band_top = float(self._y(self.target_lufs + self.tolerance_lu, top, height))
        band_bottom = float(self._y(self.target_lufs - self.tolerance_lu, top, height))
        p.fillRect(QRectF(left, band_top, width, band_bottom - band_top), QColor(46, 157, 76, 60))
        p.setPen(GRID)
        for lufs in range(int(self.TOP_LUFS), int(self.BOTTOM_LUFS) - 1, -10):
            y = float(self._y(lufs, top, height))
            p.drawLine(QPointF(left, y), QPointF(right, y))
            p.drawText(QRectF(0, y - 6, left - 4, 12), Qt.AlignmentFlag.AlignRight, str(lufs))
        for series, colour, pen_w in ((self.momentary, GRID, 1.0), (self.short_term, GOOD, 1.6)):
            if not len(series):
                continue
            cols = self.columns(series, width)
            path = QPainterPath()
            drawing = False
            ys = self._y(cols, top, height)
            for i, (v, y) in enumerate(zip(cols, ys, strict=True)):
                if not np.isfinite(v) or v < self.BOTTOM_LUFS:
                    drawing = False
                    continue
                pt = QPointF(left + i, float(y))
                if drawing:
                    path.lineTo(pt)
                else:
                    path.moveTo(pt)
                    drawing = True
            p.setPen(QPen(colour, pen_w))
            p.drawPath(path)
        total = len(self.short_term) * self.hop_s
        p.setPen(TEXT)
        p.drawText(
            QRectF(left, bottom + 1, width, 14),
            Qt.AlignmentFlag.AlignLeft,
            tr("Short-term loudness (LUFS)"),
        )
        m, s = divmod(int(round(total)), 60)
        p.drawText(QRectF(left, bottom + 1, width, 14), Qt.AlignmentFlag.AlignRight, f"{m}:{s:02d}")
        p.end()


PEAK_FLOOR_DB = -60.0


class PeakBar(QWidget):
    """A track's compact peak bar (track header: horizontal; mixer strip: vertical). It paints
    the last peak it was given (linear, per channel) on a dB scale with a slow fall."""

    def __init__(self, vertical: bool = True, parent=None):
        super().__init__(parent)
        self.vertical = vertical
        self.levels_db: list[float] = [PEAK_FLOOR_DB, PEAK_FLOOR_DB]
        if vertical:
            self.setFixedWidth(14)
            self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        else:
            self.setFixedHeight(5)
            self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_levels(self, peaks) -> None:
        """`peaks`: linear peak per channel; None: silence now (stopped, or another
        programme), drawn at once rather than left to fall."""
        if peaks is None:
            if self.levels_db != [PEAK_FLOOR_DB, PEAK_FLOOR_DB]:
                self.levels_db = [PEAK_FLOOR_DB, PEAK_FLOOR_DB]
                self.update()
            return
        try:
            values = [float(v) for v in peaks][:2] or [0.0]
        except TypeError:
            values = [float(peaks)]
        new = [20 * math.log10(v) if v > 1e-6 else PEAK_FLOOR_DB for v in values]
        if len(new) == 1:
            new *= 2
        # a quick rise and a gentle fall read better than raw block peaks
        self.levels_db = [max(n, o - 1.5) for n, o in zip(new, self.levels_db, strict=False)]
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        # the trough: dark on a dark window (the dark theme) and in a mixer strip
        dark = self.vertical or self.palette().window().color().lightness() < 128
        p.fillRect(self.rect(), QColor("#3a3d43") if dark else QColor("#c9cdd4"))
        n = len(self.levels_db)
        for i, db in enumerate(self.levels_db):
            frac = max(0.0, min(1.0, (db - PEAK_FLOOR_DB) / -PEAK_FLOOR_DB))
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


class PeakScale(QWidget):
    """The dB figures beside a vertical PeakBar, on the bar's own scale (0 at the top,
    PEAK_FLOOR_DB at the bottom): a meter you can read, not just watch."""

    MARKS = (0, -6, -12, -20, -30, -40, -60)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setFixedWidth(22)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self.setToolTip(tr("Peak level, dBFS"))

    def y_of(self, db: float) -> float:
        return self.height() * (min(0.0, max(PEAK_FLOOR_DB, db)) / PEAK_FLOOR_DB)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        font = QFont(self.font())
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.75))
        p.setFont(font)
        p.setPen(self.palette().windowText().color())
        line = float(p.fontMetrics().height())
        w = self.width()
        free_from = 0.0  # figures never overlap: on a short meter only some are written
        for db in self.MARKS:
            y = self.y_of(db)
            p.drawLine(QPointF(w - 3, y), QPointF(w, y))
            top = min(max(y - line / 2, 0.0), self.height() - line)  # inside the widget
            if top >= free_from:
                p.drawText(QRectF(0, top, w - 4, line), Qt.AlignmentFlag.AlignRight, str(db))
                free_from = top + line
        p.end()
