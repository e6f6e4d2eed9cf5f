"""Checks for the reflection, the 360° rounds and the development plan (6.1.2). They check the work, never the
person: a low rating is never a fault, only a plan that does not follow from the ratings or is not SMART."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from ...catalogue import load_catalogue
from ...checks.result import CheckResult
from ...checks.rules import Rule, run_rules
from ...domain import smart
from ...domain.values import parse_uk_date, ValueProblem, word_count
from .model import (Figures, ReportRow, lowest_rated, planned, programme_window, read_reflection, report,
                    responses_received, round_for)

TASK = "three-sixty"
TITLE = "360° diagnostic and Leadership Reflection"
MIN_OPPORTUNITY_WORDS = 6
MIN_NOTE_WORDS = 6


@dataclass(frozen=True)
class Work:
    artefact: Mapping[str, Any]
    figures: Figures
    window: Any
    rows: list[ReportRow]
    behaviours: list[str]


def _numbers(items: list[int]) -> str:
    words = [str(i) for i in items]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _sheet(work: Work):
    art = work.artefact
    current = art.get("reflection") if isinstance(art.get("reflection"), Mapping) else {}
    kept = [s for s in art.get("reflections") or [] if isinstance(s, Mapping)]
    if any(isinstance(v, Mapping) and (v.get("rating") or v.get("comment"))
           for v in (current.get("ratings") or {}).values()) or not kept:
        return read_reflection(current, work.behaviours)
    return read_reflection(kept[-1], work.behaviours)


def _reflection(work: Work, _ctx) -> tuple[bool, str]:
    sheet = _sheet(work)
    unrated = [b for b, v in sheet.ratings.items() if v is None]
    thin = [b for b, c in sheet.comments.items() if word_count(c) < work.figures.comment_min_words]
    if unrated:
        return False, f"The Leadership Reflection has no rating yet for: {', '.join(unrated)}."
    if thin:
        return False, (f"The comments on {', '.join(thin)} are too short to hold an example (at least "
                       f"{work.figures.comment_min_words} words each).")
    if sheet.date is None:
        return False, "The Leadership Reflection needs its date (DD/MM/YYYY)."
    return True, "Every behaviour on the Leadership Reflection is rated and commented with an example."


def _raters(work: Work, _ctx) -> tuple[bool, str]:
    rounds = [r for r in work.artefact.get("rounds") or [] if isinstance(r, Mapping)]
    if not rounds:
        return False, "No 360° round has been opened yet."
    short = []
    for n, rnd in enumerate(rounds, start=1):
        wanted = sum(planned(rnd).values())
        got = responses_received(rnd, work.figures.min_group_responses)
        if wanted == 0 or got < wanted:
            short.append(f"round {n} ({got} of {wanted} planned)")
    if short and word_count(work.artefact.get("raters_note")) < MIN_NOTE_WORDS:
        return False, ("Fewer responses than planned in " + "; ".join(short) +
                       ", and no note says why.")
    if short:
        return True, "Fewer responses than planned in " + "; ".join(short) + "; your note explains why."
    return True, "Every round has at least the responses you planned."


def _priorities(work: Work) -> list[Mapping[str, Any]]:
    return [p if isinstance(p, Mapping) else {} for p in work.artefact.get("plan") or []]


def _count(work: Work, _ctx) -> tuple[bool, str]:
    n, lo, hi = len(_priorities(work)), work.figures.min_priorities, work.figures.max_priorities
    if lo <= n <= hi:
        return True, f"{n} development priorities — a focused plan."
    return False, f"{n} development priorit{'y' if n == 1 else 'ies'}: the plan has {lo} to {hi}."


def _follows(work: Work, _ctx) -> tuple[bool, str]:
    plan = _priorities(work)
    if not plan:
        return False, "There are no development priorities yet."
    if not work.rows:
        return False, "There is no 360° report yet for the priorities to follow from."
    low = set(lowest_rated(work.rows, work.figures.lowest_rated))
    spots = {r.statement.id for r in work.rows if r.flag == "blind spot"}
    known = {r.statement.id for r in work.rows}
    bad = []
    for n, p in enumerate(plan, start=1):
        focus = str(p.get("focus") or "")
        if focus in low or focus in spots:
            continue
        if focus in known and word_count(p.get("reason")) >= work.figures.justification_min_words:
            continue
        bad.append(n)
    if bad:
        return False, (f"Priorit{'y' if len(bad) == 1 else 'ies'} {_numbers(bad)}: the focus is not among what the "
                       "ratings point to, and the reason given does not yet explain the choice.")
    return True, "Each priority follows from the ratings or is justified in words."


def _smart(work: Work, _ctx) -> tuple[bool, str]:
    plan = _priorities(work)
    if not plan:
        return False, "There are no development objectives yet."
    problems = []
    for n, p in enumerate(plan, start=1):
        miss = smart.specific(str(p.get("objective") or "")) or smart.measurable(
            str(p.get("measure") or ""), p.get("baseline"), p.get("target"))
        if miss:
            problems.append(f"objective {n}: {miss}")
    if problems:
        return False, "Not yet SMART — " + "; ".join(problems) + "."
    return True, "Each development objective is specific and measurable, with a starting point and a target."


def _opportunity(work: Work, _ctx) -> tuple[bool, str]:
    plan = _priorities(work)
    bad = [n for n, p in enumerate(plan, start=1) if word_count(p.get("opportunity")) < MIN_OPPORTUNITY_WORDS]
    if not plan:
        return False, "There are no development priorities yet."
    if bad:
        return False, f"Priorit{'y' if len(bad) == 1 else 'ies'} {_numbers(bad)}: name the development opportunity."
    return True, "Each priority has a development opportunity within or beyond the school."


def _dates(work: Work, _ctx) -> tuple[bool, str]:
    plan = _priorities(work)
    if not plan:
        return False, "There are no review dates yet."
    if work.window is None:
        return False, "Give the programme's start and end dates (DD/MM/YYYY) so review dates can be placed in it."
    problems = []
    for n, p in enumerate(plan, start=1):
        miss = smart.time_bound(p.get("review_date"), work.window)
        if miss:
            problems.append(f"Priority {n}: {miss}")
    if problems:
        return False, "; ".join(problems) + "."
    return True, "Each review date falls within the programme."


RULES = (
    Rule("reflection", _reflection, hints=(
        "Look at the Leadership Reflection: is every behaviour rated and explained?",
        "Give each of the seven behaviours a rating and a comment with one example from your work.",
        "A comment with an example names a situation and what you did in it.")),
    Rule("raters", _raters, hints=(
        "Compare the responses you have with the raters you planned to ask.",
        "Load every response file (or the collator's summary), or write a short note on why some did not reply.")),
    Rule("count", _count, hints=("How many priorities does a focused development plan hold?",
                                 "Add or remove priorities until the number fits.")),
    Rule("follows", _follows, hints=(
        "Would a colleague looking at your report see why you chose each priority?",
        "Look at the lowest-rated statements and the blind spots in your report.",
        "Choose a focus the ratings point to, or say in words why another one matters more now.")),
    Rule("smart", _smart, hints=(
        "Could you tell, at the review date, whether each objective was met?",
        "For each objective say what you will do, how you will know, where you start and what you aim for.")),
    Rule("opportunity", _opportunity, hints=(
        "Criterion 6.1.2 asks for targeted development: what will help you grow in each priority?",
        "Name a development opportunity within or beyond your school for each priority: who, what, when.")),
    Rule("dates", _dates, hints=(
        "When will you look again at each priority?",
        "Give each priority a review date, written DD/MM/YYYY, before the programme ends.")),
)


def plan_round(artefact: Mapping[str, Any]) -> dict[str, Any] | None:
    """The round the development plan follows from: the start round (the plan is made after it and reviewed within
    the programme), or the end round when it is the only one."""
    return round_for(artefact, "start") or round_for(artefact, "end")


def window_for(artefact: Mapping[str, Any], scenario_data: Mapping[str, Any] | None):
    window = (scenario_data or {}).get("programme")
    if isinstance(window, Mapping):
        try:
            return parse_uk_date(window["start"]), parse_uk_date(window["end"])
        except (KeyError, ValueProblem):
            return None
    return programme_window(artefact)


def check_three_sixty(artefact: Mapping[str, Any], figures: Figures, scenario_data: Mapping[str, Any] | None = None,
                      *, attempt: int = 1) -> CheckResult:
    behaviours = [b.name for b in load_catalogue().behaviours]
    rnd = plan_round(artefact)
    rows = report(rnd, gap=figures.blind_spot_gap, min_group=figures.min_group_responses) if rnd else []
    work = Work(artefact, figures, window_for(artefact, scenario_data), rows, behaviours)
    return run_rules(TASK, RULES, work, None, attempt=attempt, title=TITLE, empty=nothing_yet)


def nothing_yet(work: Work, ctx: Any) -> str | None:
    """Empty: no behaviour rated or commented, no round opened and no priority written."""
    art = work.artefact
    reflection = art.get("reflection") if isinstance(art.get("reflection"), Mapping) else {}
    ratings = reflection.get("ratings") if isinstance(reflection.get("ratings"), Mapping) else {}
    rated = any(isinstance(v, Mapping) and (v.get("rating") not in (None, "") or str(v.get("comment") or "").strip())
                for v in ratings.values())
    planned = any(isinstance(p, Mapping) and any(str(x or "").strip() for x in p.values())
                  for p in (art.get("plan") or []) if isinstance(art.get("plan"), list))
    if rated or planned or art.get("rounds") or art.get("reflections"):
        return None
    return "rate yourself on the seven behaviours in the Leadership Reflection, with a comment for each."
