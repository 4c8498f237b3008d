"""The quiz's feedback on a tablet: wrong, then right."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.pages import ARTIFACTS


def test_quiz_feedback_wrong_then_right_on_a_tablet(visit):
    page = visit.page
    page.get_by_label("Go to step").select_option(label="6. Treatment")
    first = page.locator(".wb-quiz__question").nth(0)
    first.get_by_label("5 minutes").check()
    first.get_by_role("button", name="Check my answer").click()
    wrong = first.get_by_role("status")
    expect(wrong).to_contain_text("Not quite.")
    expect(wrong).to_contain_text("The right answer: 20 to 30 minutes")
    expect(wrong).to_contain_text("Why: Put an ice pack or heat pad on the sore area")
    expect(wrong).to_contain_text("Source: Treatment and Management: Self-care and First Aid")
    second = page.locator(".wb-quiz__question").nth(1)
    second.get_by_label("Ice or heat on the sore area").check()
    second.get_by_label("Gentle stretching and massage").check()
    second.get_by_role("button", name="Check my answer").click()
    right = second.get_by_role("status")
    expect(right).to_contain_text("Right.")
    expect(right).not_to_contain_text("The right answer")
    page.locator(".wb-quiz").screenshot(path=ARTIFACTS / "screenshots" / "quiz-feedback-768x1024.png")
    # Try again: the right choice now gets the right feedback.
    first.get_by_label("20 to 30 minutes").check()
    first.get_by_role("button", name="Check my answer").click()
    expect(first.get_by_role("status")).to_contain_text("Right.")
