"""Student's t distribution for intervals and tests, in plain Python.

``scipy.stats`` gives the same numbers but costs about 60 MB and half a second in every kernel that imports it (it
pulls in most of scipy), and even ``scipy.special`` adds 14 MB: on a laptop serving a room, each of those megabytes is
paid once per open page. The t distribution needs only the regularised incomplete beta function, computed here by its
continued fraction (Lentz's method), to about 1e-12 — tests/test_tdist.py compares it with ``scipy.stats`` across
the degrees of freedom and probabilities the workbook uses.
"""

from __future__ import annotations

import math

_EPS = 1e-15
_TINY = 1e-300


def _beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta function (converges for x < (a + 1) / (a + b + 2))."""
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, 1000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < _EPS:
            break
    return h


def beta_inc(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _beta_fraction(a, b, x) / a
    return 1.0 - math.exp(log_front) * _beta_fraction(b, a, 1.0 - x) / b


def t_sf(t: float, df: float) -> float:
    """P(T > t) for Student's t with ``df`` degrees of freedom."""
    if math.isnan(t) or math.isnan(df) or df <= 0:
        return float("nan")
    if math.isinf(t):
        return 0.0 if t > 0 else 1.0
    tail = 0.5 * beta_inc(df / 2.0, 0.5, df / (df + t * t))  # P(T > |t|)
    return tail if t >= 0 else 1.0 - tail


def t_two_sided_p(t: float, df: float) -> float:
    """The two-sided p-value of a t statistic with ``df`` degrees of freedom (as ``scipy.stats`` reports it)."""
    if math.isnan(t) or math.isnan(df):
        return float("nan")
    if math.isinf(t):
        return 0.0
    return min(1.0, 2.0 * t_sf(abs(t), df))


def _t_pdf(t: float, df: float) -> float:
    return math.exp(math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)
                    - (df + 1) / 2 * math.log1p(t * t / df))


def _t_ppf_one(q: float, df: float) -> float:
    if math.isnan(q) or math.isnan(df) or df <= 0 or not 0.0 <= q <= 1.0:
        return float("nan")
    if q == 0.5:
        return 0.0
    if q in (0.0, 1.0):
        return math.copysign(math.inf, q - 0.5)
    upper = q > 0.5
    p = 1.0 - q if upper else q  # the lower tail we solve for: P(T < -t) = p, t > 0
    lo, hi = 0.0, 1.0
    while t_sf(hi, df) > p:  # bracket the root
        lo, hi = hi, hi * 2.0
        if hi > 1e300:
            break
    t = (lo + hi) / 2
    for _ in range(200):  # Newton's steps, kept inside the bracket (bisection where a step would leave it)
        f = t_sf(t, df) - p
        if f > 0:
            lo = t
        else:
            hi = t
        step = f / max(_t_pdf(t, df), _TINY)
        nxt = t + step
        if not lo < nxt < hi:
            nxt = (lo + hi) / 2
        if abs(nxt - t) <= 1e-14 * max(1.0, abs(t)):
            t = nxt
            break
        t = nxt
    return t if upper else -t


def t_ppf(q, df):
    """Student's t quantile (``scipy.stats.t.ppf(q, df)``); ``q`` or ``df`` may be numpy arrays (broadcast)."""
    if isinstance(q, (int, float)) and isinstance(df, (int, float)):
        return _t_ppf_one(float(q), float(df))
    import numpy as np

    return np.vectorize(_t_ppf_one, otypes=[float])(q, df)
