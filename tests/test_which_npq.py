"""The "Which NPQ is for me?" app without a kernel: choose, then read what it shows."""

import re

import pytest

from npq_widgets.apps import which_npq


@pytest.fixture
def app():
    return which_npq()


def text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize("scope,codes,total", [
    ("team", ["NPQLT", "NPQLTD", "NPQLBC"], "82"),
    ("across a school", ["NPQSL"], "98"),
    ("a school", ["NPQH"], "112"),
    ("several schools", ["NPQEL"], "124"),
])
def test_scope_shows_reformed_programme_first_and_its_hours(app, scope, codes, total):
    app.scope.value = scope
    shown = text(app.result.value)
    for code in codes:
        assert f"({code})" in shown
    assert "Reformed route — recommended for new candidates" in shown
    assert shown.index("Recommended") < shown.index("Legacy equivalent")
    assert f"Total {total}" in " ".join(shown.split())
    assert app.chart.value.count("<img") == 1 and 'alt="Bar chart of hours by component.' in app.chart.value


def test_team_shows_npqml_as_legacy_with_its_92_hours(app):
    app.scope.value = "team"
    html = app.result.value
    legacy = html[html.index("npq-qual-legacy"):]
    assert "Legacy route — replaced; for candidates already on it" in legacy
    assert "National Professional Qualification for Middle Leadership (NPQML)" in legacy
    flat = " ".join(text(legacy).split())
    for row in ("360° leadership diagnostic 2", "Face-to-face events 24", "Online courses 60", "Online briefings 6",
                "Total 92"):
        assert row in flat
    assert "Leading an improvement project (4,500 words)" in flat


def test_npqel_legacy_unknown_hours_are_not_zero(app):
    app.scope.value = "several schools"
    flat = " ".join(text(app.result.value).split())
    assert "Performance coaching not given in the source" in flat
    assert "Total 132" in flat
    assert "Performance coaching 0" not in flat


def test_reformed_assessment_is_the_case_study(app):
    app.scope.value = "a school"
    flat = " ".join(text(app.result.value).split())
    assert "up to 1,500 words" in flat
    assert "Identifying the problem(s)" in flat and "Identifying the implementation steps required" in flat
    assert "eight-day assessment window" in flat and "90% programme engagement" in flat


def test_legacy_npqh_holds_only_what_the_seeds_say(app):
    app.scope.value = "a school"
    legacy = app.result.value[app.result.value.index("npq-qual-legacy"):]
    assert "The sources give no components or hours for NPQH" in legacy
    assert "The sources do not describe this qualification" in legacy


def test_role_sets_scope(app):
    app.role.value = next(v for label, v in app.role.options if label == "Deputy headteacher")
    assert app.scope.value == "across a school"
    assert "For: Deputy headteacher" in app.result.value
    assert "(NPQSL)" in app.result.value


def test_senco_shows_both_placements_and_why(app):
    senco = next(v for label, v in app.role.options if "SENCO" in label)
    app.role.value = senco
    assert app.scope.value is None  # two scopes: neither is chosen for the candidate
    html = app.result.value
    assert "appears under more than one qualification" in html
    assert 'data-scope="team"' in html and 'data-scope="across a school"' in html
    assert "a special educational needs co-ordinator (SENCO)" in html  # seed 001's words
    assert "a SEN coordinator" in html  # seed 002's words
    assert app.chart.value.count("<img") == 1


def test_choosing_a_scope_clears_the_role(app):
    app.role.value = next(v for label, v in app.role.options if label == "Headteacher")
    app.scope.value = "team"
    assert app.role.value == ""
    assert 'data-scope="team"' in app.result.value and 'data-scope="a school"' not in app.result.value
    assert app.choice == {"role": None, "scope": "team"}


def test_every_role_renders(app):
    for label, value in app.role.options[1:]:
        app.role.value = value
        assert f"For: {label}" in app.result.value.replace("&amp;", "&").replace("&#x27;", "'")
