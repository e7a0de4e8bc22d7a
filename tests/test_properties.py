"""Programme properties: the model, the CLI (`studio properties`), the export's tags and name,
and the window's dialog (one undo step)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from mutagen.id3 import ID3

from audio.errors import StudioError
from studio.programme import Programme, load_programme, save_programme
from studio.properties import properties, push_metadata, set_properties
from studio.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def studio(home, *args, lang="en", check=True):
    env = {**os.environ, "STUDIO_LANG": lang, "PYTHONPATH": str(ROOT), "STUDIO_HOME": str(home)}
    proc = subprocess.run(
        [sys.executable, "-m", "studio", *map(str, args)], capture_output=True, text=True, env=env
    )
    if check:
        assert proc.returncode == 0, proc.stderr + proc.stdout
    return proc


def test_set_properties_cleans_values_and_removes_empty_ones():
    p = set_properties(
        Programme(title="cũ"),
        title="  Bản tin   sáng ",
        category="Thời sự",
        author="Nguyễn Văn A",
        date="02/12/2026",
    )
    assert p.title == "Bản tin sáng"
    assert p.meta("category") == "Thời sự" and p.meta("date") == "2026-12-02"
    p = set_properties(p, author="")
    assert p.meta("author") == "" and "author" not in dict(p.metadata)


@pytest.mark.parametrize(
    "change",
    [{"date": "32/13/2026"}, {"author": "a\x07b"}, {"title": "x" * 201}, {"colour": "đỏ"}],
)
def test_bad_values_are_refused_in_one_line(change):
    with pytest.raises(StudioError) as err:
        set_properties(Programme(), **change)
    assert "\n" not in err.value.message("vi") and err.value.message("vi") != err.value.message(
        "en"
    )


def test_station_and_commune_fall_back_to_the_settings(tmp_path):
    settings = Settings(tmp_path / "settings.json")
    settings.set("station_name", "Đài truyền thanh xã Hòa An")
    settings.set("commune", "Hòa An")
    p = set_properties(Programme(title="Tin"), category="Nông nghiệp")
    props = properties(p, settings)
    assert props["station"] == "Đài truyền thanh xã Hòa An" and props["commune"] == "Hòa An"
    assert push_metadata(p, settings) == {
        "station": "Đài truyền thanh xã Hòa An",
        "commune": "Hòa An",
        "category": "Nông nghiệp",
    }
    own = set_properties(p, station="Đài xã Hòa Bình")
    assert properties(own, settings)["station"] == "Đài xã Hòa Bình"


def test_cli_sets_and_shows_properties_and_export_uses_them(tmp_path):
    home = tmp_path / "home"
    prog = tmp_path / "bản tin.json"
    studio(home, "new", prog, "--title", "Tạm")
    proc = studio(home, "properties", prog, "--title", "Bản tin sáng", "--station", "Đài xã Hòa An",
                  "--commune", "Hòa An", "--category", "Thời sự", "--author", "Chị Lan",
                  "--date", "02/12/2026", lang="vi")  # fmt: skip
    assert "Bản tin sáng" in proc.stdout and "Lĩnh vực" in proc.stdout
    shown = json.loads(studio(home, "properties", prog, "--json").stdout)
    assert shown == {
        "title": "Bản tin sáng",
        "station": "Đài xã Hòa An",
        "commune": "Hòa An",
        "category": "Thời sự",
        "author": "Chị Lan",
        "date": "2026-12-02",
    }
    bad = studio(home, "properties", prog, "--date", "hôm qua", check=False)
    assert bad.returncode != 0 and "not a date" in bad.stderr and "Traceback" not in bad.stderr
    assert load_programme(prog).meta("date") == "2026-12-02"  # nothing changed by the bad one

    # The export's ID3 tags carry them.
    import numpy as np
    import soundfile as sf

    wav = tmp_path / "giọng.wav"
    t = np.arange(48_000 * 3) / 48_000
    sf.write(wav, (0.2 * np.sin(2 * np.pi * 300 * t)).astype("float32"), 48_000)
    studio(home, "add", prog, wav, "--track", "Giọng đọc")
    out = tmp_path / "xuất.mp3"
    studio(home, "export", prog, "-o", out)
    id3 = ID3(out)
    assert str(id3["TIT2"]) == "Bản tin sáng"
    assert str(id3["TPUB"]) == "Đài xã Hòa An"
    assert str(id3["TCON"]) == "Thời sự"
    assert str(id3["TPE1"]) == "Chị Lan"
    assert str(id3["TDRC"]) == "2026-12-02"
    assert str(id3.getall("COMM")[0]) == "Hòa An"


def test_window_dialog_changes_properties_in_one_undo_step(qtbot, tmp_path, monkeypatch):
    from studio.paths import StudioHome
    from tests.ui_support import ScriptedPrompts, fake_factory
    from ui.app import build_window, install_features

    monkeypatch.setenv("STUDIO_HOME", str(tmp_path / "home"))
    home = StudioHome(tmp_path / "home").ensure()
    settings = Settings(home.settings_file)
    settings.set("station_name", "Đài xã Hòa An")
    w = build_window(home, settings, player_factory=fake_factory, synchronous_jobs=True)
    w.prompts = ScriptedPrompts()
    feature = install_features(w).get("properties")
    qtbot.addWidget(w)
    assert feature.act_properties in w.menus["file"].actions()
    dlg = feature.dialog()
    assert "Đài xã Hòa An" in dlg.fields["station"].placeholderText()
    dlg.fields["title"].setText("Thông báo tiêm chủng")
    dlg.fields["category"].setText("Y tế")
    dlg.fields["date"].setText("03/12/2026")
    assert feature.apply(dlg.values())
    p = w.editor.programme
    assert p.title == "Thông báo tiêm chủng" and p.meta("category") == "Y tế"
    assert p.meta("date") == "2026-12-03"
    assert w.editor.session.history.undo_description.en == "Changed the programme's properties"
    assert feature.dialog().fields["date"].text() == "03/12/2026"
    with pytest.raises(StudioError):
        feature.apply({**dlg.values(), "date": "không rõ"})
    assert w.editor.programme.meta("date") == "2026-12-03"
    w.editor.undo()
    assert w.editor.programme.title != "Thông báo tiêm chủng"
    save_programme(p, tmp_path / "x.json")  # what the dialog made is a valid programme file
    assert load_programme(tmp_path / "x.json").meta("category") == "Y tế"
    w.close()
