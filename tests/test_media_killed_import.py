"""A media import killed midway (power cut) leaves only a ".part" file, and the next start of
the media store removes it, as ExportService does for exports."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import soundfile as sf

from audio.media import MediaStore

ROOT = Path(__file__).resolve().parents[1]

KILL_MIDWAY = """
import os, signal, sys
from audio.media import MediaStore

def progress(fraction):
    if fraction > 0.5:  # half the file is in the store's temporary file: the power goes
        os.kill(os.getpid(), signal.SIGKILL)

MediaStore(sys.argv[1]).import_file(sys.argv[2], 48_000, progress)
"""


def test_a_killed_imports_part_file_is_removed_on_the_next_start(tmp_path):
    wav = tmp_path / "phong-van.wav"
    rng = np.random.default_rng(5)
    sf.write(str(wav), (rng.standard_normal((44_100 * 20, 2)) * 0.1).astype(np.float32), 44_100)
    media = tmp_path / "media"
    proc = subprocess.run(
        [sys.executable, "-c", KILL_MIDWAY, str(media), str(wav)],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode == -9, proc.stderr
    parts = list(media.glob("*/.*.part"))
    assert len(parts) == 1 and parts[0].stat().st_size > 0
    assert not list(media.glob("*/*.json")), "no entry for a half import"

    # A part file an import is writing right now (another window) is left alone …
    MediaStore(media)
    assert parts[0].exists()
    # … one untouched for hours is a killed import's: the next start removes it.
    old = time.time() - 7 * 3600
    os.utime(parts[0], (old, old))
    store = MediaStore(media)
    assert not parts[0].exists()
    info = store.import_file(wav, 48_000)  # and the file imports in full
    assert info.frames == 48_000 * 20 and not list(media.glob("*/.*.part"))
