"""Rule-based checking with graduated hints.

A task's checker is a list of :class:`Rule`. :func:`run_rules` applies them all, never lets an exception escape to the
learner, and picks the next hint from the first rule that did not hold: the first attempt gets the gentlest nudge,
later attempts a more specific one, and no hint ever states the answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

from .result import CheckItem, CheckResult

Outcome = tuple[bool, str]


@dataclass(frozen=True)
class Rule:
    id: str
    test: Callable[[Any, Any], Outcome]
    hints: tuple[str, ...] = ()
    weight: float = 1.0

    def apply(self, artefact: Any, context: Any) -> CheckItem:
        try:
            passed, message = self.test(artefact, context)
        except Exception as exc:  # noqa: BLE001 - a check never raises on learner input
            passed, message = False, f"This part could not be checked: {_plain(exc)}"
        passed = bool(passed)
        return CheckItem(self.id, passed, message, self.weight if passed else 0.0, self.weight)


def next_hint(rules: Sequence[Rule], items: Sequence[CheckItem], attempt: int = 1) -> str | None:
    """The hint for the first rule that did not hold, graduated by attempt (1 = first try)."""
    by_id = {r.id: r for r in rules}
    for item in items:
        if item.passed:
            continue
        hints = by_id[item.id].hints if item.id in by_id else ()
        if hints:
            level = min(max(int(attempt), 1), len(hints)) - 1
            return hints[level]
    return None


def run_rules(task: str, rules: Sequence[Rule], artefact: Any, context: Any = None, *, attempt: int = 1,
              title: str = "") -> CheckResult:
    items = tuple(rule.apply(artefact, context) for rule in rules)
    return CheckResult(task=task, items=items, hint=next_hint(rules, items, attempt), title=title)


def _plain(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text[:200]
