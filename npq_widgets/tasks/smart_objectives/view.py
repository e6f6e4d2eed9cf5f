"""The SMART objectives builder: objective cards, a check with graduated hints, and downloads."""

from __future__ import annotations

from typing import Any, Mapping

import ipywidgets as w

from .model import OBJECTIVE_FIELDS, blank_objective
from ...domain.values import ValueProblem, parse_number, parse_uk_date
from ...contract import Scenario, Task
from ...widgets.rows import build_row, insert_row, remove_row
from ...widgets.task_view import TaskView
from ...widgets.common import WordCountedText, button, error_html, field, style



class ObjectiveCard(w.VBox):
    """One objective: every input labelled, with a message under the fields that can be mistyped."""

    def __init__(self, number: int, priorities: list[tuple[str, str]] | None, on_remove):
        self.number_html = w.HTML()
        self.objective = WordCountedText(placeholder="Who will do what, where and how often…", rows=3)
        self.who = w.Text(placeholder="e.g. Sam Patel, Year 8 English", layout=w.Layout(width="320px"))
        if priorities:
            self.priority: w.Widget = w.Dropdown(options=[("Choose…", "")] + [(lbl, pid) for pid, lbl in priorities],
                                                 value="", layout=w.Layout(width="420px"))
        else:
            self.priority = w.Text(placeholder="the team or school priority", layout=w.Layout(width="420px"))
        self.measure = w.Text(placeholder="e.g. % of lesson visits in which…", layout=w.Layout(width="100%"))
        self.baseline = w.Text(placeholder="e.g. 48%", layout=w.Layout(width="140px"))
        self.target = w.Text(placeholder="e.g. 65%", layout=w.Layout(width="140px"))
        self.deadline = w.Text(placeholder="DD/MM/YYYY", layout=w.Layout(width="160px"))
        self.development = WordCountedText(placeholder="Coaching, a course, a visit, modelling — who, what, when",
                                           rows=2)
        self.remove = button("Remove", css="npq-smart-remove")
        self.remove.tooltip = "Remove this objective"
        self.remove.on_click(lambda _b: on_remove(self))
        for name, widget in (("objective", self.objective.text), ("who", self.who), ("priority", self.priority),
                             ("measure", self.measure), ("baseline", self.baseline), ("target", self.target),
                             ("deadline", self.deadline), ("development", self.development.text)):
            widget.add_class(f"npq-smart-{name}")

        objective_box, _ = field("Objective", self.objective)
        who_box, _ = field("Who", self.who)
        priority_box, _ = field("Priority it serves", self.priority)
        measure_box, _ = field("Measure", self.measure, "What you will count or observe.")
        base_box, self.baseline_msg = field("Starting point", self.baseline)
        target_box, self.target_msg = field("Target", self.target)
        deadline_box, self.deadline_msg = field("Deadline", self.deadline)
        dev_box, _ = field("Development opportunity", self.development)
        super().__init__([
            w.HBox([self.number_html, self.remove], layout=w.Layout(justify_content="space-between")),
            objective_box, w.HBox([who_box, priority_box], layout=w.Layout(flex_flow="row wrap")),
            measure_box, w.HBox([base_box, target_box, deadline_box], layout=w.Layout(flex_flow="row wrap")),
            dev_box,
        ])
        self.add_class("npq-card")
        self.add_class("npq-smart-card")
        self.baseline.observe(lambda _c: self._validate_number(self.baseline, self.baseline_msg, "starting point"),
                              "value")
        self.target.observe(lambda _c: self._validate_number(self.target, self.target_msg, "target"), "value")
        self.deadline.observe(self._validate_deadline, "value")
        self.set_number(number)

    def set_number(self, number: int) -> None:
        self.number = number
        self.number_html.value = f"<h3>Objective {number}</h3>"

    # Messages appear next to the field as soon as something unreadable is typed; the text itself is kept.
    @staticmethod
    def _validate_number(widget: w.Text, message: w.HTML, label: str) -> None:
        if not widget.value.strip():
            message.value = ""
            return
        try:
            parse_number(widget.value, what=f"The {label}")
            message.value = ""
        except ValueProblem as exc:
            message.value = error_html(str(exc))

    def _validate_deadline(self, _change=None) -> None:
        if not self.deadline.value.strip():
            self.deadline_msg.value = ""
            return
        try:
            parse_uk_date(self.deadline.value)
            self.deadline_msg.value = ""
        except ValueProblem as exc:
            self.deadline_msg.value = error_html(str(exc))

    @property
    def value(self) -> dict[str, str]:
        return {
            "objective": self.objective.text.value, "who": self.who.value, "priority": self.priority.value,
            "measure": self.measure.value, "baseline": self.baseline.value, "target": self.target.value,
            "deadline": self.deadline.value, "development": self.development.text.value,
        }

    @value.setter
    def value(self, data: Mapping[str, Any]) -> None:
        get = lambda k: "" if data.get(k) is None else str(data.get(k))  # noqa: E731
        self.objective.text.value = get("objective")
        self.who.value = get("who")
        pr = get("priority")
        if isinstance(self.priority, w.Dropdown) and pr not in [v for _, v in self.priority.options]:
            pr = ""
        self.priority.value = pr
        self.measure.value = get("measure")
        self.baseline.value = get("baseline")
        self.target.value = get("target")
        self.deadline.value = get("deadline")
        self.development.text.value = get("development")


class SmartObjectivesBuilder(TaskView, w.VBox):
    """The whole task: brief, objective cards, check, download."""

    export_name = "smart-objectives"

    def __init__(self, task: Task, scenario: Scenario | None):
        self._start(task, scenario)
        self.priorities = ([(str(p["id"]), str(p["label"])) for p in scenario.data.get("priorities", [])]
                           if scenario else None)
        header = w.HTML(self._intro(
            "<h2>Your own team</h2><p>Write SMART objectives for a member of your own team. Each needs who, a measure "
            "with its starting point and target, the priority it serves, a deadline and the development that will "
            "support it.</p>"))
        name_box = self._name_field()
        self.cards = w.VBox()
        self.add_button = button("Add objective", css="npq-smart-add")
        self.add_button.on_click(lambda _b: self.add_objective())
        self._check_controls("Check my objectives")
        self._download_controls()
        self.save_status = w.HBox()
        super().__init__([style(), header, self.save_status, name_box, self.cards,
                          w.HBox([self.add_button, self.check_button]), self.feedback,
                          w.HBox([self.download_button, self.download])])
        self.add_class("npq-app")
        self.add_class("npq-smart-app")
        self.add_objective()
        self.add_objective()

    # -- editing ---------------------------------------------------------------------------------------------
    def add_objective(self, data: Mapping[str, Any] | None = None) -> ObjectiveCard:
        card = build_row(self, lambda: ObjectiveCard(len(self.cards.children) + 1, self.priorities,
                                                     self.remove_objective), data)
        insert_row(self.cards, card)
        return card

    def remove_objective(self, card: ObjectiveCard) -> None:
        remove_row(self.cards, card)
        for n, c in enumerate(self.cards.children, start=1):
            c.set_number(n)

    @property
    def artefact(self) -> dict[str, Any]:
        return self._artefact(
            candidate={"name": self.candidate.value.strip()},
            objectives=[c.value for c in self.cards.children],
        )

    def load(self, artefact: Mapping[str, Any]) -> None:
        self.cards.children = ()
        self.load_header(artefact)
        for entry in artefact.get("objectives") or []:
            self.add_objective(entry if isinstance(entry, Mapping) else blank_objective())

    # -- checking and export ------------------------------------------------------------------------------
__all__ = ["SmartObjectivesBuilder", "ObjectiveCard", "OBJECTIVE_FIELDS"]
