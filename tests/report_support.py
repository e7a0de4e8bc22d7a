"""A seeded station history for the periodic report's tests: November and December 2026."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from sqlalchemy import update

from studio.export_log import open_log, record_export
from studio.outbox import Outbox
from studio.outbox.models import OutboxItemRow
from studio.paths import StudioHome


def utc(local: str) -> dt.datetime:
    """A Vietnam local time 'YYYY-MM-DD HH:MM' as the naive UTC the database keeps."""
    return dt.datetime.fromisoformat(local) - dt.timedelta(hours=7)


# title, category, author, priority, seconds, exported (local)
PROGRAMMES = [
    ("Bản tin sáng 03/11", "Chính trị", "Nguyễn Thị Hà", "thuong", 612.0, "2026-11-03 05:40"),
    ("Lịch tiêm phòng gia súc", "Nông nghiệp", "Trần Văn Bình", "uu-tien", 185.0, "2026-11-10 16:05"),
    ("Bản tin khẩn cấp 06:12 17/11", "Phòng chống thiên tai", "Nguyễn Thị Hà", "khan-cap", 121.0, "2026-11-17 06:12"),
    ("Thông báo thu thuế", "", "Lê Văn Cường", "thuong", 95.0, "2026-11-30 23:30"),
    ("Bản tin khẩn cấp 05:01 02/12", "Phòng chống thiên tai", "Trần Văn Bình", "khan-cap", 64.0, "2026-12-02 05:01"),
    ("Bản tin tháng 10", "Chính trị", "Nguyễn Thị Hà", "thuong", 300.0, "2026-10-31 23:59"),
]  # fmt: skip


def seed_history(home: StudioHome, folder: Path) -> dict[str, int]:
    """Exports, destinations and pushes with outcomes; the outbox ids by a short name."""
    home.ensure()
    files = {}
    db = open_log(home)
    try:
        for title, category, author, priority, seconds, when in PROGRAMMES:
            path = folder / f"{hashlib.sha1(title.encode()).hexdigest()[:8]}.mp3"
            path.write_bytes(title.encode("utf-8") * 200)
            files[title] = path
            record_export(
                db, path, title=title, duration_s=seconds, category=category, author=author,
                priority=priority, preset="loudspeaker", exported_at=utc(when),
            )  # fmt: skip
    finally:
        db.close()
    (folder / "loa").mkdir(exist_ok=True)
    box = Outbox.open(home)
    ids = {}
    try:
        box.add_destination("loa-xa", "folder", str(folder / "loa"))
        box.add_destination("tinh", "folder", str(folder / "loa"))
        pushes = [
            # name, title, destination, priority, status, attempts, queued, sent, error
            ("sang", "Bản tin sáng 03/11", "loa-xa", "thuong", "verified", 1, "2026-11-03 05:45", "2026-11-03 05:46", ""),
            ("tiem", "Lịch tiêm phòng gia súc", "loa-xa", "uu-tien", "verified", 3, "2026-11-10 16:10", "2026-11-10 16:40", ""),
            ("khan-loa", "Bản tin khẩn cấp 06:12 17/11", "loa-xa", "khan-cap", "verified", 1, "2026-11-17 06:12", "2026-11-17 06:12", ""),
            ("khan-tinh", "Bản tin khẩn cấp 06:12 17/11", "tinh", "khan-cap", "failed", 2, "2026-11-17 06:12", None, "Máy chủ từ chối đăng nhập"),
            ("thue", "Thông báo thu thuế", "loa-xa", "thuong", "queued", 0, "2026-11-30 23:31", None, ""),
            ("khan-dec", "Bản tin khẩn cấp 05:01 02/12", "loa-xa", "khan-cap", "verified", 1, "2026-12-02 05:01", "2026-12-02 05:01", ""),
        ]  # fmt: skip
        for name, title, dest, priority, status, attempts, queued, sent, error in pushes:
            meta = {"title": title}
            if name == "tiem":
                meta["schedule"] = {
                    "start_date": "2026-11-11", "end_date": "2026-11-15",
                    "weekdays": [1, 2, 3, 4, 5], "times": ["06:00", "17:30"],
                }  # fmt: skip
            row = box.enqueue(files[title], dest, meta, priority)
            ids[name] = row["id"]
            with box.db.transaction() as s:
                s.execute(
                    update(OutboxItemRow)
                    .where(OutboxItemRow.id == row["id"])
                    .values(
                        status=status, attempts=attempts, created_at=utc(queued),
                        sent_at=utc(sent) if sent else None, last_error_vi=error,
                        last_error="Login refused" if error else "",
                    )
                )  # fmt: skip
    finally:
        box.close()
    return ids
