"""The curriculum and staffing model (ICFP) in Voila, driven in Debian's Chromium with nothing but 127.0.0.1
reachable: the three schools' measures are shown side by side, the learner judges each school against the
benchmarks from the menus, and Check answers with graduated feedback."""

import pytest
from playwright.sync_api import expect

from .conftest import open_app, screenshot

pytestmark = pytest.mark.browser
READY = ".npq-cm-app .npq-check"


def test_read_the_measures_judge_a_school_and_check(offline_page, voila_server):
    page = open_app(offline_page, voila_server, "apps/curriculum-model.ipynb", READY)
    measures = page.locator(".npq-cm-measures")
    expect(measures).to_contain_text("Teacher contact ratio")
    for school, ratio in (("Moorside Academy", "0.722"), ("Brookfield School", "0.780"), ("Castlegate School", "0.820")):
        expect(measures).to_contain_text(school)
        expect(measures).to_contain_text(ratio)

    page.locator(".npq-check").click()
    feedback = page.locator(".npq-feedback")
    expect(feedback).to_contain_text("Nothing to check yet")  # nothing judged yet: one message, score 0

    contact = page.locator(".npq-cm-flag-contact select").first
    contact.select_option(index=1)
    page.locator(".npq-check").click()
    expect(feedback).not_to_contain_text("Nothing to check yet")
    expect(feedback).to_contain_text("Not yet")
    screenshot(page, "curriculum-model")
    assert not page.npq_errors and not page.npq_blocked
