"""The 360° diagnostic and the Leadership Reflection (6.1.2): domain, anonymity rule, checks, exports, the CLI."""

from __future__ import annotations

import copy
import json

import pytest

from npq_widgets.catalogue import load_catalogue
from npq_widgets.registry import get_task
from npq_widgets.tasks.three_sixty.model import (Statement, change, default_statements, lowest_rated, report,
                                                 spread, summarise)

TASK = get_task("three-sixty")
MODEL = TASK.scenario("middle-leader").model_answer
S = [Statement("b1", "behaviour", "Commitment"), Statement("b2", "behaviour", "Collaboration")]


def resp(group, b1, b2=2, strengths="", develop=""):
    return {"group": group, "ratings": {"b1": b1, "b2": b2}, "comments": {"strengths": strengths,
                                                                          "develop": develop}}


def model():
    return copy.deepcopy(dict(MODEL))


# -- statements -------------------------------------------------------------------------------------------------------
def test_statements_are_the_seven_behaviours_and_content_statements():
    cat = load_catalogue()
    npqml = default_statements(cat, "NPQML-legacy")
    assert [s.text for s in npqml[:7]] == ["Commitment", "Collaboration", "Personal Drive", "Resilience",
                                           "Awareness", "Integrity", "Respect"]
    assert npqml[7].text.startswith("Manage and analyse performance data")  # an NPQML "learn how to" statement
    assert len(default_statements(cat, "NPQML-legacy", full=True)) > len(npqml)  # a shorter default set
    npqsl = [s.text for s in default_statements(cat, "NPQSL-legacy")[7:]]
    assert npqsl == [a.name for a in cat.legacy_content_areas] and len(npqsl) == 6


# -- medians, "not observed", the anonymity rule ---------------------------------------------------------------------------
def test_not_observed_is_counted_apart_never_as_a_number():
    sp = spread([1, None, 3, 4, None])
    assert (sp.median, sp.high, sp.low, sp.n, sp.not_observed) == (3.0, 1, 4, 3, 2)
    assert spread([None, None]) is None
    assert spread([2, 3]).median == 2.5


def test_a_group_of_three_is_shown_and_a_group_of_two_is_merged_into_others():
    responses = [resp("peers", 1), resp("peers", 2), resp("peers", 2), resp("team", 4), resp("team", 3),
                 resp("others", 3)]
    s = summarise(S, responses, line_manager_named=False)
    assert s["groups"] == {"peers": 3, "others": 3}  # team (2) merged with the one "other"
    assert s["items"]["b1"]["groups"]["peers"]["median"] == 2
    assert s["items"]["b1"]["groups"]["others"] == {"median": 3.0, "low": 4, "high": 3, "n": 3, "not_observed": 0}
    assert "team" not in s["items"]["b1"]["groups"]
    assert s["item_by_item"] and s["items"]["b1"]["others"]["n"] == 6


def test_a_merged_group_of_two_is_not_shown_as_a_group():
    s = summarise(S, [resp("peers", 1)] * 3 + [resp("team", 4), resp("team", 3)], line_manager_named=False)
    assert s["groups"] == {"peers": 3}


def test_the_line_manager_is_shown_only_if_the_candidate_named_one():
    responses = [resp("line_manager", 4), resp("peers", 1), resp("peers", 1), resp("peers", 2)]
    named = summarise(S, responses, line_manager_named=True)
    assert named["groups"] == {"line_manager": 1, "peers": 3}
    assert named["items"]["b1"]["groups"]["line_manager"]["median"] == 4
    unnamed = summarise(S, responses, line_manager_named=False)
    assert "line_manager" not in unnamed["groups"]  # counted among the others instead
    assert unnamed["groups"] == {"peers": 3}


def test_with_fewer_than_three_others_their_ratings_are_shown_only_as_a_whole():
    responses = [resp("line_manager", 2), resp("peers", 1, 3), resp("team", 4, 4)]
    s = summarise(S, responses, line_manager_named=True)
    assert not s["item_by_item"]
    assert s["items"]["b1"]["others"]["n"] == 1  # item by item: only the line manager
    assert s["items"]["b1"]["values"] == [2]
    assert s["whole_others"]["responses"] == 2 and s["whole_others"]["median"] == 3.5  # 1, 3, 4, 4
    assert s["groups"] == {"line_manager": 1}
    three = summarise(S, responses + [resp("peers", 2)], line_manager_named=True)
    assert three["item_by_item"] and three["whole_others"] is None and three["items"]["b1"]["others"]["n"] == 4


def test_comments_are_listed_per_group_sorted_not_in_arrival_order():
    responses = [resp("peers", 1, strengths="Zest for learning"), resp("peers", 1, strengths="calm"),
                 resp("peers", 1, strengths="Brave"), resp("team", 2, develop="Listen more")]
    s = summarise(S, responses, line_manager_named=False)
    assert s["comments"]["peers:strengths"] == ["Brave", "calm", "Zest for learning"]
    assert s["comments"]["others:develop"] == ["Listen more"]  # the lone team member's comment is among "others"
    again = summarise(S, list(reversed(responses)), line_manager_named=False)
    assert again == s


# -- the report: blind spots at the ±1 edge, lowest rated, start vs end ------------------------------------------------------
def _round(self_b1, others_b1, stage="start"):
    return {"id": "r1", "stage": stage, "statements": [s.to_dict() for s in S],
            "planned": {"peers": len(others_b1)}, "self": {"b1": self_b1, "b2": 2},
            "responses": [resp("peers", v) for v in others_b1]}


@pytest.mark.parametrize("self_b1,others,flag", [
    (1, [2, 2, 2], "blind spot"),          # self rates better by exactly 1: a blind spot
    (1, [1, 2, 2], "blind spot"),          # median 2
    (1, [1, 1, 2, 2], ""),                 # median 1.5: better by 0.5 only
    (2, [1, 1, 1], "hidden strength"),     # self rates worse by exactly 1
    (3, [2, 2, 3, 3], ""),                 # median 2.5: worse by 0.5 only
    (None, [1, 1, 1], ""),
])
def test_blind_spots_and_hidden_strengths_at_the_one_point_edge(self_b1, others, flag):
    rows = report(_round(self_b1, others))
    assert rows[0].flag == flag


def test_lowest_rated_counts_ties_at_the_edge():
    rnd = _round(1, [3, 3, 3])
    rows = report(rnd)
    assert lowest_rated(rows, 1) == ["b1"]
    rows = report({**rnd, "responses": [resp("peers", 2, 2)] * 3})
    assert sorted(lowest_rated(rows, 1)) == ["b1", "b2"]


def test_start_and_end_change_per_behaviour():
    art = {"rounds": [_round(1, [3, 3, 2], "start"), _round(1, [2, 2, 1], "end")]}
    (c1, c2) = change(art)
    assert (c1.others_start, c1.others_end, c1.others_change) == (3.0, 2.0, -1.0)
    assert c2.others_change == 0
    assert change({"rounds": [_round(1, [3, 3, 2], "start")]}) == []


def test_the_scenario_has_eight_synthetic_responses_at_the_start_and_the_end():
    rounds = MODEL["rounds"]
    assert [r["stage"] for r in rounds] == ["start", "end"]
    assert all(len(r["responses"]) == 8 and "Synthetic" in r["synthetic"] for r in rounds)


# -- checks ------------------------------------------------------------------------------------------------------------
def test_the_model_plan_passes():
    result = TASK.check(model())
    assert result.passed_all, result.to_dict()


def _fails(art, rule, attempt=1):
    result = TASK.check(art, attempt=attempt)
    failed = [i.id for i in result.items if not i.passed]
    assert rule in failed, (rule, result.to_dict())
    return result


def test_a_priority_that_does_not_follow_from_the_data_fails_until_justified():
    art = model()
    art["plan"][0]["focus"] = "b1"  # Commitment: rated 1 by others and by Alex
    art["plan"][0]["reason"] = "I want to."
    result = _fails(art, "follows")
    assert "Priority 1" in [i for i in result.items if i.id == "follows"][0].message
    hint3 = TASK.check(art, attempt=3).hint
    assert "b5" not in hint3 and "Awareness" not in hint3  # the hint never names the answer
    art["plan"][0]["reason"] = ("Commitment is rated well, but our school's new reading strategy depends on me "
                                "modelling it for the whole department this year.")
    assert TASK.check(art).passed_all


@pytest.mark.parametrize("field,value,rule,fragment", [
    ("objective", "Be more aware.", "smart", "at least 10 words"),
    ("baseline", "", "smart", "starting point and the target"),
    ("target", "20%", "smart", "must differ"),
    ("review_date", "01/12/2027", "dates", "within the programme"),
    ("review_date", "soon", "dates", "DD/MM/YYYY"),
    ("opportunity", "Coaching.", "opportunity", "development opportunity"),
])
def test_plausible_wrong_plans_fail_with_a_useful_message(field, value, rule, fragment):
    art = model()
    art["plan"][0][field] = value
    result = _fails(art, rule)
    assert fragment in [i for i in result.items if i.id == rule][0].message
    assert result.hint


def test_one_priority_is_too_few_and_four_too_many():
    art = model()
    art["plan"] = art["plan"][:1]
    _fails(art, "count")
    art["plan"] = model()["plan"] + [model()["plan"][0]]
    _fails(art, "count")


def test_every_behaviour_must_be_rated_and_commented_with_an_example():
    art = model()
    art["reflection"]["ratings"]["Resilience"]["rating"] = None
    assert "Resilience" in [i for i in _fails(art, "reflection").items if i.id == "reflection"][0].message
    art = model()
    art["reflection"]["ratings"]["Respect"]["comment"] = "Good."
    assert "Respect" in [i for i in _fails(art, "reflection").items if i.id == "reflection"][0].message


def test_fewer_responses_than_planned_need_a_note():
    art = model()
    art["rounds"][0]["responses"] = art["rounds"][0]["responses"][:6]
    _fails(art, "raters")
    art["raters_note"] = "Two peers were on maternity leave during the start round, so six replied."
    assert TASK.check(art).passed_all


def test_checks_never_raise_on_damaged_work():
    for art in ({}, {"plan": "x", "rounds": [1, None, {"statements": "x"}], "reflection": []},
                {"rounds": [{"stage": "start", "responses": [{"ratings": {"b1": "9"}}]}]}):
        result = TASK.check(art)
        assert not result.passed_all and result.items


def test_checks_say_nothing_of_the_person():
    words = " ".join(i.message for i in TASK.check({}).items) + " ".join(
        h for r in __import__("npq_widgets.tasks.three_sixty.checks", fromlist=["RULES"]).RULES for h in r.hints)
    for word in ("grade", "score", "weak", "poor", "fail"):
        assert word not in words.lower()


# -- exports -----------------------------------------------------------------------------------------------------------
def test_xlsx_holds_no_rater_rows_and_writes_learners_text_as_text(tmp_path):
    from openpyxl import load_workbook

    art = model()
    art["reflection"]["ratings"]["Integrity"]["comment"] = "=HYPERLINK(\"http://x\",\"click\") +1 example words"
    art["plan"][0]["reason"] = "@SUM(A1) — a blind spot"
    out = TASK.export(art, "xlsx", tmp_path / "r.xlsx")
    wb = load_workbook(out)
    assert wb.sheetnames == ["360 report", "Start vs end", "Leadership Reflection", "Reflections over time",
                             "Development plan"]
    texts = [c for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    formulas = [c.value for c in texts if c.data_type == "f"]
    assert formulas and all(f.startswith(("=MEDIAN", "=MAX", "=MIN", "=COUNT", "=IF")) for f in formulas)
    learner = [c for c in texts if c.value.startswith(("=HYPERLINK", "@SUM"))]
    assert len(learner) == 2 and all(c.data_type == "s" for c in learner)
    header = {ws.cell(r, 1).value: ws.cell(r, 2).value for ws in [wb["360 report"]] for r in range(1, 7)}
    assert header["Candidate"] == "Alex Morgan (fictional)"
    assert header["Criteria evidenced"].startswith("6.1.2")
    assert "Middle Leadership" in header["Qualification"]
    comments = [c.value for c in wb["360 report"]["B"] if isinstance(c.value, str)]
    # no rater's row: each statement's allowed ratings are sorted, never in response order
    ws = wb["360 report"]
    for row in ws.iter_rows(min_col=9):
        vals = [c.value for c in row if isinstance(c.value, int)]
        assert vals == sorted(vals)
    assert comments


def test_printable_report_carries_the_header_and_print_css(tmp_path):
    out = TASK.export(model(), "html", tmp_path / "r.html")
    text = out.read_text()
    for fragment in ("@media print", "Alex Morgan (fictional)", "6.1.2", "Leadership Reflection", "blind spot",
                     'alt="Dot plot of ratings', "Start and end of the programme", "could read each response"):
        assert fragment in text, fragment


# -- through the registry and the command line ------------------------------------------------------------------------------
def test_cli_check_and_export(tmp_path, capsys):
    from npq_widgets.cli import main

    f = tmp_path / "work.json"
    f.write_text(json.dumps(model()))
    assert main(["check", "three-sixty", str(f)]) == 0
    bad = model()
    bad["plan"] = bad["plan"][:1]
    f.write_text(json.dumps(bad))
    assert main(["check", "three-sixty", str(f)]) == 1
    out = tmp_path / "r.xlsx"
    assert main(["export", "three-sixty", "--model-answer", "--format", "xlsx", "-o", str(out)]) == 0
    assert out.stat().st_size > 5000
    assert main(["export", "three-sixty", str(f), "--format", "html", "-o", str(tmp_path / "r.html")]) == 0
    capsys.readouterr()


def test_progress_counts_the_task_as_6_1_2_evidence():
    assert TASK.criteria == ("6.1.2",)
    assert set(TASK.exporters) == {"json", "xlsx", "html"}
    assert TASK.figures.min_group_responses == 3


def test_declared_charts_draw_the_model_answer_with_alt_text():
    from npq_widgets.catalogue import load_catalogue as cat
    from npq_widgets.tasks.three_sixty import charts
    from npq_widgets.tasks.three_sixty.model import kept_reflections

    for name, chart in TASK.declaration.charts.items():
        fig = chart(model())
        assert fig.axes and fig.axes[0].get_title(), name
    names = [b.name for b in cat().behaviours]
    alt = charts.reflections_alt(kept_reflections(model(), names), names)
    assert "Awareness: 1 on 05/10/2026, 2 on 15/03/2027, 2 on 06/09/2027" in alt
    rows = report(model()["rounds"][0])
    assert "Awareness: you 1, others' median 3" in charts.dot_plot_alt(rows) and "a blind spot" in \
        charts.dot_plot_alt(rows)
    markers = {line.get_marker() for line in charts.dot_plot(rows).axes[0].lines}
    assert {"o", "s"} <= markers  # self and others differ by shape, not colour alone
