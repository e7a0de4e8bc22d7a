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


@pytest.mark.slow
def test_bundle_self_test_passes(bundle, tmp_path):
    """`studio --self-test` from the bundle: window offscreen, devices, render + encode + read
    back, library database, keyring — each OK, exit 0."""
    env = {**os.environ, "STUDIO_LANG": "en", "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PYTHONPATH", None)
    env["STUDIO_HOME"] = str(tmp_path / "home")
    proc = subprocess.run(
        [str(bundle), "--self-test"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr[-3000:]
    assert proc.stdout.count("[OK  ]") == 5, proc.stdout
    assert "Result: all checks passed." in proc.stdout
    assert not (tmp_path / "home").exists()  # the self-test used a home of its own


def test_bundle_carries_what_the_app_needs_and_not_the_rest(bundle):
    inside = bundle.parent / "_internal"
    names = {p.relative_to(inside).as_posix() for p in inside.rglob("*")}
    # the app's resources: translations, styles, the icons, the templates, the user guide
    for needed in (
        "resources/translations/studio_vi.qm",
        "resources/translations/qtbase_vi.qm",  # Qt ships no Vietnamese: ours
        "resources/styles/light.qss",
        "resources/icons/app/studio.ico",
        "resources/icons/app/studio-256.png",
        "resources/templates/ban-tin-sang.json",
        "resources/icons/toolbar/play.svg",
        "resources/guide/index.html",
        "resources/guide/images/cua-so.png",
        "studio/migrations/env.py",
    ):
        assert needed in names, needed
    plugins = {n for n in names if "/plugins/" in n and n.endswith((".so", ".dll"))}
    assert any("/platforms/libqoffscreen" in n for n in plugins)
    assert any("/platforms/libqxcb" in n for n in plugins)
    assert any("/iconengines/libqsvgicon" in n for n in plugins)
    # dropped: Qt modules and plugins the app does not use, and what they drag in
    for dropped in ("platformthemes", "wayland", "egldeviceintegrations", "tls", "networkinfo"):
        assert not any(f"/plugins/{dropped}" in n for n in plugins), dropped
    assert not any("libgtk-3" in n or "QtNetwork" in n for n in names)
    assert not any(n.startswith("PySide6/Qt/translations/") for n in names)
    assert not any(n.startswith(("_pytest", "pytest")) for n in names)


def test_icon_files_come_from_the_svg(tmp_path):
    """scripts/make-icons.py renders the committed SVG into an ICO with every Windows size."""
    import struct

    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make-icons.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    for ico in (tmp_path / "studio.ico", ROOT / "resources" / "icons" / "app" / "studio.ico"):
        data = ico.read_bytes()
        reserved, kind, count = struct.unpack("<HHH", data[:6])
        assert (reserved, kind) == (0, 1)
        sizes = set()
        for i in range(count):
            w, h, _, _, _, _, size, offset = struct.unpack(
                "<BBBBHHII", data[6 + 16 * i : 22 + 16 * i]
            )
            assert data[offset : offset + 8] == b"\x89PNG\r\n\x1a\n"
            assert offset + size <= len(data)
            sizes.add(w or 256)
        assert {16, 24, 32, 48, 256} <= sizes
    assert (tmp_path / "studio-256.png").read_bytes()[:4] == b"\x89PNG"
