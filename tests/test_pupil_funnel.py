"""Several schools' data (NPQEL Task 2): funnel limits by hand, a school below the limit flagged, suppression, the
section and chart in the data-analysis app."""

from __future__ import annotations

import json
import math
import re

import pandas as pd
import pytest

from npq_widgets.domain.pupil_funnel import POSITIONS, limits, position, school_funnel


def test_limits_are_the_normal_formula_by_hand():
    # mean 0.1, SD 1.2, n 100: SD/√n = 1.2/10 = 0.12
    # 95%: 0.1 ± 1.96 × 0.12 = 0.1 ± 0.2352 → −0.1352 to 0.3352
    # 99.8%: 0.1 ± 3.09 × 0.12 = 0.1 ± 0.3708 → −0.2708 to 0.4708
    assert limits(0.1, 1.2, 100, 1.96) == pytest.approx((-0.1352, 0.3352))
    assert limits(0.1, 1.2, 100, 3.09) == pytest.approx((-0.2708, 0.4708))
    assert position(0.30, 0.1, 1.2, 100) == "within the 95% limits"
    assert position(0.40, 0.1, 1.2, 100) == "above the 95% limit"
    assert position(-0.20, 0.1, 1.2, 100) == "below the 95% limit"
    assert position(-0.30, 0.1, 1.2, 100) == "below the 99.8% limit"


def _trust(extra: list[tuple[str, float]] = ()) -> pd.DataFrame:
    rows = [(s, v) for s in ("Alpha School", "Birch School", "Cedar School") for v in [1.0] * 5 + [-1.0] * 5]
    rows += [("Dale School", v) for v in [-1.0] * 5 + [-3.0] * 5]
    rows += list(extra)
    return pd.DataFrame(rows, columns=["school", "score"])


def test_a_school_below_the_limit_is_flagged_with_figures_worked_by_hand():
    # 40 pupils: Alpha, Birch, Cedar each five 1s and five −1s (mean 0); Dale five −1s and five −3s (mean −2).
    # trust mean = −20 / 40 = −0.5
    # squares about the mean: 15 × 1.5² + 20 × 0.5² + 5 × 2.5² = 33.75 + 5 + 31.25 = 70 → SD = √(70/39) = 1.339728
    # n = 10: SD/√10 = 0.423659; 95% half-width 1.96 × 0.423659 = 0.830372 → −1.330372 to 0.330372
    #                           99.8% half-width 3.09 × 0.4236593 = 1.309107 → −1.809107 to 0.809107
    # Dale's −2 is below −1.809: outside the 99.8% limit; the others' 0 lie within the 95% limits.
    # Spread: between SS = 3 × 10 × 0.5² + 10 × 1.5² = 30 → share 30/70 = 0.428571; within SS = 40 on 36 df →
    # pooled SD √(40/36) = 1.054093; SD of the school means (0, 0, 0, −2) = √(3/3) = 1.0.
    f = school_funnel(_trust(), "score", "school")
    assert f["trust_n"] == 40 and f["trust_mean"] == pytest.approx(-0.5)
    assert f["trust_sd"] == pytest.approx(math.sqrt(70 / 39)) and round(f["trust_sd"], 6) == 1.339728
    dale = {s["school"]: s for s in f["schools"]}["Dale School"]
    assert (dale["limit95_low"], dale["limit95_high"]) == pytest.approx((-1.330372, 0.330372), abs=1e-6)
    assert (dale["limit998_low"], dale["limit998_high"]) == pytest.approx((-1.809107, 0.809107), abs=1e-6)
    assert (dale["ci_low"], dale["ci_high"]) == pytest.approx((-2.830372, -1.169628), abs=1e-6)
    assert dale["position"] == "below the 99.8% limit"
    assert f["outside_998"] == ["Dale School"] and f["outside_95"] == ["Dale School"]
    assert all(s["position"] == POSITIONS[2] for s in f["schools"] if s["school"] != "Dale School")
    assert f["spread"]["between_share"] == pytest.approx(30 / 70)
    assert f["spread"]["within_sd"] == pytest.approx(math.sqrt(40 / 36))
    assert f["spread"]["between_sd"] == pytest.approx(1.0)
    assert "1.96" in f["method"] and "3.09" in f["method"] and "normal approximation" in f["method"]


def test_a_small_school_is_not_shown_and_cannot_be_worked_back():
    f = school_funnel(_trust([("Tiny School", 2.0)] * 4), "score", "school")  # 4 pupils: under 6
    names = [s["school"] for s in f["schools"]]
    assert "Tiny School" not in names and "Tiny School" not in json.dumps(f)
    assert len(names) == 3 and f["smaller_schools_hidden"] is True  # a second school hidden with it


def test_only_a_confirmed_school_column_is_used():
    with pytest.raises(ValueError, match="not been confirmed"):
        school_funnel(_trust(), "score", "school", confirmed=("gender",))


def test_one_school_is_not_a_funnel():
    with pytest.raises(ValueError, match="at least two schools"):
        school_funnel(_trust().query("school == 'Alpha School'"), "score", "school")


# -- in the app --------------------------------------------------------------------------------------------------
def _view(scenario=None):
    from npq_widgets.registry import get_task, view_class

    task = get_task("data-analysis")
    return view_class(task)(task, task.scenario(scenario) if scenario else None)


def test_the_trust_shows_the_funnel_with_its_method_and_flags_schools_below():
    view = _view("trust-northern-lights")
    f = view.aggregates["funnel"]
    assert f["drop"] == "Summer 2026" and len(f["schools"]) == 12
    lowther = {s["school"]: s for s in f["schools"]}["Lowther Academy"]
    assert lowther["mean"] < lowther["limit998_low"] and lowther["position"] == "below the 99.8% limit"
    assert "Lowther Academy" in f["outside_998"]
    assert "npq-da-funnel" in view.results.value and "normal approximation" in view.results.value
    assert "Differences that are real" in view.results.value
    alts = re.findall(r'alt="(Funnel plot[^"]+)"', view.charts.value)
    assert len(alts) == 1 and "Lowther Academy" in alts[0] and "below the 99.8% limit" in alts[0]
    assert "normal approximation" in json.dumps(view.artefact["aggregates"]["funnel"])  # the method, in the data


def test_own_data_hides_a_small_school_in_the_page_and_the_saved_work():
    view = _view()
    rows = ["UPN,School,Score"]
    rows += [f"X{100000000000 + i},{['Ash Academy', 'Elm Academy', 'Oak Academy'][i % 3]},{(i % 7) - 3}"
             for i in range(60)]
    rows += [f"X{200000000000 + i},Wren Academy,{5}" for i in range(3)]  # 3 pupils
    assert view.load_file("\n".join(rows).encode(), "trust.csv")
    view.measure.value = "score"
    f = view.aggregates["funnel"]
    assert f["smaller_schools_hidden"] and "Wren Academy" not in json.dumps(view.artefact)
    assert "Wren Academy" not in view.results.value and "Smaller schools (not shown)" in view.results.value
    assert "Wren Academy" not in view.charts.value


def test_a_single_school_file_has_no_funnel():
    view = _view("secondary-riverside")
    assert "funnel" not in view.aggregates and "npq-da-funnel" not in view.results.value
