"""The programme's script: the Vietnamese text read into the microphone, one item a paragraph.

Each item knows its text and, once read, its take (the media source of the clip that reads it
on the script's voice track). Reading time is estimated from syllables: a Vietnamese word is
one syllable, numbers, dates, times and abbreviations are counted as they are read aloud, and
the pace is the reader's own, measured from the takes already recorded (about four syllables a
second until there are any).

Takes are laid out in script order on the voice track, `pause` frames apart, starting at the
script's `anchor`. Re-reading an item replaces that take in place: everything after it moves by
the difference (a ripple edit), and the old take goes to the takes lane, never lost.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np

from audio.timeline import Clip, Timeline, Track, TrackRole

DEFAULT_PACE_SPS = 4.0  # syllables a second of an unhurried Vietnamese news reader
DEFAULT_PAUSE_S = 0.8
DEFAULT_VOICE_TRACK = "Giọng đọc"
CLOSING_LEAD_S = 3.0  # seconds before the last item that belong to the closing
MIN_PACE_SPS, MAX_PACE_SPS = 1.5, 8.0  # a measured pace outside this is a bad take, not a pace


@dataclass(frozen=True, slots=True)
class ScriptItem:
    text: str
    take: str | None = None  # source id of the clip that reads this item
    reserved: int = 0  # frames kept free for it on the timeline until it has a take

    def with_changes(self, **changes) -> ScriptItem:
        return replace(self, **changes)


@dataclass(frozen=True, slots=True)
class Script:
    items: tuple[ScriptItem, ...] = ()
    voice_track: str = DEFAULT_VOICE_TRACK
    anchor: int = 0  # timeline frame where the first item's take starts
    pause_s: float = DEFAULT_PAUSE_S
    slot_s: float | None = None  # the programme's slot length, from its template

    def with_changes(self, **changes) -> Script:
        return replace(self, **changes)

    def __bool__(self) -> bool:
        return bool(self.items)


# --- text ------------------------------------------------------------------------------------

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_BULLET = re.compile(r"^\s*(?:[-–—•·*▪●◦]|\d{1,2}[.)])\s+")


def clean_text(text: str) -> str:
    """Plain text as pasted from a Word document or a web page: NFC, no invisible characters,
    one kind of space and line end, no list bullets."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = text.replace("\u2029", "\n\n").replace("\t", " ")
    text = re.sub(r"[\u00a0\u2000-\u200a\u202f\u3000]", " ", text)
    lines = [_BULLET.sub("", line).strip() for line in text.split("\n")]
    return re.sub(r"[ ]{2,}", " ", "\n".join(lines))


def split_paragraphs(text: str) -> list[str]:
    """Items of a script: blank lines split paragraphs; lines inside one are joined."""
    paragraphs = re.split(r"\n\s*\n", clean_text(text))
    return [" ".join(p.split()) for p in paragraphs if p.strip()]


def script_from_text(text: str, base: Script | None = None) -> Script:
    """A script holding the paragraphs of `text`. Items whose text is unchanged keep their take,
    so pasting a corrected script does not throw away what was read."""
    base = base if base is not None else Script()
    takes: dict[str, list[str | None]] = {}
    for item in base.items:
        takes.setdefault(item.text, []).append(item.take)
    items = []
    for paragraph in split_paragraphs(text):
        kept = takes.get(paragraph)
        items.append(ScriptItem(paragraph, kept.pop(0) if kept else None))
    return base.with_changes(items=tuple(items))


# --- syllables -------------------------------------------------------------------------------

# Abbreviations a commune bulletin uses, with how many syllables they are read as.
ABBREVIATIONS = {
    "UBND": 4,  # ủy ban nhân dân
    "HĐND": 4,  # hội đồng nhân dân
    "MTTQ": 4,  # mặt trận tổ quốc
    "HTX": 3,  # hợp tác xã
    "TP": 2,  # thành phố
    "TX": 2,  # thị xã
    "TT": 2,  # thị trấn
    "CSGT": 4,  # cảnh sát giao thông
    "ATGT": 4,  # an toàn giao thông
    "PCCC": 4,  # phòng cháy chữa cháy
    "PCTT": 4,  # phòng chống thiên tai
    "BHYT": 4,  # bảo hiểm y tế
    "BHXH": 4,  # bảo hiểm xã hội
    "THCS": 4,  # trung học cơ sở
    "THPT": 4,  # trung học phổ thông
    "NTM": 3,  # nông thôn mới
    "KT-XH": 4,  # kinh tế - xã hội
    "TW": 3,  # trung ương
    "BCH": 3,  # ban chấp hành
    "CLB": 3,  # câu lạc bộ
    "GS": 2,  # giáo sư
    "TS": 2,  # tiến sĩ
    "ThS": 2,  # thạc sĩ
    "Covid": 2,
    "km": 2,  # ki lô mét
    "kg": 2,
    "ha": 2,  # héc ta
    "mm": 2,  # mi li mét
    "cm": 2,
    "m": 1,
    "h": 1,  # giờ
    "%": 2,  # phần trăm
    "°C": 2,  # độ xê
    "đ": 1,  # đồng
    "VNĐ": 3,
    "USD": 3,
}
_ABBREV_FOLDED = {k.casefold(): v for k, v in ABBREVIATIONS.items()}

_TOKEN = re.compile(
    r"\d{1,2}[:h]\d{2}"  # times 6h30, 17:30
    r"|\d{1,2}/\d{1,2}(?:/\d{2,4})?"  # dates 26/11, 26/11/2026
    r"|\d+(?:[.,]\d+)*"  # numbers 1.500.000, 3,5
    r"|[^\W\d_]+(?:-[^\W\d_]+)*"  # words, KT-XH
    r"|[%°]C?"
)


@lru_cache(maxsize=4096)
def _integer_syllables(n: int) -> int:
    from num2words import num2words  # imported here: only counting needs it

    return len(num2words(n, lang="vi").split())


def _number_syllables(token: str) -> int:
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", token):  # 1.500.000: dots group thousands
        return _integer_syllables(int(token.replace(".", "")))
    parts = re.split(r"[.,]", token)
    whole, frac = parts[0], "".join(parts[1:])
    count = _integer_syllables(int(whole))
    if frac:  # "ba phẩy năm": the comma is read, then the digits as a number
        count += 1 + _integer_syllables(int(frac))
    return count


def _token_syllables(token: str) -> int:
    if m := re.fullmatch(r"(\d{1,2})[:h](\d{2})", token):  # sáu giờ ba mươi
        hours, minutes = int(m[1]), int(m[2])
        return _integer_syllables(hours) + 1 + (_integer_syllables(minutes) if minutes else 0)
    if "/" in token:  # ngày hai mươi sáu tháng mười một năm …
        parts = [int(p) for p in token.split("/")]
        count = _integer_syllables(parts[0]) + 1 + _integer_syllables(parts[1])
        if len(parts) == 3:
            count += 1 + _integer_syllables(parts[2])
        return count
    if token[0].isdigit():
        return _number_syllables(token)
    folded = token.casefold()
    if folded in _ABBREV_FOLDED:
        return _ABBREV_FOLDED[folded]
    letters = [ch for ch in token if ch.isalpha()]
    if len(letters) >= 2 and all(ch.isupper() for ch in letters):
        return len(letters)  # an unknown abbreviation is spelt letter by letter
    return max(1, token.count("-") + 1)


def syllables(text: str) -> int:
    """How many syllables `text` is read as aloud."""
    return sum(_token_syllables(t) for t in _TOKEN.findall(unicodedata.normalize("NFC", text)))


# --- timing ----------------------------------------------------------------------------------


def _take_clips(timeline: Timeline, script: Script) -> dict[str, Clip]:
    index = timeline.track_index(script.voice_track)
    if index is None:
        return {}
    return {c.source_id: c for c in timeline.tracks[index].clips}


def reader_pace(timeline: Timeline, script: Script, fallback: float = DEFAULT_PACE_SPS) -> float:
    """Syllables a second, from this script's recorded takes (their trimmed lengths)."""
    clips = _take_clips(timeline, script)
    spoken = seconds = 0.0
    for item in script.items:
        clip = clips.get(item.take or "")
        if clip is not None:
            spoken += syllables(item.text)
            seconds += clip.length / timeline.rate
    if seconds < 2.0 or spoken == 0:
        return fallback
    pace = spoken / seconds
    return pace if MIN_PACE_SPS <= pace <= MAX_PACE_SPS else fallback


@dataclass(frozen=True, slots=True)
class ItemTiming:
    index: int
    text: str
    syllables: int
    estimated_s: float
    take: str | None
    take_s: float | None  # length of the recorded take, when there is one
    start_s: float | None

    def as_json(self) -> dict:
        return {
            "index": self.index,
            "text": self.text,
            "syllables": self.syllables,
            "estimated_s": round(self.estimated_s, 2),
            "take": self.take,
            "take_s": None if self.take_s is None else round(self.take_s, 2),
            "start_s": None if self.start_s is None else round(self.start_s, 3),
        }


@dataclass(frozen=True, slots=True)
class ScriptTiming:
    items: tuple[ItemTiming, ...]
    pace_sps: float
    total_estimated_s: float  # takes where read, estimates elsewhere, plus the pauses
    slot_s: float | None
    programme_s: float = 0.0
    extra: dict = field(default_factory=dict)

    @property
    def over_s(self) -> float | None:
        """Seconds over the slot (negative: under), or None without a slot."""
        if self.slot_s is None:
            return None
        return max(self.total_estimated_s, self.programme_s) - self.slot_s

    def as_json(self) -> dict:
        return {
            "items": [i.as_json() for i in self.items],
            "pace_syllables_per_s": round(self.pace_sps, 2),
            "total_estimated_s": round(self.total_estimated_s, 1),
            "slot_s": self.slot_s,
            "programme_s": round(self.programme_s, 1),
            "over_s": None if self.over_s is None else round(self.over_s, 1),
        }


def script_timing(
    timeline: Timeline, script: Script, default_pace: float = DEFAULT_PACE_SPS
) -> ScriptTiming:
    pace = reader_pace(timeline, script, default_pace)
    clips = _take_clips(timeline, script)
    rows = []
    total = 0.0
    for i, item in enumerate(script.items):
        count = syllables(item.text)
        estimate = count / pace
        clip = clips.get(item.take or "")
        take_s = None if clip is None else clip.length / timeline.rate
        start_s = None if clip is None else clip.start / timeline.rate
        rows.append(ItemTiming(i, item.text, count, estimate, item.take, take_s, start_s))
        total += take_s if take_s is not None else estimate
    total += script.pause_s * max(len(script.items) - 1, 0)
    return ScriptTiming(
        tuple(rows), pace, total, script.slot_s, programme_s=timeline.length / timeline.rate
    )


# --- takes in place --------------------------------------------------------------------------


def trim_silence(
    frames: np.ndarray, rate: int, threshold_db: float = -45.0, margin_s: float = 0.15
) -> tuple[int, int]:
    """(offset, length) of the part of a take between its first and last sound, with a short
    margin, so the reader can breathe before and after. Non-destructive: only the clip's window
    moves. A take with no sound above the threshold is kept whole."""
    mono = np.abs(frames).max(axis=1) if frames.ndim == 2 else np.abs(frames)
    hop = max(rate // 100, 1)  # 10 ms
    n = len(mono) // hop
    if n == 0:
        return 0, len(mono)
    env = mono[: n * hop].reshape(n, hop).max(axis=1)
    loud = np.flatnonzero(env >= 10 ** (threshold_db / 20))
    if loud.size == 0:
        return 0, len(mono)
    margin = int(margin_s * rate)
    start = max(int(loud[0]) * hop - margin, 0)
    end = min((int(loud[-1]) + 1) * hop + margin, len(mono))
    return start, end - start


def _voice_track_index(timeline: Timeline, script: Script) -> tuple[Timeline, int]:
    index = timeline.track_index(script.voice_track)
    if index is None:
        timeline = timeline.add_track(Track(script.voice_track, role=TrackRole.VOICE))
        index = len(timeline.tracks) - 1
    return timeline, index


def _shift_after(
    timeline: Timeline, frame: int, delta: int, skip: Clip | None, keep_track: str = ""
) -> Timeline:
    """Move every clip that starts at or after `frame` by `delta` frames (a ripple edit); the
    track named `keep_track` stays as it is (alternative takes never move)."""
    if delta == 0:
        return timeline
    tracks = []
    for track in timeline.tracks:
        if keep_track and track.name == keep_track:
            tracks.append(track)
            continue
        clips = tuple(
            c.with_changes(start=max(c.start + delta, 0))
            if c.start >= frame and c is not skip
            else c
            for c in track.clips
        )
        tracks.append(track.with_changes(clips=tuple(sorted(clips, key=lambda c: c.start))))
    markers = tuple(
        m.__class__(max(m.frame + delta, 0), m.name) if m.frame >= frame else m
        for m in timeline.markers
    )
    return timeline.with_changes(tracks=tuple(tracks), markers=markers)


def _occupied(timeline: Timeline, script: Script, clips: dict[str, Clip], index: int) -> int:
    """Frames item `index` takes on the timeline: its take, else the room reserved for it."""
    item = script.items[index]
    clip = clips.get(item.take or "")
    return clip.length if clip is not None else item.reserved


def item_start(timeline: Timeline, script: Script, index: int) -> int:
    """Where item `index` begins: the anchor, then each earlier item that takes room (its take
    or its reserved room) and a pause after it."""
    clips = _take_clips(timeline, script)
    pause = int(round(script.pause_s * timeline.rate))
    start = script.anchor
    for earlier in range(index):
        room = _occupied(timeline, script, clips, earlier)
        if room:
            start += room + pause
    return start


def item_place(timeline: Timeline, script: Script, index: int) -> tuple[int, int]:
    """Where a new take of item `index` will begin, and the index of its track (the voice
    track, or the last one that placing the take adds, as `_voice_track_index` does)."""
    track = timeline.track_index(script.voice_track)
    return item_start(timeline, script, index), len(timeline.tracks) if track is None else track


def script_end(timeline: Timeline, script: Script) -> int:
    """The frame just after the last item that takes room (the anchor for an empty script)."""
    if not script.items:
        return script.anchor
    last = len(script.items) - 1
    clips = _take_clips(timeline, script)
    room = _occupied(timeline, script, clips, last)
    end = item_start(timeline, script, last) + room
    if not room:  # the pause after the last item with room is not part of the script
        end -= int(round(script.pause_s * timeline.rate)) if end > script.anchor else 0
    return end


def reserve_room(timeline: Timeline, script: Script, pace: float | None = None) -> Script:
    """Give every item without a take room for its estimated reading time, so that what a
    template places after the script (a closing bed, a jingle) stands where it will play."""
    pace = pace or reader_pace(timeline, script)
    items = tuple(
        i
        if i.take
        else i.with_changes(reserved=int(round(syllables(i.text) / pace * timeline.rate)))
        for i in script.items
    )
    return script.with_changes(items=items)


def set_script_text(timeline: Timeline, script: Script, text: str) -> tuple[Timeline, Script]:
    """Replace the script's text. Items whose text is unchanged keep their take; the others get
    room for their estimated reading time, and what followed the script moves with its end."""
    if not script.items and timeline.track_index(script.voice_track) is None:
        voices = [t.name for t in timeline.tracks if t.role == TrackRole.VOICE]
        if voices:  # a programme made without a template reads onto its first voice track
            script = script.with_changes(voice_track=voices[0])
    old_end = script_end(timeline, script)
    new = reserve_room(timeline, script_from_text(text, script))
    new_end = script_end(timeline, new)
    # What stands from just before the last item on (a closing bed, a jingle) stays with the
    # script's end; the last item is the closing words in every template.
    frame = old_end
    lead = int(CLOSING_LEAD_S * timeline.rate)
    if script.items:
        frame = max(item_start(timeline, script, len(script.items) - 1) - lead, 0)
        frame = min(frame, old_end)
    return _shift_after(timeline, frame, new_end - old_end, None, script.voice_track), new


def place_item_take(
    timeline: Timeline, script: Script, index: int, clip: Clip
) -> tuple[Timeline, Script]:
    """Put `clip` (a new take of item `index`, any `start`) in its place in script order.

    What follows the item moves by the difference to the room it took before (its old take or
    its reserved room), so the pauses stay; an old take becomes an alternative take of the
    voice track (`Track.takes`), never lost."""
    if not 0 <= index < len(script.items):
        raise IndexError(index)
    timeline, track_index = _voice_track_index(timeline, script)
    pause = int(round(script.pause_s * timeline.rate))
    clips = _take_clips(timeline, script)
    old = clips.get(script.items[index].take or "")
    room = _occupied(timeline, script, clips, index)
    start = item_start(timeline, script, index)
    new = clip.with_changes(start=start)

    if old is not None:
        track = timeline.tracks[track_index]
        track = track.with_changes(
            clips=tuple(c for c in track.clips if c is not old),
            takes=tuple(sorted((*track.takes, old), key=lambda c: (c.start, c.end))),
        )
        timeline = timeline.with_track(track_index, track)
    # (alternative takes stay where they were: `_shift_after` moves clips only)
    if room:
        timeline = _shift_after(timeline, start + room, new.length - room, None)
    else:  # the item took no room: what stands at its place moves on by the take and a pause
        timeline = _shift_after(timeline, start, new.length + pause, None)
    track_index = timeline.track_index(script.voice_track)
    timeline = timeline.with_track(track_index, timeline.tracks[track_index].with_clip(new))
    items = list(script.items)
    items[index] = items[index].with_changes(take=new.source_id, reserved=0)
    return timeline, script.with_changes(items=tuple(items))
