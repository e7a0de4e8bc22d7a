"""Undo history, pure edits and the editing session, without Qt."""

from __future__ import annotations

import numpy as np
import pytest

from audio.errors import StudioError
from audio.mixer import render
from audio.timeline import Clip, Marker, Timeline, Track
from studio import edits, history
from studio.edits import ClipRef
from studio.history import History
from studio.paths import StudioHome
from studio.programme import Programme, load_programme, save_programme
from studio.session import Session, find_recovery


def _tl() -> Timeline:
    a = Clip("a", start=0, length=100, name="A")
    b = Clip("b", start=200, length=50, source_offset=10, name="B")
    return Timeline(
        rate=1000,
        tracks=(Track("voice", (a, b)), Track("bed")),
        markers=(Marker(150, "m"),),
    )


def _p(tl: Timeline | None = None) -> Programme:
    return Programme(title="Bản tin", timeline=tl or _tl())


# --- history ----------------------------------------------------------------------------------


def test_history_undo_redo_descriptions_and_dirty():
    h = History(_p())
    assert not h.dirty and not h.can_undo
    tl2 = edits.split_clip(h.present.timeline, ClipRef(0, 0), 40)
    assert h.push(h.present.with_changes(timeline=tl2), history.SPLIT)
    assert h.dirty and h.undo_description is history.SPLIT
    assert h.undo_description.text("vi") == "Đã tách đoạn"
    assert h.undo_description.menu("en") == "Split"
    assert h.undo().timeline == _tl()
    assert not h.dirty
    assert h.redo_description is history.SPLIT
    assert h.redo().timeline == tl2
    assert not h.push(h.present, history.MOVE_CLIP)  # no change, no step
    assert len(h) == 2


def test_push_after_undo_drops_redo_and_saved_state():
    h = History(_p())
    p1 = h.present.with_changes(title="1")
    h.push(p1, history.TRACK_RENAME)
    h.mark_saved()
    h.undo()
    h.push(h.present.with_changes(title="2"), history.TRACK_RENAME)
    assert not h.can_redo
    assert h.dirty  # the saved state is gone from the list
    h.undo()
    assert h.dirty


def test_drag_previews_are_one_step():
    h = History(_p())
    ref = ClipRef(0, 0)
    base = h.present
    for x in (10, 20, 30, 300):
        tl, _ = edits.move_clip(base.timeline, ref, x)
        h.preview(base.with_changes(timeline=tl))
        assert h.present.timeline.tracks[0].clips[-1].start == x or x < 200
    assert len(h) == 1 and h.dirty
    assert h.commit_preview(history.MOVE_CLIP)
    assert len(h) == 2
    assert h.undo() == base


def test_cancelled_drag_leaves_nothing():
    h = History(_p())
    h.preview(h.present.with_changes(title="x"))
    h.cancel_preview()
    assert h.present == _p() and not h.dirty and len(h) == 1


def test_group_is_one_step_and_rolls_back_on_error():
    h = History(_p())
    with h.group(history.RIPPLE_DELETE):
        h.push(h.present.with_changes(title="a"), history.SPLIT)
        h.push(h.present.with_changes(title="b"), history.DELETE)
    assert len(h) == 2 and h.undo_description is history.RIPPLE_DELETE
    assert h.present.title == "b"
    with pytest.raises(RuntimeError), h.group(history.PASTE):
        h.push(h.present.with_changes(title="c"), history.SPLIT)
        raise RuntimeError
    assert h.present.title == "b" and len(h) == 2


def test_history_limit_drops_oldest():
    h = History(_p(), limit=3)
    for i in range(5):
        h.push(h.present.with_changes(title=str(i)), history.TRACK_RENAME)
    assert len(h) == 3
    h.undo()
    h.undo()
    assert not h.can_undo and h.present.title == "2"


# --- edits ------------------------------------------------------------------------------------


def test_move_within_and_between_tracks():
    tl, ref = edits.move_clip(_tl(), ClipRef(0, 0), 300)
    assert ref == ClipRef(0, 1) and tl.tracks[0].clips[1].start == 300
    tl, ref = edits.move_clip(_tl(), ClipRef(0, 1), 5, track=1)
    assert ref == ClipRef(1, 0)
    assert [c.name for c in tl.tracks[0].clips] == ["A"]
    assert tl.tracks[1].clips[0].start == 5 and tl.tracks[1].clips[0].name == "B"
    tl, _ = edits.move_clip(_tl(), ClipRef(0, 0), -50)
    assert tl.tracks[0].clips[0].start == 0
    with pytest.raises(StudioError):
        edits.move_clip(_tl(), ClipRef(0, 0), 0, track=7)


def test_move_clips_together_is_limited_at_zero():
    tl, refs = edits.move_clips(_tl(), [ClipRef(0, 0), ClipRef(0, 1)], -30, track_delta=1)
    assert [c.start for c in tl.tracks[1].clips] == [0, 200]
    assert not tl.tracks[0].clips and len(refs) == 2


def test_trim_keeps_audio_in_place():
    tl, ref = edits.trim_start(_tl(), ClipRef(0, 1), 220)
    c = edits.clip_at(tl, ref)
    assert (c.start, c.source_offset, c.length, c.end) == (220, 30, 30, 250)
    tl, ref = edits.trim_start(_tl(), ClipRef(0, 1), 0)  # limited by the source start
    c = edits.clip_at(tl, ref)
    assert (c.start, c.source_offset) == (190, 0)
    tl, ref = edits.trim_end(_tl(), ClipRef(0, 1), 400, source_frames=100)
    assert edits.clip_at(tl, ref).length == 90
    tl, ref = edits.trim_end(_tl(), ClipRef(0, 1), 0)
    assert edits.clip_at(tl, ref).length == 1


def test_split_renders_identically():
    tl = _tl()
    tl = edits.set_fades(tl, ClipRef(0, 0), fade_in=20, fade_out=30)
    rng = np.random.default_rng(1)
    src = {
        "a": rng.standard_normal((400, 1)).astype(np.float32),
        "b": rng.standard_normal((400, 2)).astype(np.float32),
    }
    split = edits.split_clip(tl, ClipRef(0, 0), 37)
    assert [(c.start, c.length) for c in split.tracks[0].clips[:2]] == [(0, 37), (37, 63)]
    assert split.tracks[0].clips[0].fade_in == 20 and split.tracks[0].clips[1].fade_out == 30
    whole = render(tl, src.__getitem__, 0, 300)
    parts = render(split, src.__getitem__, 0, 300)
    np.testing.assert_allclose(parts, whole, atol=1e-6)
    assert edits.split_clip(tl, ClipRef(0, 0), 100) == tl  # at the edge: nothing


def test_ripple_delete_closes_gap_and_moves_markers():
    tl = edits.ripple_delete(_tl(), 50, 210)
    clips = tl.tracks[0].clips
    assert [(c.start, c.length, c.source_offset) for c in clips] == [(0, 50, 0), (50, 40, 20)]
    assert tl.markers == ()
    tl = edits.ripple_delete(_tl(), 110, 140)
    assert tl.tracks[0].clips[1].start == 170 and tl.markers == (Marker(120, "m"),)
    tl = edits.ripple_delete(_tl(), 110, 140, tracks=[0])  # markers stay when not all tracks
    assert tl.tracks[0].clips[1].start == 170 and tl.markers == (Marker(150, "m"),)


def test_duplicate_copy_paste_delete():
    tl, ref = edits.duplicate_clip(_tl(), ClipRef(0, 0))
    assert edits.clip_at(tl, ref).start == 100 and len(tl.tracks[0].clips) == 3
    board = edits.copy_clips(_tl(), [ClipRef(0, 0), ClipRef(0, 1)])
    tl, refs = edits.paste_clips(_tl(), board, 1000, 1)
    assert [c.start for c in tl.tracks[1].clips] == [1000, 1200]
    assert len(refs) == 2
    tl = edits.delete_clips(_tl(), [ClipRef(0, 1)])
    assert [c.name for c in tl.tracks[0].clips] == ["A"]


def test_fades_crossfade_and_gain():
    tl = edits.set_fades(_tl(), ClipRef(0, 0), fade_in=80, fade_out=80)
    c = tl.tracks[0].clips[0]
    assert c.fade_in + c.fade_out <= c.length
    tl, _ = edits.move_clip(_tl(), ClipRef(0, 1), 80)
    tl = edits.crossfade(tl, ClipRef(0, 0))
    a, b = tl.tracks[0].clips
    assert a.fade_out == 20 and b.fade_in == 20
    with pytest.raises(StudioError):
        edits.crossfade(_tl(), ClipRef(0, 0))
    tl = edits.set_clip_gain(_tl(), ClipRef(0, 0), -6)
    assert tl.tracks[0].clips[0].gain_db == -6
    with pytest.raises(StudioError):
        edits.set_clip_gain(_tl(), ClipRef(0, 0), 100)


def test_track_settings_and_markers():
    tl = edits.set_track(_tl(), 1, gain_db=-3, pan=2, mute=True, role="music_bed", armed=True)
    t = tl.tracks[1]
    assert (t.gain_db, t.pan, t.mute, t.role, t.armed) == (-3, 1.0, True, "music_bed", True)
    with pytest.raises(StudioError):
        edits.set_track(_tl(), 0, name="  ")
    with pytest.raises(ValueError):
        edits.set_track(_tl(), 0, clips=())
    tl = edits.add_marker(_tl(), 20, "Tin 1")
    assert [m.frame for m in tl.markers] == [20, 150]
    tl = edits.rename_marker(edits.move_marker(tl, 0, 500), 1, "Tin 2")
    assert tl.markers == (Marker(150, "m"), Marker(500, "Tin 2"))
    assert edits.remove_marker(tl, 0).markers == (Marker(500, "Tin 2"),)


def test_snapping():
    targets = edits.snap_targets(_tl(), playhead=333, exclude=[ClipRef(0, 1)])
    assert targets == [0, 100, 150, 333]
    assert edits.snap(104, targets, 5) == 100
    assert edits.snap(110, targets, 5) is None
    assert edits.snap_span(140, 12, targets, 5) == 138  # the end snaps to 150
    assert edits.snap_span(97, 10, targets, 5) == 100


# --- session ----------------------------------------------------------------------------------


def test_session_save_autosave_recovery(tmp_path):
    home = StudioHome(tmp_path / "home").ensure()
    s = Session(home, _p())
    with pytest.raises(StudioError):
        s.save()
    assert not s.autosave()  # nothing changed
    s.apply(s.programme.with_changes(title="Tin sáng"), history.TRACK_RENAME)
    assert s.dirty and s.autosave()
    assert not s.autosave()  # unchanged since
    found = find_recovery(home)
    assert len(found) == 1 and found[0].title == "Tin sáng" and found[0].document == ""
    assert found[0].load().title == "Tin sáng"
    path = s.save(tmp_path / "tin")
    assert path.name == "tin.sttprog" and not s.dirty
    assert load_programme(path).title == "Tin sáng"
    s.close()
    assert find_recovery(home) == []


def test_session_refuses_corrupt_file_and_leaves_it(tmp_path):
    home = StudioHome(tmp_path / "home").ensure()
    bad = tmp_path / "bad.sttprog"
    bad.write_bytes(b'{"format": "studio-truyen-thanh/programme", "version": 99}')
    with pytest.raises(StudioError) as e:
        Session.open(home, bad)
    assert "newer" in e.value.en and "không bị thay đổi" in e.value.vi
    assert bad.read_bytes().endswith(b"99}")
    good = tmp_path / "good.sttprog"
    save_programme(_p(), good)
    assert Session.open(home, good).programme == _p()


def test_damaged_recovery_file_is_set_aside_not_lost(tmp_path):
    home = StudioHome(tmp_path / "home").ensure()
    s = Session(home, _p())
    s.apply(s.programme.with_changes(title="x"), history.TRACK_RENAME)
    s.autosave()
    s.recovery_path.write_text("{damaged")
    (rec,) = find_recovery(home)
    with pytest.raises(StudioError):
        rec.load()
    rec.set_aside()
    assert find_recovery(home) == []
    assert (home.recovery / (s.recovery_path.name + ".damaged")).read_text() == "{damaged"
