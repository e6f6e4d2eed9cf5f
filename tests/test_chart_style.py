"""One chart style for the whole workbook, readable on a projector: every text of every chart an app shows comes out
at 14 px or more at 1366×768 (the chart is an <img> scaled to its shown width), and the data analysis page's two
charts show the house style's sizes alike."""

import re
import sys

import pytest

from npq_widgets.apps import model_answer_view, task_app
from npq_widgets.plotting import DPI, MIN_TEXT_PX, STYLE, text_sizes_px
from npq_widgets.registry import task_ids
import npq_widgets.widgets.common as common


@pytest.fixture
def charts(monkeypatch, _isolated_home):
    """Every figure the apps put on a page, with the width they ask for (figure_html is wrapped where imported)."""
    caught = []
    original = common.figure_html

    def catch(fig, alt, width_px=1050):
        caught.append((alt, text_sizes_px(fig, width_px)))
        return original(fig, alt, width_px)

    for tid in task_ids():
        task_app(tid)  # imports every view
    for name, mod in list(sys.modules.items()):
        if name.startswith("npq_widgets") and getattr(mod, "figure_html", None) is original:
            monkeypatch.setattr(mod, "figure_html", catch)
    return caught


@pytest.mark.parametrize("task_id", task_ids())
def test_every_chart_text_is_at_least_14_px_at_1366x768(task_id, charts):
    model_answer_view(task_id)
    small = [(alt[:40], text, round(px, 1)) for alt, sizes in charts for text, px in sizes if px < MIN_TEXT_PX]
    assert not small, small


def test_the_heat_map_is_drawn_and_its_cell_labels_are_projector_size(charts):
    model_answer_view("risk-register")
    heat = [sizes for alt, sizes in charts if alt.startswith("Risk heat map")]
    assert heat and min(px for text, px in heat[-1] if re.match(r"(Red|Amber|Green)\n\d", text)) >= MIN_TEXT_PX


def test_the_data_analysis_charts_show_the_same_point_size_at_the_same_pixel_size(charts):
    model_answer_view("data-analysis")
    ticks = []
    for alt, sizes in charts[-2:]:
        px_per_pt = {round(px / STYLE["xtick.labelsize"], 3) for text, px in sizes}
        ticks.append(min(px_per_pt))
    assert len(charts) >= 2 and abs(ticks[0] - ticks[1]) / ticks[0] < 0.02, ticks
    assert min(ticks) * STYLE["xtick.labelsize"] >= MIN_TEXT_PX


def test_an_empty_budget_says_add_a_cost_and_draws_no_scale(_isolated_home):
    from npq_widgets.tasks.budget.charts import budget_figure

    app = task_app("budget")
    assert '<p class="npq-chart-empty">Add a cost to see the chart.</p>' == app.chart.value
    totals = app.budget().totals()
    assert totals.terms  # the scenario's terms are there: only the costs are missing
    assert [text for text, _px in text_sizes_px(budget_figure(totals), 1050)] == ["Add a cost to see the chart."]
    app.load(dict(app.task.scenario().model_answer))
    assert "<img" in app.chart.value and "Add a cost" not in app.chart.value


def test_a_brief_with_a_lead_in_line_shows_its_bullets_as_a_list():
    # seen in the smart-objectives screenshot: "What you know: - At the autumn … - In four lesson visits …" as one
    # paragraph with stray dashes
    from npq_widgets.widgets.common import text_to_html

    assert text_to_html("What you know:\n- one\n  more\n- two\n\nThen this.") == (
        "<p>What you know:</p><ul><li>one more</li><li>two</li></ul><p>Then this.</p>")
    assert text_to_html("- a\n- b") == "<ul><li>a</li><li>b</li></ul>"


def test_pages_name_no_developer_files(_isolated_home):
    # seen in the screenshots: "(domain-notes.md)" under the EEF tables, "See domain-notes.md." under the RAG scale
    for task_id in ("pd-impact", "risk-register"):
        app = model_answer_view(task_id)
        text = " ".join(str(getattr(wid, "value", "")) for wid in _all(app) if isinstance(getattr(wid, "value", None),
                                                                                          str))
        assert ".md" not in text and "domain-notes" not in text, task_id


def _all(widget):
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from _all(child)
