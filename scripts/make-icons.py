"""Make the application icon's PNG and ICO files from resources/icons/app/studio.svg.

    .venv/bin/python scripts/make-icons.py [OUT_FOLDER]

Renders the SVG with Qt's own SVG renderer at each size and packs the PNGs into one .ico
(PNG-compressed entries, which Windows Vista and later read). Run again after editing the SVG
and commit the results: the bundle and the installer take them as they are.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "icons" / "app" / "studio.svg"
SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)
PNG_SIZES = (32, 48, 64, 128, 256)  # kept as files too (window icon, Linux desktop entry)


def render_png(renderer: QSvgRenderer, size: int) -> bytes:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data)


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """An ICO file whose entries are PNG images (0 in a size byte means 256)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = 6 + 16 * len(pngs)
    entries, blobs = b"", b""
    for size, png in sorted(pngs.items()):
        dim = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(png), offset + len(blobs))
        blobs += png
    return header + entries + blobs


def make_icons(out: Path) -> list[Path]:
    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 - Qt needs one
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {SVG}")
    out.mkdir(parents=True, exist_ok=True)
    pngs = {size: render_png(renderer, size) for size in SIZES}
    written = []
    for size in PNG_SIZES:
        path = out / f"studio-{size}.png"
        path.write_bytes(pngs[size])
        written.append(path)
    ico = out / "studio.ico"
    ico.write_bytes(ico_bytes(pngs))
    written.append(ico)
    return written


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else SVG.parent
    for path in make_icons(folder):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
