"""One analysis of a pupil table for a selection (measure, grouping, drops): the aggregates that may be saved.

:func:`analyse` turns a validated, pseudonymised table into a JSON-ready dict of aggregates only — never pupil rows,
and nothing for groups below the suppression threshold. The checker, the charts, the exports and the command line all
read this dict, so every number the candidate sees comes from one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Mapping, Sequence

import pandas as pd

from .pupil_data import PupilTable, normalise, order_drops
from .pupil_stats import (ALL, SUPPRESSION_THRESHOLD, correlation, gaps_to_rest, p8_national_sd, sampling_demo,
                          summarise)

P8, T = "p8", "t"
AGGREGATES_VERSION = 1


def default_method(measure: str) -> str:
    """Progress 8 measures get the DfE interval; anything else a t-interval."""
    n = normalise(measure)
    return P8 if ("p8" in n.replace(" ", "") or "progress 8" in n) else T


@dataclass(frozen=True)
class Selection:
    measure: str
    by: str | None = None
    drops: tuple[str, ...] = ()          # chosen drops in time order; () = every drop
    method: str = ""                    # "p8" | "t"; "" = from the measure's name
    reference: float | None = None      # the comparison value (0 for P8; e.g. 100 for KS2 scaled scores)
    national_sd_year: int | None = None
    correlate_with: str | None = None
    priority_groupings: tuple[str, ...] = ()
    drop_column: str = "drop"
    labels: Mapping[str, str] = field(default_factory=dict)

    @property
    def resolved_method(self) -> str:
        return self.method or default_method(self.measure)

    def to_dict(self) -> dict[str, Any]:
        return {"measure": self.measure, "by": self.by, "drops": list(self.drops), "method": self.resolved_method,
                "reference": self.reference, "national_sd_year": self.national_sd_year,
                "correlate_with": self.correlate_with, "priority_groupings": list(self.priority_groupings)}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Selection":
        ref = d.get("reference")
        return cls(measure=str(d["measure"]), by=d.get("by") or None, drops=tuple(str(x) for x in d.get("drops") or ()),
                   method=str(d.get("method") or ""), reference=None if ref in (None, "") else float(ref),
                   national_sd_year=d.get("national_sd_year"), correlate_with=d.get("correlate_with") or None,
                   priority_groupings=tuple(d.get("priority_groupings") or ()))


def analyse(table: PupilTable | pd.DataFrame, sel: Selection, *, threshold: int = SUPPRESSION_THRESHOLD,
            sampling: bool = True) -> dict[str, Any]:
    """The aggregates for ``sel``: summaries by group and drop, the cohort per drop with its significance, each
    group's gap to the rest in the latest drop (Welch, Cohen's d), a correlation and a sampling demonstration."""
    df = table.df if isinstance(table, PupilTable) else table
    labels = dict(table.headings) if isinstance(table, PupilTable) else {}
    labels.update(sel.labels)
    if isinstance(table, PupilTable):  # group names come only from columns confirmed as categories
        from .pupil_data import DataProblem

        if sel.by and sel.by not in table.groupings:
            raise DataProblem([f"'{table.label(sel.by)}' is not a column confirmed for comparing groups."])
        sel = replace(sel, priority_groupings=tuple(g for g in sel.priority_groupings if g in table.groupings))
    drop_col = sel.drop_column if sel.drop_column in df.columns else None
    all_drops = (tuple(table.drops) if isinstance(table, PupilTable) and drop_col == "drop" and table.drops
                 else tuple(order_drops(df[drop_col].dropna().unique())) if drop_col else ())
    drops = tuple(d for d in all_drops if d in sel.drops) if sel.drops else all_drops
    if drop_col and not drops:
        drops = all_drops
    latest = drops[-1] if drops else None
    method = sel.resolved_method
    sd_entry = p8_national_sd(sel.national_sd_year) if method == P8 else None
    nsd = sd_entry.sd if sd_entry else None
    reference = 0.0 if method == P8 and sel.reference is None else sel.reference
    kw = dict(method=method, national_sd=nsd, reference=reference, threshold=threshold)
    groups = summarise(df, sel.measure, sel.by, drop_col, drops or None, **kw) if sel.by else []
    cohort = summarise(df, sel.measure, None, drop_col, drops or None, **kw)
    latest_df = df[df[drop_col] == latest] if drop_col else df
    groupings = list(dict.fromkeys([g for g in ((sel.by,) + tuple(sel.priority_groupings)) if g]))
    gaps = []
    for g in groupings:
        if g not in df.columns:
            continue
        for gap in gaps_to_rest(latest_df, sel.measure, g, threshold=threshold):
            gaps.append({"grouping": g, **gap.to_dict()})
    corr = None
    if sel.correlate_with and sel.correlate_with in df.columns and sel.correlate_with != sel.measure:
        c = correlation(latest_df, sel.correlate_with, sel.measure)
        corr = {**c.to_dict(), "caveat": c.caveat}
    sample_rows = []
    if sampling:
        for row in sampling_demo(latest_df[sel.measure], method=method, national_sd=nsd):
            sample_rows.append({"size": row.size, "mean": row.mean, "ci_low": row.ci_low, "ci_high": row.ci_high})
    return {
        "version": AGGREGATES_VERSION,
        "threshold": threshold,
        "measure": sel.measure,
        "measure_label": labels.get(sel.measure, sel.measure),
        "by": sel.by,
        "by_label": labels.get(sel.by, sel.by) if sel.by else None,
        "method": method,
        "national_sd": ({"year": sd_entry.year, "sd": sd_entry.sd, "source": sd_entry.source} if sd_entry else None),
        "reference": reference,
        "drops": list(drops),
        "latest_drop": latest,
        "groups": [s.to_dict() for s in groups],
        "cohort": [s.to_dict() for s in cohort],
        "gaps": gaps,
        "correlation": corr,
        "correlate_label": labels.get(sel.correlate_with, sel.correlate_with) if sel.correlate_with else None,
        "sampling": sample_rows,
        "labels": {g: labels.get(g, g) for g in groupings},
    }


def gap_rows(aggregates: Mapping[str, Any], grouping: str | None = None) -> list[Mapping[str, Any]]:
    grouping = grouping or aggregates.get("by")
    return [g for g in aggregates.get("gaps") or () if g.get("grouping") == grouping]


def latest_cohort(aggregates: Mapping[str, Any]) -> Mapping[str, Any] | None:
    rows = aggregates.get("cohort") or []
    latest = aggregates.get("latest_drop")
    for r in rows:
        if (r.get("drop") or None) == latest or not latest:
            return r
    return rows[-1] if rows else None


def group_options(aggregates: Mapping[str, Any], groupings: Sequence[str] | None = None) -> list[tuple[str, str]]:
    """(label, 'grouping=value') for each group with a gap to the rest (the priority-group choices)."""
    labels = aggregates.get("labels") or {}
    out = []
    for g in aggregates.get("gaps") or ():
        if groupings is None or g["grouping"] in groupings:
            out.append((f"{labels.get(g['grouping'], g['grouping'])}: {g['group']}", f"{g['grouping']}={g['group']}"))
    return out


__all__ = ["ALL", "P8", "T", "Selection", "analyse", "default_method", "gap_rows", "group_options", "latest_cohort"]


def plain_report(table: PupilTable, measure: str, by: str, drop: str | None = None, *, method: str = "",
                 threshold: int = SUPPRESSION_THRESHOLD, national_sd_year: int | None = None) -> dict[str, Any]:
    """What ``npq-workbook analyse`` prints: names as given (headings in the file or standard names), plain keys.
    Naming a column with ``by`` confirms it as a column of categories (its labels are checked like any other).

    ``groups``: one entry per group (and drop): group, drop, n, mean, sd, ci_low, ci_high, suppressed — hidden
    groups are one unnamed row per drop. ``gaps``: each group against all other pupils in the latest drop: group,
    n, mean, other_n, other_mean, gap, ci_low, ci_high, p (Welch), cohens_d, significant."""
    from .pupil_data import DataProblem, find_column

    if not 1 <= threshold <= 1000:
        raise DataProblem(["The threshold must be a whole number of pupils from 1 to 1000."])
    m = find_column(measure, table)
    b = find_column(by, table)
    d = find_column(drop, table) if drop else ("drop" if "drop" in table.df.columns else None)
    if m == b:
        raise DataProblem([f"--by and --measure are the same column ('{table.label(m)}'): give --by a column of "
                           "groups (such as Disadvantaged) and --measure a column of scores."])
    if m not in table.measures:
        raise DataProblem([f"The column '{measure}' does not hold scores (numbers), so it cannot be the measure."])
    if b not in (table.categories or table.groupings):
        raise DataProblem([f"The column '{by}' does not hold categories, so it cannot be used to compare groups."])
    if b not in table.groupings:
        table = table.confirm(list(table.groupings) + [b])
    if d and d != "drop" and d not in (table.categories or ()):
        raise DataProblem([f"The column '{drop}' does not hold data drops (categories)."])
    if d and d != "drop":
        table = table.confirm(list(dict.fromkeys(list(table.groupings) + [d])))
    if national_sd_year is not None:
        from .pupil_stats import p8_national_sd

        try:
            p8_national_sd(national_sd_year)
        except ValueError as exc:
            raise DataProblem([str(exc)]) from None
    sel = Selection(measure=m, by=b, method=method, drop_column=d or "", national_sd_year=national_sd_year)
    agg = analyse(table, sel, threshold=threshold, sampling=False)

    def strip(row: Mapping[str, Any], keys: Sequence[str]) -> dict[str, Any]:
        return {k: row.get(k) for k in keys}

    group_keys = ["group", "drop", "n", "mean", "sd", "ci_low", "ci_high", "suppressed"]
    gap_keys = ["group", "n", "mean", "sd", "other_n", "other_mean", "other_sd", "gap", "ci_low", "ci_high", "t",
                "df", "p", "cohens_d", "significant"]
    return {
        "file": table.source_name, "fingerprint": table.fingerprint, "pupils": table.pupils, "rows": table.rows,
        "measure": table.label(m), "by": table.label(b), "drop_column": table.label(d) if d else None,
        "drops": agg["drops"], "latest_drop": agg["latest_drop"], "method": agg["method"],
        "national_sd": agg["national_sd"], "threshold": threshold, "notes": list(table.notes),
        "groups": [strip(g, group_keys) for g in agg["groups"]],
        "gaps": [strip(g, gap_keys) for g in agg["gaps"]],
    }
