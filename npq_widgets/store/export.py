"""What every export carries — candidate, qualification, criteria evidenced, date — and the shared xlsx styling."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from .files import atomic_write_bytes


def export_header(artefact: Mapping[str, Any], title: str, criteria: Iterable[str],
                  today: dt.date | None = None) -> list[tuple[str, str]]:
    """Rows for the top of an export: (label, value)."""
    from ..catalogue import load_catalogue

    cand = artefact.get("candidate") if isinstance(artefact.get("candidate"), Mapping) else {}
    qual_id = str(cand.get("qualification") or "")
    qual = qual_id
    if qual_id:
        try:
            q = load_catalogue().get(qual_id)
            qual = f"{q.name} ({q.code}, {q.route} route)"
        except KeyError:
            pass
    cat = load_catalogue()
    crit_rows = []
    for cid in criteria:
        text = next((c.text for q in cat.qualifications for c in q.criteria if c.id == cid), "")
        crit_rows.append(f"{cid} {text}".strip())
    return [
        ("Task", title),
        ("Candidate", str(cand.get("name") or "(name not given)")),
        ("Qualification", qual or "(not chosen)"),
        ("Criteria evidenced", "; ".join(crit_rows) or "-"),
        ("Exported", (today or dt.date.today()).strftime("%d/%m/%Y")),
    ]


def write_xlsx(path: str | Path, header: Sequence[tuple[str, str]], columns: Sequence[str],
               rows: Iterable[Sequence[Any]], *, sheet_title: str, widths: Sequence[int] | None = None) -> Path:
    """A one-sheet workbook: header block, then a table with bold, wrapped column titles. Written atomically."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title[:31]
    bold = Font(bold=True)
    for r, (label, value) in enumerate(header, start=1):
        ws.cell(row=r, column=1, value=label).font = bold
        ws.cell(row=r, column=2, value=value).alignment = Alignment(wrap_text=True, vertical="top")
    top = len(header) + 2
    fill = PatternFill("solid", fgColor="DDE7F0")
    for c, name in enumerate(columns, start=1):
        cell = ws.cell(row=top, column=c, value=name)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(rows, start=top + 1):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(value, dt.date):
                cell.number_format = "DD/MM/YYYY"
    for c, width in enumerate(widths or [], start=1):
        ws.column_dimensions[ws.cell(row=1, column=c).column_letter].width = width
    ws.freeze_panes = ws.cell(row=top + 1, column=1)
    buf = io.BytesIO()
    wb.save(buf)
    return atomic_write_bytes(path, buf.getvalue())


def json_exporter(task_id: str, schema_version: int):
    """The JSON exporter every task shares: the artefact as saved, stamped with its task and schema version."""
    from .files import atomic_write_json

    def export(artefact: Mapping[str, Any], scenario: Any, out: Path) -> None:
        doc = dict(artefact)
        doc.setdefault("task", task_id)
        doc.setdefault("schema_version", schema_version)
        atomic_write_json(out, doc)

    return export
