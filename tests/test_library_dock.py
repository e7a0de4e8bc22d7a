"""The library dock with a real library (SQLite file and PostgreSQL), offscreen Qt."""

from __future__ import annotations

import datetime as dt
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QCoreApplication, QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from tests import library_support
from tests.library_support import tone
from ui.library.dock import LibraryDock
from ui.library.segments import SEGMENT_MIME, SegmentDialog, decode_segment_mime

backend = library_support.backend
db_url = library_support.db_url
library = library_support.library


@pytest.fixture(autouse=True)
def english(monkeypatch):
    monkeypatch.setenv("STUDIO_LANG", "en")


@pytest.fixture
def stocked(library, tmp_path):
    folder = tmp_path / "stock"
    today = dt.date.today()
    entries = [
        ("Bản tin sáng", "news_item", "Chính trị", None),
        ("Nhạc hiệu đầu giờ", "jingle", "", None),
        (
            "Thông báo phòng chống bão",
            "announcement",
            "Phòng chống thiên tai",
            today + dt.timedelta(days=2),
        ),
        ("Thông báo tiêm phòng", "announcement", "Y tế", today - dt.timedelta(days=1)),
    ]
    for i, (title, kind, category, until) in enumerate(entries):
        report = library.import_paths([tone(folder / f"{i}.wav", freq=300 + 40 * i)])
        library.update(
            report.added[0].segment_id,
            title=title,
            kind=kind,
            category=category,
            valid_until=until,
        )
    return library


class ImmediatePool:
    """Runs a job at once on the calling thread, so a search has answered when refresh()
    returns (the real single-thread search pool is tested on its own)."""

    def start(self, job) -> None:
        job.run()


@pytest.fixture
def dock(qtbot, stocked):
    widget = LibraryDock(stocked, search_pool=ImmediatePool())
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    if widget.job is not None:
        widget.job.cancel()
        qtbot.waitUntil(lambda: widget.job is None, timeout=10_000)


def shown(dock) -> list[str]:
    return [dock.model.segment(r).title for r in range(dock.model.rowCount())]


def test_instant_search_as_the_user_types_in_the_background(qtbot, stocked):
    dock = LibraryDock(stocked)  # its own search thread
    qtbot.addWidget(dock)
    qtbot.waitUntil(lambda: len(shown(dock)) == 4, timeout=5000)
    qtbot.keyClicks(dock.search_box, "ban tin")
    qtbot.waitUntil(lambda: shown(dock) == ["Bản tin sáng"], timeout=2000)
    dock.search_box.setText("THONG BAO")
    qtbot.waitUntil(lambda: len(shown(dock)) == 2, timeout=2000)
    assert "2" in dock.status.text()


def test_a_full_page_says_so(qtbot, dock, monkeypatch):
    import ui.library.dock

    monkeypatch.setattr(ui.library.dock, "PAGE_ROWS", 3)
    dock.refresh()
    assert len(shown(dock)) == 3 and "first 3" in dock.status.text()


def test_filters_and_flags(dock):
    dock.kind_filter.setCurrentIndex(dock.kind_filter.findData("announcement"))
    assert shown(dock) == ["Thông báo phòng chống bão", "Thông báo tiêm phòng"]
    dock.hide_expired.setChecked(True)
    assert shown(dock) == ["Thông báo phòng chống bão"]
    dock.hide_expired.setChecked(False)
    dock.category_filter.setCurrentIndex(dock.category_filter.findData("Y tế"))
    assert shown(dock) == ["Thông báo tiêm phòng"]
    expired = dock.model.index(0, 0)
    assert dock.model.data(expired, Qt.ItemDataRole.FontRole).strikeOut()
    assert dock.model.data(expired, Qt.ItemDataRole.ToolTipRole) == "Expired"
    dock.category_filter.setCurrentIndex(0)
    dock.valid_today.setChecked(True)
    assert "Thông báo tiêm phòng" not in shown(dock)
    soon = dock.model.index(shown(dock).index("Thông báo phòng chống bão"), 0)
    assert dock.model.data(soon, Qt.ItemDataRole.BackgroundRole) is not None


def test_header_click_sorts_in_the_database(qtbot, dock):
    header = dock.table.horizontalHeader()
    kind_col = [k for k, _ in dock.model.COLUMNS].index("kind")
    dock.table.sortByColumn(kind_col, Qt.SortOrder.DescendingOrder)
    kinds = [dock.model.segment(r).kind for r in range(dock.model.rowCount())]
    assert kinds == sorted(kinds, reverse=True)
    assert header.sortIndicatorSection() == kind_col
    dock.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert shown(dock)[0] == "Bản tin sáng"


def test_drag_carries_segment_and_source_ids(dock):
    mime = dock.model.mimeData([dock.model.index(0, 0), dock.model.index(0, 3)])
    assert mime.hasFormat(SEGMENT_MIME)
    (payload,) = decode_segment_mime(mime)
    seg = dock.model.segment(0)
    assert payload["segment_id"] == seg.id and payload["source_id"] == seg.sha256
    assert payload["frames"] == seg.frames and payload["rate"] == 48_000
    assert decode_segment_mime(QMimeData()) == []
    assert dock.model.flags(dock.model.index(0, 0)) & Qt.ItemFlag.ItemIsDragEnabled


def test_inline_edit_saves_and_bad_input_is_refused(dock, stocked):
    index = dock.model.index(0, 0)
    seg_id = dock.model.segment(0).id
    assert dock.model.setData(index, "Bản tin chiều")
    assert stocked.get(seg_id).title == "Bản tin chiều"
    assert dock.model.data(index) == "Bản tin chiều"
    assert not dock.model.setData(index, "   ")
    assert "title" in dock.status.text()
    assert stocked.get(seg_id).title == "Bản tin chiều"
    assert not dock.model.flags(dock.model.index(0, 3)) & Qt.ItemFlag.ItemIsEditable


def test_details_dialog_edits_every_field(dock, stocked, qtbot):
    seg = dock.model.segment(0)
    dialog = SegmentDialog(seg, stocked.categories())
    qtbot.addWidget(dialog)
    dialog.tags.setText("thời sự, sáng")
    dialog.author.setText("Đài xã")
    dialog.kind.setCurrentIndex(dialog.kind.findData("interview"))
    dialog.valid_until.setDate(dialog.valid_until.date().currentDate().addDays(30))
    assert dock.apply_edit(seg.id, dialog.changes())
    saved = stocked.get(seg.id)
    assert saved.tags == ("thời sự", "sáng") and saved.author == "Đài xã"
    assert saved.kind == "interview" and saved.valid_until is not None
    assert saved.recorded_on is None  # the empty date stays empty
    bad = dialog.changes() | {"valid_from": dt.date(2099, 1, 1)}
    assert not dock.apply_edit(seg.id, bad)
    assert "valid" in dock.status.text().lower()


def test_edit_button_runs_the_dialog(dock, stocked, monkeypatch):
    dock.table.selectRow(0)
    seg_id = dock.model.segment(0).id

    def accept(dialog):
        dialog.title.setText("Đổi tên qua hộp thoại")
        return True

    monkeypatch.setattr(dock, "_run_dialog", accept)
    dock.edit_selected()
    assert stocked.get(seg_id).title == "Đổi tên qua hộp thoại"


def test_import_in_the_background_with_progress(qtbot, dock, stocked, tmp_path):
    folder = tmp_path / "new"
    tone(folder / "phong-van.wav", freq=900, seconds=2.0)
    tone(folder / "tin-van.flac", freq=950, seconds=2.0)
    (folder / "hong.wav").write_bytes(b"RIFF....WAVEbroken")
    seen = []
    dock.job_progress = dock.progress.valueChanged.connect(seen.append)
    with qtbot.waitSignal(dock.importFinished, timeout=20_000) as done:
        assert dock.start_import([folder]) is not None
        assert dock.progress.isVisible() and not dock.import_button.isEnabled()
        assert dock.start_import([folder]) is None  # one import at a time
    report = done.args[0]
    assert len(report.added) == 2 and len(report.failed) == 1
    assert "hong.wav" in dock.status.text()
    assert not dock.progress.isVisible() and dock.import_button.isEnabled()
    assert seen and max(seen) == 1000
    assert {"phong van", "tin van"} <= set(shown(dock))
    assert stocked.count() == 6


def test_cancel_an_import(qtbot, dock, stocked, tmp_path):
    files = [tone(tmp_path / "c" / f"{i}.wav", freq=500 + i, seconds=3.0) for i in range(6)]
    with qtbot.waitSignal(dock.importFinished, timeout=20_000) as done:
        dock.start_import(files)
        dock.cancel_button.click()
    report = done.args[0]
    assert report.cancelled and len(report.added) < 6
    assert "cancelled" in dock.status.text()
    assert stocked.count() == 4 + len(report.added)


def test_drop_files_onto_the_dock_imports_them(qtbot, dock, stocked, tmp_path):
    path = tone(tmp_path / "keo-tha.wav", freq=1200)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        QPointF(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(dock.importFinished, timeout=20_000):
        dock.dropEvent(event)
    assert "keo tha" in shown(dock)


def test_delete_asks_when_in_use(dock, stocked, monkeypatch):
    dock.table.selectRow(0)
    seg = dock.model.segment(0)
    stocked.record_usage(seg.id, "Bản tin 26/11")
    asked = []
    monkeypatch.setattr(dock, "_confirm", lambda title, text: asked.append(text) or False)
    dock.delete_selected()
    assert asked and "Bản tin 26/11" in asked[0]
    assert stocked.get(seg.id)
    dock.table.selectRow(0)
    monkeypatch.setattr(dock, "_confirm", lambda title, text: True)
    dock.delete_selected()
    assert seg.title not in shown(dock)
    assert stocked.store.has(seg.sha256, seg.store_rate)  # used media stays


def test_preview_hands_frames_to_the_player(qtbot, stocked):
    played = []
    dock = LibraryDock(
        stocked,
        preview=lambda frames, rate: played.append((frames.shape, rate)),
        search_pool=ImmediatePool(),
    )
    qtbot.addWidget(dock)
    dock.table.selectRow(0)
    with qtbot.waitSignal(dock.previewRequested):
        dock.preview_selected()
    assert played == [((48_000, 1), 48_000)]
    seg = dock.model.segment(0)
    for f in stocked.store.root.rglob(f"{seg.sha256}*"):
        f.unlink()
    stocked.store._open.clear()
    dock.preview_selected()
    assert len(played) == 1 and "missing" in dock.status.text()


def test_vietnamese_translation(qtbot, stocked):
    from ui.looks import load_translations

    app = QCoreApplication.instance()
    assert "library_vi.qm" in load_translations(app, "vi")  # what the app loads at start
    try:
        dock = LibraryDock(stocked, search_pool=ImmediatePool())
        qtbot.addWidget(dock)
        assert dock.search_box.placeholderText().startswith("Tìm theo tiêu đề")
        assert dock.model.headerData(2, Qt.Orientation.Horizontal) == "Lĩnh vực"
        assert dock.kind_filter.itemText(1) == "Nhạc hiệu"
    finally:
        load_translations(app, "en")


def test_search_errors_are_shown_and_stale_answers_dropped(dock, stocked, monkeypatch):
    from studio.library import LibraryError

    def lost(*_a, **_k):
        raise LibraryError("Lost the connection to the library database server.", "Mất kết nối.")

    before = shown(dock)
    monkeypatch.setattr(stocked, "search", lost)
    dock.refresh()
    assert "Lost the connection" in dock.status.text()
    assert shown(dock) == before  # the last good answer stays on screen
    monkeypatch.undo()
    dock._search_done((dock._generation - 1, []))  # an older search answering late
    assert shown(dock) == before
    dock.refresh()
    assert len(shown(dock)) == 4


def test_double_click_previews_and_several_rows_get_one_kind(qtbot, stocked):
    played = []
    dock = LibraryDock(
        stocked, preview=lambda frames, rate: played.append(rate), search_pool=ImmediatePool()
    )
    qtbot.addWidget(dock)
    dock.show()
    first = dock.model.index(0, 0)
    dock.table.doubleClicked.emit(first)  # what a double-click on a row gives
    assert played == [48_000]
    assert not dock.table.indexWidget(first)  # listening, not editing
    dock.table.selectAll()
    assert dock.set_kind_of_selected("news_item") == 3  # one was a news item already
    assert {s.kind for s in stocked.search("")} == {"news_item"}


def test_add_at_playhead_asks_the_window_with_the_selection(qtbot, dock):
    dock.table.selectRow(1)
    with qtbot.waitSignal(dock.addRequested) as sig:
        dock.add_button.click()
    assert [s.title for s in sig.args[0]] == [dock.model.segment(1).title]
