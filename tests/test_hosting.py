"""Where the workbook runs, and the warning every page shows on Binder (npq_widgets/hosting.py)."""

from __future__ import annotations

import json

import pytest

from npq_widgets.hosting import jupyter_server_config, main, storage_notice, where_running, write_jupyter_config
from npq_widgets.paths import voila_config

BINDER = {  # what BinderHub's spawner puts in a user server's environment, alongside the hub's own variables
    "BINDER_REPO_URL": "https://github.com/npq-workbook/npq-workbook",
    "BINDER_REF_URL": "https://github.com/npq-workbook/npq-workbook/tree/0123abc",
    "BINDER_LAUNCH_HOST": "https://mybinder.org/",
    "BINDER_PERSISTENT_REQUEST": "v2/gh/npq-workbook/npq-workbook/HEAD",
    "JUPYTERHUB_API_URL": "http://hub:8081/hub/api",
    "JUPYTERHUB_USER": "npq-workbook-npq-workbook-abc123",
    "JUPYTERHUB_SERVICE_PREFIX": "/user/npq-workbook-npq-workbook-abc123/",
}
HUB = {"JUPYTERHUB_API_URL": "http://127.0.0.1:8081/hub/api", "JUPYTERHUB_USER": "ada",
       "JUPYTERHUB_SERVICE_PREFIX": "/user/ada/"}


@pytest.mark.parametrize("env, kind, kept", [
    ({}, "laptop", True),
    (HUB, "hub", True),
    (BINDER, "binder", False),
    ({"BINDER_LAUNCH_HOST": "https://mybinder.org/"}, "binder", False),  # any one Binder variable is enough
    ({"NPQ_WORKBOOK_HOSTING": "room"}, "room", True),
    ({**HUB, "NPQ_WORKBOOK_HOSTING": "binder"}, "binder", False),  # a declaration wins over detection
    ({"JUPYTERHUB_USER": "ada"}, "laptop", True),  # half a hub's environment is not a hub
    ({"BINDER_REPO_URL": ""}, "laptop", True),
])
def test_where_running(env, kind, kept):
    where = where_running(env)
    assert (where.kind, where.work_is_kept) == (kind, kept)


def test_binder_pages_say_work_is_temporary_with_my_work_one_click_away():
    notice = storage_notice(BINDER)
    assert "Binder" in notice and "deletes everything when the session ends" in notice
    assert "⚠" in notice and "<strong>" in notice  # words and an icon, not colour alone
    assert 'href="/user/npq-workbook-npq-workbook-abc123/voila/render/notebooks/apps/my-work.ipynb"' in notice
    assert 'role="note"' in notice


@pytest.mark.parametrize("env", [{}, HUB, {"NPQ_WORKBOOK_HOSTING": "room"}])
def test_no_notice_where_work_is_kept(env):
    assert storage_notice(env) == ""


def test_hub_my_work_link_is_under_the_users_prefix():
    assert where_running(HUB).my_work_url == "/user/ada/voila/render/apps/my-work.ipynb"
    assert where_running({}).my_work_url == "/voila/render/apps/my-work.ipynb"


def test_notice_escapes_the_prefix():
    notice = storage_notice({**BINDER, "JUPYTERHUB_SERVICE_PREFIX": '/user/x"><script>alert(1)</script>/'})
    assert "<script>" not in notice and "&quot;&gt;&lt;script&gt;" in notice


def test_server_config_comes_from_voila_json():
    server, voila = jupyter_server_config()
    assert server["ServerApp"]["tornado_settings"]["websocket_max_message_size"] == 64 * 1024 * 1024
    shipped = json.loads(voila_config().read_text())["MappingKernelManager"]
    assert server["MappingKernelManager"] == shipped and shipped["cull_connected"] is False
    assert voila == {"VoilaConfiguration": {"show_tracebacks": False, "strip_sources": True, "template": "npq"}}
    # a kernel that falls behind under load still gets its widgets onto the page (nbclient's default gives up at 4 s)
    assert server["VoilaExecutor"]["iopub_timeout"] >= 60
    assert json.loads(voila_config().read_text())["VoilaExecutor"] == server["VoilaExecutor"]


def test_write_config_merges_into_existing_files(tmp_path, monkeypatch):
    monkeypatch.setenv("NPQ_JUPYTER_DATA_DIR", str(tmp_path / "data"))
    (tmp_path / "jupyter_server_config.json").write_text(json.dumps(
        {"ServerApp": {"allow_origin": "*", "tornado_settings": {"compress_response": True}}}))
    assert main(["write-config", str(tmp_path)]) == 0
    merged = json.loads((tmp_path / "jupyter_server_config.json").read_text())
    assert merged["ServerApp"]["allow_origin"] == "*"
    assert merged["ServerApp"]["tornado_settings"] == {"compress_response": True,
                                                       "websocket_max_message_size": 67108864}
    assert json.loads((tmp_path / "voila.json").read_text())["VoilaConfiguration"]["strip_sources"] is True
    assert (tmp_path / "data" / "voila" / "templates" / "npq" / "index.html.j2").is_file()  # the page template too
    write_jupyter_config(tmp_path)  # idempotent
    assert json.loads((tmp_path / "jupyter_server_config.json").read_text()) == merged


def test_a_task_page_on_binder_says_its_work_is_temporary(monkeypatch, tmp_path):
    """Every saved page on Binder carries the storage notice at its top; on a laptop it does not."""
    from npq_widgets.apps import task_app

    monkeypatch.setenv("NPQ_WORKBOOK_HOME", str(tmp_path))
    monkeypatch.setenv("NPQ_WORKBOOK_HOSTING", "binder")
    view = task_app("smart-objectives")
    assert "Work here is temporary" in view.children[0].value
    monkeypatch.setenv("NPQ_WORKBOOK_HOSTING", "laptop")
    view = task_app("smart-objectives")
    assert not any("Work here is temporary" in getattr(c, "value", "") for c in view.children)
