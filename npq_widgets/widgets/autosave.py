"""Autosave: every change in a task view is saved without a button, and comes back after a restart.

``autosave(view, doc_id)`` binds any view that has ``.artefact`` (a JSON-serialisable dict) and ``.load(artefact)``.
It restores saved work into the view, then watches every input in the view (including rows added later) and saves
the artefact shortly after the last change (debounced, so typing stays smooth). A status line says when work was last
saved, in words — or "Not saved" and why (a full disk, a folder that cannot be written), until a save succeeds; the
next change (or, in a kernel, a retry a few seconds later) tries again.

Every save says which revision it was based on. If another window (a second tab, or JupyterLab) saved the document
since, the store refuses the save and the learner sees both versions and chooses: keep both, keep this window's, or
use the other window's (``widgets/save_conflict.py``).

Checks: a view that has ``when_checked(callback)`` (``TaskView``) tells autosave after each check; the result is kept
as ``check--<doc>`` for the progress map, with the number of attempts, which is given back to the view on load so
the hints carry on where they were.

Whose workbook: one per person. On a candidate's own computer, on Binder and on a JupyterHub user server, the
server is the person's own, so JupyterLab, the app gallery and every app read and write the same workbook, ``local``.
Only a server that many people share (an event laptop: ``npq-workbook run --room``, which starts every kernel with
``NPQ_WORKBOOK_MODE=room``) gives each browser its own random key, kept in a cookie (``KEY_COOKIE``): the server
reads or makes it when the page starts its kernel and hands it over as ``NPQ_WORKBOOK_KEY``, so the page opens on the
visitor's workbook at once; a kernel started without it asks the browser through the small ``WorkbookKey`` widget,
which reads the same cookie. A visitor who reloads the page gets their work back, and no visitor can reach another's.
:func:`whose_workbook_html` is the one plain line that tells the learner which of the two they are looking at.
"""

from __future__ import annotations

import asyncio
import atexit
import datetime as dt
import errno
import json
import os
import weakref
from typing import Any, Callable

import ipywidgets as w
import traitlets

from ..checks.result import CheckResult
from ..store.workbook import (KEY_ENV, LOCAL_KEY, ConflictError, Loaded, NewerVersionError, StoreError, Workbook,
                              valid_room_key)
from .common import esc
from .save_conflict import ConflictPanel

DEFAULT_DELAY = 0.4  # seconds after the last change
RETRY_AFTER = 5.0  # seconds, after a failed save, when a kernel's event loop can call back
CHECK_RECORD = "check-record"
_DISPLAY_ONLY = (w.HTML, w.HTMLMath, w.Label)
_LIVE: "weakref.WeakSet[Autosave]" = weakref.WeakSet()


MODE_ENV = "NPQ_WORKBOOK_MODE"  # "room" on a server many people share; anything else (or unset): one person's


def in_voila() -> bool:
    """True in a kernel started by Voila (it sets these variables in the kernel's environment)."""
    return any(k in os.environ for k in ("VOILA_REQUEST_URL", "VOILA_KERNEL_ID", "VOILA_SERVER_URL"))


def room_mode() -> bool:
    """True when this kernel serves a room of people sharing one server (``npq-workbook run --room``): then each
    browser visiting the apps has a workbook of its own. Voila's kernels inherit the server's environment."""
    return os.environ.get(MODE_ENV, "").strip().lower() == "room"


def per_browser() -> bool:
    """Whether this page's workbook is the browser's own (room mode, under Voila) rather than the person's."""
    return room_mode() and in_voila()


def whose_workbook_html(room: bool | None = None, my_work_href: str = "apps/my-work.ipynb") -> str:
    """The one plain line that says whose workbook the page shows, with a link to My work."""
    room = per_browser() if room is None else room
    if room:
        words = ("This browser's workbook on a shared laptop: download it before you leave "
                 f'(<a href="{esc(my_work_href)}">My work</a>).')
    else:
        words = f'Your workbook on this computer (<a href="{esc(my_work_href)}">My work</a>).'
    return f'<p class="npq-whose-workbook npq-help">{words}</p>'


_KEY_ESM = r"""
const COOKIE = "npq_workbook_key";
const VALID = /^[A-Za-z0-9_-]{16,64}$/;
function newKey() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
function readKey() {
  for (const part of document.cookie.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === COOKIE && VALID.test(rest.join("="))) return rest.join("=");
  }
  return null;
}
function render({ model, el }) {
  el.style.display = "none";
  let key = readKey();
  if (!key) {
    key = newKey();
    document.cookie = `${COOKIE}=${key}; path=/; max-age=31536000; SameSite=Strict`;
  }
  model.set("key", key);
  model.save_changes();
}
export default { render };
"""


def _workbook_key_class():
    import anywidget

    class WorkbookKey(anywidget.AnyWidget):
        """Invisible: reads (or creates) this browser's workbook key from its cookie and sends it to the kernel."""

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


def _fingerprint(snapshot: str | None) -> str | None:
    """A short fingerprint of a view's work (its canonical JSON), to tell whether it is what was last checked."""
    import hashlib

    return None if snapshot is None else hashlib.sha256(snapshot.encode("utf-8")).hexdigest()[:32]


def _walk(widget: Any, skip: tuple = ()):
    if any(widget is s for s in skip):
        return
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from _walk(child, skip)


_OS_REASONS = {
    errno.ENOSPC: "the disk is full", errno.EDQUOT: "your storage space is full",
    errno.EACCES: "the workbook folder cannot be written to", errno.EPERM: "the workbook folder cannot be written to",
    errno.EROFS: "the disk can only be read, not written",
}


def plain_reason(exc: BaseException) -> str:
    """Why a save failed, in a few plain words (never a traceback, never the learner's data)."""
    if isinstance(exc, StoreError):
        return str(exc).rstrip(".")
    if isinstance(exc, OSError):
        return _OS_REASONS.get(exc.errno, "the computer could not write the file")
    return "your latest change could not be prepared for saving"


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
        self.conflict = ConflictPanel(self._keep_both, self._keep_mine, self._use_theirs)
        self.saved_at: str | None = None
        self.revision = 0  # the revision this window's work is based on
        self.theirs: Loaded | None = None  # the other window's version, while the learner chooses
        self.last_error: str | None = None
        self._last_json: str | None = None
        self._observed: set[int] = set()
        self._suspended = False
        self._blocked = False  # a newer-version document is never overwritten
        self._handle: asyncio.TimerHandle | None = None
        self._on_restore = on_restore
        self._save_listeners: list[Callable[[], None]] = []
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
            notice = f"⚠ Saved work could not be opened: {plain_reason(exc)}. "
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
        if loaded is not None:
            self.revision = loaded.revision
            if loaded.message:
                notice += "⚠ " + loaded.message + " "
        try:
            self._last_json = self._snapshot()
        except Exception:  # noqa: BLE001 - the first change will report it
            self._last_json = None
        self._bind(self.view)
        self._listen_for_checks()
        if notice:
            self._show(notice.strip() + self._saved_words(), error=True)
        elif self.saved_at:
            self._show(f"✓ Your saved work is back (saved at {self._time(self.saved_at)}). Changes save "
                       "automatically.")
        else:
            self._show("Your work saves automatically as you type.")
        self._tell_saved()

    # -- check results, for the progress map and the hint ladder --------------------------------------------
    def _listen_for_checks(self) -> None:
        """Ask the view to tell us after each check, and give it back the attempts saved last time."""
        listen = getattr(self.view, "when_checked", None)
        if not callable(listen):
            return
        listen(self.record_check)
        attempts = getattr(self.view, "attempts", None)
        if isinstance(attempts, int) and self.workbook is not None:
            try:
                record = self.workbook.load(f"check--{self.doc_id}").data or {}
            except (OSError, StoreError):
                record = {}
            saved = record.get("attempts")
            if isinstance(saved, int) and not isinstance(saved, bool) and saved > attempts:
                self.view.attempts = min(saved, 10_000)
            show = getattr(self.view, "show_last_check", None)
            if callable(show) and record.get("status"):
                try:
                    show(record, same_work=record.get("work") == _fingerprint(self._last_json))
                except Exception:  # noqa: BLE001 - an old result not shown is no reason for a traceback
                    pass

    def record_check(self, result: Any) -> None:
        """Keep the check's outcome and the attempt count as ``check--<doc>`` (what the progress map reads)."""
        if self.workbook is None or not isinstance(result, CheckResult):
            return
        attempts = getattr(self.view, "attempts", None)
        try:
            work = _fingerprint(self._snapshot())
        except Exception:  # noqa: BLE001 - then the result is not shown again after a reload, only summarised
            work = None
        try:
            self.workbook.save(f"check--{self.doc_id}", {
                "task": CHECK_RECORD, "schema_version": 1, "doc": self.doc_id, "checked_task": result.task,
                "status": result.status, "score": result.score, "max_score": result.max_score,
                "attempts": attempts if isinstance(attempts, int) else None,
                "work": work,  # which work was checked: shown again after a reload
            })
        except (OSError, StoreError):
            pass  # the work itself is saved separately; a missing progress tick is not worth an alarm

    # -- watching -------------------------------------------------------------------------------------------------
    def _bind(self, root: Any) -> None:
        for widget in _walk(root, skip=(self.status, self.conflict)):
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
    def _snapshot(self) -> str:
        """The view's artefact as canonical JSON; raises if the view cannot build it."""
        return json.dumps(self.view.artefact, sort_keys=True, ensure_ascii=False, allow_nan=False)

    def flush(self) -> bool:
        """Save now if anything changed since the last save. Returns True if a save was written. Never raises:
        whatever goes wrong is said on the status line, and the next change tries again."""
        if self.workbook is None or self._blocked:
            return False
        try:
            snap = self._snapshot()
        except Exception as exc:  # noqa: BLE001 - a view that cannot build its artefact is still never silent
            self._not_saved(plain_reason(exc))
            return False
        if self.theirs is not None:  # the learner has not chosen yet: keep the comparison current
            self._refresh_theirs(snap)
            return False
        if snap == self._last_json:
            if self.last_error is not None:  # the screen is back to what was last saved
                self.last_error = None
                self._show(f"✓ Saved at {self._time(self.saved_at)}" if self.saved_at else
                           "Your work saves automatically as you type.")
            return False
        return self._write(snap, self.revision)

    def _write(self, snap: str, base: int) -> bool:
        try:
            env = self.workbook.save(self.doc_id, json.loads(snap), base_revision=base)
        except ConflictError as exc:
            self._conflicted(exc.theirs, json.loads(snap))
            return False
        except NewerVersionError as exc:
            self._blocked = True
            self._show(f"⚠ Not saved: {exc} Changes you make here will not be saved.", error=True)
            return False
        except Exception as exc:  # noqa: BLE001 - a full disk, a lock held too long, a bug: never silent
            self._not_saved(plain_reason(exc))
            self._retry_later()
            return False
        self._last_json = snap
        self.saved_at = env["saved_at"]
        self.revision = env["revision"]
        self.last_error = None
        self._show(f"✓ Saved at {self._time(self.saved_at)}")
        self._tell_saved()
        return True

    def when_saved(self, listener: Callable[[], None]) -> None:
        """Call ``listener()`` once the workbook is bound and after every save written (e.g. a written task keeps a
        version history). A listener that raises never stops saving."""
        self._save_listeners.append(listener)

    def _tell_saved(self) -> None:
        for listener in list(self._save_listeners):
            try:
                listener()
            except Exception:  # noqa: BLE001 - the work is saved whatever a listener does
                pass

    def _not_saved(self, reason: str) -> None:
        self.last_error = reason
        self._show(f"⚠ Not saved: {reason}. Your work is still on screen, and saving is tried again at your next "
                   "change.", error=True)

    def _retry_later(self) -> None:
        loop = _kernel_loop()
        if loop is not None and self._handle is None:
            self._handle = loop.call_later(RETRY_AFTER, self._fire)

    # -- another window saved first ------------------------------------------------------------------------------
    def _conflicted(self, theirs: Loaded, mine: Any) -> None:
        self.theirs = theirs
        self.last_error = "changed in another window"
        when = self._time(theirs.saved_at)
        self._show(f"⚠ Not saved: this work was also changed in another window or tab (saved there at {when}). "
                   "Choose below which version to keep.", error=True)
        self.conflict.show(mine, theirs.data, when)

    def _refresh_theirs(self, snap: str) -> bool:
        """Compare with what is on disk now. True if the learner was shown the latest other version; if the other
        window saved again meanwhile, show that instead (and say so) and return False: choose again."""
        current = True
        try:
            latest = self.workbook.load(self.doc_id)
            if latest.data is not None and self.theirs is not None and latest.revision != self.theirs.revision:
                self.theirs, current = latest, False
        except (OSError, StoreError):
            pass  # the save itself will find out
        if self.theirs is not None:
            self.conflict.show(json.loads(snap), self.theirs.data, self._time(self.theirs.saved_at))
            if not current:
                self._show("⚠ Not saved: the other window saved again, so the comparison below now shows its latest "
                           "version. Choose again which to keep.", error=True)
        return current

    def _chosen(self) -> str | None:
        """This window's work, once the learner's choice can be acted on: None if it cannot be built yet, or if the
        other version changed since it was shown."""
        try:
            snap = self._snapshot()
        except Exception as exc:  # noqa: BLE001 - the choice stays open
            self._not_saved(plain_reason(exc))
            return None
        return snap if self._refresh_theirs(snap) else None

    def _resolved(self) -> Loaded | None:
        theirs, self.theirs = self.theirs, None
        self.conflict.hide()
        return theirs

    def _keep_mine(self) -> None:
        if self.theirs is None or self.workbook is None:
            return
        snap = self._chosen()
        if snap is None:
            return
        theirs = self._resolved()
        self.revision = theirs.revision  # the learner chose to replace that version; retries build on it too
        self._write(snap, self.revision)

    def _keep_both(self) -> None:
        if self.theirs is None or self.workbook is None or self._chosen() is None:
            return
        theirs = self.theirs
        try:
            copy_id = self.workbook.copy_id(self.doc_id, "copy")
            self.workbook.save(copy_id, theirs.data, doc_type_name=theirs.doc_type)
        except Exception as exc:  # noqa: BLE001 - then nothing is decided: the choice stays open
            self._not_saved(f"the other window's version could not be kept as a copy ({plain_reason(exc)})")
            return
        self._keep_mine()
        if self.theirs is None and self.last_error is None:
            self._show(f"✓ Saved at {self._time(self.saved_at)}. The other window's version was kept as a copy "
                       "(listed in My work).")

    def _use_theirs(self) -> None:
        if self.theirs is None or self.workbook is None or self._chosen() is None:
            return
        theirs = self._resolved()
        self._suspended = True
        shown = True
        try:
            self.view.load(theirs.data)
        except Exception:  # noqa: BLE001 - never a traceback; the learner is told
            shown = False
        finally:
            self._suspended = False
        self.revision = theirs.revision
        self.saved_at = theirs.saved_at
        self.last_error = None
        try:
            self._last_json = self._snapshot()
        except Exception:  # noqa: BLE001
            self._last_json = None
        if shown:
            self._show(f"✓ Showing the version saved in the other window (saved at {self._time(theirs.saved_at)}). "
                       "Changes save automatically.")
        else:
            self._show("⚠ The other window's version could not be shown here; reopen the task to see it.",
                       error=True)

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


def _place_hosting_notice(view: Any) -> None:
    """Where saved work will not outlast the session (Binder), say so at the top of the page, with the way to keep it."""
    from ..hosting import storage_notice

    notice = storage_notice()
    if notice and isinstance(view, w.Box) and not getattr(view, "_npq_hosting_notice", None):
        view._npq_hosting_notice = w.HTML(notice)
        view._npq_hosting_notice.add_class("npq-hosting-notice-slot")
        view.children = (view._npq_hosting_notice, *view.children)


def _place_status(view: Any, status: w.HTML, conflict: w.Widget) -> None:
    _place_hosting_notice(view)
    slot = getattr(view, "save_status", None)
    if isinstance(slot, w.Box):
        slot.children = (*slot.children, status)
        if isinstance(slot, w.HBox):  # a one-line slot: the comparison goes straight under it
            parent = next((box for box in _walk(view) if isinstance(box, w.Box) and slot in box.children), None)
            if parent is not None:
                i = parent.children.index(slot)
                parent.children = (*parent.children[:i + 1], conflict, *parent.children[i + 1:])
                return
        slot.children = (*slot.children, conflict)
    else:
        view.children = (status, conflict, *view.children)


def connect_workbook(view: Any, ready: Callable[[Workbook], None], *, workbook: Workbook | None = None,
                     voila: bool | None = None) -> None:
    """Call ``ready(workbook)`` with this learner's workbook: the one given; in room mode under Voila, the browser's
    own (once the page has sent its key); else the person's own, ``local``. ``voila=True``/``False`` forces the
    browser's own key or ``local`` (tests)."""
    if workbook is not None:
        ready(workbook)
    elif voila if voila is not None else per_browser():
        given = os.environ.get(KEY_ENV) if voila is None else None
        if valid_room_key(given):  # the server read this browser's key from its cookie when it started the kernel
            ready(Workbook.for_key(given))
            return
        key_widget = _workbook_key_class()()
        view.children = (*view.children, key_widget)
        view.workbook_key = key_widget
        done: list[bool] = []

        def got_key(change) -> None:
            if not done and valid_room_key(change["new"]):
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
    _place_status(view, binding.status, binding.conflict)
    view.autosave = binding
    connect_workbook(view, binding.start, workbook=workbook, voila=voila)
    return binding
