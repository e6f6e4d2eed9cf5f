"""Check and recompute latency of the budget at 10 and 500 lines (goal ≤ 10 ms median for a check, flat growth).

    .venv/bin/python bench/budget.py [--repeats 30]

"recompute" is what the app does on every change: read the budget from the artefact and work out every total.
Prints medians and ratios against a bare baseline measured in the same run (summing the same number of floats parsed
from text in plain Python). Never asserted in tests.
"""

from __future__ import annotations

import argparse
import copy
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from npq_widgets.registry import get_task  # noqa: E402
from timing import median_ms  # noqa: E402
from npq_widgets.tasks.budget.export import budget_for  # noqa: E402



def budget(n: int) -> dict:
    art = copy.deepcopy(dict(get_task("budget").scenario().model_answer))
    art["lines"] = [dict(art["lines"][i % 7], id=f"C{i + 1}") for i in range(n)]
    return art


def baseline(art: dict):
    def run():
        total = 0.0
        for line in art["lines"]:
            for v in line["by_term"].values():
                total += float(str(v).replace("£", "").replace(",", "") or 0)
        return total
    return run


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=30)
    args = ap.parse_args()
    task = get_task("budget")
    scenario = task.scenario()
    print(f"{'budget':10} {'lines':>5} {'check ms':>9} {'recompute ms':>13} {'baseline ms':>12} {'ratio':>7}"
          "   goal: check ≤ 10 ms")
    per_line = []
    for n in (10, 500):
        art = budget(n)
        check = median_ms(lambda: task.check(art), args.repeats)
        recompute = median_ms(lambda: budget_for(art, scenario).totals(), args.repeats)
        base = median_ms(baseline(art), args.repeats)
        per_line.append(check / n)
        print(f"{'':10} {n:5d} {check:9.2f} {recompute:13.2f} {base:12.3f} {check / base:7.0f}×")
    print(f"{'':10} check time per line, 500 vs 10 lines: {per_line[1] / per_line[0]:.2f}× (below 1 = the fixed "
          "part dominates at 10; 1.0 = linear)")


if __name__ == "__main__":
    main()
