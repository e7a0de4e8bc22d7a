"""Helpers for the window tests: a home with imported media, a fake player, scripted prompts."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import soundfile as sf

from audio.media import MediaStore
from audio.mixer import render
from audio.timeline import Timeline, TrackRole
from studio.edits import add_source_clip
from studio.programme import Programme, save_programme

RATE = 48_000


class FakePlayer:
    """Stands in for audio.playback.Player: same interface, no device; position advances
    only when the test says so."""

    instances: list[FakePlayer] = []

    def __init__(self, sources, rate=48_000, device=None, block=1024, latency=0.1):
        self.sources = sources
        self.rate = rate
        self.timelines: list[Timeline] = []
        self.playing = False
        self.pos = 0
        self.calls: list[tuple] = []
        self.error = None
        FakePlayer.instances.append(self)

    def set_timeline(self, tl):
        self.timelines.append(tl)

    def play(self, start_frame=0, end_frame=None, loop=False):
        self.calls.append(("play", start_frame, end_frame, loop))
        self.pos = start_frame
        self.playing = True

    def stop(self):
        self.calls.append(("stop",))
        self.playing = False

    def position(self):
        return self.pos

    def levels(self):
        return [0.5, 0.25]

    def track_levels(self):
        tracks = len(self.timelines[-1].tracks) if self.timelines else 0
        return np.full((tracks, 2), 0.5, np.float32)


def fake_factory(sources, rate, device=None):
    return FakePlayer(sources, rate=rate, device=device)


class ScriptedPrompts:
    """Answers the window's questions from queues; records what was asked."""

    def __init__(self):
        self.asked: list[tuple] = []
        self.answers: dict[str, list] = {}

    def queue(self, kind: str, *values) -> None:
        self.answers.setdefault(kind, []).extend(values)

    def _next(self, kind, default=None):
        q = self.answers.get(kind)
        return q.pop(0) if q else default

    def unsaved(self, name):
        self.asked.append(("unsaved", name))
        return self._next("unsaved", "discard")

    def open_path(self, folder=""):
        return self._next("open_path")

    def save_path(self, suggestion=""):
        return self._next("save_path")

    def export_options(self, presets, chosen, folder, name_for, auto_level=True, duck=True):
        """A queued ExportChoice; else a queued "export_path" exported with the chosen preset
        and both balance options on (what the dialog offers by default)."""
        from pathlib import Path

        from ui.window.export_dialog import ExportChoice

        self.asked.append(("export_options", chosen.name, folder, name_for(chosen)))
        queued = self._next("export_options")
        if queued is not None:
            return queued
        path = self._next("export_path")
        return ExportChoice(Path(path), chosen, auto_level, duck) if path else None

    def push_options(self, destinations, title, file_name):
        """A queued PushChoice, else the two answers the push asked for before it had a
        dialog: the destination (when there are several) and the priority label."""
        from ui.publishing.outbox_view import priority_label
        from ui.publishing.push_dialog import PRIORITIES, PushChoice

        self.asked.append(("push_options", list(destinations)))
        queued = self._next("push_options")
        if queued is not None:
            return queued
        name = destinations[0]
        if len(destinations) > 1:
            name = self.choose("Push to destination", "Send to:", destinations)
        labels = {priority_label(p): p for p in PRIORITIES}
        label = self.choose("Push to destination", "Priority:", list(labels))
        if name is None or label is None:
            return None
        return PushChoice(name, labels[label], title)

    def save_file(self, title, suggestion, file_filter):
        self.asked.append(("save_file", suggestion))
        return self._next("save_file")

    def import_paths(self, folder=""):
        return self._next("import_paths", [])

    def relink_path(self, name):
        self.asked.append(("relink", name))
        return self._next("relink_path")

    def keep_sending(self, pending):
        self.asked.append(("keep_sending", pending))
        return self._next("keep_sending", "close")

    def error(self, text):
        self.asked.append(("error", text))

    def info(self, text):
        self.asked.append(("info", text))

    def confirm(self, text):
        self.asked.append(("confirm", text))
        return self._next("confirm", True)

    def number(self, title, label, value, lo, hi):
        return self._next("number")

    def text(self, title, label, value=""):
        return self._next("text")

    def choose(self, title, label, items):
        self.asked.append(("choose", label, list(items)))
        return self._next("choose", items[0] if items else None)


def tone_file(path, seconds: float, freq: float, channels: int = 1, amp: float = 0.5) -> str:
    t = np.arange(int(seconds * RATE)) / RATE
    x = (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)
    # a slow amplitude ramp makes every position distinct, so a misplaced clip shows in a render
    x *= np.linspace(0.2, 1.0, len(x), dtype=np.float32)
    data = np.repeat(x[:, None], channels, axis=1)
    sf.write(str(path), data, RATE, subtype="FLOAT")
    return str(path)


def demo_programme(folder, store: MediaStore) -> Programme:
    """Two tracks: voice with two clips, a music bed with one."""
    folder.mkdir(parents=True, exist_ok=True)
    a = store.import_file(tone_file(folder / "giọng đọc.wav", 4.0, 220), RATE)
    b = store.import_file(tone_file(folder / "tin 2.wav", 3.0, 330), RATE)
    bed = store.import_file(tone_file(folder / "nhạc nền.wav", 9.0, 110, 2, 0.2), RATE)
    p = Programme(title="Bản tin sáng")
    p = add_source_clip(p, a, "Giọng đọc", 0, original_path=folder / "giọng đọc.wav")
    p = add_source_clip(p, b, "Giọng đọc", 5 * RATE, original_path=folder / "tin 2.wav")
    p = add_source_clip(
        p, bed, "Nhạc nền", 0, -6.0, TrackRole.MUSIC_BED, original_path=folder / "nhạc nền.wav"
    )
    return p


def write_demo(folder, store) -> tuple[str, Programme]:
    p = demo_programme(folder, store)
    path = folder / "bản tin.sttprog"
    save_programme(p, path)
    return str(path), p


def mix(timeline: Timeline, store: MediaStore) -> np.ndarray:
    return render(timeline, lambda s: store.frames(s, RATE), 0, max(timeline.length, 1))
