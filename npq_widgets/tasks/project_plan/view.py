"""The project plan builder: task rows (owner, dates, stage, dependencies, milestone), a Gantt chart with terms shaded
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
from ...widgets.rows import build_row, insert_row, remove_row, row_id
from ...widgets.task_view import TaskView
from ...widgets.common import button, error_html, esc, field, figure_html, style



class TaskRow(w.VBox):
    def __init__(self, task_id: str, builder: "ProjectPlanBuilder"):
        self.task_id = task_id
        self.builder = builder
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
        self.depends_on = w.SelectMultiple(options=[], rows=3, layout=lay("330px"))
        self.remove = button("Remove", css="npq-task-remove")
        self.remove.tooltip = "Remove this task"
        self.remove.on_click(lambda _b: builder.remove_task(self))
        for name in ("name", "owner", "stage", "start", "end", "duration", "milestone", "depends_on"):
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
            w.HBox([self.title, self.float_info, self.remove], layout=w.Layout(justify_content="space-between")),
            row(name_box, owner_box, stage_box),
            row(start_box, end_box, dur_box, ms_box, dep_box),
        ])
        self.add_class("npq-card")
        self.add_class("npq-task-row")
        self.set_title()
        self.name.observe(lambda _c: builder.names_changed(), "value")
        for wid in (self.start, self.end, self.duration, self.milestone, self.depends_on, self.stage):
            wid.observe(lambda _c: builder.changed(), "value")
        for wid, msg, what in ((self.start, self.start_msg, "The start date"), (self.end, self.end_msg,
                                                                                 "The end date")):
            wid.observe(lambda _c, wid=wid, msg=msg, what=what: self._validate_date(wid, msg, what), "value")

    def set_title(self) -> None:
        self.title.value = f"<h3>Task {esc(self.task_id)}</h3>"

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
            self.depends_on.options = opts
            self.depends_on.value = keep

    @property
    def value(self) -> dict[str, Any]:
        return {"id": self.task_id, "name": self.name.value, "owner": self.owner.value, "stage": self.stage.value,
                "start": self.start.value, "end": self.end.value, "duration": self.duration.value,
                "depends_on": list(self.depends_on.value), "milestone": bool(self.milestone.value)}

    @value.setter
    def value(self, data: Mapping[str, Any]) -> None:
        get = lambda k: "" if data.get(k) is None else str(data.get(k))  # noqa: E731
        self.name.value = get("name")
        self.owner.value = get("owner")
        stage = get("stage").lower()
        self.stage.value = stage if stage in STAGES else ""
        self.start.value = get("start")
        self.end.value = get("end")
        self.duration.value = get("duration")
        self.milestone.value = str(data.get("milestone")).lower() in {"true", "1", "yes", "y"}
        deps = read_depends(data.get("depends_on"))
        self.depends_on.options = [(d, d) for d in deps]
        self.depends_on.value = deps


class ProjectPlanBuilder(TaskView, w.VBox):
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
        self.rows = w.VBox()
        self.rows.add_class("npq-task-rows")
        self.add_button = button("Add task", css="npq-task-add")
        self.add_button.on_click(lambda _b: self.add_task())
        self.summary = w.HTML()
        self.summary.add_class("npq-plan-summary")
        self.gantt = w.HTML()
        self.gantt.add_class("npq-gantt")
        self._check_controls("Check my plan")
        self._download_controls()
        self.save_status = w.HBox()  # autosave's "Saved at …" line
        super().__init__([style(), header, self.save_status, name_box, title_box, w.HTML("<h2>Tasks</h2>"), self.rows,
                          self.add_button, w.HTML("<h2>Gantt chart</h2>"), self.summary, self.gantt,
                          self.check_button, self.feedback, w.HBox([self.download_button, self.download])])
        self.add_class("npq-app")
        self.add_class("npq-plan-app")
        self.add_task()

    # -- editing ---------------------------------------------------------------------------------------------
    def add_task(self, data: Mapping[str, Any] | None = None) -> TaskRow:
        tid = row_id(data, [r.task_id for r in self.rows.children], "T")
        row = build_row(self, lambda: TaskRow(tid, self), data)
        insert_row(self.rows, row)
        self.names_changed()
        return row

    def remove_task(self, row: TaskRow) -> None:
        remove_row(self.rows, row)
        self.names_changed()

    def names_changed(self) -> None:
        if self.quiet:
            return
        options = [(f"{r.task_id} {r.name.value}".strip()[:60], r.task_id) for r in self.rows.children]
        with self.quietly():
            for r in self.rows.children:
                r.set_dependency_options(options)
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
        floats = (path.floats if path else None) or {}
        for r in self.rows.children:
            r.show_float(floats.get(r.task_id))
        self.gantt.value = figure_html(gantt_figure(plan, self.calendar), gantt_alt(plan, self.calendar),
                                       width_px=1000)

    # -- saved work ------------------------------------------------------------------------------------------
    @property
    def artefact(self) -> dict[str, Any]:
        return self._artefact(
            candidate={"name": self.candidate.value.strip()},
            project={"title": self.project_title.value},
            tasks=[r.value for r in self.rows.children],
        )

    def load(self, artefact: Mapping[str, Any]) -> None:
        with self.quietly():
            cand = artefact.get("candidate") if isinstance(artefact.get("candidate"), Mapping) else {}
            self.candidate.value = str(cand.get("name") or "")
            project = artefact.get("project") if isinstance(artefact.get("project"), Mapping) else {}
            self.project_title.value = str(project.get("title") or "")
            self.rows.children = ()
            tasks = artefact.get("tasks") if isinstance(artefact.get("tasks"), list) else []
            for n, entry in enumerate(tasks, start=1):
                self.add_task(entry if isinstance(entry, Mapping) else blank_task(f"T{n}"))
        self.names_changed()

    # -- checking and export ------------------------------------------------------------------------------
__all__ = ["ProjectPlanBuilder", "TaskRow"]
