"""Screenshots of the studio window as a user sees it, for people to look at.

Starts a virtual X server (Xvfb, unless DISPLAY is already set and --no-xvfb is given), builds
a demo programme from a Vietnamese voice (espeak-ng) and tones (sox), opens the real window at
1366×768 and saves PNGs of the main views into a folder.

    /work/main/.venv/bin/python scripts/screenshots.py [OUT_DIR] [--guide resources/guide/images]

With --guide it also saves the user guide's pictures (resources/guide/): the views the guide
talks about (recording, library, timeline, the broadcast-ready check after a real export, the
push dialog, the outbox, the emergency screen), at most GUIDE_WIDTH pixels wide.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SPEECH = [
    (
        "tin-1",
        "Kính thưa bà con, sau đây là bản tin của Đài truyền thanh xã. "
        "Ủy ban nhân dân xã thông báo lịch tiêm phòng cho gia súc, gia cầm.",
    ),
    ("tin-2", "Tin thời tiết: ngày mai trời có mưa rào và dông, bà con chú ý phòng tránh."),
]


def start_xvfb(display: str) -> subprocess.Popen:
    proc = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", "1600x900x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        if Path(f"/tmp/.X11-unix/X{display.lstrip(':')}").exists():
            break
        time.sleep(0.05)
    return proc


def make_media(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for name, text in SPEECH:
        out = folder / f"{name}.wav"
        subprocess.run(["espeak-ng", "-v", "vi", "-s", "150", "-w", str(out), text], check=True)
        files[name] = out
    bed = folder / "nhạc nền.wav"
    subprocess.run(
        [
            "sox",
            "-n",
            "-r",
            "48000",
            "-c",
            "2",
            str(bed),
            "synth",
            "40",
            "sine",
            "220",
            "sine",
            "277",
            "tremolo",
            "0.5",
            "40",
            "vol",
            "0.25",
        ],
        check=True,
    )
    jingle = folder / "nhạc hiệu.wav"
    subprocess.run(
        [
            "sox",
            "-n",
            "-r",
            "48000",
            "-c",
            "2",
            str(jingle),
            "synth",
            "0.4",
            "pluck",
            "C5",
            "synth",
            "0.4",
            "pluck",
            "E5",
            ":",
            "synth",
            "0.4",
            "pluck",
            "G5",
            ":",
            "synth",
            "1.2",
            "pluck",
            "C6",
            "fade",
            "0",
            "0",
            "0.6",
            "vol",
            "0.7",
        ],
        check=True,
    )
    files["bed"], files["jingle"] = bed, jingle
    return files


def demo_programme(store, files):
    from audio.timeline import FadeShape, TrackRole
    from studio import edits
    from studio.edits import ClipRef
    from studio.programme import Programme

    rate = 48_000
    info = {k: store.import_file(p, rate) for k, p in files.items()}
    p = Programme(title="Bản tin sáng thứ Hai")
    p = edits.add_source_clip(
        p, info["jingle"], "Nhạc hiệu", 0, role=TrackRole.JINGLE, original_path=files["jingle"]
    )
    t1 = int(2.2 * rate)
    p = edits.add_source_clip(p, info["tin-1"], "Giọng đọc", t1, original_path=files["tin-1"])
    t2 = t1 + info["tin-1"].frames + rate
    p = edits.add_source_clip(p, info["tin-2"], "Giọng đọc", t2, original_path=files["tin-2"])
    p = edits.add_source_clip(
        p, info["bed"], "Nhạc nền", rate, -12.0, TrackRole.MUSIC_BED, original_path=files["bed"]
    )
    p = edits.add_source_clip(
        p,
        info["jingle"],
        "Nhạc hiệu",
        t2 + info["tin-2"].frames + rate // 2,
        original_path=files["jingle"],
    )
    tl = p.timeline
    bed_track = tl.track_index("Nhạc nền")
    tl, _ = edits.trim_end(tl, ClipRef(bed_track, 0), t2 + info["tin-2"].frames + rate)
    tl = edits.set_fades(tl, ClipRef(bed_track, 0), fade_in=2 * rate, fade_out=3 * rate)
    tl = edits.set_track(tl, bed_track, gain_db=-3.0, pan=-0.2)
    tl = edits.add_marker(tl, t1, "Tin 1: Tiêm phòng")
    tl = edits.add_marker(tl, t2, "Tin 2: Thời tiết")
    voice = tl.track_index("Giọng đọc")
    tl = edits.set_fades(tl, ClipRef(voice, 1), fade_out=rate // 2)
    del FadeShape
    return p.with_changes(timeline=tl)


def fill_panels(window, features, files, work: Path) -> None:
    """Library segments, an outbox item and a loudness graph, so the docks show something."""
    import numpy as np

    from audio.loudness import LoudnessMeter
    from audio.mixer import render

    lib = features["library"].library
    if not lib.search(""):
        for name, title, kind in (
            ("tin-1", "Tin tiêm phòng gia súc, gia cầm", "news_item"),
            ("tin-2", "Dự báo thời tiết: mưa rào và dông", "news_item"),
            ("bed", "Nhạc nền buổi sáng", "music_bed"),
            ("jingle", "Nhạc hiệu đầu bản tin", "jingle"),
        ):
            info = window.store.import_file(str(files[name]), 48_000)
            with contextlib.suppress(Exception):
                lib.add(info, title=title, kind=kind, tags="bản tin, xã")
    features["library"].dock.refresh()
    box = features["publishing"].outbox
    if not box.destinations():
        usb = work / "usb"
        usb.mkdir(exist_ok=True)
        box.add_destination("Loa xã Tân Lập (USB)", "folder", str(usb))
        box.enqueue(files["tin-1"], "Loa xã Tân Lập (USB)", {"title": "Bản tin sáng"}, "uu-tien")
    features["publishing"].view.refresh()
    tl = window.editor.timeline
    mix = render(tl, lambda sid: window.store.frames(sid, tl.rate), 0, tl.length)
    meter = LoudnessMeter(tl.rate, 2, true_peak=False)
    meter.feed(mix)
    meters = features["meters"].panel
    meters.graph.set_series(meter.short_term_series())
    meters.readout.set_integrated(meter.integrated_lufs())
    window.mixer.set_loudness(meter.integrated_lufs())
    meters.bar.set_levels(
        20 * np.log10(max(float(np.abs(mix[-48_000:]).max()), 1e-9)),
        meter.momentary_lufs(),
        meter.short_term_lufs(),
    )


GUIDE_WIDTH = 860  # the guide's dialog shows pictures at their own size


def save_small(image, target: Path, width: int = GUIDE_WIDTH) -> None:
    """A PNG at most `width` wide (smooth scaling), compressed hard: the guide ships in the app."""
    from PySide6.QtCore import Qt

    if image.width() > width:
        image = image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
    image.save(str(target), "PNG", 0)


def guide_shots(app, window, features, work: Path, folder: Path, saved: list) -> None:
    """The Vietnamese guide's pictures, of the window as it is after the main shots."""
    folder.mkdir(parents=True, exist_ok=True)

    def shot(widget, name: str) -> None:
        settle(app)
        target = folder / f"{name}.png"
        save_small(widget.grab().toImage(), target)
        saved.append(target)

    window.timeline_view.zoom_to_fit()
    window.docks["library"].raise_()
    shot(window, "cua-so")
    shot(window.docks["library"], "thu-vien")
    window.docks["recording"].raise_()
    shot(window.docks["recording"], "thu-am")
    from studio import history

    bar = getattr(features.get("recording"), "bar", None)
    if bar is not None:  # the record bar shows above the tracks while a track is armed
        voice = window.editor.timeline.track_index("Giọng đọc")
        window.editor.set_track(voice, history.TRACK_ARM, armed=True)
        settle(app, 1.0)
        if bar.isVisible():
            shot(bar, "thanh-thu")
        window.editor.set_track(voice, history.TRACK_ARM, armed=False)
    window.docks["library"].raise_()
    shot(window.centralWidget(), "dong-thoi-gian")  # track headers and the timeline
    from ui.window.export_dialog import ExportDialog

    exports, programme = window.exports, window.editor.programme
    dialog = ExportDialog(
        exports.presets(),
        window.export_preset(),
        "D:\\Bản tin",  # only shown: the folder a station would pick, not the demo's /tmp
        lambda preset: exports.file_name(programme, preset, title=programme.title),
        window,
    )
    dialog.show()
    shot(dialog, "xuat")
    dialog.close()
    dialog.deleteLater()
    # a real export: its broadcast-ready check comes up as a message (modal: shot from a timer)
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    def shoot_message() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            watch.stop()
            target = folder / "kiem-tra.png"
            save_small(box.grab().toImage(), target)
            saved.append(target)
            box.accept()

    watch = QTimer()
    watch.timeout.connect(shoot_message)
    watch.start(300)
    window.export_mp3(str(work / "Bản tin sáng.mp3"))
    end = time.monotonic() + 120
    while getattr(window, "last_export", None) is None and time.monotonic() < end:
        settle(app, 0.2)
    settle(app, 1.0)
    watch.stop()
    window.docks["meters"].raise_()
    shot(window.docks["meters"], "do-sau-khi-xuat")
    from ui.publishing.push_dialog import PushDialog

    pub = features["publishing"]
    names = [d.name for d in pub.outbox.destinations()]
    push = PushDialog(names, "Bản tin sáng thứ Hai", "Bản tin sáng.mp3", window)
    push.show()
    shot(push, "gui-di")
    push.close()
    window.docks["outbox"].raise_()
    shot(window.docks["outbox"], "hop-thu-di")
    window.mixer_dock.raise_()
    loa = work / "loa-khan-cap"
    loa.mkdir(exist_ok=True)
    with contextlib.suppress(Exception):
        pub.outbox.add_destination("Loa xã (khẩn cấp)", "folder", str(loa), emergency=True)
    screen = features["emergency"].open_screen()
    if screen is not None:
        shot(screen, "khan-cap")
        screen.close()


def settle(app, seconds: float = 0.3) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", nargs="?", default=str(ROOT / "screenshots"))
    ap.add_argument("--display", default=":99")
    ap.add_argument("--no-xvfb", action="store_true", help="use the current DISPLAY")
    ap.add_argument("--guide", help="also save the user guide's pictures into this folder")
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for tool in ("espeak-ng", "sox") + (() if args.no_xvfb else ("Xvfb",)):
        if shutil.which(tool) is None:
            print(f"{tool} is not installed", file=sys.stderr)
            return 1
    xvfb = None if args.no_xvfb else start_xvfb(args.display)
    if xvfb is not None:
        os.environ["DISPLAY"] = args.display
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    work = Path(tempfile.mkdtemp(prefix="studio-shots-"))
    os.environ["STUDIO_HOME"] = str(work / "home")
    try:
        return _shoot(out, work, Path(args.guide) if args.guide else None)
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait(5)
        shutil.rmtree(work, ignore_errors=True)


def _shoot(out: Path, work: Path, guide: Path | None = None) -> int:
    from audio.media import MediaStore
    from studio.edits import ClipRef
    from studio.paths import StudioHome
    from studio.programme import save_programme
    from studio.settings import Settings
    from ui.app import build_window, create_app, install_features
    from ui.window.dialogs import MissingMediaDialog, SettingsDialog, ShortcutsDialog

    home = StudioHome.default().ensure()
    app = create_app()
    files = make_media(work / "media-in")
    programme = demo_programme(MediaStore(home.media), files)
    path = work / "Bản tin sáng.sttprog"
    save_programme(programme, path)
    saved = []

    def shot(widget, name: str) -> None:
        settle(app)
        target = out / f"{name}.png"
        widget.grab().save(str(target))
        saved.append(target)

    for lang, theme in (("vi", "light"), ("vi", "dark"), ("en", "light")):
        settings = Settings(home.settings_file)
        settings.set("language", lang)
        settings.set("theme", theme)
        window = build_window(home, settings)
        features = install_features(window, start_worker=False)
        window.move(0, 0)
        window.resize(1366, 768)
        window.show()
        window.open_path(str(path), ask=False)
        fill_panels(window, features, files, work)
        window.editor.select([ClipRef(1, 0)])
        window.editor.set_playhead(int(3.5 * 48_000))
        settle(app, 0.5)
        shot(window, f"main-{lang}-{theme}")
        if lang == "vi" and theme == "light" and guide is not None:
            guide_shots(app, window, features, work, guide, saved)
            window.docks["library"].raise_()
            window.editor.select([ClipRef(1, 0)])
            window.editor.set_playhead(int(3.5 * 48_000))
        if lang == "vi" and theme == "light":
            ed = window.editor
            ed.set_range(int(14 * 48_000), int(16.5 * 48_000))
            window.timeline_view.set_zoom(48_000 / 120)
            window.timeline_view.scroll_to_frame(int(12 * 48_000), 0.0)
            shot(window, "timeline-range-zoomed")
            ed.set_range(None)
            window.timeline_view.set_zoom(1 / 8)
            window.timeline_view.scroll_to_frame(int(2.62 * 48_000), 0.0)
            shot(window.timeline_view, "timeline-samples")
            shot(window.mixer_dock, "mixer")
            for key in ("library", "meters", "recording"):
                shot(window.docks[key], f"panel-{key}")
            window.docks["outbox"].raise_()
            shot(window, "main-vi-outbox-tab")
            shot(window.docks["outbox"], "panel-outbox")
            window.mixer_dock.raise_()
            dialog = ShortcutsDialog(window.shortcut_rows(), window)
            dialog.show()
            shot(dialog, "help-shortcuts")
            dialog.close()
            guide_dialog = window.show_guide()
            shot(guide_dialog, "help-guide")
            guide_dialog.browser.scrollToAnchor("khan-cap")
            shot(guide_dialog, "help-guide-emergency")
            guide_dialog.close()
            sd = SettingsDialog(window.settings, window)
            sd.show()
            shot(sd, "settings")
            sd.close()
            md = MissingMediaDialog(
                [("ab" * 32, "phỏng vấn trưởng thôn.wav", "D:/Ghi âm/phỏng vấn trưởng thôn.wav")],
                lambda sid: None,
                window,
            )
            md.show()
            shot(md, "missing-media")
            md.close()
            script = features.get("script")
            window.editor.session.history.mark_saved()
            script.new_from_template("ban-tin-sang", "Bản tin sáng 02/12")
            script.panel.text.setPlainText("\n\n".join(text for _, text in SPEECH))
            script.apply_text()
            window.docks["script"].raise_()
            shot(window, "main-vi-script")
            prompter = script.show_prompter()
            prompter.resize(1366, 700)
            prompter.move_to(1)
            shot(prompter, "prompter")
            prompter.close()
            window.docks["library"].raise_()
        if guide is not None and lang == "en":
            settle(app, 0.3)
            save_small(window.grab().toImage(), guide / "window-en.png")
            saved.append(guide / "window-en.png")
        window.editor.session.history.mark_saved()
        window.prompts.keep_sending = lambda pending: "close"  # the demo outbox item stays
        window.close()  # stops the panels' threads too
        window.deleteLater()
        settle(app, 0.1)
    for p in saved:
        print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
