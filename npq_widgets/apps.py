"""One call per app: what the notebooks import. Each returns a ready widget (the notebook's last expression)."""

from __future__ import annotations


def _saved(view, task_id: str):
    """Autosave a task view as the document ``<task>--<scenario id or 'free'>``."""
    from .views.autosave import autosave

    scenario = getattr(view, "scenario", None)
    autosave(view, f"{task_id}--{scenario.id if scenario is not None else 'free'}")
    return view


def _task_app(task_id: str, view_class, scenario: str | None, free_build: bool, model_answer: bool = False):
    """A task builder on a scenario (or free build for the candidate's own work), saved as the candidate's work —
    except a facilitator's model-answer view, which is never saved over anyone's work."""
    from .registry import get_task

    task = get_task(task_id)
    view = view_class(task, None if free_build else task.scenario(scenario))
    if model_answer and not free_build:
        view.show_model_answer()
        return view
    return _saved(view, task.id)


def which_npq():
    """"Which NPQ is for me?" — role or responsibility → recommended qualification(s), hours and assessment.
    The choice is saved work too: it comes back after a restart."""
    from .views.autosave import autosave
    from .views.which_npq import DOC_TYPE, WhichNPQ

    view = WhichNPQ()
    autosave(view, DOC_TYPE)
    return view


def smart_objectives(scenario: str | None = None, *, free_build: bool = False):
    """SMART objectives for a team member (6.1.1). ``free_build=True`` is for the candidate's own team."""
    from .views.smart_objectives import SmartObjectivesBuilder

    return _task_app("smart-objectives", SmartObjectivesBuilder, scenario, free_build)


def my_work():
    """Download the whole workbook as one file, or load such a file back."""
    from .views.my_work import MyWork

    return MyWork()


def risk_register(scenario: str | None = None, *, free_build: bool = False, model_answer: bool = False):
    """Risk register (5.1.3) with a 5×5 heat map. ``free_build=True``: the candidate's own project.
    ``model_answer=True`` (facilitators) opens with the scenario's model answer filled in."""
    from .views.risk_register import RiskRegisterBuilder

    return _task_app("risk-register", RiskRegisterBuilder, scenario, free_build, model_answer)


def project_plan(scenario: str | None = None, *, free_build: bool = False, model_answer: bool = False):
    """Project plan (5.1.2) with a Gantt chart: terms shaded, milestones, critical path.
    ``model_answer=True`` (facilitators) opens with the scenario's model answer filled in."""
    from .views.project_plan import ProjectPlanBuilder

    return _task_app("project-plan", ProjectPlanBuilder, scenario, free_build, model_answer)


def data_analysis(scenario: str | None = None, *, own_data: bool = False):
    """Pupil data analysis (1.1.1 raw data analysis, 1.1.2, 2.1.3): a scenario's data or the candidate's own file."""
    from .registry import get_task
    from .views.data_analysis import DataAnalysisApp

    task = get_task("data-analysis")
    view = DataAnalysisApp(task, task.scenario(scenario))
    if own_data:
        view.source.value = "__own__"
    return _saved(view, task.id)


def budget_builder(scenario: str | None = None, *, free_build: bool = False, model_answer: bool = False):
    """Project budget (5.1.1) over the project's whole lifetime, term by term, with live totals and a chart.
    ``free_build=True``: the candidate's own project. ``model_answer=True`` (facilitators) opens with the scenario's
    model answer filled in (and is not saved as the candidate's work)."""
    from .views.budget import BudgetBuilder

    return _task_app("budget", BudgetBuilder, scenario, free_build, model_answer)


def pd_impact(scenario: str | None = None, *, free_build: bool = False, model_answer: bool = False):
    """PD impact and cost-effectiveness (6.1.3): effect size, EEF months and cost band, Guskey evaluation plan.
    ``free_build=True``: the candidate's own PD programme. ``model_answer=True`` (facilitators): the model answer."""
    from .views.pd_impact import PdImpactApp

    return _task_app("pd-impact", PdImpactApp, scenario, free_build, model_answer)


# -- the course ---------------------------------------------------------------------------------------------------
# task id -> the app function that shows it inside a module (tasks not built yet simply have no slot)
_TASK_APPS = {"smart-objectives": "smart_objectives", "data-analysis": "data_analysis", "budget": "budget_builder",
              "pd-impact": "pd_impact", "risk-register": "risk_register", "project-plan": "project_plan"}


def _lazy_page(build, css: str):
    """A container filled once the learner's workbook is known (at once in JupyterLab; under Voila when the
    browser has sent its workbook key)."""
    import ipywidgets as w

    from .views.autosave import connect_workbook
    from .views.common import style

    box = w.VBox([style(), w.HTML('<p class="npq-help">Opening your workbook…</p>')])
    box.add_class(css)

    def ready(workbook):
        page = build(workbook)
        box.children = (page,)
        box.page = page

    connect_workbook(box, ready)
    return box


def module(module_id: str):
    """A course module: content, reflections and knowledge check (saved), and its formative tasks."""
    from .course import chosen_qualification, load_module, module_doc
    from .registry import task_ids
    from .views.autosave import autosave
    from .views.module import ModulePage

    mapping = load_module(module_id).mapping
    current = globals()

    def build(workbook):
        qualification = chosen_qualification(workbook)
        task_views = [(t, current[_TASK_APPS[t]]()) for t in mapping.tasks
                      if t in task_ids() and _TASK_APPS.get(t) in current]
        page = ModulePage(module_id, qualification, task_views)
        autosave(page, module_doc(module_id), workbook=workbook)
        return page

    return _lazy_page(build, "npq-module-page")


def contents():
    """The contents page: choose your qualification, see your progress per module and per criterion."""
    from .course import PROFILE_DOC
    from .views.autosave import autosave
    from .views.contents import ContentsPage

    def build(workbook):
        page = ContentsPage(workbook)
        autosave(page, PROFILE_DOC, workbook=workbook)
        return page

    return _lazy_page(build, "npq-contents-page")
