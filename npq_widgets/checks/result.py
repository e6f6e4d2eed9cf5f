"""The one result type every task's checker returns.

Deterministic by construction: no timestamps, no randomness, no memory addresses; every learner-supplied string is
escaped in the HTML. Status is carried by words and an icon, never by colour alone.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from typing import Any

PASS = "pass"
FAIL = "fail"
ERROR = "error"

_STATUS_WORDS = {
    PASS: "All criteria met",
    FAIL: "Not yet — some criteria still to meet",
    ERROR: "Could not be checked",
}
_ITEM_WORDS = {True: ("✔", "Met"), False: ("✘", "Not yet")}


@dataclass(frozen=True)
class CheckItem:
    """One rule's outcome: which rule, whether it held, and a message saying why."""

    id: str
    passed: bool
    message: str
    points: float = 1.0
    max_points: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "passed": self.passed,
            "message": self.message,
            "points": self.points,
            "max_points": self.max_points,
        }


@dataclass(frozen=True)
class CheckResult:
    """The outcome of checking one artefact against one task.

    ``status`` is ``"pass"`` when every rule held, ``"fail"`` when some did not, and ``"error"`` when the artefact
    could not be read at all (then ``items`` holds one failed item that says what was wrong).
    """

    task: str
    items: tuple[CheckItem, ...]
    hint: str | None = None
    status: str = field(default="")
    title: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "items", tuple(self.items))
        if not self.status:
            object.__setattr__(self, "status", PASS if self.items and all(i.passed for i in self.items) else FAIL)
        if self.status not in (PASS, FAIL, ERROR):
            raise ValueError(f"unknown status {self.status!r}")

    # -- construction ------------------------------------------------------------------------------------------
    @classmethod
    def error(cls, task: str, message: str, *, hint: str | None = None, title: str = "") -> "CheckResult":
        """A result for input that could not be read: one failed item carrying the message."""
        return cls(task=task, items=(CheckItem("readable", False, message, 0.0, 1.0),), hint=hint, status=ERROR,
                   title=title)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "CheckResult":
        items = tuple(CheckItem(**{k: item[k] for k in ("id", "passed", "message", "points", "max_points")})
                      for item in data["items"])
        return cls(task=data["task"], items=items, hint=data.get("hint"), status=data["status"],
                   title=data.get("title", ""))

    # -- summaries -----------------------------------------------------------------------------------------
    @property
    def passed_all(self) -> bool:
        return self.status == PASS

    @property
    def score(self) -> float:
        return sum(i.points for i in self.items)

    @property
    def max_score(self) -> float:
        return sum(i.max_points for i in self.items)

    @property
    def failed(self) -> tuple[CheckItem, ...]:
        return tuple(i for i in self.items if not i.passed)

    @property
    def summary(self) -> str:
        return f"{_fmt(self.score)}/{_fmt(self.max_score)} — {_STATUS_WORDS[self.status]}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "task": self.task,
            "title": self.title,
            "status": self.status,
            "passed_all": self.passed_all,
            "score": self.score,
            "max_score": self.max_score,
            "items": [i.to_dict() for i in self.items],
            "hint": self.hint,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2, sort_keys=True)

    # -- display -----------------------------------------------------------------------------------------
    def __repr__(self) -> str:
        name = self.title or self.task
        lines = [f"{name}: {self.summary}"]
        for item in self.items:
            icon, word = _ITEM_WORDS[item.passed]
            lines.append(f"  {icon} {word}: {item.message}")
        if self.hint:
            lines.append(f"Next hint: {self.hint}")
        return "\n".join(lines)

    __str__ = __repr__

    def _repr_html_(self) -> str:
        esc = html.escape
        name = esc(self.title or self.task)
        rows = []
        for item in self.items:
            icon, word = _ITEM_WORDS[item.passed]
            state = "met" if item.passed else "not-met"
            rows.append(
                f'<li class="npq-check-item npq-check-{state}" data-rule="{esc(item.id)}">'
                f'<span class="npq-check-icon" aria-hidden="true">{icon}</span> '
                f"<strong>{word}:</strong> {esc(item.message)}</li>"
            )
        hint = (f'<p class="npq-check-hint"><strong>Next hint:</strong> {esc(self.hint)}</p>'
                if self.hint else "")
        return (
            f'<div class="npq-check-result npq-check-{esc(self.status)}" role="status">'
            f'<p class="npq-check-summary"><strong>{name}</strong>: {esc(self.summary)}</p>'
            f'<ul class="npq-check-items">{"".join(rows)}</ul>{hint}</div>'
        )


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.1f}"

