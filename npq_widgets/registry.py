"""The one place where tasks are registered.

A task brings together its spec and scenarios (``exercises/<task-id>/task.yaml``), its checker and its exporters. The
command line (``npq-workbook tasks|check|export``), the notebooks and the tests all go through this module, so a new task
plugs in by adding one entry to ``_TASK_MODULES`` and one folder under ``exercises/`` — the CLI does not change.

Each task module exposes ``TASK_ID``, ``check(artefact: dict, scenario: Scenario | None, attempt: int) ->
CheckResult`` (never raising on learner input) and ``EXPORTERS: dict[format, callable(artefact, scenario, path)]``.
"""

from __future__ import annotations

import functools
import importlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

import yaml

from .checks import CheckResult
from .paths import exercises_dir

# task id -> module that implements it
_TASK_MODULES: dict[str, str] = {
    "smart-objectives": "npq_widgets.tasks.smart_objectives",
    "risk-register": "npq_widgets.tasks.risk_register",
    "project-plan": "npq_widgets.tasks.project_plan",
    "data-analysis": "npq_widgets.tasks.data_analysis",
    "budget": "npq_widgets.tasks.budget",
    "pd-impact": "npq_widgets.tasks.pd_impact",
}


class TaskError(Exception):
    """A problem the user can fix (unknown task or scenario, unreadable file); its message is one plain sentence."""


@dataclass(frozen=True)
class Scenario:
    id: str
    task: str
    title: str
    brief: str
    data: Mapping[str, Any] = field(default_factory=dict)
    model_answer: Mapping[str, Any] | None = None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Task:
    id: str
    title: str
    summary: str
    criteria: tuple[str, ...]
    scenarios: tuple[Scenario, ...]
    check_fn: Callable[[dict, Scenario | None, int], CheckResult]
    exporters: Mapping[str, Callable[[dict, Scenario | None, Path], None]]
    free_build: bool = True

    def scenario(self, scenario_id: str | None = None) -> Scenario:
        if not self.scenarios:
            raise TaskError(f"Task '{self.id}' has no scenarios.")
        if scenario_id is None:
            return self.scenarios[0]
        for sc in self.scenarios:
            if sc.id == scenario_id:
                return sc
        known = ", ".join(s.id for s in self.scenarios)
        raise TaskError(f"Task '{self.id}' has no scenario '{scenario_id}'. Scenarios: {known}.")

    def scenario_for(self, artefact: Mapping[str, Any]) -> Scenario | None:
        """The scenario an artefact names; None for free-build work."""
        sid = artefact.get("scenario") if isinstance(artefact, Mapping) else None
        if sid in (None, "", "free"):
            return None
        return self.scenario(str(sid))

    def check(self, artefact: Any, *, attempt: int = 1, scenario: Scenario | None = None) -> CheckResult:
        """Check an artefact (a dict as saved or exported). Never raises on learner input."""
        if not isinstance(artefact, Mapping):
            return CheckResult.error(self.id, "The work could not be read: expected a saved task (a JSON object).",
                                     title=self.title)
        if artefact.get("task") not in (None, self.id):
            return CheckResult.error(
                self.id, f"This file holds work for the task '{artefact.get('task')}', not '{self.id}'.",
                title=self.title)
        try:
            sc = scenario if scenario is not None else self.scenario_for(artefact)
        except TaskError as exc:
            return CheckResult.error(self.id, str(exc), title=self.title)
        return self.check_fn(dict(artefact), sc, attempt)

    def export(self, artefact: Mapping[str, Any], fmt: str, out: Path) -> Path:
        if fmt not in self.exporters:
            raise TaskError(f"Task '{self.id}' cannot export '{fmt}'. Formats: {', '.join(sorted(self.exporters))}.")
        sc = self.scenario_for(artefact)
        out = Path(out)
        self.exporters[fmt](dict(artefact), sc, out)
        return out


def _load_spec(task_id: str) -> dict[str, Any]:
    spec_path = exercises_dir() / task_id / "task.yaml"
    try:
        spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise TaskError(f"The task spec {spec_path} is missing.") from exc
    if not isinstance(spec, dict) or spec.get("id") != task_id:
        raise TaskError(f"The task spec {spec_path} does not describe task '{task_id}'.")
    return spec


def _scenario(task_id: str, folder: Path, entry: Mapping[str, Any]) -> Scenario:
    answer = entry.get("model_answer")
    if isinstance(answer, str):  # a file next to task.yaml
        answer = json.loads((folder / answer).read_text(encoding="utf-8"))
    return Scenario(
        id=str(entry["id"]), task=task_id, title=str(entry["title"]), brief=str(entry.get("brief", "")).strip(),
        data=dict(entry.get("data") or {}), model_answer=answer,
        sources=tuple(entry.get("sources") or ()),
    )


@functools.cache
def get_task(task_id: str) -> Task:
    if task_id not in _TASK_MODULES:
        known = ", ".join(sorted(_TASK_MODULES)) or "none yet"
        raise TaskError(f"There is no task '{task_id}'. Tasks: {known}.")
    module = importlib.import_module(_TASK_MODULES[task_id])
    spec = _load_spec(task_id)
    folder = exercises_dir() / task_id
    return Task(
        id=task_id, title=str(spec["title"]), summary=str(spec.get("summary", "")).strip(),
        criteria=tuple(str(c) for c in spec.get("criteria", ())),
        scenarios=tuple(_scenario(task_id, folder, s) for s in spec.get("scenarios", ())),
        check_fn=module.check, exporters=dict(module.EXPORTERS), free_build=bool(spec.get("free_build", True)),
    )


def task_ids() -> list[str]:
    return list(_TASK_MODULES)


def all_tasks() -> list[Task]:
    return [get_task(t) for t in _TASK_MODULES]


def read_artefact(path: str | Path) -> dict[str, Any]:
    """Read an artefact JSON file, turning every failure into one plain :class:`TaskError` sentence."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise TaskError(f"There is no file '{p}'.") from None
    except IsADirectoryError:
        raise TaskError(f"'{p}' is a folder, not a saved task file.") from None
    except OSError as exc:
        raise TaskError(f"'{p}' could not be read: {exc.strerror or exc}.") from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise TaskError(f"'{p}' is not a text file; expected a saved task in JSON.") from None
    except json.JSONDecodeError as exc:
        raise TaskError(f"'{p}' is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}).") from None
    if not isinstance(data, dict):
        raise TaskError(f"'{p}' does not hold a saved task (expected a JSON object).")
    return data
