"""Sample content: synthesised jingle, bed and alarm, filed in the library on the first start,
and the demo programme built from them."""

from __future__ import annotations

import numpy as np
import pytest

from audio.loudness import LoudnessMeter
from audio.mixer import render
from studio import samples
from studio.library.search import SearchQuery
from studio.library.service import open_library
from studio.programme import load_programme

RATE = 48_000


@pytest.mark.parametrize("sample", samples.SAMPLES, ids=lambda s: s.key)
def test_each_sample_is_clean_stereo_audio(sample):
    x = sample.make()
    assert x.dtype == np.float32 and x.ndim == 2 and x.shape[1] == 2
    seconds = len(x) / RATE
    assert 3 <= seconds <= 60
    peak = float(np.max(np.abs(x)))
    assert 0.2 < peak < 0.75  # normalised below full scale: never clips
    assert abs(float(x[0].max())) < 0.01 and abs(float(x[-1].max())) < 0.01  # no click at the ends
    assert abs(float(x.mean())) < 1e-3  # no DC offset
    meter = LoudnessMeter(RATE, 2)
    meter.feed(x)
    assert -30 < meter.integrated_lufs() < -10
    assert np.array_equal(x, sample.make())  # the same every time (same bytes, same library entry)


def test_samples_are_filed_with_their_kinds_and_tags_and_a_demo_is_written(studio_home, tmp_path):
    library = open_library(studio_home)
    try:
        done = samples.install_samples(
            library, tmp_path, "Đài truyền thanh xã Yên Lạc", "xã Yên Lạc"
        )
        segs = done["segments"]
        assert {k: s.kind for k, s in segs.items()} == {
            "jingle": "jingle",
            "bed": "music_bed",
            "alert": "jingle",
        }
        assert "mở đầu" in segs["jingle"].tags and "khẩn cấp" in segs["alert"].tags
        found = library.search(SearchQuery(text="nhac hieu mau", kinds=("jingle",)))
        assert [s.id for s in found] == [segs["jingle"].id]
        assert library.search(SearchQuery(kinds=("music_bed",)))[0].title == "Nhạc nền mẫu"
        assert segs["bed"].integrated_lufs is not None  # analysed like any import

        # a second first start (the wizard run again from Help) changes nothing
        again = samples.install_samples(library, tmp_path)
        assert {k: s.id for k, s in again["segments"].items()} == {k: s.id for k, s in segs.items()}
        assert library.count() == 3

        programme = load_programme(done["programme"])
        assert programme.title == "Chương trình mẫu"
        assert programme.meta("commune") == "xã Yên Lạc"
        assert programme.meta("template") == "ban-tin-sang"
        # the short script of the template, with the commune's name filled in
        items = [i.text for i in programme.script.items]
        assert "Đài truyền thanh xã Yên Lạc xin kính chào bà con" in items[0]
        assert len(items) == 5
        roles = {t.name: t.role.value for t in programme.timeline.tracks}
        assert roles == {"Nhạc hiệu": "jingle", "Giọng đọc": "voice", "Nhạc nền": "music_bed"}
        jingles = programme.timeline.tracks[0].clips
        assert [c.source_id for c in jingles] == [segs["jingle"].sha256] * 2
        beds = next(t for t in programme.timeline.tracks if t.name == "Nhạc nền").clips
        assert beds and beds[0].source_id == segs["bed"].sha256
        tl = programme.timeline
        mix = render(tl, lambda sid: library.store.frames(sid, RATE), 0, tl.length)
        meter = LoudnessMeter(RATE, 2)
        meter.feed(mix)
        assert meter.integrated_lufs() > -40  # it sounds: the jingles and the bed
    finally:
        library.close()


def test_an_existing_demo_programme_is_never_overwritten(studio_home, tmp_path):
    demo = tmp_path / samples.DEMO_NAME
    demo.write_text("the user's own edit", "utf-8")
    library = open_library(studio_home)
    try:
        samples.install_samples(library, tmp_path)
    finally:
        library.close()
    assert demo.read_text("utf-8") == "the user's own edit"
