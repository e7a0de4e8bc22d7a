"""Exact loudness with the balance on: the decoded file lands within ±0.2 LU of the target,
true peak at or under the ceiling, for a programme with a hot jingle, a quiet voice and a loud
bed; the CLI (`studio render`, `studio level`) does the same as the export service."""

from __future__ import annotations

import json
import subprocess

import numpy as np
import pytest

from audio.loudness import measure
from audio.media import MediaStore
from audio.timeline import Clip, Timeline, Track, TrackRole
from studio.cli import run
from studio.exporting import ExportService
from studio.paths import StudioHome
from studio.programme import Programme, load_programme, media_ref_for, save_programme
from tests.loudness_material import RATE, music, need_tool, speech, write


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("STUDIO_HOME", str(tmp_path / "home"))
    return StudioHome(tmp_path / "home").ensure()


@pytest.fixture(scope="module")
def material():
    t = np.arange(int(1.6 * RATE)) / RATE
    tone = (
        0.95 * np.sin(2 * np.pi * 660 * t) * np.minimum(1, t * 40) * np.minimum(1, (1.6 - t) * 40)
    )
    return {
        "voice": speech(40.0, seed=3) * np.float32(0.08),  # a quiet reading
        "jingle": np.repeat(tone[:, None], 2, 1).astype(np.float32),  # hot
        "bed": music(60.0, seed=4) * np.float32(1.2),  # loud
    }


@pytest.fixture
def bulletin(home, tmp_path, material):
    store = MediaStore(home.media)
    infos = {
        k: store.import_file(write(tmp_path / f"{k}.wav", v), RATE) for k, v in material.items()
    }
    timeline = Timeline(
        RATE,
        (
            Track(
                "Nhạc hiệu",
                (Clip(infos["jingle"].source_id, 0, int(1.6 * RATE), name="jingle.wav"),),
                TrackRole.JINGLE,
            ),
            Track("Giọng đọc", (Clip(infos["voice"].source_id, 2 * RATE, 40 * RATE),)),
            Track("Nhạc nền", (Clip(infos["bed"].source_id, 0, 60 * RATE),), TrackRole.MUSIC_BED),
        ),
    )
    programme = Programme(
        title="Bản tin sáng",
        timeline=timeline,
        media=tuple(media_ref_for(i) for i in infos.values()),
    )
    path = tmp_path / "ban-tin.sttprog"
    save_programme(programme, path)
    return path, programme


def _decode(path, channels: int) -> np.ndarray:
    ffmpeg = need_tool("ffmpeg")
    raw = subprocess.run(
        [ffmpeg, "-v", "error", "-i", str(path), "-f", "f32le", "-ac", str(channels), "-"],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(raw, np.float32).reshape(-1, channels)


@pytest.mark.parametrize(("name", "channels"), [("loudspeaker", 1), ("province", 2)])
def test_the_decoded_file_lands_within_a_fifth_of_a_lu(home, bulletin, tmp_path, name, channels):
    _, programme = bulletin
    service = ExportService(home)
    preset = service.preset(name)
    out = tmp_path / f"{name}.mp3"
    result = service.export(programme, out, preset)
    decoded = _decode(out, channels)
    r = measure(decoded, preset.rate)
    assert abs(r.integrated_lufs - preset.target_lufs) <= 0.2, (r.integrated_lufs, result.encodes)
    assert r.true_peak_dbtp <= preset.ceiling_dbtp + 0.05
    assert result.report.passed
    line = next(x for x in result.report.lines if x.check == "limiter")
    assert "Bộ giới hạn đỉnh" in line.vi
    assert result.report.measurement["limiter_reduction_db"] == result.limiter_reduction_db
    # The file ends about 3 s after the voice (the bed is cut and faded), not at 60 s.
    assert len(decoded) / preset.rate == pytest.approx(45.0, abs=0.2)
    # This reading is very peaky (20 dB between its peaks and its loudness): the limiter works
    # hard on it, and the report says so.
    assert result.limiter_reduction_db > 3


def test_the_default_tolerance_is_half_a_lu(home):
    service = ExportService(home)
    assert {p.tolerance_lu for p in service.presets()} == {0.5}


def test_render_balances_by_default_and_the_flags_turn_it_off(home, bulletin, tmp_path, capsys):
    path, _ = bulletin
    on, off = tmp_path / "on.mp3", tmp_path / "off.mp3"
    assert run(["render", str(path), "-o", str(on), "--mono"]) == 0
    printed = capsys.readouterr().out
    assert "Balance: 3 clip(s) auto-levelled, 1 bed clip(s) ducked under the voice" in printed
    assert run(["render", str(path), "-o", str(off), "--no-auto-level", "--no-duck"]) in (0, 3)
    a, b = _decode(on, 1), _decode(off, 1)
    rate = 44_100

    # Unbalanced, the jingle blasts over the voice; balanced, it does not.
    def jingle_over_voice(x):
        return (
            measure(x[: int(1.6 * rate)], rate).integrated_lufs
            - measure(x[5 * rate : 40 * rate], rate).integrated_lufs
        )

    assert jingle_over_voice(b) > 8
    assert jingle_over_voice(a) < jingle_over_voice(b) - 8
    # The file on disk is not changed by a render.
    assert load_programme(path).timeline.tracks[0].clips[0].level_db == 0.0


def test_studio_level_says_what_it_measured_and_chose(home, bulletin, capsys):
    path, _ = bulletin
    assert run(["level", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    rows = {r["track"]: r for r in out["clips"]}
    assert rows["Nhạc hiệu"]["measure"] == "short_term_max"
    assert rows["Giọng đọc"]["target_lufs"] == out["speech_lufs"]
    assert rows["Nhạc nền"]["target_lufs"] == out["speech_lufs"] - 8
    assert rows["Nhạc nền"]["ducked"] and rows["Nhạc nền"]["auto_fade_s"] == 3.0
    for r in out["clips"]:
        assert r["measured_lufs"] + r["level_db"] == pytest.approx(r["target_lufs"], abs=0.01)
    # Switching a clip off and a track's ducking off is saved in the programme.
    assert run(["level", str(path), "--off", "1", "--duck", "Nhạc nền=off"]) == 0
    text = capsys.readouterr().out
    assert "Nhạc hiệu / jingle.wav: off" in text and "Saved" in text
    tl = load_programme(path).timeline
    assert tl.tracks[0].clips[0].auto_level is False
    assert tl.tracks[2].ducking.enabled is False and tl.tracks[2].clips[0].duck == ()
    assert run(["level", str(path), "--duck", "Không có=on"]) == 1
    assert "There is no track 'Không có'" in capsys.readouterr().err


def test_studio_level_even_out_writes_the_leveler_envelope(home, bulletin, capsys):
    path, _ = bulletin
    assert run(["level", str(path), "--even-out", "2", "--even-out", "1"]) == 0
    out = capsys.readouterr().out
    assert "Evened out 1 of 2 clip(s)" in out  # the 1.6 s jingle is too short
    tl = load_programme(path).timeline
    assert tl.tracks[1].clips[0].envelope and tl.tracks[0].clips[0].envelope == ()
    assert run(["level", str(path), "--even-out", "9"]) == 1
