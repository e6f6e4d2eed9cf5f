"""The online courses: module content (exercises/modules/<id>.yaml), titles from the catalogue for the candidate's
qualification, the editorial module map, navigation order, and the knowledge checks."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import yaml

from .catalogue import Qualification, load_catalogue
from .catalogue.module_map import COURSE_KEYS, STANDARD_SET, ModuleMapping, load_module_map
from .domain.quiz import Quiz, quiz_from_dict
from .paths import exercises_dir

COURSE_NAMES = {"strategy": "Strategy & Improvement", "teaching": "Teaching & Curriculum Excellence",
                "resources": "Managing Resources & Risk"}
DEFAULT_QUALIFICATION = "NPQML-legacy"


@dataclass(frozen=True)
class Reading:
    title: str
    publisher: str
    why: str


@dataclass(frozen=True)
class Module:
    id: str
    mapping: ModuleMapping
    outcomes: tuple[str, ...]
    key_ideas: str
    example_title: str
    example_body: str
    reading: tuple[Reading, ...]
    prompts: tuple[tuple[str, str], ...]   # (id, prompt)
    quiz: Quiz
    sources: tuple[str, ...]

    @property
    def course(self) -> str:
        return self.mapping.course

    @property
    def number(self) -> int:
        return self.mapping.number


def module_ids() -> list[str]:
    return [m.id for m in load_module_map().modules]


@functools.cache
def load_module(module_id: str) -> Module:
    mapping = load_module_map().get(module_id)
    path = exercises_dir() / "modules" / f"{module_id}.yaml"
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    example = data.get("worked_example") or {}
    return Module(
        id=module_id, mapping=mapping,
        outcomes=tuple(str(o) for o in data.get("outcomes") or ()),
        key_ideas=str(data.get("key_ideas", "")), example_title=str(example.get("title", "")),
        example_body=str(example.get("body", "")),
        reading=tuple(Reading(str(r.get("title", "")), str(r.get("publisher", "")), str(r.get("why", "")))
                      for r in data.get("reading") or ()),
        prompts=tuple((str(p["id"]), str(p["prompt"])) for p in data.get("reflection_prompts") or ()),
        quiz=quiz_from_dict(module_id, data.get("quiz") or {}),
        sources=tuple(str(s) for s in data.get("sources") or ()),
    )


def title_source(qualification_id: str) -> Qualification:
    """The qualification whose module titles are shown: its own, or NPQSL's standard set if it has none."""
    cat = load_catalogue()
    q = cat.get(qualification_id)
    return q if q.courses else cat.get(STANDARD_SET)


def owner_qualification(module_id: str, qualification_id: str = DEFAULT_QUALIFICATION) -> str:
    """The qualification whose titles and module order a module is shown with: the candidate's own when it takes the
    module, else the first one that does (NPQEL's "School to school support" keeps its NPQEL title and neighbours
    when an NPQML candidate opens it for reference)."""
    if module_id in modules_for(qualification_id):
        return qualification_id
    applies = load_module_map().get(module_id).applies_to
    return applies[0] if applies else qualification_id


def module_title(module_id: str, qualification_id: str = DEFAULT_QUALIFICATION) -> str:
    m = load_module_map().get(module_id)
    q = title_source(owner_qualification(module_id, qualification_id))
    course = q.courses[COURSE_KEYS.index(m.course)]
    return next(mod.title for mod in course.modules if mod.number == m.number)


def course_title(course_key: str, qualification_id: str = DEFAULT_QUALIFICATION) -> str:
    q = title_source(qualification_id)
    return q.courses[COURSE_KEYS.index(course_key)].title


def modules_for(qualification_id: str = DEFAULT_QUALIFICATION) -> list[str]:
    return [m.id for m in load_module_map().for_qualification(qualification_id)]


def neighbours(module_id: str, qualification_id: str = DEFAULT_QUALIFICATION) -> tuple[str | None, str | None]:
    order = modules_for(owner_qualification(module_id, qualification_id))
    i = order.index(module_id)
    return (order[i - 1] if i > 0 else None, order[i + 1] if i + 1 < len(order) else None)


def notebook_name(module_id: str) -> str:
    return f"{module_id}.ipynb"


# -- progress, read from the learner's store -------------------------------------------------------------------
PROFILE_DOC = "profile"
CHECK_PREFIX = "check--"


def module_doc(module_id: str) -> str:
    return f"module--{module_id}"


def chosen_qualification(workbook) -> str:
    """The qualification the candidate chose on the contents page (saved work), else the default."""
    try:
        data = workbook.load(PROFILE_DOC).data or {}
    except Exception:  # noqa: BLE001 - a damaged profile falls back to the default
        data = {}
    qid = data.get("qualification")
    return qid if qid in load_catalogue().ids else DEFAULT_QUALIFICATION


@dataclass(frozen=True)
class TaskProgress:
    task: str
    title: str
    status: str | None    # "pass", "fail", or None when never checked


@dataclass(frozen=True)
class ModuleProgress:
    module: str
    title: str
    quiz_score: float | None
    quiz_max: float | None
    quiz_passed: bool
    reflections_written: int
    reflections_total: int
    tasks: tuple[TaskProgress, ...]

    @property
    def completed(self) -> bool:
        """The module is done: its knowledge check passed and every reflection written."""
        return self.quiz_passed and self.reflections_written >= self.reflections_total

    @property
    def activities(self) -> tuple[int, int]:
        """(completed, total): the quiz passed, each reflection written, each task checked."""
        done = int(self.quiz_passed) + self.reflections_written + sum(t.status is not None for t in self.tasks)
        return done, 1 + self.reflections_total + len(self.tasks)


def task_statuses(workbook) -> dict[str, str]:
    """Best check status per task id over all scenarios: "pass" beats "fail"."""
    best: dict[str, str] = {}
    for doc_id in workbook.ids():
        if not doc_id.startswith(CHECK_PREFIX):
            continue
        try:
            rec = workbook.load(doc_id).data or {}
        except Exception:  # noqa: BLE001
            continue
        task = str(rec.get("checked_task", ""))
        if task and best.get(task) != "pass":
            best[task] = "pass" if rec.get("status") == "pass" else "fail"
    return best


def read_progress(workbook, qualification_id: str) -> list[ModuleProgress]:
    from .registry import TaskError, get_task

    statuses = task_statuses(workbook)
    out = []
    for module_id in modules_for(qualification_id):
        module = load_module(module_id)
        try:
            data = workbook.load(module_doc(module_id)).data or {}
        except Exception:  # noqa: BLE001
            data = {}
        last = (data.get("quiz") or {}).get("last") or {}
        reflections = data.get("reflections") or {}
        written = sum(1 for pid, _ in module.prompts if str(reflections.get(pid, "")).strip())
        tasks = []
        for task_id in module.mapping.tasks:
            try:
                task = get_task(task_id)
            except TaskError:
                continue  # a task not built yet has no slot
            tasks.append(TaskProgress(task_id, task.title, statuses.get(task_id)))
        out.append(ModuleProgress(module_id, module_title(module_id, qualification_id),
                                  last.get("score"), last.get("max_score"), bool(last.get("passed")), written,
                                  len(module.prompts), tuple(tasks)))
    return out


# -- the reformed route: progress by the ten content areas ---------------------------------------------------------
@dataclass(frozen=True)
class AreaProgress:
    """One of seed 004's ten reformed content areas for a candidate: the modules and tasks the workbook's editorial
    maps link to it (the module map's ``reformed_content_areas``, each task.yaml's), and what is done of them."""

    number: int
    name: str
    modules: tuple[ModuleProgress, ...]
    tasks: tuple[TaskProgress, ...]

    @property
    def modules_completed(self) -> int:
        return sum(m.completed for m in self.modules)

    @property
    def tasks_checked(self) -> int:
        return sum(t.status is not None for t in self.tasks)

    @property
    def tasks_met(self) -> int:
        return sum(t.status == "pass" for t in self.tasks)

    @property
    def started(self) -> bool:
        return bool(self.modules_completed or self.tasks_checked
                    or any(m.quiz_passed or m.reflections_written for m in self.modules))


def area_progress(progress: list[ModuleProgress], statuses: dict[str, str]) -> list[AreaProgress]:
    """Progress by reformed content area, from the candidate's module progress (``read_progress``) and the best check
    status of each task (``task_statuses``): every registered task that maps to an area counts, once."""
    from .registry import all_tasks

    mm = load_module_map()
    tasks = all_tasks()
    out = []
    for area in load_catalogue().reformed_content_areas:
        modules = tuple(p for p in progress if area.name in mm.get(p.module).reformed_content_areas)
        mapped = tuple(TaskProgress(t.id, t.title, statuses.get(t.id)) for t in tasks
                       if area.name in t.reformed.content_areas)
        out.append(AreaProgress(area.number, area.name, modules, mapped))
    return out


def fat_hours(qualification: Qualification):
    """The formative assessment tasks' row of seed 004's stage table for a reformed programme (None for legacy)."""
    return next((s for s in qualification.stage_hours if s.activity and s.activity.startswith("FATs")), None)
