"""A course module page: title for the candidate's qualification, outcomes mapped to criteria, teaching content,
reflections, the knowledge check and the module's formative tasks. Saved work: quiz answers and reflections.

A formative task is built only when the learner opens it (:class:`TaskSlot`): until then the page shows its title and
the last check saved in the workbook, so a module page costs what its text, reflections and quiz cost — not what a
data analysis with its pandas, statistics and charts costs. Progress never depended on a built view: the contents
page and the evidence map read each task's check records from the store.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, NamedTuple, Sequence

import ipywidgets as w

from ..catalogue import load_catalogue
from ..catalogue.module_map import load_module_map
from ..course import (COURSE_NAMES, course_title, load_module, module_title, modules_for, neighbours, notebook_name,
                      title_source)
from ..widgets.common import button, demote_headings, WordCountedText, esc, style, text_to_html
from ..widgets.links import notebook_href
from ..widgets.quiz import QuizView

DOC_TYPE = "module"


def nav_html(module_id: str, qualification_id: str, label: str = "Modules") -> str:
    prev_id, next_id = neighbours(module_id, qualification_id)
    here = f"modules/{notebook_name(module_id)}"

    def href(target: str) -> str:
        return esc(notebook_href(target, here))

    parts = []
    if prev_id:
        parts.append(f'<a class="npq-nav-prev" href="{href("modules/" + notebook_name(prev_id))}">← Previous: '
                     f"{esc(module_title(prev_id, qualification_id))}</a>")
    parts.append(f'<a class="npq-nav-contents" href="{href("00_start_here.ipynb")}">Contents</a>')
    if next_id:
        parts.append(f'<a class="npq-nav-next" href="{href("modules/" + notebook_name(next_id))}">Next: '
                     f"{esc(module_title(next_id, qualification_id))} →</a>")
    return f'<nav class="npq-nav" aria-label="{esc(label)}">' + " &nbsp;|&nbsp; ".join(parts) + "</nav>"


def mapping_html(module_id: str, qualification_id: str) -> str:
    cat = load_catalogue()
    m = load_module_map().get(module_id)
    q = cat.get(qualification_id)
    rows = []
    if q.criteria or qualification_id == "NPQML-legacy":
        for cid in m.criteria:
            c = cat.criterion(cid)
            doc = f" — supporting document: {esc(c.supporting_document)}" if c.supporting_document else ""
            rows.append(f"<li><strong>{esc(c.id)}</strong> {esc(c.text)} (Part {esc(c.part)}){doc}</li>")
        crit = f"<p><strong>Assessment criteria (NPQML)</strong></p><ul>{''.join(rows)}</ul>"
    else:
        crit = ("<p><strong>Assessment criteria:</strong> the sources give criteria 1.1.1–6.1.3 for NPQML only; "
                f"this module serves the NPQML criteria {esc(', '.join(m.criteria))}, whose content areas are shown "
                "here.</p>")
    areas = esc("; ".join(m.content_areas))
    reformed = esc("; ".join(m.reformed_content_areas))
    docs = esc("; ".join(m.supporting_documents)) or "—"
    return (f'<div class="npq-card npq-mapping">{crit}'
            f"<p><strong>Content areas:</strong> {areas}</p>"
            f"<p><strong>Reformed NPQ content areas:</strong> {reformed}</p>"
            f"<p><strong>Helps produce:</strong> {docs}</p>"
            f'<p class="npq-source">This mapping is the workbook\'s editorial judgement: the provider documents list '
            "the module titles but do not map modules to criteria.</p></div>")


STATUS_WORDS = {"pass": "✔ Your last check: everything met.",
                 "fail": "Your last check: not everything met yet."}
NOT_CHECKED = "Not checked yet."


class ModuleTask(NamedTuple):
    """A formative task on a module page: its id, its title, how to build its view, its best saved check status."""

    task_id: str
    title: str
    build: Callable[[], w.Widget]
    status: str | None = None  # "pass" / "fail" from the store's check records; None: never checked


class TaskSlot(w.VBox):
    """A task on a module page, closed: its title, its last check and an "Open the task" button. Opening builds the
    task's view (with its saved work) in place of the button, once."""

    def __init__(self, task: ModuleTask, heading_level: int = 3):
        self.task_id = task.task_id
        self.view: w.Widget | None = None
        self._task = task
        self._level = heading_level
        self.status = w.HTML(f'<p class="npq-help npq-task-slot-status">'
                             f"{esc(STATUS_WORDS.get(task.status or '', NOT_CHECKED))}</p>")
        self.open_button = button("Open the task", css="npq-open-task", primary=True)
        self.open_button.tooltip = f"Open the task: {task.title}"
        self.open_button.on_click(lambda _b: self.open_task())
        self.message = w.HTML()
        h = min(6, heading_level)
        self.title = w.HTML(f'<h{h} class="npq-task-slot-title">{esc(task.title)}</h{h}>')
        super().__init__([self.title, self.status, self.open_button, self.message])
        self.add_class("npq-card")
        self.add_class("npq-task-slot")
        self.add_class(f"npq-task-slot-{task.task_id}")

    @property
    def opened(self) -> bool:
        return self.view is not None

    def open_task(self) -> w.Widget | None:
        """Build the task's view (once) and show it here. Returns the view, or None if it could not be built."""
        if self.view is not None:
            return self.view
        self.open_button.disabled = True
        self.open_button.description = "Opening the task…"
        try:
            view = self._task.build()
        except Exception:  # noqa: BLE001 - plain words, never a traceback; the button stays for another try
            self.open_button.disabled = False
            self.open_button.description = "Open the task"
            self.message.value = ('<p class="npq-msg-error" role="alert">The task could not be opened. Try again, or '
                                  "open it as an app from the contents page.</p>")
            return None
        self.view = demote_headings(view, self._level - 1)  # its h1 sits under the module's h1 and h2
        self.children = (self.view,)
        self.remove_class("npq-card")
        return self.view


class ModulePage(w.VBox):
    def __init__(self, module_id: str, qualification_id: str, tasks: Sequence[ModuleTask] = ()):
        self.module = load_module(module_id)
        self.qualification_id = qualification_id
        cat = load_catalogue()
        qual = cat.get(qualification_id)
        title = module_title(module_id, qualification_id)
        course = course_title(self.module.course, qualification_id)
        note = ""
        if title_source(qualification_id).id != qualification_id:
            note = (f'<p class="npq-help">Titles shown are the workbook\'s standard set (NPQSL\'s): the sources give no '
                    f"module titles for {esc(qual.code)} ({esc(qual.route)} route).</p>")
        elif module_id not in modules_for(qualification_id):
            note = (f'<p class="npq-help">{esc(qual.code)} takes a different module in this place; this one is '
                    "shown for reference.</p>")
        self.save_status = w.HBox()
        header = w.HTML(
            nav_html(module_id, qualification_id)
            + f'<p class="npq-help">{esc(course)} · Module {self.module.number} · for {esc(qual.name)} '
              f"({esc(qual.code)})</p><h1>{esc(title)}</h1>{note}"
            + "<h2>Learning outcomes</h2><ul>" + "".join(f"<li>{esc(o)}</li>" for o in self.module.outcomes)
            + "</ul>" + mapping_html(module_id, qualification_id))
        content = w.HTML(
            f"<h2>Key ideas</h2>{text_to_html(self.module.key_ideas)}"
            f'<h2>Worked example: {esc(self.module.example_title)}</h2><div class="npq-card">'
            f"{text_to_html(self.module.example_body)}</div>"
            "<h2>Read more</h2><ul>" + "".join(
                f"<li><strong>{esc(r.title)}</strong> ({esc(r.publisher)}) — {esc(r.why)}</li>"
                for r in self.module.reading) + "</ul>")
        self.reflections: dict[str, WordCountedText] = {}
        reflection_parts: list[w.Widget] = [w.HTML("<h2>Reflect</h2><p>Your reflections are saved in your "
                                                   "workbook and count towards your progress.</p>")]
        for pid, prompt in self.module.prompts:
            box = WordCountedText(placeholder="Write your reflection…", rows=4)
            box.text.add_class(f"npq-reflection-{pid}")
            self.reflections[pid] = box
            reflection_parts += [w.HTML(f'<div class="npq-field-label">{esc(prompt)}</div>'), box]
        self.quiz = QuizView(self.module.quiz, on_checked=lambda _r: self._save_now())
        self.task_slots = [TaskSlot(t) for t in tasks]
        task_parts: list[w.Widget] = []
        if tasks:
            task_parts.append(w.HTML("<h2>Formative task" + ("s" if len(tasks) > 1 else "") + "</h2>"
                                     '<p class="npq-help">Each task opens here when you choose it; your saved work '
                                     "comes back with it.</p>"))
            task_parts += self.task_slots
        footer = w.HTML(nav_html(module_id, qualification_id, "Modules (end of page)"))
        super().__init__([style(), header, self.save_status, content, *reflection_parts, self.quiz, *task_parts,
                          footer])
        self.add_class("npq-app")
        self.add_class("npq-module")

    def task_slot(self, task_id: str) -> TaskSlot:
        """The slot of one of the module's tasks (KeyError if the module has none of that id)."""
        for slot in self.task_slots:
            if slot.task_id == task_id:
                return slot
        raise KeyError(task_id)

    def _save_now(self) -> None:
        """A quiz result is saved work but changes no input, so autosave is asked to save it straight away."""
        binding = getattr(self, "autosave", None)
        if binding is not None:
            binding.flush()

    @property
    def artefact(self) -> dict[str, Any]:
        return {"task": DOC_TYPE, "schema_version": 1, "module": self.module.id, "quiz": self.quiz.artefact,
                "reflections": {pid: box.text.value for pid, box in self.reflections.items()}}

    def load(self, data: Mapping[str, Any]) -> None:
        for pid, text in (data.get("reflections") or {}).items():
            if pid in self.reflections:
                self.reflections[pid].text.value = str(text or "")
        if isinstance(data.get("quiz"), Mapping):
            self.quiz.load(data["quiz"])


__all__ = ["ModulePage", "ModuleTask", "TaskSlot", "COURSE_NAMES"]
