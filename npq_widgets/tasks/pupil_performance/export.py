"""Exports of the pupil performance evidence: .xlsx with live formulas (change, interval, pooled SD, effect size,
EEF months by LOOKUP on the PD impact task's table) and JSON. Summary figures only: never pupil rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from ...contract import task_criteria, task_figures
from ...domain.values import ValueProblem, parse_number
from ...store.export import export_header, json_exporter
from ...store.xlsx import Cell, Formula, header_sheet, write_xlsx
from .charts import before_after_chart
from .checks import TITLE, check_evidence
from .model import SCHEMA_VERSION, TASK_ID, PupilPerformanceFigures, evaluate, months_table


def figures() -> PupilPerformanceFigures:
    return task_figures(TASK_ID, PupilPerformanceFigures)


def check(artefact: Mapping[str, Any], scenario: Any, attempt: int = 1, figs: Any = None):
    return check_evidence(artefact, figs or figures(), attempt=attempt)


def chart(artefact: Mapping[str, Any], scenario: Any = None):
    return before_after_chart(artefact, figures())


def _num(text: Any) -> float | None:
    try:
        return parse_number(text, allow_percent=False) if str(text or "").strip() else None
    except ValueProblem:
        return None


def _export_xlsx(artefact: Mapping[str, Any], scenario: Any, out: Path) -> None:
    figs = figures()
    header = export_header(artefact, TITLE + (f" — {scenario.title}" if scenario else ""), task_criteria(TASK_ID))
    sheet = header_sheet("Pupil performance data", header)
    sheet.line(Cell(f"Measure: {artefact.get('measure') or '(not given)'}", bold=True))
    sheet.skip()
    cols = ("Group", "Pupils (n)", "Baseline mean", "Baseline SD", "End mean", "End SD", "Change (end − baseline)")
    groups = [("project_group", "Project group"), ("comparison", "Comparison group")]
    rows = []
    for key, default in groups:
        g = artefact.get(key) if isinstance(artefact.get(key), Mapping) else {}
        vals = [_num(g.get(k)) for k in ("n", "baseline_mean", "baseline_sd", "end_mean", "end_sd")]
        if key == "comparison" and all(v is None for v in vals):
            continue
        rows.append([str(g.get("label") or default), *vals, Formula("=IF(OR(E{row}=\"\",C{row}=\"\"),\"\","
                                                                      "E{row}-C{row})")])
    first, last = sheet.table(cols, rows, formats={3: "0.00", 4: "0.00", 5: "0.00", 6: "0.00", 7: "0.00"})
    p = first
    sheet.skip()
    sd_change = _num(artefact.get("sd_change"))
    r = sheet.line(Cell("SD of each pupil's change (paired; blank = not known)", bold=True))
    sd_cell = sheet.set(r, 2, sd_change) if sd_change is not None else f"B{r}"
    half = (f"IF({sd_cell}<>\"\",TINV(0.05,B{p}-1)*{sd_cell}/SQRT(B{p}),"
            f"TINV(0.05,((D{p}^2+F{p}^2)/B{p})^2/(((D{p}^2/B{p})^2+(F{p}^2/B{p})^2)/(B{p}-1)))"
            f"*SQRT((D{p}^2+F{p}^2)/B{p}))")
    # TINV rounds Welch's fractional degrees of freedom down (Excel and LibreOffice): the unpaired interval can be a
    # few thousandths wider than the app's, which uses the exact t quantile
    r = sheet.line(Cell("Change, 95% interval: lower", bold=True))
    sheet.set(r, 2, Formula(f"=G{p}-{half}"), fmt="0.00")
    r = sheet.line(Cell("Change, 95% interval: upper", bold=True))
    sheet.set(r, 2, Formula(f"=G{p}+{half}"), fmt="0.00")
    # the EEF months table (read from the PD impact task's figures file), for the LOOKUP
    table = months_table()
    if last > first:  # a comparison group
        c = last
        sheet.skip()
        r = sheet.line(Cell("Pooled SD at the end", bold=True))
        pooled = sheet.set(r, 2, Formula(f"=SQRT(((B{p}-1)*F{p}^2+(B{c}-1)*F{c}^2)/(B{p}+B{c}-2))"), fmt="0.000")
        r = sheet.line(Cell("Effect size (Cohen's d) at the end", bold=True))
        d_cell = sheet.set(r, 2, Formula(f"=(E{p}-E{c})/{pooled}"), fmt="0.00")
        r = sheet.line(Cell("Effect size at baseline (did the groups start level?)", bold=True))
        sheet.set(r, 2, Formula(f"=(C{p}-C{c})/SQRT(((B{p}-1)*D{p}^2+(B{c}-1)*D{c}^2)/(B{p}+B{c}-2))"), fmt="0.00")
        months_row = sheet.line(Cell("EEF months of additional progress", bold=True))
        band_first = sheet.row + 3
        band_last = band_first + len(table.bands) - 1
        top = table.bands[-1][2]
        sheet.set(months_row, 2, Formula(
            f"=SIGN(ROUND({d_cell},2))*IF(ABS(ROUND({d_cell},2))>{top},{table.above_max},"
            f"LOOKUP(ABS(ROUND({d_cell},2)),$A${band_first}:$A${band_last},$C${band_first}:$C${band_last}))"))
        sheet.skip()
        sheet.line(Cell(f"EEF months table — {table.source}", bold=True))
        sheet.table(("Effect size from", "to", "Months"),
                    [[float(lo), float(hi), m] for m, lo, hi in table.bands])
    try:
        ev = evaluate(artefact, figs)
    except ValueProblem:
        ev = None
    if ev is not None and ev.cautions:
        sheet.skip()
        sheet.line(Cell("What the evidence cannot show", bold=True))
        for caution in ev.cautions:
            sheet.line(Cell(caution, wrap=False))
    sheet.skip()
    for label, key in (("What the evidence can and cannot show", "limits"), ("Conclusion", "conclusion")):
        sheet.line(Cell(label, bold=True))
        sheet.line(Cell(str(artefact.get(key) or ""), wrap=False))
    sheet.set_widths((44, 12, 14, 12, 12, 12, 16))
    write_xlsx(out, [sheet])


EXPORTERS = {"json": json_exporter(TASK_ID, SCHEMA_VERSION), "xlsx": _export_xlsx}
