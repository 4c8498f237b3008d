"""Teach-back questions: choose, check, and read kind feedback at once; try again if needed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

import ipywidgets as widgets

from workbook.content import QuizQuestion
from workbook.quiz import Feedback, Grade, feedback
from workbook.ui.errors import guarded

QUIZ_HEADING = "Check what you learned"
QUIZ_INTRO = "These questions check how well we explained things. They are not a test of you."
CHOOSE_FIRST = "Choose an answer first, then press Check my answer."


def feedback_html(result: Feedback) -> str:
    """The feedback as markup; every text is escaped."""
    parts = [f'<p class="wb-feedback__heading">{escape(result.heading)}</p>'] if result.heading else []
    parts += [f"<p>{escape(line)}</p>" for line in result.lines]
    if result.right_answer is not None:
        parts.append(f"<p><strong>The right answer:</strong> {escape(result.right_answer)}</p>")
        parts.append(f"<p><strong>Why:</strong> {escape(result.reason or '')}</p>")
        source = (result.source or "").removeprefix("Added: ")
        parts.append(f'<p class="wb-feedback__source">Source: {escape(source)}</p>')
        parts.append("<p>You can change your answer and check it again.</p>")
    return (
        f'<div role="status" class="wb-feedback wb-feedback--{result.status}">{"".join(parts)}</div>'
    )


def _choices(question: QuizQuestion) -> tuple[widgets.Widget, Callable[[], tuple[str, ...]]]:
    """The answer controls and a function that reads the chosen option ids."""
    if question.kind == "multiple":
        boxes = [widgets.Checkbox(value=False, description=o.text, indent=False) for o in question.options]
        for box in boxes:
            box.add_class("wb-quiz__checkbox")
        group = widgets.VBox(children=boxes)
        return group, lambda: tuple(o.id for o, box in zip(question.options, boxes) if box.value)
    radios = widgets.RadioButtons(options=[(o.text, o.id) for o in question.options], value=None)
    radios.add_class("wb-choice")
    return radios, lambda: () if radios.value is None else (radios.value,)


def quiz_question(
    *,
    question: QuizQuestion,
    number: int,
    on_check: Callable[[tuple[str, ...]], Grade],
    card: widgets.HTML,
) -> widgets.VBox:
    """One question with its choices, a Check button and a feedback area.

    Args:
        question: validated content.
        number: its number on the screen, from 1.
        on_check: grades and records the chosen option ids; returns the grade.
        card: the error card shown if checking fails.
    """
    prompt = widgets.HTML(
        value=f'<p class="wb-quiz__prompt"><span class="wb-quiz__number">Question {number}.</span> '
        f"{escape(question.prompt)}</p>"
    )
    choices, chosen = _choices(question)
    check = widgets.Button(description="Check my answer")
    check.add_class("wb-button")
    check.add_class("wb-button--secondary")
    result = widgets.HTML(value="")
    result.add_class("wb-quiz__feedback")

    def on_click(_button: widgets.Button) -> None:
        answer = chosen()
        if not answer:
            result.value = f'<div role="status" class="wb-feedback wb-feedback--empty"><p>{CHOOSE_FIRST}</p></div>'
            return
        result.value = feedback_html(feedback(question, on_check(answer)))

    check.on_click(guarded(on_click, card=card))
    box = widgets.VBox(children=(prompt, choices, check, result))
    box.add_class("wb-quiz__question")
    return box


def quiz_block(
    *,
    questions: Sequence[QuizQuestion],
    make_on_check: Callable[[QuizQuestion], Callable[[tuple[str, ...]], Grade]],
    card: widgets.HTML,
) -> widgets.VBox:
    """The questions of one step under one heading.

    Args:
        questions: the step's questions, in order.
        make_on_check: gives each question its `on_check` callback.
        card: the error card shown if checking fails.
    """
    heading = widgets.HTML(
        value=f'<h2 class="wb-quiz__heading">{QUIZ_HEADING}</h2><p class="wb-quiz__intro">{QUIZ_INTRO}</p>'
    )
    items = [
        quiz_question(question=question, number=number, on_check=make_on_check(question), card=card)
        for number, question in enumerate(questions, start=1)
    ]
    block = widgets.VBox(children=(heading, *items))
    block.add_class("wb-quiz")
    return block
