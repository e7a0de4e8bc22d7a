"""Library benchmark: search latency at 100,000 segments (SQLite, PostgreSQL) and import speed.

    python bench/library_search.py [--segments 100000] [--pg URL] [--files 100]

Fills a fresh library with synthetic Vietnamese segments, then times typical searches through
`Library.search` (median and p95 of repeated runs). The reference, measured in the same run, is
the index-free way: `LIKE '% word%'` on the folded column while reading rows in title order
(quick when matches come early, a full scan when they are rare); ratio = reference / ours. Then imports N short audio files (decode, store, loudness, tags, insert) and compares
with decoding+storing alone. PostgreSQL runs when --pg or $STUDIO_TEST_PG_URL is given (its
database `<name>_bench` is emptied). Target: < 30 ms per search at 100,000 segments on SQLite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
import soundfile as sf  # noqa: E402
from sqlalchemy import create_engine, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from audio.media import MediaStore  # noqa: E402
from studio.db import Database  # noqa: E402
from studio.library import Library, SearchQuery  # noqa: E402
from studio.library.models import DEFAULT_CATEGORIES, Segment, SegmentKind  # noqa: E402
from studio.library.search import fold, search_document  # noqa: E402

HEADS = [
    "Bản tin sáng",
    "Bản tin chiều",
    "Bản tin thời sự",
    "Thông báo",
    "Thông báo khẩn",
    "Nhạc hiệu",
    "Nhạc nền",
    "Phỏng vấn",
    "Tuyên truyền",
    "Hướng dẫn",
    "Lịch tiêm phòng",
    "Cảnh báo",
    "Tin vắn",
    "Chuyên mục",
    "Quảng cáo",
    "Lời chào",
    "Kết thúc chương trình",
]
TOPICS = [
    "phòng chống thiên tai",
    "đê điều",
    "bão số",
    "dịch tả lợn châu Phi",
    "gieo cấy vụ đông",
    "bầu cử đại biểu",
    "an toàn giao thông",
    "nước sạch",
    "vệ sinh môi trường",
    "học sinh",
    "bảo hiểm y tế",
    "đất đai",
    "điện lưới",
    "chuyển đổi số",
    "phòng cháy chữa cháy",
    "tiêm vắc xin",
    "hội nông dân",
    "đoàn thanh niên",
    "hội phụ nữ",
    "người cao tuổi",
]
PLACES = [
    "xã Tân Phú",
    "thôn Đông",
    "thôn Đoài",
    "xóm Bến",
    "ấp Long Hưng",
    "bản Nà Đăng",
    "xã Đức Thắng",
    "thôn Hạ",
    "xóm Trại",
    "xã Quỳnh Lâm",
]
AUTHORS = ["Đài xã", "UBND xã", "Trạm y tế", "Hội nông dân", "Công an xã", "Nguyễn Văn Đức"]
TAGS = ["khẩn", "định kỳ", "thời sự", "nông nghiệp", "sức khoẻ", "giáo dục", "mùa mưa"]
QUERIES = [
    "ban tin",
    "b",
    "d",
    "phong chong thien tai",
    "thong bao khan",
    "tan phu",
    "dich ta lon",
    "nguyen van duc",
    "xyz khong co",
]


def synthetic_rows(n: int, seed: int = 7):
    rng = random.Random(seed)
    kinds = [k.value for k in SegmentKind]
    now = dt.datetime.now(dt.UTC)
    today = dt.date.today()
    for i in range(1, n + 1):
        title = f"{rng.choice(HEADS)} {rng.choice(TOPICS)} {rng.choice(PLACES)} số {i}"
        tags = ", ".join(rng.sample(TAGS, rng.randint(0, 3)))
        author = rng.choice(AUTHORS)
        category = rng.choice(DEFAULT_CATEGORIES)
        notes = f"Phát {rng.randint(1, 3)} lần trong ngày, {rng.choice(TOPICS)}"
        until = today + dt.timedelta(days=rng.randint(-200, 400)) if rng.random() < 0.4 else None
        yield {
            "id": i,
            "title": title,
            "kind": rng.choice(kinds),
            "category": category,
            "tags": tags,
            "author": author,
            "notes": notes,
            "recorded_on": today - dt.timedelta(days=rng.randint(0, 2000)),
            "valid_from": None,
            "valid_until": until,
            "frames": rng.randint(48_000, 48_000 * 600),
            "store_rate": 48_000,
            "sample_rate": 44_100,
            "channels": rng.choice((1, 2)),
            "integrated_lufs": round(rng.uniform(-30, -12), 1),
            "true_peak_dbtp": round(rng.uniform(-6, 0), 1),
            "sha256": f"{i:064x}",
            "peaks_ref": "",
            "source_name": f"{i}.mp3",
            "created_at": now,
            "modified_at": now,
            "last_used_at": now - dt.timedelta(days=rng.randint(0, 400))
            if rng.random() < 0.5
            else None,
            "search_text": search_document(title, tags, notes, author, category),
            "sort_title": fold(title),
        }


def fill(db: Database, n: int) -> float:
    t0 = time.perf_counter()
    rows = list(synthetic_rows(n))
    with db.transaction() as s:
        for start in range(0, n, 5000):
            s.execute(insert(Segment), rows[start : start + 5000])
    with db.engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("ANALYZE")
            conn.exec_driver_sql("INSERT INTO segment_fts(segment_fts) VALUES ('optimize')")
        else:
            conn.exec_driver_sql("ANALYZE segments")
            conn.exec_driver_sql(f"SELECT setval('segments_id_seq', {n})")
    return time.perf_counter() - t0


def timed(fn, repeat: int) -> tuple[float, float, int]:
    fn()  # warm the caches
    times, result = [], 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(0.95 * len(times)))], result


def naive(db: Database, query: str, limit: int):
    """The reference: LIKE over the folded column in title order, same limit, no text index."""
    words = fold(query).split()
    stmt = select(Segment).order_by(Segment.sort_title, Segment.id).limit(limit)
    for w in words:
        stmt = stmt.where(Segment.search_text.like(f"% {w}%"))
    with db.transaction() as s:
        return len(s.scalars(stmt).all())


def bench_search(label: str, db: Database, media: Path, n: int, repeat: int, limit: int) -> None:
    print(f"\n== {label}: filling {n:,} segments …", flush=True)
    print(f"   filled in {fill(db, n):.1f} s")
    lib = Library(db, MediaStore(media))
    print(
        f"   {'query':28s} {'hits':>6s} {'median':>8s} {'p95':>8s} {'LIKE-scan':>9s} {'ratio':>6s}"
    )
    medians = []
    cases = [(q, SearchQuery(text=q, limit=limit)) for q in QUERIES]
    cases += [
        ("'' sorted by title", SearchQuery(limit=limit)),
        (
            "'' sorted by last used desc",
            SearchQuery(sort="last_used", descending=True, limit=limit),
        ),
        (
            "ban tin + news + valid today",
            SearchQuery(text="ban tin", kinds=("news_item",), valid_today=True, limit=limit),
        ),
        ("thong bao, unused 30 days", SearchQuery(text="thong bao", unused_days=30, limit=limit)),
    ]
    for name, q in cases:
        med, p95, hits = timed(lambda q=q: len(lib.search(q)), repeat)
        ref, _, _ = timed(lambda q=q: naive(db, q.text, limit), max(3, repeat // 4))
        medians.append(med)
        print(f"   {name:28s} {hits:6d} {med:7.1f}ms {p95:7.1f}ms  {ref:7.1f}ms {ref / med:5.1f}×")
    print(f"   worst median {max(medians):.1f} ms (target < 30 ms on SQLite)")
    print(f"   load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


def bench_import(files: int, workdir: Path) -> None:
    print(
        f"\n== import {files} audio files (5 s, 44.1 kHz stereo WAV/FLAC) into SQLite", flush=True
    )
    src = workdir / "audio"
    src.mkdir()
    rng = np.random.default_rng(1)
    t = np.arange(5 * 44_100) / 44_100
    for i in range(files):
        x = 0.2 * np.sin(2 * np.pi * (200 + 7 * i) * t) + 0.02 * rng.standard_normal(len(t))
        data = np.stack([x, 0.8 * x], axis=1).astype(np.float32)
        sf.write(src / f"Bản tin số {i:03d}.{'flac' if i % 2 else 'wav'}", data, 44_100)
    audio_s = files * 5.0

    ref_store = MediaStore(workdir / "ref-media")
    t0 = time.perf_counter()
    for f in sorted(src.iterdir()):
        ref_store.import_file(f, 48_000)
    ref = time.perf_counter() - t0

    db = Database(f"sqlite:///{(workdir / 'import.sqlite3').as_posix()}")
    lib = Library(db, MediaStore(workdir / "media"))
    t0 = time.perf_counter()
    report = lib.import_paths([src])
    took = time.perf_counter() - t0
    db.close()
    print(
        f"   library import: {took:.2f} s ({took / files * 1000:.0f} ms/file, "
        f"{audio_s / took:.0f}× real time), added {len(report.added)}, failed {len(report.failed)}"
    )
    print(f"   reference (decode + store only): {ref:.2f} s; library/reference = {took / ref:.2f}")
    print(f"   load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--segments", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=40)
    ap.add_argument("--limit", type=int, default=200, help="rows per search (the dock shows 200)")
    ap.add_argument("--files", type=int, default=100)
    ap.add_argument("--pg", default=os.environ.get("STUDIO_TEST_PG_URL"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="library-bench-") as tmp:
        work = Path(tmp)
        db = Database(f"sqlite:///{(work / 'bench.sqlite3').as_posix()}")
        bench_search("SQLite (FTS5)", db, work / "media", args.segments, args.repeat, args.limit)
        db.close()
        if args.pg:
            admin = make_url(args.pg)
            name = f"{admin.database}_bench"
            engine = create_engine(admin, isolation_level="AUTOCOMMIT")
            with engine.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            engine.dispose()
            url = admin.set(database=name).render_as_string(hide_password=False)
            db = Database(url)
            bench_search(
                "PostgreSQL (tsvector GIN)",
                db,
                work / "media",
                args.segments,
                args.repeat,
                args.limit,
            )
            db.close()
        else:
            print("\n(PostgreSQL skipped: no --pg and no STUDIO_TEST_PG_URL)")
        if args.files:
            bench_import(args.files, work)


if __name__ == "__main__":
    main()
