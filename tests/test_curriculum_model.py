"""Curriculum and staffing model (NPQEL Task 2, ICFP): measures against a hand-worked example, checks with hints, the
view without a kernel, the .xlsx recalculated by LibreOffice, and the command line through the registry."""

from __future__ import annotations

import copy
import json
import re

import pytest

from npq_widgets.cli import main
from npq_widgets.registry import get_task, view_class
from npq_widgets.tasks.curriculum_model.model import (contact_flag, read_trust, school_metrics, staff_cost_flag)
from tests.libreoffice import find_row, needs_libreoffice, recalculate

TASK = "curriculum-model"

# A worked example, by hand from the DfE ICFP formulas (domain notes):
#   50 periods in the fortnight; Year 7 and Year 8, 120 pupils each → 240 pupils.
#   Each year: English 8 × 5 groups = 40, Maths 8 × 5 = 40, Science 8 × 5 = 40, Humanities 10 × 4 = 40,
#   Arts 16 × 5 = 80 → 240 periods; two years → periods to staff = 480.
#   Teachers: 10.0 FTE costing £550,000 (400 contact periods) + 2.0 FTE costing £110,000 (80) → 12.0 FTE, £660,000.
#   contact ratio = 480 / (50 × 12) = 480 / 600 = 0.80
#   PTR = 240 / 12 = 20.0;  average class size ≈ PTR / contact ratio = 20 / 0.8 = 25.0
#   average teacher cost = £660,000 / 12 = £55,000;  cost per lesson = £660,000 / 480 = £1,375
#   FTE needed at 0.78 = 480 / (50 × 0.78) = 480 / 39 = 12.3077
#   staff cost share = (£660,000 + £240,000 support) / £1,200,000 income = 0.75 (75%)
SUBJECTS = (("English", 8, 5), ("Maths", 8, 5), ("Science", 8, 5), ("Humanities", 10, 4), ("Arts", 16, 5))
WORKED = {
    "id": "HILL", "name": "Hill School", "periods_per_cycle": "50", "income": "£1,200,000",
    "support_staff_cost": "£240,000",
    "year_groups": [{"year": "Year 7", "pupils": "120"}, {"year": "Year 8", "pupils": "120"}],
    "curriculum": [{"year": y, "subject": s, "periods": str(p), "groups": str(g)}
                   for y in ("Year 7", "Year 8") for s, p, g in SUBJECTS],
    "teachers": [{"role": "Full-time teachers", "fte": "10", "cost": "£550,000", "contact_periods": "400"},
                 {"role": "Part-time teachers", "fte": "2.0", "cost": "110000", "contact_periods": "80"}],
}


def _worked(**extra):
    return {"task": TASK, "scenario": "free", "schools": [copy.deepcopy(WORKED)], **extra}


def test_icfp_measures_match_the_hand_worked_example():
    trust = read_trust(_worked())
    assert trust.problems == ()
    m = school_metrics(trust.schools[0], 0.78)
    assert m.pupils == 240 and m.periods_to_staff == 480 and m.fte_held == 12.0 and m.teaching_cost == 660_000
    assert m.contact_capacity == 480
    assert m.contact_ratio == pytest.approx(0.80)
    assert m.ptr == pytest.approx(20.0)
    assert m.average_class_size == pytest.approx(25.0)
    assert m.average_teacher_cost == pytest.approx(55_000)
    assert m.cost_per_lesson == pytest.approx(1_375)
    assert m.fte_needed == pytest.approx(480 / 39) and round(m.fte_needed, 2) == 12.31
    assert m.fte_gap == pytest.approx(12 - 480 / 39)
    assert m.staff_cost_share == pytest.approx(0.75)


def test_a_what_if_gives_the_difference_in_fte_and_cost_by_hand():
    # Year 8 Arts from 5 groups to 4: Δperiods = 16 × (4 − 5) = −16; ΔFTE = −16 / 39 = −0.4103;
    # Δcost = −16/39 × £55,000 = −£22,564.10; largest changed group = 120 / 4 = 30 pupils.
    art = _worked(scenarios=[{"id": "W1", "title": "Arts in fours", "changes": [
        {"school": "HILL", "year": "Year 8", "subject": "Arts", "groups": "4"}]}])
    trust = read_trust(art)
    (diff,), unmatched = trust.compare(trust.whatifs[0], 0.78)
    assert unmatched == []
    assert diff.periods == -16 and diff.after.periods_to_staff == 464
    assert diff.fte == pytest.approx(-16 / 39) and round(diff.fte, 4) == -0.4103
    assert diff.cost == pytest.approx(-16 / 39 * 55_000) and round(diff.cost, 2) == -22_564.10
    assert diff.largest_class == 30


@pytest.mark.parametrize("ratio,flag", [(0.72, "below"), (0.749, "below"), (0.75, "around"), (0.78, "around"),
                                        (0.81, "around"), (0.8196, "above"), (None, "")])
def test_contact_ratio_flag_against_the_target(ratio, flag):
    assert contact_flag(ratio, 0.78, 0.03) == flag


@pytest.mark.parametrize("share,flag", [(0.8414, "high"), (0.80, "not-high"), (0.7743, "not-high"), (None, "")])
def test_staff_cost_flag_above_80_percent_of_income(share, flag):
    assert staff_cost_flag(share, 80) == flag


def test_unreadable_figures_are_problems_not_errors():
    art = _worked()
    art["schools"][0]["teachers"][0]["fte"] = "ten"
    art["schools"][0]["income"] = "lots"
    trust = read_trust(art)
    assert {p.field for p in trust.problems} == {"teachers:1:fte", "income"}
    result = get_task(TASK).check(art)
    assert {i.id: i.passed for i in result.items}["readable"] is False


def test_figures_carry_their_sources():
    fig = get_task(TASK).figures
    assert fig.contact_ratio_target.value == 0.78 and "ICFP" in fig.contact_ratio_target.source
    assert fig.staff_cost_high_percent.value == 80 and "80% of income" in fig.staff_cost_high_percent.source


# -- checks on the three-school trust ---------------------------------------------------------------------------------
def _model():
    task = get_task(TASK)
    return task, task.scenarios[0], copy.deepcopy(dict(task.scenarios[0].model_answer))


def test_the_model_answer_passes_and_the_trust_is_marked_synthetic():
    task, sc, art = _model()
    result = task.check(art)
    assert result.status == "pass", repr(result)
    assert all("(synthetic)" in s["name"] for s in sc.data["schools"])
    assert any("Synthetic" in s for s in sc.sources)


def _items(result):
    return {i.id: i for i in result.items}


def test_a_wrong_flag_fails_with_graduated_hints():
    task, sc, art = _model()
    art["answers"]["flags"]["MOO"]["contact"] = "around"
    first, second = task.check(art, attempt=1), task.check(art, attempt=2)
    item = _items(first)["flags"]
    assert not item.passed and "Moorside" in item.message
    assert first.hint != second.hint and "below" not in first.hint
    assert "below" not in item.message  # the answer is never given


def test_a_what_if_with_a_group_above_30_does_not_meet_the_target():
    task, sc, art = _model()
    art["scenarios"] = [{"id": "W1", "title": "Too big", "changes": [
        {"school": "MOO", "year": "Year 7", "subject": "Other subjects", "groups": "5"}]}]  # 180 / 5 = 36 pupils
    item = _items(task.check(art))["target"]
    assert not item.passed and "30 pupils or fewer" in item.message


def test_a_what_if_saving_too_little_is_told_how_much():
    task, sc, art = _model()
    art["scenarios"] = [art["scenarios"][1]]  # the shared Year 11 options: 18 + 18 periods → 36 / 39 = 0.92 FTE
    item = _items(task.check(art))["target"]
    assert not item.passed and "0.92 FTE" in item.message


def test_changing_the_current_position_is_caught():
    task, sc, art = _model()
    art["schools"][0]["teachers"][2]["fte"] = "30.0"
    item = _items(task.check(art))["as-brief"]
    assert not item.passed and "Moorside" in item.message


def test_a_change_to_a_row_that_does_not_exist_is_named():
    task, sc, art = _model()
    art["scenarios"][0]["changes"].append({"school": "MOO", "year": "Year 12", "subject": "Physics", "groups": "1"})
    item = _items(task.check(art))["what-if"]
    assert not item.passed and "Year 12 Physics" in item.message


def test_free_build_checks_the_worked_school():
    task = get_task(TASK)
    art = _worked(scenarios=[{"id": "W1", "title": "Arts in fours", "changes": [
        {"school": "HILL", "year": "Year 8", "subject": "Arts", "groups": "4"}]}],
        answers={"flags": {"HILL": {"contact": "around", "staff_cost": "not-high"}},
                 "recommendation": "Hill School's contact ratio is 0.80 " + "and the plan is sound " * 15})
    result = task.check(art)
    assert result.status == "pass", repr(result)
    assert "as-brief" not in _items(result) and "target" not in _items(result)


# -- the view, without a kernel ---------------------------------------------------------------------------------------
def test_the_view_models_a_what_if_and_checks():
    task, sc, _ = _model()
    view = view_class(task)(task, sc)
    assert len(view.schools_box.children) == 3  # the brief's schools, loaded
    assert "0.722" in view.measures.value and "⚠ high" in view.measures.value
    for box, (contact, staff) in zip(view.flags_box.children, [("below", "high"), ("around", "not-high"),
                                                             ("above", "not-high")]):
        box.dropdowns[0].value, box.dropdowns[1].value = contact, staff
    wi = view.add_whatif({})
    wi.title.value = "Moorside KS3 humanities in 30s"
    for year in ("Year 7", "Year 8", "Year 9"):
        row = wi.changes.add({})
        row.boxes["school"].value, row.boxes["year"].value = "MOO", year
        row.boxes["subject"].value, row.boxes["groups"].value = "Humanities", "6"
    assert "-0.62" in view.comparison.value  # 3 × 8 periods = 24 / 39 = 0.615 FTE fewer
    result = view.check()
    assert _items(result)["flags"].passed and not _items(result)["target"].passed
    assert "Not yet" in view.feedback.value
    view.draw_charts()
    alts = re.findall(r'alt="([^"]+)"', view.charts.value)
    assert len(alts) == 3 and alts[0].startswith("Bar chart for Moorside Academy (synthetic): teacher FTE")


def test_bad_input_in_the_view_is_a_message_not_a_traceback():
    task = get_task(TASK)
    view = view_class(task)(task, None)
    view.schools_box.children[0].boxes["income"].value = "a lot"
    assert "income" in view.measures.value and "npq-msg-error" in view.measures.value


# -- the .xlsx, recalculated ------------------------------------------------------------------------------------------
@needs_libreoffice
def test_the_xlsx_recalculates_to_the_apps_figures(tmp_path):
    task, sc, art = _model()
    out = task.export(art, "xlsx", tmp_path / "cm.xlsx")
    wb = recalculate(out, tmp_path / "lo")
    ws = wb["Schools"]
    trust = read_trust(art)
    metrics = trust.metrics(0.78)
    rows = [r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Teacher contact ratio"]
    assert len(rows) == 3
    for school, r in zip(trust.schools, rows):
        m = metrics[school.id]
        got = {ws.cell(i, 1).value: ws.cell(i, 2).value for i in range(r - 5, r + 9)}
        assert got["Periods to staff (periods × groups)"] == m.periods_to_staff
        assert got["Teacher FTE held"] == pytest.approx(m.fte_held)
        assert got["Teacher FTE needed at the target contact ratio"] == pytest.approx(m.fte_needed)
        assert got["Teacher contact ratio"] == pytest.approx(m.contact_ratio)
        assert got["Pupil–teacher ratio"] == pytest.approx(m.ptr)
        assert got["Average class size (PTR ÷ contact ratio)"] == pytest.approx(m.average_class_size)
        assert got["Average teacher cost"] == pytest.approx(m.average_teacher_cost)
        assert got["Cost per lesson (yearly cost of one period a cycle)"] == pytest.approx(m.cost_per_lesson)
        assert got["Staff cost as a share of income"] == pytest.approx(m.staff_cost_share)
        assert got["Contact ratio against the target"] == contact_flag(m.contact_ratio, 0.78, 0.03)
        assert got["Staff cost against the benchmark"] == staff_cost_flag(m.staff_cost_share, 80).replace("-", " ")
    wi = wb["What-if scenarios"]
    totals = [r for r in range(1, wi.max_row + 1) if wi.cell(r, 1).value == "Whole trust"]
    for w, r in zip(trust.whatifs, totals):
        diffs, _ = trust.compare(w, 0.78)
        assert wi.cell(r, 6).value == pytest.approx(sum(d.fte for d in diffs))
        assert wi.cell(r, 8).value == pytest.approx(sum(d.cost for d in diffs))
    assert wi.cell(totals[0], 6).value == pytest.approx(-60 / 39)  # 3 × 8 + 36 periods fewer


def test_the_xlsx_keeps_formulas_live(tmp_path):
    from openpyxl import load_workbook

    task, sc, art = _model()
    ws = load_workbook(task.export(art, "xlsx", tmp_path / "cm.xlsx"))["Schools"]
    r = find_row(ws, 1, "Teacher contact ratio")
    assert str(ws.cell(r, 2).value).startswith("=IF(") and "$B$" in ws.cell(r, 2).value


# -- the command line, through the registry -----------------------------------------------------------------------------
def test_cli_check_and_export(capsys, tmp_path):
    _, _, art = _model()
    f = tmp_path / "work.json"
    f.write_text(json.dumps(art))
    assert main(["check", TASK, str(f)]) == 0
    assert "All criteria met" in capsys.readouterr().out
    art["answers"]["recommendation"] = "Too short."
    f.write_text(json.dumps(art))
    assert main(["check", TASK, str(f)]) == 1
    capsys.readouterr()
    out = tmp_path / "cm.xlsx"
    assert main(["export", TASK, "--model-answer", "--format", "xlsx", "-o", str(out)]) == 0
    assert out.exists() and out.stat().st_size > 5000
    assert main(["tasks"]) == 0 and TASK in capsys.readouterr().out


def test_v1_fixture_checks():
    from pathlib import Path

    art = json.loads((Path(__file__).parent / "fixtures" / "curriculum-model-v1.json").read_text())
    assert art["schema_version"] == 1
    assert get_task(TASK).check(art).status == "pass"
