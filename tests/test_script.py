"""The script model: paragraphs, syllables and reading time, takes laid out in script order."""

from __future__ import annotations

import json

import numpy as np
import pytest

from audio.timeline import Clip, Timeline, Track, TrackRole
from studio.programme import (
    VERSION,
    Programme,
    load_programme,
    programme_from_json,
    programme_to_json,
    save_programme,
)
from studio.script import (
    DEFAULT_PACE_SPS,
    Script,
    ScriptItem,
    clean_text,
    item_start,
    place_item_take,
    script_from_text,
    script_timing,
    set_script_text,
    split_paragraphs,
    syllables,
    trim_silence,
)

RATE = 48_000


def test_paragraphs_split_on_blank_lines_and_drop_pasted_formatting():
    pasted = (
        "\ufeff• Tin thứ nhất:\u00a0mưa lớn\r\nkéo dài.\r\n\r\n \r\n"
        "2. Tin thứ hai\u200b về\tlúa.\n\n\n– Thông báo cuối."
    )
    assert split_paragraphs(pasted) == [
        "Tin thứ nhất: mưa lớn kéo dài.",
        "Tin thứ hai về lúa.",
        "Thông báo cuối.",
    ]
    # decomposed (NFD) input, as some web pages give it, becomes NFC
    assert clean_text("Bu\u0309n") == "Bủn"


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Bản tin sáng", 3),
        ("Kính thưa bà con", 4),
        ("lúc 6h30", 5),  # lúc sáu giờ ba mươi
        ("17:05", 4),  # mười bảy giờ năm
        ("ngày 26/11", 7),  # ngày hai mươi sáu tháng mười một
        ("26/11/2026", 13),  # hai mươi sáu tháng mười một năm hai nghìn lẻ hai mươi sáu
        ("1.500.000 đồng", 6),  # một triệu năm trăm nghìn đồng
        ("3,5 ha", 5),  # ba phẩy năm héc ta
        ("UBND xã", 5),  # ủy ban nhân dân xã
        ("HTX", 3),  # hợp tác xã
        ("25%", 5),  # hai mươi lăm phần trăm
        ("ABC", 3),  # an unknown abbreviation is spelt letter by letter
        ("", 0),
    ],
)
def test_syllables_count_as_read_aloud(text, count):
    assert syllables(text) == count


def _voice_timeline(*clips: Clip) -> Timeline:
    return Timeline(rate=RATE, tracks=(Track("Giọng đọc", clips=tuple(clips)),))


def test_reading_time_uses_the_default_pace_until_there_are_takes():
    script = script_from_text("Một hai ba bốn.\n\nNăm sáu bảy tám chín mười.")
    timing = script_timing(Timeline(rate=RATE), script)
    assert timing.pace_sps == DEFAULT_PACE_SPS
    assert [i.syllables for i in timing.items] == [4, 6]
    assert timing.items[0].estimated_s == pytest.approx(1.0)
    assert timing.total_estimated_s == pytest.approx(1.0 + 1.5 + script.pause_s)
    assert timing.items[0].take is None


def test_reading_time_follows_the_readers_own_pace():
    text = "một " * 30 + "\n\n" + "hai " * 30
    script = script_from_text(text)
    # item 0 read in 10 s: 3 syllables a second, so item 1 is estimated at 10 s too
    clip = Clip("take0", 0, 10 * RATE)
    script = script.with_changes(
        items=(script.items[0].with_changes(take="take0"), script.items[1])
    )
    timing = script_timing(_voice_timeline(clip), script)
    assert timing.pace_sps == pytest.approx(3.0)
    assert timing.items[1].estimated_s == pytest.approx(10.0)
    assert timing.items[0].take_s == pytest.approx(10.0)


def test_over_and_under_the_slot():
    script = script_from_text("một " * 40).with_changes(slot_s=5.0)
    timing = script_timing(Timeline(rate=RATE), script)
    assert timing.over_s == pytest.approx(10.0 - 5.0)
    assert script_timing(Timeline(rate=RATE), script.with_changes(slot_s=None)).over_s is None


def test_a_corrected_script_keeps_the_takes_of_unchanged_items():
    base = Script(items=(ScriptItem("Tin một.", "t1"), ScriptItem("Tin hai.", "t2")))
    new = script_from_text("Tin một.\n\nTin hai đã sửa.\n\nTin hai.", base)
    assert [i.take for i in new.items] == ["t1", None, "t2"]


def _take(source: str, seconds: float) -> Clip:
    return Clip(source, 0, int(seconds * RATE))


def test_takes_are_placed_in_script_order_with_pauses():
    script = script_from_text("Tin một.\n\nTin hai.\n\nTin ba.").with_changes(anchor=2 * RATE)
    tl = Timeline(rate=RATE)
    tl, script = place_item_take(tl, script, 0, _take("a", 3))
    tl, script = place_item_take(tl, script, 2, _take("c", 4))
    tl, script = place_item_take(tl, script, 1, _take("b", 5))  # read out of order
    voice = tl.tracks[tl.track_index("Giọng đọc")]
    pause = int(script.pause_s * RATE)
    starts = {c.source_id: c.start for c in voice.clips}
    assert starts["a"] == 2 * RATE
    assert starts["b"] == 2 * RATE + 3 * RATE + pause
    assert starts["c"] == starts["b"] + 5 * RATE + pause
    assert [i.take for i in script.items] == ["a", "b", "c"]


def test_rereading_replaces_just_that_take_and_keeps_the_old_one():
    closing = Clip("jingle", 0, RATE, name="kết")
    script = script_from_text("Tin một.\n\nTin hai.")
    tl = Timeline(rate=RATE, tracks=(Track("Nhạc hiệu", role=TrackRole.JINGLE),))
    tl, script = place_item_take(tl, script, 0, _take("a", 3))
    tl, script = place_item_take(tl, script, 1, _take("b", 2))
    pause = int(script.pause_s * RATE)
    end_b = 3 * RATE + pause + 2 * RATE
    tl = tl.with_track(0, tl.tracks[0].with_clip(closing.with_changes(start=end_b + pause)))

    tl, script = place_item_take(tl, script, 0, _take("a2", 4.5))  # item 0 read again, longer
    voice = tl.tracks[tl.track_index("Giọng đọc")]
    starts = {c.source_id: c.start for c in voice.clips}
    assert set(starts) == {"a2", "b"}
    assert starts["b"] == int(4.5 * RATE) + pause  # the pause stays
    jingle = tl.tracks[0].clips[0]
    assert jingle.start == end_b + pause + int(1.5 * RATE)  # what followed moved on too
    assert [c.source_id for c in voice.takes] == ["a"]  # kept as an alternative take
    assert [t.name for t in tl.tracks].count("Giọng đọc") == 1 and len(tl.tracks) == 2
    assert script.items[0].take == "a2"


def test_reserved_room_keeps_later_parts_in_place_until_the_take_replaces_it():
    script = Script(items=(ScriptItem("Tin một.", reserved=10 * RATE), ScriptItem("Kết.")))
    bed = Clip("bed", 10 * RATE + int(0.8 * RATE) - RATE, 20 * RATE)
    tl = Timeline(rate=RATE, tracks=(Track("Nhạc nền", clips=(bed,), role=TrackRole.MUSIC_BED),))
    assert item_start(tl, script, 1) == 10 * RATE + int(script.pause_s * RATE)
    tl, script = place_item_take(tl, script, 0, _take("a", 8))
    # the take is 2 s shorter than the room: what started after the room moves 2 s earlier
    assert tl.tracks[0].clips[0].start == bed.start  # the bed started inside the room: stays
    assert item_start(tl, script, 1) == 8 * RATE + int(script.pause_s * RATE)
    assert script.items[0].reserved == 0


def test_a_new_script_text_moves_what_followed_the_old_script():
    script = Script(items=(ScriptItem("một " * 8, reserved=2 * RATE),))
    jingle = Clip("j", 2 * RATE + RATE, RATE)
    tl = Timeline(rate=RATE, tracks=(Track("Nhạc hiệu", clips=(jingle,)),))
    tl, new = set_script_text(tl, script, "một " * 8 + "\n\n" + "hai " * 8)
    pause = int(new.pause_s * RATE)
    assert [i.reserved for i in new.items] == [2 * RATE, 2 * RATE]
    assert tl.tracks[0].clips[0].start == jingle.start + 2 * RATE + pause


def test_trim_silence_keeps_a_breath_either_side():
    frames = np.zeros((3 * RATE, 1), np.float32)
    frames[RATE : 2 * RATE] = 0.3
    offset, length = trim_silence(frames, RATE)
    assert offset == pytest.approx(RATE - 0.15 * RATE, abs=RATE // 100)
    assert length == pytest.approx(RATE + 0.3 * RATE, abs=RATE // 50)
    silent = np.zeros((RATE, 2), np.float32)
    assert trim_silence(silent, RATE) == (0, RATE)


def test_the_script_is_saved_in_the_programme_file(tmp_path):
    script = Script(
        items=(ScriptItem("Kính thưa bà con.", "abc", 0), ScriptItem("Tin hai.", None, 4800)),
        anchor=9600,
        slot_s=900.0,
    )
    p = Programme(title="Bản tin", script=script)
    save_programme(p, tmp_path / "a.sttprog")
    assert load_programme(tmp_path / "a.sttprog").script == script
    assert programme_to_json(p)["version"] == VERSION >= 2


def test_a_version_1_file_gets_an_empty_script():
    d = {"format": "studio-truyen-thanh/programme", "version": 1, "title": "cũ", "tracks": []}
    p = programme_from_json(json.loads(json.dumps(d)))
    assert p.title == "cũ" and p.script == Script()


def test_a_script_without_a_template_reads_onto_the_first_voice_track():
    tl = Timeline(rate=RATE, tracks=(Track("Nhạc", role=TrackRole.MUSIC_BED), Track("Voice")))
    _, script = set_script_text(tl, Script(), "Tin một.")
    assert script.voice_track == "Voice"
