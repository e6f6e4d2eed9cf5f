"""One chart style for the whole workbook, and PNG output.

Charts are drawn with matplotlib on the Agg backend (no display, safe in a kernel and in exports), sized for a
projector at 1366×768. A chart is shown as an ``<img>`` scaled to its display width (at most the page's width,
:data:`PAGE_PX`), so the size a reader sees is ``points × DPI/72 × shown width / PNG width``: every text of every chart
must come out at :data:`MIN_TEXT_PX` or more (tests/test_chart_style.py measures each chart with
:func:`text_sizes_px`). Charts take their sizes from :data:`STYLE` (set by :func:`new_figure`) or :data:`SIZE`,
never their own numbers. matplotlib is imported only when a chart is first drawn.
"""

from __future__ import annotations

import io
from typing import Any

STYLE = {"font.size": 14, "axes.titlesize": 15, "axes.labelsize": 14, "legend.fontsize": 13,
         "legend.title_fontsize": 13, "xtick.labelsize": 13, "ytick.labelsize": 13, "figure.titlesize": 15}
SIZE = {"text": 14, "small": 13, "title": 15}  # for text a chart places itself (ax.text, annotations)
DPI = 110  # PNGs for the apps
PAGE_PX = 1050  # the widest a chart is shown: the app's width (max 1100 px, less padding) at 1366×768
MIN_TEXT_PX = 14  # smallest text a reader sees on a projector at 1366×768


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


def png_width(data: bytes) -> int:
    """The width in pixels of a PNG (from its header)."""
    import struct

    return struct.unpack(">I", data[16:20])[0]


def shown_px(width_px: int, natural_px: int) -> int:
    """The width a chart is shown at on a 1366×768 page: its PNG's own width (never blown up, so every chart of a
    page shows the house style's points at the same size), at most ``width_px`` and the page's width."""
    return min(width_px, natural_px, PAGE_PX)


def text_sizes_px(fig: Any, width_px: int, dpi: int = DPI) -> list[tuple[str, float]]:
    """Every visible text of ``fig`` with the height of its letters in screen pixels once the PNG (``dpi``, tight
    box) is shown ``width_px`` wide (capped at the page). Draws the figure; leaves it open."""
    from matplotlib.text import Text

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    natural = png_width(buf.getvalue())
    scale = shown_px(width_px, natural) / natural
    out = []
    for t in fig.findobj(Text):
        if t.get_visible() and t.get_text().strip() and t.figure is not None:
            out.append((t.get_text(), t.get_fontsize() * dpi / 72 * scale))
    return out


def unit_square(x: float, y: float, colour: str):
    """A 1×1 filled square with a white edge (heat-map cells, shaded blocks)."""
    from matplotlib.patches import Rectangle

    return Rectangle((x, y), 1, 1, facecolor=colour, edgecolor="white", linewidth=2)
