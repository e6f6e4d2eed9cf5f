"""Facilitator mode in Voila and Debian's Chromium, offline.

- Without ``--facilitator`` no model answer and no facilitator note reaches a page: not in the served HTML of any app
  page, not in what the browser holds (the page's HTML, every input's value, every widget model's state).
- A server started with ``--facilitator`` shows the bar; "Present on a projector" at 1366×768 and 1920×1080 is axe
  clean, with large type and the charts as wide as the page (screenshots in test-artifacts/).
- Release to the room: the facilitator's server releases a case study; a candidate's page on the room's server
  (the same saved-work folder) opens that pack with the deadline; ending the release ends it.
"""

from __future__ import annotations

import html
import http.cookiejar
import re
import urllib.parse
import urllib.request

import pytest
from playwright.sync_api import expect

from npq_widgets.paths import notebooks_dir

from .axe import axe_source, run_axe
from .conftest import ARTIFACTS, VoilaServer, open_app
from .test_facilitator import model_secrets

pytestmark = pytest.mark.browser
APP_PAGES = sorted(p.relative_to(notebooks_dir()).as_posix() for p in (notebooks_dir() / "apps").glob("*.ipynb"))


@pytest.fixture(scope="module")
def event(tmp_path_factory):
    """The facilitator's server (--facilitator) and the room's server (--room) on one saved-work folder."""
    home = tmp_path_factory.mktemp("event") / "home"
    home.mkdir()
    facilitator = VoilaServer(home, facilitator=True, log_name="voila-facilitator.log")
    try:
        room = VoilaServer(home, room=True, log_name="voila-room.log")
    except Exception:
        facilitator.stop()
        raise
    yield facilitator, room
    room.stop()
    facilitator.stop()


def _leaks(text: str) -> list[str]:
    text = text + "\n" + html.unescape(text)
    return sorted({where for secret, where in model_secrets().items() if secret in text})


def test_no_app_page_serves_a_model_answer_over_http(voila_server):
    """Every app page's served HTML (a kernel per page, shut down again with the page's own call)."""
    assert len(APP_PAGES) >= 25
    served = {}
    for notebook in APP_PAGES:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        with opener.open(voila_server.app_url(notebook), timeout=180) as resp:
            assert resp.status == 200, notebook
            page = resp.read().decode("utf-8", "replace")
        served[notebook] = page
        assert "Traceback" not in page, notebook
        found = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', page)
        xsrf = next((c.value for c in jar if c.name == "_xsrf"), None)
        if found and xsrf:  # free the page's kernel as the browser does when the page is closed
            req = urllib.request.Request(f"{voila_server.url}/voila/api/shutdown/{found.group(1)}",
                                         data=urllib.parse.urlencode({"_xsrf": xsrf}).encode(), method="POST")
            opener.open(req, timeout=30).read()
    for notebook, page in served.items():
        assert not _leaks(page), (notebook, _leaks(page))
        assert "npq-facilitator-bar" not in page and "Facilitator note" not in page, notebook
    # the scan reads real pages: each served page holds its app's widget output (the state comes over the
    # kernel's websocket, which the browser test below reads)
    assert all("application/vnd.jupyter.widget-view+json" in page for page in served.values())


def _everything_the_browser_holds(page) -> tuple[str, int]:
    """The page's HTML, every input's current value, and the state of every widget model in the page's widget
    manager (Voila's ``jupyterapp.widgetManager``); and how many models there were."""
    return page.evaluate("""async () => {
        const parts = [document.documentElement.outerHTML];
        for (const el of document.querySelectorAll('input, textarea, select')) { parts.push(el.value || ''); }
        const manager = window.jupyterapp && window.jupyterapp.widgetManager;
        let count = 0;
        for (const promised of Object.values((manager && manager._models) || {})) {
            try {
                const model = await promised;
                parts.push(JSON.stringify(model.attributes, (k, v) => (v && v.buffer instanceof ArrayBuffer) ? '' : v));
                count += 1;
            } catch (e) { parts.push('unreadable model'); }
        }
        return [parts.join('\\n'), count];
    }""")


def test_no_model_answer_reaches_the_browser_without_facilitator_mode(offline_page, voila_server):
    page = open_app(offline_page, voila_server, "apps/three-sixty-scenario.ipynb", ".npq-360-app")
    expect(page.locator(".npq-model-answer-refused")).to_have_text(
        "The model answer is shown only in facilitator mode.")
    expect(page.locator(".npq-save-status")).to_contain_text("save", timeout=30_000)  # the workbook is open
    held, models = _everything_the_browser_holds(page)
    assert models > 50 and "Leadership Reflection" in held  # the widget state was read
    assert not _leaks(held), _leaks(held)
    assert page.locator(".npq-facilitator-bar").count() == 0

    page = open_app(page, voila_server, "apps/case-study.ipynb", ".npq-case-app .npq-check")
    expect(page.locator(".npq-save-status")).to_contain_text("save", timeout=30_000)
    held, models = _everything_the_browser_holds(page)
    assert models > 50 and "Practice case study" in held
    assert not _leaks(held), _leaks(held)
    assert page.locator(".npq-case-facilitator").count() == 0 and "Facilitator note" not in held


def test_present_on_a_projector_is_clear_and_axe_clean(offline_context, event):
    facilitator, _room = event
    axe_js = axe_source()
    ctx = offline_context()
    page = ctx.new_page()
    page.set_viewport_size({"width": 1366, "height": 768})
    page = open_app(page, facilitator, "apps/risk-register.ipynb", ".npq-facilitator-bar .npq-facilitator-model")
    expect(page.locator(".npq-facilitator-bar")).to_contain_text("Facilitator mode")
    page.locator(".npq-facilitator-model").click()
    chart = page.locator(".npq-model-answer img.npq-figure").first
    expect(chart).to_be_visible(timeout=60_000)
    normal_width = chart.bounding_box()["width"]
    normal_font = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.npq-app p')).fontSize)")
    switch = page.locator(".npq-present-switch button")
    switch.click()
    expect(switch).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("() => document.documentElement.classList.contains('npq-present')")
    for width, height in ((1366, 768), (1920, 1080)):
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(500)
        font = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.npq-app p')).fontSize)")
        chart_width = chart.bounding_box()["width"]
        assert font >= 24 > normal_font, (font, normal_font)
        assert chart_width >= 0.8 * (width - 80) and chart_width > normal_width * 1.2, (chart_width, normal_width)
        # one column: the fields of a row stand one under another
        page.locator(".npq-facilitator-bar").scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / f"present-{width}x{height}.png"))
        chart.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / f"present-{width}x{height}-chart.png"))
        violations = [v for v in run_axe(page, axe_js) if v["impact"] in ("critical", "serious", "moderate")]
        assert not violations, [(v["id"], v["nodes"][0]) for v in violations]
    # the switch is remembered by the browser: the next app opens presenting
    page = open_app(page, facilitator, "apps/budget.ipynb", ".npq-facilitator-bar .npq-present-switch button")
    expect(page.locator(".npq-present-switch button")).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("() => document.documentElement.classList.contains('npq-present')")
    page.locator(".npq-present-switch button").click()
    expect(page.locator(".npq-present-switch button")).to_have_attribute("aria-pressed", "false")
    assert not page.evaluate("() => document.documentElement.classList.contains('npq-present')")
    violations = [v for v in run_axe(page, axe_js) if v["impact"] in ("critical", "serious", "moderate")]
    assert not violations, [(v["id"], v["nodes"][0]) for v in violations]


def test_release_a_case_study_to_the_room(offline_context, event):
    facilitator, room = event
    fac = offline_context().new_page()
    fac = open_app(fac, facilitator, "apps/case-study.ipynb", ".npq-release-panel .npq-release-go")
    expect(fac.locator(".npq-release-status")).to_contain_text("Nothing is released")
    expect(fac.locator(".npq-case-facilitator")).to_be_visible()  # the facilitator may show the note
    fac.locator(".npq-facilitator-hint-next").click()
    expect(fac.locator(".npq-facilitator-hints")).to_contain_text("Nothing to check yet")
    scenarios = fac.locator(".npq-facilitator-scenario select").evaluate("el => [...el.options].map(o => o.text)")
    fac.locator(".npq-facilitator-scenario select").select_option(
        index=next(i for i, t in enumerate(scenarios) if t.replace("\xa0", " ").startswith("NPQEL")))
    expect(fac.locator(".npq-case-pack")).to_contain_text("Northern Lights")  # the app reopened on that scenario
    expect(fac.locator(".npq-facilitator-live .npq-save-status")).to_contain_text("save")  # and its saved work
    expect(fac.locator(".npq-facilitator-model")).to_be_enabled()  # every pack has a model response outline
    labels = fac.locator(".npq-release-pack select").evaluate("el => [...el.options].map(o => o.text)")
    npqh = next(i for i, t in enumerate(labels) if t.replace("\xa0", " ").startswith("NPQH: "))  # ipywidgets: nbsp
    fac.locator(".npq-release-pack select").select_option(index=npqh)
    minutes = fac.locator(".npq-release-minutes select").evaluate("el => [...el.options].map(o => o.text)")
    fac.locator(".npq-release-minutes select").select_option(
        index=[t.replace("\xa0", " ") for t in minutes].index("90 minutes"))
    fac.locator(".npq-release-go").click()
    expect(fac.locator(".npq-release-status")).to_contain_text("Released to the room")
    status = fac.locator(".npq-release-status").inner_text()
    ends = re.search(r"time ends at (\d\d/\d\d/\d{4} \d\d:\d\d)", status).group(1)
    ARTIFACTS.mkdir(exist_ok=True)
    fac.screenshot(path=str(ARTIFACTS / "facilitator-release.png"))
    axe_js = axe_source()
    serious = [v for v in run_axe(fac, axe_js) if v["impact"] in ("critical", "serious")]
    assert not serious, [(v["id"], v["nodes"][0]) for v in serious]

    cand = offline_context().new_page()
    cand = open_app(cand, room, "apps/case-study.ipynb", ".npq-case-app .npq-check")
    note = cand.locator(".npq-case-release-note")
    expect(note).to_contain_text("Mock assessment")
    expect(note).to_contain_text(f"time ends at {ends}")
    expect(cand.locator(".npq-case-window")).to_contain_text("Deadline")
    assert cand.locator(".npq-case-pack-choice select").input_value().replace("\xa0", " ").startswith(
        "NPQH: Oakfield Primary School")
    expect(cand.locator(".npq-case-pack")).to_contain_text("Oakfield")
    assert cand.locator(".npq-case-pack-choice select").is_disabled()
    assert cand.locator(".npq-facilitator-bar").count() == 0 and cand.locator(".npq-case-facilitator").count() == 0
    assert "Facilitator note" not in cand.content()
    cand.locator(".npq-case-problems textarea").fill("Reading at Oakfield is below the national figure.")
    cand.locator(".npq-case-problems textarea").press("Tab")
    cand.locator(".npq-prepare-download").click()
    expect(cand.locator(".npq-download-area a").first).to_have_attribute("download", "case-study.docx")
    cand.locator(".npq-case-release-note").scroll_into_view_if_needed()
    cand.screenshot(path=str(ARTIFACTS / "candidate-released-case-study.png"))
    serious = [v for v in run_axe(cand, axe_js) if v["impact"] in ("critical", "serious")]
    assert not serious, [(v["id"], v["nodes"][0]) for v in serious]

    fac.locator(".npq-release-end").click()
    expect(fac.locator(".npq-release-status")).to_contain_text("Nothing is released")
    cand = open_app(cand, room, "apps/case-study.ipynb", ".npq-case-app .npq-check")
    expect(cand.locator(".npq-case-window")).to_contain_text("Enter when the case study was released")
    assert not cand.locator(".npq-case-pack-choice select").is_disabled()
    assert cand.locator(".npq-case-release-note").inner_text().strip() == ""
