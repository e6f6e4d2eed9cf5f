"""PD impact and cost-effectiveness (criterion 6.1.3): effect size, EEF months of progress, cost per pupil per year
and EEF cost band, and a Guskey five-level evaluation plan.

Every figure (the months table with its band edges, the cost bands, Guskey's levels) is data, passed in as
:class:`EefFigures` built from ``exercises/pd-impact/figures.yaml`` (the tasks layer reads the file): this module does
no file IO. The rules, exactly:

- pooled SD = √(((n₁ − 1)·s₁² + (n₂ − 1)·s₂²) / (n₁ + n₂ − 2)); effect size d = (mean₁ − mean₂) / pooled SD;
- months: d is rounded half-up to 2 dp (``decimal.ROUND_HALF_UP``) first; |d| is looked up in the table (min and max
  inclusive); above the last band's maximum → ``above_max_months`` (12); a negative d gives minus the months of |d|;
- cost per pupil per year = cost / pupils / years, rounded half-up to whole pence, then the first band whose ``below``
  (exclusive) or ``up_to`` (inclusive) limit it meets; the last band has no limit.

Reading is tolerant: :func:`read_pd` never raises on learner input; each unreadable field becomes a
:class:`PdProblem` that the checker and the view report next to the field, and what was typed is kept.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, ClassVar, Mapping

from ...domain.values import ValueProblem, parse_money, parse_number, word_count
from ...contract import Artefact

SCHEMA_VERSION = 1


@dataclass
class PdArtefact(Artefact):
    """A saved PD evaluation: the programme, the two groups' results, the months and band the candidate stated, the
    Guskey plan (level → text) and the conclusion, every value as typed."""

    TASK = "pd-impact"
    SCHEMA_VERSION = SCHEMA_VERSION

    programme: dict = field(default_factory=dict)
    outcome: dict = field(default_factory=dict)
    stated: dict = field(default_factory=dict)
    evaluation: dict = field(default_factory=dict)
    conclusion: str = ""

DESIGNS = {
    "two-groups": "Two groups: the PD group's pupils against a comparison group, same test, same time",
    "before-after": "One group before and after (weaker: pupils would have made some progress anyway)",
}


# -- the figures ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MonthsBand:
    months: int
    min: Decimal
    max: Decimal


@dataclass(frozen=True)
class CostBand:
    id: str
    label: str
    below: Decimal | None = None  # exclusive upper limit
    up_to: Decimal | None = None  # inclusive upper limit


@dataclass(frozen=True)
class GuskeyLevel:
    level: int
    name: str
    prompt: str = ""


@dataclass(frozen=True)
class EefFigures:
    months_bands: tuple[MonthsBand, ...]
    above_max_months: int
    month_labels: tuple[tuple[int, str], ...]
    cost_bands: tuple[CostBand, ...]
    guskey: tuple[GuskeyLevel, ...]
    version: int = 1
    sources: Mapping[str, str] = field(default_factory=dict)
    notes: Mapping[str, str] = field(default_factory=dict)  # how the figures are used, shown beside the tables

    # every key of figures.yaml, section by section: a key not listed here is an error, so nothing documented in the
    # file can go unread
    KEYS: ClassVar[Mapping[str, frozenset[str]]] = {
        "": frozenset({"version", "effect_size", "months", "cost_bands", "guskey"}),
        "effect_size": frozenset({"formula", "pooled_sd", "source"}),
        "months": frozenset({"source", "rounding", "above_max_months", "negative", "bands", "labels"}),
        "cost_bands": frozenset({"source", "basis", "bands"}),
        "guskey": frozenset({"source", "levels"}),
    }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "EefFigures":
        dec = lambda v: Decimal(str(v))  # noqa: E731 - exact decimals from the YAML's text
        for section, keys in cls.KEYS.items():
            part = data if not section else data.get(section)
            if not isinstance(part, Mapping):
                raise ValueError(f"pd-impact/figures.yaml: '{section}' must be a mapping.")
            if set(part) != keys:
                raise ValueError(f"pd-impact/figures.yaml{' ' + section if section else ''}: keys not read or "
                                 f"missing: {', '.join(sorted(set(part) ^ keys))}.")
        months = data["months"]
        if months["negative"] != "mirror":
            raise ValueError("pd-impact/figures.yaml: months.negative must be 'mirror' (the only rule supported).")
        bands = tuple(MonthsBand(int(b["months"]), dec(b["min"]), dec(b["max"])) for b in months["bands"])
        for a, b in zip(bands, bands[1:]):
            if not (a.max < b.min and b.min - a.max == Decimal("0.01")):
                raise ValueError(f"EEF months bands must follow each other at 0.01 steps ({a} → {b}).")
        costs = tuple(CostBand(str(b["id"]), str(b["label"]),
                               dec(b["below"]) if "below" in b else None,
                               dec(b["up_to"]) if "up_to" in b else None) for b in data["cost_bands"]["bands"])
        return cls(
            months_bands=bands, above_max_months=int(months["above_max_months"]),
            month_labels=tuple((int(x["max_months"]), str(x["label"])) for x in months["labels"]),
            cost_bands=costs,
            guskey=tuple(GuskeyLevel(int(g["level"]), str(g["name"]), str(g.get("prompt", "")))
                         for g in data["guskey"]["levels"]),
            version=int(data.get("version", 1)),
            sources={k: str(data[k]["source"]) for k in ("months", "cost_bands", "guskey", "effect_size")},
            notes={"effect_size": f"{data['effect_size']['formula']}; pooled SD = {data['effect_size']['pooled_sd']}",
                   "months": str(months["rounding"]) + " A negative effect size gives minus the months of its size.",
                   "cost_bands": str(data["cost_bands"]["basis"])},
        )

    def band(self, band_id: str) -> CostBand | None:
        return next((b for b in self.cost_bands if b.id == band_id), None)


# -- calculations ---------------------------------------------------------------------------------------------------
def round_half_up(value: float, places: int = 2) -> Decimal:
    """0.125 -> 0.13, -0.125 -> -0.13 (half away from zero), via the decimal text of the float."""
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def pooled_sd(sd1: float, n1: int, sd2: float, n2: int) -> float:
    if n1 < 2 or n2 < 2 or n1 + n2 <= 2:
        raise ValueProblem("Each group needs at least 2 pupils to pool the standard deviations.")
    if sd1 < 0 or sd2 < 0:
        raise ValueProblem("A standard deviation cannot be negative.")
    value = math.sqrt(((n1 - 1) * sd1 ** 2 + (n2 - 1) * sd2 ** 2) / (n1 + n2 - 2))
    if value == 0:
        raise ValueProblem("Both standard deviations are 0: the effect size cannot be worked out.")
    return value


def effect_size(mean1: float, sd1: float, n1: int, mean2: float, sd2: float, n2: int) -> float:
    """(mean₁ − mean₂) / pooled SD. Group 1 is the PD group (or 'after'), group 2 the comparison (or 'before')."""
    return (mean1 - mean2) / pooled_sd(sd1, n1, sd2, n2)


def months_of_progress(d: float, figures: EefFigures) -> int:
    """EEF months of additional progress for an effect size (see the module docstring for the exact rule)."""
    r = round_half_up(d, 2)
    a = abs(r)
    if a > figures.months_bands[-1].max:
        months = figures.above_max_months
    else:
        months = next(b.months for b in figures.months_bands if b.min <= a <= b.max)
    return -months if r < 0 else months


def months_label(months: int, figures: EefFigures) -> str:
    a = abs(months)
    label = next((lbl for mx, lbl in figures.month_labels if a <= mx), figures.month_labels[-1][1])
    return f"{label} (negative)" if months < 0 and a else label


def cost_per_pupil_per_year(cost: float, pupils: int, years: float = 1.0) -> float:
    if pupils <= 0:
        raise ValueProblem("The number of pupils reached must be at least 1.")
    if years <= 0:
        raise ValueProblem("The number of years must be more than 0.")
    return cost / pupils / years


def cost_band(per_pupil_per_year: float, figures: EefFigures) -> CostBand:
    v = round_half_up(per_pupil_per_year, 2)
    for band in figures.cost_bands:
        if band.below is not None and v < band.below:
            return band
        if band.up_to is not None and v <= band.up_to:
            return band
        if band.below is None and band.up_to is None:
            return band
    return figures.cost_bands[-1]


# -- the learner's work ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PdProblem:
    field: str
    message: str


@dataclass(frozen=True)
class Group:
    label: str = ""
    mean: float | None = None
    sd: float | None = None
    n: int | None = None

    @property
    def complete(self) -> bool:
        return None not in (self.mean, self.sd, self.n)


@dataclass(frozen=True)
class PdEvaluation:
    """A PD programme's cost and reach, its measured outcome and its evaluation plan, read from an artefact."""

    title: str = ""
    cost: float | None = None
    pupils: int | None = None
    years: float | None = None
    design: str = ""
    measure: str = ""
    group1: Group = Group()
    group2: Group = Group()
    stated_months: int | None = None
    stated_band: str = ""
    evaluation: Mapping[int, str] = field(default_factory=dict)
    conclusion: str = ""
    problems: tuple[PdProblem, ...] = ()

    # computed (None when the inputs are missing or unreadable)
    @property
    def pooled_sd(self) -> float | None:
        g1, g2 = self.group1, self.group2
        if not (g1.complete and g2.complete):
            return None
        try:
            return pooled_sd(g1.sd, g1.n, g2.sd, g2.n)  # type: ignore[arg-type]
        except ValueProblem:
            return None

    @property
    def effect_size(self) -> float | None:
        sd = self.pooled_sd
        if sd is None:
            return None
        return (self.group1.mean - self.group2.mean) / sd  # type: ignore[operator]

    @property
    def effect_size_problem(self) -> str:
        g1, g2 = self.group1, self.group2
        if not (g1.complete and g2.complete):
            return "Give the mean, standard deviation and number of pupils for both groups."
        try:
            pooled_sd(g1.sd, g1.n, g2.sd, g2.n)  # type: ignore[arg-type]
        except ValueProblem as exc:
            return str(exc)
        return ""

    @property
    def per_pupil_per_year(self) -> float | None:
        if self.cost is None or not self.pupils or not self.years:
            return None
        return cost_per_pupil_per_year(self.cost, self.pupils, self.years)

    def months(self, figures: EefFigures) -> int | None:
        d = self.effect_size
        return None if d is None else months_of_progress(d, figures)

    def band(self, figures: EefFigures) -> CostBand | None:
        c = self.per_pupil_per_year
        return None if c is None else cost_band(c, figures)

    def planned_levels(self, min_words: int) -> tuple[int, ...]:
        return tuple(sorted(k for k, v in self.evaluation.items() if word_count(v) >= min_words))


def _text(data: Mapping[str, Any], key: str) -> str:
    v = data.get(key)
    return "" if v is None else str(v).strip()


def _blank(v: object) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def read_pd(artefact: Mapping[str, Any]) -> PdEvaluation:
    """Artefact dict -> :class:`PdEvaluation`; never raises on what the learner typed."""
    art = artefact if isinstance(artefact, Mapping) else {}
    problems: list[PdProblem] = []
    prog = art.get("programme") if isinstance(art.get("programme"), Mapping) else {}

    def num(src: Mapping[str, Any], key: str, fld: str, what: str, *, whole: bool = False, money: bool = False,
            positive: bool = False, negative_ok: bool = False) -> Any:
        raw = src.get(key)
        if _blank(raw):
            return None
        try:
            v = parse_money(raw, what=what) if money else parse_number(raw, what=what, allow_percent=False)
        except ValueProblem as exc:
            problems.append(PdProblem(fld, str(exc)))
            return None
        if whole and v != int(v):
            problems.append(PdProblem(fld, f"{what} must be a whole number (it is {v:g})."))
            return None
        if (v < 0 and not negative_ok) or (positive and v == 0):
            problems.append(PdProblem(fld, f"{what} must be {'more than' if positive else 'at least'} 0."))
            return None
        return int(v) if whole else v

    cost = num(prog, "cost", "cost", "The programme's cost", money=True)
    pupils = num(prog, "pupils", "pupils", "The number of pupils reached", whole=True, positive=True)
    years = num(prog, "years", "years", "The number of years", positive=True)
    outcome = art.get("outcome") if isinstance(art.get("outcome"), Mapping) else {}
    groups = []
    for key, name in (("group1", "first group"), ("group2", "second group")):
        g = outcome.get(key) if isinstance(outcome.get(key), Mapping) else {}
        label = _text(g, "label") or name
        mean = num(g, "mean", f"{key}.mean", f"The {name}'s mean", negative_ok=True)  # e.g. Progress 8
        sd = num(g, "sd", f"{key}.sd", f"The {name}'s standard deviation")
        n = num(g, "n", f"{key}.n", f"The {name}'s number of pupils", whole=True, positive=True)
        groups.append(Group(label, mean, sd, n))
    stated = art.get("stated") if isinstance(art.get("stated"), Mapping) else {}
    stated_months = None
    if not _blank(stated.get("months")):
        try:
            m = parse_number(stated.get("months"), what="Your months of progress", allow_percent=False)
            stated_months = int(m) if m == int(m) else None
            if stated_months is None:
                problems.append(PdProblem("stated.months", "Months of progress is a whole number."))
        except ValueProblem as exc:
            problems.append(PdProblem("stated.months", str(exc)))
    evaluation: dict[int, str] = {}
    raw_eval = art.get("evaluation") if isinstance(art.get("evaluation"), Mapping) else {}
    for k, v in raw_eval.items():
        try:
            evaluation[int(str(k))] = "" if v is None else str(v)
        except ValueError:
            continue
    return PdEvaluation(
        title=_text(prog, "title"), cost=cost, pupils=pupils, years=years,
        design=_text(outcome, "design"), measure=_text(outcome, "measure"), group1=groups[0], group2=groups[1],
        stated_months=stated_months, stated_band=_text(stated, "cost_band"), evaluation=evaluation,
        conclusion=_text(art, "conclusion"), problems=tuple(problems),
    )
