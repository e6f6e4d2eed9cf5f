"""Screenshots of every task app at 1366×768 in Chromium (Voila), each with its scenario's model answer as saved work,
into docs/screenshots/<task>.png (the whole app, 1366 px wide; the top 768 px are what a projector shows first).

    .venv/bin/python scripts/screenshots.py [--port 19660] [--only risk-register,project-plan]

The model answer is written into this browser's own workbook (as autosave would have saved it), then the page is
reloaded: what a facilitator sees when reopening a demo. Needs Debian's Chromium and Playwright; offline is fine.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("MPLBACKEND", "Agg")

from tests.conftest import VoilaServer  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
OUT = REPO / "docs" / "screenshots"
# the notebook to shoot where it is not named after the task: the 360° scenario (its saved work is the scenario's;
# the model answer is shown on a page only in facilitator mode, so it is saved into the visitor's workbook like the rest)
NOTEBOOK_FOR = {"three-sixty": "three-sixty-scenario"}


def doc_ids(tasks: list[str], home: Path) -> dict[str, str]:
    os.environ["NPQ_WORKBOOK_HOME"] = str(home / "scratch")
    from npq_widgets.apps import task_app

    return {t: task_app(t).autosave.doc_id for t in tasks}


def shoot(page, path: Path) -> None:
    app = page.locator(".npq-app").first
    box = app.bounding_box()
    height = int(min(box["y"] + box["height"] + 40, 8000)) if box else 768
    page.set_viewport_size({"width": 1366, "height": max(768, height)})
    page.wait_for_timeout(500)
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": 1366, "height": 768})


def main() -> None:
    from playwright.sync_api import sync_playwright

    from npq_widgets.registry import get_task, task_ids
    from npq_widgets.store.workbook import LOCAL_KEY, Workbook

    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=19660)
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    tasks = [t for t in task_ids() if not args.only or t in args.only.split(",")]
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        ids = doc_ids(tasks, Path(tmp))
        server = VoilaServer(home, port=args.port, show_tracebacks=False)  # as `npq-workbook run` starts it
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="en-GB")
                for task_id in tasks:
                    notebook = NOTEBOOK_FOR.get(task_id, task_id)
                    url = f"http://127.0.0.1:{args.port}/voila/render/apps/{notebook}.ipynb"
                    page = context.new_page()
                    page.goto(url, wait_until="commit")
                    page.wait_for_selector(".npq-app .npq-save-status", timeout=300_000)
                    answer = get_task(task_id).scenario().model_answer
                    if answer:
                        # the server is the person's own (not --room): the apps share the workbook `local`
                        Workbook.for_key(LOCAL_KEY, home=home).save(ids[task_id], dict(answer))
                        page.reload(wait_until="commit")
                        page.wait_for_selector(".npq-app .npq-save-status", timeout=300_000)
                        try:
                            page.locator(".npq-save-status", has_text="saved work is back").wait_for(timeout=60_000)
                        except Exception:  # noqa: BLE001 - the shot is still worth having; say what it shows
                            print(f"{task_id}: the model answer was not restored; the shot shows the app as opened")
                    page.wait_for_timeout(2000)  # charts drawn after the restore
                    shoot(page, OUT / f"{task_id}.png")
                    print(f"{task_id}: {OUT / f'{task_id}.png'}")
                    page.close(run_before_unload=True)
                browser.close()
        finally:
            server.stop()


if __name__ == "__main__":
    main()
