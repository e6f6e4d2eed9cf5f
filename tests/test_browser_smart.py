"""The SMART objectives app in Voila, driven in Debian's Chromium with nothing but 127.0.0.1 reachable."""

import json

import pytest
from playwright.sync_api import expect

from npq_widgets.paths import exercises_dir
from npq_widgets.registry import get_task

from .conftest import open_app, screenshot

pytestmark = pytest.mark.browser
MODEL = json.loads((exercises_dir() / "smart-objectives" / "y8-english-reading.model.json").read_text())
LABELS = {p["id"]: p["label"] for p in get_task("smart-objectives").scenario().data["priorities"]}


def fill_card(card, data):
    card.locator(".npq-smart-objective textarea").fill(data["objective"])
    card.locator(".npq-smart-who input").fill(data["who"])
    card.locator(".npq-smart-priority select").select_option(label=LABELS[data["priority"]])
    card.locator(".npq-smart-measure input").fill(data["measure"])
    card.locator(".npq-smart-baseline input").fill(data["baseline"])
    card.locator(".npq-smart-target input").fill(data["target"])
    card.locator(".npq-smart-deadline input").fill(data["deadline"])
    card.locator(".npq-smart-development textarea").fill(data["development"])


def test_complete_the_task_by_typing_and_clicking(offline_page, voila_server):
    page = open_app(offline_page, voila_server, "apps/smart-objectives.ipynb", ".npq-smart-app .npq-check")
    expect(page.locator(".npq-smart-card")).to_have_count(2)
    assert "Appraisal objectives for a Year 8 English teacher" in page.inner_text(".npq-smart-app")

    # First a careless attempt: feedback says what is missing, with a hint, and nothing typed is lost.
    page.locator(".npq-check").click()
    feedback = page.locator(".npq-feedback")
    expect(feedback).to_contain_text("Not yet")
    expect(feedback).to_contain_text("Nothing to check yet")  # empty work: one message, score 0

    cards = page.locator(".npq-smart-card")
    page.locator(".npq-candidate-name input").fill("Alex Jones")
    for i, data in enumerate(MODEL["objectives"]):
        fill_card(cards.nth(i), data)
    page.locator(".npq-check").click()
    expect(feedback).to_contain_text("All criteria met")
    expect(feedback).to_contain_text("7/7")
    screenshot(page, "smart-objectives-passed")

    page.locator(".npq-prepare-download").click()
    link = page.locator("a.npq-download")
    expect(link).to_have_attribute("download", "smart-objectives.xlsx")
    assert not page.npq_errors
    assert "Traceback" not in page.inner_text("body")


def test_bad_input_gets_a_message_next_to_the_field(offline_page, voila_server):
    page = open_app(offline_page, voila_server, "apps/smart-objectives.ipynb", ".npq-smart-app .npq-check")
    card = page.locator(".npq-smart-card").first
    card.locator(".npq-smart-target input").fill("about sixty")
    expect(card.locator(".npq-field-message", has_text="The target must be a number")).to_have_count(1)
    card.locator(".npq-smart-deadline input").fill("31/02/2027")
    expect(card).to_contain_text("does not exist in the calendar")
    expect(card.locator(".npq-smart-target input")).to_have_value("about sixty")
    page.locator(".npq-check").click()
    expect(page.locator(".npq-feedback")).to_contain_text("Objective 1's target must be a number")
    screenshot(page, "smart-objectives-bad-input")
