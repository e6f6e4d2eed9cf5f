"""The task contract: what a task declares once, and everything the rest of the workbook gets from it.

A task is one folder, ``npq_widgets/tasks/<name>/``, whose ``__init__.py`` holds one :class:`TaskDeclaration` named
``TASK``, plus its data folder ``exercises/<task-id>/`` (``task.yaml``: title, summary, criteria, scenarios and model
answers; ``figures.yaml`` when the task has parameters). The registry discovers the declarations; apps, the course,
the command line, the progress map and the tests reach a task only through the registry.

Inside a task folder imports run one way: ``model`` (the typed artefact and figures, pure calculations) → ``checks``
→ ``export`` and ``charts`` → ``view``. Nothing imports a view but the apps (through the registry's ``view`` path); a
task never imports another task — what one task needs from another (the PD impact task reads the cost of the saved
budget) it asks of the :class:`TaskContext` it is given, which answers from the other task's declared ``outputs``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, ClassVar, Mapping, Sequence

import yaml

from .checks import CheckResult
from .paths import exercises_dir

PROFILE_DOC = "profile"  # the candidate's name and chosen qualification (the contents page)
FREE = "free"  # the scenario id of free-build work (the candidate's own school, team or project)


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


# -- the artefact: the JSON the store keeps ------------------------------------------------------------------------
def _kind(default: Any) -> type:
    for kind in (bool, int, float, str, list, dict):
        if isinstance(default, kind):
            return kind
    return object


@dataclass
class Artefact:
    """The saved form of a task's work: exactly what the learner typed (half-typed values included), typed by kind.

    A task subclasses it with its own fields (each with a default: a string, a list of row dicts, a dict of
    sections) and sets ``TASK`` and ``SCHEMA_VERSION``. :meth:`from_dict` is tolerant — a field of the wrong kind
    comes back as its default, a row that is not an object comes back blank (never dropped) — so a damaged document
    still opens; :meth:`to_dict` is the JSON the store, the checker and the exporters read.
    """

    TASK: ClassVar[str] = ""
    SCHEMA_VERSION: ClassVar[int] = 1

    scenario: str = FREE
    candidate: dict = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Any) -> "Artefact":
        data = data if isinstance(data, Mapping) else {}
        values: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            if f.name not in data:
                continue
            default = f.default if f.default is not dataclasses.MISSING else f.default_factory()  # type: ignore[misc]
            values[f.name] = _coerce(data[f.name], default)
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"task": self.TASK, "schema_version": self.SCHEMA_VERSION}
        for f in dataclasses.fields(self):
            out[f.name] = _plain(getattr(self, f.name))
        return out

    @property
    def candidate_name(self) -> str:
        return str(self.candidate.get("name") or "")


def _coerce(value: Any, default: Any) -> Any:
    kind = _kind(default)
    if kind is str:
        if value is None:
            return ""
        return value if isinstance(value, str) else (str(value) if isinstance(value, (int, float)) else default)
    if kind is bool:
        return value if isinstance(value, bool) else default
    if kind in (int, float):
        return value if isinstance(value, (int, float)) and not isinstance(value, bool) else default
    if kind is list:
        if not isinstance(value, list):
            return list(default)
        return [dict(v) if isinstance(v, Mapping) else {} for v in value] if _rows(default, value) else list(value)
    if kind is dict:
        return dict(value) if isinstance(value, Mapping) else dict(default)
    return value


def _rows(default: list, value: list) -> bool:
    """A list field holds rows (objects) when its default is empty and any saved entry is an object."""
    return any(isinstance(v, Mapping) for v in value) or any(isinstance(v, Mapping) for v in default)


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


# -- figures: a task's parameters, read from exercises/<task>/figures.yaml ------------------------------------------
class FiguresError(ValueError):
    """A figures file that does not match its declared type (an unknown, missing or mistyped key)."""


@dataclass(frozen=True)
class SourcedValue:
    """A figure of a task's parameters with where it comes from (figures.yaml: ``{value: …, source: …}``)."""

    value: float
    source: str


def read_figures(cls: type, data: Any, where: str = "figures") -> Any:
    """Build the dataclass ``cls`` from a mapping, strictly: every key of the file must be a field (a key nobody reads
    is an error, so documented parameters cannot silently go unused), every field without a default must be given,
    and nested dataclasses and lists of them are built the same way."""
    if not isinstance(data, Mapping):
        raise FiguresError(f"{where}: expected a mapping, found {type(data).__name__}.")
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(map(str, data)) - names)
    if unknown:
        raise FiguresError(f"{where}: keys not read by {cls.__name__}: {', '.join(unknown)}.")
    values = {}
    for f in dataclasses.fields(cls):
        if f.name not in data:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:  # type: ignore[misc]
                raise FiguresError(f"{where}: {cls.__name__} needs '{f.name}'.")
            continue
        values[f.name] = _figure_value(hints[f.name], data[f.name], f"{where}.{f.name}")
    return cls(**values)


def _figure_value(hint: Any, value: Any, where: str) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if dataclasses.is_dataclass(hint):
        return read_figures(hint, value, where)
    if origin in (tuple, list) and args:
        if not isinstance(value, list):
            raise FiguresError(f"{where}: expected a list.")
        return tuple(_figure_value(args[0], v, f"{where}[{i}]") for i, v in enumerate(value))
    if origin is typing.Union or str(origin) == "types.UnionType":
        if value is None and type(None) in args:
            return None
        inner = [a for a in args if a is not type(None)]
        return _figure_value(inner[0], value, where)
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise FiguresError(f"{where}: expected a number.")
        return float(value)
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise FiguresError(f"{where}: expected a whole number.")
        return value
    if hint is str:
        if not isinstance(value, (str, int, float)):
            raise FiguresError(f"{where}: expected text.")
        return str(value)
    return value


@functools.cache
def task_spec(task_id: str) -> dict[str, Any]:
    """``exercises/<task_id>/task.yaml``: title, summary, criteria, scenarios (read once)."""
    spec_path = exercises_dir() / task_id / "task.yaml"
    try:
        spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise TaskError(f"The task spec {spec_path} is missing.") from exc
    if not isinstance(spec, dict) or spec.get("id") != task_id:
        raise TaskError(f"The task spec {spec_path} does not describe task '{task_id}'.")
    return spec


def task_criteria(task_id: str) -> tuple[str, ...]:
    """The criteria a task evidences, as its task.yaml declares them (exports name them)."""
    return tuple(str(c) for c in task_spec(task_id).get("criteria", ()))


@functools.cache
def task_figures(task_id: str, reader: Any) -> Any:
    """A task's parameters from ``exercises/<task_id>/figures.yaml``, built by ``reader``: a dataclass (read strictly
    by :func:`read_figures`) or a callable that raises on keys it does not read."""
    path = exercises_dir() / task_id / "figures.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if dataclasses.is_dataclass(reader):
        return read_figures(reader, data, where=f"{task_id}/figures.yaml")
    return reader(data)


# -- what a task declares ------------------------------------------------------------------------------------------
Checker = Callable[[Mapping[str, Any], "Scenario | None", int, Any], CheckResult]
Exporter = Callable[[Mapping[str, Any], "Scenario | None", Path], None]


@dataclass(frozen=True)
class TaskDeclaration:
    """Everything the workbook needs to know about one task, in one place.

    - ``id``: the task id (also the name of its folder under ``exercises/`` and the prefix of its saved documents).
    - ``artefact``: its :class:`Artefact` subclass.
    - ``check``: ``check(artefact_dict, scenario_or_None, attempt, figures) -> CheckResult``; never raises on
      learner input (rules run through :func:`npq_widgets.checks.run_rules`).
    - ``exporters``: format → ``export(artefact_dict, scenario_or_None, out_path)``.
    - ``view``: ``"module:Class"`` of the view (imported only by the apps); the class is built as
      ``Class(task, scenario, **options)``.
    - ``figures``: the dataclass of its parameters, read strictly from ``exercises/<id>/figures.yaml`` (None: none).
    - ``charts``: name → ``chart(artefact_dict, scenario_or_None) -> matplotlib Figure`` (portfolio, gallery).
    - ``outputs``: name → ``output(artefact_dict, scenario_or_None) -> value`` that other tasks may read through
      their :class:`TaskContext` (e.g. the budget's total cost).
    - ``options``: keyword options its app accepts beyond scenario/free build/model answer (e.g. ``own_data``).
    - ``cohort``: optional ``cohort(works) -> rows``: what a facilitator sees of a room's work on this task (the
      cohort view). ``works`` holds one ``(artefact_dict, scenario_or_None)`` per candidate (the scenario because a
      scenario's facts, e.g. a budget's terms, complete the artefact). Each row is a dict with ``measure`` and
      ``value`` (plain text); it never names a candidate and never carries pupil data.
    """

    id: str
    artefact: type[Artefact]
    check: Checker
    exporters: Mapping[str, Exporter]
    view: str
    figures: type | None = None
    charts: Mapping[str, Callable[..., Any]] = field(default_factory=dict)
    outputs: Mapping[str, Callable[..., Any]] = field(default_factory=dict)
    options: tuple[str, ...] = ()
    cohort: Callable[[Sequence[tuple[Mapping[str, Any], Any]]], list[dict[str, Any]]] | None = None


def doc_id(task_id: str, scenario: Scenario | None) -> str:
    """The saved document of a task's work: ``<task>--<scenario id or 'free'>``."""
    return f"{task_id}--{scenario.id if scenario is not None else FREE}"


@dataclass(frozen=True)
class Task:
    """A declared task joined with its data (``exercises/<id>/task.yaml``) and figures: what the registry hands out."""

    declaration: TaskDeclaration
    title: str
    summary: str
    criteria: tuple[str, ...]
    scenarios: tuple[Scenario, ...]
    figures: Any = None
    free_build: bool = True

    @property
    def id(self) -> str:
        return self.declaration.id

    @property
    def artefact_type(self) -> type[Artefact]:
        return self.declaration.artefact

    @property
    def exporters(self) -> Mapping[str, Exporter]:
        return self.declaration.exporters

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
        if sid in (None, "", FREE):
            return None
        return self.scenario(str(sid))

    def normalise(self, artefact: Mapping[str, Any]) -> dict[str, Any]:
        """The artefact read through its type: every field present and of its kind (what a view loads). Checkers and
        exporters get the artefact as it was saved: they read it tolerantly and report what they cannot read."""
        return self.artefact_type.from_dict(artefact).to_dict()

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
        return self.declaration.check(dict(artefact), sc, attempt, self.figures)

    def export(self, artefact: Mapping[str, Any], fmt: str, out: Path) -> Path:
        if fmt not in self.exporters:
            raise TaskError(f"Task '{self.id}' cannot export '{fmt}'. Formats: {', '.join(sorted(self.exporters))}.")
        sc = self.scenario_for(artefact)
        out = Path(out)
        self.exporters[fmt](dict(artefact), sc, out)
        return out

    def cohort(self, artefacts: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """The task's own aggregates over a room's saved artefacts (``[]`` when it declares none). Work naming a
        scenario this version does not have is left out."""
        if self.declaration.cohort is None:
            return []
        works = []
        for a in artefacts:
            if not isinstance(a, Mapping):
                continue
            try:
                works.append((dict(a), self.scenario_for(a)))
            except TaskError:
                continue
        return list(self.declaration.cohort(works))

    def output(self, name: str, artefact: Mapping[str, Any]) -> Any:
        if name not in self.declaration.outputs:
            raise TaskError(f"Task '{self.id}' offers no '{name}'.")
        return self.declaration.outputs[name](dict(artefact), self.scenario_for(artefact))


# -- what a view may reach beyond itself ---------------------------------------------------------------------------
@dataclass(frozen=True)
class SavedOutput:
    """A value another task declared, read from the learner's most recently saved work for that task."""

    task_id: str
    doc_id: str
    saved_at: str | None
    value: Any
    title: str = ""


@dataclass(frozen=True)
class TaskEvidence:
    """One registered task as evidence: the criteria its task.yaml names and its best check status in the learner's
    workbook ("pass", "fail", or None when never checked)."""

    task_id: str
    title: str
    criteria: tuple[str, ...]
    status: str | None = None


@dataclass(frozen=True)
class ModuleEvidence:
    """One course module as evidence: the criteria the module map links to it and the learner's work in it."""

    module_id: str
    title: str
    criteria: tuple[str, ...]
    reflections_written: int = 0
    reflections_total: int = 0
    quiz_passed: bool = False


@dataclass(frozen=True)
class WorkbookEvidence:
    """What the learner's workbook holds, task by task and module by module (the project account's evidence map)."""

    tasks: tuple[TaskEvidence, ...] = ()
    modules: tuple[ModuleEvidence, ...] = ()


class TaskContext:
    """Given to every task view: the learner's workbook as the view may use it (the profile, other tasks' declared
    outputs), without the view knowing how the store or another task works. ``workbook`` is a callable because a
    view exists before the learner's workbook is known (under Voila the browser sends its key first)."""

    def __init__(self, workbook: Callable[[], Any] | None = None,
                 latest_output: Callable[[Any, str, str], SavedOutput | None] | None = None):
        self._workbook = workbook or (lambda: None)
        self._latest_output = latest_output

    @property
    def workbook(self) -> Any:
        return self._workbook()

    def profile(self) -> dict[str, Any]:
        """The candidate's profile (name, chosen qualification); empty when there is none or it cannot be read."""
        wb = self.workbook
        if wb is None:
            return {}
        try:
            data = wb.load(PROFILE_DOC).data
        except Exception:  # noqa: BLE001 - a damaged profile never stops a task
            return {}
        return dict(data) if isinstance(data, Mapping) else {}

    engagement_html: Callable[[Any], str] | None = None  # set by the apps: the course's engagement view

    def engagement(self) -> str | None:
        """The reformed route's engagement view (HTML) for this learner's workbook; None when it cannot be shown."""
        wb = self.workbook
        if wb is None or self.engagement_html is None:
            return None
        try:
            return self.engagement_html(wb)
        except Exception:  # noqa: BLE001 - the engagement view informs; it never stops a task
            return None

    evidence_reader: Callable[[Any], WorkbookEvidence] | None = None  # set by the apps: tasks and modules done

    def evidence(self) -> WorkbookEvidence | None:
        """Every registered task's check status and every module's reflections in this learner's workbook; None
        when the workbook is not known yet or cannot be read."""
        wb = self.workbook
        if wb is None or self.evidence_reader is None:
            return None
        try:
            return self.evidence_reader(wb)
        except Exception:  # noqa: BLE001 - the evidence map informs; it never stops a task
            return None

    def latest_output(self, task_id: str, name: str) -> SavedOutput | None:
        """Another task's declared output from the learner's latest saved work for it; None if there is none.
        Raises :class:`TaskError` (a plain sentence) when that work cannot be read."""
        wb = self.workbook
        if wb is None or self._latest_output is None:
            return None
        return self._latest_output(wb, task_id, name)


def parse_saved_at(value: Any) -> dt.datetime | None:
    """A document's ``saved_at`` as an aware datetime (naive times are read as UTC); None if it is not a time."""
    if not isinstance(value, str):
        return None
    try:
        t = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return t if t.tzinfo is not None else t.replace(tzinfo=dt.timezone.utc)
