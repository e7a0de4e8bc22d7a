"""`studio export` end to end: presets, ASCII names, a range and each marked region."""

from __future__ import annotations

import numpy as np
import soundfile as sf
from mutagen.id3 import ID3

from audio.timeline import Marker
from studio.cli import run
from studio.paths import StudioHome
from studio.programme import load_programme, save_programme

RATE = 48_000


def _programme(tmp_path, home: StudioHome):
    rng = np.random.default_rng(5)
    wav = tmp_path / "giọng đọc.wav"
    sf.write(str(wav), (rng.standard_normal((RATE * 3, 1)) * 0.1).astype(np.float32), RATE)
    prog = tmp_path / "ban-tin.json"
    assert run(["new", str(prog), "--title", "Bản tin sáng 26/11"], home) == 0
    assert run(["add", str(prog), str(wav), "--track", "Giọng"], home) == 0
    p = load_programme(prog)
    markers = (Marker(0, "Mở đầu"), Marker(RATE, "Tin 1"), Marker(2 * RATE, "Hết"))
    p = p.with_changes(
        timeline=p.timeline.with_changes(markers=markers),
        metadata=(("date", "2026-11-26"), ("station", "Đài xã Hòa Bình")),
    )
    save_programme(p, prog)
    return prog


def test_export_with_the_default_preset_writes_an_ascii_named_gapless_mp3(tmp_path, capsys):
    home = StudioHome(tmp_path / "home")
    prog = _programme(tmp_path, home)
    out = tmp_path / "out"
    out.mkdir()
    assert run(["export", str(prog), "--folder", str(out)], home) == 0
    path = out / "ban-tin-sang-2026-11-26.mp3"
    assert path.exists(), list(out.iterdir())
    with sf.SoundFile(str(path)) as f:
        assert (f.samplerate, f.channels, f.frames) == (44_100, 1, 3 * 44_100)
    id3 = ID3(str(path))
    assert str(id3["TIT2"]) == "Bản tin sáng 26/11" and str(id3["TPUB"]) == "Đài xã Hòa Bình"
    assert "ban-tin-sang-2026-11-26.mp3" in capsys.readouterr().out


def test_export_range_and_regions(tmp_path):
    home = StudioHome(tmp_path / "home")
    prog = _programme(tmp_path, home)
    out = tmp_path / "out"
    out.mkdir()
    code = run(
        ["export", str(prog), "--preset", "archive-flac", "--range", "0.5", "2.0",
         "--unicode-name", "--folder", str(out)],
        home,
    )  # fmt: skip
    assert code == 0
    with sf.SoundFile(str(out / "Bản tin sáng 26-11.flac")) as f:
        assert (f.samplerate, f.frames) == (48_000, int(1.5 * RATE))

    assert run(["export", str(prog), "--regions", "--folder", str(out)], home) == 0
    mp3s = sorted(p.name for p in out.glob("*.mp3"))
    assert mp3s == [
        "ban-tin-sang-2026-11-26-01-mo-dau.mp3",
        "ban-tin-sang-2026-11-26-02-tin-1.mp3",
    ]
    for name in mp3s:
        with sf.SoundFile(str(out / name)) as f:
            assert f.frames == 44_100


def test_export_errors_are_one_line_in_the_users_language(tmp_path, capsys, monkeypatch):
    home = StudioHome(tmp_path / "home")
    prog = _programme(tmp_path, home)
    monkeypatch.setenv("STUDIO_LANG", "vi")
    assert run(["export", str(prog), "--folder", str(tmp_path / "nowhere")], home) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("Thư mục") and "\n" not in err
    assert run(["export", str(prog), "--bitrate", "100"], home) == 1
    assert "kbps" in capsys.readouterr().err
    assert run(["export", str(prog), "--range", "2.5", "1"], home) == 1
    assert "Đoạn" in capsys.readouterr().err
