"""Version history for written work: earlier versions of a document, kept in the store, that a learner can restore.

One mechanism for every written task. It is built only on the public API of :class:`~npq_widgets.store.workbook.
Workbook` (``save``/``load``): the history of the document ``<doc-id>`` is a separate document ``<doc-id>.history``
(so it is written atomically, survives a kernel restart, travels in a downloaded workbook and never touches the work
itself). Autosave runs a few tenths of a second after typing stops, so history does not keep every save; after each
new version it keeps (what we chose, each a parameter of :class:`Policy`):

- the **latest 20** versions;
- **one per minute of editing** (the last version saved in each clock minute) for the latest 30 such minutes;
- every **big change**: a version whose word count differs from the one before it by **50 words or more** (a large
  paste, a deleted section), together with the version just before it, so the work as it was before the paste or
  deletion can always be brought back — the latest 20 such changes;
- **one per day** (the last version of each UK day), for every day.

A version identical to the newest one is not added again. Restoring a version is itself recorded as a new version,
so a restore can be undone.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Mapping
from zoneinfo import ZoneInfo

from .workbook import StoreError, Workbook

DOC_TYPE = "history"
SUFFIX = ".history"
UK = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class Policy:
    latest: int = 20
    minutes: int = 30
    big_change_words: int = 50
    big_changes: int = 20


@dataclass(frozen=True)
class Version:
    number: int          # 1, 2, 3 … in the order saved (never reused)
    saved_at: str        # ISO time, UTC
    words: int
    big_change: bool = False

    def when(self) -> str:
        """'DD/MM/YYYY HH:MM:SS' in UK time."""
        return dt.datetime.fromisoformat(self.saved_at).astimezone(UK).strftime("%d/%m/%Y %H:%M:%S")

    def label(self) -> str:
        big = " — big change" if self.big_change else ""
        return f"{self.when()} — {self.words:,} word{'s' if self.words != 1 else ''}{big}"


def history_id(doc_id: str) -> str:
    return f"{doc_id}{SUFFIX}"


class History:
    """The kept versions of ``doc_id`` in ``workbook``."""

    def __init__(self, workbook: Workbook, doc_id: str, policy: Policy | None = None):
        self.workbook = workbook
        self.doc_id = doc_id
        self.policy = policy or Policy()

    # -- reading ------------------------------------------------------------------------------------------------
    def _entries(self) -> list[dict]:
        try:
            data = self.workbook.load(history_id(self.doc_id)).data
        except (StoreError, OSError):
            return []
        entries = data.get("versions") if isinstance(data, Mapping) else None
        return [e for e in entries if isinstance(e, dict) and "data" in e] if isinstance(entries, list) else []

    def versions(self) -> list[Version]:
        """Newest first."""
        return [Version(int(e.get("n", 0)), str(e.get("saved_at", "")), int(e.get("words", 0)),
                        bool(e.get("big_change"))) for e in reversed(self._entries())]

    def data(self, number: int) -> dict:
        """The saved work of version ``number``; StoreError if it is no longer kept."""
        for e in self._entries():
            if int(e.get("n", 0)) == number:
                return json.loads(json.dumps(e["data"]))
        raise StoreError(f"Version {number} is no longer kept.")

    # -- recording ------------------------------------------------------------------------------------------------
    def record(self, data: Any, *, words: int, now: dt.datetime | None = None) -> bool:
        """Add a version (unless it is the same as the newest) and prune. Returns True if one was added."""
        entries = self._entries()
        if entries and entries[-1].get("data") == data:
            return False
        now = now or dt.datetime.now(dt.timezone.utc)
        number = (int(entries[-1].get("n", 0)) + 1) if entries else 1
        big = bool(entries) and abs(words - int(entries[-1].get("words", 0))) >= self.policy.big_change_words
        entries.append({"n": number, "saved_at": now.astimezone(dt.timezone.utc).isoformat(timespec="seconds"),
                        "words": int(words), "big_change": big, "data": json.loads(json.dumps(data))})
        kept = self.prune(entries)
        self.workbook.save(history_id(self.doc_id), {"task": DOC_TYPE, "schema_version": 1, "doc": self.doc_id,
                                                     "versions": kept}, doc_type_name=DOC_TYPE)
        return True

    def prune(self, entries: list[dict]) -> list[dict]:
        """The entries the policy keeps, oldest first."""
        p = self.policy
        keep: set[int] = set()
        keep.update(range(max(0, len(entries) - p.latest), len(entries)))
        by_minute: dict[str, int] = {}
        by_day: dict[str, int] = {}
        for i, e in enumerate(entries):
            when = dt.datetime.fromisoformat(str(e["saved_at"])).astimezone(UK)
            by_minute[when.strftime("%Y-%m-%d %H:%M")] = i   # the last in each minute wins
            by_day[when.strftime("%Y-%m-%d")] = i
        keep.update(sorted(by_minute.values())[-p.minutes:])
        keep.update(by_day.values())
        bigs = [i for i, e in enumerate(entries) if e.get("big_change")][-p.big_changes:]
        for i in bigs:
            keep.add(i)
            if i > 0:
                keep.add(i - 1)
        return [entries[i] for i in sorted(keep)]


__all__ = ["History", "Policy", "Version", "history_id"]
