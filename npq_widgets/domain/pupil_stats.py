"""Pupil data statistics (content area 1: data, confidence intervals, significance, sampling, correlation).

The statistical choices, fixed and tested (tests/test_data_analysis.py):

- SD with ddof=1 (the sample standard deviation).
- A group's 95% interval: for Progress 8 (P8) scores, the DfE method mean ± 1.96 × national pupil-level SD / √n, the
  national SD being a versioned figure with its source (catalogue/data/progress8.yaml); for every other measure a
  t-interval mean ± t(0.975, n−1) × SD / √n.
- Gaps between two groups: difference of means with Welch's interval and Welch's t-test (unequal variances).
- Effect size: Cohen's d = gap / pooled SD, the pooled SD weighted by n−1.
- Significance is judged on the unrounded limits; tables show them to 2 dp.
- Groups with fewer pupils than a threshold (default 6) are suppressed: no mean, SD or interval is shown or saved,
  and not their names either: a drop's hidden groups become one row, :data:`SMALL_GROUPS`.

Pure: pandas in, dataclasses out; the t distribution comes from ``domain/tdist.py`` (``scipy.special``, imported
when a statistic is first needed: import time and kernel memory are benchmarked).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from ..catalogue.progress8 import NationalSD, progress8
from .tdist import t_ppf, t_two_sided_p

SUPPRESSION_THRESHOLD = 6
Z95 = 1.96


# National pupil-level SD of Progress 8 scores (DfE), each year with its source, and the band edges: versioned data
# in npq_widgets/catalogue/data/progress8.yaml, not constants here.
def p8_national_sd(year: int | None = None) -> NationalSD:
    figures = progress8()
    try:
        year = figures.default_year if year is None else int(year)
    except (TypeError, ValueError, OverflowError):
        year = -1
    for entry in figures.national_sd:
        if entry.year == year:
            return entry
    years = ", ".join(str(y) for y in figures.years)
    raise ValueError(f"There is no national Progress 8 SD for that year; years available: {years}.")


def p8_years() -> tuple[int, ...]:
    return progress8().years


# -- intervals, significance, bands ----------------------------------------------------------------------------
def p8_interval(mean: float, n: int, sd: float | None = None) -> tuple[float, float]:
    """DfE-style 95% interval of a P8 score: mean ± 1.96 × national SD / √n (unrounded)."""
    sd = p8_national_sd().sd if sd is None else sd
    half = Z95 * sd / math.sqrt(n)
    return mean - half, mean + half


def t_interval(mean: float, sd: float, n: int) -> tuple[float, float]:
    """95% t-interval of a mean (SD with ddof=1); needs n ≥ 2."""
    if n < 2 or not np.isfinite(sd):
        return float("nan"), float("nan")
    half = float(t_ppf(0.975, n - 1)) * sd / math.sqrt(n)
    return mean - half, mean + half


ABOVE, BELOW, NOT_DIFFERENT = "above", "below", "not significantly different"


def significance(low: float, high: float, reference: float = 0.0) -> str:
    """'above' if the lower limit is above the reference, 'below' if the upper limit is below it (unrounded)."""
    if low > reference:
        return ABOVE
    if high < reference:
        return BELOW
    return NOT_DIFFERENT


def p8_band(score: float, low: float, high: float) -> str:
    """Performance-table bands for a P8 score and its interval (FFT Education Datalab's account): the ±0.50 edges
    belong to the "well" bands and come from the versioned data (catalogue/data/progress8.yaml)."""
    figures = progress8()
    if low > 0:
        return "Well above average" if score >= figures.well_above_from else "Above average"
    if high < 0:
        return "Well below average" if score <= figures.well_below_to else "Below average"
    return "Average"


# -- group summaries --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class GroupSummary:
    group: str
    drop: str
    n: int
    mean: float | None
    sd: float | None
    ci_low: float | None
    ci_high: float | None
    suppressed: bool = False
    significance: str | None = None
    band: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        if self.suppressed:  # nothing about a small group is kept, not even its exact size
            d.update(n=None, mean=None, sd=None, ci_low=None, ci_high=None, significance=None, band=None)
        return {k: _plain(v) for k, v in d.items()}


ALL = "All pupils"
SMALL_GROUPS = "Smaller groups (not shown)"  # the one row that stands for a drop's hidden groups: never their names


def summarise(df: pd.DataFrame, measure: str, by: str | None = None, drop: str | None = None,
              drops: Sequence[str] | None = None, *, method: str = "t", national_sd: float | None = None,
              reference: float | None = None, threshold: int = SUPPRESSION_THRESHOLD) -> list[GroupSummary]:
    """n, mean, SD and 95% interval of ``measure`` per group of ``by`` (or all pupils) and per data drop.

    ``method`` is ``"p8"`` (DfE interval with the national SD) or ``"t"``. Blank scores are left out.
    Groups smaller than ``threshold`` come back with ``suppressed=True``."""
    keys = [k for k in (by, drop) if k]
    data = df[keys + [measure]]
    if drop and drops is not None:
        data = data[data[drop].isin(list(drops))]
    data = data.dropna(subset=[measure])
    if keys:
        stats = data.groupby(keys, sort=False, observed=True)[measure].agg(["count", "mean", "std"])
    else:
        s = data[measure]
        stats = pd.DataFrame({"count": [s.count()], "mean": [s.mean()], "std": [s.std()]})
    return _summaries(stats, keys, by, drop, drops, method, national_sd, reference, threshold)


def hidden_groups(counts: Mapping[str, int], threshold: int = SUPPRESSION_THRESHOLD) -> set[str]:
    """Groups whose figures must not be shown: those under the threshold (primary suppression) and, when that
    leaves a single hidden group or fewer than ``threshold`` hidden pupils, the next smallest groups too
    (secondary suppression) — otherwise a hidden group's figures could be worked back from the total or from
    "everyone else" minus the groups shown."""
    hidden = {g for g, n in counts.items() if n < threshold}
    if not hidden:
        return hidden
    rest = sorted((n, g) for g, n in counts.items() if g not in hidden)
    while rest and (len(hidden) < 2 or sum(counts[g] for g in hidden) < threshold):
        hidden.add(rest.pop(0)[1])
    return hidden


def _summaries(stats: pd.DataFrame, keys, by, drop, drops, method, national_sd, reference,
               threshold) -> list[GroupSummary]:
    n = stats["count"].to_numpy(dtype=float)
    mean = stats["mean"].to_numpy(dtype=float)
    sd = stats["std"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "p8":
            half = Z95 * (national_sd or p8_national_sd().sd) / np.sqrt(n)
        else:
            half = t_ppf(0.975, np.maximum(n - 1, 1)) * sd / np.sqrt(n)
            half = np.where(n >= 2, half, np.nan)
    idx = list(stats.index) if keys else [()]
    ref = 0.0 if (reference is None and method == "p8") else reference
    labels = []
    for key in idx:
        vals = dict(zip(keys, key if isinstance(key, tuple) else (key,)))
        labels.append((str(vals[by]) if by else ALL, str(vals[drop]) if drop else ""))
    hidden: set[tuple[str, str]] = set()
    if by:  # suppression is decided within each data drop
        for d in {d for _, d in labels}:
            counts = {g: int(n[i]) for i, (g, dd) in enumerate(labels) if dd == d}
            hidden |= {(g, d) for g in hidden_groups(counts, threshold)}
    out = []
    hidden_in: dict[str, int] = {}
    for i, (g, d) in enumerate(labels):
        count = int(n[i])
        if count < threshold or (g, d) in hidden:
            if by:  # a hidden group is not named: the drop gets one "smaller groups" row
                hidden_in[d] = hidden_in.get(d, 0) + 1
            else:
                out.append(GroupSummary(g, d, count, None, None, None, None, True))
            continue
        lo, hi = mean[i] - half[i], mean[i] + half[i]
        sig = significance(lo, hi, ref) if ref is not None and np.isfinite(lo) else None
        band = p8_band(mean[i], lo, hi) if method == "p8" else None
        out.append(GroupSummary(g, d, count, float(mean[i]), float(sd[i]), float(lo), float(hi), False, sig, band))
    order = {v: k for k, v in enumerate(drops)} if drops is not None else {}
    out.sort(key=lambda s: (_group_key(s.group), order.get(s.drop, len(order))))
    for d in sorted(hidden_in, key=lambda d: (order.get(d, len(order)), d)):
        out.append(GroupSummary(SMALL_GROUPS, d, 0, None, None, None, None, True))
    return out


def _group_key(g: str):
    try:
        return (0, float(g), "")
    except ValueError:
        return (1, 0.0, g)


# -- gaps -------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Gap:
    """Group mean minus comparison mean, with Welch's 95% interval and test, and Cohen's d (pooled SD, n−1)."""

    group: str
    other: str
    n: int
    mean: float
    sd: float
    other_n: int
    other_mean: float
    other_sd: float
    gap: float
    ci_low: float
    ci_high: float
    t: float
    df: float
    p: float
    cohens_d: float

    @property
    def significant(self) -> bool:
        return self.ci_low > 0 or self.ci_high < 0

    def to_dict(self) -> dict[str, Any]:
        d = {k: _plain(v) for k, v in asdict(self).items()}
        d["significant"] = self.significant
        return d


def cohens_d(n1: int, m1: float, s1: float, n2: int, m2: float, s2: float) -> float:
    pooled = math.sqrt(((n1 - 1) * s1 ** 2 + (n2 - 1) * s2 ** 2) / (n1 + n2 - 2))
    return (m1 - m2) / pooled if pooled > 0 else float("nan")


def gap_from_stats(n1: int, m1: float, s1: float, n2: int, m2: float, s2: float, *, group: str = "group",
                   other: str = "others") -> Gap:
    """Welch's interval and test from summary statistics (SDs with ddof=1): the test is
    ``scipy.stats.ttest_ind_from_stats(equal_var=False)`` (worked out here, with ``scipy.special``'s t
    distribution); the interval uses its Welch–Satterthwaite df."""
    v1, v2 = s1 ** 2 / n1, s2 ** 2 / n2
    se = math.sqrt(v1 + v2)
    diff = m1 - m2
    if se > 0:
        df = (v1 + v2) ** 2 / (v1 ** 2 / (n1 - 1) + v2 ** 2 / (n2 - 1))
        half = float(t_ppf(0.975, df)) * se
        t = diff / se
        p = t_two_sided_p(t, df)
    else:
        df, half, t, p = float("nan"), 0.0, float("nan"), float("nan")
    return Gap(group, other, int(n1), float(m1), float(s1), int(n2), float(m2), float(s2), float(diff),
               float(diff - half), float(diff + half), float(t), float(df), p, cohens_d(n1, m1, s1, n2, m2, s2))


def gap_between(a: Iterable[float], b: Iterable[float], *, group: str = "group", other: str = "others") -> Gap:
    a = pd.Series(list(a), dtype=float).dropna()
    b = pd.Series(list(b), dtype=float).dropna()
    return gap_from_stats(len(a), a.mean(), a.std(ddof=1), len(b), b.mean(), b.std(ddof=1), group=group,
                          other=other)


def _combine(parts: Sequence[tuple[float, float, float]]) -> tuple[int, float, float]:
    """(n, mean, sd) of the union of groups given as (n, mean, sd) each — exact, no pupil rows needed."""
    n = sum(p[0] for p in parts)
    if n == 0:
        return 0, float("nan"), float("nan")
    mean = sum(p[0] * p[1] for p in parts) / n
    ss = sum((p[0] - 1) * (p[2] if p[0] > 1 else 0.0) ** 2 + p[0] * (p[1] - mean) ** 2 for p in parts)
    return int(n), mean, math.sqrt(ss / (n - 1)) if n > 1 else float("nan")


def gaps_to_rest(df: pd.DataFrame, measure: str, by: str, *, drop: str | None = None, drop_value: str | None = None,
                 threshold: int = SUPPRESSION_THRESHOLD) -> list[Gap]:
    """Each group of ``by`` against all other pupils (in one drop), for groups and rests of ≥ threshold pupils."""
    data = df if not drop else df[df[drop] == drop_value]
    data = data[[by, measure]].dropna()
    stats = data.groupby(by, sort=False, observed=True)[measure].agg(["count", "mean", "std"])
    rows = [(str(k), int(r["count"]), float(r["mean"]), float(r["std"]) if r["count"] > 1 else 0.0)
            for k, r in stats.iterrows()]
    hidden = hidden_groups({g: n for g, n, _, _ in rows}, threshold)
    out = []
    for g, n, m, s in rows:
        rest = [(n2, m2, s2) for g2, n2, m2, s2 in rows if g2 != g]
        rn, rm, rs = _combine(rest)
        if n < threshold or rn < threshold or g in hidden:
            continue
        out.append(gap_from_stats(n, m, s, rn, rm, rs, group=g, other=f"not {g}"))
    out.sort(key=lambda x: _group_key(x.group))
    return out


# -- correlation, sampling -------------------------------------------------------------------------------
CORRELATION_CAVEAT = ("Correlation is not causation: two measures can move together because something else (such "
                      "as disadvantage, prior attainment or illness) affects both, or because the link runs the "
                      "other way.")


@dataclass(frozen=True)
class Correlation:
    x: str
    y: str
    n: int
    r: float
    p: float
    caveat: str = CORRELATION_CAVEAT

    @property
    def significant(self) -> bool:
        return self.p < 0.05

    def to_dict(self) -> dict[str, Any]:
        return {"x": self.x, "y": self.y, "n": self.n, "r": _plain(self.r), "p": _plain(self.p)}


def correlation(df: pd.DataFrame, x: str, y: str) -> Correlation:
    """Pearson's r between two measures (pupils with both), with its p-value (as ``scipy.stats.pearsonr``: the
    t test of r with n − 2 degrees of freedom)."""
    data = df[[x, y]].dropna()
    if len(data) < 3 or data[x].nunique() < 2 or data[y].nunique() < 2:
        return Correlation(x, y, len(data), float("nan"), float("nan"))
    xs = data[x].to_numpy(dtype=float)
    ys = data[y].to_numpy(dtype=float)
    dx, dy = xs - xs.mean(), ys - ys.mean()
    r = float(np.dot(dx / np.linalg.norm(dx), dy / np.linalg.norm(dy)))
    r = max(-1.0, min(1.0, r))
    n = len(data)
    p = 0.0 if abs(r) == 1.0 else t_two_sided_p(r * math.sqrt((n - 2) / (1 - r * r)), n - 2)
    return Correlation(x, y, n, r, p)


@dataclass(frozen=True)
class SampleRow:
    size: int
    mean: float
    ci_low: float
    ci_high: float

    @property
    def width(self) -> float:
        return self.ci_high - self.ci_low


def sampling_demo(values: Iterable[float], sizes: Sequence[int] = (5, 10, 20, 40, 80, 160), *, seed: int = 1,
                  method: str = "t", national_sd: float | None = None) -> list[SampleRow]:
    """Draw one random sample of each size (seeded: the same every time) and give its 95% interval.
    Smaller samples give wider intervals: the point of the demonstration."""
    vals = pd.Series(list(values), dtype=float).dropna().to_numpy()
    rng = np.random.default_rng(seed)
    out = []
    for size in sizes:
        if size > len(vals) or size < 2:
            continue
        sample = rng.choice(vals, size=size, replace=False)
        m, s = float(sample.mean()), float(sample.std(ddof=1))
        lo, hi = p8_interval(m, size, national_sd) if method == "p8" else t_interval(m, s, size)
        out.append(SampleRow(size, m, lo, hi))
    return out


def _plain(v: Any) -> Any:
    if isinstance(v, (np.floating, float)):
        v = float(v)
        return None if not math.isfinite(v) else v
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.bool_):
        return bool(v)
    return v
