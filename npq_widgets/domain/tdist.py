"""Student's t distribution for intervals and tests, from ``scipy.special``.

``scipy.stats`` gives the same numbers but costs about 45 MB and half a second in every kernel that imports it (it
pulls in most of scipy); ``scipy.special`` holds the distribution functions ``scipy.stats`` itself uses. Imported
inside the functions, so nothing of scipy loads until a statistic is first needed.
"""

from __future__ import annotations

import math


def t_ppf(q, df):
    """Student's t quantile (``scipy.stats.t.ppf(q, df)``), from ``scipy.special``: the same numbers, without
    importing ``scipy.stats`` (about 45 MB more in every kernel that opens the data analysis)."""
    from scipy.special import stdtrit

    return stdtrit(df, q)


def t_two_sided_p(t: float, df: float) -> float:
    """The two-sided p-value of a t statistic with ``df`` degrees of freedom (as ``scipy.stats`` reports it)."""
    from scipy.special import stdtr

    if not math.isfinite(t):
        return 0.0 if math.isinf(t) else float("nan")
    return float(2 * stdtr(df, -abs(t)))
