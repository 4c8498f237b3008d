"""Grading: right, wrong, partly right, and answers that cannot be graded."""

from __future__ import annotations

import dataclasses
import re

import pytest

from workbook.content import load_content
from workbook.domain.quiz import AnswerError, feedback, grade, normalise_answer, step_scores
from workbook.domain.session import Session

CONTENT = load_content()
SINGLE = CONTENT.question("heat-ice-time")  # right: b
MULTIPLE = CONTENT.question("self-care-measures")  # right: a, b
TRUE_FALSE = CONTENT.question("spasm-common")  # right: false


@pytest.mark.parametrize(
    ("question", "answer", "correct", "partly"),
    [
        (SINGLE, "b", True, False),
        (SINGLE, ["b"], True, False),
        (SINGLE, "a", False, False),
        (TRUE_FALSE, "false", True, False),
        (TRUE_FALSE, ("true",), False, False),
        (MULTIPLE, ["a", "b"], True, False),
        (MULTIPLE, ("b", "a"), True, False),
        (MULTIPLE, ["a"], False, True),
        (MULTIPLE, ["a", "b", "c"], False, True),
        (MULTIPLE, ["c"], False, False),
    ],
)
def test_grade(question, answer, correct, partly):
    result = grade(question, answer)
    assert result.correct is correct
    assert result.partly is partly


BAD_ANSWERS = [
    (SINGLE, "d", "question 'heat-ice-time': 'd' is not one of its options ('a', 'b', 'c')"),
    (SINGLE, 3, "question 'heat-ice-time': an answer must be an option id or a list of them (got 3)"),
    (SINGLE, None, "question 'heat-ice-time': an answer must be an option id or a list of them (got None)"),
    (SINGLE, [1], "question 'heat-ice-time': option ids must be text (got (1,))"),
    (SINGLE, [], "question 'heat-ice-time': an answer must choose at least one option (got nothing)"),
    (SINGLE, ["a", "b"], "question 'heat-ice-time': a 'single' question takes one answer (got ('a', 'b'))"),
    (MULTIPLE, {"a": True}, "question 'self-care-measures': an answer must be an option id or a list of them (got {'a': True})"),
    (TRUE_FALSE, "yes", "question 'spasm-common': 'yes' is not one of its options ('true', 'false')"),
]


@pytest.mark.parametrize(("question", "answer", "message"), BAD_ANSWERS)
def test_bad_answers_give_a_clear_error(question, answer, message):
    with pytest.raises(AnswerError, match=f"^{re.escape(message)}$"):
        grade(question, answer)


def test_answer_is_put_in_option_order():
    assert normalise_answer(MULTIPLE, ["b", "a"]) == ("a", "b")


def test_wrong_answer_feedback_gives_right_answer_reason_and_source():
    result = feedback(SINGLE, grade(SINGLE, "a"), CONTENT.text.quiz)
    assert result.status == "wrong"
    assert result.right_answer == "20 to 30 minutes"
    assert result.reason == SINGLE.reason
    assert result.source == "Treatment and Management: Self-care and First Aid"
    assert result.lines == ("Not quite. The advice is 20 to 30 minutes at a time.",)
    assert result.heading == ""  # the option's feedback already starts with "Not quite."


def test_partly_right_feedback_lists_each_choice():
    result = feedback(MULTIPLE, grade(MULTIPLE, ["a", "c"]), CONTENT.text.quiz)
    assert result.status == "partly"
    assert result.heading.startswith("Nearly.")
    assert len(result.lines) == 2
    assert result.right_answer == "Ice or heat on the sore area; Gentle stretching and massage"


def test_right_feedback_has_no_correction():
    result = feedback(SINGLE, grade(SINGLE, "b"), CONTENT.text.quiz)
    assert (result.status, result.heading, result.right_answer) == ("right", "Right.", None)


def test_no_feedback_says_do_you_understand():
    texts = [o.feedback for q in CONTENT.questions for o in q.options] + [q.reason for q in CONTENT.questions]
    assert not [text for text in texts if "understand" in text.lower()]


def test_step_scores_count_first_and_last_attempts():
    session = Session(step_count=10)
    session.record_answer("heat-ice-time", ("a",))
    session.record_answer("heat-ice-time", ("b",))
    session.record_answer("self-care-measures", ("a", "b"))
    scores = {score.step: score for score in step_scores(CONTENT.questions, session.answers.quiz_attempts)}
    six = scores[6]
    assert (six.total, six.answered, six.right_first_time, six.right_now) == (4, 2, 1, 2)
    assert scores[3].answered == 0


def test_record_answer_replaces_the_dict_and_notifies():
    session = Session(step_count=10)
    seen = []
    session.watch_answers(lambda change: seen.append(change["new"].quiz_attempts), "quiz_attempts")
    session.record_answer("go-away", ("true",))
    assert seen == [{"go-away": (("true",),)}]
    session.reset()
    assert session.answers.quiz_attempts == {}


def test_feedback_names_an_added_source_without_its_mark():
    added = dataclasses.replace(SINGLE, source="Added: NHS back pain guidance")
    assert feedback(added, grade(added, "a"), CONTENT.text.quiz).source == "NHS back pain guidance"


def test_feedback_headings_come_from_the_screen_words():
    words = CONTENT.text.quiz.model_copy(update={"right": "Yes!"})
    assert feedback(SINGLE, grade(SINGLE, "b"), words).heading == "Yes!"
