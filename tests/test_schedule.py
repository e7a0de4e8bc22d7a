"""Broadcast schedules: what a person types, what is refused, where the schedule goes.

The schedule travels in the bulletin document (province API) and in the `.bulletin.json`
sidecar that folder, FTP and SFTP destinations write beside the audio.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from pathlib import Path

import jsonschema
import pytest

from audio.errors import StudioError
from export.destinations import DestinationConfig, make_destination
from studio.schedule import Schedule, parse_times, parse_weekdays, schedule_from_args
from tests.pubservers import FtpServer, SftpServer, load_schema

NOW = dt.datetime(2026, 12, 2, 12, 0)  # a Wednesday
TOMORROW = (dt.date.today() + dt.timedelta(days=1)).isoformat()
NEXT_WEEK = (dt.date.today() + dt.timedelta(days=7)).isoformat()


def sched(at, until=None, weekdays=None, times=None, repeat=None, gap=None) -> Schedule | None:
    return schedule_from_args(at, until, weekdays, times, repeat, gap, now=NOW)


# --- values --------------------------------------------------------------------------------------
def test_once_at_a_time():
    s = sched("2026-12-03T06:00")
    assert s.as_json() == {"start_date": "2026-12-03", "end_date": "2026-12-03", "times": ["06:00"]}
    assert s.plays() == [dt.datetime(2026, 12, 3, 6, 0)] and s.once


def test_a_week_of_weekdays_twice_a_day():
    s = sched("2026-12-03T06:00", "2026-12-09", "1-5", "17:30, 06:00")
    assert s.as_json() == {
        "start_date": "2026-12-03",
        "end_date": "2026-12-09",
        "weekdays": [1, 2, 3, 4, 5],
        "times": ["06:00", "17:30"],
    }
    # Thu 3, Fri 4, (Sat 5, Sun 6 skipped), Mon 7, Tue 8, Wed 9: five days × two times.
    plays = s.plays()
    assert len(plays) == 10 and plays[0] == dt.datetime(2026, 12, 3, 6, 0)
    assert {p.date().isoformat() for p in plays} == {
        "2026-12-03", "2026-12-04", "2026-12-07", "2026-12-08", "2026-12-09"
    }  # fmt: skip
    assert plays[-1] == dt.datetime(2026, 12, 9, 17, 30)


def test_forms_people_write():
    assert parse_weekdays("T2-T6") == (1, 2, 3, 4, 5)
    assert parse_weekdays("t7, CN") == (6, 7)
    assert parse_weekdays("1,3,5") == (1, 3, 5)
    assert parse_times("6h30 17h 6:00") == ("06:00", "06:30", "17:00")
    s = sched("03/12/2026", "10/12/2026", times="06:00", repeat=2, gap=10)
    assert s.as_json()["start_date"] == "2026-12-03" and s.as_json()["end_date"] == "2026-12-10"
    assert s.as_json()["repeat_count"] == 2 and s.as_json()["repeat_gap_s"] == 10.0
    # A date alone: played that day in the head-end's regular slots.
    assert sched("2026-12-03").as_json() == {"start_date": "2026-12-03", "end_date": "2026-12-03"}
    assert sched(None) is None  # no schedule: as soon as possible


@pytest.mark.parametrize(
    ("args", "en", "vi"),
    [
        (("2026-02-30T06:00",), "'2026-02-30' is not a valid date", "không phải ngày hợp lệ"),
        (("2026-13-01",), "'2026-13-01' is not a valid date", "không phải ngày hợp lệ"),
        (("tomorrow",), "'tomorrow' is not a valid date", "không phải ngày hợp lệ"),
        (("2026-12-03T25:00",), "'25:00' is not a time of day", "không phải giờ hợp lệ"),
        (("2026-12-03T",), "no time after the date", "thiếu giờ sau ngày"),
        (("2026-12-09T06:00", "2026-12-03"), "end date 2026-12-03 is before", "trước ngày bắt đầu"),
        (("2026-12-03", "2026-12-31", "1-8", "06:00"), "'8' is not a weekday", "không phải thứ"),
        (("2026-12-03", "2026-12-31", "0", "06:00"), "'0' is not a weekday", "không phải thứ"),
        (("2026-12-03", "2026-12-31", "mon", "06:00"), "'mon' is not a weekday", "không phải thứ"),
        (("2026-12-03", "2026-12-31", "5-1", "06:00"), "runs backwards", "bị ngược"),
        (("2026-12-05", "2026-12-06", "1-5", "06:00"), "would never play", "không bao giờ"),
        (("2026-12-03T05:00", "2026-12-09", None, "06:00"), "not among --times", "không có"),
        ((None, "2026-12-09"), "--until needs --at", "--until cần có --at"),
        ((None, None, "1-5"), "--weekdays needs --at", "cần có --at"),
        (("2026-12-01T06:00",), "in the past", "đều đã qua"),
        (("2026-12-03", "2028-01-01", None, "06:00"), "at most 366 days", "tối đa 366"),
        (("2026-12-03T06:00", None, None, None, 21), "between 1 and 20", "từ 1 đến 20"),
        (("2026-12-03T06:00", None, None, None, None, 5), "--repeat-gap needs", "cần có --repeat"),
    ],
)
def test_bad_values_are_refused_with_one_line_each(args, en, vi):
    with pytest.raises(StudioError) as err:
        sched(*args)
    assert en in err.value.en and vi in err.value.vi
    assert "\n" not in err.value.en and "\n" not in err.value.vi


def test_documents_round_trip_and_bad_documents_are_refused():
    s = sched("2026-12-03T06:00", "2026-12-09", "1-5", "06:00,17:30", 2, 10)
    assert Schedule.from_json(s.as_json()) == s
    assert Schedule.from_json(None) is None
    # Absent end_date: the start day only (what docs/schedules.md tells head-ends).
    assert Schedule.from_json({"start_date": "2026-12-03"}).end_date == dt.date(2026, 12, 3)
    for bad, en in [
        ("tomorrow", "JSON object or null"),
        ({"end_date": "2026-12-03"}, "needs a start_date"),
        ({"start_date": "2026-12-03", "when": "soon"}, "Unknown schedule field"),
        ({"start_date": "2026-12-03", "weekdays": [9]}, "'9' is not a weekday"),
        ({"start_date": "2026-12-03", "times": ["6 o'clock"]}, "not a time of day"),
        ({"start_date": "2026-12-03", "repeat_count": "2"}, "whole number"),
    ]:
        with pytest.raises(StudioError, match=en):
            Schedule.from_json(bad)


# --- where it goes ---------------------------------------------------------------------------------
@pytest.fixture
def cli(capsys):
    """The CLI in this process (one more interpreter per call costs seconds on a loaded box)."""
    from studio.cli import run
    from studio.paths import StudioHome

    def call(home: Path, *args: str) -> subprocess.CompletedProcess:
        capsys.readouterr()
        code = run(list(args), StudioHome(home))
        out = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, out.out, out.err)

    return call


def test_push_with_a_schedule_writes_the_sidecar_and_the_outbox_row(tmp_path, cli):
    home, dest = tmp_path / "home", tmp_path / "headend"
    dest.mkdir()
    assert (
        cli(home, "destinations", "add", "loa", "--kind", "folder", "--url", str(dest)).returncode
        == 0
    )
    src = tmp_path / "Tiêm phòng.mp3"
    src.write_bytes(os.urandom(50_000))
    r = cli(
        home, "push", str(src), "--to", "loa", "--title", "Lịch tiêm phòng", "--at",
        f"{TOMORROW}T06:00", "--until", NEXT_WEEK, "--times", "06:00,17:30", "--wait",
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    sidecar = dest / "Tiêm phòng.mp3.bulletin.json"
    doc = json.loads(sidecar.read_text("utf-8"))
    jsonschema.validate(doc, load_schema())
    assert doc["schedule"] == {
        "start_date": TOMORROW, "end_date": NEXT_WEEK, "times": ["06:00", "17:30"]
    }  # fmt: skip
    assert doc["title"] == "Lịch tiêm phòng" and doc["audio"]["file_name"] == src.name
    assert sorted(p.name for p in dest.iterdir()) == [src.name, sidecar.name]
    # The sidecar is in place before the audio appears.
    assert sidecar.stat().st_mtime_ns <= (dest / src.name).stat().st_mtime_ns
    r = cli(home, "outbox", "--json")
    (item,) = json.loads(r.stdout)
    assert item["metadata"]["schedule"] == doc["schedule"]


def test_push_without_a_schedule_writes_no_sidecar_unless_asked(tmp_path, cli):
    home, plain, always = tmp_path / "home", tmp_path / "plain", tmp_path / "always"
    plain.mkdir()
    always.mkdir()
    cli(home, "destinations", "add", "plain", "--kind", "folder", "--url", str(plain))
    cli(
        home, "destinations", "add", "always", "--kind", "folder", "--url", str(always),
        "--option", "sidecar=always",
    )  # fmt: skip
    src = tmp_path / "tin.mp3"
    src.write_bytes(os.urandom(20_000))
    for name in ("plain", "always"):
        assert cli(home, "push", str(src), "--to", name, "--wait").returncode == 0
    assert [p.name for p in plain.iterdir()] == ["tin.mp3"]
    doc = json.loads((always / "tin.mp3.bulletin.json").read_text("utf-8"))
    assert doc["schedule"] is None and doc["priority"] == "thuong"
    r = cli(
        home, "destinations", "add", "odd", "--kind", "folder", "--url", str(plain),
        "--option", "sidecar=sometimes",
    )  # fmt: skip
    assert r.returncode == 1 and "sidecar=sometimes" in r.stderr and "Traceback" not in r.stderr


def test_bad_schedule_on_the_command_line_queues_nothing(tmp_path, cli):
    home, dest = tmp_path / "home", tmp_path / "headend"
    dest.mkdir()
    cli(home, "destinations", "add", "loa", "--kind", "folder", "--url", str(dest))
    src = tmp_path / "tin.mp3"
    src.write_bytes(os.urandom(20_000))
    meta = tmp_path / "meta.json"
    meta.write_text(json.dumps({"schedule": {"start_date": "2026-12-03", "weekdays": [8]}}))
    for extra, message in [
        (["--at", f"{TOMORROW}T06:00", "--until", "2020-01-01"], "is before the start date"),
        (["--at", f"{TOMORROW}T06:00", "--weekdays", "1-9"], "'9' is not a weekday"),
        (["--at", "2026-02-30"], "'2026-02-30' is not a valid date"),
        (["--times", "06:00"], "--times needs --at"),
        (["--metadata", str(meta)], "'8' is not a weekday"),
    ]:
        r = cli(home, "push", str(src), "--to", "loa", *extra)
        assert r.returncode == 1, r.stdout
        assert message in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert json.loads(cli(home, "outbox", "--json").stdout) == []


@pytest.mark.network
def test_ftp_and_sftp_write_the_sidecar_before_the_audio(tmp_path):
    from tests.test_destinations import make_item

    item = make_item(tmp_path, schedule=sched("2026-12-03T06:00").as_json())
    ftp = FtpServer(tmp_path / "ftproot")
    sftp = SftpServer(tmp_path / "sftproot", tmp_path / "keys")
    try:
        for config, root, secret in [
            (DestinationConfig("f", "ftp", ftp.url("/"), "station"), ftp.root, "pw-1"),
            (DestinationConfig("s", "sftp", sftp.url("/"), sftp.user), sftp.root, sftp.password),
        ]:
            d = make_destination(config, secret, known_hosts=tmp_path / "known_hosts")
            d.run(d.prepare(item))
            names = sorted(p.name for p in root.iterdir())
            assert names == [item.name, item.name + ".bulletin.json"], names
            doc = json.loads((root / (item.name + ".bulletin.json")).read_text("utf-8"))
            jsonschema.validate(doc, load_schema())
            assert doc["schedule"]["times"] == ["06:00"]
    finally:
        ftp.close()
        sftp.close()
