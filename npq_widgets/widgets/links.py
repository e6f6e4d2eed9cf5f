"""Links between the workbook's notebooks that work where the page is shown.

Under Voila a notebook is an app at ``/voila/render/<path>``, so a link relative to the page (``modules/x.ipynb``)
opens the other app. In JupyterLab the address bar says ``/lab`` or ``/lab/workspaces/…`` as often as
``/lab/tree/<this notebook>``, so a relative link can land nowhere: there the link is JupyterLab's own
``<base>lab/tree/<path from the server's root>``, which opens the notebook in JupyterLab.

The kernel does not know the server's root or base URL; both are in the server's runtime file
(``jpserver-<pid>.json`` in Jupyter's runtime folder), found as the running server whose root holds this notebook.
When none is found (a plain Python session, a test), the relative link is kept.
"""

from __future__ import annotations

import functools
import json
import os
import posixpath
from pathlib import Path

from .autosave import in_voila


@functools.lru_cache(maxsize=1)
def _lab_server() -> tuple[Path, str] | None:
    """(root folder, base URL) of the Jupyter server that runs this kernel's notebook, if it can be found."""
    here = os.environ.get("JPY_SESSION_NAME")
    if not here:
        return None
    try:
        from jupyter_core.paths import jupyter_runtime_dir

        files = sorted(Path(jupyter_runtime_dir()).glob("jpserver-*.json"))
    except Exception:  # noqa: BLE001 - no runtime folder: keep relative links
        return None
    notebook = Path(here).resolve()
    best: tuple[Path, str] | None = None
    for f in files:
        try:
            info = json.loads(f.read_text(encoding="utf-8"))
            root = Path(os.path.expanduser(info.get("root_dir") or info.get("notebook_dir") or "")).resolve()
        except (OSError, ValueError, TypeError):
            continue
        if notebook.is_relative_to(root) and (best is None or len(root.parts) > len(best[0].parts)):
            best = (root, info.get("base_url") or "/")
    return best


def notebook_href(target: str, here: str) -> str:
    """The link from the notebook ``here`` to the notebook ``target`` (both relative to the notebooks folder, e.g.
    ``00_start_here.ipynb`` and ``modules/strategy-1.ipynb``)."""
    relative = posixpath.relpath(target, posixpath.dirname(here) or ".")
    if in_voila():
        return relative
    server = _lab_server()
    if server is None:
        return relative
    root, base = server
    notebook_dir = Path(os.environ["JPY_SESSION_NAME"]).resolve().parent
    # the notebooks folder is this notebook's folder, less the folders of ``here``
    top = notebook_dir
    for _ in Path(here).parent.parts:
        top = top.parent
    try:
        api_path = (top / target).relative_to(root).as_posix()
    except ValueError:
        return relative
    return f"{base.rstrip('/')}/lab/tree/{api_path}"
