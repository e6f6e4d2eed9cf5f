"""One call per app: what the notebooks import. Each returns a ready widget (the notebook's last expression)."""

from __future__ import annotations


def whose_line(view, here: str):
    """Add the one line that says whose workbook the page shows (with a link to My work) to ``view``'s save-status
    slot, or at its top. ``here``: the page's notebook, relative to the notebooks folder. Returns ``view``."""
    import ipywidgets as w

    from .widgets.autosave import whose_workbook_html
    from .widgets.links import notebook_href

    line = w.HTML(whose_workbook_html(my_work_href=notebook_href("apps/my-work.ipynb", here)))
    line.add_class("npq-whose-line")
    slot = getattr(view, "save_status", None)
    if isinstance(slot, w.Box):
        slot.children = (*slot.children, line)
    else:
        view.children = (line, *view.children)
    return view


def task_app(task_id: str, scenario: str | None = None, *, free_build: bool = False, model_answer: bool = False,
             **options):
    """An app page for a task (see :func:`task_view`), with the line that says whose workbook it shows. On a server
    started with ``npq-workbook run --facilitator`` the page is the task with the facilitator bar
    (:class:`~npq_widgets.widgets.facilitator.FacilitatorApp`); ``model_answer=True`` then opens with the model
    answer shown beside the live view. Anywhere else ``model_answer=True`` is refused: the page opens the scenario
    for the candidate's own work, with one line saying why no model answer is shown."""
    from .hosting import facilitator_mode

    if facilitator_mode():
        return facilitator_app(task_id, scenario, free_build=free_build, model_answer=model_answer, **options)
    view = task_view(task_id, scenario, free_build=free_build, model_answer=model_answer, **options)
    if getattr(view, "autosave", None) is None:  # a rater's form: no saved work to speak of
        return view
    return whose_line(view, "apps/task.ipynb")


def facilitator_app(task_id: str, scenario: str | None = None, *, free_build: bool = False,
                    model_answer: bool = False, **options):
    """The task with the facilitator bar (only ever called in facilitator mode, by :func:`task_app`)."""
    from .registry import get_task
    from .widgets.facilitator import FacilitatorApp

    task = get_task(task_id)

    def live(sc):
        view = task_view(task_id, sc.id if sc is not None else None, free_build=sc is None, **options)
        return view if getattr(view, "autosave", None) is None else whose_line(view, "apps/task.ipynb")

    first = None if free_build else task.scenario(scenario)
    view = live(first)
    if getattr(view, "keeps_no_work", False):  # a rater's or collator's form: nothing of a scenario to show
        return view
    app = FacilitatorApp(task, first, build_live=live, build_plain=lambda sc: _plain_view(task, sc, options),
                         view=view)
    if model_answer and first is not None and first.model_answer:
        app.toggle_model_answer()
    return app


def model_answer_view(task_id: str, scenario: str | None = None, **options):
    """A task's view holding a scenario's model answer, bound to no saved work: what the facilitator bar shows beside
    the live view, and what scripts (screenshots) and tests open. No notebook calls it."""
    from .registry import get_task

    task = get_task(task_id)
    view = _plain_view(task, task.scenario(scenario), options)
    view.show_model_answer()
    return view


def _plain_view(task, scenario_obj, options: dict):
    """A task's view on a scenario (None: free build), not bound to any saved work."""
    from .registry import context_for, view_class

    view = view_class(task)(task, scenario_obj, **options)
    view.context = context_for(view)
    view.context.engagement_html = engagement_view
    view.context.evidence_reader = workbook_evidence
    return view


def task_view(task_id: str, scenario: str | None = None, *, free_build: bool = False, model_answer: bool = False,
              workbook=None, **options):
    """Any registered task as an app: on a scenario (the first unless named), or ``free_build=True`` for the
    candidate's own school, team or project. The view is saved as the candidate's work (``<task>--<scenario|free>``,
    or what the view's ``saved_as`` makes of that name). ``model_answer=True`` opens a view with the model answer that
    is never saved over anyone's work — in facilitator mode only: elsewhere the model answer is refused, the view is
    the candidate's own on that scenario, and a line says so. ``options`` are the task's own (its declaration lists
    them, e.g. ``own_data`` for data analysis). ``workbook``: the learner's workbook when it is already known (a
    module page's task opened by the learner); otherwise autosave finds it (in room mode, from the browser's key)."""
    import ipywidgets as w

    from .contract import doc_id
    from .hosting import facilitator_mode
    from .registry import TaskError, get_task
    from .widgets.autosave import autosave
    from .widgets.facilitator import refused_model_answer_html

    task = get_task(task_id)
    unknown = sorted(set(options) - set(task.declaration.options))
    if unknown:
        raise TaskError(f"The task '{task_id}' has no option {', '.join(unknown)}.")
    scenario_obj = None if free_build else task.scenario(scenario)
    view = _plain_view(task, scenario_obj, options)
    if model_answer and scenario_obj is not None:
        if facilitator_mode():
            view.show_model_answer()
            return view
        refused = w.HTML(refused_model_answer_html())
        view.children = (refused, *view.children)
    if getattr(view, "keeps_no_work", False):  # e.g. a 360° rater's form: what it makes is the file it downloads
        return view
    default = doc_id(task.id, scenario_obj)
    saved_as = getattr(view, "saved_as", None)
    autosave(view, saved_as(default) if callable(saved_as) else default, workbook=workbook)
    return view


def engagement_view(workbook) -> str:
    """The reformed route's engagement against the 90% needed to enter the case study (the contents page's view),
    for the qualification the candidate chose — or, if that is a legacy one, for the reformed NPQ of the same code."""
    from .catalogue import load_catalogue
    from .course import chosen_qualification, read_progress
    from .pages.contents import engagement_html

    cat = load_catalogue()
    qid = chosen_qualification(workbook)
    q = cat.get(qid)
    if q.route != "reformed":
        same = [r for r in cat.qualifications if r.route == "reformed" and r.code == q.code]
        q = same[0] if same else next(r for r in cat.qualifications if r.route == "reformed")
    return engagement_html(read_progress(workbook, q.id), q.id)


def workbook_evidence(workbook):
    """The learner's workbook as evidence: every registered task with the criteria it names and its best check status
    (the store's ``check--<doc>`` records), and every module of the chosen qualification with the criteria the module
    map links to it and the reflections written (course progress)."""
    from .catalogue.module_map import load_module_map
    from .contract import ModuleEvidence, TaskEvidence, WorkbookEvidence
    from .course import chosen_qualification, read_progress, task_statuses
    from .registry import all_tasks

    statuses = task_statuses(workbook)
    tasks = tuple(TaskEvidence(t.id, t.title, t.criteria, statuses.get(t.id)) for t in all_tasks())
    mapping = load_module_map()
    modules = tuple(ModuleEvidence(m.module, m.title, tuple(mapping.get(m.module).criteria), m.reflections_written,
                                   m.reflections_total, m.quiz_passed)
                    for m in read_progress(workbook, chosen_qualification(workbook)))
    return WorkbookEvidence(tasks, modules)


def which_npq():
    """"Which NPQ is for me?" — role or responsibility → recommended qualification(s), hours and assessment.
    The choice is saved work too: it comes back after a restart."""
    from .widgets.autosave import autosave
    from .pages.which_npq import DOC_TYPE, WhichNPQ

    view = WhichNPQ()
    autosave(view, DOC_TYPE)
    return whose_line(view, "apps/which-npq.ipynb")


def my_work():
    """Download the whole workbook as one file, or load such a file back."""
    from .pages.my_work import MyWork

    return whose_line(MyWork(), "apps/my-work.ipynb")


def portfolio():
    """Download portfolio: the contents sheet and every supporting document in one .xlsx (formulas kept), and the
    project account with its annexes as .docx and a printable page."""
    from .pages.portfolio import PortfolioPage

    def build(workbook):
        page = PortfolioPage(workbook)
        page.widget.portfolio = page
        return page.widget

    return _lazy_page(build, "npq-portfolio-page", "apps/portfolio.ipynb")


def cohort():
    """For facilitators: the room from candidates' downloaded workbook files, its exports, and feedback files."""
    from .pages.cohort import CohortView

    return CohortView()


def feedback():
    """For candidates: load a facilitator's feedback file and see each comment with its task."""
    from .pages.cohort import FeedbackPage

    return FeedbackPage()


def gallery():
    """The app gallery: every app and module as a card, grouped as the course is, with a search box."""
    from .pages.gallery import Gallery

    return Gallery()


# -- the course ---------------------------------------------------------------------------------------------------
def _lazy_page(build, css: str, here: str):
    """A container filled once the learner's workbook is known (at once in JupyterLab; under Voila when the
    browser has sent its workbook key)."""
    import ipywidgets as w

    from .widgets.autosave import connect_workbook
    from .widgets.common import style

    box = w.VBox([style(), w.HTML('<p class="npq-help">Opening your workbook…</p>')])
    box.add_class(css)
    whose = whose_line(w.VBox(), here)

    def ready(workbook):
        page = build(workbook)
        box.children = (whose, page)
        box.page = page

    connect_workbook(box, ready)
    return box


def module(module_id: str):
    """A course module: content, reflections and knowledge check (saved), and its formative tasks."""
    from .course import chosen_qualification, load_module, module_doc, task_statuses
    from .registry import get_task, task_ids
    from .widgets.autosave import autosave
    from .pages.module import ModulePage, ModuleTask

    mapping = load_module(module_id).mapping

    def build(workbook):
        qualification = chosen_qualification(workbook)
        statuses = task_statuses(workbook)

        def opener(task_id):
            # the task's view with its saved work in this learner's workbook, built when the learner opens it
            return lambda: task_view(task_id, workbook=workbook)

        # every registered task the module map names; a task not built yet simply has no slot
        tasks = [ModuleTask(t, get_task(t).title, opener(t), statuses.get(t))
                 for t in mapping.tasks if t in task_ids()]
        page = ModulePage(module_id, qualification, tasks)
        autosave(page, module_doc(module_id), workbook=workbook)
        return page

    return _lazy_page(build, "npq-module-page", f"modules/{module_id}.ipynb")


def contents():
    """The contents page: choose your qualification, see your progress per module and per criterion."""
    from .course import PROFILE_DOC
    from .widgets.autosave import autosave
    from .pages.contents import ContentsPage

    def build(workbook):
        page = ContentsPage(workbook)
        autosave(page, PROFILE_DOC, workbook=workbook)
        return page

    return _lazy_page(build, "npq-contents-page", "00_start_here.ipynb")
