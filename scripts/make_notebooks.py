"""Write the thin app notebooks (prose + one call), without outputs. Run after changing this file:

    .venv/bin/python scripts/make_notebooks.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1] / "notebooks"
sys.path.insert(0, str(ROOT.parent))
# The metadata JupyterLab writes when it opens a notebook (so it does not open as changed), and the marker of the
# workbook's own notebooks, whose outputs the pre-save hook strips (npq_widgets/server/lab.py).
from npq_widgets.server.lab import NOTEBOOK_METADATA as KERNEL  # noqa: E402

# At the top of every notebook: JupyterLab asks "Save changes?" on closing a notebook, although the work is saved.
# Hidden under Voila (the apps' stylesheet hides .npq-lab-note there), where nobody is asked.
SAVES_ITSELF = (
    '<div class="npq-lab-note"><strong>Your work saves itself.</strong> Everything you type or choose below is saved '
    "as you go, so you never need to save this notebook file. If JupyterLab asks <em>Save changes?</em> when you "
    "close this tab, <em>Discard</em> is safe: none of your work is lost.</div>"
)


def write(path: Path, cells) -> None:
    nb = new_notebook(cells=[new_markdown_cell(SAVES_ITSELF), *cells], metadata=json.loads(json.dumps(KERNEL)))
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


def task_apps() -> str:
    """Every registered task's app notebooks, as its task.yaml lists them; returns the contents page's table rows."""
    from npq_widgets.registry import all_tasks, task_spec

    rows = []
    for task in all_tasks():
        for entry in task_spec(task.id).get("apps", ()):
            free = bool(entry.get("free_build"))
            extra = ", model_answer=True" if entry.get("model_answer") else ""
            extra += "".join(f", {k}={v!r}" for k, v in (entry.get("options") or {}).items())
            call = f"task_app({task.id!r}{', free_build=True' if free else ''}{extra})"
            app(entry["notebook"], entry["title"], entry["intro"], call)
            rows.append(f"| [{entry['title']}](apps/{entry['notebook']}.ipynb) | {entry['card']} | "
                        f"{', '.join(task.criteria)} |")
    return "\n".join(rows)


START = """# NPQ Workbook — start here

This workbook goes with your National Professional Qualification (NPQ) in school leadership. Everything in it is
filled in with buttons, boxes and menus — you never need to write code.

## Apps

| App | What it is for | Criteria |
|---|---|---|
| [Which NPQ is for me?](apps/which-npq.ipynb) | Choose your role or responsibility and see the qualification for you, its hours and its assessment. | — |
| [My work](apps/my-work.ipynb) | See what is saved, download all your work as one file, or load such a file back. | — |
| [Download portfolio](apps/portfolio.ipynb) | Your project account and supporting documents in one spreadsheet (formulas kept) and one document, with a contents sheet. | 1.1.1–6.1.3 |
| [Feedback](apps/feedback.ipynb) | Load the feedback file your facilitator sent you and see each comment with its task. | — |
| [The room](apps/cohort.ipynb) | For facilitators: load candidates' workbook files, see the room, export it, write feedback. | — |
TASK_ROWS

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
- **One workbook, yours.** On your own computer, on Binder and on your school's JupyterHub, JupyterLab, the app
  gallery and every app show the same saved work: move between them freely. Only on a laptop shared at an event
  (started with `npq-workbook run --room`) does each browser have its own saved work, which nobody else using that
  laptop can see or change: download it from My work before you leave.
- **No need to save the notebook.** Your work is not kept in the notebook file. If JupyterLab asks *Save changes?*
  when you close a notebook, *Discard* is safe.
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
    task_rows = task_apps()
    write(ROOT / "00_start_here.ipynb", [
        new_markdown_cell(START.replace("MODULES", modules_md).replace("TASK_ROWS", task_rows)),
        new_code_cell("# Your progress: choose your qualification to see your modules, checks and evidence.\n"
                      "from npq_widgets.apps import contents\n\ncontents()"),
    ])
    write(ROOT / "gallery.ipynb", [new_code_cell(
        "# The app gallery: every app and module as a card (what `npq-workbook run` opens).\n"
        "from npq_widgets.apps import gallery\n\ngallery()")])
    app("which-npq", "Which NPQ is for me?",
        "Pick your role, or describe what you are responsible for, to see which National Professional "
        "Qualification fits, how its hours are spent and how it is assessed.",
        "which_npq()")
    app("portfolio", "Download portfolio",
        "One .xlsx with a contents sheet and every supporting document, and the account with annexes as .docx.",
        "portfolio()")
    app("my-work", "My work",
        "Everything you do is saved as you go. Download all your work as one file, or load such a file back.",
        "my_work()")
    app("feedback", "Feedback",
        "Load the feedback file your facilitator sent you: each comment is kept with the task it is about.",
        "feedback()")
    app("cohort", "The room (for facilitators)",
        "Load your candidates' downloaded workbook files to see the room, export it, and send each candidate "
        "feedback.", "cohort()")


if __name__ == "__main__":
    main()
