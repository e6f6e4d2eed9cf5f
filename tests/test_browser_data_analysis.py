"""The pupil data analysis app in Voila, in Debian's Chromium, with nothing but 127.0.0.1 reachable."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from npq_widgets.tasks.data_analysis.checks import statements
from npq_widgets.domain.pupil_analysis import group_options
from npq_widgets.registry import get_task
from npq_widgets.tasks.data_analysis.export import aggregates_for
from npq_widgets.tasks.data_analysis.view import COHORT_WORDS

from .conftest import ARTIFACTS, open_app, screenshot

pytestmark = pytest.mark.browser
MODEL = json.loads(json.dumps(get_task("data-analysis").scenario("secondary-riverside").model_answer))
# the model answer holds answers only (computed independently); the labels the page shows come from the analysis
AGG = aggregates_for(MODEL, get_task("data-analysis").scenario("secondary-riverside"))
CORPUS = Path(__file__).parent / "fixtures" / "pupil-data-broken"
APP = "apps/data-analysis.ipynb"


def letter(statement_id: str) -> str:
    ids = [sid for sid, _ in statements(AGG["correlation"], "x", "y")]
    return "ABCD"[ids.index(statement_id)]


def priority_label(key: str) -> str:
    return dict((v, lbl) for lbl, v in group_options(AGG))[key]
READY = ".npq-da-app .npq-check"


def test_complete_the_task_by_choosing_typing_and_clicking(offline_page, voila_server):
    page = open_app(offline_page, voila_server, APP, READY)
    expect(page.locator(".npq-da-charts img")).to_have_count(2)
    expect(page.locator(".npq-da-results")).to_contain_text("Each group against everyone else")

    page.locator(".npq-check").click()
    feedback = page.locator(".npq-feedback")
    expect(feedback).to_contain_text("Not yet")
    expect(feedback).to_contain_text("Nothing to check yet")  # empty work: one message, score 0

    a = MODEL["answers"]
    page.locator(".npq-candidate-name input").fill("Alex Jones")
    page.locator(".npq-da-gap-group select").select_option(label=a["gap_group"])
    page.locator(".npq-da-gap input").fill(a["gap"])
    page.locator(".npq-da-gap input").press("Tab")
    page.locator(".npq-da-gap-significant select").select_option(
        label="Yes — its interval excludes 0" if a["gap_significant"] == "yes" else "No — its interval includes 0")
    page.locator(".npq-da-cohort-significance select").select_option(label=COHORT_WORDS[a["cohort_significance"]])
    page.locator(".npq-da-interpretation select").select_option(label=f"Statement {letter(a['interpretation'])}")
    page.locator(".npq-da-priority-group select").select_option(label=priority_label(a["priority_group"]))
    page.locator(".npq-da-justification textarea").fill(a["justification"])
    page.locator(".npq-da-priorities textarea").fill(a["priorities"])
    page.locator(".npq-check").click()
    expect(feedback).to_contain_text("All criteria met")
    expect(feedback).to_contain_text("6/6")
    screenshot(page, "data-analysis-passed")
    for part in ("results", "charts", "questions"):  # viewport shots: Chromium paints only what is in view
        page.locator(f".npq-da-{part}").scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / f"data-analysis-{part}.png"))
    feedback.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "data-analysis-feedback.png"))

    page.locator(".npq-prepare-download").click()
    expect(page.locator("a.npq-download")).to_have_attribute("download", "raw-data-analysis.xlsx")
    assert not page.npq_errors
    assert "Traceback" not in page.inner_text("body")


def upload(page, path: Path) -> None:
    """ipywidgets' FileUpload opens a file chooser from its button (its <input> is not in the page)."""
    with page.expect_file_chooser() as chooser:
        page.locator(".npq-da-upload").click()
    chooser.value.set_files(str(path))


def test_upload_a_broken_then_a_good_file(offline_page, voila_server):
    page = open_app(offline_page, voila_server, APP, READY)
    page.locator(".npq-da-source select").select_option(label="My own school's data (upload a file)")
    message = page.locator(".npq-da-upload-message")
    upload(page, CORPUS / "non-numeric.csv")
    expect(message).to_contain_text("not numbers in rows 3 and 5")
    upload(page, CORPUS / "good-dated-drops.xlsx")
    expect(message).to_contain_text("Loaded 'good-dated-drops.xlsx': 8 pupils")
    expect(page.locator(".npq-da-results")).to_contain_text("20/03/2026")
    body = page.inner_text("body")
    assert "Pupil 1" not in body and "X000100000001" not in body  # names and UPNs never shown
    screenshot(page, "data-analysis-own-data")
    assert "Traceback" not in body
