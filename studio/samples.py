"""Sample content, so the app is useful at the first start: a jingle, a music bed and an
emergency signal synthesised here (numpy only: no recording, no third-party rights), filed in
the library with their kinds and the tags the built-in templates look for, and a demo
programme built from them with the morning-bulletin template and its short script.

`install_samples()` is idempotent: a segment already in the library (same bytes) is kept, and
an existing demo programme is never overwritten.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

RATE = 48_000
AUTHOR = "Studio Truyền Thanh (tổng hợp)"
NOTES = "Tạo bằng chương trình, không dùng bản ghi của ai: được tự do phát và chỉnh sửa."
DEMO_NAME = "Chương trình mẫu.sttprog"

DEMO_TEMPLATE = "ban-tin-sang"  # the morning bulletin: jingle, greeting, news, close


# --- synthesis ---------------------------------------------------------------------------------


def _note(freq: float, seconds: float, decay_s: float, partials: int = 6, bright: float = 0.6):
    """A struck, bell-like tone: harmonic partials, each decaying faster than the one below."""
    t = np.arange(int(seconds * RATE)) / RATE
    out = np.zeros_like(t)
    for k in range(1, partials + 1):
        out += (bright ** (k - 1)) * np.sin(2 * np.pi * freq * k * t) * np.exp(-t * k / decay_s)
    attack = np.minimum(1.0, t / 0.005)  # 5 ms: no click
    release = np.minimum(1.0, (seconds - t) / 0.08)  # nor where the note is cut off
    return out * attack * release


def _place(buffer: np.ndarray, x: np.ndarray, at_s: float, pan: float = 0.0) -> None:
    start = int(at_s * RATE)
    end = min(len(buffer), start + len(x))
    left, right = np.cos((pan + 1) * np.pi / 4), np.sin((pan + 1) * np.pi / 4)
    buffer[start:end, 0] += x[: end - start] * left
    buffer[start:end, 1] += x[: end - start] * right


def _finish(x: np.ndarray, peak_dbfs: float = -3.0, fade_s: float = 0.05) -> np.ndarray:
    n = int(fade_s * RATE)
    x[-n:] *= np.linspace(1, 0, n)[:, None]
    x *= 10 ** (peak_dbfs / 20) / np.max(np.abs(x))
    return x.astype(np.float32)


def jingle() -> np.ndarray:
    """About 5 s: a rising major arpeggio on bells over a soft drum, ending on a held chord."""
    out = np.zeros((int(5.2 * RATE), 2))
    c5 = 523.25
    for i, semis in enumerate((0, 4, 7, 12)):
        _place(out, _note(c5 * 2 ** (semis / 12), 2.5, 0.6), 0.18 * i, pan=-0.5 + i / 3)
    for semis, pan in ((0, -0.3), (4, 0.3), (7, -0.1), (12, 0.1), (-12, 0.0)):
        _place(out, _note(c5 * 2 ** (semis / 12), 4.0, 1.4, bright=0.5), 0.9, pan)
    t = np.arange(int(0.4 * RATE)) / RATE
    drum = np.sin(2 * np.pi * (60 + 60 * np.exp(-t / 0.03)) * t) * np.exp(-t / 0.12)
    for at in (0.0, 0.9):
        _place(out, 1.5 * drum, at)
    return _finish(out)


def music_bed(seconds: float = 45.0) -> np.ndarray:
    """A calm pad (I–vi–IV–V, 4 s a chord) with a gentle plucked pattern: soft under a voice."""
    n = int(seconds * RATE)
    out = np.zeros((n, 2))
    t = np.arange(n) / RATE
    chords = ((0, 4, 7), (-3, 0, 4), (-7, -3, 0), (-5, -1, 2))  # C, Am, F, G around C4
    c4 = 261.63
    chord_s = 4.0
    for index in range(int(np.ceil(seconds / chord_s))):
        start = index * chord_s
        span = (t >= start) & (t < start + chord_s + 0.5)
        local = t[span] - start
        env = np.minimum(1.0, local / 0.8) * np.minimum(
            1.0, np.maximum(0.0, chord_s + 0.5 - local) / 0.8
        )
        for j, semis in enumerate(chords[index % 4]):
            f = c4 * 2 ** (semis / 12)
            tone = np.sin(2 * np.pi * f * local) + 0.3 * np.sin(2 * np.pi * 2 * f * local + 0.5)
            out[span, j % 2] += 0.25 * env * tone
            out[span, (j + 1) % 2] += 0.15 * env * tone
        for k in range(8):  # plucks, an octave up, every half second
            semis = chords[index % 4][k % 3] + 12
            pluck = _note(c4 * 2 ** (semis / 12), 0.6, 0.25, partials=4, bright=0.4)
            if start + k * 0.5 < seconds:
                _place(out, 0.12 * pluck, start + k * 0.5, pan=0.6 if k % 2 else -0.6)
    fade = int(2.0 * RATE)
    out[:fade] *= np.linspace(0, 1, fade)[:, None]
    return _finish(out, peak_dbfs=-6.0, fade_s=3.0)


def emergency_signal(seconds: float = 4.0) -> np.ndarray:
    """Two alternating tones (960 / 770 Hz, 0.5 s each), the sound of an alarm."""
    n = int(seconds * RATE)
    t = np.arange(n) / RATE
    freq = np.where((t // 0.5) % 2 == 0, 960.0, 770.0)
    phase = 2 * np.pi * np.cumsum(freq) / RATE
    x = np.sin(phase) + 0.2 * np.sin(3 * phase)
    edge = np.minimum(1.0, np.minimum(t, seconds - t) / 0.02)
    mono = x * edge
    return _finish(np.stack([mono, mono], axis=1), peak_dbfs=-12.0)  # steady tones: loud enough


@dataclass(frozen=True, slots=True)
class Sample:
    key: str
    title: str
    kind: str  # studio.library.models.SegmentKind value
    tags: tuple[str, ...]
    make: Callable[[], np.ndarray]


SAMPLES = (
    Sample("jingle", "Nhạc hiệu mẫu", "jingle", ("mở đầu", "kết thúc", "thông báo"), jingle),
    Sample("bed", "Nhạc nền mẫu", "music_bed", ("nhạc nền", "nhẹ nhàng"), music_bed),
    Sample("alert", "Hiệu lệnh khẩn cấp mẫu", "jingle", ("khẩn cấp",), emergency_signal),
)


# --- filing and the demo programme ---------------------------------------------------------------


def install_samples(library, folder: Path, station: str = "", commune: str = "") -> dict:
    """File the samples in `library` (a studio.library.service.Library) and write the demo
    programme into `folder` unless it exists. Returns {"segments": {key: SegmentView},
    "programme": Path}."""
    import soundfile as sf

    segments = {}
    with tempfile.TemporaryDirectory(prefix="studio-samples-") as tmp:
        for sample in SAMPLES:
            wav = Path(tmp) / f"{sample.key}.wav"
            sf.write(str(wav), sample.make(), RATE, subtype="PCM_16")
            info = library.store.import_file(wav, library.rate)
            existing = library.by_sha256(info.source_id)
            segments[sample.key] = existing or library.add(
                info,
                title=sample.title,
                kind=sample.kind,
                tags=sample.tags,
                author=AUTHOR,
                notes=NOTES,
            )
    path = Path(folder) / DEMO_NAME
    if not path.exists():
        from studio.programme import save_programme

        save_programme(demo_programme(library, station, commune), path)
    return {"segments": segments, "programme": path}


def demo_programme(library, station: str = "", commune: str = ""):
    """The morning-bulletin template filled from the library (the samples just filed): the
    opening jingle, the script's greeting with the commune's name, room for the news, the
    closing words over the bed and the closing jingle. The voice track waits for the reader."""
    from studio.templates import assemble, get_template

    programme = assemble(
        get_template(DEMO_TEMPLATE),
        library.store,
        library,
        title="Chương trình mẫu",
        commune=commune,
        station=station,
        rate=library.rate,
    ).programme
    if commune:
        programme = programme.with_changes(metadata=(*programme.metadata, ("commune", commune)))
    return programme
