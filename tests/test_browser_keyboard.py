"""One task completed with the keyboard only — Tab to each field, type, Enter on Check, Enter on the download —
in Debian's Chromium against Voila, offline. Also: the focus ring is visible, the feedback is a live region and is
scrolled into view after Check, and the page sits in one <main> landmark."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from npq_widgets.paths import exercises_dir
from npq_widgets.registry import get_task

from .conftest import open_app

pytestmark = pytest.mark.browser
MODEL = json.loads((exercises_dir() / "smart-objectives" / "y8-english-reading.model.json").read_text())
PRIORITIES = [(str(p["id"]), str(p["label"])) for p in get_task("smart-objectives").scenario().data["priorities"]]


def tab_to(page, locator, limit: int = 60):
    """Press Tab (only) until ``locator`` has the focus."""
    target = locator.element_handle()
    for _ in range(limit):
        if page.evaluate("el => el === document.activeElement", target):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {locator}")


def test_smart_objectives_by_keyboard_only(offline_page, voila_server):
    page = open_app(offline_page, voila_server, "apps/smart-objectives.ipynb", ".npq-smart-app .npq-check")
    assert page.locator("main").count() == 1 and page.locator("main .npq-smart-app").count() == 1
    expect(page.locator(".npq-smart-card")).to_have_count(2)
    page.locator("body").focus()

    tab_to(page, page.locator(".npq-candidate-name input"))
    page.keyboard.insert_text("Alex Jones")
    # the focus ring: at least 2 px, dark on white (the default was a 1 px light-blue border)
    ring = page.evaluate("() => { const s = getComputedStyle(document.activeElement); "
                         "return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor]; }")
    assert ring[0] == "solid" and ring[1] >= 2 and ring[2] == "rgb(29, 63, 145)", ring

    cards = page.locator(".npq-smart-card")
    for i, data in enumerate(MODEL["objectives"]):
        card = cards.nth(i)
        for name, kind in (("objective", "textarea"), ("who", "input"), ("priority", "select"),
                           ("measure", "input"), ("baseline", "input"), ("target", "input"),
                           ("deadline", "input"), ("development", "textarea")):
            tab_to(page, card.locator(f".npq-smart-{name} {kind}"))
            if kind == "select":  # a closed <select> moves through its options with the arrow keys
                for _ in range([pid for pid, _ in PRIORITIES].index(data["priority"]) + 1):
                    page.keyboard.press("ArrowDown")
            else:
                page.keyboard.insert_text(data[name])
        # ipywidgets uses the option labels as the <select>'s values; the accessible name is the field's label
        expect(card.locator(".npq-smart-priority select")).to_have_value(dict(PRIORITIES)[data["priority"]])
        expect(card.get_by_role("combobox", name="Priority it serves")).to_have_count(1)

    check = page.locator(".npq-check")
    tab_to(page, check)
    ring = page.evaluate("() => parseFloat(getComputedStyle(document.activeElement).outlineWidth)")
    assert ring >= 2
    page.keyboard.press("Enter")
    feedback = page.locator(".npq-feedback")
    expect(feedback).to_contain_text("All criteria met")
    expect(feedback).to_have_attribute("aria-live", "polite")
    expect(feedback).to_have_attribute("role", "status")
    # scrolled into view: all of it when it fits in the window, else a window's worth of it (not a line at the foot)
    expect(feedback).to_contain_text("7/7")
    page.wait_for_timeout(300)
    height = feedback.bounding_box()["height"]
    expect(feedback).to_be_in_viewport(ratio=round(0.9 * min(1.0, page.viewport_size["height"] / height), 3))

    tab_to(page, page.locator(".npq-prepare-download"))
    page.keyboard.press("Enter")
    link = page.locator("a.npq-download")
    expect(link).to_have_attribute("download", "smart-objectives.xlsx")
    tab_to(page, link)
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    assert info.value.suggested_filename == "smart-objectives.xlsx"
    assert not page.npq_errors and not page.npq_blocked
