"""Charts drawn after the page's first paint (widgets/chart_area.py): in a kernel a chart waits until the browser
says its area has been painted; outside one (no browser will ever paint it) it is drawn at once."""

from __future__ import annotations

import pytest

from npq_widgets.widgets import chart_area
from npq_widgets.widgets.chart_area import NOT_DRAWN_HTML, PENDING_HTML, ChartArea


def test_a_deferred_chart_waits_for_the_first_paint_and_then_draws_only_the_latest():
    calls = []

    def make(n):
        def html():
            calls.append(n)
            return f"<img alt='chart {n}'>"
        return html

    area = ChartArea(defer=True)
    area.draw(make(1))
    area.draw(make(2))  # a second change before the page was painted
    assert area.value == PENDING_HTML and area.pending and calls == []
    area.shown = True  # what the browser's view sends after its first paint
    assert area.value == "<img alt='chart 2'>" and calls == [2] and not area.pending
    area.draw(make(3))  # once painted, every redraw is immediate
    assert area.value == "<img alt='chart 3'>" and calls == [2, 3]


def test_words_replace_a_waiting_chart_and_a_failed_chart_says_so():
    area = ChartArea(defer=True)
    area.draw(lambda: "<img>")
    area.clear("<p>Add a cost to see the chart.</p>")
    area.draw_now()
    assert area.value == "<p>Add a cost to see the chart.</p>"

    def broken():
        raise ValueError("no data")

    late = ChartArea(defer=True)
    late.draw(broken)
    late.draw_now()
    assert late.value == NOT_DRAWN_HTML and "no data" not in late.value
    own = ChartArea(defer=True)
    own.draw(broken, fallback="<p>The charts could not be drawn for this selection.</p>")
    own.draw_now()
    assert own.value == "<p>The charts could not be drawn for this selection.</p>"


def test_outside_a_kernel_a_chart_is_drawn_at_once():
    area = ChartArea()
    assert area.defer is False
    area.draw(lambda: "<img alt='now'>")
    assert area.value == "<img alt='now'>"


@pytest.mark.parametrize("task_id, attr", [("data-analysis", "charts"), ("risk-register", "heat_map"),
                                           ("project-plan", "gantt"), ("budget", "chart")])
def test_in_a_kernel_the_heavy_apps_open_without_drawing(task_id, attr, monkeypatch, _isolated_home):
    """The apps that drew charts at load (data analysis, risk register, project plan, budget) open with the chart
    waiting; once the browser has painted the area the chart is there, as it was drawn before."""
    from npq_widgets.apps import task_view

    monkeypatch.setattr(chart_area, "_in_kernel", lambda: True)
    view = task_view(task_id)
    if task_id == "budget":  # an empty budget has no chart to draw: the model answer has
        view.load(dict(view.task.scenario().model_answer))
    area = getattr(view, attr)
    assert area.value == PENDING_HTML, area.value[:200]
    area.draw_now()
    assert "<img " in area.value and 'alt="' in area.value
