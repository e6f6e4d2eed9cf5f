"""Risk register and project plan: lifetime and terms, scoring and RAG edges, cycles, critical path, checks, bad input."""

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from npq_widgets.tasks.project_plan.checks import check_plan
from npq_widgets.tasks.risk_register.checks import check_register
from npq_widgets.domain.lifetime import ProjectLifetime, TermCalendar, WorkingDays, english_terms
from npq_widgets.tasks.project_plan.model import (PlanTask, ProjectPlan, critical_path, total_float, find_cycles, order_violations,
                                     read_project_plan, topological_order, unknown_dependencies)
from npq_widgets.tasks.risk_register.model import RagThresholds, read_register, read_scale
from npq_widgets.domain.values import ValueProblem
from npq_widgets.registry import get_task

D = dt.date
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def risk_model():
    return copy.deepcopy(dict(get_task("risk-register").scenario().model_answer))


@pytest.fixture
def plan_model():
    return copy.deepcopy(dict(get_task("project-plan").scenario().model_answer))


def risk_data():
    return get_task("risk-register").scenario().data


def plan_data():
    return get_task("project-plan").scenario().data


def failed(result):
    return {i.id for i in result.items if not i.passed}


# -- lifetime ----------------------------------------------------------------------------------------------------
def test_english_terms_are_in_order_and_named():
    cal = english_terms(2026)
    assert [t.name for t in cal.terms] == ["Autumn 2026", "Spring 2027", "Summer 2027"]
    assert cal.terms[0].start == D(2026, 9, 1) and cal.terms[2].end == D(2027, 7, 22)


@pytest.mark.parametrize("start,end,whole", [
    (D(2027, 1, 4), D(2027, 7, 22), 2),        # exactly spring + summer
    (D(2027, 1, 11), D(2027, 7, 16), 2),       # within the week's tolerance at both ends
    (D(2027, 1, 20), D(2027, 7, 22), 1),       # starts mid-spring: spring does not count
    (D(2026, 9, 1), D(2027, 7, 22), 3),
    (D(2026, 10, 1), D(2027, 3, 1), 0),        # two part terms are not two terms
])
def test_whole_terms(start, end, whole):
    assert len(ProjectLifetime(start, end).whole_terms()) == whole


def test_lifetime_dates_in_the_wrong_order_get_a_plain_message():
    with pytest.raises(ValueProblem, match="before it starts"):
        ProjectLifetime.parse("21/07/2027", "02/11/2026")


def test_custom_term_calendar_is_a_parameter():
    cal = TermCalendar.from_records([{"name": "A", "start": "01/09/2026", "end": "01/10/2026"},
                                     {"name": "B", "start": "02/10/2026", "end": "01/11/2026"}])
    life = ProjectLifetime(D(2026, 9, 1), D(2026, 11, 1), cal)
    assert [t.name for t in life.whole_terms(tolerance_days=0)] == ["A", "B"]
    assert ProjectLifetime.from_dict(life.to_dict()) == life


def test_overlapping_terms_rejected():
    with pytest.raises(ValueProblem, match="overlap"):
        TermCalendar.from_records([{"name": "A", "start": "01/09/2026", "end": "01/10/2026"},
                                   {"name": "B", "start": "30/09/2026", "end": "01/11/2026"}])


# -- risk scoring ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("score,rating", [(1, "green"), (4, "green"), (5, "amber"), (12, "amber"), (13, "red"),
                                          (15, "red"), (25, "red")])
def test_rag_edges(score, rating):
    assert RagThresholds().rating(score) == rating


def test_rag_thresholds_are_a_parameter():
    rag = RagThresholds(green_max=6, amber_max=14)
    assert rag.rating(6) == "green" and rag.rating(15) == "red"
    with pytest.raises(ValueProblem):
        RagThresholds(green_max=12, amber_max=5)


@pytest.mark.parametrize("text,value", [(4, 4), ("4", 4), ("4 — likely", 4), ("", None), (None, None)])
def test_read_scale(text, value):
    assert read_scale(text, "x") == value


@pytest.mark.parametrize("text", [6, "0.5", "lots", -1, 2.5])
def test_read_scale_rejects(text):
    with pytest.raises(ValueProblem):
        read_scale(text, "Risk 1's likelihood")


@given(st.integers(1, 5), st.integers(1, 5))
def test_score_is_product_and_in_range(li, im):
    reg = read_register({"risks": [{"likelihood": li, "impact": im}]})
    assert reg.risks[0].score == li * im and 1 <= li * im <= 25
    assert reg.risks[0].rating() in ("green", "amber", "red")


def test_sort_by_score_highest_first_ties_in_order(risk_model):
    reg = read_register(risk_model)
    assert [r.id for r in reg.sorted_by_score()] == ["R4", "R1", "R3", "R5", "R2", "R6"]


# -- risk checks -------------------------------------------------------------------------------------------------
def test_model_answer_passes_in_both_modes(risk_model):
    assert check_register(risk_model, risk_data()).passed_all
    assert check_register(risk_model, None).passed_all


def test_fixture_v1_still_passes():
    assert get_task("risk-register").check(json.loads((FIXTURES / "risk-register-v1.json").read_text())).passed_all
    assert get_task("project-plan").check(json.loads((FIXTURES / "project-plan-v1.json").read_text())).passed_all


def test_captured_needs_category_and_keyword(risk_model):
    risk_model["risks"][3]["category"] = "reputation"  # the data risk now in the wrong category
    res = check_register(risk_model, risk_data())
    assert failed(res) == {"captured"}
    assert "data" in next(i.message for i in res.items if i.id == "captured")


def test_amber_risk_without_owner_or_mitigation(risk_model):
    risk_model["risks"][0]["owner"] = ""
    assert "owner-mitigation" in failed(check_register(risk_model, risk_data()))
    risk_model["risks"][0]["owner"] = "X"
    risk_model["risks"][0]["mitigations"] = []
    assert "owner-mitigation" in failed(check_register(risk_model, risk_data()))


def test_green_inherent_risk_needs_no_owner(risk_model):
    risk_model["risks"][5].update(owner="", mitigations=[])  # R6 is green before mitigation
    assert "owner-mitigation" not in failed(check_register(risk_model, risk_data()))


@pytest.mark.parametrize("field", ["residual_likelihood", "residual_impact"])
def test_residual_above_inherent_fails(risk_model, field):
    risk_model["risks"][0][field] = 5
    assert "residual" in failed(check_register(risk_model, risk_data()))


def test_tolerate_only_when_residual_green(risk_model):
    risk_model["risks"][0]["response"] = "tolerate"  # residual 2×2 = 4, green: allowed
    assert "tolerate" not in failed(check_register(risk_model, risk_data()))
    risk_model["risks"][0].update(residual_likelihood=3, residual_impact=3)  # 9, amber
    assert "tolerate" in failed(check_register(risk_model, risk_data()))


def test_review_date_outside_lifetime(risk_model):
    risk_model["risks"][2]["review_date"] = "01/09/2027"
    res = check_register(risk_model, risk_data())
    assert failed(res) == {"review-dates"}
    assert "02/11/2026 to 21/07/2027" in res.items[-1].message


def test_free_build_needs_project_dates(risk_model):
    risk_model["project"] = {"start": "21/07/2027", "end": "02/11/2026"}
    res = check_register(risk_model, None)
    assert "before it starts" in next(i.message for i in res.items if i.id == "review-dates")


def test_empty_register_clear_messages():
    res = check_register({"risks": []}, risk_data(), attempt=1)
    assert not res.passed_all and res.status == "fail"
    assert [i.id for i in res.items] == ["nothing-yet"] and res.score == 0
    assert "Nothing to check yet: add your first risk" in repr(res)


def test_bad_values_reported_not_raised(risk_model):
    risk_model["risks"][0]["likelihood"] = "very"
    risk_model["risks"][1]["review_date"] = "31/02/2027"
    risk_model["risks"][2] = "garbage"
    res = check_register(risk_model, risk_data())
    text = repr(res)
    assert "Risk 1's likelihood" in text and "does not exist" in text


def test_500_risks_checked(risk_model):
    risk_model["risks"] = [dict(risk_model["risks"][i % 6], id=f"R{i + 1}") for i in range(500)]
    res = check_register(risk_model, risk_data())
    assert res.passed_all


def test_hints_are_graduated(risk_model):
    risk_model["risks"][0]["owner"] = ""
    hints = [check_register(risk_model, risk_data(), attempt=a).hint for a in (1, 2, 3, 9)]
    assert hints[0] != hints[1] != hints[2] and hints[2] == hints[3]


def test_feedback_is_deterministic(risk_model):
    assert check_register(risk_model, risk_data()).to_json() == check_register(risk_model, risk_data()).to_json()


# -- plan graph --------------------------------------------------------------------------------------------------
def task(tid, start=None, end=None, deps=(), milestone=False):
    return PlanTask(0, tid, tid, "o", "deliver", start, end, tuple(deps), milestone)


def test_cycles_found():
    tasks = [task("A", deps=["C"]), task("B", deps=["A"]), task("C", deps=["B"]), task("D")]
    cycles = find_cycles(tasks)
    assert len(cycles) == 1 and set(cycles[0]) == {"A", "B", "C"} and cycles[0][0] == cycles[0][-1]
    assert topological_order(tasks) is None
    assert critical_path(ProjectPlan(tuple(tasks))) is None


def test_self_dependency_is_a_cycle_and_unknown():
    plan = ProjectPlan((task("A", deps=["A"]),))
    assert find_cycles(plan.tasks) == [("A", "A")]
    assert unknown_dependencies(plan) == [("A", "A")]


def test_long_chain_no_recursion_limit():
    tasks = [task(f"T{i}", deps=[f"T{i - 1}"] if i else []) for i in range(3000)]
    assert find_cycles(tasks) == []


def test_critical_path_textbook_graph():
    # A(3) -> B(2) -> D(4); A -> C(5) -> D; so A, C, D = 12 days
    s = D(2027, 1, 4)
    d = lambda n: dt.timedelta(days=n)  # noqa: E731
    tasks = (task("A", s, s + d(2)), task("B", s + d(3), s + d(4), ["A"]),
             task("C", s + d(3), s + d(7), ["A"]), task("D", s + d(8), s + d(11), ["B", "C"]))
    path = critical_path(ProjectPlan(tasks))
    assert path.ids == ("A", "C", "D") and path.days == 12


def test_critical_path_includes_closing_milestone():
    s = D(2027, 1, 4)
    tasks = (task("A", s, s), task("M", s + dt.timedelta(days=1), s + dt.timedelta(days=1), ["A"], milestone=True))
    assert critical_path(ProjectPlan(tasks)).ids == ("A", "M")
    # a task may start on the day of a milestone it depends on
    tasks += (task("B", s + dt.timedelta(days=1), s + dt.timedelta(days=2), ["M"]),)
    assert total_float(ProjectPlan(tasks)) == {"A": 0, "M": 0, "B": 0}


def test_order_violation():
    s = D(2027, 1, 4)
    tasks = (task("A", s, s + dt.timedelta(days=5)), task("B", s + dt.timedelta(days=2), s + dt.timedelta(days=9),
                                                         ["A"]))
    assert [(t.id, d.id) for t, d in order_violations(ProjectPlan(tasks))] == [("B", "A")]


@st.composite
def dags(draw):
    n = draw(st.integers(1, 25))
    start = D(2027, 1, 4)
    tasks = []
    for i in range(n):
        deps = draw(st.lists(st.integers(0, i - 1), unique=True, max_size=3)) if i else []
        begin = start + dt.timedelta(days=draw(st.integers(0, 60)))
        length = draw(st.integers(0, 30))
        tasks.append(task(f"T{i}", begin, begin + dt.timedelta(days=length), [f"T{j}" for j in deps]))
    return tasks


@settings(max_examples=60, deadline=None)
@given(dags())
def test_plan_validator_properties(tasks):
    plan = ProjectPlan(tuple(tasks))
    assert find_cycles(tasks) == []  # dependencies only point backwards: never a cycle
    order = topological_order(tasks)
    pos = {k: i for i, k in enumerate(order)}
    assert all(pos[d] < pos[t.id] for t in tasks for d in t.depends_on)
    path = critical_path(plan)
    assert path is not None and path.ids and min(path.floats.values()) == 0
    assert set(path.ids) == {k for k, f in path.floats.items() if f == 0} and all(f >= 0 for f in path.floats.values())


def _project_end(tasks, work, late=None, by=0):
    """An independent forward pass in working days ("start no earlier than" the planned start), with task ``late``
    finishing ``by`` working days later than planned: the index of the day after the project's last working day."""
    one = dt.timedelta(days=1)
    ef = {}
    for t in tasks:  # dependencies come first in these plans
        length = (0 if t.milestone else work.index(t.end + one) - work.index(t.start)) + (by if t.id == late else 0)
        es = max([work.index(t.start)] + [ef[d] for d in t.depends_on])
        ef[t.id] = es + length
    return max(ef.values())


@settings(max_examples=40, deadline=None)
@given(dags())
def test_float_is_how_far_a_task_can_slip_without_moving_the_end(tasks):
    """A task finishing its float later leaves the end where it was; one working day more moves it."""
    plan = ProjectPlan(tuple(tasks))
    floats = total_float(plan)
    work = WorkingDays(plan.lifetime().calendar)
    end = _project_end(tasks, work)
    for t in tasks:
        assert _project_end(tasks, work, t.id, floats[t.id]) == end
        assert _project_end(tasks, work, t.id, floats[t.id] + 1) == end + 1


@settings(max_examples=60, deadline=None)
@given(dags())
def test_a_forward_scheduled_plan_has_no_order_violation(tasks):
    by_id = {}
    for t in tasks:  # tasks only depend on earlier ones: start each the day after its last dependency ends
        begin = max([by_id[d].end + dt.timedelta(days=1) for d in t.depends_on], default=t.start)
        by_id[t.id] = task(t.id, begin, begin + (t.end - t.start), t.depends_on)
    assert order_violations(ProjectPlan(tuple(by_id.values()))) == []


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 12).flatmap(lambda n: st.lists(st.lists(st.integers(0, n - 1), max_size=3), min_size=n,
                                                     max_size=n)))
def test_cycles_found_exactly_when_no_topological_order(adjacency):
    tasks = [task(f"T{i}", deps=[f"T{j}" for j in deps]) for i, deps in enumerate(adjacency)]
    assert (topological_order(tasks) is None) == bool(find_cycles(tasks))
    for cyc in find_cycles(tasks):  # each reported cycle is real: every step is a dependency
        for a, b in zip(cyc, cyc[1:]):
            assert a in next(t for t in tasks if t.id == b).depends_on


# -- plan checks -------------------------------------------------------------------------------------------------
def test_plan_model_passes_in_both_modes(plan_model):
    assert check_plan(plan_model, plan_data()).passed_all
    assert check_plan(plan_model, None).passed_all


def test_plan_dates_in_the_wrong_order(plan_model):
    plan_model["tasks"][0].update(start="20/11/2026", end="02/11/2026")
    res = check_plan(plan_model, plan_data())
    assert "tasks" in failed(res)
    assert "ends (02/11/2026) before it starts (20/11/2026)" in repr(res)


def test_plan_unknown_dependency(plan_model):
    plan_model["tasks"][2]["depends_on"] = ["T99"]
    res = check_plan(plan_model, plan_data())
    assert "dependencies" in failed(res) and "T3 depends on 'T99'" in repr(res)


def test_plan_cycle(plan_model):
    plan_model["tasks"][0]["depends_on"] = ["T10"]
    res = check_plan(plan_model, plan_data())
    assert {"dependencies", "dependency-order"} <= failed(res)
    assert "circle" in repr(res)


def test_plan_starts_before_dependency_ends(plan_model):
    plan_model["tasks"][6]["start"] = "05/01/2027"  # T7 before T5 (ends 08/01) and T6
    res = check_plan(plan_model, plan_data())
    assert failed(res) == {"dependency-order"}
    assert "T7 starts 05/01/2027 before T5 ends 08/01/2027" in repr(res)


def test_plan_shorter_than_two_terms(plan_model):
    plan_model["tasks"] = [t for t in plan_model["tasks"] if t["id"] not in ("T8", "T9", "T10", "T11")]
    res = check_plan(plan_model, plan_data())
    assert "lifetime" in failed(res) and "at least 2 whole terms" in repr(res)


def test_plan_stages_and_milestones(plan_model):
    for t in plan_model["tasks"]:
        t["milestone"] = False
        if t["stage"] == "sustain":
            t["stage"] = "deliver"
    assert {"stages", "milestones"} <= failed(check_plan(plan_model, plan_data()))


def test_duration_instead_of_end(plan_model):
    plan = read_project_plan(plan_model)
    t6 = plan.by_id()["T6"]
    assert t6.end == D(2027, 1, 8)


@pytest.mark.parametrize("bad", [None, [], "x", {"tasks": "x"}, {"tasks": [1, None, "x"]}])
def test_plan_bad_input_never_raises(bad):
    res = get_task("project-plan").check(bad)
    assert res.status in ("error", "fail")


def test_500_tasks_chain():
    start = D(2026, 9, 1)
    tasks = [{"id": f"T{i}", "name": f"Step {i}", "owner": "me", "stage": ["explore", "prepare", "deliver",
                                                                            "sustain"][i * 4 // 500],
              "start": (start + dt.timedelta(days=i)).strftime("%d/%m/%Y"),
              "end": (start + dt.timedelta(days=i)).strftime("%d/%m/%Y"), "depends_on": [f"T{i - 1}"] if i else [],
              "milestone": i % 100 == 0} for i in range(500)]
    res = check_plan({"tasks": tasks}, None)
    assert res.passed_all, repr(res)



def test_critical_path_follows_the_dates_not_the_task_lengths():
    """X is long but has slack; Y is short but holds Z up, and Z ends the project."""
    x = task("X", D(2026, 9, 1), D(2026, 9, 30))
    y = task("Y", D(2026, 10, 10), D(2026, 10, 14))
    z = task("Z", D(2026, 10, 15), D(2026, 10, 16), ["X", "Y"])
    w = task("W", D(2026, 10, 1), D(2026, 10, 2), ["X"])
    path = critical_path(ProjectPlan((x, y, z, w)))
    assert path.ids == ("Y", "Z") and path.days == 7


def test_a_task_may_not_start_on_the_day_an_ordinary_task_ends():
    a = task("A", D(2026, 10, 1), D(2026, 10, 8))
    b = task("B", D(2026, 10, 8), D(2026, 10, 9), ["A"])
    assert [(t.id, d.id) for t, d in order_violations(ProjectPlan((a, b)))] == [("B", "A")]
    ok = task("B", D(2026, 10, 9), D(2026, 10, 9), ["A"])
    assert order_violations(ProjectPlan((a, ok))) == []


def test_a_task_that_can_wait_is_not_critical():
    """Issue 12: T2 waits for T1 but does not start until 01/10/2025, so T1 can finish 17 working days later
    (08/09–30/09/2025, weekdays in the autumn term) without moving the end; T3 ends the day before T2, so it has 1."""
    t1 = task("T1", D(2025, 9, 1), D(2025, 9, 5))
    t2 = task("T2", D(2025, 10, 1), D(2025, 10, 10), ["T1"])
    t3 = task("T3", D(2025, 9, 1), D(2025, 10, 9))
    plan = ProjectPlan((t1, t2, t3))
    assert total_float(plan) == {"T1": 17, "T2": 0, "T3": 1}
    path = critical_path(plan)
    assert path.ids == ("T2",) and path.days == 10  # 01/10/2025 to 10/10/2025


def test_float_counts_working_days_of_the_term_calendar():
    """Half term (given calendar) and weekends are not working days."""
    cal = TermCalendar.from_records([{"name": "Autumn 1", "start": "01/09/2025", "end": "24/10/2025"},
                                     {"name": "Autumn 2", "start": "03/11/2025", "end": "19/12/2025"}])
    a = task("A", D(2025, 10, 20), D(2025, 10, 22))  # Mon–Wed before half term
    b = task("B", D(2025, 11, 5), D(2025, 11, 7), ["A"])  # Wed–Fri after it
    floats = total_float(ProjectPlan((a, b)), cal)
    assert floats == {"A": 4, "B": 0}  # Thu 23, Fri 24/10, Mon 3, Tue 4/11
    assert WorkingDays(cal).between(D(2025, 10, 23), D(2025, 11, 4)) == 4


def test_model_answer_critical_path(plan_model):
    """Worked by hand: T9 (summer tutoring, not before 19/04/2027) → T10 (final assessment to 21/07/2027) → T11
    (report, 21/07/2027) have no float. T8 (review, 29/03/2027) could move to 19/04/2027; the spring-term work can slip until the summer term's tutoring starts."""
    plan = read_project_plan(plan_model)
    path = critical_path(plan)
    assert path.ids == ("T9", "T10", "T11") and path.days == 94  # 19/04/2027 to 21/07/2027
    assert path.floats["T8"] == 6  # 30/03, 31/03, 14/04, 15/04, 16/04, 19/04/2027
    assert path.floats["T7"] == 6 and path.floats["T1"] > 6  # T7 may end on 16/04/2027


def test_module_resources_4_waiting_gap_agrees_with_the_app():
    """The worked example of module resources-4: training 27/04–15/05 (2026), the June task fixed to start 08/06
    (2 weeks); half term 25–29/05. The training has 10 working days of float; only the June task is critical."""
    text = (Path(__file__).parents[1] / "exercises" / "modules" / "resources-4.yaml").read_text(encoding="utf-8")
    assert "10 working days of float" in text and "The critical path is the tasks with no float" in text
    cal = TermCalendar.from_records([{"name": "Summer 1", "start": "13/04/2026", "end": "22/05/2026"},
                                     {"name": "Summer 2", "start": "01/06/2026", "end": "22/07/2026"}])
    agreement = task("DSA", D(2026, 3, 30), D(2026, 4, 24))
    training = task("TR", D(2026, 4, 27), D(2026, 5, 15), ["DSA"])
    june = task("JUNE", D(2026, 6, 8), D(2026, 6, 19), ["TR"])
    plan = ProjectPlan((agreement, training, june))
    assert total_float(plan, cal)["TR"] == 10
    assert critical_path(plan, cal).ids == ("JUNE",)
