"""Choosing the microphone and checking its level, as the first-start wizard does it.

`audio_devices()` lists what the window may offer (plain values, no PortAudio objects);
`InputCheck` opens the chosen input with live meters (the recorder's, read by a GUI timer)
and records the user's reading of one sentence to a temporary take, which
`studio.level_check.check_reading` then judges. Nothing is kept: the take is deleted.
"""

from __future__ import annotations

import contextlib
import math
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from audio.errors import StudioError
from studio.level_check import ReadingCheck, check_reading

RATE = 48_000


@dataclass(frozen=True, slots=True)
class AudioDevice:
    name: str
    host_api: str
    inputs: int
    outputs: int
    is_default_input: bool
    is_default_output: bool

    @property
    def label(self) -> str:
        return f"{self.name} ({self.host_api})"


def audio_devices() -> list[AudioDevice]:
    """Every device PortAudio sees (rescanned, so a mixer plugged in just now is listed).

    Raises StudioError when PortAudio itself cannot be loaded."""
    from audio import devices

    try:
        devices.refresh()
        found = devices.list_devices()
    except OSError as exc:
        raise StudioError(
            f"The sound system could not be opened ({exc}).",
            f"Không mở được hệ thống âm thanh ({exc}).",
        ) from exc
    return [
        AudioDevice(
            d.name,
            d.host_api,
            d.max_input_channels,
            d.max_output_channels,
            d.is_default_input,
            d.is_default_output,
        )
        for d in found
    ]


def preferred_host_api(apis: list[str]) -> str:
    """The host API to offer first: WASAPI on Windows (the same names as the Sound settings,
    low latency), else MME, else whatever comes first (ALSA, Core Audio)."""
    for name in ("Windows WASAPI", "MME"):
        if name in apis:
            return name
    return apis[0] if apis else ""


class InputCheck:
    """An open input with meters and a reading recorder. GUI thread only."""

    def __init__(self, device: str = "", host_api: str = "", channels: tuple[int, ...] = (0,)):
        from audio import devices
        from audio.recording import Recorder

        self.choice = devices.choose_input(host_api, device, RATE, channels)
        self._recorder = Recorder(self.choice)
        self._folder = Path(tempfile.mkdtemp(prefix="studio-level-check-"))
        self._reading: Path | None = None
        self._opened = False

    @property
    def device_name(self) -> str:
        return self.choice.device.name

    @property
    def channels(self) -> int:
        """How many input channels the device offers (for a channel chooser)."""
        return self.choice.device.max_input_channels

    def open(self) -> None:
        """Open the device and start metering (StudioError when it cannot be opened)."""
        self._recorder.open()
        self._opened = True

    def levels_dbfs(self) -> tuple[tuple[float | None, ...], bool]:
        """Peak per selected channel since the last call, in dBFS (None: silence), and whether
        any channel clipped lately."""
        if not self._opened:
            return (), False
        levels = self._recorder.levels()
        peaks = tuple(20 * math.log10(p) if p > 1e-6 else None for p in levels.peaks)
        return peaks, any(levels.clipped)

    @property
    def error(self) -> StudioError | None:
        """Set when the device stopped by itself (unplugged)."""
        return self._recorder.error

    def start_reading(self) -> None:
        if not self._opened:
            self.open()
        self._reading = self._folder / f"reading-{time.monotonic_ns()}.wav"
        self._recorder.start_take(self._reading)

    @property
    def reading_seconds(self) -> float:
        take = self._recorder.take
        return take.duration_s if take is not None else 0.0

    def finish_reading(self) -> ReadingCheck:
        """Stop recording the reading and judge it."""
        import soundfile as sf

        take = self._recorder.stop_take()
        path, self._reading = self._reading, None
        if take is None or path is None or not path.exists():
            raise StudioError("Nothing was recorded.", "Chưa thu được gì.")
        try:
            frames, rate = sf.read(str(path), dtype="float32", always_2d=True)
        finally:
            with contextlib.suppress(OSError):
                path.unlink()
        return check_reading(frames, rate)

    def close(self) -> None:
        with contextlib.suppress(StudioError):
            self._recorder.close()
        self._opened = False
        for p in self._folder.glob("*"):
            with contextlib.suppress(OSError):
                p.unlink()
        with contextlib.suppress(OSError):
            self._folder.rmdir()


def play_test_tone(output_device: str = "", seconds: float = 1.5) -> None:
    """Play a short chime on `output_device` ("" = the system default) without waiting.

    Raises StudioError when the device cannot be opened."""
    import numpy as np
    import sounddevice as sd

    from audio import devices

    device = devices.find_device(output_device or None, "output")
    t = np.arange(int(seconds * RATE)) / RATE
    tone = sum(np.sin(2 * np.pi * f * t) for f in (523.25, 659.25, 783.99)) / 3
    tone *= np.exp(-t * 2.5) * np.minimum(1.0, t / 0.01) * 0.3
    try:
        sd.play(np.repeat(tone[:, None], 2, axis=1).astype(np.float32), RATE, device=device.index)
    except (sd.PortAudioError, ValueError) as exc:
        raise devices.stream_error(exc, device.name, "output") from exc
