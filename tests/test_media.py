"""Media import: formats, rates, channel counts, odd file names and bad files."""

from __future__ import annotations

import os
import shutil
import subprocess
import unicodedata

import numpy as np
import pytest
import soundfile as sf

from audio.errors import Cancelled, MediaError
from audio.media import PEAK_BUCKET, downmix
from tests.conftest import RATE, noise, tone, write_wav


def test_import_is_content_addressed_and_idempotent(store, tmp_path):
    path = write_wav(tmp_path / "a.wav", tone(1.0))
    first = store.import_file(path, RATE)
    copy = tmp_path / "copy of a.wav"
    shutil.copy(path, copy)
    second = store.import_file(copy, RATE)
    assert first.source_id == second.source_id
    assert len(list(store.root.rglob("*.f32"))) == 1
    data = store.frames(first.source_id, RATE)
    assert data.shape == (RATE, 1)
    np.testing.assert_allclose(data[:, 0], tone(1.0)[:, 0], atol=1e-6)


@pytest.mark.parametrize(
    ("rate", "channels", "expected_channels"),
    [(8_000, 1, 1), (44_100, 2, 2), (96_000, 2, 2), (48_000, 6, 2), (22_050, 3, 1)],
)
def test_odd_rates_and_channel_counts(store, tmp_path, rate, channels, expected_channels):
    data = tone(2.0, rate=rate, freq=300.0, amp=0.3, channels=channels)
    path = write_wav(tmp_path / f"in-{rate}-{channels}.wav", data, rate=rate)
    info = store.import_file(path, RATE)
    assert info.channels == expected_channels
    assert info.original_rate == rate and info.original_channels == channels
    assert abs(info.frames - 2 * RATE) <= 2  # resampled length matches the duration
    out = store.frames(info.source_id, RATE)
    # A band-limited resampler keeps a 300 Hz tone clean: its level and frequency survive.
    mid = out[RATE // 2 : RATE + RATE // 2, 0].astype(np.float64)
    spectrum = np.abs(np.fft.rfft(mid * np.hanning(len(mid))))
    assert abs(np.argmax(spectrum) * RATE / len(mid) - 300.0) < 2.0
    assert 0.1 < np.max(np.abs(mid)) < 0.6


def test_5_1_downmix_keeps_centre_and_drops_lfe():
    block = np.zeros((4, 6), np.float32)
    block[:, 2] = 1.0  # centre
    block[:, 3] = 1.0  # LFE, dropped
    out = downmix(block)
    assert out.shape == (4, 2)
    np.testing.assert_allclose(out[:, 0], out[:, 1])
    np.testing.assert_allclose(out[0, 0], 0.7071 / 2.4142, rtol=1e-4)


def test_mp3_flac_ogg_decode(store, tmp_path):
    data = tone(1.5, rate=44_100, amp=0.4, channels=2)
    for fmt, ext in (("MP3", "mp3"), ("FLAC", "flac"), ("OGG", "ogg")):
        path = tmp_path / f"x.{ext}"
        sf.write(str(path), data, 44_100, format=fmt)
        info = store.import_file(path, RATE)
        assert abs(info.duration_s - 1.5) < 0.06, fmt
        assert info.channels == 2


def test_vietnamese_names_nfc_and_nfd(store, tmp_path):
    name = "Bản tin phòng chống thiên tai"
    for i, form in enumerate(("NFC", "NFD")):
        path = tmp_path / (unicodedata.normalize(form, name) + ".wav")
        write_wav(path, tone(0.5, freq=200 + 50 * i))
        info = store.import_file(path, RATE)
        assert info.original_name == path.name


@pytest.mark.skipif(os.name != "posix", reason="non-UTF-8 names are a POSIX thing")
def test_non_utf8_file_name(store, tmp_path):
    raw = os.path.join(os.fsencode(tmp_path), b"b\xe1n tin.wav")  # Latin-1 bytes
    with open(raw, "wb") as f:
        sf.write(f, tone(0.5), RATE, format="WAV")
    info = store.import_file(os.fsdecode(raw), RATE)
    assert info.frames == RATE // 2


def test_empty_file_is_refused(store, tmp_path):
    path = tmp_path / "empty.wav"
    path.write_bytes(b"")
    with pytest.raises(MediaError, match="empty"):
        store.import_file(path, RATE)


def test_text_renamed_wav_is_refused_clearly(store, tmp_path, monkeypatch):
    path = tmp_path / "notes.wav"
    path.write_text("Đây không phải âm thanh\n" * 50, encoding="utf-8")
    monkeypatch.setattr(shutil, "which", lambda _: None)  # as on a PC without ffmpeg
    with pytest.raises(MediaError) as err:
        store.import_file(path, RATE)
    assert "not a supported audio file" in err.value.en
    assert "ffmpeg" in err.value.vi
    assert list(store.root.rglob("*.json")) == []


@pytest.mark.skipif(shutil.which("ffmpeg") is None and not os.environ.get("CI"), reason="ffmpeg")
def test_text_file_with_ffmpeg_present_is_refused(store, tmp_path):
    path = tmp_path / "notes.wav"
    path.write_text("not audio at all\n" * 50)
    with pytest.raises(MediaError, match="damaged or is not audio"):
        store.import_file(path, RATE)


@pytest.mark.skipif(shutil.which("ffmpeg") is None and not os.environ.get("CI"), reason="ffmpeg")
def test_other_formats_through_ffmpeg(store, tmp_path):
    src = write_wav(tmp_path / "s.wav", tone(1.0, rate=44_100), rate=44_100, subtype="PCM_16")
    m4a = tmp_path / "s.m4a"
    subprocess.run(["ffmpeg", "-v", "error", "-i", str(src), str(m4a)], check=True)
    info = store.import_file(m4a, RATE)
    assert abs(info.duration_s - 1.0) < 0.1


def test_truncated_wav_keeps_what_decodes(store, tmp_path):
    path = write_wav(tmp_path / "full.wav", noise(2.0, channels=2), subtype="PCM_16")
    raw = path.read_bytes()
    cut = tmp_path / "cut.wav"
    cut.write_bytes(raw[: len(raw) // 2 + 3])  # header says 2 s, half is there, odd byte count
    info = store.import_file(cut, RATE)
    assert 0.9 < info.duration_s < 1.1


def test_peaks_match_the_audio(store, tmp_path):
    data = np.zeros((PEAK_BUCKET * 10, 1), np.float32)
    data[PEAK_BUCKET * 3 + 5] = 0.75
    data[PEAK_BUCKET * 7 + 1] = -0.5
    info = store.import_file(write_wav(tmp_path / "p.wav", data), RATE)
    peaks = store.peaks(info.source_id, RATE)
    assert peaks.shape == (10, 2)
    assert peaks[3, 1] == pytest.approx(0.75) and peaks[7, 0] == pytest.approx(-0.5)
    assert np.count_nonzero(peaks) == 2


def test_cancelled_import_leaves_nothing(store, tmp_path):
    path = write_wav(tmp_path / "long.wav", noise(5.0, rate=44_100), rate=44_100)

    def progress(fraction):
        if fraction > 0.3:
            raise Cancelled

    with pytest.raises(Cancelled):
        store.import_file(path, RATE, progress)
    assert [p for p in store.root.rglob("*") if p.is_file()] == []


def test_missing_media_is_a_clear_error(store):
    with pytest.raises(MediaError, match="missing"):
        store.frames("ab" * 32, RATE)
