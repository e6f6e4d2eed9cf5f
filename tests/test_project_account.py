"""The legacy project account (issue 18): structure quoted from the catalogue, word limits at their edges, the
timeline's two-term and 18-month warnings on the term calendar, the evidence map from a seeded workbook, the app."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from npq_widgets.catalogue import load_catalogue
from npq_widgets.registry import get_task
from npq_widgets.store.workbook import Workbook
from npq_widgets.tasks.project_account.model import (ProjectAccountFigures, add_months, evidence_map, read_account,
                                                     structure, timeline, word_counts)

FIXTURES = Path(__file__).parent / "fixtures"
FIGS = ProjectAccountFigures(tolerance_days=7)


def _account(qualification="NPQML-legacy", **extra):
    base = json.loads((FIXTURES / "project-account-v1.json").read_text())
    base["qualification"] = qualification
    base.update(extra)
    return base


def _words(n):
    return " ".join(["word"] * n)


# -- structure ------------------------------------------------------------------------------------------------------
def test_npqml_has_part_a_and_b_with_a_section_per_criterion_quoted_from_the_catalogue():
    s = structure("NPQML-legacy")
    crit = {c.id: c for c in load_catalogue().get("NPQML-legacy").criteria}
    assert [p.key for p in s.parts] == ["A", "B"]
    assert [x.id for x in s.parts[0].sections] == ["1.1.1", "1.1.2", "1.1.3", "2.1.1", "2.1.2", "2.1.3", "3.1.1",
                                                   "3.1.2", "4.1.1", "4.1.2"]
    assert [x.id for x in s.parts[1].sections] == ["5.1.1", "5.1.2", "5.1.3", "6.1.1", "6.1.2", "6.1.3"]
    assert all(x.quote == crit[x.id].text for x in s.sections)
    assert s.parts[0].aim == "improving pupil progress and attainment"
    assert (s.word_limit, s.min_terms, s.completion_months) == (4500, 2, 18)


def test_npqsl_uses_the_seeds_aims_and_invents_no_criteria():
    s = structure("NPQSL-legacy")
    desc = str(load_catalogue().get("NPQSL-legacy").assessment.description[0])
    assert [x.quote for x in s.sections] == ["reduce variation in pupil progress and attainment",
                                             "improve the efficiency and effectiveness of teaching"]
    assert all(x.quote in desc and x.criterion is None for x in s.sections)
    assert s.word_limit == 5000 and "NPQML only" in s.criteria_note


def test_npqel_has_task_1_and_task_2_and_no_word_limit_unless_a_figure_sets_one():
    s = structure("NPQEL-legacy", FIGS)
    tasks = load_catalogue().get("NPQEL-legacy").assessment.tasks
    assert [p.title for p in s.parts] == ["Task 1", "Task 2"]
    assert [x.quote for x in s.sections] == [str(t.text) for t in tasks]
    assert s.word_limit is None and s.min_terms is None
    assert structure("NPQEL-legacy", dataclasses.replace(FIGS, npqel_word_limit=6000)).word_limit == 6000
    task = get_task("project-account")
    huge = _account("NPQEL-legacy", sections={"task1": _words(9000), "task2": _words(9000)},
                    projects={"A": "Growth strategy", "B": "Trust maths"})
    item = next(i for i in task.check(huge).items if i.id == "within-limit")
    assert item.passed and "no word limit" in item.message


# -- word limits at the edges -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("qualification,ids,limit", [("NPQML-legacy", ("1.1.1", "6.1.3"), 4500),
                                                     ("NPQSL-legacy", ("a", "b"), 5000)])
@pytest.mark.parametrize("two_projects", [False, True])
def test_word_limit_at_the_edge_with_annexes_excluded(qualification, ids, limit, two_projects):
    task = get_task("project-account")
    half = limit // 2
    sections = {ids[0]: _words(half), ids[1]: _words(limit - half)}
    art = _account(qualification, sections=sections, annexes=_words(3000), two_projects=two_projects,
                   projects={"A": "One", "B": "Two"})
    counts = word_counts(read_account(art), structure(qualification))
    assert counts.total == limit and counts.annexes == 3000 and counts.limit == limit
    assert counts.parts["A"] == half and counts.parts["B"] == limit - half
    assert next(i for i in task.check(art).items if i.id == "within-limit").passed
    art["sections"][ids[1]] += " one"
    item = next(i for i in task.check(art).items if i.id == "within-limit")
    assert not item.passed and f"{limit + 1:,} words: 1 over the limit of {limit:,}" in item.message


def test_a_section_of_another_qualification_does_not_count():
    art = _account("NPQSL-legacy", sections={"a": "ten words " * 5, "1.1.1": _words(9999)})
    assert word_counts(read_account(art), structure("NPQSL-legacy")).total == 10


# -- the timeline ---------------------------------------------------------------------------------------------------
def _tl(programme, start, end, q="NPQML-legacy"):
    art = _account(q, programme_start=programme, project_start=start, project_end=end)
    return timeline(read_account(art), structure(q, FIGS), FIGS)


@pytest.mark.parametrize("start,end,whole,warned", [
    ("02/11/2026", "21/07/2027", 2, False),     # the Oakfield project: spring and summer
    ("04/01/2027", "31/03/2027", 1, True),      # one term only
    ("11/01/2027", "15/07/2027", 2, False),     # 7 days late into spring and 7 days early out of summer: still whole
    ("12/01/2027", "15/07/2027", 1, True),      # 8 days late into spring: spring is no longer whole
    ("11/01/2027", "14/07/2027", 1, True),      # 8 days early out of summer
    ("01/09/2026", "31/03/2027", 2, False),     # autumn and spring, across the Christmas holiday
    ("01/04/2027", "30/04/2027", 0, True),      # the Easter holiday and part of summer: no whole term
])
def test_two_terms_on_the_school_term_calendar(start, end, whole, warned):
    t = _tl("01/09/2026", start, end)
    assert len(t.whole_terms) == whole
    assert any("at least 2 terms" in w for w in t.warnings) == warned


@pytest.mark.parametrize("programme,end,deadline,warned", [
    ("01/10/2026", "01/04/2028", "01/04/2028", False),   # ends on the last day
    ("01/10/2026", "02/04/2028", "01/04/2028", True),    # one day after
    ("31/08/2026", "29/02/2028", "29/02/2028", False),   # 31 August + 18 months: the end of February (leap year)
    ("31/08/2026", "01/03/2028", "29/02/2028", True),
    ("31/08/2027", "28/02/2029", "28/02/2029", False),   # not a leap year
])
def test_the_18_month_limit_from_the_programme_start(programme, end, deadline, warned):
    t = _tl(programme, "01/09/2027", end)
    assert t.deadline.strftime("%d/%m/%Y") == deadline
    assert any("within 18 months" in w for w in t.warnings) == warned


def test_add_months_clamps_to_the_month_end():
    assert add_months(dt.date(2027, 1, 31), 1) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2026, 10, 1), 18) == dt.date(2028, 4, 1)


def test_npqel_has_no_two_term_check_but_keeps_the_18_months():
    t = _tl("01/09/2026", "04/01/2027", "31/01/2027", "NPQEL-legacy")
    assert not any("terms" in w for w in t.warnings)
    assert _tl("01/09/2026", "04/01/2027", "01/06/2028", "NPQEL-legacy").warnings


def test_unreadable_and_reversed_dates_are_plain_messages():
    t = _tl("31/02/2026", "01/05/2027", "01/01/2027")
    assert any("does not exist" in p for p in t.problems) and any("before it starts" in p for p in t.problems)
    result = get_task("project-account").check(_account(project_end="soon"))
    item = next(i for i in result.items if i.id == "timeline")
    assert not item.passed and "not a date" in item.message


# -- the evidence map from a seeded workbook ----------------------------------------------------------------------------
def _seed(wb: Workbook, reflections: bool = True) -> None:
    from npq_widgets.course import modules_for

    wb.save("profile", {"task": "profile", "schema_version": 1, "qualification": "NPQML-legacy"})
    for doc, task, status in (("risk-register--free", "risk-register", "pass"), ("budget--free", "budget", "fail"),
                              ("data-analysis--free", "data-analysis", "pass")):
        wb.save(f"check--{doc}", {"task": "check", "schema_version": 1, "doc": doc, "checked_task": task,
                                  "status": status, "score": 1, "max_score": 2, "attempts": 1})
    if reflections:
        for m in modules_for("NPQML-legacy"):
            wb.save(f"module--{m}", {"task": "module", "schema_version": 1, "module": m, "quiz": {},
                                     "reflections": {"r1": "I reflected on this."}})


def test_evidence_map_from_a_seeded_workbook_gives_every_criteria_status(_isolated_home):
    from npq_widgets.apps import workbook_evidence

    wb = Workbook.for_key()
    _seed(wb)
    part_a = ["1.1.1", "1.1.2", "1.1.3", "2.1.1", "2.1.3", "3.1.1", "3.1.2", "4.1.1", "4.1.2"]
    art = _account(sections={c: "Some words here." for c in part_a + ["5.1.3"]})
    rows = {r.id: r for r in evidence_map(read_account(art), structure("NPQML-legacy"), workbook_evidence(wb))}
    expected = {"1.1.1": "complete", "1.1.2": "complete", "1.1.3": "complete", "2.1.1": "complete",
                "2.1.2": "in progress", "2.1.3": "in progress", "3.1.1": "complete", "3.1.2": "complete",
                "4.1.1": "in progress", "4.1.2": "complete", "5.1.1": "in progress", "5.1.2": "in progress",
                "5.1.3": "complete", "6.1.1": "in progress", "6.1.2": "in progress", "6.1.3": "in progress"}
    assert {k: r.status for k, r in rows.items()} == expected
    assert "5.1.2 needs a project plan: none checked yet." in rows["5.1.2"].missing
    assert "2.1.3 needs pupil performance data: none checked yet." in rows["2.1.3"].missing
    assert any(m.startswith("5.1.1 needs a budget: yours has been checked but does not pass") for m in
               rows["5.1.1"].missing)
    assert any(m.startswith("4.1.1 needs sponsor comments: none loaded yet") for m in rows["4.1.1"].missing)
    assert "2.1.2: nothing written in its section of the account yet." in rows["2.1.2"].missing
    assert rows["5.1.3"].document_status == "pass" and rows["5.1.3"].words == 3
    assert all(t.task_id != "project-account" for r in rows.values() for t in r.tasks)
    # sponsor comments received: 4.1.1 no longer misses them
    from npq_widgets.tasks.project_account.model import read_sponsor_file, sponsor_file

    art["sponsor"] = read_sponsor_file(sponsor_file("p-1", {"comments": "Good work."}), "p-1")
    row = next(r for r in evidence_map(read_account(art), structure("NPQML-legacy"), workbook_evidence(wb))
               if r.id == "4.1.1")
    assert row.document_status == "received" and row.status == "complete"


def test_evidence_map_without_reflections_says_so_and_shows_not_started(_isolated_home):
    from npq_widgets.apps import workbook_evidence

    wb = Workbook.for_key()
    _seed(wb, reflections=False)
    rows = {r.id: r for r in evidence_map(read_account(_account(sections={})), structure("NPQML-legacy"),
                                          workbook_evidence(wb))}
    assert rows["6.1.3"].status == "not started"
    assert "6.1.3: no reflection written yet in the modules mapped to it." in rows["6.1.3"].missing
    assert rows["5.1.3"].status == "in progress"  # the risk register passes, but nothing is written


def test_npqsl_evidence_map_uses_npqml_criteria_without_section_words(_isolated_home):
    rows = evidence_map(read_account(_account("NPQSL-legacy")), structure("NPQSL-legacy"), None)
    assert len(rows) == 16 and all(r.words is None for r in rows)


# -- the app ---------------------------------------------------------------------------------------------------------
def test_app_counts_live_switches_qualification_without_losing_text_and_restores(_isolated_home):
    from npq_widgets.apps import task_app

    view = task_app("project-account", free_build=True)
    Workbook.for_key().save("profile", {"task": "profile", "schema_version": 1, "qualification": "NPQML-legacy"})
    view.section_boxes["1.1.1"].text.value = _words(4000)
    view.section_boxes["6.1.3"].text.value = _words(501)
    assert "Total: 4,501 of 4,500 words" in view.total.value and "1 words over" in view.total.value
    assert "Part A: 4,000 words" in view.part_totals["A"].value
    view.annexes.text.value = _words(800)
    assert "Total: 4,501 of 4,500" in view.total.value
    view.autosave.flush()
    view.qualification.value = "NPQSL-legacy"
    assert set(view.section_boxes) == {"a", "b"} and "of 5,000 words" in view.total.value
    view.section_boxes["a"].text.value = "Aim a."
    view.qualification.value = "NPQML-legacy"
    assert view.section_boxes["1.1.1"].text.value == _words(4000)
    assert view.artefact["sections"]["a"] == "Aim a."
    view.autosave.flush()
    assert "knowledge checks passed" in view.evidence.value
    assert "npq-evidence-map" in view.evidence.value and "5.1.3 needs a risk register: none checked yet" in \
        view.evidence.value
    view.section_boxes["1.1.1"].text.value = ""
    view.autosave.flush()
    # the version saved with 4,501 words (the list also holds the blank page the app first saved)
    first = next(value for label, value in view.versions.options if "4,501 words" in label)
    view.versions.value = first
    view.restore_selected()
    assert view.section_boxes["1.1.1"].text.value == _words(4000)


def test_app_timeline_warns_in_plain_words(_isolated_home):
    from npq_widgets.apps import task_app

    view = task_app("project-account", free_build=True)
    view.dates["programme_start"].value = "01/10/2026"
    view.dates["project_start"].value = "04/01/2027"
    view.dates["project_end"].value = "31/03/2027"
    assert "at least 2 terms" in view.timeline_html.value and "01/04/2028" in view.timeline_html.value
    view.dates["project_end"].value = "31/13/2027"
    assert "does not exist" in view.timeline_html.value and "Traceback" not in view.timeline_html.value


def test_docx_and_html_exports_read_back(tmp_path):
    from docx import Document

    task = get_task("project-account")
    art = task.scenario().model_answer
    out = task.export(dict(art), "docx", tmp_path / "a.docx")
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "Part A: improving pupil progress and attainment" in text and "5.1.3 Managing Resources and Risks" in text
    assert "Total: 767 of 4,500 words" in text and "Model account" in text
    html = task.export(dict(art), "html", tmp_path / "a.html").read_text()
    assert "Identifies and mitigates risks in plans, using a risk register" in html


def test_the_scenario_tells_the_oakfield_projects_dates():
    from npq_widgets.registry import project_facts

    facts = project_facts("oakfield-tutoring")
    sc = get_task("project-account").scenario()
    assert "${" not in sc.brief and facts["dates"]["project_start"] in sc.brief
    assert (sc.model_answer["project_start"], sc.model_answer["project_end"]) == \
        (facts["dates"]["project_start"], facts["dates"]["project_end"])


# -- sponsor comments (4.1.1) -------------------------------------------------------------------------------------------
def _sponsor_bytes(code, comments="Alex kept the team together through a difficult spring term."):
    from npq_widgets.apps import task_app

    form = task_app("project-account", role="sponsor")
    form.code.value = code
    form.candidate.value = "Alex Morgan"
    form.boxes["role"].text.value = "Deputy headteacher"
    form.boxes["comments"].text.value = comments
    form.prepare_download()
    assert "sponsor-comments.json" in form.download.value
    return form.file_bytes()


def test_sponsor_form_keeps_no_work_and_refuses_an_empty_file(_isolated_home):
    from npq_widgets.apps import task_app

    form = task_app("project-account", role="sponsor")
    assert form.keeps_no_work and not Workbook.for_key().ids()
    form.prepare_download()
    assert "project code" in form.download.value and "Traceback" not in form.download.value
    form.code.value = "p-abc"
    form.prepare_download()
    assert "Write your comments" in form.download.value


def test_sponsor_file_is_shown_as_received_without_an_edit_box(_isolated_home):
    import ipywidgets as w

    from npq_widgets.apps import task_app

    view = task_app("project-account", free_build=True)
    view.autosave.flush()
    code = view._project_id
    assert code.startswith("p-") and code in view.project_code.value
    comments = "Alex <b>kept</b> the team together through a difficult spring term."
    assert view.load_sponsor_file(_sponsor_bytes(code, comments), "sponsor-comments.json")
    assert "as received" in view.sponsor_view.value and "Alex &lt;b&gt;kept&lt;/b&gt;" in view.sponsor_view.value
    assert "Deputy headteacher" in view.sponsor_view.value

    def editable(widget):
        if isinstance(widget, (w.Text, w.Textarea)) and comments in widget.value:
            return True
        return any(editable(c) for c in getattr(widget, "children", ()))

    assert not editable(view)
    saved = Workbook.for_key().load(view.autosave.doc_id).data
    assert saved["sponsor"]["content"]["comments"] == comments and saved["sponsor"]["for"] == code
    row = next(r for r in view.evidence_rows if r.id == "4.1.1")
    assert row.document_status == "received"
    again = task_app("project-account", free_build=True)  # after a restart: the same code, the comments as received
    assert again._project_id == code and comments.replace("<b>", "&lt;b&gt;")[:10] in again.sponsor_view.value


@pytest.mark.parametrize("case,message", [
    ("bad", "not valid JSON"),
    ("foreign", "for another round or workbook"),
    ("kind", "this place loads sponsor-comments files"),
    ("tampered", "is damaged"),
])
def test_bad_foreign_and_tampered_sponsor_files_change_nothing(_isolated_home, case, message):
    from npq_widgets.apps import task_app
    from npq_widgets.store import travel

    view = task_app("project-account", free_build=True)
    view.autosave.flush()
    code = view._project_id
    if case == "bad":
        raw = b"{not json"
    elif case == "foreign":
        raw = _sponsor_bytes("p-someoneelse")
    elif case == "kind":
        raw = travel.dumps(travel.make("360-response", 1, code, "peer", {"x": 1}))
    else:
        doc = json.loads(_sponsor_bytes(code))
        doc["content"]["comments"] = "Outstanding in every way."  # edited by hand after it was made
        raw = json.dumps(doc).encode()
    assert not view.load_sponsor_file(raw, "sponsor.json")
    assert message in view.sponsor_msg.value and "Traceback" not in view.sponsor_msg.value
    assert view.artefact["sponsor"] == {} and "No sponsor comments loaded yet" in view.sponsor_view.value


def test_sponsor_comments_edited_in_saved_work_are_not_shown_as_received(_isolated_home):
    from npq_widgets.tasks.project_account.model import read_sponsor_file, sponsor_file
    from npq_widgets.tasks.project_account.view import sponsor_html

    env = read_sponsor_file(sponsor_file("p-1", {"comments": "Fine."}), "p-1")
    assert "as received" in sponsor_html(env)
    env["content"]["comments"] = "Superb."
    assert "no longer match" in sponsor_html(env) and "Superb" not in sponsor_html(env)
