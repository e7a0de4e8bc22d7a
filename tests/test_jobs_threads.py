"""Background jobs and the window: progress and results reach Qt only on the GUI thread.

The window crashed (segfault in the progress dialog's setValue) after an export-then-push:
a modal QProgressDialog runs the event loop inside setValue(), and the job could end and
delete the dialog in there. These tests run real worker threads (no synchronous runner).
"""

from __future__ import annotations

import os
import threading
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QMainWindow

from studio.paths import StudioHome
from studio.settings import Settings
from tests.ui_support import RATE, ScriptedPrompts, fake_factory, tone_file
from ui.app import build_window, install_features
from ui.jobs import JobRunner


def spin(ms: int) -> None:
    """What a modal question does: run a nested event loop for a while."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_until(qtbot, predicate, timeout_s=60.0):
    deadline = time.monotonic() + timeout_s
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        qtbot.wait(10)


def on_gui_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def test_every_callback_of_a_job_runs_on_the_gui_thread(qtbot):
    win = QMainWindow()
    qtbot.addWidget(win)
    runner = JobRunner(win)
    seen: list[tuple[str, bool]] = []

    def work(progress):
        for i in range(200):
            progress(i / 200)
        return 1

    for _ in range(5):
        runner.run(
            "x",
            work,
            on_done=lambda _r: seen.append(("done", on_gui_thread())),
            on_progress=lambda _f: seen.append(("progress", on_gui_thread())),
        )
        runner.run("y", lambda p: 1 / 0, on_error=lambda e: seen.append(("error", on_gui_thread())))
    wait_until(qtbot, lambda: not runner.jobs)
    assert {kind for kind, _ in seen} == {"done", "progress", "error"}
    assert all(ok for _, ok in seen)


def test_a_job_ending_inside_a_nested_event_loop_never_touches_a_deleted_dialog(qapp, qtbot):
    """An export ends, the next job starts and a modal question runs, forty times over. A
    modal progress dialog runs the event loop inside its own setValue(), and the job ended
    and deleted the dialog in there: a segfault within a few rounds before."""
    win = QMainWindow()
    qtbot.addWidget(win)
    win.show()
    runner = JobRunner(win)
    finished = []

    def work(progress):
        for i in range(400):
            progress(i / 400)
            time.sleep(0.0005)
        return 1

    def exported(_result):
        runner.run("check", work, on_done=finished.append)
        spin(30)  # the question "push to which destination?"

    for _ in range(40):
        runner.run("export", work, on_done=exported)
        while runner.jobs:
            qapp.processEvents()
            time.sleep(0.001)
    assert len(finished) == 40


class ModalPrompts(ScriptedPrompts):
    """Scripted answers, but each question runs an event loop as a real modal dialog does."""

    def choose(self, title, label, items):
        spin(20)
        return super().choose(title, label, items)


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("STUDIO_HOME", str(tmp_path / "home"))
    return StudioHome(tmp_path / "home").ensure()


def test_export_then_push_in_a_loop_with_the_window_open(qtbot, home, tmp_path):
    from studio.outbox import Status

    w = build_window(home, Settings(home.settings_file), player_factory=fake_factory)
    w.prompts = ModalPrompts()
    features = install_features(w)
    lib, pub = features.get("library"), features.get("publishing")
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.add_track_defaults()
    info = w.store.import_file(tone_file(tmp_path / "tin.wav", 2.0, 440, amp=0.2), RATE)
    seg = lib.library.add(info, title="Tin")
    assert lib.drop_segments(
        [{"segment_id": seg.id, "source_id": seg.source_id}], 5, w.timeline_view.track_top(0) + 10
    )
    usb = tmp_path / "usb"
    usb.mkdir()
    pub.outbox.add_destination("usb", "folder", str(usb))
    rounds = 8
    for n in range(rounds):
        w.last_export = None
        w.prompts.queue("export_path", str(tmp_path / f"ban-tin-{n}.mp3"))
        pub.push()  # exports in the background, then pushes: the path that crashed
        wait_until(qtbot, lambda n=n: len(pub.outbox.items()) == n + 1 and not w.jobs.jobs)
    wait_until(qtbot, lambda: all(i["status"] in Status.DONE for i in pub.outbox.items()))
    sent = sorted(p.name for p in usb.glob("*.mp3"))
    assert sent == sorted(f"ban-tin-{n}.mp3" for n in range(rounds))
    w.close()
