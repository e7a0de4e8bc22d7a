"""Start-up benchmark: how long each way in takes, next to `python -c "import numpy"`.

    python bench/startup.py [--repeat 5]     # record needs the test device: source .ci/services.sh

Each figure is the median of --repeat fresh processes, timed from the moment the process is
started, with the reference (`python -c "import numpy"`, the floor of any command here) measured
in the same run, interleaved, so a busy machine slows both alike:

- `studio --help` (target < 0.4 s): the parser is a table, no command's machinery is imported;
- `studio loudness FILE` of a 5-second WAV (target < 1 s);
- the window's first paint (target < 2.5 s): `studio` with no command, in a studio home made by
  a first run that is not counted, until the main window receives its first paint event
  (offscreen unless DISPLAY is set);
- `studio record` (target < 1 s): until the take file holds its first recorded frames (after
  the 44-byte WAV header), from the `pulse` device.

CPU seconds are printed beside wall time: on a shared machine they show what a quiet one
would take (the first paint's and record's processes are still running when timed, so theirs
is not known).
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parents[1]

# Run `studio` (no command) and leave at the window's first paint event.
FIRST_PAINT = """
import os, sys
from PySide6.QtCore import QEvent, QObject
import ui.app

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            sys.stdout.write("painted\\n"); sys.stdout.flush()
            os._exit(0)
        return False

build = ui.app.build_window
def build_window(*args, **kwargs):
    window = build(*args, **kwargs)
    window._first_paint = FirstPaint(window)
    window.installEventFilter(window._first_paint)
    return window
ui.app.build_window = build_window

from studio.__main__ import main
sys.exit(main([]))
"""


def _env(home: Path) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "STUDIO_HOME": str(home), "STUDIO_LANG": "en"}
    env.setdefault("QT_QPA_PLATFORM", "offscreen" if not env.get("DISPLAY") else "xcb")
    env["STUDIO_MAXIMISE"] = "0"
    return env


def children_cpu() -> float:
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return kids.ru_utime + kids.ru_stime


def timed_run(
    args: list[str], env: dict[str, str], expect: str | None = None
) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run of `args`."""
    start, cpu = time.perf_counter(), children_cpu()
    proc = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0 or (expect and expect not in proc.stdout):
        raise SystemExit(f"{' '.join(args[:4])}… failed: {proc.stderr[-800:]}")
    return elapsed, children_cpu() - cpu


def timed_record(env: dict[str, str], folder: Path, i: int) -> tuple[float, float]:
    out = folder / f"take{i}.wav"
    args = [sys.executable, "-m", "studio", "record", str(out), "--duration", "3"]
    args += ["--device", "pulse"]
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        while time.perf_counter() - start < 30:
            if out.exists() and out.stat().st_size > 44:
                return time.perf_counter() - start, math.nan  # still running: no CPU figure
            if proc.poll() is not None:
                raise SystemExit(f"studio record failed: {proc.stderr.read().decode()[-800:]}")
            time.sleep(0.005)
        raise SystemExit("studio record wrote nothing in 30 s")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-record", action="store_true", help="skip `studio record` (no device)")
    args = ap.parse_args(argv)
    py = sys.executable
    with tempfile.TemporaryDirectory(prefix="studio-startup-") as tmp:
        folder = Path(tmp)
        wav = folder / "five.wav"
        rng = np.random.default_rng(1)
        sf.write(str(wav), (rng.standard_normal((5 * 48_000, 2)) * 0.1).astype(np.float32), 48_000)
        cases = {
            "studio --help": (0.4, lambda i: timed_run([py, "-m", "studio", "--help"], env(i))),
            "studio loudness (5 s WAV)": (
                1.0,
                lambda i: timed_run([py, "-m", "studio", "loudness", str(wav)], env(i), "LUFS"),
            ),
            "window first paint": (
                2.5,
                lambda i: timed_run([py, "-c", FIRST_PAINT], env(i), "painted"),
            ),
        }
        if not args.no_record:
            cases["studio record (first frames on disk)"] = (
                1.0,
                lambda i: timed_record(env(i), folder, i),
            )

        def env(i: int) -> dict[str, str]:
            return _env(folder / "home")  # one studio home, as a station's PC has

        # Not counted: warms the file cache and makes the home (database, folders) once.
        timed_run([py, "-c", "import numpy"], env(0))
        for name, (_target, run) in cases.items():
            run(-1 - list(cases).index(name))
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
        numpy_ref = []
        for i in range(args.repeat):
            numpy_ref.append(timed_run([py, "-c", "import numpy"], env(i)))
            for name, (_target, run) in cases.items():
                times[name].append(run(i))
        ref, ref_cpu = (statistics.median(x) for x in zip(*numpy_ref, strict=True))
        label = 'python -c "import numpy"'
        print(
            f"{label:38s} {ref:6.2f} s wall, {ref_cpu:5.2f} s CPU  (reference, median of "
            f"{args.repeat}; load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
        )
        failed = 0
        for name, (target, _run) in cases.items():
            t, cpu = (statistics.median(x) for x in zip(*times[name], strict=True))
            ok = t < target
            failed += not ok
            print(
                f"{name:38s} {t:6.2f} s wall, {cpu:5.2f} s CPU  {t / ref:5.1f}× numpy  "
                f"target < {target:g} s {'ok' if ok else 'MISSED'}"
            )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
