"""Where the workbook is running — a laptop, a room server, Binder or a JupyterHub — and what that means for saved work.

Foundation layer (standard library and ``paths`` only), so any page can call it:

- :func:`where_running` names the host from the environment the server gives the kernel.
- :func:`storage_notice` is the HTML line a page shows when saved work will not last (on Binder: everything is deleted
  when the session ends), with the *My work* download one click away. It is empty where work is kept.
- :func:`jupyter_server_config` / :func:`write_jupyter_config` turn the shipped ``voila.json`` into the settings a
  Jupyter server reads when Voila runs as its extension (Binder, a hub): there ``Voila.tornado_settings`` is ignored
  and the server's own ``ServerApp.tornado_settings`` applies; idle culling belongs to the server's kernel manager.
  ``binder/postBuild`` runs ``python -m npq_widgets.hosting write-config DIR``.

How the host is recognised:

- **Binder**: BinderHub's spawner puts ``BINDER_REPO_URL``, ``BINDER_REF_URL``, ``BINDER_LAUNCH_HOST``,
  ``BINDER_REQUEST`` and ``BINDER_PERSISTENT_REQUEST`` into the user server's environment (binderhub's
  ``BinderSpawnerMixin.get_env``); any one of them is enough. (``BINDER_SERVICE_HOST`` is only a Kubernetes
  service link, absent when service links are off, so it is not used.)
- **JupyterHub**: a hub's single-user server has ``JUPYTERHUB_API_URL`` and ``JUPYTERHUB_USER`` (Binder has them
  too, which is why Binder is checked first).
- **Room server / laptop**: ``NPQ_WORKBOOK_HOSTING=room`` (or ``laptop``, ``binder``, ``hub``) declares it
  explicitly and wins over detection; with nothing set, it is a laptop.
"""

from __future__ import annotations

import html
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

from .paths import voila_config

HOSTING_ENV = "NPQ_WORKBOOK_HOSTING"
BINDER_ENV = ("BINDER_REPO_URL", "BINDER_REF_URL", "BINDER_LAUNCH_HOST", "BINDER_REQUEST",
              "BINDER_PERSISTENT_REQUEST")
HUB_ENV = ("JUPYTERHUB_API_URL", "JUPYTERHUB_USER")
KINDS = ("laptop", "room", "binder", "hub")

# Where the My work app sits under each host's server root: Binder serves the repository (notebooks/ inside it);
# `npq-workbook run` and the hub deployments in deploy/jupyterhub serve the notebooks folder itself.
_MY_WORK = {"binder": "voila/render/notebooks/apps/my-work.ipynb"}
_MY_WORK_DEFAULT = "voila/render/apps/my-work.ipynb"


@dataclass(frozen=True)
class Hosting:
    kind: str          # "laptop" | "room" | "binder" | "hub"
    label: str         # for people: "this computer", "Binder", …
    work_is_kept: bool  # does saved work outlive the session?
    base_url: str      # the server's URL prefix, e.g. "/user/ada/" on a hub or Binder, "/" otherwise

    @property
    def my_work_url(self) -> str:
        return self.base_url + _MY_WORK.get(self.kind, _MY_WORK_DEFAULT)


_LABELS = {"laptop": "this computer", "room": "the room's server", "binder": "Binder", "hub": "your provider's hub"}


def where_running(environ: Mapping[str, str] | None = None) -> Hosting:
    """The host this kernel runs on, from its environment (``os.environ`` unless given)."""
    env = os.environ if environ is None else environ
    declared = env.get(HOSTING_ENV, "").strip().lower()
    if declared in KINDS:
        kind = declared
    elif any(env.get(name) for name in BINDER_ENV):
        kind = "binder"
    elif all(env.get(name) for name in HUB_ENV):
        kind = "hub"
    else:
        kind = "laptop"
    prefix = env.get("JUPYTERHUB_SERVICE_PREFIX") or "/"
    if not prefix.startswith("/"):
        prefix = "/" + prefix
    if not prefix.endswith("/"):
        prefix += "/"
    return Hosting(kind, _LABELS[kind], kind != "binder", prefix)


def storage_notice(environ: Mapping[str, str] | None = None) -> str:
    """HTML for the top of every page where saved work will not outlast the session (Binder); "" elsewhere.

    Words and an icon, not colour alone; the link opens the My work app, whose one button downloads everything."""
    where = where_running(environ)
    if where.work_is_kept:
        return ""
    href = html.escape(where.my_work_url, quote=True)
    return (
        '<div class="npq-hosting-notice" role="note">'
        "<strong>⚠ Work here is temporary.</strong> This workbook is running on Binder, which deletes everything "
        "when the session ends (soon after the tab is closed or left idle). "
        f'<a href="{href}" target="_blank" rel="noopener">Download all your work from My work</a> before you '
        "leave, and load the file back there next time.</div>"
    )


# -- Jupyter server settings for Binder and hubs --------------------------------------------------------------------
EXTENSION_VOILA_KEYS = ("show_tracebacks", "strip_sources")
DATA_DIR_ENV = "NPQ_JUPYTER_DATA_DIR"  # where write-config installs the page template (default <sys.prefix>/share/jupyter)


def jupyter_server_config(voila_json: Path | None = None) -> tuple[dict, dict]:
    """(jupyter_server_config.json, voila.json) contents for a Jupyter server running Voila as its extension,
    derived from the shipped voila.json so there is one source for the limits."""
    shipped = json.loads((voila_json or voila_config()).read_text(encoding="utf-8"))
    server: dict = {}
    tornado = shipped.get("Voila", {}).get("tornado_settings")
    if tornado:
        server["ServerApp"] = {"tornado_settings": dict(tornado)}
    if shipped.get("MappingKernelManager"):
        server["MappingKernelManager"] = dict(shipped["MappingKernelManager"])
    if shipped.get("VoilaExecutor"):  # as an extension, Voila's executor reads the server's own config
        server["VoilaExecutor"] = dict(shipped["VoilaExecutor"])
    # the room's kernel manager (a cap, and the cookie Voila's own server needs for closing pages) belongs to
    # `npq-workbook run`; as an extension Voila uses the server's kernel manager, whose culling applies instead
    voila = {"VoilaConfiguration": {k: v for k, v in shipped.get("VoilaConfiguration", {}).items()
                                    if k in EXTENSION_VOILA_KEYS}}
    voila["VoilaConfiguration"]["template"] = "npq"  # installed beside the config by write_jupyter_config
    return server, voila


def install_template(data_dir: str | Path | None = None) -> Path:
    """Copy the workbook's Voila page template (one <main>, no fonts from a CDN, the accessibility shim) into a Jupyter
    data folder, where Voila running as a server extension finds it: ``$NPQ_JUPYTER_DATA_DIR`` or
    ``<sys.prefix>/share/jupyter`` (always on the data path of the environment's own servers)."""
    import shutil

    template = "npq"  # npq_widgets/share/jupyter/voila/templates/npq (npq_widgets.voila_page uses the same one)
    source = Path(__file__).resolve().parent / "share" / "jupyter" / "voila" / "templates" / template
    target_root = Path(data_dir or os.environ.get(DATA_DIR_ENV) or Path(sys.prefix) / "share" / "jupyter")
    target = target_root / "voila" / "templates" / template
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)
    return target


def _merge(into: dict, new: dict) -> dict:
    for key, value in new.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value
    return into


def write_jupyter_config(folder: str | Path, voila_json: Path | None = None) -> list[Path]:
    """Write (merging into any existing files) jupyter_server_config.json and voila.json into ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, settings in zip(("jupyter_server_config.json", "voila.json"), jupyter_server_config(voila_json)):
        path = folder / name
        existing = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(_merge(existing, settings), indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, path)
        written.append(path)
    written.append(install_template())
    return written


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) == 2 and args[0] == "write-config":
        for path in write_jupyter_config(args[1]):
            print(f"Wrote {path}")
        return 0
    if args == ["where"]:
        print(where_running().kind)
        return 0
    print("usage: python -m npq_widgets.hosting write-config DIR | where", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
