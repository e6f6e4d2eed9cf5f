"""The legacy NPQs' written project account (NPQML 4,500 words, NPQSL 5,000; NPQEL Task 1 and Task 2), with its
evidence map and timeline (issue 18)."""

from ...contract import TaskDeclaration
from . import export
from .model import ProjectAccountArtefact, ProjectAccountFigures

TASK = TaskDeclaration(
    id="project-account",
    artefact=ProjectAccountArtefact,
    check=export.check,
    exporters=export.EXPORTERS,
    view="npq_widgets.tasks.project_account.view:open_view",
    figures=ProjectAccountFigures,
    outputs={"account": export.account},
    options=("role",),
)
