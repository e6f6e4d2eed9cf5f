"""The before/after chart: each group's mean at baseline and at the end (matplotlib, sized for a projector)."""

from __future__ import annotations

from typing import Any, Mapping

from ...plotting import new_figure
from .model import evaluate


def before_after_chart(artefact: Mapping[str, Any], figures: Any):
    """Lines from baseline to end for the project group (and the comparison group); None without figures."""
    try:
        ev = evaluate(artefact, figures)
    except Exception:  # noqa: BLE001 - a chart is never drawn from figures that cannot be read
        return None
    if ev is None:
        return None
    fig = new_figure(9, 4.5)
    ax = fig.subplots()
    for g, style in ((ev.project, "o-"), (ev.comparison, "s--")):
        if g is None:
            continue
        ax.plot(["Baseline", "End"], [g.baseline_mean, g.end_mean], style, label=f"{g.label} (n = {g.n})")
    ax.set_ylabel(str(artefact.get("measure") or "Mean score"))
    ax.set_title("Before and after: group means")
    ax.legend()
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    return fig
