"""The paged table (widgets/table.py) and the risk register and project plan that use it: a page of rows in an HTML
table, one form for the chosen row, no widgets per row, and saved work read exactly as the per-row widgets read it."""

import copy
import json
from pathlib import Path

import ipywidgets as w
import pytest

from npq_widgets.apps import model_answer_view, task_app
from npq_widgets.registry import get_task
from npq_widgets.widgets.table import PagedTable

FIXTURES = Path(__file__).parent / "fixtures"


def _table(n, chosen=None):
    picked = []
    t = PagedTable("Risks in the register", ["ID", "Risk"], noun="risk", on_choose=picked.append)
    t.set_rows([(f"R{i + 1}", f"risk {i + 1}") for i in range(n)], [f"R{i + 1}" for i in range(n)], chosen)
    return t, picked


def test_table_is_real_html_with_caption_and_header_scopes():
    t, _ = _table(3)
    html = t.table.value
    assert html.count('<th scope="col">') == 2 and html.count('<th scope="row">') == 3
    assert "<caption>Risks in the register — Risks 1–3 of 3</caption>" in html


def test_table_pages_of_25_with_previous_and_next():
    t, picked = _table(60, chosen=0)
    assert t.pages == 3 and t.previous.disabled and not t.next.disabled
    assert "Risks 1–25 of 60" in t.status.value and t.table.value.count('<th scope="row">') == 25
    assert t.previous.description == "Previous 25 risks" and t.next.description == "Next 25 risks"
    t.next.click()
    assert "Risks 26–50 of 60 (page 2 of 3)" in t.status.value and "<th scope=\"row\">R26" in t.table.value
    assert "R25" not in t.table.value and picked == [25]  # the first row of the new page is chosen
    assert [v for _, v in t.menu.options] == list(range(25, 50))  # the menu lists the rows shown
    t.next.click()
    assert "Risks 51–60 of 60" in t.status.value and t.next.disabled and not t.previous.disabled
    t.previous.click()
    t.previous.click()
    assert "Risks 1–25 of 60" in t.status.value and t.previous.disabled


def test_choosing_from_the_menu_marks_the_row_in_words_and_tells_the_owner():
    t, picked = _table(30, chosen=0)
    t.menu.value = 3
    assert picked == [3] and t.chosen == 3
    assert '<tr class="npq-row-chosen"><th scope="row">R4 <span class="npq-help">(editing)</span>' in t.table.value


def test_learner_text_is_escaped_and_an_empty_table_says_so():
    t = PagedTable("Risks", ["ID", "Risk"], noun="risk")
    assert "No risks yet" in t.table.value and t.previous.disabled and t.next.disabled
    t.set_rows([("R1", "<script>alert(1)</script>")], ["R1"])
    assert "<script>" not in t.table.value and "&lt;script&gt;" in t.table.value


@pytest.mark.parametrize("task_id", ["risk-register", "project-plan"])
def test_messy_saved_rows_are_read_exactly_as_the_per_row_widgets_read_them(task_id):
    # the fixture was written by the views as they were before the table (one set of widgets per row)
    case = json.loads((FIXTURES / "rows-read-as-before.json").read_text())[task_id]
    app = task_app(task_id)
    app.load(case["input"])
    got = app.artefact
    for key in ("risks", "tasks", "candidate", "project"):
        if key in case["artefact"]:
            assert got[key] == case["artefact"][key], key
    app.load(got)
    assert app.artefact == got


def _widgets(app):
    seen, todo = 0, [app]
    while todo:
        wid = todo.pop()
        seen += 1
        todo.extend(getattr(wid, "children", ()) or ())
    return seen


def _risks(n):
    art = copy.deepcopy(dict(get_task("risk-register").scenario().model_answer))
    art["risks"] = [dict(art["risks"][i % 6], id=f"R{i + 1}") for i in range(n)]
    return art


def test_500_risks_build_no_more_widgets_than_one():
    one, many = task_app("risk-register"), task_app("risk-register")
    one.load(_risks(1))
    many.load(_risks(500))
    assert _widgets(many) == _widgets(one)
    assert isinstance(many.table.table, w.HTML) and many.table.table.value.count('<th scope="row">') == 25


def test_edit_a_risk_on_page_20_changes_only_that_risk():
    app = task_app("risk-register")
    app.load(_risks(500))
    before = app.artefact
    app.table.go(19)
    assert "Risks 476–500 of 500" in app.table.status.value and app.form.risk_id == "R476"
    app.table.menu.value = 480
    app.form.description.value = "The minibus breaks down"
    app.form.owner.value = "Business manager"
    after = app.artefact
    assert after["risks"][480]["description"] == "The minibus breaks down" and app.form.risk_id == "R481"
    assert [r for i, r in enumerate(after["risks"]) if i != 480] == [r for i, r in enumerate(before["risks"])
                                                                      if i != 480]
    assert "The minibus breaks down" in app.table.table.value and "R481 — The minibus" in str(app.table.menu.options)


def test_removing_every_risk_leaves_a_plain_note_and_add_brings_the_form_back():
    app = task_app("risk-register")
    app.form.remove.click()
    assert app.risks == [] and app.form.layout.display == "none" and "register is empty" in app.empty_note.value
    assert "0 risks" in app.summary.value
    app.add_button.click()
    assert app.form.layout.display is None and app.form.risk_id == "R1" and app.empty_note.value == ""


def test_plan_renaming_a_task_updates_the_table_and_the_dependency_menu():
    app = model_answer_view("project-plan")
    app.table.choose(1)
    app.form.name.value = "Agree the approach"
    assert "<td>Agree the approach</td>" in app.table.table.value
    app.table.choose(2)
    assert ("T2 Agree the approach", "T2") in list(app.form.depends_on.options)
    assert app.artefact["tasks"][1]["name"] == "Agree the approach"
