"""The risk register and project plan apps in Voila, driven in Debian's Chromium (only 127.0.0.1 reachable)."""

import pytest
from playwright.sync_api import expect

from .conftest import open_app, screenshot

pytestmark = pytest.mark.browser
T = 30_000  # ms: a chart redraw in a busy kernel can take seconds


def test_add_a_risk_see_heat_map_and_feedback(offline_page, voila_server):
    page = open_app(offline_page, voila_server, "apps/risk-register.ipynb", ".npq-risk-app .npq-check")
    table = page.locator(".npq-risk-table")
    expect(table.locator(".npq-table-status")).to_have_text("Risks 1–1 of 1 (page 1 of 1)", timeout=T)
    summary = page.locator(".npq-risk-summary")
    expect(summary).to_contain_text("Before mitigation: 0 red, 0 amber, 0 green", timeout=T)
    row = page.locator(".npq-risk-form")  # the form edits the risk chosen in the table
    expect(row.locator("h3")).to_have_text("Editing risk R1", timeout=T)
    row.locator(".npq-risk-description input").fill("Tutor absence through long-term sickness")
    row.locator(".npq-risk-category select").select_option(label="Staffing")
    row.locator(".npq-risk-likelihood select").select_option(label="4 — likely")
    row.locator(".npq-risk-impact select").select_option(label="4 — major")
    expect(row.locator(".npq-risk-score")).to_contain_text("Score: 16 — Red", timeout=T)
    # the table is a real table a screen reader can read: caption, column headers, the row's own header
    expect(table.locator("caption")).to_have_text("Risks in the register — Risks 1–1 of 1", timeout=T)
    expect(table.locator("th[scope=col]").nth(3)).to_have_text("Score before mitigation")
    expect(table.locator("tbody tr").first).to_contain_text("Tutor absence through long-term sickness", timeout=T)
    expect(table.locator("tbody tr").first).to_contain_text("16 — Red", timeout=T)
    expect(summary).to_contain_text("Before mitigation: 1 red, 0 amber, 0 green", timeout=T)
    expect(page.locator(".npq-heat-map img")).to_have_attribute("alt", "Risk heat map, likelihood against impact "
                                                                "— before mitigation: 1 red, 0 amber, 0 green; "
                                                                "after mitigation: 0 red, 0 amber, 0 green.", timeout=T)
    page.locator(".npq-risk-add").click()
    expect(table.locator(".npq-table-status")).to_have_text("Risks 1–2 of 2 (page 1 of 1)", timeout=T)
    expect(row.locator("h3")).to_have_text("Editing risk R2", timeout=T)
    # the row menu (a <select>, so keyboard and screen reader work) brings R1 back into the form
    menu = table.locator(".npq-table-choose select")
    menu.select_option(label="R1 — Tutor absence through long-term sickness")
    expect(row.locator("h3")).to_have_text("Editing risk R1", timeout=T)
    expect(row.locator(".npq-risk-description input")).to_have_value("Tutor absence through long-term sickness")
    page.locator(".npq-check").click()
    feedback = page.locator(".npq-feedback")
    expect(feedback).to_contain_text("Not yet", timeout=T)
    expect(feedback).to_contain_text("1 of the 5 key risks", timeout=T)
    expect(feedback).to_contain_text("Next hint", timeout=T)
    screenshot(page, "risk-register-one-risk")
    assert not page.npq_errors


def test_add_a_task_see_gantt_and_feedback(offline_page, voila_server):
    page = open_app(offline_page, voila_server, "apps/project-plan.ipynb", ".npq-plan-app .npq-check")
    first = page.locator(".npq-task-form")  # the form edits the task chosen in the table
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
    second = page.locator(".npq-task-form")
    expect(second.locator("h3")).to_have_text("Editing task T2", timeout=T)
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
    table = page.locator(".npq-task-table")
    expect(table.locator("tbody tr").nth(1)).to_contain_text("Baseline assessment", timeout=T)
    expect(table.locator("tbody tr").nth(1).locator("td").nth(6)).to_have_text("T1", timeout=T)
    page.locator(".npq-check").click()
    feedback = page.locator(".npq-feedback")
    expect(feedback).to_contain_text("Not yet", timeout=T)
    expect(feedback).to_contain_text("2 of the 5 key steps", timeout=T)
    expect(feedback).to_contain_text("Next hint", timeout=T)
    screenshot(page, "project-plan-two-tasks")
    assert not page.npq_errors
