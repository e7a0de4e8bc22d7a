"""The PyInstaller bundle builds and runs headless (imports, data files, migrations)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import noise, write_wav

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    pyinstaller = Path(sys.executable).with_name("pyinstaller")
    if not pyinstaller.exists():
        if os.environ.get("CI"):
            pytest.fail("pyinstaller is not installed")
        pytest.skip("pyinstaller is not installed")
    work = tmp_path_factory.mktemp("pyinstaller")
    proc = subprocess.run(
        [
            str(pyinstaller),
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(work / "dist"),
            "--workpath",
            str(work / "build"),
            str(ROOT / "studio.spec"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    exe = work / "dist" / "studio" / "studio"
    assert exe.exists()
    return exe


@pytest.mark.slow
def test_bundle_runs_the_cli(bundle, tmp_path):
    env = {
        **os.environ,
        "STUDIO_HOME": str(tmp_path / "home"),
        "STUDIO_LANG": "en",
        "QT_QPA_PLATFORM": "offscreen",
    }
    env.pop("PYTHONPATH", None)
    wav = write_wav(tmp_path / "tin.wav", noise(2.0, channels=1, amp=0.05))
    prog = tmp_path / "p.sttprog"

    def run(*args):
        proc = subprocess.run(
            [str(bundle), *map(str, args)],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=120,
        )
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    run("new", prog)
    run("add", prog, wav, "--track", "Giọng đọc")
    run("render", prog, "-o", tmp_path / "out.mp3")
    rows = json.loads(run("loudness", tmp_path / "out.mp3", "--json"))
    assert abs(rows[0]["duration_s"] - 2.0) < 0.03
    shutil.rmtree(tmp_path / "home")


@pytest.mark.slow
def test_bundle_opens_the_window_and_quits_cleanly(bundle, tmp_path):
    """`studio` with no arguments: the whole window (library, meters, outbox panels, the
    outbox sender) opens from the bundle and closes itself after STUDIO_QUIT_AFTER_MS."""
    home = tmp_path / "home"
    env = {
        **os.environ,
        "STUDIO_HOME": str(home),
        "QT_QPA_PLATFORM": "offscreen",
        "STUDIO_MAXIMISE": "0",
        "STUDIO_QUIT_AFTER_MS": "2500",
    }
    env.pop("PYTHONPATH", None)
    proc = subprocess.run(
        [str(bundle)], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    # the panels opened the embedded library (SQLite, migrated) in the studio home
    assert (home / "library.sqlite3").is_file(), sorted(home.rglob("*"))
