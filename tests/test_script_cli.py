"""The daily bulletin from the command line: templates, script, a take per item recorded on the
real virtual sound device."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from tests.conftest import RATE, tone, write_wav
from tests.pulse_device import require_pulse

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = (
    "Kính thưa bà con, đây là bản tin sáng ngày 02/12/2026.\n\n"
    "UBND xã thông báo lịch tiêm phòng cho đàn gia súc lúc 7h30.\n\n"
    "Bản tin đến đây là kết thúc."
)


def studio(home, *args, lang="en", check=True, **kw):
    env = {**os.environ, "STUDIO_LANG": lang, "PYTHONPATH": str(ROOT), "STUDIO_HOME": str(home)}
    proc = subprocess.run(
        [sys.executable, "-m", "studio", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        **kw,
    )
    if check:
        assert proc.returncode == 0, proc.stderr + proc.stdout
    return proc


@pytest.fixture
def home(tmp_path):
    return tmp_path / "home"


def test_templates_list_as_json(home):
    out = json.loads(studio(home, "templates", "--json").stdout)
    by_id = {t["id"]: t for t in out}
    assert by_id["ban-tin-sang"]["slot_s"] == 900
    assert by_id["ban-tin-sang"]["title"] == "Bản tin sáng"
    assert [p["type"] for p in by_id["ban-tin-khan-cap"]["parts"]][0] == "jingle"


def test_new_from_a_template_with_the_library_then_set_and_show_the_script(home, tmp_path):
    jingle = write_wav(tmp_path / "nhạc hiệu.wav", tone(2.0, amp=0.3, channels=2))
    bed = write_wav(tmp_path / "nhạc nền.wav", tone(40.0, freq=220, amp=0.2, channels=2))
    studio(home, "library", "import", jingle, "--kind", "jingle")
    studio(home, "library", "import", bed, "--kind", "music_bed")
    prog = tmp_path / "bản tin.sttprog"
    out = studio(home, "new", prog, "--template", "ban-tin-sang", "--title", "Bản tin sáng").stdout
    assert "ban-tin-sang" in out and "nhạc hiệu" in out.lower()

    text = tmp_path / "kịch bản.txt"
    text.write_bytes(("\ufeff" + SCRIPT.replace("\n", "\r\n")).encode("utf-8"))
    studio(home, "script", "set", prog, text)
    shown = json.loads(studio(home, "script", "show", prog, "--json").stdout)
    assert [i["index"] for i in shown["items"]] == [0, 1, 2]
    assert shown["items"][1]["text"].startswith("UBND xã")
    assert all(i["take"] is None for i in shown["items"])
    assert shown["items"][0]["syllables"] == 21  # the date is read "hai tháng mười hai năm …"
    assert shown["slot_s"] == 900
    assert shown["total_estimated_s"] == pytest.approx(
        sum(i["estimated_s"] for i in shown["items"]) + 2 * 0.8, abs=0.2
    )
    # the closing jingle follows the new script's end
    d = json.loads(prog.read_text("utf-8"))
    jingles = next(t for t in d["tracks"] if t["name"] == "Nhạc hiệu")["clips"]
    assert jingles[-1]["start"] > d["script"]["anchor"] + int(
        (shown["total_estimated_s"] - 1) * RATE
    )


def test_script_from_a_windows_1258_file(home, tmp_path):
    prog = tmp_path / "a.sttprog"
    studio(home, "new", prog)
    text = tmp_path / "kb.txt"
    text.write_bytes("Ba con chu y.\n\nMua to.".encode("cp1258"))
    studio(home, "script", "set", prog, text)
    assert len(json.loads(studio(home, "script", "show", prog, "--json").stdout)["items"]) == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("new", "{p}", "--template", "khong-co", "--force"), "No template 'khong-co'"),
        (("script", "set", "{p}", "{missing}"), "Cannot read"),
        (("script", "set", "{p}", "{empty}"), "holds no text"),
        (("record", "{p}", "--item", "1", "--duration", "1"), "no script yet"),
        (("templates", "save", "{p}", "--id", "Bad Id"), "template id"),
    ],
)
def test_bad_requests_are_one_clear_line(home, tmp_path, args, message):
    prog = tmp_path / "p.sttprog"
    studio(home, "new", prog)
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n  \n", "utf-8")
    args = [a.format(p=prog, missing=tmp_path / "nope.txt", empty=empty) for a in args]
    proc = studio(home, *args, check=False)
    assert proc.returncode == 1
    assert message in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def _speech_like(seconds: float) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    syllable = (np.sin(2 * np.pi * 4 * t) > 0).astype(np.float32)  # 4 bursts a second
    return (0.3 * syllable * np.sin(2 * np.pi * 300 * t)).astype(np.float32)


def _play_while_recording(home, prog, item, seconds, take_glob):
    """Run `studio record PROGRAMME --item N` and play speech into the sink once its take file
    exists (the recorder is then running), as a reader would start after pressing Record."""
    import sounddevice as sd

    env = {**os.environ, "STUDIO_LANG": "en", "PYTHONPATH": str(ROOT), "STUDIO_HOME": str(home)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "studio",
            "record",
            str(prog),
            "--item",
            str(item),
            "--duration",
            str(seconds + 3),
            "--device",
            "pulse",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while not list((home / "recordings").glob(take_glob)) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.7)
    sd.play(_speech_like(seconds), RATE, device="pulse", blocking=True)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    return out


@pytest.mark.audio_device
def test_record_items_in_place_and_reread_one_on_the_real_device(home, tmp_path):
    require_pulse()
    prog = tmp_path / "bản tin.sttprog"
    studio(home, "new", prog, "--title", "Bản tin sáng")
    text = tmp_path / "kb.txt"
    text.write_text(SCRIPT, "utf-8")
    studio(home, "script", "set", prog, text)

    _play_while_recording(home, prog, 1, 2.0, "*muc 1 - lan 1.wav")
    _play_while_recording(home, prog, 2, 3.0, "*muc 2 - lan 1.wav")
    first = json.loads(studio(home, "script", "show", prog, "--json").stdout)
    takes = [i["take"] for i in first["items"]]
    assert takes[0] and takes[1] and takes[2] is None
    # trimmed to the speech with a breath either side, not the 5-6 s the recorder ran
    assert 1.7 <= first["items"][0]["take_s"] <= 2.8
    assert 2.7 <= first["items"][1]["take_s"] <= 3.8
    start_1 = first["items"][1]["start_s"]
    assert start_1 == pytest.approx(
        first["items"][0]["start_s"] + first["items"][0]["take_s"] + 0.8, abs=0.002
    )

    _play_while_recording(home, prog, 1, 4.0, "*muc 1 - lan 2.wav")  # item 1 read again, longer
    again = json.loads(studio(home, "script", "show", prog, "--json").stdout)
    assert again["items"][1]["take"] == takes[1]  # item 2 kept its take
    assert again["items"][0]["take"] != takes[0]
    assert again["items"][1]["start_s"] == pytest.approx(
        again["items"][0]["start_s"] + again["items"][0]["take_s"] + 0.8, abs=0.002
    )
    d = json.loads(prog.read_text("utf-8"))
    assert not any(t["name"].endswith(" · takes") for t in d["tracks"])
    voice = next(t for t in d["tracks"] if t["name"] == "Giọng đọc")
    assert [c["source"] for c in voice["takes"]] == [takes[0]]  # the old take is kept
    assert len(list((home / "recordings").glob("*.wav"))) == 3
    # the recorded audio is really there: the placed take is the played signal
    voice = next(t for t in d["tracks"] if t["name"] == "Giọng đọc")
    assert len(voice["clips"]) == 2
    wav = sorted((home / "recordings").glob("*muc 1 - lan 2.wav"))[0]
    audio, _ = sf.read(wav, dtype="float32", always_2d=True)
    assert np.abs(audio).max() > 0.2
    settings = json.loads((home / "settings.json").read_text("utf-8"))
    assert settings["reader_pace_sps"] > 0
