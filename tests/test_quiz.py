"""The quiz engine: marking each question type, partial credit, hints, bad input, and the widget without a kernel."""

import pytest

from npq_widgets.checks.quiz import check_quiz, quiz_passed
from npq_widgets.domain.quiz import QuizDataError, mark, quiz_from_dict
from npq_widgets.widgets.quiz import QuizView

DATA = {"pass_mark": 0.75, "questions": [
    {"id": "q1", "type": "single", "prompt": "Which interval shows a significant result?",
     "options": [{"text": "0.04 to 0.46", "correct": True, "feedback": "Wholly above zero."},
                 {"text": "-0.12 to 1.02", "correct": False, "feedback": "It contains zero."},
                 {"text": "-0.30 to 0.10", "correct": False, "feedback": "It contains zero too."}],
     "hints": ["Think about zero.", "Which interval does not contain 0?"]},
    {"id": "q2", "type": "multiple", "prompt": "Which are EEF implementation stages?",
     "options": [{"text": "Explore", "correct": True}, {"text": "Prepare", "correct": True},
                 {"text": "Audit", "correct": False, "feedback": "Not one of the four."},
                 {"text": "Sustain", "correct": True}],
     "hints": ["There are four stages.", "They run from looking into a problem to keeping a change going."]},
    {"id": "q3", "type": "numeric", "prompt": "Upper limit for n=180, +0.25 (2 dp)?", "answer": 0.46,
     "tolerance": 0.005, "feedback_right": "Yes.", "feedback_wrong": "Use 1.96 × SD / √n.",
     "hints": ["Half-width first.", "1.96 × 1.41628 / √180."]},
    {"id": "q4", "type": "order", "prompt": "Order the stages", "items": ["Explore", "Prepare", "Deliver", "Sustain"],
     "hints": ["Start by understanding the problem."]},
    {"id": "q5", "type": "match", "prompt": "Match", "pairs": [{"left": "1", "right": "reactions"},
                                                              {"left": "5", "right": "pupil learning outcomes"}],
     "hints": ["Guskey's levels run from reactions upwards."]},
]}
RIGHT = {"q1": 0, "q2": [0, 1, 3], "q3": "0.46", "q4": ["Explore", "Prepare", "Deliver", "Sustain"],
         "q5": {"1": "reactions", "5": "pupil learning outcomes"}}


@pytest.fixture
def quiz():
    return quiz_from_dict("demo", DATA)


def test_all_right_passes(quiz):
    r = check_quiz(quiz, RIGHT)
    assert r.passed_all and quiz_passed(quiz, r) and r.hint is None and r.score == 5


def test_single_wrong_gives_that_options_feedback(quiz):
    m = mark(quiz.question("q1"), 1)
    assert m.score == 0 and m.message == "It contains zero."


@pytest.mark.parametrize("response,score,fragment", [
    ([0, 1], 2 / 3, "2 of 3 right options chosen"), ([0, 1, 2, 3], 2 / 3, "1 chosen that does not apply"),
    ([2], 0.0, "None of the options"), ([0, 1, 3], 1.0, "only those"), ([], 0.0, "Not answered"),
])
def test_multiple_partial_credit(quiz, response, score, fragment):
    m = mark(quiz.question("q2"), response)
    assert m.score == pytest.approx(score, abs=1e-3) and fragment in m.message


@pytest.mark.parametrize("response,score,answered", [("0.46", 1, True), ("0.455", 1, True), ("0.47", 0, True),
                                                     ("about half", 0, False), ("", 0, False), (None, 0, False)])
def test_numeric_with_tolerance_and_bad_input(quiz, response, score, answered):
    m = mark(quiz.question("q3"), response)
    assert (m.score, m.answered) == (score, answered)


def test_order_partial_and_duplicates(quiz):
    q = quiz.question("q4")
    assert mark(q, ["Prepare", "Explore", "Deliver", "Sustain"]).score == 0.5
    assert "only once" in mark(q, ["Explore", "Explore", "Deliver", "Sustain"]).message
    assert not mark(q, ["Explore", "", "Deliver", "Sustain"]).answered


def test_match_partial(quiz):
    q = quiz.question("q5")
    assert mark(q, {"1": "pupil learning outcomes", "5": "reactions"}).score == 0
    assert not mark(q, {"1": "reactions"}).answered


def test_hints_are_graduated_and_come_from_the_first_question_not_right(quiz):
    wrong = dict(RIGHT, q1=1)
    assert check_quiz(quiz, wrong, attempt=1).hint == "Question 1: Think about zero."
    assert check_quiz(quiz, wrong, attempt=2).hint == "Question 1: Which interval does not contain 0?"
    assert check_quiz(quiz, wrong, attempt=9).hint == "Question 1: Which interval does not contain 0?"
    assert check_quiz(quiz, dict(RIGHT, q3="1"), attempt=1).hint == "Question 3: Half-width first."


def test_pass_mark(quiz):
    r = check_quiz(quiz, dict(RIGHT, q5={}))  # 4 of 5 = 80% ≥ 75%
    assert not r.passed_all and quiz_passed(quiz, r)
    r = check_quiz(quiz, dict(RIGHT, q5={}, q4=[]))  # 60%
    assert not quiz_passed(quiz, r)


@pytest.mark.parametrize("bad", [
    {"questions": []}, {"questions": [{"type": "essay"}]},
    {"questions": [{"id": "a", "type": "single", "options": [{"text": "x", "correct": True},
                                                             {"text": "y", "correct": True}]}]},
    {"questions": [{"id": "a", "type": "numeric"}]},
    {"questions": [{"id": "a", "type": "match", "pairs": [{"left": "1", "right": "x"}, {"left": "2", "right": "x"}]}]},
])
def test_bad_quiz_data_is_refused(bad):
    with pytest.raises(QuizDataError):
        quiz_from_dict("bad", bad)


def test_shuffle_is_deterministic_and_not_the_answer_order(quiz):
    q = quiz.question("q4")
    assert q.shuffled(list(q.items)) == q.shuffled(list(q.items))
    assert q.shuffled(list(q.items)) != list(q.items)


# -- widget, no kernel ------------------------------------------------------------------------------------------
def answer(view, responses):
    for card in view.cards:
        card.response = responses[card.q.id]


def test_widget_right_wrong_and_round_trip(quiz):
    view = QuizView(quiz)
    view.check_button.click()
    assert "Not passed yet" in view.feedback.value and "Next hint" in view.feedback.value
    assert "Not answered yet" in view.cards[0].feedback.value
    answer(view, RIGHT)
    view.check_button.click()
    assert "✔ Passed" in view.feedback.value and "5 out of 5" in view.feedback.value
    again = QuizView(quiz)
    again.load(view.artefact)
    assert again.responses() == view.responses() and again.attempts == 2
    assert "passed" in again.feedback.value


def test_widget_partial_and_bad_number(quiz):
    view = QuizView(quiz)
    answer(view, dict(RIGHT, q2=[0], q3="lots"))
    assert "must be a number" in view.cards[2].message.value
    view.check()
    assert "Partly right" in view.cards[1].feedback.value
    assert view.cards[2].input.value == "lots"  # kept


def test_widget_hint_sequence(quiz):
    view = QuizView(quiz)
    answer(view, dict(RIGHT, q1=1))
    hints = []
    for _ in range(3):
        view.check_button.click()
        hints.append(view.feedback.value)
    assert "Think about zero" in hints[0] and "does not contain 0" in hints[1] and hints[2] == hints[1]


def test_widget_ignores_odd_saved_data(quiz):
    view = QuizView(quiz)
    view.load({"responses": {"q1": 99, "q2": "x", "q4": ["nope"], "q5": 3}, "attempts": "2", "last": "?"})
    assert view.cards[0].response is None and view.attempts == 2


@pytest.mark.parametrize("typed,unit,answer", [("−0.02", "", -0.02), ("–0.02", "", -0.02), ("£3,932", "£", 3932),
                                              ("3932", "£", 3932), ("4 months", "months", 4), ("54%", "%", 54)])
def test_numeric_accepts_how_people_write_numbers(typed, unit, answer):
    q = quiz_from_dict("n", {"questions": [{"id": "a", "type": "numeric", "answer": answer, "tolerance": 0.001,
                                            "unit": unit}]}).questions[0]
    assert mark(q, typed).correct
