"""The case-study practice app in Voila, driven in Debian's Chromium with nothing but 127.0.0.1 reachable: typing
into each of the four parts updates its word count and the total, the window shows its deadline, and Check gives
formative feedback that names what is missing."""

import pytest
from playwright.sync_api import expect

from .axe import axe_source, run_axe
from .conftest import open_app, screenshot

pytestmark = pytest.mark.browser
READY = ".npq-case-app .npq-check"
PARTS = {
    "problems": "Attendance of disadvantaged pupils in Year 9 is 88% against 94% for others, and their "
                "Progress 8 score is -0.6.",
    "solutions": "Introduce a mentoring programme for the disadvantaged pupils in Year 9.",
    "rationale": "Mentoring helps.",
    "implementation": "Start in September.",
}


def test_type_into_each_part_see_the_counts_the_deadline_and_feedback(offline_page, voila_server):
    page = open_app(offline_page, voila_server, "apps/case-study.ipynb", READY)
    expected_total = 0
    for key, text in PARTS.items():
        box = page.locator(f".npq-case-{key} textarea")
        box.fill(text)
        box.press("Tab")
        words = len(text.split())
        expected_total += words
        part = page.locator(".widget-vbox", has=page.locator(f".npq-case-{key}")).last
        expect(part.locator(".npq-word-count")).to_contain_text(f"{words} words")
    expect(page.locator(".npq-case-total")).to_contain_text(f"Total: {expected_total} of 1,500 words")

    released = page.locator(".npq-case-released input")
    released.fill("05/10/2026 09:00")
    released.press("Tab")
    # day 1 is the release day: the deadline is the end of the eighth day, 12/10/2026, UK time
    expect(page.locator(".npq-case-window")).to_contain_text("12/10/2026 23:59")

    # each paragraph of a part is listed by its first words, with a tick box per content area
    tags = page.locator(".npq-case-tags-problems")
    expect(tags).to_contain_text("Paragraph 1: “Attendance of disadvantaged pupils in Year 9 is…”")
    tags.get_by_label("4. Behaviour").check()
    areas = page.locator(".npq-case-areas")
    expect(areas).to_contain_text("Content areas your response touches: 4. Behaviour.")
    expect(areas).to_contain_text("Paragraphs not tagged yet: Identifying the solution(s), paragraph 1")
    serious = [f"{v['id']}: {v['nodes'][0]['html']}" for v in run_axe(page, axe_source())
               if v["impact"] in ("critical", "serious")]
    assert not serious, serious

    page.locator(".npq-check").click()
    feedback = page.locator(".npq-feedback")
    expect(feedback).to_contain_text("Not yet")
    expect(feedback).to_contain_text("Next hint")
    expect(feedback).to_contain_text("Identifying the solution(s), paragraph 1")
    screenshot(page, "case-study")
