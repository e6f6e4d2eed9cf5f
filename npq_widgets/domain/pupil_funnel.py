"""Several schools' data: a funnel plot of each school's mean score against its size, with control limits around the
trust mean (NPQEL Task 2, "trust-wide data systems").

Method (normal approximation, stated in the app and in the saved aggregates): the trust mean m and the trust's
pupil-level standard deviation s are taken over every pupil of the trust in the data drop; for a school of n pupils
the limits are m ± z·s/√n with z = 1.96 (95%) and z = 3.09 (99.8%). A school outside the 99.8% limits differs from
the trust by more than chance would explain in all but about 1 in 500 schools; outside the 95% limits, 1 in 20 — with
12 schools, one outside the 95% limits is expected by chance alone. Each school's own interval is its mean ± 1.96·s/√n
(the same SD). The spread between schools is the standard deviation of the schools' means and the share of the
pupil-level variance that lies between schools (sum of squares between ÷ total); the spread within schools is the
pooled within-school standard deviation.

Privacy, as for every pupil table (:mod:`npq_widgets.domain.pupil_stats`): only a confirmed category column can be
the school column; a school with fewer pupils than the threshold (6) is not named and has no figures, and where
hiding it would let it be worked back from the trust's figures the next smallest school is hidden too
(:func:`~npq_widgets.domain.pupil_stats.hidden_groups`). The result holds aggregates of shown schools only.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import pandas as pd

from .pupil_stats import SUPPRESSION_THRESHOLD, hidden_groups

Z95 = 1.96
Z998 = 3.09
METHOD = ("Funnel limits by the normal approximation: trust mean ± z × trust SD ÷ √n, with the trust's pupil-level "
          "SD, z = 1.96 for the 95% limits and z = 3.09 for the 99.8% limits. Each school's interval is its mean "
          "± 1.96 × trust SD ÷ √n.")
POSITIONS = ("above the 99.8% limit", "above the 95% limit", "within the 95% limits", "below the 95% limit",
             "below the 99.8% limit")


def limits(mean: float, sd: float, n: float, z: float) -> tuple[float, float]:
    """mean ± z·sd/√n."""
    half = z * sd / math.sqrt(n)
    return mean - half, mean + half


def position(score: float, mean: float, sd: float, n: float, z95: float = Z95, z998: float = Z998) -> str:
    lo95, hi95 = limits(mean, sd, n, z95)
    lo998, hi998 = limits(mean, sd, n, z998)
    if score > hi998:
        return POSITIONS[0]
    if score > hi95:
        return POSITIONS[1]
    if score < lo998:
        return POSITIONS[4]
    if score < lo95:
        return POSITIONS[3]
    return POSITIONS[2]


def school_funnel(df: pd.DataFrame, measure: str, school: str, *, drop_column: str | None = None,
                  drop: str | None = None, threshold: int = SUPPRESSION_THRESHOLD,
                  confirmed: Sequence[str] | None = None, z95: float = Z95, z998: float = Z998) -> dict[str, Any]:
    """The funnel's aggregates for ``measure`` by ``school`` (in one data drop when given). ``confirmed``: the
    category columns the learner confirmed; a school column outside it is refused (ValueError)."""
    if confirmed is not None and school not in confirmed:
        raise ValueError("The school column has not been confirmed as a category column.")
    data = df
    if drop_column and drop is not None and drop_column in df.columns:
        data = data[data[drop_column] == drop]
    data = data[[school, measure]].dropna()
    stats = data.groupby(school, sort=True, observed=True)[measure].agg(["count", "mean", "std"])
    total_n = int(stats["count"].sum())
    if total_n < 2 or len(stats) < 2:
        raise ValueError("A funnel plot needs at least two schools with scores.")
    trust_mean = float(data[measure].mean())
    trust_sd = float(data[measure].std())
    counts = {str(k): int(v) for k, v in stats["count"].items()}
    hidden = hidden_groups(counts, threshold)
    ss_total = float(((data[measure] - trust_mean) ** 2).sum())
    ss_between = float((stats["count"] * (stats["mean"] - trust_mean) ** 2).sum())
    ss_within = ss_total - ss_between
    k = len(stats)
    within_sd = math.sqrt(ss_within / (total_n - k)) if total_n > k else None
    schools = []
    for name, row in stats.iterrows():
        if str(name) in hidden:
            continue
        n, m = int(row["count"]), float(row["mean"])
        lo, hi = limits(m, trust_sd, n, z95)
        l95, l998 = limits(trust_mean, trust_sd, n, z95), limits(trust_mean, trust_sd, n, z998)
        schools.append({"school": str(name), "n": n, "mean": m, "ci_low": lo, "ci_high": hi,
                        "limit95_low": l95[0], "limit95_high": l95[1], "limit998_low": l998[0],
                        "limit998_high": l998[1], "position": position(m, trust_mean, trust_sd, n, z95, z998)})
    shown_means = [s["mean"] for s in schools]
    between_sd = float(pd.Series(shown_means).std()) if len(shown_means) >= 2 else None
    return {
        "method": METHOD, "measure": measure, "school_column": school, "drop": drop, "threshold": threshold,
        "z95": z95, "z998": z998, "trust_n": total_n, "trust_mean": trust_mean, "trust_sd": trust_sd,
        "schools": schools, "smaller_schools_hidden": bool(hidden),
        "spread": {"between_sd": between_sd, "within_sd": within_sd,
                   "between_share": ss_between / ss_total if ss_total > 0 else None},
        "outside_95": [s["school"] for s in schools if s["position"] != POSITIONS[2]],
        "outside_998": [s["school"] for s in schools if s["position"] in (POSITIONS[0], POSITIONS[4])],
    }
