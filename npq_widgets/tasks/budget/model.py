"""A project budget over its whole lifetime (criterion 5.1.1: "analyses the financial and staffing implications of own
plans, during whole lifetime of plans, using a budget").

The lifetime is a :class:`~npq_widgets.domain.lifetime.ProjectLifetime` (dates + term calendar, shared with the project
plan and risk register); the budget's columns are the terms it touches. Every line is spread across those terms:

- **staffing**: hours per week × weeks in the term × hourly rate; employer on-costs (a percentage, a parameter) are
  added for the school's own staff (``employed``), not for agency or contracted tutors who invoice;
- **cover** (supply cover for release time): days in the term × daily rate;
- **cpd**, **resources**, **other**: an amount in £ per term; a CPD line may say how many teacher days out of class
  it needs (``release_days``), which the cover lines should pay for.

Then, per term: subtotal = lines + on-costs; contingency = subtotal × contingency %; cost = subtotal + contingency.
Funding (income lines, per term) − cost = balance. Cost per pupil reached = total cost / pupils. Staffing share =
(staffing + on-costs) / total cost.

Reading is tolerant: :func:`read_budget` never raises on learner input; every unreadable figure (text in a money
field, negative hours, an amount for a term outside the lifetime) becomes a :class:`BudgetProblem` that the checker
and the view report next to the field, and what was typed is kept. Amounts for terms outside the lifetime are left
out of the totals (and reported), never dropped.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from ...domain.lifetime import ProjectLifetime, TermCalendar
from ...domain.values import ValueProblem, parse_money, parse_number
from ...contract import Artefact, SourcedValue

SCHEMA_VERSION = 1


@dataclass
class BudgetArtefact(Artefact):
    """A saved budget: the project, pupils reached, on-cost and contingency rates, cost lines and income lines, every
    value as typed."""

    TASK = "budget"
    SCHEMA_VERSION = SCHEMA_VERSION

    project: dict = field(default_factory=dict)
    pupils: str = ""
    on_costs_percent: str = ""
    contingency_percent: str = ""
    lines: list = field(default_factory=list)
    income: list = field(default_factory=list)


# -- the task's parameters (exercises/budget/figures.yaml, read strictly) -------------------------------------------
@dataclass(frozen=True)
class CategoryFigure:
    id: str
    label: str
    unit: str = ""
    rate_unit: str = ""
    help: str = ""


@dataclass(frozen=True)
class SourcedRange:
    min: float | None = None
    max: float | None = None
    source: str = ""


@dataclass(frozen=True)
class DatedRate:
    """A national rate with the date it applies from (DD/MM/YYYY) and its source."""

    percent: float
    applies_from: str
    source: str
    threshold_per_year: float | None = None  # e.g. National Insurance: paid on pay above this


@dataclass(frozen=True)
class TeacherOnCosts:
    """Employer on-costs for a teacher in England: Teachers' Pension Scheme and employer National Insurance."""

    pension: DatedRate
    national_insurance: DatedRate

    @property
    def additional_hours_percent(self) -> float:
        """On additional hours for a teacher whose pay is already above the NI threshold: pension + NI."""
        return round(self.pension.percent + self.national_insurance.percent, 2)


@dataclass(frozen=True)
class BudgetFigures:
    version: int
    categories: tuple[CategoryFigure, ...]
    min_whole_terms: SourcedValue
    surplus_max_percent: SourcedValue
    contingency_percent: SourcedRange
    on_costs_percent: SourcedRange
    staff_share_high: SourcedValue
    teacher_on_costs: TeacherOnCosts

    @property
    def labels(self) -> dict[str, str]:
        return {c.id: c.label for c in self.categories}

CATEGORY_IDS = ("staffing", "cover", "cpd", "resources", "other")
DEFAULT_LABELS = {"staffing": "Staffing", "cover": "Supply cover (release time)", "cpd": "CPD (courses, coaching)",
                  "resources": "Resources", "other": "Other"}
PER_TERM_UNIT = {"staffing": "weeks", "cover": "days"}  # the rest: £


@dataclass(frozen=True)
class BudgetProblem:
    row: int  # 1-based, as the candidate sees it; 0 for the budget as a whole
    line: str  # the line's id (e.g. "C3", "I1") or "" for the budget as a whole
    field: str  # "rate", "hours_per_week", "release_days", "by_term:<term>", "terms", "on_costs_percent", …
    message: str


@dataclass(frozen=True)
class CostLine:
    row: int
    id: str
    category: str
    description: str = ""
    employed: bool | None = None  # the school's own staff? None: not decided yet (no on-costs until it is)
    hours_per_week: float | None = None
    rate: float | None = None
    release_days: float = 0.0
    quantities: Mapping[str, float] = field(default_factory=dict)  # term name -> weeks / days / £ (lifetime terms)
    outside: tuple[str, ...] = ()  # term names with amounts that are not in the lifetime (kept, not counted)

    def cost_in(self, term: str) -> float:
        """The line's cost in one term, before on-costs and contingency."""
        q = self.quantities.get(term, 0.0)
        if self.category == "staffing":
            return (self.hours_per_week or 0.0) * q * (self.rate or 0.0)
        if self.category == "cover":
            return q * (self.rate or 0.0)
        return q

    def on_costs_in(self, term: str, percent: float) -> float:
        return self.cost_in(term) * percent / 100 if self.category == "staffing" and self.employed is True else 0.0

    @property
    def days(self) -> float:
        return sum(self.quantities.values()) if self.category == "cover" else 0.0

    @property
    def label(self) -> str:
        return self.id or f"Line {self.row}"


@dataclass(frozen=True)
class IncomeLine:
    row: int
    id: str
    source: str = ""
    amounts: Mapping[str, float] = field(default_factory=dict)
    outside: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.id or f"Funding {self.row}"


@dataclass(frozen=True)
class Totals:
    """Everything the budget adds up to. Money in pounds (floats, unrounded); per-term dicts keyed by term name."""

    terms: tuple[str, ...]
    by_category: Mapping[str, Mapping[str, float]]  # category -> term -> cost (before on-costs)
    on_costs: Mapping[str, float]
    subtotal: Mapping[str, float]
    contingency: Mapping[str, float]
    cost: Mapping[str, float]
    funding: Mapping[str, float]
    total_cost: float
    total_funding: float
    total_on_costs: float
    total_contingency: float
    pupils: int | None

    @property
    def balance(self) -> float:
        return self.total_funding - self.total_cost

    @property
    def surplus_percent(self) -> float | None:
        return self.balance / self.total_cost * 100 if self.total_cost > 0 else None

    def category_total(self, category: str) -> float:
        return sum(self.by_category.get(category, {}).values())

    @property
    def staffing_total(self) -> float:
        """Staffing including employer on-costs."""
        return self.category_total("staffing") + self.total_on_costs

    @property
    def staffing_share(self) -> float | None:
        return self.staffing_total / self.total_cost if self.total_cost > 0 else None

    @property
    def cost_per_pupil(self) -> float | None:
        return self.total_cost / self.pupils if self.pupils and self.total_cost > 0 else None

    def stack(self) -> dict[str, dict[str, float]]:
        """Segments for a stacked chart, in order: each category (staffing without on-costs), on-costs,
        contingency — each term -> £."""
        out = {c: dict(self.by_category.get(c, {})) for c in CATEGORY_IDS}
        out = {"staffing": out["staffing"], "on_costs": dict(self.on_costs),
               **{c: out[c] for c in CATEGORY_IDS[1:]}, "contingency": dict(self.contingency)}
        return out


@dataclass(frozen=True)
class Budget:
    lifetime: ProjectLifetime | None
    lines: tuple[CostLine, ...] = ()
    income: tuple[IncomeLine, ...] = ()
    on_costs_percent: float | None = None
    contingency_percent: float | None = None
    pupils: int | None = None
    title: str = ""
    problems: tuple[BudgetProblem, ...] = ()
    lifetime_problem: str = ""

    @property
    def term_names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.lifetime.terms()) if self.lifetime else ()

    def totals(self) -> Totals:
        """Every total (worked out once per budget: a budget is immutable)."""
        return self._totals

    @functools.cached_property
    def _totals(self) -> Totals:
        terms = self.term_names
        onc = self.on_costs_percent or 0.0
        cont = self.contingency_percent or 0.0
        by_cat: dict[str, dict[str, float]] = {c: {t: 0.0 for t in terms} for c in CATEGORY_IDS}
        on_costs = {t: 0.0 for t in terms}
        for line in self.lines:
            cat = by_cat.get(line.category)
            if cat is None:
                continue
            for t in terms:
                c = line.cost_in(t)
                cat[t] += c
                if line.category == "staffing" and line.employed is True:
                    on_costs[t] += c * onc / 100
        subtotal = {t: sum(by_cat[c][t] for c in CATEGORY_IDS) + on_costs[t] for t in terms}
        contingency = {t: subtotal[t] * cont / 100 for t in terms}
        cost = {t: subtotal[t] + contingency[t] for t in terms}
        funding = {t: sum(i.amounts.get(t, 0.0) for i in self.income) for t in terms}
        return Totals(terms, by_cat, on_costs, subtotal, contingency, cost, funding, sum(cost.values()),
                      sum(funding.values()), sum(on_costs.values()), sum(contingency.values()), self.pupils)

    def problems_for(self, *fields: str) -> list[BudgetProblem]:
        return [p for p in self.problems if not fields or p.field.split(":")[0] in fields]


# -- reading ----------------------------------------------------------------------------------------------------
def _text(entry: Mapping[str, Any], key: str) -> str:
    v = entry.get(key)
    return "" if v is None else str(v).strip()


def _blank(v: object) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def read_employed(v: object) -> bool | None:
    """The line's "school's own staff?" choice: True, False, or None when it has not been made (blank)."""
    if v is None:
        return None
    if isinstance(v, str):
        s = v.strip().lower()
        if not s:
            return None
        return s not in ("no", "false", "0", "agency", "external")
    return bool(v)


def read_lifetime(data: object, calendar: TermCalendar | None = None) -> tuple[ProjectLifetime | None, str]:
    """A lifetime from {start, end[, terms]}; (None, message) when it is missing or wrong."""
    if not isinstance(data, Mapping) or not (data.get("start") or data.get("end")):
        return None, "The project's start and end dates are not given yet."
    try:
        if calendar is not None and not data.get("terms"):
            return ProjectLifetime.parse(data.get("start"), data.get("end"), calendar), ""
        return ProjectLifetime.from_dict(data), ""
    except ValueProblem as exc:
        return None, str(exc)


_PLAIN_NUMBER = re.compile(r"\d{1,9}(\.\d{1,6})?")
_PLAIN_MONEY = re.compile(r"\d{1,12}(\.\d{1,2})?")


class _Reader:
    def __init__(self, terms: tuple[str, ...]):
        self.terms = terms
        self.problems: list[BudgetProblem] = []

    def problem(self, row: int, line: str, fld: str, message: str) -> None:
        self.problems.append(BudgetProblem(row, line, fld, message))

    def number(self, raw: object, row: int, line: str, fld: str, what: str) -> float | None:
        if isinstance(raw, str) and _PLAIN_NUMBER.fullmatch(raw):  # fast path: most figures are plain
            return float(raw)
        if _blank(raw):
            return None
        try:
            v = parse_number(raw, what=what, allow_percent=False)
        except ValueProblem as exc:
            self.problem(row, line, fld, str(exc))
            return None
        if v < 0:
            self.problem(row, line, fld, f"{what} cannot be negative (it is {v:g}).")
            return None
        return v

    def money(self, raw: object, row: int, line: str, fld: str, what: str) -> float | None:
        if isinstance(raw, str):  # fast path for '£40.00', '450' (the full parser handles the rest)
            plain = raw[1:] if raw.startswith("£") else raw
            if _PLAIN_MONEY.fullmatch(plain):
                return float(plain)
        if _blank(raw):
            return None
        try:
            return parse_money(raw, what=what)
        except ValueProblem as exc:
            self.problem(row, line, fld, str(exc))
            return None

    def spread(self, raw: object, row: int, line: str, what: str, unit: str) -> tuple[dict[str, float], tuple[str, ...]]:
        """{term: text} -> ({lifetime term: value}, terms outside the lifetime that hold a non-zero amount)."""
        out: dict[str, float] = {}
        outside: list[str] = []
        if not isinstance(raw, Mapping):
            if not _blank(raw):
                self.problem(row, line, "by_term", f"{what}: the amounts per term could not be read.")
            return out, ()
        for term, value in raw.items():
            term = str(term)
            fld = f"by_term:{term}"
            v = (self.money(value, row, line, fld, f"{what}'s amount for {term}") if unit == "£"
                 else self.number(value, row, line, fld, f"{what}'s {unit} in {term}"))
            if v is None:
                continue
            if term in self.terms:
                out[term] = v
            elif v:
                outside.append(term)
        if outside:
            names = ", ".join(outside)
            self.problem(row, line, "terms", f"{what} has amounts for {names}, outside the project's lifetime "
                                             f"({', '.join(self.terms) or 'no terms yet'}): they are kept but not "
                                             "counted. Move them into a term of the project, or change its dates.")
        return out, tuple(outside)


def read_budget(artefact: Mapping[str, Any], *, lifetime: ProjectLifetime | None = None,
                calendar: TermCalendar | None = None,
                category_labels: Mapping[str, str] | None = None) -> Budget:
    """Artefact dict -> :class:`Budget`. Never raises on learner input (see the module docstring)."""
    art = artefact if isinstance(artefact, Mapping) else {}
    labels = dict(DEFAULT_LABELS, **(category_labels or {}))
    lifetime_problem = ""
    project = art.get("project") if isinstance(art.get("project"), Mapping) else {}
    if lifetime is None:
        lifetime, lifetime_problem = read_lifetime(project, calendar)
    terms = tuple(t.name for t in lifetime.terms()) if lifetime else ()
    rd = _Reader(terms)
    onc = rd.number(art.get("on_costs_percent"), 0, "", "on_costs_percent", "Employer on-costs (%)")
    cont = rd.number(art.get("contingency_percent"), 0, "", "contingency_percent", "Contingency (%)")
    pupils = None
    pv = rd.number(art.get("pupils"), 0, "", "pupils", "The number of pupils reached")
    if pv is not None:
        if pv != int(pv):
            rd.problem(0, "", "pupils", f"The number of pupils reached must be a whole number (it is {pv:g}).")
        else:
            pupils = int(pv)
    lines: list[CostLine] = []
    raw_lines = art.get("lines") if isinstance(art.get("lines"), list) else []
    for n, entry in enumerate(raw_lines, start=1):
        if not isinstance(entry, Mapping):
            rd.problem(n, f"Line {n}", "description", f"Cost line {n} could not be read.")
            continue
        lid = _text(entry, "id") or f"C{n}"
        cat = _text(entry, "category").lower()
        desc = _text(entry, "description")
        if cat not in CATEGORY_IDS:
            rd.problem(n, lid, "category", f"{lid}: choose a category ({', '.join(labels[c] for c in CATEGORY_IDS)}).")
        unit = PER_TERM_UNIT.get(cat, "£")
        hours = rate = None
        if cat == "staffing":
            hours = rd.number(entry.get("hours_per_week"), n, lid, "hours_per_week", f"{lid}'s hours per week")
            rate = rd.money(entry.get("rate"), n, lid, "rate", f"{lid}'s hourly rate")
        elif cat == "cover":
            rate = rd.money(entry.get("rate"), n, lid, "rate", f"{lid}'s daily rate")
        release = 0.0
        if cat == "cpd":
            release = rd.number(entry.get("release_days"), n, lid, "release_days",
                                f"{lid}'s teacher days out of class") or 0.0
        qty, outside = rd.spread(entry.get("by_term"), n, lid, lid, unit)
        lines.append(CostLine(n, lid, cat, desc, read_employed(entry.get("employed")), hours, rate, release, qty,
                              outside))
    income: list[IncomeLine] = []
    raw_income = art.get("income") if isinstance(art.get("income"), list) else []
    for n, entry in enumerate(raw_income, start=1):
        if not isinstance(entry, Mapping):
            rd.problem(n, f"Funding {n}", "source", f"Funding line {n} could not be read.")
            continue
        iid = _text(entry, "id") or f"I{n}"
        src = _text(entry, "source")
        amounts, outside = rd.spread(entry.get("by_term"), n, iid, iid, "£")
        income.append(IncomeLine(n, iid, src, amounts, outside))
    return Budget(lifetime, tuple(lines), tuple(income), onc, cont, pupils, _text(project, "title"),
                  tuple(rd.problems), lifetime_problem)


def blank_line(line_id: str, category: str = "staffing") -> dict[str, Any]:
    return {"id": line_id, "category": category, "description": "", "employed": None, "hours_per_week": "",
            "rate": "", "release_days": "", "by_term": {}}


def blank_income(line_id: str) -> dict[str, Any]:
    return {"id": line_id, "source": "", "by_term": {}}

