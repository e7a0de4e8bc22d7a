"""Cropping a timeline keeps what is heard; ranges and marked regions export as their own files."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from audio.errors import StudioError
from audio.mixer import render
from audio.timeline import Clip, EnvelopePoint, FadeShape, Marker, Timeline, Track
from export.encoders import Tags
from export.master import export_master
from export.presets import ExportPreset
from export.ranges import crop_timeline, export_range, export_regions, marked_regions

RATE = 48_000


def _sources(seed: int = 3) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "mono": (rng.uniform(-0.5, 0.5, (RATE * 4, 1))).astype(np.float32),
        "stereo": (rng.uniform(-0.5, 0.5, (RATE * 4, 2))).astype(np.float32),
        "dc": np.full((RATE * 4, 1), 0.5, np.float32),  # makes gain errors easy to see
    }


def _timeline() -> Timeline:
    voice = Track(
        "voice",
        clips=(
            Clip("mono", start=1000, length=30_000, source_offset=500, fade_in=8000, fade_out=6000),
            Clip(
                "dc",
                start=40_000,
                length=50_000,
                gain_db=-3.0,
                fade_in=20_000,
                fade_out=20_000,
                fade_in_shape=FadeShape.LINEAR,
                envelope=(EnvelopePoint(5000, 0.0), EnvelopePoint(30_000, -12.0)),
            ),
        ),
        gain_db=1.5,
        pan=-0.3,
    )
    bed = Track(
        "bed",
        clips=(
            Clip(
                "stereo",
                start=0,
                length=100_000,
                source_offset=7,
                fade_in=48_000,
                fade_out=30_000,
                fade_out_shape=FadeShape.LINEAR,
                envelope=(EnvelopePoint(0, -6.0), EnvelopePoint(60_000, -20.0)),
            ),
            Clip("dc", start=95_000, length=20_000, fade_in=3, fade_out=5),
        ),
        gain_db=-4.0,
        pan=0.5,
    )
    muted = Track("muted", clips=(Clip("dc", start=0, length=120_000),), mute=True)
    return Timeline(
        rate=RATE,
        tracks=(voice, bed, muted),
        master_gain_db=-1.0,
        markers=(Marker(0, "Mở đầu"), Marker(30_000, "Tin 1"), Marker(70_000, "Tin 2")),
    )


# Windows that start or end inside fades, inside envelopes, exactly on clip edges, tiny ones.
WINDOWS = [
    (0, 115_000),
    (5000, 60_000),
    (1000, 31_000),
    (2000, 3000),
    (12_345, 12_346),
    (45_000, 82_000),
    (71_000, 115_000),
    (60_001, 99_999),
    (80_000, 96_000),
    (95_001, 114_997),
    (30_000, 70_000),
]


@pytest.mark.parametrize(("start", "end"), WINDOWS)
def test_cropped_timeline_renders_the_same_audio(start, end):
    timeline, sources = _timeline(), _sources()
    cropped = crop_timeline(timeline, start, end)
    assert cropped.length <= end - start
    n = end - start
    expected = render(timeline, sources.__getitem__, start, n)
    got = render(cropped, sources.__getitem__, 0, n)
    np.testing.assert_allclose(got, expected, atol=2e-4, rtol=0)
    # The crop is pure: the original is untouched and still renders the same.
    np.testing.assert_array_equal(render(timeline, sources.__getitem__, start, n), expected)


def test_untouched_clips_keep_their_fades_and_cut_fades_become_envelopes():
    timeline = _timeline()
    cropped = crop_timeline(timeline, 20_000, 115_000)
    dc = cropped.tracks[0].clips[1]
    assert (dc.start, dc.fade_in, dc.fade_out) == (20_000, 20_000, 20_000)
    assert dc.envelope == tuple(
        EnvelopePoint(p.frame, p.gain_db) for p in timeline.tracks[0].clips[1].envelope
    )
    bed = cropped.tracks[1].clips[0]
    assert bed.source_offset == 7 + 20_000 and bed.fade_in == 0 and bed.fade_out == 30_000
    assert len(bed.envelope) > 2  # the rest of the fade-in, sampled
    first_voice = cropped.tracks[0].clips[0]
    assert first_voice.start == 0 and first_voice.source_offset == 500 + 19_000
    assert [m.frame for m in cropped.markers] == [10_000, 50_000]
    assert cropped.tracks[2].mute


def test_empty_or_reversed_range_is_refused():
    with pytest.raises(StudioError) as info:
        crop_timeline(_timeline(), 5000, 5000)
    assert "Đoạn" in info.value.message("vi")
    with pytest.raises(StudioError):
        crop_timeline(_timeline(), -5, 10)


def test_marked_regions_lie_between_consecutive_markers():
    regions = marked_regions(_timeline())
    assert [(r.start, r.end, r.name) for r in regions] == [
        (0, 30_000, "Mở đầu"),
        (30_000, 70_000, "Tin 1"),
    ]
    one = _timeline().with_changes(markers=(Marker(10, "x"),))
    assert marked_regions(one) == []


def _mp3_settings() -> ExportPreset:
    return ExportPreset(
        "test",
        format="mp3",
        rate=48_000,
        channels=1,
        bitrate_kbps=64,
        normalise=False,
        ceiling_dbtp=-1.0,
    )


def test_exported_range_matches_the_same_frames_of_the_whole_export(tmp_path):
    """WAV exports without normalisation: the range file equals that slice of the whole."""
    timeline, sources = _timeline(), _sources()
    settings = ExportPreset(
        "test", format="wav", rate=48_000, channels=2, normalise=False, ceiling_dbtp=0.0
    )
    whole = export_master(timeline, sources.__getitem__, tmp_path / "whole.wav", settings)
    part = export_range(
        timeline, sources.__getitem__, tmp_path / "part.wav", 45_000, 82_000, settings
    )
    a, _ = sf.read(str(whole.path), dtype="float32", always_2d=True)
    b, _ = sf.read(str(part.path), dtype="float32", always_2d=True)
    assert len(b) == part.frames == 82_000 - 45_000
    np.testing.assert_allclose(b, a[45_000:82_000], atol=3e-4)  # 16-bit PCM + fade sampling


def test_each_marked_region_becomes_its_own_gapless_mp3(tmp_path):
    timeline, sources = _timeline(), _sources()
    tags = Tags(title="Bản tin sáng 26/11", station="Đài xã Hòa Bình", date="2026-11-26")
    seen = []
    results = export_regions(
        timeline,
        sources.__getitem__,
        tmp_path,
        "Bản tin sáng 26/11",
        _mp3_settings(),
        tags,
        ascii_names=True,
        progress=seen.append,
    )
    names = [r.path.name for r in results]
    assert names[0].startswith("ban-tin-sang-") and names[0].endswith("-01-mo-dau.mp3")
    assert names[1].endswith("-02-tin-1.mp3")
    for result, length in zip(results, (30_000, 40_000), strict=True):
        with sf.SoundFile(str(result.path)) as f:
            assert f.frames == length == result.frames  # gapless, exact
    assert seen and max(seen) <= 1.0 and seen == sorted(seen)
    from mutagen.id3 import ID3

    assert str(ID3(str(results[1].path))["TIT2"]) == "Bản tin sáng 26/11 – Tin 1"


def test_export_regions_without_markers_says_so(tmp_path):
    timeline = _timeline().with_changes(markers=())
    with pytest.raises(StudioError) as info:
        export_regions(timeline, _sources().__getitem__, tmp_path, "x", _mp3_settings())
    assert "markers" in info.value.message("en")
    assert [p for p in tmp_path.iterdir() if p.name != "studio-home"] == []


def test_range_of_silence_is_refused(tmp_path):
    timeline = Timeline(rate=RATE, tracks=(Track("v", clips=(Clip("dc", 50_000, 1000),)),))
    with pytest.raises(StudioError):
        export_range(timeline, _sources().__getitem__, tmp_path / "x.mp3", 0, 40_000)
    assert [p for p in tmp_path.iterdir() if p.name != "studio-home"] == []
