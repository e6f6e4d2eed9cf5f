"""The pupil data analysis app: pick a scenario or upload your own file, choose what to compare, read the tables and
charts, answer the questions, write your priorities, check, download "Raw data analysis" (.xlsx).

Privacy: an uploaded file is validated and pseudonymised in the kernel (names and UPNs are dropped on load); the
view keeps the pseudonymised table in memory only. ``.artefact`` holds aggregates and answers, never pupil rows.
"""

from __future__ import annotations

from typing import Any, Mapping

import ipywidgets as w

from .checks import COHORT_CHOICES, statements
from ...domain.pupil_analysis import Selection, analyse, default_method
from ...domain.pupil_funnel import school_funnel
from ...domain.pupil_data import SIZE_LIMIT_BYTES, DataProblem, PupilTable, load_pupil_table
from ...domain.pupil_stats import SUPPRESSION_THRESHOLD, p8_national_sd, p8_years
from ...contract import Scenario, Task
from . import export as tda
from .charts import funnel_alt, funnel_chart, group_bars, trend_lines
from ...widgets.chart_area import ChartArea
from ...widgets.task_view import TaskView
from ...widgets.common import (WordCountedText, error_html, esc, field, figure_html,
                     style, text_to_html)

OWN = "__own__"
STANDARD_PRIORITY = ("disadvantaged", "send", "eal", "gender", "prior_band")
COHORT_WORDS = {"above": "Significantly above", "not significantly different": "Not significantly different",
                "below": "Significantly below"}
LETTERS = "ABCD"


def _f(v: Any, dp: int = 2) -> str:
    return "–" if v is None else f"{v:.{dp}f}".replace("-", "−")


def _p(p: float | None, sign: bool = False) -> str:
    """A p-value as a reader expects it: '0.034', or '< 0.001' rather than scientific notation."""
    if p is None or p != p:
        return "—"
    if p < 0.001:
        return "< 0.001"
    return ("= " if sign else "") + f"{p:.3f}"



def funnel_html(f: Mapping[str, Any]) -> str:
    """Several schools: each school's score with its interval and where it lies against the funnel's limits, the
    spread between and within schools, and the method."""
    rows = "".join(
        f"<tr><td>{esc(s['school'])}</td><td class='num'>{s['n']}</td><td class='num'>{_f(s['mean'])}</td>"
        f"<td class='num'>{_f(s['ci_low'])} to {_f(s['ci_high'])}</td>"
        f"<td class='num'>{_f(s['limit95_low'])} to {_f(s['limit95_high'])}</td>"
        f"<td class='num'>{_f(s['limit998_low'])} to {_f(s['limit998_high'])}</td><td>{esc(s['position'])}</td></tr>"
        for s in f.get("schools") or ())
    if f.get("smaller_schools_hidden"):
        rows += (f"<tr><td>Smaller schools (not shown)</td><td colspan='6'>fewer than {f['threshold']} pupils, or "
                 "hidden so that a small school cannot be worked out</td></tr>")
    sp = f.get("spread") or {}
    share = sp.get("between_share")
    real = ", ".join(f.get("outside_998") or ()) or "none"
    chance = [s for s in f.get("outside_95") or () if s not in (f.get("outside_998") or ())]
    return (f"<h3>Several schools: each school against the trust{' — ' + esc(f['drop']) if f.get('drop') else ''}"
            f"</h3><p class='npq-help npq-da-funnel-method'>{esc(f['method'])} Trust mean {_f(f['trust_mean'])}, "
            f"trust SD {_f(f['trust_sd'])}, {f['trust_n']:,} pupils.</p>"
            "<table class='npq-table npq-da-funnel'><thead><tr><th>School</th><th class='num'>n</th>"
            "<th class='num'>Mean</th><th class='num'>95% interval</th><th class='num'>95% limits</th>"
            "<th class='num'>99.8% limits</th><th>Against the limits</th></tr></thead><tbody>" + rows
            + "</tbody></table>"
            f"<p><strong>Spread.</strong> Between schools: the schools' means have an SD of {_f(sp.get('between_sd'))}"
            f" and {'—' if share is None else f'{share:.1%}'} of the variation between pupils lies between schools. "
            f"Within schools: a pooled SD of {_f(sp.get('within_sd'))}.</p>"
            f"<p><strong>Differences that are real</strong> (outside the 99.8% limits): {esc(real)}."
            + (f" Outside the 95% limits only (1 school in 20 would be by chance): {esc(', '.join(chance))}."
               if chance else "") + "</p>")

class DataAnalysisApp(TaskView, w.VBox):
    """The whole task. ``.artefact`` / ``.load()`` are what the store saves and restores."""

    export_name = "raw-data-analysis"

    def spreadsheet_bytes(self) -> bytes:
        return tda.xlsx_bytes(self.export_artefact(), self.scenario)

    def __init__(self, task: Task, scenario: Scenario | None = None, *, threshold: int = SUPPRESSION_THRESHOLD,
                 size_limit: int = SIZE_LIMIT_BYTES, own_data: bool = False):
        self.task = task
        self.threshold = threshold
        self.size_limit = size_limit
        self.scenario: Scenario | None = None
        self.table: PupilTable | None = None
        self.data_info: dict[str, Any] = {}
        self.aggregates: dict[str, Any] | None = None
        self.attempts = 0
        self._saved_selection: dict[str, Any] | None = None

        header = w.HTML(self._heading())
        name_box = self._name_field()

        # -- data --------------------------------------------------------------------------------------------
        options = [(s.title, s.id) for s in task.scenarios] + [("My own school's data (upload a file)", OWN)]
        self.source = w.Dropdown(options=options, value=options[0][1], layout=w.Layout(width="560px"))
        self.source.add_class("npq-da-source")
        source_box, _ = field("Data to analyse", self.source)
        self.upload = w.FileUpload(accept=".csv,.xlsx,.txt,.gz", multiple=False, description="Upload CSV or Excel", icon="",
                                   layout=w.Layout(width="auto"))
        self.upload.add_class("npq-da-upload")
        limit_mb = f"{size_limit / 1024 / 1024:.0f} MB"
        self.upload_box, self.upload_msg = field(
            "Your file (CSV or .xlsx)", self.upload,
            f"One row per pupil per data drop, with a heading row. Up to {limit_mb}. Names and UPNs are replaced "
            "by pseudonyms as the file loads and are never shown or saved; only totals for groups of "
            f"{threshold} or more pupils are kept. The file goes only to the computer running this workbook (your "
            "own, or the Binder or school server you opened it on) and is not stored there.")
        self.upload_msg.add_class("npq-da-upload-message")
        self.brief = w.HTML()
        self.brief.add_class("npq-da-brief")
        self.data_summary = w.HTML()
        self.data_summary.add_class("npq-da-data-summary")

        # -- selection ---------------------------------------------------------------------------------------
        self.measure = w.Dropdown(layout=w.Layout(width="300px"))
        self.measure.add_class("npq-da-measure")
        self.by = w.Dropdown(layout=w.Layout(width="300px"))
        self.by.add_class("npq-da-by")
        self.correlate = w.Dropdown(layout=w.Layout(width="300px"))
        self.correlate.add_class("npq-da-correlate")
        self.drop_boxes = w.HBox(layout=w.Layout(flex_flow="row wrap"))
        self.drop_boxes.add_class("npq-da-drops")
        self.sd_year = w.Dropdown(options=[(f"{y} (national SD {p8_national_sd(y).sd})", y) for y in p8_years()],
                                  value=p8_national_sd().year, layout=w.Layout(width="300px"))
        self.sd_year.add_class("npq-da-sd-year")
        self.category_boxes = w.HBox(layout=w.Layout(flex_flow="row wrap"))
        self.category_boxes.add_class("npq-da-categories")
        measure_box, _ = field("Measure", self.measure)
        by_box, _ = field("Compare groups by", self.by)
        self.sd_year_box, _ = field("Progress 8 national SD (year of the DfE figures)", self.sd_year)
        self.categories_box, _ = field(
            "Columns of categories to compare groups by", self.category_boxes,
            "A ticked column's values are shown, saved and exported as group names: tick only columns of "
            "categories (such as House or Set), never names. Columns with names, pupil numbers, dates or contact "
            "details were set aside on load and are not listed.")
        self.categories_box.layout.display = "none"
        corr_box, _ = field("Correlate the measure with", self.correlate)
        drops_box, self.drops_msg = field("Data drops", self.drop_boxes)
        for widget in (self.measure, self.by, self.correlate, self.sd_year):
            widget.observe(self._selection_changed, "value")

        # -- results -----------------------------------------------------------------------------------------
        self.results = w.HTML()
        self.results.add_class("npq-da-results")
        self.charts = ChartArea()  # drawn once the page has been painted (widgets/chart_area.py)
        self.charts.add_class("npq-da-charts")

        # -- questions ---------------------------------------------------------------------------------------
        self.gap_group = w.Dropdown(layout=w.Layout(width="300px"))
        self.gap_group.add_class("npq-da-gap-group")
        self.gap = w.Text(placeholder="e.g. −0.25", layout=w.Layout(width="160px"))
        self.gap.add_class("npq-da-gap")
        self.gap_significant = w.Dropdown(options=[("Choose…", ""), ("Yes — its interval excludes 0", "yes"),
                                                   ("No — its interval includes 0", "no")],
                                          value="", layout=w.Layout(width="340px"))
        self.gap_significant.add_class("npq-da-gap-significant")
        self.cohort_sig = w.Dropdown(options=[("Choose…", "")] + [(COHORT_WORDS[c], c) for c in COHORT_CHOICES],
                                     value="", layout=w.Layout(width="340px"))
        self.cohort_sig.add_class("npq-da-cohort-significance")
        self.statements_html = w.HTML()
        self.interpretation = w.Dropdown(options=[("Choose…", "")], value="", layout=w.Layout(width="200px"))
        self.interpretation.add_class("npq-da-interpretation")
        self.priority_group = w.Dropdown(layout=w.Layout(width="420px"))
        self.priority_group.add_class("npq-da-priority-group")
        self.justification = WordCountedText(placeholder="Why this group? Size of the gap, how sure you are…", rows=3)
        self.justification.text.add_class("npq-da-justification")
        self.priorities = WordCountedText(placeholder="What should the team prioritise, for whom, and why does the "
                                                      "data support it? (at least 40 words)", rows=6)
        self.priorities.text.add_class("npq-da-priorities")
        self.q1_label = w.HTML()
        g_box, _ = field("Group", self.gap_group)
        gap_box, self.gap_msg = field("Gap (2 decimal places)", self.gap)
        self.gap.observe(self._validate_gap, "value")
        sig_box, _ = field("Is that gap statistically significant?", self.gap_significant)
        self.q3_label = w.HTML()
        cohort_box, _ = field("Your verdict", self.cohort_sig)
        self.q3 = w.VBox([self.q3_label, cohort_box])
        interp_box, _ = field("The valid statement", self.interpretation)
        self.q4 = w.VBox([w.HTML("<h3>4. Correlation or causation?</h3>"), self.statements_html, interp_box])
        pg_box, _ = field("Priority group", self.priority_group)
        just_box, _ = field("Why this group (saved with your work, not scored)", self.justification)
        prio_box, _ = field("Write your priorities", self.priorities,
                            "This becomes part of your raw data analysis.")
        questions = w.VBox([
            w.HTML("<h2>Questions</h2>"),
            self.q1_label, w.HBox([g_box, gap_box], layout=w.Layout(flex_flow="row wrap")),
            w.HTML("<h3>2. Is it more than chance?</h3>"), sig_box,
            self.q3, self.q4,
            w.HTML("<h3>5. Your priority</h3>"), pg_box, just_box,
            w.HTML("<h3>6. Your priorities</h3>"), prio_box,
        ])
        questions.add_class("npq-da-questions")

        self._check_controls("Check my analysis")
        self._download_controls()

        self.source.observe(self._source_changed, "value")
        self.upload.observe(self._uploaded, "value")
        self.save_status = w.HBox()  # autosave's "Saved at …" line
        super().__init__([
            style(), header, self.save_status, name_box, source_box, self.upload_box, self.brief, self.data_summary,
            w.HTML("<h2>What to compare</h2>"), self.categories_box,
            w.HBox([measure_box, by_box, corr_box, self.sd_year_box], layout=w.Layout(flex_flow="row wrap")),
            drops_box,
            self.results, self.charts, questions, self.check_button, self.feedback,
            w.HBox([self.download_button, self.download]),
        ])
        self.add_class("npq-app")
        self.add_class("npq-da-app")
        self._use_scenario(scenario or (task.scenarios[0] if task.scenarios else None))

    # -- data sources ---------------------------------------------------------------------------------------
        if own_data:
            self.source.value = "__own__"

    def _use_scenario(self, scenario: Scenario | None, selection: Mapping[str, Any] | None = None) -> None:
        if scenario is None:
            self._show_own()
            return
        self.scenario = scenario
        self.table = tda.scenario_table(scenario)
        self.data_info = {"source": "scenario", **self.table.describe()}
        with self.quietly():
            self.source.value = scenario.id
        self.upload_box.layout.display = "none"
        self._category_options()
        self.brief.value = f"<h2>{esc(scenario.title)}</h2>{text_to_html(scenario.brief)}"
        self._set_options(selection or tda.default_selection(scenario, self.table).to_dict())

    def _show_own(self, reset: bool = True) -> None:
        self.scenario = None
        self.upload_box.layout.display = None
        self.brief.value = ("<h2>Your own school's data</h2><p>Upload a CSV or Excel file with one row per pupil per "
                            "data drop: an identifier (UPN, pupil id or name), the groups you want to compare (for "
                            "example Disadvantaged, SEND, EAL, Gender) and the scores. The checks and questions "
                            "work from your own figures.</p>")
        if reset and (self.table is None or self.data_info.get("source") == "scenario"):
            self.table = None
            self.data_info = {}
            self.aggregates = None
            self._category_options()
            self._set_options(None)

    def _source_changed(self, change) -> None:
        if self.quiet:
            return
        if change["new"] == OWN:
            self.table = None
            self.data_info = {}
            self._show_own()
        else:
            self._use_scenario(self.task.scenario(change["new"]))

    def _uploaded(self, change) -> None:
        files = change["new"]
        if not files:
            return
        f = files[-1] if isinstance(files, (list, tuple)) else list(files.values())[-1]
        name = str(f.get("name") or "upload")
        content = bytes(f.get("content") or b"")
        self.upload.value = ()  # the bytes are not kept in the widget
        self.load_file(content, name)

    def load_file(self, content: bytes, name: str) -> bool:
        """Validate and pseudonymise an uploaded file. Bad files get a message; the previous data stays."""
        if len(content) > self.size_limit:
            self.upload_msg.value = error_html(
                f"'{name}' is {len(content) / 1024 / 1024:.1f} MB; files up to "
                f"{self.size_limit / 1024 / 1024:.0f} MB can be analysed. Remove columns or rows you do not need "
                "and upload it again. Your previous data is still loaded.")
            return False
        try:
            table = load_pupil_table(content, name, size_limit=self.size_limit)
        except DataProblem as exc:
            kept = " Your previous data is still loaded." if self.table is not None or self.aggregates else ""
            items = "".join(f"<li>{esc(p)}</li>" for p in exc.problems)
            self.upload_msg.value = (f'<div class="npq-msg-error" role="alert">⚠ \'{esc(name)}\' could not be '
                                     f"used:<ul>{items}</ul>{esc(kept)}</div>")
            return False
        except Exception as exc:  # noqa: BLE001 - never a traceback in the widget
            self.upload_msg.value = error_html(f"'{name}' could not be read ({type(exc).__name__}). "
                                               "Save it again as CSV or .xlsx and upload it.")
            return False
        same = self.data_info.get("fingerprint") == table.fingerprint
        previous = self._saved_selection if same else None
        if same and self.data_info.get("groupings") is not None:  # the same file: the same confirmed categories
            try:
                table = table.confirm([g for g in self.data_info["groupings"] if g in table.categories])
            except DataProblem:
                pass
        self.scenario = None
        self.table = table
        self.data_info = {"source": "upload", **table.describe()}
        with self.quietly():
            self.source.value = OWN
        self.upload_box.layout.display = None
        notes = "".join(f"<li>{esc(n)}</li>" for n in table.notes)
        self.upload_msg.value = (f'<div class="npq-da-upload-ok" role="status">✔ Loaded \'{esc(name)}\': '
                                 f"{table.pupils} pupils, {table.rows} rows, pseudonymised."
                                 f"{'<ul>' + notes + '</ul>' if notes else ''}</div>")
        self._category_options()
        self._set_options(previous or self._own_selection(table))
        return True

    def _category_options(self) -> None:
        """One checkbox per column of categories in an uploaded file; ticked = confirmed for comparing groups."""
        table = self.table
        if table is None or self.scenario is not None or not table.categories:
            self.category_boxes.children = ()
            self.categories_box.layout.display = "none"
            return
        boxes = []
        for col in table.categories:
            cb = w.Checkbox(value=col in table.groupings, description=table.label(col), indent=False,
                            layout=w.Layout(width="auto"))
            cb.add_class("npq-da-category")
            cb.observe(lambda change, col=col: self._category_ticked(col, change["new"]), "value")
            boxes.append(cb)
        self.category_boxes.children = boxes
        self.categories_box.layout.display = None

    def _category_ticked(self, col: str, ticked: bool) -> None:
        if self.table is None:
            return
        chosen = [c for c in self.table.categories if (c in self.table.groupings and c != col) or (c == col and ticked)]
        self.table = self.table.confirm(chosen)
        self.data_info = {"source": "upload", **self.table.describe()}
        sel = self.selection
        self._set_options(sel.to_dict() if sel is not None else None)

    def _own_selection(self, table: PupilTable) -> dict[str, Any]:
        measure = next((m for m in table.measures if default_method(m) == "p8"), table.measures[0])
        by = "disadvantaged" if "disadvantaged" in table.groupings else (table.groupings[0] if table.groupings
                                                                        else None)
        corr = "attendance_pct" if "attendance_pct" in table.measures and measure != "attendance_pct" else None
        return {"measure": measure, "by": by, "drops": list(table.drops), "correlate_with": corr,
                "national_sd_year": p8_national_sd().year}

    # -- selection ------------------------------------------------------------------------------------------
    def _labels(self) -> dict[str, str]:
        labels = dict(self.table.headings) if self.table is not None else {}
        if self.scenario is not None:
            labels.update(tda.labels_for(self.scenario))
        return labels

    def _set_options(self, selection: Mapping[str, Any] | None) -> None:
        with self.quietly():
            info = self.data_info
            labels = self._labels() or (self.aggregates or {}).get("labels") or {}
            measures = list((self.scenario.data.get("measures") if self.scenario else None) or
                            info.get("measures") or [])
            groupings = list(info.get("groupings") or [])
            self.measure.options = [(labels.get(m, m), m) for m in measures] or [("(no data yet)", "")]
            self.by.options = [(labels.get(g, g), g) for g in groupings] or [("(no data yet)", "")]
            self.correlate.options = [("Nothing", "")] + [(labels.get(m, m), m) for m in measures]
            sel = dict(selection or {})
            self.measure.value = sel.get("measure") if sel.get("measure") in measures else self.measure.options[0][1]
            self.by.value = sel.get("by") if sel.get("by") in groupings else self.by.options[0][1]
            self.correlate.value = sel.get("correlate_with") if sel.get("correlate_with") in measures else ""
            years = [v for _, v in self.sd_year.options]
            self.sd_year.value = sel.get("national_sd_year") if sel.get("national_sd_year") in years \
                else p8_national_sd().year
            self.sd_year_box.layout.display = None if default_method(self.measure.value or "") == "p8" else "none"
            chosen = set(sel.get("drops") or info.get("drops") or [])
            boxes = []
            for d in info.get("drops") or []:
                cb = w.Checkbox(value=d in chosen, description=d, indent=False, layout=w.Layout(width="auto"))
                cb.add_class("npq-da-drop")
                cb.observe(self._selection_changed, "value")
                boxes.append(cb)
            self.drop_boxes.children = boxes
            editable = self.table is not None
            for widget in (self.measure, self.by, self.correlate, self.sd_year, *boxes):
                widget.disabled = not editable
        self.refresh()

    def _selection_changed(self, _change=None) -> None:
        if not self.quiet:
            self.refresh()

    @property
    def selection(self) -> Selection | None:
        if not self.measure.value:
            return None
        drops = tuple(cb.description for cb in self.drop_boxes.children if cb.value)
        pg = tuple(self.scenario.data.get("priority_groupings") or ()) if self.scenario else \
            tuple(g for g in STANDARD_PRIORITY if g in (self.data_info.get("groupings") or ()))
        ref = tda.reference_for(self.scenario, self.measure.value) if self.scenario else None
        year = self.sd_year.value if default_method(self.measure.value) == "p8" else None
        return Selection(measure=self.measure.value, by=self.by.value or None, drops=drops, reference=ref,
                         national_sd_year=year, correlate_with=self.correlate.value or None, priority_groupings=pg,
                         labels=self._labels())

    # -- analysis and display ------------------------------------------------------------------------------
    def refresh(self) -> None:
        sel = self.selection
        if self.table is not None and sel is not None:
            if self.data_info.get("drops") and not sel.drops:
                self.drops_msg.value = error_html("Tick at least one data drop.")
                return
            self.drops_msg.value = ""
            try:
                self.aggregates = analyse(self.table, sel, threshold=self.threshold)
                funnel = self._funnel(sel)
                if funnel:
                    self.aggregates["funnel"] = funnel
            except DataProblem as exc:
                self.results.value = error_html("This combination could not be analysed: " + " ".join(exc.problems))
                self.charts.clear()
                return
            except Exception:  # noqa: BLE001 - shown, never raised; never a value from the file
                self.results.value = error_html("This combination could not be analysed: choose another measure "
                                                "or grouping.")
                self.charts.clear()
                return
        elif self.table is None and not self.aggregates:
            self.results.value = "<p class='npq-help'>Upload a file to see the analysis.</p>" \
                if self.source.value == OWN else ""
            self.charts.clear()
            self._question_options()
            return
        self._render()
        self._question_options()

    def _render(self) -> None:
        agg = self.aggregates or {}
        thr = agg.get("threshold", self.threshold)
        method = ("Progress 8 intervals use the DfE method: mean ± 1.96 × national SD / √n, with the national SD "
                  f"{agg['national_sd']['sd']} ({agg['national_sd']['year']} data)." if agg.get("method") == "p8"
                  else "95% intervals are t-intervals from the data's own spread.")
        ref = agg.get("reference")
        parts = [f"<h2>{esc(agg.get('measure_label'))} by {esc(agg.get('by_label') or 'all pupils')}</h2>",
                 f"<p class='npq-help'>{esc(method)} Groups of fewer than {thr} pupils are not shown."
                 + (f" Reference value: {ref:g}." if ref is not None else "") + "</p>"]
        rows = []
        for g in list(agg.get("groups") or []) + list(agg.get("cohort") or []):
            if g.get("suppressed"):
                rows.append(f"<tr><td>{esc(g['group'])}</td><td>{esc(g.get('drop') or '')}</td>"
                            f"<td colspan='5'>fewer than {thr} pupils — not shown</td></tr>")
                continue
            verdict = g.get("band") or (COHORT_WORDS.get(g.get("significance") or "", "") if ref is not None
                                         else "")
            rows.append(f"<tr><td>{esc(g['group'])}</td><td>{esc(g.get('drop') or '')}</td>"
                        f"<td class='num'>{g['n']}</td><td class='num'>{_f(g['mean'])}</td>"
                        f"<td class='num'>{_f(g['sd'])}</td>"
                        f"<td class='num'>{_f(g['ci_low'])} to {_f(g['ci_high'])}</td><td>{esc(verdict)}</td></tr>")
        parts.append("<table class='npq-table npq-da-summary'><thead><tr><th>Group</th><th>Data drop</th>"
                     "<th class='num'>n</th><th class='num'>Mean</th><th class='num'>SD</th>"
                     "<th class='num'>95% interval</th><th>Compared with the reference</th></tr></thead><tbody>"
                     + "".join(rows) + "</tbody></table>")
        gaps = [g for g in agg.get("gaps") or [] if g["grouping"] == agg.get("by")]
        if gaps:
            grow = "".join(
                f"<tr><td>{esc(g['group'])}</td><td class='num'>{g['n']}</td><td class='num'>{_f(g['mean'])}</td>"
                f"<td class='num'>{g['other_n']}</td><td class='num'>{_f(g['other_mean'])}</td>"
                f"<td class='num'>{_f(g['ci_low'])} to {_f(g['ci_high'])}</td>"
                f"<td class='num'>{_p(g['p'])}</td><td class='num'>{_f(g['cohens_d'])}</td></tr>" for g in gaps)
            parts.append(f"<h3>Each group against everyone else — {esc(agg.get('latest_drop') or '')}</h3>"
                         "<table class='npq-table npq-da-gaps'><thead><tr><th>Group</th><th class='num'>n</th>"
                         "<th class='num'>Group mean</th><th class='num'>Everyone else n</th>"
                         "<th class='num'>Everyone else mean</th><th class='num'>95% interval of the gap</th>"
                         "<th class='num'>Welch p</th><th class='num'>Cohen's d</th></tr></thead><tbody>"
                         + grow + "</tbody></table>")
        corr = agg.get("correlation")
        if corr and corr.get("r") is not None:
            parts.append(f"<p><strong>Correlation</strong> of {esc(agg.get('correlate_label'))} with "
                         f"{esc(agg.get('measure_label'))} ({esc(agg.get('latest_drop') or '')}): r = "
                         f"{_f(corr['r'])}, p {_p(corr['p'], sign=True)}, n = {corr['n']}. {esc(corr.get('caveat', ''))}</p>")
        samp = agg.get("sampling") or []
        if samp:
            srow = "".join(f"<tr><td>{s['size']} pupils</td><td class='num'>{_f(s['mean'])}</td>"
                           f"<td class='num'>{_f(s['ci_low'])} to {_f(s['ci_high'])}</td>"
                           f"<td class='num'>{_f(s['ci_high'] - s['ci_low'])}</td></tr>" for s in samp)
            parts.append("<h3>Sampling: a random sample's interval</h3><p class='npq-help'>The smaller the sample, "
                         "the wider its 95% interval: small groups tell you less.</p>"
                         "<table class='npq-table npq-da-sampling'><thead><tr><th>Sample</th><th class='num'>Mean"
                         "</th><th class='num'>95% interval</th><th class='num'>Width</th></tr></thead><tbody>"
                         + srow + "</tbody></table>")
        if agg.get("funnel"):
            parts.append(funnel_html(agg["funnel"]))
        self.results.value = "".join(parts)
        label = esc(agg.get("measure_label"))

        def charts() -> str:
            return (figure_html(group_bars(agg), f"Bar chart of mean {label} by group with 95% interval whiskers",
                                width_px=1050)
                    + figure_html(trend_lines(agg), f"Line chart of mean {label} across data drops for each group",
                                  width_px=1050)
                    + (figure_html(funnel_chart(agg["funnel"]), funnel_alt(agg["funnel"]), width_px=1050)
                       if agg.get("funnel") else ""))

        # the tables stand without the charts
        self.charts.draw(charts, fallback=error_html("The charts could not be drawn for this selection."))

    def _funnel(self, sel: Selection) -> dict[str, Any] | None:
        """Several schools: the funnel of the latest chosen drop, when a school column is confirmed."""
        if self.table is None or "school" not in self.table.groupings:
            return None
        drops = [d for d in (self.table.drops or ()) if not sel.drops or d in sel.drops]
        try:
            funnel = school_funnel(self.table.df, sel.measure, "school", drop_column="drop" if drops else None,
                                   drop=drops[-1] if drops else None, threshold=self.threshold,
                                   confirmed=self.table.groupings)
        except (ValueError, KeyError, TypeError):
            return None
        return {**funnel, "measure_label": self.table.label(sel.measure)}

    def _question_options(self) -> None:
        agg = self.aggregates or {}
        keep = {"gap_group": self.gap_group.value, "interpretation": self.interpretation.value,
                "priority_group": self.priority_group.value}
        by_label = agg.get("by_label") or "the grouping"
        self.q1_label.value = (f"<h3>1. The gap</h3><p>Choose a group of <em>{esc(by_label)}</em> and give its gap "
                               f"in {esc(agg.get('measure_label') or 'the measure')} to everyone else in "
                               f"{esc(agg.get('latest_drop') or 'the data')}: the group's mean minus everyone else's "
                               "mean, to 2 decimal places.</p>")
        groups = [g["group"] for g in agg.get("gaps") or [] if g["grouping"] == agg.get("by")]
        self.gap_group.options = [("Choose…", "")] + [(g, g) for g in groups]
        self.gap_group.value = keep["gap_group"] if keep["gap_group"] in groups else ""
        ref = agg.get("reference")
        self.q3.layout.display = None if ref is not None else "none"
        if ref is not None:
            what = "Progress 8-style score" if agg.get("method") == "p8" else agg.get("measure_label")
            self.q3_label.value = (f"<h3>3. The whole cohort</h3><p>In {esc(agg.get('latest_drop') or 'the data')}, "
                                   f"is the whole cohort's {esc(what)} significantly above, below or not "
                                   f"significantly different from {ref:g}?</p>")
        corr = agg.get("correlation")
        self.q4.layout.display = None if corr else "none"
        if corr:
            st = statements(corr, str(agg.get("correlate_label")), str(agg.get("measure_label")))
            self.statements_html.value = ("<p>Which statement does the data support?</p><ol type='A'>"
                                          + "".join(f"<li>{esc(t)}</li>" for _, t in st) + "</ol>")
            self.interpretation.options = [("Choose…", "")] + [(f"Statement {LETTERS[i]}", sid)
                                                               for i, (sid, _) in enumerate(st)]
            self.interpretation.value = keep["interpretation"] if keep["interpretation"] in [s for s, _ in st] \
                else ""
        from ...domain.pupil_analysis import group_options

        opts = group_options(agg)
        self.priority_group.options = [("Choose…", "")] + opts
        self.priority_group.value = keep["priority_group"] if keep["priority_group"] in [v for _, v in opts] else ""

    def _validate_gap(self, _change=None) -> None:
        from ...domain.values import ValueProblem, parse_number

        text = self.gap.value.strip().replace("−", "-")
        if not text:
            self.gap_msg.value = ""
            return
        try:
            parse_number(text, what="The gap", allow_percent=False)
            self.gap_msg.value = ""
        except ValueProblem as exc:
            self.gap_msg.value = error_html(str(exc))

    # -- artefact --------------------------------------------------------------------------------------------
    @property
    def answers(self) -> dict[str, str]:
        return {
            "gap_group": self.gap_group.value or "",
            "gap": self.gap.value.strip().replace("−", "-"),
            "gap_significant": self.gap_significant.value or "",
            "cohort_significance": self.cohort_sig.value or "",
            "interpretation": self.interpretation.value or "",
            "priority_group": self.priority_group.value or "",
            "justification": self.justification.text.value,
            "priorities": self.priorities.text.value,
        }

    @property
    def artefact(self) -> dict[str, Any]:
        sel = self.selection
        selection = sel.to_dict() if sel is not None and self.table is not None else dict(self._saved_selection or {})
        return self._artefact(
            candidate={"name": self.candidate.value.strip()},
            data=dict(self.data_info),
            selection=selection,
            aggregates=dict(self.aggregates) if self.aggregates else None,
            answers=self.answers,
        )

    def load(self, artefact: Mapping[str, Any]) -> None:
        """Restore saved work. Own data comes back as its saved aggregates; re-uploading the same file (same
        fingerprint) makes the analysis editable again with the same choices."""
        art = artefact if isinstance(artefact, Mapping) else {}
        self.load_header(art)
        selection = art.get("selection") if isinstance(art.get("selection"), Mapping) else {}
        self._saved_selection = dict(selection)
        sid = art.get("scenario")
        scenario = next((s for s in self.task.scenarios if s.id == sid), None)
        if scenario is not None:
            self._use_scenario(scenario, selection)
        else:
            self.scenario = None
            self.table = None
            self.data_info = dict(art.get("data") or {}) if isinstance(art.get("data"), Mapping) else {}
            agg = art.get("aggregates")
            self.aggregates = dict(agg) if isinstance(agg, Mapping) else None
            with self.quietly():
                self.source.value = OWN
            self._show_own(reset=False)
            self._category_options()
            self._set_options(selection)
            if self.data_info.get("fingerprint"):
                self.upload_msg.value = ("<div class='npq-help' role='status'>Your saved analysis is shown. To change "
                                         "it, upload the same file again (the workbook keeps only totals, never "
                                         "pupils' rows).</div>")
        answers = art.get("answers") if isinstance(art.get("answers"), Mapping) else {}
        self._question_options()
        get = lambda k: "" if answers.get(k) is None else str(answers.get(k))  # noqa: E731

        def put(dd: w.Dropdown, value: str) -> None:
            dd.value = value if value in [v for _, v in dd.options] else ""

        put(self.gap_group, get("gap_group"))
        self.gap.value = get("gap")
        put(self.gap_significant, get("gap_significant"))
        put(self.cohort_sig, get("cohort_significance"))
        put(self.interpretation, get("interpretation"))
        put(self.priority_group, get("priority_group"))
        self.justification.text.value = get("justification")
        self.priorities.text.value = get("priorities")

    # -- checking and export -------------------------------------------------------------------------------
__all__ = ["DataAnalysisApp", "OWN"]
