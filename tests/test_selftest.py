"""`studio --self-test` from the source tree (the bundle's run is in test_packaging.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from audio.errors import StudioError
from studio import selftest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.audio_device
def test_self_test_from_the_source_tree_passes_and_leaves_no_trace(tmp_path, studio_home):
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "STUDIO_LANG": "en",
        "TMPDIR": str(temp),
        # a shared library the self-test must never touch (it would fail to connect)
        "STUDIO_LIBRARY_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none",
    }
    before = sorted(p.name for p in studio_home.root.rglob("*"))
    proc = subprocess.run(
        [sys.executable, "-m", "studio", "--self-test"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    for title in (
        "Main window",
        "Audio devices",
        "Render, encode, read back",
        "Library database",
        "Password store (keyring)",
    ):
        line = next(line for line in out.splitlines() if title in line)
        assert "[OK  ]" in line, out
    assert "read back 1.000 s" in out
    assert "migrated to 0" in out
    assert "Result: all checks passed." in out
    assert "Traceback" not in proc.stderr
    # the user's studio home is untouched and the temporary one is gone
    assert sorted(p.name for p in studio_home.root.rglob("*")) == before
    assert list(temp.iterdir()) == []


def test_a_failing_check_gives_its_reason_and_a_non_zero_exit(monkeypatch, capsys):
    def broken_keyring(home):
        raise StudioError("no keyring here", "không có keyring")

    def broken_window(home):
        raise RuntimeError("no screen\nsecond line")

    monkeypatch.setattr(selftest, "check_keyring", broken_keyring)
    monkeypatch.setattr(selftest, "check_render", lambda home: "rendered")
    monkeypatch.setattr(selftest, "check_devices", lambda home: "2 devices")
    assert selftest.main(broken_window) == 1
    out, err = capsys.readouterr()
    assert "[FAIL] Password store (keyring): no keyring here" in out
    assert "[FAIL] Main window: RuntimeError: no screen (" in out
    assert "[OK  ] Library database" in out
    assert "Result: FAILED (2 of 5 checks)." in out
    assert "no keyring here" in err and "Traceback" not in out + err


def test_without_qt_the_window_check_is_skipped_not_failed(monkeypatch, capsys):
    monkeypatch.setattr(selftest, "check_keyring", lambda home: "ok")
    monkeypatch.setattr(selftest, "check_render", lambda home: "ok")
    report = selftest.run_self_test(None)
    window = report.results[0]
    assert window.skipped and "Qt is not installed" in window.detail
    assert report.ok


def test_the_temporary_home_is_removed_and_the_environment_restored(monkeypatch):
    monkeypatch.setenv("STUDIO_LIBRARY_URL", "sqlite:///elsewhere.sqlite3")
    outer = os.environ["STUDIO_HOME"]
    with selftest.temporary_home() as home:
        assert os.environ["STUDIO_HOME"] == str(home)
        assert "STUDIO_LIBRARY_URL" not in os.environ
        (home / "x").write_text("x")
    assert not home.exists()
    assert os.environ["STUDIO_HOME"] == outer
    assert os.environ["STUDIO_LIBRARY_URL"] == "sqlite:///elsewhere.sqlite3"
