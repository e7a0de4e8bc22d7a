"""Auto-duck: music beds dip under the voice, as an editable gain envelope.

The voice tracks are rendered through the one mixer (only where voice clips lie, so a long
programme with little speech costs little) and their level is taken every 10 ms; speech is
where it rises above a threshold, with short pauses bridged so the bed does not bob up
between words. Each music-bed clip then gets envelope points: down by `depth_db` over
`attack_ms` before the speech, back up over `release_ms` after it. Nothing is rendered into
the audio; the envelope is stored on the clip, the user can edit it, and running auto-duck
again replaces it. Every stretch of speech in the programme is found, however long it is:
the analysis walks the whole voice range block by block.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from audio.mixer import SourceFrames, render_blocks
from audio.timeline import Clip, EnvelopePoint, Timeline, TrackRole

Progress = Callable[[float], None]
WINDOW_MS = 10


@dataclass(frozen=True, slots=True)
class DuckSettings:
    depth_db: float = 12.0
    attack_ms: float = 250.0  # the bed starts going down this long before speech
    release_ms: float = 700.0  # and comes back up over this long after it
    threshold_dbfs: float = -45.0  # voice level (RMS over 10 ms) that counts as speech
    bridge_ms: float = 800.0  # pauses shorter than this stay ducked


def _ranges(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Union of [start, end) intervals, sorted."""
    out: list[list[int]] = []
    for a, b in sorted(intervals):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def voice_activity(
    timeline: Timeline,
    sources: SourceFrames,
    settings: DuckSettings = DuckSettings(),
    voice_roles: Iterable[TrackRole] = (TrackRole.VOICE,),
    progress: Progress | None = None,
) -> list[tuple[int, int]]:
    """Frame ranges [start, end) where the audible voice tracks speak, pauses shorter than
    `bridge_ms` bridged. Resolution: 10 ms."""
    roles = set(voice_roles)
    voices = tuple(t for t in timeline.audible_tracks() if t.role in roles)
    if not voices:
        return []
    only_voice = timeline.with_changes(
        tracks=tuple(t.with_changes(solo=False, mute=False) for t in voices)
    )
    window = timeline.rate * WINDOW_MS // 1000
    block = window * 100  # 1 s
    threshold = 10 ** (settings.threshold_dbfs / 10)  # on mean square
    spans = _ranges([(c.start, c.end) for t in voices for c in t.clips])
    total = sum(b - a for a, b in spans) or 1
    done = 0
    active: list[tuple[int, int]] = []
    for a, b in spans:
        a0 = a - a % window  # align windows to the timeline, so results do not depend on clips
        pos = a0
        for chunk in render_blocks(only_voice, sources, a0, b, block):
            n = len(chunk)
            whole = -(-n // window) * window
            mono = np.zeros(whole, np.float32)
            mono[:n] = (chunk[:, 0] + chunk[:, 1]) * np.float32(0.5)
            ms = (mono.reshape(-1, window) ** 2).mean(axis=1)
            on = np.flatnonzero(ms > threshold)
            if len(on):
                # Consecutive active windows become one range.
                breaks = np.flatnonzero(np.diff(on) > 1)
                firsts = np.concatenate([[on[0]], on[breaks + 1]])
                lasts = np.concatenate([on[breaks], [on[-1]]])
                active += [
                    (pos + int(f) * window, min(pos + (int(g) + 1) * window, b))
                    for f, g in zip(firsts, lasts, strict=True)
                ]
            pos += n
            done += n
            if progress is not None:
                progress(min(1.0, done / total))
    bridge = timeline.rate * settings.bridge_ms / 1000
    merged: list[list[int]] = []
    for s, e in _ranges(active):
        if merged and s - merged[-1][1] < bridge:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


def duck_envelope(
    clip: Clip, speech: list[tuple[int, int]], rate: int, settings: DuckSettings = DuckSettings()
) -> tuple[EnvelopePoint, ...]:
    """The envelope (clip-relative frames, dB) that ducks `clip` under `speech` (timeline
    frames, sorted, from `voice_activity`). Empty when no speech touches the clip."""
    attack = int(round(settings.attack_ms * rate / 1000))
    release = int(round(settings.release_ms * rate / 1000))
    depth = -abs(settings.depth_db)
    # Ducked stretches with their ramps; ones whose ramps would meet are joined.
    dips: list[list[int]] = []
    for s, e in speech:
        if e + release <= clip.start or s - attack >= clip.end:
            continue
        if dips and s - attack <= dips[-1][1] + release:
            dips[-1][1] = max(dips[-1][1], e)
        else:
            dips.append([s, e])
    if not dips:
        return ()
    xs: list[int] = []
    ys: list[float] = []
    for s, e in dips:
        xs += [s - attack, s, e, e + release]
        ys += [0.0, depth, depth, 0.0]
    x = np.array(xs, np.float64) - clip.start
    y = np.array(ys)
    # Keep the points inside the clip, plus the envelope's value at each edge.
    inside = (x > 0) & (x < clip.length)
    px = [0.0, *x[inside], float(clip.length)]
    py = [float(np.interp(0.0, x, y)), *y[inside], float(np.interp(clip.length, x, y))]
    points: list[EnvelopePoint] = []
    for fx, fy in zip(px, py, strict=True):
        frame = int(round(fx))
        if points and frame <= points[-1].frame:
            continue
        points.append(EnvelopePoint(frame, round(fy, 3)))
    return tuple(points)


def auto_duck(
    timeline: Timeline,
    sources: SourceFrames,
    settings: DuckSettings = DuckSettings(),
    ducked_roles: Iterable[TrackRole] = (TrackRole.MUSIC_BED,),
    progress: Progress | None = None,
) -> Timeline:
    """A new timeline whose clips on `ducked_roles` tracks carry ducking envelopes computed
    from the voice tracks. One edit; the audio is not touched."""
    speech = voice_activity(timeline, sources, settings, progress=progress)
    roles = set(ducked_roles)
    tracks = []
    for track in timeline.tracks:
        if track.role in roles:
            clips = tuple(
                c.with_changes(envelope=duck_envelope(c, speech, timeline.rate, settings))
                for c in track.clips
            )
            track = track.with_changes(clips=clips)
        tracks.append(track)
    return timeline.with_changes(tracks=tuple(tracks))
