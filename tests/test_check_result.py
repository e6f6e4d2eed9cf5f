"""CheckResult and the rule runner: honest, deterministic, escaped, never raising on learner input.

These tests are about what the learner sees, and their rules include one that always raises ("explodes"), so they run
in learner mode (strict mode off). Strict mode and empty work: tests/test_checks_strict_and_empty.py.
"""

import json

import pytest
from hypothesis import given, strategies as st

from npq_widgets.checks import CheckItem, CheckResult, Rule, run_rules, strict_checks


@pytest.fixture(autouse=True)
def _learner_mode():
    with strict_checks(False):
        yield


def _rules():
    return [
        Rule("has-title", lambda a, _: (bool(a.get("title")), "A title is given." if a.get("title") else "No title yet."),
             hints=("Every objective needs a name.", "Type a short title in the Title box.")),
        Rule("has-number", lambda a, _: (any(c.isdigit() for c in a.get("target", "")), "Target checked."),
             hints=("Think about how you will know it worked.", "Put a number in the target.",
                    "A target such as '80% of pupils' is measurable.")),
        Rule("explodes", lambda a, _: (a["missing"] > 0, "unused")),
    ]


def test_all_passed():
    r = CheckResult("t", [CheckItem("a", True, "ok"), CheckItem("b", True, "fine", 2, 2)])
    assert r.passed_all and r.status == "pass"
    assert (r.score, r.max_score) == (3, 3)
    assert r.hint is None
    assert r.to_dict()["passed_all"] is True


def test_failed_items_and_score():
    r = run_rules("demo", _rules(), {"title": "x", "target": "most"})
    assert r.status == "fail" and not r.passed_all
    assert [i.id for i in r.failed] == ["has-number", "explodes"]
    assert (r.score, r.max_score) == (1, 3)


def test_rule_exception_is_a_failed_item_not_a_raise():
    r = run_rules("demo", _rules(), {"title": "x", "target": "5"})
    item = {i.id: i for i in r.items}["explodes"]
    assert not item.passed
    assert item.message.startswith("This part could not be checked")
    assert "Traceback" not in item.message


@pytest.mark.parametrize("attempt,expected", [
    (1, "Every objective needs a name."),
    (2, "Type a short title in the Title box."),
    (3, "Type a short title in the Title box."),  # the last hint repeats; never the answer
    (0, "Every objective needs a name."),
])
def test_hints_are_graduated_from_the_first_failing_rule(attempt, expected):
    assert run_rules("demo", _rules(), {}, attempt=attempt).hint == expected


def test_hint_moves_on_when_the_first_rule_holds():
    r = run_rules("demo", _rules(), {"title": "x"}, attempt=3)
    assert r.hint == "A target such as '80% of pupils' is measurable."


def test_error_result():
    r = CheckResult.error("budget", "The file is not a budget.")
    assert r.status == "error" and not r.passed_all
    assert r.items[0].message == "The file is not a budget."
    assert "Could not be checked" in repr(r)


def test_repr_is_plain_text_with_words_and_icons():
    r = run_rules("demo", _rules(), {"title": "x", "target": "5"}, title="Demo task")
    text = repr(r)
    assert text.splitlines()[0] == "Demo task: 2/3 — Not yet — some criteria still to meet"
    assert "✔ Met: A title is given." in text
    assert "✘ Not yet: This part could not be checked" in text
    assert "0x" not in text  # no memory addresses


def test_html_escapes_every_learner_string_and_does_not_rely_on_colour():
    evil = '<script>alert("x")</script> & <b>'
    r = CheckResult("t<1>", [CheckItem("r\"1", False, evil)], hint=evil, title=evil)
    out = r._repr_html_()
    assert "<script>" not in out and "<b>" not in out
    assert "&lt;script&gt;" in out and "&amp;" in out
    assert "Not yet" in out and "✘" in out
    assert 'role="status"' in out


def test_deterministic_output():
    a = run_rules("demo", _rules(), {"title": "x"}, attempt=2)
    b = run_rules("demo", _rules(), {"title": "x"}, attempt=2)
    assert a == b
    assert a._repr_html_() == b._repr_html_()
    assert repr(a) == repr(b)
    assert a.to_json() == b.to_json()


def test_round_trip_through_json():
    r = run_rules("demo", _rules(), {"title": "x"}, title="Demo")
    again = CheckResult.from_dict(json.loads(r.to_json()))
    assert again == r


@given(st.dictionaries(st.text(max_size=5), st.one_of(st.none(), st.integers(), st.text(max_size=20),
                                                      st.lists(st.integers(), max_size=3)), max_size=5))
def test_never_raises_on_arbitrary_input(artefact):
    r = run_rules("demo", _rules(), artefact)
    assert r.status in ("pass", "fail")
    assert len(r.items) == 3


def test_bad_status_rejected():
    with pytest.raises(ValueError):
        CheckResult("t", [], status="maybe")
