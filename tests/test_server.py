"""Serving a room: the kernel cap, the shutdown call of a closed page, idle culling and a quiet server log.

The pieces are checked on their own, then together against a real Voila server (no browser: plain HTTP).
The browser side (pages closed, reloaded, left) is in test_browser_kernels.py."""

from __future__ import annotations

import http.cookies
import json
import logging
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from npq_widgets.cli import build_parser, voila_command
from npq_widgets.paths import notebooks_dir, voila_config
from npq_widgets.server import (DEFAULT_MAX_KERNELS, IDLE_CULL_SECONDS, RETRY_AFTER_SECONDS, QuietLogFilter,
                                ipc_transport_works, kernel_pids, room_full_page)

from .conftest import VoilaServer


class _Headings(HTMLParser):
    def __init__(self):
        super().__init__()
        self.h1: list[str] = []
        self._in_h1 = False
        self.lang = None

    def handle_starttag(self, tag, attrs):
        self._in_h1 = self._in_h1 or tag == "h1"
        if tag == "html":
            self.lang = dict(attrs).get("lang")

    def handle_endtag(self, tag):
        self._in_h1 = self._in_h1 and tag != "h1"

    def handle_data(self, data):
        if self._in_h1 and data.strip():
            self.h1.append(data.strip())


def _read_page(html: str) -> _Headings:
    parser = _Headings()
    parser.feed(html)
    return parser


# --- the pieces -------------------------------------------------------------------------------------------------
def test_room_full_page_is_a_plain_page_with_a_heading():
    html = room_full_page(12)
    page = _read_page(html)
    assert page.h1 == ["The room is full"] and page.lang == "en"
    assert "try again in a minute" in html and "12 apps are open" in html
    assert f'http-equiv="refresh" content="{RETRY_AFTER_SECONDS}"' in html  # it retries by itself
    assert "Traceback" not in html and "http://" not in html and "https://" not in html  # nothing to fetch offline


def _record(msg, args=(), level=logging.WARNING):
    return logging.LogRecord("Voila", level, __file__, 1, msg, args, None)


def test_quiet_log_filter_drops_only_the_trust_warning():
    quiet = QuietLogFilter()
    assert not quiet.filter(_record("Notebook %s is not trusted", ("apps/which-npq.ipynb",)))
    assert quiet.filter(_record("Error at server while executing cell: %r", ({},), logging.ERROR))
    assert quiet.filter(_record("Kernel started: %s", ("abc",), logging.INFO))
    assert quiet.filter(_record("Signature store for notebook %s is corrupted or unavailable", ("x",)))


def test_voila_json_names_the_room_manager_the_filter_and_a_five_minute_cull():
    from traitlets.utils.importstring import import_item

    from npq_widgets.server.kernels import RoomKernelManager

    cfg = json.loads(voila_config().read_text(encoding="utf-8"))
    assert import_item(cfg["VoilaConfiguration"]["multi_kernel_manager_class"]) is RoomKernelManager
    filters = cfg["Voila"]["logging_config"]["filters"]
    assert import_item(filters["npq_quiet"]["()"]) is QuietLogFilter
    assert cfg["Voila"]["logging_config"]["handlers"]["console"]["filters"] == ["npq_quiet"]
    culling = cfg["MappingKernelManager"]
    assert culling["cull_idle_timeout"] == IDLE_CULL_SECONDS == 300
    assert culling["cull_connected"] is False  # an open page's kernel is never culled, however long it sits
    assert culling["cull_interval"] <= 60


def test_room_kernel_manager_refuses_a_cap_below_one():
    from traitlets import TraitError

    from npq_widgets.server.kernels import RoomKernelManager

    assert RoomKernelManager().max_kernels == DEFAULT_MAX_KERNELS
    with pytest.raises(TraitError):
        RoomKernelManager(max_kernels=0)


def test_voila_command_passes_the_cap_and_uses_ipc_kernels():
    cmd = voila_command(8899, max_kernels=7)
    assert "--RoomKernelManager.max_kernels=7" in cmd
    assert f"--RoomKernelManager.max_kernels={DEFAULT_MAX_KERNELS}" in voila_command(8899)
    if sys.platform.startswith("linux"):
        assert ipc_transport_works() and "--KernelManager.transport=ipc" in cmd


def test_run_takes_max_kernels(capsys):
    parser = build_parser()
    assert parser.parse_args(["run", "--max-kernels", "5"]).max_kernels == 5
    assert parser.parse_args(["run"]).max_kernels == DEFAULT_MAX_KERNELS
    for bad in ("0", "-3", "many"):
        with pytest.raises(SystemExit) as stop:
            parser.parse_args(["run", "--max-kernels", bad])
        assert stop.value.code == 2
        err = capsys.readouterr().err
        assert "not a whole number of at least 1" in err and "Traceback" not in err


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="kernel_pids reads /proc (Linux)")
def test_kernel_pids_counts_only_the_kernels_of_the_given_server(tmp_path):
    # a stand-in "kernel" whose command line names ipykernel, started by this process; and one started by another
    kernel = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", "ipykernel_launcher"])
    other = subprocess.Popen([sys.executable, "-c", "import subprocess, sys, time; "
                              "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)', "
                              "'ipykernel_launcher']); time.sleep(60)"])
    plain = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    grandchild: set[int] = set()
    try:
        assert _wait_for(lambda: len(kernel_pids(other.pid)) == 1, timeout=10)
        grandchild = kernel_pids(other.pid)
        assert kernel_pids(os.getpid()) == {kernel.pid}  # neither the grandchild nor the plain process
        assert kernel.pid not in grandchild
    finally:
        for pid in grandchild:  # before its parent goes, while we still know it
            os.kill(pid, 9)
        for proc in (kernel, other, plain):
            proc.kill()
            proc.wait()


# --- together, against a real server -----------------------------------------------------------------------------
def _wait_for(predicate, timeout=30.0, step=0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


def _get(url: str):
    try:
        with urllib.request.urlopen(url, timeout=120) as resp:
            return resp.status, resp.headers, resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read().decode("utf-8", "replace")


def _post(url: str, fields: dict[str, str], cookies: dict[str, str]) -> int:
    req = urllib.request.Request(url, data=urllib.parse.urlencode(fields).encode(), method="POST",
                                 headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
                                          "Origin": url.split("/voila/")[0]})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status
    except urllib.error.HTTPError as err:
        return err.code


def _cookies(headers) -> dict[str, str]:
    jar = http.cookies.SimpleCookie()
    for line in headers.get_all("Set-Cookie") or []:
        jar.load(line)
    return {k: m.value for k, m in jar.items()}


@pytest.fixture
def room(tmp_path):
    """A server capped at 2 kernels, serving one app and one notebook that fails (a real error for the log)."""
    folder = tmp_path / "notebooks"
    (folder / "apps").mkdir(parents=True)
    (folder / "apps" / "which-npq.ipynb").write_bytes((notebooks_dir() / "apps" / "which-npq.ipynb").read_bytes())
    nb = new_notebook(cells=[new_code_cell("raise RuntimeError('npq deliberate failure for the log test')")],
                      metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    nbformat.write(nb, folder / "broken.ipynb")
    server = VoilaServer(tmp_path / "home", show_tracebacks=False, max_kernels=2, notebooks=folder)
    yield server
    server.stop()


def test_a_room_capped_at_two(room):
    kernels = lambda: len(kernel_pids(room.proc.pid))  # noqa: E731

    # 1. a page load starts a kernel and gives the browser the _xsrf cookie its shutdown call needs
    status, headers, html = _get(room.app_url("apps/which-npq.ipynb"))
    assert status == 200
    cookies = _cookies(headers)
    assert cookies.get("_xsrf"), headers.get_all("Set-Cookie")
    kernel_id = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', html).group(1)
    assert _wait_for(lambda: kernels() == 1)

    # 2. the shutdown call is still checked: without the token it is refused, with it the kernel goes
    shutdown = f"{room.url}/voila/api/shutdown/{kernel_id}"
    assert _post(shutdown, {}, {}) == 403
    assert kernels() == 1
    assert _post(shutdown, {"_xsrf": cookies["_xsrf"]}, cookies) == 204
    assert _wait_for(lambda: kernels() == 0), "the kernel of a closed page is still running"

    # 3. two places: a failing notebook and an app take them; the third visitor is told to come back
    status, _, html = _get(room.app_url("broken.ipynb"))
    assert status == 200 and "Traceback" not in html  # the visitor sees no traceback (show_tracebacks off)
    assert _get(room.app_url("apps/which-npq.ipynb"))[0] == 200
    assert _wait_for(lambda: kernels() == 2)
    status, headers, html = _get(room.app_url("apps/which-npq.ipynb"))
    assert status == 503
    assert headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert headers["Content-Type"].startswith("text/html")
    assert _read_page(html).h1 == ["The room is full"]
    assert "Traceback" not in html
    assert kernels() == 2  # no kernel was started for the refused page

    # 4. the terminal: the real error is there, the two noise lines are not
    log = room.log.read_text(errors="replace")
    assert "Error at server while executing cell" in log and "npq deliberate failure for the log test" in log
    assert "The room is full" in log  # the facilitator sees why a visitor was turned away
    assert "Kernel started" in log  # ordinary information still shows
    assert "without encryption" not in log, log
    assert "is not trusted" not in log, log


def test_the_server_layer_needs_no_widgets_and_nothing_above_it():
    from .test_layers import PKG, imports_of

    for path in (PKG / "server").rglob("*.py"):
        mods = imports_of(path)
        assert not [m for m in mods if m.split(".")[0] in ("ipywidgets", "anywidget", "matplotlib")], path
        assert not [m for m in mods if m.startswith(("npq_widgets.cli", "npq_widgets.apps", "npq_widgets.views",
                                                      "npq_widgets.pages", "npq_widgets.widgets"))], path


def test_the_command_line_does_not_import_jupyter_server():
    """`npq-workbook catalogue` and friends stay quick: only Voila imports the kernel manager."""
    code = "import sys, npq_widgets.cli; print('jupyter_server' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_room_mode_reaches_every_kernel_started_by_the_room_manager(monkeypatch):
    """`npq-workbook run --room` → `--RoomKernelManager.workbook_mode=room` → NPQ_WORKBOOK_MODE=room in the
    environment Voila gives the kernel (a copy of the server's own, which it passes as ``env``)."""

    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

    from npq_widgets.cli import voila_command
    from npq_widgets.server.kernels import RoomKernelManager

    assert "--RoomKernelManager.workbook_mode=room" in voila_command(8899, room=True)
    assert not any("workbook_mode" in a for a in voila_command(8899))
    seen = []

    async def fake_start(self, *args, **kwargs):
        seen.append(kwargs.get("env"))
        return kwargs["kernel_id"]

    monkeypatch.setattr(AsyncMappingKernelManager, "start_kernel", fake_start)
    monkeypatch.setenv("NPQ_WORKBOOK_MODE", "")
    room = RoomKernelManager(workbook_mode="room")
    from tests.kernel_ws import _run  # asyncio.run, also beside Playwright's running event loop in a full session

    _run(room.start_kernel(env={"VOILA_KERNEL_ID": "x", "PATH": "/bin"}))
    assert seen[-1] == {"VOILA_KERNEL_ID": "x", "PATH": "/bin", "NPQ_WORKBOOK_MODE": "room"}
    _run(RoomKernelManager().start_kernel(env={"VOILA_KERNEL_ID": "y"}))
    assert seen[-1] == {"VOILA_KERNEL_ID": "y"}  # personal: the kernel has the server's environment, unchanged


def _kernel_env(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(item.decode(errors="replace").split("=", 1) for item in raw if b"=" in item)


def _get_with(url: str, cookies: dict[str, str]):
    req = urllib.request.Request(url, headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())})
    with urllib.request.urlopen(req, timeout=120) as resp:
        return resp.headers, resp.read().decode("utf-8", "replace")


def test_in_room_mode_the_server_hands_each_kernel_its_browsers_workbook_key(tmp_path):
    """The key travels in a cookie the server reads (or makes) as the page starts its kernel, so the page opens on the
    visitor's workbook at once — no message from the loaded page has to arrive first. A browser without a valid key
    (none, the laptop owner's ``local``, something short) is given a new random one; one with a key keeps it."""
    folder = tmp_path / "notebooks"
    (folder / "apps").mkdir(parents=True)
    (folder / "apps" / "which-npq.ipynb").write_bytes((notebooks_dir() / "apps" / "which-npq.ipynb").read_bytes())
    server = VoilaServer(tmp_path / "home", show_tracebacks=False, notebooks=folder, room=True)
    try:
        before: set[int] = set()

        def new_kernel_env() -> dict[str, str]:
            assert _wait_for(lambda: kernel_pids(server.proc.pid) - before)
            pid = max(kernel_pids(server.proc.pid) - before)
            before.add(pid)
            return _kernel_env(pid)

        # a first visit: a new key, set as a cookie for the whole site, given to the kernel
        headers, _ = _get_with(server.app_url("apps/which-npq.ipynb"), {})
        jar = http.cookies.SimpleCookie()
        for line in headers.get_all("Set-Cookie") or []:
            jar.load(line)
        key = jar["npq_workbook_key"].value
        assert re.fullmatch(r"[0-9a-f]{32}", key)
        assert jar["npq_workbook_key"]["path"] == "/" and jar["npq_workbook_key"]["samesite"] == "Strict"
        env = new_kernel_env()
        assert env["NPQ_WORKBOOK_MODE"] == "room" and env["NPQ_WORKBOOK_KEY"] == key

        # the same browser again: its key, and no new cookie
        headers, _ = _get_with(server.app_url("apps/which-npq.ipynb"), {"npq_workbook_key": key})
        assert "npq_workbook_key" not in " ".join(headers.get_all("Set-Cookie") or [])
        assert new_kernel_env()["NPQ_WORKBOOK_KEY"] == key

        # a browser that names the owner's workbook (or a short, guessable key) gets a fresh one instead
        for hostile in ("local", "abc12", "../../etc/passwd0000"):
            headers, _ = _get_with(server.app_url("apps/which-npq.ipynb"), {"npq_workbook_key": hostile})
            given = new_kernel_env()["NPQ_WORKBOOK_KEY"]
            assert given != hostile and re.fullmatch(r"[0-9a-f]{32}", given)
            assert f"npq_workbook_key={given}" in " ".join(headers.get_all("Set-Cookie") or [])
    finally:
        server.stop()


def test_the_room_never_drops_a_pages_widgets_when_the_server_is_behind():
    """ZeroMQ drops messages past a queue of 1,000 when the reader is slow; a page of 1,000+ widgets sends more than
    that at once, and under load Voila lost the page's output and its "finished" message (the page came without its
    widgets after "Timeout waiting for IOPub output"; measured: 2 of 6 loads of a 1,500-row page at once). The room's
    receiving sockets have no limit, and every client of a kernel — Voila's executor included — uses the manager's
    context that carries it. bench/heavy_page.py loads such a page several times at once and counts what was lost."""
    import zmq

    from npq_widgets.server.kernels import RoomKernel, RoomKernelManager

    room = RoomKernelManager()
    assert room.kernel_manager_class == "npq_widgets.server.kernels.RoomKernel"
    assert room.context.getsockopt(zmq.RCVHWM) == 0
    kernel = RoomKernel(context=room.context, kernel_name="python3")
    client = kernel.client()
    assert client.context is room.context
    sub = client.context.socket(zmq.SUB)
    try:
        assert sub.getsockopt(zmq.RCVHWM) == 0  # the iopub socket of every client: unbounded
    finally:
        sub.close(linger=0)
