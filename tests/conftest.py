"""Shared fixtures. Qt runs offscreen; every test gets its own STUDIO_HOME under tmp_path."""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pytest
import soundfile as sf

from audio.media import MediaStore
from studio.paths import StudioHome

RATE = 48_000


@pytest.fixture(autouse=True)
def english_after_each_test():
    """A test that opened the (Vietnamese) window leaves the process language as it found
    it: the messages and Qt translators are process-wide."""
    yield
    from audio.errors import set_language

    set_language(None)
    if "PySide6.QtWidgets" in sys.modules:
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        if app is not None:
            from ui.looks import load_translations

            load_translations(app, "en")


@pytest.fixture(autouse=True)
def studio_home(tmp_path, monkeypatch, request) -> StudioHome:
    """Messages in English for the command line and the core (STUDIO_LANG=en). A test that
    drives widgets (it uses qtbot) runs without STUDIO_LANG, as a user's launch does: the
    window honours the variable over its language setting, so with it set every window
    test would see English. Such a test that wants English sets STUDIO_LANG=en itself."""
    home = tmp_path / "studio-home"
    monkeypatch.setenv("STUDIO_HOME", str(home))
    if "qtbot" in request.fixturenames:
        monkeypatch.delenv("STUDIO_LANG", raising=False)
    else:
        monkeypatch.setenv("STUDIO_LANG", "en")
    return StudioHome(home).ensure()


@pytest.fixture
def store(studio_home) -> MediaStore:
    return MediaStore(studio_home.media)


def tone(
    seconds: float, rate: int = RATE, freq: float = 440.0, amp: float = 0.5, channels: int = 1
):
    t = np.arange(int(round(seconds * rate))) / rate
    x = (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)
    return np.repeat(x[:, None], channels, axis=1)


def noise(seconds: float, rate: int = RATE, amp: float = 0.1, channels: int = 2, seed: int = 0):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((int(round(seconds * rate)), channels)) * amp).astype(np.float32)


def write_wav(path, data, rate=RATE, subtype="FLOAT"):
    sf.write(str(path), data, rate, subtype=subtype)
    return path


@pytest.fixture
def read_only_folder(tmp_path):
    """A folder nobody may write to — even root: a read-only tmpfs when running as root."""
    import subprocess

    folder = tmp_path / "read-only"
    folder.mkdir()
    if os.geteuid() == 0:
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(folder)], check=True
        )
        yield folder
        subprocess.run(["umount", str(folder)], check=True)
    else:
        folder.chmod(0o500)
        yield folder
        folder.chmod(0o700)


@pytest.fixture
def tiny_disk(tmp_path):
    """A 256 KiB tmpfs folder that fills up quickly (root only; skipped elsewhere unless CI)."""
    import subprocess

    if os.geteuid() != 0:
        if os.environ.get("CI"):
            pytest.fail("the full-disk test needs root to mount a tmpfs")
        pytest.skip("needs root to mount a tmpfs")
    folder = tmp_path / "tiny-disk"
    folder.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(folder)], check=True)
    yield folder
    subprocess.run(["umount", str(folder)], check=True)


def _require(available: bool, what: str) -> None:
    if not available:
        if os.environ.get("CI"):
            pytest.fail(f"{what} is missing under CI (scripts/run-tests.sh installs it)")
        pytest.skip(f"{what} is not available here")


@pytest.fixture
def openssh(tmp_path):
    """A real OpenSSH sshd on 127.0.0.1, started; key login as the test's own user
    (`tests/sshd.py`). `.stop()` / `.start()` take it down and up on the same port."""
    from tests.sshd import OpenSshServer, sshd_available

    _require(sshd_available(), "OpenSSH's sshd")
    server = OpenSshServer(tmp_path / "sshd")
    try:
        server.start()
        yield server
    finally:
        server.close()


@pytest.fixture
def openssh_password(tmp_path):
    """The same sshd with a throwaway account that logs in with a password
    (`.login`, `.password`, `.password_url()`, uploads in `.password_root`); removed after."""
    from tests.sshd import OpenSshServer, password_user_available

    _require(password_user_available(), "root with useradd/chpasswd and sshd")
    server = OpenSshServer(tmp_path / "sshd", password_user=True)
    try:
        server.start()
        yield server
    finally:
        server.close()
