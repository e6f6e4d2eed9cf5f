"""The 360° diagnostic in Voila, in Debian's Chromium with nothing but 127.0.0.1 reachable: the candidate opens a
round and downloads the invitation, three raters fill in the form and download their response files, and the
candidate loads them and sees the report and its chart."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import open_app, screenshot

pytestmark = pytest.mark.browser
CANDIDATE = ("apps/three-sixty.ipynb", ".npq-360-app .npq-360-open-round")
RATER = ("apps/360-rater.ipynb", ".npq-360-rater .npq-360-invitation-upload")


def choose_files(page, button: str, paths: list[Path]) -> None:
    """ipywidgets' FileUpload opens a file chooser from its button."""
    with page.expect_file_chooser() as chooser:
        page.locator(button).click()
    chooser.value.set_files([str(p) for p in paths])


def download(page, link: str, folder: Path) -> Path:
    with page.expect_download() as dl:
        page.locator(link).click()
    target = folder / dl.value.suggested_filename
    dl.value.save_as(str(target))
    return target


def test_three_raters_send_files_and_the_candidate_sees_the_report(offline_page, offline_context, voila_server,
                                                                   tmp_path):
    page = open_app(offline_page, voila_server, *CANDIDATE)
    page.locator(".npq-candidate-name input").fill("Jo Example")
    page.locator(".npq-360-planned-peers input").fill("3")
    page.locator(".npq-360-planned-peers input").press("Tab")
    page.locator(".npq-360-open-round").click()
    expect(page.locator(".npq-360-app")).to_contain_text("Round opened: code r-")
    invitation = download(page, "a.npq-download:has-text('invitation file')", tmp_path)

    responses = []
    rater = offline_context().new_page()
    for n, (rating, words) in enumerate((("2 ", "Calm in a crisis"), ("3", "Listens well"), ("4 low", "Honest"))):
        open_app(rater, voila_server, *RATER)
        choose_files(rater, ".npq-360-invitation-upload", [invitation])
        expect(rater.locator(".npq-360-rater-message")).to_contain_text("Feedback for Jo Example")
        expect(rater.locator(".npq-360-rater-message")).to_contain_text("can read your ratings")
        rater.locator(".npq-360-rater-group select").select_option(label="Peers")
        selects = rater.locator(".npq-360-rater-rating select")
        for i in range(selects.count()):
            selects.nth(i).select_option(label=rating.strip() if i else "Not observed")
        rater.locator(".npq-360-rater-strengths textarea").fill(words)
        rater.locator(".npq-360-make-response").click()
        responses.append(download(rater, ".npq-360-response-link a", tmp_path))
    assert len({p.name for p in responses}) == 3

    choose_files(page, ".npq-360-upload", responses)
    report = page.locator(".npq-360-report")
    expect(report).to_contain_text("3 of 3 planned responses")
    expect(report).to_contain_text("Peers 3")
    expect(report.locator("img[alt^='Dot plot of ratings']")).to_have_count(1)
    expect(report).to_contain_text("Calm in a crisis")
    screenshot(page, "three-sixty-report")
    assert not page.npq_errors
    assert "Traceback" not in page.inner_text("body")
