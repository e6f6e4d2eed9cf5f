"""Charts of the curriculum and staffing model: for each school, teacher FTE held against FTE needed at the target
contact ratio, now and in each what-if scenario. Sized for a projector (house style, :mod:`npq_widgets.plotting`);
never colour alone — every bar is labelled with its value and named on the axis, and "held" is hatched."""

from __future__ import annotations

from .model import CurriculumFigures, School, Trust, school_metrics


def school_bars(trust: Trust, school: School, target: float) -> list[tuple[str, float]]:
    """(label, FTE) bars for one school: held, needed now, needed in each what-if that changes it."""
    now = school_metrics(school, target)
    bars = [("FTE held", now.fte_held), ("FTE needed now", now.fte_needed or 0.0)]
    for w in trust.whatifs:
        diffs, _ = trust.compare(w, target)
        for d in diffs:
            if d.school == school.id:
                bars.append((f"Needed: {w.title}", d.after.fte_needed or 0.0))
    return bars


def alt_text(trust: Trust, school: School, target: float) -> str:
    bars = "; ".join(f"{label} {value:.1f}" for label, value in school_bars(trust, school, target))
    return f"Bar chart for {school.label}: teacher FTE — {bars}."


def _draw(ax, trust: Trust, school: School, target: float) -> None:
    import textwrap

    bars = school_bars(trust, school, target)
    labels = [textwrap.fill(label, 22) for label, _ in bars]
    values = [v for _, v in bars]
    colours = ["#4c78a8"] + ["#f58518"] + ["#54a24b"] * (len(bars) - 2)
    hatches = ["//"] + [""] * (len(bars) - 1)
    y = list(range(len(bars)))
    for i, (v, c, h) in enumerate(zip(values, colours, hatches)):
        ax.barh(i, v, color=c, hatch=h, edgecolor="#333", linewidth=0.6)
        ax.text(v, i, f" {v:.1f}", va="center", fontsize=13)
    ax.set_yticks(y, labels, fontsize=12)
    ax.invert_yaxis()
    ax.set_xlim(0, max(values + [1.0]) * 1.18)
    ax.set_xlabel(f"Teacher FTE (needed at a contact ratio of {target:g})")
    ax.set_title(school.label)


def school_figure(trust: Trust, school: School, figures: CurriculumFigures):
    from ...plotting import new_figure

    n = 2 + len(trust.whatifs)
    fig = new_figure(11, 1.2 + 0.8 * n)
    _draw(fig.subplots(), trust, school, figures.contact_ratio_target.value)
    fig.tight_layout()
    return fig


def trust_figure(trust: Trust, figures: CurriculumFigures):
    """One panel a school (the portfolio's chart)."""
    from ...plotting import new_figure

    k = max(len(trust.schools), 1)
    n = 2 + len(trust.whatifs)
    fig = new_figure(11, (1.2 + 0.8 * n) * k)
    axes = fig.subplots(k, 1, squeeze=False)[:, 0]
    for ax, school in zip(axes, trust.schools):
        _draw(ax, trust, school, figures.contact_ratio_target.value)
    if not trust.schools:
        axes[0].text(0.5, 0.5, "No schools yet", ha="center", va="center", fontsize=14)
        axes[0].set_axis_off()
    fig.tight_layout()
    return fig
