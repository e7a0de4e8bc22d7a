"""The periodic report ("báo cáo định kỳ"): what the station made and broadcast in a period.

Programmes made come from the export log (`studio/export_log.py`), pushes from the outbox;
a push is joined to its programme by the file's SHA-256. Emergency bulletins (khẩn cấp) are
listed first in both lists; totals per category ("lĩnh vực") and per month follow. The report
is a document for the district, so its headings are Vietnamese whatever the UI language.

Formats: CSV (UTF-8 with BOM, so Excel shows Vietnamese intact), HTML (one self-contained page
that prints on A4), PDF (that HTML rendered by WeasyPrint). Times are Vietnam local time.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from audio.errors import StudioError
from studio.db import Database
from studio.export_log import ProgrammeExportRow
from studio.outbox.models import PRIORITY_RANK, OutboxItemRow, Status
from studio.schedule import LOCAL_TZ, Schedule, parse_date

FORMATS = ("csv", "html", "pdf")


class PdfUnavailable(StudioError):
    """WeasyPrint (or the Pango library under it) cannot be used on this computer."""


PRIORITY_VI = {"khan-cap": "Khẩn cấp", "uu-tien": "Ưu tiên", "thuong": "Thông thường"}
NO_CATEGORY = "Chưa phân loại"


# --- the figures -----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ProgrammeLine:
    made_at: dt.datetime  # local
    title: str
    duration_s: float
    category: str
    author: str
    priority: str
    file_name: str
    sha256: str
    delivered_to: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PushLine:
    queued_at: dt.datetime  # local
    title: str
    destination: str
    priority: str
    category: str
    schedule: str  # as the user reads it; "Phát ngay" when none
    status: str
    result: str  # Vietnamese
    attempts: int
    delivered_at: dt.datetime | None  # local
    sha256: str


@dataclass(slots=True)
class Total:
    label: str
    programmes: int = 0
    duration_s: float = 0.0
    pushes: int = 0
    delivered: int = 0
    emergencies: int = 0
    _emergency_files: set[str] = field(default_factory=set, repr=False)


@dataclass(frozen=True, slots=True)
class PeriodReport:
    start: dt.date
    end: dt.date
    station: str
    generated_at: dt.datetime  # local
    programmes: tuple[ProgrammeLine, ...]
    pushes: tuple[PushLine, ...]
    by_category: tuple[Total, ...]
    by_month: tuple[Total, ...]
    total: Total


def _local(utc_naive: dt.datetime | None) -> dt.datetime | None:
    if utc_naive is None:
        return None
    return utc_naive.replace(tzinfo=dt.UTC).astimezone(LOCAL_TZ).replace(tzinfo=None)


def _utc_bound(day: dt.date) -> dt.datetime:
    """Local midnight starting `day`, as the naive UTC the database keeps."""
    local = dt.datetime.combine(day, dt.time(), LOCAL_TZ)
    return local.astimezone(dt.UTC).replace(tzinfo=None)


def period(start: str | dt.date, end: str | dt.date) -> tuple[dt.date, dt.date]:
    """The checked period (inclusive dates) from what a person typed."""
    a = start if isinstance(start, dt.date) else parse_date(start, "start date")
    b = end if isinstance(end, dt.date) else parse_date(end, "end date")
    if b < a:
        raise StudioError(
            f"The report ends ({b:%Y-%m-%d}) before it starts ({a:%Y-%m-%d}).",
            f"Ngày kết thúc kỳ báo cáo ({b:%d/%m/%Y}) trước ngày bắt đầu ({a:%d/%m/%Y}).",
        )
    return a, b


def _result_vi(row: OutboxItemRow) -> str:
    if row.status == Status.VERIFIED:
        return "Đã nhận (đã đối chiếu SHA-256)"
    if row.status == Status.SENT:
        return "Đã gửi"
    if row.status == Status.FAILED:
        reason = row.last_error_vi or row.last_error
        return ("Lỗi, sẽ thử lại: " if row.next_retry_at else "Lỗi: ") + reason
    if row.status == Status.SENDING:
        return "Đang gửi"
    if row.status == Status.CANCELLED:
        return "Đã huỷ"
    return "Đang chờ gửi"


def _schedule_vi(meta: dict[str, Any]) -> str:
    try:
        schedule = Schedule.from_json(meta.get("schedule"))
    except StudioError:
        return "?"
    return "Phát ngay" if schedule is None else schedule.describe("vi")


def _rank(priority: str) -> int:
    return PRIORITY_RANK.get(priority, len(PRIORITY_RANK))


def build_report(
    db: Database,
    start: dt.date,
    end: dt.date,
    station: str = "",
    now: dt.datetime | None = None,
) -> PeriodReport:
    """The report for the local dates `start`..`end` (inclusive)."""
    lo, hi = _utc_bound(start), _utc_bound(end + dt.timedelta(days=1))
    with db.transaction() as s:
        exports = s.scalars(
            select(ProgrammeExportRow)
            .where(ProgrammeExportRow.exported_at >= lo, ProgrammeExportRow.exported_at < hi)
            .order_by(ProgrammeExportRow.exported_at, ProgrammeExportRow.id)
        ).all()
        items = s.scalars(
            select(OutboxItemRow)
            .where(OutboxItemRow.created_at >= lo, OutboxItemRow.created_at < hi)
            .order_by(OutboxItemRow.created_at, OutboxItemRow.id)
        ).all()
        # Category and title of a pushed file come from its export, even an earlier one.
        shas = {i.sha256 for i in items}
        made = {
            e.sha256: e
            for e in s.scalars(
                select(ProgrammeExportRow).where(ProgrammeExportRow.sha256.in_(shas))
            ).all()
        }
    delivered: dict[str, list[str]] = defaultdict(list)
    for i in items:
        if i.status in Status.DONE and i.destination not in delivered[i.sha256]:
            delivered[i.sha256].append(i.destination)

    programmes = sorted(
        (
            ProgrammeLine(
                _local(e.exported_at),
                e.title,
                e.duration_s,
                e.category or NO_CATEGORY,
                e.author,
                e.priority,
                e.file_name,
                e.sha256,
                tuple(delivered.get(e.sha256, ())),
            )
            for e in exports
        ),
        key=lambda p: (_rank(p.priority), p.made_at),
    )
    pushes = []
    for i in items:
        meta = i.meta or {}
        origin = made.get(i.sha256)
        category = meta.get("category") or (origin.category if origin else "") or NO_CATEGORY
        title = meta.get("title") or (origin.title if origin else "") or i.file_name
        pushes.append(
            PushLine(
                _local(i.created_at),
                title,
                i.destination,
                i.priority,
                category,
                _schedule_vi(meta),
                i.status,
                _result_vi(i),
                i.attempts,
                _local(i.sent_at),
                i.sha256,
            )
        )
    pushes.sort(key=lambda p: (_rank(p.priority), p.queued_at))

    by_category: dict[str, Total] = {}
    by_month: dict[str, Total] = {}
    total = Total("Tổng cộng")

    def add(groups: Iterable[Total], programme=None, push=None) -> None:
        for t in groups:
            line = programme or push
            if programme is not None:
                t.programmes += 1
                t.duration_s += programme.duration_s
            else:
                t.pushes += 1
                t.delivered += push.status in Status.DONE
            if line.priority == "khan-cap":
                t._emergency_files.add(line.sha256)
                t.emergencies = len(t._emergency_files)

    def month(when: dt.datetime) -> Total:
        key = f"{when:%Y-%m}"
        return by_month.setdefault(key, Total(f"{when:%m/%Y}"))

    for p in programmes:
        cat = by_category.setdefault(p.category, Total(p.category))
        add((cat, month(p.made_at), total), programme=p)
    for p in pushes:
        cat = by_category.setdefault(p.category, Total(p.category))
        add((cat, month(p.queued_at), total), push=p)
    categories = sorted(by_category.values(), key=lambda t: (t.label == NO_CATEGORY, t.label))
    months = [by_month[k] for k in sorted(by_month)]
    return PeriodReport(
        start,
        end,
        station,
        (now or dt.datetime.now(LOCAL_TZ).replace(tzinfo=None)),
        tuple(programmes),
        tuple(pushes),
        tuple(categories),
        tuple(months),
        total,
    )


# --- writing it ------------------------------------------------------------------------------------
def clock(seconds: float) -> str:
    s = int(round(seconds))
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


def _when(t: dt.datetime | None) -> str:
    return "" if t is None else f"{t:%d/%m/%Y %H:%M}"


TITLE = "BÁO CÁO ĐỊNH KỲ HOẠT ĐỘNG TRUYỀN THANH"
SECTIONS = (
    "I. CHƯƠNG TRÌNH ĐÃ SẢN XUẤT",
    "II. PHÁT SÓNG VÀ GỬI ĐI",
    "III. TỔNG HỢP THEO LĨNH VỰC",
    "IV. TỔNG HỢP THEO THÁNG",
)
PROGRAMME_HEAD = (
    "STT", "Ngày giờ", "Tiêu đề", "Thời lượng", "Lĩnh vực", "Người thực hiện", "Mức độ",
    "Đã đến",
)  # fmt: skip
PUSH_HEAD = (
    "STT", "Thời gian gửi", "Tiêu đề", "Nơi nhận", "Mức độ", "Lịch phát", "Kết quả",
    "Số lần thử", "Thời điểm nhận",
)  # fmt: skip
TOTAL_HEAD = (
    "Số chương trình", "Tổng thời lượng", "Số lượt gửi", "Gửi thành công", "Bản tin khẩn cấp",
)  # fmt: skip


def _programme_cells(n: int, p: ProgrammeLine) -> list[str]:
    return [
        str(n), _when(p.made_at), p.title, clock(p.duration_s), p.category, p.author,
        PRIORITY_VI.get(p.priority, p.priority), ", ".join(p.delivered_to),
    ]  # fmt: skip


def _push_cells(n: int, p: PushLine) -> list[str]:
    return [
        str(n), _when(p.queued_at), p.title, p.destination,
        PRIORITY_VI.get(p.priority, p.priority), p.schedule, p.result, str(p.attempts),
        _when(p.delivered_at),
    ]  # fmt: skip


def _total_cells(t: Total) -> list[str]:
    return [
        t.label, str(t.programmes), clock(t.duration_s), str(t.pushes), str(t.delivered),
        str(t.emergencies),
    ]  # fmt: skip


def _period_vi(r: PeriodReport) -> str:
    return f"Từ ngày {r.start:%d/%m/%Y} đến ngày {r.end:%d/%m/%Y}"


def to_csv(r: PeriodReport) -> bytes:
    """UTF-8 with a BOM (Excel then reads Vietnamese right); one block per section."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow([TITLE])
    w.writerow(["Đơn vị", r.station])
    w.writerow(["Kỳ báo cáo", _period_vi(r)])
    w.writerow(["Ngày lập", _when(r.generated_at)])
    w.writerow([])
    w.writerow([SECTIONS[0]])
    w.writerow(PROGRAMME_HEAD)
    w.writerows(_programme_cells(n, p) for n, p in enumerate(r.programmes, 1))
    w.writerow([])
    w.writerow([SECTIONS[1]])
    w.writerow(PUSH_HEAD)
    w.writerows(_push_cells(n, p) for n, p in enumerate(r.pushes, 1))
    for heading, first, totals in (
        (SECTIONS[2], "Lĩnh vực", r.by_category),
        (SECTIONS[3], "Tháng", r.by_month),
    ):
        w.writerow([])
        w.writerow([heading])
        w.writerow([first, *TOTAL_HEAD])
        w.writerows(_total_cells(t) for t in totals)
        w.writerow(_total_cells(r.total))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


CSS = """
@page { size: A4 landscape; margin: 14mm 12mm 16mm 12mm;
  @bottom-right { content: "Trang " counter(page) "/" counter(pages); font-size: 8pt; } }
* { box-sizing: border-box; }
body { font-family: "Times New Roman", "DejaVu Serif", serif; font-size: 10.5pt; color: #000;
  margin: 0; }
.head { display: flex; justify-content: space-between; text-align: center; }
.head div { width: 48%; } .head b { display: block; }
.motto { text-decoration: underline; font-weight: bold; }
h1 { text-align: center; font-size: 14pt; margin: 10mm 0 1mm; }
.period { text-align: center; font-style: italic; margin: 0 0 5mm; }
h2 { font-size: 11.5pt; margin: 5mm 0 2mm; break-after: avoid; }
table { width: 100%; border-collapse: collapse; font-size: 9pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border: 0.6pt solid #000; padding: 1.2mm 1.5mm; vertical-align: top; text-align: left; }
th { background: #e8e8e8; text-align: center; }
td.n { text-align: right; white-space: nowrap; }
td.t { white-space: nowrap; }
tr.urgent td { font-weight: bold; }
tr.sum td { font-weight: bold; background: #f3f3f3; }
.none { font-style: italic; }
.sign { margin-top: 10mm; display: flex; justify-content: flex-end; text-align: center;
  break-inside: avoid; }
.sign div { width: 45%; }
@media screen { body { margin: 12mm; max-width: 277mm; } }
"""


def _table(
    head: Iterable[str],
    rows: Iterable[tuple[list[str], str]],
    numeric: set[int],
    times: frozenset[int] = frozenset(),
) -> str:
    e = html.escape
    # border/cellpadding: for previews that ignore CSS (Qt's rich text); CSS rules for print.
    parts = [
        '<table border="1" cellspacing="0" cellpadding="3"><thead><tr>',
        *(f"<th>{e(h)}</th>" for h in head),
        "</tr></thead><tbody>",
    ]
    count = 0
    for cells, cls in rows:
        count += 1
        parts.append(f'<tr class="{cls}">' if cls else "<tr>")
        for i, c in enumerate(cells):
            cls = "n" if i in numeric else ("t" if i in times else "")
            parts.append(f'<td class="{cls}">{e(c)}</td>' if cls else f"<td>{e(c)}</td>")
        parts.append("</tr>")
    if not count:
        parts.append(f'<tr><td colspan="{len(list(head))}" class="none">Không có.</td></tr>')
    parts.append("</tbody></table>")
    return "".join(parts)


def to_html(r: PeriodReport) -> str:
    e = html.escape

    def urgent(priority: str) -> str:
        return "urgent" if priority == "khan-cap" else ""

    programmes = _table(
        PROGRAMME_HEAD,
        ((_programme_cells(n, p), urgent(p.priority)) for n, p in enumerate(r.programmes, 1)),
        {0, 3},
        frozenset({1}),
    )
    pushes = _table(
        PUSH_HEAD,
        ((_push_cells(n, p), urgent(p.priority)) for n, p in enumerate(r.pushes, 1)),
        {0, 7},
        frozenset({1, 8}),
    )

    def totals(first: str, groups: tuple[Total, ...]) -> str:
        rows = [(_total_cells(t), "") for t in groups]
        if groups:
            rows.append((_total_cells(r.total), "sum"))
        return _table((first, *TOTAL_HEAD), rows, {1, 2, 3, 4, 5})

    station = e(r.station or "Đài truyền thanh")
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<title>{e(TITLE.capitalize())} {r.start:%d/%m/%Y}–{r.end:%d/%m/%Y}</title>
<style>{CSS}</style></head>
<body>
<div class="head">
 <div><b>{station.upper()}</b></div>
 <div><b>CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><span class="motto">Độc lập – Tự do – Hạnh phúc</span></div>
</div>
<h1>{TITLE}</h1>
<p class="period">{e(_period_vi(r))} · lập lúc {e(_when(r.generated_at))}</p>
<p>Trong kỳ: {r.total.programmes} chương trình được sản xuất (tổng thời lượng
{clock(r.total.duration_s)}), {r.total.pushes} lượt gửi đi, {r.total.delivered} lượt đã đến nơi
nhận, {r.total.emergencies} bản tin khẩn cấp. Bản tin khẩn cấp được liệt kê đầu tiên.</p>
<h2>{SECTIONS[0]}</h2>
{programmes}
<h2>{SECTIONS[1]}</h2>
{pushes}
<h2>{SECTIONS[2]}</h2>
{totals("Lĩnh vực", r.by_category)}
<h2>{SECTIONS[3]}</h2>
{totals("Tháng", r.by_month)}
<div class="sign"><div><i>Ngày {r.generated_at:%d} tháng {r.generated_at:%m} năm {r.generated_at:%Y}</i>
<b style="display:block">NGƯỜI LẬP BÁO CÁO</b><i>(Ký, ghi rõ họ tên)</i></div></div>
</body></html>
"""


def to_pdf(html_text: str, path: Path) -> None:
    """Render the HTML page to an A4 PDF (WeasyPrint)."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:
        raise PdfUnavailable(
            f"PDF needs WeasyPrint and the Pango library, which are not usable here ({exc}). "
            "Write the HTML report and print it to PDF from a browser.",
            f"Xuất PDF cần WeasyPrint và thư viện Pango, máy này chưa dùng được ({exc}). "
            "Hãy xuất báo cáo HTML rồi in ra PDF từ trình duyệt.",
        ) from exc
    from audio.fileio import atomic_path

    with atomic_path(path) as tmp:
        weasyprint.HTML(string=html_text).write_pdf(str(tmp))


def write_report(r: PeriodReport, path: str | Path, fmt: str | None = None) -> Path:
    """Write the report as csv, html or pdf (from the suffix when `fmt` is None)."""
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise StudioError(
            f"Unknown report format '{fmt}' (use csv, html or pdf).",
            f"Định dạng báo cáo '{fmt}' không hợp lệ (dùng csv, html hoặc pdf).",
        )
    if not path.parent.is_dir():
        raise StudioError(
            f"The folder '{path.parent}' does not exist.",
            f"Thư mục '{path.parent}' không tồn tại.",
        )
    from audio.fileio import atomic_write

    try:
        if fmt == "pdf":
            to_pdf(to_html(r), path)
        else:
            data = to_csv(r) if fmt == "csv" else to_html(r).encode("utf-8")
            with atomic_write(path) as f:
                f.write(data)
    except OSError as exc:
        raise StudioError(
            f"Cannot write the report '{path}': {exc.strerror or exc}.",
            f"Không ghi được báo cáo '{path}': {exc.strerror or exc}.",
        ) from exc
    return path
