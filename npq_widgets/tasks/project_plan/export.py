"""Task ``project-plan``: a project plan with dependencies, EEF stages and a Gantt chart (5.1.2)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from ...contract import task_criteria
from .checks import TITLE, check_plan
from ...domain.lifetime import TermCalendar
from .model import SCHEMA_VERSION, critical_path, read_project_plan
from ...store.export import export_header, json_exporter
from ...store.xlsx import DATE, Cell, Formula, Picture, Sheet, header_sheet, write_xlsx
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
    plan = read_project_plan(artefact)
    calendar = calendar_for(scenario)
    path = critical_path(plan, calendar)
    floats = (path.floats if path else None) or {}
    critical = set(path.ids) if path else set()
    header = export_header(artefact, TITLE + (f" — {scenario.title}" if scenario else ""), task_criteria(TASK_ID))
    life = plan.lifetime(calendar)
    if life:
        header.append(("Project lifetime", life.describe()))
    if path:
        header.append(("Critical path", " → ".join(path.ids) + f" ({path.days} days)"))
    sheet = header_sheet("Plan", header)
    rows = [[t.id, t.name, t.owner, t.stage.capitalize(), t.start, t.end,
             Formula('=IF(OR(E{row}="",F{row}=""),"",F{row}-E{row}+1)'), ", ".join(t.depends_on),
             "Yes" if t.milestone else "No", "Yes" if t.id in critical else "No", floats.get(t.id)]
            for t in plan.tasks]
    first, last = sheet.table(COLUMNS, rows, formats={5: DATE, 6: DATE}, freeze_col=3)
    if plan.tasks:
        sheet.skip()
        r = sheet.line(Cell("Project", bold=True), Cell(Formula(f"=MIN(E{first}:E{last})"), fmt=DATE),
                       Cell(Formula(f"=MAX(F{first}:F{last})"), fmt=DATE), col=4)
        sheet.set(r, 7, Formula(f"=F{r}-E{r}+1"))
    sheet.set_widths(WIDTHS)

    gantt_sheet = Sheet("Gantt")
    gantt_sheet.line(Cell("Gantt chart: terms shaded, critical path outlined and hatched, milestones as diamonds.",
                          bold=True))
    gantt_sheet.pictures.append(Picture(figure_png(gantt_figure(plan, calendar), dpi=80), "A3"))
    write_xlsx(out, [sheet, gantt_sheet])


def gantt(artefact: Mapping[str, Any], scenario: Any):
    """The plan's Gantt chart, for exports and the portfolio."""
    return gantt_figure(read_project_plan(artefact), calendar_for(scenario))


EXPORTERS = {"json": json_exporter(TASK_ID, SCHEMA_VERSION), "xlsx": _export_xlsx}
