"""Task ``pd-impact``: the impact and cost-effectiveness of professional development (6.1.3).

The spreadsheet: an *Evaluation* sheet where the pooled SD, effect size, months of progress, cost per pupil per year
and cost band are live formulas over the figures typed (the months and band look-ups read the *EEF tables* sheet),
then the Guskey evaluation plan and the conclusion; an *EEF tables* sheet with the figures and their sources.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from .checks import TITLE, check_pd
from .model import DESIGNS, SCHEMA_VERSION, EefFigures, read_pd
from ...contract import task_criteria, task_figures
from ...store.export import export_header, json_exporter
from ...store.files import atomic_write_bytes

TASK_ID = "pd-impact"
MONEY = '"£"#,##0.00;-"£"#,##0.00'


def figures() -> EefFigures:
    """EEF months table, cost bands and Guskey's levels (exercises/pd-impact/figures.yaml, read strictly)."""
    return task_figures(TASK_ID, EefFigures.from_dict)


def check(artefact: Mapping[str, Any], scenario: Any, attempt: int = 1, figs: EefFigures | None = None):
    return check_pd(artefact, scenario.data if scenario is not None else None, figs or figures(), attempt=attempt)


def _export_xlsx(artefact: Mapping[str, Any], scenario: Any, out: Path) -> None:
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    pd = read_pd(artefact)
    fig = figures()
    title = TITLE + (f" — {scenario.title}" if scenario else "")
    wb = Workbook()
    ws = wb.active
    ws.title = "Evaluation"
    tables = wb.create_sheet("EEF tables")
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    fill = PatternFill("solid", fgColor="DDE7F0")

    # EEF tables sheet: months bands (min, months) and cost bands (limit, label)
    tables["A1"] = "EEF months of additional progress (absolute effect size, rounded to 2 dp)"
    tables["A1"].font = bold
    tables["A2"], tables["B2"], tables["C2"] = "From", "To", "Months"
    for n, b in enumerate(fig.months_bands, start=3):
        tables.cell(row=n, column=1, value=float(b.min))
        tables.cell(row=n, column=2, value=float(b.max))
        tables.cell(row=n, column=3, value=b.months)
    m_first, m_last = 3, 2 + len(fig.months_bands)
    tables.cell(row=m_last + 1, column=1, value=f"Above {float(fig.months_bands[-1].max):.2f}: "
                                                f"{fig.above_max_months} months; negative effect sizes mirror.")
    tables.cell(row=m_last + 2, column=1, value=fig.sources.get("months", ""))
    tables.cell(row=m_last + 3, column=1, value=f"{fig.notes.get('months', '')} {fig.notes.get('effect_size', '')}")
    cb = m_last + 4
    tables.cell(row=cb, column=1, value="EEF cost rating, per pupil per year").font = bold
    tables.cell(row=cb + 1, column=1, value="Band")
    tables.cell(row=cb + 1, column=2, value="Limit (£)")
    tables.cell(row=cb + 1, column=3, value="Limit type")
    for n, band in enumerate(fig.cost_bands, start=cb + 2):
        tables.cell(row=n, column=1, value=band.label)
        limit = band.below if band.below is not None else band.up_to
        tables.cell(row=n, column=2, value=float(limit) if limit is not None else None)
        tables.cell(row=n, column=3, value="less than" if band.below is not None else
                    ("up to and including" if band.up_to is not None else "above the last limit"))
    tables.cell(row=cb + 3 + len(fig.cost_bands), column=1, value=fig.sources.get("cost_bands", ""))
    tables.cell(row=cb + 4 + len(fig.cost_bands), column=1, value=fig.notes.get("cost_bands", ""))
    tables.column_dimensions["A"].width = 36
    tables.column_dimensions["C"].width = 22

    r = 1
    for label, value in export_header(artefact, title, task_criteria(TASK_ID)):
        ws.cell(row=r, column=1, value=label).font = bold
        ws.cell(row=r, column=2, value=value)
        r += 1
    r += 1

    def put(label: str, value: Any, fmt: str | None = None) -> str:
        nonlocal r
        ws.cell(row=r, column=1, value=label).font = bold
        c = ws.cell(row=r, column=2, value=value)
        c.alignment = wrap
        if fmt:
            c.number_format = fmt
        r += 1
        return f"B{r - 1}"

    put("Programme", pd.title)
    cost = put("Total cost (£)", pd.cost, MONEY)
    pupils = put("Pupils reached", pd.pupils)
    years = put("Years", pd.years)
    cpp = put("Cost per pupil per year (£)", f'=IF(AND({pupils}>0,{years}>0),ROUND({cost}/{pupils}/{years},2),"")',
              MONEY)
    t = f"'EEF tables'!"
    bands = fig.cost_bands
    parts = []
    for n, band in enumerate(bands, start=cb + 2):
        if band.below is not None:
            parts.append((f"{cpp}<{t}$B${n}", band.label))
        elif band.up_to is not None:
            parts.append((f"{cpp}<={t}$B${n}", band.label))
    formula = f'"{bands[-1].label}"'
    for cond, label in reversed(parts):
        formula = f'IF({cond},"{label}",{formula})'
    put("EEF cost band", f'=IF({cpp}="","",{formula})')
    r += 1
    put("Design", DESIGNS.get(pd.design, pd.design))
    put("Measure", pd.measure)
    ws.cell(row=r, column=1, value="Group").font = bold
    for c, name in enumerate(("Label", "Mean", "Standard deviation", "Pupils (n)"), start=2):
        cell = ws.cell(row=r, column=c, value=name)
        cell.font, cell.fill = bold, fill
    r += 1
    g_rows = []
    for name, g in (("PD group / after", pd.group1), ("Comparison / before", pd.group2)):
        ws.cell(row=r, column=1, value=name)
        for c, v in enumerate((g.label, g.mean, g.sd, g.n), start=2):
            ws.cell(row=r, column=c, value=v)
        g_rows.append(r)
        r += 1
    a, b = g_rows
    pooled = put("Pooled standard deviation",
                 f'=IFERROR(SQRT(((E{a}-1)*D{a}^2+(E{b}-1)*D{b}^2)/(E{a}+E{b}-2)),"")', "0.000")
    es = put("Effect size (difference in means ÷ pooled SD)", f'=IFERROR((C{a}-C{b})/{pooled},"")', "0.000")
    rounded = put("Effect size rounded half-up to 2 dp", f'=IF({es}="","",ROUND({es},2))', "0.00")
    top = float(fig.months_bands[-1].max)
    months = (f'=IF({rounded}="","",SIGN({rounded})*IF(ABS({rounded})>{top},{fig.above_max_months},'
              f'LOOKUP(ABS({rounded}),{t}$A${m_first}:$A${m_last},{t}$C${m_first}:$C${m_last})))')
    put("Months of additional progress (EEF)", months, "0")
    r += 1
    put("Stated by the candidate: months", pd.stated_months)
    chosen = fig.band(pd.stated_band)
    put("Stated by the candidate: cost band", chosen.label if chosen else pd.stated_band)
    r += 1
    ws.cell(row=r, column=1, value="Evaluation plan (Guskey's five levels)").font = bold
    r += 1
    for g in fig.guskey:
        put(f"{g.level}. {g.name}", pd.evaluation.get(g.level, ""))
    r += 1
    put("Conclusion", pd.conclusion)
    ws.column_dimensions["A"].width = 44
    ws.column_dimensions["B"].width = 70
    for col in "CDE":
        ws.column_dimensions[col].width = 16
    buf = io.BytesIO()
    wb.save(buf)
    atomic_write_bytes(out, buf.getvalue())


EXPORTERS = {"json": json_exporter(TASK_ID, SCHEMA_VERSION), "xlsx": _export_xlsx}
