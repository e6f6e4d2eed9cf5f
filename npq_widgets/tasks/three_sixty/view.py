"""The three views of the 360° task: the candidate's builder, the rater's form and the collator's view.

The candidate's builder is saved as their work. The rater's form and the collator's view keep nothing in anyone's
workbook (``keeps_no_work``): what they make is the file they download, carried by ``store/travel.py``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

import ipywidgets as w

from ...catalogue import load_catalogue
from ...contract import Scenario, Task, TaskError
from ...domain.values import ValueProblem, format_uk_date, parse_uk_date
from ...store import travel
from ...widgets.common import (WordCountedText, button, download_link, error_html, esc, field, figure_html, style,
                               uploaded_files)
from ...widgets.task_view import TaskView
from .charts import (dot_plot, dot_plot_alt, reflections_alt, reflections_over_time, start_end, start_end_alt)
from .export import collator_xlsx, figures, report_html
from .model import (GROUP_LABELS, GROUPS, INVITATION_KIND, PLAN_FIELDS, RESPONSE_KIND, STAGES, SUMMARY_KIND,
                    TRAVEL_VERSION, change, content_statements, default_statements, describe_change, is_legacy,
                    kept_reflections, planned, report, round_summary, statements_of, summarise)

RATING_OPTIONS = [("Not rated", ""), ("1 high", "1"), ("2", "2"), ("3", "3"), ("4 low", "4")]
RATER_OPTIONS = [("Choose…", ""), ("1 high", "1"), ("2", "2"), ("3", "3"), ("4 low", "4"), ("Not observed", "n/o")]
COLLECTORS = [("I collect the response files myself", "self"), ("My facilitator collects them", "facilitator"),
              ("My coach collects them", "coach"), ("My line manager collects them", "line manager")]
REFORMED_NOTE = ("The 360° diagnostic and the seven leadership behaviours belong to the legacy NPQ framework. Your "
                 "qualification is on the reformed route, where they are not part of the assessment: they are offered "
                 "here as optional self-reflection.")
JSON_MIME = "application/json"


def open_view(task: Task, scenario: Scenario | None, role: str = "candidate"):
    """The view for a role: the candidate's builder (saved as their work), a rater's form, or the collator's view."""
    if role == "rater":
        return RaterForm(task)
    if role == "collator":
        return CollatorView(task)
    if role != "candidate":
        raise TaskError(f"The 360° task has no '{role}' view: use candidate, rater or collator.")
    return ThreeSixtyBuilder(task, scenario)


def _ok(text: str) -> str:
    return f'<div class="npq-msg-ok">✓ {esc(text)}</div>'


def _behaviour_names() -> list[tuple[str, str]]:
    return [(b.name, b.description) for b in load_catalogue().behaviours]


def _rating_value(v: Any) -> str:
    return str(v) if isinstance(v, int) and not isinstance(v, bool) and v in (1, 2, 3, 4) else ""


def _int_or_none(v: str) -> int | None:
    return int(v) if v in ("1", "2", "3", "4") else None


# -- the candidate's builder ------------------------------------------------------------------------------------------
class PriorityCard(w.VBox):
    def __init__(self, number: int, focus_options: list[tuple[str, str]], on_remove):
        self.heading = w.HTML()
        self.focus = w.Dropdown(options=[("Choose…", "")] + focus_options, value="", layout=w.Layout(width="95%"))
        self.reason = WordCountedText(placeholder="Why this priority: what in the ratings points to it?", rows=2)
        self.objective = WordCountedText(placeholder="I will … (what, where, how often)", rows=2)
        self.measure = w.Text(placeholder="How you will know", layout=w.Layout(width="95%"))
        self.baseline = w.Text(placeholder="e.g. 20%", layout=w.Layout(width="140px"))
        self.target = w.Text(placeholder="e.g. 80%", layout=w.Layout(width="140px"))
        self.opportunity = WordCountedText(placeholder="Coaching, a course, a visit, shadowing — within or beyond "
                                                       "your school", rows=2)
        self.review_date = w.Text(placeholder="DD/MM/YYYY", layout=w.Layout(width="160px"))
        self.remove = button("Remove priority", css="npq-360-remove-priority")
        self.remove.on_click(lambda _b: on_remove(self))
        widgets = {"focus": self.focus, "reason": self.reason.text, "objective": self.objective.text,
                   "measure": self.measure, "baseline": self.baseline, "target": self.target,
                   "opportunity": self.opportunity.text, "review_date": self.review_date}
        for name, widget in widgets.items():
            widget.add_class(f"npq-360-{name.replace('_', '-')}")
        self._widgets = widgets
        super().__init__([
            w.HBox([self.heading, self.remove], layout=w.Layout(justify_content="space-between")),
            field("Focus (a behaviour or statement from your report)", self.focus)[0],
            field("Why this priority", self.reason, "Name what in the data points to it, or say why it matters.")[0],
            field("SMART development objective", self.objective)[0],
            field("Measure", self.measure)[0],
            w.HBox([field("Starting point", self.baseline)[0], field("Target", self.target)[0],
                    field("Review date", self.review_date)[0]], layout=w.Layout(flex_flow="row wrap")),
            field("Development opportunity (within or beyond the school)", self.opportunity)[0],
        ])
        self.add_class("npq-card")
        self.add_class("npq-360-priority")
        self.set_number(number)

    def set_number(self, n: int) -> None:
        self.heading.value = f"<h3>Priority {n}</h3>"

    def set_focus_options(self, options: list[tuple[str, str]]) -> None:
        current = self.focus.value
        self.focus.options = [("Choose…", "")] + options
        self.focus.value = current if current in [v for _, v in options] else ""

    @property
    def value(self) -> dict[str, str]:
        return {k: wd.value for k, wd in self._widgets.items()}

    @value.setter
    def value(self, data: Mapping[str, Any]) -> None:
        for k, wd in self._widgets.items():
            v = "" if data.get(k) is None else str(data.get(k))
            if isinstance(wd, w.Dropdown):
                if v not in [o for _, o in wd.options]:
                    wd.options = list(wd.options) + [(v, v)] if v else list(wd.options)
            wd.value = v


class ThreeSixtyBuilder(TaskView, w.VBox):
    """The Leadership Reflection, the 360° rounds and their report, and the development plan."""

    export_name = "three-sixty"

    def __init__(self, task: Task, scenario: Scenario | None):
        self._start(task, scenario)
        self.figures = task.figures or figures()
        self.behaviours = _behaviour_names()
        self.reflections: list[dict] = []
        self.rounds: list[dict] = []
        self._candidate_extra: dict = {}  # what a loaded artefact said of the candidate besides the name
        header = w.HTML(self._intro(
            "<h2>Your own leadership</h2><p>Rate yourself on the seven leadership behaviours, gather 360° feedback "
            "from colleagues at the start and end of the programme, and plan your own development.</p>"))
        self.route_note = w.HTML()
        self.route_note.add_class("npq-360-route-note")
        name_box = self._name_field()
        self.prog_start = w.Text(placeholder="DD/MM/YYYY", layout=w.Layout(width="160px"))
        self.prog_end = w.Text(placeholder="DD/MM/YYYY", layout=w.Layout(width="160px"))
        self.prog_start.add_class("npq-360-programme-start")
        self.prog_end.add_class("npq-360-programme-end")
        programme = w.HBox([field("Programme starts", self.prog_start)[0], field("Programme ends", self.prog_end)[0]])

        # Leadership Reflection: the seed's sheet
        self.refl_date = w.Text(placeholder="DD/MM/YYYY", layout=w.Layout(width="160px"))
        self.refl_date.add_class("npq-360-reflection-date")
        self.refl_rating: dict[str, w.Dropdown] = {}
        self.refl_comment: dict[str, WordCountedText] = {}
        rows = []
        for i, (name, description) in enumerate(self.behaviours, start=1):
            dd = w.Dropdown(options=RATING_OPTIONS, value="", layout=w.Layout(width="140px"))
            dd.add_class(f"npq-360-refl-rating-{i}")
            txt = WordCountedText(placeholder="Your comment, with an example from your work", rows=2)
            txt.text.add_class(f"npq-360-refl-comment-{i}")
            self.refl_rating[name], self.refl_comment[name] = dd, txt
            rows.append(w.VBox([w.HTML(f"<h4>{esc(name)}</h4><p class='npq-help'>{esc(description)}</p>"),
                                w.HBox([field("Rating (1 high … 4 low)", dd)[0],
                                        w.VBox([field("Comment", txt)[0]], layout=w.Layout(width="70%"))])]))
        self.keep_button = button("Keep this reflection", css="npq-360-keep")
        self.keep_button.on_click(lambda _b: self.keep_reflection())
        self.refl_message = w.HTML()
        self.refl_history = w.HTML()
        self.refl_history.add_class("npq-360-reflection-history")
        reflection = w.VBox([w.HTML("<h2>Leadership Reflection</h2><p>For each behaviour give a rating from 1 (high) "
                                    "to 4 (low) and a comment. Keep a dated reflection now and again over the "
                                    "programme to see how your view of yourself changes.</p>"),
                             field("Date", self.refl_date)[0], *rows,
                             w.HBox([self.keep_button, self.refl_message]), self.refl_history])

        # 360° rounds
        self.stage = w.Dropdown(options=[(v, k) for k, v in STAGES.items()], value="start")
        self.planned_inputs = {g: w.BoundedIntText(value=0, min=0, max=30, layout=w.Layout(width="90px"))
                               for g in GROUPS}
        for g, wd in self.planned_inputs.items():
            wd.add_class(f"npq-360-planned-{g.replace('_', '-')}")
        self.collector = w.Dropdown(options=COLLECTORS, value="self", layout=w.Layout(width="360px"))
        self.collector.add_class("npq-360-collector")
        self.statement_boxes = w.VBox()
        self.open_button = button("Open this round", css="npq-360-open-round", primary=True)
        self.open_button.on_click(lambda _b: self.open_round())
        self.round_message = w.HTML()
        self.round_panels = w.VBox()
        planned_row = w.HBox([field(GROUP_LABELS[g], wd)[0] for g, wd in self.planned_inputs.items()],
                             layout=w.Layout(flex_flow="row wrap"))
        rounds = w.VBox([
            w.HTML("<h2>360° feedback</h2><p>Open a round at the start and another at the end of the programme. "
                   "Choose the statements (the seven behaviours and statements aligned to the content areas; untick "
                   "any you do not want), say how many colleagues you will ask in each group, and send each of them "
                   "the invitation file. They open the 360° feedback form, rate each statement and send back a "
                   "response file.</p>"),
            field("Round", self.stage)[0], w.HTML("<h4>Statements</h4>"), self.statement_boxes,
            w.HTML("<h4>How many will you ask?</h4>"), planned_row,
            field("Who collects the responses?", self.collector,
                  "A named person (facilitator, coach, line manager) keeps each response from you and sends you one "
                  "summary. If you collect them yourself, you can read each response.")[0],
            w.HBox([self.open_button, self.round_message]), self.round_panels])

        self.change_html = w.HTML()
        self.change_html.add_class("npq-360-change")
        self.raters_note = WordCountedText(placeholder="If fewer colleagues replied than you planned, say why.",
                                           rows=2)
        self.raters_note.text.add_class("npq-360-raters-note")

        # development plan
        self.priorities = w.VBox()
        self.add_priority_button = button("Add priority", css="npq-360-add-priority")
        self.add_priority_button.on_click(lambda _b: self.add_priority())
        plan = w.VBox([w.HTML("<h2>Development plan (criterion 6.1.2)</h2><p>Two or three priorities, each with a "
                              "SMART development objective, a development opportunity within or beyond the school, "
                              "and a review date within the programme.</p>"),
                       self.priorities, self.add_priority_button])

        self._check_controls("Check my reflection and plan")
        self._download_controls()
        self.report_button = button("Prepare printable report", css="npq-360-prepare-report")
        self.report_button.on_click(lambda _b: self.prepare_report())
        self.report_link = w.HTML()
        self.save_status = w.HBox()
        super().__init__([style(), header, self.route_note, self.save_status, name_box, programme, reflection,
                          rounds, self.change_html, field("Note on responses", self.raters_note)[0], plan,
                          self.check_button, self.feedback,
                          w.HBox([self.download_button, self.download, self.report_button, self.report_link])])
        self.add_class("npq-app")
        self.add_class("npq-360-app")
        self._profile_read = False
        self.save_status.observe(self._status_placed, "children")
        self.refresh_statements()
        self.add_priority()
        self.add_priority()
        self.refresh_route()

    # -- the qualification --------------------------------------------------------------------------------------
    def qualification(self) -> str | None:
        if self.scenario is not None and self.scenario.model_answer:
            cand = self.scenario.model_answer.get("candidate") or {}
            if cand.get("qualification"):
                return str(cand["qualification"])
        q = self.context.profile().get("qualification")
        return str(q) if q else None

    def _status_placed(self, change) -> None:
        """Autosave places its status line here; when it first speaks, the learner's workbook (and so the profile
        with the chosen qualification) is known: show the route note and the qualification's statements."""
        for widget in change["new"]:
            widget.observe(self._workbook_known, "value")
        self._workbook_known()

    def _workbook_known(self, _change=None) -> None:
        if self._profile_read or self.context.workbook is None:
            return
        self._profile_read = True
        self.refresh_route()
        if not self.rounds:
            self.refresh_statements()

    def refresh_route(self) -> None:
        legacy = is_legacy(load_catalogue(), self.qualification())
        self.route_note.value = (f'<p class="npq-check-hint" role="note">{esc(REFORMED_NOTE)}</p>'
                                 if legacy is False else "")

    def refresh_statements(self) -> None:
        cat = load_catalogue()
        qual = self.qualification()
        short = {s.id for s in default_statements(cat, qual)}
        boxes = []
        for s in default_statements(cat, qual, full=True):
            cb = w.Checkbox(value=s.id in short, description=s.text, indent=False,
                            layout=w.Layout(width="100%"), style={"description_width": "initial"})
            cb.statement = s
            boxes.append(cb)
        self.statement_boxes.children = boxes

    # -- the reflection --------------------------------------------------------------------------------------------
    def current_reflection(self) -> dict[str, Any]:
        return {"date": self.refl_date.value.strip(),
                "ratings": {name: {"rating": _int_or_none(self.refl_rating[name].value),
                                   "comment": self.refl_comment[name].text.value}
                            for name, _ in self.behaviours}}

    def keep_reflection(self) -> None:
        sheet = self.current_reflection()
        try:
            when = parse_uk_date(sheet["date"], what="The reflection's date")
        except ValueProblem as exc:
            self.refl_message.value = error_html(str(exc))
            return
        sheet["date"] = format_uk_date(when)
        self.reflections = [r for r in self.reflections if r.get("date") != sheet["date"]] + [sheet]
        self.refl_message.value = _ok(f"Reflection of {sheet['date']} kept.")
        self.show_reflections()
        self._touched()

    def show_reflections(self) -> None:
        names = [n for n, _ in self.behaviours]
        kept = kept_reflections({"reflections": self.reflections}, names)
        if not kept:
            self.refl_history.value = ""
            return
        dates = ", ".join(r.date_text for r in kept)
        chart = ""
        if any(r.date for r in kept):
            chart = figure_html(reflections_over_time(kept, names), reflections_alt(kept, names))
        self.refl_history.value = f"<p>Kept reflections: {esc(dates)}</p>{chart}"

    # -- rounds --------------------------------------------------------------------------------------------------
    def open_round(self) -> dict:
        chosen = [cb.statement for cb in self.statement_boxes.children if cb.value]
        if not chosen:
            self.round_message.value = error_html("Choose at least one statement for the round.")
            return {}
        counts = {g: int(wd.value) for g, wd in self.planned_inputs.items()}
        if sum(counts.values()) == 0:
            self.round_message.value = error_html("Say how many colleagues you will ask in at least one group.")
            return {}
        rnd = {"id": travel.new_id("r-"), "stage": self.stage.value, "opened": format_uk_date(dt.date.today()),
               "statements": [s.to_dict() for s in chosen], "planned": counts, "collector": self.collector.value,
               "self": {}, "responses": [], "file_ids": [], "summary": {}}
        self.rounds.append(rnd)
        self.round_message.value = _ok(f"Round opened: code {rnd['id']}.")
        self.show_rounds()
        self._touched()
        return rnd

    def invitation_bytes(self, rnd: Mapping[str, Any]) -> bytes:
        content = {"round": rnd["id"], "stage": rnd.get("stage"), "candidate": self.candidate.value.strip(),
                   "statements": list(rnd.get("statements") or []), "collector": rnd.get("collector", "self"),
                   "line_manager_named": planned(rnd)["line_manager"] > 0,
                   "min_group_responses": self.figures.min_group_responses}
        return travel.dumps(travel.make(INVITATION_KIND, TRAVEL_VERSION, rnd["id"], "candidate", content))

    def show_rounds(self) -> None:
        self.round_panels.children = [self._round_panel(i, r) for i, r in enumerate(self.rounds)]
        self.show_change()
        self.refresh_focus()

    def _round_panel(self, index: int, rnd: dict) -> w.VBox:
        stage = STAGES.get(str(rnd.get("stage")), str(rnd.get("stage")))
        collector = str(rnd.get("collector") or "self")
        who = ("You collect the response files yourself, so you can read each response; the report below shows "
               "only what the anonymity rule allows." if collector == "self" else
               f"Your raters send their files to your {collector}, who sends you one summary file: load that here.")
        invitation = download_link(self.invitation_bytes(rnd), f"360-invitation-{rnd['id']}.json",
                                   "Download the invitation file for your raters", JSON_MIME)
        self_boxes = []
        own = rnd.setdefault("self", {})
        for s in statements_of(rnd):
            dd = w.Dropdown(options=RATING_OPTIONS, value=_rating_value(own.get(s.id)),
                            description=s.text, style={"description_width": "60%"}, layout=w.Layout(width="95%"))
            dd.add_class("npq-360-self-rating")

            def set_self(change, sid=s.id):
                own[sid] = _int_or_none(change["new"])
                self._show_report(index)

            dd.observe(set_self, "value")
            self_boxes.append(dd)
        upload = w.FileUpload(accept=".json", multiple=True, description="Load response or summary files", icon="")
        upload.layout = w.Layout(width="auto")
        upload.add_class("npq-360-upload")
        message = w.HTML()
        message.add_class("npq-360-upload-message")
        upload.observe(lambda change: self._loaded(index, change, message, upload), "value")
        report_box = w.HTML()
        report_box.add_class("npq-360-report")
        panel = w.VBox([
            w.HTML(f"<h3>{esc(stage)} — round {esc(rnd.get('id'))}</h3><p>{esc(who)}</p><p>{invitation}</p>"
                   f"<p class='npq-help'>{esc(travel.FORGERY_NOTE)}</p>"),
            w.HTML("<h4>Your own rating of each statement</h4>"), *self_boxes, upload, message, report_box])
        panel.add_class("npq-card")
        panel.report_box = report_box
        self._panels = getattr(self, "_panels", {})
        self._panels[index] = report_box
        self._render_report(rnd, report_box)
        return panel

    def load_files(self, index: int, files: list[tuple[str, bytes]]) -> list[str]:
        """Load response or summary files into round ``index``; returns one message per file (bad files change
        nothing)."""
        rnd = self.rounds[index]
        messages = []
        for name, raw in files:
            try:
                doc = travel.loads(raw, kinds={RESPONSE_KIND: TRAVEL_VERSION, SUMMARY_KIND: TRAVEL_VERSION},
                                   for_id=str(rnd["id"]), seen=rnd.get("file_ids") or [], what=f"'{name}'")
            except travel.TravelError as exc:
                messages.append(error_html(str(exc)))
                continue
            rnd.setdefault("file_ids", []).append(doc.file_id)
            if doc.kind == SUMMARY_KIND:
                rnd["summary"] = dict(doc.content.get("summary") or {})
                messages.append(_ok(f"'{name}': the collator's summary of {rnd['summary'].get('responses', 0)} "
                                    "responses."))
            else:
                rnd.setdefault("responses", []).append(dict(doc.content))
                messages.append(_ok(f"'{name}': a response ({len(rnd['responses'])} so far)."))
        self._show_report(index)
        self.show_change()
        self.refresh_focus()
        self._touched()
        return messages

    def _loaded(self, index: int, change, message: w.HTML, upload: w.FileUpload) -> None:
        files = uploaded_files(change["new"])
        if not files:
            return
        message.value = "".join(self.load_files(index, files))
        upload.value = ()

    def _show_report(self, index: int) -> None:
        box = getattr(self, "_panels", {}).get(index)
        if box is not None and index < len(self.rounds):
            self._render_report(self.rounds[index], box)

    def _render_report(self, rnd: Mapping[str, Any], box: w.HTML) -> None:
        figs = self.figures
        summary = round_summary(rnd, figs.min_group_responses)
        rows = report(rnd, gap=figs.blind_spot_gap, min_group=figs.min_group_responses)
        if summary is None:
            box.value = "<p>No responses loaded yet.</p>"
            return
        got, wanted = summary.get("responses", 0), sum(planned(rnd).values())
        groups = ", ".join(f"{GROUP_LABELS.get(g, g)} {n}" for g, n in (summary.get("groups") or {}).items())
        head = (f"<p><strong>{got} of {wanted} planned responses.</strong> Shown by group: {esc(groups or 'none')}"
                "</p>")
        if not summary.get("item_by_item"):
            whole = summary.get("whole_others") or {}
            head += ("<p class='npq-check-hint'>Fewer than "
                     f"{figs.min_group_responses} colleagues besides your line manager replied, so their ratings "
                     "are shown only as a whole, never statement by statement"
                     + (f": median {whole.get('median'):g} over every statement." if whole else ".") + "</p>")
        table = ["<table class='npq-table'><thead><tr><th>Statement</th><th>You</th><th>Others' median</th>"
                 "<th>Range (high–low)</th><th>Ratings</th><th>What it suggests</th></tr></thead><tbody>"]
        for r in rows:
            o = r.others
            table.append(f"<tr><td>{esc(r.statement.text)}</td><td>{esc(r.self_rating or '—')}</td>"
                         f"<td>{esc(f'{o.median:g}' if o else '—')}</td>"
                         f"<td>{esc(f'{o.high}–{o.low}' if o else '—')}</td><td>{esc(o.n if o else 0)}</td>"
                         f"<td>{esc(r.flag.capitalize() if r.flag else '')}</td></tr>")
        table.append("</tbody></table>")
        comments = []
        for key in sorted(summary.get("comments") or {}):
            group, _, part = key.partition(":")
            label = f"{GROUP_LABELS.get(group, group)} — {'strengths' if part == 'strengths' else 'to develop'}"
            comments.append(f"<h4>{esc(label)}</h4><ul>"
                            + "".join(f"<li>{esc(t)}</li>" for t in summary['comments'][key]) + "</ul>")
        chart = ""
        if any(r.statement.kind == "behaviour" and (r.others or r.self_rating) for r in rows):
            chart = figure_html(dot_plot(rows), dot_plot_alt(rows))
        box.value = head + "".join(table) + chart + "".join(comments)

    def show_change(self) -> None:
        art = {"rounds": self.rounds}
        changes = change(art, min_group=self.figures.min_group_responses)
        if not changes:
            self.change_html.value = ""
            return
        rows = "".join(f"<tr><td>{esc(c.statement.text)}</td><td>{esc(c.others_start)}</td>"
                       f"<td>{esc(c.others_end)}</td><td>{esc(describe_change(c.others_change))}</td></tr>"
                       for c in changes)
        self.change_html.value = ("<h2>Start and end of the programme</h2><table class='npq-table'><thead><tr>"
                                  "<th>Behaviour</th><th>Others' median at the start</th><th>At the end</th>"
                                  f"<th>Change</th></tr></thead><tbody>{rows}</tbody></table>"
                                  + figure_html(start_end(changes), start_end_alt(changes)))

    # -- the plan ------------------------------------------------------------------------------------------------
    def focus_options(self) -> list[tuple[str, str]]:
        rnd = next((r for stage in ("start", "end") for r in self.rounds if r.get("stage") == stage), None)
        return [(s.text[:90], s.id) for s in statements_of(rnd)] if rnd else []

    def refresh_focus(self) -> None:
        options = self.focus_options()
        for card in self.priorities.children:
            card.set_focus_options(options)

    def add_priority(self, data: Mapping[str, Any] | None = None) -> PriorityCard:
        card = PriorityCard(len(self.priorities.children) + 1, self.focus_options(), self.remove_priority)
        if data:
            card.value = data
        self.priorities.children = (*self.priorities.children, card)
        return card

    def remove_priority(self, card: PriorityCard) -> None:
        self.priorities.children = tuple(c for c in self.priorities.children if c is not card)
        for n, c in enumerate(self.priorities.children, start=1):
            c.set_number(n)

    # -- the artefact ----------------------------------------------------------------------------------------------
    @property
    def artefact(self) -> dict[str, Any]:
        return self._artefact(
            candidate={"name": self.candidate.value.strip(), **dict(self._candidate_extra)},
            programme={"start": self.prog_start.value, "end": self.prog_end.value},
            reflection=self.current_reflection(),
            reflections=[dict(r) for r in self.reflections],
            rounds=[dict(r) for r in self.rounds],
            raters_note=self.raters_note.text.value,
            plan=[c.value for c in self.priorities.children],
        )

    def load(self, artefact: Mapping[str, Any]) -> None:
        art = self.task.normalise(artefact)
        self.load_header(art)
        prog = art.get("programme") or {}
        self.prog_start.value = str(prog.get("start") or "")
        self.prog_end.value = str(prog.get("end") or "")
        sheet = art.get("reflection") or {}
        self.refl_date.value = str(sheet.get("date") or "")
        ratings = sheet.get("ratings") if isinstance(sheet.get("ratings"), Mapping) else {}
        for name, _ in self.behaviours:
            entry = ratings.get(name) if isinstance(ratings.get(name), Mapping) else {}
            self.refl_rating[name].value = _rating_value(entry.get("rating"))
            self.refl_comment[name].text.value = str(entry.get("comment") or "")
        self.reflections = [dict(r) for r in art.get("reflections") or []]
        self.rounds = [dict(r) for r in art.get("rounds") or []]
        self.raters_note.text.value = str(art.get("raters_note") or "")
        self.priorities.children = ()
        for entry in art.get("plan") or []:
            self.add_priority(entry if isinstance(entry, Mapping) else {})
        self.show_reflections()
        self.show_rounds()
        self.refresh_route()

    def _touched(self) -> None:
        """Save now: a button or a loaded file changed the work without any input changing its value."""
        binding = getattr(self, "autosave", None)
        if binding is not None:
            binding.flush()

    def check(self):
        self.refresh_route()
        return TaskView.check(self)

    # -- downloads ---------------------------------------------------------------------------------------------------
    def prepare_report(self) -> None:
        try:
            data = report_html(self.export_artefact(), self.scenario).encode("utf-8")
        except Exception as exc:  # noqa: BLE001 - shown in the widget, never as a traceback
            self.report_link.value = error_html(f"The report could not be made: {exc}")
            return
        self.report_link.value = download_link(data, "three-sixty-report.html", "Download the printable report",
                                               "text/html")


# -- the rater's form ---------------------------------------------------------------------------------------------------
class RaterForm(w.VBox):
    """A rater's form: load the invitation, choose a group, rate each statement, comment, download the response."""

    keeps_no_work = True

    def __init__(self, task: Task):
        self.task = task
        self.invitation: travel.TravelFile | None = None
        self.upload = w.FileUpload(accept=".json", multiple=False, description="Load the invitation file", icon="")
        self.upload.layout = w.Layout(width="auto")
        self.upload.add_class("npq-360-invitation-upload")
        self.upload.observe(self._uploaded, "value")
        self.message = w.HTML()
        self.message.add_class("npq-360-rater-message")
        self.form = w.VBox()
        self.result = w.HTML()
        self.result.add_class("npq-360-response-link")
        intro = w.HTML(f"<h1>360° feedback form</h1><p>A colleague has asked you for 360° feedback on their "
                       "leadership. Load the invitation file they (or their facilitator) sent you. Rate each "
                       "statement from 1 (high) to 4 (low), or choose “Not observed”, add comments, and download "
                       "your response file to send back. You need no account; nothing you type is kept here once "
                       "you close this page.</p>"
                       f"<p class='npq-help'>{esc(travel.FORGERY_NOTE)}</p>")
        super().__init__([style(), intro, self.upload, self.message, self.form, self.result])
        self.add_class("npq-app")
        self.add_class("npq-360-rater")

    def _uploaded(self, change) -> None:
        files = uploaded_files(change["new"])
        if files:
            self.load_invitation(files[0][1], files[0][0])

    def load_invitation(self, raw: bytes, name: str = "The file") -> bool:
        try:
            doc = travel.loads(raw, kinds={INVITATION_KIND: TRAVEL_VERSION}, what=f"'{name}'")
        except travel.TravelError as exc:
            self.message.value = error_html(str(exc))
            return False
        self.invitation = doc
        c = doc.content
        who = str(c.get("candidate") or "your colleague")
        collector = str(c.get("collector") or "self")
        privacy = ("Your response goes to the candidate, who collects the files themselves and can read your "
                   "ratings and comments." if collector == "self" else
                   f"Send your response to the candidate's {collector}, not to the candidate: they will pass on only "
                   "a summary.")
        rule = (f"Ratings are shown to the candidate by group only where at least "
                f"{c.get('min_group_responses', 3)} people in the group reply; a line manager's ratings are shown "
                "as the line manager's.")
        self.message.value = (f"<p><strong>Feedback for {esc(who)}</strong> "
                              f"({esc(STAGES.get(str(c.get('stage')), ''))}).</p><p>{esc(privacy)}</p>"
                              f"<p>{esc(rule)}</p>")
        self.group = w.Dropdown(options=[("Choose…", "")] + [(GROUP_LABELS[g] if g != "others" else "Other", g)
                                                             for g in GROUPS], value="")
        self.group.add_class("npq-360-rater-group")
        self.ratings: dict[str, w.Dropdown] = {}
        rows = []
        for s in statements_of(c):
            dd = w.Dropdown(options=RATER_OPTIONS, value="", layout=w.Layout(width="160px"))
            dd.add_class("npq-360-rater-rating")
            self.ratings[s.id] = dd
            detail = f"<div class='npq-help'>{esc(s.detail)}</div>" if s.kind == "behaviour" and s.detail else ""
            rows.append(w.VBox([w.HTML(f"<strong>{esc(s.text)}</strong>{detail}"), field("Rating", dd)[0]]))
        self.strengths = WordCountedText(placeholder="What does your colleague do well?", rows=3)
        self.develop = WordCountedText(placeholder="What could they develop?", rows=3)
        self.strengths.text.add_class("npq-360-rater-strengths")
        self.develop.text.add_class("npq-360-rater-develop")
        self.make_button = button("Make my response file", css="npq-360-make-response", primary=True)
        self.make_button.on_click(lambda _b: self.make_response())
        self.form.children = [field("You are the candidate's…", self.group)[0], *rows,
                              field("Strengths", self.strengths)[0], field("To develop", self.develop)[0],
                              self.make_button]
        self.result.value = ""
        return True

    def response(self) -> tuple[dict | None, str]:
        if self.invitation is None:
            return None, "Load the invitation file first."
        if not self.group.value:
            return None, "Choose which group you are in (line manager, peer, team member or other)."
        missing = [sid for sid, dd in self.ratings.items() if not dd.value]
        if missing:
            return None, f"{len(missing)} statement(s) have no rating yet: choose a rating or “Not observed”."
        content = {"group": self.group.value,
                   "ratings": {sid: _int_or_none(dd.value) for sid, dd in self.ratings.items()},
                   "comments": {"strengths": self.strengths.text.value.strip(),
                                "develop": self.develop.text.value.strip()}}
        return content, ""

    def make_response(self) -> bytes | None:
        content, problem = self.response()
        if content is None:
            self.result.value = error_html(problem)
            return None
        doc = travel.make(RESPONSE_KIND, TRAVEL_VERSION, self.invitation.for_id, content["group"], content)
        data = travel.dumps(doc)
        self.result.value = download_link(data, f"360-response-{doc.for_id}-{doc.file_id}.json",
                                          "Download your response file", JSON_MIME)
        return data


# -- the collator's view ------------------------------------------------------------------------------------------------
class CollatorView(w.VBox):
    """For the person the candidate named: load the invitation and the responses, download the anonymous summary."""

    keeps_no_work = True

    def __init__(self, task: Task):
        self.task = task
        self.figures = task.figures or figures()
        self.invitation: travel.TravelFile | None = None
        self.responses: list[dict] = []
        self.seen: list[str] = []
        self.inv_upload = w.FileUpload(accept=".json", multiple=False, description="Load the invitation file",
                                       icon="")
        self.inv_upload.add_class("npq-360-collator-invitation")
        self.inv_upload.observe(lambda c: [self.load_invitation(raw, n) for n, raw in uploaded_files(c["new"])], "value")
        self.resp_upload = w.FileUpload(accept=".json", multiple=True, description="Load response files", icon="")
        self.resp_upload.add_class("npq-360-collator-responses")
        self.resp_upload.observe(lambda c: self.load_responses(uploaded_files(c["new"])), "value")
        for u in (self.inv_upload, self.resp_upload):
            u.layout = w.Layout(width="auto")
        self.message = w.HTML()
        self.status = w.HTML()
        self.summary_button = button("Make the summary file", css="npq-360-make-summary", primary=True)
        self.summary_button.on_click(lambda _b: self.make_summary())
        self.responses_button = button("Download the responses (for you only)", css="npq-360-collator-xlsx")
        self.responses_button.on_click(lambda _b: self.make_responses_xlsx())
        self.links = w.HTML()
        intro = w.HTML("<h1>360° collator</h1><p>You were named to collect a candidate's 360° responses. Load the "
                       "invitation file, then the response files. The summary file holds only what the anonymity "
                       "rule allows; send it to the candidate. Keep the responses themselves to yourself.</p>"
                       f"<p class='npq-help'>{esc(travel.FORGERY_NOTE)}</p>")
        super().__init__([style(), intro, self.inv_upload, self.resp_upload, self.message, self.status,
                          w.HBox([self.summary_button, self.responses_button]), self.links])
        self.add_class("npq-app")
        self.add_class("npq-360-collator")

    def load_invitation(self, raw: bytes, name: str = "The file") -> bool:
        try:
            self.invitation = travel.loads(raw, kinds={INVITATION_KIND: TRAVEL_VERSION}, what=f"'{name}'")
        except travel.TravelError as exc:
            self.message.value = error_html(str(exc))
            return False
        self.responses, self.seen = [], []
        self.message.value = _ok(f"Invitation for round {self.invitation.for_id} loaded.")
        self._status()
        return True

    def load_responses(self, files: list[tuple[str, bytes]]) -> None:
        if not files:
            return
        if self.invitation is None:
            self.message.value = error_html("Load the invitation file first: it says which round the responses are "
                                            "for.")
            return
        out = []
        for name, raw in files:
            try:
                doc = travel.loads(raw, kinds={RESPONSE_KIND: TRAVEL_VERSION}, for_id=self.invitation.for_id,
                                   seen=self.seen, what=f"'{name}'")
            except travel.TravelError as exc:
                out.append(error_html(str(exc)))
                continue
            self.seen.append(doc.file_id)
            self.responses.append(dict(doc.content))
            out.append(_ok(f"'{name}' loaded."))
        self.message.value = "".join(out)
        self._status()

    def _status(self) -> None:
        counts = {g: 0 for g in GROUPS}
        for r in self.responses:
            counts[r.get("group") if r.get("group") in GROUPS else "others"] += 1
        self.status.value = ("<p>Responses: " + ", ".join(f"{GROUP_LABELS[g]} {n}" for g, n in counts.items())
                             + f" ({len(self.responses)} in all).</p>")

    def summary(self) -> dict | None:
        if self.invitation is None:
            return None
        c = self.invitation.content
        return summarise(statements_of(c), self.responses, line_manager_named=bool(c.get("line_manager_named")),
                         min_group=self.figures.min_group_responses)

    def make_summary(self) -> bytes | None:
        summary = self.summary()
        if summary is None or not self.responses:
            self.links.value = error_html("Load the invitation file and at least one response first.")
            return None
        doc = travel.make(SUMMARY_KIND, TRAVEL_VERSION, self.invitation.for_id, "collator", {"summary": summary})
        data = travel.dumps(doc)
        self.links.value = download_link(data, f"360-summary-{doc.for_id}.json",
                                         "Download the summary file for the candidate", JSON_MIME)
        return data

    def make_responses_xlsx(self) -> None:
        if self.invitation is None:
            self.links.value = error_html("Load the invitation file first.")
            return
        data = collator_xlsx(self.invitation.content.get("statements") or [], self.responses, self.invitation.for_id)
        self.links.value = download_link(data, f"360-responses-{self.invitation.for_id}.xlsx",
                                         "Download the responses (Excel, for you only)",
                                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


__all__ = ["open_view", "ThreeSixtyBuilder", "RaterForm", "CollatorView", "PLAN_FIELDS", "content_statements"]
