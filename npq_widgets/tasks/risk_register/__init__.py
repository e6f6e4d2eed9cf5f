"""Risk register with a 5×5 heat map (criterion 5.1.3)."""

from ...contract import TaskDeclaration
from . import export
from .model import RiskArtefact

TASK = TaskDeclaration(
    id="risk-register",
    artefact=RiskArtefact,
    check=export.check,
    exporters=export.EXPORTERS,
    view="npq_widgets.tasks.risk_register.view:RiskRegisterBuilder",
    charts={"heat-map": export.heat_map},
    cohort=export.cohort,
)
