"""The segment library service on a SQLite file and on real PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import mutagen.flac
import pyloudnorm
import pytest
import soundfile as sf
from sqlalchemy import func, select

from audio.errors import Cancelled, MediaError
from studio.library import (
    Library,
    LibraryError,
    SegmentInUse,
    SegmentNotFound,
    fold,
)
from studio.library.importer import collect_files, read_tags, title_from_filename
from studio.library.models import DEFAULT_CATEGORIES, Segment, SegmentUsage
from tests import library_support
from tests.library_support import tone

# Fixtures shared by the library tests (a library per backend: SQLite file, PostgreSQL).
backend = library_support.backend
db_url = library_support.db_url
library = library_support.library

UTC = dt.UTC


# --- folding --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Bản tin", "ban tin"),
        ("PHÒNG CHỐNG THIÊN TAI", "phong chong thien tai"),
        ("Đường đê", "duong de"),
        ("Văn hoá–xã hội", "van hoa xa hoi"),
        ("Bản tin sáng 01/12, số_3", "ban tin sang 01 12 so 3"),
        ("ban tin", "ban tin"),
        # NFC and NFD spellings fold alike
        ("Ho\u0302\u0300i", "hoi"),
        ("Hồi", "hoi"),
    ],
)
def test_fold(raw, folded):
    assert fold(raw) == folded


def test_title_from_filename():
    assert title_from_filename("/x/ban-tin_sang  01.mp3") == "ban tin sang 01"
    assert title_from_filename("Bản tin sáng.wav") == "Bản tin sáng"


# --- import ---------------------------------------------------------------------------------


def _add(lib: Library, folder: Path, name: str, freq: float, **meta):
    path = tone(folder / name, freq=freq)
    report = lib.import_paths([path])
    (item,) = report.items
    assert item.status == "added", item.reason_en
    if meta:
        lib.update(item.segment_id, **meta)
    return lib.get(item.segment_id)


def test_import_folder_with_tags_failures_and_duplicates(library, tmp_path):
    folder = tmp_path / "in"
    wav = tone(folder / "ban-tin_sang.wav", freq=440, seconds=3.0, amplitude=0.5)
    flac = tone(folder / "sub" / "nhạc nền.flac", freq=220, seconds=2.0, channels=2)
    tags = mutagen.flac.FLAC(flac)
    tags["title"] = "Nhạc nền buổi sáng"
    tags["artist"] = "Đài xã Tân Phú"
    tags["date"] = "2024-05-17"
    tags["genre"] = "Nhạc không lời"
    tags.save()
    (folder / "hỏng.mp3").write_bytes(b"\x00not audio at all" * 50)
    (folder / "notes.txt").write_text("not imported: not an audio suffix")
    (folder / "copy").mkdir()
    (folder / "copy" / "same.wav").write_bytes(wav.read_bytes())  # same bytes, other name

    seen = []
    report = library.import_paths([folder], kind="news_item", progress=seen.append)

    statuses = {Path(i.path).name: i.status for i in report.items}
    assert statuses == {
        "ban-tin_sang.wav": "added",
        "same.wav": "duplicate",
        "hỏng.mp3": "failed",
        "nhạc nền.flac": "added",
    }
    failed = report.failed[0]
    assert "hỏng.mp3" in failed.reason_en and "hỏng.mp3" in failed.reason_vi
    assert seen and seen == sorted(seen) and seen[-1] == 1.0
    assert library.count() == 2

    by_title = {s.title: s for s in library.search()}
    sang = by_title["ban tin sang"]
    assert sang.kind == "news_item" and sang.sample_rate == 44_100 and sang.channels == 1
    assert sang.frames == 3 * 48_000 and sang.store_rate == 48_000
    # Loudness against an independent meter (pyloudnorm with the spec's filter) on the file.
    data, rate = sf.read(wav)
    expected = pyloudnorm.Meter(rate, filter_class="DeMan").integrated_loudness(data)
    assert sang.integrated_lufs == pytest.approx(expected, abs=0.1)
    bed = by_title["Nhạc nền buổi sáng"]
    assert bed.author == "Đài xã Tân Phú" and bed.recorded_on == dt.date(2024, 5, 17)
    assert bed.tags == ("Nhạc không lời",) and bed.channels == 2
    assert library.store.has(bed.sha256, 48_000)
    assert (library.store.root / bed.peaks_ref).exists()
    dup = report.duplicates[0]
    assert dup.segment_id == sang.id

    again = library.import_paths([folder])
    assert [i.status for i in again.items].count("added") == 0
    assert library.count() == 2


def test_import_of_missing_path_is_listed_and_batch_goes_on(library, tmp_path):
    good = tone(tmp_path / "a.wav")
    report = library.import_paths([tmp_path / "nowhere.wav", good])
    assert [i.status for i in report.items] == ["failed", "added"]
    assert "nowhere.wav" in report.items[0].reason_vi


def test_cancel_keeps_finished_files_and_leaves_nothing_half_done(library, tmp_path):
    files = [tone(tmp_path / f"f{i}.wav", freq=300 + 50 * i, seconds=2.0) for i in range(3)]

    def progress(fraction: float) -> None:
        if fraction > 0.5:  # in the middle of the second file
            raise Cancelled

    report = library.import_paths(files, progress=progress)
    assert report.cancelled
    assert [i.status for i in report.items] == ["added"]
    assert library.count() == 1
    leftovers = [p for p in library.store.root.rglob("*") if p.name.endswith(".part")]
    assert leftovers == []


def test_read_tags_of_untagged_and_damaged_files(tmp_path):
    assert read_tags(tone(tmp_path / "x.wav")).title == ""
    bad = tmp_path / "bad.mp3"
    bad.write_bytes(b"ID3\x04\x00\x00\xff\xff\xff\xffgarbage")
    assert read_tags(bad).title == ""


def test_file_recording_in_one_action(library, tmp_path):
    take = tone(tmp_path / "take-0001.wav", seconds=0.5)
    seg = library.file_recording(take, "Phỏng vấn chủ tịch xã", category="Chính trị")
    assert seg.kind == "recording" and seg.recorded_on == dt.date.today()
    assert library.file_recording(take).id == seg.id  # the same take twice: one segment


# --- search ---------------------------------------------------------------------------------


@pytest.fixture
def stocked(library, tmp_path):
    folder = tmp_path / "stock"
    today = dt.date.today()
    _add(
        library,
        folder,
        "a.wav",
        301,
        title="Bản tin sáng thứ Hai",
        kind="news_item",
        category="Chính trị",
        tags="thời sự, xã",
        recorded_on=dt.date(2024, 1, 10),
    )
    _add(
        library,
        folder,
        "b.wav",
        302,
        title="Nhạc hiệu đầu giờ",
        kind="jingle",
        author="Đội văn nghệ",
        recorded_on=dt.date(2023, 6, 1),
    )
    _add(
        library,
        folder,
        "c.wav",
        303,
        title="Hướng dẫn phòng chống bão",
        kind="announcement",
        category="Phòng chống thiên tai",
        valid_until=today + dt.timedelta(days=3),
        recorded_on=dt.date(2024, 9, 1),
    )
    _add(
        library,
        folder,
        "d.wav",
        304,
        title="Thông báo tiêm phòng",
        kind="announcement",
        category="Y tế",
        notes="Đợt tiêm vắc xin cho trẻ em",
        valid_until=today - dt.timedelta(days=1),
    )
    _add(
        library,
        folder,
        "e.wav",
        305,
        title="Quảng cáo phân bón",
        kind="advert",
        category="Nông nghiệp",
        valid_from=today + dt.timedelta(days=10),
    )
    return library


def titles(found) -> list[str]:
    return [s.title for s in found]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ban tin", ["Bản tin sáng thứ Hai"]),
        ("BẢN TIN", ["Bản tin sáng thứ Hai"]),
        ("ban t", ["Bản tin sáng thứ Hai"]),  # prefix as the user types
        ("phong chong thien tai", ["Hướng dẫn phòng chống bão"]),  # via the category
        ("d", ["Hướng dẫn phòng chống bão", "Nhạc hiệu đầu giờ", "Thông báo tiêm phòng"]),  # d~đ
        ("đau", ["Nhạc hiệu đầu giờ"]),
        ("doi van nghe", ["Nhạc hiệu đầu giờ"]),  # author
        ("vac xin", ["Thông báo tiêm phòng"]),  # notes
        ("thoi su", ["Bản tin sáng thứ Hai"]),  # tags
        ("in", []),  # inside a word, not a word start
        ("ban tin bao", []),  # every word must match
        ("", None),
    ],
)
def test_search_text(stocked, query, expected):
    found = titles(stocked.search(query))
    if expected is None:
        assert len(found) == 5
    else:
        assert found == expected


def test_search_filters(stocked):
    today = dt.date.today()
    assert titles(stocked.search(kinds=("announcement",))) == [
        "Hướng dẫn phòng chống bão",
        "Thông báo tiêm phòng",
    ]
    assert titles(stocked.search(category="Y tế")) == ["Thông báo tiêm phòng"]
    assert titles(
        stocked.search(recorded_from=dt.date(2024, 1, 1), recorded_to=dt.date(2024, 12, 31))
    ) == ["Bản tin sáng thứ Hai", "Hướng dẫn phòng chống bão"]
    valid = titles(stocked.search(valid_today=True))
    assert "Thông báo tiêm phòng" not in valid and "Quảng cáo phân bón" not in valid
    assert len(valid) == 3
    shown = titles(stocked.search(hide_expired=True))
    assert "Thông báo tiêm phòng" not in shown and len(shown) == 4
    flags = {s.title: (s.expired(today), s.expiring_soon(today)) for s in stocked.search()}
    assert flags["Thông báo tiêm phòng"] == (True, False)
    assert flags["Hướng dẫn phòng chống bão"] == (False, True)
    assert flags["Nhạc hiệu đầu giờ"] == (False, False)
    assert stocked.count("thong bao") == 1
    assert stocked.count("thong bao", kinds=("jingle",)) == 0
    assert stocked.count("t", kinds=("announcement",)) == 2
    assert stocked.count(kinds=("announcement",)) == 2 and stocked.count() == 5


def test_not_used_in_last_n_days(stocked):
    ids = {s.title: s.id for s in stocked.search()}
    now = dt.datetime.now(UTC)
    stocked.record_usage(ids["Nhạc hiệu đầu giờ"], "Bản tin 25/11", "exported", now)
    stocked.record_usage(
        ids["Bản tin sáng thứ Hai"], "Bản tin 1/10", "pushed", now - dt.timedelta(days=40)
    )
    unused = titles(stocked.search(unused_days=30))
    assert "Nhạc hiệu đầu giờ" not in unused and "Bản tin sáng thứ Hai" in unused
    assert len(unused) == 4
    assert stocked.get(ids["Nhạc hiệu đầu giờ"]).last_used_at == now


@pytest.mark.parametrize(
    "sort",
    [
        "title",
        "kind",
        "category",
        "duration",
        "loudness",
        "last_used",
        "valid_until",
        "recorded",
        "created",
        "modified",
        "author",
        "true_peak",
    ],
)
def test_sort_by_any_column_both_ways(stocked, sort):
    up = stocked.search(sort=sort)
    down = stocked.search(sort=sort, descending=True)
    assert len(up) == len(down) == 5

    def key(s):
        return {
            "title": fold(s.title),
            "duration": s.frames,
            "loudness": s.integrated_lufs,
            "last_used": s.last_used_at,
            "recorded": s.recorded_on,
            "created": s.created_at,
            "modified": s.modified_at,
            "true_peak": s.true_peak_dbtp,
        }.get(sort, getattr(s, sort, None))

    for rows, reverse in ((up, False), (down, True)):
        present = [key(s) for s in rows if key(s) is not None]
        assert present == sorted(present, reverse=reverse)
        # Empty values come last either way.
        nones = [key(s) is None for s in rows]
        assert nones == sorted(nones)


@pytest.mark.parametrize("sort", ["title", "valid_until", "last_used"])
def test_pages_and_dense_words_give_the_same_answer(stocked, monkeypatch, sort):
    """Paging crosses the boundary to empty values; a common word takes the ordered scan."""
    from studio.library import search

    ids = {s.title: s.id for s in stocked.search()}
    stocked.record_usage(ids["Nhạc hiệu đầu giờ"], "P1")
    for query in ("", "t", "thong bao"):
        whole = [s.id for s in stocked.search(query, sort=sort)]

        def paged(query=query):
            ids = []
            for offset in range(0, 6, 2):
                ids += [s.id for s in stocked.search(query, sort=sort, limit=2, offset=offset)]
            return ids

        assert paged() == whole
        # As if the words were common: the ordered walk (pages of 2) and the index path.
        monkeypatch.setattr(search, "_SPARSE_CAP", 1)
        assert [s.id for s in stocked.search(query, sort=sort)] == whole
        assert paged() == whole
        monkeypatch.setattr(search, "_WALK_BUDGET", 0)
        assert paged() == whole
        monkeypatch.undo()


def test_title_sort_ignores_diacritics(stocked):
    assert titles(stocked.search())[:2] == ["Bản tin sáng thứ Hai", "Hướng dẫn phòng chống bão"]


def test_unknown_sort_is_a_clear_error(stocked):
    with pytest.raises(LibraryError):
        stocked.search(sort="colour")


# --- editing --------------------------------------------------------------------------------


def test_update_refolds_search_and_validates(stocked):
    seg = stocked.search("nhac hieu")[0]
    updated = stocked.update(seg.id, title="Nhạc hiệu kết thúc", tags=["cuối", "giờ"])
    assert updated.modified_at >= seg.modified_at
    assert titles(stocked.search("ket thuc")) == ["Nhạc hiệu kết thúc"]
    assert stocked.search("dau gio") == []
    assert stocked.get(seg.id).tags == ("cuối", "giờ")
    with pytest.raises(LibraryError) as bad_kind:
        stocked.update(seg.id, kind="podcast")
    assert "podcast" in bad_kind.value.vi
    with pytest.raises(LibraryError):
        stocked.update(seg.id, valid_from="2025-02-01", valid_until="2025-01-01")
    with pytest.raises(LibraryError):
        stocked.update(seg.id, valid_until="31/12/2025")
    with pytest.raises(LibraryError):
        stocked.update(seg.id, sha256="0" * 64)
    with pytest.raises(LibraryError):
        stocked.update(seg.id, title="  ")
    with pytest.raises(SegmentNotFound):
        stocked.update(999_999, title="x")
    assert stocked.get(seg.id).title == "Nhạc hiệu kết thúc"


def test_categories_editable_list(stocked):
    assert stocked.categories() == list(DEFAULT_CATEGORIES)
    stocked.add_category("Chuyển đổi số")
    assert stocked.categories()[-1] == "Chuyển đổi số"
    with pytest.raises(LibraryError):
        stocked.add_category("chuyển đổi số ".replace("c", "C", 1))
    stocked.rename_category("Y tế", "Y tế – Dân số")
    assert titles(stocked.search(category="Y tế – Dân số")) == ["Thông báo tiêm phòng"]
    assert titles(stocked.search("dan so")) == ["Thông báo tiêm phòng"]
    stocked.remove_category("Y tế – Dân số")
    assert "Y tế – Dân số" not in stocked.categories()
    assert stocked.search("dan so") == []


# --- usage and deletion ---------------------------------------------------------------------


def test_delete_asks_when_used_and_keeps_used_media(stocked):
    used = stocked.search("ban tin")[0]
    stocked.record_usage(used.id, "Bản tin 26/11", "added")
    stocked.record_usage(used.id, "Bản tin 26/11", "exported")
    history = stocked.usages(used.id)
    assert [u.action for u in history] == ["exported", "added"]
    with pytest.raises(SegmentInUse) as asked:
        stocked.delete(used.id)
    assert "Bản tin 26/11" in asked.value.vi and len(asked.value.usages) == 2
    assert stocked.get(used.id).title == used.title  # nothing deleted yet
    stocked.delete(used.id, confirm_in_use=True)
    with pytest.raises(SegmentNotFound):
        stocked.get(used.id)
    assert stocked.store.has(used.sha256, used.store_rate)  # the programme still plays
    assert stocked.usages(used.id) == []

    unused = stocked.search("quang cao")[0]
    stocked.delete(unused.id)
    assert not stocked.store.has(unused.sha256, unused.store_rate)
    assert stocked.count() == 3


def test_missing_media_is_reported_and_reimport_restores_it(library, tmp_path):
    path = tone(tmp_path / "m.wav", seconds=0.5)
    seg_id = library.import_paths([path]).added[0].segment_id
    seg = library.get(seg_id)
    for f in library.store.root.rglob(f"{seg.sha256}*"):
        f.unlink()
    library.store._open.clear()
    with pytest.raises(MediaError) as missing:
        library.frames(seg_id)
    assert "m" in missing.value.en and "thư mục" in missing.value.vi
    assert [s.id for s in library.missing_media()] == [seg_id]
    report = library.import_paths([path])
    assert report.items[0].status == "duplicate"
    assert library.frames(seg_id).shape == (24_000, 1)
    assert library.missing_media() == []


def test_concurrent_writers_are_serialised(stocked):
    ids = [s.id for s in stocked.search()]
    errors = []

    def work(n: int) -> None:
        try:
            for i in range(5):
                stocked.record_usage(ids[(n + i) % len(ids)], f"Chương trình {n}-{i}")
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with stocked.db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(SegmentUsage)) == 20


def test_no_half_written_rows_when_a_write_fails(library, tmp_path):
    seg_id = library.import_paths([tone(tmp_path / "x.wav")]).added[0].segment_id
    with pytest.raises(LibraryError):
        library.rename_category("Kinh tế", "Nông nghiệp")  # the name is taken
    assert "Kinh tế" in library.categories()
    with library.db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(Segment)) == 1
    assert library.get(seg_id)


def test_collect_files_lists_a_missing_path(tmp_path):
    files, failures = collect_files([tmp_path / "none"])
    assert files == [] and failures[0].status == "failed"


def test_id3_tags_of_an_mp3(library, tmp_path):
    import mutagen.easyid3
    import mutagen.id3

    path = tone(tmp_path / "tin_tuc.mp3", seconds=1.5, format="MP3")
    try:
        tags = mutagen.easyid3.EasyID3(path)
    except mutagen.id3.ID3NoHeaderError:
        tags = mutagen.easyid3.EasyID3()
    tags["title"] = "Tin tức nông thôn mới"
    tags["artist"] = "Phóng viên Lê Thị Hà"
    tags["date"] = "2025"
    tags.save(path)
    seg_id = library.import_paths([path], kind="news_item").added[0].segment_id
    seg = library.get(seg_id)
    assert seg.title == "Tin tức nông thôn mới" and seg.author == "Phóng viên Lê Thị Hà"
    assert seg.recorded_on == dt.date(2025, 1, 1)
    assert [s.id for s in library.search("le thi ha")] == [seg_id]


@pytest.mark.parametrize(
    ("path", "seconds", "kind"),
    [
        ("Nhạc hiệu/mở đầu.mp3", 5, "jingle"),
        ("Nhac nen/buoi sang.mp3", 200, "music_bed"),
        ("2026/Bản tin 26-11.wav", 300, "news_item"),
        ("Thông báo/tiêm phòng.wav", 60, "announcement"),
        ("Quảng cáo/sữa.mp3", 30, "advert"),
        ("Phỏng vấn trưởng thôn.wav", 400, "interview"),
        ("chuông.wav", 4, "jingle"),  # short, no other clue
        ("ghi âm 1.wav", 90, "recording"),
    ],
)
def test_kind_is_guessed_from_names_and_length(path, seconds, kind):
    from studio.library.importer import guess_kind

    assert guess_kind("/đĩa/" + path, seconds)[0] == kind


def test_import_guesses_the_kind_and_a_given_kind_wins(tmp_path):
    from studio.library import open_library
    from studio.paths import StudioHome
    from tests.conftest import tone, write_wav

    home = StudioHome(tmp_path / "h").ensure()
    folder = tmp_path / "in" / "Nhạc nền"
    folder.mkdir(parents=True)
    write_wav(folder / "sáng.wav", tone(20.0, amp=0.2, channels=2))
    write_wav(tmp_path / "in" / "chuông.wav", tone(3.0, amp=0.2, channels=2))
    lib = open_library(home)
    try:
        lib.import_paths([tmp_path / "in"])
        kinds = {s.title: s.kind for s in lib.search("")}
        assert kinds == {"sáng": "music_bed", "chuông": "jingle"}
        write_wav(tmp_path / "x.wav", tone(3.0, freq=300, amp=0.2, channels=2))
        lib.import_paths([tmp_path / "x.wav"], kind="news_item")
        assert lib.search("x")[0].kind == "news_item"
    finally:
        lib.close()
