"""The pupil performance app: the measure, the project and comparison groups' summary figures, the candidate's own
change / effect size / months, the cautions the figures raise, the before/after chart, checks and the Excel file."""

from __future__ import annotations

from typing import Any, Mapping

import ipywidgets as w

from ...contract import Scenario, Task
from ...domain.values import ValueProblem
from ...widgets.common import WordCountedText, error_html, esc, field, figure_html, style
from ...widgets.task_view import TaskView
from .charts import before_after_chart
from .export import figures
from .model import GROUP_FIELDS, evaluate

_LABELS = {"label": "Name of the group", "n": "Pupils (n)", "baseline_mean": "Baseline mean",
           "baseline_sd": "Baseline SD", "end_mean": "End mean", "end_sd": "End SD"}


class GroupBox(w.VBox):
    def __init__(self, key: str, title: str):
        self.inputs = {}
        boxes = []
        for f in GROUP_FIELDS:
            box = w.Text(layout=w.Layout(width="260px" if f == "label" else "110px"))
            box.add_class(f"npq-pp-{key}-{f.replace('_', '-')}")
            self.inputs[f] = box
            boxes.append(field(_LABELS[f], box)[0])
        super().__init__([w.HTML(f"<h3>{esc(title)}</h3>"), w.HBox(boxes, layout=w.Layout(flex_flow="row wrap"))])
        self.add_class("npq-card")

    @property
    def value(self) -> dict:
        return {f: b.value for f, b in self.inputs.items()}

    def set(self, data: Any) -> None:
        data = data if isinstance(data, Mapping) else {}
        for f, b in self.inputs.items():
            v = data.get(f)
            b.value = "" if v is None else str(v)


class PupilPerformanceView(TaskView, w.VBox):
    export_name = "pupil-performance"

    def __init__(self, task: Task, scenario: Scenario | None):
        self._start(task, scenario)
        self.figs = figures()
        self.measure = w.Text(placeholder="e.g. Standardised maths score", layout=w.Layout(width="420px"))
        self.measure.add_class("npq-pp-measure")
        self.project_group = GroupBox("project", "Project group (the pupils the project worked with)")
        self.comparison = GroupBox("comparison", "Comparison group (leave blank if there is none)")
        self.sd_change = w.Text(layout=w.Layout(width="120px"))
        self.sd_change.add_class("npq-pp-sd-change")
        self.selected_low = w.Checkbox(value=False, indent=False,
                                       description="The project's pupils were chosen because their baseline was low")
        self.selected_low.add_class("npq-pp-selected-low")
        self.answers = {}
        answer_boxes = []
        for key, label in (("change", "Your change (end mean − baseline mean)"),
                           ("effect_size", "Your effect size (Cohen's d)"),
                           ("months", "Your EEF months of additional progress")):
            box = w.Text(layout=w.Layout(width="120px"))
            box.add_class(f"npq-pp-answer-{key.replace('_', '-')}")
            self.answers[key] = box
            answer_boxes.append(field(label, box)[0])
        self.limits = WordCountedText(placeholder="What the evidence can show, and what it cannot…", rows=6)
        self.limits.text.add_class("npq-pp-limits")
        self.conclusion = WordCountedText(placeholder="What the project did for pupils, and how sure you can be…",
                                          rows=4)
        self.conclusion.text.add_class("npq-pp-conclusion")
        self.results = w.HTML()
        self.results.add_class("npq-pp-results")
        self.chart = w.HTML()
        self.chart.add_class("npq-pp-chart")
        name_box = self._name_field()
        self._check_controls("Check my evidence")
        self._download_controls()
        own = ("<p>Enter your project's summary figures (means, standard deviations and numbers of pupils — never "
               "pupils' names or rows).</p>")
        super().__init__([
            style(), w.HTML(self._intro(own)), name_box, field("What was measured", self.measure)[0],
            self.project_group, self.comparison,
            field("SD of each pupil's change, if you have paired scores (optional)", self.sd_change)[0],
            self.selected_low, self.results, self.chart,
            w.HBox(answer_boxes, layout=w.Layout(flex_flow="row wrap")),
            field("What the evidence can and cannot show", self.limits)[0],
            field("Conclusion", self.conclusion)[0],
            self.check_button, self.feedback, self.download_button, self.download,
        ])
        self.add_class("npq-app")
        self.add_class("npq-pp-app")
        for b in [*self.project_group.inputs.values(), *self.comparison.inputs.values(), self.sd_change]:
            b.observe(lambda _c: self._refresh(), "value")
        self.selected_low.observe(lambda _c: self._refresh(), "value")
        self._refresh()

    def _refresh(self) -> None:
        if self.quiet:
            return
        art = self.artefact
        try:
            ev = evaluate(art, self.figs)
        except ValueProblem as exc:
            self.results.value = error_html(str(exc))
            self.chart.value = ""
            return
        if ev is None:
            self.results.value = '<p class="npq-help">Enter the project group\'s figures to see the evidence.</p>'
            self.chart.value = ""
            return
        cautions = "".join(f"<li>{esc(c)}</li>" for c in ev.cautions) or "<li>None raised by the figures.</li>"
        out = f"<h4>Cautions the figures raise</h4><ul>{cautions}</ul>"
        if self.scenario is None:  # your own project: the workings are shown (in a scenario you work them out)
            out += (f"<p>Change {ev.change:+.2f}, 95% interval {ev.change_low:.2f} to {ev.change_high:.2f} "
                    f"({'paired' if ev.paired else 'two samples: give the SD of the changes for a paired interval'})."
                    "</p>")
            if ev.d is not None:
                out += (f"<p>Effect size d = {ev.d:.2f} at the end ({ev.months} EEF months); at baseline "
                        f"d = {ev.d_baseline:.2f}.</p>")
        self.results.value = out
        fig = before_after_chart(art, self.figs)
        self.chart.value = figure_html(fig, "Before and after: group means", width_px=1050) if fig else ""

    @property
    def artefact(self) -> dict[str, Any]:
        return self._artefact(
            candidate={"name": self.candidate.value.strip()} if hasattr(self, "candidate") else {},
            measure=self.measure.value, project_group=self.project_group.value, comparison=self.comparison.value,
            sd_change=self.sd_change.value, selected_low=bool(self.selected_low.value),
            answers={k: b.value for k, b in self.answers.items()} if hasattr(self, "answers") else {},
            limits=self.limits.text.value if hasattr(self, "limits") else "",
            conclusion=self.conclusion.text.value if hasattr(self, "conclusion") else "",
        )

    def load(self, artefact: Mapping[str, Any]) -> None:
        a = self.task.normalise(artefact)
        with self.quietly():
            self.load_header(a)
            self.measure.value = a["measure"]
            self.project_group.set(a["project_group"])
            self.comparison.set(a["comparison"])
            self.sd_change.value = a["sd_change"]
            self.selected_low.value = a["selected_low"]
            for k, b in self.answers.items():
                b.value = str(a["answers"].get(k) or "")
            self.limits.text.value = a["limits"]
            self.conclusion.text.value = a["conclusion"]
        self._refresh()


__all__ = ["PupilPerformanceView"]
