"""One portfolio (issue 18): the contents sheet, every supporting document's sheets with their live formulas (every
value LibreOffice recalculates in the portfolio equals the same cell in the task's own export), the .docx read back,
the printable page, the command line, and never a pupil row."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from npq_widgets.paths import exercises_dir
from npq_widgets.registry import get_task
from npq_widgets.store.workbook import Workbook

from .libreoffice import needs_libreoffice, recalculate

SUPPORTING = ["data-analysis", "pupil-performance", "budget", "project-plan", "risk-register"]


def _seed(wb: Workbook, tasks=SUPPORTING + ["project-account"], fail=("budget",)):
    wb.save("profile", {"task": "profile", "schema_version": 1, "qualification": "NPQML-legacy"})
    for t in tasks:
        task = get_task(t)
        sc = task.scenario()
        art = dict(sc.model_answer)
        if t == "project-account":
            art["candidate"] = {"name": "Alex Morgan"}
        wb.save(f"{t}--{sc.id}", art)
        status = "fail" if t in fail else task.check(art).status
        wb.save(f"check--{t}--{sc.id}", {"task": "check", "schema_version": 1, "doc": f"{t}--{sc.id}",
                                         "checked_task": t, "status": status})


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    import os

    home = tmp_path_factory.mktemp("home")
    old = os.environ.get("NPQ_WORKBOOK_HOME")
    os.environ["NPQ_WORKBOOK_HOME"] = str(home)
    try:
        from npq_widgets.pages.portfolio import build

        wb = Workbook.for_key()
        _seed(wb)
        out = build(wb, tmp_path_factory.mktemp("portfolio"), recalculate=False)
    finally:
        if old is None:
            os.environ.pop("NPQ_WORKBOOK_HOME", None)
        else:
            os.environ["NPQ_WORKBOOK_HOME"] = old
    return out


def _contents(path):
    from openpyxl import load_workbook

    ws = load_workbook(path)["Contents"]
    rows = list(ws.iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r and r[0] == "Criterion")
    return {r[0]: r for r in rows[head + 1:] if r[0]}, rows[:head]


def test_contents_sheet_maps_criterion_to_document_sheet_and_completeness(built):
    rows, top = _contents(built["xlsx"])
    assert ("Candidate", "Alex Morgan") in [(r[0], r[1]) for r in top]
    assert any(r[0] == "Qualification" and "NPQML" in str(r[1]) for r in top)
    assert len(rows) == 16
    assert rows["5.1.3"][2:] == ("Risk register", "Project risk register",
                                 "Risks - Risk register, Risks - Scales", "complete: checked, passes")
    assert rows["5.1.1"][5] == "checked, not all met yet"
    assert rows["4.1.1"][5] == "missing: no sponsor comments loaded"
    assert rows["1.1.2"][5].endswith("words in its section")


def test_every_sheet_keeps_its_formulas_with_references_renamed(built, tmp_path):
    from openpyxl import load_workbook

    book = load_workbook(built["xlsx"])
    summary = book["Budget - Summary"]
    formulas = [c.value for r in summary.iter_rows() for c in r if isinstance(c.value, str) and
                c.value.startswith("=")]
    assert formulas and any("'Budget - Budget by term'!" in f for f in formulas)
    assert not any("'Budget by term'!" in f for f in formulas)
    risks = book["Risks - Risk register"]
    assert any("'Risks - Scales'!" in str(c.value) for r in risks.iter_rows() for c in r)


@needs_libreoffice
def test_every_value_libreoffice_recalculates_in_the_portfolio_matches_the_tasks_own_export(built, tmp_path):
    from openpyxl import load_workbook

    raw = load_workbook(built["xlsx"])
    portfolio = recalculate(built["xlsx"], tmp_path / "p")
    compared = 0
    for prefix, t in (("Data", "data-analysis"), ("Pupils", "pupil-performance"), ("Budget", "budget"),
                      ("Plan", "project-plan"), ("Risks", "risk-register")):
        task = get_task(t)
        own_path = task.export(dict(task.scenario().model_answer), "xlsx", tmp_path / f"{t}.xlsx")
        own_raw = load_workbook(own_path)
        own = recalculate(own_path, tmp_path / t)
        for ws in own_raw.worksheets:
            mine = f"{prefix} - {ws.title}"[:31]
            for row in ws.iter_rows():
                for c in row:
                    if isinstance(c.value, str) and c.value.startswith("="):
                        assert isinstance(raw[mine].cell(c.row, c.column).value, str)  # still a formula
                        got = portfolio[mine].cell(c.row, c.column).value
                        want = own[ws.title].cell(c.row, c.column).value
                        assert got == want, (mine, c.coordinate, got, want)
                        compared += 1
    assert compared > 50


def test_the_docx_reads_back_with_account_headings_word_counts_and_annexes(built):
    from docx import Document

    doc = Document(str(built["docx"]))
    text = "\n".join(p.text for p in doc.paragraphs)
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "Candidate: Alex Morgan" in text and "National Professional Qualification for Middle Leadership" in text
    assert "Criteria: 1.1.1, 1.1.2" in text and "Made: " in text
    assert "Part A: improving pupil progress and attainment (" in " ".join(headings)
    assert "5.1.3 Managing Resources and Risks" in headings
    assert "Total: 767 of 4,500 words (annexes not counted)" in text
    annexes = [h for h in headings if h.startswith("Annex ")]
    assert annexes[:3] == ["Annex 1: Raw data analysis (criterion 1.1.1)",
                           "Annex 2: Pupil performance data (criterion 2.1.3)", "Annex 3: Budget (criterion 5.1.1)"]
    assert len(doc.inline_shapes) >= 4  # the declared charts (before/after, budget, Gantt, heat map) as images
    assert len(doc.tables) >= 5                 # the contents and the annexes' tables
    cells = " ".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "Risk register" in cells


def test_never_a_pupil_row(built):
    from docx import Document
    from openpyxl import load_workbook

    sc = get_task("data-analysis").scenario()
    with open(exercises_dir() / "data-analysis" / sc.data["file"], encoding="utf-8") as f:
        pupils = list(csv.DictReader(f))
    upns = {p["upn"] for p in pupils}
    book = load_workbook(built["xlsx"])
    cells = {str(c.value) for ws in book.worksheets for r in ws.iter_rows() for c in r if c.value is not None}
    assert not (upns & cells)
    doc = Document(str(built["docx"]))
    text = " ".join(c.text for t in doc.tables for r in t.rows for c in r.cells) + built["html"].read_text()
    assert not any(u in text for u in upns)


def test_printable_html_has_the_account_and_the_annexes(built):
    page = built["html"].read_text()
    assert "Candidate: Alex Morgan" in page and "<h3>5.1.3 Managing Resources and Risks</h3>" in page
    assert "Annex 4: Project plan (criterion 5.1.2)" in page and 'alt="Project plan with dependencies: gantt"' in page


def test_an_empty_workbook_still_makes_a_portfolio_that_says_what_is_missing(_isolated_home, tmp_path):
    from npq_widgets.pages.portfolio import build

    out = build(Workbook.for_key(), tmp_path, recalculate=False)
    rows, _ = _contents(out["xlsx"])
    assert rows["5.1.3"][5] == "missing: nothing saved yet"
    assert "No project account is saved yet" in out["html"].read_text()
    assert rows["1.1.2"][5] == "missing: no project account saved"
    assert "criteria for NPQML only" not in out["html"].read_text()  # the default qualification is NPQML


def test_cli_portfolio(_isolated_home, tmp_path, capsys):
    from npq_widgets.cli import main

    _seed(Workbook.for_key(), tasks=["risk-register", "project-account"])
    assert main(["portfolio", "-o", str(tmp_path / "p"), "--no-recalculate"]) == 0
    assert {p.name for p in (tmp_path / "p").iterdir()} >= {"portfolio.xlsx", "portfolio.docx", "portfolio.html"}
    assert "portfolio.xlsx" in capsys.readouterr().out


def test_portfolio_app_prepares_downloads(_isolated_home):
    from npq_widgets.apps import portfolio

    _seed(Workbook.for_key(), tasks=["risk-register"])
    box = portfolio()
    page = box.page.portfolio
    page.recalculate = False
    page.make_button.click()
    assert "portfolio.xlsx" in page.download.value and "portfolio.docx" in page.download.value
    assert "Traceback" not in page.download.value


def test_sponsor_comments_go_in_as_received(_isolated_home, tmp_path):
    from openpyxl import load_workbook

    from npq_widgets.pages.portfolio import build
    from npq_widgets.tasks.project_account.model import read_sponsor_file, sponsor_file

    wb = Workbook.for_key()
    _seed(wb, tasks=["project-account"])
    doc = "project-account--oakfield-npqml"
    art = wb.load(doc).data
    art["sponsor"] = read_sponsor_file(sponsor_file(art["project_id"], {"comments": "A well-led project.",
                                                                         "role": "Deputy headteacher"}),
                                       art["project_id"])
    wb.save(doc, art)
    out = build(wb, tmp_path, recalculate=False)
    rows, _ = _contents(out["xlsx"])
    assert rows["4.1.1"][4:] == ("Sponsor - as received", "complete: received")
    sheet = [r[0] for r in load_workbook(out["xlsx"])["Sponsor - as received"].iter_rows(values_only=True)]
    assert "Comments: A well-led project." in sheet and "Sponsor's role: Deputy headteacher" in sheet


def test_an_npqsl_portfolio_says_whose_criteria_it_uses(_isolated_home, tmp_path):
    from npq_widgets.pages.portfolio import build

    wb = Workbook.for_key()
    wb.save("profile", {"task": "profile", "schema_version": 1, "qualification": "NPQSL-legacy"})
    out = build(wb, tmp_path, recalculate=False)
    assert "criteria for NPQML only" in out["html"].read_text()
    assert "Senior Leadership" in out["html"].read_text()
