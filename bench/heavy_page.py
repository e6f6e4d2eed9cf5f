"""Load a page of many widgets several times at once and count the loads that came without their widgets.

Usage: python bench/heavy_page.py [VISITORS] [ROWS]   (defaults 6 and 1500)

A page whose kernel sends more messages than ZeroMQ's default queue (1,000) while the server is busy lost its output
before npq_widgets.server.kernels.RoomKernelManager removed the server's receive limit: on the 2-core machine, 2 of 6
loads at once came back after Voila's output timeout without a single widget. Starts its own Voila (our voila.json, a
temporary notebook folder and workbook home) and stops only that server.
"""

from __future__ import annotations

import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.conftest import VoilaServer  # noqa: E402


def main(visitors: int = 6, rows: int = 1500) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="npq-heavy-"))
    (tmp / "nb").mkdir()
    (tmp / "home").mkdir()
    code = ("import ipywidgets as w\n"
            f"page = w.VBox([w.HBox([w.Text(value=str(i)), w.Checkbox(description=f'row {{i}}')]) for i in range({rows})])\n"
            "page")
    nbformat.write(new_notebook(cells=[new_code_cell(code)], metadata={"kernelspec": {
        "name": "python3", "display_name": "Python 3", "language": "python"}}), tmp / "nb" / "heavy.ipynb")
    server = VoilaServer(tmp / "home", notebooks=tmp / "nb", show_tracebacks=True)
    results: list[tuple[float, bool]] = []

    def load() -> None:
        t0 = time.monotonic()
        html = urllib.request.urlopen(server.app_url("heavy.ipynb"), timeout=900).read().decode("utf-8", "replace")
        results.append((time.monotonic() - t0, "application/vnd.jupyter.widget-view+json" in html))

    try:
        threads = [threading.Thread(target=load) for _ in range(visitors)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        server.stop()
    lost = sum(1 for _, ok in results if not ok)
    times = sorted(t for t, _ in results)
    print(f"{visitors} loads at once of a page of {rows * 3} widgets: {lost} came without their widgets; "
          f"times {times[0]:.1f}–{times[-1]:.1f} s; "
          f"Voila's output timeouts: {server.log.read_text(errors='replace').count('Timeout waiting for IOPub')}")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
