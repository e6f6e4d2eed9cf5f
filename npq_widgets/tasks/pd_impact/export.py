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
from ...store.xlsx import HEAD_FILL, MONEY, Cell, Formula, Sheet, header_sheet, write_xlsx

TASK_ID = "pd-impact"


def figures() -> EefFigures:
    """EEF months table, cost bands and Guskey's levels (exercises/pd-impact/figures.yaml, read strictly)."""
    return task_figures(TASK_ID, EefFigures.from_dict)


def check(artefact: Mapping[str, Any], scenario: Any, attempt: int = 1, figs: EefFigures | None = None):
    return check_pd(artefact, scenario.data if scenario is not None else None, figs or figures(), attempt=attempt)


def _limit(band: Any) -> Any:
    return band.below if band.below is not None else band.up_to


def _eef_tables(fig: EefFigures) -> tuple[Sheet, tuple[int, int], tuple[int, int]]:
    """The 'EEF tables' sheet: months bands (from, to, months) and cost bands (band, limit), with their sources; and
    where the two tables' rows are."""
    tables = Sheet("EEF tables")
    tables.line(Cell("EEF months of additional progress (absolute effect size, rounded to 2 dp)", bold=True))
    months = tables.table(("From", "To", "Months"), [(float(b.min), float(b.max), b.months) for b in fig.months_bands],
                          wrap=None)
    tables.line(f"Above {float(fig.months_bands[-1].max):.2f}: {fig.above_max_months} months; negative effect sizes "
                "mirror.")
    tables.line(fig.sources.get("months", ""))
    tables.line(f"{fig.notes.get('months', '')} {fig.notes.get('effect_size', '')}")
    tables.line(Cell("EEF cost rating, per pupil per year", bold=True))
    costs = tables.table(("Band", "Limit (£)", "Limit type"), [
        (band.label, None if _limit(band) is None else float(_limit(band)),
         "less than" if band.below is not None else
         ("up to and including" if band.up_to is not None else "above the last limit")) for band in fig.cost_bands],
        wrap=None)
    tables.skip()
    tables.line(fig.sources.get("cost_bands", ""))
    tables.line(fig.notes.get("cost_bands", ""))
    tables.set_widths({1: 36, 3: 22})
    return tables, months, costs


def _cost_band_formula(cpp: str, fig: EefFigures, first: int) -> Formula:
    """Nested IFs over the cost bands' limits on the 'EEF tables' sheet; the last band takes what is left."""
    formula = f'"{fig.cost_bands[-1].label}"'
    for n, band in reversed(list(enumerate(fig.cost_bands, start=first))):
        if _limit(band) is not None:
            op = "<" if band.below is not None else "<="
            formula = f"IF({cpp}{op}'EEF tables'!$B${n},\"{band.label}\",{formula})"
    return Formula(f'=IF({cpp}="","",{formula})')


def _export_xlsx(artefact: Mapping[str, Any], scenario: Any, out: Path) -> None:
    pd = read_pd(artefact)
    fig = figures()
    tables, (m_first, m_last), (c_first, _) = _eef_tables(fig)
    ev = header_sheet("Evaluation", export_header(artefact, TITLE + (f" — {scenario.title}" if scenario else ""),
                                                  task_criteria(TASK_ID)))

    def put(label: str, value: Any, fmt: str | None = None) -> str:
        return ev.pairs([(label, value)], fmt={label: fmt} if fmt else None, wrap=True)[label]

    put("Programme", pd.title)
    cost = put("Total cost (£)", pd.cost, MONEY)
    pupils, years = put("Pupils reached", pd.pupils), put("Years", pd.years)
    cpp = put("Cost per pupil per year (£)",
              Formula(f'=IF(AND({pupils}>0,{years}>0),ROUND({cost}/{pupils}/{years},2),"")'), MONEY)
    put("EEF cost band", _cost_band_formula(cpp, fig, c_first))
    ev.skip()
    put("Design", DESIGNS.get(pd.design, pd.design))
    put("Measure", pd.measure)
    ev.line(Cell("Group", bold=True),
            *(Cell(n, bold=True, fill=HEAD_FILL) for n in ("Label", "Mean", "Standard deviation", "Pupils (n)")))
    a, b = ev.rows([(name, g.label, g.mean, g.sd, g.n)
                    for name, g in (("PD group / after", pd.group1), ("Comparison / before", pd.group2))])
    pooled = put("Pooled standard deviation",
                 Formula(f'=IFERROR(SQRT(((E{a}-1)*D{a}^2+(E{b}-1)*D{b}^2)/(E{a}+E{b}-2)),"")'), "0.000")
    es = put("Effect size (difference in means ÷ pooled SD)", Formula(f'=IFERROR((C{a}-C{b})/{pooled},"")'), "0.000")
    rounded = put("Effect size rounded half-up to 2 dp", Formula(f'=IF({es}="","",ROUND({es},2))'), "0.00")
    t, top = "'EEF tables'!", float(fig.months_bands[-1].max)
    put("Months of additional progress (EEF)", Formula(
        f'=IF({rounded}="","",SIGN({rounded})*IF(ABS({rounded})>{top},{fig.above_max_months},'
        f'LOOKUP(ABS({rounded}),{t}$A${m_first}:$A${m_last},{t}$C${m_first}:$C${m_last})))'), "0")
    ev.skip()
    put("Stated by the candidate: months", pd.stated_months)
    chosen = fig.band(pd.stated_band)
    put("Stated by the candidate: cost band", chosen.label if chosen else pd.stated_band)
    ev.skip()
    ev.line(Cell("Evaluation plan (Guskey's five levels)", bold=True))
    for g in fig.guskey:
        put(f"{g.level}. {g.name}", pd.evaluation.get(g.level, ""))
    ev.skip()
    put("Conclusion", pd.conclusion)
    ev.set_widths({1: 44, 2: 70, 3: 16, 4: 16, 5: 16})
    write_xlsx(out, [ev, tables])


EXPORTERS = {"json": json_exporter(TASK_ID, SCHEMA_VERSION), "xlsx": _export_xlsx}
