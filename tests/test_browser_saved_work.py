"""Saved work in a real browser: it survives a reload (a new kernel) and, on a shared laptop (`run --room`, the
``voila_server`` fixture), visitors never see each other's work."""

import pytest
from playwright.sync_api import expect

from .conftest import open_app, screenshot

pytestmark = pytest.mark.browser
APP = "apps/which-npq.ipynb"
READY = ".npq-which-npq .npq-scope"


def choose(page, label):
    page.get_by_label(label).check()
    expect(page.locator(".npq-save-status")).to_contain_text("Saved at")


def test_reload_brings_work_back_and_visitors_are_isolated(offline_context, voila_server):
    alice = offline_context().new_page()
    open_app(alice, voila_server, APP, READY)
    choose(alice, "Leading a school")
    expect(alice.locator(".npq-result")).to_contain_text("(NPQH)")

    alice.reload(wait_until="commit")  # a new page load is a new kernel
    alice.wait_for_selector(READY, timeout=60_000)
    expect(alice.get_by_label("Leading a school")).to_be_checked()
    expect(alice.locator(".npq-save-status")).to_contain_text("Your saved work is back")
    expect(alice.locator(".npq-result")).to_contain_text("(NPQH)")

    bob = offline_context().new_page()  # another browser: his own cookie, his own workbook
    open_app(bob, voila_server, APP, READY)
    expect(bob.locator(".npq-save-status")).to_contain_text("saves automatically")
    expect(bob.locator(".npq-whose-workbook")).to_contain_text(  # the room server (--room): whose work this is
        "This browser's workbook on a shared laptop: download it before you leave")
    expect(bob.get_by_label("Leading a school")).not_to_be_checked()
    choose(bob, "Leading a team")

    alice.reload(wait_until="commit")
    alice.wait_for_selector(READY, timeout=60_000)
    expect(alice.get_by_label("Leading a school")).to_be_checked()
    expect(alice.get_by_label("Leading a team")).not_to_be_checked()

    visitors = [p for p in (voila_server.home / "workbooks").iterdir() if (p / "which-npq.json").exists()]
    assert len(visitors) >= 2
    screenshot(alice, "which-npq-after-reload")


def test_smart_objectives_text_survives_a_reload(offline_page, voila_server):
    page = open_app(offline_page, voila_server, "apps/smart-objectives.ipynb", ".npq-smart-app .npq-check")
    page.locator(".npq-candidate-name input").fill("Alex Jones")
    page.locator(".npq-smart-card").first.locator(".npq-smart-target input").fill("not a number yet")
    expect(page.locator(".npq-save-status")).to_contain_text("Saved at")
    page.wait_for_timeout(600)  # let the debounced save of the last keystrokes land
    page.reload(wait_until="commit")
    page.wait_for_selector(".npq-smart-app .npq-check", timeout=60_000)
    expect(page.locator(".npq-candidate-name input")).to_have_value("Alex Jones")
    expect(page.locator(".npq-smart-card").first.locator(".npq-smart-target input")).to_have_value("not a number yet")


def upload(page, path):
    with page.expect_file_chooser() as chooser:
        page.locator(".npq-upload-work").click()
    chooser.value.set_files(str(path))


def test_download_all_work_and_load_it_in_another_browser(offline_context, voila_server, tmp_path):
    import base64

    first = offline_context().new_page()
    open_app(first, voila_server, APP, READY)
    choose(first, "Leading across several schools")
    open_app(first, voila_server, "apps/my-work.ipynb", ".npq-my-work .npq-download-all")
    expect(first.locator(".npq-my-work-summary")).to_contain_text("Which NPQ is for me? (your choice)")
    first.locator(".npq-download-all").click()
    link = first.locator("a.npq-download")
    expect(link).to_have_attribute("download", __import__("re").compile(r"npq-workbook-\d{4}-\d{2}-\d{2}\.json"))
    href = link.get_attribute("href")
    saved = tmp_path / "npq-workbook.json"
    saved.write_bytes(base64.b64decode(href.split(",", 1)[1]))
    screenshot(first, "my-work")

    second = offline_context().new_page()  # e.g. a new Binder session: nothing saved yet
    open_app(second, voila_server, "apps/my-work.ipynb", ".npq-my-work .npq-upload-work")
    expect(second.locator(".npq-my-work-summary")).to_contain_text("Nothing has been saved yet")
    broken = tmp_path / "broken.json"
    broken.write_bytes(saved.read_bytes()[:60])
    upload(second, broken)
    expect(second.locator(".npq-import-message")).to_contain_text("incomplete")
    upload(second, saved)
    expect(second.locator(".npq-import-message")).to_contain_text("which-npq: added.")
    open_app(second, voila_server, APP, READY)
    expect(second.get_by_label("Leading across several schools")).to_be_checked()


@pytest.mark.parametrize("app,ready,row,field", [
    # the register and the plan edit one row at a time in a form under their table
    ("apps/risk-register.ipynb", ".npq-risk-app .npq-check", ".npq-risk-form", ".npq-risk-description input"),
    ("apps/project-plan.ipynb", ".npq-plan-app .npq-check", ".npq-task-form", ".npq-task-name input"),
    ("apps/data-analysis.ipynb", ".npq-da-app .npq-check", ".npq-da-questions", ".npq-da-priorities textarea"),
])
def test_task_apps_find_their_work_again_after_a_reload(offline_page, voila_server, app, ready, row, field):
    page = open_app(offline_page, voila_server, app, ready)
    box = page.locator(row).first.locator(field).first
    box.fill("Typed before the reload")
    box.press("Tab")  # some fields send their value when the learner leaves them
    expect(page.locator(".npq-save-status")).to_contain_text("Saved at", timeout=30_000)
    page.wait_for_timeout(600)
    page.reload(wait_until="commit")
    page.wait_for_selector(ready, timeout=60_000)
    expect(page.locator(row).first.locator(field).first).to_have_value("Typed before the reload", timeout=30_000)
    expect(page.locator(".npq-save-status")).to_contain_text("Your saved work is back")


SHARED_KEY = "5ca1ab1e0ddba11c0ffee0123456789a"


def same_workbook(offline_context, server):
    """A browser context that already holds SHARED_KEY in its workbook-key cookie when the page loads: as two tabs
    of one browser (or one learner on two devices with the same key) editing the same saved work."""
    from npq_widgets.store.workbook import KEY_COOKIE

    ctx = offline_context()
    ctx.add_cookies([{"name": KEY_COOKIE, "value": SHARED_KEY, "url": server.url}])
    return ctx.new_page()


def test_two_windows_on_one_document_ask_instead_of_overwriting(offline_context, voila_server):
    import json

    a, b = same_workbook(offline_context, voila_server), same_workbook(offline_context, voila_server)
    open_app(a, voila_server, APP, READY)
    open_app(b, voila_server, APP, READY)  # both opened before either saved
    saved = voila_server.home / "workbooks" / SHARED_KEY / "which-npq.json"

    choose(a, "Leading a school")
    assert json.loads(saved.read_text())["data"]["scope"] == "a school"

    b.get_by_label("Leading a team").check()  # B's save is based on an older revision: refused, and B is asked
    expect(b.locator(".npq-save-status")).to_contain_text("Not saved")
    expect(b.locator(".npq-save-status")).to_contain_text("another window")
    panel = b.locator(".npq-save-conflict")
    expect(panel).to_be_visible()
    cells = panel.locator(".npq-conflict-versions td")
    expect(cells).to_have_text(["team", "a school"])  # this window's choice, then the other window's
    assert json.loads(saved.read_text())["data"]["scope"] == "a school"  # nothing overwritten while asking
    screenshot(b, "save-conflict")

    panel.locator(".npq-conflict-keep-mine").click()
    expect(b.locator(".npq-save-status")).to_contain_text("Saved at")
    expect(panel).to_be_hidden()
    assert json.loads(saved.read_text())["data"]["scope"] == "team"
    assert json.loads(saved.with_name("which-npq.prev.json").read_text())["data"]["scope"] == "a school"

    a.get_by_label("Leading across several schools").check()  # now A is the one behind: A is asked in turn
    expect(a.locator(".npq-save-status")).to_contain_text("Not saved")
    a.locator(".npq-save-conflict .npq-conflict-use-theirs").click()
    expect(a.get_by_label("Leading a team")).to_be_checked()
    expect(a.locator(".npq-save-status")).to_contain_text("Showing the version saved in the other window")
    assert json.loads(saved.read_text())["data"]["scope"] == "team"
