"""Model answers for the data-analysis scenarios, computed independently of the checker they are tested against.

    .venv/bin/python scripts/independent_model_answers.py           # rewrite exercises/data-analysis/*.model.json
    .venv/bin/python scripts/independent_model_answers.py --check   # exit 1 if a file differs from a fresh computation

This script never imports npq_widgets: it reads the shipped CSV files with pandas and does the statistics with scipy
directly, from the task's own definitions (task.yaml: the default selection, the reference, the priority groupings,
the suppression threshold of 6) and the published Progress 8 national SD (the versioned data file, read as YAML).
The package's checker is then tested against these answers (tests/test_data_analysis.py), so a pass is evidence
that the two agree, not a copy of the checker's own output.

What each answer is, as a teacher would work it out:
- gap: mean of the group minus mean of every other pupil, in the latest data drop, to 2 dp;
- gap significant: Welch's t-test (scipy.stats.ttest_ind, equal_var=False) — its 95% interval excludes 0;
- whole cohort: Progress 8 — mean ± 1.96 × national SD / √n; otherwise a t-interval (scipy.stats.t.interval);
  above if the lower limit is above the reference, below if the upper limit is below it;
- interpretation: Pearson's r (scipy.stats.pearsonr) with p < 0.05 → "linked, not causal", else "no clear link";
- priority group: the groups significantly below everyone else (Welch interval wholly below 0) among the scenario's
  priority groupings, counting only groups that a reader may see (6 or more pupils, and not hidden to protect a
  smaller group); accepted if at least half as far behind as the furthest; the scenario's suggested group if it is
  accepted, else the furthest behind.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from scipy import stats

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "exercises" / "data-analysis"
P8_FIGURES = ROOT / "npq_widgets" / "catalogue" / "data" / "progress8.yaml"
THRESHOLD = 6
PROVENANCE = ("Computed by scripts/independent_model_answers.py from the shipped data file with pandas and scipy "
              "directly (it does not import npq_widgets), so that the checker is tested against answers it did not "
              "produce.")


def drop_order(drop: str) -> tuple[int, int]:
    """'Autumn 2025' < 'Spring 2026' < 'Summer 2026' (school year order)."""
    term, year = re.fullmatch(r"(Autumn|Spring|Summer) (\d{4})", drop).groups()
    t = ["Autumn", "Spring", "Summer"].index(term)
    return int(year) - (1 if t else 0), t


def hidden(counts: dict[str, int]) -> set[str]:
    """Groups that may not be shown: under 6 pupils, and then the next smallest until at least two groups and six
    pupils are hidden (otherwise the hidden group could be worked out from the total)."""
    out = {g for g, n in counts.items() if n < THRESHOLD}
    rest = sorted((n, g) for g, n in counts.items() if g not in out)
    while out and rest and (len(out) < 2 or sum(counts[g] for g in out) < THRESHOLD):
        out.add(rest.pop(0)[1])
    return out


def welch(a: pd.Series, b: pd.Series) -> tuple[float, float, float]:
    res = stats.ttest_ind(a, b, equal_var=False)
    ci = res.confidence_interval(0.95)
    return float(a.mean() - b.mean()), float(ci.low), float(ci.high)


def answers_for(scenario: dict, p8: dict) -> dict:
    data = scenario["data"]
    default = data["default"]
    measure, by, corr_with = default["measure"], default["by"], default.get("correlate_with")
    df = pd.read_csv(FOLDER / data["file"], dtype={by: str})
    for col in df.columns:
        if df[col].dtype == object:
            df[col] = df[col].fillna("").astype(str).str.strip()
    latest = max(df["drop"].unique(), key=drop_order)
    now = df[df["drop"] == latest].dropna(subset=[measure])
    model = data["model"]

    group = str(model["gap_group"])
    inside = now[now[by].astype(str) == group][measure]
    outside = now[now[by].astype(str) != group][measure]
    gap, low, high = welch(inside, outside)

    ref = (data.get("references") or {}).get(measure)
    ref = None if ref is None else float(ref["value"] if isinstance(ref, dict) else ref)
    cohort = ""
    if ref is not None:
        values = now[measure]
        n, mean = len(values), float(values.mean())
        if "p8" in measure:
            sd = next(e["sd"] for e in p8["national_sd"] if e["year"] == p8["default_year"])
            lo, hi = mean - 1.96 * sd / np.sqrt(n), mean + 1.96 * sd / np.sqrt(n)
        else:
            lo, hi = stats.t.interval(0.95, n - 1, loc=mean, scale=float(values.std(ddof=1)) / np.sqrt(n))
        cohort = "above" if lo > ref else "below" if hi < ref else "not significantly different"

    interpretation = ""
    if corr_with:
        both = now[[corr_with, measure]].dropna()
        interpretation = "linked-not-causal" if stats.pearsonr(both[corr_with], both[measure]).pvalue < 0.05 \
            else "no-clear-link"

    below = []
    for grouping in dict.fromkeys([by] + list(data.get("priority_groupings") or [])):
        labels = now[grouping].astype(str)
        counts = labels.value_counts().to_dict()
        gone = hidden(counts)
        for g, n in counts.items():
            rest = len(now) - n
            if g in gone or n < THRESHOLD or rest < THRESHOLD:
                continue
            d, lo, hi = welch(now[labels == g][measure], now[labels != g][measure])
            if hi < 0:
                below.append((d, f"{grouping}={g}"))
    accepted = set()
    worst = ""
    if below:
        worst_gap, worst = min(below)
        accepted = {k for d, k in below if d <= 0.5 * worst_gap}
    priority = model.get("priority_group") if model.get("priority_group") in accepted else worst

    return {
        "task": "data-analysis", "scenario": scenario["id"], "schema_version": 1,
        "provenance": PROVENANCE,
        "candidate": {"name": "Model answer", "qualification": "NPQSL-legacy"},
        "data": {"source": "scenario", "filename": data["file"]},
        "selection": {"measure": measure, "by": by, "drops": [], "method": "p8" if "p8" in measure else "t",
                      "reference": ref, "national_sd_year": None, "correlate_with": corr_with,
                      "priority_groupings": list(data.get("priority_groupings") or [])},
        "aggregates": None,
        "answers": {
            "gap_group": group,
            "gap": f"{gap:.2f}",
            "gap_significant": "yes" if (low > 0 or high < 0) else "no",
            "cohort_significance": cohort,
            "interpretation": interpretation,
            "priority_group": priority,
            "justification": str(model.get("justification") or ""),
            "priorities": str(model.get("priorities") or ""),
        },
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare with the committed files; write nothing")
    args = ap.parse_args()
    spec = yaml.safe_load((FOLDER / "task.yaml").read_text(encoding="utf-8"))
    p8 = yaml.safe_load(P8_FIGURES.read_text(encoding="utf-8"))
    differs = False
    for scenario in spec["scenarios"]:
        path = FOLDER / scenario["model_answer"]
        text = json.dumps(answers_for(scenario, p8), ensure_ascii=False, indent=2) + "\n"
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                print(f"{path.relative_to(ROOT)} differs from a fresh independent computation")
                differs = True
        else:
            path.write_text(text, encoding="utf-8")
            print("wrote", path.relative_to(ROOT))
    return 1 if differs else 0


if __name__ == "__main__":
    sys.exit(main())
