"""SMART objectives for a team member (criterion 6.1.1: performance management "including setting SMART objectives").

A plan is a list of objectives, each read tolerantly from what the candidate typed. Reading never raises: every field
that cannot be read becomes a :class:`RowProblem` that the checker and the view report next to the field.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Mapping

from ...domain.values import RowProblem, ValueProblem, parse_number, parse_uk_date, word_count
from ...contract import Artefact

SCHEMA_VERSION = 1


@dataclass
class SmartArtefact(Artefact):
    """Saved SMART objectives: one row per objective, each field as typed (see ``OBJECTIVE_FIELDS``)."""

    TASK = "smart-objectives"
    SCHEMA_VERSION = SCHEMA_VERSION

    objectives: list = field(default_factory=list)

OBJECTIVE_FIELDS = ("objective", "who", "priority", "measure", "baseline", "target", "deadline", "development")


@dataclass(frozen=True)
class Objective:
    number: int
    objective: str = ""
    who: str = ""
    priority: str = ""
    measure: str = ""
    baseline: float | None = None
    target: float | None = None
    percent: bool = False
    deadline: dt.date | None = None
    development: str = ""

    @property
    def words(self) -> int:
        return word_count(self.objective)


@dataclass(frozen=True)
class SmartPlan:
    objectives: tuple[Objective, ...]
    problems: tuple[RowProblem, ...] = field(default=())

    def problems_for(self, name: str) -> list[RowProblem]:
        return [p for p in self.problems if p.field == name]


def blank_objective() -> dict[str, str]:
    return {name: "" for name in OBJECTIVE_FIELDS}


def read_plan(artefact: Mapping[str, Any]) -> SmartPlan:
    raw = artefact.get("objectives") if isinstance(artefact, Mapping) else None
    if raw is None:
        raw = []
    if not isinstance(raw, list):
        raise ValueProblem("The saved work has no list of objectives.")
    objectives, problems = [], []
    for n, entry in enumerate(raw, start=1):
        if not isinstance(entry, Mapping):
            problems.append(RowProblem(n, "objective", f"Objective {n} could not be read."))
            objectives.append(Objective(n))
            continue
        text = {k: str(entry.get(k) if entry.get(k) is not None else "").strip() for k in OBJECTIVE_FIELDS}
        numbers: dict[str, float | None] = {}
        for name, label in (("baseline", "starting point"), ("target", "target")):
            value = entry.get(name)
            if value in (None, ""):
                numbers[name] = None
                continue
            try:
                numbers[name] = parse_number(value, what=f"Objective {n}'s {label}")
            except ValueProblem as exc:
                numbers[name] = None
                problems.append(RowProblem(n, name, str(exc)))
        deadline = None
        if text["deadline"]:
            try:
                deadline = parse_uk_date(entry.get("deadline"), what=f"Objective {n}'s deadline")
            except ValueProblem as exc:
                problems.append(RowProblem(n, "deadline", str(exc)))
        percent = "%" in f"{entry.get('baseline', '')}{entry.get('target', '')}" or "%" in text["measure"]
        objectives.append(Objective(
            number=n, objective=text["objective"], who=text["who"], priority=text["priority"],
            measure=text["measure"], baseline=numbers["baseline"], target=numbers["target"], percent=percent,
            deadline=deadline, development=text["development"],
        ))
    return SmartPlan(tuple(objectives), tuple(problems))
