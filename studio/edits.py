"""Edits of a programme: pure functions from one immutable value to the next.

The window, the CLI and scripts all go through these, so every edit can be undone (the history
keeps the values) and tested without a screen.
"""

from __future__ import annotations

from audio.errors import StudioError
from audio.media import MediaInfo
from audio.timeline import Clip, Track, TrackRole
from studio.programme import Programme, media_ref_for


def add_source_clip(
    programme: Programme,
    info: MediaInfo,
    track_name: str,
    start: int | None = None,
    gain_db: float = 0.0,
    role: TrackRole | None = None,
    original_path: str = "",
) -> Programme:
    """Place the whole of an imported source on `track_name` (created if missing).

    `start` in frames; None places it after the last clip of that track.
    """
    if info.rate != programme.timeline.rate:
        raise StudioError(
            "The media was imported at another sample rate than the programme's.",
            "Âm thanh được nhập với tần số lấy mẫu khác với chương trình.",
        )
    timeline = programme.timeline
    index = timeline.track_index(track_name)
    if index is None:
        timeline = timeline.add_track(Track(name=track_name, role=role or TrackRole.VOICE))
        index = len(timeline.tracks) - 1
    track = timeline.tracks[index]
    if start is None:
        start = track.end
    if start < 0:
        raise StudioError("A clip cannot start before 0:00.", "Đoạn không thể bắt đầu trước 0:00.")
    clip = Clip(
        source_id=info.source_id,
        start=start,
        length=info.frames,
        gain_db=gain_db,
        name=info.original_name,
    )
    timeline = timeline.with_track(index, track.with_clip(clip))
    return programme.with_changes(timeline=timeline).with_media(media_ref_for(info, original_path))
