"""The window playing through the real (virtual PulseAudio) device: the playhead follows the
sound, the meters read it, and an edit made while playing is heard at once."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pytest
from PySide6.QtCore import Qt

from studio.paths import StudioHome
from studio.settings import Settings
from tests.pulse_device import InputCapture, require_pulse
from tests.ui_support import RATE, ScriptedPrompts, write_demo
from ui.app import build_window
from ui.looks import load_translations

pytestmark = pytest.mark.audio_device


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch, qapp):
    require_pulse()
    monkeypatch.setenv("STUDIO_HOME", str(tmp_path / "home"))
    home = StudioHome(tmp_path / "home").ensure()
    settings = Settings(home.settings_file)
    settings.set("output_device", "pulse")
    w = build_window(home, settings)  # the real Player
    w.prompts = ScriptedPrompts()
    qtbot.addWidget(w)
    w.show()
    path, _ = write_demo(tmp_path / "demo", w.store)
    assert w.open_path(path, ask=False)
    yield w
    w.playback.close()
    from audio.errors import set_language

    set_language(None)
    load_translations(qapp, "en")


def rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(x)))) if len(x) else 0.0


def test_play_follow_meter_edit_while_playing_and_pause(qtbot, window):
    ed = window.editor
    with InputCapture() as cap:
        window.act_play.trigger()
        assert window.playback.playing, window.prompts.asked
        qtbot.wait(900)
        heard_at = ed.playhead
        assert 0.3 * RATE < heard_at < 3.0 * RATE  # the playhead follows the sound
        assert window.time_label.text() != "0:00.00"
        assert max(window.mixer.master.meter.levels_db) > -40  # the master meter reads it
        loud = len(cap.audio())
        # mute both tracks through their header buttons while playing
        for header in window.headers.headers:
            qtbot.mouseClick(header.mute, Qt.MouseButton.LeftButton)
        assert all(t.mute for t in ed.timeline.tracks)
        muted = len(cap.audio())
        qtbot.wait(1300)
        window.act_play.trigger()  # Space: pause
        quiet_end = len(cap.audio())
    assert not window.playback.playing
    paused_at = ed.playhead
    qtbot.wait(200)
    assert ed.playhead == paused_at  # paused: the playhead stays
    audio = cap.audio()[:, 0]
    before = rms(audio[max(0, loud - RATE // 2) : loud])
    # the edit is heard within half a second (the player renders ~0.1 s ahead; a loaded
    # CI machine may delay the GUI thread a little)
    after = rms(audio[muted + RATE // 2 : quiet_end])
    assert before > 0.02, before
    assert quiet_end - muted > RATE * 3 // 4  # enough quiet audio to judge
    assert after < before / 100, (before, after)
