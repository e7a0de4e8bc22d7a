"""The programme document: a timeline plus what is needed to find its media again.

Saved as versioned JSON (format described in docs/programme-format.md), written atomically.
Older versions are upgraded on load; a file from a newer version of the app, or a damaged
file, is refused with a clear message and never overwritten.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from audio.errors import StudioError
from audio.fileio import write_text_atomically
from audio.media import MediaInfo, MediaStore
from audio.timeline import (
    Clip,
    Ducking,
    EnvelopePoint,
    FadeShape,
    Marker,
    Timeline,
    Track,
    TrackRole,
    check_gain_db,
)
from studio.script import DEFAULT_PAUSE_S, DEFAULT_VOICE_TRACK, Script, ScriptItem

MIN_RATE, MAX_RATE = 1_000, 384_000  # Hz; 0 or 7 Hz is a damaged file, not a programme
MAX_HOURS = 24  # nothing on a commune loudspeaker runs longer than a day: more is a typo

FORMAT = "studio-truyen-thanh/programme"
VERSION = 4
SUFFIX = ".sttprog"


class ProgrammeError(StudioError):
    """A programme file that cannot be read or written."""


@dataclass(frozen=True, slots=True)
class MediaRef:
    """Where a source came from, so missing media can be found again and re-imported."""

    source_id: str
    original_name: str
    original_path: str = ""
    frames: int = 0
    channels: int = 0


@dataclass(frozen=True, slots=True)
class Programme:
    title: str = ""
    timeline: Timeline = field(default_factory=Timeline)
    media: tuple[MediaRef, ...] = ()
    metadata: tuple[tuple[str, str], ...] = ()  # category, author, summary … as plain pairs
    script: Script = field(default_factory=Script)

    def with_changes(self, **changes) -> Programme:
        return replace(self, **changes)

    def media_ref(self, source_id: str) -> MediaRef | None:
        return next((m for m in self.media if m.source_id == source_id), None)

    def with_media(self, ref: MediaRef) -> Programme:
        if self.media_ref(ref.source_id) is not None:
            return self
        return replace(self, media=(*self.media, ref))

    def meta(self, key: str, default: str = "") -> str:
        return dict(self.metadata).get(key, default)


def media_ref_for(info: MediaInfo, original_path: str | os.PathLike = "") -> MediaRef:
    return MediaRef(
        source_id=info.source_id,
        original_name=info.original_name,
        original_path=os.fsdecode(original_path) if original_path else "",
        frames=info.frames,
        channels=info.channels,
    )


# --- JSON -------------------------------------------------------------------------------------


def _clip_to_json(c: Clip) -> dict:
    d = {
        "source": c.source_id,
        "start": c.start,
        "length": c.length,
        "source_offset": c.source_offset,
        "gain_db": c.gain_db,
        "fade_in": c.fade_in,
        "fade_out": c.fade_out,
        "fade_in_shape": str(c.fade_in_shape),
        "fade_out_shape": str(c.fade_out_shape),
        "name": c.name,
        "auto_level": c.auto_level,
    }
    if c.envelope:
        d["envelope"] = [[p.frame, p.gain_db] for p in c.envelope]
    if c.level_db:
        d["level_db"] = c.level_db
    if c.duck:
        d["duck"] = [[p.frame, p.gain_db] for p in c.duck]
    if c.auto_fade:
        d["auto_fade"] = True
    if c.auto_cut:
        d["auto_cut"] = c.auto_cut
    if c.duck_edited:
        d["duck_edited"] = True
    return d


def _points(raw) -> tuple[EnvelopePoint, ...]:
    return tuple(EnvelopePoint(int(f), float(g)) for f, g in raw)


def _clip_from_json(d: dict) -> Clip:
    return Clip(
        source_id=str(d["source"]),
        start=int(d["start"]),
        length=int(d["length"]),
        source_offset=int(d.get("source_offset", 0)),
        gain_db=float(d.get("gain_db", 0.0)),
        fade_in=int(d.get("fade_in", 0)),
        fade_out=int(d.get("fade_out", 0)),
        fade_in_shape=FadeShape(d.get("fade_in_shape", FadeShape.EQUAL_POWER)),
        fade_out_shape=FadeShape(d.get("fade_out_shape", FadeShape.EQUAL_POWER)),
        envelope=_points(d.get("envelope", ())),
        name=str(d.get("name", "")),
        auto_level=bool(d.get("auto_level", True)),
        level_db=float(d.get("level_db", 0.0)),
        duck=_points(d.get("duck", ())),
        auto_fade=bool(d.get("auto_fade", False)),
        auto_cut=int(d.get("auto_cut", 0)),
        duck_edited=bool(d.get("duck_edited", False)),
    )


_DUCKING_FIELDS = ("enabled", "depth_db", "attack_ms", "hold_ms", "release_ms", "threshold_lufs")


def _track_to_json(t: Track) -> dict:
    d = {
        "name": t.name,
        "role": str(t.role),
        "gain_db": t.gain_db,
        "pan": t.pan,
        "mute": t.mute,
        "solo": t.solo,
        "armed": t.armed,
        "input_channels": list(t.input_channels),
        "clips": [_clip_to_json(c) for c in t.clips],
        "takes": [_clip_to_json(c) for c in t.takes],
    }
    if t.ducking is not None:
        d["ducking"] = {k: getattr(t.ducking, k) for k in _DUCKING_FIELDS}
    return d


def _ducking_from_json(d) -> Ducking | None:
    if d is None:
        return None
    d = dict(d)
    return Ducking(
        enabled=bool(d.get("enabled", True)),
        **{k: float(d[k]) for k in _DUCKING_FIELDS[1:] if k in d},
    )


def _track_from_json(d: dict) -> Track:
    return Track(
        name=str(d["name"]),
        role=TrackRole(d.get("role", TrackRole.VOICE)),
        gain_db=float(d.get("gain_db", 0.0)),
        pan=float(d.get("pan", 0.0)),
        mute=bool(d.get("mute", False)),
        solo=bool(d.get("solo", False)),
        armed=bool(d.get("armed", False)),
        input_channels=tuple(int(c) for c in d.get("input_channels", ())),
        clips=tuple(
            sorted((_clip_from_json(c) for c in d.get("clips", ())), key=lambda c: c.start)
        ),
        takes=tuple(
            sorted((_clip_from_json(c) for c in d.get("takes", ())), key=lambda c: c.start)
        ),
        ducking=_ducking_from_json(d.get("ducking")),
    )


def programme_to_json(p: Programme) -> dict:
    tl = p.timeline
    return {
        "format": FORMAT,
        "version": VERSION,
        "title": p.title,
        "rate": tl.rate,
        "master_gain_db": tl.master_gain_db,
        "tracks": [_track_to_json(t) for t in tl.tracks],
        "markers": [{"frame": m.frame, "name": m.name} for m in tl.markers],
        "media": [
            {
                "source": m.source_id,
                "original_name": m.original_name,
                "original_path": m.original_path,
                "frames": m.frames,
                "channels": m.channels,
            }
            for m in p.media
        ],
        "metadata": dict(p.metadata),
        "script": _script_to_json(p.script),
    }


def _script_to_json(s: Script) -> dict:
    return {
        "voice_track": s.voice_track,
        "anchor": s.anchor,
        "pause_s": s.pause_s,
        "slot_s": s.slot_s,
        "items": [{"text": i.text, "take": i.take, "reserved": i.reserved} for i in s.items],
    }


def _script_from_json(d: dict) -> Script:
    slot = d.get("slot_s")
    return Script(
        items=tuple(
            ScriptItem(
                str(i["text"]),
                None if i.get("take") is None else str(i["take"]),
                max(int(i.get("reserved", 0)), 0),
            )
            for i in d.get("items", ())
        ),
        voice_track=str(d.get("voice_track", DEFAULT_VOICE_TRACK)),
        anchor=int(d.get("anchor", 0)),
        pause_s=float(d.get("pause_s", DEFAULT_PAUSE_S)),
        slot_s=None if slot is None else float(slot),
    )


def _v1_to_v2(d: dict) -> dict:
    """Version 2 adds the script (none in older files)."""
    return {**d, "version": 2, "script": {"items": []}}


def _v2_to_v3(d: dict) -> dict:
    """Version 3 adds the balance's own values (clip level_db, duck, duck_edited, auto_fade, auto_cut;
    track ducking), all absent meaning "not set yet": an older programme is balanced the
    first time it is played, edited or exported, like a new one."""
    return {**d, "version": 3}


TAKES_LANE_SUFFIX = " · takes"  # how versions up to 3 named a track's takes lane


def _v3_to_v4(d: dict) -> dict:
    """Version 4 keeps a track's alternative takes in the track itself ("takes"). Older files
    kept them as the clips of a muted extra track "<name> · takes": those clips become the
    takes of track <name> and the extra track goes. A lane whose track is gone stays a track.
    Touches only "tracks", so it composes with any other upgrade."""
    tracks = d.get("tracks")
    if not isinstance(tracks, list) or not all(isinstance(t, dict) for t in tracks):
        return {**d, "version": 4}  # damaged: reading it says so
    tracks = [{**t, "takes": list(t.get("takes", ()))} for t in tracks]
    by_name = {str(t.get("name")): t for t in tracks}
    kept = []
    for t in tracks:
        name = str(t.get("name"))
        base = name[: -len(TAKES_LANE_SUFFIX)] if name.endswith(TAKES_LANE_SUFFIX) else None
        if base is not None and base in by_name and by_name[base] is not t:
            owner = by_name[base]
            owner["takes"] = [*owner["takes"], *t.get("takes", ()), *t.get("clips", ())]
            continue
        kept.append(t)
    return {**d, "version": 4, "tracks": kept}


# Upgrades from version N to N+1, applied in order on load. Each takes and returns the dict.
MIGRATIONS: dict[int, Callable[[dict], dict]] = {1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4}


def programme_from_json(d: dict, name: str = "") -> Programme:
    if not isinstance(d, dict) or d.get("format") != FORMAT:
        raise ProgrammeError(
            f"'{name}' is not a Studio Truyền Thanh programme.",
            f"'{name}' không phải tệp chương trình của Studio Truyền Thanh.",
        )
    version = d.get("version")
    if not isinstance(version, int) or version < 1:
        raise _damaged(name, "bad version")
    if version > VERSION:
        raise ProgrammeError(
            f"'{name}' was saved by a newer version of the app (format {version}; this app "
            f"reads up to {VERSION}). Update the app to open it; the file was not changed.",
            f"'{name}' được lưu bởi phiên bản mới hơn của ứng dụng (định dạng {version}; bản "
            f"này đọc tới {VERSION}). Hãy cập nhật ứng dụng để mở; tệp không bị thay đổi.",
        )
    while version < VERSION:
        d = MIGRATIONS[version](d)
        version += 1
    try:
        timeline = Timeline(
            rate=int(d.get("rate", 48_000)),
            master_gain_db=float(d.get("master_gain_db", 0.0)),
            tracks=tuple(_track_from_json(t) for t in d.get("tracks", ())),
            markers=tuple(
                Marker(int(m["frame"]), str(m.get("name", ""))) for m in d.get("markers", ())
            ),
        )
        media = tuple(
            MediaRef(
                source_id=str(m["source"]),
                original_name=str(m.get("original_name", "")),
                original_path=str(m.get("original_path", "")),
                frames=int(m.get("frames", 0)),
                channels=int(m.get("channels", 0)),
            )
            for m in d.get("media", ())
        )
        metadata = tuple((str(k), str(v)) for k, v in dict(d.get("metadata", {})).items())
        programme = Programme(
            title=str(d.get("title", "")),
            timeline=timeline,
            media=media,
            metadata=metadata,
            script=_script_from_json(dict(d.get("script", {}))),
        )
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as exc:
        raise _damaged(name, str(exc)) from exc
    try:
        check_programme(programme)
    except StudioError as exc:
        raise ProgrammeError(
            f"'{name}' cannot be opened: {exc.en} The file was not changed.",
            f"Không mở được '{name}': {exc.vi} Tệp không bị thay đổi.",
        ) from exc
    return programme


def check_programme(p: Programme) -> None:
    """Refuse values no edit can make: a rate no device uses, a gain out of range or NaN, a
    clip past a day's length or past the end of its source (it would render for hours)."""
    tl = p.timeline
    if not MIN_RATE <= tl.rate <= MAX_RATE:
        raise StudioError(
            f"Its sample rate {tl.rate} Hz is not one the app works at.",
            f"Tần số lấy mẫu {tl.rate} Hz không phải tần số ứng dụng dùng.",
        )
    check_gain_db(tl.master_gain_db)
    limit = MAX_HOURS * 3600 * tl.rate
    frames = {m.source_id: m.frames for m in p.media}
    for track in tl.tracks:
        check_gain_db(track.gain_db)
        for c in (*track.clips, *track.takes):
            check_gain_db(c.gain_db)
            check_gain_db(c.level_db)
            for point in (*c.envelope, *c.duck):
                check_gain_db(point.gain_db)
            where = f"'{c.name or c.source_id[:12]}' on track '{track.name}'"
            where_vi = f"'{c.name or c.source_id[:12]}' trên rãnh '{track.name}'"
            if c.end > limit:
                raise StudioError(
                    f"The clip {where} ends after {MAX_HOURS} hours.",
                    f"Đoạn {where_vi} kết thúc sau {MAX_HOURS} giờ.",
                )
            source_frames = frames.get(c.source_id, 0)
            if source_frames and c.source_offset + c.length > source_frames:
                raise StudioError(
                    f"The clip {where} runs past the end of its audio.",
                    f"Đoạn {where_vi} dài quá phần âm thanh của nó.",
                )


def _damaged(name: str, detail: str) -> ProgrammeError:
    return ProgrammeError(
        f"'{name}' is damaged and cannot be opened ({detail}). The file was not changed.",
        f"Tệp '{name}' bị hỏng, không mở được ({detail}). Tệp không bị thay đổi.",
    )


def save_programme(p: Programme, path: str | os.PathLike) -> None:
    path = Path(path)
    text = json.dumps(programme_to_json(p), ensure_ascii=False, indent=1)
    try:
        write_text_atomically(path, text)
    except OSError as exc:
        raise ProgrammeError(
            f"Cannot save '{path.name}' in {path.parent}: {exc.strerror}.",
            f"Không lưu được '{path.name}' vào {path.parent}: {exc.strerror}.",
        ) from exc


def load_programme(path: str | os.PathLike) -> Programme:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ProgrammeError(
            f"Cannot open '{path.name}': {exc.strerror}.",
            f"Không mở được '{path.name}': {exc.strerror}.",
        ) from exc
    try:
        d = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _damaged(path.name, "not valid JSON") from exc
    return programme_from_json(d, path.name)


def missing_media(p: Programme, store: MediaStore) -> list[str]:
    """Source ids that the timeline uses but the media store lacks."""
    return sorted(s for s in p.timeline.source_ids() if not store.has(s, p.timeline.rate))
