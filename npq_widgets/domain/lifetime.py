"""The project lifetime: start and end dates plus an English school-term calendar.

Shared by the project plan, the risk register and the budget (issues 5 and 6). The term calendar is a parameter:
pass real term dates (a local authority's or a trust's) as a :class:`TermCalendar`, or use
:func:`english_terms`, whose dates are **editorial defaults** — typical English term dates (autumn from early September
to just before Christmas, spring from early January to the end of March, summer from mid-April to late July), not any
authority's published calendar. Each school's dates differ by a few days, and Easter moves the spring/summer break.

"At least two terms" (NPQML/NPQSL project) means two **whole** terms: a term counts only if the lifetime covers it
from its first day to its last, give or take ``tolerance_days`` (default 7, also an editorial default, so a project
that starts on the first Monday of term still counts that term).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from .values import ValueProblem, format_uk_date, parse_uk_date

MIN_WHOLE_TERMS_LEGACY = 2  # NPQML/NPQSL project: "at least two terms" (seed 001) — two whole terms
DEFAULT_TOLERANCE_DAYS = 7

# (name, (start month, start day), (end month, end day), year offset from the academic year's first calendar year)
# Editorial defaults, see the module docstring.
ENGLISH_TERM_PATTERN: tuple[tuple[str, tuple[int, int], tuple[int, int], int], ...] = (
    ("Autumn", (9, 1), (12, 20), 0),
    ("Spring", (1, 4), (3, 31), 1),
    ("Summer", (4, 14), (7, 22), 1),
)
TERM_PATTERN_SOURCE = ("Editorial default for NPQ Workbook: typical English school terms (autumn Sep–Dec, spring "
                       "Jan–Mar, summer Apr–Jul). Replace with the school's own dates where known.")


@dataclass(frozen=True, order=True)
class Term:
    start: dt.date
    end: dt.date
    name: str = field(compare=False)

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueProblem(f"The term '{self.name}' ends ({format_uk_date(self.end)}) before it starts "
                               f"({format_uk_date(self.start)}).")

    @property
    def label(self) -> str:
        return f"{self.name} ({format_uk_date(self.start)}–{format_uk_date(self.end)})"

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "start": format_uk_date(self.start), "end": format_uk_date(self.end)}


@dataclass(frozen=True)
class TermCalendar:
    """Terms in date order, none overlapping."""

    terms: tuple[Term, ...]
    source: str = TERM_PATTERN_SOURCE

    def __post_init__(self) -> None:
        terms = tuple(sorted(self.terms))
        for a, b in zip(terms, terms[1:]):
            if b.start <= a.end:
                raise ValueProblem(f"The terms '{a.name}' and '{b.name}' overlap.")
        object.__setattr__(self, "terms", terms)

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]], source: str = "") -> "TermCalendar":
        """[{name, start, end}] with DD/MM/YYYY dates (e.g. from a scenario's data) -> calendar."""
        terms = []
        for n, rec in enumerate(records, start=1):
            name = str(rec.get("name") or f"Term {n}")
            terms.append(Term(parse_uk_date(rec.get("start"), what=f"The start of {name}"),
                              parse_uk_date(rec.get("end"), what=f"The end of {name}"), name))
        return cls(tuple(terms), source or "Given with the scenario")

    def terms_between(self, start: dt.date, end: dt.date) -> tuple[Term, ...]:
        """Terms that overlap [start, end] at all."""
        return tuple(t for t in self.terms if t.start <= end and t.end >= start)

    def term_of(self, day: dt.date) -> Term | None:
        return next((t for t in self.terms if t.start <= day <= t.end), None)


def english_terms(first_year: int, last_year: int | None = None,
                  pattern: Sequence[tuple[str, tuple[int, int], tuple[int, int], int]] = ENGLISH_TERM_PATTERN
                  ) -> TermCalendar:
    """English school terms for the academic years starting in September ``first_year`` … ``last_year``."""
    last_year = first_year if last_year is None else last_year
    terms = []
    for year in range(first_year, last_year + 1):
        for name, (sm, sd), (em, ed), offset in pattern:
            y = year + offset
            terms.append(Term(dt.date(y, sm, sd), dt.date(y, em, ed), f"{name} {y}"))
    return TermCalendar(tuple(terms))


@dataclass(frozen=True)
class ProjectLifetime:
    """A project's start and end dates and the term calendar it is measured against."""

    start: dt.date
    end: dt.date
    calendar: TermCalendar | None = None

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueProblem(f"The project ends ({format_uk_date(self.end)}) before it starts "
                               f"({format_uk_date(self.start)}): check the order of the dates.")
        if self.calendar is None:
            first = self.start.year if self.start.month >= 8 else self.start.year - 1
            last = self.end.year if self.end.month >= 8 else self.end.year - 1
            object.__setattr__(self, "calendar", english_terms(first, last))

    @classmethod
    def parse(cls, start: object, end: object, calendar: TermCalendar | None = None) -> "ProjectLifetime":
        """From typed dates; raises :class:`ValueProblem` with a plain message."""
        return cls(parse_uk_date(start, what="The project's start date"),
                   parse_uk_date(end, what="The project's end date"), calendar)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "ProjectLifetime":
        terms = data.get("terms")
        calendar = TermCalendar.from_records(terms) if terms else None
        return cls.parse(data.get("start"), data.get("end"), calendar)

    def to_dict(self) -> dict[str, Any]:
        return {"start": format_uk_date(self.start), "end": format_uk_date(self.end),
                "terms": [t.to_dict() for t in self.calendar.terms]}

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def terms(self) -> tuple[Term, ...]:
        """Every term the lifetime touches."""
        return self.calendar.terms_between(self.start, self.end)

    def whole_terms(self, tolerance_days: int = DEFAULT_TOLERANCE_DAYS) -> tuple[Term, ...]:
        """Terms covered from (about) first day to last day."""
        slack = dt.timedelta(days=tolerance_days)
        return tuple(t for t in self.terms() if self.start <= t.start + slack and self.end >= t.end - slack)

    def has_whole_terms(self, n: int = MIN_WHOLE_TERMS_LEGACY, tolerance_days: int = DEFAULT_TOLERANCE_DAYS) -> bool:
        return len(self.whole_terms(tolerance_days)) >= n

    def describe(self) -> str:
        whole = self.whole_terms()
        names = ", ".join(t.name for t in whole) or "none"
        n = len(whole)
        return (f"{format_uk_date(self.start)} to {format_uk_date(self.end)}: {n} whole term{'s' if n != 1 else ''} "
                f"({names})")


class WorkingDays:
    """Working days of a term calendar: weekdays (Monday to Friday) inside a term; weekends and holidays between
    terms are not working days. Used to count a project plan's float.

    ``index(day)`` is the number of working days before ``day`` (from the calendar's first term), so the working days
    from ``a`` up to but not including ``b`` number ``index(b) - index(a)``."""

    def __init__(self, calendar: TermCalendar) -> None:
        self.calendar = calendar
        self._origin = calendar.terms[0].start if calendar.terms else dt.date(2000, 1, 3)
        self._counts: list[int] = [0]  # _counts[k] = working days in [origin, origin + k)

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and self.calendar.term_of(day) is not None

    def index(self, day: dt.date) -> int:
        if day < self._origin:  # before the calendar: no working days there
            return 0
        k = (day - self._origin).days
        while len(self._counts) <= k:
            d = self._origin + dt.timedelta(days=len(self._counts) - 1)
            self._counts.append(self._counts[-1] + self.is_working_day(d))
        return self._counts[k]

    def between(self, first: dt.date, last: dt.date) -> int:
        """Working days from ``first`` to ``last``, both included (0 if ``last`` is before ``first``)."""
        return max(0, self.index(last + dt.timedelta(days=1)) - self.index(first))
