"""Task ``data-analysis``: pupil data analysis — groups, gaps, intervals, significance, correlation (1.1.1, 1.1.2).

The artefact (schema version 1; tests/fixtures/data-analysis-v1.json) holds no pupil rows:

    task, scenario (id or "free"), schema_version, candidate {name},
    data       {source: "scenario"|"upload", filename, fingerprint, rows, pupils, mapping, measures, groupings, drops}
    selection  {measure, by, drops, method, reference, national_sd_year, correlate_with, priority_groupings}
    aggregates the output of domain.pupil_analysis.analyse (groups at or above the threshold only)
    answers    {gap_group, gap, gap_significant, cohort_significance, interpretation, priority_group,
                justification, priorities}

For a scenario the checker recomputes the aggregates from the shipped file (saved aggregates are not trusted); for
the candidate's own data it uses the saved aggregates, which is all that is kept of the file.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Mapping

from ...contract import FREE, task_criteria
from .model import SCHEMA_VERSION
from .checks import COHORT_CHOICES, TITLE, check_data_analysis, statements
from ...checks.result import CheckResult
from ...paths import exercises_dir
from ...store.export import export_header
from ...store.files import atomic_write_bytes, atomic_write_json
from ...store.xlsx import put  # every cell: learner and file text is never a formula

TASK_ID = "data-analysis"


def _data(scenario: Any) -> Mapping[str, Any]:
    return scenario.data if scenario is not None else {}


# The domain modules (pandas, numpy, scipy) are imported inside the functions: listing or loading tasks stays light.
SUPPRESSION_THRESHOLD = 6  # the same default as domain.pupil_stats


@functools.lru_cache(maxsize=4)
def _load_file(path: str):
    from ...domain.pupil_data import load_pupil_table

    p = Path(path)
    return load_pupil_table(p.read_bytes(), p.name)


def scenario_table(scenario: Any):
    """The scenario's shipped data file, validated and pseudonymised like any upload (cached)."""
    return _load_file(str(exercises_dir() / TASK_ID / str(_data(scenario)["file"])))


def labels_for(scenario: Any) -> dict[str, str]:
    return dict(_data(scenario).get("labels") or {})


def reference_for(scenario: Any, measure: str) -> float | None:
    ref = (_data(scenario).get("references") or {}).get(measure)
    if isinstance(ref, Mapping):
        ref = ref.get("value")
    return None if ref is None else float(ref)


def default_selection(scenario: Any, table: Any = None):
    from ...domain.pupil_analysis import Selection

    d = _data(scenario)
    default = d.get("default") or {}
    measures = list(d.get("measures") or (table.measures if table else ()))
    measure = default.get("measure") or (measures[0] if measures else "")
    by = default.get("by") or ("disadvantaged" if table is not None and "disadvantaged" in table.groupings else
                               (table.groupings[0] if table is not None and table.groupings else None))
    return Selection(measure=measure, by=by, reference=reference_for(scenario, measure),
                     correlate_with=default.get("correlate_with"),
                     priority_groupings=tuple(d.get("priority_groupings") or ()), labels=labels_for(scenario))


def selection_for(artefact: Mapping[str, Any], scenario: Any):
    from ...domain.pupil_analysis import Selection

    raw = artefact.get("selection")
    if not isinstance(raw, Mapping) or not raw.get("measure"):
        return default_selection(scenario)
    sel = Selection.from_dict(raw)
    if scenario is not None:  # the scenario decides the reference and the priority groupings, not the file
        sel = Selection(measure=sel.measure, by=sel.by, drops=sel.drops, method=sel.method,
                        reference=reference_for(scenario, sel.measure), national_sd_year=sel.national_sd_year,
                        correlate_with=sel.correlate_with,
                        priority_groupings=tuple(_data(scenario).get("priority_groupings") or ()),
                        labels=labels_for(scenario))
    return sel


def aggregates_for(artefact: Mapping[str, Any], scenario: Any) -> Mapping[str, Any] | None:
    """Scenario: recomputed from the shipped file. Own data: the saved aggregates (nothing else is kept)."""
    from ...domain.pupil_analysis import analyse
    from ...domain.pupil_data import DataProblem

    if scenario is None:
        agg = artefact.get("aggregates")
        return agg if isinstance(agg, Mapping) else None
    sel = selection_for(artefact, scenario)
    table = scenario_table(scenario)
    missing = [c for c in (sel.measure, sel.by, sel.correlate_with) if c and c not in table.df.columns]
    if missing:
        raise DataProblem([f"The scenario's data has no column '{missing[0]}'."])
    return analyse(table, sel)


def check(artefact: Mapping[str, Any], scenario: Any, attempt: int = 1, figures: Any = None) -> CheckResult:
    from ...domain.pupil_data import DataProblem

    try:
        agg = aggregates_for(artefact, scenario)
    except (DataProblem, ValueError, TypeError, KeyError) as exc:
        return CheckResult.error(TASK_ID, f"The analysis could not be redone: {exc}", title=TITLE)
    return check_data_analysis(artefact, agg, attempt=attempt)


# -- model answers --------------------------------------------------------------------------------------------------
# exercises/data-analysis/<scenario>.model.json are computed by scripts/independent_model_answers.py with pandas and
# scipy directly, never by this package, so the checker is tested against answers it did not produce.


# -- exports --------------------------------------------------------------------------------------------------------
def _export_json(artefact: Mapping[str, Any], scenario: Any, out: Path) -> None:
    doc = dict(artefact)
    doc.setdefault("task", TASK_ID)
    doc.setdefault("schema_version", SCHEMA_VERSION)
    agg = aggregates_for(artefact, scenario)
    if agg is not None:
        doc["aggregates"] = dict(agg)
    doc.pop("pupils", None)  # never pupil rows, whatever was handed in
    atomic_write_json(out, doc)


def xlsx_bytes(artefact: Mapping[str, Any], scenario: Any) -> bytes:
    """The "Raw data analysis" workbook: summary, groups by drop, gaps, cohort, sampling and correlation, charts."""
    import io

    from openpyxl import Workbook
    from openpyxl.drawing.image import Image
    from openpyxl.styles import Alignment, Font, PatternFill

    from .charts import group_bars, png, sampling_chart, trend_lines

    agg = aggregates_for(artefact, scenario) or {}
    answers = artefact.get("answers") if isinstance(artefact.get("answers"), Mapping) else {}
    data = artefact.get("data") if isinstance(artefact.get("data"), Mapping) else {}
    title = "Raw data analysis" + (f" — {scenario.title}" if scenario is not None else " — own data")
    header = export_header(artefact, title, task_criteria(TASK_ID))
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    fill = PatternFill("solid", fgColor="DDE7F0")
    wb = Workbook()

    def block(ws, rows, start=1):
        for r, (label, value) in enumerate(rows, start=start):
            put(ws, r, 1, label).font = bold
            put(ws, r, 2, value).alignment = wrap
        return start + len(rows)

    def table(ws, top, columns, rows, formats=None, widths=None):
        for c, name in enumerate(columns, start=1):
            cell = put(ws, top, c, name)
            cell.font, cell.fill, cell.alignment = bold, fill, wrap
        for r, row in enumerate(rows, start=top + 1):
            for c, value in enumerate(row, start=1):
                cell = put(ws, r, c, value)
                if formats and formats.get(c) and isinstance(value, (int, float)):
                    cell.number_format = formats[c]
        for c, w in enumerate(widths or [], start=1):
            ws.column_dimensions[ws.cell(row=1, column=c).column_letter].width = w
        ws.freeze_panes = ws.cell(row=top + 1, column=1)

    thr = agg.get("threshold", SUPPRESSION_THRESHOLD)
    small = f"fewer than {thr} pupils — not shown"
    sd = agg.get("national_sd") or {}
    ws = wb.active
    ws.title = "Raw data analysis"
    method = ("DfE Progress 8 interval: mean ± 1.96 × national SD / √n (national SD "
              f"{sd.get('sd')} for {sd.get('year')}; {sd.get('source')})" if agg.get("method") == "p8"
              else "t-interval from the data's own SD (ddof=1)")
    corr = agg.get("correlation") or {}
    stmt = dict(statements(corr, str(agg.get("correlate_label") or ""), str(agg.get("measure_label") or ""))) \
        if corr else {}
    row = block(ws, header)
    row = block(ws, [
        ("Data", data.get("source") == "scenario" and (scenario.title if scenario else "") or
         f"Own file {data.get('source') or ''}".strip()),
        ("File fingerprint", data.get("fingerprint") or ""),
        ("Pupils / rows", f"{data.get('pupils', '')} / {data.get('rows', '')}"),
        ("Measure", agg.get("measure_label") or ""),
        ("Grouping", agg.get("by_label") or "All pupils"),
        ("Data drops", ", ".join(agg.get("drops") or []) or "-"),
        ("95% intervals", method),
        ("Gaps", "Group mean minus everyone else's; Welch's interval and t-test; Cohen's d with the pooled SD "
                 "weighted by n−1. Significance is judged on unrounded limits, shown to 2 dp."),
        ("Small groups", f"Groups of fewer than {thr} pupils are not shown."),
        ("Privacy", "Pseudonymised on load: no names, UPNs or pupil-level rows are in this workbook."),
    ], start=row + 1)
    row = block(ws, [
        ("Gap question", f"{answers.get('gap_group', '')}: {answers.get('gap', '')}"),
        ("Gap significant?", answers.get("gap_significant", "")),
        ("Whole cohort vs reference", answers.get("cohort_significance", "")),
        ("Correlation statement", stmt.get(answers.get("interpretation"), answers.get("interpretation", ""))),
        ("Priority group", answers.get("priority_group", "")),
        ("Why this group", answers.get("justification", "")),
        ("Priorities", answers.get("priorities", "")),
    ], start=row + 1)
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 110

    ws2 = wb.create_sheet("Groups by drop")
    cols = ["Group", "Data drop", "n", "Mean", "SD", "95% low", "95% high", "Significance", "Band"]
    rows = []
    for g in list(agg.get("groups") or []) + list(agg.get("cohort") or []):
        if g.get("suppressed"):
            rows.append([g.get("group"), g.get("drop"), small, None, None, None, None, "", ""])
        else:
            rows.append([g.get("group"), g.get("drop"), g.get("n"), g.get("mean"), g.get("sd"), g.get("ci_low"),
                         g.get("ci_high"), g.get("significance") or "", g.get("band") or ""])
    table(ws2, 1, cols, rows, {4: "0.00", 5: "0.00", 6: "0.00", 7: "0.00"}, [24, 16, 10, 10, 10, 10, 10, 26, 22])

    ws3 = wb.create_sheet("Gaps")
    cols = ["Grouping", "Group", "n", "Mean", "Everyone else n", "Everyone else mean", "Gap", "95% low",
            "95% high", "Welch p", "Cohen's d", "Significant"]
    labels = agg.get("labels") or {}
    rows = [[labels.get(g["grouping"], g["grouping"]), g["group"], g["n"], g["mean"], g["other_n"], g["other_mean"],
             g["gap"], g["ci_low"], g["ci_high"], g["p"], g["cohens_d"], "yes" if g.get("significant") else "no"]
            for g in agg.get("gaps") or []]
    table(ws3, 1, cols, rows, {4: "0.00", 6: "0.00", 7: "0.00", 8: "0.00", 9: "0.00", 10: "0.0000", 11: "0.00"},
          [24, 22, 8, 10, 12, 12, 10, 10, 10, 10, 10, 12])

    ws4 = wb.create_sheet("Sampling and correlation")
    cols = ["Random sample of", "Mean", "95% low", "95% high", "Width"]
    rows = [[f"{r['size']} pupils", r["mean"], r["ci_low"], r["ci_high"], r["ci_high"] - r["ci_low"]]
            for r in agg.get("sampling") or []]
    table(ws4, 1, cols, rows, {2: "0.00", 3: "0.00", 4: "0.00", 5: "0.00"}, [20, 12, 12, 12, 12])
    if corr:
        r0 = len(rows) + 3
        block(ws4, [("Correlation", f"{agg.get('correlate_label')} and {agg.get('measure_label')}"),
                    ("n", corr.get("n")), ("Pearson r", round(corr["r"], 3) if corr.get("r") is not None else ""),
                    ("p-value", corr.get("p")), ("Caveat", corr.get("caveat", ""))], start=r0)

    ws5 = wb.create_sheet("Charts")
    anchor = 1
    for fig_fn, height in ((group_bars, 30), (trend_lines, 30), (sampling_chart, 26)):
        try:
            img = Image(io.BytesIO(png(fig_fn(agg), dpi=80)))
        except Exception:  # noqa: BLE001 - a chart that cannot be drawn leaves the tables intact
            continue
        ws5.add_image(img, f"A{anchor}")
        anchor += height
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _export_xlsx(artefact: Mapping[str, Any], scenario: Any, out: Path) -> None:
    atomic_write_bytes(out, xlsx_bytes(artefact, scenario))


EXPORTERS = {"json": _export_json, "xlsx": _export_xlsx}
__all__ = ["TASK_ID", "check", "EXPORTERS", "scenario_table", "COHORT_CHOICES"]
