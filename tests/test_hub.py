"""A cohort on JupyterHub, for real on 127.0.0.1: two Unix users, each with their own server, saving work through the
workbook's store from their own kernel; neither can read the other's work, over HTTP or from their kernel.

The hub is JupyterHub with configurable-http-proxy (npm), the shipped deploy/jupyterhub/jupyterhub_config.py, the
LocalProcessSpawner (each server runs as its Unix user) and JupyterHub's built-in `dummy` authenticator. The users'
Python is a venv made from the system Python (/usr/bin/python3) in a world-readable folder under /opt, holding
jupyterhub (for jupyterhub-singleuser), jupyter_server, ipykernel and the workbook (pyyaml its only dependency the
store needs); the test user accounts, their homes, the venv and every process are removed afterwards.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.hub import REPO, Hub, get_no_redirect, missing_hub_tools
from tests.kernel_ws import execute, start_kernel

USERS = ("npqhubtest1", "npqhubtest2")
PORT = 18441
SYSTEM_PYTHON = "/usr/bin/python3"

pytestmark = pytest.mark.slow


def _skip_reason() -> str | None:
    if os.geteuid() != 0:
        return "needs root: the test creates two Unix users (useradd) for the hub's LocalProcessSpawner"
    if shutil.which("useradd") is None or shutil.which("userdel") is None:
        return "useradd/userdel are missing: cannot create the two test users"
    if not os.access(SYSTEM_PYTHON, os.X_OK):
        return f"{SYSTEM_PYTHON} is missing: the users need a Python they can read"
    return missing_hub_tools()


if _skip_reason():
    pytest.skip(_skip_reason(), allow_module_level=True)


def _kill_processes_of(user: str) -> None:
    """Stop whatever our test user still runs (by pid; only processes of the user this test created)."""
    out = subprocess.run(["ps", "-o", "pid=", "-u", user], capture_output=True, text=True).stdout
    for pid in (int(p) for p in out.split()):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _remove_user(user: str) -> None:
    try:
        pwd.getpwnam(user)
    except KeyError:
        return
    _kill_processes_of(user)
    subprocess.run(["userdel", "-r", "-f", user], capture_output=True)


def _readable_by_everyone(path: Path) -> bool:
    path = path.resolve()
    if not os.stat(path).st_mode & 0o004:
        return False
    return all(os.stat(p).st_mode & 0o001 for p in [path, *path.parents])


def _system_python_matches() -> bool:
    out = subprocess.run([SYSTEM_PYTHON, "-c", "import sys; print(sys.version_info[:2])"], capture_output=True,
                         text=True).stdout.strip()
    return out == str(tuple(sys.version_info[:2]))


@pytest.fixture(scope="module")
def users_python():
    """A venv the test users can read, built from the system Python in /opt; removed afterwards.

    Where the test environment's packages and this repository are readable by everyone (and the system Python is
    the same minor version), the venv borrows them through a .pth file — a second or so. Otherwise (e.g. a clone
    under /root) it installs jupyterhub, jupyter_server, ipykernel, pyyaml and the workbook into the venv (about a
    minute)."""
    import jupyterhub

    started = time.monotonic()
    site_packages = Path(jupyterhub.__file__).resolve().parents[1]
    env_dir = Path(tempfile.mkdtemp(prefix="npqhubtest-env-", dir="/opt"))
    try:
        os.chmod(env_dir, 0o755)
        borrow = (_readable_by_everyone(site_packages) and _readable_by_everyone(REPO / "npq_widgets")
                  and _system_python_matches())
        subprocess.run([SYSTEM_PYTHON, "-m", "venv", *(["--without-pip"] if borrow else []), str(env_dir)],
                       check=True, capture_output=True, timeout=120)
        python = env_dir / "bin" / "python"
        if borrow:
            own_site = next((env_dir / "lib").glob("python3*/site-packages"))
            (own_site / "npq-hub-test.pth").write_text(f"{REPO}\n{site_packages}\n")
            script = env_dir / "bin" / "jupyterhub-singleuser"
            script.write_text(f"#!{python}\nimport sys\nfrom jupyterhub.singleuser import main\nsys.exit(main())\n")
            script.chmod(0o755)
        else:
            pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-compile"]
            subprocess.run(pip + [f"jupyterhub=={jupyterhub.__version__}", "jupyter_server", "ipykernel", "pyyaml"],
                           check=True, capture_output=True, timeout=600)
            subprocess.run(pip + ["--no-deps", str(REPO)], check=True, capture_output=True, timeout=600)
        subprocess.run(["chmod", "-R", "a+rX", str(env_dir)], check=True)
        print(f"users' venv ready in {time.monotonic() - started:.1f} s ({'borrowed' if borrow else 'installed'})",
              file=sys.stderr)
        yield env_dir
    finally:
        shutil.rmtree(env_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def two_users():
    for user in USERS:
        _remove_user(user)  # left over from an interrupted run
    try:
        for user in USERS:
            subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", user], check=True,
                           capture_output=True)
            # The users' homes are private (Debian's useradd makes them 0755 with UMASK 022). The store's own
            # files are 0600 (written through mkstemp); its folders follow the umask.
            os.chmod(pwd.getpwnam(user).pw_dir, 0o700)
        yield USERS
    finally:
        t = time.monotonic()
        for user in USERS:
            _remove_user(user)
        print(f"users removed in {time.monotonic() - t:.1f} s", file=sys.stderr)


@pytest.fixture(scope="module")
def hub(tmp_path_factory, users_python, two_users):
    workdir = tmp_path_factory.mktemp("hub")
    probe = subprocess.run([str(users_python / "bin" / "python"), "-c",
                            "from npq_widgets.paths import notebooks_dir; print(notebooks_dir().parent)"],
                           capture_output=True, text=True, check=True)
    shipped = probe.stdout.strip()  # the workbook folder the users' Python sees: notebooks/ inside it
    extra = (
        "c.JupyterHub.authenticator_class = 'dummy'\n"
        "c.Authenticator.allow_all = True\n"
        "c.JupyterHub.spawner_class = 'localprocess'\n"
        f"c.Spawner.cmd = [{str(users_python / 'bin' / 'jupyterhub-singleuser')!r}]\n"
        # a shell environment for the users' servers: their own venv first on PATH
        f"c.Spawner.environment.update({{'PATH': {str(users_python / 'bin')!r} + ':/usr/bin:/bin'}})\n"
    )
    started = time.monotonic()
    hub = Hub(workdir, PORT, extra, env={"NPQ_WORKBOOK_DIR": str(shipped)})
    hub.started_in = time.monotonic() - started
    try:
        yield hub
    finally:
        t = time.monotonic()
        hub.stop()
        print(f"hub stopped in {time.monotonic() - t:.1f} s", file=sys.stderr)


def _login_with_dummy_authenticator(hub: Hub, user: str):
    """Log in through the hub's login form, as a browser does; returns a cookie-keeping opener."""
    import http.cookiejar
    import re

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(f"{hub.url}/hub/login", timeout=30).read().decode()
    xsrf = re.search(r'name="_xsrf"\s+value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode({"username": user, "password": "any", "_xsrf": xsrf}).encode()
    opener.open(urllib.request.Request(f"{hub.url}/hub/login?next=/hub/home", data=data), timeout=30).read()
    return opener, jar


def _hub_has(hub: Hub, user: str) -> bool:
    try:
        hub.api("GET", f"/users/{user}")
        return True
    except urllib.error.HTTPError as err:
        if err.code == 404:
            return False
        raise


SAVE = """
import json, os, stat
from npq_widgets.paths import exercises_dir, workbook_home
from npq_widgets.store.workbook import Workbook
answer = json.loads((exercises_dir() / "smart-objectives" / "y8-english-reading.model.json").read_text())
answer["objectives"][0]["text"] = "Saved by " + os.environ["JUPYTERHUB_USER"]
wb = Workbook.for_key()
wb.save("smart-objectives--y8-english-reading", answer)
path = wb.path("smart-objectives--y8-english-reading")
print(json.dumps({"path": str(path), "home": str(workbook_home()), "mode": oct(stat.S_IMODE(os.stat(path).st_mode)),
                  "uid": os.stat(path).st_uid, "loaded": wb.load("smart-objectives--y8-english-reading").data["objectives"][0]["text"]}))
"""


def test_each_user_has_their_own_server_and_private_work(hub, two_users):
    a, b = two_users
    hub.api("POST", "/users", {"usernames": [u for u in (a, b) if not _hub_has(hub, u)]})
    for user in (a, b):
        hub.api("POST", f"/users/{user}/server")
    models = {user: hub.wait_ready(user) for user in (a, b)}
    tokens = {user: hub.api("POST", f"/users/{user}/tokens", {"note": "npq test", "expires_in": 600})["token"]
              for user in (a, b)}
    base = {user: f"{hub.url}{models[user]['servers']['']['url'].rstrip('/')}" for user in (a, b)}

    # Each server runs as its own Unix user and opens the workbook's start page.
    location = get_no_redirect(f"{base[a]}/", {"Authorization": f"token {tokens[a]}"})[1]
    assert location.split("?")[0] == f"/user/{a}/voila/render/gallery.ipynb", location

    # Each user saves work in a task through the workbook's store, from their own kernel.
    kernels = {user: start_kernel(base[user], tokens[user]) for user in (a, b)}
    saved = {}
    for user in (a, b):
        out = execute(base[user], tokens[user], kernels[user], SAVE)
        assert out.status == "ok", out
        saved[user] = json.loads(out.stdout)
        entry = pwd.getpwnam(user)
        assert saved[user]["home"] == f"{entry.pw_dir}/.npq-workbook"  # NPQ_WORKBOOK_HOME in the user's own home
        assert saved[user]["uid"] == entry.pw_uid and saved[user]["mode"] == "0o600"
        assert saved[user]["loaded"] == f"Saved by {user}"

    # b's kernel cannot read a's work, nor list a's home.
    for code in (f"print(open({saved[a]['path']!r}).read()[:80])",
                 f"import os; print(os.listdir({pwd.getpwnam(a).pw_dir!r}))"):
        out = execute(base[b], tokens[b], kernels[b], code)
        assert out.status == "error" and out.error.startswith("PermissionError"), out
        assert "Saved by" not in out.stdout

    # Over HTTP: b's token opens nothing of a's — not a's server, not a's record on the hub.
    for url in (f"{base[a]}/api/contents/", f"{base[a]}/api/kernels",
                f"{base[a]}/files/{saved[a]['path']}"):
        status, _ = get_no_redirect(url, {"Authorization": f"token {tokens[b]}"})
        assert status in (403, 404), (url, status)
    with pytest.raises(urllib.error.HTTPError) as denied:
        hub.api("GET", f"/users/{a}", token=tokens[b])
    assert denied.value.code in (403, 404)

    # The same through the hub's login form (the dummy authenticator), as a browser: b's session is sent to b's own
    # server, and a's server refuses it.
    opener, _ = _login_with_dummy_authenticator(hub, b)
    from tests.hub import NoRedirect
    jar_opener = urllib.request.build_opener(NoRedirect, *[h for h in opener.handlers
                                                          if isinstance(h, urllib.request.HTTPCookieProcessor)])
    assert get_no_redirect(f"{hub.url}/hub/user/{b}/", opener=jar_opener) == (302, f"/user/{b}/?redirects=1")
    assert get_no_redirect(f"{hub.url}/hub/user/{a}/", opener=jar_opener)[0] == 404
    assert get_no_redirect(f"{hub.url}/user/{a}/api/contents/", opener=jar_opener)[0] == 403
    assert hub.started_in < 60
