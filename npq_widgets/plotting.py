"""One chart style for the whole workbook, and PNG output.

Charts are drawn with matplotlib on the Agg backend (no display, safe in a kernel and in exports), sized for a
projector at 1366×768: text at least 12 pt. matplotlib is imported only when a chart is first drawn.
"""

from __future__ import annotations

import io
from typing import Any

STYLE = {"font.size": 14, "axes.titlesize": 16, "axes.labelsize": 14, "legend.fontsize": 12,
         "xtick.labelsize": 13, "ytick.labelsize": 13}


def new_figure(width: float, height: float):
    """A matplotlib Figure (not registered with pyplot, so it is freed with its last reference) in the house style."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    matplotlib.rcParams.update(STYLE)
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height))


def figure_png(fig: Any, dpi: int = 100) -> bytes:
    """The figure as PNG bytes; a pyplot figure is closed afterwards."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    try:
        import matplotlib.pyplot as plt

        if plt.fignum_exists(getattr(fig, "number", -1)):
            plt.close(fig)
    except Exception:  # noqa: BLE001 - closing is tidying up, never a failure
        pass
    return buf.getvalue()


def unit_square(x: float, y: float, colour: str):
    """A 1×1 filled square with a white edge (heat-map cells, shaded blocks)."""
    from matplotlib.patches import Rectangle

    return Rectangle((x, y), 1, 1, facecolor=colour, edgecolor="white", linewidth=2)
