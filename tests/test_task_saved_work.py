"""Every task's saved work: version-1 fixtures load and round-trip through the store and the view exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from npq_widgets.store.workbook import Workbook

FIXTURES = Path(__file__).parent / "fixtures"


def _views():
    from npq_widgets import apps

    return {
        "smart-objectives": lambda: apps.smart_objectives(),
        "risk-register": lambda: apps.risk_register(),
        "project-plan": lambda: apps.project_plan(),
        "data-analysis": lambda: apps.data_analysis(),
    }


TASKS = ["smart-objectives", "risk-register", "project-plan", "data-analysis"]


@pytest.mark.parametrize("task_id", TASKS)
def test_v1_fixture_restores_into_the_app_after_a_restart(task_id, _isolated_home):
    fixture = json.loads((FIXTURES / f"{task_id}-v1.json").read_text())
    first = _views()[task_id]()
    doc_id = first.autosave.doc_id
    Workbook.for_key().save(doc_id, fixture)
    again = _views()[task_id]()  # a new kernel opening the same app
    assert "Your saved work is back" in again.autosave.status.value
    restored = again.artefact
    for key in ("task", "schema_version"):
        assert restored[key] == fixture[key]
    again.load(restored)
    assert again.artefact == restored  # load(artefact) is an exact round trip


@pytest.mark.parametrize("task_id", TASKS)
def test_a_change_is_saved_and_checks_are_recorded(task_id, _isolated_home):
    view = _views()[task_id]()
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

    from npq_widgets.apps import contents, smart_objectives

    contents().page.qualification.value = "NPQSL-reformed"
    view = smart_objectives()
    ws = load_workbook(io.BytesIO(view.spreadsheet_bytes())).active
    header = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, 6)}
    assert header["Qualification"] == "National Professional Qualification for Senior Leadership (NPQSL, reformed route)"
