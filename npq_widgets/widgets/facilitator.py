"""Facilitator mode (``npq-workbook run --facilitator``): one bar above every task app, the same for every task.

The bar lets a facilitator at an event

- **choose the scenario**: the app is rebuilt on that scenario (the work saved for it in this browser comes back);
- **show or hide the model answer beside the live view**: a second, read-only copy of the task's own view holding
  the scenario's model answer, under the candidate's view. It is never loaded into the live view, so nobody's saved
  work is overwritten;
- **step through the hints in order**: the checker's graduated hints for the work on screen, attempt 1, 2, 3 … as a
  candidate would meet them, without counting attempts;
- **reset to the scenario's start**, after a confirmation; the work saved before is kept as a copy (listed in My work);
- **present on a projector**: large type, high contrast, one column, charts enlarged. The switch puts the class
  ``npq-present`` on the page root (``<html>``) and remembers it in the browser, so every app opens presenting until
  it is switched off;
- anything the task adds (``facilitator_controls()`` of its view: the case study's release to the room).

Nothing here is shown unless :func:`npq_widgets.hosting.facilitator_mode` is true: the apps build this bar only then.
The building of views is the apps' (they know the registry); this module gets two factories.
"""

from __future__ import annotations

from typing import Any, Callable

import ipywidgets as w
import traitlets

from ..contract import FREE, Scenario, Task
from .common import button, esc, style

NOT_IN_FACILITATOR_MODE = "The model answer is shown only in facilitator mode."
MAX_HINT_LEVELS = 10

PRESENT_CSS = """
.npq-facilitator-bar { border: 2px solid #1d3f91; border-radius: 6px; padding: 8px 14px; margin: 0 0 10px;
                       background: #eef3fb; max-width: 1100px; font-size: 16px; color: #1b1b1b; }
.npq-facilitator-bar .npq-facilitator-row { display: flex; flex-wrap: wrap; gap: 8px; align-items: flex-end; }
.npq-facilitator-hint { background: #fff6d6; border-left: 4px solid #b58900; padding: 6px 10px; margin: 6px 0; }
.npq-model-answer { border: 3px dashed #1d3f91; border-radius: 6px; padding: 8px 14px; margin-top: 16px; }
.npq-present-switch button { font-size: 15px; min-height: 36px; padding: 4px 12px; border: 2px solid #1d3f91;
                             background: #fff; color: #1d3f91; border-radius: 4px; cursor: pointer; }
.npq-present-switch button[aria-pressed="true"] { background: #1d3f91; color: #fff; }
/* Present: a projector at the back of a hall. Black on white, big type, one column, charts as wide as the page. */
html.npq-present body, html.npq-present #rendered_cells, html.npq-present main { background: #fff !important; }
html.npq-present .npq-app, html.npq-present .npq-facilitator-bar { max-width: none !important; color: #000; }
html.npq-present .npq-app, html.npq-present .npq-app p, html.npq-present .npq-app li,
html.npq-present .npq-app td, html.npq-present .npq-app th, html.npq-present .npq-app label,
html.npq-present .npq-app .npq-field-label, html.npq-present .npq-facilitator-bar p { font-size: 26px !important;
    line-height: 1.4 !important; }
html.npq-present .npq-app h1 { font-size: 44px !important; }
html.npq-present .npq-app h2 { font-size: 36px !important; }
html.npq-present .npq-app h3, html.npq-present .npq-app h4 { font-size: 30px !important; }
html.npq-present .npq-app .npq-help, html.npq-present .npq-app .npq-source { color: #000 !important;
    font-size: 22px !important; }
html.npq-present .npq-app input, html.npq-present .npq-app textarea, html.npq-present .npq-app select,
html.npq-present .npq-app .widget-button, html.npq-present .npq-app .jupyter-button,
html.npq-present .npq-facilitator-bar .jupyter-button, html.npq-present .npq-facilitator-bar select,
html.npq-present .npq-present-switch button { font-size: 24px !important; height: auto !important;
    min-height: 48px !important; color: #000; border-color: #000 !important; }
html.npq-present .npq-app .jupyter-button.mod-primary { color: #fff; background: #1d3f91; }
html.npq-present .npq-present-switch button[aria-pressed="true"] { color: #fff; background: #1d3f91; }
html.npq-present .npq-app .widget-textarea, html.npq-present .npq-app .widget-text,
html.npq-present .npq-app .widget-dropdown, html.npq-present .npq-app textarea { width: 100% !important;
    max-width: 100% !important; }
html.npq-present .npq-app .widget-hbox { flex-direction: column !important; align-items: stretch !important; }
html.npq-present .npq-app .widget-box { overflow: visible !important; }
html.npq-present .npq-app .widget-dropdown, html.npq-present .npq-app .widget-text,
html.npq-present .npq-app .widget-inline-hbox { height: auto !important; }
/* the facilitator's own controls stay in a row that wraps: they are not what the room reads */
html.npq-present .npq-facilitator-bar .npq-facilitator-row { flex-direction: row !important; flex-wrap: wrap !important;
    align-items: center !important; gap: 8px; }
html.npq-present .npq-facilitator-bar .npq-facilitator-row .widget-dropdown { width: auto !important; }
html.npq-present .npq-app img { width: 100% !important; max-width: 100% !important; height: auto !important; }
html.npq-present .npq-app table.npq-table th, html.npq-present .npq-app table.npq-table td {
    border: 2px solid #000 !important; }
html.npq-present .npq-app .npq-card, html.npq-present .npq-app .npq-check-result { border: 3px solid #000;
    background: #fff; }
"""

_PRESENT_ESM = r"""
const STORAGE = "npq-present";
function stored() { try { return window.localStorage.getItem(STORAGE) === "1"; } catch (e) { return false; } }
function apply(on) {
  document.documentElement.classList.toggle("npq-present", on);
  try { window.localStorage.setItem(STORAGE, on ? "1" : "0"); } catch (e) { /* private mode: this page only */ }
}
function render({ model, el }) {
  const button = document.createElement("button");
  button.type = "button";
  const show = () => {
    const on = model.get("present");
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.textContent = on ? "Presenting on a projector (switch off)" : "Present on a projector";
    apply(on);
  };
  button.addEventListener("click", () => { model.set("present", !model.get("present")); model.save_changes(); });
  model.on("change:present", show);
  el.classList.add("npq-present-switch");
  el.appendChild(button);
  if (stored() !== model.get("present")) { model.set("present", stored()); model.save_changes(); }
  show();
}
export default { render };
"""


def present_switch() -> w.Widget:
    """The "Present on a projector" switch: a real button (aria-pressed) that sets ``npq-present`` on ``<html>``."""
    import anywidget

    class PresentSwitch(anywidget.AnyWidget):
        _esm = _PRESENT_ESM
        present = traitlets.Bool(False).tag(sync=True)

    switch = PresentSwitch()
    switch.add_class("npq-present-switch")
    return switch


def freeze(root: Any) -> None:
    """Make every input and button under ``root`` read-only (disabled): for the model answer shown beside."""
    stack = [root]
    while stack:
        widget = stack.pop()
        if widget.has_trait("disabled"):
            widget.disabled = True
        stack.extend(getattr(widget, "children", ()) or ())
        inner = getattr(widget, "text", None)  # WordCountedText keeps its box as .text
        if isinstance(inner, w.Widget):
            stack.append(inner)


def demote_title(root: Any) -> None:
    """The page keeps one h1 (the live view's): the model answer's own title becomes an h2."""
    stack = [root]
    while stack:
        widget = stack.pop()
        if isinstance(widget, w.HTML) and "<h1" in widget.value:
            widget.value = widget.value.replace("<h1", "<h2").replace("</h1>", "</h2>")
        stack.extend(getattr(widget, "children", ()) or ())


def refused_model_answer_html() -> str:
    return f'<p class="npq-help npq-model-answer-refused" role="note">{esc(NOT_IN_FACILITATOR_MODE)}</p>'


class FacilitatorApp(w.VBox):
    """A task app in facilitator mode: the bar, the live (saved) view, and the model answer when shown.

    ``build_live(scenario)`` makes the view saved as the candidate's work in this browser; ``build_plain(scenario)``
    makes an unsaved view of the same task (for the model answer and for the scenario's starting point); ``view`` is
    the live view already built for ``scenario``, if any."""

    def __init__(self, task: Task, scenario: Scenario | None, *, build_live: Callable[[Scenario | None], Any],
                 build_plain: Callable[[Scenario | None], Any], view: Any = None):
        self.task = task
        self.build_live = build_live
        self.build_plain = build_plain
        self.hint_level = 0
        options = [(s.title, s.id) for s in task.scenarios]
        if task.free_build:
            options.append(("The candidate's own (free build)", FREE))
        self.scenario_choice = w.Dropdown(options=options, value=scenario.id if scenario is not None else FREE,
                                          description="Scenario", style={"description_width": "initial"},
                                          layout=w.Layout(width="auto", max_width="640px"))
        self.scenario_choice.add_class("npq-facilitator-scenario")
        self.model_button = button("Show the model answer", css="npq-facilitator-model")
        self.model_button.on_click(lambda _b: self.toggle_model_answer())
        self.hint_button = button("Show the first hint", css="npq-facilitator-hint-next")
        self.hint_button.on_click(lambda _b: self.next_hint())
        self.hint_restart = button("Hints from the start", css="npq-facilitator-hint-restart")
        self.hint_restart.on_click(lambda _b: self.restart_hints())
        self.reset_button = button("Reset to the scenario's start…", css="npq-facilitator-reset")
        self.reset_button.on_click(lambda _b: self.ask_reset())
        self.reset_yes = button("Yes, reset (the current work is kept as a copy)", css="npq-facilitator-reset-yes")
        self.reset_yes.on_click(lambda _b: self.reset())
        self.reset_no = button("Cancel", css="npq-facilitator-reset-no")
        self.reset_no.on_click(lambda _b: self.cancel_reset())
        self.reset_question = w.HTML()
        self.confirm = w.HBox([], layout=w.Layout(flex_flow="row wrap", align_items="center"))
        self.confirm.add_class("npq-facilitator-confirm")
        self.hint_area = w.HTML()
        self.hint_area.add_class("npq-facilitator-hints")
        self.message = w.HTML()
        self.message.add_class("npq-facilitator-message")
        self.extras = w.VBox()
        self.extras.add_class("npq-facilitator-extras")
        self.present = present_switch()
        row = w.HBox([self.scenario_choice, self.model_button, self.hint_button, self.hint_restart,
                      self.reset_button, self.present])
        row.add_class("npq-facilitator-row")
        self.bar = w.VBox([
            w.HTML('<p><strong>Facilitator mode</strong>: these controls are on this server only (started with '
                   '<code>--facilitator</code>). Candidates never see them or the model answers.</p>'),
            row, self.confirm, self.hint_area, self.message, self.extras])
        self.bar.add_class("npq-facilitator-bar")
        self.bar.add_class("npq-app")  # the apps' styles: labels, focus rings, target sizes
        self.live = w.VBox()
        self.live.add_class("npq-facilitator-live")
        self.model = w.VBox()
        self.model.add_class("npq-facilitator-model-slot")
        super().__init__([style(), w.HTML(f"<style>{PRESENT_CSS}</style>", layout=w.Layout(height="0px")),
                          self.bar, self.live, self.model])
        self.add_class("npq-facilitator-app")
        self.view: Any = None
        self._open(scenario, view)
        self.scenario_choice.observe(self._scenario_chosen, "value")

    # -- the scenario ---------------------------------------------------------------------------------------------
    @property
    def scenario(self) -> Scenario | None:
        sid = self.scenario_choice.value
        return None if sid == FREE else self.task.scenario(sid)

    def _scenario_chosen(self, _change=None) -> None:
        self._open(self.scenario)

    def _open(self, scenario: Scenario | None, view: Any = None) -> None:
        self.view = view if view is not None else self.build_live(scenario)
        self.live.children = (self.view,)
        controls = getattr(self.view, "facilitator_controls", None)
        self.extras.children = tuple(controls()) if callable(controls) else ()
        self.cancel_reset()
        self.restart_hints()
        has_model = scenario is not None and bool(scenario.model_answer)
        self.model_button.disabled = not has_model
        if not has_model:
            self.model_button.description = "No model answer for this scenario"
            self.model.children = ()
        elif self.model.children:  # shown: show the new scenario's
            self._show_model(scenario)
        else:
            self.model_button.description = "Show the model answer"

    # -- the model answer, beside the live view ------------------------------------------------------------------------
    def toggle_model_answer(self) -> None:
        if self.model.children:
            self.model.children = ()
            self.model_button.description = "Show the model answer"
            return
        scenario = self.scenario
        if scenario is None or not scenario.model_answer:
            self.message.value = '<p class="npq-help" role="status">This scenario has no model answer.</p>'
            return
        self._show_model(scenario)

    def _show_model(self, scenario: Scenario) -> None:
        try:
            shown = self.build_plain(scenario)
            shown.show_model_answer()
            freeze(shown)
            demote_title(shown)
        except Exception as exc:  # noqa: BLE001 - a facilitator sees a plain line, never a traceback
            self.message.value = (f'<p class="npq-msg-error" role="alert">The model answer could not be shown '
                                  f"({esc(type(exc).__name__)}).</p>")
            return
        head = w.HTML(f'<h2 class="npq-model-answer-title">Model answer (read-only): {esc(scenario.title)}</h2>'
                      '<p class="npq-help">The candidate\'s work above is not changed.</p>')
        card = w.VBox([head, shown])
        card.add_class("npq-model-answer")
        self.model.children = (card,)
        self.model_button.description = "Hide the model answer"

    # -- hints, in order ---------------------------------------------------------------------------------------------
    def hint_ladder(self) -> tuple[list[str], str]:
        """The graduated hints the checker gives the work on screen, attempt 1, 2, 3 … (until they repeat), and what
        the check found (for when there is no hint)."""
        view = self.view
        hints: list[str] = []
        found = ""
        for attempt in range(1, MAX_HINT_LEVELS + 1):
            result = view.task.check(view.artefact, attempt=attempt, scenario=view.scenario)
            if attempt == 1:
                if result.status == "pass":
                    found = "Everything is met: the checker has no hint to give."
                elif result.failed:
                    found = result.failed[0].message
            if not result.hint or (hints and result.hint == hints[-1]):
                break
            hints.append(result.hint)
        return hints, found

    def next_hint(self) -> None:
        try:
            hints, found = self.hint_ladder()
        except Exception as exc:  # noqa: BLE001
            self.hint_area.value = (f'<p class="npq-msg-error" role="alert">The work could not be checked '
                                    f"({esc(type(exc).__name__)}).</p>")
            return
        if not hints:
            self.hint_area.value = f'<p class="npq-facilitator-hint" role="status">{esc(found or "No hint.")}</p>'
            return
        self.hint_level = min(self.hint_level + 1, len(hints))
        n = self.hint_level
        self.hint_area.value = (f'<p class="npq-facilitator-hint" role="status"><strong>Hint {n} of {len(hints)}'
                                f"</strong> (attempt {n}): {esc(hints[n - 1])}</p>")
        self.hint_button.description = "Next hint" if n < len(hints) else "Last hint shown"

    def restart_hints(self) -> None:
        self.hint_level = 0
        self.hint_area.value = ""
        self.hint_button.description = "Show the first hint"

    # -- reset to the scenario's start ------------------------------------------------------------------------------
    def ask_reset(self) -> None:
        where = self.scenario.title if self.scenario is not None else "the candidate's own work"
        self.reset_question.value = (f'<p role="alert"><strong>Reset {esc(where)} to its start?</strong> The work on '
                                     "screen is kept as a copy in this browser's workbook (listed in My work).</p>")
        self.confirm.children = (self.reset_question, self.reset_yes, self.reset_no)

    def cancel_reset(self) -> None:
        self.confirm.children = ()

    def reset(self) -> None:
        self.cancel_reset()
        binding = getattr(self.view, "autosave", None)
        workbook = getattr(binding, "workbook", None)
        if binding is None or workbook is None:
            self.message.value = ('<p class="npq-msg-error" role="alert">The saved work is not open yet: nothing was '
                                  "reset. Try again in a moment.</p>")
            return
        from ..store.workbook import ConflictError, StoreError

        binding.flush()
        try:
            loaded = workbook.load(binding.doc_id)
            kept = ""
            if loaded.data is not None:
                kept = workbook.copy_id(binding.doc_id, "before-reset")
                workbook.save(kept, loaded.data, doc_type_name=loaded.doc_type)
            start = self.build_plain(self.scenario).artefact
            workbook.save(binding.doc_id, start, base_revision=loaded.revision)
        except ConflictError:
            self.message.value = ('<p class="npq-msg-error" role="alert">Not reset: the work was changed in another '
                                  "window just now. Try again.</p>")
            return
        except (OSError, StoreError) as exc:
            self.message.value = (f'<p class="npq-msg-error" role="alert">Not reset: the work could not be saved '
                                  f"({esc(exc)}).</p>")
            return
        self._open(self.scenario)
        self.message.value = ('<p class="npq-help" role="status">Reset to the scenario\'s start.'
                              + (" The work before is kept as a copy (My work)." if kept else "") + "</p>")
