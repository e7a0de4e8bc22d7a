"""When a pushed bulletin is to be played: once at a time, or a date range with weekdays and times.

A `Schedule` is the `schedule` object of the bulletin document (docs/province-bulletin.md,
docs/schedules.md): `start_date`, `end_date`, ISO `weekdays` (1 = Monday … 7 = Sunday; empty =
every day), local `times` (HH:MM, Vietnam time, UTC+7 all year), `repeat_count` plays at each
time with `repeat_gap_s` seconds between them. No schedule (None) means "as soon as possible".

Values are checked here, where they enter (CLI flags, the push dialog, a metadata file), each
with one bilingual line; a `Schedule` that exists is valid.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from audio.errors import StudioError

# Vietnam keeps UTC+7 all year; a fixed offset needs no tz database (absent on Windows).
LOCAL_TZ = dt.timezone(dt.timedelta(hours=7), "ICT")
MAX_DAYS = 366
MAX_REPEATS = 20
WEEKDAY_NAMES_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
WEEKDAY_NAMES_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Short Vietnamese names as written on a station's timetable: T2 … T7, CN.
_WEEKDAY_TOKENS = {f"t{n}": n - 1 for n in range(2, 8)} | {"cn": 7}

_TIME = re.compile(r"^(\d{1,2})(?::(\d{2})|h(\d{2})?)$", re.IGNORECASE)


def now_local() -> dt.datetime:
    return dt.datetime.now(LOCAL_TZ).replace(tzinfo=None)


@dataclass(frozen=True, slots=True)
class Schedule:
    start_date: dt.date
    end_date: dt.date
    weekdays: tuple[int, ...] = ()  # ISO 1..7, sorted; () = every day
    times: tuple[str, ...] = ()  # "HH:MM", sorted; () = in the head-end's own slots
    repeat_count: int = 1
    repeat_gap_s: float = 0.0

    def __post_init__(self) -> None:
        if self.end_date < self.start_date:
            raise StudioError(
                f"The end date {self.end_date:%Y-%m-%d} is before the start date "
                f"{self.start_date:%Y-%m-%d}.",
                f"Ngày kết thúc {self.end_date:%d/%m/%Y} trước ngày bắt đầu "
                f"{self.start_date:%d/%m/%Y}.",
            )
        days = (self.end_date - self.start_date).days + 1
        if days > MAX_DAYS:
            raise StudioError(
                f"A schedule covers at most {MAX_DAYS} days (this one {days}).",
                f"Lịch phát dài tối đa {MAX_DAYS} ngày (lịch này {days} ngày).",
            )
        if not 1 <= self.repeat_count <= MAX_REPEATS:
            raise StudioError(
                f"Repeats must be between 1 and {MAX_REPEATS} (not {self.repeat_count}).",
                f"Số lần phát lặp phải từ 1 đến {MAX_REPEATS} (không phải {self.repeat_count}).",
            )
        if self.repeat_gap_s < 0:
            raise StudioError(
                "The gap between repeats cannot be negative.",
                "Khoảng nghỉ giữa các lần lặp không được âm.",
            )
        if not any(True for _ in self.days()):
            names_en = ", ".join(WEEKDAY_NAMES_EN[d - 1] for d in self.weekdays)
            names_vi = ", ".join(WEEKDAY_NAMES_VI[d - 1] for d in self.weekdays)
            raise StudioError(
                f"No day from {self.start_date:%Y-%m-%d} to {self.end_date:%Y-%m-%d} is a "
                f"{names_en}: the bulletin would never play.",
                f"Không có ngày nào từ {self.start_date:%d/%m/%Y} đến {self.end_date:%d/%m/%Y} "
                f"rơi vào {names_vi}: bản tin sẽ không bao giờ được phát.",
            )

    # --- what a head-end plays -----------------------------------------------------------------
    def days(self) -> Iterator[dt.date]:
        """The dates the bulletin plays on, in order."""
        day = self.start_date
        while day <= self.end_date:
            if not self.weekdays or day.isoweekday() in self.weekdays:
                yield day
            day += dt.timedelta(days=1)

    def plays(self) -> list[dt.datetime]:
        """Every local (UTC+7, naive) start time, in order; empty when no times are set."""
        times = [dt.time.fromisoformat(t) for t in self.times]
        return [dt.datetime.combine(d, t) for d in self.days() for t in times]

    @property
    def once(self) -> bool:
        return self.start_date == self.end_date and len(self.times) <= 1

    def as_json(self) -> dict[str, Any]:
        """The schema's `schedule` object (end_date always written, so nothing is implied)."""
        doc: dict[str, Any] = {
            "start_date": self.start_date.isoformat(),
            "end_date": self.end_date.isoformat(),
        }
        if self.weekdays:
            doc["weekdays"] = list(self.weekdays)
        if self.times:
            doc["times"] = list(self.times)
        if self.repeat_count != 1 or self.repeat_gap_s:
            doc["repeat_count"] = self.repeat_count
            doc["repeat_gap_s"] = self.repeat_gap_s
        return doc

    def describe(self, lang: str | None = None) -> str:
        """One line for the user, e.g. "03/12/2026–09/12/2026, T2–T6, 06:00, 17:30"."""
        from audio.errors import current_language

        vi = (lang or current_language()) == "vi"
        if self.start_date == self.end_date:
            when = f"{self.start_date:%d/%m/%Y}" if vi else f"{self.start_date:%Y-%m-%d}"
        elif vi:
            when = f"{self.start_date:%d/%m/%Y}–{self.end_date:%d/%m/%Y}"
        else:
            when = f"{self.start_date:%Y-%m-%d} to {self.end_date:%Y-%m-%d}"
        parts = [when]
        if self.weekdays:
            short = ("T2", "T3", "T4", "T5", "T6", "T7", "CN") if vi else (
                "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"
            )  # fmt: skip
            parts.append(" ".join(short[d - 1] for d in self.weekdays))
        if self.times:
            parts.append(", ".join(self.times))
        else:
            parts.append("giờ phát thường lệ" if vi else "regular slots")
        if self.repeat_count > 1:
            parts.append(f"×{self.repeat_count}")
        return ", ".join(parts)

    @classmethod
    def from_json(cls, doc: Any) -> Schedule | None:
        """A schedule from a bulletin document's `schedule` value (None stays None)."""
        if doc is None:
            return None
        if not isinstance(doc, dict):
            raise StudioError(
                "The schedule must be a JSON object or null.",
                "Lịch phát phải là một đối tượng JSON hoặc null.",
            )
        known = {"start_date", "end_date", "weekdays", "times", "repeat_count", "repeat_gap_s"}
        unknown = sorted(set(doc) - known)
        if unknown:
            raise StudioError(
                f"Unknown schedule field(s): {', '.join(unknown)}.",
                f"Lịch phát có trường không hợp lệ: {', '.join(unknown)}.",
            )
        if "start_date" not in doc:
            raise StudioError("The schedule needs a start_date.", "Lịch phát cần start_date.")
        start = parse_date(doc["start_date"], "start_date")
        end = parse_date(doc["end_date"], "end_date") if doc.get("end_date") else start
        weekdays = doc.get("weekdays") or []
        times = doc.get("times") or []
        if not isinstance(weekdays, list) or not isinstance(times, list):
            raise StudioError(
                "weekdays and times must be lists.", "weekdays và times phải là danh sách."
            )
        repeat = doc.get("repeat_count", 1)
        gap = doc.get("repeat_gap_s", 0)
        if not isinstance(repeat, int) or isinstance(repeat, bool):
            raise StudioError(
                "repeat_count must be a whole number.", "repeat_count phải là số nguyên."
            )
        if not isinstance(gap, int | float) or isinstance(gap, bool):
            raise StudioError("repeat_gap_s must be a number.", "repeat_gap_s phải là một số.")
        return cls(
            start,
            end,
            parse_weekdays(",".join(map(str, weekdays))) if weekdays else (),
            parse_times(",".join(map(str, times))) if times else (),
            repeat,
            float(gap),
        )


# --- parsing what a person types -----------------------------------------------------------------
def parse_date(text: Any, what: str = "date") -> dt.date:
    """YYYY-MM-DD (or dd/mm/yyyy, as Vietnamese write it)."""
    s = str(text).strip()
    try:
        if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", s):
            d, m, y = (int(x) for x in s.split("/"))
            return dt.date(y, m, d)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
            return dt.date.fromisoformat(s)
    except ValueError:
        pass
    raise StudioError(
        f"'{s}' is not a valid {what} (use YYYY-MM-DD, e.g. 2026-12-03).",
        f"'{s}' không phải ngày hợp lệ (dùng YYYY-MM-DD, ví dụ 2026-12-03, hoặc 03/12/2026).",
    )


def parse_time(text: str) -> str:
    """'06:00', '6:00', '6h30', '17h' → 'HH:MM'."""
    s = text.strip()
    m = _TIME.match(s)
    if m:
        hour = int(m.group(1))
        minute = int(m.group(2) or m.group(3) or 0)
        if hour < 24 and minute < 60:
            return f"{hour:02d}:{minute:02d}"
    raise StudioError(
        f"'{s}' is not a time of day (use HH:MM, e.g. 06:00 or 17:30).",
        f"'{s}' không phải giờ hợp lệ (dùng GG:PP, ví dụ 06:00 hoặc 17:30).",
    )


def parse_times(text: str) -> tuple[str, ...]:
    items = [t for t in re.split(r"[,\s;]+", text.strip()) if t]
    if not items:
        raise StudioError("No time was given.", "Chưa nhập giờ phát.")
    return tuple(sorted({parse_time(t) for t in items}))


def _weekday(token: str) -> int:
    t = token.strip().lower().replace(" ", "")
    if t.isdigit() and 1 <= int(t) <= 7:
        return int(t)
    if t in _WEEKDAY_TOKENS:
        return _WEEKDAY_TOKENS[t]
    raise StudioError(
        f"'{token.strip()}' is not a weekday (1 = Monday … 7 = Sunday).",
        f"'{token.strip()}' không phải thứ trong tuần (1 = Thứ Hai … 7 = Chủ nhật, "
        "hoặc T2 … T7, CN).",
    )


def parse_weekdays(text: str) -> tuple[int, ...]:
    """'1-5', '1,3,5', '6-7', 'T2-T6', 'T7,CN' → sorted ISO weekdays."""
    days: set[int] = set()
    parts = [p for p in re.split(r"[,\s;]+", text.strip()) if p]
    if not parts:
        raise StudioError("No weekday was given.", "Chưa nhập thứ trong tuần.")
    for part in parts:
        first, sep, last = part.partition("-")
        if not sep:
            days.add(_weekday(first))
            continue
        a, b = _weekday(first), _weekday(last)
        if b < a:
            raise StudioError(
                f"The weekday range '{part}' runs backwards (write e.g. 1-5 or 6-7).",
                f"Khoảng thứ '{part}' bị ngược (viết ví dụ 1-5 hoặc 6-7).",
            )
        days.update(range(a, b + 1))
    return tuple(sorted(days))


def parse_start(text: str) -> tuple[dt.date, str | None]:
    """`--at`: 'YYYY-MM-DDTHH:MM' (or a space instead of T), or a date alone."""
    s = text.strip()
    date_part, sep, time_part = s.replace(" ", "T", 1).partition("T")
    if sep and not time_part:
        raise StudioError(
            f"'{s}' has no time after the date (use 2026-12-03T06:00).",
            f"'{s}' thiếu giờ sau ngày (dùng 2026-12-03T06:00).",
        )
    day = parse_date(date_part, "date")
    return day, (parse_time(time_part) if sep else None)


def schedule_from_args(
    at: str | None,
    until: str | None = None,
    weekdays: str | None = None,
    times: str | None = None,
    repeat: int | None = None,
    repeat_gap_s: float | None = None,
    now: dt.datetime | None = None,
) -> Schedule | None:
    """The schedule a person asked for (CLI flags or dialog fields); None = as soon as possible.

    Refuses flags that need `--at`, an `--at` time missing from `--times`, and a schedule whose
    every play is already in the past (`now`: local time, default the clock).
    """
    extras = {
        "--until": until,
        "--weekdays": weekdays,
        "--times": times,
        "--repeat": repeat,
        "--repeat-gap": repeat_gap_s,
    }
    if at is None or not at.strip():
        given = [k for k, v in extras.items() if v not in (None, "")]
        if given:
            raise StudioError(
                f"{', '.join(given)} needs --at (the first day, e.g. --at 2026-12-03T06:00).",
                f"{', '.join(given)} cần có --at (ngày bắt đầu, ví dụ --at 2026-12-03T06:00).",
            )
        return None
    if repeat_gap_s is not None and repeat is None:
        raise StudioError("--repeat-gap needs --repeat.", "--repeat-gap cần có --repeat.")
    start, at_time = parse_start(at)
    end = parse_date(until, "end date") if until else start
    listed = parse_times(times) if times else ()
    if at_time and listed and at_time not in listed:
        raise StudioError(
            f"--at says {at_time}, which is not among --times ({', '.join(listed)}): give "
            "--at as a date alone, or add that time.",
            f"--at ghi {at_time}, không có trong --times ({', '.join(listed)}): hãy ghi --at "
            "chỉ có ngày, hoặc thêm giờ đó.",
        )
    schedule = Schedule(
        start,
        end,
        parse_weekdays(weekdays) if weekdays else (),
        listed or ((at_time,) if at_time else ()),
        1 if repeat is None else repeat,
        0.0 if repeat_gap_s is None else float(repeat_gap_s),
    )
    now = now or now_local()
    plays = schedule.plays()
    if (plays and plays[-1] < now) or (not plays and schedule.end_date < now.date()):
        raise StudioError(
            f"Every play of this schedule is in the past (now {now:%Y-%m-%d %H:%M}).",
            f"Mọi lần phát của lịch này đều đã qua (bây giờ là {now:%H:%M %d/%m/%Y}).",
        )
    return schedule


def parse_weekday_list(values: Iterable[int]) -> tuple[int, ...]:
    """Weekdays ticked in a dialog (ISO numbers) → sorted, checked."""
    return parse_weekdays(",".join(str(v) for v in values))
