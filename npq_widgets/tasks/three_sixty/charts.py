"""Charts for a projector (``plotting.py`` style): the dot plot per behaviour, start vs end, and the reflections over
time. Meaning never rests on colour alone (marker shapes and line styles differ), and each chart has alt text."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from ...catalogue import load_catalogue
from ...domain.values import format_uk_date
from ...plotting import new_figure
from .model import Change, Reflection, ReportRow, change, describe_change, kept_reflections, report, round_for

MARKERS = ("o", "s", "^", "D", "v", "P", "X")
LINES = ("-", "--", ":", "-.", (0, (5, 1)), (0, (3, 1, 1, 1)), (0, (1, 1)))


def _rating_axis(ax, axis: str = "x") -> None:
    ticks = [1, 2, 3, 4]
    labels = ["1 high", "2", "3", "4 low"]
    if axis == "x":
        ax.set_xlim(4.4, 0.6)  # 1 (high) on the right: better is further right
        ax.set_xticks(ticks, labels)
        ax.grid(axis="x", alpha=0.3)
    else:
        ax.set_ylim(4.4, 0.6)  # 1 (high) at the top
        ax.set_yticks(ticks, labels)
        ax.grid(axis="y", alpha=0.3)


def _fmt(v: float | None) -> str:
    return "—" if v is None else f"{v:g}"


def dot_plot(rows: Sequence[ReportRow], title: str = "Self and others, per behaviour"):
    """One line per behaviour: the others' range as a bar, their median as an open circle, self as a black square."""
    rows = [r for r in rows if r.statement.kind == "behaviour"]
    fig = new_figure(11, 1.0 + 0.75 * max(len(rows), 1))
    ax = fig.add_subplot()
    for y, r in enumerate(reversed(rows)):
        if r.others is not None:
            ax.plot([r.others.low, r.others.high], [y, y], color="#4a6d8c", linewidth=6, alpha=0.45,
                    solid_capstyle="butt", label="Others' range" if y == 0 else None)
            ax.plot([r.others.median], [y], marker="o", markersize=14, markerfacecolor="white",
                    markeredgecolor="#1f3b57", markeredgewidth=3, linestyle="none",
                    label="Others' median" if y == 0 else None)
        if r.self_rating is not None:
            ax.plot([r.self_rating], [y], marker="s", markersize=11, color="black", linestyle="none",
                    label="You" if y == 0 else None)
    ax.set_yticks(range(len(rows)), [r.statement.text + (f" ({r.flag})" if r.flag else "") for r in reversed(rows)])
    _rating_axis(ax, "x")
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.set_title(title)
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3, frameon=False)
    fig.tight_layout()
    return fig


def dot_plot_alt(rows: Sequence[ReportRow]) -> str:
    parts = []
    for r in rows:
        if r.statement.kind != "behaviour":
            continue
        others = (f"others' median {_fmt(r.others.median)} (range {r.others.high} to {r.others.low}, {r.others.n} "
                  "ratings)" if r.others else "no ratings from others")
        parts.append(f"{r.statement.text}: you {_fmt(r.self_rating)}, {others}"
                     + (f", a {r.flag}" if r.flag else ""))
    return "Dot plot of ratings from 1 (high) to 4 (low). " + "; ".join(parts) + "."


def start_end(changes: Sequence[Change], title: str = "Others' median rating: start and end of the programme"):
    fig = new_figure(11, 1.0 + 0.75 * max(len(changes), 1))
    ax = fig.add_subplot()
    for y, c in enumerate(reversed(changes)):
        a, b = c.others_start, c.others_end
        if a is not None and b is not None and a != b:
            ax.annotate("", xy=(b, y), xytext=(a, y), arrowprops={"arrowstyle": "->", "linewidth": 2})
        if a is not None:
            ax.plot([a], [y], marker="o", markersize=13, markerfacecolor="white", markeredgecolor="black",
                    markeredgewidth=2, linestyle="none", label="Start" if y == 0 else None)
        if b is not None:
            ax.plot([b], [y], marker="D", markersize=11, color="black", linestyle="none",
                    label="End" if y == 0 else None)
    ax.set_yticks(range(len(changes)), [f"{c.statement.text} ({describe_change(c.others_change)})"
                                        for c in reversed(changes)])
    _rating_axis(ax, "x")
    ax.set_ylim(-0.7, len(changes) - 0.3)
    ax.set_title(title)
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, frameon=False)
    fig.tight_layout()
    return fig


def start_end_alt(changes: Sequence[Change]) -> str:
    parts = [f"{c.statement.text}: {_fmt(c.others_start)} at the start, {_fmt(c.others_end)} at the end "
             f"({describe_change(c.others_change)})" for c in changes]
    return "Others' median rating per behaviour, 1 (high) to 4 (low), start and end. " + "; ".join(parts) + "."


def reflections_over_time(reflections: Sequence[Reflection], behaviours: Sequence[str],
                          title: str = "Leadership Reflection: your ratings over time"):
    dated = [r for r in reflections if r.date is not None]
    fig = new_figure(11, 6)
    ax = fig.add_subplot()
    for i, b in enumerate(behaviours):
        points = [(r.date, r.ratings.get(b)) for r in dated if r.ratings.get(b) is not None]
        if points:
            ax.plot([p[0] for p in points], [p[1] for p in points], marker=MARKERS[i % len(MARKERS)],
                    linestyle=LINES[i % len(LINES)], linewidth=2, markersize=9, label=b)
    _rating_axis(ax, "y")
    ax.set_xticks([r.date for r in dated], [format_uk_date(r.date) for r in dated], rotation=30, ha="right")
    ax.set_title(title)
    if dated:
        ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    fig.tight_layout()
    return fig


def reflections_alt(reflections: Sequence[Reflection], behaviours: Sequence[str]) -> str:
    dated = [r for r in reflections if r.date is not None]
    if not dated:
        return "No dated reflections yet."
    parts = [f"{b}: " + ", ".join(f"{_fmt(r.ratings.get(b))} on {format_uk_date(r.date)}" for r in dated)
             for b in behaviours]
    return "Your rating of each behaviour over time, 1 (high) to 4 (low). " + "; ".join(parts) + "."


# -- the declared charts (portfolio, gallery) --------------------------------------------------------------------------
def chart_report(artefact: Mapping[str, Any], scenario: Any = None):
    rnd = round_for(artefact, "end") or round_for(artefact, "start") or {}
    return dot_plot(report(rnd))


def chart_start_end(artefact: Mapping[str, Any], scenario: Any = None):
    return start_end(change(artefact))


def chart_reflections(artefact: Mapping[str, Any], scenario: Any = None):
    names = [b.name for b in load_catalogue().behaviours]
    return reflections_over_time(kept_reflections(artefact, names), names)


CHARTS = {"report": chart_report, "start-end": chart_start_end, "reflections": chart_reflections}
