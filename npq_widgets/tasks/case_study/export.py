"""Exports of a case-study response: .docx (what a provider's portal accepts), printable HTML, and JSON."""

from __future__ import annotations

import datetime as dt
import html
import io
from pathlib import Path
from typing import Any, Mapping

from ...contract import task_criteria, task_figures
from ...domain.values import ValueProblem
from ...domain.window import format_uk_datetime
from ...store.export import export_header, json_exporter
from ...store.files import atomic_write_bytes
from .checks import TITLE, check_response
from .model import PART_KEYS, SCHEMA_VERSION, TASK_ID, CaseStudyFigures, part_titles, read_response, window_for
from .packs import PackProblem, load_packs


def figures() -> CaseStudyFigures:
    return task_figures(TASK_ID, CaseStudyFigures)


def pack_for(artefact: Mapping[str, Any], scenario: Any = None):
    pid = str(artefact.get("pack") or "") or (str(scenario.data.get("pack")) if scenario is not None else "")
    try:
        return load_packs().get(pid) if pid else None
    except PackProblem:
        return None


def check(artefact: Mapping[str, Any], scenario: Any, attempt: int = 1, figs: Any = None):
    return check_response(artefact, figs or figures(), pack_for(artefact, scenario), attempt=attempt)


def _facts(artefact: Mapping[str, Any], scenario: Any, today: dt.date | None = None) -> dict[str, Any]:
    r = read_response(artefact)
    f = figures()
    pack = pack_for(artefact, scenario)
    header = export_header(artefact, TITLE + (f" — {pack.title}" if pack else ""), task_criteria(TASK_ID), today)
    status = ""
    try:
        win = window_for(r, f)
    except ValueProblem:
        win = None
    if win is not None:
        late = win.is_late(dt.datetime.now(dt.timezone.utc))
        status = f"Deadline {format_uk_datetime(win.deadline)}" + (" — LATE (after the deadline)" if late else "")
    return {"r": r, "f": f, "pack": pack, "header": header, "status": status, "titles": part_titles()}


def _export_docx(artefact: Mapping[str, Any], scenario: Any, out: Path) -> None:
    from docx import Document

    x = _facts(artefact, scenario)
    doc = Document()
    doc.add_heading(x["header"][0][1], level=0)
    for label, value in x["header"][1:]:
        doc.add_paragraph(f"{label}: {value}")
    if x["pack"] is not None and x["pack"].synthetic:
        doc.add_paragraph("Practice case study: synthetic (invented for practice, not a real school).")
    if x["status"]:
        doc.add_paragraph(x["status"])
    r = x["r"]
    doc.add_paragraph(f"Total: {r.total_words:,} words (limit {x['f'].word_limit:,})"
                      + (" — over the limit" if r.total_words > x["f"].word_limit else ""))
    for k in PART_KEYS:
        doc.add_heading(x["titles"][k], level=1)
        for para in (r.parts[k] or "").split("\n"):
            if para.strip():
                doc.add_paragraph(para.strip())
        doc.add_paragraph(f"({r.words(k):,} words)")
    buf = io.BytesIO()
    doc.save(buf)
    atomic_write_bytes(Path(out), buf.getvalue())


def response_html(artefact: Mapping[str, Any], scenario: Any = None) -> str:
    x = _facts(artefact, scenario)
    esc = html.escape
    r = x["r"]
    head = "".join(f"<tr><th>{esc(a)}</th><td>{esc(b)}</td></tr>" for a, b in x["header"][1:])
    body = []
    for k in PART_KEYS:
        paras = "".join(f"<p>{esc(p.strip())}</p>" for p in r.parts[k].split("\n") if p.strip())
        body.append(f"<h2>{esc(x['titles'][k])}</h2>{paras}<p class=\"count\">({r.words(k):,} words)</p>")
    synthetic = ("<p>Practice case study: synthetic (invented for practice, not a real school).</p>"
                 if x["pack"] is not None and x["pack"].synthetic else "")
    status = f"<p><strong>{esc(x['status'])}</strong></p>" if x["status"] else ""
    return (f"<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>{esc(x['header'][0][1])}"
            "</title><style>body{font-family:Arial,sans-serif;max-width:800px;margin:2em auto;line-height:1.5}"
            "th{text-align:left;padding-right:1em}.count{color:#444}@media print{body{margin:0}}</style></head>"
            f"<body><h1>{esc(x['header'][0][1])}</h1><table>{head}</table>{synthetic}{status}"
            f"<p>Total: {r.total_words:,} words (limit {x['f'].word_limit:,})"
            f"{' — over the limit' if r.total_words > x['f'].word_limit else ''}</p>{''.join(body)}</body></html>")


def _export_html(artefact: Mapping[str, Any], scenario: Any, out: Path) -> None:
    atomic_write_bytes(Path(out), response_html(artefact, scenario).encode("utf-8"))


EXPORTERS = {"json": json_exporter(TASK_ID, SCHEMA_VERSION), "docx": _export_docx, "html": _export_html}
