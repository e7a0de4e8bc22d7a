"""Files the studio writes get the usual mode (0666 less the umask: 0644 under umask 022),
not a private 0600: other users of the PC and a network share must be able to read an export."""

from __future__ import annotations

import os
import stat

import numpy as np
import pytest
import soundfile as sf

from audio.fileio import atomic_path, write_text_atomically
from studio.cli import run
from studio.paths import StudioHome

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


@pytest.fixture
def umask():
    old = os.umask(0o022)
    try:
        yield os.umask
    finally:
        os.umask(old)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_programme_export_and_report_are_0644_under_umask_022(tmp_path, umask):
    home = StudioHome(tmp_path / "home")
    wav = tmp_path / "giong-doc.wav"
    rng = np.random.default_rng(1)
    sf.write(str(wav), (rng.standard_normal((48_000 * 2, 1)) * 0.1).astype(np.float32), 48_000)
    prog = tmp_path / "ban-tin.sttprog"
    assert run(["new", str(prog), "--title", "Bản tin"], home) == 0
    assert run(["add", str(prog), str(wav), "--track", "Giọng"], home) == 0
    out = tmp_path / "ban-tin.mp3"
    assert run(["export", str(prog), "-o", str(out)], home) == 0
    report = out.with_name(out.name + ".report.json")
    assert {p.name: oct(mode(p)) for p in (prog, out, report)} == {
        p.name: "0o644" for p in (prog, out, report)
    }


def test_the_mode_follows_the_umask(tmp_path, umask):
    umask(0o027)
    folder = tmp_path / "out"
    folder.mkdir()
    write_text_atomically(folder / "a.json", "{}")
    with atomic_path(folder / "b.wav") as tmp:
        tmp.write_bytes(b"RIFF")
    assert mode(folder / "a.json") == mode(folder / "b.wav") == 0o640
    assert sorted(p.name for p in folder.iterdir()) == ["a.json", "b.wav"]  # no temp left
