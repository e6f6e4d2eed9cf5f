"""Project plan (criterion 5.1.2: "defines the steps required to successfully implement plans, using a project plan").

Tasks have an owner, a start, an end (or a duration in days), dependencies (finish-to-start: a task may not start
before what it depends on ends), a milestone flag and an EEF implementation stage (explore, prepare, deliver,
sustain). The plan's lifetime is the span of its tasks, measured against a term calendar
(:mod:`npq_widgets.domain.lifetime`).

The critical path is found by the critical path method: each planned start is "start no earlier than", a forward and
a backward pass over the dependencies in working days (weekdays in term, :class:`~npq_widgets.domain.lifetime.
WorkingDays`) give each task's total float, and the tasks with zero float are critical (an undated plan: the longest
chain by task lengths). Reading never raises on a malformed task; problems are collected per field.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from ...domain.lifetime import ProjectLifetime, TermCalendar, WorkingDays
from ...domain.values import ValueProblem, format_uk_date, parse_number, parse_uk_date
from ...contract import Artefact

SCHEMA_VERSION = 1


@dataclass
class PlanArtefact(Artefact):
    """A saved project plan: the project's title and one row per task (dates and dependencies as typed)."""

    TASK = "project-plan"
    SCHEMA_VERSION = SCHEMA_VERSION

    project: dict = field(default_factory=dict)
    tasks: list = field(default_factory=list)

# The four stages of EEF, Putting Evidence to Work: A School's Guide to Implementation.
STAGES = {
    "explore": "Explore — define the problem and choose an approach",
    "prepare": "Prepare — plan, train and get ready",
    "deliver": "Deliver — put it into practice and support it",
    "sustain": "Sustain — embed, review and scale",
}


@dataclass(frozen=True)
class PlanProblem:
    task: int  # 1-based row
    field: str
    message: str


@dataclass(frozen=True)
class PlanTask:
    row: int
    id: str
    name: str = ""
    owner: str = ""
    stage: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    depends_on: tuple[str, ...] = ()
    milestone: bool = False

    @property
    def days(self) -> int | None:
        """Length in calendar days for the critical path (a milestone: 0)."""
        if self.milestone:
            return 0
        if self.start and self.end and self.end >= self.start:
            return (self.end - self.start).days + 1
        return None

    @property
    def label(self) -> str:
        return f"{self.id} {self.name}".strip() if self.name else self.id

    @property
    def dated(self) -> bool:
        return self.start is not None and self.end is not None and self.end >= self.start


@dataclass(frozen=True)
class CriticalPath:
    ids: tuple[str, ...]
    days: int
    floats: Mapping[str, int] | None = None  # task id -> total float in working days (dated plans only)


@dataclass(frozen=True)
class ProjectPlan:
    tasks: tuple[PlanTask, ...]
    problems: tuple[PlanProblem, ...] = ()

    def by_id(self) -> dict[str, PlanTask]:
        out: dict[str, PlanTask] = {}
        for t in self.tasks:
            out.setdefault(t.id, t)
        return out

    def span(self) -> tuple[dt.date, dt.date] | None:
        dated = [t for t in self.tasks if t.dated]
        if not dated:
            return None
        return min(t.start for t in dated), max(t.end for t in dated)  # type: ignore[type-var]

    def lifetime(self, calendar: TermCalendar | None = None) -> ProjectLifetime | None:
        span = self.span()
        return ProjectLifetime(span[0], span[1], calendar) if span else None


def _truthy(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "y", "x", "✓", "milestone"}
    return bool(value)


def read_depends(value: object) -> tuple[str, ...]:
    """['T1', 'T2'] or 'T1, T2' -> ('T1', 'T2'); blanks dropped, order kept, duplicates removed."""
    if value is None:
        return ()
    items = value if isinstance(value, (list, tuple)) else str(value).replace(";", ",").split(",")
    out: list[str] = []
    for item in items:
        s = str(item).strip()
        if s and s not in out:
            out.append(s)
    return tuple(out)


def read_project_plan(artefact: Mapping[str, Any]) -> ProjectPlan:
    raw = artefact.get("tasks") if isinstance(artefact, Mapping) else None
    if raw is None:
        raw = []
    if not isinstance(raw, list):
        raise ValueProblem("The saved work has no list of tasks.")
    tasks, problems = [], []
    for n, entry in enumerate(raw, start=1):
        if not isinstance(entry, Mapping):
            problems.append(PlanProblem(n, "name", f"Task {n} could not be read."))
            tasks.append(PlanTask(n, f"#{n}"))
            continue
        tid = str(entry.get("id") or "").strip() or f"#{n}"
        get = lambda k: "" if entry.get(k) is None else str(entry.get(k)).strip()  # noqa: E731
        milestone = _truthy(entry.get("milestone"))
        start = end = None
        if get("start"):
            try:
                start = parse_uk_date(entry.get("start"), what=f"Task {tid}'s start date")
            except ValueProblem as exc:
                problems.append(PlanProblem(n, "start", str(exc)))
        if get("end"):
            try:
                end = parse_uk_date(entry.get("end"), what=f"Task {tid}'s end date")
            except ValueProblem as exc:
                problems.append(PlanProblem(n, "end", str(exc)))
        elif get("duration") and start is not None:
            try:
                days = parse_number(entry.get("duration"), what=f"Task {tid}'s duration", allow_percent=False)
                if days != int(days) or days < 1:
                    raise ValueProblem(f"Task {tid}'s duration must be a whole number of days, 1 or more.")
                end = start + dt.timedelta(days=int(days) - 1)
            except ValueProblem as exc:
                problems.append(PlanProblem(n, "duration", str(exc)))
        elif milestone and start is not None:
            end = start
        if start and end and end < start:
            problems.append(PlanProblem(n, "end", f"Task {tid} ends ({format_uk_date(end)}) before it starts "
                                                  f"({format_uk_date(start)}): check the order of the dates."))
        tasks.append(PlanTask(n, tid, get("name"), get("owner"), get("stage").lower(), start, end,
                              read_depends(entry.get("depends_on")), milestone))
    return ProjectPlan(tuple(tasks), tuple(problems))


# -- graph checks ------------------------------------------------------------------------------------------------
def duplicate_ids(plan: ProjectPlan) -> list[str]:
    seen, dupes = set(), []
    for t in plan.tasks:
        if t.id in seen and t.id not in dupes:
            dupes.append(t.id)
        seen.add(t.id)
    return dupes


def unknown_dependencies(plan: ProjectPlan) -> list[tuple[str, str]]:
    """(task id, dependency) for each dependency that names no task, or the task itself."""
    ids = plan.by_id()
    return [(t.id, d) for t in plan.tasks for d in t.depends_on if d not in ids or d == t.id]


def _edges(tasks: Sequence[PlanTask]) -> dict[str, list[str]]:
    """id -> the ids it depends on (known ones only, self-loops kept so they count as cycles)."""
    ids = {t.id for t in tasks}
    graph: dict[str, list[str]] = {}
    for t in tasks:
        graph.setdefault(t.id, [])
        graph[t.id] += [d for d in t.depends_on if d in ids and d not in graph[t.id]]
    return graph


def find_cycles(tasks: Iterable[PlanTask]) -> list[tuple[str, ...]]:
    """Dependency cycles, each as the ids around it (first id repeated at the end), in a deterministic order.

    Iterative depth-first search, so a 500-task chain does not hit Python's recursion limit."""
    graph = _edges(list(tasks))
    colour = {k: 0 for k in graph}  # 0 new, 1 on the stack, 2 done
    cycles: list[tuple[str, ...]] = []
    for root in graph:
        if colour[root]:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        path: list[str] = [root]
        colour[root] = 1
        while stack:
            node, i = stack[-1]
            deps = graph[node]
            if i < len(deps):
                stack[-1] = (node, i + 1)
                nxt = deps[i]
                if colour[nxt] == 0:
                    colour[nxt] = 1
                    stack.append((nxt, 0))
                    path.append(nxt)
                elif colour[nxt] == 1:
                    at = path.index(nxt)
                    cyc = tuple(reversed(path[at:]))  # in "runs before" order
                    cycles.append((*cyc, cyc[0]))
            else:
                colour[node] = 2
                stack.pop()
                path.pop()
    return cycles


def order_violations(plan: ProjectPlan) -> list[tuple[PlanTask, PlanTask]]:
    """(task, dependency) where the task starts before the dependency has finished. End dates are inclusive, so a
    task may start on the day after an ordinary task ends, or on the day of a milestone (which takes no time)."""
    ids = plan.by_id()
    out = []
    for t in plan.tasks:
        for d in t.depends_on:
            dep = ids.get(d)
            if dep is None or dep is t or t.start is None or dep.end is None:
                continue
            if t.start < dep.end or (t.start == dep.end and not dep.milestone):
                out.append((t, dep))
    return out


def topological_order(tasks: Sequence[PlanTask]) -> list[str] | None:
    """Ids with every dependency before its dependants (ties in plan order); None if there is a cycle."""
    graph = _edges(tasks)
    indeg = {k: len(v) for k, v in graph.items()}
    dependants: dict[str, list[str]] = {k: [] for k in graph}
    for k, deps in graph.items():
        for d in deps:
            dependants[d].append(k)
    position = {k: i for i, k in enumerate(graph)}
    import heapq

    ready = [(position[k], k) for k, n in indeg.items() if n == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        _, k = heapq.heappop(ready)
        order.append(k)
        for m in dependants[k]:
            indeg[m] -= 1
            if indeg[m] == 0:
                heapq.heappush(ready, (position[m], m))
    return order if len(order) == len(graph) else None


def total_float(plan: ProjectPlan, calendar: TermCalendar | None = None) -> dict[str, int] | None:
    """Each task's total float in working days (weekdays in term, :class:`~npq_widgets.domain.lifetime.WorkingDays`):
    how many working days later it could finish without moving the end of the project. None when the plan has a
    cycle or a task without dates.

    Each planned start is read as "start no earlier than": the forward pass starts a task on its planned start or
    when what it depends on has finished, whichever is later; the backward pass works back from the end of the
    project (the latest finish). A task with float 0 is on the critical path. A milestone takes no time: as in
    :func:`order_violations`, a task may start on the day of a milestone it depends on."""
    first = plan.by_id()
    tasks = [t for t in plan.tasks if first[t.id] is t]  # a duplicated id: its first task stands
    order = topological_order(tasks)
    if order is None or not tasks or not all(t.dated for t in tasks):
        return None
    life = plan.lifetime(calendar)
    work = WorkingDays(life.calendar)  # type: ignore[union-attr, arg-type]
    by_id = {t.id: t for t in tasks}
    graph = _edges(tasks)
    one = dt.timedelta(days=1)
    # boundaries between working days: a task runs from index(start) to index(end + 1); a milestone is the moment
    # at the start of its day (so it may fall the working day after a task ends, and a task may start on its day)
    es: dict[str, int] = {}
    ef: dict[str, int] = {}
    length: dict[str, int] = {}
    for k in order:
        t = by_id[k]
        length[k] = 0 if t.milestone else work.index(t.end + one) - work.index(t.start)  # type: ignore[operator]
        es[k] = max([work.index(t.start)] + [ef[d] for d in graph[k]])  # type: ignore[arg-type]
        ef[k] = es[k] + length[k]
    end = max(ef.values())
    dependants: dict[str, list[str]] = {k: [] for k in by_id}
    for k, deps in graph.items():
        for d in deps:
            dependants[d].append(k)
    lf: dict[str, int] = {}
    for k in reversed(order):
        lf[k] = min([end] + [lf[m] - length[m] for m in dependants[k]])
    return {k: lf[k] - ef[k] for k in order}


def critical_path(plan: ProjectPlan, calendar: TermCalendar | None = None) -> CriticalPath | None:
    """The tasks that set the project's end date; None when the plan has a cycle or no dated task.

    When every task has dates these are the tasks with zero total float (:func:`total_float`), in plan order
    (dependencies first): a delay to any of them delays the end of the project, while the other tasks can slip by
    their float. Its ``days`` is the calendar span from the first critical task's start to the project's end,
    holidays and waits included.
    Without dates it is the longest chain by task lengths (undated tasks count as 0 days). Ties go to the task
    earlier in the plan; a closing milestone ends the path."""
    first = plan.by_id()
    tasks = [t for t in plan.tasks if first[t.id] is t]  # a duplicated id: its first task stands
    order = topological_order(tasks)
    if order is None:
        return None
    by_id = {t.id: t for t in tasks}
    graph = _edges(tasks)
    floats = total_float(plan, calendar)
    if floats is not None:
        ids = tuple(k for k in order if floats[k] == 0)
        start = min(by_id[k].start for k in ids)  # type: ignore[type-var]
        last_end = max(t.end for t in tasks)  # type: ignore[type-var]
        return CriticalPath(ids, (last_end - start).days + 1, floats)  # type: ignore[operator]
    finish: dict[str, int] = {}
    via: dict[str, str | None] = {}
    for k in order:
        best, best_dep = 0, None
        for d in graph[k]:  # in the order the task lists them: first wins a tie
            if finish[d] > best:
                best, best_dep = finish[d], d
        finish[k] = best + (by_id[k].days or 0)
        via[k] = best_dep
    if not finish or max(finish.values()) == 0:
        return None
    top = max(finish.values())
    end = [k for k in order if finish[k] == top][-1]
    chain = [end]
    while via[chain[-1]] is not None:
        chain.append(via[chain[-1]])  # type: ignore[arg-type]
    return CriticalPath(tuple(reversed(chain)), top)


def blank_task(task_id: str) -> dict[str, Any]:
    return {"id": task_id, "name": "", "owner": "", "stage": "", "start": "", "end": "", "duration": "",
            "depends_on": [], "milestone": False}
