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
from typing import Any, Mapping, Sequence

from .checks import TITLE, check_budget
from .model import CATEGORY_IDS, PER_TERM_UNIT, SCHEMA_VERSION, Budget, BudgetFigures, read_budget, read_lifetime
from ...contract import task_criteria, task_figures
from ...store.export import export_header, json_exporter
from ...store.xlsx import (HEAD_FILL, MONEY, PERCENT, TOTAL_FILL, Cell, Formula, Sheet, StackedBars, column_letter,
                           header_sheet, write_xlsx)

TASK_ID = "budget"


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


FIXED = ("Ref", "Category", "Description", "School's own staff (on-costs apply)", "Hours per week", "Rate (£)",
         "Rate per")
L = column_letter


def _by_term(fixed: Sequence[Any], per_term: Sequence[tuple[Any, Any]], total: Any) -> list[Any]:
    """A row of the 'Budget by term' sheet: the fixed columns, (quantity, cost) for each term, the total."""
    return [*fixed, *(v for pair in per_term for v in pair), total]


def _export_xlsx(artefact: Mapping[str, Any], scenario: Any, out: Path) -> None:
    budget = budget_for(artefact, scenario)
    labels = category_labels()
    terms = budget.term_names
    title = TITLE + (f" — {scenario.title}" if scenario else "")
    cost_cols = [len(FIXED) + 2 * (i + 1) for i in range(len(terms))]  # each term's £ column
    total_col = len(FIXED) + 2 * len(terms) + 1
    money = {6: MONEY, total_col: MONEY, **{c: MONEY for c in cost_cols}}

    def across(row: int | str) -> Any:  # the total of a row's term costs
        return Formula("=" + "+".join(f"{L(c)}{row}" for c in cost_cols)) if terms else 0

    header = export_header(artefact, title, task_criteria(TASK_ID))
    header.append(("Project", budget.title or "(not named)"))
    header.append(("Project lifetime", budget.lifetime.describe() if budget.lifetime else
                   budget.lifetime_problem or "(dates not given)"))
    ws = header_sheet("Budget by term", header)
    ws.line(Cell("Parameters (change them here: every total follows)", bold=True))
    surplus = (scenario.data.get("surplus_max_percent") if scenario else None) or figures().surplus_max_percent.value
    param_rows = (("onc", "Employer on-costs (%)", budget.on_costs_percent, "0.0"),
                  ("cont", "Contingency (%)", budget.contingency_percent, "0.0"),
                  ("pupils", "Pupils reached", budget.pupils, "0"),
                  ("surplus", "Largest surplus expected (% of cost)", surplus, "0.0"))
    where = ws.pairs([(label, value if value is not None else 0) for _, label, value, _ in param_rows],
                     fmt={label: fmt for _, label, _, fmt in param_rows})
    param = {key: "$B$" + where[label][1:] for key, label, _, _ in param_rows}
    ws.skip()

    # -- cost lines: staffing and cover cost formulas (hours × weeks × rate, days × rate), other lines as typed ----
    columns = [*FIXED, *(f"{t}: {kind}" for t in terms for kind in ("weeks / days", "£")), "Total (£)"]
    rows = []
    for line in budget.lines:
        staffing, unit = line.category == "staffing", PER_TERM_UNIT.get(line.category)
        qty = [(L(c - 1) + "{row}") for c in cost_cols]
        cost = (f"=E{{row}}*{q}*F{{row}}" if staffing else f"={q}*F{{row}}" for q in qty)
        per_term = ([(line.quantities.get(t), Formula(f)) for t, f in zip(terms, cost)] if unit
                    else [(None, line.quantities.get(t, 0.0)) for t in terms])
        rows.append(_by_term([line.id, labels.get(line.category, line.category or "(no category)"), line.description,
                              {True: "Yes", False: "No"}.get(line.employed, "Not chosen") if staffing else "",
                              line.hours_per_week if staffing else None,
                              line.rate if line.category in ("staffing", "cover") else None,
                              {"staffing": "hour", "cover": "day"}.get(line.category, "")],
                             per_term, across("{row}")))
    first, last = ws.table(columns, rows, formats=money, freeze_col=4)
    if not budget.lines:
        last = ws.line(None, None, "(no cost lines yet)")

    def total_row(label: str, formula_for, border: bool = False) -> int:
        r = ws.row
        values = _by_term([None, None, label, None, None, None, None],
                          [(None, Formula(formula_for(L(c)))) for c in cost_cols], across(r))
        ws.line(*(Cell(v, bold=True, fill=TOTAL_FILL, border_top=border, fmt=money.get(c) if c > 6 else None)
                  for c, v in enumerate(values, start=1)))
        return r

    staff = labels["staffing"]
    onc_row = total_row("Employer on-costs (school's own staff × on-costs %)",
                        lambda C: f'=SUMIFS({C}{first}:{C}{last},$B${first}:$B${last},"{staff}",'
                                  f'$D${first}:$D${last},"Yes")*{param["onc"]}/100', border=True)
    sub_row = total_row("Subtotal before contingency", lambda C: f"=SUM({C}{first}:{C}{last})+{C}{onc_row}")
    cont_row = total_row("Contingency (subtotal × contingency %)", lambda C: f"={C}{sub_row}*{param['cont']}/100")
    cost_row = total_row("Total cost", lambda C: f"={C}{sub_row}+{C}{cont_row}")
    ws.skip()
    ws.line(Cell("Funding", bold=True, fill=HEAD_FILL), *[Cell(None, fill=HEAD_FILL)] * (total_col - 1))
    f_first, f_last = ws.rows(
        [_by_term([inc.id, "Funding", Cell(inc.source, wrap=True), None, None, None, None],
                  [(None, inc.amounts.get(t, 0.0)) for t in terms], across("{row}")) for inc in budget.income],
        formats=money)
    if not budget.income:
        f_last = ws.line(None, None, "(no funding lines yet)")
    fund_row = total_row("Total funding", lambda C: f"=SUM({C}{f_first}:{C}{f_last})")
    total_row("Balance (funding − cost)", lambda C: f"={C}{fund_row}-{C}{cost_row}")
    ws.skip()
    T = L(total_col)
    cpp_row = ws.line(None, None, Cell("Cost per pupil reached", bold=True))
    ws.set(cpp_row, total_col, Cell(Formula(f'=IF({param["pupils"]}>0,{T}{cost_row}/{param["pupils"]},"")'),
                                    fmt=MONEY, bold=True))
    ws.set_widths([7, 24, 44, 14, 10, 11, 9, *[11, 13] * len(terms), 14])

    sm = _summary_sheet(title, labels, terms, lines=(first, last), cost_cols=cost_cols, total_col=total_col,
                        rows={"onc": onc_row, "cont": cont_row, "fund": fund_row, "cpp": cpp_row},
                        pupils=param["pupils"])
    write_xlsx(out, [ws, sm])


def _summary_sheet(title: str, labels: Mapping[str, str], terms: Sequence[str], *, lines: tuple[int, int],
                   cost_cols: Sequence[int], total_col: int, rows: Mapping[str, int], pupils: str) -> Sheet:
    """Category × term (SUMIF over 'Budget by term'), total cost, funding, balance and the key figures — every one
    a formula over the first sheet — and a stacked bar chart of cost by term and category."""
    first, last = lines
    onc_row, cont_row, fund_row, cpp_row = rows["onc"], rows["cont"], rows["fund"], rows["cpp"]
    src = "'Budget by term'!"
    sm = Sheet("Summary")
    sm.line(Cell(title, bold=True, size=14))
    sm.line("Every figure on this sheet is a formula over the 'Budget by term' sheet.")
    sm.skip()
    s_total = 2 + len(terms)
    S = L(s_total - 1)
    head = sm.line(*(Cell(v, bold=True) for v in ("Cost by category", *terms, "Total")))

    def summary_row(label: Any, per_term) -> int:  # one formula a term and their sum
        r = sm.row
        sm.line(label, *(Cell(Formula(f), fmt=MONEY) for f in per_term),
                Cell(Formula(f"=SUM(B{r}:{S}{r})") if terms else 0, fmt=MONEY))
        return r

    seg_first = sm.row
    staff_rows = ()
    for cid in CATEGORY_IDS:
        summary_row(labels[cid], (f'=SUMIF({src}$B${first}:$B${last},"{labels[cid]}",'
                                  f'{src}{L(c)}${first}:{L(c)}${last})' for c in cost_cols))
        if cid == "staffing":
            staff_rows = (sm.row - 1, summary_row("Employer on-costs", (f"={src}{L(c)}{onc_row}" for c in cost_cols)))
    seg_last = summary_row("Contingency", (f"={src}{L(c)}{cont_row}" for c in cost_cols))
    tc_row = sm.line(Cell("Total cost", bold=True), *(Cell(Formula(f"=SUM({L(c)}{seg_first}:{L(c)}{seg_last})"),
                                                            fmt=MONEY, bold=True) for c in range(2, s_total + 1)))
    fund_s = summary_row(Cell("Funding", bold=True), (f"={src}{L(c)}{fund_row}" for c in cost_cols))
    bal_s = sm.line(Cell("Balance (funding − cost)", bold=True),
                    *(Cell(Formula(f"={L(c)}{fund_s}-{L(c)}{tc_row}"), fmt=MONEY, bold=True)
                      for c in range(2, s_total + 1)))
    sm.skip()
    T = L(s_total)
    key_figures = (
        ("Total cost", f"={T}{tc_row}", MONEY),
        ("Total funding", f"={T}{fund_s}", MONEY),
        ("Balance", f"={T}{bal_s}", MONEY),
        ("Surplus as % of cost", f'=IF({T}{tc_row}>0,{T}{bal_s}/{T}{tc_row},"")', PERCENT),
        ("Pupils reached", f"={src}{pupils}", "0"),
        ("Cost per pupil reached", f"={src}{L(total_col)}{cpp_row}", MONEY),
        ("Staffing share of cost (incl. on-costs)",
         f'=IF({T}{tc_row}>0,({T}{staff_rows[0]}+{T}{staff_rows[1]})/{T}{tc_row},"")', PERCENT))
    sm.pairs([(label, Formula(f)) for label, f, _ in key_figures], fmt={label: fmt for label, _, fmt in key_figures})
    # The DfE benchmark is whole-school staff costs as a share of income: a project (tutoring, say) is naturally
    # staff-heavy, so it is quoted as context for the school's budget, not as a verdict on this project.
    note = sm.line(Cell("For a school's whole budget (not a project's): " + figures().staff_share_high.source,
                        wrap=True))
    sm.set_widths({1: 40, **{c: 16 for c in range(2, s_total + 1)}})
    if terms:
        sm.charts.append(StackedBars("Cost by term and category", x_title="Term", y_title="£",
                                     rows=(seg_first, seg_last), first_col=1, last_col=1 + len(terms),
                                     categories_row=head,
                                     anchor=f"D{note + 2}" if s_total < 4 else f"{L(s_total + 2)}4"))
    return sm


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


def cohort(works: Sequence[tuple[Mapping[str, Any], Any]]) -> list[dict[str, Any]]:
    """A room's budgets: total cost, cost per pupil and contingency, each as a range with its median (the cohort
    view). A budget that cannot be totalled yet is counted, not guessed at."""
    from ...domain.values import format_money, spread_text

    budgets = []
    for artefact, scenario in works:
        try:
            budgets.append(budget_for(artefact, scenario))
        except Exception:  # noqa: BLE001 - one unreadable budget never hides the room's
            continue
    totals = [b.totals() for b in budgets]
    costs = [t.total_cost for t in totals if t.total_cost > 0]
    per_pupil = [t.cost_per_pupil for t in totals if t.cost_per_pupil is not None]
    contingency = [b.contingency_percent for b in budgets if b.contingency_percent is not None]
    if not budgets:
        return []
    money = lambda v: format_money(v)  # noqa: E731
    return [
        {"measure": "Total cost", "value": spread_text(costs, money)},
        {"measure": "Cost per pupil", "value": spread_text(per_pupil, money)},
        {"measure": "Contingency (%)", "value": spread_text(contingency)},
        {"measure": "Budgets not yet totalled", "value": str(len(budgets) - len(costs))},
    ]
