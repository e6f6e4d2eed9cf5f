"""The sensitivity (tornado-style) chart: for each criterion, the range of its weight over which the preferred option
stays first — the others scaled proportionally so the total stays 100 — narrowest (most sensitive) at the top, with
the current weight marked. Sized for a projector; never colour alone (each end is labelled)."""

from __future__ import annotations

from .model import Appraisal, sensitivity
from ...plotting import new_figure


def tornado_figure(appraisal: Appraisal):
    rows = sorted(sensitivity(appraisal), key=lambda s: ((s.upper.weight if s.upper else 100)
                                                          - (s.lower.weight if s.lower else 0)), reverse=True)
    fig = new_figure(11, max(3.0, 1.0 + 0.8 * len(rows)))
    ax = fig.subplots()
    best = appraisal.preferred
    for i, s in enumerate(rows):
        lo = s.lower.weight if s.lower else 0.0
        hi = s.upper.weight if s.upper else 100.0
        ax.barh(i, hi - lo, left=lo, height=0.5, color="#4c78a8", edgecolor="#333")
        ax.plot([s.weight], [i], marker="D", color="black", markersize=9)
        ax.text(lo - 1, i, f"{lo:.1f}" + (f" ({s.lower.takes_over})" if s.lower else ""), ha="right", va="center",
                fontsize=12)
        ax.text(hi + 1, i, f"{hi:.1f}" + (f" ({s.upper.takes_over})" if s.upper else ""), ha="left", va="center",
                fontsize=12)
    ax.set_yticks(range(len(rows)), [s.criterion.label for s in rows], fontsize=13)
    ax.set_xlim(-45, 145)
    ax.set_xticks(range(0, 101, 20))
    ax.set_xlabel("Weight (the other weights scaled so the total stays 100)", fontsize=13)
    title = (f"Weights over which “{best.option.label}” stays first (◆ = current weight)" if best and rows
             else "Sensitivity: complete the scores and weights (total 100) to see it")
    ax.set_title(title, fontsize=14)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


def tornado_alt(appraisal: Appraisal) -> str:
    best = appraisal.preferred
    rows = sensitivity(appraisal)
    if best is None or not rows:
        return "Sensitivity chart: not drawn yet — every option needs every score, and the weights must total 100."
    parts = [f"{s.criterion.label}: current weight {s.weight:g}, holds from "
             f"{s.lower.weight if s.lower else 0:.1f} to {s.upper.weight if s.upper else 100:.1f}" for s in rows]
    return f"Tornado chart of the weights over which {best.option.label} stays first. " + "; ".join(parts) + "."
