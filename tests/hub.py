"""A real JupyterHub on 127.0.0.1 for the cohort tests: configurable-http-proxy from npm, the shipped
deploy/jupyterhub/jupyterhub_config.py loaded first, the test's own settings after it."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHIPPED_CONFIG = REPO / "deploy" / "jupyterhub" / "jupyterhub_config.py"


def find_chp() -> str | None:
    """configurable-http-proxy: $NPQ_CHP, the npm cache folder `./workbook test` fills, or PATH."""
    for candidate in (os.environ.get("NPQ_CHP"),
                      str(REPO / ".cache" / "npm" / "node_modules" / ".bin" / "configurable-http-proxy"),
                      shutil.which("configurable-http-proxy")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def missing_hub_tools() -> str | None:
    """Why a hub cannot be started here, or None."""
    try:
        import jupyterhub  # noqa: F401
    except ImportError:
        return "jupyterhub is not installed (it is in the test extra)"
    if shutil.which("node") is None:
        return "node is not installed (./workbook test installs Debian's nodejs and npm)"
    if find_chp() is None:
        return ("configurable-http-proxy is not installed (./workbook test runs "
                "`npm install --prefix .cache/npm configurable-http-proxy`)")
    return None


class Hub:
    def __init__(self, workdir: Path, port: int, extra_config: str, env: dict[str, str] | None = None):
        self.port, self.workdir = port, workdir
        self.url = f"http://127.0.0.1:{port}"
        self.token = "npq-hub-test-service-token-" + os.urandom(8).hex()
        config = workdir / "jupyterhub_config.py"
        config.write_text(
            f"load_subconfig({str(SHIPPED_CONFIG)!r})\n"
            f"c.JupyterHub.ip = '127.0.0.1'\n"
            f"c.JupyterHub.port = {port}\n"
            f"c.JupyterHub.hub_ip = '127.0.0.1'\n"
            f"c.JupyterHub.hub_port = {port + 1}\n"
            f"c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:{port + 2}'\n"
            f"c.ConfigurableHTTPProxy.command = [{find_chp()!r}]\n"
            f"c.JupyterHub.db_url = 'sqlite:///{workdir / 'hub.sqlite'}'\n"
            f"c.JupyterHub.cookie_secret_file = {str(workdir / 'cookie_secret')!r}\n"
            f"c.JupyterHub.pid_file = {str(workdir / 'hub.pid')!r}\n"
            "c.JupyterHub.cleanup_servers = True\n"
            "c.JupyterHub.services = [{'name': 'npq-test', 'api_token': %r}]\n"
            "c.JupyterHub.load_roles = [{'name': 'npq-test', 'services': ['npq-test'],\n"
            "    'scopes': ['admin:users', 'admin:servers', 'tokens', 'list:users', 'read:users']}]\n"
            "c.Spawner.http_timeout = 90\n"
            "c.Spawner.start_timeout = 90\n" % self.token
            + extra_config
        )
        self.log = workdir / "hub.log"
        self._log = open(self.log, "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(config)], cwd=workdir,
            env=dict(os.environ, **(env or {})), stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"JupyterHub exited:\n{self.log.read_text(errors='replace')[-4000:]}")
            try:
                self.api("GET", "/")
                return
            except (OSError, urllib.error.HTTPError):
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"JupyterHub did not answer:\n{self.log.read_text(errors='replace')[-4000:]}")
                time.sleep(0.3)

    def api(self, method: str, path: str, body: dict | None = None, token: str | None = None):
        req = urllib.request.Request(
            f"{self.url}/hub/api{path}", method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {token or self.token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as resp:
            raw = resp.read()
            return json.loads(raw) if raw else None

    def wait_ready(self, user: str, timeout: float = 90) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            model = self.api("GET", f"/users/{user}")
            server = model.get("servers", {}).get("")
            if server and server.get("ready"):
                return model
            if self.proc.poll() is not None:
                break
            time.sleep(0.5)
        raise AssertionError(f"{user}'s server did not start:\n{self.log.read_text(errors='replace')[-4000:]}")

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # the hub stops the user servers it started (cleanup_servers)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def get_no_redirect(url: str, headers: dict[str, str] | None = None, opener=None):
    """(status, Location) of a GET without following redirects."""
    opener = opener or urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers or {}), timeout=60) as resp:
            return resp.status, resp.headers.get("Location")
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Location")
