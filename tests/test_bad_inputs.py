"""Every bad input the suite tries through the CLI, and what the user sees.

Each case runs `studio …` in this process (as `python -m studio` would, through
`studio.__main__.main`) and asserts: the exit code, one clear line naming the problem, no
traceback, and that nothing was written or lost (the programme file unchanged, the outbox
empty, nothing outside the destination folder). docs/bad-inputs.md lists the same cases;
`python -m tests.test_bad_inputs` prints that table from here.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

ROOT = Path(__file__).resolve().parents[1]
FF = os.fsdecode(b"\xff")  # a byte that is not UTF-8, as Linux hands it to Python


@dataclass(frozen=True)
class Bad:
    id: str
    kind: str
    argv: tuple[str, ...]  # "{t}" is the test folder
    code: int
    says: str  # a piece of the one line the user sees (English)
    written: tuple[str, ...] = ()  # files this case may create (besides the studio home)
    env: tuple[tuple[str, str], ...] = ()  # environment for this case


CASES = [
    # --- remote names (security) ----------------------------------------------------------
    Bad("name-parent", "remote name", ("push", "{t}/x.mp3", "--to", "usb", "--name", "../../../x.mp3"), 1, "must not contain a folder"),
    Bad("name-absolute", "remote name", ("push", "{t}/x.mp3", "--to", "usb", "--name", "{t}/abs.mp3"), 1, "must not contain a folder"),
    Bad("name-subfolder", "remote name", ("push", "{t}/x.mp3", "--to", "usb", "--name", "sub/x.mp3"), 1, "must not contain a folder"),
    Bad("name-backslash", "remote name", ("push", "{t}/x.mp3", "--to", "usb", "--name", "..\\x.mp3"), 1, "must not contain a folder"),
    Bad("name-reserved", "remote name", ("push", "{t}/x.mp3", "--to", "usb", "--name", "CON.mp3"), 1, "reserves for a device"),
    Bad("name-reserved-com", "remote name", ("push", "{t}/x.mp3", "--to", "usb", "--name", "com1"), 1, "reserves for a device"),
    Bad("name-trailing-dot", "remote name", ("push", "{t}/x.mp3", "--to", "usb", "--name", "x.mp3."), 1, "ends with a dot or a space"),
    Bad("name-trailing-space", "remote name", ("push", "{t}/x.mp3", "--to", "usb", "--name", "x.mp3 "), 1, "ends with a dot or a space"),
    Bad("name-hidden", "remote name", ("push", "{t}/x.mp3", "--to", "usb", "--name", ".x.mp3"), 1, "starts with a dot"),
    Bad("name-colon", "remote name", ("push", "{t}/x.mp3", "--to", "usb", "--name", "a:b.mp3"), 1, "characters a file name cannot have (:)"),
    Bad("name-star", "remote name", ("push", "{t}/x.mp3", "--to", "usb", "--name", "a*?.mp3"), 1, "characters a file name cannot have"),
    Bad("name-newline", "remote name", ("push", "{t}/x.mp3", "--to", "usb", "--name", "a\r\nDELE x.mp3"), 1, "U+000A"),
    Bad("name-empty", "remote name", ("push", "{t}/x.mp3", "--to", "usb", "--name", ""), 1, "the name is empty"),
    Bad("name-too-long", "remote name", ("push", "{t}/x.mp3", "--to", "usb", "--name", "x" * 300 + ".mp3"), 1, "longer than 200"),
    Bad("name-not-utf8", "remote name", ("push", "{t}/x.mp3", "--to", "usb", "--name", f"b{FF}.mp3"), 1, "characters a file name cannot have"),
    # --- files given to push --------------------------------------------------------------
    Bad("push-folder", "file", ("push", "{t}/dir", "--to", "usb"), 1, "is not a file"),
    Bad("push-missing", "file", ("push", "{t}/missing.mp3", "--to", "usb"), 1, "is not a file"),
    Bad("push-empty-file", "file", ("push", "{t}/empty.wav", "--to", "usb"), 1, "is empty (0 bytes): there is nothing to send"),
    Bad("push-metadata-not-json", "file", ("push", "{t}/x.mp3", "--to", "usb", "--metadata", "{t}/a.wav"), 1, "Cannot read the metadata file"),
    Bad("push-priority-unknown", "value", ("push", "{t}/x.mp3", "--to", "usb", "--priority", "urgent"), 2, "invalid choice: 'urgent'"),
    Bad("push-no-destination", "destination", ("push", "{t}/x.mp3", "--to", "nope"), 1, "no destination named 'nope'"),
    # --- gains ----------------------------------------------------------------------------
    Bad("gain-nan", "value", ("add", "{t}/p.sttprog", "{t}/a.wav", "--track", "V", "--gain-db", "nan"), 2, "'nan' is not a finite number"),
    Bad("gain-inf", "value", ("add", "{t}/p.sttprog", "{t}/a.wav", "--track", "V", "--gain-db", "inf"), 2, "'inf' is not a finite number"),
    Bad("gain-minus-inf", "value", ("add", "{t}/p.sttprog", "{t}/a.wav", "--track", "V", "--gain-db=-inf"), 2, "not a finite number"),
    Bad("gain-huge", "value", ("add", "{t}/p.sttprog", "{t}/a.wav", "--track", "V", "--gain-db", "1e6"), 2, "Gain must lie between -60 and +24 dB"),
    Bad("gain-minus-1000", "value", ("add", "{t}/p.sttprog", "{t}/a.wav", "--track", "V", "--gain-db=-1000"), 2, "Gain must lie between -60 and +24 dB"),
    Bad("gain-text", "value", ("add", "{t}/p.sttprog", "{t}/a.wav", "--track", "V", "--gain-db", "loud"), 2, "'loud' is not a number"),
    # --- positions and lengths ------------------------------------------------------------
    Bad("at-nan", "value", ("add", "{t}/p.sttprog", "{t}/a.wav", "--track", "V", "--at", "nan"), 2, "'nan' is not a finite number"),
    Bad("at-inf", "value", ("add", "{t}/p.sttprog", "{t}/a.wav", "--track", "V", "--at", "inf"), 2, "not a finite number"),
    Bad("at-negative", "value", ("add", "{t}/p.sttprog", "{t}/a.wav", "--track", "V", "--at=-5"), 2, "outside 0"),
    Bad("at-230-days", "value", ("add", "{t}/p.sttprog", "{t}/a.wav", "--track", "V", "--at", "2e7"), 2, "outside 0"),
    Bad("track-empty", "value", ("add", "{t}/p.sttprog", "{t}/a.wav", "--track", " "), 1, "A track needs a name"),
    Bad("range-nan", "value", ("export", "{t}/p.sttprog", "--range", "nan", "1"), 2, "not a finite number"),
    Bad("range-huge", "value", ("export", "{t}/p.sttprog", "--range", "0", "1e9"), 2, "outside 0"),
    Bad("range-backwards", "value", ("export", "{t}/p.sttprog", "--range", "1.5", "0.5"), 1, "end must come after its start"),
    Bad("duration-nan", "value", ("record", "{t}/r.wav", "--duration", "nan"), 2, "not a finite number"),
    Bad("duration-zero", "value", ("record", "{t}/r.wav", "--duration", "0"), 2, "not a positive length"),
    Bad("target-nan", "value", ("export", "{t}/p.sttprog", "--target-lufs", "nan"), 2, "not a finite number"),
    Bad("target-loud", "value", ("export", "{t}/p.sttprog", "--target-lufs", "50"), 1, "between −40 and −5 LUFS"),
    Bad("ceiling-high", "value", ("export", "{t}/p.sttprog", "--ceiling-dbtp", "10"), 1, "0 dBTP"),
    Bad("bitrate-zero", "value", ("export", "{t}/p.sttprog", "--bitrate", "0"), 1, "MP3 bitrate 0 kbps is not possible"),
    Bad("bitrate-odd", "value", ("export", "{t}/p.sttprog", "--bitrate", "7"), 1, "MP3 bitrate 7 kbps is not possible"),
    Bad("rate-odd", "value", ("export", "{t}/p.sttprog", "--rate", "7"), 1, "Sample rate must be 44100 or 48000 Hz, not 7"),
    # --- audio and programme files --------------------------------------------------------
    Bad("audio-folder", "file", ("add", "{t}/p.sttprog", "{t}/dir", "--track", "V"), 1, "is a folder, not an audio file"),
    Bad("audio-missing", "file", ("add", "{t}/p.sttprog", "{t}/missing.wav", "--track", "V"), 1, "No such file"),
    Bad("audio-not-audio", "file", ("add", "{t}/p.sttprog", "{t}/x.mp3", "--track", "V"), 1, "damaged or is not audio"),
    Bad("audio-empty", "file", ("add", "{t}/p.sttprog", "{t}/empty.wav", "--track", "V"), 1, "is empty (0 bytes)"),
    Bad("programme-missing", "file", ("add", "{t}/missing.sttprog", "{t}/a.wav", "--track", "V"), 1, "Cannot open 'missing.sttprog'"),
    Bad("programme-folder", "file", ("add", "{t}/dir", "{t}/a.wav", "--track", "V"), 1, "Is a directory"),
    Bad("programme-not-json", "programme file", ("export", "{t}/garbage.sttprog"), 1, "not valid JSON"),
    Bad("programme-gain-nan", "programme file", ("export", "{t}/gain-nan.sttprog"), 1, "Gain must lie between"),
    Bad("programme-gain-huge", "programme file", ("export", "{t}/gain-huge.sttprog"), 1, "Gain must lie between"),
    Bad("programme-track-gain", "programme file", ("export", "{t}/track-gain.sttprog"), 1, "Gain must lie between"),
    Bad("programme-pan-nan", "programme file", ("export", "{t}/pan-nan.sttprog"), 1, "pan must lie in [-1, 1]"),
    Bad("programme-rate-0", "programme file", ("export", "{t}/rate-0.sttprog"), 1, "sample rate 0 Hz"),
    Bad("programme-rate-7", "programme file", ("export", "{t}/rate-7.sttprog"), 1, "sample rate 7 Hz"),
    Bad("programme-clip-10h", "programme file", ("export", "{t}/clip-10h.sttprog"), 1, "runs past the end of its audio"),
    Bad("programme-offset-past-end", "programme file", ("export", "{t}/offset.sttprog"), 1, "runs past the end of its audio"),
    Bad("programme-clip-2-days", "programme file", ("export", "{t}/clip-2d.sttprog"), 1, "ends after 24 hours"),
    Bad("programme-newer", "programme file", ("export", "{t}/newer.sttprog"), 1, "newer version of the app"),
    # --- export outputs -------------------------------------------------------------------
    Bad("output-ogg", "output", ("export", "{t}/p.sttprog", "-o", "{t}/out.ogg"), 1, "does not end in .mp3"),
    Bad("output-no-suffix", "output", ("export", "{t}/p.sttprog", "-o", "{t}/out"), 1, "does not end in .mp3"),
    Bad("output-folder", "output", ("export", "{t}/p.sttprog", "-o", "{t}/dir.mp3"), 1, "is a folder"),
    Bad("output-missing-folder", "output", ("export", "{t}/p.sttprog", "-o", "{t}/nodir/x.mp3"), 1, "No such file or directory"),
    Bad("folder-missing", "output", ("export", "{t}/p.sttprog", "--folder", "{t}/nodir"), 1, "does not exist"),
    Bad("new-in-missing-folder", "output", ("new", "{t}/nodir/p.sttprog"), 1, "No such file or directory"),
    Bad("new-over-existing", "output", ("new", "{t}/p.sttprog"), 1, "already exists"),
    # --- commands -------------------------------------------------------------------------
    Bad("unknown-command", "command", ("no-such-command",), 2, "neither a command nor a programme file"),
    Bad("unknown-command-typo", "command", ("expotr", "{t}/p.sttprog"), 2, "neither a command nor a programme file"),
    Bad("missing-document", "command", ("{t}/nothing.txt",), 2, "neither a command nor a programme file"),
    Bad("outbox-no-item", "command", ("outbox", "retry", "999"), 1, "no outbox item 999"),
    Bad("outbox-id-text", "command", ("outbox", "cancel", "abc"), 2, "invalid int value"),
    Bad("destination-unknown-test", "destination", ("destinations", "test", "nope"), 1, "no destination named 'nope'"),
    Bad("destination-unknown-remove", "destination", ("destinations", "remove", "nope"), 1, "no destination named 'nope'"),
    Bad("destination-bad-url", "destination", ("destinations", "add", "d", "--kind", "http", "--url", "notaurl"), 1, "not an http:// or https:// address"),
    Bad("destination-bad-port", "destination", ("destinations", "add", "d", "--kind", "sftp", "--url", "sftp://host:99999/x"), 1, "Port out of range"),
    Bad("destination-bad-ipv6", "destination", ("destinations", "add", "d", "--kind", "ftp", "--url", "ftp://[::1/x"), 1, "Invalid IPv6 URL"),
    Bad("destination-relative-folder", "destination", ("destinations", "add", "d", "--kind", "folder", "--url", "relative/dir"), 1, "needs the full path of its folder"),
    Bad("destination-empty-name", "destination", ("destinations", "add", " ", "--kind", "folder", "--url", "{t}/usb"), 1, "needs a name"),
    Bad("destination-empty-folder", "destination", ("destinations", "add", "d", "--kind", "folder", "--url", ""), 1, "folder"),
    Bad("destination-secret-option", "destination", ("destinations", "add", "d", "--kind", "http", "--url", "https://x.vn/up", "--option", "header.Authorization=Bearer x"), 1, "looks like a password or token"),
    Bad("destination-bad-timeout", "destination", ("destinations", "add", "d", "--kind", "folder", "--url", "{t}/usb", "--option", "timeout_s=abc"), 1, "timeout_s"),
    Bad("loudness-folder", "file", ("loudness", "{t}/dir"), 1, "Is a directory"),
    Bad("check-not-audio", "file", ("check", "{t}/x.mp3"), 1, "damaged or is not audio"),
    # --- the studio home and its database ---------------------------------------------------
    Bad("home-is-a-file", "environment", ("outbox",), 1, "cannot be made", env=(("STUDIO_HOME", "{t}/x.mp3"),)),
    Bad("database-url-mysql", "environment", ("destinations", "list"), 1, "is not one this app can use", env=(("STUDIO_LIBRARY_URL", "mysql://u@h/db"),)),
    Bad("database-url-garbage", "environment", ("outbox",), 1, "could not parse", env=(("STUDIO_LIBRARY_URL", "garbage"),)),
    # --- names that are not UTF-8 ---------------------------------------------------------
    Bad("export-to-non-utf8", "file name", ("export", "{t}/p.sttprog", "-o", f"{{t}}/c{FF}.mp3"), 0, "Wrote", (f"c{FF}.mp3", f"c{FF}.mp3.report.json")),
    Bad("library-import-non-utf8", "file name", ("library", "import", f"{{t}}/b{FF}.wav"), 0, "1 added"),
    Bad("push-non-utf8-file", "file name", ("push", f"{{t}}/b{FF}.mp3", "--to", "usb"), 0, "Queued"),
]  # fmt: skip


def _programme(t: Path, name: str, edit) -> None:
    import json

    d = json.loads((t / "p.sttprog").read_text("utf-8"))
    edit(d)
    (t / name).write_text(json.dumps(d), "utf-8")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return build_template(tmp_path_factory.mktemp("bad-inputs"))


def build_template(t: Path) -> Path:
    """A test folder with a studio home, a programme, audio, a folder destination, and a
    damaged programme for each programme-file case; copied for each case."""
    from studio.__main__ import main

    t.mkdir(parents=True, exist_ok=True)
    os.environ["STUDIO_HOME"] = str(t / "home")
    tone = (0.3 * np.sin(2 * np.pi * 440 * np.arange(48_000) / 48_000)).astype(np.float32)
    sf.write(str(t / "a.wav"), tone, 48_000)
    shutil.copy(t / "a.wav", os.fsdecode(bytes(t) + b"/b\xff.wav"))
    (t / "x.mp3").write_bytes(os.urandom(4000))
    shutil.copy(t / "x.mp3", os.fsdecode(bytes(t) + b"/b\xff.mp3"))
    (t / "empty.wav").write_bytes(b"")
    (t / "dir").mkdir()
    (t / "dir.mp3").mkdir()
    (t / "usb").mkdir()
    (t / "garbage.sttprog").write_bytes(b"\x00\xffnot json")
    assert main(["new", str(t / "p.sttprog")]) == 0
    assert main(["add", str(t / "p.sttprog"), str(t / "a.wav"), "--track", "V"]) == 0
    assert main(["destinations", "add", "usb", "--kind", "folder", "--url", str(t / "usb")]) == 0

    def clip(d):
        return d["tracks"][0]["clips"][0]

    _programme(t, "gain-nan.sttprog", lambda d: clip(d).update(gain_db=float("nan")))
    _programme(t, "gain-huge.sttprog", lambda d: clip(d).update(gain_db=1e6))
    _programme(t, "track-gain.sttprog", lambda d: d["tracks"][0].update(gain_db=-1000))
    _programme(t, "pan-nan.sttprog", lambda d: d["tracks"][0].update(pan=float("nan")))
    _programme(t, "rate-0.sttprog", lambda d: d.update(rate=0))
    _programme(t, "rate-7.sttprog", lambda d: d.update(rate=7))
    _programme(t, "clip-10h.sttprog", lambda d: clip(d).update(length=10 * 3600 * 48_000))
    _programme(t, "offset.sttprog", lambda d: clip(d).update(source_offset=40_000))
    _programme(t, "clip-2d.sttprog", lambda d: clip(d).update(start=2 * 86_400 * 48_000))
    _programme(t, "newer.sttprog", lambda d: d.update(version=99))
    return t


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        os.fsdecode(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "home" not in p.relative_to(folder).parts
    }


def run_case(case: Bad, template: Path, t: Path, capsys) -> tuple[int, str, str]:
    """Run one case in a fresh copy of `template` at `t`: (exit code, stdout, stderr)."""
    from studio.__main__ import main

    shutil.copytree(template, t, symlinks=True)
    os.environ["STUDIO_HOME"] = str(t / "home")
    os.environ["STUDIO_LANG"] = "en"
    saved = {k: os.environ.get(k) for k, _ in case.env}
    os.environ.update({k: v.replace("{t}", str(t)) for k, v in case.env})
    argv = [a.replace("{t}", str(t)) for a in case.argv]
    capsys.readouterr()
    try:
        code = main(argv)
    except SystemExit as exit_:  # argparse
        code = exit_.code
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_one_clear_line_and_changes_nothing(
    case, template, tmp_path, capsys, monkeypatch
):
    from studio.outbox import Outbox
    from studio.paths import StudioHome

    t = tmp_path / "t"
    monkeypatch.setenv("STUDIO_HOME", str(t / "home"))
    monkeypatch.setenv("STUDIO_LANG", "en")
    before = snapshot(template)
    code, out, err = run_case(case, template, t, capsys)
    assert code == case.code, (out, err)
    assert "Traceback" not in err + out
    if case.code:
        lines = [ln for ln in (err or out).splitlines() if ln.strip()]
        assert len(lines) == 1 and case.says in lines[0], err
    else:
        assert case.says in out + err and "Warning" not in err, err
    after = snapshot(t)
    new = set(after) - set(before)
    assert new == set(case.written), new
    assert {k: v for k, v in after.items() if k in before} == before  # nothing changed
    assert not list((t.parent).glob("*.mp3"))
    if case.argv[0] == "push" and case.code:
        box = Outbox.open(StudioHome(t / "home"))
        try:
            assert box.items() == []
        finally:
            box.close()


def test_a_file_name_that_is_not_windows_safe_is_tidied_when_it_is_the_default(tmp_path):
    """Without --name the file's own name is used, tidied (a colon is fine on Linux, not on
    the Windows share it goes to); with --name it must already be right (refused above)."""
    from export.naming import safe_file_name

    assert safe_file_name("Bản tin 6:30.mp3") == "Bản tin 6-30.mp3"
    assert safe_file_name("CON.mp3") == "CON-.mp3"
    assert safe_file_name(f"b{FF}.mp3") == "b_.mp3"
    assert safe_file_name(" .an. ") == "an"


def test_redact_takes_out_anything_that_can_carry_a_secret():
    from export.destinations.base import redact, server_message

    text = redact(
        "echo Authorization: Bearer abc.def token=xyz password: hunter2 Cookie: sid=1; "
        '{"api_key": "k-1"} eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9abc and s3cr3t-value',
        "s3cr3t-value",
    )
    for secret in ("abc.def", "xyz", "hunter2", "sid=1", "k-1", "eyJhbGci", "s3cr3t-value"):
        assert secret not in text, text
    assert server_message(b"POST /up\r\nAuthorization: Bearer t0k3n") == ""  # raw: never kept
    assert (
        server_message(b'{"error": "quota full for Bearer t0k3n"}') == "quota full for Bearer ***"
    )


def markdown() -> str:
    """The table of docs/bad-inputs.md, from running every case (what the user really sees)."""
    import contextlib
    import io
    import tempfile

    class Capture:  # the part of pytest's capsys that run_case uses
        def __init__(self):
            self.out, self.err = io.StringIO(), io.StringIO()

        def readouterr(self):
            out, err = self.out.getvalue(), self.err.getvalue()
            self.out.seek(0), self.out.truncate(), self.err.seek(0), self.err.truncate()
            return type("Out", (), {"out": out, "err": err})()

    rows = ["| # | kind | input | exit | what the user sees |", "|---|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as folder:
        template = build_template(Path(folder) / "template")
        for n, c in enumerate(CASES, 1):
            cap = Capture()
            with contextlib.redirect_stdout(cap.out), contextlib.redirect_stderr(cap.err):
                code, out, err = run_case(c, template, Path(folder) / f"case-{n}", cap)
            said = (err or out).strip().splitlines()
            line = said[-1] if said else ""
            line = line.replace(folder, "…").replace("|", "\\|")
            argv = " ".join(a if a and " " not in a else repr(a) for a in c.argv)
            argv = argv.replace("{t}/", "").replace("|", "\\|").replace(FF, "\\xff")
            argv = argv.replace("\r", "\\r").replace("\n", "\\n")
            if len(argv) > 60:
                argv = argv[:59] + "…"
            rows.append(f"| {n} | {c.kind} | `studio {argv}` | {code} | {line} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(markdown())
