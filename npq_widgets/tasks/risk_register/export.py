"""Task ``risk-register``: a risk register for a project (5.1.3), checked and exported with live formulas."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from ...contract import task_criteria
from .checks import TITLE, check_register
from .model import IMPACT, LIKELIHOOD, SCHEMA_VERSION, RagThresholds, read_lifetime, read_register
from ...store.export import export_header, json_exporter
from ...store.files import atomic_write_bytes

TASK_ID = "risk-register"
COLUMNS = ("ID", "Description", "Category", "Cause", "Effect", "Likelihood (1–5)", "Impact (1–5)", "Score",
           "RAG", "Response", "Owner", "Mitigations", "Residual likelihood", "Residual impact", "Residual score",
           "Residual RAG", "Review date", "Status")
WIDTHS = (7, 40, 13, 30, 30, 11, 11, 8, 9, 11, 20, 44, 11, 11, 9, 9, 12, 11)


def check(artefact: Mapping[str, Any], scenario: Any, attempt: int = 1, figures: Any = None):
    return check_register(artefact, scenario.data if scenario is not None else None, attempt=attempt)


def register_for(artefact: Mapping[str, Any], scenario: Any):
    data = scenario.data if scenario is not None else {}
    rag = RagThresholds(**data["rag"]) if data.get("rag") else RagThresholds()
    lifetime = read_lifetime(data["lifetime"])[0] if data.get("lifetime") else None
    return read_register(artefact, rag=rag, lifetime=lifetime)


def _rag_formula(score_cell: str) -> str:
    return (f'=IF({score_cell}="","",IF({score_cell}<=Scales!$B$3,"Green",'
            f'IF({score_cell}<=Scales!$B$4,"Amber","Red")))')


def _export_xlsx(artefact: Mapping[str, Any], scenario: Any, out: Path) -> None:
    """Register sheet: score, residual score and both RAG ratings are live formulas (thresholds on 'Scales')."""
    import io

    from openpyxl import Workbook
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Alignment, Font, PatternFill

    reg = register_for(artefact, scenario)
    title = TITLE + (f" — {scenario.title}" if scenario else "")
    wb = Workbook()
    ws = wb.active
    ws.title = "Risk register"
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    header = export_header(artefact, title, task_criteria(TASK_ID))
    if reg.lifetime:
        header.append(("Project lifetime", reg.lifetime.describe()))
    for r, (label, value) in enumerate(header, start=1):
        ws.cell(row=r, column=1, value=label).font = bold
        ws.cell(row=r, column=2, value=value).alignment = Alignment(wrap_text=False, vertical="top")
    top = len(header) + 2
    fill = PatternFill("solid", fgColor="DDE7F0")
    for c, name in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=top, column=c, value=name)
        cell.font, cell.fill, cell.alignment = bold, fill, wrap
    for i, risk in enumerate(reg.risks):
        r = top + 1 + i
        values = [risk.id or f"R{risk.row}", risk.description, risk.category, risk.cause, risk.effect,
                  risk.likelihood, risk.impact, f'=IF(OR(F{r}="",G{r}=""),"",F{r}*G{r})', _rag_formula(f"H{r}"),
                  risk.response, risk.owner, "\n".join(risk.mitigations), risk.residual_likelihood,
                  risk.residual_impact, f'=IF(OR(M{r}="",N{r}=""),"",M{r}*N{r})', _rag_formula(f"O{r}"),
                  risk.review_date, risk.status]
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            cell.alignment = wrap
            if c == 17 and value is not None:
                cell.number_format = "DD/MM/YYYY"
    last = top + max(len(reg.risks), 1)
    for col in ("I", "P"):
        rng = f"{col}{top + 1}:{col}{last}"
        for word, colour in (("Red", "F2A3A3"), ("Amber", "FFD88A"), ("Green", "B9DFB9")):
            ws.conditional_formatting.add(rng, FormulaRule(formula=[f'{col}{top + 1}="{word}"'],
                                                           fill=PatternFill("solid", bgColor=colour)))
    for c, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[ws.cell(row=1, column=c).column_letter].width = width
    ws.freeze_panes = ws.cell(row=top + 1, column=3)

    scales = wb.create_sheet("Scales")
    scales["A1"] = "RAG thresholds (change them here: every RAG cell follows)"
    scales["A1"].font = bold
    scales["A2"], scales["B2"] = "Source", reg.rag.source
    scales["A3"], scales["B3"] = "Green up to score", reg.rag.green_max
    scales["A4"], scales["B4"] = "Amber up to score", reg.rag.amber_max
    scales["A5"], scales["B5"] = "Red", "above the amber maximum"
    scales["A7"], scales["B7"], scales["C7"] = "Value", "Likelihood", "Impact"
    for c in ("A7", "B7", "C7"):
        scales[c].font = bold
    for v in range(1, 6):
        scales.cell(row=7 + v, column=1, value=v)
        scales.cell(row=7 + v, column=2, value=LIKELIHOOD[v])
        scales.cell(row=7 + v, column=3, value=IMPACT[v])
    scales.column_dimensions["A"].width = 22
    scales.column_dimensions["B"].width = 40
    scales.column_dimensions["C"].width = 14
    buf = io.BytesIO()
    wb.save(buf)
    atomic_write_bytes(out, buf.getvalue())


def heat_map(artefact: Mapping[str, Any], scenario: Any):
    """The heat map of a register (before and after mitigation), for exports and the portfolio."""
    from .charts import heat_map_figure

    return heat_map_figure(register_for(artefact, scenario))


EXPORTERS = {"json": json_exporter(TASK_ID, SCHEMA_VERSION), "xlsx": _export_xlsx}
