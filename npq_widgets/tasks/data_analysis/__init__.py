"""Pupil data analysis: gaps, intervals, significance, priorities (criteria 1.1.1, 1.1.2)."""

from ...contract import TaskDeclaration
from . import export
from .model import DataAnalysisArtefact

TASK = TaskDeclaration(
    id="data-analysis",
    artefact=DataAnalysisArtefact,
    check=export.check,
    exporters=export.EXPORTERS,
    view="npq_widgets.tasks.data_analysis.view:DataAnalysisApp",
    options=("own_data",),
)
