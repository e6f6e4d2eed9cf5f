"""Checking a knowledge check: one item per question, partial credit, graduated hints from the first question not
yet right. A quiz is *passed* when the score reaches its pass mark (the result's status is "pass" only when every
answer is right)."""

from __future__ import annotations

from typing import Any, Mapping

from ..domain.quiz import Quiz, mark
from .result import CheckItem, CheckResult


def check_quiz(quiz: Quiz, responses: Mapping[str, Any], *, attempt: int = 1, title: str = "") -> CheckResult:
    items, hint = [], None
    for n, q in enumerate(quiz.questions, start=1):
        m = mark(q, (responses or {}).get(q.id))
        items.append(CheckItem(q.id, m.correct, f"Question {n}: {m.message}", m.score, 1.0))
        if hint is None and not m.correct and q.hints:
            hint = f"Question {n}: " + q.hints[min(max(attempt, 1), len(q.hints)) - 1]
    return CheckResult(task=f"quiz:{quiz.id}", items=tuple(items), hint=hint, title=title or "Knowledge check")


def quiz_passed(quiz: Quiz, result: CheckResult) -> bool:
    return result.max_score > 0 and result.score / result.max_score >= quiz.pass_mark - 1e-9
