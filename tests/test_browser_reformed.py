"""The contents page for a reformed-route candidate in Voila, in Debian's Chromium, offline: choosing a reformed NPQ
shows progress by the ten reformed content areas and the formative-assessment-task hours above the modules, with no
serious accessibility violation; choosing a legacy NPQ brings the criteria map back."""

import pytest
from playwright.sync_api import expect

from .axe import axe_source, run_axe
from .conftest import open_app, screenshot

pytestmark = pytest.mark.browser


def test_reformed_candidate_sees_content_areas_and_fat_hours(offline_page, voila_server):
    page = open_app(offline_page, voila_server, "00_start_here.ipynb", ".npq-contents .npq-progress-map")
    page.locator(".npq-qualification select").select_option(
        label="National Professional Qualification for Headship (NPQH, reformed route)")
    progress = page.locator(".npq-progress-map")
    expect(progress.locator(".npq-areas tbody tr")).to_have_count(10)
    expect(progress.locator('tr[data-area="8"]')).to_contain_text("8. Implementation")
    expect(progress.locator(".npq-fats")).to_contain_text("NPQH includes 28 hours of formative assessment tasks")
    expect(progress.locator(".npq-criteria")).to_have_count(0)
    serious = [f"{v['id']}: {v['nodes'][0]['html']}" for v in run_axe(page, axe_source())
               if v["impact"] in ("critical", "serious")]
    assert not serious, serious
    screenshot(page, "progress-map-reformed")
    page.locator(".npq-qualification select").select_option(
        label="National Professional Qualification for Middle Leadership (NPQML, legacy route)")
    expect(progress.locator('tr[data-criterion="1.1.1"]')).to_have_count(1)
    expect(progress.locator(".npq-areas")).to_have_count(0)
