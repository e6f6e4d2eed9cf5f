"""The project plan's Gantt chart, shared by the app and the export.

Sized for a projector. Never colour alone: critical tasks are outlined and labelled "critical", milestones are
diamonds with "◆" in their label, stages are named in the legend.
"""

from __future__ import annotations

import datetime as dt

from ...domain.lifetime import TermCalendar
from ...domain.values import format_uk_date
from ...plotting import SIZE
from ...plotting import new_figure as _figure
from .model import STAGES, ProjectPlan, critical_path

STAGE_COLOURS = {"explore": "#4c78a8", "prepare": "#72b7b2", "deliver": "#f58518", "sustain": "#54a24b", "": "#9d9d9d"}
MAX_GANTT_TASKS = 60


def _month_label(value: float, pos: int | None = None) -> str:
    """A month name on the time axis, with the year under the first month shown and under each January: a year on
    every month overlaps its neighbours once a plan runs longer than a few months."""
    import matplotlib.dates as mdates

    day = mdates.num2date(value)
    return day.strftime("%b\n%Y") if pos == 0 or day.month == 1 else day.strftime("%b")


def gantt_figure(plan: ProjectPlan, calendar: TermCalendar | None = None):
    """Bars per task (colour = EEF stage, named in the legend), milestones as diamonds, terms shaded and named,
    critical tasks outlined in black and labelled 'critical'."""
    import matplotlib.dates as mdates
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter

    dated = [t for t in plan.tasks if t.dated][:MAX_GANTT_TASKS]
    height = min(3 + 0.42 * max(len(dated), 1), 30)
    fig = _figure(12, height)
    ax = fig.subplots()
    if not dated:
        ax.text(0.5, 0.5, "No dated tasks yet: give tasks a start and an end to see the chart.", ha="center",
                va="center", fontsize=SIZE["text"], transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    path = critical_path(plan, calendar)
    critical = set(path.ids) if path else set()
    life = plan.lifetime(calendar)
    lo, hi = life.start, life.end  # type: ignore[union-attr]
    for k, term in enumerate(life.terms()):  # type: ignore[union-attr]
        ax.axvspan(max(term.start, lo - dt.timedelta(days=3)), min(term.end, hi + dt.timedelta(days=3)) +
                   dt.timedelta(days=1), color="#e8ecf2" if k % 2 == 0 else "#dde3ec", zorder=0)
        mid = max(term.start, lo) + (min(term.end, hi) - max(term.start, lo)) / 2
        ax.text(mid, -0.9, term.name, ha="center", va="bottom", fontsize=SIZE["small"], color="#34495e",
                zorder=1)
    labels = []
    for y, t in enumerate(dated):
        colour = STAGE_COLOURS.get(t.stage, STAGE_COLOURS[""])
        is_crit = t.id in critical
        if t.milestone:
            ax.plot([t.start], [y], marker="D", markersize=13, color=colour,
                    markeredgecolor="black" if is_crit else "white", markeredgewidth=2.5 if is_crit else 1,
                    zorder=3)
        else:
            ax.barh(y, (t.end - t.start).days + 1, left=t.start, height=0.6, color=colour,  # type: ignore[operator]
                    edgecolor="black" if is_crit else colour, linewidth=2.5 if is_crit else 0.5,
                    hatch="//" if is_crit else None, zorder=2)
        name = t.name if len(t.name) <= 38 else t.name[:36] + "…"
        labels.append(f"{'◆ ' if t.milestone else ''}{t.id} {name}{'  (critical)' if is_crit else ''}")
    ypos = {t.id: y for y, t in enumerate(dated)}
    for y, t in enumerate(dated):
        for d in t.depends_on:
            dep = next((x for x in dated if x.id == d), None)
            if dep is not None and dep.end is not None:
                ax.annotate("", xy=(t.start, y), xytext=(dep.end + dt.timedelta(days=1), ypos[d]),
                            arrowprops=dict(arrowstyle="->", color="#555", lw=1), zorder=1)
    ax.set_yticks(range(len(dated)), labels)
    ax.set_ylim(len(dated) - 0.4, -1.2)
    ax.xaxis.set_major_locator(mdates.MonthLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(_month_label))  # "Nov" with the year under the first month and each January
    ax.set_xlim(lo - dt.timedelta(days=3), hi + dt.timedelta(days=4))
    used = [s for s in STAGES if any(t.stage == s for t in dated)]
    handles = [Patch(facecolor=STAGE_COLOURS[s], label=s.capitalize()) for s in used]
    handles.append(Patch(facecolor="white", edgecolor="black", hatch="//", linewidth=2, label="Critical path"))
    ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.02), ncol=len(handles), frameon=False)
    ax.grid(axis="x", color="#bbb", linewidth=0.5)
    if len([t for t in plan.tasks if t.dated]) > MAX_GANTT_TASKS:
        ax.set_xlabel(f"First {MAX_GANTT_TASKS} dated tasks shown")
    fig.tight_layout()
    return fig


def gantt_alt(plan: ProjectPlan, calendar: TermCalendar | None = None) -> str:
    dated = [t for t in plan.tasks if t.dated]
    if not dated:
        return "Gantt chart: no dated tasks yet."
    life = plan.lifetime(calendar)
    path = critical_path(plan, calendar)
    crit = (" Critical path: " + " → ".join(path.ids) + ".") if path else ""
    milestones = sum(t.milestone for t in dated)
    n = len(dated)
    return (f"Gantt chart of {n} task{'s' if n != 1 else ''} ({milestones} milestone{'s' if milestones != 1 else ''}), {format_uk_date(life.start)} to "  # type: ignore[union-attr]
            f"{format_uk_date(life.end)}, terms shaded.{crit}")  # type: ignore[union-attr]
