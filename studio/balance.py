"""The balance: a bulletin that sounds right without a sound engineer.

Three things, each only values in the model (never new audio), each recomputed after every
edit so the programme is always balanced, and each kept apart from what the user set
(see `audio.timeline.Clip`):

- auto-level by role (`Clip.level_db`): voice clips to the speech level (integrated
  loudness), jingles matched to the voice by their loudest short-term (3 s) loudness, so a
  2 s jingle cannot blast, music beds to a bed level under the voice;
- auto-duck (`Clip.duck`): tracks whose ducking is on (music beds by default) dip under the
  voice, from where the voice tracks speak (found from the same 100 ms loudness analysis,
  so no rendering is needed);
- bed fades: a music bed fades out by itself where it ends, or is cut and faded just after
  the programme's last voice or jingle, unless the user set a fade-out on it.

The absolute levels do not matter for the export (the master is normalised to the preset's
target); the distances between the parts do, and those are the settings here.

    analyses = Analyses(store, rate)                  # per-source analysis, cached
    result = balance(timeline, analyses, BalanceSettings.from_settings(settings))
    result.timeline, result.levels                    # the balanced timeline, what was done

The window's session runs it on every edit (one undo step with the edit); `studio render`
and the window's export run it before rendering; `studio level` prints `result.levels`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from audio.errors import MediaError
from audio.loudness import SHORT_TERM_HOPS, energy_to_lufs, gated_loudness, window_energies
from audio.media import MediaStore
from audio.timeline import MAX_GAIN_DB, MIN_GAIN_DB, Clip, Timeline, Track, TrackRole
from studio.autoduck import duck_envelope, speech_spans
from studio.autolevel import SourceLoudness, source_loudness

AnalysisOf = Callable[[str], SourceLoudness | None]


@dataclass(frozen=True, slots=True)
class BalanceSettings:
    auto_level: bool = True
    duck: bool = True
    bed_fades: bool = True
    speech_lufs: float = -20.0  # where voice clips are set (the master is normalised after)
    jingle_above_speech_lu: float = 0.0  # a jingle's loudest 3 s against the speech level
    bed_below_speech_lu: float = 8.0  # a bed on its own, under the speech level
    bed_fade_s: float = 3.0  # a bed's own fade-out, and how long it runs on after the voice

    @classmethod
    def from_settings(cls, settings=None, **overrides) -> BalanceSettings:
        """The user's settings (studio.settings keys `balance_*`), then `overrides`."""
        values = {}
        if settings is not None:
            values = {
                "auto_level": bool(settings.get("balance_auto_level")),
                "duck": bool(settings.get("balance_duck")),
                "speech_lufs": float(settings.get("balance_speech_lufs")),
                "bed_below_speech_lu": float(settings.get("balance_bed_below_speech_lu")),
                "bed_fade_s": float(settings.get("balance_bed_fade_s")),
            }
        return replace(cls(**values), **overrides)


@dataclass(frozen=True, slots=True)
class LevelDecision:
    """What auto-level did to one clip, and why."""

    track: int
    clip: int
    track_name: str
    clip_name: str
    role: TrackRole
    measured_lufs: float | None  # integrated, or the loudest short-term for a jingle
    measure: str  # "integrated" | "short_term_max" | "none"
    target_lufs: float | None
    level_db: float  # the gain now in the clip's level_db
    reason_en: str
    reason_vi: str

    def reason(self, lang: str) -> str:
        return self.reason_vi if lang == "vi" else self.reason_en


@dataclass(frozen=True, slots=True)
class BalanceResult:
    timeline: Timeline
    levels: tuple[LevelDecision, ...]
    ducked_clips: int  # bed clips that dip under the voice somewhere
    faded_clips: int  # bed clips faded (and maybe cut) by the balance


class Analyses:
    """Per-source loudness analyses at one rate, from the media store's cache (computed and
    cached on first use); a source missing from the store counts as unmeasured. Kept by the
    window across edits so a balance after an edit costs only arithmetic."""

    def __init__(self, store: MediaStore, rate: int):
        self.store = store
        self.rate = rate
        self._known: dict[str, SourceLoudness | None] = {}

    def __call__(self, source_id: str) -> SourceLoudness | None:
        if source_id not in self._known:
            try:
                self._known[source_id] = source_loudness(self.store, source_id, self.rate)
            except (MediaError, OSError):
                return None  # not cached: it may be relinked or imported later
        return self._known[source_id]


def _clip_hops(analysis: SourceLoudness, clip: Clip) -> np.ndarray:
    hop = analysis.rate // 10
    lo = -(-clip.source_offset // hop)
    hi = (clip.source_offset + clip.length) // hop
    return np.asarray(analysis.hops[max(lo, 0) : max(hi, lo)], np.float64)


def loudest_short_term(hops: np.ndarray) -> float | None:
    """The loudest 3 s of a clip, LUFS; a clip shorter than 3 s counts whole."""
    if not len(hops):
        return None
    windows = window_energies(hops, SHORT_TERM_HOPS) if len(hops) >= SHORT_TERM_HOPS else None
    energy = float(windows.max()) if windows is not None and len(windows) else float(hops.mean())
    lufs = energy_to_lufs(energy) if energy > 0 else -math.inf
    return lufs if lufs > -70.0 else None


def _target(role: TrackRole, s: BalanceSettings) -> float:
    if role == TrackRole.JINGLE:
        return s.speech_lufs + s.jingle_above_speech_lu
    if role == TrackRole.MUSIC_BED:
        return s.speech_lufs - s.bed_below_speech_lu
    return s.speech_lufs


_ROLE_VI = {
    TrackRole.VOICE: "giọng đọc",
    TrackRole.JINGLE: "nhạc hiệu",
    TrackRole.MUSIC_BED: "nhạc nền",
}
_ROLE_EN = {TrackRole.VOICE: "voice", TrackRole.JINGLE: "jingle", TrackRole.MUSIC_BED: "music bed"}


def _decide(ti: int, ci: int, track: Track, clip: Clip, analysis, s: BalanceSettings):
    """(new clip, decision) for one clip."""
    role = track.role
    base = dict(track=ti, clip=ci, track_name=track.name, clip_name=clip.name, role=role)
    if not clip.auto_level:
        return clip, LevelDecision(
            **base, measured_lufs=None, measure="none", target_lufs=None, level_db=0.0,
            reason_en="auto-level is off for this clip",
            reason_vi="đã tắt tự cân bằng mức cho đoạn này",
        )  # fmt: skip
    if analysis is None:
        return clip, LevelDecision(
            **base, measured_lufs=None, measure="none", target_lufs=None,
            level_db=clip.level_db,
            reason_en="its audio is missing: level left as it was",
            reason_vi="thiếu âm thanh của đoạn: giữ nguyên mức",
        )  # fmt: skip
    hops = _clip_hops(analysis, clip)
    if role == TrackRole.JINGLE:
        measured, how = loudest_short_term(hops), "short_term_max"
    else:
        measured, how = (gated_loudness(hops) if len(hops) else None), "integrated"
    target = _target(role, s)
    if measured is None:
        return clip.with_changes(level_db=0.0), LevelDecision(
            **base, measured_lufs=None, measure=how, target_lufs=target, level_db=0.0,
            reason_en="silent or too short to measure: no gain",
            reason_vi="im lặng hoặc quá ngắn để đo: không thêm bớt",
        )  # fmt: skip
    wanted = round(target - measured, 2)
    level = min(max(wanted, MIN_GAIN_DB), MAX_GAIN_DB)
    what_en = "loudest 3 s" if how == "short_term_max" else "loudness"
    what_vi = "đoạn 3 giây to nhất" if how == "short_term_max" else "độ lớn"
    en = f"{_ROLE_EN[role]}: {what_en} {measured:.1f} LUFS → {target:.1f} LUFS"
    vi = f"{_ROLE_VI[role]}: {what_vi} {measured:.1f} LUFS → {target:.1f} LUFS"
    if level != wanted:
        en += f" (limited to {level:+.1f} dB)"
        vi += f" (giới hạn ở {level:+.1f} dB)"
    return clip.with_changes(level_db=level), LevelDecision(
        **base, measured_lufs=measured, measure=how, target_lufs=target, level_db=level,
        reason_en=en, reason_vi=vi,
    )  # fmt: skip


def level_clips(
    timeline: Timeline, analysis_of: AnalysisOf, settings: BalanceSettings = BalanceSettings()
) -> tuple[Timeline, list[LevelDecision]]:
    """Auto-level every clip by its track's role (clips with auto_level off keep their
    level_db but do not play it)."""
    tracks, decisions = [], []
    for ti, track in enumerate(timeline.tracks):
        clips = []
        for ci, clip in enumerate(track.clips):
            new, decision = _decide(ti, ci, track, clip, analysis_of(clip.source_id), settings)
            clips.append(new)
            decisions.append(decision)
        tracks.append(track.with_changes(clips=tuple(clips)))
    return timeline.with_changes(tracks=tuple(tracks)), decisions


def _content_end(timeline: Timeline) -> int:
    """Where the programme ends: the end of the last voice or jingle that sounds."""
    return max(
        (
            c.end
            for t in timeline.audible_tracks()
            if t.role != TrackRole.MUSIC_BED
            for c in t.clips
        ),
        default=0,
    )


def fade_beds(timeline: Timeline, settings: BalanceSettings = BalanceSettings()) -> Timeline:
    """Beds fade out by themselves: at their own end, or cut `bed_fade_s` after the
    programme's last voice or jingle. A bed clip with a fade-out the user set is left alone;
    frames the balance cut earlier are given back first (the programme may have grown)."""
    fade = int(round(settings.bed_fade_s * timeline.rate))
    end = _content_end(timeline)  # beds do not count, so giving their frames back cannot move it
    tracks = []
    for track in timeline.tracks:
        if track.role == TrackRole.MUSIC_BED:
            clips = tuple(_restore(c) for c in track.clips)
            if fade > 0:
                clips = tuple(_fade_bed(c, end, fade) for c in clips)
            track = track.with_changes(clips=clips)
        tracks.append(track)
    return timeline.with_changes(tracks=tuple(tracks))


def _restore(clip: Clip) -> Clip:
    if not (clip.auto_fade or clip.auto_cut):
        return clip
    return clip.with_changes(
        length=clip.length + clip.auto_cut,
        fade_out=0 if clip.auto_fade else clip.fade_out,
        auto_fade=False,
        auto_cut=0,
    )


def _fade_bed(clip: Clip, content_end: int, fade: int) -> Clip:
    if clip.fade_out > 0:
        return clip  # the user's own fade
    cut = 0
    if content_end > clip.start and clip.end > content_end + fade:
        cut = clip.end - (content_end + fade)
    length = clip.length - cut
    fade_out = min(fade, length - clip.fade_in)
    if fade_out <= 0:
        return clip
    return clip.with_changes(length=length, fade_out=fade_out, auto_fade=True, auto_cut=cut)


def duck_beds(timeline: Timeline, analysis_of: AnalysisOf) -> tuple[Timeline, int]:
    """Ducking envelopes on the clips of every track whose ducking is on, from where the
    voice tracks speak; tracks with ducking off lose theirs. Returns the timeline and how
    many clips dip somewhere."""
    tracks, ducked = [], 0
    for track in timeline.tracks:
        duck = track.duck_settings
        if duck.enabled and track.role != TrackRole.VOICE:
            speech = speech_spans(timeline, analysis_of, duck)
            clips = tuple(
                _ducked(c, duck_envelope(c, speech, timeline.rate, duck)) for c in track.clips
            )
            ducked += sum(1 for c in clips if c.duck)
        else:
            clips = tuple(
                c.with_changes(duck=(), duck_edited=False) if c.duck else c for c in track.clips
            )
        tracks.append(track.with_changes(clips=clips))
    return timeline.with_changes(tracks=tuple(tracks)), ducked


def _ducked(clip: Clip, fresh) -> Clip:
    """The clip with the ducking worked out from the voice, unless the user dragged its
    points and the voice under it has not changed (the points would fall where they are)."""
    if clip.duck_edited and [p.frame for p in fresh] == [p.frame for p in clip.duck]:
        return clip
    return clip.with_changes(duck=fresh, duck_edited=False)


def balance(
    timeline: Timeline, analysis_of: AnalysisOf, settings: BalanceSettings = BalanceSettings()
) -> BalanceResult:
    """Bed fades, auto-level, then auto-duck (speech is found with the new levels), each as
    `settings` says; what is switched off is taken back out of the model, so turning a part
    off and on again gives the same programme. A bed is cut before it is measured, so its
    level is that of what plays, the same at every balance (not the uncut bed's the first
    time and the cut one's after)."""
    if settings.bed_fades:
        timeline = fade_beds(timeline, settings)
    else:
        timeline = _map_clips(timeline, lambda t, c: _restore(c))
    decisions: list[LevelDecision] = []
    if settings.auto_level:
        timeline, decisions = level_clips(timeline, analysis_of, settings)
    else:
        timeline = _map_clips(timeline, lambda t, c: c.with_changes(level_db=0.0))
    ducked = 0
    if settings.duck:
        timeline, ducked = duck_beds(timeline, analysis_of)
    else:
        timeline = _map_clips(timeline, lambda t, c: c.with_changes(duck=(), duck_edited=False))
    faded = sum(1 for t in timeline.tracks for c in t.clips if c.auto_fade)
    return BalanceResult(timeline, tuple(decisions), ducked, faded)


def _map_clips(timeline: Timeline, f: Callable[[Track, Clip], Clip]) -> Timeline:
    tracks = tuple(t.with_changes(clips=tuple(f(t, c) for c in t.clips)) for t in timeline.tracks)
    return timeline.with_changes(tracks=tracks)


def even_out(timeline: Timeline, refs, analysis_of: AnalysisOf) -> tuple[Timeline, int]:
    """The speech leveler (studio.leveler) on the clips `refs` (edits.ClipRef): a slow gain
    ride written as each clip's own envelope (replacing it), for a reading that drifts louder
    and quieter. Returns the timeline and how many clips got an envelope (too short or silent
    clips get none)."""
    from studio.leveler import level_envelope

    tracks = list(timeline.tracks)
    done = 0
    for ref in refs:
        clip = tracks[ref.track].clips[ref.index]
        analysis = analysis_of(clip.source_id)
        envelope = level_envelope(analysis, clip) if analysis is not None else ()
        if not envelope:
            continue
        clips = list(tracks[ref.track].clips)
        clips[ref.index] = clip.with_changes(envelope=envelope)
        tracks[ref.track] = tracks[ref.track].with_changes(clips=tuple(clips))
        done += 1
    return timeline.with_changes(tracks=tuple(tracks)), done


class Balancer:
    """The balance as the window's session runs it after every edit (studio.session): one
    programme in, the balanced programme out, as the settings say at that moment. The
    analyses are kept across edits, so only a new source costs an analysis. A balance that
    fails (a damaged cache, a full disk) leaves the edit as it was rather than refusing it.
    """

    def __init__(self, store: MediaStore, settings=None):
        self.store = store
        self.settings = settings
        self._analyses: dict[int, Analyses] = {}
        self.last: BalanceResult | None = None

    def analyses(self, rate: int) -> Analyses:
        if rate not in self._analyses:
            self._analyses[rate] = Analyses(self.store, rate)
        return self._analyses[rate]

    def balance(self, timeline: Timeline, **overrides) -> BalanceResult:
        """`timeline` balanced as the settings say, then `overrides` (BalanceSettings fields)."""
        settings = BalanceSettings.from_settings(self.settings, **overrides)
        self.last = balance(timeline, self.analyses(timeline.rate), settings)
        return self.last

    def __call__(self, programme):
        import logging

        try:
            result = self.balance(programme.timeline)
        except (OSError, ValueError) as exc:
            logging.getLogger(__name__).warning("balance skipped: %s", exc)
            return programme
        if result.timeline == programme.timeline:
            return programme
        return programme.with_changes(timeline=result.timeline)
