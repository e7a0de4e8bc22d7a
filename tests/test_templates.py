"""Programme templates: the shipped ones, assembly from the library, saving a programme as one."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
import soundfile as sf

from audio.media import MediaStore
from audio.timeline import TrackRole
from studio.library import open_library
from studio.paths import StudioHome
from studio.script import item_start, script_end
from studio.templates import (
    TemplateError,
    assemble,
    get_template,
    list_templates,
    save_template,
    template_from_json,
)

RATE = 48_000


@pytest.fixture
def home(tmp_path):
    return StudioHome(tmp_path / "home").ensure()


def _tone(path, seconds, freq, level=0.3):
    t = np.arange(int(seconds * RATE)) / RATE
    sf.write(path, (level * np.sin(2 * np.pi * freq * t)).astype(np.float32), RATE)
    return path


@pytest.fixture
def library(home, tmp_path):
    lib = open_library(home)
    store = lib.store
    made = {}
    for name, seconds, kind, tags in [
        ("nhac-hieu-cu.wav", 2.0, "jingle", ["mở đầu"]),
        ("nhac-hieu-mo-dau.wav", 3.0, "jingle", ["mở đầu"]),
        ("nhac-hieu-ket.wav", 2.5, "jingle", ["kết thúc"]),
        ("nhac-nen.wav", 60.0, "music_bed", []),
    ]:
        info = store.import_file(_tone(tmp_path / name, seconds, 440), RATE)
        made[name] = lib.add(info, kind=kind, tags=tags, title=name[:-4])
    yield lib, made
    lib.close()


def test_the_app_ships_three_vietnamese_templates():
    ids = {t.id for t in list_templates()}
    assert {"ban-tin-sang", "thong-bao", "ban-tin-khan-cap"} <= ids
    for t in list_templates():
        assert t.slot_s and t.slot_s > 0
        assert any(p["type"] == "script" for p in t.parts)


def test_a_morning_bulletin_takes_the_newest_jingles_and_a_bed(home, library):
    lib, made = library
    template = get_template("ban-tin-sang", home)
    result = assemble(
        template, lib.store, lib, commune="xã Tân Phú", today=dt.date(2026, 12, 2), rate=RATE
    )
    p = result.programme
    tl = p.timeline
    assert p.title == "Bản tin sáng 02/12"
    assert p.meta("template") == "ban-tin-sang"
    roles = {t.name: t.role for t in tl.tracks}
    assert roles == {
        "Nhạc hiệu": TrackRole.JINGLE,
        "Giọng đọc": TrackRole.VOICE,
        "Nhạc nền": TrackRole.MUSIC_BED,
    }
    jingles = tl.tracks[tl.track_index("Nhạc hiệu")].clips
    opening, closing = jingles[0], jingles[-1]
    # the newest "mở đầu" jingle opens (not the older one); the "kết thúc" one closes
    assert opening.source_id == made["nhac-hieu-mo-dau.wav"].source_id and opening.start == 0
    assert closing.source_id == made["nhac-hieu-ket.wav"].source_id
    script = p.script
    assert script.slot_s == 900
    assert "xã Tân Phú" in script.items[0].text and "02/12/2026" in script.items[0].text
    assert script.anchor == opening.end + int(template.pause_s * RATE)
    assert closing.start == script_end(tl, script) + int(template.pause_s * RATE)
    bed = tl.tracks[tl.track_index("Nhạc nền")].clips[0]
    closing_item = len(script.items) - 1
    assert bed.start < item_start(tl, script, closing_item) < bed.end
    assert result.missing == ()
    assert {m.name for m in tl.markers} >= {"Nhạc hiệu mở đầu", "Lời chào", "Lời kết"}


def test_without_a_library_the_places_stay_and_are_reported(home):
    store = MediaStore(home.media)
    result = assemble(get_template("thong-bao", home), store, None, rate=RATE)
    assert set(result.missing) >= {"Nhạc báo", "Nhạc báo kết"}
    assert len(result.programme.script.items) == 2
    assert all(i.reserved > 0 for i in result.programme.script.items)


def test_a_programme_saved_as_a_template_rebuilds_its_structure(home, library):
    lib, _ = library
    p = assemble(get_template("ban-tin-sang", home), lib.store, lib, rate=RATE).programme
    path = save_template(home, p, "ban-tin-chieu", "Bản tin chiều")
    assert path.parent == home.root / "templates"
    mine = get_template("ban-tin-chieu", home)
    assert not mine.builtin and mine.title == "Bản tin chiều"
    again = assemble(mine, lib.store, lib, rate=RATE).programme
    assert [i.text for i in again.script.items] == [i.text for i in p.script.items]
    tl_a, tl_b = p.timeline, again.timeline
    a = sorted((c.source_id, c.start) for t in tl_a.tracks for c in t.clips)
    b = sorted((c.source_id, c.start) for t in tl_b.tracks for c in t.clips)
    assert a == b


@pytest.mark.parametrize(
    "bad",
    [
        {"format": "x"},
        {"format": "studio-truyen-thanh/template", "version": 99, "id": "a", "parts": []},
        {
            "format": "studio-truyen-thanh/template",
            "version": 1,
            "id": "A B",
            "title": "t",
            "parts": [],
        },
        {
            "format": "studio-truyen-thanh/template",
            "version": 1,
            "id": "a",
            "title": "t",
            "parts": [{"type": "dance"}],
        },
        {
            "format": "studio-truyen-thanh/template",
            "version": 1,
            "id": "a",
            "title": "t",
            "parts": [{"type": "script"}, {"type": "jingle"}, {"type": "script"}],
        },
    ],
)
def test_bad_templates_are_refused_clearly(bad):
    with pytest.raises(TemplateError) as err:
        template_from_json(bad, "x.json")
    assert err.value.vi and err.value.en


def test_unknown_template_lists_the_known_ones(home):
    with pytest.raises(TemplateError) as err:
        get_template("khong-co", home)
    assert "ban-tin-sang" in err.value.en
