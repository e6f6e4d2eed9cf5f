"""The options appraisal app in Voila, driven in Debian's Chromium with nothing but 127.0.0.1 reachable."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import open_app, screenshot

pytestmark = pytest.mark.browser
READY = ".npq-oa-app .npq-check"


def type_in(locator, text):
    """Text boxes send their value when the learner leaves the box (Tab)."""
    locator.fill(text)
    locator.press("Tab")


def test_weigh_score_cost_and_check_with_plain_messages(offline_page, voila_server):
    page = open_app(offline_page, voila_server, "apps/options-appraisal.ipynb", READY)
    assert "Northfield Learning Trust" in page.inner_text(".npq-oa-app")
    names = page.locator(".npq-oa-criterion-name input")
    weights = page.locator(".npq-oa-criterion-weight input")
    for i, (name, weight) in enumerate((("Cost", "50"), ("Impact", "40"), ("Risk", "20"))):
        type_in(names.nth(i), name)
        type_in(weights.nth(i), weight)
    expect(page.locator(".npq-oa-weights-total")).to_contain_text("The weights total 110: they must total 100.")
    type_in(weights.nth(2), "10")
    expect(page.locator(".npq-oa-weights-total")).to_contain_text("The weights total 100.")
    page.locator(".npq-oa-horizon select").select_option(label="3 years")

    cards = page.locator(".npq-oa-option")
    # a new horizon rebuilds each card's year columns and score rows: wait for it, as a learner sees the columns
    # change, before choosing scores (a choice made in the old row, still on screen on a slow machine, is lost)
    expect(cards.first.locator(".npq-oa-flow-recurring_income-4")).to_have_count(0)
    expect(cards.first.locator(".npq-oa-flow-recurring_income-3")).to_have_count(1)
    for i, (name, scores) in enumerate((("Business as usual", ("1", "2")), ("Shared services hub", ("4", "4")))):
        card = cards.nth(i)
        type_in(card.locator(".npq-oa-option-name input"), name)
        for cid, score in zip(("K1", "K2"), scores):
            card.locator(f".npq-oa-score-{cid} select").select_option(score)
            type_in(card.locator(f".npq-oa-why-{cid} input"), "Because.")
    expect(page.locator(".npq-oa-table")).to_contain_text("– : not scored yet")
    for i in range(2):  # the third criterion is scored from each option's residual risks
        card = cards.nth(i)
        card.locator(".npq-oa-risk-add").click()
        type_in(card.locator(".npq-oa-risk-description input"), "Something goes wrong")
        type_in(card.locator(".npq-oa-risk-mitigation input"), "We act early")
        selects = card.locator(".npq-oa-risk-row select")
        for j, label in enumerate(("3 — possible", "3 — moderate", "2 — unlikely", "2 — minor")):
            selects.nth(j).select_option(label=label)
    hub = cards.nth(1)
    box = hub.locator(".npq-oa-flow-recurring_income-1 input")
    type_in(box, "oops")  # a typo: a message in the option's card, the text kept
    expect(hub.locator(".npq-field-message", has_text="must be an amount such as £1,200")).to_have_count(1)
    expect(box).to_have_value("oops")
    type_in(box, "£6,000")
    expect(hub.locator(".npq-field-message", has_text="must be an amount")).to_have_count(0)
    expect(page.locator(".npq-oa-table")).to_contain_text("✔ top score")
    expect(page.locator(".npq-oa-chart img")).to_have_attribute("alt", re.compile("Tornado chart"))
    expect(page.locator(".npq-oa-sentences")).to_contain_text("holds")

    page.locator(".npq-check").click()
    feedback = page.locator(".npq-feedback")
    expect(feedback).to_contain_text("Not yet")
    expect(feedback).to_contain_text("The weights total 100")
    screenshot(page, "options-appraisal")
    assert not page.npq_errors
