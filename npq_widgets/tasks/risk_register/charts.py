"""The risk register's 5×5 heat map (before and after mitigation), shared by the app and the export.

Sized for a projector. Status is never carried by colour alone: each cell names its RAG rating in words.
"""

from __future__ import annotations

from ...plotting import SIZE
from ...plotting import new_figure as _figure
from ...plotting import unit_square as _rect
from .model import IMPACT, LIKELIHOOD, RiskRegister

RAG_COLOURS = {"green": "#b9dfb9", "amber": "#ffd88a", "red": "#f2a3a3"}


def heat_map_figure(reg: RiskRegister):
    """Two 5×5 grids (before and after mitigation); each cell shows its RAG word and the risk ids placed there."""
    fig = _figure(12, 6.8)
    axes = fig.subplots(1, 2)
    for ax, residual, title in ((axes[0], False, "Before mitigation (inherent)"),
                                (axes[1], True, "After mitigation (residual)")):
        cells = reg.heat_counts(residual)
        for li in range(1, 6):
            for im in range(1, 6):
                rating = reg.rag.rating(li * im) or "green"
                ax.add_patch(_rect(im - 0.5, li - 0.5, RAG_COLOURS[rating]))
                ax.text(im - 0.45, li + 0.45, f"{rating.capitalize()}\n{li * im}", fontsize=SIZE["small"],
                        va="top", color="#333", linespacing=1.0)
                ids = cells.get((li, im), [])
                if ids:
                    shown = ids[:4]  # two to a line, so they stay inside the cell
                    text = "\n".join(", ".join(shown[k:k + 2]) for k in range(0, len(shown), 2))
                    text += f" +{len(ids) - 4}" if len(ids) > 4 else ""
                    ax.text(im + 0.05, li - 0.22, text, fontsize=SIZE["small"], ha="center", va="center",
                            fontweight="bold", wrap=True)
        ax.set_xlim(0.5, 5.5)
        ax.set_ylim(0.5, 5.5)
        ax.set_xticks(range(1, 6), [f"{i}\n{IMPACT[i]}".replace(" ", "\n", 1) for i in range(1, 6)])
        ax.set_yticks(range(1, 6), [f"{LIKELIHOOD[i].capitalize()} {i}".replace("most c", "most\nc")
                                    for i in range(1, 6)])
        ax.set_xlabel("Impact")
        ax.set_ylabel("Likelihood")
        counts = reg.rating_counts(residual)
        ax.set_title(f"{title}\nRed {counts['red']} · Amber {counts['amber']} · Green {counts['green']}")
        ax.set_aspect("equal")
    fig.tight_layout()
    return fig


def heat_map_alt(reg: RiskRegister) -> str:
    parts = []
    for residual, name in ((False, "before mitigation"), (True, "after mitigation")):
        c = reg.rating_counts(residual)
        parts.append(f"{name}: {c['red']} red, {c['amber']} amber, {c['green']} green")
    return "Risk heat map, likelihood against impact — " + "; ".join(parts) + "."
