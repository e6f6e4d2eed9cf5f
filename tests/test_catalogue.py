"""The NPQ catalogue against the seeds: every figure, title and quoted text, one fact per test case.

The seeds (provider documents) live outside the repository in ``../shared/seeds``; the tests that read them are
skipped, with the reason, when that folder is not there (e.g. an installed wheel tested on its own).
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from npq_widgets.catalogue import (
    DATA_DIR,
    CatalogueError,
    Qualification,
    format_qualification,
    load_catalogue,
)

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed folder {SEEDS} not found (seeds live outside "
                                                            "the repository, next to it in shared/seeds)")


def normalise(text: str) -> str:
    """What a reader sees: markup dropped (<b>, <li>, &amp;), whitespace runs collapsed to one space."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


@pytest.fixture(scope="module")
def cat():
    return load_catalogue()


@pytest.fixture(scope="module")
def seeds(cat) -> dict[str, str]:
    if not SEEDS.is_dir():
        pytest.skip(f"seed folder {SEEDS} not found")
    return {s.id: normalise((SEEDS / s.file).read_text(encoding="utf-8")) for s in cat.sources if s.kind == "seed"}


def in_seed(seeds: dict[str, str], text: str, seed: str | None = None) -> bool:
    wanted = normalise(text)
    return wanted in seeds[seed] if seed else any(wanted in t for t in seeds.values())


# --- loading, ids, routes -------------------------------------------------------------------------------------------
def test_load_catalogue_is_cached():
    assert load_catalogue() is load_catalogue()


ALL_IDS = ["NPQML-legacy", "NPQSL-legacy", "NPQH-legacy", "NPQEL-legacy", "NPQLT-reformed", "NPQLTD-reformed",
           "NPQLBC-reformed", "NPQSL-reformed", "NPQH-reformed", "NPQEL-reformed"]


def test_qualification_ids_are_unique_and_complete(cat):
    ids = [q.id for q in cat.qualifications]
    assert len(ids) == len(set(ids))
    assert ids == ALL_IDS


@pytest.mark.parametrize("qid", ALL_IDS)
def test_get_by_id(cat, qid):
    q = cat.get(qid)
    assert isinstance(q, Qualification) and q.id == qid
    assert q.id == f"{q.code}-{q.route}"


def test_get_unknown_id_gives_helpful_key_error(cat):
    with pytest.raises(KeyError, match=r"by_code\('NPQSL'\).*NPQSL-legacy, NPQSL-reformed"):
        cat.get("NPQSL")
    with pytest.raises(KeyError, match="NPQML-legacy"):
        cat.get("NPQX-legacy")


@pytest.mark.parametrize("code", ["NPQSL", "NPQH", "NPQEL", "npqsl", " npqh "])
def test_leadership_codes_exist_on_both_routes(cat, code):
    found = cat.by_code(code)
    assert [q.route for q in found] == ["legacy", "reformed"]
    assert len({q.code for q in found}) == 1


@pytest.mark.parametrize("code, routes", [("NPQML", ["legacy"]), ("NPQLT", ["reformed"]), ("NPQLTD", ["reformed"]),
                                          ("NPQLBC", ["reformed"]), ("NPQX", [])])
def test_by_code_single_route_or_none(cat, code, routes):
    assert [q.route for q in cat.by_code(code)] == routes


@pytest.mark.parametrize("qid, name, level", [
    ("NPQML-legacy", "National Professional Qualification for Middle Leadership", "Leading a team"),
    ("NPQSL-legacy", "National Professional Qualification for Senior Leadership", "Leading across a school"),
    ("NPQH-legacy", "National Professional Qualification for Headship", "Leading a school"),
    ("NPQEL-legacy", "National Professional Qualification for Executive Leadership", "Leading across several schools"),
])
def test_legacy_names_and_levels(cat, qid, name, level):
    q = cat.get(qid)
    assert (q.name, q.level, q.route) == (name, level, "legacy")
    assert q.target_audience.startswith("Those who are, or are aspiring to become,")


@pytest.mark.parametrize("code, name, short_name, group", [
    ("NPQLT", "National Professional Qualification for Leading Teaching", "NPQ Leading Teaching", "Specialist NPQs"),
    ("NPQLTD", "National Professional Qualification for Leading Teacher Development",
     "NPQ Leading Teacher Development", "Specialist NPQs"),
    ("NPQLBC", "National Professional Qualification for Leading Behaviour and Culture",
     "NPQ Leading Behaviour & Culture", "Specialist NPQs"),
    ("NPQSL", "National Professional Qualification for Senior Leadership", "NPQ Senior Leadership", "Leadership NPQs"),
    ("NPQH", "National Professional Qualification for Headship", "NPQ Headship", "Leadership NPQs"),
    ("NPQEL", "National Professional Qualification for Executive Leadership", "NPQ Executive Leadership",
     "Leadership NPQs"),
])
def test_reformed_names(cat, code, name, short_name, group):
    q = cat.get(f"{code}-reformed")
    assert (q.name, q.short_name, q.group) == (name, short_name, group)


@pytest.mark.parametrize("code, who", [
    ("NPQSL", "For those who are, or aspire to be, senior leaders leading across a school"),
    ("NPQH", "For those who are, or aspire to be, headteachers leading across a whole school"),
    ("NPQEL", "For those who are, or aspire to be, executive leaders with responsibility across more than one school"),
    ("NPQLT", None), ("NPQLTD", None), ("NPQLBC", None),
])
def test_reformed_who_can_apply(cat, code, who):
    assert cat.get(f"{code}-reformed").target_audience == who


@pytest.mark.parametrize("qid, seeds_", [
    ("NPQML-legacy", ["000", "001"]), ("NPQSL-legacy", ["001", "002"]), ("NPQH-legacy", ["001"]),
    ("NPQEL-legacy", ["001", "003"]), ("NPQLT-reformed", ["004"]), ("NPQEL-reformed", ["004"]),
])
def test_every_qualification_names_its_seeds(cat, qid, seeds_):
    q = cat.get(qid)
    assert [s.id for s in q.sources] == seeds_
    for s in q.sources:
        assert s.file.startswith(s.id + "_") and s.file.endswith(".txt") and s.title


@needs_seeds
def test_source_files_exist(cat):
    for s in cat.sources:
        if s.kind == "seed":
            assert (SEEDS / s.file).is_file(), s.file
    assert sorted(p.name for p in SEEDS.glob("*.txt")) == sorted(s.file for s in cat.sources if s.kind == "seed")


# --- hours ----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("qid, parts, total", [
    ("NPQML-legacy", [("360° leadership diagnostic", 2), ("Face-to-face events", 24), ("Online courses", 60),
                      ("Online briefings", 6)], 92),
    ("NPQSL-legacy", [("360° leadership diagnostic", 2), ("Events", 24), ("Online courses", 60),
                      ("Online briefings", 6)], 92),
    ("NPQEL-legacy", [("360° leadership diagnostic", 3), ("face-to-face events", None),
                      ("Performance coaching", None), ("Online courses", None), ("Peer challenge groups", None),
                      ("Exec-led webinars", None), ("Online briefings", 6)], 132),
])
def test_component_hours(cat, qid, parts, total):
    q = cat.get(qid)
    assert [(c.name, c.hours) for c in q.components] == parts
    assert q.total_hours == total
    assert q.total_hours_source == q.components[0].source
    known = [h for _, h in parts if h is not None]
    if len(known) == len(parts):
        assert sum(known) == total
    else:
        assert sum(known) < total and q.known_hours == sum(known)


def test_npqel_unknown_hours_are_none_never_zero(cat):
    q = cat.get("NPQEL-legacy")
    assert all(c.hours != 0 for c in q.components)
    assert q.unknown_hours == ("face-to-face events", "Performance coaching", "Online courses",
                               "Peer challenge groups", "Exec-led webinars")
    assert q.known_hours == 9
    for c in q.components:
        if c.hours is None:
            assert c.note and "empty" in c.note


STAGES = ["Preparation & induction stage", "FTF events", "Online course study", "Performance coaching",
          "FATs (Formative Assessment Tasks) (in-school practice applied learning)"]


@pytest.mark.parametrize("code, hours, merged, total", [
    ("NPQLT", [6, 18, 34, 6, 18], [True, False, False, False, False], 82),
    ("NPQLTD", [6, 18, 34, 6, 18], [True, False, False, False, False], 82),
    ("NPQLBC", [6, 18, 34, 6, 18], [True, False, False, False, False], 82),
    ("NPQSL", [6, 24, 38, 10, 20], [True, False, True, True, False], 98),
    ("NPQH", [6, 30, 38, 10, 28], [True, False, True, True, False], 112),
    ("NPQEL", [6, 36, 38, 10, 34], [True, False, True, True, False], 124),
])
def test_reformed_stage_hours_sum_row_by_row(cat, code, hours, merged, total):
    q = cat.get(f"{code}-reformed")
    assert [s.name for s in q.stage_hours] == STAGES
    assert [s.hours for s in q.stage_hours] == hours
    assert sum(s.hours for s in q.stage_hours) == total == q.total_hours
    assert [s.merged_cell for s in q.stage_hours] == merged
    for s in q.stage_hours:
        assert s.source == "004"
        if s.merged_cell:
            assert len(s.spans) > 1 and s.note and "merged" in s.note
    assert q.components == ()


@pytest.mark.parametrize("code, days", [("NPQLT", 3), ("NPQSL", 4), ("NPQH", 5), ("NPQEL", 6)])
def test_reformed_ftf_days(cat, code, days):
    ftf = cat.get(f"{code}-reformed").stage_hours[1]
    assert (ftf.activity, ftf.days, ftf.hours) == ("FTF events", days, days * 6)


@pytest.mark.parametrize("code, months, summative, merged", [
    ("NPQLT", 12, 3, False), ("NPQLTD", 12, 3, False), ("NPQLBC", 12, 3, False),
    ("NPQSL", 18, 3, True), ("NPQH", 18, 3, True), ("NPQEL", 18, 3, True),
])
def test_reformed_durations(cat, code, months, summative, merged):
    d = cat.get(f"{code}-reformed").duration
    assert (d.programme_months, d.summative_months, d.total_months, d.merged_cell) == (
        months, summative, months + summative, merged)
    assert d.source == "004"


# --- courses and modules --------------------------------------------------------------------------------------------
MODULES = {
    "NPQML-legacy": {
        "Strategy & Improvement": ["Context for change & strategic development",
                                   "Creating the vision & strategic improvement environment",
                                   "Establishing credible relationships & effective collaboration",
                                   "Transforming the culture for improvement & impact"],
        "Teaching & Curriculum Excellence": [
            "Context for change - teaching & learning reality",
            "Creating the learning culture for effective teaching and learning and curriculum opportunity",
            "Growing talent and quality momentum",
            "Transforming lives and opportunities for improvement and impact"],
        "Managing Resources & Risk": ["Financial efficiency & effectiveness",
                                      "Accountability & governance School-led partnership and impact",
                                      "Staffing recruitment, retention and performance",
                                      "Transforming schools through school-led partnership and impact"],
    },
    "NPQSL-legacy": {
        "Strategy & Improvement": ["Context for change & strategic development",
                                   "Creating the vision & strategic improvement environment",
                                   "Establishing credible relationships & effective collaboration",
                                   "Transforming the culture for improvement and impact"],
        "Teaching & Curriculum Excellence": [
            "Context for change - teaching & learning reality",
            "Creating the learning culture for effective teaching and learning and curriculum opportunity",
            "Growing talent and quality momentum",
            "Transforming lives and opportunities for improvement and impact"],
        "Managing Resources & Risk": ["Financial efficiency & effectiveness",
                                      "Accountability & governance School-led partnership and impact",
                                      "Staffing recruitment, retention and performance",
                                      "Transforming schools through school-led partnership and impact"],
    },
    "NPQEL-legacy": {
        "Strategy & Improvement": ["Context for change & strategic development",
                                   "Creating the vision & strategic improvement environment",
                                   "Establishing credible relationships & effective collaboration",
                                   "Transforming the culture for improvement & impact"],
        "Teaching & Curriculum Excellence": [
            "Context for change - teaching & learning reality",
            "Creating the learning culture for effective teaching and learning and curriculum opportunity",
            "School to school support",
            "Transforming lives and opportunities for improvement and impact"],
        "Managing Resources & Risks": ["Financial efficiency & effectiveness",
                                       "Accountability & governance School-led partnership and impact",
                                       "Staffing recruitment, retention and performance",
                                       "Transforming schools through school led partnership and impact"],
    },
}
MODULE_CASES = [(qid, course, n, title) for qid, courses in MODULES.items() for course, titles in courses.items()
                for n, title in enumerate(titles, start=1)]


@pytest.mark.parametrize("qid, course, number, title", MODULE_CASES,
                         ids=[f"{c[0]}-{c[1][:8]}-{c[2]}" for c in MODULE_CASES])
def test_module_title(cat, qid, course, number, title):
    q = cat.get(qid)
    c = next(c for c in q.courses if c.title == course)
    m = c.modules[number - 1]
    assert (m.number, m.title, m.course) == (number, title, course)


@pytest.mark.parametrize("qid", list(MODULES))
def test_three_courses_of_four_modules(cat, qid):
    q = cat.get(qid)
    assert [c.title for c in q.courses] == list(MODULES[qid])
    assert [len(c.modules) for c in q.courses] == [4, 4, 4]
    assert len(q.modules) == 12


@pytest.mark.parametrize("course, number, seed_text", [
    ("Teaching & Curriculum Excellence", 1, "Context for change - leaching & learning reality"),
    ("Teaching & Curriculum Excellence", 2,
     "Creating the learning culture for effective teaching and learning and curriculum apportunity"),
    ("Managing Resources & Risks", 3, "Stalling recruitment, retention and performance"),
])
def test_npqel_corrected_modules_keep_seed_text(cat, course, number, seed_text):
    c = next(c for c in cat.get("NPQEL-legacy").courses if c.title == course)
    assert c.modules[number - 1].seed_text == seed_text


def test_uncorrected_modules_have_no_seed_text(cat):
    corrected = [(m.course, m.number) for q in cat.qualifications for m in q.modules if m.seed_text is not None]
    assert corrected == [("Teaching & Curriculum Excellence", 1), ("Teaching & Curriculum Excellence", 2),
                         ("Managing Resources & Risks", 3)]


@pytest.mark.parametrize("qid", ["NPQH-legacy", "NPQLT-reformed", "NPQSL-reformed"])
def test_no_modules_where_the_seeds_give_none(cat, qid):
    assert cat.get(qid).courses == ()


# --- events ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("qid, titles, counts", [
    ("NPQML-legacy", ["Event 1: Strategy & Improvement", "Event 2: Teaching & Curriculum Excellence",
                      "Event 3: Managing Resources & Risk"], [5, 5, 4]),
    ("NPQSL-legacy", ["Event 1: Strategy & Improvement", "Event 2: Teaching & Curriculum Excellence",
                      "Event 3: Managing Resources & Risk"], [5, 5, 5]),
    ("NPQEL-legacy", ["Residential (Day 1)", "Residential (Day 2)", "Strategy & Improvement (Day 3)",
                      "Teaching & Curriculum Excellence (Day 4)", "Residential (Day 5)", "Residential (Day 6)"],
     [5, 5, 5, 5, 3, 5]),
])
def test_events(cat, qid, titles, counts):
    events = cat.get(qid).events
    assert [e.title for e in events] == titles
    assert [len(e.items) for e in events] == counts
    assert [e.number for e in events] == list(range(1, len(titles) + 1))
    assert all(e.split_from_cell == qid.startswith("NPQEL") for e in events)


@pytest.mark.parametrize("qid, number, first, last", [
    ("NPQML-legacy", 1, "The qualification framework and assessment criteria", "Effective leadership of change strategies"),
    ("NPQML-legacy", 3, "Assessing individual performance and capability",
     "Evaluating the impact and cost-effectiveness of professional development in terms of pupil outcomes"),
    ("NPQSL-legacy", 1, "Outcomes of the 360° diagnostic: Where am I now and where do I want to be?",
     "Making change happen to improve the culture"),
    ("NPQEL-legacy", 1, "Qualification insights, qualification organisation, and development expectations",
     "Developing collaborative approaches to school improvement projects"),
    ("NPQEL-legacy", 5, "Financial sustainability", "Managing and deploying talent: succession and capacity building"),
    ("NPQEL-legacy", 6, "Curriculum modelling and efficient staffing structures", "Project assessment readiness"),
])
def test_event_items(cat, qid, number, first, last):
    e = cat.get(qid).events[number - 1]
    assert (e.items[0], e.items[-1]) == (first, last)


@needs_seeds
@pytest.mark.parametrize("day", range(1, 7))
def test_npqel_split_items_rebuild_the_seed_cell(cat, seeds, day):
    """Joined back together in order, a day's items are exactly the seed's run-together cell."""
    e = cat.get("NPQEL-legacy").events[day - 1]
    assert normalise(f"{e.title} " + " ".join(e.seed_items)) in seeds["003"]


# --- content areas, criteria, behaviours ----------------------------------------------------------------------------
LEGACY_AREAS = ["Strategy and Improvement", "Teaching and Curriculum Excellence", "Leading with Impact",
                "Working in Partnership", "Managing Resources and Risks", "Increasing Capability"]


def test_legacy_content_areas(cat):
    assert [a.name for a in cat.legacy_content_areas] == LEGACY_AREAS
    assert [a.number for a in cat.legacy_content_areas] == [1, 2, 3, 4, 5, 6]
    assert [a.part for a in cat.legacy_content_areas] == ["A", "A", "A", "A", "B", "B"]


@pytest.mark.parametrize("name, statements, learn_about", [
    ("Strategy and Improvement", 2, 4), ("Teaching and Curriculum Excellence", 2, 7), ("Leading with Impact", 3, 3),
    ("Working in Partnership", 2, 3), ("Managing Resources and Risks", 3, 3), ("Increasing Capability", 4, 6),
])
def test_npqml_learn_how_to_statements(cat, name, statements, learn_about):
    area = next(a for a in cat.legacy_content_areas if a.name == name)
    assert len(area.npqml) == statements
    assert sum(len(s.learn_about) for s in area.npqml) == learn_about
    ids = [c for s in area.npqml for c in s.criteria]
    assert ids == [c.id for c in cat.criteria if c.content_area == name]


CRITERIA = [
    ("1.1.1", "Strategy and Improvement", "A", "Raw data analysis"),
    ("1.1.2", "Strategy and Improvement", "A", None),
    ("1.1.3", "Strategy and Improvement", "A", None),
    ("2.1.1", "Teaching and Curriculum Excellence", "A", None),
    ("2.1.2", "Teaching and Curriculum Excellence", "A", None),
    ("2.1.3", "Teaching and Curriculum Excellence", "A", "Pupil performance data"),
    ("3.1.1", "Leading with Impact", "A", None),
    ("3.1.2", "Leading with Impact", "A", None),
    ("4.1.1", "Working in Partnership", "A", "Sponsor comments"),
    ("4.1.2", "Working in Partnership", "A", None),
    ("5.1.1", "Managing Resources and Risks", "B", "Budget"),
    ("5.1.2", "Managing Resources and Risks", "B", "Project plan"),
    ("5.1.3", "Managing Resources and Risks", "B", "Risk register"),
    ("6.1.1", "Increasing Capability", "B", None),
    ("6.1.2", "Increasing Capability", "B", None),
    ("6.1.3", "Increasing Capability", "B", None),
]


def test_criteria_count_and_ids(cat):
    # Seed 001 holds 16 criteria, 1.1.1 to 6.1.3 (areas 1, 2, 5, 6 have three; areas 3 and 4 have two).
    q = cat.get("NPQML-legacy")
    assert len(q.criteria) == 16
    assert [c.id for c in q.criteria] == [c[0] for c in CRITERIA]
    assert [c.part for c in q.criteria].count("A") == 10


@pytest.mark.parametrize("cid, area, part, document", CRITERIA)
def test_criterion(cat, cid, area, part, document):
    c = cat.get("NPQML-legacy").criterion(cid)
    assert (c.content_area, c.part, c.supporting_document) == (area, part, document)
    assert "  " not in c.text and c.text == c.text.strip() and not c.text[0].isdigit()


def test_criterion_text_whitespace_normalised(cat):
    assert cat.criterion("4.1.2").text == ("Designs and/or delivers plans in collaboration with others within and "
                                           "outside of own team")


def test_supporting_documents(cat):
    assert cat.supporting_documents == ("Raw data analysis", "Pupil performance data", "Sponsor comments", "Budget",
                                        "Project plan", "Risk register")


@pytest.mark.parametrize("qid", [i for i in ALL_IDS if i != "NPQML-legacy"])
def test_criteria_only_on_npqml(cat, qid):
    assert cat.get(qid).criteria == ()


BEHAVIOURS = ["Commitment", "Collaboration", "Personal Drive", "Resilience", "Awareness", "Integrity", "Respect"]


def test_seven_behaviours(cat):
    assert [b.name for b in cat.behaviours] == BEHAVIOURS
    assert all(b.description.startswith("The best leaders ") for b in cat.behaviours)


def test_respect_is_corrected_with_seed_text(cat):
    respect = cat.behaviours[-1]
    assert respect.description.startswith("The best leaders respect the rights")
    assert respect.seed_text.startswith("The best leaders their respect the rights")
    assert [b.name for b in cat.behaviours if b.seed_text] == ["Respect"]


@pytest.mark.parametrize("qid, has", [("NPQML-legacy", True), ("NPQSL-legacy", True), ("NPQEL-legacy", True),
                                      ("NPQH-legacy", False), ("NPQSL-reformed", False)])
def test_behaviours_on_legacy_specifications(cat, qid, has):
    q = cat.get(qid)
    assert (q.behaviours == cat.behaviours) is has
    assert (q.content_areas == tuple(LEGACY_AREAS)) is has


def test_behaviour_rating_scale(cat):
    s = cat.behaviour_scale
    assert (s.form, s.points, s.high, s.low) == ("Leadership Reflection", (1, 2, 3, 4), 1, 4)
    assert (s.high_label, s.low_label, s.comment_label) == ("1 high", "4 low", "Comment")
    assert s.is_valid(1) and s.is_valid(4) and not s.is_valid(0) and not s.is_valid(5) and not s.is_valid(True)


REFORMED_AREAS = ["School Culture", "Teaching", "Curriculum & Assessment", "Behaviour",
                  "Additional and Special Education Needs/Disabilities", "Professional Development",
                  "Organisational Management", "Implementation", "Working in Partnership",
                  "Governance and accountability"]


def test_ten_reformed_content_areas(cat):
    assert [a.name for a in cat.reformed_content_areas] == REFORMED_AREAS
    assert [a.number for a in cat.reformed_content_areas] == list(range(1, 11))


@pytest.mark.parametrize("code, has", [("NPQSL", True), ("NPQH", True), ("NPQEL", True), ("NPQLT", False)])
def test_reformed_areas_on_leadership_npqs(cat, code, has):
    assert (cat.get(f"{code}-reformed").content_areas == tuple(REFORMED_AREAS)) is has


# --- assessment -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("qid, word_limit, terms, months", [
    ("NPQML-legacy", 4500, 2, 18), ("NPQSL-legacy", 5000, 2, 18), ("NPQEL-legacy", None, None, 18),
    ("NPQLT-reformed", 1500, None, None), ("NPQSL-reformed", 1500, None, None), ("NPQH-reformed", 1500, None, None),
    ("NPQEL-reformed", 1500, None, None),
])
def test_assessment_figures(cat, qid, word_limit, terms, months):
    a = cat.get(qid).assessment
    assert (a.word_limit, a.min_duration_terms, a.completion_months) == (word_limit, terms, months)


def test_npqml_assessment(cat):
    a = cat.get("NPQML-legacy").assessment
    assert a.title == "Leading an improvement project (4,500 words)"
    assert [(p.part, p.content_areas) for p in a.parts] == [("A", tuple(LEGACY_AREAS[:4])),
                                                           ("B", tuple(LEGACY_AREAS[4:]))]
    assert a.achievement_heading == "In order to achieve NPQML candidates must:"
    assert [r.text for r in a.achievement_requirements] == [
        "complete 3 online courses and associated core tasks", "engage with practice-based events",
        "pass final assessment within 18 months of starting the qualification"]
    assert len(a.participant_requirements) == 4 and len(a.provider_requirements) == 2
    assert a.task_description.source == "001" and "to improve pupil progress" in a.task_description.text


def test_npqsl_assessment(cat):
    a = cat.get("NPQSL-legacy").assessment
    assert a.title == "Leading a whole school improvement project (5,000 words)"
    assert "lasting at least two terms" in a.description[0].text
    assert a.achievement_heading == "In order to achieve NPQSL candidates must:"
    assert len(a.achievement_requirements) == 3


def test_npqel_assessment_tasks(cat):
    a = cat.get("NPQEL-legacy").assessment
    assert a.kind == "tasks" and [t.name for t in a.tasks] == ["Task 1", "Task 2"]
    assert a.tasks[0].text.startswith("Candidates must design a sustainable business development strategy")
    assert "governing board" in a.tasks[0].text
    assert a.tasks[1].text.startswith("Candidates must lead a project to improve progress and attainment in several "
                                      "schools.")
    assert "stakeholders" in a.tasks[1].text and "stokeholders" in a.tasks[1].seed_text
    assert [r.text for r in a.achievement_requirements] == [
        "complete 3 online courses and associated core tasks", "attend practice based events and coaching",
        "pass final assessment within 18 months of starting the qualification"]


# --- reformed route: case study, what has changed -------------------------------------------------------------------
def test_case_study_rules(cat):
    cs = cat.case_study
    assert [p.text for p in cs.parts] == ["Identifying the problem(s)", "Identifying the solution(s)",
                                          "Setting the rationale for the solution",
                                          "Identifying the implementation steps required"]
    assert cs.parts[1].seed_text == "Identifying the solutions(s)"
    assert cs.window_days == 8 and "midnight of the eighth day" in cs.window.text
    assert cs.engagement_percent == 90 and "90% programme engagement" in cs.engagement.text
    assert cs.applies_to == ("NPQSL", "NPQH", "NPQEL")
    assert cs.summative_cell == "Case Study scenario – 1,500 words"


@pytest.mark.parametrize("code, seed_limit, alternative", [
    ("NPQLT", 1500, 1500), ("NPQLTD", 1500, 1500), ("NPQLBC", 1500, 1500),
    ("NPQSL", 1500, 2000), ("NPQH", 1500, 2500), ("NPQEL", 1500, 2500), ("npqh", 1500, 2500),
])
def test_case_study_word_limit_parameter(cat, code, seed_limit, alternative):
    cs = cat.case_study
    assert cs.default_word_limit == 1500
    assert cs.word_limit(code) == seed_limit
    assert cs.word_limit(code, use_alternative=True) == alternative


def test_case_study_word_limit_errors_and_note(cat):
    cs = cat.case_study
    assert cs.word_limit() == 1500
    with pytest.raises(ValueError, match="pass a code"):
        cs.word_limit(use_alternative=True)
    with pytest.raises(KeyError, match="NPQLT"):
        cs.word_limit("NPQML")
    assert cs.alternative_source == "domain-notes" and "not in the seeds" in cs.alternative_note
    assert "2,000 for NPQSL" in cs.alternative_note and "2,500 for NPQH and NPQEL" in cs.alternative_note


@pytest.mark.parametrize("released, last", [(date(2025, 3, 3), date(2025, 3, 10)),
                                            (date(2025, 12, 29), date(2026, 1, 5))])
def test_case_study_window(cat, released, last):
    assert cat.case_study.last_day(released) == last


@pytest.mark.parametrize("engagement, ok", [(90, True), (89.9, False), (100, True), (0, False)])
def test_case_study_engagement(cat, engagement, ok):
    assert cat.case_study.may_enter(engagement) is ok


def test_what_has_changed(cat):
    assert [p.text for p in cat.what_has_changed] == [
        "There are 6 NPQ programmes not 4",
        "The NPQML programme has been replaced with 3 specialist route programmes, increasing offer scope",
        "The leadership route will last 18 months not 12",
        "There are no school improvement project or placement based assessment. These have been replaced by one end "
        "of programme summative assessment task based on a case study.",
    ]


# --- legacy NPQH holds only what the seeds say ----------------------------------------------------------------------
def test_legacy_npqh_has_only_level_and_audience(cat):
    q = cat.get("NPQH-legacy")
    assert q.level == "Leading a school" and q.target_audience
    assert (q.components, q.total_hours, q.courses, q.events, q.criteria, q.behaviours, q.stage_hours) == (
        (), None, (), (), (), (), ())
    assert q.assessment is None and q.duration is None and q.entry_requirements == ()


# --- roles and recommendations --------------------------------------------------------------------------------------
def test_senco_is_under_two_qualifications(cat):
    senco = cat.role("senco")
    assert [(p.qualification, p.scope) for p in senco.placements] == [("NPQML-legacy", "team"),
                                                                      ("NPQSL-legacy", "across a school")]
    assert senco.legacy_qualifications == ("NPQML", "NPQSL")
    seeds_ = {p.qualification: [q.seed for q in p.quotes] for p in senco.placements}
    assert seeds_ == {"NPQML-legacy": ["001"], "NPQSL-legacy": ["002"]}
    assert "a special educational needs co-ordinator (SENCO)" in senco.placements[0].quotes[0].text
    assert "a SEN coordinator" in senco.placements[1].quotes[0].text
    assert cat.role("SEN coordinator") is senco


@pytest.mark.parametrize("role, legacy", [
    ("key-stage-leader", ("NPQML",)), ("curriculum-area-leader", ("NPQML",)), ("pastoral-services-leader", ("NPQML",)),
    ("subject-leader", ("NPQML",)), ("head-of-department", ("NPQML",)), ("specialist-leader-of-education", ("NPQML",)),
    ("middle-leader", ("NPQML",)), ("experienced-middle-leader", ("NPQSL",)), ("deputy-headteacher", ("NPQSL",)),
    ("assistant-headteacher", ("NPQSL",)), ("other-senior-staff", ("NPQSL",)),
    ("director-of-teaching-school-alliance", ("NPQSL",)), ("senior-leader", ("NPQSL",)),
    ("headteacher", ("NPQH", "NPQEL")), ("head-of-school", ("NPQH",)), ("national-leader-of-education", ("NPQH",)),
    ("executive-headteacher", ("NPQEL",)), ("ceo-of-a-mat", ("NPQEL",)), ("chief-operating-officer", ("NPQEL",)),
    ("director-of-school-improvement", ("NPQEL",)), ("executive-leader", ()),
])
def test_role_placements(cat, role, legacy):
    assert cat.role(role).legacy_qualifications == legacy


def test_role_ids_unique_and_placements_valid(cat):
    ids = [r.id for r in cat.roles]
    assert len(ids) == len(set(ids)) == 22
    for r in cat.roles:
        for p in r.placements:
            assert cat.get(p.qualification).scope == p.scope
            assert p.quotes


@needs_seeds
def test_role_quotes_and_names_are_in_their_seeds(cat, seeds):
    for r in cat.roles:
        for p in r.placements:
            for q in p.quotes:
                assert in_seed(seeds, q.text, q.seed), (r.id, q)
        for name in r.seed_names:
            assert in_seed(seeds, name), (r.id, name)


@pytest.mark.parametrize("scope, reformed, legacy", [
    ("team", ["NPQLT-reformed", "NPQLTD-reformed", "NPQLBC-reformed"], ["NPQML-legacy"]),
    ("across a school", ["NPQSL-reformed"], ["NPQSL-legacy"]),
    ("a school", ["NPQH-reformed"], ["NPQH-legacy"]),
    ("several schools", ["NPQEL-reformed"], ["NPQEL-legacy"]),
    ("Leading across several schools", ["NPQEL-reformed"], ["NPQEL-legacy"]),
    ("Across-A-School", ["NPQSL-reformed"], ["NPQSL-legacy"]),
])
def test_recommend(cat, scope, reformed, legacy):
    rec = cat.recommend(scope)
    assert [q.id for q in rec.reformed] == reformed
    assert [q.id for q in rec.legacy] == legacy
    assert all(q.route == "reformed" for q in rec.reformed) and all(q.is_legacy for q in rec.legacy)
    assert {q.seed for q in rec.quotes} == {"001", "004"}
    d = rec.to_dict()
    assert all(x["legacy"] for x in d["legacy_equivalents"]) and not any(x["legacy"] for x in d["recommended"])
    json.dumps(d)


def test_recommend_team_quotes_the_replacement(cat):
    quotes = [q.text for q in cat.recommend("team").quotes]
    assert "The NPQML programme has been replaced with 3 specialist route programmes, increasing offer scope" in quotes


def test_recommend_unknown_scope(cat):
    with pytest.raises(ValueError, match="'team'"):
        cat.recommend("the universe")


def test_recommend_for_role(cat):
    assert [r.scope for r in cat.recommend_for_role("SENCO")] == ["team", "across a school"]
    assert [r.codes for r in cat.recommend_for_role("headteacher")] == [("NPQH",), ("NPQEL",)]


# --- export ---------------------------------------------------------------------------------------------------------
def test_to_dict_is_json_serialisable(cat):
    d = cat.to_dict()
    again = json.loads(json.dumps(d, ensure_ascii=False))
    assert again == d
    for key in ("qualifications", "roles", "scopes", "legacy_content_areas", "reformed_content_areas", "behaviours",
                "behaviour_scale", "case_study", "errata", "sources", "what_has_changed"):
        assert key in d


@pytest.mark.parametrize("qid", ALL_IDS)
def test_qualification_dict_keys(cat, qid):
    d = next(x for x in cat.to_dict()["qualifications"] if x["id"] == qid)
    for key in ("id", "code", "name", "route", "components", "total_hours", "modules", "criteria", "behaviours",
                "assessment", "sources", "stage_hours"):
        assert key in d, key
    for c in d["components"]:
        assert {"name", "hours", "overview", "source"} <= set(c)
        assert c["hours"] is None or isinstance(c["hours"], int)
    for m in d["modules"]:
        assert {"course", "number", "title"} <= set(m)
    for c in d["criteria"]:
        assert {"id", "text", "part", "supporting_document"} <= set(c)
    assert d == cat.get(qid).to_dict()


def test_npqel_dict_keeps_unknown_hours_as_null(cat):
    d = cat.get("NPQEL-legacy").to_dict()
    assert [c["hours"] for c in d["components"]] == [3, None, None, None, None, None, 6]
    assert d["total_hours"] == 132 and len(d["modules"]) == 12
    assert '"hours": null' in json.dumps(d)


# --- verbatim quotations and errata ---------------------------------------------------------------------------------
@needs_seeds
def test_every_registered_text_occurs_in_its_seed(cat, seeds):
    missing = [v for v in cat.verbatim_texts if not in_seed(seeds, v.text, v.seed)]
    assert not missing, "\n".join(f"{v.data_file}: {v.path}: {v.text!r} not in seed {v.seed}" for v in missing)
    assert len(cat.verbatim_texts) > 400


def _field_cases():
    cat = load_catalogue()
    cases = []
    for q in cat.qualifications:
        if q.target_audience:
            cases.append((f"{q.id} target_audience", q.target_audience, None))
        for c in q.components:
            cases.append((f"{q.id} component {c.name}", c.seed_text or c.overview, c.source))
        for m in q.modules:
            cases.append((f"{q.id} module {m.course} {m.number}", m.verbatim, m.source))
        for e in q.events:
            cases += [(f"{q.id} {e.title} item {i}", item, e.source) for i, item in enumerate(e.seed_items, 1)]
        for cr in q.criteria:
            cases.append((f"criterion {cr.id}", cr.text, cr.source))
        if q.assessment:
            for t in q.assessment.tasks:
                cases.append((f"{q.id} {t.name}", t.seed_text or t.text, t.source))
    for b in cat.behaviours:
        cases.append((f"behaviour {b.name}", b.seed_text or b.description, b.source))
    for area in cat.legacy_content_areas:
        for s in area.npqml:
            cases.append((f"learn how to: {s.text[:30]}", s.text, area.source))
            cases += [(f"learn about: {x[:30]}", x, area.source) for x in s.learn_about]
    for e in cat.errata:
        cases.append((f"erratum {e.id}", e.seed_text, e.seed))
    return cases


FIELD_CASES = _field_cases()


@needs_seeds
@pytest.mark.parametrize("label, text, seed", FIELD_CASES, ids=[c[0] for c in FIELD_CASES])
def test_verbatim_field_occurs_in_seeds(seeds, label, text, seed):
    assert in_seed(seeds, text, seed), f"{label}: {text!r}"


def test_errata_entries(cat):
    assert [e.id for e in cat.errata] == [f"E{i:02d}" for i in range(1, 14)]
    for e in cat.errata:
        assert e.seed_text != e.text and e.reason and e.changes
        for a, b in e.changes:
            assert a in e.seed_text and b in e.text
        assert (DATA_DIR / e.data_file).is_file()


@pytest.mark.parametrize("wrong", ["leaching", "Stalling", "apportunit", "Mosters", "Condidates", "algned",
                                   "care and optional", "stokeholders", "opproach", "of the start",
                                   "leaders their respect", "solutions(s)", "by competing", "to improvement pupil"])
def test_scanning_error_is_corrected_everywhere_and_listed(cat, wrong):
    assert any(wrong in e.seed_text for e in cat.errata), f"{wrong!r} has no erratum"

    def display_strings(value, key=""):
        if key in {"seed_text", "seed_items", "errata", "quotes"}:
            return
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for k, v in value.items():
                yield from display_strings(v, k)
        elif isinstance(value, list):
            for v in value:
                yield from display_strings(v)

    shown = [s for s in display_strings(cat.to_dict()) if wrong in s]
    assert not shown, shown


@needs_seeds
@pytest.mark.parametrize("text", ["Teaching and Curriculum  Excellence", "4.1.2  Designs"])
def test_seed_whitespace_is_normalised_before_comparison(seeds, text):
    assert normalise(text) in seeds["001"]


# --- formatting -----------------------------------------------------------------------------------------------------
def test_format_npqel_shows_unknown_hours(cat):
    text = format_qualification(cat.get("NPQEL-legacy"))
    lines = text.splitlines()
    for name in cat.get("NPQEL-legacy").unknown_hours:
        line = next(line for line in lines if line.strip().startswith(name))
        assert line.rstrip().endswith("unknown"), line
    assert any(re.fullmatch(r"\s*Total\s+132", line) for line in lines)
    assert "NPQEL-legacy" in text and "legacy" in text and "Leading across several schools" in text
    assert "School to school support" in text and "Task 2" in text


@pytest.mark.parametrize("qid", ALL_IDS)
def test_format_every_qualification(cat, qid):
    q = cat.get(qid)
    text = format_qualification(q)
    assert q.name in text and q.id in text and q.route in text
    assert all(len(line) <= 88 or " " not in line.strip() for line in text.splitlines())
    if q.total_hours is not None:
        assert str(q.total_hours) in text
    if qid != "NPQEL-legacy":
        assert "unknown" not in text
    for c in q.criteria:
        assert c.id in text
    for m in q.modules:
        assert m.title.split()[0] in text


def test_format_npqml_lists_criteria_and_modules(cat):
    text = format_qualification(cat.get("NPQML-legacy"))
    assert "1.1.1 (Part A)" in text and "Raw data analysis" in text
    assert "Module 2: Accountability & governance School-led partnership and impact" in text
    assert "Total" in text and "92" in text


# --- malformed data gives a clear error ----------------------------------------------------------------------------
def _broken_copy(tmp_path: Path, file: str, old: str, new: str) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return data


@pytest.mark.parametrize("file, old, new, message", [
    ("npqml.yaml", "    hours: 24\n", "    hours: two dozen\n", r"npqml\.yaml: components\[Face-to-face events\]\.hours"),
    ("npqml.yaml", "total_hours: 92", "total_hours: 93", r"npqml\.yaml: total_hours: .*92.*93"),
    ("npqel.yaml", "    hours: 3\n", "    hours: 200\n", r"npqel\.yaml: total_hours: .*do not fit the total 132"),
    ("reformed.yaml", '{seed_text: "28 hours", hours: 28', '{seed_text: "28 hours", hours: 27',
     r"reformed\.yaml: stage_table\.totals\.NPQH: .* = 111, not 112"),
    ("criteria.yaml", "    part: B\n", "    part: A\n", r"criteria\.yaml: criteria\[5\.1\.1\]\.part"),
    ("criteria.yaml", 'supporting_document: "Budget"', 'supporting_document: "Spreadsheet"',
     r"'Spreadsheet' is not one of"),
    ("errata.yaml", 'path: "case_study.parts[2]"', 'path: "case_study.parts[3]"',
     r"errata\.yaml: errata\[E13\]: path is 'case_study\.parts\[3\]' but reformed\.yaml: case_study\.parts\[2\]"),
    ("errata.yaml", 'text: "Identifying the solution(s)"', 'text: "Identifying the solution"',
     r"errata\.yaml: errata\[E13\]\.changes\[1\]\.to: 'solution\(s\)' does not occur in text"),
    ("behaviours.yaml", "erratum: E11", "erratum: E99", r"names erratum 'E99'"),
    ("roles.yaml", "qualification: NPQSL-legacy, scope: across a school, quotes: [*sl_002]",
     "qualification: NPQSL-legacy, scope: team, quotes: [*sl_002]", r"roles\.yaml: roles\[senco\]"),
    ("framework.yaml", 'source: "001"', 'source: "009"', r"framework\.yaml: source: unknown source '009'"),
    ("npqsl.yaml", "courses:\n", "courses: [\n", r"npqsl\.yaml is not valid YAML"),
])
def test_malformed_data_raises_clear_error(tmp_path, file, old, new, message):
    data = _broken_copy(tmp_path, file, old, new)
    with pytest.raises(CatalogueError, match=message):
        load_catalogue(data)
    assert issubclass(CatalogueError, ValueError)


def test_missing_data_file(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    (data / "roles.yaml").unlink()
    with pytest.raises(CatalogueError, match="roles.yaml is missing"):
        load_catalogue(data)


def test_unused_erratum_is_reported(tmp_path):
    data = _broken_copy(tmp_path, "behaviours.yaml",
                        """    description:
      text: "The best leaders respect the rights, views, beliefs and faiths of pupils, colleagues and stakeholders"
      seed_text: "The best leaders their respect the rights, views, beliefs and faiths of pupils, colleagues and stakeholders"
      erratum: E11""",
                        '    description: "The best leaders their respect the rights, views, beliefs and faiths of '
                        'pupils, colleagues and stakeholders"')
    with pytest.raises(CatalogueError, match="E11 match no corrected field"):
        load_catalogue(data)


# --- layering -------------------------------------------------------------------------------------------------------
def test_import_is_cheap_and_layered():
    code = (
        "import sys\n"
        "import npq_widgets.catalogue as c\n"
        "assert 'yaml' not in sys.modules, 'yaml imported before the data is loaded'\n"
        "c.load_catalogue()\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'pandas', 'ipywidgets', 'numpy', 'traitlets'}\n"
        "             or (m.startswith('npq_widgets.') and not m.startswith('npq_widgets.catalogue')))\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[1])


@needs_seeds
def test_verbatim_check_catches_a_paraphrase(tmp_path, seeds):
    """The verbatim test has teeth: reword one module title and the catalogue's claim no longer holds."""
    data = _broken_copy(tmp_path, "npqsl.yaml", '"Growing talent and quality momentum"',
                        '"Growing talent and building quality momentum"')
    broken = load_catalogue(data)
    missing = [v.path for v in broken.verbatim_texts if not in_seed(seeds, v.text, v.seed)]
    assert missing == ["courses[Teaching & Curriculum Excellence].modules[3]"]
