"""What the served app gallery (`npq-workbook run`) needs on the server side, apart from Voila itself.

Voila starts one kernel (a Python process of 60–200 MB) for every page it serves. This package keeps a room of
visitors from exhausting the laptop that serves them:

- ``kernels.RoomKernelManager`` (named in voila.json) caps how many kernels run at once and answers the page beyond
  the cap with :func:`room_full_page` (status 503, ``Retry-After``); it also gives every app page the ``_xsrf``
  cookie that Voila's own "shut my kernel down" call needs when the page is closed or reloaded;
- :class:`QuietLogFilter` (named in voila.json's ``logging_config``) drops one log line that is noise for an app
  server; everything else, real errors included, still reaches the terminal;
- :func:`kernel_pids` lists the kernels a server process has started (for tests and bench/).

This module is cheap to import (standard library only): the command line reads its settings. The kernel manager,
which needs jupyter_server, lives in ``npq_widgets.server.kernels`` and is imported only by Voila.
"""

from __future__ import annotations

import html
import logging
import os
import sys
import tempfile
from pathlib import Path

# How many kernels `npq-workbook run` lets run at once, by default. Sized for the facilitator's laptop the issue names
# (2 cores, 24 GB): a kernel holds 60 MB (the light apps) to 200 MB (the pages that draw charts at once, measured by
# bench/run.py) right after its page loads, and more once a learner uploads data. Half of the memory, 12 GB, is left
# for the operating system, the facilitator's own browser and projector, and that growth; 12 GB / 200 MB = 60 pages,
# enough for a cohort of 30 with two apps open each. CPU is not what limits it: an idle kernel costs next to nothing,
# and a burst of 60 page loads on 2 cores queues for about a minute rather than failing.
DEFAULT_MAX_KERNELS = 60

# What a visitor who finds the room full is told to wait (seconds): the Retry-After header and the page's own retry.
RETRY_AFTER_SECONDS = 60

# Kernels whose page is gone (no open connection) and that have been idle this long are shut down (voila.json).
# Work is autosaved 0.4 s after each change, so nothing is lost; a kernel whose page is open is never culled.
IDLE_CULL_SECONDS = 300


def room_full_page(max_kernels: int, retry_after: int = RETRY_AFTER_SECONDS) -> str:
    """The plain page a visitor gets when every place is taken: a heading, what to do, and a retry by itself."""
    minutes = "a minute" if retry_after <= 60 else f"{round(retry_after / 60)} minutes"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="{int(retry_after)}">
<title>The room is full – NPQ Workbook</title>
<style>
  body {{ font-family: system-ui, -apple-system, "Segoe UI", Arial, sans-serif; font-size: 1.25rem; line-height: 1.5;
         color: #1b1b1b; background: #ffffff; max-width: 38em; margin: 3em auto; padding: 0 1em; }}
  a {{ color: #1f4e79; }}
</style>
</head>
<body>
<main class="npq-room-full">
<h1>The room is full</h1>
<p>Every place on this workbook is in use just now ({html.escape(str(max_kernels))} apps are open).
Please try again in {minutes}: this page will try again by itself.</p>
<p>Nothing you have saved is lost. Closing workbook tabs you have finished with frees places for everyone.</p>
<p><a href="">Try again now</a></p>
</main>
</body>
</html>
"""


# Log lines that say nothing a facilitator can act on. Matched on the message template, not its arguments, so a
# different warning that happens to mention "trusted" still shows.
_NOISE = (
    "Notebook %s is not trusted",  # jupyter_server, for every page: trust only matters to the classic notebook
)


class QuietLogFilter(logging.Filter):
    """Drops the "Notebook … is not trusted" warning Voila prints for every page; lets everything else through."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.msg not in _NOISE


def ipc_transport_works() -> bool:
    """Whether kernels can talk to the server over Unix sockets instead of TCP on 127.0.0.1.

    ipykernel warns "Kernel is running over TCP without encryption…" for every TCP kernel, loopback or not. IPC
    avoids the warning (and any open port). The sockets live in Voila's connection folder under the temporary
    folder, named after the kernel; Unix limits such paths to about 104 characters, so IPC is used on Linux (whose
    /tmp is short) and elsewhere only when the path fits. Windows keeps TCP."""
    if os.name != "posix":
        return False
    if sys.platform.startswith("linux"):
        return True
    # /<tmp>/voila_xxxxxxxx/kernel-<36-character id>-ipc-<port>
    longest = len(os.path.join(tempfile.gettempdir(), "voila_xxxxxxxx", "kernel-" + "x" * 36 + "-ipc-65535"))
    return longest < 100


def kernel_pool_options(pools: dict[str, int]) -> list[str]:
    """Voila command-line options that keep ``pools[notebook]`` preheated kernels ready for each named notebook (path
    relative to the served folder) and none for any other.

    Not used by ``npq-workbook run``: measured with bench/load.py (README, *Serving a room*), a pool made one
    visitor's page quicker but a room arriving together slower, and a visitor whose first page came from the pool
    could not shut its kernel down on leaving. Kept for measuring, and for whoever enables it once that changes.
    ``default_pool_size = 0`` alone is not enough: once ``kernel_pools_config`` is given, Voila 0.5.13 gives every
    notebook it does not name the pool size of its ``default`` entry, or 1 without one (a kernel for each of the ~47
    notebooks served)."""
    import json

    config = {"default": {"pool_size": 0}, **{nb: {"pool_size": int(n)} for nb, n in pools.items()}}
    return ["--VoilaConfiguration.preheat_kernel=True", "--VoilaConfiguration.default_pool_size=0",
            "--VoilaKernelManager.kernel_pools_config=" + json.dumps(config)]


def kernel_pids(server_pid: int) -> set[int]:
    """Process ids of the Jupyter kernels that the server process ``server_pid`` started (its direct children that
    run ipykernel). Linux only: read from /proc. Other processes on the machine are never counted."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:  # the process ended while we looked
            continue
        # /proc/<pid>/stat: "pid (command) state ppid …"; the command may itself hold spaces or brackets
        fields = stat[stat.rfind(")") + 2:].split()
        if len(fields) > 1 and int(fields[1]) == server_pid and _runs_ipykernel(cmdline.split(b"\0")):
            found.add(int(entry.name))
    return found


def _runs_ipykernel(argv: list[bytes]) -> bool:
    """`python -m ipykernel_launcher -f …` (Jupyter's kernel spec), `-m ipykernel` or a path to the launcher."""
    return any(arg in (b"ipykernel_launcher", b"ipykernel") or arg.endswith(b"/ipykernel_launcher.py")
               for arg in argv)
