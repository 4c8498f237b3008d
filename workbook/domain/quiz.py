"""Grading teach-back questions: pure functions, no widgets.

An answer is the tuple of option ids the patient chose. A question's attempts are kept in
order, so the summary can show what was right the first time and what is right now.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from workbook.content import QuizQuestion
from workbook.content.integrity import shown_source
from workbook.content.screen import QuizText


class AnswerError(ValueError):
    """An answer that cannot be graded: wrong type, no choice, or an option that does not exist."""


@dataclass(frozen=True, slots=True)
class Grade:
    """The result of one answer to one question."""

    question_id: str
    chosen: tuple[str, ...]
    right: tuple[str, ...]

    @property
    def correct(self) -> bool:
        return set(self.chosen) == set(self.right)

    @property
    def partly(self) -> bool:
        """Some right options chosen, but not exactly the right set."""
        return not self.correct and bool(set(self.chosen) & set(self.right))


@dataclass(frozen=True, slots=True)
class Feedback:
    """What the patient reads after checking an answer."""

    status: str  # "right", "partly" or "wrong"
    heading: str
    lines: tuple[str, ...]
    right_answer: str | None = None
    reason: str | None = None
    source: str | None = None  # the article section, without the "Added: " mark


@dataclass(frozen=True, slots=True)
class StepScore:
    """How the questions of one step went."""

    step: int
    total: int
    answered: int
    right_first_time: int
    right_now: int


def normalise_answer(question: QuizQuestion, answer: object) -> tuple[str, ...]:
    """Turn an answer into the tuple of chosen option ids, in the question's option order.

    Args:
        question: the question answered.
        answer: one option id (text) for a one-answer question; an iterable of option ids for
            any question.

    Raises:
        AnswerError: the answer has the wrong type, chooses nothing, chooses more than one
            for a one-answer question, or names an option the question does not have.
    """
    where = f"question {question.id!r}"
    if isinstance(answer, str):
        chosen = (answer,)
    elif isinstance(answer, Iterable) and not isinstance(answer, (bytes, Mapping)):
        chosen = tuple(answer)
    else:
        raise AnswerError(f"{where}: an answer must be an option id or a list of them (got {answer!r})")
    if not all(isinstance(option, str) for option in chosen):
        raise AnswerError(f"{where}: option ids must be text (got {chosen!r})")
    if not chosen:
        raise AnswerError(f"{where}: an answer must choose at least one option (got nothing)")
    option_ids = tuple(option.id for option in question.options)
    unknown = [option for option in chosen if option not in option_ids]
    if unknown:
        raise AnswerError(f"{where}: {unknown[0]!r} is not one of its options {option_ids}")
    if question.kind != "multiple" and len(set(chosen)) > 1:
        raise AnswerError(f"{where}: a {question.kind!r} question takes one answer (got {chosen!r})")
    return tuple(option for option in option_ids if option in chosen)


def grade(question: QuizQuestion, answer: object) -> Grade:
    """Grade one answer.

    Raises:
        AnswerError: see `normalise_answer`.
    """
    return Grade(question_id=question.id, chosen=normalise_answer(question, answer), right=question.correct)


def feedback(question: QuizQuestion, result: Grade, text: QuizText) -> Feedback:
    """The kind, immediate feedback for a graded answer.

    A right answer gets the feedback of each chosen option. Any other answer also gets the
    right answer, the one-line reason and the article section, and an invitation to try again.
    """
    texts = {option.id: option for option in question.options}
    lines = tuple(texts[option].feedback for option in result.chosen)
    if result.correct:
        return Feedback(status="right", heading=text.right, lines=lines)
    right_answer = "; ".join(texts[option].text for option in question.correct)
    heading = text.partly if result.partly else text.wrong
    if len(lines) == 1 and lines[0].startswith(heading):
        heading = ""  # the option's own feedback already says it
    return Feedback(
        status="partly" if result.partly else "wrong",
        heading=heading,
        lines=lines,
        right_answer=right_answer,
        reason=question.reason,
        source=shown_source(question.source),
    )


def step_scores(
    questions: Sequence[QuizQuestion], attempts: Mapping[str, Sequence[Sequence[str]]]
) -> tuple[StepScore, ...]:
    """Scores per step, from every attempt at every question (first attempt first)."""
    scores = []
    for step in sorted({question.step for question in questions}):
        asked = [question for question in questions if question.step == step]
        tried = [(question, attempts.get(question.id, ())) for question in asked]
        answered = [(question, tries) for question, tries in tried if tries]
        scores.append(
            StepScore(
                step=step,
                total=len(asked),
                answered=len(answered),
                right_first_time=sum(grade(q, tries[0]).correct for q, tries in answered),
                right_now=sum(grade(q, tries[-1]).correct for q, tries in answered),
            )
        )
    return tuple(scores)
