"""The project plan builder: a paged table of the tasks and one form that edits the chosen task (owner, dates, stage, dependencies, milestone), a Gantt chart with terms shaded
and the critical path marked, a check with graduated hints, and an Excel download."""

from __future__ import annotations

from typing import Any, Mapping

import ipywidgets as w

from .model import (STAGES, ProjectPlan, blank_task, critical_path, find_cycles,
                           read_depends, read_project_plan)
from ...domain.values import ValueProblem, parse_uk_date
from ...contract import Scenario, Task
from .export import calendar_for
from .charts import gantt_alt, gantt_figure
from ...widgets.table import PagedTable, RowEditor
from ...widgets.task_view import TaskView
from ...widgets.chart_area import ChartArea
from ...widgets.common import button, error_html, esc, field, figure_html, style



def normal_task(data: Mapping[str, Any], task_id: str) -> dict[str, Any]:
    """A saved task exactly as the edit form would give it back after showing it — without building widgets."""
    get = lambda k: "" if data.get(k) is None else str(data.get(k))  # noqa: E731
    stage = get("stage").lower()
    return {"id": task_id, "name": get("name"), "owner": get("owner"), "stage": stage if stage in STAGES else "",
            "start": get("start"), "end": get("end"), "duration": get("duration"),
            "depends_on": list(read_depends(data.get("depends_on"))),
            "milestone": str(data.get("milestone")).lower() in {"true", "1", "yes", "y"}}


def float_text(days: int | None) -> str:
    if days is None:
        return ""
    return "0 — critical" if days == 0 else str(days)


class TaskForm(w.VBox):
    """The form that edits one task of the plan (the one chosen in the table)."""

    FIELDS = ("name", "owner", "stage", "start", "end", "duration", "milestone", "depends_on")

    def __init__(self, builder: "ProjectPlanBuilder"):
        self.task_id = ""
        self.builder = builder
        self.filling = False
        lay = lambda width: w.Layout(width=width)  # noqa: E731
        self.title = w.HTML()
        self.float_info = w.HTML()  # the task's float, written by the builder after each change
        self.float_info.add_class("npq-task-float")
        self.name = w.Text(placeholder="What will be done", layout=lay("420px"), continuous_update=False)
        self.owner = w.Text(placeholder="Who leads it", layout=lay("220px"))
        self.stage = w.Dropdown(options=[("Choose…", "")] + [(s.capitalize(), s) for s in STAGES], value="",
                                layout=lay("140px"))
        self.start = w.Text(placeholder="DD/MM/YYYY", layout=lay("130px"), continuous_update=False)
        self.end = w.Text(placeholder="DD/MM/YYYY", layout=lay("130px"), continuous_update=False)
        self.duration = w.Text(placeholder="days", layout=lay("90px"), continuous_update=False)
        self.milestone = w.Checkbox(value=False, description="Milestone", indent=False, layout=lay("130px"))
        self.depends_on = w.SelectMultiple(options=[], rows=4, layout=lay("330px"))
        self.remove = button("Remove this task", css="npq-task-remove")
        self.remove.tooltip = "Remove this task from the plan"
        self.remove.on_click(lambda _b: builder.remove_task())
        for name in self.FIELDS:
            getattr(self, name).add_class(f"npq-task-{name.replace('_', '-')}")
        name_box, _ = field("Task", self.name)
        owner_box, _ = field("Owner", self.owner)
        stage_box, _ = field("EEF stage", self.stage)
        start_box, self.start_msg = field("Start", self.start)
        end_box, self.end_msg = field("End", self.end)
        dur_box, self.duration_msg = field("or duration (days)", self.duration)
        ms_box, _ = field("Check point?", self.milestone)
        dep_box, _ = field("Depends on (Ctrl+click for several)", self.depends_on)
        row = lambda *kids: w.HBox(list(kids), layout=w.Layout(flex_flow="row wrap", align_items="flex-start"))  # noqa
        super().__init__([
            w.HBox([self.title, self.float_info, self.remove],
                   layout=w.Layout(justify_content="space-between", flex_flow="row wrap")),
            row(name_box, owner_box, stage_box),
            row(start_box, end_box, dur_box, ms_box, dep_box),
        ])
        self.add_class("npq-card")
        self.add_class("npq-task-form")
        self.set_title()
        for name in self.FIELDS:  # first: the plan takes the new value before anything is recomputed
            getattr(self, name).observe(self._edited, "value")
        self.name.observe(lambda _c: self.filling or builder.names_changed(), "value")
        for wid in (self.start, self.end, self.duration, self.milestone, self.depends_on, self.stage):
            wid.observe(lambda _c: self.filling or builder.changed(), "value")
        for wid, msg, what in ((self.start, self.start_msg, "The start date"), (self.end, self.end_msg,
                                                                                 "The end date")):
            wid.observe(lambda _c, wid=wid, msg=msg, what=what: self._validate_date(wid, msg, what), "value")

    def _edited(self, _change=None) -> None:
        if not self.filling:
            self.builder.form_edited()

    def set_title(self) -> None:
        self.title.value = f"<h3>Editing task {esc(self.task_id)}</h3>" if self.task_id else ""

    @staticmethod
    def _validate_date(wid: w.Text, msg: w.HTML, what: str) -> None:
        if not wid.value.strip():
            msg.value = ""
            return
        try:
            parse_uk_date(wid.value, what=what)
            msg.value = ""
        except ValueProblem as exc:
            msg.value = error_html(str(exc))

    def show_float(self, days: int | None) -> None:
        """Float in working days: how much later the task could finish without moving the end of the project."""
        if days is None:
            self.float_info.value = ""
        elif days == 0:
            self.float_info.value = ('<p class="npq-float">Float: 0 working days — <strong>critical</strong>: '
                                     'a delay here delays the end of the project.</p>')
        else:
            self.float_info.value = (f'<p class="npq-float">Float: {days} working day{"s" if days != 1 else ""} '
                                     '— it can finish this much later without moving the end.</p>')

    def set_dependency_options(self, options: list[tuple[str, str]]) -> None:
        keep = tuple(self.depends_on.value)
        opts = [(label, tid) for label, tid in options if tid != self.task_id]
        valid = {tid for _, tid in opts}
        # keep a dependency on a task that is not (or no longer) in the plan visible, so nothing is lost silently
        opts += [(f"{tid} (not in the plan)", tid) for tid in keep if tid not in valid]
        if opts != list(self.depends_on.options):
            was, self.filling = self.filling, True
            try:
                self.depends_on.options = opts
                self.depends_on.value = keep
            finally:
                self.filling = was

    @property
    def value(self) -> dict[str, Any]:
        return {"id": self.task_id, "name": self.name.value, "owner": self.owner.value, "stage": self.stage.value,
                "start": self.start.value, "end": self.end.value, "duration": self.duration.value,
                "depends_on": list(self.depends_on.value), "milestone": bool(self.milestone.value)}

    @value.setter
    def value(self, data: Mapping[str, Any]) -> None:
        """Show a task (read the way :func:`normal_task` reads it) without telling the builder it was edited."""
        task = normal_task(data, str(data.get("id") or ""))
        self.filling = True
        try:
            self.task_id = task["id"]
            for name in ("name", "owner", "stage", "start", "end", "duration", "milestone"):
                getattr(self, name).value = task[name]
            deps = tuple(task["depends_on"])
            self.depends_on.options = [(d, d) for d in deps]
            self.depends_on.value = deps
            self.set_title()
        finally:
            self.filling = False


class ProjectPlanBuilder(RowEditor, TaskView, w.VBox):
    export_name = "project-plan"

    def __init__(self, task: Task, scenario: Scenario | None):
        self._start(task, scenario)
        self.calendar = calendar_for(scenario)
        own_work = ("<h2>Your own project</h2><p>Plan your own project: at least two whole terms, with an owner, "
                     "dates, dependencies, milestones and the EEF stage of each step.</p>")
        header = w.HTML(self._intro(own_work))
        name_box = self._name_field()
        self.project_title = w.Text(placeholder="e.g. Year 9 maths tutoring", layout=w.Layout(width="420px"))
        self.project_title.add_class("npq-project-title")
        title_box, _ = field("Project", self.project_title)
        self.tasks: list[dict[str, Any]] = []  # the plan, each task as saved; the table and form show it
        self.floats: dict[str, int] = {}
        self.form = TaskForm(self)
        self.table = PagedTable("Tasks in the plan", ["ID", "Task", "Owner", "EEF stage", "Start", "End",
                                                      "Duration (days)", "Depends on", "Milestone",
                                                      "Float (working days)"],
                                noun="task", css="npq-task-table", on_choose=self._show_chosen)
        self.empty_note = w.HTML()
        self.empty_note.add_class("npq-task-empty")
        self.add_button = button("Add task", css="npq-task-add")
        self.add_button.on_click(lambda _b: self.add_task())
        self.summary = w.HTML()
        self.summary.add_class("npq-plan-summary")
        self.gantt = ChartArea()  # drawn once the page has been painted (widgets/chart_area.py)
        self.gantt.add_class("npq-gantt")
        self._check_controls("Check my plan")
        self._download_controls()
        self.save_status = w.HBox()  # autosave's "Saved at …" line
        super().__init__([style(), header, self.save_status, name_box, title_box, w.HTML("<h2>Tasks</h2>"),
                          self.table, w.HBox([self.add_button]), self.empty_note, self.form,
                          w.HTML("<h2>Gantt chart</h2>"), self.summary, self.gantt,
                          w.HBox([self.check_button]), self.feedback, w.HBox([self.download_button, self.download])])
        self.add_class("npq-app")
        self.add_class("npq-plan-app")
        self.add_task()

    # -- editing ---------------------------------------------------------------------------------------------
    def _cells(self, t: Mapping[str, Any]) -> tuple:
        return (t["id"], t["name"], t["owner"], t["stage"].capitalize(), t["start"], t["end"], t["duration"],
                ", ".join(t["depends_on"]), "Yes" if t["milestone"] else "No", float_text(self.floats.get(t["id"])))

    @staticmethod
    def _label(t: Mapping[str, Any]) -> str:
        text = t["name"].strip() or "(not named yet)"
        return f"{t['id']} — {text if len(text) <= 60 else text[:59] + '…'}"

    ROWS, ID_PREFIX = "tasks", "T"
    EMPTY = "The plan is empty: choose <strong>Add task</strong> to start."

    def _form_shown(self, index: int) -> None:
        self.form.set_dependency_options(self._dependency_options())
        self.form.show_float(self.floats.get(self.tasks[index]["id"]))

    def _new_row(self, data: Mapping[str, Any], tid: str) -> dict[str, Any]:
        return normal_task(data, tid)

    def rows_changed(self) -> None:
        self.names_changed()

    def _dependency_options(self) -> list[tuple[str, str]]:
        return [(f"{t['id']} {t['name']}".strip()[:60], t["id"]) for t in self.tasks]

    def add_task(self, data: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Add a task at the end (blank, or from ``data``) and show it in the form."""
        return self._add_row(data)

    def remove_task(self, index: int | None = None) -> None:
        """Remove the chosen task (or the one at ``index``); the next one is shown. Dependencies on it stay."""
        self._remove_row(index)

    def names_changed(self) -> None:
        if self.quiet:
            return
        if self.tasks and self.chosen is not None:
            self.form.set_dependency_options(self._dependency_options())
        self.changed()

    def changed(self) -> None:
        if self.quiet:
            return
        self.refresh_chart()

    def plan(self) -> ProjectPlan:
        return read_project_plan(self.artefact)

    def refresh_chart(self) -> None:
        try:
            plan = self.plan()
            cycles = find_cycles(plan.tasks)
            path = None if cycles else critical_path(plan, self.calendar)
            life = plan.lifetime(self.calendar)
        except ValueProblem as exc:
            self.summary.value = error_html(str(exc))
            return
        parts = [f"{len(plan.tasks)} task{'s' if len(plan.tasks) != 1 else ''}"]
        if life:
            parts.append(f"runs {esc(life.describe())}")
        text = "; ".join(parts) + "."
        if cycles:
            text += " " + error_html("The dependencies go round in a circle: " + "; ".join("→".join(c)
                                                                                         for c in cycles[:3]))
        elif path:
            text += (f" <strong>Critical path:</strong> {esc(' → '.join(path.ids))} ({path.days} days). "
                     "Tasks on it have no float: a delay to any of them delays the end of the project.")
        self.summary.value = f'<p class="npq-plan-summary-text">{text}</p>'
        self.floats = dict((path.floats if path else None) or {})
        self.table.set_rows([self._cells(t) for t in self.tasks], [self._label(t) for t in self.tasks])
        if self.chosen is not None and self.tasks:
            self.form.show_float(self.floats.get(self.tasks[self.chosen]["id"]))
        calendar = self.calendar
        self.gantt.draw(lambda: figure_html(gantt_figure(plan, calendar), gantt_alt(plan, calendar), width_px=1050))

    # -- saved work ------------------------------------------------------------------------------------------
    @property
    def artefact(self) -> dict[str, Any]:
        return self._artefact(
            candidate={"name": self.candidate.value.strip()},
            project={"title": self.project_title.value},
            tasks=[dict(t, depends_on=list(t["depends_on"])) for t in self.tasks],
        )

    def load(self, artefact: Mapping[str, Any]) -> None:
        with self.quietly():
            self.load_header(artefact)
            self.tasks = []
            self.floats = {}
            tasks = artefact.get("tasks") if isinstance(artefact.get("tasks"), list) else []
            for n, entry in enumerate(tasks, start=1):
                self.add_task(entry if isinstance(entry, Mapping) else blank_task(f"T{n}"))
        self._redraw_table(0 if self.tasks else None)
        self.names_changed()

    # -- checking and export ------------------------------------------------------------------------------
__all__ = ["ProjectPlanBuilder", "TaskForm", "normal_task"]
