"""Export presets and file names (ASCII-only slugs, Windows-safe names)."""

from __future__ import annotations

import datetime as dt
import unicodedata

import numpy as np
import pytest
import soundfile as sf

from audio.errors import StudioError
from audio.timeline import Clip, Timeline, Track
from export.master import export_master
from export.mp3 import read_lame_tag
from export.naming import ascii_stem, export_file_name, normalise_dates, strip_diacritics
from export.presets import ARCHIVE_FLAC, ARCHIVE_WAV, DEFAULT_PRESET, PRESETS, custom, preset

NOV_2026 = dt.date(2026, 11, 20)


def test_default_preset_is_the_loudspeaker_mp3():
    p = DEFAULT_PRESET
    assert (p.format, p.channels, p.rate, p.bitrate_kbps) == ("mp3", 1, 44_100, 64)
    assert p.target_lufs == -16.0 and p.ceiling_dbtp == -1.0 and p.normalise
    assert p.ascii_file_name
    assert ARCHIVE_WAV.extension == "wav" and ARCHIVE_FLAC.extension == "flac"
    assert preset("archive-flac") is ARCHIVE_FLAC


def test_unknown_preset_and_bad_custom_values_are_clear_errors():
    with pytest.raises(StudioError) as info:
        preset("cassette")
    assert "cassette" in info.value.message("en") and "mẫu xuất" in info.value.message("vi")
    with pytest.raises(StudioError):
        custom(bitrate_kbps=100)
    with pytest.raises(StudioError):
        custom(rate=22_050)
    with pytest.raises(StudioError):
        custom(ceiling_dbtp=1.0)
    stereo = custom(channels=2, bitrate_kbps=128, normalise=False)
    assert stereo.channels == 2 and stereo.bitrate_kbps == 128
    assert not stereo.normalise and stereo.rate == 44_100 and stereo.name == "custom"


@pytest.mark.parametrize("key", sorted(PRESETS))
def test_every_preset_exports_a_file_of_the_programme_length(tmp_path, key):
    p = PRESETS[key]
    rate = 48_000
    rng = np.random.default_rng(0)
    source = (rng.standard_normal((rate, 1)) * 0.05).astype(np.float32)
    timeline = Timeline(rate=rate, tracks=(Track("v", clips=(Clip("s", 0, rate),)),))
    out = tmp_path / export_file_name("Bản tin sáng 26/11", p.extension, ascii_only=True)
    result = export_master(timeline, {"s": source}.__getitem__, out, p)
    with sf.SoundFile(str(out)) as f:
        assert f.samplerate == p.rate and f.channels == p.channels
        assert f.frames == result.frames
    expected = rate * p.rate // rate
    assert abs(result.frames - expected) <= 1
    if p.extension == "mp3":
        assert read_lame_tag(out)["crc_ok"] == 1


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Bản tin sáng 26/11", "ban-tin-sang-2026-11-26"),
        ("Bản tin sáng 26/11/2025", "ban-tin-sang-2025-11-26"),
        ("Thông báo khẩn 1.12.26", "thong-bao-khan-2026-12-01"),
        ("Lịch tiêm 2026-11-26 lúc 7:30", "lich-tiem-2026-11-26-luc-7-30"),
        ("ĐÀI TRUYỀN THANH XÃ Đông Hưng", "dai-truyen-thanh-xa-dong-hung"),
        ("Họp 31/02", "hop-31-02"),  # not a date: left as digits
        ("Tỉ số 5-1", "ti-so-5-1"),  # "5-1" alone is not a date
        ("  «Tin nhanh» — số 3!  ", "tin-nhanh-so-3"),
        ("CON", "con-"),
        ("Lpt1", "lpt1-"),
        ("???", "chuong-trinh"),
        ("Ồ ỗ ự ữ ỹ Ý ơ ư", "o-o-u-u-y-y-o-u"),
    ],
)
def test_ascii_slugs(title, slug):
    assert ascii_stem(title, NOV_2026) == slug
    assert ascii_stem(unicodedata.normalize("NFD", title), NOV_2026) == slug  # macOS names


def test_ascii_file_name_is_pure_ascii_and_short():
    name = export_file_name("Chương trình " * 20 + "26/11", "MP3", ascii_only=True)
    assert name.isascii() and name.endswith(".mp3") and len(name) <= 84
    assert not name.startswith("-") and "--" not in name


def test_unicode_names_keep_vietnamese_and_are_windows_safe():
    name = export_file_name('Tin: "Lũ" ở A/B? <khẩn>*. ', "wav")
    assert name == "Tin- -Lũ- ở A-B- -khẩn--.wav"
    assert unicodedata.is_normalized("NFC", name)
    assert export_file_name("nul", "mp3") == "nul-.mp3"
    assert export_file_name("Bản tin.", "mp3") == "Bản tin.mp3"  # no "Bản tin..mp3"
    nfd = unicodedata.normalize("NFD", "Bản tin sáng")
    assert export_file_name(nfd, "mp3") == "Bản tin sáng.mp3"


def test_diacritics_and_dates_helpers():
    assert strip_diacritics("Đường đê") == "Duong de"
    assert normalise_dates("Ngày 5/1 và 2026-1-5", NOV_2026) == "Ngày 2026-01-05 và 2026-01-05"
    assert normalise_dates("Lúc 26/11", dt.date(2025, 1, 1)) == "Lúc 2025-11-26"
