"""The registry: finds every task's declaration and is the only way anything reaches a task.

A task is a folder ``npq_widgets/tasks/<name>/`` whose ``__init__.py`` holds ``TASK = TaskDeclaration(...)`` (see
:mod:`npq_widgets.contract`), and its data folder ``exercises/<task-id>/``. Nothing lists the tasks by hand: the
command line (``npq-workbook tasks|check|export``), the apps, the course modules, the progress map and the tests all
ask this module, so a new task appears everywhere once its folder exists.
"""

from __future__ import annotations

import functools
import importlib
import json
import pkgutil
import string
from pathlib import Path
from typing import Any, Mapping

from . import tasks as _tasks_package
from .contract import (FREE, SavedOutput, Scenario, Task, TaskContext, TaskDeclaration, TaskError, doc_id,
                       parse_saved_at, task_figures, task_reformed_mapping, task_spec)
from .paths import exercises_dir

__all__ = ["Scenario", "Task", "TaskError", "TaskDeclaration", "FREE", "get_task", "task_ids", "all_tasks",
           "declarations", "read_artefact", "context_for", "latest_output", "doc_id"]


@functools.cache
def declarations() -> dict[str, TaskDeclaration]:
    """task id → declaration, for every task folder under ``npq_widgets/tasks/``, in the order the course meets
    them (``order`` in each task.yaml, then by id)."""
    found: dict[str, TaskDeclaration] = {}
    for info in pkgutil.iter_modules(_tasks_package.__path__):
        if not info.ispkg or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{_tasks_package.__name__}.{info.name}")
        decl = getattr(module, "TASK", None)
        if not isinstance(decl, TaskDeclaration):
            raise TaskError(f"The task folder '{info.name}' declares no TASK.")
        if decl.id in found:
            raise TaskError(f"Two task folders declare the task '{decl.id}'.")
        found[decl.id] = decl
    ordered = sorted(found, key=lambda t: (_spec_order(t), t))
    return {t: found[t] for t in ordered}


def _spec_order(task_id: str) -> int:
    try:
        return int(task_spec(task_id).get("order", 1000))
    except (TaskError, TypeError, ValueError):
        return 1000


_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


@functools.cache
def project_facts(project_id: str) -> dict[str, Any]:
    """The facts of a project shared by several tasks' scenarios: ``exercises/projects/<id>.yaml``."""
    import yaml

    path = exercises_dir() / "projects" / f"{project_id}.yaml"
    try:
        facts = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise TaskError(f"The project file {path} is missing.") from exc
    if not isinstance(facts, dict) or facts.get("id") != project_id:
        raise TaskError(f"The project file {path} does not describe the project '{project_id}'.")
    return facts


def flat_facts(facts: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    """{'staffing': {'teachers': {'rate': 40}}} -> {'staffing_teachers_rate': '40', 'staffing_teachers_rate_gbp':
    '£40.00'}: the names a brief can use (a whole number up to ten also as ``<name>_word``: 'two')."""
    from .domain.values import format_money

    out: dict[str, str] = {}
    for key, value in facts.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(flat_facts(value, name + "_"))
            continue
        out[name] = str(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            out[name + "_gbp"] = format_money(value)
            if value in range(len(_WORDS)):
                out[name + "_word"] = _WORDS[int(value)]
    return out


def _scenario(task_id: str, folder: Path, entry: Mapping[str, Any]) -> Scenario:
    answer = entry.get("model_answer")
    if isinstance(answer, str):  # a file next to task.yaml
        answer = json.loads((folder / answer).read_text(encoding="utf-8"))
    brief, data = str(entry.get("brief", "")).strip(), dict(entry.get("data") or {})
    if entry.get("project"):  # one project shared by several tasks: its facts fill the brief's ${names}
        facts = project_facts(str(entry["project"]))
        try:
            brief = string.Template(brief).substitute(flat_facts(facts))
        except (KeyError, ValueError) as exc:
            raise TaskError(f"The brief of {task_id}/{entry['id']} uses a fact the project file does not have: "
                            f"{exc}.") from exc
        data["project_facts"] = facts
    return Scenario(
        id=str(entry["id"]), task=task_id, title=str(entry["title"]), brief=brief,
        data=data, model_answer=answer,
        sources=tuple(entry.get("sources") or ()),
    )


def load_figures(decl: TaskDeclaration) -> Any:
    """The task's typed parameters from ``exercises/<id>/figures.yaml`` (None for a task without parameters)."""
    return None if decl.figures is None else task_figures(decl.id, decl.figures)


@functools.cache
def get_task(task_id: str) -> Task:
    decls = declarations()
    if task_id not in decls:
        known = ", ".join(decls) or "none yet"
        raise TaskError(f"There is no task '{task_id}'. Tasks: {known}.")
    decl = decls[task_id]
    spec = task_spec(task_id)
    folder = exercises_dir() / task_id
    return Task(
        declaration=decl, title=str(spec["title"]), summary=str(spec.get("summary", "")).strip(),
        criteria=tuple(str(c) for c in spec.get("criteria", ())),
        scenarios=tuple(_scenario(task_id, folder, s) for s in spec.get("scenarios", ())),
        figures=load_figures(decl), free_build=bool(spec.get("free_build", True)),
        reformed=task_reformed_mapping(task_id),
    )


def refresh() -> None:
    """Forget what was discovered (a test that adds a task folder calls this)."""
    for fn in (declarations, get_task, task_spec, task_figures):
        fn.cache_clear()


def task_ids() -> list[str]:
    return list(declarations())


def all_tasks() -> list[Task]:
    return [get_task(t) for t in declarations()]


def view_class(task: Task) -> type:
    """The task's view class (imports ipywidgets: only the apps call this)."""
    module_name, _, attr = task.declaration.view.partition(":")
    return getattr(importlib.import_module(module_name), attr)


# -- what views reach through their TaskContext ----------------------------------------------------------------------
def latest_output(workbook: Any, task_id: str, name: str) -> SavedOutput | None:
    """``name`` from the most recently saved document of ``task_id`` in ``workbook`` (times compared as times)."""
    task = get_task(task_id)
    best: tuple[Any, str, dict, str | None] | None = None
    for doc in workbook.ids():
        if not doc.startswith(f"{task_id}--"):
            continue
        env = workbook.envelope(doc) or {}
        data = env.get("data")
        when = parse_saved_at(env.get("saved_at"))
        if not isinstance(data, Mapping) or when is None:
            continue
        if best is None or when > best[0]:
            best = (when, doc, dict(data), env.get("saved_at"))
    if best is None:
        return None
    _, doc, data, saved_at = best
    try:
        value = task.output(name, data)
    except TaskError:
        raise
    except (ValueError, KeyError, TypeError) as exc:
        raise TaskError(f"Your saved {task.title.lower()} could not be read ({exc}).") from None
    project = data.get("project") if isinstance(data.get("project"), Mapping) else {}
    return SavedOutput(task_id, doc, saved_at, value, str(project.get("title") or ""))


def context_for(view: Any) -> TaskContext:
    """The context a task view is given: its workbook once autosave has bound it."""

    def workbook():
        binding = getattr(view, "autosave", None)
        return getattr(binding, "workbook", None)

    return TaskContext(workbook, latest_output)


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
    except RecursionError:
        raise TaskError(f"'{p}' is nested too deeply to be a saved task.") from None
    if not isinstance(data, dict):
        raise TaskError(f"'{p}' does not hold a saved task (expected a JSON object).")
    return data
