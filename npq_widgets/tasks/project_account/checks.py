"""Formative checks for the project account. Never a mark: the DfE mark scheme for the legacy project is not public.
The rules look only at what can be counted (every section written, the word limit, the dates) and say so."""

from __future__ import annotations

from typing import Any, Mapping

from ...checks.result import CheckResult
from ...checks.rules import Rule, run_rules
from .model import Account, ProjectAccountFigures, read_account, structure, timeline, word_counts

TASK = "project-account"
TITLE = "Project account (legacy NPQs)"


def _sections(a: Account, ctx) -> tuple[bool, str]:
    struct = ctx["struct"]
    empty = [s.heading for s in struct.sections if a.words(s.id) == 0]
    if empty:
        shown = "; ".join(empty[:6]) + ("…" if len(empty) > 6 else "")
        return False, f"{len(empty)} of {len(struct.sections)} sections have nothing written yet: {shown}."
    return True, f"All {len(struct.sections)} sections have writing in them."


def _limit(a: Account, ctx) -> tuple[bool, str]:
    counts = word_counts(a, ctx["struct"])
    if counts.limit is None:
        return True, (f"{counts.total:,} words. The seed gives no word limit for {ctx['struct'].name}; check your "
                      "provider's guidance.")
    if counts.total > counts.limit:
        return False, (f"{counts.total:,} words: {counts.over:,} over the limit of {counts.limit:,} (annexes and "
                       "supporting documents are not counted). Nothing has been cut — you decide what goes.")
    return True, f"{counts.total:,} of {counts.limit:,} words (annexes not counted): within the limit."


def _projects(a: Account, ctx) -> tuple[bool, str]:
    struct = ctx["struct"]
    if struct.qualification == "NPQEL-legacy":
        need = [p.key for p in struct.parts]
    else:
        need = ["A", "B"] if a.two_projects else ["A"]
    missing = [k for k in need if not a.projects.get(k, "").strip()]
    if missing:
        which = {"A": struct.parts[0].title, "B": struct.parts[-1].title}
        return False, "Give the project a title: " + ", ".join(which[k] for k in missing) + "."
    return True, "The project" + ("s are" if len(need) > 1 else " is") + " named."


def _dates(a: Account, ctx) -> tuple[bool, str]:
    t = timeline(a, ctx["struct"], ctx["figures"])
    if t.problems:
        return False, " ".join(t.problems)
    if not (t.programme_start and t.project_start and t.project_end):
        return False, "Enter the programme start and the project's start and end dates (DD/MM/YYYY)."
    if t.warnings:
        return False, " ".join(t.warnings)
    terms = f"{len(t.whole_terms)} whole terms ({', '.join(t.whole_terms)})"
    return True, f"The project lasts {terms} and ends before the limit ({t.deadline:%d/%m/%Y})."


RULES = (
    Rule("projects-named", _projects, hints=("Which project does each part describe?",
                                             "Type the project title above the parts.")),
    Rule("sections-written", _sections, hints=(
        "Which sections are still empty?",
        "Write at least a paragraph under each heading: what you did, why, and what happened.")),
    Rule("within-limit", _limit, hints=("Look at the total against the limit.",
                                        "Move detail into the annexes: supporting documents do not count.")),
    Rule("timeline", _dates, hints=(
        "Look at the timeline under the dates.",
        "The project must cover whole school terms, and end in time to be assessed within the limit.")),
)


def nothing_yet(a: Account, ctx: Mapping[str, Any]) -> str | None:
    typed = any(t.strip() for t in a.sections.values()) or any(v.strip() for v in a.projects.values()) or \
        a.annexes.strip() or a.programme_start.strip() or a.project_start.strip() or a.project_end.strip()
    return None if typed else "name your project and write the first section of your account."


def check_account(artefact: Mapping[str, Any], figures: ProjectAccountFigures, *, attempt: int = 1) -> CheckResult:
    a = read_account(artefact)
    return run_rules(TASK, RULES, a, {"figures": figures, "struct": structure(a.qualification, figures)},
                     attempt=attempt, title=TITLE, empty=nothing_yet)


__all__ = ["check_account", "RULES", "TITLE"]
