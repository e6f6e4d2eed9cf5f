"""Task ``project-plan``: a project plan with dependencies, EEF stages and a Gantt chart (5.1.2)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from ...contract import task_criteria
from .checks import TITLE, check_plan
from ...domain.lifetime import TermCalendar
from .model import SCHEMA_VERSION, critical_path, read_project_plan
from ...store.export import export_header, json_exporter
from ...store.files import atomic_write_bytes
from ...plotting import figure_png
from .charts import gantt_figure

TASK_ID = "project-plan"
COLUMNS = ("ID", "Task", "Owner", "EEF stage", "Start", "End", "Days", "Depends on", "Milestone", "Critical path",
           "Float (working days)")
WIDTHS = (7, 48, 24, 11, 12, 12, 7, 16, 10, 12, 12)


def check(artefact: Mapping[str, Any], scenario: Any, attempt: int = 1, figures: Any = None):
    return check_plan(artefact, scenario.data if scenario is not None else None, attempt=attempt)


def calendar_for(scenario: Any) -> TermCalendar | None:
    terms = scenario.data.get("terms") if scenario is not None else None
    return TermCalendar.from_records(terms) if terms else None


def _export_xlsx(artefact: Mapping[str, Any], scenario: Any, out: Path) -> None:
    """'Plan' sheet with real dates (Days = End − Start + 1 as a live formula) and a 'Gantt' sheet with the chart."""
    import io

    from openpyxl import Workbook
    from openpyxl.drawing.image import Image
    from openpyxl.styles import Alignment, Font, PatternFill

    plan = read_project_plan(artefact)
    calendar = calendar_for(scenario)
    path = critical_path(plan, calendar)
    floats = (path.floats if path else None) or {}
    critical = set(path.ids) if path else set()
    wb = Workbook()
    ws = wb.active
    ws.title = "Plan"
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    header = export_header(artefact, TITLE + (f" — {scenario.title}" if scenario else ""), task_criteria(TASK_ID))
    life = plan.lifetime(calendar)
    if life:
        header.append(("Project lifetime", life.describe()))
    if path:
        header.append(("Critical path", " → ".join(path.ids) + f" ({path.days} days)"))
    for r, (label, value) in enumerate(header, start=1):
        ws.cell(row=r, column=1, value=label).font = bold
        ws.cell(row=r, column=2, value=value)
    top = len(header) + 2
    fill = PatternFill("solid", fgColor="DDE7F0")
    for c, name in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=top, column=c, value=name)
        cell.font, cell.fill, cell.alignment = bold, fill, wrap
    for i, t in enumerate(plan.tasks):
        r = top + 1 + i
        values = [t.id, t.name, t.owner, t.stage.capitalize(), t.start, t.end,
                  f'=IF(OR(E{r}="",F{r}=""),"",F{r}-E{r}+1)', ", ".join(t.depends_on),
                  "Yes" if t.milestone else "No", "Yes" if t.id in critical else "No", floats.get(t.id)]
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            cell.alignment = wrap
            if c in (5, 6) and value is not None:
                cell.number_format = "DD/MM/YYYY"
    if plan.tasks:
        r = top + len(plan.tasks) + 2
        first, last = top + 1, top + len(plan.tasks)
        ws.cell(row=r, column=4, value="Project").font = bold
        ws.cell(row=r, column=5, value=f"=MIN(E{first}:E{last})").number_format = "DD/MM/YYYY"
        ws.cell(row=r, column=6, value=f"=MAX(F{first}:F{last})").number_format = "DD/MM/YYYY"
        ws.cell(row=r, column=7, value=f"=F{r}-E{r}+1")
    for c, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[ws.cell(row=1, column=c).column_letter].width = width
    ws.freeze_panes = ws.cell(row=top + 1, column=3)

    gantt = wb.create_sheet("Gantt")
    gantt["A1"] = "Gantt chart: terms shaded, critical path outlined and hatched, milestones as diamonds."
    gantt["A1"].font = bold
    image = Image(io.BytesIO(figure_png(gantt_figure(plan, calendar), dpi=80)))
    gantt.add_image(image, "A3")
    buf = io.BytesIO()
    wb.save(buf)
    atomic_write_bytes(out, buf.getvalue())


def gantt(artefact: Mapping[str, Any], scenario: Any):
    """The plan's Gantt chart, for exports and the portfolio."""
    return gantt_figure(read_project_plan(artefact), calendar_for(scenario))


EXPORTERS = {"json": json_exporter(TASK_ID, SCHEMA_VERSION), "xlsx": _export_xlsx}
