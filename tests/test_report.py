"""The periodic report for a seeded station history, in CSV, HTML and PDF, and the export log."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import pytest

from audio.errors import StudioError
from studio.export_log import open_log
from studio.report import build_report, period, to_csv, to_html, write_report
from tests.report_support import seed_history

NOVEMBER = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
MADE_AT = dt.datetime(2026, 12, 2, 9, 30)


@pytest.fixture
def history(studio_home, tmp_path):
    files = tmp_path / "files"
    files.mkdir()
    seed_history(studio_home, files)
    return studio_home


@pytest.fixture
def november(history):
    db = open_log(history)
    try:
        return build_report(db, *NOVEMBER, "Đài truyền thanh xã Hoà Bình", now=MADE_AT)
    finally:
        db.close()


def test_contents_emergency_first_totals_and_period_edges(november):
    r = november
    # 31/10 23:59 (local) is outside, 30/11 23:30 inside, 02/12 outside.
    assert [p.title for p in r.programmes] == [
        "Bản tin khẩn cấp 06:12 17/11",
        "Lịch tiêm phòng gia súc",
        "Bản tin sáng 03/11",
        "Thông báo thu thuế",
    ]
    urgent = r.programmes[0]
    assert urgent.priority == "khan-cap" and urgent.duration_s == 121.0
    assert urgent.author == "Nguyễn Thị Hà" and urgent.category == "Phòng chống thiên tai"
    assert urgent.delivered_to == ("loa-xa",)  # the province push failed
    assert urgent.made_at == dt.datetime(2026, 11, 17, 6, 12)  # local time, not UTC
    assert r.programmes[3].category == "Chưa phân loại"

    assert [(p.destination, p.priority) for p in r.pushes[:2]] == [
        ("loa-xa", "khan-cap"),
        ("tinh", "khan-cap"),
    ]
    by_dest = {(p.title, p.destination): p for p in r.pushes}
    failed = by_dest[("Bản tin khẩn cấp 06:12 17/11", "tinh")]
    assert failed.result == "Lỗi: Máy chủ từ chối đăng nhập" and failed.attempts == 2
    assert failed.delivered_at is None
    vaccine = by_dest[("Lịch tiêm phòng gia súc", "loa-xa")]
    assert vaccine.attempts == 3 and vaccine.delivered_at == dt.datetime(2026, 11, 10, 16, 40)
    assert vaccine.schedule == "11/11/2026–15/11/2026, T2 T3 T4 T5 T6, 06:00, 17:30"
    assert vaccine.category == "Nông nghiệp"  # from its export: the push named none
    assert by_dest[("Thông báo thu thuế", "loa-xa")].result == "Đang chờ gửi"

    cats = {t.label: t for t in r.by_category}
    assert list(cats)[-1] == "Chưa phân loại"
    disaster = cats["Phòng chống thiên tai"]
    assert (disaster.programmes, disaster.pushes, disaster.delivered, disaster.emergencies) == (
        1, 2, 1, 1,
    )  # fmt: skip
    assert [(m.label, m.programmes, m.pushes) for m in r.by_month] == [("11/2026", 4, 5)]
    t = r.total
    assert (t.programmes, t.duration_s, t.pushes, t.delivered, t.emergencies) == (
        4, 612 + 185 + 121 + 95, 5, 3, 1,
    )  # fmt: skip


def test_two_months_are_two_lines(history):
    db = open_log(history)
    try:
        r = build_report(db, dt.date(2026, 10, 1), dt.date(2026, 12, 31), now=MADE_AT)
    finally:
        db.close()
    assert [(m.label, m.programmes, m.emergencies) for m in r.by_month] == [
        ("10/2026", 1, 0),
        ("11/2026", 4, 1),
        ("12/2026", 1, 1),
    ]
    assert r.total.emergencies == 2
    # Both emergency bulletins head the list, oldest first.
    assert [p.priority for p in r.programmes[:2]] == ["khan-cap", "khan-cap"]
    assert r.programmes[0].made_at < r.programmes[1].made_at


def test_csv_has_a_bom_and_reads_back_in_vietnamese(november, tmp_path):
    data = to_csv(november)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["BÁO CÁO ĐỊNH KỲ HOẠT ĐỘNG TRUYỀN THANH"]
    assert rows[1] == ["Đơn vị", "Đài truyền thanh xã Hoà Bình"]
    start = rows.index(["I. CHƯƠNG TRÌNH ĐÃ SẢN XUẤT"])
    assert rows[start + 1][:4] == ["STT", "Ngày giờ", "Tiêu đề", "Thời lượng"]
    assert rows[start + 2] == [
        "1", "17/11/2026 06:12", "Bản tin khẩn cấp 06:12 17/11", "0:02:01",
        "Phòng chống thiên tai", "Nguyễn Thị Hà", "Khẩn cấp", "loa-xa",
    ]  # fmt: skip
    pushes = rows.index(["II. PHÁT SÓNG VÀ GỬI ĐI"])
    assert rows[pushes + 3][3:8] == [
        "tinh", "Khẩn cấp", "Phát ngay", "Lỗi: Máy chủ từ chối đăng nhập", "2",
    ]  # fmt: skip
    cats = rows.index(["III. TỔNG HỢP THEO LĨNH VỰC"])
    assert ["Tổng cộng", "4", "0:16:53", "5", "3", "1"] in rows[cats:]
    months = rows.index(["IV. TỔNG HỢP THEO THÁNG"])
    assert rows[months + 2] == ["11/2026", "4", "0:16:53", "5", "3", "1"]
    path = write_report(november, tmp_path / "bao-cao.csv")
    assert path.read_bytes() == data


def test_html_is_one_a4_page_with_the_rows_in_order(november):
    page = to_html(november)
    assert '<html lang="vi">' in page and "size: A4" in page
    assert "<script" not in page and "http" not in page.split("<style>")[0]  # self-contained
    for heading in (
        "I. CHƯƠNG TRÌNH ĐÃ SẢN XUẤT",
        "II. PHÁT SÓNG VÀ GỬI ĐI",
        "III. TỔNG HỢP THEO LĨNH VỰC",
        "IV. TỔNG HỢP THEO THÁNG",
    ):
        assert f"<h2>{heading}</h2>" in page
    body = page.split("<h2>II.")[0]
    assert body.index("Bản tin khẩn cấp 06:12 17/11") < body.index("Bản tin sáng 03/11")
    assert '<tr class="urgent">' in page
    assert "Từ ngày 01/11/2026 đến ngày 30/11/2026" in page


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils (CI installs it)")
def test_pdf_is_a4_and_holds_the_report(november, tmp_path):
    pdf = write_report(november, tmp_path / "bao-cao.pdf", "pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "(A4)" in info, info
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True
    ).stdout
    for words in (
        "BÁO CÁO ĐỊNH KỲ HOẠT ĐỘNG TRUYỀN THANH",
        "I. CHƯƠNG TRÌNH ĐÃ SẢN XUẤT",
        "Bản tin khẩn cấp 06:12 17/11",
        "Phòng chống thiên tai",
        "Nguyễn Thị Hà",
        "IV. TỔNG HỢP THEO THÁNG",
        "NGƯỜI LẬP BÁO CÁO",
    ):
        assert words in text, words
    assert text.index("Bản tin khẩn cấp 06:12 17/11") < text.index("Bản tin sáng 03/11")


def test_bad_periods_and_formats_are_one_line(tmp_path, november):
    with pytest.raises(StudioError, match="before it starts"):
        period("2026-11-30", "2026-11-01")
    with pytest.raises(StudioError, match="not a valid start date"):
        period("2026-11-31", "2026-12-01")
    with pytest.raises(StudioError, match="Unknown report format 'docx'"):
        write_report(november, tmp_path / "r.docx")
    with pytest.raises(StudioError, match="does not exist"):
        write_report(november, tmp_path / "no" / "r.csv")


def test_cli_report_and_the_export_log_of_studio_export(tmp_path, studio_home, capsys):
    from studio.cli import run
    from tests.conftest import tone, write_wav

    prog, wav = tmp_path / "tin.sttprog", write_wav(tmp_path / "giong.wav", tone(3.0))
    assert run(["new", str(prog), "--title", "Bản tin chiều"], studio_home) == 0
    assert run(["add", str(prog), str(wav), "--track", "Giọng đọc"], studio_home) == 0
    out = tmp_path / "Bản tin chiều.mp3"
    assert run(["export", str(prog), "-o", str(out)], studio_home) == 0
    capsys.readouterr()
    from studio.schedule import LOCAL_TZ

    # The station's day (Vietnam), not the machine's: after 17:00 UTC they differ.
    today = dt.datetime.now(LOCAL_TZ).date().isoformat()
    report = tmp_path / "r.csv"
    assert run(["report", "--from", today, "--to", today, "-o", str(report)], studio_home) == 0
    assert "1 programmes" in capsys.readouterr().out
    rows = list(csv.reader(io.StringIO(report.read_text("utf-8-sig"))))
    line = rows[rows.index(["I. CHƯƠNG TRÌNH ĐÃ SẢN XUẤT"]) + 2]
    assert line[2:4] == ["Bản tin chiều", "0:00:03"] and line[6] == "Thông thường"

    code = run(["report", "--from", "2026-11-30", "--to", "2026-11-01"], studio_home)
    err = capsys.readouterr().err
    assert code == 1 and "before it starts" in err and len(err.strip().splitlines()) == 1
    html = Path(tmp_path / "r.html")
    assert run(["report", "--from", today, "-o", str(html)], studio_home) == 0
    assert "Bản tin chiều" in html.read_text("utf-8")
