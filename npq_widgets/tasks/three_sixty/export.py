"""Exports of the 360° diagnostic and the Leadership Reflection (6.1.2): an Excel workbook and a printable report.

The candidate's exports hold only what the anonymity rule allows (group medians and ranges, and per statement the
allowed ratings sorted, never a rater's row); the collator's own export (:func:`collator_xlsx`) may hold the
responses. Learners' text is always written as text, never as a formula (:func:`put`).
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
from pathlib import Path
from typing import Any, Mapping, Sequence

from ...catalogue import load_catalogue
from ...contract import task_criteria, task_figures
from ...domain.values import format_uk_date
from ...plotting import figure_png
from ...store.export import export_header, json_exporter
from ...store.files import atomic_write_bytes
from .charts import dot_plot, dot_plot_alt, reflections_alt, reflections_over_time, start_end, start_end_alt
from .checks import TITLE, check_three_sixty, window_for
from .model import (GROUP_LABELS, GROUPS, SCHEMA_VERSION, STAGES, TASK_ID, Figures, change, describe_change,
                    kept_reflections, read_reflection, report, round_for, round_summary)

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def figures() -> Figures:
    return task_figures(TASK_ID, Figures)


def check(artefact: Mapping[str, Any], scenario: Any, attempt: int = 1, figs: Any = None):
    return check_three_sixty(artefact, figs or figures(), scenario.data if scenario is not None else None,
                             attempt=attempt)


def put(ws, row: int, col: int, value: Any):
    """Write a cell; a string that a spreadsheet would read as a formula (= + - @ tab CR first) stays text.
    (A shared escaping helper is being written for ``store/``; this one small function is the stand-in until then.)"""
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.value = value
        cell.data_type = "s"
    if isinstance(value, dt.date):
        cell.number_format = "DD/MM/YYYY"
    return cell


def formula(ws, row: int, col: int, text: str):
    """A live formula (only ever built from cell references, never from learners' text)."""
    cell = ws.cell(row=row, column=col)
    cell.value = text
    return cell


def _behaviours() -> list[tuple[str, str]]:
    return [(b.name, b.description) for b in load_catalogue().behaviours]


def _rounds(artefact: Mapping[str, Any]) -> list[tuple[str, dict]]:
    return [(stage, r) for stage in STAGES if (r := round_for(artefact, stage)) is not None]


def _header(artefact: Mapping[str, Any], scenario: Any, today: dt.date | None = None) -> list[tuple[str, str]]:
    return export_header(artefact, TITLE + (f" — {scenario.title}" if scenario else ""), task_criteria(TASK_ID),
                         today=today)


def _xlsx_bytes(artefact: Mapping[str, Any], scenario: Any) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    figs = figures()
    bold = Font(bold=True)
    wb = Workbook()
    header = _header(artefact, scenario)
    header.append(("Anonymity rule", f"Groups shown with at least {figs.min_group_responses} responses; the line "
                                     "manager shown as such only if named; others' ratings item by item only with "
                                     f"at least {figs.min_group_responses} raters besides the line manager."))

    def head(ws) -> int:
        for r, (label, value) in enumerate(header, start=1):
            put(ws, r, 1, label).font = bold
            put(ws, r, 2, value).alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions["A"].width = 44
        ws.column_dimensions["B"].width = 14
        return len(header) + 2

    # -- the report: others' ratings as the rule allows, with live MEDIAN/MIN/MAX/COUNT over the allowed ratings --
    ws = wb.active
    ws.title = "360 report"
    row = head(ws)
    for stage, rnd in _rounds(artefact):
        summary = round_summary(rnd, figs.min_group_responses) or {}
        rows = report(rnd, gap=figs.blind_spot_gap, min_group=figs.min_group_responses)
        items = summary.get("items") or {}
        width = max([len((items.get(r.statement.id) or {}).get("values") or []) for r in rows] + [1])
        put(ws, row, 1, f"{STAGES[stage]} — round {rnd.get('id', '')}: {summary.get('responses', 0)} responses")
        ws.cell(row=row, column=1).font = bold
        row += 1
        cols = ["Statement", "You", "Others' median", "Lowest (4 low)", "Highest (1 high)", "Ratings",
                "Not observed", "Flag"] + [f"Rating {i}" for i in range(1, width + 1)]
        for c, name in enumerate(cols, start=1):
            put(ws, row, c, name).font = bold
        row += 1
        first_value = 9
        for r in rows:
            item = items.get(r.statement.id) or {}
            values = [v for v in item.get("values") or [] if isinstance(v, int)]
            put(ws, row, 1, r.statement.text)
            put(ws, row, 2, r.self_rating)
            if values:
                span = f"{get_column_letter(first_value)}{row}:{get_column_letter(first_value + width - 1)}{row}"
                formula(ws, row, 3, f"=MEDIAN({span})")
                formula(ws, row, 4, f"=MAX({span})")
                formula(ws, row, 5, f"=MIN({span})")
                formula(ws, row, 6, f"=COUNT({span})")
                for i, v in enumerate(values):
                    ws.cell(row=row, column=first_value + i, value=v)
            put(ws, row, 7, (r.others.not_observed if r.others else None))
            g = figs.blind_spot_gap
            formula(ws, row, 8, f'=IF(OR(B{row}="",C{row}=""),"",IF(C{row}-B{row}>={g:g},"blind spot",'
                                f'IF(B{row}-C{row}>={g:g},"hidden strength","")))')
            row += 1
        whole = summary.get("whole_others")
        if whole:
            put(ws, row, 1, f"Raters besides the line manager ({whole.get('responses')}), all statements together "
                            "(fewer than the rule allows item by item)")
            put(ws, row, 3, whole.get("median"))
            put(ws, row, 4, whole.get("low"))
            put(ws, row, 5, whole.get("high"))
            row += 1
        groups = summary.get("groups") or {}
        if groups:
            row += 1
            put(ws, row, 1, "Others' median by group (groups the rule allows)").font = bold
            for c, g in enumerate(groups, start=2):
                put(ws, row, c, f"{GROUP_LABELS.get(g, g)} ({groups[g]})").font = bold
            row += 1
            for r in rows:
                put(ws, row, 1, r.statement.text)
                for c, g in enumerate(groups, start=2):
                    sp = ((items.get(r.statement.id) or {}).get("groups") or {}).get(g)
                    put(ws, row, c, sp.get("median") if isinstance(sp, Mapping) else None)
                row += 1
        comments = summary.get("comments") or {}
        if comments:
            row += 1
            put(ws, row, 1, "Comments (sorted, not in the order they arrived)").font = bold
            row += 1
            for key in sorted(comments):
                group, _, part = key.partition(":")
                label = f"{GROUP_LABELS.get(group, group)} — {'strengths' if part == 'strengths' else 'to develop'}"
                for text in comments[key]:
                    put(ws, row, 1, label)
                    put(ws, row, 2, text).alignment = Alignment(wrap_text=True, vertical="top")
                    row += 1
        row += 2
    ws.column_dimensions["H"].width = 16

    changes = change(artefact, min_group=figs.min_group_responses)
    if changes:
        wc = wb.create_sheet("Start vs end")
        r0 = head(wc)
        for c, name in enumerate(["Behaviour", "Others' median at the start", "Others' median at the end",
                                  "Change (negative is better: 1 is high)"], start=1):
            put(wc, r0, c, name).font = bold
        for i, ch in enumerate(changes, start=r0 + 1):
            put(wc, i, 1, ch.statement.text)
            put(wc, i, 2, ch.others_start)
            put(wc, i, 3, ch.others_end)
            formula(wc, i, 4, f'=IF(OR(B{i}="",C{i}=""),"",C{i}-B{i})')

    # -- the Leadership Reflection sheet, as seed 001 lays it out ---------------------------------------------------
    wr = wb.create_sheet("Leadership Reflection")
    r0 = head(wr)
    names = [b for b, _ in _behaviours()]
    sheet = read_reflection(artefact.get("reflection"), names)
    if not any(v is not None for v in sheet.ratings.values()):
        kept = kept_reflections(artefact, names)
        sheet = kept[-1] if kept else sheet
    put(wr, r0, 1, "Leadership Reflection").font = Font(bold=True, size=14)
    put(wr, r0 + 1, 1, "Name")
    put(wr, r0 + 1, 2, artefact.get("candidate", {}).get("name", "") if isinstance(artefact.get("candidate"),
                                                                                      Mapping) else "")
    put(wr, r0 + 2, 1, "Date")
    put(wr, r0 + 2, 2, sheet.date or sheet.date_text)
    top = r0 + 4
    for c, name in enumerate(["Behaviours", "Description", "Rating (1 high … 4 low)", "Comment"], start=1):
        put(wr, top, c, name).font = bold
    for i, (name, description) in enumerate(_behaviours(), start=top + 1):
        put(wr, i, 1, name)
        put(wr, i, 2, description).alignment = Alignment(wrap_text=True, vertical="top")
        put(wr, i, 3, sheet.ratings.get(name))
        put(wr, i, 4, sheet.comments.get(name, "")).alignment = Alignment(wrap_text=True, vertical="top")
    last = top + len(names)
    put(wr, last + 1, 1, "Average rating").font = bold
    formula(wr, last + 1, 3, f'=IF(COUNT(C{top + 1}:C{last})=0,"",AVERAGE(C{top + 1}:C{last}))')
    wr.column_dimensions["B"].width = 60
    wr.column_dimensions["D"].width = 60

    kept = kept_reflections(artefact, names)
    if kept:
        wt = wb.create_sheet("Reflections over time")
        r0 = head(wt)
        put(wt, r0, 1, "Behaviour").font = bold
        for c, refl in enumerate(kept, start=2):
            put(wt, r0, c, refl.date or refl.date_text).font = bold
        for i, name in enumerate(names, start=r0 + 1):
            put(wt, i, 1, name)
            for c, refl in enumerate(kept, start=2):
                put(wt, i, c, refl.ratings.get(name))
        put(wt, r0 + len(names) + 1, 1, "Average rating").font = bold
        for c in range(2, len(kept) + 2):
            col = get_column_letter(c)
            formula(wt, r0 + len(names) + 1, c,
                    f'=IF(COUNT({col}{r0 + 1}:{col}{r0 + len(names)})=0,"",'
                    f'AVERAGE({col}{r0 + 1}:{col}{r0 + len(names)}))')

    # -- the development plan ---------------------------------------------------------------------------------------
    wp = wb.create_sheet("Development plan")
    r0 = head(wp)
    texts = _statement_texts(artefact)
    cols = ["Priority", "Focus", "Why (from the data)", "SMART development objective", "Measure", "Starting point",
            "Target", "Development opportunity", "Review date"]
    for c, name in enumerate(cols, start=1):
        put(wp, r0, c, name).font = bold
    for i, p in enumerate([p for p in artefact.get("plan") or [] if isinstance(p, Mapping)], start=1):
        values = [i, texts.get(str(p.get("focus") or ""), str(p.get("focus") or "")), p.get("reason"),
                  p.get("objective"), p.get("measure"), p.get("baseline"), p.get("target"), p.get("opportunity"),
                  p.get("review_date")]
        for c, v in enumerate(values, start=1):
            put(wp, r0 + i, c, "" if v is None else v).alignment = Alignment(wrap_text=True, vertical="top")
    for c, width in enumerate([10, 30, 40, 50, 30, 12, 12, 40, 14], start=1):
        wp.column_dimensions[get_column_letter(c)].width = width

    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _statement_texts(artefact: Mapping[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for rnd in artefact.get("rounds") or []:
        if isinstance(rnd, Mapping):
            for s in rnd.get("statements") or []:
                if isinstance(s, Mapping) and s.get("id"):
                    out[str(s["id"])] = str(s.get("text") or "")
    return out


def _export_xlsx(artefact: Mapping[str, Any], scenario: Any, out: Path) -> None:
    atomic_write_bytes(out, _xlsx_bytes(artefact, scenario))


# -- the printable report ----------------------------------------------------------------------------------------------
PRINT_CSS = """
body { font-family: Arial, Helvetica, sans-serif; font-size: 11pt; color: #111; max-width: 1000px; margin: 1em auto; }
h1 { font-size: 18pt; } h2 { font-size: 14pt; border-bottom: 1px solid #999; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0 1em; }
th, td { border: 1px solid #888; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #eee; } img { max-width: 100%; }
.note { border-left: 4px solid #555; padding: 4px 10px; background: #f6f6f6; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } table, img { break-inside: avoid; }
  @page { size: A4; margin: 15mm; } }
"""


def _e(v: Any) -> str:
    return html.escape("" if v is None else str(v), quote=True)


def _img(fig, alt: str) -> str:
    data = base64.b64encode(figure_png(fig, dpi=90)).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{_e(alt)}">'


def report_html(artefact: Mapping[str, Any], scenario: Any = None, *, today: dt.date | None = None,
                charts: bool = True) -> str:
    figs = figures()
    header = _header(artefact, scenario, today)
    parts = [f"<!DOCTYPE html><html lang='en-GB'><head><meta charset='utf-8'><title>{_e(TITLE)}</title>"
             f"<style>{PRINT_CSS}</style></head><body><h1>{_e(TITLE)}</h1><table>"]
    parts += [f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in header]
    parts.append("</table>")
    collectors = {str(r.get("collector") or "self") for _, r in _rounds(artefact)}
    if "self" in collectors:
        parts.append("<p class='note'>The candidate collected the response files themselves, so they could read "
                     "each response. This report shows only what the anonymity rule allows.</p>")
    names = [b for b, _ in _behaviours()]
    sheet = read_reflection(artefact.get("reflection"), names)
    parts.append(f"<h2>Leadership Reflection</h2><p>Date: {_e(sheet.date and format_uk_date(sheet.date))}</p>"
                 "<table><tr><th>Behaviours</th><th>Description</th><th>Rating (1 high … 4 low)</th>"
                 "<th>Comment</th></tr>")
    for name, description in _behaviours():
        parts.append(f"<tr><td>{_e(name)}</td><td>{_e(description)}</td><td>{_e(sheet.ratings.get(name))}</td>"
                     f"<td>{_e(sheet.comments.get(name))}</td></tr>")
    parts.append("</table>")
    kept = kept_reflections(artefact, names)
    if charts and len([k for k in kept if k.date]) > 0:
        parts.append(_img(reflections_over_time(kept, names), reflections_alt(kept, names)))
    for stage, rnd in _rounds(artefact):
        rows = report(rnd, gap=figs.blind_spot_gap, min_group=figs.min_group_responses)
        summary = round_summary(rnd, figs.min_group_responses) or {}
        parts.append(f"<h2>360°: {_e(STAGES[stage])} ({_e(summary.get('responses', 0))} responses)</h2><table>"
                     "<tr><th>Statement</th><th>You</th><th>Others' median</th><th>Range (high–low)</th>"
                     "<th>Ratings</th><th>Flag</th></tr>")
        for r in rows:
            o = r.others
            parts.append(f"<tr><td>{_e(r.statement.text)}</td><td>{_e(r.self_rating)}</td>"
                         f"<td>{_e(o and f'{o.median:g}')}</td><td>{_e(o and f'{o.high}–{o.low}')}</td>"
                         f"<td>{_e(o and o.n)}</td><td>{_e(r.flag)}</td></tr>")
        parts.append("</table>")
        if charts and any(r.others or r.self_rating for r in rows):
            parts.append(_img(dot_plot(rows), dot_plot_alt(rows)))
        for key in sorted(summary.get("comments") or {}):
            group, _, part = key.partition(":")
            label = f"{GROUP_LABELS.get(group, group)} — {'strengths' if part == 'strengths' else 'to develop'}"
            items = "".join(f"<li>{_e(t)}</li>" for t in summary["comments"][key])
            parts.append(f"<h3>{_e(label)}</h3><ul>{items}</ul>")
    changes = change(artefact, min_group=figs.min_group_responses)
    if changes:
        parts.append("<h2>Start and end of the programme</h2><table><tr><th>Behaviour</th><th>Start</th>"
                     "<th>End</th><th>Change</th></tr>")
        for c in changes:
            parts.append(f"<tr><td>{_e(c.statement.text)}</td><td>{_e(c.others_start)}</td><td>{_e(c.others_end)}"
                         f"</td><td>{_e(describe_change(c.others_change))}</td></tr>")
        parts.append("</table>")
        if charts:
            parts.append(_img(start_end(changes), start_end_alt(changes)))
    texts = _statement_texts(artefact)
    parts.append("<h2>Development plan</h2><table><tr><th>Focus</th><th>Why</th><th>Objective</th><th>Measure</th>"
                 "<th>From → to</th><th>Development opportunity</th><th>Review date</th></tr>")
    for p in [p for p in artefact.get("plan") or [] if isinstance(p, Mapping)]:
        parts.append(f"<tr><td>{_e(texts.get(str(p.get('focus') or ''), p.get('focus')))}</td>"
                     f"<td>{_e(p.get('reason'))}</td><td>{_e(p.get('objective'))}</td><td>{_e(p.get('measure'))}</td>"
                     f"<td>{_e(p.get('baseline'))} → {_e(p.get('target'))}</td><td>{_e(p.get('opportunity'))}</td>"
                     f"<td>{_e(p.get('review_date'))}</td></tr>")
    parts.append("</table></body></html>")
    return "".join(parts)


def _export_html(artefact: Mapping[str, Any], scenario: Any, out: Path) -> None:
    atomic_write_bytes(out, report_html(artefact, scenario).encode("utf-8"))


# -- the collator's own export: may hold each response ----------------------------------------------------------------
def collator_xlsx(statements: Sequence[Mapping[str, Any]], responses: Sequence[Mapping[str, Any]],
                  round_id: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Responses"
    put(ws, 1, 1, f"360° responses for round {round_id} — for the collator only; do not pass to the candidate")
    ws.cell(row=1, column=1).font = Font(bold=True)
    cols = ["Response", "Group"] + [str(s.get("text") or s.get("id")) for s in statements] + ["Strengths",
                                                                                               "To develop"]
    for c, name in enumerate(cols, start=1):
        put(ws, 3, c, name).font = Font(bold=True)
    for i, r in enumerate(responses, start=1):
        ratings = r.get("ratings") if isinstance(r.get("ratings"), Mapping) else {}
        comments = r.get("comments") if isinstance(r.get("comments"), Mapping) else {}
        values = [i, GROUP_LABELS.get(str(r.get("group")), "Others")]
        values += [ratings.get(str(s.get("id"))) if isinstance(ratings.get(str(s.get("id"))), int) else
                   "not observed" for s in statements]
        values += [comments.get("strengths", ""), comments.get("develop", "")]
        for c, v in enumerate(values, start=1):
            put(ws, 3 + i, c, v)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


EXPORTERS = {"json": json_exporter(TASK_ID, SCHEMA_VERSION), "xlsx": _export_xlsx, "html": _export_html}
__all__ = ["EXPORTERS", "check", "report_html", "collator_xlsx", "put", "figures", "GROUPS", "window_for"]
