"""JupyterLab without the friction (issue 13): notebooks committed with the metadata Lab writes, a pre-save hook that
keeps them as shipped, the "your work saves itself" note at the top of each, and the hook wherever Lab runs."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

from npq_widgets.server.lab import (HOOK, KERNELSPEC, LANGUAGE_INFO, MARKER, server_config, strip_notebook,
                                    strip_workbook_notebook)

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p for p in (REPO / "notebooks").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def test_the_metadata_is_what_jupyterlab_writes():
    """Lab replaces the kernelspec with the kernel's own and fills language_info from the kernel's reply: committed
    as Lab writes them, a notebook does not open as changed (●)."""
    from ipykernel.ipkernel import IPythonKernel
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec("python3")
    assert KERNELSPEC == {"display_name": spec.display_name, "language": spec.language, "name": "python3"}
    reply = dict(IPythonKernel.language_info)
    assert {k: v for k, v in LANGUAGE_INFO.items() if k != "version"} == {k: v for k, v in reply.items()
                                                                         if k != "version"}
    assert LANGUAGE_INFO["version"].split(".")[:2] == ["3", "11"]  # the Python the workbook is built for


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: str(p.relative_to(REPO / "notebooks")))
def test_every_notebook_is_committed_as_lab_and_the_hook_keep_it(nb):
    data = json.loads(nb.read_text(encoding="utf-8"))
    assert data["metadata"]["kernelspec"] == KERNELSPEC
    assert data["metadata"]["language_info"] == LANGUAGE_INFO
    assert MARKER in data["metadata"]
    assert strip_notebook(copy.deepcopy(data)) == data  # a save of the notebook as shipped changes nothing
    first = data["cells"][0]
    assert first["cell_type"] == "markdown" and 'class="npq-lab-note"' in "".join(first["source"])
    note = "".join(first["source"])
    assert "saves itself" in note and "never need to save this notebook file" in note and "<em>Discard</em> is safe" in note


def ran_and_saved(nb: dict) -> dict:
    """The notebook as JupyterLab would save it after Run All: outputs, counts, timings, widget state, metadata."""
    ran = copy.deepcopy(nb)
    for i, cell in enumerate(ran["cells"]):
        cell["metadata"]["trusted"] = True
        if cell["cell_type"] == "code":
            cell["execution_count"] = i + 7
            cell["metadata"]["execution"] = {"iopub.status.busy": "2026-12-01T10:00:00.000Z"}
            cell["outputs"] = [{"output_type": "display_data", "metadata": {},
                                "data": {"application/vnd.jupyter.widget-view+json": {
                                    "model_id": "0a1b", "version_major": 2, "version_minor": 0}}}]
    ran["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {"0a1b": {}}}}
    ran["metadata"]["language_info"]["version"] = "3.11.99"
    return ran


def test_the_pre_save_hook_strips_a_run_and_keeps_the_candidates_edits():
    shipped = json.loads((REPO / "notebooks" / "apps" / "budget.ipynb").read_text(encoding="utf-8"))
    model = {"type": "notebook", "content": ran_and_saved(shipped)}
    strip_workbook_notebook(model=model, path="apps/budget.ipynb", contents_manager=None)
    assert model["content"] == shipped

    edited = ran_and_saved(shipped)
    edited["cells"].append({"cell_type": "markdown", "id": "mine", "metadata": {}, "source": "My own note"})
    model = {"type": "notebook", "content": edited}
    strip_workbook_notebook(model=model, path="apps/budget.ipynb")
    assert model["content"]["cells"][-1]["source"] == "My own note"
    assert all(not c.get("outputs") for c in model["content"]["cells"])


def test_the_hook_leaves_other_notebooks_and_files_alone():
    other = {"cells": [{"cell_type": "code", "execution_count": 3, "metadata": {}, "source": "1",
                        "outputs": [{"output_type": "execute_result", "data": {"text/plain": "1"}, "metadata": {},
                                     "execution_count": 3}]}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    model = {"type": "notebook", "content": copy.deepcopy(other)}
    strip_workbook_notebook(model=model, path="mine.ipynb")
    assert model["content"] == other
    text = {"type": "file", "content": "hello"}
    strip_workbook_notebook(model=text, path="a.txt")
    assert text == {"type": "file", "content": "hello"}


def test_jupyter_server_runs_the_hook_on_save(tmp_path):
    """The hook as the server loads it from the configuration (an import string), on a real contents manager."""
    from jupyter_server.services.contents.filemanager import FileContentsManager

    shipped = json.loads((REPO / "notebooks" / "apps" / "budget.ipynb").read_text(encoding="utf-8"))
    cm = FileContentsManager(root_dir=str(tmp_path), pre_save_hook=server_config()["ContentsManager"]["pre_save_hook"])
    cm.save({"type": "notebook", "format": "json", "content": ran_and_saved(shipped)}, "budget.ipynb")
    assert json.loads((tmp_path / "budget.ipynb").read_text(encoding="utf-8")) == shipped


def test_npq_workbook_lab_and_binder_use_the_hook(tmp_path):
    from npq_widgets.cli import lab_environment

    env = lab_environment()
    folder = Path(env["JUPYTER_CONFIG_PATH"].split(":")[0])
    config = json.loads((folder / "jupyter_server_config.json").read_text())
    assert config["ContentsManager"]["pre_save_hook"] == HOOK
    assert config["ServerApp"]["tornado_settings"]["websocket_max_message_size"] >= 20 * 1024 * 1024

    assert "python -m npq_widgets.server.lab install" in (REPO / "binder" / "postBuild").read_text()
    out = subprocess.run([sys.executable, "-m", "npq_widgets.server.lab", "install", str(tmp_path)], cwd=REPO,
                         capture_output=True, text=True, check=True)
    written = tmp_path / "etc" / "jupyter" / "jupyter_server_config.d" / "npq-workbook.json"
    assert str(written) in out.stdout
    assert json.loads(written.read_text())["ContentsManager"]["pre_save_hook"] == HOOK


def test_the_note_is_hidden_under_voila_only():
    from npq_widgets.widgets.common import CSS

    assert "body[data-voila] .npq-lab-note { display: none; }" in CSS


def test_links_between_notebooks_open_in_jupyterlab_there_and_stay_app_links_under_voila(tmp_path, monkeypatch):
    from npq_widgets.widgets import links

    served = tmp_path / "home" / "repo"
    (served / "notebooks" / "modules").mkdir(parents=True)
    runtime = tmp_path / "runtime"
    runtime.mkdir()
    (runtime / "jpserver-1.json").write_text(json.dumps({"root_dir": str(served), "base_url": "/user/ann/"}))
    (runtime / "jpserver-2.json").write_text(json.dumps({"root_dir": str(tmp_path / "elsewhere"), "base_url": "/"}))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(runtime))
    for k in ("VOILA_REQUEST_URL", "VOILA_KERNEL_ID", "VOILA_SERVER_URL"):
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setenv("JPY_SESSION_NAME", str(served / "notebooks" / "modules" / "strategy-1.ipynb"))
    links._lab_server.cache_clear()
    assert links.notebook_href("00_start_here.ipynb", "modules/strategy-1.ipynb") == \
        "/user/ann/lab/tree/notebooks/00_start_here.ipynb"
    assert links.notebook_href("modules/strategy-2.ipynb", "modules/strategy-1.ipynb") == \
        "/user/ann/lab/tree/notebooks/modules/strategy-2.ipynb"

    monkeypatch.setenv("VOILA_KERNEL_ID", "k")  # the same page as an app: relative links between apps
    assert links.notebook_href("00_start_here.ipynb", "modules/strategy-1.ipynb") == "../00_start_here.ipynb"
    monkeypatch.delenv("VOILA_KERNEL_ID")
    monkeypatch.delenv("JPY_SESSION_NAME")  # plain Python, no server: relative as before
    links._lab_server.cache_clear()
    assert links.notebook_href("apps/my-work.ipynb", "00_start_here.ipynb") == "apps/my-work.ipynb"
    links._lab_server.cache_clear()
