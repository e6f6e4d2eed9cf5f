"""Case-study content areas tagged per paragraph (schema version 2): the migration of version-1 work (tags per part),
tags that stay with their paragraph as the text changes, the page's paragraph list and the whole-response summary."""

from __future__ import annotations

import copy
import html
import json
from pathlib import Path

from npq_widgets.registry import get_task
from npq_widgets.store.workbook import Workbook
from npq_widgets.tasks.case_study.model import (SCHEMA_VERSION, CaseStudyArtefact, align_tags, paragraph_start,
                                                paragraph_tags, paragraphs, read_response)

V1 = json.loads((Path(__file__).parent / "fixtures" / "case-study-v1.json").read_text())


def test_version_1_work_migrates_each_part_tags_to_its_paragraphs():
    assert SCHEMA_VERSION == 2 and V1["schema_version"] == 1
    art = CaseStudyArtefact.from_dict(V1).to_dict()
    assert art["schema_version"] == 2 and art["parts"] == V1["parts"]
    for part, areas in V1["tags"].items():
        paras = paragraphs(V1["parts"][part])
        assert [e["start"] for e in art["tags"][part]] == [paragraph_start(p) for p in paras]
        assert all(e["areas"] == sorted(areas) for e in art["tags"][part])
    # the response touches exactly the areas it touched before
    assert read_response(art).areas == read_response(V1).areas == tuple(sorted({a for v in V1["tags"].values()
                                                                               for a in v}))
    assert CaseStudyArtefact.from_dict(art).to_dict() == art  # version 2 reads back unchanged


def test_an_old_saved_artefact_loads_into_the_app(_isolated_home):
    from npq_widgets.apps import task_app

    first = task_app("case-study")
    Workbook.for_key().save(first.autosave.doc_id, V1)
    view = task_app("case-study")
    assert "Your saved work is back" in view.autosave.status.value
    problems = view.taggers["problems"]
    assert len(problems.children) == 3  # three paragraphs, each with its tick boxes
    ticked = [[cb.value for cb in boxes] for _, boxes, _ in problems.rows[:3]]
    assert all(row == [n in (1, 4) for n in range(1, 11)] for row in ticked)
    assert "Paragraph 1: “The central problem is that disadvantaged pupils in" in html.unescape(
        problems.rows[0][0].value)
    assert view.artefact["schema_version"] == 2
    assert view.check().passed_all  # the migrated model outline still passes every check


def test_tags_stay_with_their_paragraph():
    entries = [{"start": "First point here", "areas": [1]}, {"start": "Second point here", "areas": [4]}]
    # a paragraph added above: both keep their tags; the new one starts untagged
    assert align_tags(["New opening", "First point here", "Second point here"], entries) == [[], [1], [4]]
    # the first words of a paragraph edited: it keeps its tags by position
    assert align_tags(["First point, reworded", "Second point here"], entries) == [[1], [4]]
    # a paragraph removed
    assert align_tags(["Second point here"], entries) == [[4]]
    # damaged entries are read as untagged, never as an error
    assert align_tags(["First point here"], [{"start": "First point here", "areas": ["x", 11, True]}]) == [[]]
    assert paragraph_tags({"problems": "One.\n\nTwo."}, {"problems": "not a list"})["problems"] == [
        {"start": "One.", "areas": []}, {"start": "Two.", "areas": []}]


def test_the_page_lists_paragraphs_to_tag_and_sums_up_the_areas(_isolated_home):
    from npq_widgets.apps import task_app

    view = task_app("case-study")
    tagger = view.taggers["solutions"]
    assert "each paragraph appears here" in tagger.children[0].value
    view.part_boxes["solutions"].text.value = "A tiered attendance approach.\n\nMore attendance officer hours."
    assert len(tagger.children) == 2
    assert "Paragraph 2: “More attendance officer hours.”" in html.unescape(tagger.rows[1][0].value)
    tagger.rows[0][1][0].value = True   # paragraph 1: 1. School Culture
    tagger.rows[1][1][6].value = True   # paragraph 2: 7. Organisational Management
    assert view.artefact["tags"]["solutions"] == [{"start": "A tiered attendance approach.", "areas": [1]},
                                                  {"start": "More attendance officer hours.", "areas": [7]}]
    summary = html.unescape(view.areas_html.value)
    assert "Content areas your response touches:</strong> 1. School Culture; 7. Organisational Management." in summary
    assert "does not tag yet: 2. Teaching; 3. Curriculum & Assessment; 4. Behaviour" in summary
    # a paragraph added above the second keeps its tags on the right paragraph
    view.part_boxes["solutions"].text.value = ("A tiered attendance approach.\n\nFirst-day calls.\n\n"
                                               "More attendance officer hours.")
    assert [e["areas"] for e in view.artefact["tags"]["solutions"]] == [[1], [], [7]]
    assert "Paragraphs not tagged yet: Identifying the solution(s), paragraph 2" in html.unescape(
        view.areas_html.value)
    # the formative check names the untagged paragraph
    item = next(i for i in view.check().items if i.id == "content-areas")
    assert not item.passed and "Identifying the solution(s), paragraph 2" in item.message
    # a reload shows the same ticks
    view.autosave.flush()
    again = task_app("case-study")
    assert [e["areas"] for e in again.artefact["tags"]["solutions"]] == [[1], [], [7]]


def test_check_passes_with_every_paragraph_tagged_and_prompts_for_untouched_pack_areas():
    task = get_task("case-study")
    assert task.check(V1).passed_all  # the checker reads version-1 work as saved (npq-workbook check FILE)
    art = CaseStudyArtefact.from_dict(V1).to_dict()
    item = next(i for i in task.check(art).items if i.id == "content-areas")
    assert item.passed and "Every paragraph is tagged" in item.message
    assert "The case study also draws on 2. Teaching; 3. Curriculum & Assessment" in item.message
    art2 = copy.deepcopy(art)
    art2["tags"]["rationale"][0]["areas"] = []
    item = next(i for i in task.check(art2).items if i.id == "content-areas")
    assert not item.passed and "Setting the rationale for the solution, paragraph 1" in item.message


# -- the model outlines: one per shipped pack -------------------------------------------------------------------------
def test_every_shipped_pack_has_a_model_outline_that_passes_strictly_within_the_limit():
    from npq_widgets.checks import strict_checks
    from npq_widgets.tasks.case_study.export import figures
    from npq_widgets.tasks.case_study.packs import default_folders, load_packs

    task = get_task("case-study")
    packs = load_packs(default_folders()[:1]).packs  # the shipped packs, not a provider's folder
    assert len(packs) == 6
    by_pack = {sc.data.get("pack"): sc for sc in task.scenarios}
    limit = figures().word_limit
    for pack in packs:
        sc = by_pack[pack.id]
        outline = sc.model_answer
        assert outline, f"{pack.id} has no model outline"
        assert outline["pack"] == pack.id and outline["scenario"] == sc.id
        assert outline["schema_version"] == SCHEMA_VERSION
        assert CaseStudyArtefact.from_dict(outline).to_dict() == outline  # saved in the current form exactly
        with strict_checks():
            result = task.check(outline, scenario=sc)
        assert result.passed_all, (pack.id, [(i.id, i.message) for i in result.failed])
        r = read_response(outline)
        assert r.total_words <= limit, pack.id
        assert not r.untagged() and set(r.areas) <= set(pack.content_areas), pack.id
        assert outline["candidate"]["qualification"] == f"{pack.programme}-reformed"
