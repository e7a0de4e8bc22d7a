"""The first start's level check: synthetic readings at known levels, and real readings played
through the virtual PulseAudio device and recorded back as the wizard records them."""

from __future__ import annotations

import os
import subprocess
import time

import numpy as np
import pytest
import soxr

from audio.errors import set_language
from studio.level_check import READING_SENTENCE, TARGET_LUFS, check_reading
from tests.loudness_material import need_tool

RATE = 48_000


def voice(seconds: float = 7.0) -> np.ndarray:
    """Speech-like material: a harmonic voice with a gliding pitch, spoken in syllables
    (4 a second) and phrases with pauses; peak normalised to 0 dBFS."""
    n = int(seconds * RATE)
    t = np.arange(n) / RATE
    f0 = 140 + 25 * np.sin(2 * np.pi * 0.7 * t)
    phase = 2 * np.pi * np.cumsum(f0) / RATE
    x = sum(np.sin(k * phase) / k for k in range(1, 12))
    x *= np.clip(np.sin(2 * np.pi * 4.0 * t), 0, None) ** 1.5
    x *= (t % 2.5) < 1.9
    return (x / np.max(np.abs(x))).astype(np.float32)


def room(seconds: float, dbfs: float, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(int(seconds * RATE)) * 10 ** (dbfs / 20)).astype(np.float32)


def db(x: float) -> float:
    return 10 ** (x / 20)


@pytest.fixture(autouse=True)
def english():
    set_language("en")
    yield
    set_language(None)


def test_a_well_set_microphone_is_left_alone():
    r = check_reading(voice() * db(-6) + room(7, -70), RATE)
    assert r.verdict == "good" and r.gain_change_db == 0
    assert r.room == "quiet"
    assert -22 < r.speech_lufs < -18
    assert "leave the gain" in r.advice() and "quiet" in r.advice()


@pytest.mark.parametrize("gain_db", [-20, -30, -40])
def test_a_quiet_microphone_is_told_to_turn_up_by_about_the_missing_level(gain_db):
    r = check_reading(voice() * db(gain_db) + room(7, -75), RATE)
    assert r.verdict == "too_low"
    # the voice peaks at gain_db and sits ~14 dB under its peak: up to the −20 LUFS target
    assert r.gain_change_db == pytest.approx(TARGET_LUFS - r.speech_lufs, abs=0.1)
    assert r.gain_change_db > 10
    assert "UP" in r.gain_advice() and f"about {r.gain_change_db:.0f} dB" in r.gain_advice()
    # after the suggested change the reading would be good
    again = check_reading(voice() * db(gain_db + r.gain_change_db), RATE)
    assert again.verdict == "good"


def test_a_clipping_microphone_is_told_to_turn_down():
    hot = np.clip(voice() * db(8), -1, 1)
    r = check_reading(hot, RATE)
    assert r.verdict == "too_hot" and r.clipped_samples > 0
    assert r.gain_change_db <= -6
    assert "DOWN" in r.gain_advice() and "distorts" in r.gain_advice()


def test_a_loud_but_clean_reading_comes_down_to_leave_room_for_peaks():
    r = check_reading(voice() * db(-0.2), RATE)
    assert r.verdict == "too_hot" and r.clipped_samples == 0
    assert -8 < r.gain_change_db < -2
    assert "distorts" not in r.gain_advice()


def test_nothing_heard_says_check_the_cable():
    r = check_reading(room(7, -80), RATE)
    assert r.verdict == "silent"
    assert "No voice was heard" in r.advice()
    assert check_reading(np.zeros((RATE, 2), np.float32), RATE).verdict == "silent"


@pytest.mark.parametrize(
    ("noise_dbfs", "expected"), [(-75, "quiet"), (-50, "some"), (-38, "noisy")]
)
def test_the_room_noise_is_named_from_the_pauses_between_words(noise_dbfs, expected):
    r = check_reading(voice() * db(-6) + room(7, noise_dbfs), RATE)
    assert r.room == expected, (r.noise_lufs, r.snr_db)
    # white noise reads a little above its RMS (K-weighting lifts the highs by ~4 dB)
    assert noise_dbfs < r.noise_lufs < noise_dbfs + 5


def test_a_voice_drowned_in_noise_is_unclear():
    r = check_reading(voice() * db(-20) + room(7, -32), RATE)
    assert r.verdict == "unclear" and r.room == "noisy"
    assert "closer to the microphone" in r.advice()


def test_the_voice_channel_of_a_stereo_mixer_is_found():
    v = voice() * db(-6)
    stereo = np.stack([room(7, -80), v], axis=1)  # the microphone is on the right input
    r = check_reading(stereo, RATE)
    assert r.channel == 1 and r.verdict == "good"


def test_vietnamese_advice_is_plain_words():
    set_language("vi")
    r = check_reading(voice() * db(-30), RATE)
    assert "vặn núm GAIN" in r.advice() and "LÊN" in r.advice()
    assert "Phòng yên tĩnh" in r.advice()


# --- real readings through the virtual sound device ---------------------------------------


@pytest.fixture(scope="module")
def reading():
    """The printed sentence read by espeak-ng (Vietnamese), 48 kHz, peak at 0 dBFS."""
    need_tool("espeak-ng")
    import io

    import soundfile as sf

    out = subprocess.run(
        ["espeak-ng", "-v", "vi", "-s", "140", "--stdout", READING_SENTENCE],
        capture_output=True,
        check=True,
    ).stdout
    data, sr = sf.read(io.BytesIO(out), dtype="float32")
    data = soxr.resample(data, sr, RATE).astype(np.float32)
    data = np.concatenate([np.zeros(RATE // 2, np.float32), data])
    return data / np.max(np.abs(data))


@pytest.fixture
def private_device(monkeypatch):
    """A null sink and its monitor as a microphone of this test's own: other processes that
    play into the shared virtual sink at the same time would otherwise be heard too."""
    from tests.pulse_device import require_pulse

    require_pulse()
    name = f"levelcheck{os.getpid()}"
    modules = []
    for args in (
        [f"sink_name={name}", f"sink_properties=device.description={name}", "rate=48000"],
        [f"source_name={name}_mic", f"master={name}.monitor"],
    ):
        kind = "module-null-sink" if not modules else "module-remap-source"
        out = subprocess.run(
            ["pactl", "load-module", kind, *args], capture_output=True, text=True, check=True
        )
        modules.append(out.stdout.strip())
    # the ALSA "pulse" device opens new streams on these (libpulse reads them per stream)
    monkeypatch.setenv("PULSE_SINK", name)
    monkeypatch.setenv("PULSE_SOURCE", f"{name}_mic")
    yield
    for module in reversed(modules):
        subprocess.run(["pactl", "unload-module", module], capture_output=True)


def _read_through_the_device(material: np.ndarray):
    """Play `material` into the virtual sink while the wizard's InputCheck records its monitor
    (the default input), as a person reading into the microphone."""
    import sounddevice as sd

    from studio.input_check import InputCheck

    check = InputCheck("pulse", "", (0, 1))
    try:
        check.open()
        check.start_reading()
        deadline = time.monotonic() + 5
        while check.reading_seconds == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        sd.play(np.repeat(material[:, None], 2, axis=1), RATE, device="pulse", blocking=True)
        time.sleep(0.3)
        peaks, _ = check.levels_dbfs()
        result = check.finish_reading()
    finally:
        check.close()
    return result, peaks


@pytest.mark.audio_device
def test_real_readings_recorded_through_the_device(reading, private_device):
    quiet, _ = _read_through_the_device(reading * db(-30))
    assert quiet.verdict == "too_low", quiet
    assert quiet.gain_change_db > 10
    right, peaks = _read_through_the_device(reading * db(-4))
    assert right.verdict == "good", right
    assert len(peaks) == 2
    noise = room(len(reading) / RATE, -36, seed=3)
    noisy, _ = _read_through_the_device(reading * db(-12) + noise)
    assert noisy.room == "noisy", noisy
    # the level the device delivered is the level played: the meter is honest
    assert right.speech_lufs - quiet.speech_lufs == pytest.approx(26, abs=1.0)
