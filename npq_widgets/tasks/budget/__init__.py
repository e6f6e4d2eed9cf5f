"""Project budget over the project's lifetime, term by term (criterion 5.1.1)."""

from ...contract import TaskDeclaration
from . import export
from .model import BudgetArtefact, BudgetFigures

TASK = TaskDeclaration(
    id="budget",
    artefact=BudgetArtefact,
    check=export.check,
    exporters=export.EXPORTERS,
    view="npq_widgets.tasks.budget.view:BudgetBuilder",
    figures=BudgetFigures,
    charts={"cost-by-term": export.cost_chart},
    outputs={"costs": export.costs},
    cohort=export.cohort,
)
