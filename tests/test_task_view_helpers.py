"""What every task view shares: one 'quietly' mechanism while it fills itself in, and the row-list helpers."""

from __future__ import annotations

import ipywidgets as w
import pytest

from npq_widgets.registry import get_task, view_class
from npq_widgets.widgets.rows import insert_row, move_row, remove_row, row_id

VIEWS_THAT_RECOMPUTE = [("risk-register", "refresh_chart"), ("project-plan", "refresh_chart"),
                        ("budget", "changed"), ("pd-impact", "refresh")]


def _view(task_id, scenario=True):
    task = get_task(task_id)
    return view_class(task)(task, task.scenarios[0] if scenario else None)


def test_quietly_nests_and_ends_even_after_an_error():
    view = _view("smart-objectives")
    assert not view.quiet
    with view.quietly():
        with view.quietly():
            assert view.quiet
        assert view.quiet
    assert not view.quiet
    with pytest.raises(RuntimeError):
        with view.quietly():
            raise RuntimeError("boom")
    assert not view.quiet


@pytest.mark.parametrize("task_id,method", VIEWS_THAT_RECOMPUTE)
def test_loading_saved_work_recomputes_once(task_id, method, monkeypatch):
    view = _view(task_id)
    if not hasattr(view, method):
        pytest.skip(f"{task_id} has no {method}")
    calls = []
    original = getattr(view, method)

    def counted(*args, **kwargs):
        if not view.quiet:
            calls.append(1)  # a call that really recomputes
        return original(*args, **kwargs)

    monkeypatch.setattr(view, method, counted)
    view.load(view.task.scenarios[0].model_answer)
    assert len(calls) == 1, f"{task_id}: {method} ran {len(calls)} times while loading"
    assert not view.quiet


def test_no_view_keeps_a_quiet_counter_of_its_own():
    from pathlib import Path

    tasks = Path(__file__).resolve().parents[1] / "npq_widgets" / "tasks"
    for view in tasks.glob("*/view.py"):
        assert "_quiet" not in view.read_text(), view


def test_row_helpers():
    box = w.VBox([w.HTML("a"), w.HTML("b"), w.HTML("c")])
    a, b, c = box.children
    assert move_row(box, a, -1) is False and box.children == (a, b, c)
    assert move_row(box, a, 1) is True and box.children == (b, a, c)
    d = w.HTML("d")
    insert_row(box, d, after=b)
    assert box.children == (b, d, a, c)
    remove_row(box, a)
    assert box.children == (b, d, c)
    assert row_id({"id": " R7 "}, ["R1"], "R") == "R7"
    assert row_id({"id": "R1"}, ["R1"], "R") == "R1"  # loading keeps saved ids exactly
    assert row_id({"id": "R1"}, ["R1"], "R", unique=True) == "R2"
    assert row_id(None, ["T1", "T2"], "T") == "T3"
