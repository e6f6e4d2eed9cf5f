"""Binder as documented: the image's start-up gets the settings `npq-workbook run` has.

On Binder (and a hub) Voila is a Jupyter server extension, so the settings must be in the server's config path. This
test runs binder/postBuild's own config line into a temporary JUPYTER_CONFIG_DIR, starts `jupyter server` (Voila's
extension enabled, as in the image) on 127.0.0.1 with the repository as its root, as Binder does, and checks each
setting by its effect: the README's Voila link renders the start page without code and without any CDN; a 12 MB
websocket message (over tornado's 10 MB default) reaches the kernel; the kernel manager culls idle kernels."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from npq_widgets.paths import voila_config
from tests.kernel_ws import execute, start_kernel

REPO = Path(__file__).resolve().parents[1]
PORT = 18431
TOKEN = "npq-binder-test-token"
VOILA_TEMPLATE_FONTS = {  # voila/templates/lab/index.html.j2 (voila 0.5.x)
    "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@^5/css/all.min.css",
    "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@^5/css/v4-shims.min.css",
}


def postbuild_config_line() -> str:
    lines = [ln for ln in (REPO / "binder" / "postBuild").read_text().splitlines()
             if "npq_widgets.hosting write-config" in ln and not ln.lstrip().startswith("#")]
    assert len(lines) == 1, lines
    return lines[0]


@pytest.fixture(scope="module")
def binder_server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("binder")
    config_dir, elsewhere, home = tmp / "jupyter-config", tmp / "cwd", tmp / "home"
    elsewhere.mkdir()
    home.mkdir()
    data_dir = tmp / "jupyter-data"
    env = dict(os.environ, NPQ_JUPYTER_CONFIG_DIR=str(config_dir), NPQ_JUPYTER_DATA_DIR=str(data_dir),
               PYTHONPATH=str(REPO),
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    subprocess.run(["bash", "-euo", "pipefail", "-c", postbuild_config_line()], cwd=REPO, env=env, check=True,
                   capture_output=True, timeout=60)
    assert (config_dir / "jupyter_server_config.json").is_file() and (config_dir / "voila.json").is_file()

    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER_CONFIG", "NPQ_JUPYTER"))}
    env.update(JUPYTER_CONFIG_DIR=str(config_dir), JUPYTER_PATH=str(data_dir), PYTHONPATH=str(REPO),
               NPQ_WORKBOOK_HOME=str(home),
               MPLBACKEND="Agg")
    cmd = [sys.executable, "-m", "jupyter_server", "--no-browser", "--ServerApp.ip=127.0.0.1", f"--port={PORT}",
           "--ServerApp.port_retries=0", f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={REPO}"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    log = tmp / "server.log"
    with open(log, "wb") as out:
        # cwd is not the repository, so the repository's own voila.json (read from the working folder) cannot help
        proc = subprocess.Popen(cmd, cwd=elsewhere, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{PORT}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"jupyter server exited:\n{log.read_text(errors='replace')[-3000:]}")
            try:
                urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("jupyter server did not answer within 60 s")
                time.sleep(0.3)
        yield base, log
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _readme_voila_path() -> str:
    readme = (REPO / "README.md").read_text()
    m = re.search(r"mybinder\.org/v2/gh/[^)\s]+\?urlpath=voila/render/([^)\s]+)\)", readme)
    assert m, "README has no Binder badge for the Voila start page"
    return m.group(1)


@pytest.mark.slow
def test_readme_voila_link_renders_the_start_page_with_no_code_and_no_cdn(binder_server):
    base, log = binder_server
    path = _readme_voila_path()
    assert path == "notebooks/gallery.ipynb"  # the gallery is the landing page, as on the workbook's own server
    with urllib.request.urlopen(f"{base}/voila/render/{path}?token={TOKEN}", timeout=120) as resp:
        page = resp.read().decode()
    assert resp.status == 200
    assert "application/vnd.jupyter.widget-view+json" in page, page[-2000:]
    assert "from npq_widgets.apps import gallery" not in page  # strip_sources from the written voila.json
    assert "Traceback" not in page
    # No script from a CDN. The one external reference is Voila's lab template's Font Awesome stylesheet (icons
    # only): the pages work without it — the browser tests block every request not to 127.0.0.1.
    assert re.findall(r'<script\b[^>]*\bsrc="(https?://[^"]+)"', page) == []
    external = re.findall(r'<(?:link|img|iframe)\b[^>]*\b(?:src|href)="(https?://[^"]+)"', page)
    assert set(external) <= VOILA_TEMPLATE_FONTS, external
    assert external == [] and "<main" in page  # the workbook's own page template: one <main>, no CDN fonts


@pytest.mark.slow
def test_uploads_up_to_64_mb_reach_the_kernel_and_idle_kernels_are_culled(binder_server):
    base, log = binder_server
    kernel = start_kernel(base, TOKEN)
    big = execute(base, TOKEN, kernel, "x = '" + "a" * (12 * 1024 * 1024) + "'\nprint(len(x))", timeout=120)
    assert big.closed == "" and big.status == "ok", big
    assert big.stdout.strip() == str(12 * 1024 * 1024)
    deadline = time.monotonic() + 10
    timeout = json.loads(voila_config().read_text())["MappingKernelManager"]["cull_idle_timeout"]
    while f"Culling kernels with idle durations > {timeout} seconds at 60 second intervals" not in log.read_text():
        assert time.monotonic() < deadline, log.read_text()[-3000:]
        time.sleep(0.2)


def test_every_binder_link_in_the_readme_names_a_real_notebook():
    readme = (REPO / "README.md").read_text()
    targets = re.findall(r"mybinder\.org/v2/gh/[^)\s]+\?urlpath=(?:voila/render|lab/tree)/([^)\s]+)\)", readme)
    assert len(targets) >= 10  # the start page as an app and in JupyterLab, and one badge per app
    assert [t for t in targets if not (REPO / t).is_file()] == []
    apps = {p.stem for p in (REPO / "notebooks" / "apps").glob("*.ipynb") if not p.stem.endswith(("-own-team",
                                                                                                  "-own-project",
                                                                                                  "-own-programme"))}
    assert apps <= {Path(t).stem for t in targets}
