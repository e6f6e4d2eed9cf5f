"""Imports run one way only; notebooks are committed without outputs and stay thin.

The package's layers, lowest first (a module may import only from its own layer or lower ones)::

    paths → catalogue → domain → checks → store → plotting → contract → widgets → tasks → registry → course
          → cohort → pages → apps → server → cli

Inside ``tasks/`` each task is a folder, with its own order: model → checks → charts → export → view, and the
declaration (``__init__``) on top, naming its view only as a string. A task never imports another task (what it needs from one it asks of its
:class:`~npq_widgets.contract.TaskContext`); nothing imports a task's view except by the registry's string path; and
foundations (everything below ``tasks``) never import a task. Imports written as strings (``importlib.import_module``
and the ``"module:Class"`` view paths of the declarations) are followed too.
"""

import ast
import json
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "npq_widgets"
NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
ORDER = ["paths", "hosting", "catalogue", "domain", "checks", "store", "plotting", "contract", "widgets", "tasks",
         "registry", "course", "cohort", "pages", "apps", "server", "voila_page", "cli"]
TASK_RANK = {"model": 0, "checks": 1, "charts": 2, "export": 3, "view": 4, "__init__": 5}


def layer_of(module: str) -> int | None:
    parts = module.split(".")
    if parts[0] != "npq_widgets" or len(parts) < 2:
        return None
    return ORDER.index(parts[1]) if parts[1] in ORDER else None


def _string_imports(tree: ast.AST) -> list[str]:
    """Module names written as strings: ``import_module("npq_widgets.x")`` and ``"npq_widgets.x:Class"``."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("npq_widgets."):
            name = node.value.split(":")[0]
            if all(part.isidentifier() for part in name.split(".")):
                found.append(name)
    return found


def imports_of(path: Path) -> list[str]:
    rel = path.relative_to(PKG.parent).with_suffix("")
    package = list(rel.parts[:-1])
    if rel.name == "__init__":
        package = list(rel.parts[:-1])
    tree = ast.parse(path.read_text())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
                found += [mod] if node.module else [f"{mod}.{a.name}" for a in node.names]
            elif node.module:
                found.append(node.module)
                found += [f"{node.module}.{a.name}" for a in node.names]
    return found + _string_imports(tree)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PKG.parent).with_suffix("").parts)
    return ".".join(parts)


MODULES = sorted(p for p in PKG.rglob("*.py") if p.name != "__init__.py" or p.parent != PKG)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PKG)))
def test_no_import_runs_upward(path):
    own = layer_of(module_name(path))
    if own is None:
        return
    imports = [m for m in imports_of(path) if layer_of(m) is not None]
    upward = [m for m in imports if layer_of(m) > own]
    if ORDER[own] == "registry":  # the registry finds the tasks; only it may name a view (as a string)
        upward = [m for m in upward if ORDER[layer_of(m)] != "tasks"]
    assert not upward, f"{path.relative_to(PKG)} imports from a higher layer: {upward}"


def _task_part(module: str) -> tuple[str, str] | None:
    """('budget', 'view') for npq_widgets.tasks.budget.view; None outside a task folder."""
    parts = module.split(".")
    if len(parts) >= 3 and parts[:2] == ["npq_widgets", "tasks"]:
        return parts[2], (parts[3] if len(parts) > 3 else "__init__")
    return None


TASK_MODULES = [p for p in MODULES if _task_part(module_name(p)) is not None]


@pytest.mark.parametrize("path", TASK_MODULES, ids=lambda p: str(p.relative_to(PKG)))
def test_a_task_imports_only_itself_and_foundations_and_runs_model_to_view(path):
    task, part = _task_part(module_name(path))
    for m in imports_of(path):
        other = _task_part(m)
        if other is None:
            continue
        assert other[0] == task, f"{path.relative_to(PKG)} imports another task: {m}"
        if other[1] in TASK_RANK and part in TASK_RANK and other[1] != part:
            assert TASK_RANK[other[1]] < TASK_RANK[part] or (part == "__init__"), \
                f"{path.relative_to(PKG)} imports {m}: inside a task, imports run model → checks → charts → export → view"
        if other[1] == "view" and part != "view":
            assert part == "__init__" and m in _string_imports(ast.parse(path.read_text())), \
                f"{path.relative_to(PKG)} imports a view: {m} (views are reached through the registry only)"


def test_nothing_but_the_registry_names_a_task():
    """Foundations never import a task; apps, course, pages and the CLI go through the registry."""
    for path in MODULES:
        name = module_name(path)
        if _task_part(name) is not None or name == "npq_widgets.registry":
            continue
        tasks = [m for m in imports_of(path) if _task_part(m) is not None]
        assert not tasks, f"{path.relative_to(PKG)} reaches a task without the registry: {tasks}"


def test_the_layer_test_sees_string_imports():
    tree = ast.parse('import importlib\nimportlib.import_module("npq_widgets.tasks.budget.view")\n'
                     'V = "npq_widgets.tasks.budget.view:BudgetBuilder"\n')
    assert _string_imports(tree) == ["npq_widgets.tasks.budget.view", "npq_widgets.tasks.budget.view"]


def test_domain_and_checks_do_not_touch_widgets_or_files():
    for layer in ("catalogue", "domain", "checks"):
        for path in (PKG / layer).rglob("*.py"):
            mods = imports_of(path)
            assert not any(m.startswith(("ipywidgets", "matplotlib", "openpyxl")) for m in mods), path
    for path in PKG.glob("tasks/*/model.py"):
        assert not any(m.startswith(("ipywidgets", "matplotlib", "openpyxl")) for m in imports_of(path)), path
    for path in PKG.glob("tasks/*/checks.py"):
        assert not any(m.startswith(("ipywidgets", "matplotlib", "openpyxl")) for m in imports_of(path)), path


def test_no_hard_coded_list_of_tasks_outside_the_registry():
    """The task ids appear in their own folders and data only: apps, course, pages and the CLI ask the registry."""
    from npq_widgets.registry import task_ids

    ids = task_ids()
    for name in ("apps.py", "course.py", "cli.py", "registry.py"):
        text = (PKG / name).read_text()
        named = [t for t in ids if f'"{t}"' in text or f"'{t}'" in text]
        assert len(named) <= 1, f"{name} names tasks by hand: {named}"


NOTEBOOK_FILES = sorted(p for p in NOTEBOOKS.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


@pytest.mark.parametrize("nb", NOTEBOOK_FILES, ids=lambda p: str(p.relative_to(NOTEBOOKS)))
def test_notebooks_committed_without_outputs_and_thin(nb):
    data = json.loads(nb.read_text())
    for cell in data["cells"]:
        if cell["cell_type"] == "code":
            assert not cell.get("outputs"), f"{nb.name} has outputs: strip them"
            assert cell.get("execution_count") is None
            code = [ln for ln in "".join(cell["source"]).splitlines() if ln.strip() and not ln.startswith("#")]
            assert len(code) <= 4, f"{nb.name}: notebook cells stay thin (logic lives in the package)"


def test_app_notebooks_end_in_one_layout_expression():
    for nb in (NOTEBOOKS / "apps").glob("*.ipynb"):
        cells = [c for c in json.loads(nb.read_text())["cells"] if c["cell_type"] == "code"]
        last = "".join(cells[-1]["source"]).strip().splitlines()[-1]
        assert isinstance(ast.parse(last).body[0], ast.Expr), nb.name
