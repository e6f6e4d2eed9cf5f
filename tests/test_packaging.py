"""Packaging: dependency lists agree, the wheel carries exercises and notebooks, Binder's config is accepted."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
CONDA_NAMES = {"matplotlib-base": "matplotlib"}  # conda-forge name -> PyPI name


def _split(req: str) -> tuple[str, str]:
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", req)
    return m.group(1).lower().replace("_", "-"), m.group(2).replace(" ", "")


def pyproject_deps() -> dict[str, str]:
    data = tomllib.loads((REPO / "pyproject.toml").read_text())
    return dict(_split(r) for r in data["project"]["dependencies"])


def conda_deps(path: Path) -> dict[str, str]:
    deps = {}
    for entry in yaml.safe_load(path.read_text())["dependencies"]:
        if not isinstance(entry, str):
            continue
        name, spec = _split(entry)
        if name in ("python", "pip"):
            continue
        deps[CONDA_NAMES.get(name, name)] = spec
    return deps


@pytest.mark.parametrize("env_file", ["environment.yml", "binder/environment.yml"])
def test_environment_files_match_pyproject(env_file):
    assert conda_deps(REPO / env_file) == pyproject_deps()


@pytest.mark.parametrize("env_file", ["environment.yml", "binder/environment.yml"])
def test_environment_files_pin_the_same_python(env_file):
    requires = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["requires-python"]
    pythons = [d for d in yaml.safe_load((REPO / env_file).read_text())["dependencies"]
               if isinstance(d, str) and re.match(r"python\s*(?:[<>=!~]|$)", d)]  # not python-docx
    assert pythons == ["python" + requires]


def test_binder_postbuild_installs_the_package():
    post = REPO / "binder" / "postBuild"
    assert os.access(post, os.X_OK)
    assert re.search(r"pip install .*\s\.\s*$", post.read_text(), re.M)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("repo2docker") is None and not (Path(sys.executable).parent / "repo2docker").exists(),
                    reason="jupyter-repo2docker is not installed (it is in the test extra)")
def test_repo2docker_accepts_the_repository():
    exe = shutil.which("repo2docker") or str(Path(sys.executable).parent / "repo2docker")
    proc = subprocess.run([exe, "--no-build", "--debug", str(REPO)], capture_output=True, text=True, timeout=300)
    dockerfile = proc.stdout + proc.stderr
    assert proc.returncode == 0, dockerfile[-3000:]
    assert 'env update -p ${NB_PYTHON_PREFIX} --file "binder/environment.yml"' in dockerfile
    assert "./binder/postBuild" in dockerfile


@pytest.mark.slow
def test_built_wheel_finds_exercises_and_notebooks(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(REPO)],
                   check=True, timeout=600, capture_output=True)
    wheel = next(dist.glob("npq_workbook-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "npq_widgets/_shipped/exercises/smart-objectives/task.yaml" in names
    assert "npq_widgets/_shipped/notebooks/apps/which-npq.ipynb" in names
    assert "npq_widgets/catalogue/data/errata.yaml" in names
    meta = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("METADATA"))).decode()
    required = {_split(line.split(":", 1)[1])[0] for line in meta.splitlines()
                if line.startswith("Requires-Dist:") and "extra ==" not in line}
    assert required == set(pyproject_deps())

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    # The CLI verbs used here need only PyYAML; the heavy runtime stack is not reinstalled for this check.
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", str(wheel), "pyyaml"], check=True,
                   timeout=600, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    cli = env_dir / "bin" / "npq-workbook"

    tasks = subprocess.run([str(cli), "tasks"], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert tasks.returncode == 0, tasks.stderr
    assert "scenario y8-english-reading" in tasks.stdout

    where = subprocess.run([str(py), "-c", "from npq_widgets.paths import exercises_dir, notebooks_dir;"
                            "print(exercises_dir()); print(notebooks_dir())"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, check=True).stdout.split()
    assert all("site-packages" in p and "_shipped" in p for p in where), where
    model = Path(where[0]) / "smart-objectives" / "y8-english-reading.model.json"
    check = subprocess.run([str(cli), "check", "smart-objectives", str(model)], cwd=elsewhere, env=env,
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    cat = subprocess.run([str(cli), "catalogue", "NPQEL"], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert cat.returncode == 0 and "NPQEL-reformed" in cat.stdout, cat.stderr
