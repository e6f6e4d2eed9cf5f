"""Pupil performance data (criterion 2.1.3, "Implements and evaluates an evidence-based project that improves pupil
progress and/or attainment"; supporting document "Pupil performance data", seed 001): before/after evidence of the
project's effect, from summary figures the candidate enters (never pupil rows).

- **The change** in the project group: end mean − baseline mean, with a 95% interval. With the SD of each pupil's
  change (paired data) it is the paired t-interval ``change ± t(0.975, n−1) × SD_change / √n``; without it, the
  Welch interval treating baseline and end as two samples (wider than the paired one when scores are correlated —
  said in the app).
- **The effect size** against a comparison group, where there is one: Cohen's d on the end measure, (mean_project −
  mean_comparison) / pooled SD (n−1 weights), read as EEF months of additional progress. The months table is the PD
  impact task's: read from ``exercises/pd-impact/figures.yaml`` through the contract's figures reader, never by
  importing that task. The baseline d is shown too: groups that did not start level make the end comparison weaker.
- **What it can and cannot show**: cautions raised from the figures — no comparison group, a small group (fewer than
  ``small_n`` pupils, an editorial figure), regression to the mean when pupils were chosen for a low baseline, groups
  that did not start level.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Mapping

from ...contract import Artefact, task_figures
from ...domain.values import ValueProblem, parse_number

TASK_ID = "pupil-performance"
SCHEMA_VERSION = 1
GROUP_FIELDS = ("label", "n", "baseline_mean", "baseline_sd", "end_mean", "end_sd")


@dataclass
class PupilPerformanceArtefact(Artefact):
    """Saved work: the measure, the project group and the comparison group (summary figures, as typed), the SD of
    each pupil's change (optional), whether pupils were chosen for a low baseline, the candidate's own figures
    (answers) and their judgement of what the evidence can and cannot show."""

    TASK = TASK_ID
    SCHEMA_VERSION = SCHEMA_VERSION

    measure: str = ""
    project_group: dict = field(default_factory=dict)
    comparison: dict = field(default_factory=dict)
    sd_change: str = ""
    selected_low: bool = False
    answers: dict = field(default_factory=dict)
    limits: str = ""
    conclusion: str = ""


@dataclass(frozen=True)
class PupilPerformanceFigures:
    """exercises/pupil-performance/figures.yaml."""

    small_n: int
    imbalance_d: float
    answer_tolerance_d: float
    answer_tolerance_change: float
    min_words: int
    cautions: dict


@dataclass(frozen=True)
class MonthsTable:
    """The EEF months bands as the PD impact task's figures file gives them."""

    bands: tuple[tuple[int, Decimal, Decimal], ...]
    above_max: int
    source: str


def read_months(data: Mapping[str, Any]) -> MonthsTable:
    """Only the ``months`` table of pd-impact/figures.yaml (the rest of that file is the PD task's)."""
    months = data["months"]
    bands = tuple((int(b["months"]), Decimal(str(b["min"])), Decimal(str(b["max"]))) for b in months["bands"])
    return MonthsTable(bands, int(months["above_max_months"]), str(months["source"]))


def months_table() -> MonthsTable:
    return task_figures("pd-impact", read_months)


def round_half_up(value: float, places: int = 2) -> Decimal:
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def months_of_progress(d: float, table: MonthsTable) -> int:
    r = round_half_up(d)
    a = abs(r)
    months = table.above_max if a > table.bands[-1][2] else next(m for m, lo, hi in table.bands if lo <= a <= hi)
    return -months if r < 0 else months


# -- reading the figures typed ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Group:
    label: str
    n: int
    baseline_mean: float
    baseline_sd: float
    end_mean: float
    end_sd: float


def _blank(group: Mapping[str, Any]) -> bool:
    return not any(str(group.get(k) or "").strip() for k in GROUP_FIELDS[1:])


def read_group(raw: Any, what: str) -> Group | None:
    """A group's summary figures; None when all are blank; ValueProblem (plain) when one cannot be read."""
    g = raw if isinstance(raw, Mapping) else {}
    if _blank(g):
        return None
    vals = {}
    for key, label in (("n", "number of pupils"), ("baseline_mean", "baseline mean"), ("baseline_sd", "baseline SD"),
                       ("end_mean", "end mean"), ("end_sd", "end SD")):
        vals[key] = parse_number(g.get(key), what=f"The {what}'s {label}", allow_percent=False)
    n = vals["n"]
    if n != int(n) or n < 2:
        raise ValueProblem(f"The {what}'s number of pupils must be a whole number, at least 2.")
    if vals["baseline_sd"] < 0 or vals["end_sd"] < 0:
        raise ValueProblem(f"The {what}'s standard deviations cannot be negative.")
    return Group(str(g.get("label") or what), int(n), vals["baseline_mean"], vals["baseline_sd"], vals["end_mean"],
                 vals["end_sd"])


@dataclass(frozen=True)
class Evidence:
    project: Group
    comparison: Group | None
    change: float
    change_low: float
    change_high: float
    paired: bool
    d: float | None              # end-of-project effect size against the comparison group
    d_baseline: float | None
    months: int | None
    comparison_change: float | None
    cautions: tuple[str, ...]


def pooled_sd(sd1: float, n1: int, sd2: float, n2: int) -> float:
    return math.sqrt(((n1 - 1) * sd1 ** 2 + (n2 - 1) * sd2 ** 2) / (n1 + n2 - 2))


def cohens_d(m1: float, sd1: float, n1: int, m2: float, sd2: float, n2: int) -> float:
    s = pooled_sd(sd1, n1, sd2, n2)
    if s == 0:
        raise ValueProblem("Both standard deviations are 0: the effect size cannot be worked out.")
    return (m1 - m2) / s


def change_interval(g: Group, sd_change: float | None) -> tuple[float, float, float, bool]:
    """(change, low, high, paired)."""
    from ...domain.tdist import t_ppf

    change = g.end_mean - g.baseline_mean
    if sd_change is not None:
        half = float(t_ppf(0.975, g.n - 1)) * sd_change / math.sqrt(g.n)
        return change, change - half, change + half, True
    v1, v2 = g.end_sd ** 2 / g.n, g.baseline_sd ** 2 / g.n
    se = math.sqrt(v1 + v2)
    if se == 0:
        return change, change, change, False
    df = (v1 + v2) ** 2 / (v1 ** 2 / (g.n - 1) + v2 ** 2 / (g.n - 1))
    half = float(t_ppf(0.975, df)) * se
    return change, change - half, change + half, False


def evaluate(artefact: Mapping[str, Any], figures: PupilPerformanceFigures) -> Evidence | None:
    """The evidence from the figures typed; None if the project group is blank; ValueProblem if unreadable."""
    art = artefact if isinstance(artefact, Mapping) else {}
    project = read_group(art.get("project_group"), "project group")
    if project is None:
        return None
    comparison = read_group(art.get("comparison"), "comparison group")
    sd_text = str(art.get("sd_change") or "").strip()
    sd_change = parse_number(sd_text, what="The SD of the pupils' changes", allow_percent=False) if sd_text else None
    if sd_change is not None and sd_change < 0:
        raise ValueProblem("The SD of the pupils' changes cannot be negative.")
    change, low, high, paired = change_interval(project, sd_change)
    d = d0 = months = cchange = None
    if comparison is not None:
        d = cohens_d(project.end_mean, project.end_sd, project.n, comparison.end_mean, comparison.end_sd,
                     comparison.n)
        d0 = cohens_d(project.baseline_mean, project.baseline_sd, project.n, comparison.baseline_mean,
                      comparison.baseline_sd, comparison.n)
        months = months_of_progress(d, months_table())
        cchange = comparison.end_mean - comparison.baseline_mean
    c = figures.cautions
    cautions = []
    if comparison is None:
        cautions.append(c["no_comparison"])
    if project.n < figures.small_n or (comparison is not None and comparison.n < figures.small_n):
        cautions.append(c["small_n"].format(n=figures.small_n))
    if art.get("selected_low") is True:
        cautions.append(c["regression"])
    if d0 is not None and abs(d0) > figures.imbalance_d:
        cautions.append(c["imbalance"].format(d=f"{d0:.2f}"))
    return Evidence(project, comparison, change, low, high, paired, d, d0, months, cchange, tuple(cautions))


__all__ = ["PupilPerformanceArtefact", "PupilPerformanceFigures", "Group", "Evidence", "evaluate", "read_group",
           "cohens_d", "pooled_sd", "change_interval", "months_of_progress", "months_table", "GROUP_FIELDS",
           "MonthsTable", "read_months", "round_half_up"]
