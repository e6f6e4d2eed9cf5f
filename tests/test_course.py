"""The course: 13 module notebooks with catalogue titles, the editorial module map, module pages and the progress map."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from npq_widgets.catalogue import load_catalogue
from npq_widgets.catalogue.module_map import load_module_map
from npq_widgets.course import (load_module, module_doc, module_ids, module_title, modules_for, neighbours,
                                read_progress)
from npq_widgets.store.workbook import Workbook

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def test_thirteen_modules_each_with_a_notebook():
    ids = module_ids()
    assert len(ids) == 13 and "teaching-3-npqel" in ids
    for mid in ids:
        nb = json.loads((NOTEBOOKS / "modules" / f"{mid}.ipynb").read_text())
        assert f"module({mid!r})" in "".join(nb["cells"][-1]["source"])


def test_module_map_is_editorial_and_names_only_catalogue_facts():
    mm = load_module_map()
    assert mm.note
    cat = load_catalogue()
    assert {c for m in mm.modules for c in m.criteria} == {c.id for c in cat.criteria}  # every criterion covered
    for m in mm.modules:
        assert m.criteria and m.content_areas and m.reformed_content_areas


@pytest.mark.parametrize("qid", ["NPQML-legacy", "NPQSL-legacy", "NPQEL-legacy"])
def test_every_module_title_of_the_qualification_is_present(qid):
    q = load_catalogue().get(qid)
    shown = {module_title(mid, qid) for mid in modules_for(qid)}
    assert shown == {m.title for m in q.modules}
    assert len(modules_for(qid)) == 12


def test_npqel_takes_school_to_school_support():
    assert "teaching-3-npqel" in modules_for("NPQEL-legacy") and "teaching-3" not in modules_for("NPQEL-legacy")
    assert module_title("teaching-3-npqel", "NPQEL-legacy") == "School to school support"
    assert "teaching-3-npqel" not in modules_for("NPQML-legacy")


def test_reformed_programmes_use_the_standard_set():
    assert modules_for("NPQH-reformed") == modules_for("NPQSL-legacy")


@pytest.mark.parametrize("mid", [m for m in ["strategy-1", "teaching-2", "resources-4"]])
def test_module_content_loads_with_a_4_to_8_question_quiz(mid):
    m = load_module(mid)
    assert 4 <= len(m.quiz.questions) <= 8 and m.outcomes and m.prompts and m.reading


def test_all_modules_load():
    for mid in module_ids():
        m = load_module(mid)
        assert 4 <= len(m.quiz.questions) <= 8
        assert len({q.type for q in m.quiz.questions}) >= 3


def test_navigation_order():
    assert neighbours("strategy-1", "NPQML-legacy") == (None, "strategy-2")
    assert neighbours("strategy-4", "NPQML-legacy") == ("strategy-3", "teaching-1")
    assert neighbours("teaching-2", "NPQEL-legacy")[1] == "teaching-3-npqel"
    assert neighbours("resources-4", "NPQML-legacy")[1] is None


def test_answers_are_not_in_notebook_sources():
    for nb in (NOTEBOOKS / "modules").glob("*.ipynb"):
        text = nb.read_text()
        assert "correct" not in text and "answer" not in text


# -- pages, without a kernel -----------------------------------------------------------------------------------
def _answer_all_right(quiz_view):
    for card in quiz_view.cards:
        q = card.q
        if q.type == "single":
            card.response = next(i for i, o in enumerate(q.options) if o.correct)
        elif q.type == "multiple":
            card.response = [i for i, o in enumerate(q.options) if o.correct]
        elif q.type == "numeric":
            card.response = str(q.answer)
        elif q.type == "order":
            card.response = list(q.items)
        else:
            card.response = {left: right for left, right in q.pairs}


def test_module_page_saves_quiz_and_reflections_and_the_map_shows_them(_isolated_home):
    from npq_widgets.apps import contents, module

    box = module("strategy-1")
    page = box.page
    assert "Context for change &amp; strategic development" in page.children[1].value
    assert "1.1.1" in page.children[1].value and "editorial" in page.children[1].value
    first_prompt = next(iter(page.reflections.values()))
    first_prompt.text.value = "Our most quoted figure is the Year 11 headline."
    _answer_all_right(page.quiz)
    page.quiz.check_button.click()
    assert "✔ Passed" in page.quiz.feedback.value
    saved = Workbook.for_key().load(module_doc("strategy-1")).data
    assert saved["quiz"]["last"]["passed"] is True

    again = module("strategy-1").page  # after a restart
    assert again.quiz.responses() == page.quiz.responses()
    assert next(iter(again.reflections.values())).text.value.startswith("Our most quoted")

    progress = {p.module: p for p in read_progress(Workbook.for_key(), "NPQML-legacy")}
    assert progress["strategy-1"].quiz_passed and progress["strategy-1"].reflections_written == 1
    c = contents().page
    html = c.map.value
    assert 'data-module="strategy-1"' in html and "✔ passed" in html
    assert "knowledge check passed: strategy-1" in html  # evidence for criterion 1.1.1


def test_contents_choice_of_qualification_is_saved_and_changes_titles(_isolated_home):
    from npq_widgets.apps import contents, module

    c = contents().page
    c.qualification.value = "NPQEL-legacy"
    assert "School to school support" in c.map.value
    # NPQEL has no criteria of its own in the sources: the page says so, and shows no criteria table
    assert ("The sources list assessment criteria for NPQML only; NPQEL's project is assessed against its own mark "
            "scheme.") in html.unescape(c.map.value)
    assert "npq-criteria" not in c.map.value
    assert contents().page.qualification.value == "NPQEL-legacy"
    page = module("teaching-3-npqel").page
    assert "School to school support" in page.children[1].value


def test_reformed_engagement_view(_isolated_home):
    from npq_widgets.apps import contents

    c = contents().page
    c.qualification.value = "NPQH-reformed"
    html = c.map.value
    # nothing done yet: 0 of the activities, 0%, below the 90% needed
    assert re.search(r"<strong>0 of \d+</strong> workbook activities completed: <strong>0%</strong>", html), html
    assert "Below the 90% engagement needed" in html
    assert "112" in html  # the NPQH stage-hours total


def test_task_checked_in_a_module_counts(_isolated_home):
    from npq_widgets.apps import contents, task_app

    view = task_app("smart-objectives")
    view.load(dict(view.task.scenario().model_answer))
    view.check()
    c = contents().page
    c.qualification.value = "NPQML-legacy"
    assert "✔ SMART objectives for a team member" in c.map.value
    assert "SMART objectives for a team member: met" in c.map.value


@pytest.mark.parametrize("qid", ["NPQML-legacy", "NPQSL-legacy", "NPQEL-legacy", "NPQH-legacy"])
def test_npqel_teaching_3_keeps_its_title_and_neighbours_for_every_qualification(qid):
    """Issue 12: the NPQEL module 'School to school support' showed its sibling's title, and '← Previous' went to
    that sibling instead of module 2."""
    assert module_title("teaching-3-npqel", qid) == "School to school support"
    assert neighbours("teaching-3-npqel", qid) == ("teaching-2", "teaching-4")


def test_the_sibling_shown_to_npqel_keeps_its_own_title_and_neighbours():
    assert module_title("teaching-3", "NPQEL-legacy") == "Growing talent and quality momentum"
    assert neighbours("teaching-3", "NPQEL-legacy") == ("teaching-2", "teaching-4")


def test_npqel_teaching_3_page_title_and_previous_link():
    from npq_widgets.pages.module import ModulePage

    page = ModulePage("teaching-3-npqel", "NPQML-legacy")
    header = page.children[1].value
    assert "<h1>School to school support</h1>" in header and "Growing talent" not in header
    assert 'href="teaching-2.ipynb"' in header and 'href="teaching-3.ipynb"' not in header


def test_a_module_builds_its_tasks_only_when_opened_and_they_keep_saved_work(_isolated_home, monkeypatch):
    """strategy-2 embeds the project plan and the risk register: closed, each shows its title and last check from
    the store; opening builds the view once, with the work saved in the same workbook."""
    import npq_widgets.apps as apps
    from npq_widgets.apps import module, task_app
    from npq_widgets.pages.module import TaskSlot

    built = []
    real_task_view = apps.task_view

    def counting_task_view(task_id, *args, **kwargs):
        built.append(task_id)
        return real_task_view(task_id, *args, **kwargs)

    monkeypatch.setattr(apps, "task_view", counting_task_view)

    saved = task_app("risk-register")  # the learner's work in the app, checked once
    saved.load(dict(saved.task.scenario().model_answer))
    assert saved.check().passed_all
    built.clear()

    page = module("strategy-2").page
    assert built == []  # no task view built with the page
    slots = {s.task_id: s for s in page.task_slots}
    assert set(slots) == {"project-plan", "risk-register"}
    # nothing built yet: no task view anywhere on the page
    assert not any(hasattr(wid, "task") for wid in _walk(page)), "a task view was built before it was opened"
    assert all(isinstance(s, TaskSlot) and s in page.children and not s.opened for s in slots.values())
    assert "everything met" in slots["risk-register"].status.value
    assert "Not checked yet" in slots["project-plan"].status.value
    assert "<h3" in slots["risk-register"].title.value and "Project risk register" in slots["risk-register"].title.value

    slots["risk-register"].open_button.click()
    view = slots["risk-register"].view
    assert view is not None and view.task.id == "risk-register" and slots["risk-register"].children == (view,)
    assert view.artefact["risks"] == saved.artefact["risks"]  # the saved work came back
    assert slots["risk-register"].open_task() is view and built == ["risk-register"]  # once, not rebuilt
    assert "<h1" not in "".join(wid.value for wid in _walk(view) if hasattr(wid, "value")
                                and isinstance(wid.value, str))  # headings sit under the module's h1 and h2
    assert not slots["project-plan"].opened

    view.add_risk()  # a change in the opened task is saved as the app's own work
    view.autosave.flush()
    assert len(Workbook.for_key().load("risk-register--" + view.scenario.id).data["risks"]) == \
        len(saved.artefact["risks"]) + 1


def test_a_task_that_cannot_be_opened_says_so_plainly():
    from npq_widgets.pages.module import ModuleTask, TaskSlot

    def broken():
        raise OSError("disk gone")

    slot = TaskSlot(ModuleTask("risk-register", "Risk register", broken))
    slot.open_button.click()
    assert slot.view is None and not slot.open_button.disabled
    assert "could not be opened" in slot.message.value and "disk gone" not in slot.message.value


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)
