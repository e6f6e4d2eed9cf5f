"""Write the thin app notebooks (prose + one call), without outputs. Run after changing this file:

    .venv/bin/python scripts/make_notebooks.py
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1] / "notebooks"
KERNEL = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
          "language_info": {"name": "python"}}


def write(path: Path, cells) -> None:
    nb = new_notebook(cells=cells, metadata=KERNEL)
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"{path.stem[:40]}-{i}"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


def app(name: str, title: str, intro: str, call: str) -> None:
    """One code cell: a comment for JupyterLab readers (hidden under Voila, which strips sources) and one call.
    The app widget carries its own title and introduction, so Voila shows nothing twice."""
    comment = f"# {title} — {intro}\n# In JupyterLab: Run > Run All Cells, then use the app below."
    write(ROOT / "apps" / f"{name}.ipynb", [
        new_code_cell(f"{comment}\nfrom npq_widgets.apps import {call.split('(')[0]}\n\n{call}"),
    ])


START = """# NPQ Workbook — start here

This workbook goes with your National Professional Qualification (NPQ) in school leadership. Everything in it is
filled in with buttons, boxes and menus — you never need to write code.

## Apps

| App | What it is for | Criteria |
|---|---|---|
| [Which NPQ is for me?](apps/which-npq.ipynb) | Choose your role or responsibility and see the qualification for you, its hours and its assessment. | — |
| [My work](apps/my-work.ipynb) | See what is saved, download all your work as one file, or load such a file back. | — |
| [SMART objectives](apps/smart-objectives.ipynb) | Write SMART objectives with targeted development for a member of your team, and check them. | 6.1.1 |
| [SMART objectives — your own team](apps/smart-objectives-own-team.ipynb) | The same, for a colleague in your own school. | 6.1.1 |
| [Risk register](apps/risk-register.ipynb) | Find, score and mitigate the risks in a tutoring project, with a heat map, and check the register. | 5.1.3 |
| [Risk register — your own project](apps/risk-register-own-project.ipynb) | The same, for your own project. | 5.1.3 |
| [Project plan](apps/project-plan.ipynb) | Plan a tutoring project: tasks, dependencies, milestones and EEF stages, with a Gantt chart. | 5.1.2 |
| [Project plan — your own project](apps/project-plan-own-project.ipynb) | The same, for your own project. | 5.1.2 |
| [Pupil data analysis](apps/data-analysis.ipynb) | Analyse a school's pupil data, or upload your own: gaps, confidence intervals, significance, correlation, and your priorities. | 1.1.1, 1.1.2, 2.1.3 |
| [Project budget](apps/budget.ipynb) | Cost a tutoring project term by term — staffing with on-costs, cover, CPD, resources, contingency — against its funding, with a chart and an Excel download. | 5.1.1 |
| [Project budget — your own project](apps/budget-own-project.ipynb) | The same, for your own project. | 5.1.1 |
| [PD impact and cost-effectiveness](apps/pd-impact.ipynb) | Work out the effect size of a PD programme, read the EEF months and cost band, and plan its evaluation at Guskey's five levels. | 6.1.3 |
| [PD impact — your own programme](apps/pd-impact-own-programme.ipynb) | The same, for professional development in your own school. | 6.1.3 |

## Course modules

Three online courses of four modules each. Titles below are NPQSL's; each module shows the title your qualification
uses (NPQEL's Teaching module 3 is a different module). Each module has its learning outcomes mapped to the
assessment criteria, key ideas, a worked example, reading, reflections and a knowledge check, and embeds the
formative tasks that belong to it.
MODULES

Your progress — per module and per assessment criterion — is shown at the bottom of this page.

## Opening the apps

- **In JupyterLab**: open a notebook from the list on the left and choose *Run → Run All Cells*.
- **As an app** (what facilitators show at events): click a link above in the app gallery started with
  `./workbook start`, or open the notebook with *Voila* in JupyterLab.

## How your work is kept

- **Saved as you go.** Every task saves your work a moment after each change — there is no Save button. A line near
  the top of each task says when it was last saved. Open the task again (even after a restart) and your work is back.
- **Your own.** In JupyterLab the work is saved in your own folder. In the app gallery, each browser has its own
  saved work: other people using the same server cannot see or change it.
- **Keep a copy.** [My work](apps/my-work.ipynb) downloads everything as one file and loads it back — do this before
  closing a Binder tab (Binder sessions do not last) or to move to another computer. Loading a file never silently
  replaces newer work: you are asked what to keep.
- **Exports** (the *Download* buttons in each task) are spreadsheets for your provider and your school.
"""


def module_notebooks() -> str:
    """One notebook per course module; returns the markdown list of modules for the contents page."""
    from npq_widgets.course import COURSE_NAMES, module_ids, module_title
    from npq_widgets.catalogue.module_map import load_module_map

    lines = []
    current = None
    for mid in module_ids():
        m = load_module_map().get(mid)
        qual = "NPQEL-legacy" if "NPQSL-legacy" not in m.applies_to else "NPQSL-legacy"
        title = module_title(mid, qual)
        if m.course != current:
            current = m.course
            lines.append(f"\n**{COURSE_NAMES[m.course]}**\n")
        only = " (NPQEL)" if qual == "NPQEL-legacy" else ""
        lines.append(f"- [Module {m.number}: {title}{only}](modules/{mid}.ipynb)")
        write(ROOT / "modules" / f"{mid}.ipynb", [new_code_cell(
            f"# {COURSE_NAMES[m.course]}, module {m.number}. In JupyterLab: Run > Run All Cells.\n"
            f"from npq_widgets.apps import module\n\nmodule({mid!r})")])
    return "\n".join(lines)


def main() -> None:
    modules_md = module_notebooks()
    write(ROOT / "00_start_here.ipynb", [
        new_markdown_cell(START.replace("MODULES", modules_md)),
        new_code_cell("# Your progress: choose your qualification to see your modules, checks and evidence.\n"
                      "from npq_widgets.apps import contents\n\ncontents()"),
    ])
    app("which-npq", "Which NPQ is for me?",
        "Pick your role, or describe what you are responsible for, to see which National Professional "
        "Qualification fits, how its hours are spent and how it is assessed.",
        "which_npq()")
    app("my-work", "My work",
        "Everything you do is saved as you go. Download all your work as one file, or load such a file back.",
        "my_work()")
    app("smart-objectives", "SMART objectives for a team member",
        "Criterion 6.1.1: assess a colleague's performance methodically and set SMART objectives with targeted "
        "professional development. Read the brief, fill in the objectives, then press *Check my objectives*.",
        "smart_objectives()")
    app("smart-objectives-own-team", "SMART objectives — your own team",
        "The same task for a colleague in your own school: the checks are the same, without the scenario's "
        "priorities and dates.",
        "smart_objectives(free_build=True)")
    app("risk-register", "Risk register",
        "Criterion 5.1.3: identify and mitigate the risks in a project using a risk register. Read the brief, add "
        "the risks, score them, then press *Check my register*.",
        "risk_register()")
    app("risk-register-own-project", "Risk register — your own project",
        "The same task for your own project: give its dates, then add the risks.",
        "risk_register(free_build=True)")
    app("project-plan", "Project plan",
        "Criterion 5.1.2: define the steps to implement a plan using a project plan. Add tasks with dates and "
        "dependencies, then press *Check my plan*.",
        "project_plan()")
    app("project-plan-own-project", "Project plan — your own project",
        "The same task for your own project (at least two whole terms).",
        "project_plan(free_build=True)")
    app("data-analysis", "Pupil data analysis",
        "Criteria 1.1.1, 1.1.2 and 2.1.3: analyse pupil performance data — gaps between groups, confidence "
        "intervals, significance, correlation and causation — and write the priorities it supports. Pick a "
        "scenario or upload your own file, answer the questions, then press *Check my analysis*.",
        "data_analysis()")
    app("budget", "Project budget",
        "Criterion 5.1.1: analyse the financial and staffing implications of a plan over its whole lifetime, using "
        "a budget. Read the brief, add the cost and funding lines term by term, then press *Check my budget*.",
        "budget_builder()")
    app("budget-own-project", "Project budget — your own project",
        "The same task for your own project: give its dates (at least two whole terms), then its costs and funding.",
        "budget_builder(free_build=True)")
    app("pd-impact", "PD impact and cost-effectiveness",
        "Criterion 6.1.3: evaluate the impact and cost-effectiveness of professional development in terms of pupil "
        "outcomes. Work out the effect size, read the EEF tables, plan the evaluation, then press *Check my "
        "evaluation*.",
        "pd_impact()")
    app("pd-impact-own-programme", "PD impact — your own programme",
        "The same task for professional development in your own school.",
        "pd_impact(free_build=True)")


if __name__ == "__main__":
    main()
