"""Autosave: every change in a task view is saved without a button, and comes back after a restart.

``autosave(view, doc_id)`` binds any view that has ``.artefact`` (a JSON-serialisable dict) and ``.load(artefact)``.
It restores saved work into the view, then watches every input in the view (including rows added later) and saves
the artefact shortly after the last change (debounced, so typing stays smooth). A status line says when work was last
saved, in words.

Whose workbook: in JupyterLab the kernel is the user's own, so the workbook is ``local``. Under Voila many visitors'
kernels run as one OS user, so each browser gets its own random key, kept in the browser's localStorage by the small
``WorkbookKey`` widget: a visitor who reloads the page gets their work back, and no visitor can reach another's.
"""

from __future__ import annotations

import asyncio
import atexit
import datetime as dt
import json
import os
import weakref
from typing import Any, Callable

import ipywidgets as w
import traitlets

from ..checks.result import CheckResult
from ..store.workbook import LOCAL_KEY, NewerVersionError, StoreError, Workbook, valid_key
from .common import esc

DEFAULT_DELAY = 0.4  # seconds after the last change
CHECK_RECORD = "check-record"
_DISPLAY_ONLY = (w.HTML, w.HTMLMath, w.Label)
_LIVE: "weakref.WeakSet[Autosave]" = weakref.WeakSet()


def in_voila() -> bool:
    """True in a kernel started by Voila (it sets these variables in the kernel's environment)."""
    return any(k in os.environ for k in ("VOILA_REQUEST_URL", "VOILA_KERNEL_ID", "VOILA_SERVER_URL"))


_KEY_ESM = r"""
const STORAGE = "npq-workbook-key";
function newKey() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
function render({ model, el }) {
  let key = null;
  try { key = window.localStorage.getItem(STORAGE); } catch (e) { key = null; }
  if (!key || !/^[A-Za-z0-9_-]{16,64}$/.test(key)) {
    key = newKey();
    try { window.localStorage.setItem(STORAGE, key); } catch (e) { /* private mode: this visit only */ }
  }
  el.style.display = "none";
  model.set("key", key);
  model.save_changes();
}
export default { render };
"""


def _workbook_key_class():
    import anywidget

    class WorkbookKey(anywidget.AnyWidget):
        """Invisible: reads (or creates) this browser's workbook key from localStorage and sends it to the kernel."""

        _esm = _KEY_ESM
        key = traitlets.Unicode("").tag(sync=True)

    return WorkbookKey


def _kernel_loop() -> asyncio.AbstractEventLoop | None:
    """The kernel's running event loop, for debouncing. Outside a kernel (plain Python, tests) there is none and
    every change is saved at once — even if some other library has an event loop running in this thread."""
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:
        return None
    if shell is None or getattr(shell, "kernel", None) is None:
        return None
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _walk(widget: Any):
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from _walk(child)


class Autosave:
    """The binding between one view and one saved document."""

    def __init__(self, view: Any, doc_id: str, *, delay: float = DEFAULT_DELAY,
                 on_restore: Callable[[dict], None] | None = None):
        self.view = view
        self.doc_id = doc_id
        self.delay = delay
        self.workbook: Workbook | None = None
        self.status = w.HTML()
        self.status.add_class("npq-save-status")
        self.saved_at: str | None = None
        self.last_error: str | None = None
        self._last_json: str | None = None
        self._observed: set[int] = set()
        self._suspended = False
        self._blocked = False  # a newer-version document is never overwritten
        self._handle: asyncio.TimerHandle | None = None
        self._on_restore = on_restore
        self._show("Connecting to your saved work…")
        _LIVE.add(self)

    # -- starting ---------------------------------------------------------------------------------------------
    def start(self, workbook: Workbook) -> None:
        """Restore what was saved (if anything), then save every change."""
        self.workbook = workbook
        notice = ""
        try:
            loaded = workbook.load(self.doc_id)
        except NewerVersionError as exc:
            self._blocked = True
            self._show(f"⚠ {exc} Changes you make here will not be saved.", error=True)
            self._bind(self.view)
            return
        except (StoreError, OSError) as exc:
            loaded = None
            notice = f"⚠ Saved work could not be opened: {exc}. "
        if loaded is not None and loaded.data is not None:
            self._suspended = True
            try:
                self.view.load(loaded.data)
            except Exception as exc:  # noqa: BLE001 - never a traceback; the learner is told
                notice += f"⚠ Some saved work could not be shown ({exc}). "
            finally:
                self._suspended = False
            self.saved_at = loaded.saved_at
            if self._on_restore:
                self._on_restore(loaded.data)
        if loaded is not None and loaded.message:
            notice += "⚠ " + loaded.message + " "
        self._last_json = self._snapshot()
        self._bind(self.view)
        self._record_checks()
        if notice:
            self._show(notice.strip() + self._saved_words(), error=True)
        elif self.saved_at:
            self._show(f"✓ Your saved work is back (saved at {self._time(self.saved_at)}). Changes save "
                       "automatically.")
        else:
            self._show("Your work saves automatically as you type.")

    # -- check results, for the progress map -------------------------------------------------------------------
    def _record_checks(self) -> None:
        """Wrap the view's ``check()`` so each result is kept as ``check--<doc>`` (what the progress map reads)."""
        check = getattr(self.view, "check", None)
        if not callable(check) or getattr(check, "_npq_recorded", False):
            return

        def recorded(*args, **kwargs):
            result = check(*args, **kwargs)
            self.record_check(result)
            return result

        recorded._npq_recorded = True
        self.view.check = recorded

    def record_check(self, result: Any) -> None:
        if self.workbook is None or not isinstance(result, CheckResult):
            return
        try:
            self.workbook.save(f"check--{self.doc_id}", {
                "task": CHECK_RECORD, "schema_version": 1, "doc": self.doc_id, "checked_task": result.task,
                "status": result.status, "score": result.score, "max_score": result.max_score,
            })
        except (OSError, StoreError):
            pass  # the work itself is saved separately; a missing progress tick is not worth an alarm

    # -- watching -------------------------------------------------------------------------------------------------
    def _bind(self, root: Any) -> None:
        for widget in _walk(root):
            if id(widget) in self._observed:
                continue
            if isinstance(widget, w.Box):
                widget.observe(self._children_changed, "children")
                self._observed.add(id(widget))
            elif widget.has_trait("value") and not isinstance(widget, _DISPLAY_ONLY) and widget is not self.status:
                widget.observe(self._changed, "value")
                self._observed.add(id(widget))

    def _children_changed(self, change) -> None:
        self._bind(self.view)
        self._changed(change)

    def _changed(self, _change=None) -> None:
        if self._suspended or self.workbook is None or self._blocked:
            return
        loop = _kernel_loop()
        if loop is None or self.delay <= 0:
            self.flush()
            return
        if self._handle is not None:
            self._handle.cancel()
        self._handle = loop.call_later(self.delay, self._fire)

    def _fire(self) -> None:
        self._handle = None
        self.flush()

    # -- saving ----------------------------------------------------------------------------------------------
    def _snapshot(self) -> str | None:
        try:
            return json.dumps(self.view.artefact, sort_keys=True, ensure_ascii=False)
        except Exception:  # noqa: BLE001
            return None

    def flush(self) -> bool:
        """Save now if anything changed since the last save. Returns True if a save was written."""
        if self.workbook is None or self._blocked:
            return False
        snap = self._snapshot()
        if snap is None or snap == self._last_json:
            return False
        try:
            env = self.workbook.save(self.doc_id, json.loads(snap))
        except (OSError, StoreError) as exc:
            self.last_error = str(exc)
            self._show(f"⚠ Not saved: {exc}. Your work is still on screen — use 'Download all my work' to keep "
                       "a copy.", error=True)
            return False
        self._last_json = snap
        self.saved_at = env["saved_at"]
        self.last_error = None
        self._show(f"✓ Saved at {self._time(self.saved_at)}")
        return True

    # -- status line ---------------------------------------------------------------------------------------------
    @staticmethod
    def _time(iso: str | None) -> str:
        if not iso:
            return ""
        when = dt.datetime.fromisoformat(iso).astimezone()
        today = dt.datetime.now().astimezone().date()
        return when.strftime("%H:%M:%S") + ("" if when.date() == today else when.strftime(" on %d/%m/%Y"))

    def _saved_words(self) -> str:
        return f" (last saved at {self._time(self.saved_at)})" if self.saved_at else ""

    def _show(self, text: str, error: bool = False) -> None:
        cls = "npq-msg-error" if error else "npq-help"
        role = "alert" if error else "status"
        self.status.value = f'<span class="{cls}" role="{role}">{esc(text)}</span>'


def _flush_all() -> None:  # a kernel shut down cleanly still saves the last keystrokes
    for binding in list(_LIVE):
        try:
            binding.flush()
        except Exception:  # noqa: BLE001
            pass


atexit.register(_flush_all)


def _place_status(view: Any, status: w.HTML) -> None:
    slot = getattr(view, "save_status", None)
    if isinstance(slot, w.Box):
        slot.children = (*slot.children, status)
    else:
        view.children = (status, *view.children)


def connect_workbook(view: Any, ready: Callable[[Workbook], None], *, workbook: Workbook | None = None,
                     voila: bool | None = None) -> None:
    """Call ``ready(workbook)`` with this learner's workbook: the one given, the browser's own under Voila (once the
    page has sent its key), else the local one."""
    if workbook is not None:
        ready(workbook)
    elif voila if voila is not None else in_voila():
        key_widget = _workbook_key_class()()
        view.children = (*view.children, key_widget)
        view.workbook_key = key_widget
        done: list[bool] = []

        def got_key(change) -> None:
            if not done and valid_key(change["new"]):
                done.append(True)
                ready(Workbook.for_key(change["new"]))

        key_widget.observe(got_key, "key")
    else:
        ready(Workbook.for_key(LOCAL_KEY))


def autosave(view: Any, doc_id: str, *, workbook: Workbook | None = None, delay: float = DEFAULT_DELAY,
             voila: bool | None = None) -> Autosave:
    """Bind ``view`` to the saved document ``doc_id`` (see module docs). Returns the binding (``.status``,
    ``.flush()``); the status line is placed in ``view.save_status`` if the view has one, else at its top."""
    binding = Autosave(view, doc_id, delay=delay)
    _place_status(view, binding.status)
    view.autosave = binding
    connect_workbook(view, binding.start, workbook=workbook, voila=voila)
    return binding
