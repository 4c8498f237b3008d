"""Answer wrong, read the right answer and reason, try again, answer right."""

from __future__ import annotations

import ipywidgets as widgets
import pytest

from tests.widgets.helpers import find, find_all, walk
from workbook.content import QuizOption, QuizQuestion, load_content
from workbook.ui.app import create_app
from workbook.ui.errors import error_card, guard_with
from workbook.ui.quiz import quiz_question


@pytest.fixture
def app():
    return create_app(content=load_content())


def question_box(app, step: int, index: int) -> widgets.VBox:
    app.session.go_to(step)
    return find_all(app.widget, "wb-quiz__question")[index]


def check(box) -> str:
    next(w for w in walk(box) if isinstance(w, widgets.Button)).click()
    return find(box, "wb-quiz__feedback").value


def test_wrong_then_right_on_a_one_answer_question(app):
    box = question_box(app, 6, 0)  # How long should you put ice or heat on...
    radios = find(box, "wb-choice")
    radios.value = "a"
    shown = check(box)
    assert "Not quite." in shown
    assert "<strong>The right answer:</strong> 20 to 30 minutes" in shown
    assert "<strong>Why:</strong>" in shown
    assert "Source: Treatment and Management: Self-care and First Aid" in shown
    assert "check it again" in shown
    radios.value = "b"
    shown = check(box)
    assert "Right." in shown and "The right answer" not in shown
    assert app.session.answers.quiz_attempts["heat-ice-time"] == (("a",), ("b",))


def test_several_answers_partly_right_then_right(app):
    box = question_box(app, 6, 1)  # self-care measures: a and b
    boxes = find_all(box, "wb-quiz__checkbox")
    boxes[0].value = True
    assert "Nearly." in check(box)
    boxes[1].value = True
    assert "Right." in check(box)
    assert app.session.answers.quiz_attempts["self-care-measures"] == (("a",), ("a", "b"))


def test_checking_with_no_choice_asks_kindly_and_records_nothing(app):
    box = question_box(app, 3, 0)
    assert "Choose an answer first" in check(box)
    assert app.session.answers.quiz_attempts == {}


def test_questions_follow_the_chapter_on_steps_3_6_7_and_9(app):
    for step in (3, 6, 7, 9):
        app.session.go_to(step)
        view = find(app.widget, "wb-step")
        classes = [child._dom_classes for child in view.children]
        assert "wb-chapter" in classes[0]
        assert any("wb-quiz" in c for c in classes[1:])
        assert len(find_all(app.widget, "wb-quiz__question")) >= 2


def test_faqs_are_sections_that_open(app):
    app.session.go_to(9)
    html = find(app.widget, "wb-chapter").value
    # One section for each of the article's 7 questions, and one for when to call 999.
    assert html.count("<details") == len(app.content.chapter(9).items) == 8
    assert '<summary class="wb-faq__question">Which signs mean I should call 999?</summary>' in html
    assert "<summary class=\"wb-faq__question\">Can back spasms go away on their own?</summary>" in html


def test_every_chapter_starts_with_what_to_remember(app):
    for step in range(1, 11):
        app.session.go_to(step)
        html = find(app.widget, "wb-chapter").value
        assert html.index("What to remember") < html.index('class="wb-chapter__text"')


def test_question_text_and_feedback_are_escaped():
    evil = '<img src=x onerror="alert(1)">'
    question = QuizQuestion(
        id="q", step=1, kind="single", prompt=f"Pick {evil}",
        options=(QuizOption(id="a", text=evil, feedback=f"Yes {evil}"), QuizOption(id="b", text="b", feedback="no")),
        correct=("b",), reason=evil, source=evil,
    )
    from workbook.domain.quiz import grade

    box = quiz_question(question=question, number=1, on_check=lambda answer: grade(question, answer),
                        guard=guard_with(error_card()), text=load_content().text.quiz)
    find(box, "wb-choice").value = "a"
    shown = check(box)
    prompt = box.children[0].value
    for html in (shown, prompt):
        assert "<img" not in html
        assert "&lt;img" in html
