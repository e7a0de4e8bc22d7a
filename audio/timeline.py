"""Immutable programme timeline: Timeline → Track → Clip.

Time is counted in frames at the timeline's rate, never in float seconds. Every value here is
frozen; an edit makes a new Timeline that shares the unchanged tracks and clips, so undo is a
list of snapshots and the audio thread can read whichever snapshot is current without locks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from enum import StrEnum

from audio import DEFAULT_RATE
from audio.errors import StudioError

# The one range for a clip, track or master gain (and envelope points): wider is a mistake
# (−1000 dB is silence, +1e6 dB overflows the mixer), and NaN or infinity is never a gain.
MIN_GAIN_DB = -60.0
MAX_GAIN_DB = 24.0


class TrackRole(StrEnum):
    VOICE = "voice"
    MUSIC_BED = "music_bed"
    JINGLE = "jingle"


class FadeShape(StrEnum):
    LINEAR = "linear"
    EQUAL_POWER = "equal_power"


@dataclass(frozen=True, slots=True)
class EnvelopePoint:
    """A gain envelope breakpoint, `frame` relative to the clip start."""

    frame: int
    gain_db: float


@dataclass(frozen=True, slots=True)
class Clip:
    """A window onto an immutable media source placed on a track.

    `source_id` names the media (its SHA-256); `start` is where the clip sits on the timeline;
    `source_offset` is where in the source it begins; `length` is how many frames it plays.
    Fades are in frames and lie inside the clip. `envelope` is an optional piecewise-linear
    gain in dB (frames relative to the clip start), applied on top of `gain_db`.

    What the balance (studio.balance) sets is kept apart from what the user set, so it can be
    recomputed after every edit without undoing the user's own work: `level_db` is the
    auto-level gain (played only while `auto_level` is on), `duck` the auto-duck envelope
    (same form as `envelope`), `auto_fade` says the fade-out was made by the balance, and
    `auto_cut` how many frames the balance cut off the end (a bed running past the
    programme), so a later balance can give them back. `duck_edited`: the user dragged ducking
    points; they stay until the voice under the clip changes.
    """

    source_id: str
    start: int
    length: int
    source_offset: int = 0
    gain_db: float = 0.0
    fade_in: int = 0
    fade_out: int = 0
    fade_in_shape: FadeShape = FadeShape.EQUAL_POWER
    fade_out_shape: FadeShape = FadeShape.EQUAL_POWER
    envelope: tuple[EnvelopePoint, ...] = ()
    name: str = ""
    auto_level: bool = True
    level_db: float = 0.0
    duck: tuple[EnvelopePoint, ...] = ()
    auto_fade: bool = False
    auto_cut: int = 0
    duck_edited: bool = False

    def __post_init__(self) -> None:
        if self.length <= 0:
            raise ValueError("clip length must be positive")
        if self.start < 0 or self.source_offset < 0:
            raise ValueError("clip start and source offset must not be negative")
        if self.fade_in < 0 or self.fade_out < 0 or self.fade_in + self.fade_out > self.length:
            raise ValueError("fades must fit inside the clip")
        if self.auto_cut < 0:
            raise ValueError("auto_cut must not be negative")

    @property
    def end(self) -> int:
        return self.start + self.length

    @property
    def played_gain_db(self) -> float:
        """The clip's flat gain as played: the user's gain plus the auto-level gain when on."""
        return self.gain_db + (self.level_db if self.auto_level else 0.0)

    def with_changes(self, **changes) -> Clip:
        return replace(self, **changes)


@dataclass(frozen=True, slots=True)
class Ducking:
    """How a track dips under the voice (auto-duck): by `depth_db`, starting `attack_ms`
    before speech, staying down over pauses shorter than `hold_ms`, coming back up over
    `release_ms`. Speech is voice louder than `threshold_lufs` (per 100 ms, as heard)."""

    enabled: bool = True
    depth_db: float = 12.0
    attack_ms: float = 250.0
    hold_ms: float = 1500.0  # readers pause up to about 1.2 s between sentences
    release_ms: float = 700.0
    threshold_lufs: float = -45.0

    def __post_init__(self) -> None:
        if not 0.0 <= self.depth_db <= 40.0:
            raise ValueError("duck depth must lie in 0…40 dB")
        for ms in (self.attack_ms, self.hold_ms, self.release_ms):
            if not 0.0 <= ms <= 10_000.0:
                raise ValueError("duck times must lie in 0…10000 ms")


DEFAULT_DUCKING = Ducking()
NO_DUCKING = Ducking(enabled=False)


@dataclass(frozen=True, slots=True)
class Track:
    """A lane of clips sorted by start. Clips may overlap: a crossfade is two overlapping
    clips with fades, and the mixer sums them.

    `takes` are the track's alternative takes (the parts of older recordings that a newer
    take covers, at their timeline places, sorted by start): shown in a lane under the track,
    never played; `studio.takes.select_take` swaps one in."""

    name: str
    clips: tuple[Clip, ...] = ()
    role: TrackRole = TrackRole.VOICE
    gain_db: float = 0.0
    pan: float = 0.0  # -1 left … +1 right
    mute: bool = False
    solo: bool = False
    armed: bool = False
    input_channels: tuple[int, ...] = ()  # which device input channels feed it when armed
    ducking: Ducking | None = None  # None: the role's default (beds duck, others do not)
    takes: tuple[Clip, ...] = ()  # alternative takes: never played (see the docstring)

    def __post_init__(self) -> None:
        if not -1.0 <= self.pan <= 1.0:
            raise ValueError("pan must lie in [-1, 1]")

    @property
    def duck_settings(self) -> Ducking:
        """The ducking in force: the track's own, else on for music beds and off otherwise."""
        if self.ducking is not None:
            return self.ducking
        return DEFAULT_DUCKING if self.role == TrackRole.MUSIC_BED else NO_DUCKING

    @property
    def end(self) -> int:
        return max((c.end for c in self.clips), default=0)

    def with_changes(self, **changes) -> Track:
        return replace(self, **changes)

    def with_clip(self, clip: Clip) -> Track:
        """A copy with `clip` added, kept sorted by start."""
        clips = sorted((*self.clips, clip), key=lambda c: (c.start, c.end))
        return replace(self, clips=tuple(clips))


@dataclass(frozen=True, slots=True)
class Marker:
    frame: int
    name: str = ""


@dataclass(frozen=True, slots=True)
class Timeline:
    rate: int = DEFAULT_RATE
    tracks: tuple[Track, ...] = ()
    master_gain_db: float = 0.0
    markers: tuple[Marker, ...] = field(default=())

    @property
    def length(self) -> int:
        """Frames from 0 to the end of the last clip."""
        return max((t.end for t in self.tracks), default=0)

    def with_changes(self, **changes) -> Timeline:
        return replace(self, **changes)

    def with_track(self, index: int, track: Track) -> Timeline:
        tracks = list(self.tracks)
        tracks[index] = track
        return replace(self, tracks=tuple(tracks))

    def add_track(self, track: Track) -> Timeline:
        return replace(self, tracks=(*self.tracks, track))

    def track_index(self, name: str) -> int | None:
        for i, t in enumerate(self.tracks):
            if t.name == name:
                return i
        return None

    def audible_tracks(self) -> tuple[Track, ...]:
        """Tracks that sound: any solo wins over mute, as on a mixing desk."""
        if any(t.solo for t in self.tracks):
            return tuple(t for t in self.tracks if t.solo)
        return tuple(t for t in self.tracks if not t.mute)

    def source_ids(self) -> set[str]:
        """Every source the programme needs, alternative takes included."""
        return {c.source_id for t in self.tracks for c in (*t.clips, *t.takes)}


def check_gain_db(gain_db: float) -> float:
    """`gain_db` as a float when it lies in MIN_GAIN_DB…MAX_GAIN_DB; else a StudioError."""
    try:
        value = float(gain_db)
    except (TypeError, ValueError):
        value = math.nan
    if not MIN_GAIN_DB <= value <= MAX_GAIN_DB:  # also false for NaN
        raise StudioError(
            f"Gain must lie between {MIN_GAIN_DB:g} and +{MAX_GAIN_DB:g} dB (not {gain_db}).",
            f"Mức khuếch đại phải nằm trong khoảng {MIN_GAIN_DB:g} đến +{MAX_GAIN_DB:g} dB "
            f"(không phải {gain_db}).",
        )
    return value


def seconds_to_frames(seconds: float, rate: int) -> int:
    return int(round(seconds * rate))


def frames_to_seconds(frames: int, rate: int) -> float:
    return frames / rate
