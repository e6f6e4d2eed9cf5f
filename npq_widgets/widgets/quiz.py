"""A knowledge check as widgets: one card per question, a Check button, feedback per question and a graduated hint."""

from __future__ import annotations

from typing import Any, Mapping

import ipywidgets as w

from ..checks.quiz import check_quiz, quiz_passed
from ..domain.quiz import Question, Quiz, mark
from .common import button, esc, field, label_input

_ORDINALS = ["1st", "2nd", "3rd", "4th", "5th", "6th", "7th", "8th"]
BLANK = ""


class QuestionCard(w.VBox):
    def __init__(self, number: int, q: Question):
        self.q = q
        self.feedback = w.HTML()
        self.feedback.add_class("npq-question-feedback")
        prompt = w.HTML(f'<p class="npq-question-prompt"><strong>{number}.</strong> {esc(q.prompt)}</p>')
        body: list[w.Widget] = []
        if q.type == "single":
            order = q.shuffled([o.text for o in q.options])
            self._index = {text: i for i, text in enumerate(o.text for o in q.options)}
            self.input: Any = w.RadioButtons(options=[(t, self._index[t]) for t in order], value=None,
                                             layout=w.Layout(width="auto"))
            body.append(self.input)
        elif q.type == "multiple":
            order = q.shuffled([o.text for o in q.options])
            index = {o.text: i for i, o in enumerate(q.options)}
            self.boxes = [(index[t], w.Checkbox(value=False, description=t, indent=False,
                                                layout=w.Layout(width="auto"))) for t in order]
            for _, box in self.boxes:
                box.add_class("npq-quiz-option")
            body += [box for _, box in self.boxes]
        elif q.type == "numeric":
            self.input = w.Text(placeholder="a number", layout=w.Layout(width="160px"))
            box, self.message = field("Your answer" + (f" ({q.unit})" if q.unit else ""), self.input)
            self.input.observe(self._check_number, "value")
            body.append(box)
        elif q.type == "order":
            shown = q.shuffled(list(q.items))
            self.slots = [w.Dropdown(options=[("Choose…", BLANK)] + [(t, t) for t in shown], value=BLANK,
                                     description=_ORDINALS[i] if i < len(_ORDINALS) else f"{i + 1}th",
                                     layout=w.Layout(width="520px")) for i in range(len(q.items))]
            body += self.slots
        else:  # match
            rights = q.shuffled([r for _, r in q.pairs], salt="right")
            self.matches = []
            for left, _ in q.pairs:
                dd = w.Dropdown(options=[("Choose…", BLANK)] + [(r, r) for r in rights], value=BLANK,
                                layout=w.Layout(width="420px"))
                label_input(dd, left)
                self.matches.append((left, dd))
                body.append(w.HBox([w.HTML(f'<div style="width:300px" aria-hidden="true">{esc(left)}</div>'), dd]))
        super().__init__([prompt, *body, self.feedback])
        self.add_class("npq-card")
        self.add_class("npq-question")
        self.add_class(f"npq-question-{q.type}")

    def _check_number(self, _change=None) -> None:
        m = mark(self.q, self.input.value) if self.input.value.strip() else None
        self.message.value = (f'<span class="npq-msg-error" role="alert">⚠ {esc(m.message)}</span>'
                              if m is not None and not m.answered else "")

    # -- response as saved work ----------------------------------------------------------------------------
    @property
    def response(self) -> Any:
        t = self.q.type
        if t == "single":
            return self.input.value
        if t == "multiple":
            return sorted(i for i, box in self.boxes if box.value)
        if t == "numeric":
            return self.input.value
        if t == "order":
            return [s.value for s in self.slots]
        return {left: dd.value for left, dd in self.matches}

    @response.setter
    def response(self, value: Any) -> None:
        t = self.q.type
        try:
            if t == "single":
                self.input.value = value if value in [v for _, v in self.input.options] else None
            elif t == "multiple":
                chosen = set(value or [])
                for i, box in self.boxes:
                    box.value = i in chosen
            elif t == "numeric":
                self.input.value = "" if value is None else str(value)
            elif t == "order":
                for slot, v in zip(self.slots, value or []):
                    slot.value = v if v in [o for _, o in slot.options] else BLANK
            else:
                for left, dd in self.matches:
                    v = (value or {}).get(left, BLANK)
                    dd.value = v if v in [o for _, o in dd.options] else BLANK
        except Exception:  # noqa: BLE001 - old or odd saved data never stops the page
            pass


class QuizView(w.VBox):
    """The knowledge check. ``.artefact``/``.load`` carry the responses, the attempts and the last result."""

    def __init__(self, quiz: Quiz, title: str = "Knowledge check", on_checked=None):
        self.quiz = quiz
        self.on_checked = on_checked
        self.attempts = 0
        self.last: dict[str, Any] | None = None
        self.first: dict[str, Any] | None = None  # the responses of the first check (the cohort view's "first time")
        self.cards = [QuestionCard(n, q) for n, q in enumerate(quiz.questions, start=1)]
        self.check_button = button("Check my answers", css="npq-quiz-check", primary=True)
        self.check_button.on_click(lambda _b: self.check())
        self.feedback = w.HTML()
        self.feedback.add_class("npq-quiz-feedback")
        head = w.HTML(f"<h2>{esc(title)}</h2><p>{len(quiz.questions)} questions. You pass with "
                      f"{round(quiz.pass_mark * 100)}% or more; you can try as often as you like, and each try "
                      "gives a more specific hint.</p>")
        super().__init__([head, *self.cards, self.check_button, self.feedback])
        self.add_class("npq-quiz")

    def responses(self) -> dict[str, Any]:
        return {c.q.id: c.response for c in self.cards}

    def check(self):
        self.attempts += 1
        if self.attempts == 1 and self.first is None:
            self.first = self.responses()
        result = check_quiz(self.quiz, self.responses(), attempt=self.attempts)
        passed = quiz_passed(self.quiz, result)
        for card, item in zip(self.cards, result.items):
            m = mark(card.q, card.response)
            icon, word = ("✔", "Right") if m.correct else (("◐", "Partly right") if m.score > 0 else ("✘", "Not yet"))
            extra = "".join(f"<li>{esc(f)}</li>" for f in m.option_feedback)
            card.feedback.value = (f'<div class="npq-q-{"right" if m.correct else "not-yet"}">'
                                   f"<strong>{icon} {word}.</strong> {esc(m.message)}"
                                   + (f"<ul>{extra}</ul>" if extra else "") + "</div>")
        pct = round(100 * result.score / result.max_score) if result.max_score else 0
        verdict = ("✔ Passed" if passed else "Not passed yet")
        self.last = {"score": result.score, "max_score": result.max_score, "passed": passed,
                     "attempts": self.attempts}
        hint = f'<p class="npq-check-hint"><strong>Next hint:</strong> {esc(result.hint)}</p>' if result.hint else ""
        self.feedback.value = (f'<div class="npq-check-result" role="status"><p><strong>{verdict}</strong> — '
                               f"{result.score:g} out of {result.max_score:g} ({pct}%).</p>{hint}</div>")
        if self.on_checked:
            self.on_checked(result)
        return result

    @property
    def artefact(self) -> dict[str, Any]:
        out = {"responses": self.responses(), "attempts": self.attempts, "last": self.last}
        if self.first is not None:
            out["first"] = self.first
        return out

    def load(self, data: Mapping[str, Any]) -> None:
        responses = data.get("responses") or {}
        for card in self.cards:
            if card.q.id in responses:
                card.response = responses[card.q.id]
        self.attempts = int(data.get("attempts") or 0)
        self.last = data.get("last") if isinstance(data.get("last"), dict) else None
        self.first = dict(data["first"]) if isinstance(data.get("first"), Mapping) else None
        if self.last:
            self.feedback.value = (f'<p class="npq-help">Last check: {self.last.get("score", 0):g} out of '
                                   f'{self.last.get("max_score", 0):g}'
                                   f'{" — passed" if self.last.get("passed") else ""}.</p>')
