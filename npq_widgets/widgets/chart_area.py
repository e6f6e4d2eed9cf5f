"""A chart area that draws its chart after the page has first been painted, not while the page loads.

Drawing a chart (matplotlib, a PNG, base64) is the most expensive thing a task view does when it opens: in a kernel it
held up the page's first paint by the time it takes to import matplotlib and draw, for a picture that sits below the
fold. :class:`ChartArea` is the place a chart goes. Its view asks for the chart once it has been painted in the browser
(one animation frame after it is shown): only then does the kernel draw. Until then it shows one plain line saying
the chart is being drawn. Every later redraw (a changed selection, a new risk) happens at once, since the area has
been shown by then.

Outside a kernel (plain Python, the widget tests, a notebook run by nbval without a browser) nobody will ever paint
the page, so the chart is drawn at once, exactly as an ``HTML`` widget's value would be set: ``.value`` always holds
the area's HTML.

The chart is never written into an ``Output`` widget (jupyter-notes.md: that froze page loads): it is HTML, set from
the front end's message, i.e. from a callback.
"""

from __future__ import annotations

from typing import Callable

import traitlets

PENDING_HTML = '<p class="npq-help npq-chart-pending">Drawing the chart…</p>'
NOT_DRAWN_HTML = '<p class="npq-msg-error" role="alert">The chart could not be drawn.</p>'

_ESM = r"""
function render({ model, el }) {
  const box = document.createElement("div");
  box.className = "npq-chart-area-content";
  el.appendChild(box);
  const show = () => { box.innerHTML = model.get("value"); };
  show();
  model.on("change:value", show);
  if (!model.get("shown")) {
    // after the first paint of this area: two animation frames (the first runs before the paint)
    requestAnimationFrame(() => requestAnimationFrame(() => {
      if (!model.get("shown")) { model.set("shown", true); model.save_changes(); }
    }));
  }
}
export default { render };
"""


def _in_kernel() -> bool:
    """True in a Jupyter kernel (Voila's or JupyterLab's), where a browser will show the page."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


_CLASS = None


def _chart_area_class():
    global _CLASS
    if _CLASS is not None:
        return _CLASS
    import anywidget

    class ChartArea(anywidget.AnyWidget):
        """An area holding one chart (or several) as HTML; ``draw(make_html)`` draws once the area is painted."""

        _esm = _ESM
        value = traitlets.Unicode("").tag(sync=True)
        shown = traitlets.Bool(False).tag(sync=True)  # set by the browser after the area's first paint

        def __init__(self, **kwargs):
            defer = kwargs.pop("defer", None)
            super().__init__(**kwargs)
            self.defer = _in_kernel() if defer is None else bool(defer)
            self._pending: Callable[[], str] | None = None
            self._fallback = ""
            self.observe(self._painted, "shown")

        def draw(self, make_html: Callable[[], str], fallback: str = "") -> None:
            """Set the area to ``make_html()`` — now if the area has been painted (or there is no browser to paint
            it), else as soon as it has. If ``make_html`` raises, the area shows ``fallback`` (plain words)."""
            if self.shown or not self.defer:
                self._pending = None
                self.value = self._run(make_html, fallback)
            else:
                self._pending, self._fallback = make_html, fallback
                self.value = PENDING_HTML

        def clear(self, html: str = "") -> None:
            """Show ``html`` (words, not a chart) at once and forget any chart waiting to be drawn."""
            self._pending = None
            self.value = html

        @property
        def pending(self) -> bool:
            """Whether a chart is waiting for the area to be painted."""
            return self._pending is not None

        def draw_now(self) -> None:
            """Draw the chart that is waiting, if any (as the browser's first paint would)."""
            self.shown = True

        @staticmethod
        def _run(make_html: Callable[[], str], fallback: str) -> str:
            try:
                return make_html()
            except Exception:  # noqa: BLE001 - the rest of the page stands without the chart
                if fallback:
                    return fallback
                raise

        def _painted(self, change) -> None:
            if change["new"] and self._pending is not None:
                make_html, self._pending = self._pending, None
                self.value = self._run(make_html, self._fallback or NOT_DRAWN_HTML)

    _CLASS = ChartArea
    return ChartArea


def ChartArea(**kwargs):  # noqa: N802 - used like a class
    """A new chart area (anywidget is imported only when the first one is made). ``defer=False`` draws at once."""
    return _chart_area_class()(**kwargs)


__all__ = ["ChartArea", "PENDING_HTML"]
