"""The one xlsx writer (npq_widgets.store.xlsx), and learner text that looks like a formula (OWASP's spreadsheet
injection list) coming out of every exporter as inert text — read back with openpyxl and after LibreOffice has
recalculated the workbook, while the export's own formulas still compute."""

from __future__ import annotations

import copy

import pytest
from openpyxl import load_workbook

from npq_widgets.registry import get_task
from npq_widgets.store.xlsx import Cell, Formula, Sheet, column_letter, header_sheet, write_xlsx
from npq_widgets.tasks.budget.export import budget_for

from .libreoffice import find_row, needs_libreoffice, recalculate

PAYLOADS = ('=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", '=WEBSERVICE("http://x")', "+1+1", "-2+3",
            "@SUM(1)", "\t=1", "\r=1")


def as_read(text: str, stripped: bool = False) -> str:
    """What a payload reads back as: the task models strip surrounding white space from what the learner typed;
    XML reads a bare carriage return as a line feed, so the writer writes the line feed."""
    text = text.strip() if stripped else text
    return text.replace("\r", "\n")


def cells(wb):
    return [c for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]


def assert_inert(wb, expected, *, quote_prefixed=True):
    """Every expected text is in a text cell, unchanged; no formula cell carries any of it."""
    everything = cells(wb)
    for text in expected:
        found = [c for c in everything if c.value == text]
        assert found, f"{text!r} is not in the workbook"
        for c in found:
            assert c.data_type == "s", (text, c.coordinate, c.data_type)
            if quote_prefixed:
                assert c.quotePrefix, (text, c.coordinate)
    formulas = [c.value for c in everything if c.data_type == "f"]
    for text in (t.lstrip("\t\n=") for t in expected):
        assert len(text) < 4 or not any(text in f for f in formulas), text  # ("1" is in formulas anyway)


def slots(rows, *fields):
    return [(row, f) for f in fields for row in rows]


def plant(places):
    """Put the payloads into (row, field) places in order."""
    assert len(places) >= len(PAYLOADS)
    for (row, field), text in zip(places, PAYLOADS):
        row[field] = text


# -- the writer ------------------------------------------------------------------------------------------------------
def test_plain_strings_are_text_and_formulas_only_when_marked(tmp_path):
    sheet = Sheet("T")
    for text in PAYLOADS:
        sheet.line(text, Formula("=1+1"), "plain")
    write_xlsx(tmp_path / "t.xlsx", [sheet])
    ws = load_workbook(tmp_path / "t.xlsx")["T"]
    for r, text in enumerate(PAYLOADS, start=1):
        a, b, c = ws.cell(r, 1), ws.cell(r, 2), ws.cell(r, 3)
        assert (a.value, a.data_type, a.quotePrefix) == (as_read(text), "s", True)
        assert (b.value, b.data_type) == ("=1+1", "f")
        assert (c.value, c.data_type, c.quotePrefix) == ("plain", "s", False)


def test_a_formula_must_start_with_equals():
    with pytest.raises(ValueError):
        Formula("SUM(A1:A2)")


def test_table_rows_formats_freeze_and_row_placeholders(tmp_path):
    import datetime as dt

    sheet = header_sheet("Plan", [("Task", "T"), ("Candidate", "C")])
    first, last = sheet.table(("A", "B", "Sum", "When"), [(1, 2, Formula("=A{row}+B{row}"), dt.date(2027, 3, 26)),
                                                          (3, 4, Cell(Formula("=A{row}*B{row}"), fmt="0.0"), None)],
                              formats={3: "0.00"}, freeze_col=2)
    sheet.set_widths([7, 9])
    write_xlsx(tmp_path / "p.xlsx", [sheet])
    ws = load_workbook(tmp_path / "p.xlsx")["Plan"]
    assert (first, last) == (5, 6) and ws["A4"].value == "A" and ws["A4"].font.b
    assert ws["C5"].value == "=A5+B5" and ws["C5"].number_format == "0.00"
    assert ws["C6"].value == "=A6*B6" and ws["C6"].number_format == "0.0"
    assert ws["D5"].number_format == "DD/MM/YYYY" and ws["D6"].value is None
    assert ws.freeze_panes == "B5" and ws.column_dimensions["B"].width == 9
    assert [column_letter(n) for n in (1, 26, 27, 52, 703)] == ["A", "Z", "AA", "AZ", "AAA"]


# -- every exporter ----------------------------------------------------------------------------------------------------
def _risk():
    art = copy.deepcopy(dict(get_task("risk-register").scenario().model_answer))
    plant(slots(art["risks"], "description", "owner"))
    return art


def _budget():
    art = copy.deepcopy(dict(get_task("budget").scenario().model_answer))
    plant(slots(art["lines"], "description") + slots(art["income"], "source"))
    return art


def _smart():
    art = copy.deepcopy(dict(get_task("smart-objectives").scenario().model_answer))
    plant(slots(art["objectives"], "objective", "who", "measure", "development"))
    return art


def _analysis():
    task = get_task("data-analysis")
    from npq_widgets.tasks.data_analysis.export import aggregates_for

    scenario = task.scenario("secondary-riverside")
    art = copy.deepcopy(dict(scenario.model_answer))
    art["aggregates"] = copy.deepcopy(dict(aggregates_for(art, scenario)))
    art["scenario"] = "free"  # own data: the saved aggregates, group labels and all, are what is exported
    agg = art["aggregates"]
    plant(slots(agg["groups"], "group") + slots(agg["gaps"][::-1], "group"))
    art["answers"]["justification"] = PAYLOADS[1]
    return art


CASES = {"risk-register": (_risk, True), "budget": (_budget, True), "smart-objectives": (_smart, True),
         "data-analysis": (_analysis, False)}


@pytest.mark.parametrize("task_id", list(CASES))
def test_formula_like_learner_text_is_written_as_text(task_id, tmp_path):
    build, stripped = CASES[task_id]
    out = get_task(task_id).export(build(), "xlsx", tmp_path / f"{task_id}.xlsx")
    assert_inert(load_workbook(out), [as_read(p, stripped) for p in PAYLOADS])


def test_the_exports_own_formulas_stay_formulas(tmp_path):
    out = get_task("budget").export(_budget(), "xlsx", tmp_path / "b.xlsx")
    ws = load_workbook(out)["Budget by term"]
    r = find_row(ws, 3, "Total cost")
    assert ws.cell(r, 12).data_type == "f" and ws.cell(r, 12).value.startswith("=")


@needs_libreoffice
@pytest.mark.parametrize("task_id", list(CASES))
def test_libreoffice_keeps_injected_text_inert(task_id, tmp_path):
    build, stripped = CASES[task_id]
    art = build()
    out = get_task(task_id).export(art, "xlsx", tmp_path / f"{task_id}.xlsx")
    expected = [as_read(p, stripped) for p in PAYLOADS]
    values = recalculate(out, tmp_path / "lo")
    everything = [c.value for c in cells(values)]
    for text in expected:
        assert text in everything, f"{text!r} did not survive LibreOffice's recalculation"
    # and LibreOffice saved them as text, not as formulas of its own
    assert_inert(load_workbook(tmp_path / "lo" / out.name), expected, quote_prefixed=False)
    if task_id == "budget":  # the export's own totals still compute
        totals = budget_for(art, get_task("budget").scenario()).totals()
        ws = values["Budget by term"]
        assert ws.cell(find_row(ws, 3, "Total cost"), 12).value == pytest.approx(totals.total_cost)
    if task_id == "risk-register":
        ws = values["Risk register"]
        top = find_row(ws, 1, "ID")
        assert [ws.cell(top + i, 8).value for i in (1, 2)] == [12, 9]
