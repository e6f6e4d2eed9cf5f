"""Options appraisal for a business development strategy (NPQEL Task 1), presented to the governing board."""

from ...contract import TaskDeclaration
from . import export
from .model import OptionsArtefact, OptionsFigures

TASK = TaskDeclaration(
    id="options-appraisal",
    artefact=OptionsArtefact,
    check=export.check,
    exporters=export.EXPORTERS,
    view="npq_widgets.tasks.options_appraisal.view:OptionsAppraisalApp",
    figures=OptionsFigures,
    charts={"sensitivity": export.sensitivity_chart},
    outputs={"preferred": export.preferred},
)
