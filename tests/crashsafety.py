"""Kill a process that saves in a loop with SIGKILL at random moments; after each kill the document must load and be
exactly one of the versions that was written. Used by tests/test_store.py (a few rounds) and bench/store.py (100+)."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from npq_widgets.store.workbook import Workbook

SAVER = r"""
import sys
from npq_widgets.store.workbook import Workbook
wb = Workbook(sys.argv[1])
i = int(sys.argv[2])
wb.save("doc", {"i": i, "payload": ("x" * (i % 97)) * 40})  # one whole version before any kill can land
i += 1
print("ready", flush=True)
while True:
    wb.save("doc", {"i": i, "payload": ("x" * (i % 97)) * 40})
    i += 1
"""


def version_ok(data: dict) -> bool:
    i = data["i"]
    return data == {"i": i, "payload": ("x" * (i % 97)) * 40}


def kill_saver_repeatedly(root: Path, rounds: int, seed: int = 1) -> list[int]:
    rng = random.Random(seed)
    seen: list[int] = []
    start = 0
    for _ in range(rounds):
        proc = subprocess.Popen([sys.executable, "-c", SAVER, str(root), str(start)], stdout=subprocess.PIPE)
        proc.stdout.readline()
        time.sleep(rng.uniform(0.0, 0.08))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        loaded = Workbook(root).load("doc")
        assert loaded.data is not None and version_ok(loaded.data), loaded
        assert loaded.message is None, loaded.message  # atomic writes leave nothing to repair
        seen.append(loaded.data["i"])
        start = loaded.data["i"] + 1
    return seen
