"""JupyterLab without the friction: the workbook's notebooks stay as shipped, however often they are run and saved.

A candidate's work is in the workbook (saved as they type), never in the notebook file. But JupyterLab saves the
notebook file too — with Ctrl+S, on closing ("Save changes?"), or by itself every two minutes — and with it the
outputs, execution counts and widget state of the last run. The next session then opened on "Error displaying widget:
model not found" until Run All, and the repository showed every notebook as changed.

:func:`strip_workbook_notebook` is a ``ContentsManager.pre_save_hook``: before a notebook of the workbook (its metadata
carries ``npq_workbook``) is written, it drops outputs, execution counts, run timings and widget state, and puts back
the kernel metadata the notebooks are committed with. A save then changes nothing but the candidate's own edits to
the text of cells, and a reopened notebook shows the "Run All" prompt, never an error. Other notebooks are untouched.

:func:`server_config` is the Jupyter server configuration that names the hook: ``npq-workbook lab`` passes it in a
config folder of its own; ``python -m npq_widgets.server.lab install`` writes it into the environment's Jupyter
configuration (Binder's ``postBuild``, a JupyterHub image), where every server started from that environment reads it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

# The kernel metadata JupyterLab writes for the workbook's notebooks (Python 3.11, ipykernel): committed as is, so
# opening a notebook does not mark it changed (●); scripts/make_notebooks.py writes it.
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {
    "codemirror_mode": {"name": "ipython", "version": 3}, "file_extension": ".py", "mimetype": "text/x-python",
    "name": "python", "nbconvert_exporter": "python", "pygments_lexer": "ipython3", "version": "3.11.7",
}
MARKER = "npq_workbook"  # notebook metadata key of the workbook's own notebooks
NOTEBOOK_METADATA = {"kernelspec": KERNELSPEC, "language_info": LANGUAGE_INFO, MARKER: {"stripped_on_save": True}}

HOOK = "npq_widgets.server.lab.strip_workbook_notebook"
_RUN_STATE = ("execution", "scrolled", "collapsed", "trusted")  # cell metadata a run or a view leaves behind


def strip_notebook(nb: dict) -> dict:
    """The notebook (nbformat 4 JSON) without what a run leaves in it; changed in place and returned."""
    for cell in nb.get("cells", ()):
        meta = cell.get("metadata")
        if isinstance(meta, dict):
            for key in _RUN_STATE:
                meta.pop(key, None)
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    meta = nb.setdefault("metadata", {})
    meta.pop("widgets", None)  # "application/vnd.jupyter.widget-state+json": the last run's widgets
    meta["kernelspec"] = dict(KERNELSPEC)
    meta["language_info"] = json.loads(json.dumps(LANGUAGE_INFO))
    return nb


def is_workbook_notebook(nb: Any) -> bool:
    return isinstance(nb, dict) and isinstance(nb.get("metadata"), dict) and MARKER in nb["metadata"]


def strip_workbook_notebook(model: dict, **_kwargs) -> None:
    """``ContentsManager.pre_save_hook``: strip a workbook notebook before it is saved (see the module docs)."""
    if model.get("type") == "notebook" and is_workbook_notebook(model.get("content")):
        strip_notebook(model["content"])


def server_config() -> dict:
    """The Jupyter server settings of the workbook: the pre-save hook, and the websocket message limit voila.json
    gives Voila (uploads of up to 20 MB reach the kernel)."""
    from ..paths import voila_config

    settings = json.loads(voila_config().read_text(encoding="utf-8")).get("Voila", {}).get("tornado_settings", {})
    return {"ServerApp": {"tornado_settings": settings}, "ContentsManager": {"pre_save_hook": HOOK}}


def install(prefix: Path | None = None) -> Path:
    """Write :func:`server_config` into ``<prefix>/etc/jupyter/jupyter_server_config.d/`` (default: this Python's
    environment), where every Jupyter server started from the environment reads it."""
    folder = Path(prefix or sys.prefix) / "etc" / "jupyter" / "jupyter_server_config.d"
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / "npq-workbook.json"
    out.write_text(json.dumps(server_config(), indent=2) + "\n", encoding="utf-8")
    return out


if __name__ == "__main__":  # python -m npq_widgets.server.lab install [PREFIX]
    if len(sys.argv) < 2 or sys.argv[1] != "install":
        print("usage: python -m npq_widgets.server.lab install [PREFIX]", file=sys.stderr)
        raise SystemExit(2)
    print(f"Wrote {install(Path(sys.argv[2]) if len(sys.argv) > 2 else None)}")
