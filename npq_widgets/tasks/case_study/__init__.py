"""The reformed NPQs' summative case study, practised: a response workspace with practice case studies (seed 004)."""

from ...contract import TaskDeclaration
from . import export
from .model import CaseStudyArtefact, CaseStudyFigures

TASK = TaskDeclaration(
    id="case-study",
    artefact=CaseStudyArtefact,
    check=export.check,
    exporters=export.EXPORTERS,
    view="npq_widgets.tasks.case_study.view:CaseStudyView",
    figures=CaseStudyFigures,
    options=("facilitator", "timed_minutes"),
)
