"""The package layers import only downwards; notebooks are committed without outputs and stay thin."""

import ast
import json
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "npq_widgets"
NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
ORDER = ["paths", "catalogue", "domain", "checks", "store", "tasks", "registry", "course", "views", "apps", "server",
         "cli"]


def layer_of(module: str) -> int | None:
    parts = module.split(".")
    if parts[0] != "npq_widgets" or len(parts) < 2:
        return None
    return ORDER.index(parts[1]) if parts[1] in ORDER else None


def imports_of(path: Path) -> list[str]:
    rel = path.relative_to(PKG.parent).with_suffix("")
    package = list(rel.parts[:-1]) if rel.name != "__init__" else list(rel.parts[:-1])
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
                found += [mod] if node.module else [f"{mod}.{a.name}" for a in node.names]
            elif node.module:
                found.append(node.module)
    return found


MODULES = sorted(p for p in PKG.rglob("*.py") if p.name != "__init__.py" or p.parent != PKG)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PKG)))
def test_no_import_runs_upward(path):
    own = layer_of(".".join(path.relative_to(PKG.parent).with_suffix("").parts))
    if own is None:
        return
    upward = [m for m in imports_of(path) if (layer_of(m) or -1) > own]
    assert not upward, f"{path.relative_to(PKG)} imports from a higher layer: {upward}"


def test_domain_and_checks_do_not_touch_widgets_or_files():
    for layer in ("catalogue", "domain", "checks"):
        for path in (PKG / layer).rglob("*.py"):
            mods = imports_of(path)
            assert not any(m.startswith(("ipywidgets", "matplotlib", "openpyxl")) for m in mods), path


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
