"""From an empty workbook to a downloaded portfolio, in Debian's Chromium with nothing but 127.0.0.1 reachable: a
candidate writes the first words of their project account, then opens Download portfolio in the same browser (the
same workbook), makes the portfolio and downloads the spreadsheet — which names them, holds the account, and says
plainly what is still missing."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from .conftest import open_app

pytestmark = pytest.mark.browser


def test_from_an_empty_workbook_to_a_downloaded_portfolio(offline_page, voila_server):
    page = open_app(offline_page, voila_server, "apps/project-account-free.ipynb", ".npq-account-app")
    name = page.locator(".npq-candidate-name input")
    name.fill("Alex Jones")
    name.press("Tab")
    title = page.locator(".npq-account-project-a input")
    title.fill("Closing the Year 9 maths gap")
    title.press("Tab")
    section = page.locator(".npq-account-app textarea").first
    section.fill("The project began with an analysis of the Year 9 assessment data by pupil group.")
    section.press("Tab")
    expect(page.locator(".npq-save-status")).to_contain_text("Saved at", timeout=30_000)
    page.wait_for_timeout(600)

    page = open_app(page, voila_server, "apps/portfolio.ipynb", ".npq-portfolio-app")
    page.locator(".npq-portfolio-make").click()
    link = page.locator("a.npq-download", has_text="portfolio.xlsx")
    expect(link).to_have_count(1, timeout=120_000)
    with page.expect_download() as info:
        link.click()
    assert info.value.suggested_filename == "portfolio.xlsx"
    book = load_workbook(io.BytesIO(open(info.value.path(), "rb").read()))
    text = "\n".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row
                     if c.value is not None)
    assert book.sheetnames[0] == "Contents"
    assert "Alex Jones" in text
    assert "missing" in text.lower() or "not yet" in text.lower()
    assert not page.npq_errors and not page.npq_blocked
