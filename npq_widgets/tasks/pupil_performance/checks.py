"""Formative checks for the pupil performance evidence: the figures read, the candidate's change and effect size
agree with the calculation, each caution the figures raise is addressed, a conclusion is written."""

from __future__ import annotations

import re
from typing import Any, Mapping

from ...checks.result import CheckResult
from ...checks.rules import Rule, run_rules
from ...domain.values import ValueProblem, parse_number, word_count
from .model import PupilPerformanceFigures, _blank, evaluate

TASK = "pupil-performance"
TITLE = "Pupil performance data (before and after)"
# words that show a caution was addressed (any one of them)
_ADDRESSED = {"no_comparison": ("comparison", "control", "would have happened anyway"),
              "small_n": ("small", "few pupils", "chance", "wide"),
              "regression": ("regression to the mean", "regress"),
              "imbalance": ("start level", "starting point", "baseline differ", "not level", "did not start")}


def _ev(art, ctx):
    if "ev" not in ctx:
        try:
            ctx["ev"] = evaluate(art, ctx["figures"])
            ctx["problem"] = None
        except ValueProblem as exc:
            ctx["ev"], ctx["problem"] = None, str(exc)
    return ctx["ev"]


def _figures(art, ctx):
    ev = _ev(art, ctx)
    if ctx["problem"]:
        return False, ctx["problem"]
    if ev is None:
        return False, "Enter the project group's number of pupils, baseline and end figures."
    cmp = "with a comparison group" if ev.comparison else "with no comparison group"
    return True, f"The figures are read: {ev.project.n} pupils in the project group, {cmp}."


def _answer(art, key, what):
    raw = str((art.get("answers") or {}).get(key) or "").strip() if isinstance(art.get("answers"), Mapping) else ""
    if not raw:
        return None, f"Enter your {what}."
    try:
        return parse_number(raw, what=f"Your {what}", allow_percent=False), ""
    except ValueProblem as exc:
        return None, str(exc)


def _change(art, ctx):
    ev = _ev(art, ctx)
    if ev is None:
        return False, "The change needs the project group's figures first."
    value, msg = _answer(art, "change", "change (end mean − baseline mean)")
    if value is None:
        return False, msg
    if abs(value - ev.change) > ctx["figures"].answer_tolerance_change:
        return False, "Your change does not match the figures: end mean minus baseline mean, for the project group."
    return True, (f"Change {ev.change:+.2f}, 95% interval {ev.change_low:.2f} to {ev.change_high:.2f} "
                  f"({'paired' if ev.paired else 'two samples, no SD of the changes given'}).")


def _effect(art, ctx):
    ev = _ev(art, ctx)
    if ev is None:
        return False, "The effect size needs the figures first."
    if ev.comparison is None:
        return True, "No comparison group, so no effect size: the change alone cannot show the project's effect."
    value, msg = _answer(art, "effect_size", "effect size (Cohen's d)")
    if value is None:
        return False, msg
    if abs(value - ev.d) > ctx["figures"].answer_tolerance_d:
        return False, ("Your effect size does not match: the difference in end means divided by the pooled standard "
                       "deviation of the two groups.")
    months, msg = _answer(art, "months", "EEF months of additional progress")
    if months is None:
        return False, msg
    if int(months) != ev.months:
        return False, "Your months of progress do not match the EEF table for that effect size."
    return True, f"Effect size d = {ev.d:.2f}: {ev.months} months of additional progress on the EEF scale."


def _limits(art, ctx):
    ev = _ev(art, ctx)
    text = str(art.get("limits") or "")
    if ev is None:
        return False, "Say what the evidence can and cannot show once the figures are in."
    if word_count(text) < ctx["figures"].min_words:
        return False, (f"Say what the evidence can and cannot show (at least {ctx['figures'].min_words} words as a "
                       f"guide; {word_count(text)} so far).")
    low = re.sub(r"\s+", " ", text.lower())
    cautions = ctx["figures"].cautions
    missed = [k for k in _ADDRESSED if any(c.startswith(cautions[k][:20]) for c in ev.cautions)
              and not any(w in low for w in _ADDRESSED[k])]
    if missed:
        names = {"no_comparison": "the missing comparison group", "small_n": "the small group",
                 "regression": "regression to the mean", "imbalance": "groups that did not start level"}
        return False, "Your answer does not yet deal with " + ", ".join(names[k] for k in missed) + "."
    return True, f"Your answer deals with the {len(ev.cautions)} caution{'s' if len(ev.cautions) != 1 else ''} the " \
                 "figures raise."


def _conclusion(art, ctx):
    n = word_count(art.get("conclusion"))
    if n < 15:
        return False, "Write a conclusion: what the project did for pupils, and how sure you can be."
    return True, "A conclusion is written."


RULES = (
    Rule("figures", _figures, hints=("Are the number of pupils, means and SDs all entered?",
                                     "Use the figures from the baseline and end assessments, group by group.")),
    Rule("change", _change, hints=("How much did the project group's mean move?",
                                   "Subtract the baseline mean from the end mean.")),
    Rule("effect-size", _effect, hints=("Compare the groups at the end, in standard deviations.",
                                        "Pool the SDs (weighted by n − 1), divide the difference in end means by it, "
                                        "then read the EEF table.")),
    Rule("limits", _limits, hints=("What else could explain the change?",
                                   "Think about comparison groups, group size, how pupils were chosen and where "
                                   "they started.")),
    Rule("conclusion", _conclusion, hints=("What would you tell governors?",)),
)


def nothing_yet(art, ctx) -> str | None:
    a = art if isinstance(art, Mapping) else {}
    groups = [a.get("project_group"), a.get("comparison")]
    typed = any(isinstance(g, Mapping) and not _blank(g) for g in groups) or any(
        str(a.get(k) or "").strip() for k in ("limits", "conclusion", "sd_change")) or (
        isinstance(a.get("answers"), Mapping) and any(str(v).strip() for v in a["answers"].values()))
    return None if typed else "enter the project group's baseline and end figures."


def check_evidence(artefact: Mapping[str, Any], figures: PupilPerformanceFigures, *, attempt: int = 1) -> CheckResult:
    return run_rules(TASK, RULES, dict(artefact), {"figures": figures}, attempt=attempt, title=TITLE,
                     empty=nothing_yet)


__all__ = ["check_evidence", "RULES", "TITLE"]
