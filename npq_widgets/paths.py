"""Where the workbook's shipped files are: a clone's top-level folders, or the copies inside an installed wheel.

This is the bottom layer: standard library only.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
_SHIPPED = PACKAGE_DIR / "_shipped"
_CLONE_ROOT = PACKAGE_DIR.parent

HOME_ENV = "NPQ_WORKBOOK_HOME"


def _locate(name: str) -> Path:
    """A shipped folder or file: the clone's copy when running from a clone, else the wheel's."""
    in_clone = _CLONE_ROOT / name
    if (_CLONE_ROOT / "pyproject.toml").is_file() and in_clone.exists():
        return in_clone
    shipped = _SHIPPED / name
    if shipped.exists():
        return shipped
    raise FileNotFoundError(
        f"NPQ Workbook cannot find its '{name}' folder: looked in {in_clone} and {shipped}. "
        "Reinstall the package (pip install npq-workbook) or run from a complete clone."
    )


def exercises_dir() -> Path:
    """Task specs (YAML) and scenario data (CSV) that notebooks and checkers load by id."""
    return _locate("exercises")


def notebooks_dir() -> Path:
    """The course-module and app notebooks."""
    return _locate("notebooks")


def voila_config() -> Path:
    """The shipped Voila/Jupyter server settings (idle-kernel culling, upload size)."""
    return _locate("voila.json")


def workbook_home() -> Path:
    """Root folder of learners' saved work: $NPQ_WORKBOOK_HOME, else ~/.npq-workbook."""
    configured = os.environ.get(HOME_ENV)
    return Path(configured).expanduser() if configured else Path.home() / ".npq-workbook"


def room_folder() -> Path:
    """What belongs to the room a server serves rather than to one learner (``<home>/room``): e.g. the case study a
    facilitator has released to everyone. Never inside a learner's workbook."""
    return workbook_home() / "room"
