"""PD impact and cost-effectiveness: effect size, EEF months and cost band, Guskey's levels (6.1.3)."""

from ...contract import TaskDeclaration
from . import export
from .model import PdArtefact, EefFigures

TASK = TaskDeclaration(
    id="pd-impact",
    artefact=PdArtefact,
    check=export.check,
    exporters=export.EXPORTERS,
    view="npq_widgets.tasks.pd_impact.view:PdImpactApp",
    figures=EefFigures.from_dict,
)
