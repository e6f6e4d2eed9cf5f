"""Task ``curriculum-model``: checked, charted and exported to Excel with live formulas.

The spreadsheet has two sheets:

- *Schools*: the benchmarks (target contact ratio, its tolerance, the staff cost share thought high), then one block a
  school — its cycle, income and support staff cost; pupils by year group; the curriculum plan with periods to staff
  (periods × groups) as a formula; the teachers by role; and every ICFP measure as a formula over those cells
  (periods to staff, FTE held and needed, contact ratio, PTR, average class size, average teacher cost, cost per
  lesson, staff cost share of income, and the two flags).
- *What-if scenarios*: each scenario's changes (before and after, the change in periods a formula) and, per school
  it changes, periods to staff, FTE needed before and after, ΔFTE and Δcost — formulas over the first sheet.

Change a group, a cost or the target in Excel or LibreOffice and every measure follows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from .checks import TITLE, check_model
from .model import SCHEMA_VERSION, CurriculumFigures, Trust, read_trust
from ...contract import task_criteria, task_figures
from ...store.export import export_header, json_exporter
from ...store.xlsx import HEAD_FILL, MONEY, PERCENT, TOTAL_FILL, Cell, Formula, Sheet, header_sheet, write_xlsx

TASK_ID = "curriculum-model"
RATIO = "0.000"
NUMBER = "#,##0.00"


def figures() -> CurriculumFigures:
    """The task's parameters with their sources (exercises/curriculum-model/figures.yaml, read strictly)."""
    return task_figures(TASK_ID, CurriculumFigures)


def check(artefact: Mapping[str, Any], scenario: Any, attempt: int = 1, figs: CurriculumFigures | None = None):
    return check_model(artefact, scenario.data if scenario is not None else None, figs or figures(), attempt=attempt)


def trust_for(artefact: Mapping[str, Any], scenario: Any = None) -> Trust:
    return read_trust(artefact)


MEASURES = ("Periods to staff (periods × groups)", "Teacher FTE held", "Teacher FTE needed at the target contact ratio",
            "FTE held − FTE needed", "Teachers' contact periods available", "Teacher contact ratio",
            "Pupil–teacher ratio", "Average class size (PTR ÷ contact ratio)", "Average teacher cost",
            "Cost per lesson (yearly cost of one period a cycle)", "Staff cost (teaching + support)",
            "Staff cost as a share of income", "Contact ratio against the target", "Staff cost against the benchmark")


def _export_xlsx(artefact: Mapping[str, Any], scenario: Any, out: Path) -> None:
    trust = trust_for(artefact, scenario)
    fig = figures()
    title = TITLE + (f" — {scenario.title}" if scenario else "")
    ws = header_sheet("Schools", export_header(artefact, title, task_criteria(TASK_ID)))
    ws.line(Cell("Benchmarks (change them here: every measure follows)", bold=True))
    where = ws.pairs([("Target teacher contact ratio", fig.contact_ratio_target.value),
                      ("Tolerance around the target", fig.contact_ratio_tolerance.value),
                      ("Staff cost high above (% of income)", fig.staff_cost_high_percent.value)],
                     fmt={"Target teacher contact ratio": "0.00", "Tolerance around the target": "0.00"})
    target, tol, high = ("$B$" + where[k][1:] for k in ("Target teacher contact ratio", "Tolerance around the target",
                                                        "Staff cost high above (% of income)"))
    ws.line(Cell("Sources: " + fig.formulas_source, wrap=False))
    ws.skip()
    at: dict[str, dict[str, str]] = {}  # school id -> name -> absolute address on this sheet
    for school in trust.schools:
        ws.line(Cell(school.label, bold=True, size=13))
        w = ws.pairs([("Periods in the timetable cycle", school.periods_per_cycle or 0),
                      ("Income (£ a year)", school.income or 0),
                      ("Support staff cost (£ a year)", school.support_staff_cost)],
                     fmt={"Income (£ a year)": MONEY, "Support staff cost (£ a year)": MONEY})
        cyc, inc, sup = ("$B$" + w[k][1:] for k in ("Periods in the timetable cycle", "Income (£ a year)",
                                                    "Support staff cost (£ a year)"))
        y1, y2 = ws.table(["Year group", "Pupils"], [[y, n] for y, n in school.pupils_by_year.items()])
        pupils_row = ws.line(Cell("Total pupils", bold=True, fill=TOTAL_FILL),
                             Cell(Formula(f"=SUM(B{y1}:B{max(y1, y2)})") if y2 >= y1 else 0, bold=True,
                                  fill=TOTAL_FILL))
        c1, c2 = ws.table(["Year group", "Subject", "Periods per group a cycle", "Groups", "Periods to staff"],
                          [[r.year, r.subject, r.periods, r.groups, Formula("=C{row}*D{row}")]
                           for r in school.curriculum])
        t1, t2 = ws.table(["Teachers (role)", "FTE", "Cost (£ a year, with on-costs)", "Contact periods a cycle"],
                          [[t.role, t.fte, t.cost, t.contact_periods] for t in school.teachers], formats={3: MONEY})
        rng = lambda col, a, b: f"SUM({col}{a}:{col}{b})" if b >= a else "0"  # noqa: E731
        taught, fte, cost = rng("E", c1, c2), rng("B", t1, t2), rng("C", t1, t2)
        ws.line(Cell("Measures (DfE ICFP)", bold=True, fill=HEAD_FILL), Cell(None, fill=HEAD_FILL))
        first = ws.row
        r = {name: f"$B${first + i}" for i, name in enumerate(MEASURES)}
        formulas = {
            MEASURES[0]: (f"={taught}", "0"),
            MEASURES[1]: (f"={fte}", "0.00"),
            MEASURES[2]: (f'=IF({cyc}*{target}>0,{r[MEASURES[0]]}/({cyc}*{target}),"")', "0.00"),
            MEASURES[3]: (f'=IF(ISNUMBER({r[MEASURES[2]]}),{r[MEASURES[1]]}-{r[MEASURES[2]]},"")', "0.00"),
            MEASURES[4]: (f"={rng('D', t1, t2)}", "0"),
            MEASURES[5]: (f'=IF({cyc}*{r[MEASURES[1]]}>0,{r[MEASURES[0]]}/({cyc}*{r[MEASURES[1]]}),"")', RATIO),
            MEASURES[6]: (f'=IF({r[MEASURES[1]]}>0,$B${pupils_row}/{r[MEASURES[1]]},"")', NUMBER),
            MEASURES[7]: (f'=IF(AND(ISNUMBER({r[MEASURES[6]]}),N({r[MEASURES[5]]})>0),'
                          f'{r[MEASURES[6]]}/{r[MEASURES[5]]},"")', NUMBER),
            MEASURES[8]: (f'=IF({r[MEASURES[1]]}>0,{cost}/{r[MEASURES[1]]},"")', MONEY),
            MEASURES[9]: (f'=IF({r[MEASURES[0]]}>0,{cost}/{r[MEASURES[0]]},"")', MONEY),
            MEASURES[10]: (f"={cost}+{sup}", MONEY),
            MEASURES[11]: (f'=IF({inc}>0,{r[MEASURES[10]]}/{inc},"")', PERCENT),
            MEASURES[12]: (f'=IF(ISNUMBER({r[MEASURES[5]]}),IF({r[MEASURES[5]]}<{target}-{tol},"below",'
                           f'IF({r[MEASURES[5]]}>{target}+{tol},"above","around")),"")', None),
            MEASURES[13]: (f'=IF(ISNUMBER({r[MEASURES[11]]}),IF({r[MEASURES[11]]}*100>{high},"high","not high"),"")',
                           None),
        }
        ws.pairs([(name, Formula(formulas[name][0])) for name in MEASURES],
                 fmt={name: f for name, (_, f) in formulas.items() if f})
        at[school.id] = {**r, "cycle": cyc}
        ws.skip()
    if not trust.schools:
        ws.line("(no schools yet)")
    ws.set_widths([46, 24, 16, 12, 16])
    write_xlsx(out, [ws, _whatif_sheet(trust, at, target)])


def _whatif_sheet(trust: Trust, at: Mapping[str, Mapping[str, str]], target: str) -> Sheet:
    sh = Sheet("What-if scenarios")
    sh.line(Cell("What-if scenarios against the current position", bold=True, size=14))
    sh.line("Each change: periods to staff after − before. FTE and cost: formulas over the 'Schools' sheet.")
    sh.skip()
    src = "'Schools'!"
    if not trust.whatifs:
        sh.line("(no what-if scenarios yet)")
    for w in trust.whatifs:
        sh.line(Cell(w.title, bold=True, size=13))
        rows = []
        for ch in w.changes:
            school = trust.school(ch.school)
            row = next((r for r in school.curriculum if r.key == ch.key), None) if school else None
            before_p, before_g = (row.periods, row.groups) if row else (0, 0)
            rows.append([school.id if school else ch.school, ch.year, ch.subject, before_p, before_g,
                         before_p if ch.periods is None else ch.periods, before_g if ch.groups is None else ch.groups,
                         Formula("=F{row}*G{row}-D{row}*E{row}")])
        c1, c2 = sh.table(["School", "Year group", "Subject", "Periods per group (now)", "Groups (now)",
                           "Periods per group (what-if)", "Groups (what-if)", "Change in periods to staff"], rows)
        diffs, _ = trust.compare(w, figures().contact_ratio_target.value)  # the schools it changes
        d1, d2 = sh.table(["School", "Periods to staff now", "Periods to staff (what-if)", "FTE needed now",
                           "FTE needed (what-if)", "Change in FTE", "Average teacher cost", "Change in cost (£ a year)"],
                          [[trust.school(d.school).label,  # type: ignore[union-attr]
                            Formula(f"={src}{at[d.school][MEASURES[0]]}"),
                            Formula(f'=B{{row}}+SUMIF($A${c1}:$A${max(c1, c2)},"{d.school}",'
                                    f'$H${c1}:$H${max(c1, c2)})'),
                            Formula(f"={src}{at[d.school][MEASURES[2]]}"),
                            Formula(f"=C{{row}}/({src}{at[d.school]['cycle']}*{src}{target})"),
                            Formula("=E{row}-D{row}"),
                            Formula(f"={src}{at[d.school][MEASURES[8]]}"),
                            Formula("=F{row}*G{row}")] for d in diffs],
                          formats={2: "0", 3: "0", 4: "0.00", 5: "0.00", 6: "0.00", 7: MONEY, 8: MONEY})
        sh.line(Cell("Whole trust", bold=True, fill=TOTAL_FILL), *[Cell(None, fill=TOTAL_FILL)] * 4,
                Cell(Formula(f"=SUM(F{d1}:F{max(d1, d2)})"), fmt="0.00", bold=True, fill=TOTAL_FILL),
                Cell(None, fill=TOTAL_FILL),
                Cell(Formula(f"=SUM(H{d1}:H{max(d1, d2)})"), fmt=MONEY, bold=True, fill=TOTAL_FILL))
        sh.skip()
    sh.set_widths([40, 14, 18, 14, 14, 14, 14, 18])
    return sh


def staffing_chart(artefact: Mapping[str, Any], scenario: Any):
    """Every school's FTE held against needed, now and in each what-if (one panel a school)."""
    from .charts import trust_figure

    return trust_figure(trust_for(artefact, scenario), figures())


def measures(artefact: Mapping[str, Any], scenario: Any) -> dict[str, Any]:
    """What other tasks may read: each school's FTE held and needed and staff cost share."""
    trust = trust_for(artefact, scenario)
    out = {}
    for sid, m in trust.metrics(figures().contact_ratio_target.value).items():
        out[sid] = {"fte_held": m.fte_held, "fte_needed": m.fte_needed, "staff_cost_share": m.staff_cost_share}
    return out


EXPORTERS = {"json": json_exporter(TASK_ID, SCHEMA_VERSION), "xlsx": _export_xlsx}
