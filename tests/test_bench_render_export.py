"""The export benchmark runs end to end (tiny programme), so that it does not rot between runs.

No timing is asserted: the benchmark itself prints times and ratios.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "render_export.py"


def test_benchmark_runs_and_compares_with_ffmpeg():
    if shutil.which("ffmpeg") is None:
        if os.environ.get("CI"):
            pytest.fail("ffmpeg is part of the test packages and must be installed in CI")
        pytest.skip("ffmpeg not installed")
    out = subprocess.run(
        [sys.executable, str(BENCH), "--minutes", "0.1", "--tracks", "3", "--loudnorm"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert "studio export_master" in out and "ratio ffmpeg time / studio time" in out
    assert "(decoded 264600 frames, expected ≈ 264600)" in out  # 6 s at 44.1 kHz, exact
