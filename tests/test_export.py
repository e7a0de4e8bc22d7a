"""Export: a programme rendered, normalised, encoded and tagged; measured back."""

from __future__ import annotations

import numpy as np
import pyloudnorm
import pytest
import soundfile as sf
from mutagen.id3 import ID3
from scipy.signal import butter, sosfilt

from audio.errors import Cancelled, StudioError
from audio.timeline import Clip, Timeline, Track, TrackRole
from export.encoders import Tags, decoded_length
from export.master import MAX_COMPENSATION_DB, export_master
from export.presets import ExportPreset
from tests.conftest import RATE, noise, tone, write_wav

MP3_FRAME = 1152


def _speechlike(seconds, rate=RATE, seed=1):
    """Band-limited noise bursts with pauses: a crude stand-in for speech.

    Band-limited because an MP3 encoder's low-pass would remove part of white noise's
    energy and make the loudness of the decoded file differ for reasons that are not ours.
    """
    x = noise(seconds, rate=rate, amp=0.1, channels=1, seed=seed)[:, 0]
    x = sosfilt(butter(4, [150, 3500], btype="bandpass", fs=rate, output="sos"), x).astype(
        np.float32
    )
    env = (np.sin(2 * np.pi * 1.7 * np.arange(len(x)) / rate) > -0.2).astype(np.float32)
    return (x * env)[:, None]


def _timeline(tmp_path, store):
    v = store.import_file(write_wav(tmp_path / "v.wav", _speechlike(6.0)), RATE)
    b = store.import_file(write_wav(tmp_path / "b.wav", tone(8.0, amp=0.2, channels=2)), RATE)
    tl = Timeline(
        tracks=(
            Track("Giọng đọc", clips=(Clip(v.source_id, RATE, v.frames),)),
            Track(
                "Nhạc nền",
                role=TrackRole.MUSIC_BED,
                gain_db=-14.0,
                clips=(Clip(b.source_id, 0, b.frames, fade_in=RATE // 2, fade_out=RATE),),
            ),
        )
    )
    return tl, (lambda sid: store.frames(sid, RATE))


@pytest.mark.parametrize(
    ("rate", "channels", "kbps"),
    [(44_100, 1, 64), (48_000, 2, 128), (44_100, 2, 192), (48_000, 1, 64)],
)
def test_mp3_export_length_loudness_and_tags(tmp_path, store, rate, channels, kbps):
    tl, sources = _timeline(tmp_path, store)
    out = tmp_path / "Bản tin sáng.mp3"
    tags = Tags(
        title="Bản tin sáng 26/11",
        station="Đài truyền thanh xã Đông Hòa",
        date="2026-11-26",
        category="Phòng chống thiên tai",
        comment="Khẩn cấp: bão số 9",
    )
    settings = ExportPreset(
        "test", format="mp3", rate=rate, channels=channels, bitrate_kbps=kbps, target_lufs=-20.0
    )
    result = export_master(tl, sources, out, settings, tags)
    frames, decoded_rate = decoded_length(out)
    assert decoded_rate == rate
    expected = round(tl.length * rate / RATE)
    assert abs(frames - expected) < MP3_FRAME
    data, _ = sf.read(str(out), dtype="float64", always_2d=True)
    assert data.shape[1] == channels
    measured = pyloudnorm.Meter(rate, filter_class="DeMan").integrated_loudness(data)
    # Measured on the decoded MP3, the programme sits at the target: the export measures
    # its own encoded file and compensates what the codec took away.
    assert measured == pytest.approx(-20.0, abs=0.3)
    assert np.max(np.abs(data)) <= 10 ** (-1 / 20) * 1.12  # MP3 adds a little overshoot
    id3 = ID3(str(out))
    assert str(id3["TIT2"]) == "Bản tin sáng 26/11"
    assert str(id3["TPE1"]) == "Đài truyền thanh xã Đông Hòa"
    assert str(id3["TCON"]) == "Phòng chống thiên tai"
    assert id3.getall("COMM")[0].text[0] == "Khẩn cấp: bão số 9"
    assert result.frames == pytest.approx(expected, abs=2)


@pytest.mark.parametrize("fmt", ["wav", "flac"])
def test_lossless_export_is_sample_exact_in_length(tmp_path, store, fmt):
    tl, sources = _timeline(tmp_path, store)
    out = tmp_path / f"archive.{fmt}"
    export_master(
        tl,
        sources,
        out,
        ExportPreset("test", format=fmt, rate=48_000, channels=2, target_lufs=-23.0),
    )
    info = sf.info(str(out))
    assert info.frames == tl.length and info.channels == 2
    data, _ = sf.read(str(out), dtype="float64")
    measured = pyloudnorm.Meter(48_000, filter_class="DeMan").integrated_loudness(data)
    assert measured == pytest.approx(-23.0, abs=0.2)


def test_clicks_are_limited_and_the_gain_stays_bounded(tmp_path, store):
    """Material that is nearly all peaks: the limiter holds the ceiling and the loudness
    correction does not run away chasing a target that only distortion could reach."""
    loud = np.zeros((RATE * 3, 1), np.float32)
    loud[::4800] = 0.99  # clicks: quiet overall, high peaks
    src = store.import_file(write_wav(tmp_path / "clicks.wav", loud), RATE)
    tl = Timeline(tracks=(Track("t", clips=(Clip(src.source_id, 0, src.frames),)),))
    out = tmp_path / "c.wav"
    result = export_master(
        tl,
        lambda s: store.frames(s, RATE),
        out,
        ExportPreset("test", format="wav", rate=48_000, channels=1, target_lufs=-16.0),
    )
    straight = -16.0 - result.mix.integrated_lufs
    assert straight < result.gain_db <= straight + MAX_COMPENSATION_DB + 1e-9
    assert result.output.true_peak_dbtp <= -1.0 + 0.1


def test_empty_programme_refused(tmp_path):
    with pytest.raises(StudioError, match="empty"):
        export_master(Timeline(), lambda s: None, tmp_path / "x.mp3")


def test_read_only_destination_keeps_nothing(tmp_path, store, read_only_folder):
    tl, sources = _timeline(tmp_path, store)
    with pytest.raises(StudioError) as err:
        export_master(tl, sources, read_only_folder / "x.mp3")
    assert "Cannot write" in err.value.en and "Không ghi được" in err.value.vi


def test_full_disk_is_reported_and_old_file_kept(tmp_path, store, tiny_disk):
    tl, sources = _timeline(tmp_path, store)
    out = tiny_disk / "bản tin.wav"
    out.write_bytes(b"old")
    long_tl = tl.with_changes(
        tracks=tuple(
            t.with_changes(
                clips=tuple(
                    c.with_changes(start=c.start + i * 8 * RATE) for i in range(4) for c in t.clips
                )
            )
            for t in tl.tracks
        )
    )
    with pytest.raises(StudioError) as err:
        export_master(
            long_tl, sources, out, ExportPreset("test", format="wav", rate=48_000, channels=2)
        )
    assert "disk is full" in err.value.en or "Cannot write" in err.value.en
    assert out.read_bytes() == b"old"
    assert [p.name for p in tiny_disk.iterdir()] == ["bản tin.wav"]


def test_cancel_leaves_no_file(tmp_path, store):
    tl, sources = _timeline(tmp_path, store)
    out = tmp_path / "x.mp3"

    def progress(f):
        if f > 0.5:
            raise Cancelled

    with pytest.raises(Cancelled):
        export_master(tl, sources, out, progress=progress)
    assert not out.exists() and not list(tmp_path.glob(".x.mp3*"))


def test_bad_encoding_settings_are_clear():
    with pytest.raises(StudioError, match="bitrate"):
        ExportPreset("test", format="mp3", rate=44_100, channels=1, bitrate_kbps=100)
    with pytest.raises(StudioError, match="Sample rate"):
        ExportPreset("test", format="mp3", rate=22_050, channels=1, bitrate_kbps=64)
