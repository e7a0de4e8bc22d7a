"""The meter widgets draw what they are given, in English or Vietnamese."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pytest

pytest.importorskip("pytestqt")
from PySide6.QtGui import QColor  # noqa: E402

from audio.loudness import LoudnessMeter  # noqa: E402
from tests.loudness_material import RATE, sequence  # noqa: E402
from ui.meters.widgets import (  # noqa: E402
    GOOD,
    OVER,
    IntegratedReadout,
    LoudnessGraph,
    LoudnessMeterBar,
)


def _colour_at(widget, x, y) -> QColor:
    return widget.grab().toImage().pixelColor(x, y)


def test_meter_bar_draws_levels_and_holds_the_peak(qtbot):
    bar = LoudnessMeterBar()
    qtbot.addWidget(bar)
    bar.resize(90, 260)
    bar.set_target(-16.0, -1.0)
    bar.set_levels(-0.5, -14.0, -16.0, now=100.0)  # over the ceiling: the peak bar is red
    img = bar.grab().toImage()
    x_peak = int(22 + 4 + (90 - 22 - 8) / 6)
    assert img.pixelColor(x_peak, 200) == OVER
    x_short = int(22 + 4 + 2.5 * (90 - 22 - 8) / 3)
    assert img.pixelColor(x_short, 200) == GOOD
    bar.set_levels(-30.0, None, None, now=100.5)
    assert bar.hold_db(100.5) == -0.5  # held …
    assert bar.hold_db(100.0 + 1.5 + 1.0) == pytest.approx(-20.5)  # … then falls 20 dB/s
    bar.set_levels(float("-inf"), float("nan"), None, now=200.0)
    assert bar.peak_db is None and bar.momentary_lufs is None
    assert "—" in bar.toolTip()


def test_integrated_readout_colours_by_distance_from_target(qtbot):
    r = IntegratedReadout()
    qtbot.addWidget(r)
    r.resize(300, 32)
    r.set_target(-16.0, 1.0)
    assert r.status() == "none"
    r.set_integrated(-16.6)
    assert r.status() == "ok" and _colour_at(r, 3, 16) == GOOD
    assert r.text() == "Integrated -16.6 LUFS (target -16.0)"
    r.set_integrated(-17.8)
    assert r.status() == "near"
    r.set_integrated(-23.0)
    assert r.status() == "off" and _colour_at(r, 3, 16) == OVER


def test_graph_columns_keep_the_loudest_value_per_pixel():
    s = np.full(36_000, -30.0)  # an hour of short-term values
    s[20_000] = -5.0  # one loud moment must still show at 600 pixels
    cols = LoudnessGraph.columns(s, 600)
    assert len(cols) == 600 and cols.max() == -5.0 and np.sum(cols == -5.0) == 1
    few = LoudnessGraph.columns(np.array([-20.0, -10.0]), 5)  # fewer values than pixels
    assert len(few) == 5 and np.nanmax(few) == -10.0
    assert np.all(np.isinf(LoudnessGraph.columns(np.zeros(0), 4)))


def test_graph_paints_a_meter_series(qtbot):
    meter = LoudnessMeter(RATE, 2)
    meter.feed(sequence((-30, 5), (-16, 10), (-40, 5)))
    g = LoudnessGraph()
    qtbot.addWidget(g)
    g.resize(400, 140)
    g.set_target(-16.0)
    g.set_series(meter.short_term_series(), meter.momentary_series())
    img = g.grab().toImage()
    assert not img.isNull()
    # Somewhere in the middle columns the short-term line sits on the target row.
    greens = [
        y
        for y in range(img.height())
        for x in (200,)
        if img.pixelColor(x, y).green() > 140 and img.pixelColor(x, y).red() < 100
    ]
    assert greens, "the short-term line is drawn"


def test_vietnamese_translation(qtbot, qapp):
    from ui.looks import load_translations

    assert "meters_vi.qm" in load_translations(qapp, "vi")  # what the app loads at start
    try:
        r = IntegratedReadout()
        qtbot.addWidget(r)
        r.set_target(-16.0)
        r.set_integrated(-16.2)
        assert r.text() == "Độ lớn cả bài -16.2 LUFS (mục tiêu -16.0)"
        bar = LoudnessMeterBar()
        qtbot.addWidget(bar)
        bar.set_levels(-3.0, -18.0, -17.0)
        assert bar.toolTip().startswith("Đỉnh -3.0 dBFS, độ lớn tức thời")
    finally:
        load_translations(qapp, "en")
