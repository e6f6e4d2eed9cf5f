"""The few SMART tests a development objective needs, shared by any task that asks for one.

The SMART objectives task (6.1.1) has its own fuller checker for objectives set for a colleague; a task cannot import
another task, and the registry sits above the tasks, so a task that checks its own SMART objectives (the 360°
development plan, 6.1.2) uses these: each returns ``None`` when the test holds, else what is missing, in words.
"""

from __future__ import annotations

import datetime as dt

from .values import ValueProblem, format_uk_date, parse_number, parse_uk_date, word_count

MIN_OBJECTIVE_WORDS = 10


def specific(objective: str, min_words: int = MIN_OBJECTIVE_WORDS) -> str | None:
    if word_count(objective) < min_words:
        return f"say what you will do differently, and where, in at least {min_words} words"
    return None


def measurable(measure: str, baseline: object, target: object) -> str | None:
    if not str(measure or "").strip():
        return "name how you will know (the measure)"
    try:
        start = parse_number(baseline, what="the starting point")
        end = parse_number(target, what="the target")
    except ValueProblem:
        return "give the starting point and the target as numbers on the measure"
    if start == end:
        return "the target must differ from the starting point"
    return None


def time_bound(when: object, window: tuple[dt.date, dt.date] | None) -> str | None:
    try:
        d = parse_uk_date(when)
    except ValueProblem:
        return "give a review date as DD/MM/YYYY"
    if window is not None and not window[0] <= d <= window[1]:
        return (f"the review date must fall within the programme, {format_uk_date(window[0])} to "
                f"{format_uk_date(window[1])}")
    return None
