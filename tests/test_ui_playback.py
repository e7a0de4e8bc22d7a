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
from studio.transport import default_player_factory
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


def test_every_meter_moves_while_playing_and_resets_on_stop_and_new(qtbot, qapp, tmp_path):
    """Per-track meters in the mixer strips and the track headers follow what is heard (a
    track with sound reads a level, a muted one and an empty one read silence); Stop brings
    every meter, the master too, back to silence; New clears the bars, the integrated
    reading and the loudness graph of the old programme."""
    from tests.test_ui_integration import open_window
    from ui.meters.widgets import PEAK_FLOOR_DB

    require_pulse()
    home = StudioHome(tmp_path / "home").ensure()
    settings = Settings(home.settings_file)
    settings.set("output_device", "pulse")
    w, features = open_window(qtbot, home, factory=default_player_factory, settings=settings)
    meters = features.get("meters")
    try:
        path, _ = write_demo(tmp_path / "demo", w.store)
        assert w.open_path(path, ask=False)
        # a real export first, so that the loudness graph holds this programme's curve
        w.prompts.queue("export_path", str(tmp_path / "bản tin.mp3"))
        w.act_export.trigger()
        assert len(meters.panel.graph.short_term) > 0
        assert meters.panel.readout.integrated_lufs is not None
        w.add_track()  # track 3: no clips
        bed = w.headers.headers[1]
        qtbot.mouseClick(bed.mute, Qt.MouseButton.LeftButton)  # the music bed, muted
        assert [t.mute for t in w.editor.timeline.tracks] == [False, True, False]
        strips, headers = w.mixer.strips, w.headers.headers
        assert len(strips) == len(headers) == 3

        def loudest(meter) -> float:
            return max(meter.levels_db)

        w.act_play.trigger()
        assert w.playback.playing, w.prompts.asked
        # the voice's first clip plays from 0 s to 4 s at about −6…−9 dBFS
        qtbot.waitUntil(lambda: loudest(strips[0].meter) > -30, timeout=5000)
        qtbot.wait(300)  # a few more meter readings
        assert w.playback.playing and w.editor.playhead < 3.5 * RATE
        assert loudest(strips[0].meter) > -30  # the voice's strip reads the voice
        assert loudest(headers[0].meter) > -30  # and so does its track header
        assert loudest(w.mixer.master.meter) > -30
        for i in (1, 2):  # muted, empty: silent on the strip and on the header
            assert strips[i].meter.levels_db == [PEAK_FLOOR_DB, PEAK_FLOOR_DB], i
            assert headers[i].meter.levels_db == [PEAK_FLOOR_DB, PEAK_FLOOR_DB], i
        assert meters.panel.bar.peak_db is not None and meters.panel.bar.peak_db > -30

        w.act_stop.trigger()
        assert not w.playback.playing
        floor = [PEAK_FLOOR_DB, PEAK_FLOOR_DB]
        for meter in [w.mixer.master.meter] + [s.meter for s in strips + headers]:
            assert meter.levels_db == floor  # back to silence, not frozen where it stood
        assert meters.panel.bar.peak_db is None and meters.panel.bar.hold_db() is None

        # play again, then New while playing: nothing of the old programme stays
        w.act_play.trigger()
        qtbot.waitUntil(lambda: loudest(w.mixer.master.meter) > -30, timeout=5000)
        w.prompts.queue("unsaved", "discard")
        w.act_new.trigger()
        assert not w.playback.playing
        assert len(w.editor.timeline.tracks) == 2 and not w.editor.timeline.length
        assert w.mixer.master.meter.levels_db == floor
        for meter in [s.meter for s in w.mixer.strips + w.headers.headers]:
            assert meter.levels_db == floor
        assert len(meters.panel.graph.short_term) == 0  # no old programme's graph
        assert meters.panel.readout.integrated_lufs is None
        assert meters.panel.bar.peak_db is None and meters.panel.bar.hold_db() is None
        assert meters.meter.reading().integrated_lufs is None
        assert "—" in w.mixer.master.loudness.text()
    finally:
        w.playback.close()
        w.close()
        from audio.errors import set_language

        set_language(None)
        load_translations(qapp, "en")
