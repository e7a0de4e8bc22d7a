"""A WAV whose header declares 30 s but holds 0.52 s: what decodes is kept, and import, add and
loudness say so (in English and Vietnamese)."""

from __future__ import annotations

import json

import numpy as np
import pytest
import soundfile as sf

from audio.media import Decoder, MediaStore
from studio.cli import run
from studio.paths import StudioHome

RATE = 48_000


@pytest.fixture
def cut_wav(tmp_path):
    full = tmp_path / "full.wav"
    x = (np.random.default_rng(0).standard_normal((RATE * 30, 1)) * 0.1).astype(np.float32)
    sf.write(str(full), x, RATE, subtype="PCM_16")
    cut = tmp_path / "bị cắt.wav"
    cut.write_bytes(full.read_bytes()[: 44 + int(0.52 * RATE) * 2])  # the header says 30 s
    return cut


def test_the_decoder_keeps_what_is_there_and_knows(cut_wav, tmp_path):
    d = Decoder(cut_wav)
    assert d.truncated == pytest.approx((30.0, 0.52))
    assert sum(len(b) for b in d.blocks()) == int(0.52 * RATE)
    note = d.warning()
    assert "header declares 30.0 s, 0.52 s present" in note.en
    assert "ghi 30.0 giây, chỉ có 0.52 giây" in note.vi
    whole = tmp_path / "whole.wav"
    sf.write(str(whole), np.zeros((RATE, 1), np.float32), RATE)
    assert Decoder(whole).truncated is None and Decoder(whole).warning() is None
    info = MediaStore(tmp_path / "media").import_file(cut_wav, RATE)
    assert info.frames == int(0.52 * RATE) and info.warning() is not None
    again = MediaStore(tmp_path / "media").info(info.source_id, RATE)  # read back from JSON
    assert again == info


def test_add_loudness_and_library_import_say_so(cut_wav, tmp_path, capsys, monkeypatch):
    home = StudioHome(tmp_path / "home")
    prog = tmp_path / "p.sttprog"
    assert run(["new", str(prog)], home) == 0
    assert run(["add", str(prog), str(cut_wav), "--track", "Giọng"], home) == 0
    out = capsys.readouterr()
    assert "0.52 s" in out.out and "header declares 30.0 s, 0.52 s present" in out.err

    assert run(["loudness", str(cut_wav), "--json"], home) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["duration_s"] == pytest.approx(0.52) and "30.0 s" in row["warning"]
    monkeypatch.setenv("STUDIO_LANG", "vi")
    assert run(["loudness", str(cut_wav)], home) == 0
    assert "chỉ có 0.52 giây" in capsys.readouterr().out

    assert run(["library", "import", str(cut_wav)], home) == 0
    out = capsys.readouterr()
    assert "đã thêm #" in out.out and "chỉ có 0.52 giây" in out.err
