"""The reformed route throughout: every module and task mapped to seed 004's ten content areas (editorial, checked
against the catalogue), the line on every task page, and a reformed candidate's contents page (progress by area and
the formative-assessment-task hours) while legacy candidates keep the criteria map."""

from __future__ import annotations

import html
import re

import pytest

from npq_widgets import contract
from npq_widgets.catalogue import load_catalogue
from npq_widgets.catalogue.module_map import load_module_map
from npq_widgets.contract import TaskError, task_reformed_mapping
from npq_widgets.registry import all_tasks, task_ids
from npq_widgets.store.workbook import Workbook

AREAS = [a.name for a in load_catalogue().reformed_content_areas]


def test_every_task_and_every_module_maps_to_a_valid_reformed_area():
    assert len(AREAS) == 10
    for t in all_tasks():
        assert t.reformed.content_areas, t.id
        assert set(t.reformed.content_areas) <= set(AREAS), t.id
        assert set(t.reformed.specialist_npqs) <= {"NPQLT", "NPQLTD", "NPQLBC"}, t.id
    for m in load_module_map().modules:
        assert m.reformed_content_areas and set(m.reformed_content_areas) <= set(AREAS), m.id
    # every area is practised by some task and taught by some module
    assert {a for t in all_tasks() for a in t.reformed.content_areas} == set(AREAS)
    assert {a for m in load_module_map().modules for a in m.reformed_content_areas} == set(AREAS)


def test_the_task_mapping_is_marked_editorial_in_each_task_yaml():
    from npq_widgets.paths import exercises_dir

    for tid in task_ids():
        text = (exercises_dir() / tid / "task.yaml").read_text(encoding="utf-8")
        assert "EDITORIAL mapping by NPQ Workbook" in text, tid


@pytest.mark.parametrize("spec, says", [
    ({"reformed_content_areas": ["School Culture", "Curriculum and Assessment"]}, "'Curriculum and Assessment'"),
    ({"reformed_content_areas": []}, "must list the reformed content areas"),
    ({}, "must list the reformed content areas"),
    ({"reformed_content_areas": ["Teaching"], "specialist_npqs": ["NPQML"]}, "specialist_npqs may name only"),
])
def test_a_typo_or_a_missing_mapping_is_refused(monkeypatch, spec, says):
    monkeypatch.setattr(contract, "task_spec", lambda _tid: {"id": "x", **spec})
    with pytest.raises(TaskError, match=re.escape(says)):
        task_reformed_mapping("x")


def test_mapping_keeps_the_seed_order():
    m = task_reformed_mapping("pd-impact")
    assert list(m.content_areas) == [a for a in AREAS if a in m.content_areas]


def _html_of(widget) -> str:
    out = []
    value = getattr(widget, "value", None)
    if isinstance(value, str):
        out.append(value)
    for child in getattr(widget, "children", ()) or ():
        out.append(_html_of(child))
    return "\n".join(out)


@pytest.mark.parametrize("task_id", task_ids())
def test_every_task_page_says_which_areas_it_practises(task_id, _isolated_home):
    from npq_widgets.apps import task_view
    from npq_widgets.registry import get_task

    task = get_task(task_id)
    view = task_view(task_id, model_answer=True)
    page = html.unescape(_html_of(view))
    lines = re.findall(r'<p class="npq-help npq-reformed-areas">(.*?)</p>', page)
    assert len(lines) == 1, "the line appears once, through the shared view"
    line = lines[0]
    assert line.startswith("Reformed NPQ content areas this task practises: ")
    numbers = {a.name: a.number for a in load_catalogue().reformed_content_areas}
    for area in task.reformed.content_areas:
        assert f"{numbers[area]}. {area}" in line
    for area in set(AREAS) - set(task.reformed.content_areas):
        assert f"{numbers[area]}. {area}" not in line
    assert "editorial mapping" in line
    assert ("specialist NPQs" in line) is bool(task.reformed.specialist_npqs)


def _contents(qid):
    from npq_widgets.apps import contents

    page = contents().page
    page.qualification.value = qid
    return page


def _area_row(page_html: str, number: int) -> str:
    return re.search(rf'<tr data-area="{number}">(.*?)</tr>', page_html).group(1)


@pytest.mark.parametrize("qid, hours", [("NPQSL-reformed", 20), ("NPQH-reformed", 28), ("NPQEL-reformed", 34),
                                        ("NPQLT-reformed", 18)])
def test_reformed_candidate_sees_areas_and_fat_hours_not_the_criteria(qid, hours, _isolated_home):
    page = _contents(qid)
    text = html.unescape(page.map.value)
    assert text.index("Your progress by the reformed content areas") < text.index("Modules for")
    assert len(re.findall(r'<tr data-area="\d+">', text)) == 10
    for n, name in enumerate(AREAS, start=1):
        assert f"{n}. {name}" in _area_row(text, n)
    assert "npq-criteria" not in text and 'data-criterion="' not in text
    fats = re.search(r'<div class="npq-card npq-fats">(.*?)</div>', text).group(1)
    assert f"<strong>{hours} hours</strong> of formative assessment tasks" in fats
    assert "“FATs (Formative Assessment Tasks) (in-school practice applied learning)”" in fats
    assert f"“{hours} hours”" in fats
    assert ("one figure for all three specialist NPQs" in fats) is (qid == "NPQLT-reformed")
    if qid == "NPQLT-reformed":
        assert "it gives none for NPQLT" in text and "Tasks the workbook marks as serving NPQLT" in text


def test_legacy_candidate_keeps_the_criteria_map(_isolated_home):
    page = _contents("NPQML-legacy")
    assert "npq-criteria" in page.map.value and 'data-criterion="1.1.1"' in page.map.value
    assert "npq-areas" not in page.map.value and "npq-fats" not in page.map.value


def test_area_progress_follows_modules_completed_and_tasks_checked(_isolated_home):
    from npq_widgets.apps import task_app
    from npq_widgets.course import load_module, module_doc

    page = _contents("NPQSL-reformed")
    before = _area_row(page.map.value, 6)  # Professional Development
    assert "<strong>0 of 4</strong> completed" in before and "not started yet" in before
    # SMART objectives (Teaching, Professional Development) checked and met
    view = task_app("smart-objectives")
    view.load(dict(view.task.scenario().model_answer))
    assert view.check().status == "pass"
    # teaching-3 (Professional Development) completed: knowledge check passed and every reflection written
    module = load_module("teaching-3")
    Workbook.for_key().save(module_doc("teaching-3"), {
        "quiz": {"last": {"score": 5, "max_score": 5, "passed": True}},
        "reflections": {pid: "Written." for pid, _ in module.prompts}})
    # resources-1 (Professional Development): knowledge check passed but no reflection written - not completed
    Workbook.for_key().save(module_doc("resources-1"), {
        "quiz": {"last": {"score": 5, "max_score": 5, "passed": True}}, "reflections": {}})
    page = _contents("NPQSL-reformed")
    text = html.unescape(page.map.value)
    pd = _area_row(text, 6)
    assert "– Financial efficiency & effectiveness" in pd
    assert "<strong>1 of 4</strong> completed" in pd and "✔ Growing talent and quality momentum" in pd
    assert "<strong>1 of 4</strong> checked (1 met)" in pd and "✔ SMART objectives for a team member (met)" in pd
    assert "started" in pd
    teaching = _area_row(text, 2)
    assert "<strong>1 of 3</strong> checked (1 met)" in teaching
    behaviour = _area_row(text, 4)  # nothing mapped there was done
    assert "not started yet" in behaviour
    assert "you have checked <strong>1 of" in text
