"""The 360° views without a kernel: a rater's form makes a response file, the candidate loads it, a collator makes a
summary; the reflection is kept and charted; reformed-route candidates are told plainly. And the xlsx recalculated
by LibreOffice gives the same medians as the domain."""

from __future__ import annotations

import copy
import json

import pytest

from npq_widgets.registry import get_task, view_class
from npq_widgets.store import travel
from npq_widgets.tasks.three_sixty.model import report

from .libreoffice import find_row, needs_libreoffice, recalculate

TASK = get_task("three-sixty")
MODEL = TASK.scenario("middle-leader").model_answer


def candidate():
    return view_class(TASK)(TASK, None)


def open_round(view, planned=None):
    view.candidate.value = "Jo Example"
    for g, n in (planned or {"line_manager": 1, "peers": 3}).items():
        view.planned_inputs[g].value = n
    return view.open_round()


def invitation(view, rnd):
    return view.invitation_bytes(rnd)


def rater_response(inv: bytes, group: str, rating: str, strengths="", develop="") -> bytes:
    form = view_class(TASK)(TASK, None, role="rater")
    assert form.keeps_no_work
    assert form.load_invitation(inv, "invitation.json")
    form.group.value = group
    for dd in form.ratings.values():
        dd.value = rating
    list(form.ratings.values())[0].value = "n/o"
    form.strengths.text.value = strengths
    form.develop.text.value = develop
    data = form.make_response()
    assert data and "Download your response file" in form.result.value
    return data


def test_a_round_opens_with_the_default_statements_and_an_invitation():
    view = candidate()
    rnd = open_round(view)
    assert len(rnd["statements"]) == 13  # seven behaviours and one statement per content area (the short set)
    assert rnd["id"].startswith("r-") and "code " + rnd["id"] in view.round_message.value
    doc = travel.loads(invitation(view, rnd), kinds={"360-invitation": 1}, for_id=rnd["id"])
    assert doc.content["candidate"] == "Jo Example" and doc.content["line_manager_named"]
    assert "you can read each response" in view.round_panels.children[0].children[0].value


def test_a_round_needs_statements_and_planned_raters():
    view = candidate()
    assert view.open_round() == {} and "at least one group" in view.round_message.value
    for cb in view.statement_boxes.children:
        cb.value = False
    view.planned_inputs["peers"].value = 3
    assert view.open_round() == {} and "at least one statement" in view.round_message.value


def test_the_rater_form_insists_on_a_group_and_every_rating():
    view = candidate()
    inv = invitation(view, open_round(view))
    form = view_class(TASK)(TASK, None, role="rater")
    form.load_invitation(inv)
    assert "can read your ratings" in form.message.value  # the candidate collects the files themselves
    assert form.make_response() is None and "Choose which group" in form.result.value
    form.group.value = "peers"
    assert form.make_response() is None and "13 statement(s) have no rating" in form.result.value
    assert not form.load_invitation(b"{}") and "not a file made by the workbook" in form.message.value


def test_three_raters_to_the_candidate_report_and_a_bad_file_changes_nothing():
    view = candidate()
    rnd = open_round(view, {"line_manager": 1, "peers": 3})
    inv = invitation(view, rnd)
    files = [("lm.json", rater_response(inv, "line_manager", "3", develop="Delegate more")),
             ("p1.json", rater_response(inv, "peers", "2", strengths="Zest")),
             ("p2.json", rater_response(inv, "peers", "2", strengths="Brave")),
             ("p3.json", rater_response(inv, "peers", "4"))]
    messages = view.load_files(0, files[:3] + [("junk.json", b"nope")] + [files[1]] + files[3:])
    assert sum("✓" in m for m in messages) == 4
    assert "not valid JSON" in messages[3] and "already been loaded" in messages[4]
    rows = report(view.rounds[0])
    b2 = rows[1]
    assert (b2.others.median, b2.others.n) == (2.5, 4)  # 3, 2, 2, 4
    assert rows[0].others is None and rows[0].flag == ""  # the first statement was "not observed" by all
    html = view.round_panels.children[0].report_box.value
    assert "4 of 4 planned responses" in html and "Line manager 1, Peers 3" in html
    assert html.index("Brave") < html.index("Zest")  # sorted, not in arrival order
    assert 'alt="Dot plot of ratings' in html
    # a response for another round is refused
    other = candidate()
    other_inv = invitation(other, open_round(other))
    msg = view.load_files(0, [("x.json", rater_response(other_inv, "peers", "1"))])
    assert "for another round" in msg[0]
    # the plan's focus choices come from the round
    assert [v for _, v in view.priorities.children[0].focus.options][1] == "b1"


def test_the_collator_sends_one_summary_and_the_candidate_loads_it():
    view = candidate()
    rnd = open_round(view, {"line_manager": 1, "peers": 2, "team": 1})
    inv = invitation(view, rnd)
    collator = view_class(TASK)(TASK, None, role="collator")
    assert collator.keeps_no_work
    collator.load_responses([("a.json", b"{}")])
    assert "invitation file first" in collator.message.value
    assert collator.load_invitation(inv)
    collator.load_responses([(f"{g}.json", rater_response(inv, g, "2", develop=f"From {g}"))
                             for g in ("line_manager", "peers", "peers", "team")])
    assert "Line manager 1, Peers 2, Team members 1, Others 0 (4 in all)" in collator.status.value
    summary_file = collator.make_summary()
    summary = json.loads(summary_file)["content"]["summary"]
    assert summary["groups"] == {"line_manager": 1, "others": 3}  # peers 2 + team 1 merged
    assert "peers:develop" not in summary["comments"]
    assert "responses" not in json.dumps(summary["items"])  # no rater's row in what the candidate gets
    assert view.load_files(0, [("summary.json", summary_file)])[0].count("✓") == 1
    assert view.rounds[0]["responses"] == [] and view.rounds[0]["summary"]["responses"] == 4
    collator.make_responses_xlsx()
    assert "for you only" in collator.links.value


def test_the_reflection_is_kept_by_date_and_charted():
    view = candidate()
    view.refl_rating["Awareness"].value = "2"
    view.refl_comment["Awareness"].text.value = "I asked the team before changing the marking policy."
    view.refl_date.value = "someday"
    view.keep_reflection()
    assert "not a date" in view.refl_message.value and view.reflections == []
    view.refl_date.value = "05/10/2026"
    view.keep_reflection()
    view.refl_date.value = "15/03/2027"
    view.refl_rating["Awareness"].value = "1"
    view.keep_reflection()
    assert [r["date"] for r in view.reflections] == ["05/10/2026", "15/03/2027"]
    assert view.reflections[1]["ratings"]["Awareness"]["rating"] == 1
    assert "Awareness: 2 on 05/10/2026, 1 on 15/03/2027" in view.refl_history.value
    assert view.artefact["reflection"]["ratings"]["Awareness"]["rating"] == 1


def test_the_model_answer_loads_and_round_trips_with_start_vs_end():
    view = view_class(TASK)(TASK, TASK.scenario())
    view.show_model_answer()
    assert view.check().passed_all
    assert "Start and end of the programme" in view.change_html.value and "up 1 point" in view.change_html.value
    art = view.artefact
    view.load(copy.deepcopy(art))
    assert view.artefact == art


def test_a_reformed_route_candidate_is_told_plainly(monkeypatch):
    from npq_widgets.contract import TaskContext

    view = candidate()
    assert view.route_note.value == ""
    view.context = TaskContext()
    monkeypatch.setattr(TaskContext, "profile", lambda self: {"qualification": "NPQSL-reformed"})
    view.refresh_route()
    assert "belong to the legacy NPQ framework" in view.route_note.value
    assert "optional self-reflection" in view.route_note.value
    monkeypatch.setattr(TaskContext, "profile", lambda self: {"qualification": "NPQSL-legacy"})
    view.refresh_route()
    view.refresh_statements()
    assert view.route_note.value == ""
    assert [cb.description for cb in view.statement_boxes.children][7] == "Strategy and Improvement"


def test_an_unknown_role_is_a_plain_error():
    from npq_widgets.contract import TaskError

    with pytest.raises(TaskError, match="no 'sponsor' view"):
        view_class(TASK)(TASK, None, role="sponsor")


@needs_libreoffice
def test_xlsx_recalculated_by_libreoffice_gives_the_same_medians(tmp_path):
    out = TASK.export(dict(MODEL), "xlsx", tmp_path / "three-sixty.xlsx")
    wb = recalculate(out, tmp_path / "lo")
    ws = wb["360 report"]
    rows = report(MODEL["rounds"][0])
    for r in rows:
        row = find_row(ws, 1, r.statement.text)  # the start round comes first
        assert ws.cell(row, 3).value == r.others.median, r.statement.text
        assert (ws.cell(row, 4).value, ws.cell(row, 5).value, ws.cell(row, 6).value) == (r.others.low, r.others.high,
                                                                                        r.others.n)
        assert (ws.cell(row, 8).value or "") == r.flag
    wr = wb["Leadership Reflection"]
    avg_row = find_row(wr, 1, "Average rating")
    ratings = [v["rating"] for v in MODEL["reflection"]["ratings"].values()]
    assert wr.cell(avg_row, 3).value == pytest.approx(sum(ratings) / len(ratings))
    wc = wb["Start vs end"]
    awareness = find_row(wc, 1, "Awareness")
    assert wc.cell(awareness, 4).value == wc.cell(awareness, 3).value - wc.cell(awareness, 2).value


def test_the_app_reads_the_qualification_chosen_on_the_contents_page():
    from npq_widgets.apps import contents, task_app

    contents().page.qualification.value = "NPQSL-reformed"
    view = task_app("three-sixty", free_build=True)
    assert "belong to the legacy NPQ framework" in view.route_note.value
    assert [cb.description for cb in view.statement_boxes.children][7] == "Strategy and Improvement"
    contents().page.qualification.value = "NPQML-legacy"
    view = task_app("three-sixty", free_build=True)
    assert view.route_note.value == ""
    assert view.statement_boxes.children[7].description.startswith("Manage and analyse performance data")
