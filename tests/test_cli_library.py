"""`studio library import/search/show` on the home's SQLite file and on PostgreSQL."""

from __future__ import annotations

import json

import mutagen.flac
import pytest

from studio.cli import run
from studio.paths import StudioHome
from studio.settings import Settings
from tests import library_support
from tests.library_support import tone

backend = library_support.backend


@pytest.fixture
def home(backend, tmp_path, monkeypatch) -> StudioHome:
    monkeypatch.setenv("STUDIO_LANG", "en")
    monkeypatch.delenv("STUDIO_LIBRARY_URL", raising=False)
    if backend == "postgresql":
        monkeypatch.setenv("STUDIO_LIBRARY_URL", library_support.pg_library_url())
    return StudioHome(tmp_path / "home")


def test_import_search_show(home, tmp_path, capsys):
    folder = tmp_path / "in"
    tone(folder / "ban_tin_sang.wav")
    flac = tone(folder / "x.flac", freq=880)
    tags = mutagen.flac.FLAC(flac)
    tags["title"] = "Phòng chống thiên tai mùa mưa"
    tags.save()
    (folder / "broken.wav").write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunk")

    assert run(["library", "import", str(folder), "--kind", "news_item"], home) == 1
    out = capsys.readouterr()
    assert "2 added" in out.out and "1 failed" in out.out and "broken.wav" in out.err

    assert run(["library", "search", "phong chong", "--json"], home) == 0
    found = json.loads(capsys.readouterr().out)
    assert [f["title"] for f in found] == ["Phòng chống thiên tai mùa mưa"]
    assert found[0]["kind"] == "news_item" and found[0]["duration_s"] == 1.0

    assert run(["library", "search", "ban tin", "--kind", "jingle", "--json"], home) == 0
    assert json.loads(capsys.readouterr().out) == []

    assert run(["library", "search", "BAN TIN"], home) == 0
    assert "ban tin sang" in capsys.readouterr().out

    seg_id = found[0]["id"]
    assert run(["library", "show", str(seg_id), "--json"], home) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["sha256"] == found[0]["sha256"] and shown["usages"] == []

    assert run(["library", "show", "999", "--json"], home) == 1
    assert "no segment 999" in capsys.readouterr().err

    assert run(["library", "import", str(folder / "ban_tin_sang.wav")], home) == 0
    assert "already in the library" in capsys.readouterr().out


def test_database_url_comes_from_the_setting(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("STUDIO_LANG", "en")
    monkeypatch.delenv("STUDIO_LIBRARY_URL", raising=False)
    home = StudioHome(tmp_path / "home").ensure()
    other = tmp_path / "shared.sqlite3"
    settings = Settings(home.settings_file)
    settings.set("library_url", f"sqlite:///{other.as_posix()}")
    settings.save()
    assert run(["library", "import", str(tone(tmp_path / "a.wav"))], home) == 0
    assert other.exists() and not (home.root / "library.sqlite3").exists()
    capsys.readouterr()
    monkeypatch.setenv("STUDIO_LIBRARY_URL", f"sqlite:///{(tmp_path / 'env.sqlite3').as_posix()}")
    assert run(["library", "search", "--json"], home) == 0
    assert json.loads(capsys.readouterr().out) == []  # the env wins over the setting
