"""Risk register (criterion 5.1.3: "identifies and mitigates risks in plans, using a risk register").

Score = likelihood (1–5) × impact (1–5), so 1–25, with RAG thresholds as a parameter: the pure scoring lives in
:mod:`npq_widgets.domain.risk_scoring`, shared with the options appraisal (a task never imports another task).

Reading is tolerant: :func:`read_register` never raises on a malformed risk; each unreadable field becomes a
:class:`RowProblem` that the checker and the view report next to the field, and the rest is kept.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Mapping

from ...domain.lifetime import ProjectLifetime
from ...domain.risk_scoring import (DEFAULT_RAG, IMPACT, LIKELIHOOD, RagThresholds, ScoredRisk,  # noqa: F401
                                    read_scale, risk_score, scale_label)
from ...domain.values import RowProblem, ValueProblem, parse_number, parse_uk_date
from ...contract import Artefact

SCHEMA_VERSION = 1


@dataclass
class RiskArtefact(Artefact):
    """A saved risk register: the project (title, start, end as typed) and one row per risk."""

    TASK = "risk-register"
    SCHEMA_VERSION = SCHEMA_VERSION

    project: dict = field(default_factory=dict)
    risks: list = field(default_factory=list)


CATEGORIES = ("staffing", "finance", "workload", "safeguarding", "data", "reputation", "pupils", "curriculum",
              "premises", "partners", "other")
RESPONSES = {
    "treat": "treat — act to reduce it",
    "tolerate": "tolerate — accept and monitor",
    "transfer": "transfer — pass it to another party (e.g. insurance, contract)",
    "terminate": "terminate — stop the activity that causes it",
}
STATUSES = ("open", "monitoring", "closed")
RISK_FIELDS = ("id", "description", "category", "cause", "effect", "likelihood", "impact", "response", "owner",
               "mitigations", "residual_likelihood", "residual_impact", "review_date", "status")


@dataclass(frozen=True)
class Risk(ScoredRisk):
    row: int
    id: str = ""
    description: str = ""
    category: str = ""
    cause: str = ""
    effect: str = ""
    likelihood: int | None = None
    impact: int | None = None
    response: str = ""
    owner: str = ""
    mitigations: tuple[str, ...] = ()
    residual_likelihood: int | None = None
    residual_impact: int | None = None
    review_date: dt.date | None = None
    status: str = "open"
    stated_score: int | None = None  # a score typed or imported alongside L and I, if any

    def rating(self, rag: RagThresholds = DEFAULT_RAG) -> str | None:
        return rag.rating(self.score)

    def residual_rating(self, rag: RagThresholds = DEFAULT_RAG) -> str | None:
        return rag.rating(self.residual_score)

    @property
    def label(self) -> str:
        return self.id or f"Risk {self.row}"


@dataclass(frozen=True)
class RiskRegister:
    risks: tuple[Risk, ...]
    problems: tuple[RowProblem, ...] = ()
    lifetime: ProjectLifetime | None = None
    lifetime_problem: str = ""
    rag: RagThresholds = DEFAULT_RAG

    def sorted_by_score(self, residual: bool = False) -> tuple[Risk, ...]:
        """Highest score first; ties keep register order; unscored risks last."""
        key = (lambda r: r.residual_score) if residual else (lambda r: r.score)
        return tuple(sorted(self.risks, key=lambda r: (-(key(r) or 0), r.row)))

    def heat_counts(self, residual: bool = False) -> dict[tuple[int, int], list[str]]:
        """(likelihood, impact) -> ids of the risks at that position."""
        out: dict[tuple[int, int], list[str]] = {}
        for r in self.risks:
            li = (r.residual_likelihood, r.residual_impact) if residual else (r.likelihood, r.impact)
            if li[0] and li[1]:
                out.setdefault((li[0], li[1]), []).append(r.label)
        return out

    def rating_counts(self, residual: bool = False) -> dict[str, int]:
        counts = {"red": 0, "amber": 0, "green": 0}
        for r in self.risks:
            rating = r.residual_rating(self.rag) if residual else r.rating(self.rag)
            if rating:
                counts[rating] += 1
        return counts


def _text(entry: Mapping[str, Any], key: str) -> str:
    value = entry.get(key)
    return "" if value is None else str(value).strip()


def read_mitigations(value: object) -> tuple[str, ...]:
    """A list of strings, or text with one mitigation per line (or separated by ';')."""
    if value is None:
        return ()
    items = value if isinstance(value, (list, tuple)) else str(value).replace(";", "\n").splitlines()
    return tuple(s for s in (str(i).strip().lstrip("-•").strip() for i in items) if s)


def read_lifetime(data: object) -> tuple[ProjectLifetime | None, str]:
    """A lifetime from {start, end[, terms]}; (None, message) when it is missing or wrong."""
    if not isinstance(data, Mapping) or not (data.get("start") or data.get("end")):
        return None, "The project's start and end dates are not given yet."
    try:
        return ProjectLifetime.from_dict(data), ""
    except ValueProblem as exc:
        return None, str(exc)


def read_register(artefact: Mapping[str, Any], *, rag: RagThresholds = DEFAULT_RAG,
                  lifetime: ProjectLifetime | None = None) -> RiskRegister:
    """Artefact dict -> :class:`RiskRegister`. Raises ValueProblem only when there is no list of risks at all."""
    raw = artefact.get("risks") if isinstance(artefact, Mapping) else None
    if raw is None:
        raw = []
    if not isinstance(raw, list):
        raise ValueProblem("The saved work has no list of risks.")
    lifetime_problem = ""
    if lifetime is None:
        project = artefact.get("project") if isinstance(artefact, Mapping) else None
        lifetime, lifetime_problem = read_lifetime(project)
    risks, problems = [], []
    for n, entry in enumerate(raw, start=1):
        if not isinstance(entry, Mapping):
            problems.append(RowProblem(n, "description", f"Risk {n} could not be read."))
            risks.append(Risk(n))
            continue
        scales: dict[str, int | None] = {}
        for key, label in (("likelihood", "likelihood"), ("impact", "impact"),
                           ("residual_likelihood", "residual likelihood"), ("residual_impact", "residual impact")):
            try:
                scales[key] = read_scale(entry.get(key), f"Risk {n}'s {label}")
            except ValueProblem as exc:
                scales[key] = None
                problems.append(RowProblem(n, key, str(exc)))
        review = None
        if _text(entry, "review_date"):
            try:
                review = parse_uk_date(entry.get("review_date"), what=f"Risk {n}'s review date")
            except ValueProblem as exc:
                problems.append(RowProblem(n, "review_date", str(exc)))
        stated = None
        if entry.get("score") not in (None, ""):
            try:
                stated = int(parse_number(entry.get("score"), what=f"Risk {n}'s score"))
            except ValueProblem as exc:
                problems.append(RowProblem(n, "score", str(exc)))
        risks.append(Risk(
            row=n, id=_text(entry, "id"), description=_text(entry, "description"),
            category=_text(entry, "category").lower(), cause=_text(entry, "cause"), effect=_text(entry, "effect"),
            likelihood=scales["likelihood"], impact=scales["impact"], response=_text(entry, "response").lower(),
            owner=_text(entry, "owner"), mitigations=read_mitigations(entry.get("mitigations")),
            residual_likelihood=scales["residual_likelihood"], residual_impact=scales["residual_impact"],
            review_date=review, status=_text(entry, "status").lower() or "open", stated_score=stated,
        ))
    return RiskRegister(tuple(risks), tuple(problems), lifetime, lifetime_problem, rag)


def blank_risk(risk_id: str = "") -> dict[str, Any]:
    row: dict[str, Any] = {k: "" for k in RISK_FIELDS}
    row.update(id=risk_id, likelihood=None, impact=None, residual_likelihood=None, residual_impact=None,
               mitigations=[], status="open")
    return row
