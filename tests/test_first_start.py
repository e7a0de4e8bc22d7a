"""The first-start assistant driven offscreen (every step, skip, back, finish; settings saved
and read again), the Help menu's tools, and the first start of the window with its samples."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication, QWizard

from audio.errors import set_language
from studio.input_check import AudioDevice
from studio.level_check import check_reading
from studio.paths import StudioHome
from studio.settings import Settings

RATE = 48_000


def voice(gain_db: float, seconds: float = 7.0) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    f0 = 140 + 25 * np.sin(2 * np.pi * 0.7 * t)
    phase = 2 * np.pi * np.cumsum(f0) / RATE
    x = sum(np.sin(k * phase) / k for k in range(1, 12))
    x *= np.clip(np.sin(2 * np.pi * 4.0 * t), 0, None) ** 1.5 * ((t % 2.5) < 1.9)
    x = x / np.max(np.abs(x)) * 10 ** (gain_db / 20)
    # the voice on the right input only, as a mono microphone in a stereo USB mixer
    return np.stack([np.zeros_like(x), x], axis=1).astype(np.float32)


DEVICES = [
    AudioDevice("Built-in Microphone", "Windows WASAPI", 2, 0, True, False),
    AudioDevice("USB Audio CODEC", "Windows WASAPI", 2, 2, False, False),
    AudioDevice("Speakers (Realtek)", "Windows WASAPI", 0, 2, False, True),
    AudioDevice("USB Audio CODEC", "MME", 2, 2, False, False),
]


class FakeInput:
    """Stands in for studio.input_check.InputCheck: what a USB mixer would deliver."""

    opened: list[tuple] = []
    reading_gain_db = -30.0

    def __init__(self, device, host_api, channels):
        self.key = (device, host_api, tuple(channels))
        self.device_name = device or "default"
        self.reading = False
        self.closed = False

    def open(self):
        FakeInput.opened.append(self.key)

    def levels_dbfs(self):
        return (-50.0, -12.0), False

    def start_reading(self):
        self.reading = True

    @property
    def reading_seconds(self):
        return 2.0 if self.reading else 0.0

    def finish_reading(self):
        self.reading = False
        frames = voice(FakeInput.reading_gain_db)[:, list(self.key[2])]
        return check_reading(frames, RATE)

    def close(self):
        self.closed = True


@pytest.fixture(autouse=True)
def language():
    """The window sets the language from its settings: put it back for the next tests."""
    yield
    set_language(None)


@pytest.fixture
def wizard(qtbot, studio_home):
    set_language("vi")
    FakeInput.opened = []
    tones = []
    edits = []
    settings = Settings(studio_home.settings_file)
    from studio.outbox import Outbox
    from ui.first_start.wizard import FirstStartWizard

    outbox = Outbox.open(studio_home)
    w = FirstStartWizard(
        settings,
        studio_home,
        outbox=outbox,
        input_factory=FakeInput,
        list_devices=lambda: DEVICES,
        play_tone=tones.append,
        edit_destinations=edits.append,
    )
    w.tones, w.edits = tones, edits
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()
    w.deleteLater()
    outbox.close()


def _page(w) -> str:
    return w.page_key()


def test_every_step_then_finish_saves_the_settings(wizard, studio_home, tmp_path):
    w = wizard
    assert _page(w) == "welcome"
    assert w.button(QWizard.WizardButton.NextButton).text() == "Tiếp >"
    assert w.button(QWizard.WizardButton.CancelButton).text() == "Để sau"
    w.next()
    # devices: only the preferred host API (WASAPI) is offered, the mixer chosen
    assert _page(w) == "devices"
    page = w.pages["devices"]
    inputs = [page.input.itemText(i) for i in range(page.input.count())]
    assert inputs == ["Mặc định của máy", "Built-in Microphone (mặc định)", "USB Audio CODEC"]
    page.input.setCurrentIndex(2)
    page.output.setCurrentIndex(page.output.findText("Speakers (Realtek) (mặc định)"))
    assert page.channel.currentData() == (0, 1)  # the first start listens to both sides
    page.update_meter()
    assert page.meter.levels_db == [-50.0, -12.0]
    page.tone.click()
    assert w.tones == ["Speakers (Realtek)"]
    assert ("USB Audio CODEC", "Windows WASAPI", (0, 1)) in FakeInput.opened
    w.next()
    # the level check: too quiet, on the right channel
    assert _page(w) == "level"
    level = w.pages["level"]
    level.start.click()
    assert level.stop.isEnabled()
    level.stop.click()
    assert level.result.verdict == "too_low"
    assert "vặn núm GAIN" in level.advice.text() and "LÊN" in level.advice.text()
    assert w.values["input_channels"] == [1]  # the microphone is on input 2
    FakeInput.reading_gain_db = -6.0
    level.start.click()
    level.stop.click()
    assert level.result.verdict == "good"
    assert "vừa đẹp" in level.advice.text()
    FakeInput.reading_gain_db = -30.0
    w.next()
    assert _page(w) == "station"
    w.pages["station"].station.setText("  Đài truyền thanh   xã Yên Lạc ")
    w.pages["station"].commune.setText("xã Yên Lạc")
    w.next()
    assert _page(w) == "preset"
    w.pages["preset"].buttons["province"].setChecked(True)
    w.next()
    assert _page(w) == "destinations"
    assert "có thể bỏ qua" in w.pages["destinations"].note.text()
    w.pages["destinations"].add.click()
    assert len(w.edits) == 1  # the destinations dialog of the publishing feature
    w.next()
    assert _page(w) == "media"
    media = tmp_path / "Âm thanh đài"
    w.pages["media"].folder.setText(str(media))
    assert "còn trống" in w.pages["media"].space.text()
    w.next()
    assert _page(w) == "done"
    assert "Đài truyền thanh xã Yên Lạc" in w.pages["done"].summary.text()
    assert not w.button(QWizard.WizardButton.CustomButton1).isVisible()
    assert w.apply() is False  # the old media folder was empty: nothing to move
    # read again from disk, as the next start does
    again = Settings(studio_home.settings_file)
    assert again.get("input_device") == "USB Audio CODEC"
    assert again.get("input_host_api") == "Windows WASAPI"
    assert again.get("input_channels") == [1]
    assert again.get("output_device") == "Speakers (Realtek)"
    assert again.get("station_name") == "Đài truyền thanh xã Yên Lạc"
    assert again.get("commune") == "xã Yên Lạc"
    assert again.get("export_preset") == "province"
    assert again.get("first_start_done") is True
    assert StudioHome.at(studio_home.root).media == media


def test_skip_keeps_a_step_as_it_was_and_back_returns(wizard, studio_home):
    w = wizard
    w.values["station_name"] = "Đài cũ"
    w.next()
    w.skip()  # devices skipped: nothing chosen there
    assert _page(w) == "level"
    w.skip()
    assert _page(w) == "station"
    w.pages["station"].station.setText("Đài mới")
    w.back()
    assert _page(w) == "level"
    w.back()
    assert _page(w) == "devices"
    w.next()
    w.next()
    assert _page(w) == "station"
    w.skip()  # the typed name is not taken
    assert _page(w) == "preset"
    for _ in range(3):
        w.skip()
    assert _page(w) == "done"
    w.apply()
    again = Settings(studio_home.settings_file)
    assert again.get("station_name") == "Đài cũ"
    assert again.get("input_device") == ""
    assert again.get("first_start_done") is True


def test_later_saves_nothing_and_the_microphone_is_closed(wizard, studio_home):
    w = wizard
    w.next()
    check = w.session.check
    assert check is not None
    w.reject()  # "Để sau"
    assert check.closed and w.session.check is None
    assert not studio_home.settings_file.exists() or not Settings(studio_home.settings_file).get(
        "first_start_done"
    )


def test_the_window_first_start_files_samples_and_opens_the_demo(qtbot, studio_home):
    """run_first_start before the window, then the feature files the samples and opens the
    demo programme; Help offers the assistant and copies the diagnostic text."""
    from tests.ui_support import fake_factory
    from ui.app import build_window, install_features
    from ui.first_start import feature as first_start

    settings = Settings(studio_home.settings_file)

    def finish(wizard):
        wizard.values["station_name"] = "Đài truyền thanh xã Yên Lạc"
        wizard.values["commune"] = "xã Yên Lạc"
        return True

    home, settings = first_start.run_first_start(studio_home, settings, exec_dialog=finish)
    assert settings.get("first_start_done") and settings.get("commune") == "xã Yên Lạc"
    window = build_window(home, settings, player_factory=fake_factory, synchronous_jobs=True)
    qtbot.addWidget(window)
    features = install_features(window, start_worker=False, first_start=True)
    features.start()
    feature = features["first_start"]
    library = features["library"].library
    kinds = sorted(s.kind for s in library.search(""))
    assert kinds == ["jingle", "jingle", "music_bed"]
    assert window.editor.programme.title == "Chương trình mẫu"
    assert window.editor.programme.meta("commune") == "xã Yên Lạc"
    assert not window.check_missing_media()
    help_texts = [a.text() for a in window.menus["help"].actions()]
    assert "Trợ lý bắt đầu sử dụng…" in help_texts
    assert "Sao chép thông tin chẩn đoán" in help_texts
    text = feature.copy_diagnostics()
    assert QApplication.clipboard().text() == text
    assert "station_name = Đài truyền thanh xã Yên Lạc" in text
    # the assistant again from Help: a change is saved, the samples are not filed twice
    assert feature.run_assistant(exec_dialog=lambda w: (w.values.update(commune="xã Mới"), True)[1])
    assert Settings(home.settings_file).get("commune") == "xã Mới"
    assert library.count() == 3
    window.close()


def test_settings_change_the_station_and_move_the_media_folder_on_the_next_start(
    qtbot, studio_home, tmp_path
):
    from ui.window.dialogs import SettingsDialog

    entry = studio_home.media / "ab" / "abcd.48000.f32"
    entry.parent.mkdir(parents=True)
    entry.write_bytes(b"\0" * 64)
    settings = Settings(studio_home.settings_file)
    dialog = SettingsDialog(settings, None, home=studio_home)
    qtbot.addWidget(dialog)
    dialog.station.setText("Đài truyền thanh xã Yên Lạc")
    dialog.commune.setText(" xã  Yên Lạc ")
    new_folder = tmp_path / "D" / "Âm thanh"
    dialog.media.setText(str(new_folder))
    dialog.apply()
    assert dialog.media_moves  # there was media: it moves when the app starts again
    again = Settings(studio_home.settings_file)
    assert again.get("station_name") == "Đài truyền thanh xã Yên Lạc"
    assert again.get("commune") == "xã Yên Lạc"
    assert entry.exists()  # nothing moved under the running app
    home = StudioHome.at(studio_home.root)  # the next start
    assert home.media == new_folder
    assert (new_folder / "ab" / "abcd.48000.f32").read_bytes() == b"\0" * 64
    assert not entry.exists()
    assert Settings(studio_home.settings_file).get("media_moving_from") == ""


def test_studio_on_a_fresh_pc_runs_the_assistant_then_opens_the_demo(
    qtbot, studio_home, monkeypatch
):
    """`studio` with no settings yet: the assistant comes first, then the window opens with
    the demo programme built from the sample content; a second start asks nothing."""
    import time

    import studio.__main__ as entry
    from tests.ui_support import fake_factory
    from ui.first_start.wizard import FirstStartWizard

    runs = []

    def finish(self):
        runs.append(self.windowTitle())
        self.values.update(station_name="Đài truyền thanh xã Yên Lạc", commune="xã Yên Lạc")
        return 1

    seen = {}

    def fake_exec():
        (window,) = [
            w
            for w in QApplication.topLevelWidgets()
            if w.objectName() == "MainWindow" and w.isVisible()
        ]
        deadline = time.monotonic() + 60
        while window.editor.programme.title != "Chương trình mẫu" and time.monotonic() < deadline:
            QApplication.processEvents()
            time.sleep(0.02)
        seen["title"] = window.windowTitle()
        seen["programme"] = window.editor.programme.title
        seen["log"] = (studio_home.logs / "studio.log").exists()
        window.playback.factory = fake_factory
        window.editor.session.history.mark_saved()
        window.close()
        window.deleteLater()
        return 0

    monkeypatch.setattr(FirstStartWizard, "exec", finish)
    monkeypatch.setenv("STUDIO_MAXIMISE", "0")
    monkeypatch.setattr(QApplication, "exec", staticmethod(fake_exec))
    assert entry.main([]) == 0
    assert runs == ["Bắt đầu sử dụng — Studio Truyền Thanh"]
    assert seen["programme"] == "Chương trình mẫu"
    assert seen["title"].endswith("— Đài truyền thanh xã Yên Lạc")
    assert seen["log"]
    assert (studio_home.root / "programmes" / "Chương trình mẫu.sttprog").is_file()
    # the next start goes straight to the window
    assert entry.main([]) == 0
    assert len(runs) == 1
