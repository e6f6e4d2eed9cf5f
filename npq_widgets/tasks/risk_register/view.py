"""The risk register builder: a paged table of the risks and one form with labelled menus that edits the chosen risk, a 5×5 heat map (before and after mitigation), sorting,
a check with graduated hints, and an Excel download with live formulas."""

from __future__ import annotations

from typing import Any, Mapping

import ipywidgets as w

from .model import (CATEGORIES, RagThresholds, IMPACT, LIKELIHOOD, RESPONSES, STATUSES, RiskRegister,
                           blank_risk, read_lifetime, read_mitigations, read_register, read_scale, scale_label)
from ...domain.values import ValueProblem, parse_uk_date
from ...contract import Scenario, Task
from .charts import heat_map_alt, heat_map_figure
from .export import register_for
from ...widgets.table import PagedTable, RowEditor
from ...widgets.task_view import TaskView
from ...widgets.chart_area import ChartArea
from ...widgets.common import button, error_html, esc, field, figure_html, for_readers, style

_NOT_CHOSEN = ("Choose…", 0)


def _scale_options(scale: Mapping[int, str]) -> list[tuple[str, int]]:
    return [_NOT_CHOSEN] + [(scale_label(v, scale), v) for v in scale]


def _choice(options: list[tuple[str, Any]], value: Any, blank: Any) -> Any:
    return value if value in [v for _, v in options] else blank


def normal_risk(data: Mapping[str, Any], risk_id: str) -> dict[str, Any]:
    """A saved risk exactly as the edit form would give it back after showing it (menus keep only their own
    choices, a scale that cannot be read is left unchosen, mitigations become a list) — without building widgets."""
    get = lambda k: "" if data.get(k) is None else str(data.get(k))  # noqa: E731

    def scale(key: str) -> int | None:
        try:
            return read_scale(data.get(key), key) or None
        except ValueProblem:
            return None

    category = get("category").lower()
    response = get("response").lower()
    status = get("status").lower() or "open"
    return {
        "id": risk_id, "description": get("description"), "category": category if category in CATEGORIES else "",
        "cause": get("cause"), "effect": get("effect"), "likelihood": scale("likelihood"), "impact": scale("impact"),
        "response": response if response in RESPONSES else "", "owner": get("owner"),
        "mitigations": list(read_mitigations("\n".join(read_mitigations(data.get("mitigations"))))),
        "residual_likelihood": scale("residual_likelihood"), "residual_impact": scale("residual_impact"),
        "review_date": get("review_date"), "status": status if status in STATUSES else "open",
    }


class RiskForm(w.VBox):
    """The form that edits one risk (the one chosen in the table): every input labelled; score and RAG shown in
    words beside the menus; Up, Down and Remove act on this risk."""

    FIELDS = ("description", "category", "likelihood", "impact", "cause", "effect", "response", "owner",
              "mitigations", "residual_likelihood", "residual_impact", "review_date", "status")

    def __init__(self, builder: "RiskRegisterBuilder"):
        self.risk_id = ""
        self.builder = builder
        lay = lambda width: w.Layout(width=width)  # noqa: E731
        self.title = w.HTML()
        self.description = w.Text(placeholder="What could happen?", layout=lay("100%"))
        self.category = w.Dropdown(options=[("Choose…", "")] + [(c.capitalize(), c) for c in CATEGORIES], value="",
                                   layout=lay("150px"))
        self.likelihood = w.Dropdown(options=_scale_options(LIKELIHOOD), value=0, layout=lay("170px"))
        self.impact = w.Dropdown(options=_scale_options(IMPACT), value=0, layout=lay("160px"))
        self.score = w.HTML()
        self.cause = w.Text(placeholder="Why it might happen", layout=lay("480px"))
        self.effect = w.Text(placeholder="What it would do to the project", layout=lay("480px"))
        self.response = w.Dropdown(options=[("Choose…", "")] + [(v, k) for k, v in RESPONSES.items()], value="",
                                   layout=lay("230px"))
        self.owner = w.Text(placeholder="e.g. Head of maths", layout=lay("200px"))
        self.mitigations = w.Textarea(placeholder="One action per line", rows=3, layout=lay("600px"))
        self.residual_likelihood = w.Dropdown(options=_scale_options(LIKELIHOOD), value=0, layout=lay("170px"))
        self.residual_impact = w.Dropdown(options=_scale_options(IMPACT), value=0, layout=lay("160px"))
        self.residual_score = w.HTML()
        self.review_date = w.Text(placeholder="DD/MM/YYYY", layout=lay("130px"))
        self.status = w.Dropdown(options=[(s.capitalize(), s) for s in STATUSES], value="open", layout=lay("130px"))
        self.up = button("Move up", css="npq-risk-up")
        self.down = button("Move down", css="npq-risk-down")
        self.remove = button("Remove this risk", css="npq-risk-remove")
        for b, text in ((self.up, "Move this risk up the register"), (self.down, "Move this risk down the register"),
                        (self.remove, "Remove this risk from the register")):
            b.tooltip = text
        self.up.on_click(lambda _b: builder.move(-1))
        self.down.on_click(lambda _b: builder.move(1))
        self.remove.on_click(lambda _b: builder.remove_risk())
        for name in self.FIELDS:
            getattr(self, name).add_class(f"npq-risk-{name.replace('_', '-')}")
        self.score.add_class("npq-risk-score")
        self.residual_score.add_class("npq-risk-residual-score")

        desc_box, _ = field("Risk (what could happen)", self.description)
        cat_box, _ = field("Category", self.category)
        l_box, _ = field("Likelihood", self.likelihood)
        i_box, _ = field("Impact", self.impact)
        cause_box, _ = field("Cause", self.cause)
        effect_box, _ = field("Effect", self.effect)
        resp_box, _ = field("Response", self.response)
        owner_box, _ = field("Owner", self.owner)
        mit_box, _ = field("Mitigations", self.mitigations)
        rl_box, _ = field("Residual likelihood", self.residual_likelihood)
        ri_box, _ = field("Residual impact", self.residual_impact)
        review_box, self.review_msg = field("Review date", self.review_date)
        status_box, _ = field("Status", self.status)
        row = lambda *kids: w.HBox(list(kids), layout=w.Layout(flex_flow="row wrap", align_items="flex-end"))  # noqa
        super().__init__([
            w.HBox([self.title, w.HBox([self.up, self.down, self.remove])],
                   layout=w.Layout(justify_content="space-between", flex_flow="row wrap")),
            desc_box,
            row(cat_box, l_box, i_box, self.score),
            row(cause_box, effect_box),
            row(resp_box, owner_box, mit_box),
            row(rl_box, ri_box, self.residual_score, review_box, status_box),
        ])
        self.add_class("npq-card")
        self.add_class("npq-risk-form")
        self.filling = False
        for name in self.FIELDS:  # first: the register takes the new value before the heat map is redrawn
            getattr(self, name).observe(self._edited, "value")
        for dd in (self.likelihood, self.impact, self.residual_likelihood, self.residual_impact):
            dd.observe(self._rescore, "value")
        self.review_date.observe(self._validate_review, "value")
        self.set_title()
        self.filling = True
        self._rescore()
        self.filling = False

    def set_title(self) -> None:
        self.title.value = f"<h3>Editing risk {esc(self.risk_id)}</h3>" if self.risk_id else ""

    def _edited(self, _change=None) -> None:
        if not self.filling:
            self.builder.form_edited()

    def _rescore(self, _change=None) -> None:
        rag = self.builder.rag
        for l_dd, i_dd, out, word in ((self.likelihood, self.impact, self.score, "Score"),
                                      (self.residual_likelihood, self.residual_impact, self.residual_score,
                                       "Residual score")):
            if l_dd.value and i_dd.value:
                s = l_dd.value * i_dd.value
                rating = rag.rating(s)
                out.value = (f'<span class="npq-badge npq-rag-{rating}">{word}: {s} — '
                             f'{rating.capitalize()}</span>')  # type: ignore[union-attr]
            else:
                out.value = f'<span class="npq-help">{word}: choose both menus</span>'
        if not self.filling:
            self.builder.changed()

    def _validate_review(self, _change=None) -> None:
        text = self.review_date.value.strip()
        if not text:
            self.review_msg.value = ""
            return
        try:
            parse_uk_date(text, what="The review date")
            self.review_msg.value = ""
        except ValueProblem as exc:
            self.review_msg.value = error_html(str(exc))

    @property
    def value(self) -> dict[str, Any]:
        return {
            "id": self.risk_id, "description": self.description.value, "category": self.category.value,
            "cause": self.cause.value, "effect": self.effect.value, "likelihood": self.likelihood.value or None,
            "impact": self.impact.value or None, "response": self.response.value, "owner": self.owner.value,
            "mitigations": list(read_mitigations(self.mitigations.value)),
            "residual_likelihood": self.residual_likelihood.value or None,
            "residual_impact": self.residual_impact.value or None, "review_date": self.review_date.value,
            "status": self.status.value,
        }

    @value.setter
    def value(self, data: Mapping[str, Any]) -> None:
        """Show a risk (read the way :func:`normal_risk` reads it) without telling the builder it was edited."""
        risk = normal_risk(data, str(data.get("id") or ""))
        self.filling = True
        try:
            self.risk_id = risk["id"]
            for name in self.FIELDS:
                value = risk[name]
                if name == "mitigations":
                    value = "\n".join(value)
                elif name in ("likelihood", "impact", "residual_likelihood", "residual_impact"):
                    value = value or 0
                getattr(self, name).value = value
            self.set_title()
            self._rescore()
        finally:
            self.filling = False


def _source_for_readers(rag: RagThresholds) -> str:
    """Where the thresholds come from, in words for the page: no file names meant for developers, and the default
    thresholds not repeated (the export keeps the full source)."""
    if rag.source == RagThresholds().source:
        return "This is a common convention: there are no national thresholds."
    return for_readers(rag.source)


def _rated(builder: "RiskRegisterBuilder", likelihood: Any, impact: Any) -> str:
    if not (likelihood and impact):
        return "Not scored"
    s = likelihood * impact
    return f"{s} — {builder.rag.rating(s).capitalize()}"


class RiskRegisterBuilder(RowEditor, TaskView, w.VBox):
    """The whole task: brief, project dates, register rows, heat map, sort, check, download."""

    export_name = "risk-register"

    def __init__(self, task: Task, scenario: Scenario | None):
        self._start(task, scenario)
        self.rag = register_for({"risks": []}, scenario).rag
        rag_text = (f"<p class='npq-help'>RAG rating of a score (likelihood × impact): green 1–{self.rag.green_max}, "
                    f"amber {self.rag.green_max + 1}–{self.rag.amber_max}, red above {self.rag.amber_max}. "
                    f"{esc(_source_for_readers(self.rag))}</p>")
        own_work = ("<h2>Your own project</h2><p>Build the risk register for your own project: give its start and "
                     "end dates, then add the risks. The checks are the same, without a scenario's key risks.</p>")
        header = w.HTML(self._intro(own_work) + rag_text)
        name_box = self._name_field()
        self.project_title = w.Text(placeholder="e.g. Year 9 maths tutoring", layout=w.Layout(width="320px"))
        self.project_start = w.Text(placeholder="DD/MM/YYYY", layout=w.Layout(width="140px"))
        self.project_end = w.Text(placeholder="DD/MM/YYYY", layout=w.Layout(width="140px"))
        self.project_title.add_class("npq-project-title")
        self.project_start.add_class("npq-project-start")
        self.project_end.add_class("npq-project-end")
        title_box, _ = field("Project", self.project_title)
        start_box, _ = field("Project starts", self.project_start)
        end_box, self.lifetime_msg = field("Project ends", self.project_end)
        self.lifetime_msg.add_class("npq-lifetime-message")
        if scenario:
            life = scenario.data.get("lifetime", {})
            self.project_start.value = str(life.get("start", ""))
            self.project_end.value = str(life.get("end", ""))
            self.project_start.disabled = self.project_end.disabled = True
        for wid in (self.project_start, self.project_end):
            wid.observe(self._validate_lifetime, "value")
        self.risks: list[dict[str, Any]] = []  # the register, each risk as saved; the table and form show it
        self.form = RiskForm(self)
        self.table = PagedTable("Risks in the register", ["ID", "Risk", "Category", "Score before mitigation",
                                                          "Owner", "Score after mitigation", "Review date",
                                                          "Status"],
                                noun="risk", css="npq-risk-table", on_choose=self._show_chosen)
        self.empty_note = w.HTML()
        self.empty_note.add_class("npq-risk-empty")
        self.add_button = button("Add risk", css="npq-risk-add")
        self.add_button.on_click(lambda _b: self.add_risk())
        self.sort_button = button("Sort by score (highest first)", css="npq-risk-sort")
        self.sort_button.on_click(lambda _b: self.sort_by_score())
        self._check_controls("Check my register")
        self.summary = w.HTML()
        self.summary.add_class("npq-risk-summary")
        self.heat_map = ChartArea()  # drawn once the page has been painted (widgets/chart_area.py)
        self.heat_map.add_class("npq-heat-map")
        self._download_controls()
        self.save_status = w.HBox()  # autosave's "Saved at …" line
        super().__init__([style(), header, self.save_status, name_box, w.HBox([title_box, start_box, end_box],
                                                            layout=w.Layout(flex_flow="row wrap")),
                          w.HTML("<h2>Risks</h2>"), self.table, w.HBox([self.add_button, self.sort_button]),
                          self.empty_note, self.form,
                          w.HTML("<h2>Heat map</h2>"), self.summary, self.heat_map,
                          w.HBox([self.check_button]), self.feedback, w.HBox([self.download_button, self.download])])
        self.add_class("npq-app")
        self.add_class("npq-risk-app")
        self.add_risk()
        self._validate_lifetime()

    # -- editing ---------------------------------------------------------------------------------------------
    def _cells(self, risk: Mapping[str, Any]) -> tuple:
        return (risk["id"], risk["description"], risk["category"].capitalize(),
                _rated(self, risk["likelihood"], risk["impact"]), risk["owner"],
                _rated(self, risk["residual_likelihood"], risk["residual_impact"]), risk["review_date"],
                risk["status"].capitalize())

    @staticmethod
    def _label(risk: Mapping[str, Any]) -> str:
        text = risk["description"].strip() or "(not described yet)"
        return f"{risk['id']} — {text if len(text) <= 60 else text[:59] + '…'}"

    ROWS, ID_PREFIX = "risks", "R"
    EMPTY = "The register is empty: choose <strong>Add risk</strong> to start."

    def _new_row(self, data: Mapping[str, Any], rid: str) -> dict[str, Any]:
        return normal_risk(data, rid)

    def rows_changed(self) -> None:
        self.changed()

    def add_risk(self, data: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Add a risk at the end (blank, or from ``data``) and show it in the form."""
        return self._add_row(data)

    def remove_risk(self, index: int | None = None) -> None:
        """Remove the chosen risk (or the one at ``index``); the next one is shown."""
        self._remove_row(index)

    def sort_by_score(self) -> None:
        """Highest inherent score first; ties keep their order; unscored risks last. The chosen risk stays chosen."""
        chosen = self.risks[self.chosen] if self.chosen is not None else None

        def key(pair):
            i, r = pair
            return (-((r["likelihood"] or 0) * (r["impact"] or 0)), i)

        self.risks = [r for _, r in sorted(enumerate(self.risks), key=key)]
        self._redraw_table(next((i for i, r in enumerate(self.risks) if r is chosen), None))
        self.changed()

    def _validate_lifetime(self, _change=None) -> None:
        if not (self.project_start.value.strip() and self.project_end.value.strip()):
            self.lifetime_msg.value = ""
            return
        life, problem = read_lifetime({"start": self.project_start.value, "end": self.project_end.value})
        self.lifetime_msg.value = error_html(problem) if problem else (
            f'<span class="npq-help">{esc(life.describe())}</span>')  # type: ignore[union-attr]

    def changed(self) -> None:
        """Redraw the heat map (skipped while many rows are loaded at once)."""
        if self.quiet:
            return
        self.refresh_chart()

    def register(self) -> RiskRegister:
        return read_register(self.artefact, rag=self.rag)

    def refresh_chart(self) -> None:
        try:
            reg = self.register()
        except ValueProblem as exc:
            self.heat_map.clear(error_html(str(exc)))
            return
        before, after = reg.rating_counts(False), reg.rating_counts(True)
        self.summary.value = (
            '<p class="npq-risk-summary-text">'
            f"<strong>Before mitigation:</strong> {before['red']} red, {before['amber']} amber, "
            f"{before['green']} green. <strong>After mitigation:</strong> {after['red']} red, {after['amber']} "
            f"amber, {after['green']} green. {len(reg.risks)} risk{'s' if len(reg.risks) != 1 else ''} in the "
            "register.</p>")
        self.heat_map.draw(lambda: figure_html(heat_map_figure(reg), heat_map_alt(reg), width_px=1050))

    # -- saved work ------------------------------------------------------------------------------------------
    @property
    def artefact(self) -> dict[str, Any]:
        return self._artefact(
            candidate={"name": self.candidate.value.strip()},
            project={"title": self.project_title.value, "start": self.project_start.value,
                     "end": self.project_end.value},
            risks=[dict(r, mitigations=list(r["mitigations"])) for r in self.risks],
        )

    def load(self, artefact: Mapping[str, Any]) -> None:
        """Restore saved work (an unreadable row comes back blank rather than being dropped)."""
        with self.quietly():
            project = self.load_header(artefact)
            if not self.scenario:
                self.project_start.value = str(project.get("start") or "")
                self.project_end.value = str(project.get("end") or "")
            self.risks = []
            risks = artefact.get("risks") if isinstance(artefact.get("risks"), list) else []
            for entry in risks:
                self.add_risk(entry if isinstance(entry, Mapping) else blank_risk())
        self._redraw_table(0 if self.risks else None)
        self.changed()

    # -- checking and export ------------------------------------------------------------------------------
__all__ = ["RiskForm", "RiskRegisterBuilder", "normal_risk"]
