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
| [SMART objectives](apps/smart-objectives.ipynb) | Write SMART objectives with targeted development for a member of your team, and check them. | 6.1.1 |
| [SMART objectives — your own team](apps/smart-objectives-own-team.ipynb) | The same, for a colleague in your own school. | 6.1.1 |

The course modules (Strategy & Improvement, Teaching & Curriculum Excellence, Managing Resources & Risk) and the
other formative tasks — pupil data analysis, budget, risk register, project plan, PD impact — join this page as they
are added.

## Opening the apps

- **In JupyterLab**: open a notebook from the list on the left and choose *Run → Run All Cells*.
- **As an app** (what facilitators show at events): click a link above in the app gallery started with
  `./workbook start`, or open the notebook with *Voila* in JupyterLab.

## How your work is kept

Work you export (the *Download* buttons) is yours to keep and send to your provider. The workbook keeps its own saved
work in the folder named by `NPQ_WORKBOOK_HOME` (by default `.npq-workbook` in your home folder). On a Binder link,
download your work before you close the tab: Binder sessions do not last.
"""


def main() -> None:
    write(ROOT / "00_start_here.ipynb", [new_markdown_cell(START)])
    app("which-npq", "Which NPQ is for me?",
        "Pick your role, or describe what you are responsible for, to see which National Professional "
        "Qualification fits, how its hours are spent and how it is assessed.",
        "which_npq()")
    app("smart-objectives", "SMART objectives for a team member",
        "Criterion 6.1.1: assess a colleague's performance methodically and set SMART objectives with targeted "
        "professional development. Read the brief, fill in the objectives, then press *Check my objectives*.",
        "smart_objectives()")
    app("smart-objectives-own-team", "SMART objectives — your own team",
        "The same task for a colleague in your own school: the checks are the same, without the scenario's "
        "priorities and dates.",
        "smart_objectives(free_build=True)")


if __name__ == "__main__":
    main()
