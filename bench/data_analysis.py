"""Pupil data analysis benchmarks: ratios against baselines measured in the same run (never asserted in tests).

    .venv/bin/python bench/data_analysis.py [--sizes 10000 100000 1000000] [--repeats 3]

1. analysis of an already-validated table (summaries by group and drop with intervals, gaps with Welch and Cohen's d,
   correlation) vs a bare pandas groupby of the same statistics (count, mean, std by group and drop; count, mean, std
   by group in the latest drop) on the same table                                        (goal ≤ 2×, linear growth)
2. validation + pseudonymisation of the CSV bytes (load_pupil_table), timed on its own, per 100k rows
3. check latency of the task's checker on saved own-data work                           (goal ≤ 10 ms median)

Tables are synthetic trust data made by scripts/make_pupil_data.py (seeded), generated here, outside any test.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))


def best_of(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()

    import make_pupil_data

    from npq_widgets.domain.pupil_analysis import Selection, analyse
    from npq_widgets.domain.pupil_data import load_pupil_table
    from npq_widgets.registry import get_task

    sel = Selection("p8_score", "disadvantaged", correlate_with="attendance_pct",
                    priority_groupings=("send", "eal", "gender", "prior_band"))
    print("Rows       analyse   bare groupby   ratio (≤2×)   validate+pseudonymise   per 100k rows")
    last = None
    for rows in args.sizes:
        raw = make_pupil_data._csv_bytes(make_pupil_data.trust(pupils=max(1, rows // 3), seed=7))
        t_load = best_of(lambda: load_pupil_table(raw, "bench.csv", size_limit=10**10), 1)
        table = load_pupil_table(raw, "bench.csv", size_limit=10**10)
        df = table.df
        latest = table.drops[-1]

        def bare():
            df.groupby(["disadvantaged", "drop"], sort=False, observed=True)["p8_score"].agg(["count", "mean", "std"])
            df["p8_score"].groupby(df["drop"]).agg(["count", "mean", "std"])
            lat = df[df["drop"] == latest]
            for g in ("disadvantaged", "send", "eal", "gender", "prior_band"):
                lat.groupby(g, sort=False, observed=True)["p8_score"].agg(["count", "mean", "std"])
            lat[["attendance_pct", "p8_score"]].corr()

        analyse(table, sel)  # warm scipy imports
        t_an = best_of(lambda: analyse(table, sel, sampling=False), args.repeats)
        t_bare = best_of(bare, args.repeats)
        n = len(df)
        print(f"{n:>9,}  {t_an * 1000:7.1f} ms  {t_bare * 1000:9.1f} ms   {t_an / t_bare:6.2f}×       "
              f"{t_load:8.2f} s              {t_load / n * 100_000:6.2f} s")
        last = table

    task = get_task("data-analysis")
    model = dict(task.scenario("secondary-riverside").model_answer)
    own = dict(model, scenario="free")
    own["aggregates"] = analyse(last, sel) if last is not None else model["aggregates"]
    own["selection"] = sel.to_dict()
    times = []
    for _ in range(200):
        t = time.perf_counter()
        task.check(own)
        times.append(time.perf_counter() - t)
    times_sc = []
    for _ in range(20):
        t = time.perf_counter()
        task.check(model)
        times_sc.append(time.perf_counter() - t)
    print(f"\nCheck latency, own data (saved aggregates): median {statistics.median(times) * 1000:.2f} ms (goal ≤ 10 ms)")
    print(f"Check latency, scenario (recomputed from the shipped file, cached): median "
          f"{statistics.median(times_sc) * 1000:.2f} ms")


if __name__ == "__main__":
    main()
