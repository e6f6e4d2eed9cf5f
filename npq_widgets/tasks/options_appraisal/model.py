"""Options appraisal for a business development strategy (NPQEL Task 1: "design a sustainable business development
strategy for their organisation, analysing the benefits, costs and risks of different options", then present the
chosen strategy to the governing board).

The appraisal:

- **Options** (2–6), one of them the baseline ("do nothing / business as usual") every other is compared with.
- **Criteria** with weights that total 100. Each option is scored 1–5 on each criterion with a one-line
  justification — except the criterion fed by the risks (``scored_by: risk``), whose score comes from the option's
  highest *residual* risk score through the bands in figures.yaml (lower risk, higher score).
- **Weighted score** = Σ weight × score / 100 (so 1–5; ``SUMPRODUCT`` in the export).
- **Cash flows** per option, years 0…N (N = the horizon, 3–5 years): one-off and recurring costs and income.
  Net flow(t) = income − costs. Net cost = total costs − total income (undiscounted). Payback year = the first year
  in which the cumulative net flow is back at £0 or above after an outlay (None: not within the horizon).
  **NPV** = net flow(0) + Σ_{t=1..N} net flow(t) / (1 + r)^t: year 0 is not discounted (in Excel
  ``=B5+NPV(rate, C5:G5)``, because Excel's ``NPV`` discounts its first value). r is a documented parameter: HM
  Treasury Green Book 3.5% by default (figures.yaml), which the candidate may change.
- **Risks** per option scored like the risk register (likelihood × impact, 1–5 each; RAG bands from
  :mod:`npq_widgets.domain.risk_scoring`), with a mitigation and the residual likelihood and impact.
- **Sensitivity** (:func:`sensitivity`): for each criterion, how far its weight must move — the others scaled
  proportionally so the total stays 100 — before the preferred option changes, and which option takes over.

Reading is tolerant: :func:`read_appraisal` never raises on learner input; each unreadable figure becomes a
:class:`Problem` the checker and the view report next to its field, and what was typed is kept.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Mapping

from ...contract import Artefact, SourcedValue
from ...domain.risk_scoring import DEFAULT_RAG, RagThresholds, ScoredRisk, read_scale
from ...domain.values import ValueProblem, parse_money, parse_number

SCHEMA_VERSION = 1
TASK_ID = "options-appraisal"
FLOW_KINDS = ("one_off_costs", "recurring_costs", "one_off_income", "recurring_income")
FLOW_LABELS = {"one_off_costs": "One-off costs", "recurring_costs": "Recurring costs",
               "one_off_income": "One-off income", "recurring_income": "Recurring income"}
COSTS = ("one_off_costs", "recurring_costs")
INCOME = ("one_off_income", "recurring_income")
SCORED_BY = {"judgement": "your judgement (1–5 with a reason)", "risk": "the option's residual risks"}


@dataclass
class OptionsArtefact(Artefact):
    """A saved options appraisal, every value as typed."""

    TASK = TASK_ID
    SCHEMA_VERSION = SCHEMA_VERSION

    organisation: str = ""
    purpose: str = ""
    horizon_years: str = ""
    discount_rate: str = ""
    criteria: list = field(default_factory=list)
    options: list = field(default_factory=list)
    recommendation: str = ""
    rationale: str = ""
    sensitivity_note: str = ""
    decision_sought: str = ""


# -- the task's parameters (exercises/options-appraisal/figures.yaml, read strictly) ---------------------------------
@dataclass(frozen=True)
class SourcedRange:
    min: int
    max: int
    source: str


@dataclass(frozen=True)
class RagFigure:
    green_max: int
    amber_max: int
    source: str

    @property
    def thresholds(self) -> RagThresholds:
        return RagThresholds(self.green_max, self.amber_max, self.source)


@dataclass(frozen=True)
class RiskCriterionBands:
    """Highest residual risk score → the option's score on the risk criterion: up to ``upper[0]`` scores 5, up to
    ``upper[1]`` scores 4, … above the last scores 1."""

    upper: tuple[int, ...]
    source: str

    def score(self, residual: int | None) -> int | None:
        if residual is None:
            return None
        for i, limit in enumerate(self.upper):
            if residual <= limit:
                return 5 - i
        return 5 - len(self.upper)


@dataclass(frozen=True)
class OptionsFigures:
    version: int
    discount_rate_percent: SourcedValue
    horizon_years: SourcedRange
    options_count: SourcedRange
    weights_total: SourcedValue
    rag: RagFigure
    risk_criterion: RiskCriterionBands
    rationale_min_words: SourcedValue
    sensitivity_min_words: SourcedValue


DEFAULT_BANDS = RiskCriterionBands((4, 8, 12, 16), "")


# -- the pure finance --------------------------------------------------------------------------------------------
def npv(rate_percent: float, flows: list[float]) -> float:
    """flows[0] undiscounted + Σ flows[t] / (1 + r)^t for t ≥ 1 (Excel: ``=B5+NPV(rate, C5:G5)``)."""
    r = rate_percent / 100
    return sum(f / (1 + r) ** t for t, f in enumerate(flows))


def payback_year(flows: list[float]) -> int | None:
    """The first year the cumulative net flow is £0 or above after it had been below £0; 0 when there is no outlay
    (it never goes below £0); None when it is not back within the years given."""
    total, outlay = 0.0, False
    for t, f in enumerate(flows):
        total += f
        if total < -0.005:
            outlay = True
        elif outlay:
            return t
    return None if outlay else 0


# -- what was typed, read ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Problem:
    where: str  # "horizon_years", "discount_rate", "criterion:<id>:weight", "option:<id>:flows:<kind>:<year>", …
    message: str


@dataclass(frozen=True)
class Criterion:
    id: str
    name: str
    weight: float | None
    scored_by: str = "judgement"

    @property
    def label(self) -> str:
        return self.name or self.id


@dataclass(frozen=True)
class OptionRisk(ScoredRisk):
    row: int
    description: str = ""
    likelihood: int | None = None
    impact: int | None = None
    mitigation: str = ""
    residual_likelihood: int | None = None
    residual_impact: int | None = None


@dataclass(frozen=True)
class Option:
    row: int
    id: str
    name: str
    baseline: bool = False
    description: str = ""
    scores: Mapping[str, int] = field(default_factory=dict)  # criterion id -> 1–5 (judgement criteria)
    reasons: Mapping[str, str] = field(default_factory=dict)
    flows: Mapping[str, Mapping[int, float]] = field(default_factory=dict)  # kind -> year -> £
    entered: frozenset = frozenset()  # (kind, year) pairs with a figure typed (£0 included)
    risks: tuple[OptionRisk, ...] = ()

    @property
    def label(self) -> str:
        return self.name or self.id or f"Option {self.row}"

    def costs(self, year: int) -> float:
        return sum(self.flows.get(k, {}).get(year, 0.0) for k in COSTS)

    def income(self, year: int) -> float:
        return sum(self.flows.get(k, {}).get(year, 0.0) for k in INCOME)

    def net_flows(self, horizon: int) -> list[float]:
        return [self.income(t) - self.costs(t) for t in range(horizon + 1)]

    @property
    def highest_residual(self) -> int | None:
        scores = [r.residual_score for r in self.risks if r.residual_score is not None]
        return max(scores) if scores else None


@dataclass(frozen=True)
class OptionResult:
    option: Option
    scores: Mapping[str, int | None]  # every criterion, the risk one worked out
    weighted: float | None
    npv: float
    net_cost: float
    total_costs: float
    total_income: float
    payback: int | None
    net_flows: tuple[float, ...]


@dataclass(frozen=True)
class Appraisal:
    organisation: str
    purpose: str
    horizon: int | None
    rate: float | None
    criteria: tuple[Criterion, ...]
    options: tuple[Option, ...]
    recommendation: str
    rationale: str
    sensitivity_note: str
    decision_sought: str
    problems: tuple[Problem, ...] = ()
    bands: RiskCriterionBands = DEFAULT_BANDS
    rag: RagThresholds = DEFAULT_RAG

    @property
    def weights_total(self) -> float:
        return sum(c.weight or 0.0 for c in self.criteria)

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)

    def score(self, option: Option, criterion: Criterion) -> int | None:
        if criterion.scored_by == "risk":
            return self.bands.score(option.highest_residual)
        return option.scores.get(criterion.id)

    def results(self) -> tuple[OptionResult, ...]:
        return self._results

    @functools.cached_property
    def _results(self) -> tuple[OptionResult, ...]:
        horizon = self.horizon or 0
        out = []
        for o in self.options:
            scores = {c.id: self.score(o, c) for c in self.criteria}
            complete = self.criteria and all(s is not None for s in scores.values()) and all(
                c.weight is not None for c in self.criteria)
            weighted = (sum((c.weight or 0) * (scores[c.id] or 0) for c in self.criteria) / 100
                        if complete else None)
            flows = o.net_flows(horizon)
            costs = sum(o.costs(t) for t in range(horizon + 1))
            income = sum(o.income(t) for t in range(horizon + 1))
            out.append(OptionResult(o, scores, weighted, npv(self.rate or 0.0, flows), costs - income, costs,
                                    income, payback_year(flows), tuple(flows)))
        return tuple(out)

    @property
    def preferred(self) -> OptionResult | None:
        """The top weighted score (the first listed on a tie); None until every option has one."""
        res = self.results()
        if not res or any(r.weighted is None for r in res):
            return None
        return max(res, key=lambda r: (round(r.weighted or 0, 9), -r.option.row))

    @property
    def baseline(self) -> tuple[Option, ...]:
        return tuple(o for o in self.options if o.baseline)

    def problems_at(self, prefix: str) -> list[str]:
        return [p.message for p in self.problems if p.where == prefix or p.where.startswith(prefix + ":")]


def _text(entry: Mapping[str, Any], key: str) -> str:
    v = entry.get(key) if isinstance(entry, Mapping) else None
    return "" if v is None else str(v).strip()


def _blank(v: object) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def read_appraisal(artefact: Mapping[str, Any], figures: OptionsFigures | None = None) -> Appraisal:
    """Artefact dict -> :class:`Appraisal`. Never raises on learner input (see the module docstring)."""
    art = artefact if isinstance(artefact, Mapping) else {}
    problems: list[Problem] = []
    bands = figures.risk_criterion if figures else DEFAULT_BANDS
    rag = figures.rag.thresholds if figures else DEFAULT_RAG
    lo, hi = (figures.horizon_years.min, figures.horizon_years.max) if figures else (3, 5)

    horizon = None
    if not _blank(art.get("horizon_years")):
        try:
            h = parse_number(art.get("horizon_years"), what="The number of years", allow_percent=False)
            if h != int(h) or not lo <= h <= hi:
                problems.append(Problem("horizon_years", f"The appraisal looks {lo} to {hi} years ahead: give a "
                                                         f"whole number from {lo} to {hi} (it is {h:g})."))
            else:
                horizon = int(h)
        except ValueProblem as exc:
            problems.append(Problem("horizon_years", str(exc)))
    rate = None
    raw_rate = art.get("discount_rate")
    if _blank(raw_rate):
        rate = figures.discount_rate_percent.value if figures else 3.5
    else:
        try:
            rate = parse_number(raw_rate, what="The discount rate (%)")
            if not 0 <= rate <= 20:
                problems.append(Problem("discount_rate", f"A discount rate of {rate:g}% is outside 0–20%: the Green "
                                                         "Book's is 3.5%."))
                rate = None
        except ValueProblem as exc:
            problems.append(Problem("discount_rate", str(exc)))

    criteria: list[Criterion] = []
    raw_criteria = art.get("criteria") if isinstance(art.get("criteria"), list) else []
    for n, entry in enumerate(raw_criteria, start=1):
        cid = _text(entry, "id") or f"K{n}"
        name = _text(entry, "name")
        weight = None
        if not _blank(entry.get("weight") if isinstance(entry, Mapping) else None):
            try:
                weight = parse_number(entry.get("weight"), what=f"The weight of {name or 'criterion ' + str(n)}")
                if weight < 0:
                    problems.append(Problem(f"criterion:{cid}:weight", f"The weight of {name or cid} cannot be "
                                                                       "negative."))
                    weight = None
            except ValueProblem as exc:
                problems.append(Problem(f"criterion:{cid}:weight", str(exc)))
        scored_by = _text(entry, "scored_by") or "judgement"
        criteria.append(Criterion(cid, name, weight, scored_by if scored_by in SCORED_BY else "judgement"))

    options: list[Option] = []
    raw_options = art.get("options") if isinstance(art.get("options"), list) else []
    for n, entry in enumerate(raw_options, start=1):
        entry = entry if isinstance(entry, Mapping) else {}
        oid = _text(entry, "id") or f"O{n}"
        name = _text(entry, "name")
        label = name or f"Option {n}"
        scores: dict[str, int] = {}
        reasons: dict[str, str] = {}
        raw_scores = entry.get("scores") if isinstance(entry.get("scores"), Mapping) else {}
        for c in criteria:
            s = raw_scores.get(c.id) if isinstance(raw_scores.get(c.id), Mapping) else {}
            reasons[c.id] = _text(s, "why")
            if c.scored_by == "risk":
                continue
            try:
                v = read_scale(s.get("score"), f"{label}'s score on {c.label}")
            except ValueProblem as exc:
                problems.append(Problem(f"option:{oid}:score:{c.id}", str(exc)))
                v = None
            if v is not None:
                scores[c.id] = v
        flows: dict[str, dict[int, float]] = {k: {} for k in FLOW_KINDS}
        entered: set[tuple[str, int]] = set()
        raw_flows = entry.get("flows") if isinstance(entry.get("flows"), Mapping) else {}
        for kind in FLOW_KINDS:
            by_year = raw_flows.get(kind) if isinstance(raw_flows.get(kind), Mapping) else {}
            for year, value in by_year.items():
                if _blank(value):
                    continue
                try:
                    t = int(str(year))
                except ValueError:
                    continue
                what = f"{label}: {FLOW_LABELS[kind].lower()} in year {t}"
                try:
                    amount = parse_money(value, what=what)
                except ValueProblem as exc:
                    problems.append(Problem(f"option:{oid}:flows:{kind}:{t}", str(exc)))
                    continue
                if horizon is not None and t > horizon:
                    if amount:
                        problems.append(Problem(f"option:{oid}:flows:{kind}:{t}",
                                                f"{what} is beyond the {horizon}-year horizon: it is kept but not "
                                                "counted."))
                    continue
                flows[kind][t] = amount
                entered.add((kind, t))
        risks: list[OptionRisk] = []
        raw_risks = entry.get("risks") if isinstance(entry.get("risks"), list) else []
        for m, r in enumerate(raw_risks, start=1):
            r = r if isinstance(r, Mapping) else {}
            vals: dict[str, int | None] = {}
            for key, what in (("likelihood", "likelihood"), ("impact", "impact"),
                              ("residual_likelihood", "residual likelihood"), ("residual_impact", "residual impact")):
                try:
                    vals[key] = read_scale(r.get(key), f"{label}, risk {m}: the {what}")
                except ValueProblem as exc:
                    vals[key] = None
                    problems.append(Problem(f"option:{oid}:risk:{m}:{key}", str(exc)))
            risks.append(OptionRisk(m, _text(r, "description"), vals["likelihood"], vals["impact"],
                                    _text(r, "mitigation"), vals["residual_likelihood"], vals["residual_impact"]))
        options.append(Option(n, oid, name, bool(entry.get("baseline") is True), _text(entry, "description"),
                              scores, reasons, flows, frozenset(entered), tuple(risks)))

    return Appraisal(_text(art, "organisation"), _text(art, "purpose"), horizon, rate, tuple(criteria),
                     tuple(options), _text(art, "recommendation"), _text(art, "rationale"),
                     _text(art, "sensitivity_note"), _text(art, "decision_sought"), tuple(problems), bands, rag)


# -- sensitivity ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Threshold:
    weight: float  # the weight at which another option draws level
    takes_over: str  # that option's label


@dataclass(frozen=True)
class WeightSensitivity:
    criterion: Criterion
    weight: float
    lower: Threshold | None  # moving the weight down past this changes the preferred option
    upper: Threshold | None  # moving it up past this does

    def sentence(self, preferred: str) -> str:
        name = self.criterion.label
        parts = []
        if self.lower is not None:
            parts.append(f"{name} is weighted below {self.lower.weight:.1f} ({self.lower.takes_over} then comes first)")
        if self.upper is not None:
            parts.append(f"{name} is weighted above {self.upper.weight:.1f} ({self.upper.takes_over} then comes first)")
        if not parts:
            return f"The recommendation ({preferred}) holds whatever weight {name} is given, from 0 to 100."
        return f"The recommendation ({preferred}) holds unless " + " or ".join(parts) + "."


def sensitivity(appraisal: Appraisal) -> tuple[WeightSensitivity, ...]:
    """For each criterion: the weights, below and above its own, at which the preferred option stops being first.

    When one weight moves to w′, every other weight is scaled by (100 − w′) / (100 − w), so the total stays 100.
    An option's weighted score is then linear in w′: S(w′) = (w′·s_c + (100 − w′)·A) / 100, where A is the option's
    average score on the other criteria, weighted by their current weights. The preferred option p and another
    option o draw level where w′ = 100·(A_p − A_o) / ((A_p − A_o) − (s_pc − s_oc)). Empty until every option has a
    weighted score and the weights total 100; a criterion that holds all the weight (100) has no others to scale.
    """
    best = appraisal.preferred
    if best is None or abs(appraisal.weights_total - 100) > 1e-6:
        return ()
    out = []
    results = appraisal.results()
    for c in appraisal.criteria:
        w = c.weight or 0.0
        if w >= 100 - 1e-9:
            continue
        others = [k for k in appraisal.criteria if k.id != c.id]

        def split(r: OptionResult) -> tuple[float, float]:
            a = sum((k.weight or 0) * (r.scores[k.id] or 0) for k in others) / (100 - w)
            return float(r.scores[c.id] or 0), a

        sp, ap = split(best)
        lower: Threshold | None = None
        upper: Threshold | None = None
        for r in results:
            if r is best:
                continue
            so, ao = split(r)
            da, ds = ap - ao, sp - so
            if abs(da - ds) < 1e-12:
                continue  # parallel: the gap is the same at every weight
            x = 100 * da / (da - ds)
            if not 1e-9 < x < 100 - 1e-9:
                continue  # they draw level only at 0 or 100 (or outside 0–100): never overtaken
            # which side of x does o lead on? The gap p − o at w' is (w'·ds + (100 − w')·da)/100, with slope
            # (ds − da)/100: rising, o leads below x; falling, above it (this also places a tie at the current weight)
            if ds - da > 0 and x <= w + 1e-9 and (lower is None or x > lower.weight):
                lower = Threshold(min(x, w), r.option.label)
            elif ds - da < 0 and x >= w - 1e-9 and (upper is None or x < upper.weight):
                upper = Threshold(max(x, w), r.option.label)
        out.append(WeightSensitivity(c, w, lower, upper))
    return tuple(out)


def level_with_preferred(appraisal: Appraisal) -> tuple[OptionResult, ...]:
    """The options whose weighted score equals the preferred one's (the preferred one first): a tie."""
    best = appraisal.preferred
    if best is None:
        return ()
    level = tuple(r for r in appraisal.results() if r is not best and abs((r.weighted or 0) - (best.weighted or 0))
                  < 1e-9)
    return (best, *level) if level else ()


def sensitivity_sentences(appraisal: Appraisal) -> list[str]:
    best = appraisal.preferred
    if best is None:
        return []
    out = [s.sentence(best.option.label) for s in sensitivity(appraisal)]
    tie = level_with_preferred(appraisal)
    if tie and out:
        names = ", ".join(r.option.label for r in tie[:-1]) + " and " + tie[-1].option.label
        out.insert(0, f"{names} have the same weighted score ({best.weighted:.2f}): the weights alone do not decide "
                      "between them.")
    return out


def blank_criterion(cid: str, scored_by: str = "judgement") -> dict[str, Any]:
    return {"id": cid, "name": "", "weight": "", "scored_by": scored_by}


def blank_option(oid: str, baseline: bool = False) -> dict[str, Any]:
    return {"id": oid, "name": "", "baseline": baseline, "description": "", "scores": {},
            "flows": {k: {} for k in FLOW_KINDS}, "risks": []}


def blank_risk() -> dict[str, Any]:
    return {"description": "", "likelihood": None, "impact": None, "mitigation": "", "residual_likelihood": None,
            "residual_impact": None}
