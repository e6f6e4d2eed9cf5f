"""Rules for the pupil data analysis task (1.1.1 raw data analysis, 1.1.2).

Every right answer is computed here from the aggregates of the data (recomputed from the shipped file for a scenario,
or the saved aggregates of the candidate's own file), never stored as a constant: the checker stays right for any data.

Questions (keys of ``artefact["answers"]``):
- ``gap_group`` + ``gap``: a group of the chosen grouping and its gap to all other pupils in the latest drop, 2 dp;
- ``gap_significant``: "yes"/"no" — does the gap's 95% Welch interval exclude 0?
- ``cohort_significance``: "above" / "not significantly different" / "below" the reference (0 for Progress 8 with the
  DfE interval; the scenario's reference, e.g. 100 for KS2 scaled scores, with a t-interval); asked only when there is
  a reference;
- ``interpretation``: which statement about a correlation is valid (asked only when a correlation was chosen);
- ``priority_group`` ("grouping=value", checked) + ``justification`` (saved, not scored);
- ``priorities``: the candidate's written priorities (at least :data:`MIN_PRIORITY_WORDS` words).
"""

from __future__ import annotations

import math
from typing import Any, Mapping

from ...domain.values import ValueProblem, parse_number, word_count
from ...checks.result import CheckResult
from ...checks.rules import Rule, run_rules

TASK = "data-analysis"
TITLE = "Pupil data analysis"
MIN_PRIORITY_WORDS = 40
GAP_TOLERANCE = 0.01  # answers are given to 2 dp
# the same words as domain.pupil_stats (imported lazily: numpy/pandas are not needed to list or load tasks)
ABOVE, BELOW, NOT_DIFFERENT = "above", "below", "not significantly different"
COHORT_CHOICES = (ABOVE, NOT_DIFFERENT, BELOW)

LINKED, NO_LINK, CAUSES, REVERSE = "linked-not-causal", "no-clear-link", "x-causes-y", "y-causes-x"


def statements(corr: Mapping[str, Any], x_label: str, y_label: str) -> list[tuple[str, str]]:
    """(id, text) of the interpretation choices, worded with the data's own figures."""
    r = corr.get("r")
    r_text = f"r = {r:.2f}" if isinstance(r, (int, float)) else "r could not be computed"
    return [
        (CAUSES, f"Higher {x_label} causes higher {y_label}: raising {x_label} will raise {y_label} ({r_text})."),
        (LINKED, f"{x_label} and {y_label} tend to move together ({r_text}), but this alone does not show that one "
                 "causes the other: something else, such as disadvantage, may affect both."),
        (NO_LINK, f"There is no clear link between {x_label} and {y_label} in this data ({r_text}): the "
                  "correlation could be chance."),
        (REVERSE, f"Because they are correlated ({r_text}), improving {y_label} will improve {x_label}."),
    ]


def valid_statement(corr: Mapping[str, Any]) -> str:
    p = corr.get("p")
    return LINKED if isinstance(p, (int, float)) and p < 0.05 else NO_LINK


def _fmt(x: float) -> str:
    return f"{x:+.2f}".replace("-", "−")


# -- facts from aggregates --------------------------------------------------------------------------------------
def gap_for(aggregates: Mapping[str, Any], grouping: str, group: str):
    """The Welch gap of one group to the rest, recomputed from its summary statistics."""
    from ...domain.pupil_stats import gap_from_stats

    for g in aggregates.get("gaps") or ():
        if g.get("grouping") == grouping and str(g.get("group")) == str(group):
            return gap_from_stats(int(g["n"]), float(g["mean"]), float(g["sd"]), int(g["other_n"]),
                                  float(g["other_mean"]), float(g["other_sd"]), group=str(group))
    return None


def cohort_verdict(aggregates: Mapping[str, Any]) -> tuple[str, float, float] | None:
    """The latest drop's whole-cohort significance against the reference, recomputed from n, mean and SD."""
    from ...domain.pupil_analysis import latest_cohort
    from ...domain.pupil_stats import p8_interval, significance, t_interval

    ref = aggregates.get("reference")
    row = latest_cohort(aggregates)
    if ref is None or not row or row.get("suppressed") or row.get("mean") is None:
        return None
    n, mean = int(row["n"]), float(row["mean"])
    if aggregates.get("method") == "p8":
        lo, hi = p8_interval(mean, n, float((aggregates.get("national_sd") or {}).get("sd") or 1.41628))
    else:
        lo, hi = t_interval(mean, float(row["sd"]), n)
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return None
    return significance(lo, hi, float(ref)), lo, hi


def priority_candidates(aggregates: Mapping[str, Any]) -> tuple[set[str], str]:
    """Accepted priority groups: significantly below the rest and at least half as far below as the lowest group.
    Returns (accepted 'grouping=value' keys, the largest gap's key)."""
    rows = []
    for g in aggregates.get("gaps") or ():
        gap = gap_for(aggregates, g["grouping"], g["group"])
        if gap is not None:
            rows.append((f"{g['grouping']}={g['group']}", gap))
    below = [(k, g) for k, g in rows if g.ci_high < 0]
    if not below:
        return set(), ""
    worst_key, worst = min(below, key=lambda kg: kg[1].gap)
    return {k for k, g in below if g.gap <= 0.5 * worst.gap}, worst_key


# -- rules ---------------------------------------------------------------------------------------------------------
def _answers(a: Mapping[str, Any]) -> Mapping[str, Any]:
    ans = a.get("answers")
    return ans if isinstance(ans, Mapping) else {}


def _gap(a: Mapping[str, Any], agg: Mapping[str, Any]) -> tuple[bool, str]:
    ans = _answers(a)
    by = agg.get("by")
    by_label = agg.get("by_label") or by
    if not by:
        return False, "Choose a grouping (such as disadvantaged) to compare groups."
    group = str(ans.get("gap_group") or "")
    if not group:
        return False, f"Choose a group of '{by_label}' for the gap question."
    gap = gap_for(agg, by, group)
    if gap is None:
        return False, (f"The group '{group}' (or everyone else) has fewer than {agg.get('threshold', 6)} pupils with "
                       "a score, so its gap is not shown: choose a larger group.")
    raw = ans.get("gap")
    if raw in (None, ""):
        return False, f"Type the gap for '{group}' (its mean minus everyone else's), to 2 decimal places."
    try:
        value = parse_number(raw, what="The gap", allow_percent=False)
    except ValueProblem as exc:
        return False, str(exc)
    if abs(value - round(gap.gap, 2)) <= GAP_TOLERANCE + 1e-9:
        return True, f"The gap for '{group}' in {agg.get('latest_drop') or 'the data'} is {_fmt(gap.gap)}."
    return False, f"The gap you gave for '{group}' ({_fmt(value)}) does not match the data."


def _gap_significant(a: Mapping[str, Any], agg: Mapping[str, Any]) -> tuple[bool, str]:
    ans = _answers(a)
    gap = gap_for(agg, agg.get("by") or "", str(ans.get("gap_group") or ""))
    if gap is None:
        return False, "Answer the gap question first, for a group large enough to show."
    choice = str(ans.get("gap_significant") or "")
    if choice not in ("yes", "no"):
        return False, "Say whether the gap is statistically significant."
    expected = "yes" if gap.significant else "no"
    interval = f"95% interval {gap.ci_low:.2f} to {gap.ci_high:.2f}"
    if choice == expected:
        why = "excludes 0" if gap.significant else "includes 0"
        return True, f"Right: the gap's {interval} {why}."
    return False, "Your answer about whether the gap is significant does not match its interval."


def _cohort(a: Mapping[str, Any], agg: Mapping[str, Any]) -> tuple[bool, str]:
    verdict = cohort_verdict(agg)
    if verdict is None:
        return True, "No reference value for this measure, so there is no whole-cohort comparison to make."
    expected, lo, hi = verdict
    choice = str(_answers(a).get("cohort_significance") or "")
    if choice not in COHORT_CHOICES:
        return False, "Say whether the whole cohort's score is significantly above, below or not different."
    if choice == expected:
        return True, (f"Right: the 95% interval {lo:.2f} to {hi:.2f} is "
                      + {ABOVE: "wholly above", BELOW: "wholly below"}.get(expected, "on both sides of")
                      + f" {agg.get('reference'):g}.")
    return False, "Your verdict on the whole cohort does not match its 95% interval."


def _interpretation(a: Mapping[str, Any], agg: Mapping[str, Any]) -> tuple[bool, str]:
    corr = agg.get("correlation")
    if not corr:
        return True, "No correlation was chosen, so there is no interpretation to check."
    choice = str(_answers(a).get("interpretation") or "")
    if not choice:
        return False, "Choose the statement about the correlation that the data supports."
    if choice == valid_statement(corr):
        return True, "Right: that statement claims no more than the correlation shows."
    if choice in (CAUSES, REVERSE):
        return False, "That statement claims one measure causes the other; a correlation cannot show that."
    return False, "That statement does not match how strong and how certain the correlation is."


def _priority(a: Mapping[str, Any], agg: Mapping[str, Any]) -> tuple[bool, str]:
    choice = str(_answers(a).get("priority_group") or "")
    accepted, _worst = priority_candidates(agg)
    if not choice:
        return False, "Choose the group you would make a priority."
    if not accepted:
        return True, "No group is significantly below the rest, so any well-argued choice stands."
    if choice in accepted:
        return True, "A defensible priority: this group is well below the rest, and not by chance."
    grouping, _, group = choice.partition("=")
    gap = gap_for(agg, grouping, group)
    if gap is None:
        return False, "That group is too small to judge: choose a group with a gap shown in the table."
    if gap.ci_high >= 0:
        return False, "That group is not significantly below the other pupils."
    return False, "That group is below the rest, but another group is much further behind."


def _priorities(a: Mapping[str, Any], agg: Mapping[str, Any]) -> tuple[bool, str]:
    n = word_count(_answers(a).get("priorities"))
    if n >= MIN_PRIORITY_WORDS:
        return True, f"Your priorities are written ({n} words)."
    return False, f"Write your priorities in at least {MIN_PRIORITY_WORDS} words (you have {n})."


def nothing_yet(a: Mapping[str, Any], agg: Mapping[str, Any]) -> str | None:
    """Empty: no question answered yet."""
    if any(str(v if v is not None else "").strip() for v in _answers(a).values()):
        return None
    return "answer the first question: choose a group and type its gap to everyone else."


RULES = (
    Rule("gap", _gap, hints=(
        "A gap is one group's mean minus the mean of all the other pupils, in the latest drop you chose.",
        "Find the group's mean and 'everyone else' in the gaps table, and subtract in that order.",
        "A group below everyone else has a negative gap; round to 2 decimal places.")),
    Rule("gap-significance", _gap_significant, hints=(
        "What does the 95% interval of the gap tell you?",
        "A gap is significant when its whole interval is on one side of 0.")),
    Rule("cohort-significance", _cohort, hints=(
        "Compare the whole cohort's 95% interval with the reference value.",
        "Above means the lower limit is above the reference; below means the upper limit is below it.",
        "Use the unrounded limits: an interval that reaches across the reference is not significant.")),
    Rule("interpretation", _interpretation, hints=(
        "Does a correlation on its own ever show that one thing causes another?",
        "Look at r and its p-value: is the link clear, and does the statement claim more than a link?")),
    Rule("priority-group", _priority, hints=(
        "Which group is furthest behind the rest, and is its gap more than chance?",
        "Compare the gaps and their intervals across the groupings; ignore groups too small to show.")),
    Rule("priorities", _priorities, hints=(
        "Say what you would prioritise, for whom, and why the data supports it.",
        "Name the group, the size of its gap, how sure you are, and what you would do next.")),
)


def check_data_analysis(artefact: Mapping[str, Any], aggregates: Mapping[str, Any] | None, *,
                        attempt: int = 1) -> CheckResult:
    if not isinstance(aggregates, Mapping) or not aggregates.get("measure"):
        return CheckResult.error(TASK, "There is no analysis to check yet: choose the data and a measure first.",
                                 title=TITLE)
    if artefact.get("answers") is not None and not isinstance(artefact.get("answers"), Mapping):
        return CheckResult.error(TASK, "The saved answers could not be read.", title=TITLE)
    return run_rules(TASK, RULES, artefact, aggregates, attempt=attempt, title=TITLE, empty=nothing_yet)
