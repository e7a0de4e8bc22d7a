"""Helpers for tests that need the real virtual PulseAudio device (see .ci/services.sh)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import numpy as np
import pytest


def pulse_available() -> bool:
    if shutil.which("pactl") is None:
        return False
    if subprocess.run(["pactl", "info"], capture_output=True).returncode != 0:
        return False
    import sounddevice as sd

    return any(d["name"] == "pulse" for d in sd.query_devices())


def require_pulse() -> None:
    """Skip without the device, unless CI is set: then its absence is a failure."""
    if pulse_available():
        return
    if os.environ.get("CI"):
        pytest.fail("the virtual PulseAudio device is missing (source .ci/services.sh)")
    pytest.skip("no PulseAudio test device (source .ci/services.sh)")


class InputCapture:
    """A plain sounddevice InputStream that keeps everything it hears from `device`."""

    def __init__(self, device="pulse", rate=48_000, channels=2):
        import sounddevice as sd

        self.blocks: list[np.ndarray] = []
        self.overflows = 0

        def callback(indata, frames, t, status):
            self.overflows += bool(status.input_overflow)
            self.blocks.append(indata.copy())

        self.stream = sd.InputStream(
            device=device,
            samplerate=rate,
            channels=channels,
            dtype="float32",
            latency=0.1,
            callback=callback,
        )

    def __enter__(self) -> InputCapture:
        self.stream.start()
        deadline = time.monotonic() + 5
        while len(self.blocks) < 3 and time.monotonic() < deadline:
            time.sleep(0.01)  # a PulseAudio stream takes up to ~1.5 s to start delivering
        return self

    def __exit__(self, *exc) -> None:
        self.stream.stop()
        self.stream.close()

    def audio(self) -> np.ndarray:
        return np.concatenate(self.blocks) if self.blocks else np.zeros((0, 2), np.float32)


def find_lag(recorded: np.ndarray, reference: np.ndarray) -> tuple[int, float]:
    """(lag, normalised correlation) of `reference` in `recorded` (1-D arrays); the correlation
    is taken over the part of `reference` that the recording holds."""
    from scipy.signal import correlate

    recorded = np.asarray(recorded, np.float64)
    reference = np.asarray(reference, np.float64)
    c = correlate(recorded, reference, mode="full", method="fft")
    lag = int(np.argmax(np.abs(c))) - (len(reference) - 1)
    lo, hi = max(lag, 0), min(lag + len(reference), len(recorded))
    if hi <= lo:
        return lag, 0.0
    seg = recorded[lo:hi]
    ref = reference[lo - lag : hi - lag]
    norm = np.sqrt(np.dot(seg, seg) * np.dot(ref, ref))
    return lag, float(np.dot(seg, ref) / norm) if norm else 0.0
