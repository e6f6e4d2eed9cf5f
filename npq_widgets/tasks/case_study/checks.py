"""Formative checks for a case-study response, with graduated hints. Never a mark: the DfE's mark scheme for the
case study is not public, so these rules only look for what a strong response visibly contains, and each message
says whether it is a verdict (a word count) or a prompt to re-read your own work (whether a problem is precise)."""

from __future__ import annotations

import re
from typing import Any, Mapping

from ...checks.result import CheckResult
from ...checks.rules import Rule, run_rules
from ...domain.values import word_count
from .model import PART_KEYS, CaseStudyFigures, Response, paragraphs, part_titles, read_response, steps
from .packs import Pack, normal_number

TASK = "case-study"
TITLE = "Case-study response (practice)"
SELF = " (A program can only see the words; whether this is convincing is for you to judge on a re-read.)"
_STOP = {"which", "their", "there", "these", "those", "would", "could", "should", "about", "other", "where", "while",
         "because", "pupils", "school", "schools", "staff", "problem", "problems", "solution", "solutions", "being",
         "within", "across", "every", "after", "before", "first", "second", "third", "think", "leaders"}


def _has(text: str, words) -> list[str]:
    low = " " + re.sub(r"\s+", " ", text.lower()) + " "
    return [w for w in words if re.search(r"(?<![a-z])" + re.escape(w.lower()), low)]


def _figures_in(text: str, pack: Pack | None) -> list[str]:
    if pack is None:
        return []
    known = pack.numbers()
    return [n for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text) if normal_number(n) in known and
            normal_number(n) not in {"1", "2", "3", "4", "5"}]


def _groups_in(text: str, pack: Pack | None) -> list[str]:
    if pack is None:
        return []
    low = text.lower()
    return [g for g in pack.group_names() if g.lower() in low]


def _present(r: Response, ctx) -> tuple[bool, str]:
    titles, lo = part_titles(), ctx["figures"].min_part_words
    short = [f"{titles[k]} ({r.words(k)} words)" for k in PART_KEYS if r.words(k) < lo]
    if short:
        return False, f"Each part needs developing (at least {lo} words as a guide): " + "; ".join(short) + "."
    return True, "All four parts are written and developed."


def _limit(r: Response, ctx) -> tuple[bool, str]:
    limit, n = ctx["figures"].word_limit, r.total_words
    if n > limit:
        return False, (f"{n:,} words: {n - limit:,} over the limit of {limit:,}. Nothing has been cut — you decide "
                       "what goes.")
    return True, f"{n:,} of {limit:,} words: within the limit."


def _problems(r: Response, ctx) -> tuple[bool, str]:
    text, pack = r.parts["problems"], ctx["pack"]
    if not text.strip():
        return False, "The problems are not written yet."
    figs, groups = _figures_in(text, pack), _groups_in(text, pack)
    if pack is None:
        return bool(re.search(r"\d", text)), "No case study is chosen, so only numbers in your problems are looked for."
    if not figs or not groups:
        missing = " and ".join(w for w, ok in (("a figure from the pack", figs), ("a group the pack's data names",
                                                                                    groups)) if not ok)
        return False, f"The problems do not yet quote {missing}." + SELF
    return True, (f"The problems point at the pack's evidence (figures such as {figs[0]}; groups such as "
                  f"{groups[0]}).") + SELF


def _terms(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z][a-z'-]{4,}", text.lower()) if w not in _STOP}


def _solutions(r: Response, ctx) -> tuple[bool, str]:
    paras, problems = paragraphs(r.parts["solutions"]), _terms(r.parts["problems"])
    if not paras:
        return False, "The solutions are not written yet."
    if not problems:
        return False, "Write the problems first: each solution should answer one of them."
    loose = [i for i, p in enumerate(paras, start=1) if not (_terms(p) & problems)]
    if loose:
        return False, (f"Solution paragraph{'s' if len(loose) > 1 else ''} {', '.join(map(str, loose))} "
                       "do not use the words of any problem you identified." + SELF)
    return True, "Each solution paragraph refers back to a problem you identified." + SELF


def _rationale(r: Response, ctx) -> tuple[bool, str]:
    text, pack, f = r.parts["rationale"], ctx["pack"], ctx["figures"]
    if not text.strip():
        return False, "The rationale is not written yet."
    in_pack = _figures_in(text, pack) or _groups_in(text, pack)
    outside = _has(text, f.evidence_sources)
    if not in_pack or not outside:
        need = " and ".join(w for w, ok in (("evidence from the pack", in_pack),
                                            ("a source beyond it (guidance or research)", outside)) if not ok)
        return False, f"The rationale does not yet cite {need}." + SELF
    return True, f"The rationale cites the pack and a wider source ({outside[0]})." + SELF


def _implementation(r: Response, ctx) -> tuple[bool, str]:
    f = ctx["figures"]
    found = steps(r.parts["implementation"])
    if len(found) < f.min_steps:
        return False, f"{len(found)} implementation step{'s' if len(found) != 1 else ''}: set out at least " \
                      f"{f.min_steps}, in order."
    no_who = [i for i, s in enumerate(found, start=1) if not _has(s, f.owner_words)]
    no_when = [i for i, s in enumerate(found, start=1) if not (_has(s, f.time_words) or re.search(r"\d/\d", s))]
    msgs = []
    if no_who:
        msgs.append(f"step{'s' if len(no_who) > 1 else ''} {', '.join(map(str, no_who))} do not say who")
    if no_when:
        msgs.append(f"step{'s' if len(no_when) > 1 else ''} {', '.join(map(str, no_when))} do not say when")
    if not _has(r.parts["implementation"], f.monitoring_words):
        msgs.append("the steps do not say how success will be monitored")
    if msgs:
        return False, "Implementation: " + "; ".join(msgs) + "."
    return True, f"{len(found)} steps, each with who and when, and a way to monitor success." + SELF


def _areas(r: Response, ctx) -> tuple[bool, str]:
    from ...catalogue import load_catalogue

    names = {a.number: a.name for a in load_catalogue().reformed_content_areas}
    titles = part_titles()
    touched = "; ".join(f"{n}. {names.get(n, '')}" for n in r.areas) or "none yet"
    untagged = r.untagged()
    if untagged:
        where = "; ".join(f"{titles[k]}, paragraph {i}" for k, i in untagged)
        return False, (f"Tag every paragraph with the content areas it draws on. Not tagged yet: {where}. "
                       f"Areas your response touches so far: {touched}.")
    pack = ctx["pack"]
    missing = [n for n in (pack.content_areas if pack is not None else ()) if n not in r.areas]
    also = (" The case study also draws on " + "; ".join(f"{n}. {names.get(n, '')}" for n in missing)
            + ", which no paragraph is tagged with: a prompt to re-read the pack, not a requirement."
            if missing else "")
    return True, f"Every paragraph is tagged. Content areas your response touches: {touched}.{also}"


RULES = (
    Rule("parts-present", _present, hints=(
        "Which of the four parts is thinnest? A strong response develops each one.",
        "Give each part its own paragraphs: what, for whom, and why it matters here.")),
    Rule("problems-evidence", _problems, hints=(
        "Could a reader find each problem in the pack's data appendix?",
        "Name the group affected and quote the figure that shows the problem, as the pack gives it.",
        "Look at the tables: which group, which measure, which change over time?")),
    Rule("solutions-answer-problems", _solutions, hints=(
        "Does every solution say which problem it solves?",
        "Start each solution paragraph by naming the problem it answers.")),
    Rule("rationale-evidence", _rationale, hints=(
        "Why this solution rather than another? What evidence supports it?",
        "Use the pack's own figures or voices, and guidance or research you met in the modules.",
        "The EEF guidance reports and the research in your modules are sources; say which and what they suggest.")),
    Rule("implementation-steps", _implementation, hints=(
        "Could someone else carry out your plan from what you wrote?",
        "Write the steps as a numbered list: each says who does it and by when.",
        "Think of the EEF implementation stages (explore, prepare, deliver, sustain) and how you will know it "
        "is working.")),
    Rule("within-limit", _limit, hints=(
        "Look at the total against the limit.",
        "Cut repetition and description of the pack; keep analysis and reasons.")),
    Rule("content-areas", _areas, hints=(
        "Which content areas does each paragraph draw on?",
        "Tick the content areas under each paragraph of each part.")),
)


def nothing_yet(r: Any, ctx: Mapping[str, Any]) -> str | None:
    """Empty: none of the four parts has a word in it yet."""
    if any(text.strip() for text in r.parts.values()):
        return None
    return "write the first part of your response: the problem(s) the case study shows."


def check_response(artefact: Mapping[str, Any], figures: CaseStudyFigures, pack: Pack | None, *,
                   attempt: int = 1) -> CheckResult:
    r = read_response(artefact)
    return run_rules(TASK, RULES, r, {"figures": figures, "pack": pack}, attempt=attempt, title=TITLE,
                     empty=nothing_yet)


__all__ = ["check_response", "RULES", "TITLE", "word_count"]
