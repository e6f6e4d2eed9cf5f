"""The curriculum and staffing model app: each school's pupils, curriculum plan, teachers and money in editable
tables; the DfE ICFP measures side by side with their flags; what-if scenarios with the difference in FTE and cost;
a chart per school; the candidate's reading of the flags and a recommendation; a check and an Excel download."""

from __future__ import annotations

import copy
from typing import Any, Callable, Mapping, Sequence

import ipywidgets as w

from .charts import alt_text, school_figure
from .model import contact_flag, read_trust, staff_cost_flag
from ...contract import Scenario, Task
from ...domain.values import format_money
from ...widgets.common import WordCountedText, button, error_html, esc, field, figure_html, label_input, style
from ...widgets.task_view import TaskView
from .export import figures

YEAR_FIELDS = (("year", "Year group", "e.g. Year 7", "140px"), ("pupils", "Pupils", "e.g. 180", "100px"))
CURRICULUM_FIELDS = (("year", "Year group", "e.g. Year 7", "120px"), ("subject", "Subject", "e.g. English", "180px"),
                     ("periods", "Periods per group a cycle", "e.g. 8", "110px"),
                     ("groups", "Groups", "e.g. 7", "90px"))
TEACHER_FIELDS = (("role", "Role", "e.g. Classroom teachers", "260px"), ("fte", "FTE", "e.g. 34.0", "90px"),
                  ("cost", "Cost (£ a year, with on-costs)", "e.g. £1,495,000", "150px"),
                  ("contact_periods", "Contact periods a cycle", "e.g. 1,360", "110px"))
CHANGE_FIELDS = (("school", "School (its code)", "e.g. MOO", "110px"), ("year", "Year group", "e.g. Year 7", "120px"),
                 ("subject", "Subject", "e.g. Humanities", "160px"),
                 ("groups", "Groups (what-if)", "e.g. 6", "100px"),
                 ("periods", "Periods per group (blank: unchanged)", "", "120px"))
SCHOOL_FIELDS = (("id", "School code", "e.g. MOO", "100px"), ("name", "School", "e.g. Moorside Academy", "260px"),
                 ("periods_per_cycle", "Periods in the timetable cycle", "e.g. 50", "110px"),
                 ("income", "Income (£ a year)", "e.g. £4,400,000", "150px"),
                 ("support_staff_cost", "Support staff cost (£ a year)", "e.g. £1,050,000", "150px"))
CONTACT_OPTIONS = (("Choose…", ""), ("below the target", "below"), ("around the target", "around"),
                   ("above the target", "above"))
STAFF_OPTIONS = (("Choose…", ""), ("high (above the benchmark)", "high"), ("not high", "not-high"))


def _s(v: Any) -> str:
    return "" if v is None else str(v)


def _text(placeholder: str, width: str, css: str) -> w.Text:
    t = w.Text(placeholder=placeholder, layout=w.Layout(width=width), continuous_update=False)
    t.add_class(css)
    return t


_SHARED: dict[str, Any] = {}


def _shared(kind: str, make: Callable[[], Any]) -> Any:
    """One Layout or style object shared by every cell of a kind (a large trust has hundreds of cells: each widget
    of its own would make the page slow to open)."""
    if kind not in _SHARED:
        _SHARED[kind] = make()
    return _SHARED[kind]


class _Row(w.HBox):
    """One row of boxes under its list's column titles (the visible labels); ``.value`` is a dict of the typed text."""

    def __init__(self, fields: Sequence[tuple[str, str, str, str]], on_change: Callable[[], None],
                 on_remove: Callable[["_Row"], None], css: str):
        style_ = _shared("text-style", lambda: type(w.Text().style)())
        self.boxes = {}
        for k, label, ph, width in fields:
            box = w.Text(placeholder=ph, continuous_update=False, style=style_,
                         layout=_shared(f"width-{width}", lambda width=width: w.Layout(width=width)),
                         tooltip=label)
            box.add_class(f"{css}-{k}")
            label_input(box, label)  # a screen reader hears the column title; the page shows it once, above
            self.boxes[k] = box
        remove = w.Button(description="Remove", tooltip="Remove this row",
                          layout=_shared("remove", lambda: w.Layout(width="auto", min_width="90px")),
                          style=_shared("button-style", w.ButtonStyle))
        remove.add_class(f"{css}-remove")
        remove.on_click(lambda _b: on_remove(self))
        super().__init__([*self.boxes.values(), remove], layout=_shared("row", lambda: w.Layout(flex_flow="row wrap")))
        for box in self.boxes.values():
            box.observe(lambda _c: on_change(), "value")

    @property
    def value(self) -> dict[str, str]:
        return {k: b.value for k, b in self.boxes.items()}

    @value.setter
    def value(self, data: Mapping[str, Any]) -> None:
        for k, b in self.boxes.items():
            b.value = _s(data.get(k)) if isinstance(data, Mapping) else ""


class _RowList(w.VBox):
    def __init__(self, view: "CurriculumModelApp", title: str, fields, css: str, add_label: str):
        self.view, self.fields, self.css = view, fields, css
        self.rows = w.VBox()
        add = button(add_label, css=f"{css}-add")
        add.on_click(lambda _b: self.add({}))
        heads = "".join(f'<div class="npq-field-label" style="width:{width}; margin-right:4px">{esc(label)}</div>'
                        for _, label, _, width in fields)
        super().__init__([w.HTML(f"<h4>{esc(title)}</h4><div style='display:flex; flex-wrap:wrap'>{heads}</div>"),
                          self.rows, add])

    def add(self, data: Mapping[str, Any]) -> _Row:
        with self.view.quietly():
            row = _Row(self.fields, self.view.changed, self.remove, self.css)
            row.value = data
            self.rows.children = (*self.rows.children, row)
        self.view.changed()
        return row

    def remove(self, row: _Row) -> None:
        self.rows.children = tuple(r for r in self.rows.children if r is not row)
        self.view.changed()

    @property
    def value(self) -> list[dict[str, str]]:
        return [r.value for r in self.rows.children]

    @value.setter
    def value(self, rows: Any) -> None:
        with self.view.quietly():
            self.rows.children = ()
            for r in rows if isinstance(rows, list) else []:
                self.add(r if isinstance(r, Mapping) else {})


class _SchoolBox(w.VBox):
    def __init__(self, view: "CurriculumModelApp"):
        self.view = view
        self.boxes = {k: _text(ph, width, f"npq-cm-school-{k}") for k, _, ph, width in SCHOOL_FIELDS}
        for b in self.boxes.values():
            b.observe(lambda _c: view.changed(), "value")
        self.years = _RowList(view, "Pupils by year group", YEAR_FIELDS, "npq-cm-year", "Add a year group")
        self.curriculum = _RowList(view, "Curriculum plan", CURRICULUM_FIELDS, "npq-cm-curriculum",
                                   "Add a curriculum row")
        self.teachers = _RowList(view, "Teachers", TEACHER_FIELDS, "npq-cm-teacher", "Add a teacher row")
        remove = button("Remove this school", css="npq-cm-school-remove")
        remove.on_click(lambda _b: view.remove_school(self))
        top = w.HBox([field(label, self.boxes[k])[0] for k, label, _, _ in SCHOOL_FIELDS],
                     layout=w.Layout(flex_flow="row wrap"))
        super().__init__([top, self.years, self.curriculum, self.teachers, remove])
        self.add_class("npq-card")

    @property
    def value(self) -> dict[str, Any]:
        return {**{k: b.value for k, b in self.boxes.items()}, "year_groups": self.years.value,
                "curriculum": self.curriculum.value, "teachers": self.teachers.value}

    @value.setter
    def value(self, data: Mapping[str, Any]) -> None:
        data = data if isinstance(data, Mapping) else {}
        for k, b in self.boxes.items():
            b.value = _s(data.get(k))
        self.years.value = data.get("year_groups")
        self.curriculum.value = data.get("curriculum")
        self.teachers.value = data.get("teachers")


class _WhatIfBox(w.VBox):
    def __init__(self, view: "CurriculumModelApp"):
        self.id = w.Text(layout=w.Layout(display="none"))
        self.title = _text("e.g. Year 7 humanities in groups of 30", "520px", "npq-cm-whatif-title")
        self.title.observe(lambda _c: view.changed(), "value")
        self.changes = _RowList(view, "Changes to the curriculum plan", CHANGE_FIELDS, "npq-cm-change",
                                "Add a change")
        remove = button("Remove this scenario", css="npq-cm-whatif-remove")
        remove.on_click(lambda _b: view.remove_whatif(self))
        super().__init__([field("What-if scenario", self.title)[0], self.changes, remove])
        self.add_class("npq-card")

    @property
    def value(self) -> dict[str, Any]:
        return {"id": self.id.value, "title": self.title.value, "changes": self.changes.value}

    @value.setter
    def value(self, data: Mapping[str, Any]) -> None:
        data = data if isinstance(data, Mapping) else {}
        self.id.value = _s(data.get("id"))
        self.title.value = _s(data.get("title"))
        self.changes.value = data.get("changes")


class CurriculumModelApp(TaskView, w.VBox):
    export_name = "curriculum-model"

    def __init__(self, task: Task, scenario: Scenario | None):
        self._start(task, scenario)
        self._candidate_extra: dict[str, Any] = {}
        self._flag_answers: dict[str, dict[str, str]] = {}
        fig = figures()
        own = ("<h2>Your own schools</h2><p>Add each school: its pupils by year group, its curriculum plan (periods "
               "per group in a timetable cycle and the number of groups), its teachers by role (FTE, yearly cost "
               "with on-costs, contact periods) and its income.</p>")
        header = w.HTML(self._intro(own))
        self.save_status = w.HBox()
        name_box = self._name_field()
        self.schools_box = w.VBox()
        add_school = button("Add a school", css="npq-cm-add-school")
        add_school.on_click(lambda _b: self.add_school({}))
        self.reset = button("Reload the brief's school data", css="npq-cm-reset")
        self.reset.on_click(lambda _b: self.reload_brief())
        self.measures = w.HTML()
        self.measures.add_class("npq-cm-measures")
        self.whatifs_box = w.VBox()
        add_whatif = button("Add a what-if scenario", css="npq-cm-add-whatif")
        add_whatif.on_click(lambda _b: self.add_whatif({}))
        self.comparison = w.HTML()
        self.comparison.add_class("npq-cm-comparison")
        self.draw = button("Draw the charts", css="npq-cm-draw")
        self.draw.on_click(lambda _b: self.draw_charts())
        self.charts = w.HTML()
        self.charts.add_class("npq-cm-charts")
        self.flags_box = w.VBox()
        self.recommendation = WordCountedText(placeholder="What should the trust board do, and why? Use the figures.",
                                              rows=5, limit=None)
        self.recommendation.text.add_class("npq-cm-recommendation")
        rec_box, _ = field("Your recommendation to stakeholders", self.recommendation)
        self._check_controls("Check my model")
        self._download_controls()
        source = (f"<p class='npq-source'>{esc(fig.formulas_source)}<br>{esc(fig.contact_ratio_target.source)}<br>"
                  f"{esc(fig.staff_cost_high_percent.source)}</p>")
        super().__init__([
            style(), header, self.save_status, name_box,
            w.HTML("<h2>1. The schools</h2>"), self.schools_box,
            w.HBox([add_school] + ([self.reset] if scenario is not None else [])),
            w.HTML("<h2>2. The measures (DfE integrated curriculum and financial planning)</h2>" + source),
            self.measures,
            w.HTML("<h2>3. What-if scenarios</h2>"), self.whatifs_box, add_whatif, self.comparison,
            self.draw, self.charts,
            w.HTML("<h2>4. Your reading of the measures</h2>"), self.flags_box, rec_box,
            self.check_button, self.feedback, w.HBox([self.download_button, self.download]),
        ])
        self.add_class("npq-app")
        self.add_class("npq-cm-app")
        if scenario is not None and scenario.data.get("schools"):
            self.reload_brief()
        else:
            self.add_school({})
        self.refresh()

    # -- editing -----------------------------------------------------------------------------------------------
    def add_school(self, data: Mapping[str, Any]) -> _SchoolBox:
        with self.quietly():
            box = _SchoolBox(self)
            box.value = data
            self.schools_box.children = (*self.schools_box.children, box)
        self.changed()
        return box

    def remove_school(self, box: _SchoolBox) -> None:
        self.schools_box.children = tuple(b for b in self.schools_box.children if b is not box)
        self.changed()

    def add_whatif(self, data: Mapping[str, Any]) -> _WhatIfBox:
        with self.quietly():
            box = _WhatIfBox(self)
            box.value = data
            if not box.id.value:
                taken = {b.id.value for b in self.whatifs_box.children}
                box.id.value = next(f"W{i}" for i in range(1, len(taken) + 2) if f"W{i}" not in taken)
            self.whatifs_box.children = (*self.whatifs_box.children, box)
        self.changed()
        return box

    def remove_whatif(self, box: _WhatIfBox) -> None:
        self.whatifs_box.children = tuple(b for b in self.whatifs_box.children if b is not box)
        self.changed()

    def reload_brief(self) -> None:
        with self.quietly():
            self.schools_box.children = ()
            for s in copy.deepcopy(list(self.scenario.data.get("schools") or ())) if self.scenario else ():
                self.add_school(s)
        self.changed()

    def changed(self) -> None:
        if not self.quiet:
            self.refresh()

    # -- display -----------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        if self.quiet:
            return
        fig = figures()
        target, tol = fig.contact_ratio_target.value, fig.contact_ratio_tolerance.value
        trust = read_trust(self.artefact)
        problems = "".join(f"<li>{error_html(p.message)}</li>" for p in trust.problems[:12])
        metrics = trust.metrics(target)
        if trust.schools:
            def cell(v, fmt):  # noqa: ANN001
                return "—" if v is None else fmt(v)

            flag_words = {"below": "⬇ below target", "around": "✓ around target", "above": "⬆ above target",
                          "high": "⚠ high", "not-high": "✓ not high", "": "—"}
            rows = [
                ("Pupils", lambda m: f"{m.pupils:,.0f}"),
                ("Periods to staff a cycle", lambda m: f"{m.periods_to_staff:,.0f}"),
                ("Teacher FTE held", lambda m: f"{m.fte_held:.2f}"),
                (f"Teacher FTE needed (contact ratio {target:g})", lambda m: cell(m.fte_needed, "{:.2f}".format)),
                ("FTE held − needed", lambda m: cell(m.fte_gap, "{:+.2f}".format)),
                ("Teacher contact ratio", lambda m: cell(m.contact_ratio, "{:.3f}".format)),
                ("Contact ratio against the target", lambda m: flag_words[contact_flag(m.contact_ratio, target, tol)]),
                ("Pupil–teacher ratio", lambda m: cell(m.ptr, "{:.2f}".format)),
                ("Average class size (PTR ÷ contact ratio)", lambda m: cell(m.average_class_size, "{:.2f}".format)),
                ("Average teacher cost", lambda m: cell(m.average_teacher_cost, format_money)),
                ("Cost per lesson (a year, per period a cycle)", lambda m: cell(m.cost_per_lesson, format_money)),
                ("Staff cost as a share of income", lambda m: cell(m.staff_cost_share, lambda v: f"{v:.1%}")),
                (f"Staff cost (above {fig.staff_cost_high_percent.value:g}% is high)",
                 lambda m: flag_words[staff_cost_flag(m.staff_cost_share, fig.staff_cost_high_percent.value)]),
            ]
            head = "".join(f'<th class="num">{esc(s.label)}</th>' for s in trust.schools)
            body = "".join(f"<tr><td>{esc(label)}</td>" + "".join(f'<td class="num">{esc(fn(metrics[s.id]))}</td>'
                                                                   for s in trust.schools) + "</tr>"
                           for label, fn in rows)
            table = f'<table class="npq-table"><tr><th>Measure</th>{head}</tr>{body}</table>'
        else:
            table = "<p>Add a school to see its measures.</p>"
        self.measures.value = (f"<ul>{problems}</ul>" if problems else "") + table
        self.comparison.value = self._comparison_html(trust, target)
        self._refresh_flags(trust)

    def _comparison_html(self, trust, target: float) -> str:
        parts = []
        for wi in trust.whatifs:
            diffs, unmatched = trust.compare(wi, target)
            lines = "".join(f"<li>{error_html(u)}</li>" for u in unmatched)
            rows = "".join(
                f"<tr><td>{esc(trust.school(d.school).label)}</td><td class='num'>{d.before.periods_to_staff:,.0f}"
                f"</td><td class='num'>{d.after.periods_to_staff:,.0f}</td>"
                f"<td class='num'>{(d.before.fte_needed or 0):.2f}</td><td class='num'>{(d.after.fte_needed or 0):.2f}"
                f"</td><td class='num'>{d.fte:+.2f}</td><td class='num'>{esc(format_money(d.cost))}</td>"
                f"<td class='num'>{'—' if d.largest_class is None else f'{d.largest_class:.1f}'}</td></tr>"
                for d in diffs)
            total = (f"<tr><th>Whole trust</th><td></td><td></td><td></td><td></td>"
                     f"<th class='num'>{sum(d.fte for d in diffs):+.2f}</th>"
                     f"<th class='num'>{esc(format_money(sum(d.cost for d in diffs)))}</th><td></td></tr>")
            parts.append(f"<h3>{esc(wi.title)}</h3>" + (f"<ul>{lines}</ul>" if lines else "") + (
                '<table class="npq-table npq-cm-whatif-table"><tr><th>School</th><th class="num">Periods now</th>'
                '<th class="num">Periods (what-if)</th><th class="num">FTE needed now</th>'
                '<th class="num">FTE needed (what-if)</th><th class="num">Change in FTE</th>'
                '<th class="num">Change in cost a year</th><th class="num">Largest changed group</th></tr>'
                f"{rows}{total}</table>" if diffs else "<p>No change that matches a school's curriculum yet.</p>"))
        return "".join(parts)

    def _refresh_flags(self, trust) -> None:
        self._flag_answers = {**self._flag_answers, **self._read_flag_widgets()}
        ids = [s.id for s in trust.schools]
        if [getattr(b, "school_id", None) for b in self.flags_box.children] == ids:
            return
        boxes = []
        with self.quietly():
            for s in trust.schools:
                saved = self._flag_answers.get(s.id, {})
                contact = w.Dropdown(options=CONTACT_OPTIONS, value=saved.get("contact", "")
                                     if saved.get("contact", "") in dict(CONTACT_OPTIONS).values() else "")
                contact.add_class("npq-cm-flag-contact")
                staff = w.Dropdown(options=STAFF_OPTIONS, value=saved.get("staff_cost", "")
                                   if saved.get("staff_cost", "") in dict(STAFF_OPTIONS).values() else "")
                staff.add_class("npq-cm-flag-staff")
                for d in (contact, staff):
                    d.observe(lambda _c: self._flags_changed(), "value")
                box = w.HBox([field(f"{s.label}: contact ratio", contact)[0],
                              field(f"{s.label}: staff cost", staff)[0]], layout=w.Layout(flex_flow="row wrap"))
                box.school_id = s.id
                box.dropdowns = (contact, staff)
                boxes.append(box)
            self.flags_box.children = tuple(boxes)

    def _read_flag_widgets(self) -> dict[str, dict[str, str]]:
        return {b.school_id: {"contact": b.dropdowns[0].value, "staff_cost": b.dropdowns[1].value}
                for b in self.flags_box.children}

    def _flags_changed(self) -> None:
        if not self.quiet:
            self._flag_answers.update(self._read_flag_widgets())

    def draw_charts(self) -> None:
        trust = read_trust(self.artefact)
        fig = figures()
        try:
            self.charts.value = "".join(
                figure_html(school_figure(trust, s, fig), alt_text(trust, s, fig.contact_ratio_target.value))
                for s in trust.schools) or "<p>Add a school to draw its chart.</p>"
        except Exception as exc:  # noqa: BLE001 - a chart never stops the app
            self.charts.value = error_html(f"The charts could not be drawn: {exc}")

    # -- saved work --------------------------------------------------------------------------------------------
    @property
    def artefact(self) -> dict[str, Any]:
        flags = {**self._flag_answers, **self._read_flag_widgets()}
        school_ids = [b.boxes["id"].value.strip() or f"S{i}" for i, b in enumerate(self.schools_box.children, 1)]
        return self._artefact(
            candidate={**self._candidate_extra, "name": self.candidate.value.strip()},
            schools=[b.value for b in self.schools_box.children],
            scenarios=[b.value for b in self.whatifs_box.children],
            answers={"flags": {k: v for k, v in flags.items() if k in school_ids},
                     "recommendation": self.recommendation.text.value},
        )

    def load(self, artefact: Mapping[str, Any]) -> None:
        art = artefact if isinstance(artefact, Mapping) else {}
        section = lambda k: art.get(k) if isinstance(art.get(k), Mapping) else {}  # noqa: E731
        with self.quietly():
            self.load_header(art)
            self.schools_box.children = ()
            for s in art.get("schools") if isinstance(art.get("schools"), list) else ():
                self.add_school(s if isinstance(s, Mapping) else {})
            self.whatifs_box.children = ()
            for sc in art.get("scenarios") if isinstance(art.get("scenarios"), list) else ():
                self.add_whatif(sc if isinstance(sc, Mapping) else {})
            answers = section("answers")
            flags = answers.get("flags") if isinstance(answers.get("flags"), Mapping) else {}
            self._flag_answers = {str(k): {"contact": _s(v.get("contact")), "staff_cost": _s(v.get("staff_cost"))}
                                  for k, v in flags.items() if isinstance(v, Mapping)}
            self.flags_box.children = ()
            self.recommendation.text.value = _s(answers.get("recommendation"))
        self.refresh()
        if self.charts.value:
            self.draw_charts()


__all__ = ["CurriculumModelApp"]
