"""Charts for a pack's data appendix (matplotlib, sized for a projector)."""

from __future__ import annotations

from .packs import Table


def table_chart(table: Table):
    """A bar or line chart of a table that declares one; None otherwise."""
    if not table.chart:
        return None
    from ...plotting import new_figure

    fig = new_figure(9, 4.2)
    ax = fig.subplots()
    ys = list(table.chart["y"])
    idx = [table.columns.index(y) for y in ys]
    if table.chart.get("by_row"):  # one line per row (group) across the columns (data drops)
        for row in table.rows:
            vals = [row[i] if isinstance(row[i], (int, float)) else None for i in idx]
            ax.plot(ys, vals, marker="o", label=str(row[0]))
    else:
        labels = [str(r[0]) for r in table.rows]
        width = 0.8 / len(ys)
        for k, (y, i) in enumerate(zip(ys, idx)):
            vals = [float(str(r[i]).replace(",", "")) for r in table.rows]
            if table.chart.get("kind") == "line":
                ax.plot(labels, vals, marker="o", label=y)
            else:
                ax.bar([x + k * width for x in range(len(labels))], vals, width, label=y)
        if table.chart.get("kind") != "line":
            ax.set_xticks([x + width * (len(ys) - 1) / 2 for x in range(len(labels))], labels)
    ax.set_ylabel(str(table.chart.get("ylabel", "")))
    ax.set_title(table.title, wrap=True)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=max(1, len(ax.get_legend_handles_labels()[1])),
              frameon=False)  # under the chart: inside it, it covered bars
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    return fig
