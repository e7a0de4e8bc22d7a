"""Auto-duck: music beds dip under the voice, as an editable gain envelope.

Where the voice speaks is found from the per-source loudness analysis the auto-level already
keeps (energy per 100 ms, `studio.autolevel`), with each voice clip's gains applied: no
rendering, so the balance can run after every edit of a long programme. Speech is where a
voice clip is louder than the track's threshold, with pauses shorter than its hold bridged so
the bed does not bob up between words. Each ducked clip then gets envelope points (its `duck`
envelope): down by `depth_db` over `attack_ms` before the speech, back up over `release_ms`
after it. Nothing is rendered into the audio; the envelope is drawn on the clip and can be
dragged, and the next balance replaces it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from audio.timeline import DEFAULT_DUCKING, Clip, Ducking, EnvelopePoint, Timeline, TrackRole
from studio.autolevel import SourceLoudness


def _ranges(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Union of [start, end) intervals, sorted."""
    out: list[list[int]] = []
    for a, b in sorted(intervals):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def speech_spans(
    timeline: Timeline,
    analysis_of: Callable[[str], SourceLoudness | None],
    duck: Ducking = DEFAULT_DUCKING,
    voice_roles: Iterable[TrackRole] = (TrackRole.VOICE,),
) -> list[tuple[int, int]]:
    """Timeline frame ranges [start, end) where the audible voice tracks speak, as heard
    (clip and track gains applied), pauses shorter than `duck.hold_ms` bridged. Resolution:
    100 ms. A clip whose audio is missing counts as speaking all along (better a bed ducked
    too long than a voice drowned)."""
    roles = set(voice_roles)
    active: list[tuple[int, int]] = []
    for track in timeline.audible_tracks():
        if track.role not in roles:
            continue
        for clip in track.clips:
            analysis = analysis_of(clip.source_id)
            if analysis is None:
                active.append((clip.start, clip.end))
                continue
            hop = analysis.rate // 10
            lo = -(-clip.source_offset // hop)
            hi = (clip.source_offset + clip.length) // hop
            if hi <= lo:
                continue
            energies = np.asarray(analysis.hops[lo:hi], np.float64)
            gain = clip.played_gain_db + track.gain_db
            threshold = 10 ** ((duck.threshold_lufs - gain + 0.691) / 10)
            on = np.flatnonzero(energies > threshold)
            if not len(on):
                continue
            breaks = np.flatnonzero(np.diff(on) > 1)
            firsts = np.concatenate([[on[0]], on[breaks + 1]])
            lasts = np.concatenate([on[breaks], [on[-1]]])
            origin = clip.start - clip.source_offset
            for f, g in zip(firsts, lasts, strict=True):
                a = max(clip.start, origin + (lo + int(f)) * hop)
                b = min(clip.end, origin + (lo + int(g) + 1) * hop)
                if b > a:
                    active.append((a, b))
    hold = timeline.rate * duck.hold_ms / 1000
    merged: list[list[int]] = []
    for s, e in _ranges(active):
        if merged and s - merged[-1][1] < hold:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


def duck_envelope(
    clip: Clip, speech: list[tuple[int, int]], rate: int, settings: Ducking = DEFAULT_DUCKING
) -> tuple[EnvelopePoint, ...]:
    """The envelope (clip-relative frames, dB) that ducks `clip` under `speech` (timeline
    frames, sorted, from `speech_spans`). Empty when no speech touches the clip."""
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
