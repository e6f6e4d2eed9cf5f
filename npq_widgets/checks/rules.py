"""Rule-based checking with graduated hints.

A task's checker is a list of :class:`Rule`. :func:`run_rules` applies them all, never lets an exception escape to the
learner, and picks the next hint from the first rule that did not hold: the first attempt gets the gentlest nudge,
later attempts a more specific one, and no hint ever states the answer.

Two things the runner does once, for every task:

- **Strict mode.** For learners, a rule that raises becomes the item "This part could not be checked" — never a
  traceback. In tests that would hide a bug, so the test session turns strict mode on (the environment variable
  ``NPQ_STRICT_CHECKS=1``, or ``with strict_checks():``) and a rule that raises makes :func:`run_rules` raise
  :class:`RuleCrashed`, naming the rule.
- **Empty work.** A task passes ``empty=`` to :func:`run_rules`: a function of the same (artefact, context) as its
  rules that returns what to add first when nothing has been entered yet, else None. Empty work gets one item,
  "Nothing to check yet: …", and scores 0 — not one "not yet" per rule, nor rules that hold because there is nothing
  for them to object to.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Sequence

from .result import CheckItem, CheckResult

Outcome = tuple[bool, str]
STRICT_ENV = "NPQ_STRICT_CHECKS"
EMPTY_ID = "nothing-yet"
_strict_override: bool | None = None


class RuleCrashed(RuntimeError):
    """Raised in strict mode when a rule (or a task's emptiness test) raises: a bug that learners would only see as
    "This part could not be checked"."""


def strict() -> bool:
    """Whether a rule that raises should raise (the tests) rather than become a failed item (learners)."""
    if _strict_override is not None:
        return _strict_override
    return os.environ.get(STRICT_ENV, "").strip().lower() in ("1", "true", "yes", "on")


@contextlib.contextmanager
def strict_checks(enabled: bool = True) -> Iterator[None]:
    """Inside the block strict mode is ``enabled``, whatever the environment says."""
    global _strict_override
    before = _strict_override
    _strict_override = enabled
    try:
        yield
    finally:
        _strict_override = before


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
            if strict():
                raise RuleCrashed(f"The rule '{self.id}' raised {type(exc).__name__}: {exc}") from exc
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


def nothing_to_check(task: str, first_step: str, rules: Sequence[Rule], *, title: str = "") -> CheckResult:
    """The result for empty work: one item saying what to add first, 0 out of the rules' total."""
    total = sum(r.weight for r in rules) or 1.0
    item = CheckItem(EMPTY_ID, False, f"Nothing to check yet: {first_step}", 0.0, total)
    return CheckResult(task=task, items=(item,), hint=None, title=title)


def run_rules(task: str, rules: Sequence[Rule], artefact: Any, context: Any = None, *, attempt: int = 1,
              title: str = "", empty: Callable[[Any, Any], str | None] | None = None) -> CheckResult:
    """Apply every rule to ``artefact`` (with ``context``). ``empty(artefact, context)`` returns what to add first
    when nothing has been entered yet (None otherwise): such work gets that one message and scores 0."""
    if empty is not None:
        first_step = _guarded("empty", empty, artefact, context)
        if first_step:
            return nothing_to_check(task, str(first_step), rules, title=title)
    items = tuple(rule.apply(artefact, context) for rule in rules)
    return CheckResult(task=task, items=items, hint=next_hint(rules, items, attempt), title=title)


def _guarded(name: str, fn: Callable[[Any, Any], Any], artefact: Any, context: Any) -> Any:
    """``fn(artefact, context)``; if it raises, work is treated as not empty (every rule then reports on it) —
    except in strict mode, where the crash is raised."""
    try:
        return fn(artefact, context)
    except Exception as exc:  # noqa: BLE001 - a check never raises on learner input
        if strict():
            raise RuleCrashed(f"The '{name}' test raised {type(exc).__name__}: {exc}") from exc
        return None


def _plain(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text[:200]
