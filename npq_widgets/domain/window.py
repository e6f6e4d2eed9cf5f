"""The case-study assessment window: when the response is due, how long is left, and whether it is late. Pure.

Seed 004: "Participants are given the unseen case study at the start of an eight-day assessment window and must
submit their response by midnight of the eighth day". Read here as (each a parameter with this default):

- the day the case study is released is **day 1** (so the eighth day is the release date + 7 days);
- "midnight of the eighth day" is the **end** of that day: the deadline is **23:59:59 on day 8**;
- days are **UK days** (Europe/London, via ``zoneinfo`` and the ``tzdata`` package, so it works on machines without
  a system time-zone database): a window across the October or March clock change still ends at 23:59:59 UK time,
  and the time left is counted in real elapsed time (a window across the October change is one hour longer).

A shorter timed practice (for example 90 minutes at an event) is the same object with ``minutes`` set: the deadline is
then the start time plus that many minutes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from .values import ValueProblem

UK = ZoneInfo("Europe/London")
DEFAULT_DAYS = 8
DEFAULT_END_OF_DAY = dt.time(23, 59, 59)


def parse_uk_datetime(text: object, *, what: str = "The release time", tz: dt.tzinfo = UK) -> dt.datetime:
    """'05/10/2026 09:00' (or '5/10/2026 9:00', '05/10/2026') -> an aware datetime in UK time.
    A date alone means 00:00 that day."""
    if isinstance(text, dt.datetime):
        return text if text.tzinfo else text.replace(tzinfo=tz)
    s = str(text if text is not None else "").strip()
    if not s:
        raise ValueProblem(f"{what} is empty: write it as DD/MM/YYYY HH:MM, for example 05/10/2026 09:00.")
    m = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:[ T,]+(\d{1,2})[:.](\d{2}))?", s)
    if not m:
        raise ValueProblem(f"{what} '{s[:40]}' is not a date and time: write it as DD/MM/YYYY HH:MM, "
                           "for example 05/10/2026 09:00.")
    d, mo, y = int(m[1]), int(m[2]), int(m[3])
    h, mi = (int(m[4]), int(m[5])) if m[4] is not None else (0, 0)
    try:
        return dt.datetime(y, mo, d, h, mi, tzinfo=tz)
    except ValueError:
        raise ValueProblem(f"{what} '{s[:40]}' does not exist (DD/MM/YYYY HH:MM, 24-hour clock).") from None


def format_uk_datetime(when: dt.datetime, tz: dt.tzinfo = UK) -> str:
    """An aware datetime as 'DD/MM/YYYY HH:MM' in UK time."""
    return when.astimezone(tz).strftime("%d/%m/%Y %H:%M")


@dataclass(frozen=True)
class Window:
    """An assessment window from ``released`` (aware). ``days``: the window's length in days, the release day being
    day 1; ``minutes``: a timed practice instead (deadline = released + minutes)."""

    released: dt.datetime
    days: int = DEFAULT_DAYS
    minutes: int | None = None
    end_of_day: dt.time = DEFAULT_END_OF_DAY
    tz: dt.tzinfo = UK

    def __post_init__(self) -> None:
        if self.released.tzinfo is None:
            raise ValueError("The release time must carry its time zone.")

    @property
    def deadline(self) -> dt.datetime:
        if self.minutes is not None:
            return self.released + dt.timedelta(minutes=self.minutes)
        last_day = self.released.astimezone(self.tz).date() + dt.timedelta(days=self.days - 1)
        return dt.datetime.combine(last_day, self.end_of_day, tzinfo=self.tz)

    @property
    def last_day(self) -> dt.date:
        return self.deadline.astimezone(self.tz).date()

    def time_left(self, now: dt.datetime) -> dt.timedelta:
        """Real elapsed time to the deadline (negative once it has passed). Aware datetimes are compared in UTC, so
        a clock change inside the window is counted correctly."""
        return self.deadline.astimezone(dt.timezone.utc) - now.astimezone(dt.timezone.utc)

    def is_late(self, now: dt.datetime) -> bool:
        return self.time_left(now) < dt.timedelta(0)

    def countdown(self, now: dt.datetime) -> str:
        """'3 days 4 hours 12 minutes left' / 'Deadline passed 2 hours 5 minutes ago'."""
        left = self.time_left(now)
        words = duration_words(abs(left))
        return f"{words} left" if left >= dt.timedelta(0) else f"Deadline passed {words} ago"

    def describe(self) -> str:
        """The deadline in words, with the seed's "midnight of the eighth day" where it applies."""
        when = format_uk_datetime(self.deadline, self.tz)
        if self.minutes is not None:
            return f"Timed practice of {self.minutes} minutes: finish by {when}."
        return (f"Released {format_uk_datetime(self.released, self.tz)} (day 1). Due by midnight of the "
                f"{ordinal_word(self.days)} day: {when} UK time.")


def duration_words(delta: dt.timedelta) -> str:
    total = int(delta.total_seconds())
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = []
    if days:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    if hours or days:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " ".join(parts)


_ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth", 7: "seventh", 8: "eighth",
             9: "ninth", 10: "tenth", 11: "eleventh", 12: "twelfth", 13: "thirteenth", 14: "fourteenth"}


def ordinal_word(n: int) -> str:
    return _ORDINALS.get(n, f"{n}th")
