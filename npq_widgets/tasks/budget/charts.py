"""The budget's stacked bar chart: cost by term and category, with the funding per term marked.

Sized for a projector (fonts ≥ 12 pt). Never colour alone: every segment also has its own hatching, the legend names
each one, each bar is labelled with its total, and funding is a labelled marker.
"""

from __future__ import annotations

from .model import Totals
from ...domain.values import format_money
from ...plotting import SIZE, new_figure

EMPTY = "Add a cost to see the chart"

SEGMENTS = (  # (key in Totals.stack(), legend label, colour, hatch)
    ("staffing", "Staffing", "#4c78a8", ""),
    ("on_costs", "Employer on-costs", "#9ecae9", "//"),
    ("cover", "Supply cover", "#f58518", "\\\\"),
    ("cpd", "CPD", "#54a24b", ".."),
    ("resources", "Resources", "#b279a2", "xx"),
    ("other", "Other", "#9d755d", "--"),
    ("contingency", "Contingency", "#d9d9d9", "oo"),
)


def has_costs(totals: Totals) -> bool:
    return any(v for v in totals.cost.values())


def budget_figure(totals: Totals):
    """Stacked bars of cost per term; with no cost yet, only the words "Add a cost to see the chart" (no axes, so
    no meaningless £0–£1 scale)."""
    import matplotlib.ticker

    terms = list(totals.terms)
    fig = new_figure(10, 6)
    ax = fig.subplots()
    if not terms or not has_costs(totals):
        ax.text(0.5, 0.5, EMPTY + ".", ha="center", va="center", fontsize=SIZE["text"], transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    stack = totals.stack()
    x = range(len(terms))
    bottom = [0.0] * len(terms)
    for key, label, colour, hatch in SEGMENTS:
        values = [stack[key].get(t, 0.0) for t in terms]
        if not any(values):
            continue
        ax.bar(x, values, 0.55, bottom=bottom, label=label, color=colour, hatch=hatch, edgecolor="#333",
               linewidth=0.6)
        bottom = [b + v for b, v in zip(bottom, values)]
    top = max([*bottom, *totals.funding.values(), 1.0])
    for i, t in enumerate(terms):
        f = totals.funding.get(t, 0.0)
        # cost and funding in one label above the bar: side by side they ran into the next bar's label
        label = f"Cost {format_money(totals.cost[t])}" + (f"\nFunding {format_money(f)}" if f else "")
        ax.text(i, max(bottom[i], f) + top * 0.03, label, ha="center", va="bottom", fontsize=SIZE["small"],
                fontweight="bold")
        if f:
            ax.plot([i - 0.36, i + 0.36], [f, f], color="black", linewidth=2.5, linestyle="--",
                    label="Funding (dashed line)" if i == next(k for k, u in enumerate(terms)
                                                               if totals.funding.get(u)) else None)
    ax.set_xticks(list(x), terms)
    ax.set_xlim(-0.6, len(terms) - 0.4 + 0.35)
    ax.set_ylim(0, top * 1.3)
    ax.set_ylabel("£")
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _p: f"£{v:,.0f}"))
    ax.set_title(f"Cost by term and category — total {format_money(totals.total_cost)}, funding "
                 f"{format_money(totals.total_funding)}")
    handles, names = ax.get_legend_handles_labels()
    if handles:  # top to bottom, as the segments are stacked
        ax.legend(handles[::-1], names[::-1], loc="upper left", bbox_to_anchor=(1.12, 1.0),
                  frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


def budget_alt(totals: Totals) -> str:
    if not totals.terms:
        return "Budget chart: no terms yet (give the project's dates)."
    if not has_costs(totals):
        return f"Budget chart: no costs yet. {EMPTY}."
    parts = [f"{t}: cost {format_money(totals.cost[t])}, funding {format_money(totals.funding[t])}"
             for t in totals.terms]
    return (f"Stacked bar chart of the budget's cost by term and category. " + "; ".join(parts) +
            f". Total cost {format_money(totals.total_cost)}, balance {format_money(totals.balance)}.")
