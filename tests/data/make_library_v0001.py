"""Make `library-v0001.sqlite3`: a library at schema 0001_library with a few rows.

Run once when 0001 was the released schema; the file is committed and never regenerated, so
the upgrade test keeps proving that a real 0001 database reaches the newest schema.
    python tests/data/make_library_v0001.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from studio.db import MIGRATIONS  # noqa: E402

ROWS = [
    # id, title, kind, category, tags, author, notes, valid_until, search_text, sort_title
    (
        1,
        "Bản tin sáng thứ Hai",
        "news_item",
        "Chính trị",
        "thời sự",
        "Đài xã",
        "",
        None,
        " ban tin sang thu hai thoi su dai xa chinh tri ",
        "ban tin sang thu hai",
    ),
    (
        2,
        "Nhạc hiệu đầu giờ",
        "jingle",
        "",
        "",
        "",
        "Phát đầu mỗi buổi",
        None,
        " nhac hieu dau gio phat dau moi buoi ",
        "nhac hieu dau gio",
    ),
    (
        3,
        "Thông báo phòng chống bão số 5",
        "announcement",
        "Phòng chống thiên tai",
        "bão",
        "UBND xã",
        "",
        "2024-10-01",
        " thong bao phong chong bao so 5 bao ubnd xa phong chong thien tai ",
        "thong bao phong chong bao so 5",
    ),
]


def main(out: Path = HERE / "library-v0001.sqlite3") -> None:
    out.unlink(missing_ok=True)
    engine = create_engine(f"sqlite:///{out.as_posix()}")
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001_library")
        for i, title, kind, cat, tags, author, notes, until, folded, sort in ROWS:
            conn.execute(
                text(
                    "INSERT INTO segments (id, title, kind, category, tags, author, notes, "
                    "valid_until, frames, store_rate, sample_rate, channels, integrated_lufs, "
                    "true_peak_dbtp, sha256, peaks_ref, source_name, created_at, modified_at, "
                    "search_text, sort_title) VALUES (:i, :title, :kind, :cat, :tags, "
                    ":author, :notes, :until, 48000, 48000, 44100, 1, -18.5, NULL, :sha, "
                    ":peaks, :src, '2024-09-01 08:00:00', '2024-09-01 08:00:00', :folded, :sort)"
                ),
                {
                    "i": i,
                    "title": title,
                    "kind": kind,
                    "cat": cat,
                    "tags": tags,
                    "author": author,
                    "notes": notes,
                    "until": until,
                    "folded": folded,
                    "sort": sort,
                    "sha": f"{i:064x}",
                    "peaks": f"00/{i:064x}.48000.peaks.npy",
                    "src": f"{i}.wav",
                },
            )
        conn.execute(
            text(
                "INSERT INTO segment_usages (segment_id, programme, action, used_at) "
                "VALUES (1, 'Bản tin 2/9', 'exported', '2024-09-02 06:00:00')"
            )
        )
    engine.dispose()


if __name__ == "__main__":
    main()
