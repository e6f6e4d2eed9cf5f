"""Curriculum and staffing model for several schools with the DfE ICFP measures (NPQEL Task 2; criterion 5.1.1)."""

from ...contract import TaskDeclaration
from . import export
from .model import CurriculumArtefact, CurriculumFigures

TASK = TaskDeclaration(
    id="curriculum-model",
    artefact=CurriculumArtefact,
    check=export.check,
    exporters=export.EXPORTERS,
    view="npq_widgets.tasks.curriculum_model.view:CurriculumModelApp",
    figures=CurriculumFigures,
    charts={"staffing-by-school": export.staffing_chart},
    outputs={"measures": export.measures},
)
