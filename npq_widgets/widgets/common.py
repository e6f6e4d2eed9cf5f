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
.npq-app table.npq-table { border-collapse: collapse; margin: 6px 0 10px; font-size: 15px; }
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
/* A focus ring that shows on a projector: 3px dark blue (over 9:1 on white) with a white gap. */
.npq-app button:focus-visible, .npq-app input:focus-visible, .npq-app select:focus-visible,
.npq-app textarea:focus-visible, .npq-app a:focus-visible, .npq-app [tabindex]:focus-visible,
.npq-app .jupyter-button:focus-visible, .npq-app .widget-upload:focus-visible {
    outline: 3px solid #1d3f91 !important; outline-offset: 2px !important; box-shadow: 0 0 0 2px #fff !important; }
/* The programmatic label of an input whose visible label is the text above it: read by screen readers only. */
.npq-app .npq-label-sr > label.widget-label { position: absolute !important; width: 1px !important;
    height: 1px !important; overflow: hidden !important; clip: rect(0 0 0 0); white-space: nowrap; margin: -1px;
    padding: 0; border: 0; }
.npq-app .npq-feedback:focus { outline: none; }
/* Radio buttons and tick boxes big enough to hit (WCAG 2.2 target size: 24 px). */
.npq-app .widget-radio-box input[type="radio"], .npq-app .widget-checkbox input[type="checkbox"] {
    width: 24px; height: 24px; margin: 2px 8px 2px 2px; }
.npq-app .widget-radio-box label { min-height: 28px; display: flex; align-items: center; }
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


_BULLET = re.compile(r"^[-*•]\s+")


def text_to_html(text: str) -> str:
    """Plain prose -> escaped HTML: blank lines separate paragraphs; lines starting '- ' (or '* ', '• ') are list
    items, whether or not a blank line sets them off from the sentence that introduces them; an indented line
    continues the item above it."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", str(text or "").strip()):
        para: list[str] = []
        items: list[str] = []

        def flush_para() -> None:
            if para:
                out.append(f"<p>{esc(' '.join(para))}</p>")
                para.clear()

        def flush_items() -> None:
            if items:
                out.append("<ul>" + "".join(f"<li>{esc(item)}</li>" for item in items) + "</ul>")
                items.clear()

        for raw in block.splitlines():
            line = raw.strip()
            if not line:
                continue
            if _BULLET.match(line):
                flush_para()
                items.append(_BULLET.sub("", line, count=1))
            elif items and raw[:1].isspace():
                items[-1] += " " + line
            else:
                flush_items()
                para.append(line)
        flush_para()
        flush_items()
    return "".join(out)


_LABELLED_INPUTS = (w.Text, w.Textarea, w.Dropdown, w.Select, w.SelectMultiple, w.IntText, w.FloatText, w.BoundedIntText,
                    w.BoundedFloatText, w.DatePicker, w.Combobox)


def label_input(widget: w.Widget, label: str) -> w.Widget:
    """Give an input its programmatic label without changing how it looks: ipywidgets 8 renders ``description`` as a
    ``<label for=…>`` tied to the input; the class hides that label visually (the page shows the label as text next
    to or above the input). Works on a WordCountedText too (labels its text box). Returns ``widget``."""
    target = widget.text if isinstance(widget, WordCountedText) else widget
    if isinstance(target, _LABELLED_INPUTS) and not target.description:
        target.description = label
        target.style.description_width = "initial"
        target.add_class("npq-label-sr")
    return widget


def field(label: str, widget: w.Widget, help_text: str = "") -> tuple[w.VBox, w.HTML]:
    """A visible label above the input, optional help, and a message line under it (returned for updates).
    The input carries the same label programmatically (``label_input``), so the visible text is hidden from screen
    readers, which would otherwise read it twice."""
    message = w.HTML("")
    message.add_class("npq-field-message")
    label_input(widget, label)
    target = widget.text if isinstance(widget, WordCountedText) else widget
    hidden = ' aria-hidden="true"' if getattr(target, "description", None) == label else ""
    parts: list[w.Widget] = [w.HTML(f'<div class="npq-field-label"{hidden}>{esc(label)}</div>')]
    if help_text:
        parts.append(w.HTML(f'<div class="npq-help">{esc(help_text)}</div>'))
    parts += [widget, message]
    return w.VBox(parts, layout=w.Layout(margin="0 12px 4px 0")), message


_HEADING = re.compile(r"<(/?)h([1-6])\b", re.I)


def demote_headings(widget: w.Widget, by: int = 1) -> w.Widget:
    """Lower every heading in ``widget``'s HTML (and its children's) by ``by`` levels, at most to h6: an app that is
    a page of its own starts at h1, the same app inside a module page sits under the module's h1 and h2."""
    if isinstance(widget, w.HTML) and "<h" in widget.value.lower():
        widget.value = _HEADING.sub(lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + by)}", widget.value)
    for child in getattr(widget, "children", ()):
        demote_headings(child, by)
    return widget


def for_readers(source: str) -> str:
    """A source line for the page: references to the project's own notes files ("(domain-notes.md)", "See
    domain-notes.md.") are for developers, not for a headteacher on a projector. Exports keep the full text."""
    text = re.sub(r"\s*\((?:see )?[\w./-]+\.(?:md|yaml)\)", "", str(source))
    text = re.sub(r"\s*See [\w./-]+\.(?:md|yaml)\.?", "", text)
    return text.strip()


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


def figure_html(fig: Any, alt: str, width_px: int = 1050) -> str:
    """A matplotlib figure as an <img> with alt text (closed afterwards, so figures never pile up), shown at its
    own width or ``width_px``, whichever is less (see plotting.shown_px)."""
    import matplotlib.pyplot as plt

    from ..plotting import DPI, png_width, shown_px

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight")
    plt.close(fig)
    png = buf.getvalue()
    data = base64.b64encode(png).decode("ascii")
    return (f'<img src="data:image/png;base64,{data}" alt="{esc(alt)}" '
            f'style="max-width:100%; width:{shown_px(width_px, png_width(png))}px" class="npq-figure">')


def download_link(data: bytes, filename: str, label: str, mime: str) -> str:
    payload = base64.b64encode(data).decode("ascii")
    return (f'<a class="npq-download" download="{esc(filename)}" href="data:{mime};base64,{payload}">'
            f'⬇ {esc(label)}</a>')


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def uploaded_files(value: Any) -> list[tuple[str, bytes]]:
    """(name, bytes) of every file in a FileUpload's value (ipywidgets 8 gives dicts or objects, by version)."""
    out = []
    for f in value or ():
        name = f["name"] if isinstance(f, dict) else f.name
        content = f["content"] if isinstance(f, dict) else f.content
        out.append((str(name), bytes(content)))
    return out
