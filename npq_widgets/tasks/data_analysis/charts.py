"""Charts for the pupil data analysis, drawn from the aggregates only, sized for a projector (fonts ≥ 12 pt).

Groups are told apart by marker and line style as well as colour; suppressed groups are drawn as an empty, hatched
slot labelled "fewer than N pupils", never as a number. matplotlib is imported inside the functions.
"""

from __future__ import annotations

from typing import Any, Mapping

from ...plotting import SIZE, figure_png, new_figure

MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "h", "<", ">", "p")
STYLES = ("-", "--", "-.", ":")
COLOURS = ("#1f4e79", "#b35900", "#2e7d32", "#6a1b9a", "#8a1c1c", "#00695c", "#5d4037", "#37474f", "#ad1457",
           "#827717", "#283593", "#4e342e")


WIDTH = 7.5  # inches: every chart of the page the same width, so the house style gives the same text size in all


def _axes(height: float):
    """A figure in the workbook's one chart style (plotting.STYLE) and its axes."""
    fig = new_figure(WIDTH, height)
    return fig, fig.subplots()


def _title(agg: Mapping[str, Any]) -> str:
    return str(agg.get("measure_label") or agg.get("measure"))


def group_bars(agg: Mapping[str, Any]):
    """Latest drop: each group's mean with its 95% interval as whiskers, and the reference line."""
    latest = agg.get("latest_drop") or ""
    rows = [g for g in agg.get("groups") or () if (g.get("drop") or "") == latest] or list(agg.get("cohort") or ())
    rows = [r for r in rows if r.get("drop", "") == latest or not latest]
    n = max(1, len(rows))
    fig, ax = _axes(5.6)
    means = [r["mean"] for r in rows if not r.get("suppressed") and r.get("mean") is not None]
    ref = agg.get("reference")
    lo_all = min([r["ci_low"] for r in rows if r.get("ci_low") is not None] + ([ref] if ref is not None else [])
                 + [0 if agg.get("method") == "p8" else (min(means) if means else 0)])
    hi_all = max([r["ci_high"] for r in rows if r.get("ci_high") is not None] + ([ref] if ref is not None else [])
                 + [min(means) if means else 1])
    pad = (hi_all - lo_all) * 0.15 or 1
    base = ref if ref is not None else 0
    for i, r in enumerate(rows):
        if r.get("suppressed") or r.get("mean") is None:
            ax.bar(i, 0, color="none")
            ax.text(i, base, f"fewer than\n{agg.get('threshold', 6)} pupils", ha="center", va="bottom",
                    fontsize=SIZE["small"], color="#333")
            continue
        m = r["mean"]
        ax.bar(i, m - base, bottom=base, color=COLOURS[i % len(COLOURS)], alpha=0.85, width=0.6,
               hatch=("//" if i % 2 else None), edgecolor="#222")
        ax.errorbar(i, m, yerr=[[m - r["ci_low"]], [r["ci_high"] - m]], fmt="none", ecolor="#111", elinewidth=2,
                    capsize=8)
        ax.text(i + 0.33, m, f"{m:.2f}\nn={r['n']}", va="center", fontsize=SIZE["small"])
    if ref is not None:
        ax.axhline(ref, color="#444", linestyle="--", linewidth=1.5)
        ax.text(n - 0.5, ref, f" reference {ref:g}", va="bottom", ha="right", fontsize=SIZE["small"],
                color="#333")
    ax.set_xticks(range(n))
    ax.set_xticklabels([_wrap(str(r.get("group")), 14 if n <= 5 else 9) for r in rows])
    ax.set_xlim(-0.6, n - 0.4 + 0.4)
    ax.set_ylim(lo_all - pad, hi_all + pad)
    by = agg.get("by_label") or "All pupils"
    ax.set_title(f"{_title(agg)} by {by} — {latest}".strip(" —"))
    ax.set_ylabel(f"{_title(agg)} (mean, 95% interval)")
    ax.spines[["top", "right"]].set_visible(False)

    return fig


def trend_lines(agg: Mapping[str, Any]):
    """Each group's mean across the chosen drops, with interval whiskers; suppressed points are left out."""
    drops = list(agg.get("drops") or [])
    rows = list(agg.get("groups") or ()) or list(agg.get("cohort") or ())
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for r in rows:
        groups.setdefault(str(r.get("group")), []).append(r)
    fig, ax = _axes(5.6)
    for k, (g, rs) in enumerate(groups.items()):
        pts = [(drops.index(r["drop"]), r) for r in rs if r.get("drop") in drops and not r.get("suppressed")
               and r.get("mean") is not None]
        if not pts:
            continue
        xs = [x + (k - len(groups) / 2) * 0.04 for x, _ in pts]
        ys = [r["mean"] for _, r in pts]
        err = [[r["mean"] - r["ci_low"] for _, r in pts], [r["ci_high"] - r["mean"] for _, r in pts]]
        ax.errorbar(xs, ys, yerr=err, marker=MARKERS[k % len(MARKERS)], linestyle=STYLES[k % len(STYLES)],
                    color=COLOURS[k % len(COLOURS)], linewidth=2.2, markersize=9, capsize=5, label=g)
    ref = agg.get("reference")
    if ref is not None:
        ax.axhline(ref, color="#444", linestyle="--", linewidth=1.2)
    ax.set_xticks(range(len(drops)))
    ax.set_xticklabels(drops)
    ax.set_xlim(-0.4, max(0.4, len(drops) - 0.6))
    ax.set_title(f"{_title(agg)} across data drops")
    ax.set_ylabel(f"{_title(agg)} (mean, 95% interval)")
    if ax.get_legend_handles_labels()[0]:
        # under the chart, not beside it: the chart stays within the page, so it is shown at the same scale as the
        # bar chart above it (a wider PNG would be shrunk, and its text with it)
        ax.legend(title=agg.get("by_label") or None, loc="upper center", bbox_to_anchor=(0.5, -0.12),
                  ncol=min(3, len(groups)) or 1, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)

    return fig


def sampling_chart(agg: Mapping[str, Any]):
    """One random sample of each size and its 95% interval: smaller samples, wider intervals."""
    rows = list(agg.get("sampling") or ())
    fig, ax = _axes(4.8)
    for i, r in enumerate(rows):
        ax.errorbar(r["mean"], i, xerr=[[r["mean"] - r["ci_low"]], [r["ci_high"] - r["mean"]]], fmt="o",
                    color="#1f4e79", capsize=6, elinewidth=2, markersize=8)
        ax.text(r["ci_high"], i, f"  width {r['ci_high'] - r['ci_low']:.2f}", va="center", fontsize=SIZE["small"])
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([f"{r['size']} pupils" for r in rows])
    ref = agg.get("reference")
    if ref is not None:
        ax.axvline(ref, color="#444", linestyle="--", linewidth=1.2)
    ax.set_title(f"Random samples of {_title(agg)} ({agg.get('latest_drop') or ''}): 95% intervals")
    ax.set_xlabel(_title(agg))
    ax.spines[["top", "right"]].set_visible(False)

    return fig


def png(fig, dpi: int = 100) -> bytes:
    return figure_png(fig, dpi=dpi)


def _wrap(text: str, width: int = 14) -> str:
    words, lines, cur = text.split(), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}".strip()
    lines.append(cur)
    return "\n".join(lines)


def funnel_alt(funnel: Mapping[str, Any]) -> str:
    """The funnel plot in words: the trust mean, the limits' method, and which schools lie outside the limits."""
    out95 = [s for s in funnel.get("schools") or () if s["position"] != "within the 95% limits"]
    outside = "; ".join(f"{s['school']} ({s['mean']:.2f}, n={s['n']}) {s['position']}" for s in out95) or "none"
    return (f"Funnel plot of {funnel.get('measure_label') or funnel.get('measure')} by school size: "
            f"trust mean {funnel['trust_mean']:.2f}, 95% and "
            f"99.8% limits (mean ± 1.96 and 3.09 × SD {funnel['trust_sd']:.2f} ÷ √n). "
            f"{len(funnel.get('schools') or ())} schools shown; outside the 95% limits: {outside}.")


def funnel_chart(funnel: Mapping[str, Any]):
    """Each school's mean against its number of pupils, with the 95% (dashed) and 99.8% (dotted) limits around the
    trust mean. Schools outside the limits are drawn as a different marker (▲ above, ▼ below) and named."""
    import numpy as np

    fig, ax = _axes(6.5)
    schools = list(funnel.get("schools") or ())
    mean, sd = float(funnel["trust_mean"]), float(funnel["trust_sd"])
    ns = [s["n"] for s in schools] or [10]
    grid = np.linspace(max(2, min(ns) * 0.6), max(ns) * 1.15, 200)
    for z, style, label in ((funnel.get("z95", 1.96), "--", "95% limits"), (funnel.get("z998", 3.09), ":",
                                                                             "99.8% limits")):
        half = z * sd / np.sqrt(grid)
        ax.plot(grid, mean + half, style, color="#333", linewidth=1.8, label=label)
        ax.plot(grid, mean - half, style, color="#333", linewidth=1.8)
    ax.axhline(mean, color="#1f4e79", linewidth=1.5, label=f"Trust mean {mean:.2f}")
    for s in schools:
        pos = s["position"]
        marker, colour = ("^", "#2e7d32") if pos.startswith("above") else ("v", "#8a1c1c") if pos.startswith(
            "below") else ("o", "#555")
        ax.plot(s["n"], s["mean"], marker=marker, markersize=11, color=colour, markeredgecolor="#111",
                linestyle="none")
        if not pos.startswith("within"):
            ax.annotate(_wrap(s["school"], 18), (s["n"], s["mean"]), textcoords="offset points", xytext=(8, 0),
                        va="center", fontsize=SIZE["small"])
    ax.set_xlabel("Pupils in the school (n)")
    ax.set_ylabel(f"{funnel.get('measure_label') or funnel.get('measure')} (school mean)")
    drop = funnel.get("drop")
    ax.set_title(f"Schools against the trust mean{' — ' + str(drop) if drop else ''}")
    ax.legend(loc="upper right")
    ax.spines[["top", "right"]].set_visible(False)
    return fig
