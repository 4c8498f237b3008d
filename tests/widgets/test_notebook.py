"""The chapter notebooks' cells: each shows a part or a question, and all cells of a kernel share
one session, so a later cell sees what an earlier one was given."""

from __future__ import annotations

import pytest

from tests.widgets.helpers import button, find, find_all
from workbook.ui.notebook import kernel_pages, show_part, show_question


@pytest.fixture(autouse=True)
def fresh_kernel():
    """Each test is a kernel of its own: no answer of another test reaches it."""
    kernel_pages.cache_clear()
    yield
    kernel_pages.cache_clear()


def test_ticking_a_factor_updates_the_self_checks_chart_words():
    part = show_part("self-check")
    words = find(part, "wb-figure__text")
    assert "You have not ticked any risk factors." in words.value
    find(part, "wb-choice-id--sitting").value = True
    assert "You ticked 1 risk factor" in words.value
    find(part, "wb-choice-id--lifting").value = True
    assert "You ticked 2 risk factors" in words.value
    assert kernel_pages().session.answers.risk_factors == ("sitting", "lifting")


def test_a_later_cell_sees_what_an_earlier_cell_was_given():
    find(show_part("self-check"), "wb-choice-id--sitting").value = True
    plan = show_part("prevention-plan")
    ticked = [box for box in find_all(plan, "wb-checklist__item") if box.value]
    assert [choice_id(box) for box in ticked] == ["posture", "workstation"], "the plan starts from the ticks"
    summary = find(show_part("summary"), "wb-summary-view")
    helps = "Stress and worry. The plan has what helps with them."  # the cause, named in the notes
    assert helps not in summary.value
    find(show_part("self-check"), "wb-choice-id--stressed").value = True  # a cell run after the summary's
    assert helps in summary.value, "the summary follows"


def choice_id(box) -> str:
    return next(c.removeprefix("wb-choice-id--") for c in box._dom_classes if c.startswith("wb-choice-id--"))


def test_show_question_grades_an_answer_and_records_it():
    cell = show_question("how-long")
    assert "Question 2." in find(cell, "wb-quiz__question").children[0].value, "numbered as on its step"
    find(cell, "wb-choice").value = "a"
    button(cell, "Check my answer").click()
    shown = find(cell, "wb-quiz__feedback").value
    assert "Not quite." in shown and "<strong>The right answer:</strong> From a few minutes to days" in shown
    find(cell, "wb-choice").value = "b"
    button(cell, "Check my answer").click()
    assert "Yes. It depends on the cause" in find(cell, "wb-quiz__feedback").value
    assert kernel_pages().session.answers.quiz_attempts == {"how-long": (("a",), ("b",))}


def test_the_safety_check_has_the_care_card_above_it_in_full():
    cell = show_part("safety-check")
    area = find(cell, "wb-care-area")
    assert area.layout.display == "none"
    find_all(cell, "wb-choice--yes-no")[0].value = True
    assert area.layout.display is None
    assert "Immediate action required:" in area.value and "wb-care-card--compact" not in area.value
    assert find_all(show_part("self-check"), "wb-care-area") == [], "only where the safety check is"


def test_every_cell_is_styled_as_the_dashboard_with_one_theme_and_its_own_error_card():
    cells = [show_part("self-check"), show_question("how-long"), show_part("summary")]
    themes = {cell.children[0].model_id for cell in cells}
    assert len(themes) == 1 and "<style>" in cells[0].children[0].value
    assert len({find(cell, "wb-error-card").model_id for cell in cells}) == 3
    for cell in cells:
        assert {"wb-app", "wb-page"} <= set(cell._dom_classes)


def test_a_name_that_is_not_there_is_refused():
    with pytest.raises(KeyError, match="no part 'self-test'; the parts are safety-check, self-check"):
        show_part("self-test")
    with pytest.raises(KeyError, match="no quiz question 'how-short'"):
        show_question("how-short")
