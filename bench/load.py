"""Load test: one laptop serving a room. Not part of the test suite (slow; prints figures, asserts nothing).

    PYTHONPATH=. .venv/bin/python bench/load.py [--at-once 1,10,20] [--stream 40] [--every 2] [--browsers 5]
                                                [--app apps/data-analysis.ipynb] [--preheat N]

Starts its own Voila server in room mode (as `npq-workbook run --room`, on a copy of the notebooks, with an empty
workbook home) and sends it visitors:

- **light visitors** (no browser, so the clients cost the server next to nothing): each fetches the app page over
  HTTP — which is what makes Voila start a kernel and run the notebook — then opens the kernel's websocket and does
  what the page's JavaScript does: opens the widget control channel and asks for every widget's state (a new
  visitor has no cookies, so the server makes its workbook key and gives it to the kernel; should the page ask for
  the key through its invisible key widget, the visitor answers with the cookie's key as the browser would),
  tells each chart area it has been painted, waits until the page's save line says the work is saved (the visitor's
  own workbook is open: *interactive*), clicks *Check* (the button's click message) and waits for the feedback.
  The visitors of a group stay on their page until all of them have checked (a room's kernels are open together;
  ``--leave-at-once`` lets each go as soon as it is done), then leave as a closed tab does: close the socket and
  send Voila's own shutdown call for the kernel.
- **real Chromium visitors** (``--browsers N``, at once): the same journey in Debian's Chromium, each in its own
  browser context (so its own workbook key), closed with the page's unload.

For each group it prints: visitors served (interactive and checked) and failures with their reasons, time to
interactive and to the check's feedback (median, max; from the visitor's first request), the total memory of the
server's kernels at its peak, and the kernels still running once every visitor has gone.

It counts, measures and stops only processes it started: the kernels are found as children of its own server
process (``npq_widgets.server.kernel_pids``); other Jupyter kernels on the machine are never looked at. Kernels are
stopped only through the server's own shutdown call; at the end the server itself is terminated (it shuts its
kernels down).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import http.cookies
import json
import os
import platform
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from npq_widgets.cli import voila_command  # noqa: E402
from npq_widgets.paths import notebooks_dir, voila_config  # noqa: E402
from npq_widgets.server import kernel_pids, kernel_pool_options  # noqa: E402
from tests.kernel_ws import KernelChannel  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DEFAULT_APP = "apps/data-analysis.ipynb"  # the heaviest app (pandas, statistics, three charts)
READY_WORDS = ("saves automatically", "saved work is back")  # the save line once the visitor's workbook is open
TIMEOUT = 300.0  # seconds a visitor waits for any one step before counting as a failure


@dataclass
class Visit:
    ok: bool = False
    failure: str = ""
    page: float = float("nan")         # HTML received (Voila has run the notebook)
    interactive: float = float("nan")  # the visitor's workbook open: the save line says so
    checked: float = float("nan")      # the check's feedback arrived
    kernel_id: str = ""
    shutdown: int = 0                  # the HTTP status of the page's shutdown call (204: the kernel was stopped)


@dataclass
class Widgets:
    """The widget models of one page as the kernel describes them: id → state (merged as updates arrive)."""

    states: dict[str, dict] = field(default_factory=dict)

    def take(self, msg: dict, control_id: str) -> bool:
        """Apply one kernel message; True if it was the control channel's full state."""
        kind, content = msg.get("msg_type") or msg["header"]["msg_type"], msg.get("content", {})
        if kind == "comm_open" and content.get("target_name") == "jupyter.widget":
            data = content.get("data", {})
            self.states.setdefault(content["comm_id"], {}).update(data.get("state", {}))
        elif kind == "comm_msg":
            data = content.get("data", {})
            if content.get("comm_id") == control_id and data.get("method") == "update_states":
                for model_id, model in data.get("states", {}).items():
                    self.states.setdefault(model_id, {}).update(model.get("state", {}))
                return True
            if data.get("method") in ("update", "echo_update"):
                self.states.setdefault(content["comm_id"], {}).update(data.get("state", {}))
        elif kind == "comm_close":
            self.states.pop(content.get("comm_id"), None)
        return False

    def find(self, predicate) -> list[str]:
        return [mid for mid, st in self.states.items() if predicate(st)]

    @staticmethod
    def has_class(css: str):
        return lambda st: css in (st.get("_dom_classes") or ())


async def _until(chan: KernelChannel, widgets: Widgets, control_id: str, done, deadline: float) -> None:
    while not done():
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        msg = await chan.recv(left)
        if msg is None:
            raise ConnectionError("the kernel's websocket closed")
        widgets.take(msg, control_id)


def _cookies(headers) -> dict[str, str]:
    jar = http.cookies.SimpleCookie()
    for line in headers.get_list("Set-Cookie"):
        jar.load(line)
    return {k: m.value for k, m in jar.items()}


class Room:
    """Visitors of one group stay on their page until every one of them has finished (checked or failed), then all
    leave: the kernels of a whole room are open together, as at an event."""

    def __init__(self, n: int, stay: bool):
        self.left_to_finish = n
        self.stay = stay
        self.everyone_done = asyncio.Event()

    def finished(self) -> None:
        self.left_to_finish -= 1
        if self.left_to_finish <= 0:
            self.everyone_done.set()

    async def leave(self) -> None:
        self.finished()
        if self.stay:
            await self.everyone_done.wait()


async def light_visitor(base: str, app: str, t0: float, room: Room) -> Visit:
    """One visitor without a browser (see the module's docs). Times are from ``t0``."""
    from tornado.httpclient import AsyncHTTPClient, HTTPRequest

    visit = Visit()
    deadline = lambda: time.monotonic() + TIMEOUT  # noqa: E731
    chan = None
    cookies: dict[str, str] = {}
    try:
        resp = await AsyncHTTPClient().fetch(HTTPRequest(f"{base}/voila/render/{app}", request_timeout=TIMEOUT,
                                                         connect_timeout=TIMEOUT), raise_error=False)
        if resp.code != 200:
            visit.failure = f"page: HTTP {resp.code}" + (" (the room is full)" if resp.code == 503 else "")
            return visit
        html = resp.body.decode("utf-8", "replace")
        found = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', html)
        if not found:
            visit.failure = "page: no kernel in the page"
            return visit
        visit.kernel_id = found.group(1)
        cookies = _cookies(resp.headers)
        visit.page = time.monotonic() - t0

        headers = {"Origin": base, "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
        ws = base.replace("http://", "ws://", 1) + f"/api/kernels/{visit.kernel_id}/channels"
        chan = await KernelChannel.open(ws, headers, timeout=TIMEOUT)
        widgets = Widgets()
        control_id = secrets.token_hex(16)
        await chan.send("shell", "comm_open", {"comm_id": control_id, "target_name": "jupyter.widget.control",
                                               "data": {}}, metadata={"version": "1.0.0"})
        await chan.comm_msg(control_id, {"method": "request_states"})
        got_states: list[bool] = []

        async def read_states() -> None:
            end = deadline()
            while not got_states:
                left = end - time.monotonic()
                if left <= 0:
                    raise TimeoutError
                msg = await chan.recv(left)
                if msg is None:
                    raise ConnectionError("the kernel's websocket closed")
                if widgets.take(msg, control_id):
                    got_states.append(True)

        await read_states()
        # The server reads this browser's workbook key from its cookie (a new visitor: none, so the server makes one
        # and sets it on the page's response) and gives it to the kernel; a kernel started without it (a preheated
        # one) asks the page's invisible key widget instead, which answers with the cookie's key or a new one.
        keys = widgets.find(lambda st: "key" in st and "workbook_key" in str(st.get("_esm", "")).replace("-", "_"))
        if keys:
            key = cookies.get("npq_workbook_key") or secrets.token_hex(16)
            await chan.comm_msg(keys[0], {"method": "update", "state": {"key": key}, "buffer_paths": []})
        status = widgets.find(Widgets.has_class("npq-save-status"))

        def interactive() -> bool:
            return any(any(w in widgets.states[s].get("value", "") for w in READY_WORDS)
                       for s in status if s in widgets.states)

        if not status:
            visit.failure = "no save line on the page"
            return visit
        await _until(chan, widgets, control_id, interactive, deadline())
        visit.interactive = time.monotonic() - t0
        # the chart areas the page has painted ask for their charts (widgets/chart_area.py)
        for area in widgets.find(lambda st: "shown" in st and "npq-chart-area-content" in str(st.get("_esm", ""))):
            if not widgets.states[area].get("shown"):
                await chan.comm_msg(area, {"method": "update", "state": {"shown": True}, "buffer_paths": []})
        buttons = widgets.find(lambda st: st.get("_model_name") == "ButtonModel"
                               and "npq-check" in (st.get("_dom_classes") or ()))
        feedback = widgets.find(Widgets.has_class("npq-feedback"))
        if not buttons or not feedback:
            visit.failure = "no Check button or feedback on the page"
            return visit
        await chan.comm_msg(buttons[0], {"method": "custom", "content": {"event": "click"}})
        await _until(chan, widgets, control_id,
                     lambda: "npq-check-result" in widgets.states.get(feedback[0], {}).get("value", ""), deadline())
        visit.checked = time.monotonic() - t0
        visit.ok = True
    except TimeoutError:
        visit.failure = ("timed out waiting for the page" if visit.page != visit.page else
                         "timed out: not interactive" if visit.interactive != visit.interactive else
                         "timed out waiting for the check")
    except Exception as exc:  # noqa: BLE001 - counted and reported, the run goes on
        visit.failure = f"{type(exc).__name__}: {exc}"[:120]
    finally:
        await room.leave()
        if chan is not None:
            chan.close()
        if visit.kernel_id:
            visit.shutdown = await shutdown(base, visit.kernel_id, cookies)
    return visit


async def shutdown(base: str, kernel_id: str, cookies: dict[str, str]) -> int:
    """The call Voila's page makes when it is closed or reloaded: POST /voila/api/shutdown/<kernel>."""
    from tornado.httpclient import AsyncHTTPClient, HTTPRequest

    xsrf = cookies.get("_xsrf", "")
    body = urllib.parse.urlencode({"_xsrf": xsrf})
    req = HTTPRequest(f"{base}/voila/api/shutdown/{kernel_id}", method="POST", body=body, request_timeout=60,
                      headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()), "Origin": base})
    try:
        return (await AsyncHTTPClient().fetch(req, raise_error=False)).code
    except Exception:  # noqa: BLE001 - the kernels left are counted afterwards
        return 0


async def browser_visitors(base: str, app: str, n: int, room: Room) -> list[Visit]:
    """``n`` Chromium pages at once, each in its own context (its own workbook key)."""
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        async def one() -> Visit:
            visit = Visit()
            context = await browser.new_context(viewport={"width": 1366, "height": 768})
            page = await context.new_page()
            t0 = time.monotonic()
            try:
                await page.goto(f"{base}/voila/render/{app}", wait_until="commit", timeout=TIMEOUT * 1000)
                await page.locator(".npq-check").first.wait_for(timeout=TIMEOUT * 1000)
                visit.page = time.monotonic() - t0
                await page.locator(".npq-save-status", has_text=re.compile("|".join(READY_WORDS))).first.wait_for(
                    timeout=TIMEOUT * 1000)
                visit.interactive = time.monotonic() - t0
                await page.locator(".npq-check").first.click()
                await page.locator(".npq-feedback .npq-check-result").first.wait_for(timeout=TIMEOUT * 1000)
                visit.checked = time.monotonic() - t0
                visit.ok = True
            except Exception as exc:  # noqa: BLE001
                visit.failure = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"[:120]
            finally:
                await room.leave()
                await page.close(run_before_unload=True)  # the page's own shutdown call
                await asyncio.sleep(1)
                await context.close()
            return visit

        visits = await asyncio.gather(*(one() for _ in range(n)))
        await browser.close()
    return list(visits)


# -- the server and its kernels ----------------------------------------------------------------------------------
def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Server:
    """Voila as `npq-workbook run --room` starts it, on a copy of the notebooks, with its own empty home."""

    def __init__(self, root: Path, preheat: int = 0, app: str = DEFAULT_APP, max_kernels: int = 60):
        import socket

        shutil.copytree(notebooks_dir(), root / "notebooks")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.preheat = preheat
        cmd = voila_command(self.port, notebooks=root / "notebooks", room=True, max_kernels=max_kernels)
        if preheat:
            cmd += kernel_pool_options({app: preheat})
        env = dict(os.environ, NPQ_WORKBOOK_HOME=str(root / "home"), MPLBACKEND="Agg")
        self.log = root / "voila.log"
        self.proc = subprocess.Popen(cmd, cwd=voila_config().parent, env=env, stdout=self.log.open("wb"),
                                     stderr=subprocess.STDOUT)

    def wait_up(self, app: str) -> None:
        import urllib.request

        for _ in range(300):
            try:
                urllib.request.urlopen(f"{self.base}/voila/static/voila.js", timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        if self.preheat:  # wait until the pool is full and its notebooks have run
            for _ in range(600):
                if "is filled with" in self.log.read_text(errors="replace"):
                    break
                time.sleep(0.2)
            time.sleep(2)

    def kernels(self) -> set[int]:
        return kernel_pids(self.proc.pid)  # this server's kernels only

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)


async def sample_memory(server: Server, peak: dict, stop: asyncio.Event) -> None:
    while not stop.is_set():
        pids = server.kernels()
        total = sum(rss_mb(p) for p in pids)
        if total > peak.get("total", 0):
            peak.update(total=total, kernels=len(pids))
        try:
            await asyncio.wait_for(stop.wait(), 1.0)
        except asyncio.TimeoutError:
            pass


async def run_group(server: Server, app: str, label: str, n: int, every: float, browsers: bool = False,
                    stay: bool = True) -> dict:
    peak: dict = {}
    room = Room(n, stay)
    stop = asyncio.Event()
    sampler = asyncio.create_task(sample_memory(server, peak, stop))
    start = time.monotonic()
    if browsers:
        visits = await browser_visitors(server.base, app, n, room)
    else:
        async def later(i: int) -> Visit:
            await asyncio.sleep(i * every)
            return await light_visitor(server.base, app, time.monotonic(), room)

        visits = await asyncio.gather(*(later(i) for i in range(n)))
    wall = time.monotonic() - start
    stop.set()
    await sampler
    # every visitor has gone: the kernels still running (beyond a kernel pool's own) after up to 60 s
    pool = server.preheat
    for _ in range(120):
        if len(server.kernels()) <= pool:
            break
        await asyncio.sleep(0.5)
    left = max(0, len(server.kernels()) - pool)
    ok = [v for v in visits if v.ok]
    return {"label": label, "n": n, "served": len(ok), "wall": wall,
            "failures": Counter(v.failure for v in visits if not v.ok),
            "refused_shutdowns": Counter(v.shutdown for v in visits if v.kernel_id and v.shutdown not in (0, 204)),
            "interactive": [v.interactive for v in ok], "checked": [v.checked for v in ok],
            "peak_mb": peak.get("total", 0.0), "peak_kernels": peak.get("kernels", 0), "left": left}


def _med_max(xs: list[float]) -> str:
    return f"{statistics.median(xs):6.1f} s {max(xs):6.1f} s" if xs else f"{'—':>8} {'—':>8}"


def report(rows: list[dict], one: float | None) -> None:
    print(f"\n{'visitors':<32} {'served':>7} {'fail':>5}  {'interactive: median, max':>25}  "
          f"{'checked: median, max':>21}  {'ratio':>6}  {'kernel MB (peak, n)':>19}  {'left':>4}")
    for r in rows:
        ratio = (f"{statistics.median(r['interactive']) / one:5.2f}×" if one and r["interactive"] else "   —  ")
        print(f"{r['label']:<32} {r['served']:>4}/{r['n']:<2} {r['n'] - r['served']:>5}  "
              f"{_med_max(r['interactive']):>25}  {_med_max(r['checked']):>21}  {ratio:>6}  "
              f"{r['peak_mb']:>10.0f} ({r['peak_kernels']:>2})     {r['left']:>4}")
        for reason, count in r["failures"].items():
            print(f"{'':<34}{count} × {reason}")
        for code, count in r.get("refused_shutdowns", {}).items():
            print(f"{'':<34}{count} × the page's shutdown call was answered HTTP {code}: its kernel kept running")


async def main_async(args) -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        server = Server(Path(tmp), preheat=args.preheat, app=args.app)
        try:
            server.wait_up(args.app)
            print(f"Load test, {dt.date.today():%d/%m/%Y}, {platform.node()}: {os.cpu_count()} cores, "
                  f"{_memory_gb():.0f} GB; app {args.app}; room mode"
                  + (f"; kernel pool of {args.preheat} for the app" if args.preheat else "; no kernel pool"),
                  flush=True)
            one = None
            for n in args.at_once:
                row = await run_group(server, args.app, f"{n} at once", n, 0.0, stay=args.stay)
                if n == 1 and row["interactive"]:
                    one = statistics.median(row["interactive"])
                rows.append(row)
                report([row], one)
            for n in args.stream:
                row = await run_group(server, args.app, f"{n} streamed, one every {args.every:g} s", n, args.every,
                                      stay=args.stay)
                rows.append(row)
                report([row], one)
            if args.browsers:
                row = await run_group(server, args.app, f"{args.browsers} Chromium pages at once", args.browsers,
                                      0.0, browsers=True, stay=args.stay)
                rows.append(row)
                report([row], one)
        finally:
            server.stop()
    print("\nSummary (ratio: median time to interactive against one visitor alone, same run)")
    report(rows, one)
    if args.json:
        print(json.dumps([{**r, "failures": dict(r["failures"]), "refused_shutdowns": dict(r["refused_shutdowns"])}
                          for r in rows], indent=2))


def _memory_gb() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024 / 1024
    return float("nan")


def _ints(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--app", default=DEFAULT_APP, help="the notebook visitors open (relative to notebooks/)")
    ap.add_argument("--at-once", type=_ints, default=[1, 10, 20], help="groups of light visitors arriving together")
    ap.add_argument("--stream", type=_ints, default=[40], help="groups of light visitors arriving one by one")
    ap.add_argument("--every", type=float, default=2.0, help="seconds between streamed visitors")
    ap.add_argument("--browsers", type=int, default=5, help="Chromium visitors at once (0: none)")
    ap.add_argument("--preheat", type=int, default=0, help="a Voila kernel pool of this size for the app")
    ap.add_argument("--leave-at-once", dest="stay", action="store_false",
                    help="each visitor leaves as soon as it has checked (default: a group's visitors stay until all "
                         "have checked, then leave together)")
    ap.add_argument("--json", action="store_true")
    asyncio.run(main_async(ap.parse_args()))


if __name__ == "__main__":
    main()
