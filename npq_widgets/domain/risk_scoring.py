"""Risk scoring shared by every task that scores risks (the risk register, the options appraisal).

Score = likelihood (1–5) × impact (1–5), so 1–25. RAG thresholds are a parameter (:class:`RagThresholds`): there is
no national scheme; the default is a common one — green 1–4, amber 5–12, red 15–25 (13 and 14 cannot occur, so red is
"above 12"). See ../shared/domain-notes.md. Pure: no widgets, no files.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from .values import ValueProblem, parse_number

LIKELIHOOD = {1: "rare", 2: "unlikely", 3: "possible", 4: "likely", 5: "almost certain"}
IMPACT = {1: "negligible", 2: "minor", 3: "moderate", 4: "major", 5: "severe"}


def scale_label(value: int, scale: Mapping[int, str]) -> str:
    """4 -> '4 — likely'."""
    return f"{value} — {scale[value]}"


def risk_score(likelihood: int | None, impact: int | None) -> int | None:
    """Likelihood × impact (1–25); None until both are given."""
    return likelihood * impact if likelihood and impact else None


class ScoredRisk:
    """For a risk that has ``likelihood`` and ``impact`` and their ``residual_`` values after mitigation (a risk
    register's row, an option's risk): its score before and after mitigation."""

    likelihood: int | None
    impact: int | None
    residual_likelihood: int | None
    residual_impact: int | None

    @property
    def score(self) -> int | None:
        return risk_score(self.likelihood, self.impact)

    @property
    def residual_score(self) -> int | None:
        return risk_score(self.residual_likelihood, self.residual_impact)


@dataclass(frozen=True)
class RagThresholds:
    """Score → RAG. Green up to ``green_max``, amber up to ``amber_max``, red above. Default 4 / 12 (common use)."""

    green_max: int = 4
    amber_max: int = 12
    source: str = ("A common convention in school and public-sector risk registers (no national thresholds "
                   "exist): green 1–4, amber 5–12, red 15–25.")

    def __post_init__(self) -> None:
        if not 1 <= self.green_max < self.amber_max < 25:
            raise ValueProblem("RAG thresholds must satisfy 1 ≤ green maximum < amber maximum < 25.")

    def rating(self, score: int | None) -> str | None:
        if score is None:
            return None
        if score <= self.green_max:
            return "green"
        if score <= self.amber_max:
            return "amber"
        return "red"


DEFAULT_RAG = RagThresholds()


def read_scale(value: object, what: str) -> int | None:
    """1–5 from 4, '4', '4 — likely'; None when blank; ValueProblem otherwise."""
    if value in (None, "", 0, "0"):
        return None
    if isinstance(value, str):
        value = value.strip().split(" ")[0].split("—")[0].strip()
    number = parse_number(value, what=what, allow_percent=False)
    if number != int(number) or not 1 <= number <= 5:
        raise ValueProblem(f"{what} must be a whole number from 1 to 5 (it is {number:g}).")
    return int(number)
