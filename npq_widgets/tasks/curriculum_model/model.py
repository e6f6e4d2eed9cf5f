"""Curriculum and staffing model for several schools (NPQEL Task 2; event Day 6, "curriculum modelling and efficient
staffing structures"), with the DfE integrated curriculum and financial planning (ICFP) measures.

Per school: pupils by year group, the curriculum plan (periods per group per cycle × groups, per year group and
subject), teachers (FTE, annual cost, contact periods per cycle), income and support staff cost. From them, exactly as
``/work/shared/domain-notes.md`` (DfE ICFP) defines them:

- periods to staff (periods taught) = Σ periods × groups over the curriculum plan;
- teacher contact ratio = periods taught / (periods in cycle × FTE teachers);
- pupil–teacher ratio (PTR) = pupils / FTE teachers;
- average class size ≈ PTR / contact ratio;
- average teacher cost = teaching staff cost / FTE teachers;
- cost per lesson = teaching staff cost / teaching periods (the yearly cost of one period a cycle on the timetable);
- staff cost as a share of income = (teaching + support staff cost) / income;
- teacher FTE needed = periods taught / (periods in cycle × target contact ratio) — the contact ratio's definition
  solved for the FTE at the target ratio (a parameter, ~0.78).

A what-if scenario changes the groups (or periods) of curriculum rows in one or more schools; its difference is
ΔFTE needed = Δperiods / (periods in cycle × target) and Δcost = ΔFTE × the school's average teacher cost.

Reading is tolerant: :func:`read_trust` never raises on learner input; every figure it cannot read becomes a
:class:`Problem` that the checker and the view report, and what was typed is kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from ...contract import Artefact, SourcedValue
from ...domain.values import ValueProblem, parse_money, parse_number

SCHEMA_VERSION = 1


@dataclass
class CurriculumArtefact(Artefact):
    """Saved work: the schools (each with year groups, curriculum rows and teachers), what-if scenarios and the
    candidate's answers, every value as typed."""

    TASK = "curriculum-model"
    SCHEMA_VERSION = SCHEMA_VERSION

    schools: list = field(default_factory=list)
    scenarios: list = field(default_factory=list)
    answers: dict = field(default_factory=dict)


# -- parameters (exercises/curriculum-model/figures.yaml, read strictly) ------------------------------------------
@dataclass(frozen=True)
class CurriculumFigures:
    version: int
    contact_ratio_target: SourcedValue
    contact_ratio_tolerance: SourcedValue
    staff_cost_high_percent: SourcedValue
    max_class_size: SourcedValue
    formulas_source: str
    recommendation_min_words: int


# -- reading --------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Problem:
    school: str  # the school's id, or "" for the trust / a scenario
    field: str  # e.g. "income", "curriculum:3:groups", "teachers:2:fte", "scenario:S1"
    message: str


@dataclass(frozen=True)
class CurriculumRow:
    year: str
    subject: str
    periods: float  # per group per cycle
    groups: float

    @property
    def periods_to_staff(self) -> float:
        return self.periods * self.groups

    @property
    def key(self) -> tuple[str, str]:
        return (self.year.strip().lower(), self.subject.strip().lower())


@dataclass(frozen=True)
class Teacher:
    """One row of the staffing structure: a role (or one teacher) with the FTE, yearly cost (employer on-costs
    included) and contact periods per cycle of everyone in it."""

    role: str
    fte: float
    cost: float
    contact_periods: float


@dataclass(frozen=True)
class School:
    id: str
    name: str
    periods_per_cycle: float | None
    income: float | None
    support_staff_cost: float
    pupils_by_year: Mapping[str, float]
    curriculum: tuple[CurriculumRow, ...]
    teachers: tuple[Teacher, ...]

    @property
    def label(self) -> str:
        return self.name or self.id or "(school not named)"

    @property
    def pupils(self) -> float:
        return sum(self.pupils_by_year.values())

    def year_pupils(self, year: str) -> float | None:
        for y, n in self.pupils_by_year.items():
            if y.strip().lower() == year.strip().lower():
                return n
        return None


@dataclass(frozen=True)
class Metrics:
    """One school's ICFP measures (None where a figure it needs is missing or zero)."""

    school: str
    pupils: float
    periods_per_cycle: float | None
    periods_to_staff: float
    contact_capacity: float  # Σ teachers' contact periods
    fte_held: float
    fte_needed: float | None
    teaching_cost: float
    staff_cost: float
    income: float | None
    contact_ratio: float | None
    ptr: float | None
    average_class_size: float | None
    average_teacher_cost: float | None
    cost_per_lesson: float | None
    staff_cost_share: float | None  # a fraction (0.75 = 75%)

    @property
    def fte_gap(self) -> float | None:
        """FTE held − FTE needed: positive means more teachers than the plan needs at the target contact ratio."""
        return None if self.fte_needed is None else self.fte_held - self.fte_needed


def school_metrics(school: School, target: float, *, curriculum: tuple[CurriculumRow, ...] | None = None) -> Metrics:
    rows = school.curriculum if curriculum is None else curriculum
    p = school.periods_per_cycle or None
    taught = sum(r.periods_to_staff for r in rows)
    fte = sum(t.fte for t in school.teachers)
    cost = sum(t.cost for t in school.teachers)
    staff = cost + school.support_staff_cost
    pupils = school.pupils
    cr = taught / (p * fte) if p and fte else None
    ptr = pupils / fte if fte else None
    return Metrics(
        school=school.id, pupils=pupils, periods_per_cycle=p, periods_to_staff=taught,
        contact_capacity=sum(t.contact_periods for t in school.teachers), fte_held=fte,
        fte_needed=taught / (p * target) if p and target else None, teaching_cost=cost, staff_cost=staff,
        income=school.income, contact_ratio=cr, ptr=ptr,
        average_class_size=ptr / cr if ptr is not None and cr else None,
        average_teacher_cost=cost / fte if fte else None,
        cost_per_lesson=cost / taught if taught else None,
        staff_cost_share=staff / school.income if school.income else None,
    )


@dataclass(frozen=True)
class Change:
    school: str
    year: str
    subject: str
    groups: float | None
    periods: float | None

    @property
    def key(self) -> tuple[str, str]:
        return (self.year.strip().lower(), self.subject.strip().lower())


@dataclass(frozen=True)
class WhatIf:
    id: str
    title: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class SchoolDifference:
    school: str
    before: Metrics
    after: Metrics
    largest_class: float | None  # the largest average group in a changed row (pupils in the year / groups)

    @property
    def periods(self) -> float:
        return self.after.periods_to_staff - self.before.periods_to_staff

    @property
    def fte(self) -> float:
        if self.before.fte_needed is None or self.after.fte_needed is None:
            return 0.0
        return self.after.fte_needed - self.before.fte_needed

    @property
    def cost(self) -> float:
        """ΔFTE needed × the school's average teacher cost."""
        return self.fte * (self.before.average_teacher_cost or 0.0)


@dataclass(frozen=True)
class Trust:
    schools: tuple[School, ...]
    whatifs: tuple[WhatIf, ...] = ()
    problems: tuple[Problem, ...] = ()

    def school(self, sid: str) -> School | None:
        for s in self.schools:
            if s.id.strip().lower() == sid.strip().lower():
                return s
        return None

    def metrics(self, target: float) -> dict[str, Metrics]:
        return {s.id: school_metrics(s, target) for s in self.schools}

    def compare(self, whatif: WhatIf, target: float) -> tuple[list[SchoolDifference], list[str]]:
        """The scenario against the current position, school by school (only the schools it changes), and the
        changes that name no school or no curriculum row (plain sentences)."""
        out, unmatched = [], []
        by_school: dict[str, list[Change]] = {}
        for ch in whatif.changes:
            school = self.school(ch.school)
            if school is None:
                unmatched.append(f"'{ch.school or '(no school)'}' is not one of the schools")
                continue
            if not any(r.key == ch.key for r in school.curriculum):
                unmatched.append(f"{school.label} has no curriculum row for {ch.year} {ch.subject}")
                continue
            by_school.setdefault(school.id, []).append(ch)
        for school in self.schools:
            changes = by_school.get(school.id)
            if not changes:
                continue
            rows, largest = [], None
            for r in school.curriculum:
                new = r
                for ch in changes:
                    if ch.key == r.key:
                        new = CurriculumRow(r.year, r.subject, r.periods if ch.periods is None else ch.periods,
                                            r.groups if ch.groups is None else ch.groups)
                if new != r and new.groups:
                    n = school.year_pupils(r.year)
                    if n is not None:
                        size = n / new.groups
                        largest = size if largest is None else max(largest, size)
                rows.append(new)
            out.append(SchoolDifference(school.id, school_metrics(school, target),
                                        school_metrics(school, target, curriculum=tuple(rows)), largest))
        return out, unmatched


def _text(v: Any) -> str:
    return "" if v is None else str(v).strip()


def _rows(v: Any) -> list[Mapping[str, Any]]:
    return [r for r in v if isinstance(r, Mapping)] if isinstance(v, list) else []


class _Reader:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def number(self, raw: Any, school: str, fld: str, what: str, *, blank: float | None = None) -> float | None:
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return blank
        try:
            v = parse_number(raw, what=what, allow_percent=False)
        except ValueProblem as exc:
            self.problems.append(Problem(school, fld, str(exc)))
            return None
        if v < 0:
            self.problems.append(Problem(school, fld, f"{what} cannot be negative (it is {v:g})."))
            return None
        return v

    def money(self, raw: Any, school: str, fld: str, what: str, *, blank: float | None = None) -> float | None:
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return blank
        try:
            return parse_money(raw, what=what)
        except ValueProblem as exc:
            self.problems.append(Problem(school, fld, str(exc)))
            return None


def read_school(data: Mapping[str, Any], index: int, rd: _Reader) -> School:
    sid = _text(data.get("id")) or f"S{index}"
    name = _text(data.get("name"))
    who = name or sid
    years: dict[str, float] = {}
    for i, r in enumerate(_rows(data.get("year_groups")), start=1):
        year = _text(r.get("year"))
        n = rd.number(r.get("pupils"), sid, f"year_groups:{i}:pupils", f"{who}: pupils in {year or f'row {i}'}")
        if year and n is not None:
            years[year] = years.get(year, 0.0) + n
        elif not year and n:
            rd.problems.append(Problem(sid, f"year_groups:{i}:year", f"{who}: year group row {i} has pupils but "
                                                                     "no year group."))
    curriculum = []
    for i, r in enumerate(_rows(data.get("curriculum")), start=1):
        year, subject = _text(r.get("year")), _text(r.get("subject"))
        what = f"{who}: {year} {subject}".strip() if (year or subject) else f"{who}: curriculum row {i}"
        periods = rd.number(r.get("periods"), sid, f"curriculum:{i}:periods", f"{what}'s periods per group")
        groups = rd.number(r.get("groups"), sid, f"curriculum:{i}:groups", f"{what}'s groups")
        if not (year or subject or periods or groups):
            continue  # a blank row
        if year and year not in years and not any(y.lower() == year.lower() for y in years):
            rd.problems.append(Problem(sid, f"curriculum:{i}:year", f"{what}: '{year}' is not one of the school's "
                                                                   "year groups."))
        curriculum.append(CurriculumRow(year, subject, periods or 0.0, groups or 0.0))
    teachers = []
    for i, r in enumerate(_rows(data.get("teachers")), start=1):
        role = _text(r.get("role"))
        what = f"{who}: teacher row {i}" + (f" ({role})" if role else "")
        fte = rd.number(r.get("fte"), sid, f"teachers:{i}:fte", f"{what}'s FTE")
        cost = rd.money(r.get("cost"), sid, f"teachers:{i}:cost", f"{what}'s cost")
        contact = rd.number(r.get("contact_periods"), sid, f"teachers:{i}:contact_periods",
                            f"{what}'s contact periods")
        if not (role or fte or cost or contact):
            continue
        teachers.append(Teacher(role, fte or 0.0, cost or 0.0, contact or 0.0))
    return School(
        id=sid, name=name,
        periods_per_cycle=rd.number(data.get("periods_per_cycle"), sid, "periods_per_cycle",
                                    f"{who}: periods in the timetable cycle"),
        income=rd.money(data.get("income"), sid, "income", f"{who}: income"),
        support_staff_cost=rd.money(data.get("support_staff_cost"), sid, "support_staff_cost",
                                    f"{who}: support staff cost", blank=0.0) or 0.0,
        pupils_by_year=years, curriculum=tuple(curriculum), teachers=tuple(teachers))


def read_trust(artefact: Mapping[str, Any]) -> Trust:
    """The schools and what-if scenarios of a saved artefact; never raises on learner input."""
    art = artefact if isinstance(artefact, Mapping) else {}
    rd = _Reader()
    schools = tuple(read_school(s, i, rd) for i, s in enumerate(_rows(art.get("schools")), start=1))
    whatifs = []
    for i, sc in enumerate(_rows(art.get("scenarios")), start=1):
        wid = _text(sc.get("id")) or f"W{i}"
        title = _text(sc.get("title")) or f"Scenario {i}"
        changes = []
        for j, ch in enumerate(_rows(sc.get("changes")), start=1):
            school = _text(ch.get("school"))
            year, subject = _text(ch.get("year")), _text(ch.get("subject"))
            what = f"{title}, change {j}"
            groups = rd.number(ch.get("groups"), "", f"scenario:{wid}:{j}:groups", f"{what}: groups")
            periods = rd.number(ch.get("periods"), "", f"scenario:{wid}:{j}:periods", f"{what}: periods per group")
            if not (school or year or subject) and groups is None and periods is None:
                continue
            changes.append(Change(school, year, subject, groups, periods))
        whatifs.append(WhatIf(wid, title, tuple(changes)))
    return Trust(schools, tuple(whatifs), tuple(rd.problems))


def contact_flag(ratio: float | None, target: float, tolerance: float) -> str:
    """'below', 'around' or 'above' the target contact ratio ('' when it cannot be worked out)."""
    if ratio is None:
        return ""
    if ratio < target - tolerance - 1e-9:
        return "below"
    if ratio > target + tolerance + 1e-9:
        return "above"
    return "around"


def staff_cost_flag(share: float | None, high_percent: float) -> str:
    """'high' when staff cost is above the benchmark share of income, else 'not-high' ('' when unknown)."""
    if share is None:
        return ""
    return "high" if share * 100 > high_percent + 1e-9 else "not-high"
