"""Audio devices: host APIs, input/output devices, their channels, and the remembered choice.

A device is named by its PortAudio name (stable across restarts, unlike its index) plus the
host API it belongs to (on Windows the same microphone appears under MME, DirectSound and
WASAPI). When the remembered device is gone, `choose_input` falls back to the default and
says so in both languages, so the window can show the reason instead of failing.
"""

from __future__ import annotations

from dataclasses import dataclass

import sounddevice as sd

from audio.errors import StudioError

SUPPORTED_RATES = (48_000, 44_100)


@dataclass(frozen=True, slots=True)
class Device:
    index: int
    name: str
    host_api: str
    max_input_channels: int
    max_output_channels: int
    default_rate: float
    is_default_input: bool = False
    is_default_output: bool = False

    @property
    def label(self) -> str:
        return f"{self.name} ({self.host_api})"


@dataclass(frozen=True, slots=True)
class InputChoice:
    """What the recorder opens: a device, a rate and which of its channels feed the take."""

    device: Device
    rate: int
    channels: tuple[int, ...]  # zero-based device input channels, e.g. (0,) = left only
    fallback_reason: StudioError | None = None  # set when the remembered device was not found

    @property
    def open_channels(self) -> int:
        """Channels to open on the device: enough to reach the highest one selected."""
        return max(self.channels) + 1


def refresh() -> None:
    """Re-scan devices (PortAudio only sees hot-plugged devices after a re-initialisation).

    Must not be called while a stream is open.
    """
    sd._terminate()
    sd._initialize()


def host_apis() -> list[str]:
    return [api["name"] for api in sd.query_hostapis()]


def list_devices() -> list[Device]:
    apis = sd.query_hostapis()
    out = []
    for index, d in enumerate(sd.query_devices()):
        api = apis[d["hostapi"]]
        out.append(
            Device(
                index=index,
                name=d["name"],
                host_api=api["name"],
                max_input_channels=int(d["max_input_channels"]),
                max_output_channels=int(d["max_output_channels"]),
                default_rate=float(d["default_samplerate"]),
                is_default_input=api.get("default_input_device") == index,
                is_default_output=api.get("default_output_device") == index,
            )
        )
    return out


def input_devices(host_api: str | None = None) -> list[Device]:
    return [
        d
        for d in list_devices()
        if d.max_input_channels > 0 and (not host_api or d.host_api == host_api)
    ]


def output_devices(host_api: str | None = None) -> list[Device]:
    return [
        d
        for d in list_devices()
        if d.max_output_channels > 0 and (not host_api or d.host_api == host_api)
    ]


def _not_found(name: str | int, kind: str) -> StudioError:
    kind_vi = "thu âm" if kind == "input" else "phát âm thanh"
    return StudioError(
        f"The {kind} device '{name}' was not found. Check that it is plugged in, or choose "
        "another device.",
        f"Không tìm thấy thiết bị {kind_vi} '{name}'. Hãy kiểm tra thiết bị đã cắm chưa, "
        "hoặc chọn thiết bị khác.",
    )


def _no_device(kind: str) -> StudioError:
    kind_vi = "thu âm" if kind == "input" else "phát âm thanh"
    return StudioError(
        f"No {kind} device is available on this computer.",
        f"Máy tính không có thiết bị {kind_vi} nào.",
    )


def find_device(name: str | int | None, kind: str = "input", host_api: str | None = None) -> Device:
    """The device called `name` (exact, then case-insensitive substring) or numbered `name`.

    None or "" means the system default. Raises a bilingual StudioError when there is none.
    """
    candidates = input_devices(host_api) if kind == "input" else output_devices(host_api)
    if name is None or name == "":
        for d in candidates:
            if d.is_default_input if kind == "input" else d.is_default_output:
                return d
        try:
            default_index = sd.default.device[0 if kind == "input" else 1]
        except (TypeError, IndexError):
            default_index = -1
        for d in candidates:
            if d.index == default_index:
                return d
        if candidates:
            return candidates[0]
        raise _no_device(kind)
    if isinstance(name, int) or (isinstance(name, str) and name.isdigit()):
        for d in candidates:
            if d.index == int(name):
                return d
        raise _not_found(name, kind)
    for d in candidates:
        if d.name == name:
            return d
    lowered = name.lower()
    for d in candidates:
        if lowered in d.name.lower():
            return d
    raise _not_found(name, kind)


def choose_input(
    host_api: str = "",
    device: str = "",
    rate: int = 48_000,
    channels: tuple[int, ...] | list[int] = (0,),
) -> InputChoice:
    """Resolve a remembered input choice, falling back to the default input device.

    Channels beyond what the device offers are dropped (falling back to its first channel);
    an unsupported rate falls back to 48 kHz. `fallback_reason` tells the user what changed.
    Raises StudioError only when the computer has no input device at all.
    """
    reason = None
    try:
        chosen = find_device(device or None, "input", host_api or None)
    except StudioError as exc:
        reason = exc
        try:
            chosen = find_device(None, "input", host_api or None)
        except StudioError:
            chosen = find_device(None, "input", None)
        if device:
            reason = StudioError(
                f"The input device '{device}' is not connected; using '{chosen.name}' instead.",
                f"Thiết bị thu âm '{device}' không còn kết nối; đang dùng '{chosen.name}' thay thế.",
            )
    chans = tuple(c for c in channels if 0 <= c < chosen.max_input_channels) or (0,)
    if rate not in SUPPORTED_RATES:
        rate = 48_000
    return InputChoice(chosen, rate, chans, reason)


def choice_from_settings(settings) -> InputChoice:
    """The input the user chose last time (studio.settings.Settings-like `get`)."""
    return choose_input(
        settings.get("input_host_api"),
        settings.get("input_device"),
        settings.get("input_rate"),
        tuple(settings.get("input_channels")),
    )


def remember_choice(settings, choice: InputChoice) -> None:
    """Store `choice` in settings (the caller saves them)."""
    settings.set("input_host_api", choice.device.host_api)
    settings.set("input_device", choice.device.name)
    settings.set("input_rate", int(choice.rate))
    settings.set("input_channels", list(choice.channels))


def stream_error(exc: Exception, device: str, kind: str = "input") -> StudioError:
    """A bilingual error for a device that PortAudio could not open."""
    kind_vi = "thu âm" if kind == "input" else "phát âm thanh"
    return StudioError(
        f"Cannot open the {kind} device '{device}': {exc}. Check that it is plugged in and "
        "not used by another program.",
        f"Không mở được thiết bị {kind_vi} '{device}': {exc}. Hãy kiểm tra thiết bị đã cắm "
        "và không bị chương trình khác chiếm.",
    )
