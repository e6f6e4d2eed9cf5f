"""Saving work: autosave latency and crash safety. Ratios against a baseline measured in the same run.

    .venv/bin/python bench/store.py [--kills 120]

Goal (issue 3): autosave never blocks the widget for more than 50 ms median, also with 500-row artefacts.
The baseline is a bare ``json.dumps`` + ``Path.write_text`` of the same artefact (no fsync, no previous version).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from npq_widgets.registry import get_task  # noqa: E402
from npq_widgets.store.workbook import Workbook  # noqa: E402
from npq_widgets.widgets.autosave import autosave  # noqa: E402
from npq_widgets.tasks.smart_objectives.view import SmartObjectivesBuilder  # noqa: E402
from tests.crashsafety import kill_saver_repeatedly  # noqa: E402
from timing import median_ms  # noqa: E402


def measure(rows: int, repeats: int, root: Path) -> tuple[float, float]:
    task = get_task("smart-objectives")
    view = SmartObjectivesBuilder(task, task.scenario())
    binding = autosave(view, f"bench-{rows}", workbook=Workbook(root / f"wb{rows}"), delay=0)
    model = dict(task.scenario().model_answer)
    view.load({**model, "objectives": [model["objectives"][i % 2] for i in range(rows)]})

    counter = iter(range(10**9))

    def edit_and_save() -> None:  # what a keystroke costs once the debounce fires
        view.candidate.value = f"Candidate {next(counter)}"  # delay=0: the save happens inside this call

    saved = median_ms(edit_and_save, repeats)
    assert binding.saved_at is not None
    target = root / f"bare{rows}.json"
    bare = median_ms(lambda: target.write_text(json.dumps(view.artefact)), repeats)
    return saved, bare


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=30)
    ap.add_argument("--kills", type=int, default=120)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        print("Autosave latency (median ms per change: artefact snapshot + atomic write with fsync + previous version)")
        for rows in (2, 50, 500):
            saved, bare = measure(rows, args.repeats, root)
            print(f"  {rows:>4} objectives  autosave {saved:7.2f} ms   bare write {bare:6.2f} ms   "
                  f"ratio {saved / bare:5.1f}×   goal ≤ 50 ms: {'met' if saved <= 50 else 'NOT met'}")
        t0 = time.perf_counter()
        seen = kill_saver_repeatedly(root / "faults", rounds=args.kills, seed=7)
        print(f"\nCrash safety: {args.kills} SIGKILLs at random moments in {time.perf_counter() - t0:.1f} s; every "
              f"load was a whole version (last version {seen[-1]}, {len(set(seen))} distinct versions seen).")


if __name__ == "__main__":
    main()
