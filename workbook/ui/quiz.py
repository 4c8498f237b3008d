"""Teach-back questions: choose, check, and read kind feedback at once; try again if needed.
And the chart of how the questions went."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import ipywidgets as widgets

from workbook.content import QuizQuestion
from workbook.content.screen import QuizText
from workbook.domain.quiz import Feedback, Grade, feedback, grade, step_scores
from workbook.ui.context import StepContext
from workbook.ui.errors import Guard
from workbook.ui.lean import lean
from workbook.ui.markup import Markup, html, join


def feedback_html(result: Feedback, text: QuizText) -> Markup:
    """The feedback as markup; every text is escaped."""
    parts = [html('<p class="wb-feedback__heading">{}</p>', result.heading)] if result.heading else []
    parts += [html("<p>{}</p>", line) for line in result.lines]
    if result.right_answer is not None:
        parts.append(html("<p><strong>{}</strong> {}</p>", text.right_answer, result.right_answer))
        parts.append(html("<p><strong>{}</strong> {}</p>", text.why, result.reason or ""))
        parts.append(html('<p class="wb-feedback__source">{} {}</p>', text.source, result.source or ""))
        parts.append(html("<p>{}</p>", text.try_again))
    return html('<div role="status" class="wb-feedback wb-feedback--{}">{}</div>', result.status, join(parts))


def _choices(question: QuizQuestion) -> tuple[widgets.Widget, Callable[[], tuple[str, ...]]]:
    """The answer controls and a function that reads the chosen option ids."""
    if question.kind == "multiple":
        boxes = [lean(widgets.Checkbox, value=False, description=o.text, indent=False) for o in question.options]
        for box in boxes:
            box.add_class("wb-quiz__checkbox")
        group = lean(widgets.VBox, children=boxes)
        return group, lambda: tuple(o.id for o, box in zip(question.options, boxes) if box.value)
    radios = lean(widgets.RadioButtons, options=[(o.text, o.id) for o in question.options], value=None)
    radios.add_class("wb-choice")
    return radios, lambda: () if radios.value is None else (radios.value,)


def quiz_question(
    *,
    question: QuizQuestion,
    number: int,
    on_check: Callable[[tuple[str, ...]], Grade],
    guard: Guard,
    text: QuizText,
) -> widgets.VBox:
    """One question with its choices, a Check button and a feedback area.

    Args:
        question: validated content.
        number: its number on the screen, from 1.
        on_check: grades and records the chosen option ids; returns the grade.
        guard: wraps the callbacks (a failure shows the error card).
        text: the words around the question.
    """
    prompt = lean(
        widgets.HTML,
        value=html(
            '<p class="wb-quiz__prompt"><span class="wb-quiz__number">{}</span> {}</p>',
            text.question_number.format(number=number), question.prompt,
        ),
    )
    choices, chosen = _choices(question)
    check = lean(widgets.Button, description=text.check)
    check.add_class("wb-button")
    check.add_class("wb-button--secondary")
    result = lean(widgets.HTML, value="")
    result.add_class("wb-quiz__feedback")

    def on_click(_button: widgets.Button) -> None:
        answer = chosen()
        if not answer:
            result.value = html(
                '<div role="status" class="wb-feedback wb-feedback--empty"><p>{}</p></div>', text.choose_first
            )
            return
        result.value = feedback_html(feedback(question, on_check(answer), text), text)

    check.on_click(guard(on_click))
    box = lean(widgets.VBox, children=(prompt, choices, check, result))
    box.add_class("wb-quiz__question")
    return box


def record_check(ctx: StepContext, question: QuizQuestion) -> Callable[[tuple[str, ...]], Grade]:
    """What a question's Check button calls: grades the chosen option ids and records them in
    the session as an attempt.

    Args:
        ctx: the context of the step or cell that shows the question.
        question: validated content.
    """

    def check(answer: tuple[str, ...]) -> Grade:
        result = grade(question, answer)
        ctx.session.record_answer(question.id, result.chosen)
        return result

    return check


def quiz_block(ctx: StepContext, questions: Sequence[QuizQuestion]) -> widgets.VBox:
    """The questions of one step under one heading; each checked answer goes to the session.

    Args:
        ctx: the step's context.
        questions: the step's questions, in order.
    """
    text = ctx.text.quiz
    heading = lean(
        widgets.HTML,
        value=html('<h2 class="wb-quiz__heading">{}</h2><p class="wb-quiz__intro">{}</p>', text.heading, text.intro),
    )
    items = [
        quiz_question(
            question=question, number=number, on_check=record_check(ctx, question), guard=ctx.guard, text=text,
        )
        for number, question in enumerate(questions, start=1)
    ]
    block = lean(widgets.VBox, children=(heading, *items))
    block.add_class("wb-quiz")
    return block


def quiz_results(ctx: StepContext) -> widgets.VBox:
    """A chart of the quiz answers by step, kept up to date as questions are answered."""
    from workbook.ui.charts import figure_view

    content, text = ctx.content, ctx.text.quiz
    titles = {chapter.step: chapter.title for chapter in content.chapters}

    def make():
        # Imported when the chart is first drawn: a kernel starts without plotly, and a
        # step built ahead does not bring it in (see ui/charts.py).
        from workbook.domain.figures import quiz_chart, quiz_text

        scores = step_scores(content.questions, ctx.session.answers.quiz_attempts)
        return quiz_chart(scores, titles, ctx.text.charts), quiz_text(scores, titles, ctx.text.charts)

    heading = lean(
        widgets.HTML,
        value=html('<h2 class="wb-section__title">{}</h2><p>{}</p>', text.results_heading, text.results_intro),
    )
    figure, redraw = figure_view(make=make)
    ctx.watch.when_shown(ctx.guard(redraw))
    ctx.watch(ctx.guard(lambda _change: redraw()), "quiz_attempts")
    box = lean(widgets.VBox, children=(heading, figure))
    box.add_class("wb-panel")
    box.add_class("wb-quiz-results")
    return box
