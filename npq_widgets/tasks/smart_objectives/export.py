"""Task ``smart-objectives``: SMART objectives with targeted development for a team member (6.1.1)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from ...contract import task_criteria
from .checks import TITLE, check_smart
from .model import SCHEMA_VERSION, read_plan
from ...store.export import export_header, json_exporter
from ...store.xlsx import header_sheet, write_xlsx

TASK_ID = "smart-objectives"
COLUMNS = ("No.", "Who", "Objective", "Priority served", "Measure", "Starting point", "Target", "Deadline",
           "Development opportunity")
WIDTHS = (14, 22, 48, 30, 30, 12, 12, 12, 40)


def check(artefact: Mapping[str, Any], scenario: Any, attempt: int = 1, figures: Any = None):
    return check_smart(artefact, scenario.data if scenario is not None else None, attempt=attempt)


def _export_xlsx(artefact: Mapping[str, Any], scenario: Any, out: Path) -> None:
    plan = read_plan(artefact)
    labels = {p["id"]: p["label"] for p in (scenario.data.get("priorities", []) if scenario else [])}
    header = export_header(artefact, TITLE + (f" — {scenario.title}" if scenario else ""), task_criteria(TASK_ID))
    rows = []
    for o in plan.objectives:
        unit = "%" if o.percent else ""
        rows.append([
            o.number, o.who, o.objective, labels.get(o.priority, o.priority), o.measure,
            f"{o.baseline:g}{unit}" if o.baseline is not None else "",
            f"{o.target:g}{unit}" if o.target is not None else "",
            o.deadline or "", o.development,
        ])
    sheet = header_sheet("SMART objectives", header)
    sheet.table(COLUMNS, rows, freeze_col=1)
    sheet.set_widths(WIDTHS)
    write_xlsx(out, [sheet])


EXPORTERS = {"json": json_exporter(TASK_ID, SCHEMA_VERSION), "xlsx": _export_xlsx}
