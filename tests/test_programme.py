"""The programme file: round trip, atomic save, older/future/corrupt files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from audio.timeline import Clip, EnvelopePoint, FadeShape, Marker, Timeline, Track, TrackRole
from studio.programme import (
    VERSION,
    MediaRef,
    Programme,
    ProgrammeError,
    load_programme,
    missing_media,
    save_programme,
)

DATA = Path(__file__).with_name("data")


def _sample() -> Programme:
    sid = "ab" * 32
    tl = Timeline(
        rate=48_000,
        master_gain_db=-0.5,
        markers=(Marker(96_000, "Tin thời tiết"),),
        tracks=(
            Track(
                "Giọng đọc",
                role=TrackRole.VOICE,
                pan=-0.25,
                solo=True,
                input_channels=(0,),
                clips=(
                    Clip(
                        sid,
                        start=480,
                        length=48_000,
                        source_offset=12,
                        gain_db=-3.0,
                        fade_in=100,
                        fade_out=200,
                        fade_out_shape=FadeShape.LINEAR,
                        envelope=(EnvelopePoint(0, 0.0), EnvelopePoint(1000, -6.0)),
                        name="Bản tin",
                        auto_level=False,
                    ),
                ),
            ),
            Track("Nhạc nền", role=TrackRole.MUSIC_BED, gain_db=-12.0, mute=True),
        ),
    )
    return Programme(
        title="Bản tin sáng 26/11",
        timeline=tl,
        media=(MediaRef(sid, "bản tin.wav", "/tmp/bản tin.wav", 96_000, 1),),
        metadata=(("category", "Phòng chống thiên tai"), ("author", "Nguyễn Thị Đào")),
    )


def test_round_trip(tmp_path):
    p = _sample()
    path = tmp_path / "Chương trình.sttprog"
    save_programme(p, path)
    assert load_programme(path) == p
    text = path.read_text("utf-8")
    assert "Bản tin sáng 26/11" in text  # readable, not escaped
    assert json.loads(text)["version"] == VERSION


def test_version_1_fixture_still_opens():
    p = load_programme(DATA / "programme-v1.sttprog")
    assert p.title == "Bản tin sáng"
    assert [t.name for t in p.timeline.tracks] == ["Giọng đọc", "Nhạc nền"]
    assert p.timeline.tracks[0].clips[0].length == 96_000


def test_future_version_refused_and_untouched(tmp_path):
    d = json.loads((DATA / "programme-v1.sttprog").read_text("utf-8"))
    d["version"] = VERSION + 1
    path = tmp_path / "future.sttprog"
    path.write_text(json.dumps(d), "utf-8")
    before = path.read_bytes()
    with pytest.raises(ProgrammeError) as err:
        load_programme(path)
    assert "newer version" in err.value.en and "phiên bản mới hơn" in err.value.vi
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{not json",
        b"\xff\xfe\x00garbage",
        b"[]",
        b'{"format": "something-else"}',
        b'{"format": "studio-truyen-thanh/programme", "version": 1, "tracks": [{"clips": [{}]}]}',
        b'{"format": "studio-truyen-thanh/programme", "version": "x"}',
    ],
)
def test_corrupt_files_give_a_clear_error(tmp_path, content):
    path = tmp_path / "bad.sttprog"
    path.write_bytes(content)
    with pytest.raises(ProgrammeError):
        load_programme(path)
    assert path.read_bytes() == content


def test_save_is_atomic_when_writing_fails(tmp_path, monkeypatch):
    path = tmp_path / "p.sttprog"
    save_programme(_sample(), path)
    before = path.read_bytes()

    def boom(*_a, **_k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(ProgrammeError, match="No space left"):
        save_programme(Programme(title="khác"), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.glob("*.sttprog*")] == ["p.sttprog"]  # no temp left


def test_read_only_folder(read_only_folder):
    with pytest.raises(ProgrammeError) as err:
        save_programme(_sample(), read_only_folder / "p.sttprog")
    assert "Cannot save" in err.value.en and "Không lưu được" in err.value.vi


def test_missing_media_listed(store):
    assert missing_media(_sample(), store) == ["ab" * 32]


def _clip_json(source: str, start: int, length: int, name: str) -> dict:
    return {"source": source, "start": start, "length": length, "name": name}


@pytest.mark.parametrize("version", [2, 3])
def test_an_older_takes_lane_track_becomes_the_takes_of_its_track(version):
    """Up to version 3 a re-read kept the covered takes on a muted extra track
    "<name> · takes"; version 4 keeps them in the track itself and the extra track goes."""
    from studio.programme import programme_from_json

    d = {
        "format": "studio-truyen-thanh/programme",
        "version": version,
        "rate": 48_000,
        "tracks": [
            {"name": "Giọng đọc", "clips": [_clip_json("b" * 64, 0, 96_000, "take-2")]},
            {"name": "Nhạc nền", "role": "music_bed", "clips": []},
            {
                "name": "Giọng đọc · takes",
                "mute": True,
                "clips": [_clip_json("a" * 64, 48_000, 48_000, "take-1")],
            },
            {"name": "Đã xoá · takes", "mute": True, "clips": []},  # its track is gone: kept
        ],
        "script": {"items": []},
    }
    p = programme_from_json(d, "cũ.sttprog")
    names = [t.name for t in p.timeline.tracks]
    assert names == ["Giọng đọc", "Nhạc nền", "Đã xoá · takes"]
    voice = p.timeline.tracks[0]
    assert [(c.source_id, c.start, c.length, c.name) for c in voice.takes] == [
        ("a" * 64, 48_000, 48_000, "take-1")
    ]
    assert [c.source_id for c in voice.clips] == ["b" * 64]  # what plays is unchanged
    assert "a" * 64 in p.timeline.source_ids()  # its media is still needed


def test_alternative_takes_round_trip(tmp_path):
    take = Clip("c" * 64, 48_000, 24_000, name="Giọng đọc 1")
    tl = Timeline(tracks=(Track("Giọng đọc", (Clip("d" * 64, 0, 96_000),), takes=(take,)),))
    save_programme(Programme(timeline=tl), tmp_path / "p.sttprog")
    d = json.loads((tmp_path / "p.sttprog").read_text("utf-8"))
    assert d["version"] == VERSION == 4 and d["tracks"][0]["takes"][0]["name"] == "Giọng đọc 1"
    assert load_programme(tmp_path / "p.sttprog").timeline == tl
