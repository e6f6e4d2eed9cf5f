"""Project plan with a Gantt chart, terms and the critical path (criterion 5.1.2)."""

from ...contract import TaskDeclaration
from . import export
from .model import PlanArtefact

TASK = TaskDeclaration(
    id="project-plan",
    artefact=PlanArtefact,
    check=export.check,
    exporters=export.EXPORTERS,
    view="npq_widgets.tasks.project_plan.view:ProjectPlanBuilder",
    charts={"gantt": export.gantt},
)
