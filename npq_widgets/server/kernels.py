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

Imports jupyter_server (about a second): only Voila imports this module, never the command line.
"""

from __future__ import annotations

import os
import uuid

from jupyter_server.base.call_context import CallContext
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web
from traitlets import Bool, Integer, Unicode

from ..hosting import FACILITATOR_ENV
from . import DEFAULT_MAX_KERNELS, RETRY_AFTER_SECONDS, room_full_page


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

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._starting: set[str] = set()  # ids of kernels being started: counted before they are running

    def kernels_in_use(self) -> int:
        """Kernels running or being started."""
        return len(set(self._kernels) | self._starting)

    async def start_kernel(self, *args, **kwargs):
        kernel_id = kwargs.get("kernel_id")
        env = self._kernel_environment(kwargs.get("env"))
        if env is not None:
            kwargs["env"] = env
        if kernel_id is not None and kernel_id in self:  # an existing kernel is reused: no new place is taken
            return await super().start_kernel(*args, **kwargs)
        handler = CallContext.get(CallContext.JUPYTER_HANDLER)
        if self.kernels_in_use() >= self.max_kernels:
            self._refuse(handler)
        _give_page_its_xsrf_cookie(handler)
        # Reserve the place under a known id before the first await, so that page loads arriving together cannot
        # all see the last free place.
        kernel_id = kwargs["kernel_id"] = kernel_id or str(uuid.uuid4())
        self._starting.add(kernel_id)
        try:
            return await super().start_kernel(*args, **kwargs)
        finally:
            self._starting.discard(kernel_id)

    def _kernel_environment(self, env):
        """Voila passes the kernel a copy of the server's environment (plus its own variables): add the room's mode
        and the facilitator flag; remove a facilitator flag this server was not started with."""
        base = env if env is not None else os.environ
        if not self.workbook_mode and not self.facilitator and FACILITATOR_ENV not in base:
            return env
        out = dict(base)
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


def _give_page_its_xsrf_cookie(handler) -> None:
    """Set the ``_xsrf`` cookie on the page being served (if the browser lacks it), so the page's shutdown call on
    close or reload carries a valid token."""
    if isinstance(handler, web.RequestHandler) and handler.request.method == "GET":
        handler.xsrf_token  # noqa: B018 - reading the property is what sets the cookie
