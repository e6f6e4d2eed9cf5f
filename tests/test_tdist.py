"""The workbook's own t distribution (domain/tdist.py) gives scipy.stats' numbers: quantiles for 95% intervals and
two-sided p-values, over the degrees of freedom a school's groups have (1 to 100,000, Welch's fractional ones too)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from npq_widgets.domain.tdist import t_ppf, t_sf, t_two_sided_p

DFS = [1, 1.5, 2, 3, 4.7, 5, 9, 10, 23.4, 30, 57, 120, 1000, 100_000]


@pytest.mark.parametrize("df", DFS)
def test_quantiles_match_scipy(df):
    for q in (0.0005, 0.025, 0.05, 0.3, 0.5, 0.7, 0.9, 0.975, 0.995, 0.9995):
        assert t_ppf(q, df) == pytest.approx(stats.t.ppf(q, df), rel=1e-9, abs=1e-12), (q, df)


@pytest.mark.parametrize("df", DFS)
def test_p_values_match_scipy(df):
    for t in (0.0, 0.01, 0.5, 1.0, 1.96, 2.5, 4.0, 10.0, 50.0, -2.2):
        expected = 2 * stats.t.sf(abs(t), df)
        assert t_two_sided_p(t, df) == pytest.approx(expected, rel=1e-9, abs=1e-300), (t, df)
        assert t_sf(t, df) == pytest.approx(stats.t.sf(t, df), rel=1e-9, abs=1e-300), (t, df)


def test_arrays_edges_and_nonsense():
    n = np.array([2.0, 5.0, 31.0])
    assert np.allclose(t_ppf(0.975, n - 1), stats.t.ppf(0.975, n - 1), rtol=1e-10)
    assert t_ppf(0.5, 7) == 0.0 and t_ppf(1.0, 7) == math.inf and t_ppf(0.0, 7) == -math.inf
    assert math.isnan(t_ppf(0.975, 0)) and math.isnan(t_ppf(1.2, 5)) and math.isnan(t_two_sided_p(float("nan"), 5))
    assert t_two_sided_p(math.inf, 5) == 0.0 and t_two_sided_p(0.0, 5) == 1.0
