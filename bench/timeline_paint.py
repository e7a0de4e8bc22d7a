"""Timeline paint cost: first paint and repaints while scrolling and zooming.

A 60-minute programme with 8 tracks and 200 clips (4 imported 150-second sources reused with
different offsets), shown in the real main window at 1366×768 (offscreen). Prints the time to
first paint (window built, programme opened, timeline painted) and the per-repaint cost while
scrolling and zooming at several zoom levels, next to a reference measured in the same run:
the same visible waveform columns drawn the common way, one QPainter line per pixel column.

    /work/main/.venv/bin/python bench/timeline_paint.py [--repeats 60]
Targets (PERFORMANCE.md): first paint < 1 s, repaint < 16 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import soundfile as sf  # noqa: E402

RATE = 48_000
MINUTES = 60
TRACKS = 8
CLIPS = 200
SOURCES = 4
SOURCE_SECONDS = 150


def make_sources(folder: Path, store) -> list:
    rng = np.random.default_rng(7)
    infos = []
    for i in range(SOURCES):
        n = SOURCE_SECONDS * RATE
        # noise shaped by a syllable-rate envelope: speech-like peaks and pauses
        env = np.abs(np.sin(np.arange(n) / RATE * np.pi * (3 + i))) ** 2
        env *= (rng.random(n // RATE + 1) > 0.2).repeat(RATE)[:n]
        x = (rng.standard_normal(n) * 0.2 * env).astype(np.float32)
        path = folder / f"source-{i}.wav"
        sf.write(str(path), x, RATE, subtype="FLOAT")
        infos.append(store.import_file(path, RATE))
    return infos


def make_programme(infos):
    from audio.timeline import Clip, Timeline, Track, TrackRole
    from studio.programme import Programme, media_ref_for

    per_track = CLIPS // TRACKS
    slot = MINUTES * 60 * RATE // per_track
    tracks = []
    for t in range(TRACKS):
        clips = []
        for k in range(per_track):
            info = infos[(t + k) % SOURCES]
            length = min(int(slot * 0.9), info.frames - RATE)
            clips.append(
                Clip(
                    info.source_id,
                    start=k * slot + t * RATE,
                    length=length,
                    source_offset=(k * 7919) % RATE,
                    fade_in=RATE,
                    fade_out=RATE,
                    name=f"Đoạn {t + 1}.{k + 1}",
                )
            )
        role = (TrackRole.VOICE, TrackRole.MUSIC_BED, TrackRole.JINGLE)[t % 3]
        tracks.append(Track(f"Rãnh {t + 1}", tuple(clips), role=role))
    timeline = Timeline(rate=RATE, tracks=tuple(tracks))
    p = Programme(title="60 phút", timeline=timeline)
    for info in infos:
        p = p.with_media(media_ref_for(info))
    return p


def reference_paint(view, painter_cls, image) -> float:
    """Draw the visible clips' waveform columns as one QLineF per column (the usual way)."""
    from PySide6.QtCore import QLineF

    p = painter_cls(image)
    t0 = time.perf_counter()
    w = view.viewport().width()
    f0, f1 = view.frame_at(0), view.frame_at(w)
    for ti, track in enumerate(view.timeline.tracks):
        top = view.track_top(ti)
        if top > image.height() or top + view.track_height < 0:
            continue
        for clip in track.clips:
            if clip.end < f0 or clip.start > f1:
                continue
            x0 = max(0, int(view.x_of(clip.start)))
            x1 = min(w, int(view.x_of(clip.end)))
            if x1 <= x0:
                continue
            first = (
                clip.source_offset
                + (x0 + view.horizontalScrollBar().value()) * view.frames_per_px
                - clip.start
            )
            cols = view.waveforms.columns(clip.source_id, first, view.frames_per_px, x1 - x0)
            if cols is None:
                continue
            mid = top + view.track_height / 2
            half = view.track_height / 2 - 10
            lines = [
                QLineF(x0 + i, mid - float(hi) * half, x0 + i, mid - float(lo) * half)
                for i, (lo, hi) in enumerate(zip(cols[0], cols[1], strict=True))
            ]
            p.drawLines(lines)
    p.end()
    return time.perf_counter() - t0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=60, help="repaints per scenario")
    args = ap.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="studio-paint-"))
    os.environ["STUDIO_HOME"] = str(work / "home")
    from PySide6.QtGui import QImage, QPainter

    from audio.media import MediaStore
    from studio.paths import StudioHome
    from studio.programme import save_programme
    from studio.settings import Settings
    from ui.app import build_window, create_app

    home = StudioHome.default().ensure()
    app = create_app()
    t = time.perf_counter()
    infos = make_sources(work, MediaStore(home.media))
    programme = make_programme(infos)
    path = work / "60-phut.sttprog"
    save_programme(programme, path)
    print(f"set-up (sources imported, programme written): {time.perf_counter() - t:.1f} s")
    print(
        f"programme: {programme.timeline.length / RATE / 60:.1f} min, "
        f"{len(programme.timeline.tracks)} tracks, "
        f"{sum(len(tr.clips) for tr in programme.timeline.tracks)} clips"
    )

    t0 = time.perf_counter()
    window = build_window(home, Settings(home.settings_file))
    window.resize(1366, 768)
    window.show()
    window.open_path(str(path), ask=False)
    view = window.timeline_view
    while view.paint_count == 0:  # until the timeline has really been painted once
        app.processEvents()
    first_paint = time.perf_counter() - t0
    t1 = time.perf_counter()
    view.viewport().repaint()
    warm = time.perf_counter() - t1
    if view.paint_count < 2:
        raise SystemExit("the timeline did not repaint: the measurement would be empty")
    print(
        f"\nfirst paint (window built + programme opened + painted): {first_paint * 1000:.0f} ms"
        f"  [target < 1000 ms] {'OK' if first_paint < 1 else 'SLOW'}"
    )
    print(f"timeline repaint right after (warm caches): {warm * 1000:.1f} ms")
    vw = view.viewport().width()
    vh = view.viewport().height()
    print(f"viewport {vw}×{vh} px")

    def timed_repaints(step) -> list[float]:
        out = []
        for i in range(args.repeats):
            step(i)
            t = time.perf_counter()
            view.viewport().repaint()
            out.append(time.perf_counter() - t)
        return out

    image = QImage(vw, vh, QImage.Format.Format_ARGB32_Premultiplied)
    scenarios = [
        ("whole hour in view", programme.timeline.length / (vw - 40)),
        ("10 px per second", RATE / 10),
        ("100 px per second", RATE / 100),
        ("1 px per 64 frames", 64.0),
        ("sample level (16 px per frame)", 1 / 16),
    ]
    print(
        f"\n{'scenario':34} {'median':>8} {'p95':>8} {'max':>8}   {'reference median':>16}  ratio"
    )
    worst = 0.0
    for name, fpp in scenarios:
        view.set_zoom(fpp, 0)
        bar = view.horizontalScrollBar()
        bar.setValue(bar.maximum() // 3)
        app.processEvents()
        start = bar.value()
        scroll = timed_repaints(lambda i, start=start, bar=bar: bar.setValue(start + i * vw // 7))
        ref = []
        for i in range(min(args.repeats, 20)):
            bar.setValue(start + i * vw // 7)
            image.fill(0)
            ref.append(reference_paint(view, QPainter, image))
        med, p95 = statistics.median(scroll), sorted(scroll)[int(0.95 * len(scroll)) - 1]
        worst = max(worst, p95)
        rmed = statistics.median(ref)
        print(
            f"{'scroll, ' + name:34} {med * 1000:7.2f}ms {p95 * 1000:7.2f}ms {max(scroll) * 1000:7.2f}ms"
            f"   {rmed * 1000:14.2f}ms  {rmed / med:5.1f}×"
        )
    # zooming in and out around the middle of the hour
    view.set_zoom(programme.timeline.length / (vw - 40), 0)
    factors = [1.25] * 40 + [0.8] * 40
    zoom = timed_repaints(lambda i: view.zoom_by(factors[i % len(factors)], vw / 2))
    med, p95 = statistics.median(zoom), sorted(zoom)[int(0.95 * len(zoom)) - 1]
    worst = max(worst, p95)
    print(
        f"{'zoom in/out steps of 1.25×':34} {med * 1000:7.2f}ms {p95 * 1000:7.2f}ms {max(zoom) * 1000:7.2f}ms"
    )
    # the playhead moving during playback repaints two thin strips
    view.set_zoom(RATE / 10, 0)
    strip = []
    for i in range(args.repeats):
        before = view.paint_count
        t = time.perf_counter()
        window.editor.set_playhead(RATE * 60 + i * 1600)  # asks for two thin strips
        while view.paint_count == before:
            app.processEvents()
        strip.append(time.perf_counter() - t)
    print(f"{'playhead step (two strips)':34} {statistics.median(strip) * 1000:7.2f}ms")
    print(
        f"\nworst p95 repaint: {worst * 1000:.2f} ms  [target < 16 ms] "
        f"{'OK' if worst < 0.016 else 'SLOW'}"
    )
    window.editor.session.history.mark_saved()
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
