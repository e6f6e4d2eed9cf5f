"""Pupil performance data (2.1.3): the change with its interval and the effect size checked against scipy and by
hand, the EEF months read from the PD impact task's figures file, the cautions, the checks, the app, the .xlsx whose
formulas LibreOffice recalculates to the same figures."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from npq_widgets.contract import task_figures
from npq_widgets.registry import get_task
from npq_widgets.tasks.pupil_performance.model import (PupilPerformanceFigures, change_interval, cohens_d, evaluate,
                                                       months_table, read_group)

from .libreoffice import find_row, needs_libreoffice, recalculate

FIGS = task_figures("pupil-performance", PupilPerformanceFigures)
MODEL = get_task("pupil-performance").scenario().model_answer


def test_criteria_moved_from_data_analysis():
    assert get_task("pupil-performance").criteria == ("2.1.3",)
    assert get_task("data-analysis").criteria == ("1.1.1", "1.1.2")


def test_the_model_answers_figures_by_hand():
    ev = evaluate(MODEL, FIGS)
    pooled = math.sqrt((35 * 10.6 ** 2 + 29 * 10.9 ** 2) / 64)        # 10.7362...
    assert ev.d == pytest.approx((95.1 - 92.3) / pooled) and round(ev.d, 2) == 0.26
    assert ev.months == 3                                                 # 0.19-0.26 -> 3 months (EEF table)
    half = 2.030108 * 7.5 / 6                                             # t(0.975, 35) x SD / sqrt(36)
    assert (ev.change_low, ev.change_high) == pytest.approx((6.7 - half, 6.7 + half), abs=1e-5)
    assert ev.d_baseline == pytest.approx(-0.6 / math.sqrt((35 * 9.8 ** 2 + 29 * 10.1 ** 2) / 64))


def test_paired_interval_and_effect_size_agree_with_scipy_on_raw_scores():
    rng = np.random.default_rng(7)
    before = rng.normal(90, 10, 25)
    after = before + rng.normal(5, 6, 25)
    comp = rng.normal(93, 11, 31)
    g = read_group({"n": 25, "baseline_mean": before.mean(), "baseline_sd": before.std(ddof=1),
                    "end_mean": after.mean(), "end_sd": after.std(ddof=1)}, "project group")
    change, low, high, paired = change_interval(g, float((after - before).std(ddof=1)))
    res = stats.ttest_rel(after, before)
    ci = res.confidence_interval(0.95)
    assert paired and (low, high) == pytest.approx((ci.low, ci.high))
    # unpaired: Welch's interval, as scipy's ttest_ind(equal_var=False)
    _, wlow, whigh, paired = change_interval(g, None)
    wci = stats.ttest_ind(after, before, equal_var=False).confidence_interval(0.95)
    assert not paired and (wlow, whigh) == pytest.approx((wci.low, wci.high))
    d = cohens_d(after.mean(), after.std(ddof=1), 25, comp.mean(), comp.std(ddof=1), 31)
    pooled = math.sqrt((24 * after.var(ddof=1) + 30 * comp.var(ddof=1)) / 54)
    assert d == pytest.approx((after.mean() - comp.mean()) / pooled)


def test_months_come_from_the_pd_impact_figures_file():
    import yaml

    from npq_widgets.paths import exercises_dir

    raw = yaml.safe_load((exercises_dir() / "pd-impact" / "figures.yaml").read_text())["months"]
    table = months_table()
    assert [m for m, _, _ in table.bands] == [b["months"] for b in raw["bands"]]
    assert table.above_max == raw["above_max_months"] == 12


@pytest.mark.parametrize("change,expected", [
    ({"comparison": {}}, "There is no comparison group"),
    ({"project_group": dict(MODEL["project_group"], n="12")}, "A small group (fewer than 30 pupils)"),
    ({"comparison": dict(MODEL["comparison"], baseline_mean="95")}, "did not start level"),
])
def test_cautions_raised_from_the_figures(change, expected):
    only_regression = ("Some of the rise is regression to the mean, because the pupils were picked for their low "
                       "January scores, which were partly bad luck on the day; their next scores would move back "
                       "towards the average even without any tutoring at all, so part of the rise is not the project.")
    art = dict(MODEL, limits=only_regression, **change)
    ev = evaluate(art, FIGS)
    assert any(expected in c for c in ev.cautions)
    result = get_task("pupil-performance").check(art)
    item = next(i for i in result.items if i.id == "limits")
    assert not item.passed and "does not yet deal with" in item.message


def test_regression_to_the_mean_must_be_addressed():
    art = dict(MODEL, limits=("The comparison group rose too, so ordinary progress is allowed for, and the groups "
                              "started almost level in January. The tutored pupils rose by more than the comparison "
                              "pupils did, and the interval for their change is well above zero, so chance alone "
                              "is an unlikely explanation for the rise."))
    item = next(i for i in get_task("pupil-performance").check(art).items if i.id == "limits")
    assert not item.passed and "regression to the mean" in item.message
    no_select = dict(art, selected_low=False)
    assert next(i for i in get_task("pupil-performance").check(no_select).items if i.id == "limits").passed


def test_wrong_effect_size_and_months_and_unreadable_figures():
    task = get_task("pupil-performance")
    wrong = dict(MODEL, answers=dict(MODEL["answers"], effect_size="0.32"))
    item = next(i for i in task.check(wrong).items if i.id == "effect-size")
    assert not item.passed and "0.26" not in item.message  # never the answer
    wrong = dict(MODEL, answers=dict(MODEL["answers"], months="4"))
    assert not next(i for i in task.check(wrong).items if i.id == "effect-size").passed
    bad = dict(MODEL, project_group=dict(MODEL["project_group"], n="thirty-six"))
    item = next(i for i in task.check(bad).items if i.id == "figures")
    assert not item.passed and "number of pupils" in item.message


def test_no_comparison_group_gives_no_effect_size():
    art = dict(MODEL, comparison={})
    item = next(i for i in get_task("pupil-performance").check(art).items if i.id == "effect-size")
    assert item.passed and "No comparison group" in item.message


def test_app_shows_workings_for_own_project_but_not_the_scenario_answer(_isolated_home):
    from npq_widgets.apps import task_app

    own = task_app("pupil-performance", free_build=True)
    own.load(MODEL)
    assert "d = 0.26" in own.results.value and "<img" in own.chart.value
    own.project_group.inputs["n"].value = "x"
    assert "number of pupils" in own.results.value and "Traceback" not in own.results.value
    sc = task_app("pupil-performance")
    sc.load(MODEL)
    assert "regression to the mean" in sc.results.value and "0.26" not in sc.results.value
    assert sc.check().passed_all


@needs_libreoffice
def test_xlsx_formulas_recalculate_to_the_same_figures(tmp_path):
    task = get_task("pupil-performance")
    out = task.export(dict(MODEL), "xlsx", tmp_path / "pp.xlsx")
    ws = recalculate(out, tmp_path / "lo")["Pupil performance data"]
    ev = evaluate(MODEL, FIGS)

    def value(label):
        return ws.cell(find_row(ws, 1, label), 2).value

    assert value("Effect size (Cohen's d) at the end") == pytest.approx(ev.d)
    assert value("EEF months of additional progress") == ev.months
    assert value("Change, 95% interval: lower") == pytest.approx(ev.change_low)
    assert value("Change, 95% interval: upper") == pytest.approx(ev.change_high)
    unpaired = dict(MODEL, sd_change="")
    out = task.export(unpaired, "xlsx", tmp_path / "pp2.xlsx")
    ws = recalculate(out, tmp_path / "lo2")["Pupil performance data"]
    ev = evaluate(unpaired, FIGS)
    # spreadsheets' TINV rounds Welch's fractional degrees of freedom down: the same to 0.005
    assert value("Change, 95% interval: lower") == pytest.approx(ev.change_low, abs=0.005)


def test_the_scenario_tells_the_oakfield_projects_facts():
    from npq_widgets.registry import project_facts

    facts = project_facts("oakfield-tutoring")
    sc = get_task("pupil-performance").scenario()
    assert "${" not in sc.brief and f"{facts['pupils']} disadvantaged pupils" in sc.brief
    assert int(MODEL["project_group"]["n"]) == facts["pupils"]
