"""Pupil performance data (criterion 2.1.3): before/after evidence of the project's effect (issue 18)."""

from ...contract import TaskDeclaration
from . import export
from .model import PupilPerformanceArtefact, PupilPerformanceFigures

TASK = TaskDeclaration(
    id="pupil-performance",
    artefact=PupilPerformanceArtefact,
    check=export.check,
    exporters=export.EXPORTERS,
    view="npq_widgets.tasks.pupil_performance.view:PupilPerformanceView",
    figures=PupilPerformanceFigures,
    charts={"before-after": export.chart},
)
