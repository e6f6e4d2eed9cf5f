"""Risk register and project plan apps without a kernel; exports (json, xlsx) and LibreOffice recalculation."""

import copy
import json
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from npq_widgets.apps import model_answer_view, task_app
from npq_widgets.cli import main as cli
from npq_widgets.registry import get_task

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def model(task_id):
    return copy.deepcopy(dict(get_task(task_id).scenario().model_answer))


# -- risk register app -------------------------------------------------------------------------------------------
def test_risk_app_fill_in_check_and_heat_map():
    app = task_app("risk-register")
    row = app.form  # the form edits the risk chosen in the table: the first, in a new register
    assert app.chosen == 0 and row.risk_id == "R1"
    assert [o[0] for o in row.likelihood.options][4] == "4 — likely"
    before = app.heat_map.value
    row.description.value = "A tutor is absent through sickness"
    row.category.value = "staffing"
    row.likelihood.value, row.impact.value = 4, 4
    assert "Score: 16 — Red" in row.score.value
    assert app.risks[0]["likelihood"] == 4 and "16 — Red" in app.table.table.value
    assert "1 red" in app.summary.value and app.heat_map.value != before and 'alt="Risk heat map' in app.heat_map.value
    result = app.check()
    assert not result.passed_all and "Next hint" in app.feedback.value
    assert "1 of the 5 key risks" in app.feedback.value


def test_risk_app_model_answer_passes_and_round_trips():
    app = model_answer_view("risk-register")
    assert app.check().passed_all
    art = app.artefact
    assert json.loads(json.dumps(art)) == art and art["schema_version"] == 1
    app.load(art)
    assert app.artefact == art
    fresh = task_app("risk-register")
    fresh.load(art)
    assert fresh.artefact == art


def test_risk_app_add_remove_reorder_sort():
    app = task_app("risk-register")
    app.load(model("risk-register"))
    ids = lambda: [r["id"] for r in app.risks]  # noqa: E731
    app.add_button.click()
    assert ids()[-1] == "R7" and app.form.risk_id == "R7"  # the new risk is open in the form
    app.form.remove.click()
    app.table.menu.value = 1  # choose R2 from the menu of the rows shown
    assert app.form.risk_id == "R2"
    app.form.up.click()
    assert ids()[:2] == ["R2", "R1"] and app.form.risk_id == "R2"
    app.form.up.click()  # already first: nothing happens
    assert ids()[:2] == ["R2", "R1"]
    app.sort_button.click()
    assert ids() == ["R4", "R1", "R3", "R5", "R2", "R6"]
    assert app.form.risk_id == "R2"  # the risk being edited stays in the form


def test_risk_app_bad_input_keeps_text_and_says_why():
    app = task_app("risk-register")
    row = app.form
    row.review_date.value = "31/02/2027"
    assert "does not exist in the calendar" in row.review_msg.value
    assert row.review_date.value == "31/02/2027"
    app.check()
    assert "does not exist" in app.feedback.value


def test_risk_app_free_build_dates_in_wrong_order():
    app = task_app("risk-register", free_build=True)
    app.project_start.value = "21/07/2027"
    app.project_end.value = "02/11/2026"
    assert "before it starts" in app.lifetime_msg.value
    assert app.artefact["scenario"] == "free"


def test_risk_app_loads_junk_without_losing_rows():
    app = task_app("risk-register")
    app.load({"risks": [{"description": "kept", "likelihood": "lots"}, "junk", None], "candidate": "x"})
    assert len(app.risks) == 3 and app.risks[0]["description"] == "kept"
    assert app.form.description.value == "kept" and app.form.likelihood.value == 0


def test_risk_app_many_rows():
    # 500 rows: the table shows a page of 25 and one form edits the chosen row, so no widgets are built per row
    art = model("risk-register")
    art["risks"] = [dict(art["risks"][i % 6], id=f"R{i + 1}") for i in range(500)]
    app = task_app("risk-register")
    app.load(art)
    assert len(app.risks) == 500 and "500 risks" in app.summary.value
    assert app.artefact["risks"] == [app.form.value] + app.artefact["risks"][1:]
    assert app.check().passed_all


# -- project plan app --------------------------------------------------------------------------------------------
def test_plan_app_add_tasks_pick_dependency_and_gantt():
    app = task_app("project-plan")
    first = app.form
    first.name.value = "Analyse the data"
    first.start.value, first.end.value = "02/11/2026", "20/11/2026"
    app.add_button.click()
    second = app.form
    assert second.task_id == "T2" and app.tasks[0]["name"] == "Analyse the data"
    assert ("T1 Analyse the data", "T1") in list(second.depends_on.options)
    second.name.value = "Train the tutors"
    second.start.value, second.end.value = "10/11/2026", "30/11/2026"
    second.depends_on.value = ("T1",)
    assert "Critical path:</strong> T1 → T2" in app.summary.value
    assert 'alt="Gantt chart of 2 tasks' in app.gantt.value
    res = app.check()
    assert "T2 starts 10/11/2026 before T1 ends 20/11/2026" in app.feedback.value and not res.passed_all


def test_plan_app_model_answer_round_trip_and_remove():
    app = model_answer_view("project-plan")
    assert app.check().passed_all
    art = app.artefact
    app.load(art)
    assert app.artefact == art
    app.table.choose(4)
    app.form.remove.click()  # T5, which T7 depends on: the dependency stays visible, marked
    assert [t["id"] for t in app.tasks] == ["T1", "T2", "T3", "T4", "T6", "T7", "T8", "T9", "T10", "T11"]
    app.table.choose(next(i for i, t in enumerate(app.tasks) if t["id"] == "T7"))
    t7 = app.form
    assert t7.task_id == "T7" and "T5" in t7.depends_on.value
    assert ("T5 (not in the plan)", "T5") in list(t7.depends_on.options)
    assert "dependencies" in {i.id for i in app.check().items if not i.passed}


def test_plan_app_cycle_shown_not_raised():
    app = task_app("project-plan")
    app.load(model("project-plan"))
    app.form.depends_on.value = ("T11",)  # the form shows T1
    assert "circle" in app.summary.value


def test_plan_app_bad_dates():
    app = task_app("project-plan", free_build=True)
    row = app.form
    row.start.value = "next week"
    assert "is not a date" in row.start_msg.value and row.start.value == "next week"


# -- exports -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("task_id", ["risk-register", "project-plan"])
def test_cli_check_export_model_answer(task_id, tmp_path, capsys):
    out_json, out_xlsx = tmp_path / "m.json", tmp_path / "m.xlsx"
    assert cli(["export", task_id, "--model-answer", "--format", "json", "-o", str(out_json)]) == 0
    assert cli(["check", task_id, str(out_json)]) == 0
    assert cli(["export", task_id, str(out_json), "--format", "xlsx", "-o", str(out_xlsx)]) == 0
    assert load_workbook(out_xlsx).sheetnames[0] in ("Risk register", "Plan")


def _header_row(ws, first):
    return next(r for r in range(1, 20) if ws.cell(row=r, column=1).value == first)


def test_risk_xlsx_has_live_formulas(tmp_path):
    out = tmp_path / "r.xlsx"
    get_task("risk-register").export(model("risk-register"), "xlsx", out)
    ws = load_workbook(out)["Risk register"]
    top = _header_row(ws, "ID")
    assert ws.cell(row=top, column=8).value == "Score" and ws.cell(row=top, column=9).value == "RAG"
    assert str(ws.cell(row=top + 1, column=8).value).startswith("=") and "F" in ws.cell(row=top + 1, column=8).value
    assert str(ws.cell(row=top + 1, column=15).value).startswith("=")
    assert "Scales!$B$3" in ws.cell(row=top + 1, column=9).value


def _recalculate(src, outdir):
    """LibreOffice headless opens the file, recalculates and saves a copy (with cached values) as xlsx."""
    outdir.mkdir()
    subprocess.run([SOFFICE, "--headless", "--norestore", f"-env:UserInstallation=file://{outdir}/profile",
                    "--convert-to", "xlsx", "--outdir", str(outdir), str(src)], check=True, capture_output=True,
                   timeout=180)
    return load_workbook(outdir / src.name, data_only=True)


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: ./workbook test installs "
                                            "Debian's libreoffice-calc-nogui")
def test_libreoffice_opens_and_recalculates_both_exports(tmp_path):
    reg_file, plan_file = tmp_path / "risk.xlsx", tmp_path / "plan.xlsx"
    risk_art = model("risk-register")
    risk_art["risks"][0]["residual_likelihood"] = 3  # 3 × 2 = 6: residual amber
    get_task("risk-register").export(risk_art, "xlsx", reg_file)
    get_task("project-plan").export(model("project-plan"), "xlsx", plan_file)

    ws = _recalculate(reg_file, tmp_path / "lo-risk")["Risk register"]
    top = _header_row(ws, "ID")
    got = [(ws.cell(row=top + i, column=8).value, ws.cell(row=top + i, column=9).value,
            ws.cell(row=top + i, column=15).value, ws.cell(row=top + i, column=16).value) for i in range(1, 7)]
    assert got == [(12, "Amber", 6, "Amber"), (9, "Amber", 4, "Green"), (12, "Amber", 4, "Green"),
                   (15, "Red", 4, "Green"), (10, "Amber", 4, "Green"), (4, "Green", 2, "Green")]

    wb = _recalculate(plan_file, tmp_path / "lo-plan")
    ws = wb["Plan"]
    top = _header_row(ws, "ID")
    days = [ws.cell(row=top + i, column=7).value for i in range(1, 12)]
    assert days == [19, 1, 18, 19, 5, 5, 75, 1, 75, 16, 1]
    assert ws.cell(row=top + 13, column=7).value == 262  # 02/11/2026 to 21/07/2027 inclusive
    assert "Gantt" in wb.sheetnames


# -- float (issue 12) --------------------------------------------------------------------------------------------
WAITING_GAP = [  # T2 waits for T1 but cannot start before 01/10/2025: T1 has 17 working days of float
    {"id": "T1", "name": "Audit", "owner": "A", "stage": "explore", "start": "01/09/2025", "end": "05/09/2025"},
    {"id": "T2", "name": "Train", "owner": "B", "stage": "prepare", "start": "01/10/2025", "end": "10/10/2025",
     "depends_on": ["T1"]},
    {"id": "T3", "name": "Survey", "owner": "C", "stage": "explore", "start": "01/09/2025", "end": "09/10/2025"},
]


def test_plan_app_shows_each_tasks_float():
    app = task_app("project-plan")
    art = dict(app.artefact, tasks=WAITING_GAP)
    app.load(art)
    assert "Critical path:</strong> T2 (10 days)" in app.summary.value
    floats = []
    for i in range(3):
        app.table.choose(i)
        floats.append(app.form.float_info.value)
    assert "Float: 17 working days" in floats[0] and "critical" in floats[1] and "Float: 1 working day " in floats[2]
    assert "<td>17</td>" in app.table.table.value and "<td>0 — critical</td>" in app.table.table.value
    assert "Critical path: T2." in app.gantt.value


def test_plan_xlsx_has_a_float_column(tmp_path):
    out = tmp_path / "plan.xlsx"
    get_task("project-plan").export(dict(model("project-plan"), tasks=WAITING_GAP), "xlsx", out)
    ws = load_workbook(out)["Plan"]
    top = _header_row(ws, "ID")
    assert ws.cell(row=top, column=11).value == "Float (working days)"
    got = [(ws.cell(row=top + i, column=1).value, ws.cell(row=top + i, column=10).value,
            ws.cell(row=top + i, column=11).value) for i in (1, 2, 3)]
    assert got == [("T1", "No", 17), ("T2", "Yes", 0), ("T3", "No", 1)]
