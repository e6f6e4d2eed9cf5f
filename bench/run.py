"""NPQ Workbook benchmarks: ratios against baselines measured in the same run (never asserted in tests).

    .venv/bin/python bench/run.py [--repeats 5]

Prints, side by side:
  1. import time: the package and its app views vs. importing ipywidgets + pandas + matplotlib   (goal ≤ 1.2×)
  2. time from navigation to widgets visible in Chromium (Voila): each app vs. a baseline notebook that imports
     ipywidgets, pandas and matplotlib and shows one widget                                       (goal ≤ 1.3×)
  3. kernel memory (RSS) after the page is ready: each app vs. the same baseline                  (goal ≤ 1.25×)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from npq_widgets.paths import notebooks_dir  # noqa: E402
from npq_widgets.server import kernel_pids  # noqa: E402
from tests.conftest import VoilaServer  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
APPS = {  # name -> (notebook, selector that means "the widgets are visible")
    "which-npq": ("apps/which-npq.ipynb", ".npq-app"),
    "smart-objectives": ("apps/smart-objectives.ipynb", ".npq-smart-app .npq-check"),
    "data-analysis": ("apps/data-analysis.ipynb", ".npq-da-app .npq-check"),
    "budget": ("apps/budget.ipynb", ".npq-budget-app .npq-check"),
    "risk-register": ("apps/risk-register.ipynb", ".npq-risk-app .npq-check"),
    "module strategy-1": ("modules/strategy-1.ipynb", ".npq-module .npq-quiz-check"),
    "module strategy-2": ("modules/strategy-2.ipynb", ".npq-module .npq-quiz-check"),
}
# Pages whose chart is drawn after the widgets are visible: the time until it is there is printed too, and memory is
# read once it has been drawn (a chart's memory counts).
CHARTS = {"data-analysis": ".npq-da-charts img", "risk-register": ".npq-heat-map img"}
BASELINE_CODE = ("import ipywidgets as w\nimport pandas as pd\nimport matplotlib.pyplot as plt\n"
                 "b = w.Button(description='Baseline')\nb.add_class('bench-baseline')\nb")


def timed_import(stmt: str, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        code = f"import time; t = time.perf_counter(); {stmt}; print(time.perf_counter() - t)"
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                             env=dict(os.environ, MPLBACKEND="Agg"))
        times.append(float(out.stdout.strip()))
    return statistics.median(times)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def stop_page_kernel(page, port: int, server_pid: int, pids: set[int], timeout: float = 15.0) -> None:
    """Close the page as a visitor does (its beforeunload call shuts its kernel down) and wait for the kernel
    processes ``pids`` of our own server to end. Should the page's call not arrive, make the same call ourselves;
    a kernel is never killed (the server would restart it) and no other process is touched."""
    base = f"http://127.0.0.1:{port}"
    kernel_id = json.loads(page.locator("#jupyter-config-data").text_content() or "{}").get("kernelId")
    xsrf = next((c["value"] for c in page.context.cookies(base + "/") if c["name"] == "_xsrf"), "")
    page.close(run_before_unload=True)
    if wait_gone(server_pid, pids, timeout) or not kernel_id:
        return
    request = urllib.request.Request(f"{base}/voila/api/shutdown/{kernel_id}", method="POST", data=b"",
                                     headers={"Cookie": f"_xsrf={xsrf}", "X-XSRFToken": xsrf, "Origin": base})
    try:
        urllib.request.urlopen(request, timeout=10).close()
    except OSError as exc:
        print(f"  (the shutdown call for kernel {kernel_id} failed: {exc})", file=sys.stderr)
    if not wait_gone(server_pid, pids, timeout):
        print(f"  (a kernel of this benchmark's server is still running: pids {sorted(pids)})", file=sys.stderr)


def wait_gone(server_pid: int, pids: set[int], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while pids & kernel_pids(server_pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def make_site(root: Path) -> None:
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    shutil.copytree(notebooks_dir(), root / "notebooks")
    nb = new_notebook(cells=[new_code_cell(BASELINE_CODE)],
                      metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    nbformat.write(nb, root / "notebooks" / "baseline.ipynb")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def page_metrics(repeats: int) -> dict[str, tuple[float, float]]:
    from playwright.sync_api import sync_playwright

    results: dict[str, tuple[list[float], list[float], list[float]]] = {n: ([], [], []) for n in ["baseline", *APPS]}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_site(root)
        port = free_port()
        # the server as `npq-workbook run` starts it (voila.json: cap, shutdown on close, quiet log), on a copy
        server = VoilaServer(root / "home", port=port, notebooks=root / "notebooks", show_tracebacks=False)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                targets = [("baseline", "baseline.ipynb", ".bench-baseline")] + \
                          [(n, path, sel) for n, (path, sel) in APPS.items()]
                for round_no in range(repeats + 1):  # round 0 warms caches and is discarded
                    for name, path, selector in targets:
                        context = browser.new_context()  # kept open until the page's shutdown call is sent
                        page = context.new_page()
                        before = kernel_pids(server.proc.pid)  # only this server's kernels: never anyone else's
                        t0 = time.perf_counter()
                        page.goto(f"http://127.0.0.1:{port}/voila/render/{path}", wait_until="commit")
                        page.wait_for_selector(selector, timeout=120_000)
                        elapsed = time.perf_counter() - t0
                        chart = float("nan")
                        if name in CHARTS:
                            page.wait_for_selector(CHARTS[name], state="attached", timeout=120_000)
                            chart = time.perf_counter() - t0
                        time.sleep(1.0)
                        new = kernel_pids(server.proc.pid) - before
                        mem = max((rss_mb(p) for p in new), default=float("nan"))
                        stop_page_kernel(page, port, server.proc.pid, new)  # keep memory flat between rounds
                        context.close()
                        if round_no:
                            results[name][0].append(elapsed)
                            results[name][1].append(mem)
                            results[name][2].append(chart)
                browser.close()
        finally:
            server.stop()
    return {n: (statistics.median(t), statistics.median(m), statistics.median(c)) for n, (t, m, c) in results.items()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--json", action="store_true", help="also print the figures as JSON")
    ap.add_argument("--pages-only", action="store_true", help="skip the import timings")
    args = ap.parse_args()

    if args.pages_only:
        print_pages(page_metrics(args.repeats), args.json)
        return
    base_import = timed_import("import ipywidgets, pandas, matplotlib.pyplot", args.repeats)
    pkg_import = timed_import("import npq_widgets", args.repeats)
    views_import = timed_import("import npq_widgets.pages.which_npq, npq_widgets.tasks.smart_objectives.view",
                                args.repeats)
    print("Import time (median of fresh processes)")
    print(f"  baseline ipywidgets+pandas+matplotlib  {base_import * 1000:7.0f} ms")
    print(f"  import npq_widgets                     {pkg_import * 1000:7.0f} ms   ratio {pkg_import / base_import:4.2f}×"
          "  (goal ≤ 1.2×)")
    print(f"  npq_widgets app views (all deps)       {views_import * 1000:7.0f} ms   ratio "
          f"{views_import / base_import:4.2f}×  (goal ≤ 1.2×)")

    print_pages(page_metrics(args.repeats), args.json, {"baseline": base_import, "package": pkg_import,
                                                          "views": views_import})


def print_pages(pages, as_json: bool, imports: dict | None = None) -> None:
    bt, bm, _ = pages["baseline"]
    print("\nVoila in Chromium (median over rounds): navigation → widgets visible, kernel RSS (after the chart, if any)")
    print(f"  {'baseline notebook':<22} {bt:6.2f} s            {bm:6.0f} MB")
    for name in APPS:
        t, m, c = pages[name]
        chart = f"   chart there at {c:5.2f} s ({c / bt:4.2f}×)" if c == c else ""
        print(f"  {name:<22} {t:6.2f} s  {t / bt:4.2f}× (≤1.3)  {m:6.0f} MB  {m / bm:4.2f}× (≤1.25){chart}")
    print("  (the baseline imports ipywidgets, pandas and matplotlib and shows one button; the apps draw their charts\n"
          "   after the page's first paint, and a module page builds its tasks when the learner opens them)")
    if as_json:
        print(json.dumps({"import": imports, "pages": pages}, indent=2))


if __name__ == "__main__":
    main()
