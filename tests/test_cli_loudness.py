"""`studio loudness --json` and `studio check --json`, through the real CLI runner."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from audio.limiter import limit
from audio.loudness import measure
from studio.cli import run
from studio.paths import StudioHome
from tests.loudness_material import RATE, sequence, speech, write


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("STUDIO_LANG", "en")
    return StudioHome(tmp_path / "home")


@pytest.fixture(scope="module")
def broadcast_ready(tmp_path_factory):
    """Speech at −16 LUFS, limited to −1 dBTP, as a WAV file."""
    x = np.repeat(speech(20.0, seed=11), 2, axis=1)
    x = x * np.float32(10 ** ((-16 - measure(x, RATE).integrated_lufs) / 20))
    y = limit(x, RATE, -1.2)
    y = y * np.float32(10 ** ((-16 - measure(y, RATE).integrated_lufs) / 20))
    return write(tmp_path_factory.mktemp("cli") / "bản tin.wav", limit(y, RATE, -1.2))


def test_loudness_json_reports_every_field(tmp_path, home, capsys):
    f = write(tmp_path / "tone.wav", sequence((-23, 10)))
    missing = tmp_path / "missing.wav"
    assert run(["loudness", str(f), str(missing), "--json"], home) == 1  # one file failed
    out = json.loads(capsys.readouterr().out)
    r = out[0]
    for key in (
        "integrated_lufs",
        "true_peak_dbtp",
        "sample_peak_dbfs",
        "loudness_range_lu",
        "duration_s",
        "momentary_max_lufs",
        "short_term_max_lufs",
    ):
        assert isinstance(r[key], float), key
    assert r["integrated_lufs"] == pytest.approx(-23.0, abs=0.1)
    assert r["true_peak_dbtp"] == pytest.approx(-23.0, abs=0.1)
    assert r["duration_s"] == 10.0
    assert "error" in out[1] and out[1]["file"] == str(missing)


def test_loudness_of_silence_gives_nulls(tmp_path, home, capsys):
    f = write(tmp_path / "silence.wav", np.zeros((RATE * 4, 2), np.float32))
    assert run(["loudness", str(f), "--json"], home) == 0
    r = json.loads(capsys.readouterr().out)[0]
    assert r["integrated_lufs"] is None and r["true_peak_dbtp"] is None


def test_check_passes_a_broadcast_ready_file(broadcast_ready, home, capsys):
    code = run(["check", str(broadcast_ready), "--preset", "loa-truyen-thanh", "--json"], home)
    report = json.loads(capsys.readouterr().out)
    assert code == 0, report
    assert report["passed"] and report["preset"]["target_lufs"] == -16.0


def test_check_fails_with_nonzero_exit_and_saves_the_report(broadcast_ready, home, capsys):
    # The same file against EBU R128 (−23 LUFS) and a 10 s slot: two failing lines.
    code = run(
        ["check", str(broadcast_ready), "--preset", "ebu-r128", "--slot-seconds", "10", "--json",
         "--save"],
        home,
    )  # fmt: skip
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    failed = {c["check"] for c in report["checks"] if not c["passed"]}
    assert failed == {"integrated_loudness", "duration"}
    saved = broadcast_ready.with_name(broadcast_ready.name + ".report.json")
    assert json.loads(saved.read_text("utf-8"))["passed"] is False


def test_check_text_output_and_user_errors(broadcast_ready, home, capsys):
    assert run(["check", str(broadcast_ready)], home) == 0
    out = capsys.readouterr().out
    assert "Ready for broadcast." in out and "✓" in out
    assert run(["check", str(broadcast_ready), "--preset", "nope"], home) == 1
    assert "Unknown export preset" in capsys.readouterr().err
    assert run(["check", str(broadcast_ready) + ".missing"], home) == 1
    assert run(["check", str(broadcast_ready), "--preset", "custom", "--target-lufs", "-16"],
               home) == 0  # fmt: skip


def test_check_as_a_separate_process_in_vietnamese(broadcast_ready, tmp_path):
    env = {**os.environ, "STUDIO_LANG": "vi", "STUDIO_HOME": str(tmp_path / "h")}
    proc = subprocess.run(
        [sys.executable, "-m", "studio", "check", str(broadcast_ready), "--preset", "ebu-r128"],
        capture_output=True,
        text=True,
        env=env,
        cwd=os.getcwd(),
    )
    assert proc.returncode == 1, proc.stderr
    assert "KHÔNG ĐẠT" in proc.stdout and "Chưa sẵn sàng phát." in proc.stdout
