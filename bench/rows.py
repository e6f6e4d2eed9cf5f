"""Reopening a saved risk register and project plan of 0, 100 and 500 rows (goal: 500 rows ≤ 2× the empty one).

    .venv/bin/python bench/rows.py [--repeats 5] [--no-browser] [--port 19650]

1. Widget harness (no kernel): the app is created and restores the saved work from the store, as a new kernel does.
2. Chromium (Voila, if Chromium and Playwright are here): a browser page is opened on the app whose saved work has n
   rows, and timed from navigation until the table says "… of n" and the chart is drawn.
Each line prints the median and the ratio against the empty register measured in the same run. Never asserted in
tests.
"""

from __future__ import annotations

import argparse
import copy
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("MPLBACKEND", "Agg")

from risk_plan import risks, tasks  # noqa: E402
from tests.conftest import VoilaServer  # noqa: E402

SIZES = (0, 100, 500)
TASKS = {  # task -> (rows key, make saved work of n rows, notebook, ready selector, chart image selector)
    "risk-register": ("risks", risks, "apps/risk-register.ipynb", ".npq-risk-app .npq-check", ".npq-heat-map img"),
    "project-plan": ("tasks", tasks, "apps/project-plan.ipynb", ".npq-plan-app .npq-check", ".npq-gantt img"),
}


def saved_work(task_id: str, n: int) -> dict:
    key, make, *_ = TASKS[task_id]
    art = copy.deepcopy(make(max(n, 1)))
    art[key] = art[key][:n]
    return art


def table_says(n: int, noun: str) -> str:
    return f"of {n} (page" if n else f"No {noun}s yet"


# -- 1. widget harness --------------------------------------------------------------------------------------------
def harness(repeats: int) -> dict[tuple[str, int], float]:
    from npq_widgets.apps import task_app
    from npq_widgets.store.workbook import LOCAL_KEY, Workbook

    out = {}
    with tempfile.TemporaryDirectory() as home:
        os.environ["NPQ_WORKBOOK_HOME"] = home
        for task_id in TASKS:
            doc_id = task_app(task_id).autosave.doc_id
            for n in SIZES:
                Workbook.for_key().save(doc_id, saved_work(task_id, n))
                times = []
                for round_no in range(repeats + 1):  # round 0 warms imports and caches
                    t0 = time.perf_counter()
                    app = task_app(task_id)
                    elapsed = time.perf_counter() - t0
                    assert len(app.artefact[TASKS[task_id][0]]) == n, "the saved work was not restored"
                    if round_no:
                        times.append(elapsed)
                out[task_id, n] = statistics.median(times)
    return out


# -- 2. Chromium --------------------------------------------------------------------------------------------------
def browser(repeats: int, port: int) -> dict[tuple[str, int], float]:
    from playwright.sync_api import sync_playwright

    from npq_widgets.store.workbook import LOCAL_KEY, Workbook
    from run import ARGS, CHROMIUM, stop_page_kernel
    from npq_widgets.server import kernel_pids

    out: dict[tuple[str, int], float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        server = VoilaServer(home, port=port, show_tracebacks=False)  # as `npq-workbook run` starts it
        try:
            with sync_playwright() as pw:
                chromium = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                for task_id, (key, _make, notebook, ready, chart) in TASKS.items():
                    noun = key[:-1]
                    context = chromium.new_context(viewport={"width": 1366, "height": 768})
                    url = f"http://127.0.0.1:{port}/voila/render/{notebook}"

                    def open_once(expect_text: str) -> float:
                        page = context.new_page()
                        before = kernel_pids(server.proc.pid)
                        t0 = time.perf_counter()
                        page.goto(url, wait_until="commit")
                        page.wait_for_selector(ready, timeout=600_000)
                        page.locator(".npq-table-status", has_text=expect_text).wait_for(timeout=600_000)
                        page.locator(chart).wait_for(timeout=600_000)
                        elapsed = time.perf_counter() - t0
                        stop_page_kernel(page, port, server.proc.pid, kernel_pids(server.proc.pid) - before)
                        return elapsed

                    workbook = Workbook.for_key(LOCAL_KEY, home=home)  # the person's own server: one workbook
                    doc_id = f"{task_id}--y9-maths-tutoring"
                    for n in SIZES:
                        art = saved_work(task_id, n)
                        times = []
                        for _ in range(repeats):
                            workbook.save(doc_id, art)
                            times.append(open_once(table_says(n, noun)))
                        out[task_id, n] = statistics.median(times)
                    context.close()
                chromium.close()
        finally:
            server.stop()
    return out


def report(title: str, figures: dict[tuple[str, int], float]) -> None:
    print(title)
    for task_id in TASKS:
        empty = figures[task_id, 0]
        for n in SIZES:
            t = figures[task_id, n]
            goal = "   (goal ≤ 2×)" if n == 500 else ""
            print(f"  {task_id:14} {n:4d} rows  {t * 1000:8.0f} ms  {t / empty:5.2f}× the empty one{goal}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--port", type=int, default=19650)
    args = ap.parse_args()
    report("Reopen in the widget harness (no kernel): app created and saved work restored, median", harness(args.repeats))
    if args.no_browser or not Path("/usr/bin/chromium").exists():
        return
    try:
        import playwright  # noqa: F401
    except ImportError:
        print("Playwright is not installed: no browser figures")
        return
    report("\nReopen in Chromium (Voila, 1366×768): navigation → table and chart shown, median",
           browser(max(1, args.repeats // 2 + 1), args.port))


if __name__ == "__main__":
    main()
