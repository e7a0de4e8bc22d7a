"""Recording you can watch, driven from the window on the real (virtual) PulseAudio device:
the take grows on its armed track with its waveform while it is recorded, the playhead runs
with it, and Stop leaves the finished clip where it grew."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pytest

from audio.playback import Player
from audio.timeline import Clip, Timeline, Track
from studio import history
from studio.settings import Settings
from tests.pulse_device import require_pulse
from tests.test_ui_integration import FEATURE_KEYS, home, open_window, reset_language  # noqa: F401
from tests.ui_support import RATE

pytestmark = pytest.mark.audio_device


def _tone_player(seconds: float = 20.0) -> Player:
    """Plays a loud tone into the virtual device, which loops it back to its input."""
    t = np.arange(int(seconds * RATE)) / RATE
    sig = (0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)[:, None]
    player = Player(lambda sid: sig, rate=RATE, device="pulse")
    player.set_timeline(Timeline(rate=RATE, tracks=(Track("p", (Clip("n", 0, len(sig)),)),)))
    return player


def _red_pixels(image, top: int, bottom: int, x0: int, x1: int) -> int:
    """Pixels in the rectangle that are the live take's red (edge or waveform)."""
    n = 0
    for y in range(top, bottom, 3):
        for x in range(max(x0, 0), min(x1, image.width()), 2):
            c = image.pixelColor(x, y)
            if c.red() > 150 and c.green() < 110 and c.blue() < 110:
                n += 1
    return n


@pytest.fixture
def window(qtbot, home):  # noqa: F811
    require_pulse()
    settings = Settings(home.settings_file)
    settings.set("input_device", "pulse")
    settings.set("output_device", "pulse")
    from ui.timeline.transport import default_player_factory

    w, features = open_window(qtbot, home, default_player_factory, settings)
    yield w, features.get("recording")
    w.close()


def test_a_panel_take_grows_on_its_track_and_the_playhead_runs(qtbot, window):
    w, rec = window
    w.add_track_defaults()
    w.editor.set_track(0, history.TRACK_ARM, armed=True)
    w.editor.set_playhead(RATE)  # the take starts at 0:01
    view = w.timeline_view
    player = _tone_player()
    player.play()
    try:
        rec.panel.record_button.click()
        assert rec.session.recording, w.prompts.asked
        qtbot.waitUntil(
            lambda: view.live is not None and view.live.length > RATE // 2, timeout=8000
        )
        first_len, first_head = view.live.length, w.editor.playhead
        assert view.live.start == RATE and list(view.live.columns) == [0]
        assert first_head == view.live.end  # the playhead is where the recording is
        qtbot.waitUntil(lambda: view.live.length > first_len + RATE // 2, timeout=8000)
        assert w.editor.playhead > first_head
        assert w.editor.timeline.tracks[0].clips == ()  # not a clip (nor an undo step) yet
        assert float(np.abs(view.live.maxs).max()) > 0.2  # the tone's waveform is there
        view.zoom_to_fit()
        view.set_zoom(RATE / 100)  # 100 px a second: the live clip is wide on screen
        view.scroll_to_frame(0, 0)
        image = view.viewport().grab().toImage()
        top = view.track_top(0)
        x0, x1 = int(view.x_of(view.live.start)), int(view.x_of(view.live.end))
        assert _red_pixels(image, top + 20, top + view.track_height - 6, x0 + 4, x1 - 4) > 50
        other = view.track_top(1)  # the music bed is not armed: nothing grows there
        assert _red_pixels(image, other + 20, other + view.track_height - 6, x0, x1 - 4) == 0
        rec.panel.record_button.click()  # Stop
    finally:
        player.stop()
    qtbot.waitUntil(lambda: view.live is None, timeout=3000)
    clips = w.editor.timeline.tracks[0].clips
    assert len(clips) == 1 and clips[0].start == RATE and clips[0].length > RATE
    assert w.editor.session.history.undo_description.en == "Recorded take"


def test_r_grows_the_take_on_the_armed_track_and_runs_the_playhead(qtbot, window, tmp_path):
    from tests.ui_support import write_demo

    w, rec = window
    path, _ = write_demo(tmp_path / "demo", w.store)
    assert w.open_path(path, ask=False)
    w.editor.set_playhead(RATE // 2)
    view = w.timeline_view
    rec.act_record.trigger()  # R
    assert rec.overdub is not None, w.prompts.asked
    try:
        qtbot.waitUntil(
            lambda: view.live is not None and view.live.length > RATE // 4, timeout=8000
        )
        assert view.live.start == RATE // 2 and list(view.live.columns) == [0]
        head = w.editor.playhead
        assert head == view.live.end
        qtbot.waitUntil(lambda: w.editor.playhead > head + RATE // 2, timeout=8000)
        assert view.live.end == w.editor.playhead
    finally:
        rec.act_record.trigger()  # R again: stop
    assert view.live is None and rec.overdub is None
    new = [c for c in w.editor.timeline.tracks[0].clips if c.start == RATE // 2]
    assert new and new[0].length > RATE // 2


def _panel_take(qtbot, w, rec, at: int, seconds: float) -> None:
    w.editor.set_playhead(at)
    rec.panel.record_button.click()
    assert rec.session.recording, w.prompts.asked
    qtbot.waitUntil(
        lambda: w.timeline_view.live is not None and w.timeline_view.live.length > seconds * RATE,
        timeout=10_000,
    )
    rec.panel.record_button.click()
    qtbot.waitUntil(lambda: w.timeline_view.live is None, timeout=3000)


def test_a_reread_keeps_the_old_take_in_the_lane_and_the_chooser_swaps_it(qtbot, window):
    w, rec = window
    w.add_track_defaults()
    w.editor.set_track(0, history.TRACK_ARM, armed=True)
    player = _tone_player(30.0)
    player.play()
    try:
        _panel_take(qtbot, w, rec, RATE, 1.0)
        _panel_take(qtbot, w, rec, RATE, 1.5)  # read again over the same place
    finally:
        player.stop()
    tl = w.editor.timeline
    assert [t.name for t in tl.tracks] == ["Giọng đọc", "Nhạc nền"]  # no extra track
    assert len(w.mixer.strips) == 2  # nor a mixer strip
    voice = tl.tracks[0]
    assert [c.name for c in voice.clips] == ["Giọng đọc 2"]  # named after the track
    assert [c.name for c in voice.takes] == ["Giọng đọc 1"]  # the first reading is kept
    first, second = voice.takes[0], voice.clips[0]
    assert first.start == second.start == RATE
    view = w.timeline_view
    assert view.lane_height(0) > 0 and view.lane_height(1) == 0
    header = w.headers.headers[0]
    assert header.takes.isVisibleTo(header) and not w.headers.headers[1].takes.isVisibleTo(header)
    # the lane is drawn under the track: its take is found where it is painted
    rect = view.take_rect(0, first)
    assert rect.top() > view.clip_rect(0, second).bottom()
    hit = view.take_at(rect.left() + 5, rect.center().y())
    assert hit == (0, 0) and view.hit(rect.left() + 5, rect.center().y())[0] == "take"
    before = w.editor.timeline
    menu = view.take_menu(0, view.frame_at(rect.left() + 5))
    assert "Giọng đọc 1" in menu.actions()[0].text()
    menu.actions()[0].trigger()  # "Dùng bản thu này"
    voice = w.editor.timeline.tracks[0]
    playing = [c for c in voice.clips if c.start <= 2 * RATE < c.end]
    assert [c.name for c in playing] == ["Giọng đọc 1"]
    assert [c.name for c in voice.takes if c.start <= 2 * RATE < c.end] == ["Giọng đọc 2"]
    assert w.editor.session.history.undo_description.en == "Chose another take"
    w.act_undo.trigger()  # one undo step brings the second reading back
    assert w.editor.timeline == before
    voice = w.editor.timeline.tracks[0]
    assert [c.name for c in voice.clips] == ["Giọng đọc 2"]
    assert [c.name for c in voice.takes] == ["Giọng đọc 1"]
    header.takes.click()  # fold the lane away: the clips get the whole row again
    assert view.lane_height(0) == 0 and view.take_at(rect.left() + 5, rect.center().y()) is None


def test_a_pass_whose_programme_broke_up_says_so(qtbot, window, monkeypatch):
    """The take stays aligned when the programme came late; the reader is told to listen."""
    w, rec = window
    w.add_track_defaults()
    session = rec.session
    monkeypatch.setattr(type(session), "overdubbing", property(lambda self: True))

    def stop_overdub(timeline):
        session.last_playback_gaps = 2
        return timeline.with_track(0, timeline.tracks[0].with_changes(name="Giọng đọc"))

    monkeypatch.setattr(session, "stop_overdub", stop_overdub)
    assert rec.stop_record() is not None
    message = w.statusBar().currentMessage()
    assert "Đã thêm bản thu vào rãnh" in message and "ngắt quãng 2 lần" in message, message


def test_a_script_item_s_take_grows_where_it_will_land(qtbot, window):
    from studio.script import item_start

    w, rec = window
    script = w.features.get("script")
    script.panel.text.setPlainText("Kính thưa bà con.\n\nTin thứ nhất về mưa lớn.\n\nXin chào.")
    script.apply_text()
    view = w.timeline_view
    p = w.editor.programme
    voice = p.timeline.track_index(p.script.voice_track)
    player = _tone_player()
    player.play()
    try:
        assert script.record_item(0), w.prompts.asked
        qtbot.waitUntil(
            lambda: view.live is not None and view.live.length > RATE // 2, timeout=8000
        )
        expected = voice if voice is not None else len(p.timeline.tracks)
        assert view.live.start == item_start(p.timeline, p.script, 0)
        assert list(view.live.columns) == [expected]
        assert w.editor.playhead == view.live.end  # the playhead runs with the reading
        assert float(np.abs(view.live.maxs).max()) > 0.2
        qtbot.wait(600)
        # drawn on the row of the voice track (a new programme has none yet: the row that
        # placing the take will add)
        view.set_zoom(RATE / 100)
        view.scroll_to_frame(0, 0)
        image = view.viewport().grab().toImage()
        top = view.track_top(expected)
        x0, x1 = int(view.x_of(view.live.start)), int(view.x_of(view.live.end))
        assert _red_pixels(image, top + 20, top + view.track_height - 6, x0 + 4, x1 - 4) > 50
        assert script.stop_item() is not None
    finally:
        player.stop()
    qtbot.waitUntil(lambda: view.live is None, timeout=3000)
    p = w.editor.programme
    assert p.script.items[0].take is not None
    voice = p.timeline.tracks[p.timeline.track_index(p.script.voice_track)]
    assert [c.source_id for c in voice.clips] == [p.script.items[0].take]
    assert rec.take_owner is None and rec.owner_place is None
