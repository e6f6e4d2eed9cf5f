"""Course modules in Voila: answer a knowledge check in one module of each course, reload, and see the progress map."""

import pytest
from playwright.sync_api import expect

from npq_widgets.course import load_module

from .conftest import open_app, screenshot

pytestmark = pytest.mark.browser
READY = ".npq-module .npq-quiz-check"


def answer_right(page, module_id):
    quiz = load_module(module_id).quiz
    cards = page.locator(".npq-question")
    for n, q in enumerate(quiz.questions):
        card = cards.nth(n)
        if q.type == "single":
            card.get_by_label(next(o.text for o in q.options if o.correct), exact=True).check()
        elif q.type == "multiple":
            for o in q.options:
                if o.correct:
                    card.get_by_label(o.text, exact=True).check()
        elif q.type == "numeric":
            box = card.locator("input")
            box.fill(f"{q.answer:g}")
            box.press("Tab")
        elif q.type == "order":
            for i, item in enumerate(q.items):
                card.locator("select").nth(i).select_option(label=item)
        else:
            for i, (_left, right) in enumerate(q.pairs):
                card.locator("select").nth(i).select_option(label=right)


def test_one_module_per_course_progress_survives_and_shows_on_the_map(offline_context, voila_server):
    page = offline_context().new_page()
    for module_id in ("strategy-1", "teaching-1", "resources-1"):
        open_app(page, voila_server, f"modules/{module_id}.ipynb", READY)
        page.locator(".npq-quiz-check").click()
        expect(page.locator(".npq-quiz-feedback")).to_contain_text("Not passed yet")
        expect(page.locator(".npq-quiz-feedback")).to_contain_text("Next hint")
        answer_right(page, module_id)
        page.locator(".npq-quiz-check").click()
        expect(page.locator(".npq-quiz-feedback")).to_contain_text("✔ Passed")
        if module_id == "strategy-1":
            screenshot(page, "module-strategy-1")
        open_app(page, voila_server, f"modules/{module_id}.ipynb", READY)  # a new page load: a new kernel
        expect(page.locator(".npq-quiz-feedback")).to_contain_text("passed")

    open_app(page, voila_server, "00_start_here.ipynb", ".npq-contents .npq-progress-map")
    progress = page.locator(".npq-progress-map")
    for module_id in ("strategy-1", "teaching-1", "resources-1"):
        expect(progress.locator(f'tr[data-module="{module_id}"]')).to_contain_text("✔ passed")
    expect(progress.locator('tr[data-module="strategy-2"]')).to_contain_text("not started")
    expect(progress.locator('tr[data-criterion="1.1.1"]')).to_contain_text("knowledge check passed: strategy-1")
    screenshot(page, "progress-map")


def test_a_module_task_opens_when_asked_with_its_chart_and_stays_accessible(offline_context, voila_server):
    """strategy-2 embeds the project plan and the risk register, built only when opened: the page opens with two
    closed tasks; "Open the task" builds the risk register in place, its heat map drawn after the page has painted
    it; the page with the task open has no serious accessibility problem."""
    from .axe import axe_source, run_axe

    page = offline_context().new_page()
    open_app(page, voila_server, "modules/strategy-2.ipynb", READY)
    slots = page.locator(".npq-task-slot")
    expect(slots).to_have_count(2)
    expect(page.locator(".npq-risk-app")).to_have_count(0)  # not built with the page
    risk = page.locator(".npq-task-slot-risk-register")
    expect(risk.locator(".npq-task-slot-status")).to_have_text("Not checked yet.")
    risk.get_by_role("button", name="Open the task").click()
    expect(page.locator(".npq-risk-app .npq-check")).to_be_visible(timeout=60_000)
    expect(page.locator(".npq-risk-app .npq-heat-map img")).to_have_attribute(
        "alt", __import__("re").compile("Risk heat map"), timeout=60_000)
    expect(page.locator(".npq-plan-app")).to_have_count(0)  # the other task is still closed
    page.locator(".npq-risk-app .npq-check").click()
    expect(page.locator(".npq-risk-app .npq-feedback .npq-check-result")).to_be_visible(timeout=30_000)
    blocking = [f"{v['impact']} {v['id']}: {v['nodes'][0]['target']}" for v in run_axe(page, axe_source())
                if v["impact"] in ("critical", "serious")]
    assert not blocking, blocking
    assert page.evaluate("() => document.querySelectorAll('h1').length") == 1

    page.reload(wait_until="commit")  # the check is saved: the closed task says so
    page.wait_for_selector(READY, timeout=60_000)
    expect(page.locator(".npq-task-slot-risk-register .npq-task-slot-status")).to_contain_text("Your last check")
