"""Knowledge checks: questions read from module data, marked from the learner's responses. Pure.

Question types: ``single`` (one right option), ``multiple`` (several; partial credit), ``numeric`` (with a
tolerance), ``order`` (put items in order) and ``match`` (pair each left item with a right one). Options and items are
shown in a deterministic shuffled order, so identical input always gives identical feedback.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from .values import ValueProblem, parse_number

TYPES = ("single", "multiple", "numeric", "order", "match")


@dataclass(frozen=True)
class Option:
    text: str
    correct: bool
    feedback: str = ""


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    prompt: str
    options: tuple[Option, ...] = ()
    answer: float | None = None
    tolerance: float = 0.0
    unit: str = ""
    items: tuple[str, ...] = ()                 # order: the correct order
    pairs: tuple[tuple[str, str], ...] = ()     # match: (left, right)
    hints: tuple[str, ...] = ()
    feedback_right: str = ""
    feedback_wrong: str = ""

    def shuffled(self, values: Sequence[str], salt: str = "") -> list[str]:
        """A fixed shuffle (never the given order when it can be avoided)."""
        seed = int(hashlib.sha256(f"{self.id}|{salt}|{'|'.join(values)}".encode()).hexdigest()[:12], 16)
        out = list(values)
        random.Random(seed).shuffle(out)
        if out == list(values) and len(out) > 1:
            out = out[1:] + out[:1]
        return out


@dataclass(frozen=True)
class Quiz:
    id: str
    questions: tuple[Question, ...]
    pass_mark: float = 0.75

    def question(self, qid: str) -> Question:
        return next(q for q in self.questions if q.id == qid)


@dataclass(frozen=True)
class Mark:
    question: str
    score: float          # 0..1
    answered: bool
    message: str
    option_feedback: tuple[str, ...] = field(default=())

    @property
    def correct(self) -> bool:
        return self.score >= 1.0


class QuizDataError(ValueError):
    pass


def quiz_from_dict(quiz_id: str, data: Mapping[str, Any]) -> Quiz:
    """Build a quiz from module data, checking that every question can be marked."""
    questions = []
    for n, q in enumerate(data.get("questions") or [], start=1):
        where = f"{quiz_id} question {q.get('id', n) if isinstance(q, Mapping) else n}"
        if not isinstance(q, Mapping) or q.get("type") not in TYPES:
            raise QuizDataError(f"{where}: type must be one of {', '.join(TYPES)}")
        common = dict(id=str(q.get("id") or f"q{n}"), type=q["type"], prompt=str(q.get("prompt", "")).strip(),
                      hints=tuple(str(h) for h in q.get("hints") or ()),
                      feedback_right=str(q.get("feedback_right", "")), feedback_wrong=str(q.get("feedback_wrong", "")))
        if q["type"] in ("single", "multiple"):
            options = tuple(Option(str(o["text"]), bool(o.get("correct")), str(o.get("feedback", "")))
                            for o in q.get("options") or [])
            right = sum(o.correct for o in options)
            if len(options) < 2 or right < 1 or (q["type"] == "single" and right != 1):
                raise QuizDataError(f"{where}: needs options with exactly one right answer (single) or at least "
                                    "one (multiple)")
            questions.append(Question(options=options, **common))
        elif q["type"] == "numeric":
            if q.get("answer") is None:
                raise QuizDataError(f"{where}: a numeric question needs an answer")
            questions.append(Question(answer=float(q["answer"]), tolerance=float(q.get("tolerance") or 0),
                                      unit=str(q.get("unit") or ""), **common))
        elif q["type"] == "order":
            items = tuple(str(i) for i in q.get("items") or ())
            if len(items) < 2 or len(set(items)) != len(items):
                raise QuizDataError(f"{where}: an order question needs at least two distinct items")
            questions.append(Question(items=items, **common))
        else:
            pairs = tuple((str(p["left"]), str(p["right"])) for p in q.get("pairs") or ())
            if len(pairs) < 2 or len({r for _, r in pairs}) != len(pairs) or len({l for l, _ in pairs}) != len(pairs):
                raise QuizDataError(f"{where}: a match question needs at least two pairs with distinct sides")
            questions.append(Question(pairs=pairs, **common))
    if not questions:
        raise QuizDataError(f"{quiz_id}: a knowledge check needs questions")
    if len({q.id for q in questions}) != len(questions):
        raise QuizDataError(f"{quiz_id}: question ids must be unique")
    return Quiz(quiz_id, tuple(questions), float(data.get("pass_mark", 0.75)))


def mark(question: Question, response: Any) -> Mark:
    """Mark one response. Never raises: an unreadable response is 'not answered' with a message."""
    q = question
    try:
        if q.type == "single":
            if response is None or response == "":
                return Mark(q.id, 0.0, False, "Not answered yet: choose one option.")
            opt = q.options[int(response)]
            return Mark(q.id, 1.0 if opt.correct else 0.0, True, opt.feedback or ("Right." if opt.correct else
                                                                                  "Not this one."))
        if q.type == "multiple":
            chosen = sorted({int(i) for i in (response or [])})
            if not chosen:
                return Mark(q.id, 0.0, False, "Not answered yet: tick every option that applies.")
            right = {i for i, o in enumerate(q.options) if o.correct}
            hits, wrong = len(right & set(chosen)), len(set(chosen) - right)
            score = max(0.0, (hits - wrong) / len(right))
            feedback = tuple(q.options[i].feedback for i in chosen if q.options[i].feedback)
            if score >= 1.0:
                msg = "All the right options, and only those."
            elif hits:
                missed = len(right) - hits
                parts = [f"{hits} of {len(right)} right options chosen"]
                if wrong:
                    parts.append(f"{wrong} chosen that do{'es' if wrong == 1 else ''} not apply")
                if missed:
                    parts.append(f"{missed} still to find")
                msg = "Partly right: " + "; ".join(parts) + "."
            else:
                msg = "None of the options chosen apply."
            return Mark(q.id, round(score, 4), True, msg, feedback)
        if q.type == "numeric":
            if response is None or str(response).strip() == "":
                return Mark(q.id, 0.0, False, "Not answered yet: type a number.")
            typed = str(response).strip()
            if q.unit and q.unit not in ("%",):
                typed = typed.replace(q.unit, "").strip()  # "£3,932" when the unit is £, "4 months"
            typed = typed.lstrip("£").strip()
            try:
                value = parse_number(typed, what="Your answer")
            except ValueProblem as exc:
                return Mark(q.id, 0.0, False, str(exc))
            ok = abs(value - float(q.answer)) <= q.tolerance + 1e-9
            return Mark(q.id, 1.0 if ok else 0.0, True,
                        (q.feedback_right or "Right.") if ok else (q.feedback_wrong or "Not quite: check the method."))
        if q.type == "order":
            given = [str(x) for x in (response or [])]
            if len(given) != len(q.items) or any(not x for x in given):
                return Mark(q.id, 0.0, False, f"Not answered yet: place all {len(q.items)} items.")
            if len(set(given)) != len(given):
                return Mark(q.id, 0.0, True, "Each item can be used only once: one of them appears twice.")
            in_place = sum(a == b for a, b in zip(given, q.items))
            score = in_place / len(q.items)
            msg = (q.feedback_right or "Right order.") if score >= 1 else (
                f"{in_place} of {len(q.items)} in the right place. " + (q.feedback_wrong or ""))
            return Mark(q.id, round(score, 4), True, msg.strip())
        if q.type == "match":
            given = dict(response or {})
            if any(not given.get(left) for left, _ in q.pairs):
                return Mark(q.id, 0.0, False, "Not answered yet: match every item.")
            right = sum(given.get(left) == r for left, r in q.pairs)
            score = right / len(q.pairs)
            msg = (q.feedback_right or "All matched.") if score >= 1 else (
                f"{right} of {len(q.pairs)} matched correctly. " + (q.feedback_wrong or ""))
            return Mark(q.id, round(score, 4), True, msg.strip())
    except (ValueError, TypeError, IndexError, KeyError):
        return Mark(q.id, 0.0, False, "This answer could not be read: answer the question again.")
    return Mark(q.id, 0.0, False, "Unknown question type.")
