"""Task ``options-appraisal``: checked, exported to Excel with live formulas and to a board paper (.docx).

The spreadsheet:

- *Appraisal*: the header, the parameters (discount rate, horizon), the criteria with their weights and a live
  total (``SUM``), then one row per option with its scores and its weighted score ``=SUMPRODUCT(weights,
  scores)/100``, NPV, net cost and payback taken (as formulas) from the cash flow sheet.
- *Cash flows*: per option, one-off and recurring costs and income for years 0…N, the net flow (income − costs,
  formulas), the cumulative net flow, the net cost (``SUM`` of costs − ``SUM`` of income) and the NPV
  ``=B_net + NPV(rate, C_net:…)`` — year 0 undiscounted, because Excel's ``NPV`` discounts its first value.
- *Risks*: per option, likelihood × impact and residual likelihood × impact as formulas, RAG from the thresholds;
  the risk criterion's score on the *Appraisal* sheet is a formula over this sheet (5 − the number of band limits
  below the option's highest residual score), so changing a residual risk in Excel moves the weighted score.
- *Sensitivity*: the thresholds and the plain sentences.

The board paper: purpose, options, appraisal table, risks, sensitivity, recommendation and the decision sought.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Mapping

from .checks import TITLE, check_appraisal
from .model import (FLOW_KINDS, FLOW_LABELS, SCHEMA_VERSION, TASK_ID, Appraisal, OptionsFigures, read_appraisal,
                    sensitivity, sensitivity_sentences)
from ...contract import task_criteria, task_figures
from ...domain.values import format_money
from ...store.export import export_header, json_exporter
from ...store.files import atomic_write_bytes
from ...store.xlsx import HEAD_FILL, MONEY, TOTAL_FILL, Cell, Formula, Sheet, column_letter, header_sheet, write_xlsx

ASSESSMENT = ("NPQEL Task 1: design a sustainable business development strategy for the organisation, analysing the "
              "benefits, costs and risks of different options, and present the chosen strategy to the governing "
              "board.")
L = column_letter


def figures() -> OptionsFigures:
    return task_figures(TASK_ID, OptionsFigures)


def check(artefact: Mapping[str, Any], scenario: Any, attempt: int = 1, figs: OptionsFigures | None = None):
    return check_appraisal(artefact, scenario.data if scenario is not None else None, figs or figures(),
                           attempt=attempt)


def appraisal_for(artefact: Mapping[str, Any], scenario: Any = None) -> Appraisal:
    return read_appraisal(artefact, figures())


def _payback_text(year: int | None) -> str:
    return "not within the horizon" if year is None else ("no outlay" if year == 0 else f"year {year}")


def _header(artefact: Mapping[str, Any], scenario: Any) -> list[tuple[str, Any]]:
    title = TITLE + (f" — {scenario.title}" if scenario else "")
    header = export_header(artefact, title, task_criteria(TASK_ID))
    header.append(("Assessment", ASSESSMENT))
    if scenario is not None:
        header.append(("Scenario", "Synthetic: invented for practice, not a real organisation."))
    return header


def _export_xlsx(artefact: Mapping[str, Any], scenario: Any, out: Path) -> None:
    a = appraisal_for(artefact, scenario)
    figs = figures()
    horizon = a.horizon or 0
    years = list(range(horizon + 1))

    # -- cash flows first: the appraisal sheet refers to its cells --------------------------------------------
    cf = Sheet("Cash flows")
    cf.line(Cell("Cash flows by year (£). Net flow = income − costs. NPV = year 0 + NPV(rate, years 1…N): year 0 is "
                 "not discounted.", bold=True))
    rate_row = cf.line(Cell("Discount rate (%)", bold=True), a.rate if a.rate is not None else 0)
    cf.line(Cell("Source", bold=True), Cell(figs.discount_rate_percent.source, wrap=False))
    rate = f"'Cash flows'!$B${rate_row}/100"
    cf.skip()
    where: dict[str, dict[str, str]] = {}
    last_col = L(1 + len(years))
    for res in a.results():
        o = res.option
        cf.line(Cell(o.label + (" (baseline)" if o.baseline else ""), bold=True, size=12))
        head = cf.line(*(Cell(v, bold=True, fill=HEAD_FILL) for v in ("£", *(f"Year {t}" for t in years),
                                                                     "Total")))
        rows = {}
        for kind in FLOW_KINDS:
            r = cf.row
            vals = [o.flows.get(kind, {}).get(t, 0.0) for t in years]
            cf.line(FLOW_LABELS[kind], *(Cell(v, fmt=MONEY) for v in vals),
                    Cell(Formula(f"=SUM(B{r}:{last_col}{r})"), fmt=MONEY))
            rows[kind] = r
        net = cf.row
        cf.line(Cell("Net flow (income − costs)", bold=True),
                *(Cell(Formula(f"={c}{rows['one_off_income']}+{c}{rows['recurring_income']}-{c}{rows['one_off_costs']}"
                               f"-{c}{rows['recurring_costs']}"), fmt=MONEY, bold=True, fill=TOTAL_FILL)
                  for c in (L(i + 2) for i in range(len(years)))),
                Cell(Formula(f"=SUM(B{net}:{last_col}{net})"), fmt=MONEY, bold=True, fill=TOTAL_FILL))
        cum = cf.row
        cf.line("Cumulative net flow", *(Cell(Formula(f"=SUM($B{net}:{L(i + 2)}{net})"), fmt=MONEY)
                                         for i in range(len(years))))
        tc = f"{L(len(years) + 2)}"
        net_cost = cf.line(Cell("Net cost (total costs − total income, undiscounted)", bold=True),
                           Cell(Formula(f"={tc}{rows['one_off_costs']}+{tc}{rows['recurring_costs']}"
                                        f"-{tc}{rows['one_off_income']}-{tc}{rows['recurring_income']}"),
                                fmt=MONEY, bold=True))
        npv_f = f"=B{net}+NPV({rate},C{net}:{last_col}{net})" if horizon else f"=B{net}"
        npv_row = cf.line(Cell(f"Net present value at the discount rate", bold=True),
                          Cell(Formula(npv_f), fmt=MONEY, bold=True))
        pb_row = cf.line(Cell("Payback year", bold=True), _payback_text(res.payback))
        where[o.id] = {"npv": f"'Cash flows'!B{npv_row}", "net_cost": f"'Cash flows'!B{net_cost}",
                       "payback": f"'Cash flows'!B{pb_row}"}
        del head, cum
        cf.skip()
    cf.set_widths({1: 46, **{i + 2: 14 for i in range(len(years) + 1)}})

    # -- risks (first: the risk criterion's scores are formulas over this sheet) ---------------------------------
    rk = Sheet("Risks")
    rk.line(Cell("Risks per option: score = likelihood × impact (1–25). " + a.rag.source, bold=True))
    g = rk.line(Cell("Green up to", bold=True), a.rag.green_max)
    am = rk.line(Cell("Amber up to", bold=True), a.rag.amber_max)
    bands = a.bands.upper
    band_row = rk.line(Cell("Risk criterion: highest residual score up to … scores 5, 4, 3, 2 (above: 1)", bold=True),
                       *bands)
    band_cells = f"Risks!$B${band_row}:${L(1 + len(bands))}${band_row}"
    rk.skip()

    def rag(cell: str) -> Formula:
        return Formula(f'=IF({cell}="","",IF({cell}<=$B${g},"green",IF({cell}<=$B${am},"amber","red")))')

    rows = []
    for o in a.options:
        for r in o.risks:
            rows.append([o.label, r.description, r.likelihood or None, r.impact or None,
                         Formula('=IF(AND(ISNUMBER(C{row}),ISNUMBER(D{row})),C{row}*D{row},"")'),
                         rag("E{row}"), r.mitigation, r.residual_likelihood or None, r.residual_impact or None,
                         Formula('=IF(AND(ISNUMBER(H{row}),ISNUMBER(I{row})),H{row}*I{row},"")'), rag("J{row}"),
                         o.id, Formula("=IF(ISNUMBER(J{row}),J{row},0)")])
    r_first, r_last = rk.table(("Option", "Risk", "Likelihood", "Impact", "Score", "RAG", "Mitigation",
                                "Residual likelihood", "Residual impact", "Residual score", "Residual RAG",
                                "Option ref", "Residual score (for the criterion)"), rows)
    rk.set_widths([28, 40, 11, 9, 8, 9, 40, 11, 9, 9, 10, 9, 12])

    def risk_score(ref: str) -> Any:
        """The option's score on the risk criterion, live: 5 − the number of band limits below its highest residual
        risk score (0 while it has no scored residual risk)."""
        if r_last < r_first:
            return 0
        refs, res = f"Risks!$L${r_first}:$L${r_last}", f"Risks!$M${r_first}:$M${r_last}"
        highest = f"SUMPRODUCT(MAX(({refs}={ref})*{res}))"
        return Formula(f'=IF(SUMPRODUCT(({refs}={ref})*({res}>0))=0,0,5-COUNTIF({band_cells},"<"&{highest}))')

    # -- the appraisal --------------------------------------------------------------------------------------
    ws = header_sheet("Appraisal", _header(artefact, scenario))
    ws.pairs([("Organisation", a.organisation or "(not given)"), ("Purpose", a.purpose or "(not given)"),
              ("Horizon (years)", a.horizon if a.horizon is not None else "(not given)")])
    ws.skip()
    crit = a.criteria
    first_c, last_c = 2, 1 + len(crit)
    head = ws.line(*(Cell(v, bold=True, fill=HEAD_FILL, wrap=True) for v in
                     ("Criterion", *(c.label + (" (from residual risks)" if c.scored_by == "risk" else "")
                                     for c in crit), "Total")))
    w_row = ws.line(Cell("Weight", bold=True), *(c.weight if c.weight is not None else 0 for c in crit),
                    Cell(Formula(f"=SUM({L(first_c)}{head + 1}:{L(last_c)}{head + 1})") if crit else 0, bold=True))
    ws.skip()
    cols = ("Option", *(c.label for c in crit), "Weighted score (out of 5)", "NPV (£)", "Net cost (£)", "Payback",
            "Ref")
    ref_col = L(len(cols))
    opt_rows = []
    for res in a.results():
        o = res.option
        scores = [risk_score(f"${ref_col}{{row}}") if c.scored_by == "risk" else
                  res.scores.get(c.id) if res.scores.get(c.id) is not None else 0 for c in crit]
        wref = f"${L(first_c)}${w_row}:${L(last_c)}${w_row}"
        opt_rows.append([o.label + (" (baseline)" if o.baseline else ""), *scores,
                         Formula(f"=SUMPRODUCT({wref},{L(first_c)}{{row}}:{L(last_c)}{{row}})/100") if crit else 0,
                         Cell(Formula("=" + where[o.id]["npv"]), fmt=MONEY),
                         Cell(Formula("=" + where[o.id]["net_cost"]), fmt=MONEY),
                         Formula("=" + where[o.id]["payback"]), o.id])
    first, last = ws.table(cols, opt_rows, formats={len(crit) + 2: "0.00"})
    ws.skip()
    best = a.preferred
    ws.pairs([("Top weighted score", best.option.label if best else "(not every option is scored yet)"),
              ("Recommended", a.option(a.recommendation).label if a.option(a.recommendation) else "(not chosen)"),
              ("Rationale", a.rationale or "(none)"), ("Decision sought", a.decision_sought or "(none)")],
             wrap=True)
    del first, last
    ws.set_widths({1: 34, **{i: 16 for i in range(2, len(cols) + 1)}})

    # -- sensitivity ----------------------------------------------------------------------------------------
    sn = Sheet("Sensitivity")
    sn.line(Cell("When one weight changes, the others are scaled proportionally so they still total 100.", bold=True))
    sn.skip()
    sn.table(("Criterion", "Weight now", "Holds down to", "Then first", "Holds up to", "Then first"),
             [[s.criterion.label, s.weight, round(s.lower.weight, 1) if s.lower else 0,
               s.lower.takes_over if s.lower else "(none)", round(s.upper.weight, 1) if s.upper else 100,
               s.upper.takes_over if s.upper else "(none)"] for s in sensitivity(a)])
    sn.skip()
    for sentence in sensitivity_sentences(a):
        sn.line(sentence)
    sn.set_widths([34, 12, 14, 30, 14, 30])
    write_xlsx(out, [ws, cf, rk, sn])


# -- the board paper ----------------------------------------------------------------------------------------------
def _export_docx(artefact: Mapping[str, Any], scenario: Any, out: Path) -> None:
    from docx import Document

    a = appraisal_for(artefact, scenario)
    doc = Document()
    header = _header(artefact, scenario)
    doc.add_heading("Board paper: " + (a.organisation or "business development strategy"), level=0)
    for label, value in header:
        doc.add_paragraph(f"{label}: {value}")

    doc.add_heading("1. Purpose", level=1)
    doc.add_paragraph(a.purpose or "(not given)")

    doc.add_heading("2. Options considered", level=1)
    for o in a.options:
        doc.add_paragraph(f"{o.label}{' (baseline)' if o.baseline else ''}: {o.description or '(no description)'}",
                          style="List Bullet")

    doc.add_heading("3. Appraisal", level=1)
    doc.add_paragraph("Criteria and weights: " + "; ".join(f"{c.label} {c.weight:g}" if c.weight is not None
                                                         else f"{c.label} (no weight)" for c in a.criteria) + ".")
    rate = f"{a.rate:g}%" if a.rate is not None else "(not readable)"
    doc.add_paragraph(f"Net present value over {a.horizon or '?'} years at a discount rate of {rate} "
                      f"({figures().discount_rate_percent.source}).")
    cols = ["Option", *(c.label for c in a.criteria), "Weighted score", "NPV", "Net cost", "Payback"]
    table = doc.add_table(rows=1, cols=len(cols))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, cols):
        cell.text = text
    for res in a.results():
        cells = table.add_row().cells
        values = [res.option.label, *(str(res.scores.get(c.id) or "–") for c in a.criteria),
                  f"{res.weighted:.2f}" if res.weighted is not None else "–", format_money(res.npv),
                  format_money(res.net_cost), _payback_text(res.payback)]
        for cell, text in zip(cells, values):
            cell.text = text
    for o in a.options:
        reasons = [f"{c.label} — {o.reasons.get(c.id)}" for c in a.criteria if o.reasons.get(c.id)]
        if reasons:
            doc.add_paragraph(f"{o.label}: " + "; ".join(reasons) + ".")

    doc.add_heading("4. Risks", level=1)
    for o in a.options:
        for r in o.risks:
            doc.add_paragraph(
                f"{o.label}: {r.description or '(not described)'} — score {r.score or '–'} "
                f"({a.rag.rating(r.score) or 'not scored'}); mitigation: {r.mitigation or '(none)'}; residual "
                f"{r.residual_score or '–'} ({a.rag.rating(r.residual_score) or 'not scored'}).", style="List Bullet")

    doc.add_heading("5. Sensitivity", level=1)
    doc.add_paragraph("When one weight changes, the others are scaled proportionally so they still total 100.")
    for sentence in sensitivity_sentences(a):
        doc.add_paragraph(sentence, style="List Bullet")
    if a.sensitivity_note:
        doc.add_paragraph(a.sensitivity_note)

    doc.add_heading("6. Recommendation", level=1)
    chosen = a.option(a.recommendation)
    doc.add_paragraph(f"Recommended option: {chosen.label if chosen else '(not chosen)'}.")
    if a.rationale:
        doc.add_paragraph(a.rationale)

    doc.add_heading("7. Decision sought", level=1)
    doc.add_paragraph(a.decision_sought or "(not given)")
    buf = io.BytesIO()
    doc.save(buf)
    atomic_write_bytes(Path(out), buf.getvalue())


def sensitivity_chart(artefact: Mapping[str, Any], scenario: Any):
    from .charts import tornado_figure

    return tornado_figure(appraisal_for(artefact, scenario))


def preferred(artefact: Mapping[str, Any], scenario: Any) -> dict[str, Any]:
    """What other pages may read: the top-scoring option and the recommendation."""
    a = appraisal_for(artefact, scenario)
    best = a.preferred
    chosen = a.option(a.recommendation)
    return {"top": best.option.label if best else None, "recommended": chosen.label if chosen else None}


EXPORTERS = {"json": json_exporter(TASK_ID, SCHEMA_VERSION), "xlsx": _export_xlsx, "docx": _export_docx}
