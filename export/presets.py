"""Export presets: the one model of what an export makes and what its check demands.

A preset holds the encoding (format, MP3 bitrate, channels, rate), the loudness target and
true-peak ceiling the master is normalised to, and the limits of the broadcast-ready check
(tolerance, loudness range, dead air, mono loss). It is validated once, when it is made
(`ExportPreset.__post_init__`): every value that can reach an export passes through here, so
the encoder, the limiter and the check may assume valid values.

It lives in `export/` and not in `studio/` because the renderer (`export.master`) and the
check (`export.check`) take it, and `export` never imports `studio`. The studio layer keeps
which preset the user chose in the settings and lists them (`studio.exporting`).

Names: one set, plain words (`loudspeaker`, `province`, `ebu-r128`, `archive-wav`,
`archive-flac`). The names of earlier releases (`loa-truyen-thanh`, `loa`, …) are accepted as
aliases, so old commands, scripts and settings files still work.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace

from audio.errors import StudioError

FORMATS = ("mp3", "wav", "flac")
MP3_BITRATES_KBPS = (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192)  # LAME CBR, MPEG-1
RATES = (44_100, 48_000)
TARGET_RANGE_LUFS = (-40.0, -5.0)
CEILING_RANGE_DBTP = (-12.0, 0.0)


def _err(en: str, vi: str) -> StudioError:
    return StudioError(en, vi)


def _number(value, what_en: str, what_vi: str) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise _err(f"{what_en} must be a number.", f"{what_vi} phải là một số.") from None
    if not math.isfinite(x):
        raise _err(f"{what_en} must be a number.", f"{what_vi} phải là một số.")
    return x


@dataclass(frozen=True, slots=True)
class ExportPreset:
    """What one export makes and how its result is judged. Immutable; made valid or not at all.

    `normalise=False` exports at the mix's own loudness (the limiter still holds the ceiling);
    `target_lufs` is then only what the check compares against.
    """

    name: str
    title_en: str = ""
    title_vi: str = ""
    format: str = "mp3"
    bitrate_kbps: int = 64  # MP3 only
    channels: int = 1
    rate: int = 44_100
    target_lufs: float = -16.0
    ceiling_dbtp: float = -1.0
    normalise: bool = True
    tolerance_lu: float = 0.5  # EBU R128's ±0.5 LU for file-based programmes
    max_lra_lu: float = 15.0  # a wider loudness range is hard to follow on a loudspeaker
    max_silence_s: float = 5.0  # dead air longer than this fails the check
    silence_threshold_lufs: float = -60.0  # momentary loudness under this counts as silence
    max_mono_loss_db: float = 3.0  # stereo summed to mono may lose at most this much
    ascii_file_name: bool = False  # for systems that cannot take diacritics in file names

    def __post_init__(self) -> None:
        set_ = object.__setattr__  # frozen: normalise types once, here
        if not isinstance(self.name, str) or not self.name.strip():
            raise _err("A preset needs a name.", "Mẫu xuất cần có tên.")
        set_(self, "name", self.name.strip().lower())
        if self.format not in FORMATS:
            raise _err(
                f"Unknown output format '{self.format}' (use mp3, wav or flac).",
                f"Định dạng xuất '{self.format}' không hợp lệ (dùng mp3, wav hoặc flac).",
            )
        if self.channels not in (1, 2) or isinstance(self.channels, bool):
            raise _err(
                f"Channels must be 1 or 2, not {self.channels}.",
                f"Số kênh phải là 1 hoặc 2, không phải {self.channels}.",
            )
        if self.rate not in RATES or isinstance(self.rate, bool):
            raise _err(
                f"Sample rate must be 44100 or 48000 Hz, not {self.rate}.",
                f"Tần số lấy mẫu phải là 44100 hoặc 48000 Hz, không phải {self.rate}.",
            )
        if self.format == "mp3" and (
            self.bitrate_kbps not in MP3_BITRATES_KBPS or isinstance(self.bitrate_kbps, bool)
        ):
            allowed = ", ".join(map(str, MP3_BITRATES_KBPS))
            raise _err(
                f"MP3 bitrate {self.bitrate_kbps} kbps is not possible (use {allowed}).",
                f"Tốc độ bit MP3 {self.bitrate_kbps} kbps không dùng được (dùng {allowed}).",
            )
        target = _number(self.target_lufs, "The target loudness", "Độ lớn mục tiêu")
        lo, hi = TARGET_RANGE_LUFS
        if not lo <= target <= hi:
            raise _err(
                f"The target loudness must lie between −40 and −5 LUFS, not {target:g}.",
                f"Độ lớn mục tiêu phải trong khoảng −40 đến −5 LUFS, không phải {target:g}.",
            )
        ceiling = _number(self.ceiling_dbtp, "The true-peak ceiling", "Ngưỡng đỉnh thực")
        lo, hi = CEILING_RANGE_DBTP
        if not lo <= ceiling <= hi:
            raise _err(
                f"The true-peak ceiling must lie between −12 and 0 dBTP, not {ceiling:g}.",
                f"Ngưỡng đỉnh thực phải trong khoảng −12 đến 0 dBTP, không phải {ceiling:g}.",
            )
        set_(self, "target_lufs", target)
        set_(self, "ceiling_dbtp", ceiling)
        limits = (
            ("tolerance_lu", 0.1, 10.0, "The loudness tolerance", "Dung sai độ lớn", "LU"),
            ("max_lra_lu", 1.0, 40.0, "The loudness range limit", "Giới hạn dải độ lớn", "LU"),
            ("max_silence_s", 0.5, 600.0, "The dead-air limit", "Giới hạn khoảng lặng", "s"),
            ("silence_threshold_lufs", -90.0, -20.0, "The silence threshold",
             "Ngưỡng khoảng lặng", "LUFS"),
            ("max_mono_loss_db", 0.0, 40.0, "The mono-loss limit",
             "Giới hạn suy giảm khi gộp về một kênh", "dB"),
        )  # fmt: skip
        for key, lo, hi, en, vi, unit in limits:
            x = _number(getattr(self, key), en, vi)
            if not lo <= x <= hi:
                raise _err(
                    f"{en} must lie between {lo:g} and {hi:g} {unit}, not {x:g}.",
                    f"{vi} phải trong khoảng {lo:g} đến {hi:g} {unit}, không phải {x:g}.",
                )
            set_(self, key, x)
        set_(self, "normalise", bool(self.normalise))
        set_(self, "ascii_file_name", bool(self.ascii_file_name))

    @property
    def extension(self) -> str:
        return self.format

    def title(self, lang: str) -> str:
        text = self.title_vi if lang == "vi" else self.title_en
        return text or self.name

    def with_changes(self, **changes) -> ExportPreset:
        """A copy with some values changed, validated again (StudioError if one is bad)."""
        return replace(self, **changes)

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: dict) -> ExportPreset:
        """A preset from settings or JSON; unknown keys are ignored, bad values refused."""
        if not isinstance(data, dict):
            raise _err("A preset must be a JSON object.", "Mẫu xuất phải là một đối tượng JSON.")
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


LOUDSPEAKER = ExportPreset(
    "loudspeaker",
    "Loudspeaker network (MP3 64 kbps mono, −16 LUFS)",
    "Loa truyền thanh (MP3 64 kbps một kênh, −16 LUFS)",
    ascii_file_name=True,  # many head-end players show "?" or refuse names with diacritics
)
PROVINCE = ExportPreset(
    "province",
    "Provincial source-information system (MP3 128 kbps stereo, −16 LUFS)",
    "Hệ thống thông tin nguồn tỉnh (MP3 128 kbps hai kênh, −16 LUFS)",
    bitrate_kbps=128,
    channels=2,
    ascii_file_name=True,
)
EBU_R128 = ExportPreset(
    "ebu-r128",
    "EBU R128 broadcast (MP3 128 kbps stereo 48 kHz, −23 LUFS)",
    "EBU R128 phát sóng (MP3 128 kbps hai kênh 48 kHz, −23 LUFS)",
    bitrate_kbps=128,
    channels=2,
    rate=48_000,
    target_lufs=-23.0,
    max_lra_lu=20.0,
)
ARCHIVE_WAV = ExportPreset(
    "archive-wav",
    "Archive (WAV 48 kHz stereo, −16 LUFS)",
    "Lưu trữ (WAV 48 kHz hai kênh, −16 LUFS)",
    format="wav",
    channels=2,
    rate=48_000,
)
ARCHIVE_FLAC = ExportPreset(
    "archive-flac",
    "Archive (FLAC 48 kHz stereo, −16 LUFS)",
    "Lưu trữ (FLAC 48 kHz hai kênh, −16 LUFS)",
    format="flac",
    channels=2,
    rate=48_000,
)

PRESETS: dict[str, ExportPreset] = {
    p.name: p for p in (LOUDSPEAKER, PROVINCE, EBU_R128, ARCHIVE_WAV, ARCHIVE_FLAC)
}
# Names of earlier releases (the loudness presets and the CLI's first names).
ALIASES: dict[str, str] = {
    "loa-truyen-thanh": "loudspeaker",
    "loa": "loudspeaker",
    "tinh": "province",
    "r128": "ebu-r128",
    "ebu": "ebu-r128",
    "wav": "archive-wav",
    "flac": "archive-flac",
}
DEFAULT_PRESET = LOUDSPEAKER


def canonical_name(name: str) -> str:
    key = (name or "").strip().lower()
    return ALIASES.get(key, key)


def preset(name: str | None = None, extra: dict[str, ExportPreset] | None = None) -> ExportPreset:
    """The preset called `name` (or an alias of it); the default for None or "".

    `extra` holds the station's own presets (from settings). StudioError naming the known
    ones for anything else.
    """
    if not name or not name.strip():
        return DEFAULT_PRESET
    key = canonical_name(name)
    table = {**PRESETS, **(extra or {})}
    if key in table:
        return table[key]
    known = ", ".join(table)
    raise _err(
        f"Unknown export preset '{name}' (known: {known}).",
        f"Không có mẫu xuất '{name}' (có: {known}).",
    )


def custom(
    base: ExportPreset | str | None = None,
    *,
    target_lufs: float | None = None,
    ceiling_dbtp: float | None = None,
    **changes,
) -> ExportPreset:
    """`base` (a preset or its name) with the given values changed, called "custom" when any
    value differs; None means "keep". Every value is validated (StudioError)."""
    p = base if isinstance(base, ExportPreset) else preset(base)
    changes = {k: v for k, v in changes.items() if v is not None}
    if target_lufs is not None:
        changes["target_lufs"] = target_lufs
    if ceiling_dbtp is not None:
        changes["ceiling_dbtp"] = ceiling_dbtp
    if not changes:
        return p
    changed = p.with_changes(**changes)
    if changed == p:
        return p
    return changed.with_changes(
        name="custom",
        title_en=f"Custom (from {p.name})",
        title_vi=f"Tùy chỉnh (từ {p.name})",
    )


__all__ = [
    "ALIASES",
    "DEFAULT_PRESET",
    "FORMATS",
    "MP3_BITRATES_KBPS",
    "PRESETS",
    "ExportPreset",
    "canonical_name",
    "custom",
    "preset",
]
