""""Which NPQ is for me?" in Voila, in Debian's Chromium, with nothing but 127.0.0.1 reachable."""

import pytest
from playwright.sync_api import expect

from .conftest import open_app, screenshot

pytestmark = pytest.mark.browser
VOILA_FONT_CDN = "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@"


def test_choose_a_responsibility(offline_page, voila_server):
    page = open_app(offline_page, voila_server, "apps/which-npq.ipynb", ".npq-which-npq .npq-scope")
    page.get_by_label("Leading across a school").check()
    result = page.locator(".npq-result")
    expect(result).to_contain_text("National Professional Qualification for Senior Leadership (NPQSL)")
    expect(result).to_contain_text("Reformed route — recommended for new candidates")
    expect(result.locator(".npq-qual-reformed .npq-hours tfoot")).to_contain_text("98")
    expect(result.locator(".npq-qual-legacy .npq-hours tfoot")).to_contain_text("92")
    expect(page.locator(".npq-chart img")).to_have_count(1)
    alt = page.locator(".npq-chart img").get_attribute("alt")
    assert "NPQSL (reformed route), 98 hours in total" in alt
    screenshot(page, "which-npq-across-a-school")
    assert not page.npq_errors, page.npq_errors
    # Voila's page template links Font Awesome from a CDN (refused here; the apps use no icons from it). Anything
    # else asked of the outside world is a failure: the apps must work on an event laptop with no internet.
    outside = [u for u in page.npq_blocked if not u.startswith(VOILA_FONT_CDN)]
    assert not outside, f"the app asked for addresses beyond 127.0.0.1: {outside}"


def test_choose_a_role_with_two_placements(offline_page, voila_server):
    page = open_app(offline_page, voila_server, "apps/which-npq.ipynb", ".npq-which-npq .npq-role")
    page.locator(".npq-role select").select_option(label="Special educational needs co-ordinator (SENCO)")
    result = page.locator(".npq-result")
    expect(result).to_contain_text("appears under more than one qualification")
    expect(result.locator("section.npq-recommendation")).to_have_count(2)
    expect(result).to_contain_text("(NPQLT)")
    expect(result).to_contain_text("(NPQSL)")
    screenshot(page, "which-npq-senco")


def test_keyboard_only(offline_page, voila_server):
    """The app works without a mouse: focus the role list, pick with the keyboard."""
    page = open_app(offline_page, voila_server, "apps/which-npq.ipynb", ".npq-which-npq .npq-role")
    page.locator(".npq-role select").focus()
    page.keyboard.press("ArrowDown")
    expect(page.locator(".npq-result")).to_contain_text("For:")
