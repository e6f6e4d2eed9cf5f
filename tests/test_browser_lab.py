"""One workbook per person, in a real browser: JupyterLab and the app gallery on one computer show the same work, and
a session in Lab (open, run all, save, close) leaves the notebooks exactly as committed (issue 13).

The notebooks are copied into a git repository of their own, so the worktree stays clean whatever Lab writes."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from npq_widgets.cli import lab_environment

from .conftest import REPO, VoilaServer, open_app, screenshot

pytestmark = pytest.mark.browser
APP = "apps/which-npq.ipynb"
READY = ".npq-which-npq .npq-scope"
GIT = ["git", "-c", "user.name=npq-test", "-c", "user.email=test@npq-workbook.invalid"]


def port_in(low: int, high: int) -> int:
    for port in range(low, high):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {low}–{high}")


class LabServer:
    """`jupyter lab` as a candidate gets it from `npq-workbook lab`: the workbook's server configuration (the
    pre-save hook), no token, on 127.0.0.1, with settings and workspaces of its own."""

    def __init__(self, root: Path, home: Path, port: int):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        state = home.parent / "lab-state"
        env = dict(lab_environment(), NPQ_WORKBOOK_HOME=str(home), MPLBACKEND="Agg",
                   JUPYTERLAB_SETTINGS_DIR=str(state / "settings"), JUPYTERLAB_WORKSPACES_DIR=str(state / "ws"))
        self.log = open(home.parent / "lab.log", "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.token=", "--ServerApp.password=",
             "--ip", "127.0.0.1", f"--port={port}", "--allow-root", f"--ServerApp.root_dir={root}",
             "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
            env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError((home.parent / "lab.log").read_text(errors="replace"))
            try:
                urllib.request.urlopen(self.url + "/api/status", timeout=2).read()
                return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("JupyterLab did not answer within 90 s")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


@pytest.fixture(scope="module")
def one_computer(tmp_path_factory):
    """A candidate's own computer: the notebooks (in a git repository), one workbook home, JupyterLab and the app
    gallery in personal mode (no --room) both running on them."""
    base = tmp_path_factory.mktemp("own-computer")
    repo = base / "repo"
    shutil.copytree(REPO / "notebooks", repo / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copy(REPO / ".gitignore", repo / ".gitignore")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run([*GIT, "-C", str(repo), "add", "-A"], check=True)
    subprocess.run([*GIT, "-C", str(repo), "commit", "-qm", "as shipped"], check=True)
    home = base / "home"
    lab = LabServer(repo / "notebooks", home, port_in(19140, 19170))
    try:
        voila = VoilaServer(home, notebooks=repo / "notebooks", port=port_in(19170, 19199))
    except Exception:
        lab.stop()
        raise
    yield repo, home, lab, voila
    voila.stop()
    lab.stop()


def current(page) -> str:
    """A selector of the notebook in the current tab of the main area (the other tabs' panels stay in the page)."""
    tab = page.locator(".jp-MainAreaWidget-ContainerTab.lm-mod-current, #jp-main-dock-panel .lm-TabBar-tab.lm-mod-current")
    return f"[id='{tab.first.get_attribute('data-id')}']"


def lab_open(page, lab: LabServer, notebook: str) -> None:
    page.goto(f"{lab.url}/lab/tree/{notebook}", wait_until="commit")
    expect(page.locator(f"#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current[title*='{notebook.split('/')[-1]}']")
           ).to_have_count(1, timeout=90_000)
    expect(page.locator(f"{current(page)} .jp-Notebook-ExecutionIndicator[data-status='idle']")).to_have_count(
        1, timeout=90_000)


def run_all(page) -> None:
    """Run > Run All Cells. A click that lands before the kernel's connection is ready runs nothing (the prompts
    stay "[ ]:"), so it is repeated until the last code cell has been sent to the kernel ("[*]:" or "[n]:"; an
    earlier run's number is replaced by "[*]:" at once, so a second Run All is seen too)."""
    last_prompt = page.locator(f"{current(page)} .jp-CodeCell .jp-InputPrompt").last
    for _ in range(5):
        dialog = page.locator(".jp-Dialog")
        assert not dialog.count(), f"JupyterLab shows a dialog: {dialog.first.inner_text()[:300]}"
        page.locator(".lm-MenuBar-item", has=page.locator(".lm-MenuBar-itemLabel", has_text="Run")).first.click()
        page.locator("li[data-command='runmenu:run-all']").click()
        try:
            expect(last_prompt).to_have_text(re.compile(r"\[(\*|\d+)\]"), timeout=8_000)
            return
        except AssertionError:
            continue
    raise AssertionError("Run All did not run the notebook")


def file_command(page, command: str) -> None:
    dialog = page.locator(".jp-Dialog")
    assert not dialog.count(), f"JupyterLab shows a dialog: {dialog.first.inner_text()[:300]}"
    page.locator(".lm-MenuBar-item", has=page.locator(".lm-MenuBar-itemLabel", has_text="File")).first.click()
    page.locator(f"li[data-command='{command}']").first.click()


def git_status(repo: Path) -> str:
    return subprocess.run(["git", "-C", str(repo), "status", "--porcelain", "notebooks"], capture_output=True,
                          text=True, check=True).stdout


def test_jupyterlab_and_the_apps_show_one_workbook_and_lab_leaves_the_notebooks_unchanged(one_computer,
                                                                                          offline_context):
    repo, home, lab, voila = one_computer
    in_lab = offline_context().new_page()
    lab_open(in_lab, lab, APP)
    page_tab = in_lab.locator(".lm-TabBar-tab.jp-mod-current")
    in_lab.wait_for_timeout(2000)  # the kernel's reply fills language_info: that is when Lab used to mark it changed
    expect(page_tab).not_to_have_class(re.compile(r"jp-mod-dirty"))  # opens unmodified: no ●
    expect(in_lab.locator(".npq-lab-note")).to_contain_text("Discard is safe")
    run_all(in_lab)
    in_lab.wait_for_selector(READY, timeout=90_000)
    expect(in_lab.locator(".npq-whose-workbook")).to_contain_text("Your workbook on this computer")
    in_lab.get_by_label("Leading a school").check()
    expect(in_lab.locator(".npq-save-status")).to_contain_text("Saved at")
    assert (home / "workbooks" / "local" / "which-npq.json").exists()

    # the same person opens the app gallery: the work done in JupyterLab is there
    app = offline_context().new_page()
    open_app(app, voila, APP, READY)
    expect(app.get_by_label("Leading a school")).to_be_checked()
    expect(app.locator(".npq-save-status")).to_contain_text("Your saved work is back")
    expect(app.locator(".npq-whose-workbook")).to_contain_text("Your workbook on this computer")
    expect(app.locator(".npq-lab-note")).to_be_hidden()  # nobody is asked to save under Voila
    app.get_by_label("Leading a team").check()
    expect(app.locator(".npq-save-status")).to_contain_text("Saved at")
    screenshot(app, "which-npq-personal-gallery")

    # … and what was done in the app is in JupyterLab after running the notebook again
    in_lab.bring_to_front()  # Lab acts on the notebook that has the focus: its window must be the active one
    run_all(in_lab)
    expect(in_lab.get_by_label("Leading a team")).to_be_checked(timeout=60_000)
    expect(in_lab.get_by_label("Leading a school")).not_to_be_checked()

    # save the notebook (as Ctrl+S would): the file on disk is still the committed one
    saved = repo / "notebooks" / APP
    before = saved.stat().st_mtime_ns
    for _ in range(3):  # Ctrl+S, as a candidate saves; a key pressed while Lab is still busy can be lost: again
        in_lab.locator(f"{current(in_lab)} .jp-CodeCell .jp-InputPrompt").first.click()  # the notebook has the focus
        in_lab.keyboard.press("Escape")
        in_lab.keyboard.press("Control+s")
        deadline = time.monotonic() + 10
        while saved.stat().st_mtime_ns == before and time.monotonic() < deadline:
            time.sleep(0.2)
        if saved.stat().st_mtime_ns != before:
            break
    if saved.stat().st_mtime_ns == before:
        in_lab.screenshot(path=str(REPO / "test-artifacts" / "lab-not-saved.png"))
    assert saved.stat().st_mtime_ns != before, "JupyterLab did not save the notebook (test-artifacts/lab-not-saved.png)"
    expect(page_tab).not_to_have_class(re.compile(r"jp-mod-dirty"))
    assert "model_id" not in saved.read_text() and "widget-state" not in saved.read_text()
    assert git_status(repo) == ""

    # the links of the contents page open notebooks in JupyterLab there (and stay app links under Voila)
    lab_open(in_lab, lab, "00_start_here.ipynb")
    run_all(in_lab)
    try:
        in_lab.wait_for_selector(".npq-contents .npq-progress", timeout=90_000)
    except Exception:
        in_lab.screenshot(path=str(REPO / "test-artifacts" / "lab-contents.png"))
        raise
    expect(in_lab.locator(".npq-contents a", has_text="Which NPQ is for me?")).to_have_attribute(
        "href", "/lab/tree/apps/which-npq.ipynb", timeout=90_000)
    first_module = in_lab.locator(".npq-progress tr[data-module] a").first
    expect(first_module).to_have_attribute("href", re.compile(r"^/lab/tree/modules/[a-z0-9-]+\.ipynb$"))
    contents = offline_context().new_page()
    open_app(contents, voila, "00_start_here.ipynb", ".npq-contents .npq-progress")
    expect(contents.locator(".npq-contents a", has_text="Which NPQ is for me?")).to_have_attribute(
        "href", "apps/which-npq.ipynb")
    in_lab.bring_to_front()

    # close every tab, answering JupyterLab's "Save changes?" with Discard: the repository is unchanged
    file_command(in_lab, "application:close-all")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        discard = in_lab.locator(".jp-Dialog button", has_text="Discard")
        if discard.count():
            discard.first.click()
        elif not in_lab.locator(".jp-NotebookPanel").count():
            break
        in_lab.wait_for_timeout(300)
    assert not in_lab.locator(".jp-NotebookPanel").count()
    assert git_status(repo) == ""


def test_a_chart_is_drawn_in_jupyterlab_once_its_area_is_painted(one_computer, offline_context):
    """Charts wait for the browser to paint their area (widgets/chart_area.py, an anywidget): JupyterLab paints it
    and the chart comes, as in Voila."""
    _repo, _home, lab, _voila = one_computer
    page = offline_context().new_page()
    lab_open(page, lab, "apps/risk-register.ipynb")
    run_all(page)
    page.wait_for_selector(f"{current(page)} .npq-risk-app .npq-check", timeout=90_000)
    expect(page.locator(f"{current(page)} .npq-heat-map img")).to_have_attribute(
        "alt", re.compile("Risk heat map"), timeout=60_000)
    expect(page.locator(f"{current(page)} .npq-chart-pending")).to_have_count(0)
