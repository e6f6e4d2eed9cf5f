"""The risk register and project plan apps in Voila, driven in Debian's Chromium (only 127.0.0.1 reachable)."""

import pytest
from playwright.sync_api import expect

from .conftest import open_app, screenshot

pytestmark = pytest.mark.browser
T = 30_000  # ms: a chart redraw in a busy kernel can take seconds


def test_add_a_risk_see_heat_map_and_feedback(offline_page, voila_server):
    page = open_app(offline_page, voila_server, "apps/risk-register.ipynb", ".npq-risk-app .npq-check")
    expect(page.locator(".npq-risk-row")).to_have_count(1, timeout=T)
    summary = page.locator(".npq-risk-summary")
    expect(summary).to_contain_text("Before mitigation: 0 red, 0 amber, 0 green", timeout=T)
    row = page.locator(".npq-risk-row").first
    row.locator(".npq-risk-description input").fill("Tutor absence through long-term sickness")
    row.locator(".npq-risk-category select").select_option(label="Staffing")
    row.locator(".npq-risk-likelihood select").select_option(label="4 — likely")
    row.locator(".npq-risk-impact select").select_option(label="4 — major")
    expect(row.locator(".npq-risk-score")).to_contain_text("Score: 16 — Red", timeout=T)
    expect(summary).to_contain_text("Before mitigation: 1 red, 0 amber, 0 green", timeout=T)
    expect(page.locator(".npq-heat-map img")).to_have_attribute("alt", "Risk heat map, likelihood against impact "
                                                                "— before mitigation: 1 red, 0 amber, 0 green; "
                                                                "after mitigation: 0 red, 0 amber, 0 green.", timeout=T)
    page.locator(".npq-risk-add").click()
    expect(page.locator(".npq-risk-row")).to_have_count(2, timeout=T)
    page.locator(".npq-check").click()
    feedback = page.locator(".npq-feedback")
    expect(feedback).to_contain_text("Not yet", timeout=T)
    expect(feedback).to_contain_text("1 of the 5 key risks", timeout=T)
    expect(feedback).to_contain_text("Next hint", timeout=T)
    screenshot(page, "risk-register-one-risk")
    assert not page.npq_errors


def test_add_a_task_see_gantt_and_feedback(offline_page, voila_server):
    page = open_app(offline_page, voila_server, "apps/project-plan.ipynb", ".npq-plan-app .npq-check")
    first = page.locator(".npq-task-row").first
    first.locator(".npq-task-name input").fill("Analyse the Year 9 data")
    first.locator(".npq-task-name input").press("Tab")
    first.locator(".npq-task-start input").fill("02/11/2026")
    first.locator(".npq-task-start input").press("Tab")
    first.locator(".npq-task-end input").fill("20/11/2026")
    first.locator(".npq-task-end input").press("Tab")
    gantt = page.locator(".npq-gantt img")
    expect(gantt).to_have_attribute("alt", "Gantt chart of 1 task (0 milestones), 02/11/2026 to 20/11/2026, "
                                           "terms shaded. Critical path: T1.", timeout=T)
    page.locator(".npq-task-add").click()
    second = page.locator(".npq-task-row").nth(1)
    second.locator(".npq-task-name input").fill("Baseline assessment")
    second.locator(".npq-task-name input").press("Tab")
    second.locator(".npq-task-start input").fill("23/11/2026")
    second.locator(".npq-task-start input").press("Tab")
    second.locator(".npq-task-duration input").fill("5")
    second.locator(".npq-task-duration input").press("Tab")
    second.locator(".npq-task-depends-on select").select_option(value=None, label="T1 Analyse the Year 9 data")
    # the calendar span from T1's start to T2's end (the weekend between them included)
    expect(page.locator(".npq-plan-summary")).to_contain_text("Critical path: T1 → T2 (26 days)", timeout=T)
    expect(gantt).to_have_attribute("alt", "Gantt chart of 2 tasks (0 milestones), 02/11/2026 to 27/11/2026, "
                                           "terms shaded. Critical path: T1 → T2.", timeout=T)
    page.locator(".npq-check").click()
    feedback = page.locator(".npq-feedback")
    expect(feedback).to_contain_text("Not yet", timeout=T)
    expect(feedback).to_contain_text("2 of the 5 key steps", timeout=T)
    expect(feedback).to_contain_text("Next hint", timeout=T)
    screenshot(page, "project-plan-two-tasks")
    assert not page.npq_errors
