"""Editable lists of rows (risks, tasks, cost lines, objectives): what every task view with rows does the same way.

Rows are widgets in a ``VBox``; each row offers ``.value`` (a dict) in both directions. The helpers below give a row
its id, build it quietly (so the view recomputes once, not once per field), and add, remove or move it; the view then
calls its own ``changed()``.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, Sequence, TypeVar

from ..domain.values import next_id

R = TypeVar("R")


def row_id(data: Mapping[str, Any] | None, taken: Sequence[str], prefix: str, *, unique: bool = False) -> str:
    """The id a saved row carries, or the next free ``<prefix><n>``. With ``unique``, an id already taken is
    replaced too (otherwise saved ids are kept exactly, so loading work restores it as it was)."""
    given = "" if not data or data.get("id") is None else str(data.get("id")).strip()
    if not given or (unique and given in taken):
        return next_id(list(taken), prefix)
    return given


def build_row(view: Any, make: Callable[[], R], data: Mapping[str, Any] | None = None) -> R:
    """``make()`` a row and fill it with ``data``, inside ``view.quietly()``."""
    with view.quietly():
        row = make()
        if data:
            row.value = data  # type: ignore[attr-defined]
    return row


def insert_row(box: Any, row: Any, after: Any = None) -> None:
    """Put ``row`` at the end of ``box``, or just after the row ``after``."""
    kids = list(box.children)
    kids.insert(kids.index(after) + 1 if after in kids else len(kids), row)
    box.children = tuple(kids)


def remove_row(box: Any, row: Any) -> None:
    box.children = tuple(r for r in box.children if r is not row)


def move_row(box: Any, row: Any, step: int) -> bool:
    """Move ``row`` ``step`` places (−1 up, +1 down); False when it is already at that end."""
    kids = list(box.children)
    i = kids.index(row)
    j = i + step
    if not 0 <= j < len(kids):
        return False
    kids[i], kids[j] = kids[j], kids[i]
    box.children = tuple(kids)
    return True
