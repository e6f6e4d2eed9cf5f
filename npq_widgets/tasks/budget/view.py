"""The budget builder: cost and funding lines spread across the project's terms, live totals, a stacked bar chart
by term and category, a check with graduated hints, and an Excel download whose totals are live formulas.

Money and number boxes keep exactly what was typed; a figure that cannot be read gets a plain message under its box
(the messages come from the same reader the checker uses, so the two never disagree)."""

from __future__ import annotations

from typing import Any, Mapping

import ipywidgets as w

from .model import (CATEGORY_IDS, PER_TERM_UNIT, Budget, BudgetProblem, Totals, blank_income, read_employed,
                             blank_line, read_lifetime)
from ...widgets.rows import build_row, insert_row, remove_row, row_id
from ...domain.values import format_money
from ...contract import Scenario, Task
from .export import budget_for, category_labels, figures
from .charts import EMPTY, budget_alt, budget_figure, has_costs
from ...widgets.task_view import TaskView
from ...widgets.chart_area import ChartArea
from ...widgets.common import button, error_html, esc, field, figure_html, style



def _text_box(placeholder: str, width: str, css: str) -> w.Text:
    box = w.Text(placeholder=placeholder, layout=w.Layout(width=width), continuous_update=False)
    box.add_class(css)
    return box


def _s(v: Any) -> str:
    return "" if v is None else str(v)


class _Line(w.VBox):
    """Shared by cost and funding lines: an id, per-term boxes rebuilt when the terms change, messages."""

    kind = "cost"

    def _setup(self, line_id: str, builder: "BudgetBuilder") -> None:
        """Parts every line has (called before the VBox is built)."""
        self.line_id = line_id
        self.builder = builder
        self.by_term: dict[str, str] = {}
        self.term_boxes: dict[str, w.Text] = {}
        self.term_msgs: dict[str, w.HTML] = {}
        self.terms_area = w.HBox(layout=w.Layout(flex_flow="row wrap", align_items="flex-start"))
        self.terms_msg = w.HTML()
        self.terms_msg.add_class("npq-budget-terms-message")
        self.title = w.HTML()
        self.total = w.HTML()
        self.total.add_class("npq-budget-line-total")
        self.remove = button("Remove", css="npq-budget-remove")
        self.remove.tooltip = "Remove this line"
        self.remove.on_click(lambda _b: builder.remove_line(self))

    def term_label(self, term: str) -> str:
        return f"{term} (£)"

    def term_css(self) -> str:
        return "npq-budget-term"

    def build_terms(self) -> None:
        boxes, self.term_boxes, self.term_msgs = [], {}, {}
        for term in self.builder.terms:
            box = _text_box("£0.00" if self.term_unit() == "£" else "0", "130px", self.term_css())
            box.value = self.by_term.get(term, "")
            box.observe(lambda c, t=term: self._term_changed(t, c["new"]), "value")
            vbox, msg = field(self.term_label(term), box)
            self.term_boxes[term], self.term_msgs[term] = box, msg
            boxes.append(vbox)
        self.terms_area.children = tuple(boxes)

    def term_unit(self) -> str:
        return "£"

    def _term_changed(self, term: str, value: str) -> None:
        self.by_term[term] = value
        self.builder.changed()

    def terms_value(self) -> dict[str, str]:
        out = {t: self.by_term.get(t, "") for t in self.builder.terms}
        out.update({t: v for t, v in self.by_term.items() if t not in out and str(v).strip()})
        return out

    def show_problems(self, problems: list[BudgetProblem]) -> None:
        by_field: dict[str, list[str]] = {}
        for p in problems:
            by_field.setdefault(p.field, []).append(p.message)
        for term, msg in self.term_msgs.items():
            msg.value = error_html(" ".join(by_field.get(f"by_term:{term}", [])))
        outside = [m for f, ms in by_field.items() if f == "terms" or
                   (f.startswith("by_term:") and f[8:] not in self.term_msgs) for m in ms]
        self.terms_msg.value = error_html(" ".join(outside))
        self.show_own_problems(by_field)

    def show_own_problems(self, by_field: dict[str, list[str]]) -> None:
        pass


# "School's own staff?" on a staffing line: a choice to make, stored as True, False or None (not chosen yet)
EMPLOYED_OPTIONS = (("Choose…", ""), ("Yes — employer on-costs apply", "yes"),
                    ("No — agency or contracted, invoiced", "no"))
EMPLOYED_VALUES = {"": None, "yes": True, "no": False}


class CostLineRow(_Line):
    """One cost line: category, description, the rates it needs, its amounts per term, its total."""

    def __init__(self, line_id: str, builder: "BudgetBuilder"):
        self._setup(line_id, builder)
        labels = category_labels()
        self.category = w.Dropdown(options=[(labels[c], c) for c in CATEGORY_IDS], value="staffing",
                                   layout=w.Layout(width="250px"))
        self.description = w.Text(placeholder="e.g. Maths teachers tutoring, 2 × 3 hours a week",
                                  layout=w.Layout(width="460px"))
        self.employed = w.Dropdown(options=EMPLOYED_OPTIONS, value="", layout=w.Layout(width="330px"))
        self.hours = _text_box("e.g. 6", "110px", "npq-budget-hours")
        self.rate = _text_box("e.g. £40.00", "130px", "npq-budget-rate")
        self.release = _text_box("e.g. 2", "110px", "npq-budget-release")
        self.duplicate = button("Duplicate", css="npq-budget-duplicate")
        self.duplicate.tooltip = "Add a copy of this line below it"
        self.duplicate.on_click(lambda _b: builder.duplicate_line(self))
        self.category.add_class("npq-budget-category")
        self.description.add_class("npq-budget-description")
        self.employed.add_class("npq-budget-employed")
        cat_box, self.category_msg = field("Category", self.category)
        desc_box, _ = field("What it is for", self.description)
        self.hours_box, self.hours_msg = field("Hours per week", self.hours)
        self.rate_label = w.HTML('<div class="npq-field-label">Hourly rate (£)</div>')
        self.rate_msg = w.HTML()
        self.rate_msg.add_class("npq-field-message")
        self.rate_box = w.VBox([self.rate_label, self.rate, self.rate_msg], layout=w.Layout(margin="0 12px 4px 0"))
        self.release_box, self.release_msg = field("Teacher days out of class", self.release,
                                                   "Days this takes teachers away from their lessons (cover them!)")
        self.employed_box, _ = field("School's own staff?", self.employed)
        self.fixed = w.HBox(layout=w.Layout(flex_flow="row wrap", align_items="flex-start"))
        w.VBox.__init__(self, [
            w.HBox([self.title, w.HBox([self.duplicate, self.remove])],
                   layout=w.Layout(justify_content="space-between")),
            w.HBox([cat_box, desc_box], layout=w.Layout(flex_flow="row wrap")),
            self.fixed, self.terms_area, self.terms_msg, self.total,
        ])
        self.add_class("npq-card")
        self.add_class("npq-budget-line")
        self.category.observe(self._category_changed, "value")
        for wid in (self.hours, self.rate, self.release, self.employed):
            wid.observe(lambda _c: builder.changed(), "value")
        self.set_title()
        self._layout_for_category()

    def set_title(self) -> None:
        self.title.value = f"<h3>Cost line {esc(self.line_id)}</h3>"

    def term_unit(self) -> str:
        return PER_TERM_UNIT.get(self.category.value, "£")

    def term_label(self, term: str) -> str:
        unit = self.term_unit()
        return f"Weeks in {term}" if unit == "weeks" else f"Days in {term}" if unit == "days" else f"{term} (£)"

    def _layout_for_category(self) -> None:
        cat = self.category.value
        kids: list[w.Widget] = []
        if cat == "staffing":
            self.rate_label.value = '<div class="npq-field-label">Hourly rate (£)</div>'
            kids = [self.hours_box, self.rate_box, self.employed_box]
        elif cat == "cover":
            self.rate_label.value = '<div class="npq-field-label">Daily rate (£)</div>'
            kids = [self.rate_box]
        elif cat == "cpd":
            kids = [self.release_box]
        self.fixed.children = tuple(kids)
        self.build_terms()

    def _category_changed(self, _change=None) -> None:
        self._layout_for_category()
        self.builder.changed()

    def show_own_problems(self, by_field: dict[str, list[str]]) -> None:
        self.category_msg.value = error_html(" ".join(by_field.get("category", [])))
        self.hours_msg.value = error_html(" ".join(by_field.get("hours_per_week", [])))
        self.rate_msg.value = error_html(" ".join(by_field.get("rate", [])))
        self.release_msg.value = error_html(" ".join(by_field.get("release_days", [])))

    @property
    def value(self) -> dict[str, Any]:
        return {"id": self.line_id, "category": self.category.value, "description": self.description.value,
                "employed": EMPLOYED_VALUES[self.employed.value], "hours_per_week": self.hours.value, "rate": self.rate.value,
                "release_days": self.release.value, "by_term": self.terms_value()}

    @value.setter
    def value(self, data: Mapping[str, Any]) -> None:
        cat = _s(data.get("category")).lower()
        self.by_term = {str(k): _s(v) for k, v in (data.get("by_term") or {}).items()} \
            if isinstance(data.get("by_term"), Mapping) else {}
        self.category.value = cat if cat in CATEGORY_IDS else "other"
        self.description.value = _s(data.get("description"))
        emp = read_employed(data.get("employed"))
        self.employed.value = "" if emp is None else "yes" if emp else "no"
        self.hours.value = _s(data.get("hours_per_week"))
        self.rate.value = _s(data.get("rate"))
        self.release.value = _s(data.get("release_days"))
        self.build_terms()


class IncomeRow(_Line):
    """One funding line: where the money comes from and how much in each term."""

    def __init__(self, line_id: str, builder: "BudgetBuilder"):
        self._setup(line_id, builder)
        self.source = w.Text(placeholder="e.g. Pupil premium", layout=w.Layout(width="360px"))
        self.source.add_class("npq-budget-source")
        src_box, _ = field("Source of funding", self.source)
        w.VBox.__init__(self, [
            w.HBox([self.title, self.remove], layout=w.Layout(justify_content="space-between")),
            src_box, self.terms_area, self.terms_msg, self.total])
        self.add_class("npq-card")
        self.add_class("npq-budget-income")
        self.title.value = f"<h3>Funding {esc(line_id)}</h3>"
        self.build_terms()

    def term_css(self) -> str:
        return "npq-budget-income-term"

    @property
    def value(self) -> dict[str, Any]:
        return {"id": self.line_id, "source": self.source.value, "by_term": self.terms_value()}

    @value.setter
    def value(self, data: Mapping[str, Any]) -> None:
        self.by_term = {str(k): _s(v) for k, v in (data.get("by_term") or {}).items()} \
            if isinstance(data.get("by_term"), Mapping) else {}
        self.source.value = _s(data.get("source"))
        self.build_terms()


class BudgetBuilder(TaskView, w.VBox):
    """The whole task: brief, project dates, parameters, cost and funding lines, totals, chart, check, download."""

    export_name = "budget"

    def __init__(self, task: Task, scenario: Scenario | None):
        self._start(task, scenario)
        self._chart_key: Any = None
        self._candidate_extra: dict[str, Any] = {}
        self.terms: tuple[str, ...] = ()
        fig = figures()
        own_work = ("<h2>Your own project</h2><p>Build the budget for your own project: give its dates (at least "
                     "two whole terms), the number of pupils it reaches, then every cost and every source of "
                     "funding, term by term. The checks are the same, without a scenario's figures.</p>")
        header = w.HTML(self._intro(own_work) +
                        f"<p class='npq-source'>Parameters: {esc(fig.surplus_max_percent.source)} "
                        f"{esc(fig.contingency_percent.source)}</p>")
        self.save_status = w.HBox()
        name_box = self._name_field()
        self.project_title = w.Text(placeholder="e.g. Year 9 maths tutoring", layout=w.Layout(width="320px"))
        self.project_title.add_class("npq-project-title")
        self.project_start = _text_box("DD/MM/YYYY", "140px", "npq-project-start")
        self.project_end = _text_box("DD/MM/YYYY", "140px", "npq-project-end")
        title_box, _ = field("Project", self.project_title)
        start_box, _ = field("Project starts", self.project_start)
        end_box, self.lifetime_msg = field("Project ends", self.project_end)
        self.lifetime_msg.add_class("npq-lifetime-message")
        if scenario and scenario.data.get("lifetime"):
            life = scenario.data["lifetime"]
            self.project_start.value, self.project_end.value = str(life["start"]), str(life["end"])
            self.project_start.disabled = self.project_end.disabled = True
        self.on_costs = _text_box("e.g. 30", "110px", "npq-budget-on-costs")
        self.contingency = _text_box("e.g. 5", "110px", "npq-budget-contingency")
        self.pupils = _text_box("e.g. 36", "110px", "npq-budget-pupils")
        onc_box, self.on_costs_msg = field("Employer on-costs (%)", self.on_costs)
        cont_box, self.contingency_msg = field("Contingency (%)", self.contingency)
        pup_box, self.pupils_msg = field("Pupils reached", self.pupils)
        self.lines = w.VBox()
        self.lines.add_class("npq-budget-lines")
        self.income = w.VBox()
        self.income.add_class("npq-budget-incomes")
        self.add_line_button = button("Add cost line", css="npq-budget-add-line")
        self.add_line_button.on_click(lambda _b: self.add_line())
        self.add_income_button = button("Add funding line", css="npq-budget-add-income")
        self.add_income_button.on_click(lambda _b: self.add_income())
        self.totals_html = w.HTML()
        self.totals_html.add_class("npq-budget-totals")
        self.chart = ChartArea()  # drawn once the page has been painted (widgets/chart_area.py)
        self.chart.add_class("npq-budget-chart")
        self._check_controls("Check my budget")
        self._download_controls()
        row = lambda *kids: w.HBox(list(kids), layout=w.Layout(flex_flow="row wrap"))  # noqa: E731
        super().__init__([
            style(), header, self.save_status, name_box, row(title_box, start_box, end_box),
            row(pup_box, onc_box, cont_box),
            w.HTML("<h2>Costs</h2><p class='npq-help'>Staffing: hours per week × weeks × hourly rate. Supply cover: "
                   "days × daily rate. Other lines: the amount in each term.</p>"),
            self.lines, self.add_line_button,
            w.HTML("<h2>Funding</h2>"), self.income, self.add_income_button,
            w.HTML("<h2>Totals</h2>"), self.totals_html, self.chart,
            self.check_button, self.feedback, w.HBox([self.download_button, self.download]),
        ])
        self.add_class("npq-app")
        self.add_class("npq-budget-app")
        for wid in (self.project_start, self.project_end):
            wid.observe(self._lifetime_changed, "value")
        for wid in (self.on_costs, self.contingency, self.pupils):
            wid.observe(lambda _c: self.changed(), "value")
        with self.quietly():
            self._lifetime_changed()
            self.add_line()
            self.add_income()
        self.changed()

    # -- terms ------------------------------------------------------------------------------------------------
    def _lifetime(self):
        if self.scenario and self.scenario.data.get("lifetime"):
            return read_lifetime(self.scenario.data["lifetime"])
        if not (self.project_start.value.strip() and self.project_end.value.strip()):
            return None, ""
        return read_lifetime({"start": self.project_start.value, "end": self.project_end.value})

    def _lifetime_changed(self, _change=None) -> None:
        life, problem = self._lifetime()
        self.lifetime_msg.value = error_html(problem) if problem else (
            f'<span class="npq-help">{esc(life.describe())}</span>' if life else "")
        terms = tuple(t.name for t in life.terms()) if life else ()
        if terms != self.terms:
            self.terms = terms
            for line in (*self.lines.children, *self.income.children):
                line.build_terms()
        self.changed()

    # -- editing ----------------------------------------------------------------------------------------------
    def _ids(self) -> list[str]:
        return [r.line_id for r in (*self.lines.children, *self.income.children)]

    def add_line(self, data: Mapping[str, Any] | None = None, *, after: CostLineRow | None = None) -> CostLineRow:
        lid = row_id(data, self._ids(), "C", unique=True)
        row = build_row(self, lambda: CostLineRow(lid, self), dict(data or blank_line(lid), id=lid))
        insert_row(self.lines, row, after)
        self.changed()
        return row

    def duplicate_line(self, row: CostLineRow) -> CostLineRow:
        data = dict(row.value)
        data["id"] = ""
        data["description"] = (data["description"] + " (copy)").strip()
        return self.add_line(data, after=row)

    def add_income(self, data: Mapping[str, Any] | None = None) -> IncomeRow:
        lid = row_id(data, self._ids(), "I", unique=True)
        row = build_row(self, lambda: IncomeRow(lid, self), dict(data or blank_income(lid), id=lid))
        insert_row(self.income, row)
        self.changed()
        return row

    def remove_line(self, row: _Line) -> None:
        remove_row(self.income if isinstance(row, IncomeRow) else self.lines, row)
        self.changed()

    # -- live totals --------------------------------------------------------------------------------------------
    def budget(self) -> Budget:
        return budget_for(self.artefact, self.scenario)

    def changed(self) -> None:
        if self.quiet:
            return
        budget = self.budget()
        totals = budget.totals()
        by_line: dict[str, list[BudgetProblem]] = {}
        general: dict[str, list[str]] = {}
        for p in budget.problems:
            if p.row == 0:
                general.setdefault(p.field, []).append(p.message)
            else:
                by_line.setdefault(p.line, []).append(p)
        self.on_costs_msg.value = error_html(" ".join(general.get("on_costs_percent", [])))
        self.contingency_msg.value = error_html(" ".join(general.get("contingency_percent", [])))
        self.pupils_msg.value = error_html(" ".join(general.get("pupils", [])))
        lines = {ln.id: ln for ln in budget.lines}
        for row in self.lines.children:
            row.show_problems(by_line.get(row.line_id, []))
            ln = lines.get(row.line_id)
            if ln is not None:
                cost = sum(ln.cost_in(t) for t in totals.terms)
                onc = sum(ln.on_costs_in(t, budget.on_costs_percent or 0) for t in totals.terms)
                extra = f" + {format_money(onc)} on-costs" if onc else ""
                row.total.value = (f'<span class="npq-help">Line total: <strong>{format_money(cost)}</strong>'
                                   f'{extra}</span>')
        incomes = {i.id: i for i in budget.income}
        for row in self.income.children:
            row.show_problems(by_line.get(row.line_id, []))
            inc = incomes.get(row.line_id)
            if inc is not None:
                row.total.value = (f'<span class="npq-help">Total: <strong>'
                                   f'{format_money(sum(inc.amounts.values()))}</strong></span>')
        self.totals_html.value = self._totals_table(budget, totals)
        key = (totals.terms, tuple(sorted((k, tuple(v.items())) for k, v in totals.stack().items())),
               tuple(totals.funding.items()))
        if key != self._chart_key:
            self._chart_key = key
            if not totals.terms:
                self.chart.clear()
            elif not has_costs(totals):  # words, not an empty chart with a £0–£1 scale
                self.chart.clear(f'<p class="npq-chart-empty">{EMPTY}.</p>')
            else:
                self.chart.draw(lambda: figure_html(budget_figure(totals), budget_alt(totals), width_px=1050))

    def _totals_table(self, budget: Budget, t: Totals) -> str:
        if not t.terms:
            return '<p class="npq-help">Give the project\'s start and end dates to see the terms and totals.</p>'
        labels = category_labels()
        head = "".join(f'<th class="num">{esc(term)}</th>' for term in t.terms)
        rows = []

        def tr(label: str, per_term: Mapping[str, float], bold: bool = False, css: str = "") -> None:
            cells = "".join(f'<td class="num">{format_money(per_term.get(term, 0.0))}</td>' for term in t.terms)
            total = sum(per_term.get(term, 0.0) for term in t.terms)
            b0, b1 = ("<strong>", "</strong>") if bold else ("", "")
            rows.append(f'<tr class="{css}"><th>{b0}{esc(label)}{b1}</th>{cells}'
                        f'<td class="num">{b0}{format_money(total)}{b1}</td></tr>')

        for c in CATEGORY_IDS:
            tr(labels[c], t.by_category[c])
            if c == "staffing":
                tr(f"Employer on-costs ({(budget.on_costs_percent or 0):g}%)", t.on_costs)
        tr(f"Contingency ({(budget.contingency_percent or 0):g}%)", t.contingency)
        tr("Total cost", t.cost, True, "npq-total-cost-row")
        tr("Funding", t.funding, True, "npq-funding-row")
        tr("Balance (funding − cost)", {term: t.funding[term] - t.cost[term] for term in t.terms}, True,
           "npq-balance-row")
        share = t.staffing_share
        per_pupil = t.cost_per_pupil
        surplus = t.surplus_percent
        state = ("short — funding does not cover the cost" if t.balance < -0.005 else
                 "balanced" if abs(t.balance) < 0.005 else f"surplus of {surplus:.1f}% of the cost"
                 if surplus is not None else "surplus")
        return (
            f'<table class="npq-table"><tr><th>£</th>{head}<th class="num">Total</th></tr>{"".join(rows)}</table>'
            f'<p class="npq-budget-key">Total cost <strong class="npq-total-cost">{format_money(t.total_cost)}</strong>'
            f' · funding <strong>{format_money(t.total_funding)}</strong> · balance '
            f'<strong class="npq-balance">{format_money(t.balance)}</strong> ({esc(state)})<br>'
            f'Cost per pupil reached: <strong class="npq-cost-per-pupil">'
            f'{format_money(per_pupil) if per_pupil is not None else "— (give the pupils reached)"}</strong>'
            f' · staffing share of cost (incl. on-costs): <strong>'
            f'{f"{share * 100:.1f}%" if share is not None else "—"}</strong></p>')

    # -- saved work -------------------------------------------------------------------------------------------
    @property
    def artefact(self) -> dict[str, Any]:
        return self._artefact(
            candidate={**self._candidate_extra, "name": self.candidate.value.strip()},
            project={"title": self.project_title.value, "start": self.project_start.value,
                     "end": self.project_end.value},
            pupils=self.pupils.value,
            on_costs_percent=self.on_costs.value,
            contingency_percent=self.contingency.value,
            lines=[r.value for r in self.lines.children],
            income=[r.value for r in self.income.children],
        )

    def load(self, artefact: Mapping[str, Any]) -> None:
        """Restore saved work exactly; an unreadable line comes back blank rather than being dropped."""
        art = artefact if isinstance(artefact, Mapping) else {}
        with self.quietly():
            project = self.load_header(art)
            if not self.project_start.disabled:
                self.project_start.value = _s(project.get("start"))
                self.project_end.value = _s(project.get("end"))
            self.pupils.value = _s(art.get("pupils"))
            self.on_costs.value = _s(art.get("on_costs_percent"))
            self.contingency.value = _s(art.get("contingency_percent"))
            self._lifetime_changed()
            self.lines.children = ()
            self.income.children = ()
            for entry in art.get("lines") if isinstance(art.get("lines"), list) else []:
                self.add_line(entry if isinstance(entry, Mapping) else blank_line(""))
            for entry in art.get("income") if isinstance(art.get("income"), list) else []:
                self.add_income(entry if isinstance(entry, Mapping) else blank_income(""))
        self.changed()

    # -- checking and export ----------------------------------------------------------------------------------
__all__ = ["BudgetBuilder", "CostLineRow", "IncomeRow"]
