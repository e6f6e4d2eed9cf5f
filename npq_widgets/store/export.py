"""What every export carries — candidate, qualification, criteria evidenced, date — and the JSON exporter every task
shares. Spreadsheets are written by :mod:`npq_widgets.store.xlsx`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Iterable, Mapping


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


def json_exporter(task_id: str, schema_version: int):
    """The JSON exporter every task shares: the artefact as saved, stamped with its task and schema version."""
    from .files import atomic_write_json

    def export(artefact: Mapping[str, Any], scenario: Any, out: Path) -> None:
        doc = dict(artefact)
        doc.setdefault("task", task_id)
        doc.setdefault("schema_version", schema_version)
        atomic_write_json(out, doc)

    return export
