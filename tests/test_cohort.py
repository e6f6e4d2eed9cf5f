"""The cohort view from three generated workbook files, every aggregate worked out by hand; feedback files there and
back, and every refusal; the cohort page and the Feedback app driven without a kernel."""

from __future__ import annotations

import datetime as dt
import io
import json

import openpyxl
import pytest

from npq_widgets import cohort
from npq_widgets.store import travel
from npq_widgets.store.bundle import export_bundle
from npq_widgets.store.feedback import (FEEDBACK_DOC, comments_by_task, kept_feedback, load_feedback, make_feedback,
                                        workbook_id)
from npq_widgets.store.workbook import Workbook

PROJECT = {"title": "Tutoring", "start": "01/09/2026", "end": "31/03/2027"}


def _risk(rid, desc, cat, l, i, rl, ri):
    return {"id": rid, "description": desc, "category": cat, "likelihood": l, "impact": i,
            "residual_likelihood": rl, "residual_impact": ri, "owner": "Head", "mitigations": ["Plan"],
            "response": "treat", "status": "open"}


def _budget(amount, contingency, pupils):
    return {"task": "budget", "schema_version": 1, "scenario": "free", "project": PROJECT, "pupils": str(pupils),
            "contingency_percent": str(contingency), "on_costs_percent": "",
            "lines": [{"id": "C1", "category": "resources", "description": "Books", "by_term": {"Autumn 2026": amount}}],
            "income": []}


def _check(wb, doc, task, status):
    wb.save(f"check--{doc}", {"task": "check-record", "schema_version": 1, "doc": doc, "checked_task": task,
                              "status": status, "score": 1, "max_score": 2, "attempts": 1})


def make_room(tmp_path):
    """Three candidates. Knowledge check of resources-1: q1 (numeric, answer 3932), q2 (single, right = option 0
    "Moderate", option 1 = "Low").
    - A ("Ana Lopez"): first check q1 3932 ✔, q2 Moderate ✔. Risk register (2 risks: 3×4=12 → 2×2=4; 2×2=4 → 1×2=2),
      checked: pass. Budget £2,000 + 10% = £2,200 for 40 pupils (£55.00 each).
    - B (no name): first check q1 3900 ✘, q2 Low ✘; a second check later put both right (only the first counts).
      Budget £1,000 + 5% = £1,050 for 20 pupils (£52.50), checked: not yet.
    - C (no name): checked once, before first checks were kept (no "first"): q1 3900 ✘, q2 Low ✘. Risk register
      (1 risk: 4×4=16 → residual 5×4=20, higher), never checked.
    """
    files = []
    for key in ("a", "b", "c"):
        wb = Workbook(tmp_path / key)
        workbook_id(wb)
        files.append(wb)
    a, b, c = files
    a.save("module--resources-1", {"task": "module", "module": "resources-1", "quiz": {
        "responses": {"q1": "3932", "q2": 0}, "first": {"q1": "3932", "q2": 0}, "attempts": 1,
        "last": {"score": 2, "max_score": 6, "passed": False}}, "reflections": {}})
    a.save("risk-register--free", {"task": "risk-register", "schema_version": 1, "scenario": "free",
                                   "candidate": {"name": "Ana Lopez"}, "project": PROJECT, "risks": [
                                       _risk("R1", "Tutor leaves", "staffing", 3, 4, 2, 2),
                                       _risk("R2", "Low attendance", "pupils", 2, 2, 1, 2)]})
    _check(a, "risk-register--free", "risk-register", "pass")
    a.save("budget--free", _budget("2000", 10, 40))
    b.save("module--resources-1", {"task": "module", "module": "resources-1", "quiz": {
        "responses": {"q1": "3932", "q2": 0}, "first": {"q1": "3900", "q2": 1}, "attempts": 2,
        "last": {"score": 2, "max_score": 6, "passed": False}}, "reflections": {}})
    b.save("budget--free", _budget("1000", 5, 20))
    _check(b, "budget--free", "budget", "fail")
    c.save("module--resources-1", {"task": "module", "module": "resources-1", "quiz": {
        "responses": {"q1": "3900", "q2": 1}, "attempts": 1, "last": None}, "reflections": {}})
    c.save("risk-register--free", {"task": "risk-register", "schema_version": 1, "scenario": "free",
                                   "project": PROJECT, "risks": [_risk("R1", "Tutor leaves", "staffing", 4, 4, 5, 4)]})
    return files, [(f"{k}.json", export_bundle(wb)) for k, wb in zip("abc", files)]


def test_the_room_aggregates_match_the_hand_count(tmp_path):
    _, raw = make_room(tmp_path)
    people, problems = cohort.read_candidates(raw)
    assert problems == []
    assert [p.label() for p in people] == ["Ana Lopez", "Candidate 2", "Candidate 3"]
    assert [p.label(anonymous=True) for p in people] == ["Candidate 1", "Candidate 2", "Candidate 3"]
    summary = cohort.summarise(people)

    q = {(r.module, r.number): r for r in summary.questions}
    q1, q2 = q[("resources-1", 1)], q[("resources-1", 2)]
    assert (q1.answered, q1.right_first_time, q1.common_wrong, q1.common_wrong_count) == (3, 1, "3900", 2)
    assert (q2.answered, q2.right_first_time, q2.common_wrong, q2.common_wrong_count) == (3, 1, "Low", 2)
    assert q[("resources-1", 3)].answered == 0  # nobody answered it at a first check
    assert q[("strategy-1", 1)].answered == 0

    t = {r.task: r for r in summary.tasks}
    assert (t["risk-register"].passed, t["risk-register"].not_yet, t["risk-register"].not_checked) == (1, 0, 2)
    assert (t["budget"].passed, t["budget"].not_yet, t["budget"].not_checked) == (0, 1, 2)
    assert t["smart-objectives"].not_checked == 3 and t["smart-objectives"].unmet == ()
    # C's residual 20 above its inherent 16 does not meet the "residual" rule; A's register meets it
    assert ("residual", 1) in t["risk-register"].unmet

    risk = {r["measure"]: r["value"] for r in t["risk-register"].own}
    assert risk["Inherent score (L × I)"] == "4 to 16 (median 12)"
    assert risk["Residual score"] == "2 to 20 (median 4)"
    assert risk["Residual higher than inherent"] == "1 risk"
    assert risk["Commonest risks (same wording)"] == "tutor leaves (2)"
    assert risk["Commonest categories"] == "staffing (2); pupils (1)"
    assert risk["Risks per register"] == "1 to 2 (median 1.5)"
    budget = {r["measure"]: r["value"] for r in t["budget"].own}
    assert budget["Total cost"] == "£1,050.00 to £2,200.00 (median £1,625.00)"
    assert budget["Cost per pupil"] == "£52.50 to £55.00 (median £53.75)"
    assert budget["Contingency (%)"] == "5 to 10 (median 7.5)"

    m = {r.module: r for r in summary.modules}
    assert (m["resources-1"].taking, m["resources-1"].started, m["resources-1"].quiz_passed) == (3, 3, 0)


def test_exports_hold_the_view_and_no_names_when_anonymous(tmp_path):
    _, raw = make_room(tmp_path)
    summary = cohort.summarise(cohort.read_candidates(raw)[0])
    page = cohort.printable_page(summary, anonymous=True, today=dt.date(2026, 12, 1)).decode()
    assert "Ana Lopez" not in page and "Candidate 1" in page and "01/12/2026" in page
    assert "<script" not in page and "http" not in page
    assert "Ana Lopez" in cohort.printable_page(summary, anonymous=False).decode()
    book = openpyxl.load_workbook(io.BytesIO(cohort.xlsx(summary, anonymous=True)))
    assert book.sheetnames == ["Candidates", "Knowledge checks", "Tasks", "Task summaries", "Module progress"]
    cells = [c for ws in book for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert "Ana Lopez" not in cells and "Candidate 1" in cells and "3900 (2)" in cells


def test_bad_and_duplicate_files_are_named_and_skipped(tmp_path):
    _, raw = make_room(tmp_path)
    people, problems = cohort.read_candidates([raw[0], ("junk.json", b"not json"), ("again.json", raw[0][1])])
    assert len(people) == 1
    assert problems[0].startswith("junk.json: This is not an NPQ Workbook file")
    assert problems[1] == "again.json: this is the same candidate's workbook as a.json, so it was not added twice."


# -- feedback files -------------------------------------------------------------------------------------------------
def test_feedback_round_trip_and_kept_in_the_workbook(tmp_path):
    files, raw = make_room(tmp_path)
    people, _ = cohort.read_candidates(raw)
    ana = people[0]
    assert ana.workbook_id == workbook_id(files[0])
    data = make_feedback(ana.workbook_id, [
        {"task": "risk-register", "task_title": "Risk register", "text": "Check R1's mitigation."},
        {"task": "budget", "task_title": "Project budget", "text": "  "}], event="Leeds, day 2")
    new = load_feedback(files[0], data)
    assert [c["text"] for c in new] == ["Check R1's mitigation."]  # the blank one is not sent
    kept = comments_by_task(files[0])
    assert kept["risk-register"][0]["event"] == "Leeds, day 2"
    assert files[0].load(FEEDBACK_DOC).data["files"] == [json.loads(data)["file_id"]]
    # it travels with the candidate's downloaded work
    assert any(env["doc_id"] == FEEDBACK_DOC for env in json.loads(export_bundle(files[0]))["documents"])


def _feedback_file(for_id, **over):
    body = travel.make("task-feedback", 1, for_id, "facilitator",
                       {"comments": [{"task": "budget", "task_title": "Budget", "text": "Good."}]}).to_dict()
    body.update(over)
    body["checksum"] = travel.checksum(body)
    return json.dumps(body).encode()


@pytest.mark.parametrize("case, fragment", [
    ("another workbook", "is for another round or workbook"),
    ("twice", "has already been loaded"),
    ("damaged", "is damaged"),
    ("kind", "this place loads task-feedback files"),
    ("newer", "made by a newer version"),
    ("not json", "not valid JSON"),
    ("from a rater", "not feedback from a facilitator"),
    ("no comments", "holds no comments"),
    ("comments not a list", "it holds no comments"),
    ("too big", "is too big"),
])
def test_every_refusal_is_one_plain_sentence_and_keeps_nothing(tmp_path, case, fragment):
    wb = Workbook(tmp_path / "me")
    own = workbook_id(wb)
    other = workbook_id(Workbook(tmp_path / "other"))
    raw = {
        "another workbook": lambda: _feedback_file(other),
        "twice": lambda: _feedback_file(own),
        "damaged": lambda: _feedback_file(own).replace(b"Good.", b"Bad.."),
        "kind": lambda: _feedback_file(own, kind="360-response"),
        "newer": lambda: _feedback_file(own, schema_version=2),
        "not json": lambda: b"{nope",
        "from a rater": lambda: _feedback_file(own, **{"from": "peer"}),
        "no comments": lambda: _feedback_file(own, content={"comments": []}),
        "comments not a list": lambda: _feedback_file(own, content={"comments": "Good."}),
        "too big": lambda: b" " * (travel.MAX_BYTES + 1),
    }[case]()
    if case == "twice":
        load_feedback(wb, raw)
    before = kept_feedback(wb)
    with pytest.raises(travel.TravelError) as err:
        load_feedback(wb, raw)
    assert fragment in str(err.value) and "\n" not in str(err.value)
    assert kept_feedback(wb) == before


def test_feedback_needs_a_workbook_code_and_a_comment():
    with pytest.raises(ValueError, match="no workbook code"):
        make_feedback("", [{"task": "budget", "text": "x"}])
    with pytest.raises(ValueError, match="no comments"):
        make_feedback("wb-0123456789ab", [{"task": "budget", "text": ""}])


def test_the_workbook_code_is_stable_and_random(tmp_path):
    a, b = Workbook(tmp_path / "a"), Workbook(tmp_path / "b")
    assert workbook_id(a) == workbook_id(a) != workbook_id(b)
    assert workbook_id(Workbook(tmp_path / "c"), create=False) is None


def test_the_knowledge_check_keeps_the_first_answers():
    from npq_widgets.course import load_module
    from npq_widgets.widgets.quiz import QuizView

    view = QuizView(load_module("resources-1").quiz)
    view.cards[0].input.value = "3900"
    view.check()
    view.cards[0].input.value = "3932"
    view.check()
    assert view.artefact["first"]["q1"] == "3900" and view.artefact["responses"]["q1"] == "3932"
    again = QuizView(load_module("resources-1").quiz)
    again.load(view.artefact)
    again.check()
    assert again.artefact["first"]["q1"] == "3900"  # a later session never replaces the first answers


# -- the pages, without a kernel --------------------------------------------------------------------------------------
def test_the_cohort_page_loads_files_toggles_names_and_sends_feedback(tmp_path):
    from npq_widgets.pages.cohort import DRAFTS_DOC, CohortView, FeedbackPage

    files, raw = make_room(tmp_path)
    mine = Workbook(tmp_path / "facilitator")
    view = CohortView(workbook=mine, today=dt.date(2026, 12, 1))
    view.load_files(raw[:2])
    view.load_files(raw[1:] + [("junk.json", b"{}")])
    assert len(view.candidates) == 3
    assert "b.json: this is the same candidate&#x27;s workbook as b.json" in view.message.value
    assert "junk.json" in view.message.value
    assert "Ana Lopez" not in view.view.value and "Candidate 1" in view.view.value  # anonymous by default
    view.anonymous.value = False
    assert "Ana Lopez" in view.view.value and view.who.options[0] == ("Ana Lopez", 1)
    assert "3900 (2)" in view.view.value

    view.prepare_xlsx()
    assert 'download="npq-room.xlsx"' in view.downloads.value
    view.prepare_printable()
    assert 'download="npq-room.html"' in view.downloads.value

    view.who.value = 1
    view.task.value = "risk-register"
    view.prepare_feedback()
    assert "no comments for this candidate yet" in view.feedback_area.value.lower()
    view.bank_choice.value = view.bank_choice.options[0]
    view.use_button.click()
    assert "residual scores are higher" in view.comment.value
    view.add_button.click()
    assert "risk register" in view.comments.value.lower() and "residual scores" in view.comments.value
    assert mine.load(DRAFTS_DOC).data["drafts"][files[0].load("workbook-id").data["id"]][0]["task"] == "risk-register"
    view.comment.value = "Name an owner for R2."
    view.keep_button.click()
    assert "Name an owner for R2." in view.bank_choice.options
    assert "Name an owner for R2." in CohortView(workbook=mine).bank_choice.options  # the bank is kept
    view.add_button.click()
    name, data = view.feedback_bytes()
    assert name == "npq-feedback-ana-lopez-2026-12-01.json"

    page = FeedbackPage(workbook=files[0])
    page.load_bytes(data, name=name)
    assert "Loaded" in page.message.value and "2 comments" in page.message.value
    assert "risk register" in page.shown.value.lower() and "Name an owner for R2." in page.shown.value
    assert 'href="risk-register.ipynb"' in page.shown.value
    page.load_bytes(data, name=name)
    assert "has already been loaded" in page.message.value and "Nothing was changed" in page.message.value
    other = FeedbackPage(workbook=files[1])
    other.load_bytes(data, name=name)
    assert "for another round or workbook" in other.message.value
    assert "No feedback yet" in other.shown.value
