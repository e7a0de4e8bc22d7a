"""Speech leveler: slow gain riding inside one clip, for a reading that drifts louder and
quieter (the reader turned away, moved closer, tired).

Works from the source's cached loudness analysis (100 ms hops, see `studio.autolevel`): the
3 s short-term loudness of the clip is compared with the clip's own integrated loudness, the
difference (within ±`max_gain_db`) is smoothed over seconds, and written as the clip's gain
envelope. In pauses the gain is frozen at its last speech value, so the noise floor is never
ridden up between sentences. Nothing in the audio changes; the envelope is editable, and
running the leveler again replaces it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from audio.loudness import SHORT_TERM_HOPS, gated_loudness, window_energies
from audio.timeline import Clip, EnvelopePoint
from studio.autolevel import SourceLoudness


@dataclass(frozen=True, slots=True)
class LevelerSettings:
    max_gain_db: float = 6.0  # never more boost or cut than this
    pause_below_lu: float = -12.0  # short-term this far under the clip's loudness is a pause
    smoothing_s: float = 4.0  # the gain moves over about this long
    resolution_db: float = 0.2  # envelope points are kept where the gain moved this much


def level_envelope(
    analysis: SourceLoudness, clip: Clip, settings: LevelerSettings = LevelerSettings()
) -> tuple[EnvelopePoint, ...]:
    """The levelling envelope for `clip` (clip-relative frames, dB); empty when the clip is too
    short (under 3 s of whole hops) or silent."""
    hop = analysis.rate // 10
    lo = -(-clip.source_offset // hop)
    hi = (clip.source_offset + clip.length) // hop
    hops = np.asarray(analysis.hops[lo:hi], np.float64)
    target = gated_loudness(hops)
    if target is None or len(hops) < SHORT_TERM_HOPS:
        return ()
    # A hop is speech when its 400 ms neighbourhood is; pauses are everything else.
    m = window_energies(hops, 4)
    m_centre = np.clip(np.arange(len(hops)) - 2, 0, len(m) - 1)
    gate = 10 ** ((target + settings.pause_below_lu + 0.691) / 10)
    speech = m[m_centre] > gate
    if not speech.any():
        return ()
    # The level of the speech alone (pauses left out) over 3 s centred on each hop.
    half = SHORT_TERM_HOPS // 2
    voiced = np.where(speech, hops, 0.0)
    c_e = np.concatenate([[0.0], np.cumsum(voiced)])
    c_n = np.concatenate([[0], np.cumsum(speech)])
    a = np.clip(np.arange(len(hops)) - half, 0, len(hops))
    b = np.clip(np.arange(len(hops)) + half, 0, len(hops))
    count = c_n[b] - c_n[a]
    with np.errstate(divide="ignore", invalid="ignore"):
        st_lufs = -0.691 + 10 * np.log10((c_e[b] - c_e[a]) / np.maximum(count, 1))
    st_lufs = np.where(count > 0, st_lufs, target)
    wanted = np.clip(target - st_lufs, -settings.max_gain_db, settings.max_gain_db)
    # Pauses hold the gain of the speech before them (the first speech's, at the start).
    idx = np.where(speech, np.arange(len(hops)), -1)
    idx = np.maximum.accumulate(idx)
    idx[idx < 0] = int(np.argmax(speech))
    held = wanted[idx]
    # Smooth: a moving average over `smoothing_s`, twice (a triangle), edges extended.
    n = max(1, int(round(settings.smoothing_s * 10 / 2)))
    gain = held
    for _ in range(2):
        padded = np.concatenate([np.full(n, gain[0]), gain, np.full(n, gain[-1])])
        c = np.concatenate([[0.0], np.cumsum(padded)])
        gain = (c[2 * n + 1 :] - c[: -2 * n - 1]) / (2 * n + 1)
    # Pauses stay frozen after smoothing too: no riding the noise floor up.
    frozen = np.where(speech, np.arange(len(hops)), -1)
    frozen = np.maximum.accumulate(frozen)
    first = int(np.argmax(speech))
    frozen[frozen < 0] = first
    gain = np.where(speech, gain, gain[frozen])
    # Points at hop centres, clip-relative, thinned to where the gain moved.
    frames = (np.arange(lo, hi) * hop + hop // 2) - clip.source_offset
    # Both sides of every speech/pause boundary are kept, so a pause stays flat instead of
    # being bridged by a ramp; the change to the next speech's gain happens in its first hop.
    edges = set(np.flatnonzero(np.diff(speech.view(np.int8)) != 0).tolist())
    keep = [0]
    for i in range(1, len(gain)):
        if i in edges or i - 1 in edges or abs(gain[i] - gain[keep[-1]]) >= settings.resolution_db:
            keep.append(i)
    if keep[-1] != len(gain) - 1:
        keep.append(len(gain) - 1)
    points = [EnvelopePoint(0, round(float(gain[0]), 2))]
    points += [
        EnvelopePoint(int(frames[i]), round(float(gain[i]), 2))
        for i in keep
        if 0 < frames[i] < clip.length
    ]
    points.append(EnvelopePoint(clip.length, round(float(gain[-1]), 2)))
    out: list[EnvelopePoint] = []
    for p in points:
        if not out or p.frame > out[-1].frame:
            out.append(p)
    return tuple(out)
