"""The cohort deployments' files (deploy/jupyterhub/): they parse, name only real settings, and agree with each other.

There is no Kubernetes and no TLJH here: the Zero to JupyterHub values are checked against the keys of the chart's
own values schema, and the TLJH recipe against TLJH's documented `tljh-config` keys. The hub configuration file itself
is exercised for real by tests/test_hub.py and tests/test_lti.py."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
DEPLOY = REPO / "deploy" / "jupyterhub"

# Keys of the "jupyterhub" chart's values that the workbook's values use, copied from
# jupyterhub/zero-to-jupyterhub-k8s, jupyterhub/values.schema.yaml at commit
# 48ea50e34daddde55d76e30df6ecd47e4abd4d8e (2026-07-24; chart appVersion 5.5.0). hub.config is a pass-through of
# traitlets configuration: there the schema allows any key matching ^[A-Z].*$ (a class name) with any settings.
Z2JH_SCHEMA_KEYS = {
    "hub", "hub.config", "hub.config.JupyterHub",
    "singleuser", "singleuser.image", "singleuser.image.name", "singleuser.image.tag", "singleuser.cmd",
    "singleuser.defaultUrl", "singleuser.extraEnv", "singleuser.memory", "singleuser.memory.guarantee",
    "singleuser.memory.limit", "singleuser.cpu", "singleuser.cpu.guarantee", "singleuser.cpu.limit",
    "singleuser.storage", "singleuser.storage.type", "singleuser.storage.capacity", "singleuser.storage.homeMountPath",
    "singleuser.startTimeout",
    "cull", "cull.enabled", "cull.users", "cull.timeout", "cull.every",
}
Z2JH_FREE_FORM = ("singleuser.extraEnv",)          # additionalProperties: true (environment variables)
Z2JH_PASS_THROUGH = re.compile(r"^hub\.config\.[A-Z][^.]*$")  # patternProperties ^[A-Z].*$ under hub.config

# TLJH settings the recipe sets, from TLJH's documentation: limits.memory / limits.cpu
# (https://tljh.jupyter.org/en/latest/topic/tljh-config.html#user-server-limits; tljh/config_schema.py: memory is a
# string, cpu an integer) and services.cull.timeout (https://tljh.jupyter.org/en/latest/topic/idle-culler.html).
TLJH_KEYS = {"limits.memory": str, "limits.cpu": int, "services.cull.timeout": int}

# bench/ (README, "Performance"): a page's kernel holds up to 200 MB; the server about 100 MB.
KERNEL_MB, SERVER_MB, PAGES_OPEN = 200, 100, 4


def values() -> dict:
    return yaml.safe_load((DEPLOY / "z2jh-values.yaml").read_text())


def key_paths(tree: dict, prefix: str = ""):
    for key, value in tree.items():
        path = f"{prefix}{key}"
        yield path
        if isinstance(value, dict) and path not in Z2JH_FREE_FORM and not Z2JH_PASS_THROUGH.match(path):
            yield from key_paths(value, path + ".")


def test_z2jh_values_name_only_keys_of_the_charts_schema():
    unknown = [p for p in key_paths(values()) if p not in Z2JH_SCHEMA_KEYS and not Z2JH_PASS_THROUGH.match(p)]
    assert unknown == []


def shipped_hub_config(env: dict[str, str] | None = None):
    """Load deploy/jupyterhub/jupyterhub_config.py the way JupyterHub does."""
    import os
    from unittest import mock

    from traitlets.config import PyFileConfigLoader

    with mock.patch.dict(os.environ, env or {}, clear=False):
        for name in ("NPQ_LTI_ISSUER", "NPQ_WORKBOOK_DIR"):
            if name not in (env or {}):
                os.environ.pop(name, None)
        loader = PyFileConfigLoader("jupyterhub_config.py", path=str(DEPLOY))
        return loader.load_config()


def test_z2jh_values_and_the_hub_config_agree():
    v, c = values(), shipped_hub_config()
    assert v["singleuser"]["defaultUrl"] == c.Spawner.default_url == "/voila/render/gallery.ipynb"
    assert v["hub"]["config"]["KubeSpawner"]["notebook_dir"] == c.Spawner.notebook_dir == "/srv/npq-workbook/notebooks"
    home = v["singleuser"]["storage"]["homeMountPath"]
    assert v["singleuser"]["extraEnv"]["NPQ_WORKBOOK_HOME"].startswith(home + "/")  # saved work on the user's volume
    assert not c.Spawner.notebook_dir.startswith(home)  # the workbook outside it, so updates reach everyone
    assert c.Spawner.environment["NPQ_WORKBOOK_HOME"] == "~/.npq-workbook"
    assert v["singleuser"]["memory"]["limit"] == c.Spawner.mem_limit == "1G"
    lti = v["hub"]["config"]["LTI13Authenticator"]
    assert v["hub"]["config"]["JupyterHub"]["authenticator_class"] == "ltiauthenticator.lti13.auth.LTI13Authenticator"
    assert set(lti) == {"issuer", "authorize_url", "jwks_endpoint", "client_id", "username_key"}
    assert lti["username_key"] == "sub"


def test_lti_settings_name_real_authenticator_traits():
    from ltiauthenticator.lti13.auth import LTI13Authenticator

    traits = LTI13Authenticator.class_traits(config=True)
    assert set(values()["hub"]["config"]["LTI13Authenticator"]) <= set(traits)
    c = shipped_hub_config({"NPQ_LTI_ISSUER": "https://vle.example", "NPQ_LTI_CLIENT_ID": "a, b",
                            "NPQ_LTI_AUTHORIZE_URL": "https://vle.example/auth",
                            "NPQ_LTI_JWKS_URL": "https://vle.example/jwks"})
    assert set(c.LTI13Authenticator) <= set(traits)
    assert c.LTI13Authenticator.client_id == {"a", "b"}
    assert "authenticator_class" not in shipped_hub_config().JupyterHub  # no LTI settings: the hub's own login


def _bytes(size: str) -> int:
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([KMG])", size)
    return int(float(m.group(1)) * 1024 ** " KMG".index(m.group(2)))


def test_memory_is_sized_from_the_bench_figures():
    mem = values()["singleuser"]["memory"]
    needed = (SERVER_MB + PAGES_OPEN * KERNEL_MB) * 1024 ** 2
    assert _bytes(mem["limit"]) >= needed
    assert _bytes(mem["guarantee"]) >= (SERVER_MB + 2 * 125) * 1024 ** 2  # the server and two typical pages
    assert values()["cull"]["enabled"] is True and values()["cull"]["timeout"] >= 900


def test_tljh_recipe_sets_documented_keys_and_is_valid_shell():
    setup = DEPLOY / "tljh" / "setup.sh"
    subprocess.run(["bash", "-n", str(setup)], check=True)
    text = setup.read_text()
    settings = dict(re.findall(r"^tljh-config set (\S+) (\S+)$", text, re.M))
    assert set(settings) == set(TLJH_KEYS)
    for key, kind in TLJH_KEYS.items():
        if kind is int:
            int(settings[key])
    assert _bytes(settings["limits.memory"]) == _bytes(values()["singleuser"]["memory"]["limit"])
    assert "npq_widgets.hosting write-config /opt/tljh/user/etc/jupyter" in text
    assert "deploy/jupyterhub/jupyterhub_config.py" in text and "jupyterhub_config.d" in text


@pytest.mark.parametrize("doc", ["README.md", "deploy/jupyterhub/README.md"])
def test_docs_build_the_image_with_the_workbook_outside_the_home(doc):
    text = (REPO / doc).read_text()
    assert "--target-repo-dir /srv/npq-workbook" in text
