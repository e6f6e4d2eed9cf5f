"""docs/contributing.md's "Add a task" steps, followed literally: the page's code blocks are written into a copy of
the repository, and the new task appears in ``npq-workbook tasks``, in the notebooks, on a module page and in the
progress map."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "contributing.md"
BLOCK = re.compile(r"^( *)```\w+ file=(\S+)\n(.*?)^\1```", re.MULTILINE | re.DOTALL)
TASK_ID, TITLE = "lesson-focus", "Lesson visit focus"


def documented_files() -> dict[str, str]:
    """path → source, for every code block of the page marked ``file=<path>``."""
    return {path: textwrap.dedent(body) for _indent, path, body in BLOCK.findall(DOC.read_text(encoding="utf-8"))}


def test_the_page_shows_every_file_of_a_task():
    files = documented_files()
    folder = "npq_widgets/tasks/lesson_focus/"
    assert {f"{folder}{name}" for name in ("model.py", "checks.py", "export.py", "view.py", "__init__.py")} \
        <= set(files)
    assert f"exercises/{TASK_ID}/task.yaml" in files
    assert "../" not in DOC.read_text(encoding="utf-8"), "the page points outside the repository"


@pytest.fixture(scope="module")
def copy_with_new_task(tmp_path_factory):
    """A copy of the repository with the documented task added (steps 1–7) and its notebooks made (step 8)."""
    root = tmp_path_factory.mktemp("repo")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "_shipped")
    shutil.copy2(REPO / "pyproject.toml", root / "pyproject.toml")
    for folder in ("npq_widgets", "exercises", "scripts"):
        shutil.copytree(REPO / folder, root / folder, ignore=ignore)
    for path, source in documented_files().items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source, encoding="utf-8")
    # step 7: the task joins the first module NPQML takes
    map_path = root / "npq_widgets" / "catalogue" / "data" / "module_map.yaml"
    data = yaml.safe_load(map_path.read_text(encoding="utf-8"))
    module = next(m for m in data["modules"] if "NPQML-legacy" in (m.get("applies_to") or ()))
    module["tasks"] = [*(module.get("tasks") or ()), TASK_ID]
    map_path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    home = root / "home"
    home.mkdir()
    env = dict(os.environ, PYTHONPATH=str(root), NPQ_WORKBOOK_HOME=str(home), MPLBACKEND="Agg")
    made = subprocess.run([sys.executable, "scripts/make_notebooks.py"], cwd=root, env=env, capture_output=True,
                          text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    return root, env, module["id"]


def _run(copy, *args: str) -> str:
    root, env, _ = copy
    done = subprocess.run([sys.executable, *args], cwd=root, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_the_copy_is_the_package_that_runs(copy_with_new_task):
    root = copy_with_new_task[0]
    out = _run(copy_with_new_task, "-c", "import npq_widgets; print(npq_widgets.__file__)")
    assert Path(out.strip()).resolve() == (root / "npq_widgets" / "__init__.py").resolve()


def test_the_new_task_is_listed_by_the_command_line(copy_with_new_task):
    out = _run(copy_with_new_task, "-m", "npq_widgets.cli", "tasks")
    assert f"{TASK_ID} — {TITLE}" in out
    assert "scenario y7-reading: A visit to a Year 7 reading lesson" in out
    assert "smart-objectives — " in out  # and the other tasks are still there


def test_the_new_task_has_its_notebook(copy_with_new_task):
    root = copy_with_new_task[0]
    notebook = (root / "notebooks" / "apps" / f"{TASK_ID}.ipynb").read_text(encoding="utf-8")
    assert f"task_app('{TASK_ID}')" in notebook
    assert f"apps/{TASK_ID}.ipynb" in (root / "notebooks" / "00_start_here.ipynb").read_text(encoding="utf-8")


PAGE_AND_PROGRESS = """
import sys
from npq_widgets.apps import contents, module, task_app
from npq_widgets.course import read_progress
from npq_widgets.store.workbook import Workbook

task_id, title, module_id = sys.argv[1:4]
page = module(module_id).page
assert task_id in [s.task_id for s in page.task_slots], page.task_slots
slot = page.task_slot(task_id)
assert slot in page.children and not slot.opened  # built when the learner opens it
slot.open_button.click()
assert getattr(slot.view, "task", None) is not None and slot.view.task.id == task_id

view = task_app(task_id)
assert view.check().items[0].message.startswith("Nothing to check yet: write what you will look for")
view.load(dict(view.task.scenario().model_answer))
assert view.check().passed_all

progress = {p.module: p for p in read_progress(Workbook.for_key(), "NPQML-legacy")}
assert [(t.task, t.status) for t in progress[module_id].tasks if t.task == task_id] == [(task_id, "pass")]
c = contents().page
c.qualification.value = "NPQML-legacy"
assert f"✔ {title}" in c.map.value, c.map.value
print("seen on the module page and in the progress map")
"""


def test_the_new_task_is_on_its_module_page_and_in_the_progress_map(copy_with_new_task):
    module_id = copy_with_new_task[2]
    out = _run(copy_with_new_task, "-c", PAGE_AND_PROGRESS, TASK_ID, TITLE, module_id)
    assert "seen on the module page and in the progress map" in out
