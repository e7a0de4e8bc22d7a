"""Draw the small images the dark theme's style sheet uses (check mark, spin-box arrows).

    QT_QPA_PLATFORM=offscreen python scripts/make_style_images.py

Writes PNGs (twice the size they are shown at, so they stay sharp at 200 %) into
resources/styles/images/. PNG rather than SVG: Qt reads PNG without an image plugin, so the
bundle needs nothing more. Run again after changing a colour here.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPainterPath, QPen, QPolygonF

OUT = Path(__file__).resolve().parents[1] / "resources" / "styles" / "images"
BRIGHT = QColor("#ffffff")
DIM = QColor("#767a82")


def _canvas(size: int) -> tuple[QImage, QPainter]:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    return image, p


def check(colour: QColor) -> QImage:
    image, p = _canvas(28)
    path = QPainterPath(QPointF(6, 14.5))
    path.lineTo(11.5, 20)
    path.lineTo(22, 8)
    p.setPen(QPen(colour, 3.6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    p.drawPath(path)
    p.end()
    return image


def arrow(colour: QColor, up: bool) -> QImage:
    image, p = _canvas(16)
    pts = [QPointF(2, 11), QPointF(14, 11), QPointF(8, 4)]
    if not up:
        pts = [QPointF(x.x(), 15 - x.y()) for x in pts]
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(colour)
    p.drawPolygon(QPolygonF(pts))
    p.end()
    return image


def main() -> int:
    QGuiApplication(sys.argv)
    OUT.mkdir(parents=True, exist_ok=True)
    images = {
        "check.png": check(BRIGHT),
        "check-disabled.png": check(DIM),
        "arrow-up.png": arrow(BRIGHT, True),
        "arrow-up-disabled.png": arrow(DIM, True),
        "arrow-down.png": arrow(BRIGHT, False),
        "arrow-down-disabled.png": arrow(DIM, False),
    }
    for name, image in images.items():
        image.save(str(OUT / name))
        print(OUT / name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
