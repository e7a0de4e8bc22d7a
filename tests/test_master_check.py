"""Export through the limiter, proven on the decoded MP3; the broadcast-ready check; presets."""

from __future__ import annotations

import json

import numpy as np
import pytest

from audio.errors import Cancelled, StudioError
from audio.loudness import measure
from audio.timeline import Clip, Timeline, Track, TrackRole
from export.check import (
    ProgrammeAnalyser,
    build_report,
    check_file,
    report_path,
)
from export.master import export_master
from export.presets import DEFAULT_PRESET, ExportPreset, custom, preset
from tests.loudness_material import RATE, music, sine, speech, write


@pytest.fixture(scope="module")
def programme():
    """Peaky speech (20 dB peak-to-loudness) over a music bed: needs real limiting at −16."""
    sp = speech(40.0, seed=2) * np.float32(2.0)
    bed = music(40.0) * np.float32(0.3)
    sources = {"sp": sp, "bed": bed}
    timeline = Timeline(
        RATE,
        (
            Track("Giọng", (Clip("sp", 0, len(sp)),), TrackRole.VOICE),
            Track("Nhạc nền", (Clip("bed", 0, len(bed), gain_db=-6),), TrackRole.MUSIC_BED),
        ),
    )
    return timeline, sources.__getitem__


@pytest.mark.parametrize(
    "name, target",
    [
        ("loudspeaker", -16.0),  # mono 64 kbps 44.1 kHz
        ("ebu-r128", -23.0),  # stereo 128 kbps 48 kHz
    ],
)
def test_export_normalises_and_holds_the_ceiling_on_the_decoded_mp3(
    programme, tmp_path, name, target
):
    timeline, sources = programme
    out = tmp_path / "bản tin.mp3"
    result = export_master(timeline, sources, out, preset(name))
    # Measured independently on the decoded file, not trusted from the result.
    decoded = check_file(out, preset(name))
    tp = decoded.measurement["true_peak_dbtp"]
    assert tp <= -1.0, result
    assert abs(decoded.measurement["integrated_lufs"] - target) <= 0.2, result
    if target == -16.0:  # the limiter really had work
        assert result.mix.true_peak_dbtp + result.gain_db > 0.0
        assert result.limiter_reduction_db > 1.0
    assert decoded.passed, decoded.to_json()
    # The report beside the export says the same.
    saved = json.loads(report_path(out).read_text("utf-8"))
    assert saved["passed"] is True
    assert {c["check"] for c in saved["checks"]} == {
        "integrated_loudness",
        "true_peak",
        "loudness_range",
        "duration",
        "dead_air",
        "clipping",
        "mono_compatibility",
        "limiter",  # how hard the limiter worked (an export's report only)
    }
    assert saved["measurement"]["limiter_reduction_db"] == pytest.approx(
        result.limiter_reduction_db, abs=1e-3
    )
    assert saved["measurement"]["true_peak_dbtp"] == pytest.approx(tp, abs=1e-3)


def test_rehearsal_corrects_what_the_limiter_takes_so_one_encode_does(programme, tmp_path):
    """Into WAV (no codec loss) the limited programme lands on target at the first encode:
    the rehearsal without the encoder found the gain that the limiter's loss needs."""
    timeline, sources = programme
    settings = ExportPreset("test", format="wav", rate=48_000, channels=2)
    result = export_master(timeline, sources, tmp_path / "x.wav", settings)
    assert result.encodes == 1
    assert result.limiter_reduction_db > 1.0
    plain_gain = -16.0 - result.mix.integrated_lufs
    assert result.gain_db > plain_gain + 0.2  # more than the plain gain, to make up the loss
    assert abs(result.output.integrated_lufs - -16.0) <= 0.15
    assert result.output.true_peak_dbtp <= -1.0


def test_export_reencodes_when_the_codec_overshoots(programme, tmp_path, monkeypatch):
    """If the decoded file breaks the ceiling, the next pass lowers the limiter's ceiling by
    the overshoot. The codec is made to overshoot by +0.5 dB here so the path always runs."""
    import export.master as master

    real = master._encode_pass
    ceilings = []

    def overshooting(timeline, sources, path, enc, gain_db, ceiling_dbtp, *rest):
        ceilings.append(ceiling_dbtp)
        return real(timeline, sources, path, enc, gain_db + 0.0, ceiling_dbtp + 0.5, *rest)

    monkeypatch.setattr(master, "_encode_pass", overshooting)
    timeline, sources = programme
    result = export_master(
        timeline, sources, tmp_path / "x.wav", ExportPreset("test", format="wav")
    )
    assert len(ceilings) >= 2
    assert ceilings[1] <= ceilings[0] - 0.3  # the overshoot, less the limiter's margin
    assert result.output.true_peak_dbtp <= -1.0
    assert result.report.line("true_peak").passed


def test_export_cancel_leaves_nothing(programme, tmp_path):
    timeline, sources = programme

    def cancel(fraction):
        if fraction > 0.5:
            raise Cancelled()

    out = tmp_path / "x.mp3"
    with pytest.raises(Cancelled):
        export_master(timeline, sources, out, DEFAULT_PRESET, progress=cancel)
    assert [p for p in tmp_path.iterdir() if p.name != "studio-home"] == []


# --- the check itself --------------------------------------------------------------------------


def _analyse(x: np.ndarray, rate: int = RATE):
    a = ProgrammeAnalyser(rate, x.shape[1])
    for i in range(0, len(x), 10_000):
        a.feed(x[i : i + 10_000])
    return a.finish()


def test_check_lines_fail_with_their_figures():
    loud = preset("loa-truyen-thanh")
    tone = sine(-8.0, 30.0, 2, 440.0)  # ≈ −8.7 LUFS: too loud
    tone[10 * RATE : 17 * RATE] = 0.0  # 7 s of dead air
    tone[20 * RATE : 20 * RATE + 10, 0] = 1.0  # a flat-topped clip on the left
    tone[25 * RATE : 25 * RATE + 1, 1] = 1.0  # one hot sample alone is not clipping
    report = build_report(_analyse(tone), loud, slot_seconds=25.0, file="t.wav")
    assert not report.passed
    lines = {ln.check: ln for ln in report.lines}
    assert not lines["integrated_loudness"].passed
    assert lines["integrated_loudness"].value == pytest.approx(-8.7, abs=0.2)
    assert not lines["true_peak"].passed
    assert not lines["duration"].passed and "5.0 s over" in lines["duration"].en
    assert not lines["dead_air"].passed and lines["dead_air"].value == pytest.approx(7.0, abs=0.2)
    assert "0:10" in lines["dead_air"].en
    assert not lines["clipping"].passed and lines["clipping"].value == 1
    assert lines["mono_compatibility"].passed
    assert "giây" in lines["dead_air"].vi


def test_mono_compatibility_catches_a_phase_inverted_channel():
    x = music(10.0)
    x[:, 1] = -x[:, 0]
    lines = {ln.check: ln for ln in build_report(_analyse(x), preset()).lines}
    assert not lines["mono_compatibility"].passed
    y = music(10.0)
    lines = {ln.check: ln for ln in build_report(_analyse(y), preset()).lines}
    assert lines["mono_compatibility"].passed
    assert lines["mono_compatibility"].value < 3.0


def test_clip_runs_are_counted_across_block_boundaries():
    x = np.zeros((1000, 1), np.float32)
    x[498:503] = 1.0  # one run of 5 spanning the boundary at 500
    x[700:702] = 1.0  # too short to count
    a = ProgrammeAnalyser(RATE, 1)
    a.feed(x[:500])
    a.feed(x[500:])
    assert a.finish().clipped_runs == 1


def test_a_good_file_passes_and_its_json_is_complete(tmp_path):
    x = np.repeat(speech(20.0, seed=9), 2, axis=1)
    x = x * np.float32(10 ** ((-16 - measure(x, RATE).integrated_lufs) / 20))
    x = np.clip(x, -0.85, 0.85)  # keep it under the ceiling for this test
    path = write(tmp_path / "ok.wav", x)
    report = check_file(path, preset(), slot_seconds=30)
    assert report.passed, report.to_json()
    d = json.loads(report.to_json())
    assert d["passed"] and d["slot_seconds"] == 30
    for c in d["checks"]:
        assert c["en"] and c["vi"] and isinstance(c["passed"], bool)


def test_presets():
    assert DEFAULT_PRESET.name == "loudspeaker" and preset() is DEFAULT_PRESET
    assert (preset().target_lufs, preset().ceiling_dbtp) == (-16.0, -1.0)
    assert (preset("ebu-r128").target_lufs, preset("EBU-R128").ceiling_dbtp) == (-23, -1)
    mine = custom("ebu-r128", target_lufs=-18, ceiling_dbtp=-2)
    assert (mine.name, mine.target_lufs, mine.ceiling_dbtp, mine.channels) == ("custom", -18, -2, 2)
    with pytest.raises(StudioError) as e:
        preset("nope")
    assert "loudspeaker" in e.value.en and "Không có mẫu" in e.value.vi
    with pytest.raises(StudioError):
        custom("ebu-r128", ceiling_dbtp=3.0)


def test_export_without_normalisation_still_holds_the_ceiling(programme, tmp_path):
    timeline, sources = programme
    settings = ExportPreset("test", format="flac", normalise=False)
    result = export_master(timeline, sources, tmp_path / "x.flac", settings)
    assert result.gain_db == 0.0
    assert result.mix.true_peak_dbtp > 0.0  # the raw mix is over the ceiling …
    assert result.output.true_peak_dbtp <= -1.0  # … and the export is not
