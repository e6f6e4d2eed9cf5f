"""The budget builder and PD impact apps in Voila, driven in Debian's Chromium with nothing but 127.0.0.1 reachable."""

import pytest
from playwright.sync_api import expect

from .conftest import open_app, screenshot

pytestmark = pytest.mark.browser
BUDGET = "apps/budget.ipynb"
BUDGET_READY = ".npq-budget-app .npq-check"


def type_in(locator, text):
    """Money and number boxes send their value when the learner leaves the box (Tab) or presses Enter."""
    locator.fill(text)
    locator.press("Tab")


def test_build_a_small_budget_see_total_and_feedback_then_reload(offline_page, voila_server):
    page = open_app(offline_page, voila_server, BUDGET, BUDGET_READY)
    assert "Budget for a Year 9 maths tutoring programme" in page.inner_text(".npq-budget-app")
    line = page.locator(".npq-budget-line").first
    line.locator(".npq-budget-description input").fill("Maths teachers tutoring")
    type_in(line.locator(".npq-budget-hours input"), "6")
    type_in(line.locator(".npq-budget-rate input"), "£40")
    terms = line.locator(".npq-budget-term input")
    type_in(terms.nth(0), "11")
    type_in(terms.nth(1), "11")
    line.locator(".npq-budget-employed select").select_option(label="Yes — employer on-costs apply")
    type_in(page.locator(".npq-budget-on-costs input"), "43.68")
    type_in(page.locator(".npq-budget-pupils input"), "36")
    expect(page.locator(".npq-total-cost")).to_have_text("£7,586.30")
    expect(line.locator(".npq-budget-line-total")).to_contain_text("£5,280.00 + £2,306.30 on-costs")
    expect(page.locator(".npq-budget-chart img")).to_have_attribute("alt", __import__("re").compile("Stacked bar"))

    type_in(line.locator(".npq-budget-rate input"), "forty")  # a typo: a message beside the box, text kept
    expect(line.locator(".npq-field-message", has_text="must be an amount such as £1,200")).to_have_count(1)
    type_in(line.locator(".npq-budget-rate input"), "£40.00")
    expect(line.locator(".npq-field-message", has_text="must be an amount")).to_have_count(0)

    income = page.locator(".npq-budget-income").first
    income.locator(".npq-budget-source input").fill("Pupil premium")
    type_in(income.locator(".npq-budget-income-term input").nth(0), "£4,000")
    type_in(income.locator(".npq-budget-income-term input").nth(1), "4000")
    expect(page.locator(".npq-balance")).to_have_text("£413.70")

    page.locator(".npq-check").click()
    feedback = page.locator(".npq-feedback")
    expect(feedback).to_contain_text("Not yet")
    expect(feedback).to_contain_text("There is no contingency")
    expect(feedback).to_contain_text("Cost per pupil reached: £210.73")
    expect(feedback).to_contain_text("Next hint")
    screenshot(page, "budget-small")

    expect(page.locator(".npq-save-status")).to_contain_text("Saved at")
    page.wait_for_timeout(600)  # let the debounced save of the last change land
    page.reload(wait_until="commit")  # a new kernel: the budget comes back from the store
    page.wait_for_selector(BUDGET_READY, timeout=60_000)
    expect(page.locator(".npq-save-status")).to_contain_text("Your saved work is back")
    expect(page.locator(".npq-budget-line").first.locator(".npq-budget-rate input")).to_have_value("£40.00")
    expect(page.locator(".npq-total-cost")).to_have_text("£7,586.30")
    assert not page.npq_errors


def test_pd_impact_effect_size_and_check(offline_page, voila_server):
    page = open_app(offline_page, voila_server, "apps/pd-impact.ipynb", ".npq-pd-app .npq-check")
    expect(page.locator(".npq-pd-results")).to_contain_text("Comparison classes")
    for key, values in (("group1", ("102.6", "14.1", "112")), ("group2", ("98.9", "14.9", "84"))):
        for f, v in zip(("mean", "sd", "n"), values):
            type_in(page.locator(f".npq-pd-{key}-{f} input"), v)
    expect(page.locator(".npq-pd-effect-size")).to_have_text("0.26")
    type_in(page.locator(".npq-pd-cost input"), "£9,800")
    type_in(page.locator(".npq-pd-pupils input"), "112")
    expect(page.locator(".npq-pd-cost-per-pupil")).to_have_text("£87.50")
    page.locator(".npq-pd-months select").select_option(label="+3 months")
    page.locator(".npq-pd-band select").select_option(label="low")
    page.locator(".npq-check").click()
    feedback = page.locator(".npq-feedback")
    expect(feedback).to_contain_text("about 3 months of additional progress")
    expect(feedback).to_contain_text("is a low cost")
    expect(feedback).to_contain_text("pupils' learning outcomes (Guskey level 5)")
    screenshot(page, "pd-impact-checked")
    assert not page.npq_errors
