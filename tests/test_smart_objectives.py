"""SMART objectives: reading typed values, each rule, graduated hints, the widget without a kernel, exports."""

import copy
import datetime as dt
import json

import pytest
from hypothesis import given, strategies as st

from npq_widgets.tasks.smart_objectives.checks import check_smart
from npq_widgets.tasks.smart_objectives.model import read_plan
from npq_widgets.domain.values import ValueProblem, parse_number, parse_uk_date, word_count
from npq_widgets.registry import get_task


@pytest.fixture(scope="module")
def task():
    return get_task("smart-objectives")


@pytest.fixture
def model(task):
    return copy.deepcopy(dict(task.scenario().model_answer))


# -- values --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text,expected", [("54", 54), ("54%", 54), (" 1,200.5 ", 1200.5), (7, 7), ("-3", -3),
                                           ("0.25", 0.25)])
def test_parse_number(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["", "  ", "lots", "12a", "1,20", "£", "nan", True, float("inf"), "1.2.3"])
def test_parse_number_rejects_with_a_plain_message(text):
    with pytest.raises(ValueProblem) as err:
        parse_number(text, what="The target")
    assert str(err.value).startswith("The target")


@pytest.mark.parametrize("text,expected", [("24/03/2027", dt.date(2027, 3, 24)), ("1/9/26", dt.date(2026, 9, 1)),
                                           ("2027-03-24", dt.date(2027, 3, 24)), ("24.03.2027", dt.date(2027, 3, 24))])
def test_parse_uk_date(text, expected):
    assert parse_uk_date(text) == expected


@pytest.mark.parametrize("text", ["", "31/02/2027", "next March", "03/24/2027"])
def test_parse_uk_date_rejects(text):
    with pytest.raises(ValueProblem):
        parse_uk_date(text)


@given(st.text(max_size=30))
def test_parse_number_never_raises_anything_but_value_problem(text):
    try:
        parse_number(text)
    except ValueProblem:
        pass


def test_word_count():
    assert word_count("Sam will use hinge-questions, every lesson.") == 6
    assert word_count("") == 0


# -- checks -----------------------------------------------------------------------------------------------
def test_model_answer_passes(task, model):
    result = task.check(model)
    assert result.passed_all, repr(result)
    assert [i.id for i in result.items] == ["count", "specific", "measurable", "achievable", "relevant",
                                            "time-bound", "development"]
    assert result.hint is None


def _item(result, rule):
    return {i.id: i for i in result.items}[rule]


def test_too_few_objectives(task, model):
    model["objectives"] = model["objectives"][:1]
    r = task.check(model)
    assert not _item(r, "count").passed and "at least 2" in _item(r, "count").message
    assert not _item(r, "relevant").passed  # the second priority is now uncovered
    assert "Checking the understanding" in _item(r, "relevant").message


def test_measurable_reports_unreadable_numbers(task, model):
    model["objectives"][0]["target"] = "lots more"
    r = task.check(model)
    assert not _item(r, "measurable").passed
    assert "Objective 1's target must be a number" in _item(r, "measurable").message


def test_achievable_limits_a_years_change(task, model):
    model["objectives"][0]["target"] = "95%"  # 48% -> 95% is 47 points
    r = task.check(model)
    assert not _item(r, "achievable").passed
    assert "25 percentage points" in _item(r, "achievable").message
    model["objectives"][0]["target"] = "120%"
    assert "between 0 and 100" in _item(task.check(model), "achievable").message


def test_deadline_outside_window(task, model):
    model["objectives"][1]["deadline"] = "01/09/2027"
    r = task.check(model)
    item = _item(r, "time-bound")
    assert not item.passed and item.message.startswith("Objective 2:")
    assert "01/09/2026 and 16/07/2027" in item.message


def test_bad_deadline_text(task, model):
    model["objectives"][0]["deadline"] = "end of June"
    assert "is not a date" in _item(task.check(model), "time-bound").message


def test_vague_objective_not_specific(task, model):
    model["objectives"][1]["objective"] = "Improve questioning."
    model["objectives"][1]["who"] = ""
    assert not _item(task.check(model), "specific").passed


def test_development_needed(task, model):
    model["objectives"][0]["development"] = "CPD"
    item = _item(task.check(model), "development")
    assert not item.passed and "Objective 1" in item.message


def test_hints_graduate_with_attempts(task, model):
    model["objectives"][0]["target"] = "95%"
    hints = [task.check(model, attempt=n).hint for n in (1, 2, 3, 4)]
    assert hints[0] != hints[1] != hints[2]
    assert hints[3] == hints[2]
    assert all("65" not in h for h in hints)  # never the answer


def test_free_build_has_no_scenario_rules(task, model):
    model["scenario"] = "free"
    model["objectives"] = model["objectives"][:1]
    model["objectives"][0]["priority"] = "Reading in KS3"
    model["objectives"][0]["deadline"] = "01/01/2030"
    assert task.check(model).passed_all


@pytest.mark.parametrize("artefact,expected", [
    ([1, 2], "error"), ("text", "error"), ({"objectives": "none"}, "error"), ({"task": "budget"}, "error"),
    ({"scenario": "no-such"}, "error"), ({}, "fail"), ({"objectives": [None, 5]}, "fail"),
    ({"objectives": [{"baseline": {"x": 1}, "deadline": 12}]}, "fail"),
])
def test_malformed_input_never_raises(task, artefact, expected):
    assert task.check(artefact).status == expected


@given(st.lists(st.dictionaries(st.sampled_from(["objective", "who", "baseline", "target", "deadline",
                                                  "priority", "measure", "development"]),
                                st.one_of(st.text(max_size=15), st.integers(), st.none(), st.floats())),
                max_size=4))
def test_property_check_is_total_and_deterministic(objectives):
    art = {"task": "smart-objectives", "scenario": "y8-english-reading", "objectives": objectives}
    task = get_task("smart-objectives")
    a, b = task.check(art, attempt=2), task.check(art, attempt=2)
    assert a == b and a.status in ("pass", "fail")


def test_read_plan_marks_percentages(model):
    plan = read_plan(model)
    assert plan.objectives[0].percent and plan.objectives[0].baseline == 48


# -- exports ------------------------------------------------------------------------------------------------
def test_export_xlsx_carries_candidate_criteria_and_date(task, model, tmp_path):
    from openpyxl import load_workbook

    out = task.export(model, "xlsx", tmp_path / "s.xlsx")
    ws = load_workbook(out).active
    header = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, 6)}
    assert header["Candidate"] == "Model answer"
    assert header["Qualification"].startswith("National Professional Qualification for Middle Leadership")
    assert header["Criteria evidenced"].startswith("6.1.1 Assesses individuals")
    assert dt.datetime.strptime(header["Exported"], "%d/%m/%Y")
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=8)]
    assert len(rows) == 2 and rows[0][5] == "48%" and rows[0][6] == "65%"
    assert rows[1][7].date() == dt.date(2027, 3, 26)


def test_export_json_round_trip(task, model, tmp_path):
    out = task.export(model, "json", tmp_path / "s.json")
    assert json.loads(out.read_text()) == model


# -- widget, no kernel ----------------------------------------------------------------------------------------
def test_widget_fill_in_check_and_download(task, model):
    from npq_widgets.apps import task_app

    app = task_app("smart-objectives")
    assert len(app.cards.children) == 2
    for card, data in zip(app.cards.children, model["objectives"]):
        card.value = data
    app.candidate.value = "Alex Jones"
    result = app.check()
    assert result.passed_all
    assert "All criteria met" in app.feedback.value
    app.prepare_download()
    assert 'download="smart-objectives.xlsx"' in app.download.value


def test_widget_bad_number_message_keeps_text(task):
    from npq_widgets.apps import task_app

    app = task_app("smart-objectives")
    card = app.cards.children[0]
    card.target.value = "about 60"
    assert "must be a number" in card.target_msg.value
    assert card.target.value == "about 60"  # never discarded
    card.target.value = "60%"
    assert card.target_msg.value == ""
    card.deadline.value = "31/02/2027"
    assert "does not exist" in card.deadline_msg.value


def test_widget_add_remove_renumber_and_hints(task):
    from npq_widgets.apps import task_app

    app = task_app("smart-objectives")
    app.add_button.click()
    assert len(app.cards.children) == 3
    app.cards.children[0].remove.click()
    assert [c.number for c in app.cards.children] == [1, 2]
    app.check_button.click()
    assert "Nothing to check yet: write your first objective" in app.feedback.value  # blank cards: one message
    app.cards.children[0].who.value = "Sam Patel"
    app.check_button.click()
    first = app.feedback.value
    app.check_button.click()
    assert "Next hint" in first and app.feedback.value != first  # second attempt, next hint


def test_widget_load_round_trip(model):
    from npq_widgets.apps import task_app

    app = task_app("smart-objectives")
    app.load(model)
    assert app.artefact["objectives"] == model["objectives"]
    assert app.candidate.value == "Model answer"


def test_widget_escapes_learner_text():
    from npq_widgets.apps import task_app

    app = task_app("smart-objectives")
    app.cards.children[0].objective.text.value = "<script>alert(1)</script>"
    app.check()
    assert "<script>alert" not in app.feedback.value


def test_free_build_widget_uses_text_priority():
    from npq_widgets.apps import task_app

    app = task_app("smart-objectives", free_build=True)
    assert app.artefact["scenario"] == "free"
    app.cards.children[0].priority.value = "Attendance"
    assert app.artefact["objectives"][0]["priority"] == "Attendance"
