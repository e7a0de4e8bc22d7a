"""The command line, run as a user would: a real process, real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from tests.conftest import RATE, noise, tone, write_wav

ROOT = Path(__file__).resolve().parents[1]


def studio(*args, lang="en", check=False, cwd=None):
    env = {**os.environ, "STUDIO_LANG": lang, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "studio", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
    )
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def test_assemble_render_and_measure(tmp_path):
    voice = write_wav(
        tmp_path / "giọng đọc.wav", noise(4.0, rate=44_100, amp=0.05, channels=1), 44_100
    )
    bed = write_wav(tmp_path / "nhạc nền.wav", tone(6.0, amp=0.3, channels=2))
    prog = tmp_path / "bản tin.sttprog"
    studio("new", prog, "--title", "Bản tin sáng", check=True)
    studio("add", prog, voice, "--track", "Giọng đọc", "--at", "1.5", check=True)
    studio(
        "add", prog, bed, "--track", "Nhạc", "--role", "music_bed", "--gain-db", "-15", check=True
    )
    saved = json.loads(prog.read_text("utf-8"))
    assert [t["name"] for t in saved["tracks"]] == ["Giọng đọc", "Nhạc"]
    assert saved["tracks"][0]["clips"][0]["start"] == int(1.5 * RATE)
    assert saved["tracks"][1]["clips"][0]["gain_db"] == -15.0
    out = tmp_path / "Bản tin.mp3"
    done = studio("render", prog, "-o", out, "--target-lufs", "-18", "--bitrate", "96", check=True)
    assert "Wrote" in done.stdout
    measured = studio("loudness", out, voice, "--json", check=True)
    rows = json.loads(measured.stdout)
    assert set(rows[0]) >= {
        "integrated_lufs",
        "true_peak_dbtp",
        "sample_peak_dbfs",
        "loudness_range_lu",
        "duration_s",
    }
    assert rows[0]["duration_s"] == pytest.approx(6.0, abs=1152 / 44_100)
    assert rows[0]["integrated_lufs"] < -15  # at or under the target: the peak ceiling may hold it
    assert rows[1]["duration_s"] == pytest.approx(4.0, abs=1e-3)
    info = sf.info(str(out))
    assert info.samplerate == 44_100 and info.channels == 1


def test_errors_are_one_line_in_the_users_language(tmp_path):
    missing = tmp_path / "không có.sttprog"
    for lang, word in (("en", "Cannot open"), ("vi", "Không mở được")):
        proc = studio("render", missing, "-o", tmp_path / "x.mp3", lang=lang)
        assert proc.returncode == 1
        assert word in proc.stderr
        assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_bad_audio_and_bad_programme(tmp_path):
    prog = tmp_path / "p.sttprog"
    studio("new", prog, check=True)
    junk = tmp_path / "junk.wav"
    junk.write_bytes(b"RIFF\x00\x00garbage" * 10)
    proc = studio("add", prog, junk, "--track", "A")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert json.loads(prog.read_text("utf-8"))["tracks"] == []  # nothing half-added
    future = tmp_path / "future.sttprog"
    future.write_text(json.dumps({"format": "studio-truyen-thanh/programme", "version": 99}))
    proc = studio("render", future, "-o", tmp_path / "x.mp3", lang="vi")
    assert proc.returncode == 1 and "phiên bản mới hơn" in proc.stderr
    empty = tmp_path / "empty.sttprog"
    studio("new", empty, check=True)
    proc = studio("render", empty, "-o", tmp_path / "x.mp3")
    assert proc.returncode == 1 and "empty" in proc.stderr
    proc = studio("new", prog)
    assert proc.returncode == 1 and "already exists" in proc.stderr


def test_loudness_of_silence_and_of_a_broken_file(tmp_path):
    silence = write_wav(tmp_path / "silence.wav", np.zeros((RATE, 2), np.float32))
    broken = tmp_path / "broken.mp3"
    broken.write_bytes(b"")
    proc = studio("loudness", silence, broken, "--json")
    assert proc.returncode == 1  # one file failed
    rows = json.loads(proc.stdout)
    assert rows[0]["integrated_lufs"] is None and rows[0]["duration_s"] == 1.0
    assert "error" in rows[1]


def test_usage_error_is_not_a_traceback():
    proc = studio("render")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    # one line: what is wrong and where help is, not the whole usage
    assert proc.stderr.strip().splitlines() == [
        "studio export: the following arguments are required: programme (see studio export --help)"
    ]
