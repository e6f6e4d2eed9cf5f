"""Task ``risk-register``: a risk register for a project (5.1.3), checked and exported with live formulas."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Sequence

from ...contract import task_criteria
from .checks import TITLE, check_register
from .model import IMPACT, LIKELIHOOD, SCHEMA_VERSION, RagThresholds, read_lifetime, read_register
from ...store.export import export_header, json_exporter
from ...store.xlsx import DATE, Cell, FillWhen, Formula, Sheet, header_sheet, write_xlsx

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


def _rag_formula(score_col: str) -> Formula:
    s = f"{score_col}{{row}}"
    return Formula(f'=IF({s}="","",IF({s}<=Scales!$B$3,"Green",IF({s}<=Scales!$B$4,"Amber","Red")))')


def _product(a: str, b: str) -> Formula:
    return Formula(f'=IF(OR({a}{{row}}="",{b}{{row}}=""),"",{a}{{row}}*{b}{{row}})')


def _export_xlsx(artefact: Mapping[str, Any], scenario: Any, out: Path) -> None:
    """Register sheet: score, residual score and both RAG ratings are live formulas (thresholds on 'Scales')."""
    reg = register_for(artefact, scenario)
    header = export_header(artefact, TITLE + (f" — {scenario.title}" if scenario else ""), task_criteria(TASK_ID))
    if reg.lifetime:
        header.append(("Project lifetime", reg.lifetime.describe()))
    sheet = header_sheet("Risk register", header)
    rows = [[risk.id or f"R{risk.row}", risk.description, risk.category, risk.cause, risk.effect, risk.likelihood,
             risk.impact, _product("F", "G"), _rag_formula("H"), risk.response, risk.owner,
             "\n".join(risk.mitigations), risk.residual_likelihood, risk.residual_impact, _product("M", "N"),
             _rag_formula("O"), risk.review_date, risk.status] for risk in reg.risks]
    first, last = sheet.table(COLUMNS, rows, formats={17: DATE}, freeze_col=3)
    last = max(last, first)
    sheet.fills_when += [FillWhen(f"{col}{first}:{col}{last}", f'{col}{first}="{word}"', colour)
                         for col in ("I", "P")
                         for word, colour in (("Red", "F2A3A3"), ("Amber", "FFD88A"), ("Green", "B9DFB9"))]
    sheet.set_widths(WIDTHS)

    scales = Sheet("Scales")
    scales.line(Cell("RAG thresholds (change them here: every RAG cell follows)", bold=True))
    scales.pairs([("Source", reg.rag.source), ("Green up to score", reg.rag.green_max),
                  ("Amber up to score", reg.rag.amber_max), ("Red", "above the amber maximum")])
    scales.skip()
    scales.line(*(Cell(t, bold=True) for t in ("Value", "Likelihood", "Impact")))
    for v in range(1, 6):
        scales.line(v, LIKELIHOOD[v], IMPACT[v])
    scales.set_widths([22, 40, 14])
    write_xlsx(out, [sheet, scales])


def heat_map(artefact: Mapping[str, Any], scenario: Any):
    """The heat map of a register (before and after mitigation), for exports and the portfolio."""
    from .charts import heat_map_figure

    return heat_map_figure(register_for(artefact, scenario))


EXPORTERS = {"json": json_exporter(TASK_ID, SCHEMA_VERSION), "xlsx": _export_xlsx}


def cohort(works: Sequence[tuple[Mapping[str, Any], Any]]) -> list[dict[str, Any]]:
    """A room's risk registers: how many risks each holds, the commonest risks (by category and by wording), and
    the spread of inherent and residual scores (the cohort view)."""
    from collections import Counter

    from ...domain.values import spread_text

    registers = [register_for(artefact, scenario) for artefact, scenario in works]
    risks = [r for reg in registers for r in reg.risks if r.description or r.score is not None]
    if not risks:
        return []
    categories = Counter(r.category for r in risks if r.category)
    wording = Counter(" ".join(r.description.lower().split()) for r in risks if r.description)
    top = lambda counter: "; ".join(f"{k} ({n})" for k, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:3])  # noqa: E731
    higher = sum(1 for r in risks if r.score is not None and r.residual_score is not None
                 and r.residual_score > r.score)
    return [
        {"measure": "Risks per register", "value": spread_text([len([r for r in reg.risks if r.description
                                                                      or r.score is not None])
                                                                 for reg in registers])},
        {"measure": "Commonest categories", "value": top(categories) or "—"},
        {"measure": "Commonest risks (same wording)", "value": top(Counter({k: n for k, n in wording.items()
                                                                            if n > 1})) or "no two alike"},
        {"measure": "Inherent score (L × I)", "value": spread_text([r.score for r in risks if r.score is not None])},
        {"measure": "Residual score", "value": spread_text([r.residual_score for r in risks
                                                             if r.residual_score is not None])},
        {"measure": "Residual higher than inherent", "value": f"{higher} risk{'s' if higher != 1 else ''}"},
    ]
