"""Check latency of the risk register and project plan at 10 and 500 rows (goal ≤ 10 ms median, flat growth).

    .venv/bin/python bench/risk_plan.py [--repeats 30]

Prints medians and ratios against a bare baseline measured in the same run (building a list of dicts of the same
size and sorting it by a key): a check costs what it costs, and the ratio shows how far above plain Python it is.
Never asserted in tests.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from npq_widgets.registry import get_task  # noqa: E402
from timing import median_ms  # noqa: E402



def risks(n: int) -> dict:
    art = copy.deepcopy(dict(get_task("risk-register").scenario().model_answer))
    art["risks"] = [dict(art["risks"][i % 6], id=f"R{i + 1}") for i in range(n)]
    return art


def tasks(n: int) -> dict:
    start = dt.date(2026, 9, 1)
    stages = ["explore", "prepare", "deliver", "sustain"]
    art = copy.deepcopy(dict(get_task("project-plan").scenario().model_answer))
    rows = [dict(t) for t in art["tasks"]]
    for i in range(len(rows), n):  # extra tasks hanging off the chain, so the graph grows with n
        day = start + dt.timedelta(days=60 + i % 200)
        rows.append({"id": f"X{i}", "name": f"Step {i}", "owner": "Lead", "stage": stages[i % 4],
                     "start": day.strftime("%d/%m/%Y"), "end": day.strftime("%d/%m/%Y"),
                     "depends_on": [f"X{i - 1}"] if i > len(art["tasks"]) else [], "milestone": False})
    art["tasks"] = rows[:n]
    return art


def baseline(art: dict, key: str):
    return lambda: sorted(({k: v for k, v in r.items()} for r in art[key]), key=lambda r: str(r.get("id")))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=30)
    args = ap.parse_args()
    print(f"{'task':15} {'rows':>5} {'check ms':>9} {'baseline ms':>12} {'ratio':>7}   goal ≤ 10 ms")
    for task_id, make, key in (("risk-register", risks, "risks"), ("project-plan", tasks, "tasks")):
        task = get_task(task_id)
        per_row = []
        for n in (10, 500):
            art = make(n)
            assert len(art[key]) == n
            check = median_ms(lambda: task.check(art), args.repeats)
            base = median_ms(baseline(art, key), args.repeats)
            per_row.append(check / n)
            print(f"{task_id:15} {n:5d} {check:9.2f} {base:12.3f} {check / base:7.0f}×")
        print(f"{'':15} growth per row, 500 vs 10: {per_row[1] / per_row[0]:.2f}× (1.0 = linear)")


if __name__ == "__main__":
    main()
