"""SMART objectives for a team member (criterion 6.1.1)."""

from ...contract import TaskDeclaration
from . import export
from .model import SmartArtefact

TASK = TaskDeclaration(
    id="smart-objectives",
    artefact=SmartArtefact,
    check=export.check,
    exporters=export.EXPORTERS,
    view="npq_widgets.tasks.smart_objectives.view:SmartObjectivesBuilder",
)
