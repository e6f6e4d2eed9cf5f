"""Exports of the project account: .docx, printable HTML and JSON, plus the ``account`` output the portfolio reads
(headings per part and section, the text, word counts and the dates)."""

from __future__ import annotations

import html
import io
from pathlib import Path
from typing import Any, Mapping

from ...contract import task_criteria, task_figures
from ...store.export import export_header, json_exporter
from ...store.files import atomic_write_bytes
from .checks import TITLE, check_account
from .model import (SCHEMA_VERSION, TASK_ID, ProjectAccountFigures, read_account, sponsor_intact, structure, timeline,
                    word_counts)


def figures() -> ProjectAccountFigures:
    return task_figures(TASK_ID, ProjectAccountFigures)


def check(artefact: Mapping[str, Any], scenario: Any, attempt: int = 1, figs: Any = None):
    return check_account(artefact, figs or figures(), attempt=attempt)


def account(artefact: Mapping[str, Any], scenario: Any = None) -> dict[str, Any]:
    """The account as plain data: qualification, projects, dates, the limit and, per part, its sections with the
    quoted criterion/aim/task, the text and the words. What the portfolio and the exports lay out."""
    a = read_account(artefact)
    figs = figures()
    struct = structure(a.qualification, figs)
    counts = word_counts(a, struct)
    t = timeline(a, struct, figs)
    parts = []
    for p in struct.parts:
        parts.append({"key": p.key, "title": p.title, "aim": p.aim, "words": counts.parts[p.key],
                      "project": a.projects.get(p.key, "") if (a.two_projects or struct.qualification ==
                                                                "NPQEL-legacy") else a.projects.get("A", ""),
                      "sections": [{"id": s.id, "heading": s.heading, "quote": s.quote, "criterion": s.criterion,
                                    "text": a.sections.get(s.id, ""), "words": counts.sections[s.id]}
                                   for s in p.sections]})
    sponsor = a.sponsor if a.sponsor.get("content") and sponsor_intact(a.sponsor) else {}
    return {"qualification": struct.qualification, "name": struct.name, "two_projects": a.two_projects,
            "limit": counts.limit, "total": counts.total, "annex_words": counts.annexes, "annexes": a.annexes,
            "parts": parts, "criteria_note": struct.criteria_note,
            "dates": {"programme_start": t.programme_start, "project_start": t.project_start,
                      "project_end": t.project_end, "deadline": t.deadline, "whole_terms": list(t.whole_terms)},
            "warnings": list(t.problems + t.warnings), "sponsor": sponsor}


def _limit_line(x: Mapping[str, Any]) -> str:
    if x["limit"] is None:
        return f"Total: {x['total']:,} words (the seed gives no word limit; annexes not counted)"
    over = " — over the limit" if x["total"] > x["limit"] else ""
    return f"Total: {x['total']:,} of {x['limit']:,} words (annexes not counted){over}"


def _date_lines(x: Mapping[str, Any]) -> list[str]:
    d = x["dates"]
    fmt = (lambda v: v.strftime("%d/%m/%Y") if v else "not given")
    return [f"Programme started: {fmt(d['programme_start'])}; assessment to be passed by: {fmt(d['deadline'])}",
            f"Project: {fmt(d['project_start'])} to {fmt(d['project_end'])} "
            f"({len(d['whole_terms'])} whole terms: {', '.join(d['whole_terms']) or 'none'})"]


def sponsor_lines(sponsor: Mapping[str, Any]) -> list[str]:
    """The sponsor's comments as received (the file's own words, nothing edited)."""
    content = sponsor.get("content") if isinstance(sponsor.get("content"), Mapping) else {}
    out = [f"Sponsor comments as received (from the sponsor's file of {sponsor.get('made', '?')}; the check inside "
           "the file shows it was not damaged on the way, not who wrote it)."]
    for label, key in (("Sponsor's role", "role"), ("Comments", "comments")):
        if str(content.get(key) or "").strip():
            out.append(f"{label}: {content.get(key)}")
    return out


def _export_docx(artefact: Mapping[str, Any], scenario: Any, out: Path) -> None:
    from docx import Document

    x = account(artefact, scenario)
    header = export_header(artefact, f"{TITLE} — {x['name']}", task_criteria(TASK_ID))
    doc = Document()
    doc.add_heading(header[0][1], level=0)
    for label, value in header[1:]:
        doc.add_paragraph(f"{label}: {value}")
    for line in _date_lines(x) + [_limit_line(x)] + x["warnings"]:
        doc.add_paragraph(line)
    write_account_docx(doc, x)
    buf = io.BytesIO()
    doc.save(buf)
    atomic_write_bytes(Path(out), buf.getvalue())


def write_account_docx(doc: Any, x: Mapping[str, Any], level: int = 1) -> None:
    """The parts and sections into a python-docx document (also used by the portfolio through ``account``)."""
    for p in x["parts"]:
        doc.add_heading(f"{p['title']}: {p['aim']} ({p['words']:,} words)", level=level)
        if p["project"]:
            doc.add_paragraph(f"Project: {p['project']}")
        for s in p["sections"]:
            doc.add_heading(s["heading"], level=level + 1)
            doc.add_paragraph(s["quote"], style="Intense Quote")
            for para in s["text"].split("\n"):
                if para.strip():
                    doc.add_paragraph(para.strip())
            doc.add_paragraph(f"({s['words']:,} words)")


def account_html(artefact: Mapping[str, Any], scenario: Any = None) -> str:
    x = account(artefact, scenario)
    esc = html.escape
    header = export_header(artefact, f"{TITLE} — {x['name']}", task_criteria(TASK_ID))
    head = "".join(f"<tr><th>{esc(a)}</th><td>{esc(b)}</td></tr>" for a, b in header[1:])
    lines = "".join(f"<p>{esc(line)}</p>" for line in _date_lines(x) + [_limit_line(x)])
    warn = "".join(f"<p><strong>⚠ {esc(w)}</strong></p>" for w in x["warnings"])
    return (f"<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>{esc(header[0][1])}</title>"
            "<style>body{font-family:Arial,sans-serif;max-width:800px;margin:2em auto;line-height:1.5}"
            "th{text-align:left;padding-right:1em}blockquote{color:#333;border-left:4px solid #888;padding-left:1em}"
            ".count{color:#444}@media print{body{margin:0}}</style></head>"
            f"<body><h1>{esc(header[0][1])}</h1><table>{head}</table>{lines}{warn}{account_body_html(x)}"
            "</body></html>")


def account_body_html(x: Mapping[str, Any]) -> str:
    esc = html.escape
    out = []
    for p in x["parts"]:
        out.append(f"<h2>{esc(p['title'])}: {esc(p['aim'])} <span class=\"count\">({p['words']:,} words)</span></h2>")
        if p["project"]:
            out.append(f"<p>Project: {esc(p['project'])}</p>")
        for s in p["sections"]:
            paras = "".join(f"<p>{esc(t.strip())}</p>" for t in s["text"].split("\n") if t.strip())
            out.append(f"<h3>{esc(s['heading'])}</h3><blockquote>{esc(s['quote'])}</blockquote>{paras}"
                       f"<p class=\"count\">({s['words']:,} words)</p>")
    return "".join(out)


def _export_html(artefact: Mapping[str, Any], scenario: Any, out: Path) -> None:
    atomic_write_bytes(Path(out), account_html(artefact, scenario).encode("utf-8"))


EXPORTERS = {"json": json_exporter(TASK_ID, SCHEMA_VERSION), "docx": _export_docx, "html": _export_html}
