"""The steps of the served dashboard: walking them with Next and the step menu, each
step's accessibility, and the questions people ask."""

from __future__ import annotations

import json

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.pages import (
    ARTIFACTS,
    DESKTOP,
    PATIENT_MUST_NOT_SEE,
    STEP_COUNT,
    TABLET,
    WCAG_TAGS,
    expect_step,
    leave,
    open_page,
    shot,
)


@pytest.mark.parametrize("viewport", [TABLET, DESKTOP], ids=["tablet", "desktop"])
def test_walk_all_steps_with_next(browser, server, viewport):
    visit = open_page(browser, server.url, viewport=viewport)
    page = visit.page
    next_button = page.get_by_role("button", name="Next", exact=True)
    back_button = page.get_by_role("button", name="Back", exact=True)
    next_button.wait_for(timeout=60_000)
    size = f"{viewport['width']}x{viewport['height']}"
    for step in range(1, STEP_COUNT + 1):
        expect_step(page, step)
        expect(page.locator("h1")).to_have_count(1)
        text = page.inner_text("body")
        for forbidden in PATIENT_MUST_NOT_SEE:
            assert forbidden not in text
        shot(page, f"step-{step:02d}-{size}")
        if step < STEP_COUNT:
            next_button.click()
    expect(next_button).to_be_disabled()
    back_button.click()
    expect_step(page, STEP_COUNT - 1)
    assert visit.hosts() == {server.host}, visit.requests
    leave(page)


def test_step_menu_jumps_to_a_step(visit):
    visit.page.get_by_label("Go to step").select_option(label="8. Prevention")
    expect_step(visit.page, 8)
    expect(visit.page.locator("h1")).to_have_text("Prevention")


def test_every_step_passes_axe(visit):
    page = visit.page
    axe = Axe()
    failures = {}
    for step in range(1, STEP_COUNT + 1):
        expect_step(page, step)
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        if results.violations_count:
            failures[step] = results.generate_report()
        if step < STEP_COUNT:
            page.get_by_role("button", name="Next", exact=True).click()
    (ARTIFACTS / "axe-report.json").write_text(json.dumps(failures, indent=2))
    assert failures == {}, "\n".join(failures.values())


def test_faq_sections_open_by_keyboard(visit):
    page = visit.page
    page.get_by_label("Go to step").select_option(label="9. Questions people ask")
    question = page.locator("summary", has_text="How long do back spasms last?")
    answer = page.get_by_text("Some last only a few minutes.")
    expect(answer).to_be_hidden()
    question.focus()
    page.keyboard.press("Enter")
    expect(answer).to_be_visible()
    shot(page, "faq-open-768x1024")
