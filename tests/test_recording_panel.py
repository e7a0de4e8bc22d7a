"""The recording panel on the real (virtual) device: meters move, check level, record a take,
and Vietnamese strings from the compiled translation."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import soundfile as sf  # noqa: E402
from PySide6.QtCore import QCoreApplication  # noqa: E402

from audio.playback import Player  # noqa: E402
from audio.timeline import Clip, Timeline, Track  # noqa: E402
from studio.paths import StudioHome  # noqa: E402
from studio.recording import RecordingSession  # noqa: E402
from studio.settings import Settings  # noqa: E402
from tests.pulse_device import require_pulse  # noqa: E402
from ui.looks import load_translations  # noqa: E402
from ui.recording.panel import RecordingPanel  # noqa: E402

RATE = 48_000


@pytest.fixture
def panel(qtbot, tmp_path):
    require_pulse()
    settings = Settings(tmp_path / "settings.json")
    settings.set("input_device", "pulse")
    w = RecordingPanel(RecordingSession(StudioHome(tmp_path / "home"), settings))
    qtbot.addWidget(w)
    yield w
    w.stop_monitoring()


@pytest.mark.audio_device
def test_meters_check_level_and_a_take(panel, qtbot, tmp_path):
    assert panel.device.currentData() == "pulse"
    assert panel.start_monitoring()
    rng = np.random.default_rng(3)
    sig = (rng.standard_normal((8 * RATE, 1)) * 0.05).astype(np.float32)
    sig[RATE : RATE + 10] = 1.0  # a clipping click
    player = Player(lambda sid: sig, rate=RATE, device="pulse")
    player.set_timeline(
        Timeline(rate=RATE, tracks=(Track("p", (Clip("n", 0, len(sig)),), pan=-1.0),))
    )
    taken = []
    panel.takeFinished.connect(taken.append)
    player.play()
    try:
        qtbot.waitUntil(lambda: bool(panel.meter.clipped and panel.meter.clipped[0]), timeout=6000)
        assert max(panel.meter.peaks_db) > -20
        panel.check_button.click()
        assert not panel.check_button.isEnabled()
        panel._check_timer.setInterval(1500)
        panel._check_timer.start()
        qtbot.waitUntil(lambda: panel.check_button.isEnabled(), timeout=5000)
        assert panel.last_check is not None and panel.last_check.verdict in (
            "good",
            "too_low",
            "too_hot",
        )
        assert panel.check_result.text()
        panel.record_button.click()
        assert panel.record_button.isChecked() and panel.record_button.text() == "Stop"
        qtbot.waitUntil(
            lambda: panel.recorder.take is not None and panel.recorder.take.frames > RATE,
            timeout=6000,
        )
        panel.record_button.click()
    finally:
        player.stop()
    assert len(taken) == 1 and taken[0].frames > RATE
    assert sf.info(taken[0].path).frames == taken[0].frames
    assert taken[0].path.parent == tmp_path / "home" / "recordings"
    assert panel.record_button.text() == "Record"


def test_vietnamese_strings_come_from_the_compiled_translation(qtbot, tmp_path):
    require_pulse()
    app = QCoreApplication.instance()
    assert "recording_vi.qm" in load_translations(app, "vi")  # what the app loads at start
    try:
        w = RecordingPanel(RecordingSession(StudioHome(tmp_path / "home")))
        qtbot.addWidget(w)
        assert w.record_button.text() == "Thu âm"
        assert w.check_button.text() == "Kiểm tra mức thu"
    finally:
        load_translations(app, "en")


@pytest.mark.audio_device
def test_a_silent_or_closed_input_shows_no_stale_level(panel):
    assert panel.start_monitoring()
    panel._show_loudness(-3066.5)  # what digital silence reads as
    assert panel.loudness.text() == "—"
    panel._show_loudness(-23.04)
    assert panel.loudness.text() == "-23.0 LUFS"
    panel.meter.set_levels((0.5,), (False,))
    panel.stop_monitoring()  # R takes the input over: the panel's meter falls back
    assert panel.meter.peaks_db == [] and panel.loudness.text() == "—"
