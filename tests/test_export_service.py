"""The one export preset model and the export service that the window and the CLI share."""

from __future__ import annotations

import json
import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pytest
import soundfile as sf

import audio.media
from audio.errors import Cancelled, StudioError
from export.check import check_file
from export.presets import ALIASES, PRESETS, ExportPreset, custom, preset
from studio.cli import run
from studio.exporting import ExportService
from studio.paths import StudioHome
from studio.programme import load_programme
from studio.settings import Settings
from tests.ui_support import write_demo

RATE = 48_000


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("STUDIO_HOME", str(tmp_path / "home"))
    return StudioHome(tmp_path / "home").ensure()


@pytest.fixture
def demo(home, tmp_path):
    path, programme = write_demo(tmp_path / "demo", audio.media.MediaStore(home.media))
    return path, programme


# --- the model ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"target_lufs": 0.0}, "−40 and −5 LUFS"),
        ({"target_lufs": 5.0}, "−40 and −5 LUFS"),
        ({"target_lufs": float("nan")}, "must be a number"),
        ({"bitrate_kbps": 7}, "7 kbps"),
        ({"bitrate_kbps": 320}, "320 kbps"),
        ({"channels": 6}, "Channels"),
        ({"rate": 22_050}, "44100 or 48000"),
        ({"ceiling_dbtp": 1.0}, "ceiling"),
        ({"tolerance_lu": 0.0}, "tolerance"),
        ({"format": "ogg"}, "ogg"),
    ],
)
def test_every_bad_value_is_one_clear_bilingual_line(changes, words):
    with pytest.raises(StudioError) as err:
        preset("loudspeaker").with_changes(**changes)
    assert words in err.value.en and "\n" not in err.value.en
    assert err.value.vi and err.value.vi != err.value.en and "\n" not in err.value.vi


def test_one_set_of_names_and_the_old_names_are_aliases():
    assert list(PRESETS) == ["loudspeaker", "province", "ebu-r128", "archive-wav", "archive-flac"]
    assert preset("loa-truyen-thanh") is preset("loudspeaker") is preset(None)
    assert all(preset(old) is PRESETS[new] for old, new in ALIASES.items())
    # the loudness presets and the encoding presets were two tables; now each is one preset
    r128 = preset("ebu-r128")
    assert (r128.target_lufs, r128.channels, r128.rate, r128.bitrate_kbps) == (-23, 2, 48_000, 128)
    assert r128.max_lra_lu == 20.0
    assert ExportPreset.from_dict(r128.as_dict()) == r128
    # a WAV preset keeps whatever bitrate: it is not used
    assert custom("archive-wav", bitrate_kbps=7).format == "wav"


# --- the command line -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [["--target-lufs", "0"], ["--target-lufs", "+5"], ["--bitrate", "7"], ["--preset", "nope"]],
)
def test_export_refuses_a_bad_value_with_one_line(home, demo, tmp_path, capsys, args):
    path, _ = demo
    out = tmp_path / "x.mp3"
    assert run(["export", path, "-o", str(out), *args], home) == 1
    err = capsys.readouterr().err.strip()
    assert err and "\n" not in err and "Traceback" not in err
    assert not out.exists()


def test_presets_are_listed_and_the_choice_is_kept_in_the_settings(home, demo, tmp_path, capsys):
    assert run(["presets", "--json"], home) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in rows] == list(PRESETS)
    assert [r["name"] for r in rows if r["chosen"]] == ["loudspeaker"]
    assert {"format", "bitrate_kbps", "target_lufs", "ceiling_dbtp", "tolerance_lu"} <= set(rows[0])
    assert run(["presets"], home) == 0
    text = capsys.readouterr().out
    assert "* loudspeaker" in text and "ebu-r128" in text

    assert run(["presets", "--use", "r128"], home) == 0
    assert Settings(home.settings_file).get("export_preset") == "ebu-r128"
    assert run(["presets", "--use", "cassette"], home) == 1
    assert "cassette" in capsys.readouterr().err

    path, _ = demo
    out = tmp_path / "chosen.mp3"
    assert run(["export", path, "-o", str(out)], home) == 0
    with sf.SoundFile(str(out)) as f:
        assert (f.samplerate, f.channels) == (48_000, 2)
    report = json.loads(out.with_name(out.name + ".report.json").read_text("utf-8"))
    assert report["preset"]["name"] == "ebu-r128" and report["preset"]["target_lufs"] == -23


def test_a_settings_file_of_the_last_release_keeps_its_preset(home):
    home.settings_file.write_text(json.dumps({"loudness_preset": "ebu-r128"}), "utf-8")
    assert ExportService(home, Settings(home.settings_file)).preset().name == "ebu-r128"
    home.settings_file.write_text(json.dumps({"export_preset": "gone"}), "utf-8")
    assert ExportService(home, Settings(home.settings_file)).preset().name == "loudspeaker"


# --- the service ----------------------------------------------------------------------------


def test_a_programme_without_a_title_exports_as_ban_tin(home, demo, tmp_path):
    """The default name is Vietnamese: slugged for an ASCII-only preset, kept otherwise; the
    marked regions are named after it too."""
    from audio.timeline import Marker

    _, programme = demo
    untitled = programme.with_changes(title="")
    service = ExportService(home, Settings(home.settings_file))
    assert service.file_name(untitled) == "ban-tin.mp3"  # loudspeaker: ASCII names
    assert service.file_name(untitled, preset("archive-wav")) == "Bản tin.wav"
    markers = (Marker(0, "Tin 1"), Marker(RATE, "hết"))  # two markers: one region
    marked = untitled.with_changes(timeline=untitled.timeline.with_changes(markers=markers))
    (tmp_path / "regions").mkdir()
    (result,) = service.export_regions(marked, tmp_path / "regions")
    assert Path(result.path).name == "ban-tin-01-tin-1.mp3"


def test_the_report_comes_from_the_export_itself(home, demo, tmp_path, monkeypatch):
    path, programme = demo
    service = ExportService(home, Settings(home.settings_file))
    decodes = []
    blocks = audio.media.Decoder.blocks
    monkeypatch.setattr(
        audio.media.Decoder, "blocks", lambda self: decodes.append(self) or blocks(self)
    )
    seen = []
    result = service.export(programme, tmp_path / "a.mp3", progress=seen.append)
    # The MP3 encoder checks its own frames as it writes them, so nothing is decoded again.
    assert len(decodes) == 0
    assert seen[-1] == 1.0 and seen == sorted(seen)
    again = check_file(result.path, result.preset)
    assert result.report.passed == again.passed
    assert result.report.measurement["integrated_lufs"] == pytest.approx(
        again.measurement["integrated_lufs"], abs=1e-6
    )
    series = result.short_term_series
    assert len(series) == pytest.approx(result.frames / result.rate * 10 - 29, abs=2)  # 3 s windows
    assert np.nanmax(series[np.isfinite(series)]) < -5


def test_cancel_stops_the_export_and_leaves_nothing(home, demo, tmp_path):
    _, programme = demo
    service = ExportService(home)
    seen = []
    with pytest.raises(Cancelled):  # stopped half-way, during the encode
        service.export(
            programme,
            tmp_path / "c.mp3",
            progress=seen.append,
            cancel=lambda: bool(seen) and seen[-1] > 0.5,
        )
    assert 0.5 < seen[-1] < 1.0
    assert list(tmp_path.glob("c.mp3*")) == [] and list(tmp_path.glob(".c.mp3*")) == []


def test_window_and_cli_export_byte_identical_files(qtbot, qapp, home, demo, tmp_path, monkeypatch):
    """The window's Export (job helper → export service) and `studio export` make the same
    bytes from the same programme, and the window decodes the file only once (in the
    export's own check)."""
    from tests.test_ui_integration import open_window

    path, _ = demo
    cli_out = tmp_path / "cli" / "bản tin.mp3"
    cli_out.parent.mkdir()
    assert run(["export", path, "-o", str(cli_out)], home) == 0

    w, features = open_window(qtbot, home)
    meters = features.get("meters")
    assert w.open_path(path, ask=False)
    assert w.editor.programme == w.editor.balancer(load_programme(path))  # balanced on opening
    decodes = []
    blocks = audio.media.Decoder.blocks
    monkeypatch.setattr(
        audio.media.Decoder, "blocks", lambda self: decodes.append(self) or blocks(self)
    )
    win_out = tmp_path / "window" / "bản tin.mp3"
    win_out.parent.mkdir()
    w.prompts.queue("export_path", str(win_out))
    w.act_export.trigger()
    assert win_out.read_bytes() == cli_out.read_bytes()
    assert len(decodes) == 0  # neither the export nor the window decodes the file again
    assert meters.last_report is w.last_export.report and meters.last_report.passed
    assert len(meters.panel.graph.short_term) == len(w.last_export.short_term_series) > 0
    w.close()
    from audio.errors import set_language
    from ui.looks import load_translations

    set_language(None)  # the window chose Vietnamese for the process: later tests expect English
    load_translations(qapp, "en")
