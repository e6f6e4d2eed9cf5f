"""Task ``budget``: a project budget over its whole lifetime (5.1.1), checked and exported to Excel with live formulas.

The spreadsheet has two sheets and a chart:

- *Budget by term*: the parameters (on-costs %, contingency %, pupils, surplus limit), then one row per cost line
  with, for each term, the quantity (weeks or days) and the cost — a formula (hours × weeks × rate, days × rate) for
  staffing and cover, the amount typed for the rest — and a total; then employer on-costs (SUMIFS over the school's
  own staff × the on-costs cell), subtotal, contingency, total cost, the funding lines, total funding and balance.
  Every subtotal, total, on-cost, contingency and balance is a live formula: change a rate or a percentage in Excel
  or LibreOffice and everything follows.
- *Summary*: category × term (SUMIF over the first sheet), total cost, funding, balance, surplus %, cost per pupil,
  staffing share — formulas too — and a stacked bar chart of cost by term and category.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from .checks import TITLE, check_budget
from .model import CATEGORY_IDS, PER_TERM_UNIT, SCHEMA_VERSION, Budget, BudgetFigures, read_budget, read_lifetime
from ...contract import task_criteria, task_figures
from ...store.export import export_header, json_exporter
from ...store.files import atomic_write_bytes

TASK_ID = "budget"
MONEY = '"£"#,##0.00;-"£"#,##0.00'
PERCENT = "0.0%"


def figures() -> BudgetFigures:
    """The task's parameters with their sources (exercises/budget/figures.yaml, read strictly)."""
    return task_figures(TASK_ID, BudgetFigures)


def category_labels() -> dict[str, str]:
    return figures().labels


def check(artefact: Mapping[str, Any], scenario: Any, attempt: int = 1, figs: BudgetFigures | None = None):
    return check_budget(artefact, scenario.data if scenario is not None else None, figs or figures(), attempt=attempt)


def budget_for(artefact: Mapping[str, Any], scenario: Any) -> Budget:
    """The budget as the checker sees it (a scenario's lifetime replaces the artefact's dates)."""
    data = scenario.data if scenario is not None else {}
    lifetime = read_lifetime(data["lifetime"])[0] if data.get("lifetime") else None
    return read_budget(artefact, lifetime=lifetime, category_labels=category_labels())


def _col(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


def _export_xlsx(artefact: Mapping[str, Any], scenario: Any, out: Path) -> None:
    import io

    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    budget = budget_for(artefact, scenario)
    labels = category_labels()
    terms = budget.term_names
    title = TITLE + (f" — {scenario.title}" if scenario else "")
    wb = Workbook()
    ws = wb.active
    ws.title = "Budget by term"
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    fill = PatternFill("solid", fgColor="DDE7F0")
    total_fill = PatternFill("solid", fgColor="F1F4F7")
    top_line = Border(top=Side(style="thin"))

    header = export_header(artefact, title, task_criteria(TASK_ID))
    header.append(("Project", budget.title or "(not named)"))
    header.append(("Project lifetime", budget.lifetime.describe() if budget.lifetime else
                   budget.lifetime_problem or "(dates not given)"))
    r = 1
    for label, value in header:
        ws.cell(row=r, column=1, value=label).font = bold
        ws.cell(row=r, column=2, value=value)
        r += 1
    r += 1
    ws.cell(row=r, column=1, value="Parameters (change them here: every total follows)").font = bold
    r += 1
    params = {}
    for key, label, value, fmt in (
            ("onc", "Employer on-costs (%)", budget.on_costs_percent, "0.0"),
            ("cont", "Contingency (%)", budget.contingency_percent, "0.0"),
            ("pupils", "Pupils reached", budget.pupils, "0"),
            ("surplus", "Largest surplus expected (% of cost)",
             (scenario.data.get("surplus_max_percent") if scenario else None) or
             figures().surplus_max_percent.value, "0.0")):
        ws.cell(row=r, column=1, value=label)
        c = ws.cell(row=r, column=2, value=value if value is not None else 0)
        c.number_format = fmt
        params[key] = f"$B${r}"
        r += 1
    r += 1

    # table header
    fixed = ["Ref", "Category", "Description", "School's own staff (on-costs apply)", "Hours per week", "Rate (£)",
             "Rate per"]
    qty_col, cost_col = {}, {}
    cols = list(fixed)
    for t in terms:
        qty_col[t] = len(cols) + 1
        cols.append(f"{t}: weeks / days")
        cost_col[t] = len(cols) + 1
        cols.append(f"{t}: £")
    total_col = len(cols) + 1
    cols.append("Total (£)")
    head = r
    for c, name in enumerate(cols, start=1):
        cell = ws.cell(row=head, column=c, value=name)
        cell.font, cell.fill, cell.alignment = bold, fill, wrap
    r = head + 1
    first = r
    lines = budget.lines or ()
    for line in lines:
        cat = labels.get(line.category, line.category or "(no category)")
        unit = PER_TERM_UNIT.get(line.category)
        values = [line.id, cat, line.description,
                  {True: "Yes", False: "No"}.get(line.employed, "Not chosen") if line.category == "staffing" else "",
                  line.hours_per_week if line.category == "staffing" else None,
                  line.rate if line.category in ("staffing", "cover") else None,
                  {"staffing": "hour", "cover": "day"}.get(line.category, "")]
        for c, v in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=v)
            cell.alignment = wrap
        ws.cell(row=r, column=6).number_format = MONEY
        for t in terms:
            q = ws.cell(row=r, column=qty_col[t])
            cc = ws.cell(row=r, column=cost_col[t])
            qc, rate_c, hours_c = f"{_col(qty_col[t])}{r}", f"F{r}", f"E{r}"
            if unit:
                q.value = line.quantities.get(t, None)
                cc.value = f"={hours_c}*{qc}*{rate_c}" if line.category == "staffing" else f"={qc}*{rate_c}"
            else:
                cc.value = line.quantities.get(t, 0.0)
            cc.number_format = MONEY
        ws.cell(row=r, column=total_col, value="=" + "+".join(f"{_col(cost_col[t])}{r}" for t in terms) if terms
                else 0).number_format = MONEY
        r += 1
    if not lines:
        ws.cell(row=r, column=3, value="(no cost lines yet)")
        r += 1
    last = r - 1

    def total_row(label: str, formula_for) -> int:
        nonlocal r
        ws.cell(row=r, column=3, value=label).font = bold
        for t in terms:
            cell = ws.cell(row=r, column=cost_col[t], value=formula_for(_col(cost_col[t])))
            cell.number_format, cell.font = MONEY, bold
        cell = ws.cell(row=r, column=total_col,
                       value="=" + "+".join(f"{_col(cost_col[t])}{r}" for t in terms) if terms else 0)
        cell.number_format, cell.font = MONEY, bold
        for c in range(1, total_col + 1):
            ws.cell(row=r, column=c).fill = total_fill
        r += 1
        return r - 1

    onc_row = total_row(f"Employer on-costs (school's own staff × on-costs %)",
                        lambda L: f'=SUMIFS({L}{first}:{L}{last},$B${first}:$B${last},"{labels["staffing"]}",'
                                  f'$D${first}:$D${last},"Yes")*{params["onc"]}/100')
    for c in range(1, total_col + 1):
        ws.cell(row=onc_row, column=c).border = top_line
    sub_row = total_row("Subtotal before contingency", lambda L: f"=SUM({L}{first}:{L}{last})+{L}{onc_row}")
    cont_row = total_row("Contingency (subtotal × contingency %)", lambda L: f"={L}{sub_row}*{params['cont']}/100")
    cost_row = total_row("Total cost", lambda L: f"={L}{sub_row}+{L}{cont_row}")
    r += 1
    ws.cell(row=r, column=1, value="Funding").font = bold
    for c in range(1, total_col + 1):
        ws.cell(row=r, column=c).fill = fill
    r += 1
    f_first = r
    for inc in budget.income:
        ws.cell(row=r, column=1, value=inc.id)
        ws.cell(row=r, column=2, value="Funding")
        ws.cell(row=r, column=3, value=inc.source).alignment = wrap
        for t in terms:
            ws.cell(row=r, column=cost_col[t], value=inc.amounts.get(t, 0.0)).number_format = MONEY
        ws.cell(row=r, column=total_col, value="=" + "+".join(f"{_col(cost_col[t])}{r}" for t in terms) if terms
                else 0).number_format = MONEY
        r += 1
    if not budget.income:
        ws.cell(row=r, column=3, value="(no funding lines yet)")
        r += 1
    f_last = r - 1
    fund_row = total_row("Total funding", lambda L: f"=SUM({L}{f_first}:{L}{f_last})")
    total_row("Balance (funding − cost)", lambda L: f"={L}{fund_row}-{L}{cost_row}")
    r += 1
    ws.cell(row=r, column=3, value="Cost per pupil reached").font = bold
    cpp = ws.cell(row=r, column=total_col,
                  value=f'=IF({params["pupils"]}>0,{_col(total_col)}{cost_row}/{params["pupils"]},"")')
    cpp.number_format, cpp.font = MONEY, bold
    cpp_row = r
    widths = [7, 24, 44, 14, 10, 11, 9] + [11, 13] * len(terms) + [14]
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[_col(c)].width = width
    ws.freeze_panes = ws.cell(row=head + 1, column=4)

    # -- summary sheet ---------------------------------------------------------------------------------------
    sm = wb.create_sheet("Summary")
    sm["A1"] = title
    sm["A1"].font = Font(bold=True, size=14)
    sm["A2"] = "Every figure on this sheet is a formula over the 'Budget by term' sheet."
    src = "'Budget by term'!"
    sm.cell(row=4, column=1, value="Cost by category").font = bold
    for i, t in enumerate(terms):
        sm.cell(row=4, column=2 + i, value=t).font = bold
    s_total = 2 + len(terms)
    sm.cell(row=4, column=s_total, value="Total").font = bold
    row = 5
    seg_first = row
    for cid in CATEGORY_IDS:
        sm.cell(row=row, column=1, value=labels[cid])
        for i, t in enumerate(terms):
            L = _col(cost_col[t])
            sm.cell(row=row, column=2 + i,
                    value=f'=SUMIF({src}$B${first}:$B${last},"{labels[cid]}",{src}{L}${first}:{L}${last})'
                    ).number_format = MONEY
        row += 1
        if cid == "staffing":
            sm.cell(row=row, column=1, value="Employer on-costs")
            for i, t in enumerate(terms):
                sm.cell(row=row, column=2 + i, value=f"={src}{_col(cost_col[t])}{onc_row}").number_format = MONEY
            staff_rows = (row - 1, row)
            row += 1
    sm.cell(row=row, column=1, value="Contingency")
    for i, t in enumerate(terms):
        sm.cell(row=row, column=2 + i, value=f"={src}{_col(cost_col[t])}{cont_row}").number_format = MONEY
    seg_last = row
    row += 1
    for rr in range(seg_first, seg_last + 1):
        sm.cell(row=rr, column=s_total,
                value=f"=SUM(B{rr}:{_col(s_total - 1)}{rr})" if terms else 0).number_format = MONEY
    tc_row = row
    sm.cell(row=row, column=1, value="Total cost").font = bold
    for c in range(2, s_total + 1):
        L = _col(c)
        cell = sm.cell(row=row, column=c, value=f"=SUM({L}{seg_first}:{L}{seg_last})")
        cell.number_format, cell.font = MONEY, bold
    row += 1
    fund_s = row
    sm.cell(row=row, column=1, value="Funding").font = bold
    for i, t in enumerate(terms):
        sm.cell(row=row, column=2 + i, value=f"={src}{_col(cost_col[t])}{fund_row}").number_format = MONEY
    sm.cell(row=row, column=s_total, value=f"=SUM(B{row}:{_col(s_total - 1)}{row})" if terms else 0
            ).number_format = MONEY
    row += 1
    sm.cell(row=row, column=1, value="Balance (funding − cost)").font = bold
    for c in range(2, s_total + 1):
        L = _col(c)
        cell = sm.cell(row=row, column=c, value=f"={L}{fund_s}-{L}{tc_row}")
        cell.number_format, cell.font = MONEY, bold
    bal_s = row
    row += 2
    T = _col(s_total)
    key_rows = {}
    for key, label, formula, fmt in (
            ("cost", "Total cost", f"={T}{tc_row}", MONEY),
            ("funding", "Total funding", f"={T}{fund_s}", MONEY),
            ("balance", "Balance", f"={T}{bal_s}", MONEY),
            ("surplus", "Surplus as % of cost", f'=IF({T}{tc_row}>0,{T}{bal_s}/{T}{tc_row},"")', PERCENT),
            ("pupils", "Pupils reached", f"={src}{params['pupils']}", "0"),
            ("per_pupil", "Cost per pupil reached", f"={src}{_col(total_col)}{cpp_row}", MONEY),
            ("staffing_share", "Staffing share of cost (incl. on-costs)",
             f'=IF({T}{tc_row}>0,({T}{staff_rows[0]}+{T}{staff_rows[1]})/{T}{tc_row},"")', PERCENT)):
        sm.cell(row=row, column=1, value=label).font = bold
        sm.cell(row=row, column=2, value=formula).number_format = fmt
        key_rows[key] = row
        row += 1
    share = figures().staff_share_high
    # The DfE benchmark is whole-school staff costs as a share of income: a project (tutoring, say) is naturally
    # staff-heavy, so it is quoted as context for the school's budget, not as a verdict on this project.
    sm.cell(row=row, column=1, value=("For a school's whole budget (not a project's): "
                                      f"{share.source}")).alignment = wrap
    sm.column_dimensions["A"].width = 40
    for c in range(2, s_total + 1):
        sm.column_dimensions[_col(c)].width = 16
    if terms:
        chart = BarChart()
        chart.type = "col"
        chart.grouping = "stacked"
        chart.overlap = 100
        chart.title = "Cost by term and category"
        chart.y_axis.title = "£"
        chart.x_axis.title = "Term"
        data = Reference(sm, min_col=1, max_col=1 + len(terms), min_row=seg_first, max_row=seg_last)
        chart.add_data(data, from_rows=True, titles_from_data=True)
        chart.set_categories(Reference(sm, min_col=2, max_col=1 + len(terms), min_row=4, max_row=4))
        chart.height, chart.width = 10, 18
        sm.add_chart(chart, f"D{row + 2}" if s_total < 4 else f"{_col(s_total + 2)}4")
    buf = io.BytesIO()
    wb.save(buf)
    atomic_write_bytes(out, buf.getvalue())


def cost_chart(artefact: Mapping[str, Any], scenario: Any):
    """Cost by term and category with the funding marked, for exports and the portfolio."""
    from .charts import budget_figure

    return budget_figure(budget_for(artefact, scenario).totals())


def costs(artefact: Mapping[str, Any], scenario: Any) -> dict[str, Any]:
    """What other tasks may read of a budget (the PD impact task takes its cost from it): the total cost and the
    pupils reached."""
    totals = budget_for(artefact, scenario).totals()
    return {"total_cost": totals.total_cost, "pupils": totals.pupils}


EXPORTERS = {"json": json_exporter(TASK_ID, SCHEMA_VERSION), "xlsx": _export_xlsx}
