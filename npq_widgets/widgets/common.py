"""Shared pieces of the widget apps: styling, labelled fields, word counts, figures as <img>, download links.

Feedback and charts go into ``HTML`` widgets (never ``Output``): testable without a kernel and safe at page load
under Voila.
"""

from __future__ import annotations

import base64
import html
import io
import re
from typing import Any

import ipywidgets as w

from ..domain.values import word_count

CSS = """
body[data-voila] .npq-lab-note { display: none; }
.npq-app { font-size: 16px; line-height: 1.45; max-width: 1100px; color: #1b1b1b; }
.npq-app h1 { font-size: 28px; margin: 4px 0 8px; }
.npq-app h2 { font-size: 22px; margin: 14px 0 6px; }
.npq-app h3 { font-size: 18px; margin: 10px 0 4px; }
.npq-app p, .npq-app li { font-size: 16px; }
.npq-app .npq-field-label { font-weight: 600; margin-top: 6px; }
.npq-app .npq-help { color: #444; font-size: 14px; }
.npq-app .npq-msg-error { color: #8a1c1c; font-weight: 600; }
.npq-app .npq-card { border: 1px solid #b9c4cf; border-radius: 6px; padding: 10px 14px; margin: 8px 0;
                     background: #fbfcfd; }
.npq-app .npq-badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 13px;
                      font-weight: 600; border: 1px solid #555; margin-left: 6px; }
.npq-app table.npq-table { border-collapse: collapse; margin: 6px 0 10px; }
.npq-app table.npq-table th, .npq-app table.npq-table td { border: 1px solid #c6ced6; padding: 4px 10px;
                                                          text-align: left; vertical-align: top; }
.npq-app table.npq-table td.num, .npq-app table.npq-table th.num { text-align: right; }
.npq-app .npq-check-result { border: 2px solid #44576a; border-radius: 6px; padding: 8px 14px; margin-top: 8px; }
.npq-app .npq-check-items { list-style: none; padding-left: 0; }
.npq-app .npq-check-met .npq-check-icon { color: #1d6b2f; }
.npq-app .npq-check-not-met .npq-check-icon { color: #8a1c1c; }
.npq-app .npq-check-hint { background: #fff6d6; padding: 6px 10px; border-left: 4px solid #b58900; }
.npq-app .widget-textarea textarea, .npq-app .widget-text input { font-size: 16px; font-family: inherit; }
.npq-app .widget-button, .npq-app .jupyter-button { font-size: 15px; }
.npq-app .npq-source { color: #555; font-size: 13px; }
"""


def button(description: str, *, css: str = "", primary: bool = False) -> w.Button:
    """A button sized to its words (ipywidgets' fixed width cuts long labels). No icons, on purpose: Voila loads the
    icon font from a CDN, which an offline event laptop cannot reach, so words carry the meaning everywhere."""
    b = w.Button(description=description, button_style="primary" if primary else "",
                 layout=w.Layout(width="auto", min_width="120px", height="36px"))
    if css:
        b.add_class(css)
    return b


def style() -> w.HTML:
    return w.HTML(f"<style>{CSS}</style>", layout=w.Layout(height="0px", margin="0"))


def esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def text_to_html(text: str) -> str:
    """Plain prose with blank-line paragraphs and '- ' bullets -> escaped HTML."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [ln.strip() for ln in block.splitlines() if ln.strip()]
        if lines and all(ln.startswith("- ") for ln in _join_bullets(lines)):
            items = "".join(f"<li>{esc(ln[2:])}</li>" for ln in _join_bullets(lines))
            out.append(f"<ul>{items}</ul>")
        elif lines:
            out.append(f"<p>{esc(' '.join(lines))}</p>")
    return "".join(out)


def _join_bullets(lines: list[str]) -> list[str]:
    joined: list[str] = []
    for ln in lines:
        if ln.startswith("- ") or not joined:
            joined.append(ln)
        else:
            joined[-1] += " " + ln
    return joined


def field(label: str, widget: w.Widget, help_text: str = "") -> tuple[w.VBox, w.HTML]:
    """A visible label above the input, optional help, and a message line under it (returned for updates)."""
    message = w.HTML("")
    message.add_class("npq-field-message")
    parts: list[w.Widget] = [w.HTML(f'<div class="npq-field-label">{esc(label)}</div>')]
    if help_text:
        parts.append(w.HTML(f'<div class="npq-help">{esc(help_text)}</div>'))
    parts += [widget, message]
    return w.VBox(parts, layout=w.Layout(margin="0 12px 4px 0")), message


def error_html(message: str) -> str:
    return f'<span class="npq-msg-error" role="alert">⚠ {esc(message)}</span>' if message else ""


class WordCountedText(w.VBox):
    """A Textarea with a live word count underneath."""

    def __init__(self, placeholder: str = "", rows: int = 3, limit: int | None = None, **kwargs):
        self.text = w.Textarea(placeholder=placeholder, rows=rows, layout=w.Layout(width="100%"),
                               continuous_update=True)
        self.count = w.HTML()
        self.count.add_class("npq-word-count")
        self.limit = limit
        super().__init__([self.text, self.count], layout=w.Layout(width="100%"), **kwargs)
        self.text.observe(self._recount, "value")
        self._recount()

    def _recount(self, *_):
        n = word_count(self.text.value)
        tail = f" of {self.limit}" if self.limit else ""
        over = " — over the limit" if self.limit and n > self.limit else ""
        self.count.value = f'<span class="npq-help">{n} word{"s" if n != 1 else ""}{tail}{over}</span>'


def figure_html(fig: Any, alt: str, width_px: int = 900) -> str:
    """A matplotlib figure as an <img> with alt text (closed afterwards, so figures never pile up)."""
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return (f'<img src="data:image/png;base64,{data}" alt="{esc(alt)}" '
            f'style="max-width:100%; width:{width_px}px" class="npq-figure">')


def download_link(data: bytes, filename: str, label: str, mime: str) -> str:
    payload = base64.b64encode(data).decode("ascii")
    return (f'<a class="npq-download" download="{esc(filename)}" href="data:{mime};base64,{payload}">'
            f'⬇ {esc(label)}</a>')


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
