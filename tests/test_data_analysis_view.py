"""The pupil data analysis app without a kernel: set values, click, read the HTML widgets."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from npq_widgets.apps import task_app
from npq_widgets.tasks.data_analysis.view import OWN

HERE = Path(__file__).parent
CORPUS = HERE / "fixtures" / "pupil-data-broken"


@pytest.fixture(scope="module")
def app():
    return task_app("data-analysis")


@pytest.fixture(scope="module")
def model():
    from npq_widgets.registry import get_task

    return json.loads(json.dumps(get_task("data-analysis").scenario("secondary-riverside").model_answer))


def test_opens_on_the_first_scenario_with_tables_and_charts(app):
    assert app.source.value == "secondary-riverside"
    assert "Riverside Academy" in app.brief.value
    assert "npq-da-summary" in app.results.value and "Each group against everyone else" in app.results.value
    assert app.charts.value.count("<img") == 2 and 'alt="Bar chart' in app.charts.value
    assert "Progress 8 intervals use the DfE method" in app.results.value
    assert app.upload_box.layout.display == "none"


def test_answering_by_hand_passes(app, model):
    a = model["answers"]
    app.gap_group.value = a["gap_group"]
    app.gap.value = a["gap"]
    app.gap_significant.value = a["gap_significant"]
    app.cohort_sig.value = a["cohort_significance"]
    app.interpretation.value = a["interpretation"]
    app.priority_group.value = a["priority_group"]
    app.priorities.text.value = a["priorities"]
    app.check_button.click()
    assert "All criteria met" in app.feedback.value
    assert "words" in app.priorities.count.value


def test_changing_the_selection_recomputes_and_keeps_answers(app):
    before = app.results.value
    app.by.value = "send"
    assert app.results.value != before and "EHCP" in app.results.value
    assert app.gap.value  # typed answer kept
    boxes = list(app.drop_boxes.children)
    for cb in boxes:
        cb.value = False
    assert "Tick at least one data drop" in app.drops_msg.value
    for cb in boxes:
        cb.value = True
    app.by.value = "disadvantaged"


def test_round_trip_is_a_no_op(app, model):
    app.load(model)
    art = app.artefact
    app.load(art)
    assert app.artefact == art
    assert art["aggregates"] and "P00001" not in json.dumps(art)


def test_primary_scenario_uses_t_intervals_and_a_reference_of_100(app):
    app.source.value = "primary-oakfield"
    assert "t-intervals" in app.results.value and "Reference value: 100" in app.results.value
    assert app.q3.layout.display is None
    app.source.value = "secondary-riverside"


def test_bad_upload_keeps_previous_data_and_says_why(app):
    app.source.value = OWN
    assert app.upload_box.layout.display is None
    good = (CORPUS / "bom-semicolon.csv").read_bytes()
    assert app.load_file(good, "ours.csv")
    assert "Loaded 'ours.csv': 3 pupils" in app.upload_msg.value
    kept = app.artefact
    assert app.load_file((CORPUS / "non-numeric.csv").read_bytes(), "broken.csv") is False
    assert "rows 3 and 5" in app.upload_msg.value and "previous data is still loaded" in app.upload_msg.value
    assert app.artefact == kept and app.table.source_name == "ours.csv"
    assert app.load_file(b"x" * (app.size_limit + 1), "huge.csv") is False
    assert "can be analysed" in app.upload_msg.value and app.table.source_name == "ours.csv"


def test_upload_widget_value_is_read_and_cleared(app):
    app.source.value = OWN
    content = (CORPUS / "good-dated-drops.xlsx").read_bytes()
    app.upload.value = ({"name": "dated.xlsx", "type": "", "size": len(content), "content": memoryview(content),
                         "last_modified": dt.datetime(2026, 1, 1)},)
    assert "Loaded 'dated.xlsx'" in app.upload_msg.value and app.upload.value == ()
    assert [cb.description for cb in app.drop_boxes.children] == ["01/12/2025", "20/03/2026"]


def test_own_data_saves_aggregates_and_restores_without_the_file(model):
    view = task_app("data-analysis")
    raw = (Path(__file__).resolve().parents[1] / "exercises" / "data-analysis" / "secondary-riverside.csv")
    assert view.load_file(raw.read_bytes(), "our-school.csv")
    view.gap_group.value = "Yes"
    view.gap.value = model["answers"]["gap"]
    art = view.artefact
    assert art["scenario"] == "free" and art["data"]["source"] == "upload"
    text = json.dumps(art)
    assert "X000" not in text and "P00001" not in text and art["data"]["fingerprint"].startswith("sha256:")
    fresh = task_app("data-analysis")
    fresh.load(art)
    assert fresh.artefact == art and fresh.table is None
    assert "upload the same file again" in fresh.upload_msg.value and fresh.measure.disabled
    assert "npq-da-summary" in fresh.results.value  # shown from the saved aggregates
    fresh.check_button.click()
    assert "is −0.69" in fresh.feedback.value
    # re-uploading the same file makes it editable with the same choices
    assert fresh.load_file(raw.read_bytes(), "our-school.csv")
    assert not fresh.measure.disabled and fresh.artefact["selection"] == art["selection"]


def test_download_is_an_xlsx_link(app):
    app.prepare_download()
    assert 'download="raw-data-analysis.xlsx"' in app.download.value


def test_bad_gap_text_gets_a_message_next_to_the_field(app):
    app.gap.value = "about half"
    assert "must be a number" in app.gap_msg.value and app.gap.value == "about half"
    app.gap.value = "−0.69"
    assert app.gap_msg.value == "" and app.answers["gap"] == "-0.69"


def test_other_category_columns_are_offered_but_used_only_when_ticked():
    view = task_app("data-analysis")
    rows = ["UPN,House,Disadvantaged,Score"] + [f"X{100000000000 + i},{['Red', 'Blue'][i % 2]},"
                                                f"{'Yes' if i % 3 else 'No'},{i % 5}" for i in range(40)]
    assert view.load_file("\n".join(rows).encode(), "houses.csv")
    assert view.categories_box.layout.display is None
    boxes = {cb.description: cb for cb in view.category_boxes.children}
    assert boxes["Disadvantaged"].value is True and boxes["House"].value is False
    assert "house" not in [v for _, v in view.by.options]
    boxes["House"].value = True
    assert "house" in [v for _, v in view.by.options] and "house" in view.artefact["data"]["groupings"]
    view.by.value = "house"
    assert "Red" in view.results.value
    boxes["House"].value = False
    assert "house" not in [v for _, v in view.by.options] and "Red" not in view.results.value


def test_the_national_sd_year_is_chosen_in_the_app(app):
    app.source.value = "secondary-riverside"
    assert app.sd_year_box.layout.display is None and app.sd_year.value == 2024
    app.sd_year.value = 2022
    assert "1.408359 (2022 data)" in app.results.value
    assert app.artefact["selection"]["national_sd_year"] == 2022 and app.aggregates["national_sd"]["year"] == 2022
    app.sd_year.value = 2024
    app.source.value = "primary-oakfield"
    assert app.sd_year_box.layout.display == "none"  # t-intervals: no national SD
    app.source.value = "secondary-riverside"
