"""Every task's saved work: version-1 fixtures load and round-trip through the store and the view exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from npq_widgets.registry import task_ids
from npq_widgets.store.workbook import Workbook

FIXTURES = Path(__file__).parent / "fixtures"


def _app(task_id):
    from npq_widgets.apps import task_app

    return task_app(task_id)


# every registered task: each keeps a version-1 fixture of its saved work in tests/fixtures/<task>-v1.json
TASKS = task_ids()


def test_every_task_has_a_v1_fixture():
    missing = [t for t in TASKS if not (FIXTURES / f"{t}-v1.json").exists()]
    assert not missing, f"tasks without a saved-work fixture: {missing}"


@pytest.mark.parametrize("task_id", TASKS)
def test_v1_fixture_restores_into_the_app_after_a_restart(task_id, _isolated_home):
    fixture = json.loads((FIXTURES / f"{task_id}-v1.json").read_text())
    first = _app(task_id)
    doc_id = first.autosave.doc_id
    Workbook.for_key().save(doc_id, fixture)
    again = _app(task_id)  # a new kernel opening the same app
    assert "Your saved work is back" in again.autosave.status.value
    restored = again.artefact
    assert restored["task"] == fixture["task"]
    # a task whose format has moved on migrates version-1 work to its current version as it loads
    assert restored["schema_version"] == again.task.artefact_type.SCHEMA_VERSION >= fixture["schema_version"]
    again.load(restored)
    assert again.artefact == restored  # load(artefact) is an exact round trip


@pytest.mark.parametrize("task_id", TASKS)
def test_a_change_is_saved_and_checks_are_recorded(task_id, _isolated_home):
    view = _app(task_id)
    view.load(dict(view.task.scenario().model_answer))
    view.autosave.flush()
    saved = Workbook.for_key().load(view.autosave.doc_id).data
    assert saved == view.artefact
    view.check()
    record = Workbook.for_key().load(f"check--{view.autosave.doc_id}").data
    assert record["checked_task"] == task_id and record["status"] == "pass"


def test_exports_name_the_qualification_chosen_on_the_contents_page(_isolated_home):
    import io

    from openpyxl import load_workbook

    from npq_widgets.apps import contents, task_app

    contents().page.qualification.value = "NPQSL-reformed"
    view = task_app("smart-objectives")
    ws = load_workbook(io.BytesIO(view.spreadsheet_bytes())).active
    header = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, 6)}
    assert header["Qualification"] == "National Professional Qualification for Senior Leadership (NPQSL, reformed route)"
