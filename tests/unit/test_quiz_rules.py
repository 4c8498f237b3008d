"""Rules for fair, plain quiz questions: options of even length, no giveaway wrong options,
short sentences, and a question on when to call 999 or go to A&E."""

from __future__ import annotations

import re

import pytest

from workbook.content import QuizOption, QuizQuestion, load_content
from workbook.domain.readability import MAX_GRADE, grade_level

CONTENT = load_content()
QUESTIONS = CONTENT.questions
CHOICE_QUESTIONS = [question for question in QUESTIONS if question.kind in ("single", "multiple")]

MAX_WORDS = 20
# Wrong options so silly that nobody would choose them: they test nothing.
GIVEAWAYS = (
    "Eating fruit",
    "Short sight",
    "A rash",
    "A skin rash on the back",
    "A cold",
    "Wearing glasses",
    "Drinking water",
    "Brushing your teeth",
    "Always exactly one day",
    "Always for years",
    "A mild twinge that goes away with rest",
)
# The NHS guidance a question on calling 999 or going to A&E must name as its source.
NHS_EMERGENCY_SOURCES = (
    "Added: NHS back pain guidance (call 999 or go to A&E)",
    "Added: NHS cauda equina syndrome guidance (call 999 or go to A&E)",
)
WHEN_TO_GET_HELP = next(chapter.step for chapter in CONTENT.chapters if chapter.title == "When to get help")


def question(kind: str = "single", options: tuple[str, ...] = ("a", "b"), *, correct: tuple[str, ...] = ("a",),
             step: int = WHEN_TO_GET_HELP, source: str = "When to Seek Medical Attention",
             prompt: str = "What should you do?") -> QuizQuestion:
    """A hand-made question with options 'a', 'b', ... holding the given texts."""
    ids = [chr(ord("a") + index) for index in range(len(options))]
    return QuizQuestion(
        id="made-up", step=step, kind=kind, prompt=prompt,
        options=tuple(QuizOption(id=i, text=text, feedback="Not quite.") for i, text in zip(ids, options)),
        correct=correct, reason="A reason.", source=source,
    )


def lengths_are_even(question: QuizQuestion) -> bool:
    """The longest option has at most twice the characters of the shortest, plus 12."""
    lengths = [len(option.text) for option in question.options]
    return max(lengths) <= 2 * min(lengths) + 12


def texts_of(question: QuizQuestion) -> list[str]:
    """Every text a patient reads in a question: prompt, options, feedback and reason."""
    options = [text for option in question.options for text in (option.text, option.feedback)]
    return [question.prompt, *options, question.reason]


def long_sentences(text: str) -> list[str]:
    """The sentences of a text (split on . ? !) with more than MAX_WORDS words."""
    return [sentence.strip() for sentence in re.split(r"[.?!]", text) if len(sentence.split()) > MAX_WORDS]


def asks_when_to_call_999(question: QuizQuestion) -> bool:
    """A step 7 question, sourced from NHS guidance, whose right options name 999."""
    right = [option.text for option in question.options if option.id in question.correct]
    return (
        question.step == WHEN_TO_GET_HELP
        and question.source in NHS_EMERGENCY_SOURCES
        and any("999" in text for text in right)
    )


@pytest.mark.parametrize("question", CHOICE_QUESTIONS, ids=lambda question: question.id)
def test_options_of_a_question_have_similar_length(question):
    assert lengths_are_even(question), [option.text for option in question.options]


@pytest.mark.parametrize(
    ("options", "even"),
    [
        pytest.param(("Call 999 or go to A&E now", "Wait a few days to see if it gets better"), True, id="even"),
        # The right answer stood out by its length alone.
        pytest.param(
            (
                "Where it hurts, how bad it is, how long you have had it, and what set it off",
                "Only how bad it is today",
                "Nothing, the scan will show it",
            ),
            False,
            id="one-long-right-answer",
        ),
    ],
)
def test_the_length_rule_catches_a_long_right_answer(options, even):
    assert lengths_are_even(question("single", options)) is even


def test_a_question_asks_when_to_call_999_or_go_to_a_and_e():
    assert WHEN_TO_GET_HELP == 7
    assert [q.id for q in QUESTIONS if asks_when_to_call_999(q)]


@pytest.mark.parametrize(
    "made",
    [
        pytest.param(question(options=("Get medical help", "Wait and see"),
                              source=NHS_EMERGENCY_SOURCES[0]), id="no-999"),
        pytest.param(question(options=("Call 999 or go to A&E", "Wait and see")), id="article-source"),
        pytest.param(question(options=("Call 999 or go to A&E", "Wait and see"), correct=("b",),
                              source=NHS_EMERGENCY_SOURCES[1]), id="999-is-wrong"),
        pytest.param(question(options=("Call 999 or go to A&E", "Wait and see"), step=5,
                              source=NHS_EMERGENCY_SOURCES[1]), id="other-step"),
    ],
)
def test_the_999_rule_refuses_questions_that_do_not_teach_it(made):
    assert not asks_when_to_call_999(made)


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda question: question.id)
def test_no_option_is_a_known_giveaway(question):
    giveaways = {text.casefold() for text in GIVEAWAYS}
    assert [o.text for o in question.options if o.text.strip().casefold() in giveaways] == []


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda question: question.id)
def test_every_sentence_has_at_most_20_words(question):
    assert [sentence for text in texts_of(question) for sentence in long_sentences(text)] == []


def test_the_sentence_rule_catches_a_long_sentence():
    long = (
        "Be ready to say where it hurts, how bad it is, how long it has lasted, "
        "and what may have set it off."
    )
    assert long_sentences(long) == [long.rstrip(".")]
    assert long_sentences("Yes. This is a warning sign. Call 999 or go to A&E now.") == []


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda question: question.id)
def test_every_question_reads_at_grade_8_or_below(question):
    texts = [text if text[-1] in ".?!" else f"{text}." for text in texts_of(question)]
    assert grade_level(" ".join(texts)) <= MAX_GRADE


def test_every_option_feedback_starts_kindly():
    # Every option's feedback starts kindly: "Yes." when right, "Not quite." when wrong.
    for q in QUESTIONS:
        for option in q.options:
            start = "Yes." if option.id in q.correct else "Not quite."
            assert option.feedback.startswith(start), (q.id, option.id)

