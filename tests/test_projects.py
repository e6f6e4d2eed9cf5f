"""One project, one story (issue 12): every task whose scenario names a project file tells the same facts."""

import copy

import pytest

from npq_widgets.contract import TaskError
from npq_widgets.registry import all_tasks, flat_facts, get_task, project_facts
from npq_widgets.tasks.project_plan.model import read_project_plan

PROJECT = "oakfield-tutoring"


def scenarios_of(project_id):
    return [(t.id, sc) for t in all_tasks() for sc in t.scenarios if sc.data.get("project_facts", {}).get("id")
            == project_id]


def test_the_tutoring_project_is_shared_by_plan_risk_register_and_budget():
    assert {tid for tid, _ in scenarios_of(PROJECT)} == {"project-plan", "risk-register", "budget", "project-account",
                                                      "pupil-performance"}


@pytest.mark.parametrize("tid", ["project-plan", "risk-register", "budget"])
def test_each_brief_tells_the_projects_facts(tid):
    facts = project_facts(PROJECT)
    sc = dict(scenarios_of(PROJECT))[tid]
    assert "${" not in sc.brief and sc.data["project_facts"] == facts
    for fact in (f"{facts['pupils']} disadvantaged pupils", facts["dates"]["project_start"],
                 facts["dates"]["project_end"], facts["staffing"]["model"], facts["school"]):
        assert fact in " ".join(sc.brief.split()), (tid, fact)
    assert "non-contact" not in sc.brief  # the teachers are paid as additional hours, in every task


def test_each_tasks_data_and_model_answer_agree_with_the_project():
    facts = project_facts(PROJECT)
    dates, staff = facts["dates"], facts["staffing"]
    sc = dict(scenarios_of(PROJECT))
    risk = sc["risk-register"]
    assert risk.data["lifetime"] == {"start": dates["project_start"], "end": dates["project_end"]}
    assert {k: risk.model_answer["project"][k] for k in ("start", "end")} == risk.data["lifetime"]

    plan = read_project_plan(sc["project-plan"].model_answer)
    first, last = plan.span()
    assert (first.strftime("%d/%m/%Y"), last.strftime("%d/%m/%Y")) == (dates["project_start"], dates["project_end"])
    sessions = [t for t in plan.tasks if "tutoring sessions" in t.name]
    assert sessions[0].start.strftime("%d/%m/%Y") == dates["sessions_start"]
    assert [((t.end - t.start).days + 3) // 7 for t in sessions] == [facts["weeks_per_term"]] * 2  # Mon–Fri weeks

    budget = sc["budget"]
    assert budget.data["lifetime"] == {"start": dates["spring_start"], "end": dates["project_end"]}
    assert budget.data["pupils"] == facts["pupils"] == int(budget.model_answer["pupils"])
    groups = {g["id"]: g for g in budget.data["staff"]}
    for key in ("teachers", "agency"):
        assert (groups[key]["rate"], groups[key]["own_staff"]) == (staff[key]["rate"], staff[key]["own_staff"])
    lines = budget.model_answer["lines"]
    for line, key in ((lines[0], "teachers"), (lines[1], "agency")):
        assert float(line["rate"].lstrip("£")) == staff[key]["rate"]
        assert float(line["hours_per_week"]) == staff[key]["count"] * staff[key]["hours_per_week"]
        assert line["employed"] is staff[key]["own_staff"]
        assert set(map(float, line["by_term"].values())) == {facts["weeks_per_term"]}
    pp = budget.model_answer["income"][0]
    assert pp["source"].lower() == facts["funding"]["source"]
    assert {float(v.lstrip("£").replace(",", "")) for v in pp["by_term"].values()} == {facts["funding"]["per_term"]}


def test_facts_are_named_for_briefs():
    names = flat_facts({"staffing": {"teachers": {"rate": 40, "count": 2}}, "title": "T"})
    assert names == {"staffing_teachers_rate": "40", "staffing_teachers_rate_gbp": "£40.00",
                     "staffing_teachers_count": "2", "staffing_teachers_count_gbp": "£2.00",
                     "staffing_teachers_count_word": "two", "title": "T"}


def test_a_brief_naming_a_missing_fact_is_an_error():
    from npq_widgets.registry import _scenario
    from npq_widgets.paths import exercises_dir

    entry = {"id": "x", "title": "X", "project": PROJECT, "brief": "Tutors: ${no_such_fact}."}
    with pytest.raises(TaskError, match="no_such_fact"):
        _scenario("budget", exercises_dir() / "budget", entry)
