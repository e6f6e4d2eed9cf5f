"""The 360° leadership diagnostic (start and end, several raters) and the Leadership Reflection (criterion 6.1.2)."""

from ...contract import TaskDeclaration
from . import export
from .charts import CHARTS
from .model import Figures, ThreeSixtyArtefact

TASK = TaskDeclaration(
    id="three-sixty",
    artefact=ThreeSixtyArtefact,
    check=export.check,
    exporters=export.EXPORTERS,
    view="npq_widgets.tasks.three_sixty.view:open_view",
    figures=Figures,
    charts=CHARTS,
    options=("role",),
)
