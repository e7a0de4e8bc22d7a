"""Loudness presets: the target a master is normalised to and the limits it is checked against.

"loa-truyen-thanh" (−16 LUFS / −1 dBTP) is the default: commune loudspeaker networks play
files back to back outdoors, and a louder, denser master carries better there. "ebu-r128"
(−23 LUFS / −1 dBTP) is for broadcast. "custom" takes the caller's own figures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from audio.errors import StudioError

DEFAULT_PRESET = "loa-truyen-thanh"


@dataclass(frozen=True, slots=True)
class LoudnessPreset:
    name: str
    title_en: str
    title_vi: str
    target_lufs: float
    ceiling_dbtp: float
    tolerance_lu: float = 1.0  # integrated loudness may differ from the target by this much
    max_lra_lu: float = 15.0  # a wider loudness range is hard to follow on a loudspeaker
    max_silence_s: float = 5.0  # dead air longer than this fails the check
    silence_threshold_lufs: float = -60.0  # momentary loudness under this counts as silence
    max_mono_loss_db: float = 3.0  # stereo summed to mono may lose at most this much

    def title(self, lang: str) -> str:
        return self.title_vi if lang == "vi" else self.title_en

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__slots__}


PRESETS: dict[str, LoudnessPreset] = {
    p.name: p
    for p in (
        LoudnessPreset(
            "loa-truyen-thanh", "Loudspeaker network", "Loa truyền thanh", -16.0, -1.0
        ),
        LoudnessPreset("ebu-r128", "EBU R128 broadcast", "EBU R128 (phát sóng)", -23.0, -1.0,
                       max_lra_lu=20.0),
    )
}  # fmt: skip


def get_preset(
    name: str | None = None,
    target_lufs: float | None = None,
    ceiling_dbtp: float | None = None,
) -> LoudnessPreset:
    """The preset called `name` (default: the loudspeaker one), with any figure overridden.

    "custom" needs `target_lufs` (the ceiling defaults to −1 dBTP). Raises StudioError for an
    unknown name or figures out of range.
    """
    name = (name or DEFAULT_PRESET).strip().lower()
    if name == "custom":
        if target_lufs is None:
            raise StudioError(
                "The custom preset needs a target loudness (--target-lufs).",
                "Mẫu tùy chỉnh cần độ lớn mục tiêu (--target-lufs).",
            )
        preset = LoudnessPreset("custom", "Custom", "Tùy chỉnh", target_lufs, -1.0)
    elif name in PRESETS:
        preset = PRESETS[name]
    else:
        names = ", ".join([*PRESETS, "custom"])
        raise StudioError(
            f"Unknown loudness preset '{name}' (use {names}).",
            f"Không có mẫu độ lớn '{name}' (dùng {names}).",
        )
    if target_lufs is not None:
        preset = replace(preset, target_lufs=float(target_lufs))
    if ceiling_dbtp is not None:
        preset = replace(preset, ceiling_dbtp=float(ceiling_dbtp))
    if not (math.isfinite(preset.target_lufs) and -40.0 <= preset.target_lufs <= -5.0):
        raise StudioError(
            "The target loudness must lie between −40 and −5 LUFS.",
            "Độ lớn mục tiêu phải trong khoảng −40 đến −5 LUFS.",
        )
    if not (math.isfinite(preset.ceiling_dbtp) and -12.0 <= preset.ceiling_dbtp <= 0.0):
        raise StudioError(
            "The true-peak ceiling must lie between −12 and 0 dBTP.",
            "Ngưỡng đỉnh thực phải trong khoảng −12 đến 0 dBTP.",
        )
    return preset
