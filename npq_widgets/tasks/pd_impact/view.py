"""The PD impact and cost-effectiveness app: the programme's cost and reach, two groups' results → effect size (shown
with its working), the candidate's reading of the EEF tables (months, cost band), a Guskey evaluation plan and a
conclusion; a check with graduated hints and an Excel download with live formulas."""

from __future__ import annotations

from typing import Any, Mapping

import ipywidgets as w

from .model import DESIGNS, read_pd
from ...domain.values import format_money
from ...contract import Scenario, Task
from .export import figures
from ...widgets.task_view import TaskView
from ...widgets.common import WordCountedText, button, error_html, esc, field, for_readers, style



def _s(v: Any) -> str:
    return "" if v is None else str(v)


def _box(placeholder: str, width: str, css: str) -> w.Text:
    box = w.Text(placeholder=placeholder, layout=w.Layout(width=width), continuous_update=False)
    box.add_class(css)
    return box


class PdImpactApp(TaskView, w.VBox):
    export_name = "pd-impact"

    def __init__(self, task: Task, scenario: Scenario | None):
        self._start(task, scenario)
        self._candidate_extra: dict[str, Any] = {}
        fig = figures()
        own_work = ("<h2>Your own PD programme</h2><p>Evaluate a professional development programme in your own "
                     "school: its full cost and the pupils it reached, the results of the PD group's pupils against "
                     "a comparison group, and how you will evaluate it at each of Guskey's levels.</p>")
        header = w.HTML(self._intro(own_work, scenario_extra=self._results_table()))
        self.save_status = w.HBox()
        name_box = self._name_field()

        self.title = w.Text(placeholder="e.g. Instructional coaching, Year 9 maths", layout=w.Layout(width="420px"))
        self.title.add_class("npq-pd-title")
        self.cost = _box("e.g. £9,800", "140px", "npq-pd-cost")
        self.pupils = _box("e.g. 112", "110px", "npq-pd-pupils")
        self.from_budget = button("Use the total from my budget", css="npq-pd-from-budget")
        self.from_budget.on_click(lambda _b: self.use_budget_total())
        self.from_budget_msg = w.HTML()
        self.from_budget_msg.add_class("npq-pd-from-budget-message")
        self.years = _box("e.g. 1", "90px", "npq-pd-years")
        self.years.value = "1"  # most PD is judged over one school year; the candidate can change it
        title_box, _ = field("PD programme", self.title)
        cost_box, self.cost_msg = field("Total cost (£)", self.cost, "Every cost, cover included")
        pupils_box, self.pupils_msg = field("Pupils reached", self.pupils)
        years_box, self.years_msg = field("Years it ran", self.years)

        self.design = w.Dropdown(options=[(v, k) for k, v in DESIGNS.items()], value="two-groups",
                                 layout=w.Layout(width="620px"))
        self.design.add_class("npq-pd-design")
        self.measure = w.Text(placeholder="e.g. Standardised maths test, July", layout=w.Layout(width="420px"))
        self.measure.add_class("npq-pd-measure")
        design_box, _ = field("Design", self.design)
        measure_box, _ = field("Outcome measure", self.measure)
        self.groups: dict[str, dict[str, w.Text]] = {}
        self.group_msgs: dict[str, w.HTML] = {}
        group_boxes = []
        examples = {"group1": ("Coached teachers' classes", "102.6", "14.1", "112"),  # each group its own example
                    "group2": ("Other classes, same test", "98.9", "14.9", "84")}
        for key, heading in (("group1", "PD group (or 'after')"), ("group2", "Comparison group (or 'before')")):
            ex_label, ex_mean, ex_sd, ex_n = examples[key]
            boxes = {
                "label": w.Text(placeholder=f"e.g. {ex_label}", layout=w.Layout(width="280px")),
                "mean": _box(f"e.g. {ex_mean}", "110px", f"npq-pd-{key}-mean"),
                "sd": _box(f"e.g. {ex_sd}", "110px", f"npq-pd-{key}-sd"),
                "n": _box(f"e.g. {ex_n}", "100px", f"npq-pd-{key}-n"),
            }
            boxes["label"].add_class(f"npq-pd-{key}-label")
            self.groups[key] = boxes
            parts = [field(lbl, boxes[f])[0] for f, lbl in (("label", "Group"), ("mean", "Mean"),
                                                            ("sd", "Standard deviation"), ("n", "Pupils (n)"))]
            msg = w.HTML()
            msg.add_class("npq-field-message")
            self.group_msgs[key] = msg
            group_boxes.append(w.VBox([w.HTML(f"<h3>{esc(heading)}</h3>"),
                                       w.HBox(parts, layout=w.Layout(flex_flow="row wrap")), msg]))
        self.working = w.HTML()
        self.working.add_class("npq-pd-working")

        self.months = w.Dropdown(options=[("Choose…", "")] + [(f"{m:+d} months" if m else "0 months", str(m))
                                                              for m in range(-12, 13)],
                                 value="", layout=w.Layout(width="160px"))
        self.months.add_class("npq-pd-months")
        self.band = w.Dropdown(options=[("Choose…", "")] + [(b.label, b.id) for b in fig.cost_bands], value="",
                               layout=w.Layout(width="160px"))
        self.band.add_class("npq-pd-band")
        months_box, _ = field("Months of additional progress", self.months)
        band_box, _ = field("EEF cost band", self.band)

        self.levels: dict[int, WordCountedText] = {}
        level_boxes = []
        for g in fig.guskey:
            text = WordCountedText(placeholder=g.prompt, rows=2)
            text.text.add_class(f"npq-pd-level-{g.level}")
            self.levels[g.level] = text
            level_boxes.append(field(f"Level {g.level}: {g.name}", text)[0])
        self.conclusion = WordCountedText(placeholder="Was it worth it? Impact, cost, and how secure the evidence is.",
                                          rows=4)
        self.conclusion.text.add_class("npq-pd-conclusion")
        conclusion_box, _ = field("Your conclusion", self.conclusion)

        self._check_controls("Check my evaluation")
        self._download_controls()
        row = lambda *kids: w.HBox(list(kids), layout=w.Layout(flex_flow="row wrap"))  # noqa: E731
        super().__init__([
            style(), header, self.save_status, name_box,
            w.HTML("<h2>1. The programme</h2>"), row(title_box, cost_box, pupils_box, years_box),
            w.HBox([self.from_budget, self.from_budget_msg]),
            w.HTML("<h2>2. The results</h2>"), design_box, measure_box, *group_boxes, self.working,
            w.HTML("<h2>3. Read the EEF tables</h2>"), w.HTML(self._eef_tables()), row(months_box, band_box),
            w.HTML("<h2>4. Evaluation plan (Guskey's five levels)</h2>"
                   f"<p class='npq-source'>{esc(for_readers(fig.sources.get('guskey', '')))}</p>"), *level_boxes,
            w.HTML("<h2>5. Conclusion</h2>"), conclusion_box,
            self.check_button, self.feedback, w.HBox([self.download_button, self.download]),
        ])
        self.add_class("npq-app")
        self.add_class("npq-pd-app")
        for wid in (self.cost, self.pupils, self.years, self.design,
                    *(b for g in self.groups.values() for b in g.values())):
            wid.observe(lambda _c: self.refresh(), "value")
        self.refresh()

    # -- display -----------------------------------------------------------------------------------------------
    def _results_table(self) -> str:
        rows = self.scenario.data.get("results") if self.scenario else None
        if not rows:
            return ""
        body = "".join(f"<tr><td>{esc(r['group'])}</td><td>{esc(r['test'])}</td><td class='num'>{r['mean']}</td>"
                       f"<td class='num'>{r['sd']}</td><td class='num'>{r['n']}</td></tr>" for r in rows)
        return ('<table class="npq-table npq-pd-results"><tr><th>Group</th><th>Test</th><th class="num">Mean</th>'
                f'<th class="num">Standard deviation</th><th class="num">Pupils</th></tr>{body}</table>')

    @staticmethod
    def _eef_tables() -> str:
        fig = figures()
        months = "".join(f"<tr><td>{b.min:.2f} to {b.max:.2f}</td><td class='num'>{b.months}</td></tr>"
                         for b in fig.months_bands)
        costs = []
        for b in fig.cost_bands:
            if b.below is not None:
                limit = f"less than {format_money(float(b.below))}"
            elif b.up_to is not None:
                limit = f"up to {format_money(float(b.up_to))}"
            else:
                limit = "more than that"
            costs.append(f"<tr><td>{esc(b.label)}</td><td>{esc(limit)}</td></tr>")
        return (
            '<div style="display:flex; gap:32px; flex-wrap:wrap">'
            '<div><table class="npq-table"><tr><th>Effect size (2 dp, ignoring its sign)</th><th class="num">Months'
            f'</th></tr>{months}<tr><td>above {fig.months_bands[-1].max:.2f}</td><td class="num">'
            f'{fig.above_max_months}</td></tr></table><p class="npq-help">Round half-up to 2 dp first; a negative '
            'effect size gives negative months.</p></div>'
            '<div><table class="npq-table"><tr><th>Cost band</th><th>Per pupil per year</th></tr>'
            f'{"".join(costs)}</table><p class="npq-source">{esc(for_readers(fig.sources.get("months", "")))}<br>'
            f'{esc(for_readers(fig.sources.get("cost_bands", "")))}</p></div></div>')

    def refresh(self) -> None:
        """Messages next to the boxes, and the working: pooled SD, effect size, cost per pupil per year."""
        if self.quiet:
            return
        pd = read_pd(self.artefact)
        by_field: dict[str, list[str]] = {}
        for p in pd.problems:
            by_field.setdefault(p.field, []).append(p.message)
        self.cost_msg.value = error_html(" ".join(by_field.get("cost", [])))
        self.pupils_msg.value = error_html(" ".join(by_field.get("pupils", [])))
        self.years_msg.value = error_html(" ".join(by_field.get("years", [])))
        for key, msg in self.group_msgs.items():
            msg.value = error_html(" ".join(m for f, ms in by_field.items() if f.startswith(key) for m in ms))
        lines = []
        if pd.effect_size is not None:
            lines.append(f"Pooled standard deviation: <strong>{pd.pooled_sd:.2f}</strong>. Effect size = "
                         f"({pd.group1.mean:g} − {pd.group2.mean:g}) ÷ {pd.pooled_sd:.2f} = "
                         f'<strong class="npq-pd-effect-size">{pd.effect_size:.2f}</strong>.')
        else:
            lines.append(esc(pd.effect_size_problem))
        if pd.design == "before-after":
            lines.append("⚠ Before-and-after results include the progress pupils would have made anyway: the "
                         "effect size overstates the PD's impact.")
        cpp = pd.per_pupil_per_year
        if cpp is not None:
            lines.append(f'Cost per pupil per year: <strong class="npq-pd-cost-per-pupil">{format_money(cpp)}'
                         f"</strong> ({format_money(pd.cost)} ÷ {pd.pupils} ÷ {pd.years:g}).")  # type: ignore[arg-type]
        else:
            lines.append("Give the cost, the pupils reached and the years to see the cost per pupil per year.")
        self.working.value = '<div class="npq-card"><strong>Working</strong><br>' + "<br>".join(lines) + "</div>"

    # -- saved work --------------------------------------------------------------------------------------------
    def use_budget_total(self) -> None:
        """Take the programme's cost (and pupils reached, if blank) from the candidate's latest saved budget, asked
        of the budget task through this view's context (the view knows neither the store nor the budget task)."""
        from ...contract import TaskError
        from ...store.workbook import display_time

        try:
            found = self.context.latest_output("budget", "costs")
        except TaskError as exc:
            self.from_budget_msg.value = error_html(f"{exc} Type the cost instead.")
            return
        if found is None:
            self.from_budget_msg.value = error_html("No saved budget yet: build one in the Project budget app, or "
                                                    "type the cost.")
            return
        total, pupils = found.value["total_cost"], found.value["pupils"]
        if total <= 0:
            self.from_budget_msg.value = error_html("Your saved budget has no costs yet.")
            return
        self.cost.value = format_money(total)
        if pupils and not self.pupils.value.strip():
            self.pupils.value = str(pupils)
        title = found.title or found.doc_id
        self.from_budget_msg.value = (f'<span class="npq-help">Cost taken from your budget “{esc(title)}”, saved at '
                                      f"{esc(display_time(found.saved_at))}: {esc(format_money(total))}.</span>")

    @property
    def artefact(self) -> dict[str, Any]:
        return self._artefact(
            candidate={**self._candidate_extra, "name": self.candidate.value.strip()},
            programme={"title": self.title.value, "cost": self.cost.value, "pupils": self.pupils.value,
                       "years": self.years.value},
            outcome={"design": self.design.value, "measure": self.measure.value,
                     **{k: {f: box.value for f, box in g.items()} for k, g in self.groups.items()}},
            stated={"months": self.months.value, "cost_band": self.band.value},
            evaluation={str(k): t.text.value for k, t in self.levels.items()},
            conclusion=self.conclusion.text.value,
        )

    def load(self, artefact: Mapping[str, Any]) -> None:
        art = artefact if isinstance(artefact, Mapping) else {}
        get = lambda d, k: d.get(k) if isinstance(d, Mapping) else None  # noqa: E731
        section = lambda k: art.get(k) if isinstance(art.get(k), Mapping) else {}  # noqa: E731
        with self.quietly():
            self.load_header(art)
            prog = section("programme")
            self.title.value = _s(prog.get("title"))
            self.cost.value = _s(prog.get("cost"))
            self.pupils.value = _s(prog.get("pupils"))
            self.years.value = _s(prog.get("years", "1"))
            out = section("outcome")
            design = _s(out.get("design"))
            self.design.value = design if design in DESIGNS else "two-groups"
            self.measure.value = _s(out.get("measure"))
            for key, boxes in self.groups.items():
                for f, box in boxes.items():
                    box.value = _s(get(out.get(key), f))
            stated = section("stated")
            months = _s(stated.get("months")).strip().lstrip("+")
            self.months.value = months if months in [v for _, v in self.months.options] else ""
            band = _s(stated.get("cost_band"))
            self.band.value = band if band in [v for _, v in self.band.options] else ""
            ev = section("evaluation")
            for level, text in self.levels.items():
                text.text.value = _s(ev.get(str(level), ev.get(level)))
            self.conclusion.text.value = _s(art.get("conclusion"))
        self.refresh()

    # -- checking and export -------------------------------------------------------------------------------------
__all__ = ["PdImpactApp"]
