"""Rules for a project plan (5.1.2). Scenario mode adds the scenario's key activities and its term calendar.

Scenario data keys (exercises/project-plan/task.yaml): ``key_tasks`` (id, label, keywords), ``min_tasks``,
``min_milestones``, ``min_whole_terms`` (default 2: the legacy NPQ project lasts at least two whole terms), optional
``terms`` (a term calendar: [{name, start, end}]; default: English school terms, editorial).
"""

from __future__ import annotations

from typing import Any, Mapping

from ...domain.lifetime import MIN_WHOLE_TERMS_LEGACY, TermCalendar
from .model import (STAGES, ProjectPlan, critical_path, duplicate_ids, find_cycles, order_violations,
                           read_project_plan, unknown_dependencies)
from ...domain.values import ValueProblem, format_uk_date
from ...checks.result import CheckResult
from ...checks.rules import Rule, run_rules

TASK = "project-plan"
TITLE = "Project plan"
FREE = {"min_tasks": 4, "min_milestones": 1, "min_whole_terms": MIN_WHOLE_TERMS_LEGACY}
_SHOW = 6


def _names(labels: list[str]) -> str:
    shown = labels[:_SHOW]
    more = len(labels) - len(shown)
    text = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
    return text + (f" (and {more} more)" if more else "")


def _tasks(plan: ProjectPlan, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    n, need = len(plan.tasks), int(ctx["min_tasks"])
    if n < need:
        return False, f"The plan has {n} task{'s' if n != 1 else ''}; this task asks for at least {need}."
    problems = [p.message for p in plan.problems]
    if problems:
        return False, " ".join(problems[:_SHOW])
    dupes = duplicate_ids(plan)
    if dupes:
        return False, f"Two tasks share the id {_names(dupes)}: each task needs its own."
    bad = [t.id for t in plan.tasks if not t.name or not t.owner or not t.dated]
    if bad:
        return False, f"{_names(bad)}: give each task a name, an owner, a start and an end (or a duration)."
    return True, f"{n} tasks, each with a name, an owner and dates."


def _dependencies(plan: ProjectPlan, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    unknown = unknown_dependencies(plan)
    if unknown:
        text = [f"{t} depends on '{d}'" + (" (itself)" if t == d else "") for t, d in unknown]
        return False, f"Unknown dependency: {_names(text)}. Pick dependencies from the tasks in the plan."
    cycles = find_cycles(plan.tasks)
    if cycles:
        loops = ["→".join(c) for c in cycles]
        return False, f"The dependencies go round in a circle: {_names(loops)}. A task cannot wait for itself."
    if not any(t.depends_on for t in plan.tasks):
        return False, "No task depends on another yet: say which tasks must finish before others can start."
    return True, "Every dependency names a task in the plan, and none goes round in a circle."


def _order(plan: ProjectPlan, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    bad = order_violations(plan)
    if bad:
        text = [f"{t.id} starts {format_uk_date(t.start)} before {d.id} ends {format_uk_date(d.end)}"
                for t, d in bad]
        return False, f"{_names(text)}."
    if find_cycles(plan.tasks) or unknown_dependencies(plan):
        return False, "The order of tasks can be judged once the dependencies are sorted out."
    path = critical_path(plan, ctx.get("calendar"))
    tail = f" Critical path (tasks with no float): {' → '.join(path.ids)} ({path.days} days)." if path else ""
    return True, "No task starts before a task it depends on ends." + tail


def _stages(plan: ProjectPlan, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    used = {t.stage for t in plan.tasks}
    unknown = [t.id for t in plan.tasks if t.stage not in STAGES]
    if unknown:
        return False, f"{_names(unknown)}: choose the EEF implementation stage it belongs to."
    missing = [s.capitalize() for s in STAGES if s not in used]
    if missing:
        return False, f"No task yet for the stage{'s' if len(missing) > 1 else ''}: {', '.join(missing)}."
    return True, "The plan covers all four EEF stages: Explore, Prepare, Deliver, Sustain."


def _milestones(plan: ProjectPlan, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    n, need = sum(t.milestone for t in plan.tasks), int(ctx["min_milestones"])
    if n < need:
        return False, f"{n} milestone{'s' if n != 1 else ''}: mark at least {need} point{'s' if need != 1 else ''} " \
                      "where you will check progress."
    return True, f"{n} milestone{'s' if n != 1 else ''} to check progress against."


def _lifetime(plan: ProjectPlan, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    need = int(ctx["min_whole_terms"])
    try:
        life = plan.lifetime(ctx.get("calendar"))
    except ValueProblem as exc:
        return False, str(exc)
    if life is None:
        return False, "The plan has no dated tasks yet, so its length cannot be judged."
    whole = life.whole_terms()
    if len(whole) < need:
        return False, (f"The plan runs {life.describe()}; the project must last at least {need} whole terms.")
    return True, f"The plan runs {life.describe()}."


def _key_tasks(plan: ProjectPlan, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    keys = ctx.get("key_tasks") or []
    missing = [k for k in keys if not any(any(str(w).lower() in t.name.lower() for w in k.get("keywords", ()))
                                          for t in plan.tasks)]
    if missing:
        return False, (f"{len(keys) - len(missing)} of the {len(keys)} key steps in the brief are in the plan; "
                       f"{len(missing)} still missing.")
    return True, f"All {len(keys)} key steps in the brief are in the plan."


def nothing_yet(plan: ProjectPlan, ctx: Mapping[str, Any]) -> str | None:
    """Empty: no task has anything typed in it (the app opens with one blank row)."""
    typed = plan.problems or any(t.name or t.owner or t.stage or t.start or t.end or t.depends_on or t.milestone
                                 for t in plan.tasks)
    return None if typed else "add your first task: its name, who owns it, and when it starts and ends."


COMMON_RULES = (
    Rule("tasks", _tasks, hints=(
        "Could someone else run the project from this plan?",
        "Give every task a name, an owner, a start date and an end date (or a duration in days).",
        "Dates are DD/MM/YYYY and a task's end cannot come before its start.")),
    Rule("dependencies", _dependencies, hints=(
        "Which steps cannot begin until another has finished?",
        "Use 'Depends on' to pick the tasks that must finish first; a task cannot depend on itself or a task "
        "that depends on it.")),
    Rule("dependency-order", _order, hints=(
        "Look at the Gantt chart: does anything start before the work it needs is finished?",
        "Move the start of each flagged task to on or after the end of the task it depends on.")),
    Rule("stages", _stages, hints=(
        "The EEF guide to implementation has four stages: does your plan have a step for each?",
        "Give each task its stage; include exploring the problem first and sustaining the change at the end.")),
    Rule("milestones", _milestones, hints=(
        "Where will you stop and check that the project is on track?",
        "Tick 'Milestone' on the tasks that mark a check point (a milestone can be a single day).")),
    Rule("lifetime", _lifetime, hints=(
        "How long does the project run, in school terms?",
        "The NPQ project lasts at least two whole terms: the plan must run from the start to the end of each.")),
)
SCENARIO_RULES = (
    Rule("key-tasks", _key_tasks, hints=(
        "Re-read the brief: which steps does it say the project must include?",
        "Name each task plainly, e.g. 'Baseline assessment', 'Train the tutors', 'Evaluate impact'.")),
)


def check_plan(artefact: Mapping[str, Any], scenario_data: Mapping[str, Any] | None = None, *,
               attempt: int = 1) -> CheckResult:
    data = dict(FREE)
    data.update(scenario_data or {})
    try:
        plan = read_project_plan(artefact)
        calendar = TermCalendar.from_records(data["terms"]) if data.get("terms") else None
    except ValueProblem as exc:
        return CheckResult.error(TASK, str(exc), title=TITLE)
    ctx = dict(data, calendar=calendar)
    rules = (SCENARIO_RULES + COMMON_RULES) if scenario_data else COMMON_RULES
    return run_rules(TASK, rules, plan, ctx, attempt=attempt, title=TITLE, empty=nothing_yet)
