"""Start Voila with the NPQ page template (``--template=npq``) findable.

The template lives in ``npq_widgets/share/jupyter/voila/templates/npq`` (no Font Awesome from a CDN, one ``<main>``
landmark, the accessibility shim). Voila looks templates up on the Jupyter data path, so this puts the package's
``share/jupyter`` first on ``JUPYTER_PATH`` and hands over to Voila's own command line:

    python -m npq_widgets.voila_page NOTEBOOKS --template=npq [voila options]

Anything else that starts Voila (a hub, Binder's server extension) gets the same pages with
``JUPYTER_PATH=<this package>/share/jupyter`` in its environment and ``VoilaConfiguration.template = "npq"``."""

from __future__ import annotations

import os
from pathlib import Path

TEMPLATE = "npq"
DATA_DIR = Path(__file__).resolve().parent / "share" / "jupyter"


def environment(env: dict[str, str] | None = None) -> dict[str, str]:
    """``env`` (default: this process's) with the package's Jupyter data folder first on JUPYTER_PATH."""
    out = dict(os.environ if env is None else env)
    rest = [p for p in out.get("JUPYTER_PATH", "").split(os.pathsep) if p and p != str(DATA_DIR)]
    out["JUPYTER_PATH"] = os.pathsep.join([str(DATA_DIR), *rest])
    return out


def main() -> None:
    os.environ.update(environment())
    from voila.app import main as voila_main

    voila_main()


if __name__ == "__main__":
    main()
