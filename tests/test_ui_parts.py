"""Parts of the window that need no window: translations, waveform columns, times, jobs."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from audio.errors import Cancelled
from ui.timefmt import clock, ruler
from ui.timeline.waveform import PeakPyramid, WaveformSource, live_columns

TRANSLATIONS = Path(__file__).resolve().parent.parent / "resources" / "translations"


def test_every_window_string_has_a_vietnamese_translation():
    ts = TRANSLATIONS / "studio_vi.ts"
    root = ET.parse(ts).getroot()
    unfinished = [
        m.findtext("source")
        for m in root.iter("message")
        if m.find("translation").get("type") in ("unfinished",)
        or not ("".join(m.find("translation").itertext()).strip())
    ]
    assert not unfinished
    qm = TRANSLATIONS / "studio_vi.qm"
    assert qm.exists() and qm.stat().st_mtime >= ts.stat().st_mtime - 5


def test_translations_load_and_translate(qapp):
    from PySide6.QtCore import QCoreApplication

    from ui.looks import load_translations

    loaded = load_translations(qapp, "vi")
    assert "studio_vi.qm" in loaded
    assert QCoreApplication.translate("MainWindow", "&File") == "&Tệp"
    assert (
        QCoreApplication.translate("Editor", "Copied %n clip(s).", "", 3) == "Đã sao chép 3 đoạn."
    )
    load_translations(qapp, "en")
    assert QCoreApplication.translate("MainWindow", "&File") == "&File"


def test_a_font_renders_vietnamese(qapp):
    from ui.looks import choose_font, covers_vietnamese

    family = choose_font(qapp)
    assert covers_vietnamese(family), family


def test_clock_and_ruler_text():
    assert clock(0, 48_000) == "0:00.00"
    assert clock(48_000 * 754 + 24_000, 48_000) == "12:34.50"
    assert clock(-480, 48_000) == "-0:00.01"
    assert ruler(48_000 * 125, 48_000, 48_000) == "2:05"
    assert ruler(4_800, 48_000, 4_800) == "0:00.10"


class _Store:
    def __init__(self, data):
        self.data = data
        from audio.media import _PeakAccumulator

        acc = _PeakAccumulator()
        acc.add(data)
        self._peaks = acc.result()

    def peaks(self, sid, rate):
        return self._peaks

    def frames(self, sid, rate):
        return self.data


@pytest.mark.parametrize("fpp", [0.25, 1.0, 3.0, 256.0, 300.0, 1000.0, 5000.0, 70_000.0])
def test_waveform_columns_match_a_direct_min_max(fpp):
    rng = np.random.default_rng(3)
    data = rng.uniform(-1, 1, (200_000, 1)).astype(np.float32)
    src = WaveformSource(_Store(data), 48_000)
    first = 1234.0
    count = int(min(50, (len(data) - first) // fpp - 1))
    mins, maxs = src.columns("x", first, fpp, count)
    mono = data[:, 0]
    bucket = src.pyramid("x").level_for(fpp)[0]
    for c in sorted({0, count // 2, count - 1}):
        lo = int(np.floor(first + c * fpp))
        hi = max(int(np.floor(first + (c + 1) * fpp)), lo + 1)
        if fpp < 1:
            v = mono[lo]
            assert mins[c] == min(v, 0) and maxs[c] == max(v, 0)
            continue
        if fpp >= 256:  # whole peak buckets: the column covers the buckets its edges fall in
            lo = lo // bucket * bucket
            hi = max(hi // bucket * bucket, lo + bucket)
        assert mins[c] == pytest.approx(mono[lo:hi].min())
        assert maxs[c] == pytest.approx(mono[lo:hi].max())


def test_waveform_columns_past_the_source_are_silent():
    data = np.full((10_000, 1), 0.5, np.float32)
    src = WaveformSource(_Store(data), 48_000)
    mins, maxs = src.columns("x", 9_000, 512, 10)
    assert maxs[0] == pytest.approx(0.5) and maxs[-1] == 0


def test_peak_pyramid_levels_cover_the_same_extremes():
    peaks = np.random.default_rng(1).uniform(-1, 1, (10_001, 2)).astype(np.float32)
    peaks.sort(axis=1)
    pyr = PeakPyramid(peaks)
    for _, mins, maxs in pyr.levels:
        assert mins.min() == peaks[:, 0].min() and maxs.max() == peaks[:, 1].max()
    assert pyr.level_for(5000)[0] == 4096


def test_job_runner_synchronous_result_error_and_cancel(qapp):
    from ui.jobs import JobRunner

    runner = JobRunner(synchronous=True)
    got = []
    runner.run("ok", lambda progress: (progress(0.5), 42)[1], got.append)
    assert got == [42]
    errors = []
    runner.run("bad", lambda progress: 1 / 0, None, errors.append)
    assert isinstance(errors[0], ZeroDivisionError)
    cancelled = []

    def work(progress):
        progress(0.1)
        raise Cancelled()

    job = runner.run("stop", work, got.append, errors.append, lambda: cancelled.append(1))
    assert cancelled == [1] and job.was_cancelled and got == [42]
    runner.deleteLater()


@pytest.mark.parametrize("fpp", [3.0, 300.0, 5000.0])
def test_cached_clip_columns_equal_direct_columns(fpp):
    from audio.timeline import Clip

    data = np.random.default_rng(5).uniform(-1, 1, (300_000, 1)).astype(np.float32)
    src = WaveformSource(_Store(data), 48_000)
    clip = Clip("x", start=12_345, length=150_000, source_offset=7_000)
    x0 = int(np.ceil(clip.start / fpp)) + 2
    x1 = min(x0 + 40, int(clip.end / fpp) - 1)
    cached = src.clip_columns(clip, fpp, x0, x1, max_cached=10**9)
    direct = src.columns("x", clip.source_offset + x0 * fpp - clip.start, fpp, x1 - x0)
    np.testing.assert_array_equal(cached[0], direct[0])
    np.testing.assert_array_equal(cached[1], direct[1])
    uncached = src.clip_columns(clip, fpp, x0, x1, max_cached=0)
    np.testing.assert_array_equal(uncached[1], direct[1])


def test_live_columns_reduce_the_live_peaks_like_a_direct_min_max():
    rng = np.random.default_rng(5)
    mins = -rng.uniform(0, 1, (400, 2)).astype(np.float32)
    maxs = rng.uniform(0, 1, (400, 2)).astype(np.float32)
    got_min, got_max = live_columns(mins, maxs, (1,), 256, 256 * 10, 256 * 4, 20)
    assert np.array_equal(got_min, mins[10:90, 1].reshape(20, 4).min(axis=1))
    assert np.array_equal(got_max, maxs[10:90, 1].reshape(20, 4).max(axis=1))
    past = live_columns(mins, maxs, (0,), 256, 256 * 390, 256 * 4, 5)  # past what was recorded
    assert np.array_equal(past[1][3:], np.zeros(2, np.float32))


def test_the_input_meter_latches_the_clip_light_until_clicked(qtbot):
    from PySide6.QtCore import QPoint, Qt

    from ui.recording.input_bar import InputMeter

    meter = InputMeter()
    qtbot.addWidget(meter)
    meter.resize(520, 44)
    meter.set_levels((0.5,), (False,))
    assert not meter.clip_latched and round(meter.peaks_db[0]) == -6
    meter.set_levels((1.0,), (True,))  # a clipped sample
    meter.set_levels((0.1,), (False,))  # the level falls again: the light stays
    assert meter.clip_latched
    image = meter.grab().toImage()
    light = meter.clip_rect()
    red = image.pixelColor(int(light.left()) + 3, int(light.top()) + 3)
    assert red.red() > 150 and red.green() < 80  # drawn red
    qtbot.mouseClick(meter, Qt.MouseButton.LeftButton, pos=QPoint(500, 20))
    assert not meter.clip_latched
