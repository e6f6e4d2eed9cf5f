"""The kernel manager of the served app gallery: a cap on kernels, and pages that can shut their own kernel.

Voila (0.5.13) starts a kernel for every page load and has no limit of its own. It takes its kernel manager from
``VoilaConfiguration.multi_kernel_manager_class``; voila.json names :class:`RoomKernelManager`, and
``npq-workbook run --max-kernels N`` sets ``RoomKernelManager.max_kernels``.

Voila calls ``start_kernel`` while it handles the page request, before anything of the page has been sent, and
jupyter_server keeps the handler of the current request in its ``CallContext``. That is what lets this class do
two things to the page's response:

1. **Beyond the cap**, answer with a plain "the room is full" page (status 503, ``Retry-After``) instead of starting
   a kernel. ``tornado.web.Finish`` ends the request with that response and no error page or traceback.
2. **Within the cap**, make sure the response sets the ``_xsrf`` cookie. When a visitor closes or reloads an app,
   Voila's page sends ``POST /voila/api/shutdown/<kernel>`` with the ``_xsrf`` value it reads from that cookie; but
   Voila's page handler never sets the cookie, so the server refused every such call ("403 … '_xsrf' argument missing
   from POST", upstream voila#1458) and each closed page kept its kernel until the idle cull. Touching the handler's
   ``xsrf_token`` sets the cookie (tornado does it once per browser), and the shutdown call then passes the
   server's ordinary XSRF check: nothing is switched off.

3. **In room mode**, give the kernel this browser's workbook key (``NPQ_WORKBOOK_KEY``), read from the
   ``npq_workbook_key`` cookie or made and set on this response. The page then opens on the visitor's own workbook
   while Voila runs it, with no round trip through the browser after the page has loaded (a message that a loaded
   machine delays or loses would leave the page at "Opening your workbook…").

4. **Never drop a page's widgets.** ZeroMQ discards messages beyond a queue of 1,000 when the reader is behind, and a
   kernel that builds a page of 1,000+ widgets sends more than that on its output channel at once. When the server is
   busy (many pages loading) the page's own output and the "finished" message were dropped: Voila waited, gave up
   ("Timeout waiting for IOPub output") and sent the page without its widgets. The server's receiving sockets here
   have no such limit (``RCVHWM=0``): messages wait in the server's memory until read. The kernels' clients (Voila's
   executor as well as the browsers' connections) use the manager's one ZeroMQ context, which carries the setting.

Imports jupyter_server (about a second): only Voila imports this module, never the command line.
"""

from __future__ import annotations

import os
import uuid

from jupyter_server.base.call_context import CallContext
import zmq
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager, ServerKernelManager
from tornado import web
from traitlets import Bool, Integer, Unicode, default

from ..hosting import FACILITATOR_ENV
from ..store.workbook import KEY_COOKIE, KEY_ENV, new_room_key, valid_room_key
from . import DEFAULT_MAX_KERNELS, RETRY_AFTER_SECONDS, room_full_page


class RoomKernel(ServerKernelManager):
    """One kernel of the room: its clients share the manager's ZeroMQ context (and with it the unbounded receive
    queue) instead of making a context of their own per page."""

    def client(self, **kwargs):
        kwargs.setdefault("context", self.context)
        return super().client(**kwargs)


class RoomKernelManager(AsyncMappingKernelManager):
    """Starts at most ``max_kernels`` kernels at once; the page beyond that is told to try again in a minute."""

    max_kernels = Integer(DEFAULT_MAX_KERNELS, min=1, config=True,
                          help="How many kernels (open app pages) may run at once; the next visitor is asked to "
                               "try again later.")
    retry_after = Integer(RETRY_AFTER_SECONDS, min=1, config=True,
                          help="Seconds a visitor who finds the room full is asked to wait (Retry-After).")

    workbook_mode = Unicode("", config=True,
                            help="'room' when many people share this server (npq-workbook run --room): every kernel "
                                 "gets NPQ_WORKBOOK_MODE=room, so each browser has a workbook of its own. Empty: "
                                 "kernels inherit the server's NPQ_WORKBOOK_MODE, if any (one person's workbook).")

    facilitator = Bool(False, config=True,
                       help="True for `npq-workbook run --facilitator`: every kernel gets NPQ_FACILITATOR=1 (the "
                            "facilitator bar, model answers). False: the variable is removed from the kernels' "
                            "environment, so a value left in the server's shell never reaches a page.")

    @default("kernel_manager_class")
    def _room_kernel(self):
        return "npq_widgets.server.kernels.RoomKernel"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.context.setsockopt(zmq.RCVHWM, 0)  # sockets made from now on: no receive limit (see 4. above)
        self._starting: set[str] = set()  # ids of kernels being started: counted before they are running

    def kernels_in_use(self) -> int:
        """Kernels running or being started."""
        return len(set(self._kernels) | self._starting)

    async def start_kernel(self, *args, **kwargs):
        kernel_id = kwargs.get("kernel_id")
        if kernel_id is not None and kernel_id in self:  # an existing kernel is reused: no new place is taken
            return await super().start_kernel(*args, **kwargs)
        handler = CallContext.get(CallContext.JUPYTER_HANDLER)
        if self.kernels_in_use() >= self.max_kernels:
            self._refuse(handler)
        _give_page_its_xsrf_cookie(handler)
        # A kernel for Voila's pool (VOILA_PREHEAT) is for a visitor who has not arrived yet — Voila refills the pool
        # from inside another visitor's request — so it gets no key: its page asks the browser, which reads its cookie.
        preheat = str((kwargs.get("env") or {}).get("VOILA_PREHEAT", "")).lower() == "true"
        key = _browser_workbook_key(handler) if self.workbook_mode == "room" and not preheat else None
        env = self._kernel_environment(kwargs.get("env"), key)
        if env is not None:
            kwargs["env"] = env
        # Reserve the place under a known id before the first await, so that page loads arriving together cannot
        # all see the last free place.
        kernel_id = kwargs["kernel_id"] = kernel_id or str(uuid.uuid4())
        self._starting.add(kernel_id)
        try:
            return await super().start_kernel(*args, **kwargs)
        finally:
            self._starting.discard(kernel_id)

    def _kernel_environment(self, env, key: str | None = None):
        """Voila passes the kernel a copy of the server's environment (plus its own variables): add the room's mode,
        this browser's workbook key (room mode) and the facilitator flag; remove a facilitator flag this server was
        not started with, and any workbook key but the browser's own."""
        base = env if env is not None else os.environ
        if not (self.workbook_mode or self.facilitator or key) and FACILITATOR_ENV not in base and KEY_ENV not in base:
            return env
        out = dict(base)
        out.pop(KEY_ENV, None)
        if key:
            out[KEY_ENV] = key
        if self.workbook_mode:
            out["NPQ_WORKBOOK_MODE"] = self.workbook_mode
        if self.facilitator:
            out[FACILITATOR_ENV] = "1"
        else:
            out.pop(FACILITATOR_ENV, None)
        return out

    def _refuse(self, handler) -> None:
        self.log.warning("The room is full: %d apps are open (npq-workbook run --max-kernels %d). A visitor was "
                         "asked to try again in %d seconds.", self.kernels_in_use(), self.max_kernels,
                         self.retry_after)
        if isinstance(handler, web.RequestHandler):  # Voila asks before it has sent anything of the page
            handler.clear()
            handler.set_status(503)
            handler.set_header("Retry-After", str(self.retry_after))
            handler.set_header("Content-Type", "text/html; charset=UTF-8")
            handler.set_header("Cache-Control", "no-store")
            raise web.Finish(room_full_page(self.max_kernels, self.retry_after))
        raise web.HTTPError(503, "The room is full: try again in a minute.")


def _browser_workbook_key(handler) -> str | None:
    """This browser's workbook key on a shared server: the one its cookie holds, or a new one set on the page's
    response (before anything of the page is sent). The kernel gets it at start, so the page opens on the visitor's
    workbook without waiting for the browser. None when there is no page request (a kernel started another way): the
    page then asks the browser, which reads the same cookie."""
    if not isinstance(handler, web.RequestHandler) or handler.request.method != "GET":
        return None
    key = handler.get_cookie(KEY_COOKIE)
    if not valid_room_key(key):
        key = new_room_key()
        path = getattr(handler, "base_url", "/") or "/"
        handler.set_cookie(KEY_COOKIE, key, path=path, expires_days=365, samesite="Strict")
    return key


def _give_page_its_xsrf_cookie(handler) -> None:
    """Set the ``_xsrf`` cookie on the page being served (if the browser lacks it), so the page's shutdown call on
    close or reload carries a valid token."""
    if isinstance(handler, web.RequestHandler) and handler.request.method == "GET":
        handler.xsrf_token  # noqa: B018 - reading the property is what sets the cookie
