"""One portfolio: the candidate's supporting documents and project account, brought together (issue 18).

- **portfolio.xlsx**: a *Contents* sheet (criterion → supporting document → task → sheet, and how complete it is) and
  every sheet of each supporting document's own export, copied with openpyxl so that its **live formulas are kept**
  (references to a renamed sheet are rewritten to the new name). Each task is reached only through the registry and
  its own ``xlsx`` exporter: nothing here knows how a task lays out its spreadsheet.
- **portfolio.docx** (python-docx) and **portfolio.html** (printable): the account with headings per part and
  criterion and word counts (the project account's declared ``account`` output), then the supporting documents as
  annexes — their tables, and their charts (each task's declared ``charts``) as images.

Every file names the candidate, the qualification, the criteria and the date. Pupil rows never appear: only the
tasks' own exports are copied, and they hold aggregates (the data-analysis export keeps no pupil rows).
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import html
import io
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from ..catalogue import load_catalogue
from ..contract import parse_saved_at
from ..course import CHECK_PREFIX, chosen_qualification
from ..registry import TaskError, all_tasks, get_task

ACCOUNT_TASK = "project-account"
SPONSOR_DOCUMENT = "Sponsor comments"
TABLE_ROWS = 40       # an annex shows at most this many rows of a sheet (the spreadsheet has them all)
TABLE_COLS = 10


@dataclass(frozen=True)
class Saved:
    task_id: str
    title: str
    doc_id: str
    data: dict
    status: str | None     # the check status of this document: "pass", "fail", None


@dataclass(frozen=True)
class ContentsRow:
    criterion: str
    text: str
    document: str
    task: str
    sheets: tuple[str, ...]
    completeness: str


def latest_saved(workbook: Any, task_id: str) -> Saved | None:
    """The most recently saved work for ``task_id`` (its own documents only, never its version history)."""
    best = None
    for doc in workbook.ids():
        if not doc.startswith(f"{task_id}--") or doc.endswith(".history"):
            continue
        env = workbook.envelope(doc) or {}
        data, when = env.get("data"), parse_saved_at(env.get("saved_at"))
        if not isinstance(data, Mapping) or data.get("task") not in (None, task_id) or when is None:
            continue
        if best is None or when > best[0]:
            best = (when, doc, dict(data))
    if best is None:
        return None
    status = None
    try:
        rec = workbook.load(f"{CHECK_PREFIX}{best[1]}").data or {}
        status = rec.get("status") if rec.get("status") in ("pass", "fail") else None
    except Exception:  # noqa: BLE001 - no check record: never checked
        status = None
    return Saved(task_id, get_task(task_id).title, best[1], best[2], status)


def _people(workbook: Any, saved: list[Saved]) -> tuple[str, str, str]:
    """(name, qualification id, qualification as words)."""
    saved = sorted(saved, key=lambda s: s.task_id != ACCOUNT_TASK)  # the account's name first
    name = next((str(s.data.get("candidate", {}).get("name") or "") for s in saved
                 if isinstance(s.data.get("candidate"), Mapping) and s.data["candidate"].get("name")), "")
    qid = chosen_qualification(workbook)
    q = load_catalogue().get(qid)
    return name or "(name not given)", qid, f"{q.name} ({q.code}, {q.route} route)"


def _sheet_title(prefix: str, title: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "-", f"{prefix} - {title}")[:31]
    out, n = base, 2
    while out.lower() in used:
        out = f"{base[:28]} {n}"
        n += 1
    used.add(out.lower())
    return out


def _rename_refs(formula: str, names: Mapping[str, str]) -> str:
    """Point every reference to a copied sheet at its new name ('Old'!A1 and Old!A1 → 'New'!A1)."""
    for old, new in sorted(names.items(), key=lambda kv: -len(kv[0])):
        quoted_new = "'" + new.replace("'", "''") + "'!"
        formula = formula.replace("'" + old.replace("'", "''") + "'!", quoted_new)
        if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", old):
            formula = re.sub(r"(?<![A-Za-z0-9_.'])" + re.escape(old) + "!", quoted_new, formula)
    return formula


def copy_sheet(src_ws: Any, dst_ws: Any, names: Mapping[str, str]) -> None:
    """Cells (values, formulas with references renamed, styles), merged cells, widths, heights, freeze panes,
    conditional formatting and pictures."""
    from openpyxl.formatting.rule import Rule

    for row in src_ws.iter_rows():
        for c in row:
            if c.value is None and not c.has_style:
                continue
            value = c.value
            if isinstance(value, str) and value.startswith("="):
                value = _rename_refs(value, names)
            d = dst_ws.cell(row=c.row, column=c.column, value=value)
            if c.has_style:
                d.font, d.fill, d.border = copy.copy(c.font), copy.copy(c.fill), copy.copy(c.border)
                d.alignment, d.protection = copy.copy(c.alignment), copy.copy(c.protection)
                d.number_format = c.number_format
    for rng in src_ws.merged_cells.ranges:
        dst_ws.merge_cells(str(rng))
    for key, dim in src_ws.column_dimensions.items():
        dst_ws.column_dimensions[key].width = dim.width
    for key, dim in src_ws.row_dimensions.items():
        if dim.height:
            dst_ws.row_dimensions[key].height = dim.height
    dst_ws.freeze_panes = src_ws.freeze_panes
    for cf in src_ws.conditional_formatting:
        for rule in cf.rules:
            new = copy.copy(rule)
            if isinstance(rule, Rule) and rule.formula:
                new.formula = [_rename_refs(f, names) for f in rule.formula]
            dst_ws.conditional_formatting.add(str(cf.sqref), new)
    for img in getattr(src_ws, "_images", []):
        from openpyxl.drawing.image import Image

        data = img._data()
        pic = Image(io.BytesIO(data))
        pic.anchor = img.anchor
        dst_ws.add_image(pic)


# -- what goes in ---------------------------------------------------------------------------------------------------
def supporting_tasks() -> dict[str, list[str]]:
    """Supporting document → the registered tasks with an xlsx export that evidence a criterion needing it."""
    crits = load_catalogue().get("NPQML-legacy").criteria
    out: dict[str, list[str]] = {}
    for c in crits:
        if not c.supporting_document:
            continue
        for t in all_tasks():
            if c.id in t.criteria and "xlsx" in t.exporters and t.id not in out.get(c.supporting_document, []):
                out.setdefault(c.supporting_document, []).append(t.id)
    return out


@dataclass
class Portfolio:
    name: str
    qualification_id: str
    qualification: str
    today: dt.date
    contents: list[ContentsRow]
    saved: dict[str, Saved]          # task id → its latest saved work (supporting documents and the account)
    sheets: dict[str, list[str]]     # task id → its sheets in portfolio.xlsx
    account: dict | None


def build(workbook: Any, out_dir: str | Path, *, today: dt.date | None = None,
          recalculate: bool = True) -> dict[str, Path]:
    """Write portfolio.xlsx, portfolio.docx and portfolio.html into ``out_dir``; returns their paths by format."""
    from openpyxl import Workbook as XWorkbook, load_workbook

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    today = today or dt.date.today()
    docs = supporting_tasks()
    wanted = [t for ts in docs.values() for t in ts]
    saved: dict[str, Saved] = {}
    for tid in dict.fromkeys(wanted + [ACCOUNT_TASK]):
        try:
            s = latest_saved(workbook, tid)
        except TaskError:
            s = None
        if s is not None:
            saved[tid] = s
    name, qid, qual = _people(workbook, list(saved.values()))
    account = None
    if ACCOUNT_TASK in saved:
        try:
            account = get_task(ACCOUNT_TASK).output("account", saved[ACCOUNT_TASK].data)
        except Exception:  # noqa: BLE001 - a damaged account: the annexes still go out
            account = None

    xbook = XWorkbook()
    contents_ws = xbook.active
    contents_ws.title = "Contents"
    used = {"contents"}
    sheets: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for tid in dict.fromkeys(wanted):
            if tid not in saved:
                continue
            path = Path(tmp) / f"{tid}.xlsx"
            art = dict(saved[tid].data)
            cand = dict(art.get("candidate") or {}) if isinstance(art.get("candidate"), Mapping) else {}
            cand.setdefault("qualification", qid)
            art["candidate"] = cand
            try:
                get_task(tid).export(art, "xlsx", path)
                src = load_workbook(path)
            except Exception:  # noqa: BLE001 - one task that cannot export never stops the portfolio
                continue
            names = {ws.title: _sheet_title(_short(tid), ws.title, used) for ws in src.worksheets}
            for ws in src.worksheets:
                copy_sheet(ws, xbook.create_sheet(names[ws.title]), names)
            sheets[tid] = list(names.values())
    sponsor = (account or {}).get("sponsor") or {}
    if sponsor:
        ws = xbook.create_sheet(_sheet_title("Sponsor", "as received", used))
        ws.append(["Sponsor comments (criterion 4.1.1), as received"])
        for line in _sponsor_lines(sponsor):
            ws.append([line])
        ws.column_dimensions["A"].width = 120
        sheets["sponsor"] = [ws.title]

    rows = _contents_rows(docs, saved, sheets, account)
    _write_contents(contents_ws, rows, name, qual, today)
    xlsx = out / "portfolio.xlsx"
    xbook.save(xlsx)
    values = _recalculated(xlsx) if recalculate else None
    p = Portfolio(name, qid, qual, today, rows, saved, sheets, account)
    docx = out / "portfolio.docx"
    _write_docx(p, docx, xbook, values)
    page = out / "portfolio.html"
    page.write_text(_html(p, xbook, values), encoding="utf-8")
    return {"xlsx": xlsx, "docx": docx, "html": page}


def _short(task_id: str) -> str:
    return {"data-analysis": "Data", "budget": "Budget", "project-plan": "Plan", "risk-register": "Risks",
            "pupil-performance": "Pupils"}.get(task_id, task_id[:10])


def _status_words(s: Saved | None) -> str:
    if s is None:
        return "missing: nothing saved yet"
    return {"pass": "complete: checked, passes", "fail": "checked, not all met yet",
            None: "saved, not checked yet"}[s.status]


def _contents_rows(docs, saved, sheets, account) -> list[ContentsRow]:
    rows = []
    for c in load_catalogue().get("NPQML-legacy").criteria:
        doc = c.supporting_document or ""
        if doc == SPONSOR_DOCUMENT and not docs.get(doc):
            received = bool((account or {}).get("sponsor"))
            rows.append(ContentsRow(c.id, c.text, doc, "Project account (sponsor's file)",
                                    tuple(sheets.get("sponsor", ())),
                                    "complete: received" if received else "missing: no sponsor comments loaded"))
            continue
        if not doc:
            words = None
            if account:
                words = next((s["words"] for p in account["parts"] for s in p["sections"] if s["criterion"] == c.id),
                             None)
            rows.append(ContentsRow(c.id, c.text, "—", "Project account", (),
                                    f"{words:,} words in its section" if words is not None else
                                    ("in the account" if account else "missing: no project account saved")))
            continue
        tids = docs.get(doc, [])
        if not tids:
            rows.append(ContentsRow(c.id, c.text, doc, "—", (), "missing: no task makes it; attach your own"))
            continue
        best = next((saved[t] for t in tids if t in saved), None)
        rows.append(ContentsRow(c.id, c.text, doc, ", ".join(get_task(t).title for t in tids),
                                tuple(x for t in tids for x in sheets.get(t, ())), _status_words(best)))
    return rows


def _write_contents(ws, rows, name, qual, today) -> None:
    from openpyxl.styles import Font

    ws.append(["Portfolio of supporting documents"])
    ws["A1"].font = Font(bold=True, size=14)
    for label, value in (("Candidate", name), ("Qualification", qual),
                         ("Criteria", "; ".join(r.criterion for r in rows)), ("Made", today.strftime("%d/%m/%Y"))):
        ws.append([label, value])
    ws.append([])
    ws.append(["Criterion", "Text", "Supporting document", "Task", "Sheet(s)", "Completeness"])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for r in rows:
        ws.append([r.criterion, r.text, r.document, r.task, ", ".join(r.sheets) or "—", r.completeness])
    for col, width in zip("ABCDEF", (10, 60, 24, 30, 40, 34)):
        ws.column_dimensions[col].width = width


def _sponsor_lines(sponsor: Mapping[str, Any]) -> list[str]:
    content = sponsor.get("content") if isinstance(sponsor.get("content"), Mapping) else {}
    out = [f"Received: the sponsor's file made on {sponsor.get('made', '?')} (the check inside the file shows it "
           "was not damaged on the way; it cannot show who wrote it)."]
    for label, key in (("Sponsor's role", "role"), ("Project", "project"), ("Comments", "comments")):
        if str(content.get(key) or "").strip():
            out.append(f"{label}: {content.get(key)}")
    return out


def _recalculated(xlsx: Path):
    """The portfolio's values as LibreOffice calculates them (for the tables in the annexes); None without it."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    from openpyxl import load_workbook

    with tempfile.TemporaryDirectory() as tmp:
        try:
            subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp}/profile",
                            "--convert-to", "xlsx", "--outdir", tmp, str(xlsx)], check=True, capture_output=True,
                           timeout=180)
            return load_workbook(Path(tmp) / xlsx.name, data_only=True)
        except (OSError, subprocess.SubprocessError, ValueError):
            return None


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".") if abs(value) < 1e12 else str(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y")
    return str(value)


def sheet_table(xbook, values, title: str) -> list[list[str]]:
    """A sheet's first rows as text: values LibreOffice calculated when it is there; else a formula is shown as
    'calculated in the spreadsheet'."""
    ws = xbook[title]
    vs = values[title] if values is not None and title in values.sheetnames else None
    rows = []
    for r in range(1, ws.max_row + 1):
        row = []
        for c in range(1, min(ws.max_column, TABLE_COLS) + 1):
            v = ws.cell(r, c).value
            if isinstance(v, str) and v.startswith("="):
                v = vs.cell(r, c).value if vs is not None else "(calculated in the spreadsheet)"
            row.append(_cell_text(v))
        if any(row):
            rows.append(row)
        if len(rows) >= TABLE_ROWS:
            break
    width = max((max((i + 1 for i, x in enumerate(r) if x), default=0) for r in rows), default=0)
    return [r[:width] for r in rows]


def _charts(p: Portfolio, tid: str) -> list[tuple[str, bytes]]:
    """The task's declared charts as PNGs: (title, bytes)."""
    task = get_task(tid)
    out = []
    for name, chart in task.declaration.charts.items():
        try:
            fig = chart(dict(p.saved[tid].data), task.scenario_for(p.saved[tid].data))
        except Exception:  # noqa: BLE001 - a chart that cannot be drawn is left out, never a traceback
            continue
        if fig is None:
            continue
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
        import matplotlib.pyplot as plt

        plt.close(fig)
        out.append((f"{task.title}: {name.replace('-', ' ')}", buf.getvalue()))
    return out


def _annexes(p: Portfolio) -> list[tuple[str, str, list[str]]]:
    """(heading, task id or 'sponsor', sheets) per annex, in criterion order."""
    seen, out = set(), []
    for r in p.contents:
        if not r.sheets:
            continue
        key = r.sheets
        if key in seen:
            continue
        seen.add(key)
        tid = next((t for t, s in p.sheets.items() if s and s[0] == r.sheets[0]), "")
        out.append((f"Annex {len(out) + 1}: {r.document} (criterion {r.criterion})", tid, list(r.sheets)))
    return out


CRITERIA_NOTE = ("The seeds give assessment criteria for NPQML only; they are used here as the common reference, as "
                 "the course's module map does.")


def _header_lines(p: Portfolio) -> list[str]:
    crits = ", ".join(r.criterion for r in p.contents)
    note = [CRITERIA_NOTE] if p.qualification_id != "NPQML-legacy" else []
    return [f"Candidate: {p.name}", f"Qualification: {p.qualification}", f"Criteria: {crits}", *note,
            f"Made: {p.today:%d/%m/%Y}"]


def _write_docx(p: Portfolio, path: Path, xbook, values) -> None:
    from docx import Document
    from docx.shared import Cm

    doc = Document()
    doc.add_heading("Portfolio: project account and supporting documents", level=0)
    for line in _header_lines(p):
        doc.add_paragraph(line)
    doc.add_heading("Contents", level=1)
    t = doc.add_table(rows=1, cols=4)
    t.style = "Table Grid"
    for cell, text in zip(t.rows[0].cells, ("Criterion", "Supporting document", "Where", "Completeness")):
        cell.text = text
    for r in p.contents:
        cells = t.add_row().cells
        for cell, text in zip(cells, (r.criterion, r.document, ", ".join(r.sheets) or r.task, r.completeness)):
            cell.text = text
    a = p.account
    if a:
        doc.add_heading(f"Project account — {a['name']}", level=1)
        limit = f" of {a['limit']:,}" if a["limit"] is not None else ""
        doc.add_paragraph(f"Total: {a['total']:,}{limit} words (annexes not counted)")
        for w in a["warnings"]:
            doc.add_paragraph(f"⚠ {w}")
        for part in a["parts"]:
            doc.add_heading(f"{part['title']}: {part['aim']} ({part['words']:,} words)", level=2)
            if part["project"]:
                doc.add_paragraph(f"Project: {part['project']}")
            for s in part["sections"]:
                doc.add_heading(s["heading"], level=3)
                doc.add_paragraph(s["quote"], style="Intense Quote")
                for para in s["text"].split("\n"):
                    if para.strip():
                        doc.add_paragraph(para.strip())
                doc.add_paragraph(f"({s['words']:,} words)")
    else:
        doc.add_paragraph("No project account is saved yet: open the Project account app to write it.")
    for heading, tid, titles in _annexes(p):
        doc.add_heading(heading, level=1)
        for title in titles:
            doc.add_heading(title, level=2)
            rows = sheet_table(xbook, values, title)
            if rows:
                width = max(len(r) for r in rows)
                table = doc.add_table(rows=0, cols=width)
                table.style = "Table Grid"
                for r in rows:
                    cells = table.add_row().cells
                    for i, text in enumerate(r):
                        cells[i].text = text
        if tid in p.saved:
            for title, png in _charts(p, tid):
                doc.add_paragraph(title)
                doc.add_picture(io.BytesIO(png), width=Cm(16))
    doc.save(str(path))


def _html(p: Portfolio, xbook, values) -> str:
    esc = html.escape
    out = ["<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>Portfolio</title><style>"
           "body{font-family:Arial,sans-serif;max-width:900px;margin:2em auto;line-height:1.45}table{border-collapse:"
           "collapse;margin:0.5em 0}td,th{border:1px solid #999;padding:2px 6px;font-size:0.9em;text-align:left}"
           "blockquote{border-left:4px solid #888;padding-left:1em}h1.annex{page-break-before:always}"
           "@media print{body{margin:0}}</style></head><body>",
           "<h1>Portfolio: project account and supporting documents</h1>"]
    out += [f"<p>{esc(line)}</p>" for line in _header_lines(p)]
    out.append("<h2>Contents</h2><table><tr><th>Criterion</th><th>Supporting document</th><th>Where</th>"
               "<th>Completeness</th></tr>")
    out += [f"<tr><td>{esc(r.criterion)}</td><td>{esc(r.document)}</td><td>{esc(', '.join(r.sheets) or r.task)}"
            f"</td><td>{esc(r.completeness)}</td></tr>" for r in p.contents]
    out.append("</table>")
    a = p.account
    if a:
        limit = f" of {a['limit']:,}" if a["limit"] is not None else ""
        out.append(f"<h1>Project account — {esc(a['name'])}</h1><p>Total: {a['total']:,}{limit} words (annexes not "
                   "counted)</p>")
        out += [f"<p><strong>⚠ {esc(w)}</strong></p>" for w in a["warnings"]]
        for part in a["parts"]:
            out.append(f"<h2>{esc(part['title'])}: {esc(part['aim'])} ({part['words']:,} words)</h2>")
            for s in part["sections"]:
                paras = "".join(f"<p>{esc(t.strip())}</p>" for t in s["text"].split("\n") if t.strip())
                out.append(f"<h3>{esc(s['heading'])}</h3><blockquote>{esc(s['quote'])}</blockquote>{paras}"
                           f"<p>({s['words']:,} words)</p>")
    else:
        out.append("<p>No project account is saved yet: open the Project account app to write it.</p>")
    for heading, tid, titles in _annexes(p):
        out.append(f"<h1 class=\"annex\">{esc(heading)}</h1>")
        for title in titles:
            rows = sheet_table(xbook, values, title)
            out.append(f"<h2>{esc(title)}</h2><table>" + "".join(
                "<tr>" + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>" for r in rows) + "</table>")
        if tid in p.saved:
            for title, png in _charts(p, tid):
                data = base64.b64encode(png).decode("ascii")
                out.append(f"<p>{esc(title)}</p><img src=\"data:image/png;base64,{data}\" alt=\"{esc(title)}\" "
                           "style=\"max-width:100%\">")
    out.append("</body></html>")
    return "".join(out)


__all__ = ["build", "latest_saved", "supporting_tasks", "copy_sheet", "sheet_table"]


# -- the page ---------------------------------------------------------------------------------------------------------
class PortfolioPage:
    """'Download portfolio': one button that makes portfolio.xlsx, portfolio.docx and portfolio.html from the
    learner's workbook, and the links to download them. Built once the workbook is known."""

    recalculate = True

    def __init__(self, workbook: Any):
        import ipywidgets as w

        from ..widgets.common import button, style

        self.workbook = workbook
        self.make_button = button("Make my portfolio (.xlsx, .docx and a printable page)", css="npq-portfolio-make",
                                  primary=True)
        self.make_button.on_click(lambda _b: self.make())
        self.download = w.HTML()
        self.download.add_class("npq-download-area")
        intro = ("<h1>Download portfolio</h1><p>One spreadsheet with a contents sheet and every supporting document "
                 "(their formulas still work), and one document with your project account and the supporting "
                 "documents as annexes. It is made from your latest saved work; nothing is changed.</p>")
        self.widget = w.VBox([style(), w.HTML(intro), self.make_button, self.download])
        self.widget.add_class("npq-app")
        self.widget.add_class("npq-portfolio-app")

    def make(self) -> None:
        from ..widgets.common import DOCX_MIME, XLSX_MIME, download_link, error_html

        self.download.value = '<p class="npq-help" role="status">Making your portfolio…</p>'
        try:
            with tempfile.TemporaryDirectory() as tmp:
                paths = build(self.workbook, tmp, recalculate=self.recalculate)
                files = {k: p.read_bytes() for k, p in paths.items()}
        except Exception as exc:  # noqa: BLE001 - shown in the widget, never as a traceback
            self.download.value = error_html(f"The portfolio could not be made: {exc}")
            return
        self.download.value = " &nbsp; ".join([
            download_link(files["xlsx"], "portfolio.xlsx", "Download portfolio.xlsx", XLSX_MIME),
            download_link(files["docx"], "portfolio.docx", "Download portfolio.docx", DOCX_MIME),
            download_link(files["html"], "portfolio.html", "Download a printable page", "text/html")])
