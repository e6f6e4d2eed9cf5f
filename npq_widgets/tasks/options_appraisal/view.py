"""The options appraisal app: the organisation and the horizon, weighted criteria, one card per option (scores with
reasons, costs and income year by year, risks), the appraisal table (weighted score, NPV, net cost, payback), the
sensitivity chart and sentences, the recommendation — checked with graduated hints, with an Excel workbook and a
board paper to download. Nothing needs code; every bad figure gets a plain message next to it and stays as typed."""

from __future__ import annotations

import copy
from typing import Any, Mapping

import ipywidgets as w

from .model import (FLOW_KINDS, FLOW_LABELS, SCORED_BY, Appraisal, blank_criterion, blank_option, blank_risk,
                    read_appraisal, sensitivity_sentences)
from .export import figures
from ...contract import Scenario, Task
from ...domain.risk_scoring import IMPACT, LIKELIHOOD, scale_label
from ...domain.values import format_money, next_id
from ...widgets.common import (DOCX_MIME, WordCountedText, button, error_html, esc, field, figure_html,
                               label_input, style)
from ...widgets.rows import build_row, insert_row, remove_row
from ...widgets.task_view import TaskView

_SCORE_OPTIONS = [("Choose…", "")] + [(str(v), str(v)) for v in range(1, 6)]


def _s(v: Any) -> str:
    return "" if v is None else str(v)


def _scale(scale: Mapping[int, str]) -> list[tuple[str, str]]:
    return [("Choose…", "")] + [(scale_label(v, scale), str(v)) for v in scale]


def _pick(value: Any, options: list[tuple[str, str]]) -> str:
    v = _s(value).strip().split(" ")[0]
    return v if v in [o for _, o in options] else ""


class CriterionRow(w.HBox):
    def __init__(self, view: "OptionsAppraisalApp", cid: str):
        self.cid = cid
        self.name = w.Text(placeholder="e.g. Financial sustainability", layout=w.Layout(width="320px"),
                           continuous_update=False)
        self.name.add_class("npq-oa-criterion-name")
        self.weight = w.Text(placeholder="e.g. 30", layout=w.Layout(width="90px"), continuous_update=False)
        self.weight.add_class("npq-oa-criterion-weight")
        self.scored_by = label_input(w.Dropdown(options=[(v, k) for k, v in SCORED_BY.items()], value="judgement",
                                                layout=w.Layout(width="300px")), "How this criterion is scored")
        self.remove = button("Remove", css="npq-oa-criterion-remove")
        self.remove.on_click(lambda _b: view.remove_criterion(self))
        super().__init__([field("Criterion", self.name)[0], field("Weight", self.weight)[0],
                          field("Scored by", self.scored_by)[0], self.remove],
                         layout=w.Layout(flex_flow="row wrap", align_items="flex-end"))

    @property
    def value(self) -> dict[str, Any]:
        return {"id": self.cid, "name": self.name.value, "weight": self.weight.value,
                "scored_by": self.scored_by.value}

    @value.setter
    def value(self, data: Mapping[str, Any]) -> None:
        self.name.value = _s(data.get("name"))
        self.weight.value = _s(data.get("weight"))
        self.scored_by.value = data.get("scored_by") if data.get("scored_by") in SCORED_BY else "judgement"


class RiskRow(w.VBox):
    def __init__(self, card: "OptionCard"):
        self.description = w.Text(placeholder="What could go wrong?", layout=w.Layout(width="420px"))
        self.description.add_class("npq-oa-risk-description")
        self.likelihood = w.Dropdown(options=_scale(LIKELIHOOD), value="", layout=w.Layout(width="170px"))
        self.impact = w.Dropdown(options=_scale(IMPACT), value="", layout=w.Layout(width="160px"))
        self.mitigation = w.Text(placeholder="What you will do to reduce it", layout=w.Layout(width="420px"))
        self.mitigation.add_class("npq-oa-risk-mitigation")
        self.residual_likelihood = w.Dropdown(options=_scale(LIKELIHOOD), value="", layout=w.Layout(width="170px"))
        self.residual_impact = w.Dropdown(options=_scale(IMPACT), value="", layout=w.Layout(width="160px"))
        self.remove = button("Remove risk", css="npq-oa-risk-remove")
        self.remove.on_click(lambda _b: card.remove_risk(self))
        row = lambda *kids: w.HBox(list(kids), layout=w.Layout(flex_flow="row wrap", align_items="flex-end"))  # noqa
        super().__init__([
            row(field("Risk", self.description)[0], field("Likelihood", self.likelihood)[0],
                field("Impact", self.impact)[0]),
            row(field("Mitigation", self.mitigation)[0], field("Residual likelihood", self.residual_likelihood)[0],
                field("Residual impact", self.residual_impact)[0], self.remove)],
            layout=w.Layout(border="1px solid #d5dbe1", padding="4px", margin="2px 0"))
        self.add_class("npq-oa-risk-row")

    _KEYS = ("description", "likelihood", "impact", "mitigation", "residual_likelihood", "residual_impact")

    @property
    def value(self) -> dict[str, Any]:
        return {k: getattr(self, k).value for k in self._KEYS}

    @value.setter
    def value(self, data: Mapping[str, Any]) -> None:
        for k in self._KEYS:
            box = getattr(self, k)
            box.value = _pick(data.get(k), list(box.options)) if isinstance(box, w.Dropdown) else _s(data.get(k))


class OptionCard(w.VBox):
    """One option: its name, baseline tick, description, scores with reasons, cash flows by year, risks. Scores and
    cash flows for criteria or years not shown (a criterion removed, a shorter horizon) are kept, not dropped."""

    def __init__(self, view: "OptionsAppraisalApp", oid: str):
        self.view = view
        self.oid = oid
        self.stash: dict[str, Any] = {"scores": {}, "flows": {}}
        self.name = w.Text(placeholder="e.g. Shared services hub", layout=w.Layout(width="360px"),
                           continuous_update=False)
        self.name.add_class("npq-oa-option-name")
        self.baseline = w.Checkbox(description="This is the baseline (do nothing / business as usual)",
                                   indent=False, layout=w.Layout(width="auto"))
        self.baseline.add_class("npq-oa-option-baseline")
        self.description = w.Text(placeholder="One line: what the option is", layout=w.Layout(width="640px"))
        self.remove = button("Remove option", css="npq-oa-option-remove")
        self.remove.on_click(lambda _b: view.remove_option(self))
        self.score_boxes: dict[str, tuple[w.Dropdown, w.Text]] = {}
        self.flow_boxes: dict[tuple[str, int], w.Text] = {}
        self.scores_box = w.VBox()
        self.flows_box = w.VBox()
        self.risks = w.VBox()
        self.add_risk_button = button("Add a risk", css="npq-oa-risk-add")
        self.add_risk_button.on_click(lambda _b: self.add_risk())
        self.message = w.HTML()
        self.message.add_class("npq-field-message")
        super().__init__([
            w.HBox([field("Option", self.name)[0], self.baseline, self.remove],
                   layout=w.Layout(flex_flow="row wrap", align_items="flex-end")),
            field("Description", self.description)[0],
            w.HTML("<h4>Scores (1 = poor, 5 = excellent) and why</h4>"), self.scores_box,
            w.HTML("<h4>Costs and income by year (£; year 0 = now, not discounted)</h4>"), self.flows_box,
            w.HTML("<h4>Risks</h4>"), self.risks, self.add_risk_button, self.message])
        self.add_class("npq-card")
        self.add_class("npq-oa-option")

    def build(self, criteria: list[dict[str, Any]], horizon: int) -> None:
        """(Re)build the score and cash-flow grids for these criteria and years, keeping every value."""
        self.build_scores(criteria)
        self.build_flows(horizon)

    def build_scores(self, criteria: list[dict[str, Any]]) -> None:
        """(Re)build the score rows for these criteria, keeping every score and reason (also of criteria not shown).
        Only a change of criteria rebuilds them: a score chosen while the years change is never in a row thrown away."""
        if self.score_boxes:
            self.stash["scores"] = self.value["scores"]
        self.score_boxes, rows = {}, []
        for c in criteria:
            cid, label = c["id"], _s(c.get("name")) or c["id"]
            saved = self.stash["scores"].get(cid) or {}
            if c.get("scored_by") == "risk":
                rows.append(w.HTML(f"<div><strong>{esc(label)}</strong>: scored from this option's highest residual "
                                   "risk (below).</div>"))
                continue
            score = w.Dropdown(options=_SCORE_OPTIONS, value=_pick(saved.get("score"), _SCORE_OPTIONS),
                               layout=w.Layout(width="110px"))
            score.add_class(f"npq-oa-score-{cid}")
            label_input(score, f"Score for {label} (1–5)")
            why = w.Text(value=_s(saved.get("why")), placeholder="Why this score? One line.",
                         layout=w.Layout(width="520px"))
            why.add_class(f"npq-oa-why-{cid}")
            label_input(why, f"Why this score for {label}")
            self.score_boxes[cid] = (score, why)
            rows.append(w.HBox([w.HTML(f"<div style='width:230px'>{esc(label)}</div>"), score, why],
                               layout=w.Layout(align_items="center")))
            for box in (score, why):
                box.observe(lambda _c: self.view.refresh(), "value")
        self.scores_box.children = tuple(rows)

    def build_flows(self, horizon: int) -> None:
        """(Re)build the cash-flow grid for years 0…``horizon``, keeping every amount (also of years not shown)."""
        if self.flow_boxes:
            self.stash["flows"] = self.value["flows"]
        self.flow_boxes, grid = {}, [w.HBox([w.HTML("<div style='width:150px'></div>")] + [
            w.HTML(f"<div style='width:104px'><strong>Year {t}</strong></div>") for t in range(horizon + 1)])]
        for kind in FLOW_KINDS:
            boxes = []
            for t in range(horizon + 1):
                box = w.Text(value=_s((self.stash["flows"].get(kind) or {}).get(str(t))), placeholder="£0",
                             layout=w.Layout(width="100px"), continuous_update=False)
                box.add_class(f"npq-oa-flow-{kind}-{t}")
                box.observe(lambda _c: self.view.refresh(), "value")
                self.flow_boxes[(kind, t)] = box
                boxes.append(box)
            grid.append(w.HBox([w.HTML(f"<div style='width:150px'>{esc(FLOW_LABELS[kind])}</div>"), *boxes]))
        self.flows_box.children = tuple(grid)

    def add_risk(self, data: Mapping[str, Any] | None = None) -> RiskRow:
        row = build_row(self.view, lambda: RiskRow(self), data or blank_risk())
        for k in RiskRow._KEYS:
            getattr(row, k).observe(lambda _c: self.view.refresh(), "value")
        insert_row(self.risks, row)
        self.view.refresh()
        return row

    def remove_risk(self, row: RiskRow) -> None:
        remove_row(self.risks, row)
        self.view.refresh()

    @property
    def value(self) -> dict[str, Any]:
        scores = copy.deepcopy(self.stash.get("scores") or {})
        for cid, (score, why) in self.score_boxes.items():
            scores[cid] = {"score": score.value, "why": why.value}
        flows = copy.deepcopy(self.stash.get("flows") or {})
        for (kind, t), box in self.flow_boxes.items():
            flows.setdefault(kind, {})[str(t)] = box.value
        flows = {k: {y: v for y, v in d.items() if _s(v).strip()} for k, d in flows.items()}
        return {"id": self.oid, "name": self.name.value, "baseline": self.baseline.value,
                "description": self.description.value, "scores": scores,
                "flows": {k: flows.get(k, {}) for k in FLOW_KINDS}, "risks": [r.value for r in self.risks.children]}

    @value.setter
    def value(self, data: Mapping[str, Any]) -> None:
        self.name.value = _s(data.get("name"))
        self.baseline.value = data.get("baseline") is True
        self.description.value = _s(data.get("description"))
        scores = data.get("scores") if isinstance(data.get("scores"), Mapping) else {}
        flows = data.get("flows") if isinstance(data.get("flows"), Mapping) else {}
        self.stash = {"scores": {str(k): dict(v) for k, v in scores.items() if isinstance(v, Mapping)},
                      "flows": {str(k): {str(y): v for y, v in d.items()} for k, d in flows.items()
                                if isinstance(d, Mapping)}}
        self.score_boxes, self.flow_boxes = {}, {}
        self.risks.children = ()
        for r in data.get("risks") or ():
            self.add_risk(r if isinstance(r, Mapping) else {})


class OptionsAppraisalApp(TaskView, w.VBox):
    export_name = "options-appraisal"

    def __init__(self, task: Task, scenario: Scenario | None):
        self._start(task, scenario)
        self._candidate_extra: dict[str, Any] = {}
        self._shape: tuple = ()
        self._chart_key: Any = None
        fig = figures()
        own = ("<h2>Your own organisation</h2><p>Appraise the options for your own organisation's business "
               "development: business as usual and 1 to 5 others, the criteria your board cares about, the figures "
               "year by year and the risks.</p>")
        header = w.HTML(self._intro(own))
        self.save_status = w.HBox()
        name_box = self._name_field()
        self.organisation = w.Text(placeholder="e.g. Northfield Learning Trust", layout=w.Layout(width="480px"))
        self.organisation.add_class("npq-oa-organisation")
        self.purpose = WordCountedText(placeholder="What must the strategy achieve?", rows=2)
        self.purpose.text.add_class("npq-oa-purpose")
        self.horizon = w.Dropdown(options=[("Choose…", "")] + [(f"{y} years", str(y)) for y in
                                  range(fig.horizon_years.min, fig.horizon_years.max + 1)], value="",
                                  layout=w.Layout(width="140px"))
        self.horizon.add_class("npq-oa-horizon")
        self.rate = w.Text(placeholder=f"{fig.discount_rate_percent.value:g}", layout=w.Layout(width="100px"),
                           continuous_update=False)
        self.rate.add_class("npq-oa-rate")
        horizon_box, self.horizon_msg = field("Years ahead (horizon)", self.horizon)
        rate_box, self.rate_msg = field("Discount rate (%)", self.rate,
                                        f"Blank: {fig.discount_rate_percent.value:g}%")
        self.criteria = w.VBox()
        self.add_criterion_button = button("Add a criterion", css="npq-oa-criterion-add")
        self.add_criterion_button.on_click(lambda _b: self.add_criterion())
        self.weights_msg = w.HTML()
        self.weights_msg.add_class("npq-oa-weights-total")
        self.options = w.VBox()
        self.add_option_button = button("Add an option", css="npq-oa-option-add")
        self.add_option_button.on_click(lambda _b: self.add_option())
        self.table = w.HTML()
        self.table.add_class("npq-oa-table")
        self.chart = w.HTML()
        self.chart.add_class("npq-oa-chart")
        self.sentences = w.HTML()
        self.sentences.add_class("npq-oa-sentences")
        self.recommendation = w.Dropdown(options=[("Choose…", "")], value="", layout=w.Layout(width="420px"))
        self.recommendation.add_class("npq-oa-recommendation")
        label_input(self.recommendation, "The option you recommend")
        self.rationale = WordCountedText(placeholder="Why this option? If it is not the top scorer, say why not.",
                                         rows=3)
        self.rationale.text.add_class("npq-oa-rationale")
        self.sensitivity_note = WordCountedText(placeholder="e.g. The recommendation holds unless cost is weighted "
                                                            "below 18.", rows=2)
        self.sensitivity_note.text.add_class("npq-oa-sensitivity-note")
        self.decision = WordCountedText(placeholder="What do you ask the board to decide?", rows=2)
        self.decision.text.add_class("npq-oa-decision")
        self._check_controls("Check my appraisal")
        self._download_controls()
        self.docx_button = button("Prepare board paper (.docx)", css="npq-oa-prepare-docx")
        self.docx_button.on_click(lambda _b: self.prepare_board_paper())
        self.docx_download = w.HTML()
        self.docx_download.add_class("npq-oa-docx-download")
        row = lambda *kids: w.HBox(list(kids), layout=w.Layout(flex_flow="row wrap"))  # noqa: E731
        super().__init__([
            style(), header, self.save_status, name_box,
            w.HTML("<h2>1. The organisation and the period</h2>"), field("Organisation", self.organisation)[0],
            field("Purpose of the strategy", self.purpose)[0], row(horizon_box, rate_box),
            w.HTML(f"<p class='npq-source'>{esc(fig.discount_rate_percent.source)}</p>"),
            w.HTML("<h2>2. Criteria and weights (total 100)</h2>"), self.criteria, self.add_criterion_button,
            self.weights_msg,
            w.HTML("<h2>3. Options</h2>"), self.options, self.add_option_button,
            w.HTML("<h2>4. The appraisal</h2>"), self.table,
            w.HTML("<h3>Sensitivity to the weights</h3><p class='npq-help'>When one weight changes, the others are "
                   "scaled proportionally so they still total 100.</p>"), self.chart, self.sentences,
            w.HTML("<h2>5. Recommendation to the board</h2>"), field("Recommended option", self.recommendation)[0],
            field("Rationale", self.rationale)[0], field("What the sensitivity shows", self.sensitivity_note)[0],
            field("Decision sought from the board", self.decision)[0],
            self.check_button, self.feedback, w.HBox([self.download_button, self.download]),
            w.HBox([self.docx_button, self.docx_download]),
        ])
        self.add_class("npq-app")
        self.add_class("npq-oa-app")
        for wid in (self.horizon, self.rate):
            wid.observe(lambda _c: self.refresh(), "value")
        self.load(self._starting_work())

    def _starting_work(self) -> dict[str, Any]:
        """Blank work: business as usual and one other option, two criteria, the risk criterion."""
        return {"criteria": [blank_criterion("K1"), blank_criterion("K2"), blank_criterion("K3", "risk")],
                "options": [blank_option("O1", baseline=True), blank_option("O2")]}

    # -- rows ------------------------------------------------------------------------------------------------
    def add_criterion(self, data: Mapping[str, Any] | None = None) -> CriterionRow:
        taken = [r.cid for r in self.criteria.children]
        cid = _s((data or {}).get("id")).strip() or next_id(taken, "K")
        row = build_row(self, lambda: CriterionRow(self, cid), data)
        for box in (row.name, row.weight, row.scored_by):
            box.observe(lambda _c: self.refresh(), "value")
        insert_row(self.criteria, row)
        self.refresh()
        return row

    def remove_criterion(self, row: CriterionRow) -> None:
        remove_row(self.criteria, row)
        self.refresh()

    def add_option(self, data: Mapping[str, Any] | None = None) -> OptionCard:
        taken = [c.oid for c in self.options.children]
        oid = _s((data or {}).get("id")).strip() or next_id(taken, "O")
        with self.quietly():
            card = OptionCard(self, oid)
            card.value = data or blank_option(oid)
            card.build(self._criteria_values(), self._horizon())
            for box in (card.name, card.baseline, card.description):
                box.observe(lambda _c: self.refresh(), "value")
        insert_row(self.options, card)
        self.refresh()
        return card

    def remove_option(self, card: OptionCard) -> None:
        remove_row(self.options, card)
        self.refresh()

    def _criteria_values(self) -> list[dict[str, Any]]:
        return [r.value for r in self.criteria.children]

    def _horizon(self) -> int:
        return int(self.horizon.value) if self.horizon.value else figures().horizon_years.max

    # -- display ---------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        if self.quiet:
            return
        shape = (tuple((c["id"], c["name"], c["scored_by"]) for c in self._criteria_values()), self._horizon())
        if shape != self._shape:
            before = self._shape or ((), None)
            self._shape = shape
            with self.quietly():  # rebuild only the grid whose shape changed (the scores, or the years)
                for card in self.options.children:
                    if shape[0] != before[0]:
                        card.build_scores(self._criteria_values())
                    if shape[1] != before[1]:
                        card.build_flows(self._horizon())
        a = read_appraisal(self.artefact, figures())
        self.horizon_msg.value = error_html(" ".join(a.problems_at("horizon_years")))
        self.rate_msg.value = error_html(" ".join(a.problems_at("discount_rate")))
        weight_probs = [p.message for p in a.problems if p.where.startswith("criterion:")]
        total = a.weights_total
        if weight_probs:
            self.weights_msg.value = error_html(" ".join(weight_probs))
        elif a.criteria and abs(total - 100) > 1e-6:
            self.weights_msg.value = error_html(f"The weights total {total:g}: they must total 100.")
        else:
            self.weights_msg.value = f'<span class="npq-help">The weights total {total:g}.</span>'
        for card in self.options.children:
            card.message.value = error_html(" ".join(a.problems_at(f"option:{card.oid}")))
        opts = [("Choose…", "")] + [(o.label, o.id) for o in a.options]
        if list(self.recommendation.options) != opts:
            keep = self.recommendation.value
            with self.quietly():
                self.recommendation.options = opts
                self.recommendation.value = keep if keep in [v for _, v in opts] else ""
        self.table.value = self._table_html(a)
        self._draw_sensitivity(a)

    def _table_html(self, a: Appraisal) -> str:
        if not a.options or not a.criteria:
            return "<p>Add criteria and options to see the appraisal.</p>"
        best = a.preferred
        head = "".join(f"<th class='num'>{esc(c.label)} ({c.weight:g})</th>" if c.weight is not None
                       else f"<th class='num'>{esc(c.label)}</th>" for c in a.criteria)
        rows = []
        money = a.horizon is not None and a.rate is not None  # NPV needs both the years and a readable rate
        for r in a.results():
            cells = "".join(f"<td class='num'>{r.scores.get(c.id) or '–'}</td>" for c in a.criteria)
            npv_cell = esc(format_money(r.npv)) if money else "–"
            cost_cell = esc(format_money(r.net_cost)) if money else "–"
            pay = ("–" if not money else "not within the horizon" if r.payback is None
                   else "no outlay" if r.payback == 0 else f"year {r.payback}")
            top = " ✔ top score" if best is not None and r is best else ""
            rows.append(f"<tr><td>{esc(r.option.label)}{' (baseline)' if r.option.baseline else ''}</td>{cells}"
                        f"<td class='num'><strong>{'–' if r.weighted is None else f'{r.weighted:.2f}'}</strong>"
                        f"{top}</td><td class='num'>{npv_cell}</td><td class='num'>{cost_cell}</td>"
                        f"<td>{pay}</td></tr>")
        rate = f"{a.rate:g}%" if a.rate is not None else "?"
        waiting = [r.option.label for r in a.results() if r.weighted is None]
        if not money:
            note_money = ("<p class='npq-help'>Choose the years ahead and give a readable discount rate to see the "
                          "NPV, net cost and payback.</p>")
        else:
            note_money = ""
        note = note_money + ("" if not waiting else "<p class='npq-help'>– : not scored yet. A weighted score needs a score on "
                "every criterion and every weight; the criterion scored by risks needs the option's risks with their "
                "residual likelihood and impact.</p>")
        return (f"<table class='npq-table'><tr><th>Option</th>{head}<th class='num'>Weighted score (out of 5)</th>"
                f"<th class='num'>NPV at {esc(rate)}</th><th class='num'>Net cost</th><th>Payback</th></tr>"
                f"{''.join(rows)}</table><p class='npq-help'>NPV = year 0 + each later year's net flow ÷ (1 + rate)"
                "<sup>year</sup>. Net cost = all costs − all income, not discounted.</p>" + note)

    def _draw_sensitivity(self, a: Appraisal) -> None:
        sentences = sensitivity_sentences(a)
        key = (tuple(sentences), a.preferred.option.label if a.preferred else None)
        if key == self._chart_key:
            return
        self._chart_key = key
        if not sentences:
            self.chart.value = ""
            self.sentences.value = ("<p>The sensitivity shows once every option has every score and the weights "
                                    "total 100.</p>")
            return
        from .charts import tornado_alt, tornado_figure

        self.chart.value = figure_html(tornado_figure(a), tornado_alt(a))
        self.sentences.value = "<ul>" + "".join(f"<li>{esc(s)}</li>" for s in sentences) + "</ul>"

    # -- saved work --------------------------------------------------------------------------------------------
    @property
    def artefact(self) -> dict[str, Any]:
        return self._artefact(
            candidate={**self._candidate_extra, "name": self.candidate.value.strip()},
            organisation=self.organisation.value, purpose=self.purpose.text.value,
            horizon_years=self.horizon.value, discount_rate=self.rate.value,
            criteria=self._criteria_values(), options=[c.value for c in self.options.children],
            recommendation=self.recommendation.value, rationale=self.rationale.text.value,
            sensitivity_note=self.sensitivity_note.text.value, decision_sought=self.decision.text.value)

    def load(self, artefact: Mapping[str, Any]) -> None:
        art = artefact if isinstance(artefact, Mapping) else {}
        with self.quietly():
            self.load_header(art)
            self.organisation.value = _s(art.get("organisation"))
            self.purpose.text.value = _s(art.get("purpose"))
            self.horizon.value = _pick(art.get("horizon_years"), list(self.horizon.options))
            self.rate.value = _s(art.get("discount_rate"))
            self.criteria.children = ()
            for c in art.get("criteria") or ():
                self.add_criterion(c if isinstance(c, Mapping) else {})
            self.options.children = ()
            self._shape = ()
            for o in art.get("options") or ():
                self.add_option(o if isinstance(o, Mapping) else {})
            ids = [o.get("id") for o in art.get("options") or () if isinstance(o, Mapping)]
            self.recommendation.options = [("Choose…", "")] + [
                (_s(o.get("name")) or _s(o.get("id")), _s(o.get("id"))) for o in art.get("options") or ()
                if isinstance(o, Mapping)]
            rec = _s(art.get("recommendation"))
            self.recommendation.value = rec if rec in ids else ""
            self.rationale.text.value = _s(art.get("rationale"))
            self.sensitivity_note.text.value = _s(art.get("sensitivity_note"))
            self.decision.text.value = _s(art.get("decision_sought"))
        self._shape = ()
        self._chart_key = None
        self.refresh()

    # -- the board paper ---------------------------------------------------------------------------------------
    def board_paper_bytes(self) -> bytes:
        return self.document_bytes("docx", f"{self.export_name}-board-paper")

    def prepare_board_paper(self) -> None:
        name = f"{self.export_name}-board-paper.docx"
        self.offer_files(self.docx_download, "The board paper",
                         lambda: [(self.board_paper_bytes(), name, f"Download {name}", DOCX_MIME)])


__all__ = ["OptionsAppraisalApp"]
