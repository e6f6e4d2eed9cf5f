"""Shared fixtures: a Voila server on 127.0.0.1 and Debian's Chromium driven by Playwright, offline."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from npq_widgets.cli import voila_command
from npq_widgets.paths import voila_config

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("NPQ_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = REPO / "test-artifacts"

try:  # assertions in browser tests wait up to 20 s: a kernel on a busy 2-core CI machine can be slow
    from playwright.sync_api import expect as _expect

    _expect.set_options(timeout=20_000)
except ImportError:  # pragma: no cover - the test extra installs playwright
    pass


@pytest.fixture(scope="session", autouse=True)
def _strict_checks():
    """The whole session checks strictly: a rule that raises fails its test instead of becoming the learner's "This
    part could not be checked" (npq_widgets.checks.rules). Set in the environment, so the command line and Voila
    started by the tests check strictly too. A test of the learner's behaviour opts out with strict_checks(False)."""
    from npq_widgets.checks import STRICT_ENV

    before = os.environ.get(STRICT_ENV)
    os.environ[STRICT_ENV] = "1"
    yield
    if before is None:
        os.environ.pop(STRICT_ENV, None)
    else:
        os.environ[STRICT_ENV] = before


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    """Every test gets its own empty workbook home."""
    home = tmp_path / "npq-home"
    home.mkdir()
    monkeypatch.setenv("NPQ_WORKBOOK_HOME", str(home))
    return home


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class VoilaServer:
    def __init__(self, home: Path, *, show_tracebacks: bool = True, port: int | None = None,
                 log_name: str = "voila.log", extra_args: list[str] | None = None, **command_options):
        """``command_options`` go to ``voila_command`` (e.g. ``max_kernels``, ``notebooks``, ``room``,
        ``facilitator``); ``log_name``: the server's log beside ``home`` (two servers sharing a home need two);
        ``extra_args`` are added to its command line (e.g. a kernel pool)."""
        self.port = port or _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.home = home
        self.log = home.parent / log_name
        env = dict(os.environ, NPQ_WORKBOOK_HOME=str(home), MPLBACKEND="Agg")
        self._log = open(self.log, "wb")
        self.proc = subprocess.Popen(voila_command(self.port, show_tracebacks=show_tracebacks, **command_options)
                                     + list(extra_args or ()), cwd=voila_config().parent, env=env,
                                     stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"Voila exited early:\n{self.log.read_text(errors='replace')}")
            try:
                urllib.request.urlopen(self.url + "/", timeout=2).read()
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("Voila did not answer within 60 s")

    def app_url(self, notebook: str) -> str:
        return f"{self.url}/voila/render/{notebook}"

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self._log.close()


@pytest.fixture(scope="session")
def voila_server(tmp_path_factory):
    """The gallery as on an event laptop (``npq-workbook run --room``): each browser context is a visitor with a
    workbook of its own, so tests sharing this server never see each other's work. The person's own gallery
    (one workbook with JupyterLab) is tested in tests/test_browser_lab.py."""
    server = VoilaServer(tmp_path_factory.mktemp("voila") / "home", room=True)
    yield server
    server.stop()


# --- Playwright: Debian's Chromium, no downloads, nothing but 127.0.0.1 ---------------------------------------
@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (./workbook test installs Debian's chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "locale": "en-GB"}


_LOCAL = ("http://127.0.0.1", "data:", "blob:")


def _only_local_route(blocked: list[str]):
    def only_local(route):
        if route.request.url.startswith(_LOCAL):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()
    return only_local


@pytest.fixture
def offline_context(browser, browser_context_args):
    """A factory of fresh browser contexts (separate cookies and storage: separate visitors), offline like offline_page."""
    made = []

    def make():
        ctx = browser.new_context(**browser_context_args)
        ctx.npq_blocked = []
        ctx.route("**/*", _only_local_route(ctx.npq_blocked))
        ctx.set_default_timeout(30_000)
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        ctx.close()


@pytest.fixture
def offline_page(page):
    """A page that may only talk to 127.0.0.1: proof the apps work on an event laptop with no internet.

    ``page.npq_blocked`` lists what was refused; ``page.npq_errors`` collects uncaught page errors."""
    blocked: list[str] = []
    errors: list[str] = []
    page.context.route("**/*", _only_local_route(blocked))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.npq_blocked = blocked
    page.npq_errors = errors
    page.set_default_timeout(30_000)
    return page


def open_app(page, server: VoilaServer, notebook: str, ready_selector: str):
    """Navigate without waiting for 'load' (a frozen load would hang), then wait for the app's own widget."""
    page.goto(server.app_url(notebook), wait_until="commit")
    try:
        page.wait_for_selector(ready_selector, timeout=60_000)
    except Exception:  # noqa: BLE001 - a page load that stalls (Voila's known freeze, a loaded machine): reload once,
        page.reload(wait_until="commit")  # as a visitor would; a page that never opens still fails below
        try:
            page.wait_for_selector(ready_selector, timeout=60_000)
        except Exception as exc:  # say what the page and the server's log showed, for whoever reads the failure
            log = server.log.read_text(errors="replace")[-3000:] if server.log.exists() else ""
            raise AssertionError(f"{notebook} did not open: {page.inner_text('body')[:400]!r}\n"
                                 f"--- the end of the server's log ---\n{log}") from exc
    body = page.inner_text("body")
    assert "Traceback" not in body and "Error" not in body.split("\n")[0], body[:2000]
    return page


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    app = page.locator(".npq-app").first
    box = app.bounding_box() if app.count() else None
    size = page.viewport_size
    if box and size:  # Voila scrolls inside its own container: grow the window to the whole app, then shoot
        page.set_viewport_size({"width": size["width"], "height": int(min(box["y"] + box["height"] + 40, 6000))})
        page.wait_for_timeout(300)
        page.screenshot(path=str(path))
        page.set_viewport_size(size)
    else:
        page.screenshot(path=str(path), full_page=True)
    return path


def python_exe() -> str:
    return sys.executable


def have_tool(name: str) -> bool:
    return shutil.which(name) is not None
