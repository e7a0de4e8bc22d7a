"""Export presets per destination: what format, rate, channels, bitrate and loudness.

The loudspeaker head-end preset is the default: MP3 CBR mono 44.1 kHz 64 kbps at −16 LUFS,
−1 dBTP — small files that every IP-loudspeaker player takes. Archive presets keep the full
quality as WAV or FLAC. A preset is plain data; `master_settings()` turns it into the
`MasterSettings` that `export.master.export_master` takes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from audio.errors import StudioError
from export.encoders import EncodingSettings
from export.master import MasterSettings


@dataclass(frozen=True, slots=True)
class ExportPreset:
    key: str
    name_en: str
    name_vi: str
    encoding: EncodingSettings
    target_lufs: float | None = -16.0
    ceiling_dbtp: float = -1.0
    ascii_file_name: bool = False  # for systems that cannot take diacritics in file names

    @property
    def extension(self) -> str:
        return self.encoding.format

    def with_changes(self, **changes) -> ExportPreset:
        return replace(self, **changes)


LOUDSPEAKER = ExportPreset(
    key="loudspeaker",
    name_en="Loudspeaker head-end (MP3 64 kbps mono)",
    name_vi="Cụm loa truyền thanh (MP3 64 kbps mono)",
    encoding=EncodingSettings(format="mp3", rate=44_100, channels=1, bitrate_kbps=64),
    ascii_file_name=True,  # many head-end players show "?" or refuse names with diacritics
)
PROVINCE = ExportPreset(
    key="province",
    name_en="Provincial source-information system (MP3 128 kbps stereo)",
    name_vi="Hệ thống thông tin nguồn tỉnh (MP3 128 kbps stereo)",
    encoding=EncodingSettings(format="mp3", rate=44_100, channels=2, bitrate_kbps=128),
    ascii_file_name=True,
)
ARCHIVE_WAV = ExportPreset(
    key="archive-wav",
    name_en="Archive (WAV 48 kHz stereo)",
    name_vi="Lưu trữ (WAV 48 kHz stereo)",
    encoding=EncodingSettings(format="wav", rate=48_000, channels=2),
)
ARCHIVE_FLAC = ExportPreset(
    key="archive-flac",
    name_en="Archive (FLAC 48 kHz stereo)",
    name_vi="Lưu trữ (FLAC 48 kHz stereo)",
    encoding=EncodingSettings(format="flac", rate=48_000, channels=2),
)

PRESETS: dict[str, ExportPreset] = {
    p.key: p for p in (LOUDSPEAKER, PROVINCE, ARCHIVE_WAV, ARCHIVE_FLAC)
}
DEFAULT_PRESET = LOUDSPEAKER


def preset(key: str) -> ExportPreset:
    """The preset called `key`; StudioError naming the known ones otherwise."""
    try:
        return PRESETS[key]
    except KeyError:
        known = ", ".join(PRESETS)
        raise StudioError(
            f"Unknown export preset '{key}' (known: {known}).",
            f"Không có mẫu xuất '{key}' (có: {known}).",
        ) from None


def custom_preset(
    base: ExportPreset = DEFAULT_PRESET,
    *,
    format: str | None = None,
    rate: int | None = None,
    channels: int | None = None,
    bitrate_kbps: int | None = None,
    target_lufs: float | None | str = "keep",
    ceiling_dbtp: float | None = None,
) -> ExportPreset:
    """`base` with some settings changed (the CLI's --bitrate/--mono…); validated by
    EncodingSettings, so a bad value raises a bilingual StudioError."""
    enc = base.encoding
    encoding = EncodingSettings(
        format=format or enc.format,
        rate=rate or enc.rate,
        channels=channels or enc.channels,
        bitrate_kbps=bitrate_kbps or enc.bitrate_kbps,
    )
    if ceiling_dbtp is not None and ceiling_dbtp > 0:
        raise StudioError(
            "The peak ceiling must be at or below 0 dBTP.",
            "Ngưỡng đỉnh phải bằng hoặc thấp hơn 0 dBTP.",
        )
    return replace(
        base,
        key="custom",
        encoding=encoding,
        target_lufs=base.target_lufs if target_lufs == "keep" else target_lufs,
        ceiling_dbtp=base.ceiling_dbtp if ceiling_dbtp is None else ceiling_dbtp,
    )


def master_settings(p: ExportPreset) -> MasterSettings:
    return MasterSettings(
        encoding=p.encoding, target_lufs=p.target_lufs, ceiling_dbtp=p.ceiling_dbtp
    )
