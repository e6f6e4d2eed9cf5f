"""Budget builder and PD impact apps without a kernel; saved work; exports (json, xlsx) and LibreOffice recalculation."""

import copy
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from npq_widgets.apps import model_answer_view, task_app
from npq_widgets.cli import main as cli
from npq_widgets.registry import get_task
from npq_widgets.store.workbook import Workbook
from npq_widgets.tasks.budget.export import budget_for
from npq_widgets.widgets.autosave import autosave
from npq_widgets.tasks.budget.view import BudgetBuilder

from .libreoffice import find_row, needs_libreoffice, recalculate

FIXTURES = Path(__file__).parent / "fixtures"


def model(task_id):
    return copy.deepcopy(dict(get_task(task_id).scenario().model_answer))


# -- budget app ----------------------------------------------------------------------------------------------------
def test_budget_app_build_a_small_budget_by_typing():
    app = task_app("budget")
    assert app.terms == ("Spring 2027", "Summer 2027") and app.project_start.disabled
    line = app.lines.children[0]
    assert [b.children[0].value for b in line.terms_area.children][0].endswith("Weeks in Spring 2027</div>")
    line.description.value = "Maths teachers tutoring"
    line.hours.value, line.rate.value = "6", "£40"
    line.term_boxes["Spring 2027"].value = "11"
    line.term_boxes["Summer 2027"].value = "11"
    assert line.employed.value == "" and app.artefact["lines"][0]["employed"] is None  # a choice still to make
    line.employed.value = "yes"
    assert app.artefact["lines"][0]["employed"] is True
    app.on_costs.value = "43.68"
    assert "Line total: <strong>£5,280.00</strong> + £2,306.30 on-costs" in line.total.value  # 43.68% of 5,280
    assert 'npq-total-cost">£7,586.30' in app.totals_html.value
    assert 'alt="Stacked bar chart' in app.chart.value
    inc = app.income.children[0]
    inc.source.value = "Pupil premium"
    inc.term_boxes["Spring 2027"].value = "£4,000"
    inc.term_boxes["Summer 2027"].value = "4000"
    assert 'npq-balance">£413.70' in app.totals_html.value
    result = app.check()
    assert not result.passed_all and "Next hint" in app.feedback.value
    assert "There is no contingency" in app.feedback.value


def test_budget_app_category_changes_the_boxes():
    app = task_app("budget", free_build=True)
    app.project_start.value, app.project_end.value = "01/09/2026", "22/07/2027"
    assert app.terms == ("Autumn 2026", "Spring 2027", "Summer 2027")
    line = app.lines.children[0]
    line.category.value = "cover"
    assert line.rate_box in line.fixed.children and line.hours_box not in line.fixed.children
    assert "Daily rate" in line.rate_label.value
    assert "Days in Autumn 2026" in line.terms_area.children[0].children[0].value
    line.category.value = "resources"
    assert line.fixed.children == () and "Autumn 2026 (£)" in line.terms_area.children[0].children[0].value
    line.category.value = "cpd"
    assert line.release_box in line.fixed.children


def test_budget_app_money_fields_keep_text_and_say_why():
    app = task_app("budget")
    line = app.lines.children[0]
    line.rate.value = "forty"
    assert "hourly rate must be an amount such as £1,200" in line.rate_msg.value
    assert line.rate.value == "forty"
    line.hours.value = "-3"
    assert "cannot be negative" in line.hours_msg.value
    inc = app.income.children[0]
    inc.term_boxes["Spring 2027"].value = "£1.999"
    assert "more than two decimal places" in inc.term_msgs["Spring 2027"].value
    app.pupils.value = "36.5"
    assert "whole number" in app.pupils_msg.value
    app.check()
    assert "forty" in app.feedback.value and app.artefact["lines"][0]["rate"] == "forty"


def test_budget_app_add_duplicate_remove():
    app = model_answer_view("budget")
    ids = lambda: [r.line_id for r in app.lines.children]  # noqa: E731
    assert ids() == ["C1", "C2", "C3", "C4", "C5", "C6", "C7"]
    copy_ = app.duplicate_line(app.lines.children[1])
    assert ids() == ["C1", "C2", "C8", "C3", "C4", "C5", "C6", "C7"]
    assert copy_.rate.value == "£32.00" and copy_.description.value.endswith("(copy)")
    assert copy_.term_boxes["Spring 2027"].value == "11"
    assert "balance" in {i.id for i in app.check().items if not i.passed}
    copy_.remove.click()
    assert ids() == ["C1", "C2", "C3", "C4", "C5", "C6", "C7"] and app.check().passed_all
    app.add_line_button.click()
    app.add_income_button.click()
    assert ids()[-1] == "C8" and app.income.children[-1].line_id == "I3"


def test_budget_app_model_answer_passes_and_round_trips():
    app = model_answer_view("budget")
    assert app.check().passed_all
    assert app.artefact == model("budget")
    art = app.artefact
    app.load(art)
    assert app.artefact == art
    assert 'npq-cost-per-pupil">£395.57' in app.totals_html.value  # £14,240.42 / 36


def test_budget_app_term_outside_lifetime_is_kept_and_flagged():
    app = task_app("budget", free_build=True)
    art = model("budget")
    art["scenario"] = "free"
    art["lines"][5]["by_term"]["Autumn 2026"] = "£100"
    app.load(art)
    row = app.lines.children[5]
    assert "amounts for Autumn 2026, outside the project" in row.terms_msg.value
    assert app.artefact["lines"][5]["by_term"]["Autumn 2026"] == "£100"  # nothing lost
    app.project_start.value = "01/09/2026"  # widen the lifetime: the amount now has its own box
    assert row.term_boxes["Autumn 2026"].value == "£100" and row.terms_msg.value == ""


def test_budget_app_loads_junk_and_many_lines():
    app = task_app("budget")
    app.load({"lines": [{"description": "kept", "rate": "lots"}, "junk", None], "income": [3],
              "candidate": "x", "pupils": None})
    assert len(app.lines.children) == 3 and app.lines.children[0].description.value == "kept"
    assert app.check().status == "fail"
    art = model("budget")  # 100 lines in the widgets (building them costs time); the checker is tested at 500
    art["lines"] = [dict(art["lines"][i % 7], id=f"C{i + 1}") for i in range(100)]
    app.load(art)
    assert len(app.lines.children) == 100 and app.artefact["lines"] == art["lines"]


def test_budget_empty_budget_has_clear_messages():
    app = task_app("budget", free_build=True)
    app.lines.children[0].remove.click()
    app.income.children[0].remove.click()
    assert "start and end dates to see the terms" in app.totals_html.value
    result = app.check()
    assert "Nothing to check yet: add your first cost" in app.feedback.value and not result.passed_all


def test_budget_autosave_and_restore(tmp_path):
    wb = Workbook(tmp_path / "wb")
    task = get_task("budget")
    view = BudgetBuilder(task, task.scenario())
    autosave(view, "budget--y9-tutoring", workbook=wb, delay=0)  # save at once: no debounce timer
    view.candidate.value = "Alex Jones"
    view.lines.children[0].rate.value = "not yet"
    view.add_line_button.click()
    view.lines.children[1].description.value = "A second line"
    assert wb.load("budget--y9-tutoring").data == view.artefact
    again = BudgetBuilder(task, task.scenario())
    autosave(again, "budget--y9-tutoring", workbook=wb, delay=0)
    assert again.artefact == view.artefact and again.lines.children[0].rate.value == "not yet"
    assert "Your saved work is back" in again.autosave.status.value


@pytest.mark.parametrize("fixture,doc_id", [("budget-v1.json", "budget--y9-tutoring"),
                                            ("pd-impact-v1.json", "pd-impact--y9-maths-coaching")])
def test_version_1_documents_round_trip_through_store_and_view(tmp_path, fixture, doc_id):
    data = json.loads((FIXTURES / fixture).read_text())
    wb = Workbook(tmp_path / "wb")
    wb.save(doc_id, data)
    assert wb.load(doc_id).data == data
    view = task_app("budget" if fixture.startswith("budget") else "pd-impact")
    view.load(data)
    expected = copy.deepcopy(data)
    if fixture.startswith("budget"):  # the scenario's dates fill the (locked) date boxes: the project now ends 21/07
        expected["project"]["end"] = get_task("budget").scenario().data["lifetime"]["end"]
    assert view.artefact == expected
    result = view.check()
    if fixture.startswith("budget"):  # saved with the old 30% on-costs: only that figure is now out of date
        assert {i.id for i in result.items if not i.passed} == {"staffing-on-costs"}
    else:
        assert result.passed_all


# -- PD impact app -------------------------------------------------------------------------------------------------
def test_pd_app_working_shown_live_and_check():
    app = task_app("pd-impact")
    assert "Coached teachers" in app.children[1].value and "npq-pd-results" in app.children[1].value
    g1, g2 = app.groups["group1"], app.groups["group2"]
    for box, v in zip((g1["mean"], g1["sd"], g1["n"], g2["mean"], g2["sd"], g2["n"]),
                      ("102.6", "14.1", "112", "98.9", "14.9", "84")):
        box.value = v
    assert 'npq-pd-effect-size">0.26' in app.working.value and "14.45" in app.working.value
    app.cost.value, app.pupils.value = "£9,800", "112"
    assert 'npq-pd-cost-per-pupil">£87.50' in app.working.value
    app.months.value, app.band.value = "4", "low"
    result = app.check()
    assert {"effect-size", "cost", "cost-band"} <= {i.id for i in result.items if i.passed}
    assert "4 months is not what the EEF table gives" in app.feedback.value


def test_pd_app_bad_input_keeps_text():
    app = task_app("pd-impact", free_build=True)
    app.cost.value = "nine thousand"
    app.groups["group1"]["sd"].value = "-2"
    assert "must be an amount" in app.cost_msg.value and app.cost.value == "nine thousand"
    assert "must be at least 0" in app.group_msgs["group1"].value
    app.design.value = "before-after"
    assert "overstates" in app.working.value
    assert app.check().status == "fail"


def test_pd_app_model_answer_round_trip():
    app = model_answer_view("pd-impact")
    assert app.check().passed_all and app.artefact == model("pd-impact")
    app.load({"stated": {"months": "+99", "cost_band": "cheap"}, "evaluation": "x", "outcome": {"group1": 3}})
    assert app.months.value == "" and app.band.value == "" and app.check().status == "fail"


# -- exports ---------------------------------------------------------------------------------------------------------
def _cells(ws):
    return [c for row in ws.iter_rows() for c in row]


def test_budget_xlsx_totals_are_live_formulas(tmp_path):
    out = tmp_path / "b.xlsx"
    get_task("budget").export(model("budget"), "xlsx", out)
    wb = load_workbook(out)
    ws = wb["Budget by term"]
    for label in ("Employer on-costs (school's own staff × on-costs %)", "Subtotal before contingency",
                  "Contingency (subtotal × contingency %)", "Total cost", "Total funding", "Balance (funding − cost)"):
        r = find_row(ws, 3, label)
        values = [ws.cell(row=r, column=c).value for c in (9, 11, 12)]
        assert all(isinstance(v, str) and v.startswith("=") for v in values), (label, values)
        assert ws.cell(row=r, column=12).number_format.startswith('"£"#,##0.00')
    c1 = find_row(ws, 1, "C1")
    assert ws.cell(row=c1, column=9).value == f"=E{c1}*H{c1}*F{c1}"
    assert wb["Summary"]._charts and "Pupils reached" in [c.value for c in _cells(wb["Summary"])]


@needs_libreoffice
def test_libreoffice_recalculates_budget_and_pd_exports_to_the_models_figures(tmp_path):
    art = model("budget")
    art["contingency_percent"] = "7.5"  # not the model answer's figure: the formulas must follow the parameter
    b_file, p_file = tmp_path / "budget.xlsx", tmp_path / "pd.xlsx"
    get_task("budget").export(art, "xlsx", b_file)
    get_task("pd-impact").export(model("pd-impact"), "xlsx", p_file)
    totals = budget_for(art, get_task("budget").scenario()).totals()

    wb = recalculate(b_file, tmp_path / "lo-budget")
    ws = wb["Budget by term"]
    cost = find_row(ws, 3, "Total cost")
    assert ws.cell(row=cost, column=9).value == pytest.approx(totals.cost["Spring 2027"])
    assert ws.cell(row=cost, column=11).value == pytest.approx(totals.cost["Summer 2027"])
    assert ws.cell(row=cost, column=12).value == pytest.approx(totals.total_cost)
    assert ws.cell(row=find_row(ws, 3, "Employer on-costs (school's own staff × on-costs %)"),
                   column=12).value == pytest.approx(totals.total_on_costs)
    assert ws.cell(row=find_row(ws, 3, "Contingency (subtotal × contingency %)"),
                   column=12).value == pytest.approx(totals.total_contingency)
    assert ws.cell(row=find_row(ws, 3, "Balance (funding − cost)"), column=12).value == pytest.approx(totals.balance)
    sm = wb["Summary"]
    key = {sm.cell(row=r, column=1).value: sm.cell(row=r, column=2).value for r in range(1, sm.max_row + 1)}
    assert key["Total cost"] == pytest.approx(totals.total_cost)
    assert key["Total funding"] == pytest.approx(totals.total_funding)
    assert key["Balance"] == pytest.approx(totals.balance)
    assert key["Cost per pupil reached"] == pytest.approx(totals.cost_per_pupil)
    assert key["Staffing share of cost (incl. on-costs)"] == pytest.approx(totals.staffing_share)

    ws = recalculate(p_file, tmp_path / "lo-pd")["Evaluation"]
    got = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=2).value for r in range(1, ws.max_row + 1)}
    assert got["Effect size (difference in means ÷ pooled SD)"] == pytest.approx(0.256096, abs=1e-6)
    assert got["Months of additional progress (EEF)"] == 3
    assert got["Cost per pupil per year (£)"] == pytest.approx(87.5)
    assert got["EEF cost band"] == "low"


def test_cli_check_and_export_model_answers(capsys, tmp_path):
    for task in ("budget", "pd-impact"):
        out = tmp_path / f"{task}.json"
        assert cli(["export", task, "--model-answer", "--format", "json", "-o", str(out)]) == 0
        assert cli(["check", task, str(out)]) == 0
        assert cli(["export", task, str(out), "--format", "xlsx", "-o", str(tmp_path / f"{task}.xlsx")]) == 0
        bad = tmp_path / f"{task}-bad.json"
        bad.write_text(json.dumps({"task": task, "scenario": "free"}))
        assert cli(["check", task, str(bad)]) == 1
    assert "All criteria met" in capsys.readouterr().out


def test_pd_cost_can_come_from_the_saved_budget(_isolated_home):
    from npq_widgets.apps import task_app
    from npq_widgets.registry import get_task

    pd = task_app("pd-impact")
    pd.from_budget.click()
    assert "No saved budget yet" in pd.from_budget_msg.value
    budget = task_app("budget")
    budget.load(dict(get_task("budget").scenario().model_answer))
    budget.autosave.flush()
    pd.cost.value = ""
    pd.from_budget.click()
    assert pd.cost.value == "£14,240.42"  # the budget model answer's total cost, worked in test_budget_pd_domain
    assert "Cost taken from your budget “Year 9 maths tutoring programme”" in pd.from_budget_msg.value


def test_each_group_has_its_own_example():
    """The comparison group's example is not the PD group's copied (a reviewer found them identical)."""
    app = task_app("pd-impact", free_build=True)
    g1, g2 = app.groups["group1"], app.groups["group2"]
    assert all(g1[f].placeholder != g2[f].placeholder for f in ("label", "mean", "sd", "n"))
