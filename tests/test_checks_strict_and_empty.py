"""Strict mode (a rule that raises fails the test) and empty work (one "Nothing to check yet" message, score 0)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from npq_widgets.checks import EMPTY_ID, STRICT_ENV, Rule, RuleCrashed, run_rules, strict, strict_checks
from npq_widgets.registry import get_task, task_ids

REPO = Path(__file__).resolve().parents[1]


def _broken(artefact, context):
    return artefact["no such field"] > 0, "unused"


RULES = (Rule("fine", lambda a, c: (True, "Fine.")), Rule("broken", _broken))


# -- strict mode ------------------------------------------------------------------------------------------------------
def test_the_test_session_checks_strictly():
    assert os.environ.get(STRICT_ENV) == "1" and strict()


def test_a_broken_rule_raises_in_strict_mode_and_names_itself():
    with pytest.raises(RuleCrashed, match="'broken' raised KeyError"):
        run_rules("demo", RULES, {})


def test_a_broken_rule_is_a_plain_message_for_learners():
    with strict_checks(False):
        result = run_rules("demo", RULES, {})
    item = {i.id: i for i in result.items}["broken"]
    assert not item.passed and item.message == "This part could not be checked: 'no such field'"
    assert result.status == "fail"


def test_strict_checks_restores_what_was_there():
    with strict_checks(False):
        with strict_checks(True):
            assert strict()
        assert not strict()
    assert strict()


NEVER_RAISES = textwrap.dedent('''
    from npq_widgets.checks import Rule, run_rules

    def broken(artefact, context):
        return artefact["no such field"] > 0, "unused"

    def test_never_raises_on_learner_input():
        result = run_rules("demo", [Rule("broken", broken)], {"anything": 1})
        assert result.status in ("pass", "fail")
''')


@pytest.mark.parametrize("strict_value,exit_code", [("1", 1), ("0", 0)])
def test_a_never_raises_test_fails_under_strict_mode_only(tmp_path, strict_value, exit_code):
    """The same "never raises" test over a broken rule: it fails when the session is strict and passes (the learner
    sees "could not be checked") when it is not — so in our strict session such a test proves no rule crashed."""
    (tmp_path / "test_demo.py").write_text(NEVER_RAISES)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]))
    env[STRICT_ENV] = strict_value
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == exit_code, run.stdout + run.stderr
    if exit_code:
        assert "RuleCrashed" in run.stdout


def test_a_real_task_with_a_broken_rule_fails_in_strict_mode(monkeypatch):
    from npq_widgets.tasks.smart_objectives import checks as smart

    art = get_task("smart-objectives").scenarios[0].model_answer
    broken = tuple(Rule(r.id, _broken, r.hints) if r.id == "measurable" else r for r in smart.RULES)
    monkeypatch.setattr(smart, "RULES", broken)
    with pytest.raises(RuleCrashed, match="'measurable'"):
        get_task("smart-objectives").check(art)
    with strict_checks(False):
        result = get_task("smart-objectives").check(art)
    assert "This part could not be checked" in repr(result)


# -- empty work -------------------------------------------------------------------------------------------------------
def test_empty_work_gets_one_message_and_scores_zero():
    rules = (Rule("a", lambda a, c: (True, "Vacuously fine.")), Rule("b", lambda a, c: (False, "No."), weight=2))
    result = run_rules("demo", rules, {"rows": []}, empty=lambda a, c: None if a["rows"] else "add a first row.")
    assert [i.id for i in result.items] == [EMPTY_ID]
    assert result.items[0].message == "Nothing to check yet: add a first row."
    assert (result.score, result.max_score, result.status) == (0, 3, "fail")
    assert "Met" not in repr(result).replace("Not yet", "")
    full = run_rules("demo", rules, {"rows": [1]}, empty=lambda a, c: None if a["rows"] else "add a first row.")
    assert [i.id for i in full.items] == ["a", "b"]


def test_a_crashing_emptiness_test_raises_in_strict_mode_and_is_ignored_for_learners():
    rules = (Rule("a", lambda a, c: (True, "Fine.")),)
    with pytest.raises(RuleCrashed):
        run_rules("demo", rules, {}, empty=_broken)
    with strict_checks(False):
        assert [i.id for i in run_rules("demo", rules, {}, empty=_broken).items] == ["a"]


def _blank_view_artefact(task, scenario):
    """What a task's app saves before the learner has typed anything."""
    from npq_widgets.registry import view_class

    return view_class(task)(task, scenario).artefact


@pytest.mark.parametrize("task_id", task_ids())  # every registered task, so a new one is covered by default
@pytest.mark.parametrize("free", [False, True], ids=["scenario", "free"])
def test_a_blank_task_says_nothing_to_check_yet(task_id, free):
    """Every task, as its app opens (blank rows and all) and as a bare saved file: one message, score 0."""
    task = get_task(task_id)
    scenario = None if free else task.scenarios[0]
    for art in (_blank_view_artefact(task, scenario),
                {"task": task_id, "scenario": "free" if free else scenario.id}):
        if task_id == "data-analysis" and "data" not in art:
            continue  # a bare data-analysis file names no data: that is an error, not empty work
        result = task.check(art, scenario=scenario)
        assert [i.id for i in result.items] == [EMPTY_ID], repr(result)
        message = result.items[0].message
        assert message.startswith("Nothing to check yet: ") and len(message) > len("Nothing to check yet: ") + 10
        assert result.score == 0 and result.max_score > 1 and result.status == "fail"


def _first_row_touched(task_id, art):
    """The blank artefact with one thing typed in its first row (or first box)."""
    art = json.loads(json.dumps(art))
    if task_id == "smart-objectives":
        art["objectives"][0]["who"] = "Sam"
    elif task_id == "risk-register":
        art["risks"][0]["description"] = "Tutor absence"
    elif task_id == "project-plan":
        art["tasks"][0]["name"] = "Baseline test"
    elif task_id == "budget":
        art["lines"][0]["rate"] = "£30"
    elif task_id == "pd-impact":
        art["conclusion"] = "Worth it."
    elif task_id == "data-analysis":
        art["answers"] = {"priorities": "Reading in Year 7."}
    return art


@pytest.mark.parametrize("task_id", ["smart-objectives", "risk-register", "project-plan", "budget", "pd-impact",
                                     "data-analysis"])
def test_one_thing_typed_is_no_longer_empty(task_id):
    task = get_task(task_id)
    scenario = task.scenarios[0]
    art = _first_row_touched(task_id, _blank_view_artefact(task, scenario))
    result = task.check(art, scenario=scenario)
    assert EMPTY_ID not in {i.id for i in result.items} and len(result.items) > 1


def test_a_budget_with_funding_but_no_costs_does_not_balance():
    """Funding typed, costs not: nothing to check (it used to 'balance' with a cost of £0.00)."""
    task = get_task("budget")
    scenario = task.scenarios[0]
    art = _blank_view_artefact(task, scenario)
    for term in art["income"][0]["by_term"]:
        art["income"][0]["by_term"][term] = "£3,500"
    art["income"][0]["source"] = "Tutoring grant"
    result = task.check(art, scenario=scenario)
    assert [i.id for i in result.items] == [EMPTY_ID]
    art["lines"][0]["description"] = "Tutors"  # a cost line with a name but no figures: the balance is not met
    result = task.check(art, scenario=scenario)
    balance = {i.id: i for i in result.items}["balance"]
    assert not balance.passed and "no costs" in balance.message
