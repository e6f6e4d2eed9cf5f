"""Rules for SMART objectives (6.1.1). Scenario mode adds the scenario's priorities, window and limits.

Scenario data keys (exercises/smart-objectives/task.yaml): ``priorities`` (id, label, keywords), ``window``
(start, end as DD/MM/YYYY), ``min_objectives``, ``max_objectives``, ``achievable_max_change``.
"""

from __future__ import annotations

from typing import Any, Mapping

from .model import SmartPlan, read_plan
from ...domain.values import ValueProblem, format_uk_date, parse_uk_date, word_count
from ...checks.result import CheckResult
from ...checks.rules import Rule, run_rules

TASK = "smart-objectives"
TITLE = "SMART objectives"
MIN_WORDS = 12
MIN_DEVELOPMENT_WORDS = 5
FREE_LIMITS = {"min_objectives": 1, "max_objectives": 5}


def _numbers(items: list[int]) -> str:
    words = [str(i) for i in items]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _each(plan: SmartPlan, bad: list[int], ok: str, fail: str) -> tuple[bool, str]:
    if bad:
        noun = "Objective" if len(bad) == 1 else "Objectives"
        return False, f"{noun} {_numbers(bad)}: {fail}"
    return True, ok


def _count(plan: SmartPlan, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    lo, hi, n = int(ctx["min_objectives"]), int(ctx["max_objectives"]), len(plan.objectives)
    if lo <= n <= hi:
        return True, f"{n} objective{'s' if n != 1 else ''} — a focused number."
    if n < lo:
        return False, f"{n} objective{'s' if n != 1 else ''}: this task asks for at least {lo}."
    return False, f"{n} objectives: keep to at most {hi} so each one gets real attention."


def _specific(plan: SmartPlan, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    bad = [o.number for o in plan.objectives if o.words < MIN_WORDS or not o.who]
    return _each(plan, bad, "Each objective says who will do what.",
                 f"say who it is for and what will change, in at least {MIN_WORDS} words.")


def _measurable(plan: SmartPlan, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    bad = [o.number for o in plan.objectives
           if not o.measure or o.baseline is None or o.target is None or o.baseline == o.target]
    problems = [p.message for p in plan.problems if p.field in ("baseline", "target")]
    if problems:
        return False, " ".join(problems)
    return _each(plan, bad, "Each objective has a measure with a starting point and a different target.",
                 "name the measure, its starting point and a target that differs from it.")


def _achievable(plan: SmartPlan, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    limit = ctx.get("achievable_max_change")
    bad, reasons = [], []
    for o in plan.objectives:
        if o.baseline is None or o.target is None:
            bad.append(o.number)
            reasons.append("no starting point and target to judge")
            continue
        if o.percent and not (0 <= o.baseline <= 100 and 0 <= o.target <= 100):
            bad.append(o.number)
            reasons.append("a percentage must lie between 0 and 100")
        elif o.percent and limit is not None and abs(o.target - o.baseline) > float(limit):
            bad.append(o.number)
            reasons.append(f"a change of more than {float(limit):g} percentage points in the time is unlikely")
    if bad:
        detail = "; ".join(sorted(set(reasons)))
        return False, f"Objective{'s' if len(bad) > 1 else ''} {_numbers(bad)}: {detail}."
    return True, "Each target is a realistic step from its starting point."


def _relevant(plan: SmartPlan, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    priorities = ctx.get("priorities") or []
    if not priorities:
        bad = [o.number for o in plan.objectives if not o.priority]
        return _each(plan, bad, "Each objective names the priority it serves.",
                     "name the team or school priority it serves.")
    known = {str(p["id"]) for p in priorities}
    bad = [o.number for o in plan.objectives if o.priority not in known]
    if bad:
        return _each(plan, bad, "", "choose the scenario priority it serves.")
    missing = [p["label"] for p in priorities if p["id"] not in {o.priority for o in plan.objectives}]
    if missing:
        return False, "No objective yet serves the priority: " + "; ".join(missing) + "."
    return True, "Every objective serves a priority, and every priority has an objective."


def _time_bound(plan: SmartPlan, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    problems = [p.message for p in plan.problems if p.field == "deadline"]
    if problems:
        return False, " ".join(problems)
    bad = [o.number for o in plan.objectives if o.deadline is None]
    if bad:
        return _each(plan, bad, "", "give a deadline as DD/MM/YYYY.")
    window = ctx.get("window")
    if window:
        start = parse_uk_date(window["start"])
        end = parse_uk_date(window["end"])
        outside = [o.number for o in plan.objectives if not start <= o.deadline <= end]
        if outside:
            return _each(plan, outside, "",
                         f"the deadline must fall between {format_uk_date(start)} and {format_uk_date(end)}.")
    return _each(plan, [], "Each objective has a deadline" + (" inside the window." if window else "."), "")


def _development(plan: SmartPlan, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    bad = [o.number for o in plan.objectives if word_count(o.development) < MIN_DEVELOPMENT_WORDS]
    return _each(plan, bad, "Each objective is backed by a targeted development opportunity.",
                 "name the professional development that will support it (who, what, when).")


def nothing_yet(plan: SmartPlan, ctx: Mapping[str, Any]) -> str | None:
    """Empty: no objective has anything typed in it (the app opens with blank cards)."""
    typed = plan.problems or any(
        o.objective or o.who or o.priority or o.measure or o.baseline is not None or o.target is not None
        or o.deadline is not None or o.development for o in plan.objectives)
    return None if typed else "write your first objective: who it is for and what will change."


RULES = (
    Rule("count", _count, hints=("Look again at how many objectives the task asks for.",
                                 "Use 'Add objective' or 'Remove' until the number fits.")),
    Rule("specific", _specific, hints=(
        "Could a colleague reading the objective tell exactly who will do what?",
        "Fill in 'Who' and describe the change in practice in a full sentence.",
        "Name the person or group and the action, e.g. 'X will … in every … lesson with …'.")),
    Rule("measurable", _measurable, hints=(
        "How will you both know the objective has been met?",
        "Pick one measure you already collect, and write where it stands now and where it should be.",
        "The starting point and the target are numbers on the same measure, such as a percentage.")),
    Rule("achievable", _achievable, hints=(
        "Is each target a stretch that can really be reached in the time?",
        "Compare each target with its starting point: how big is the step?",
        "Percentages stay between 0 and 100; the scenario limits how far one year can move them.")),
    Rule("relevant", _relevant, hints=(
        "Re-read the priorities in the brief: what does each objective serve?",
        "Choose a priority for each objective, and check every priority is covered.")),
    Rule("time-bound", _time_bound, hints=(
        "When will you review whether each objective was met?",
        "Give each objective a deadline written DD/MM/YYYY.",
        "Deadlines must fall inside the appraisal window given in the brief.")),
    Rule("development", _development, hints=(
        "Criterion 6.1.1 asks for targeted development opportunities as well as objectives.",
        "For each objective, say what support will help: coaching, a course, a visit, modelling.")),
)


def check_smart(artefact: Mapping[str, Any], scenario_data: Mapping[str, Any] | None = None, *,
                attempt: int = 1) -> CheckResult:
    try:
        plan = read_plan(artefact)
    except ValueProblem as exc:
        return CheckResult.error(TASK, str(exc), title=TITLE)
    ctx = dict(FREE_LIMITS)
    ctx.update(scenario_data or {})
    return run_rules(TASK, RULES, plan, ctx, attempt=attempt, title=TITLE, empty=nothing_yet)
