"""The gallery in Debian's Chromium, offline: every card opens its app, search filters, the plain file list stays
reachable, and no request leaves 127.0.0.1. Each app is screenshot at 1280×720 into test-artifacts/gallery/ —
the source of scripts/make_thumbnails.py."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from npq_widgets.pages.gallery import sections

from . import conftest
from .conftest import ARTIFACTS, VoilaServer

pytestmark = pytest.mark.browser
PORT = 19457
# Voila's own page templates link Font Awesome from a CDN: the app pages (v5) and its plain file list (v4.5)
VOILA_FONT_CDN = ("https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@",
                  "https://cdn.jsdelivr.net/npm/font-awesome@4.5.0/")


@pytest.fixture
def gallery_server(tmp_path, monkeypatch):
    monkeypatch.setattr(conftest, "_free_port", lambda: PORT)
    server = VoilaServer(tmp_path / "home")
    yield server
    server.stop()


def test_every_card_opens_its_app_offline(gallery_server, offline_page):
    page = offline_page
    page.set_viewport_size({"width": 1280, "height": 720})
    cards = [c for s in sections() for c in s.cards]
    page.goto(gallery_server.app_url("gallery.ipynb"), wait_until="commit")
    expect(page.locator(".npq-gallery-card")).to_have_count(len(cards), timeout=60_000)
    assert "Traceback" not in page.inner_text("body")

    page.locator(".npq-gallery-search input").fill("5.1.3")
    expect(page.locator(".npq-card-risk-register")).to_be_visible()
    expect(page.locator(".npq-card-smart-objectives")).to_be_hidden()
    expect(page.locator(".npq-gallery-found")).to_contain_text("cards match")
    page.locator(".npq-gallery-search input").fill("")
    expect(page.locator(".npq-card-smart-objectives")).to_be_visible()

    hrefs = page.locator(".npq-open-app").evaluate_all("els => els.map(e => e.href)")
    assert len(hrefs) == len(cards)
    assert all(h.startswith(f"{gallery_server.url}/voila/render/") for h in hrefs)

    page.locator(".npq-card-which-npq .npq-open-app").click()  # a real click, then every other card's own address
    expect(page.locator(".npq-app").first).to_be_visible(timeout=60_000)
    out = ARTIFACTS / "gallery"
    out.mkdir(parents=True, exist_ok=True)
    for card, href in zip(cards, hrefs):
        page.goto(href, wait_until="commit")
        try:
            page.locator(".npq-app").first.wait_for(state="visible", timeout=60_000)
        except Exception:  # noqa: BLE001 - one reload, as a visitor would (a page load on a loaded 2-core machine
            page.goto(href, wait_until="commit")  # can stall in Voila's front end); a second stall fails
            page.locator(".npq-app").first.wait_for(state="visible", timeout=90_000)
        page.wait_for_timeout(400)
        body = page.inner_text("body")
        assert "Traceback" not in body and "No Jupyter kernel" not in body, (card.notebook, body[:500])
        page.npq_opened = getattr(page, "npq_opened", 0) + 1
        page.screenshot(path=str(out / f"{card.stem}.png"))

    assert page.npq_opened == len(cards)
    page.goto(f"{gallery_server.url}/voila/tree/", wait_until="commit")
    expect(page.locator("body")).to_contain_text("gallery.ipynb")
    # Voila's own page templates link Font Awesome from a CDN (refused here; nothing of ours uses it): anything else
    # asked of the outside world fails — the gallery and every app must work on an event laptop with no internet.
    outside = [u for u in page.npq_blocked if not u.startswith(VOILA_FONT_CDN)]
    assert not outside, f"asked for addresses beyond 127.0.0.1: {outside}"
