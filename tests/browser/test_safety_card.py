"""The care card from the safety check: it stays in view on every later step and never
hides the keyboard focus."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.pages import (
    DESKTOP,
    STEP_COUNT,
    TABLET,
    WCAG_TAGS,
    expect_step,
    leave,
    open_page,
    shot,
)


@pytest.mark.parametrize("viewport", [TABLET, DESKTOP], ids=["tablet", "desktop"])
def test_emergency_card_from_the_safety_check_stays_on_every_later_step(browser, server, viewport):
    visit = open_page(browser, server.url, viewport=viewport)
    page = visit.page
    size = f"{viewport['width']}x{viewport['height']}"
    next_button = page.get_by_role("button", name="Next", exact=True)
    next_button.click()
    expect_step(page, 2)
    row = page.locator(".wb-redflag", has_text="lost control of your bladder or bowels")
    row.get_by_label("Yes").check()
    card = page.locator(".wb-care-area .wb-care-card--emergency")
    expect(card).to_be_visible()
    expect(card).to_be_in_viewport()  # seen at once, wherever the patient is on the page
    expect(card).to_contain_text("Call 999 or go to A&E now")
    expect(card).to_contain_text("Tell your physiotherapist too: call Physiotherapy Department on 01632 960000.")
    expect(page.get_by_role("alert")).to_contain_text("Immediate action required:")
    shot(page, f"safety-emergency-step-02-{size}")
    axe = Axe()
    failures = {}
    for step in range(3, STEP_COUNT + 1):
        next_button.click()
        expect_step(page, step)
        expect(card).to_be_in_viewport()
        expect(card).to_contain_text("Call 999 or go to A&E now")
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        if results.violations_count:
            failures[step] = results.generate_report()
        if step in (3, 10):
            shot(page, f"safety-emergency-step-{step:02d}-{size}")
    assert failures == {}, "\n".join(failures.values())
    # Changing the answer to "no" removes the card.
    page.get_by_label("Go to step").select_option(label="2. Safety check")
    row.get_by_label("No").check()
    expect(page.locator(".wb-care-area .wb-care-card")).to_have_count(0)
    leave(page)


def test_the_sticky_card_never_hides_the_keyboard_focus(browser, server):
    visit = open_page(browser, server.url, viewport=DESKTOP)
    page = visit.page
    page.get_by_role("button", name="Next", exact=True).click()
    expect_step(page, 2)
    page.locator(".wb-redflag", has_text="chest pain").get_by_label("Yes").check()
    card = page.locator(".wb-care-area")
    expect(card).to_be_visible()
    # Walk up the questions by keyboard from the bottom: each focused control is scrolled to
    # the top edge, where the card is.
    page.get_by_role("button", name="Next", exact=True).focus()
    for _ in range(12):
        page.keyboard.press("Shift+Tab")
        focused = page.evaluate("() => document.activeElement.getBoundingClientRect().top")
        box = card.bounding_box()
        assert focused >= box["y"] + box["height"] - 1, (focused, box)
    leave(page)
