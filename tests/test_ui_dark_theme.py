"""The dark theme keeps small and disabled controls legible: a disabled button looks
disabled, check boxes and spin-box arrows stand out from the background. Checked on the
rendered pixels (offscreen), not on the style sheet's text."""

from __future__ import annotations

import os
import re

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QCheckBox, QDoubleSpinBox, QPushButton

from ui.looks import apply_theme, style_sheet


@pytest.fixture
def dark(qapp):
    apply_theme("dark")
    yield
    apply_theme("light")


def brightest(image: QImage, x0=0, y0=0, x1=None, y1=None) -> int:
    """The highest lightness (0–255) in a part of `image`."""
    x1 = image.width() if x1 is None else x1
    y1 = image.height() if y1 is None else y1
    return max(QColor(image.pixel(x, y)).lightness() for x in range(x0, x1) for y in range(y0, y1))


def test_every_image_of_the_dark_style_sheet_exists():
    urls = re.findall(r"url\(([^)]+)\)", style_sheet("dark"))
    assert len(urls) >= 6  # check marks and spin-box arrows
    for url in urls:
        assert os.path.isfile(url), url


def test_a_disabled_button_looks_disabled(qtbot, dark):
    on, off = QPushButton("Xuất MP3"), QPushButton("Xuất MP3")
    off.setEnabled(False)
    for b in (on, off):
        qtbot.addWidget(b)
        b.resize(120, 30)
        b.show()
    lit, dim = brightest(on.grab().toImage()), brightest(off.grab().toImage())
    assert lit >= 200  # white-ish text
    assert dim <= 140 and lit - dim >= 80, (lit, dim)


def test_check_boxes_and_spin_arrows_stand_out(qtbot, dark):
    box = QCheckBox("Ô đánh dấu")
    spin = QDoubleSpinBox()
    spin.setRange(-10.0, 10.0)
    for w in (box, spin):
        qtbot.addWidget(w)
        w.resize(140, 28)
        w.show()
    image = box.grab().toImage()
    # the unchecked box's edge (the left 20 px) against a background of lightness ~35
    background = QColor(image.pixel(image.width() - 2, 2)).lightness()
    assert brightest(image, 0, 0, 20, image.height()) - background >= 90
    image = spin.grab().toImage()
    w = image.width()
    # the arrows in the right 17 px, against the button face
    assert brightest(image, w - 17, 0, w, image.height()) >= 200
    spin.setEnabled(False)
    image = spin.grab().toImage()
    assert brightest(image, w - 17, 0, w, image.height()) <= 140  # dim when disabled


def test_the_track_header_meter_trough_is_dark_in_the_dark_theme(qtbot, dark):
    from ui.meters.widgets import PeakBar

    bar = PeakBar(vertical=False)
    qtbot.addWidget(bar)
    bar.resize(200, 5)
    bar.show()
    assert brightest(bar.grab().toImage()) < 100  # silence: only the trough shows
    apply_theme("light")
    bar.update()
    assert brightest(bar.grab().toImage()) > 180  # a light trough on a light window
