"""Layout for people: theme, text size, touch targets and focus; reflow at 320 px and
larger text spacing cut nothing off."""

from __future__ import annotations

import pytest

from tests.browser.pages import (
    DESKTOP,
    STEP_COUNT,
    TABLET,
    expect_step,
    fill_some_answers,
    leave,
    open_page,
    shot,
    unnamed_in_accessibility_tree,
)


@pytest.mark.parametrize("viewport", [TABLET, DESKTOP], ids=["tablet", "desktop"])
def test_theme_text_size_touch_targets_and_focus(browser, server, viewport):
    visit = open_page(browser, server.url, viewport=viewport)
    page = visit.page
    next_button = page.get_by_role("button", name="Next", exact=True)
    next_button.wait_for(timeout=60_000)
    body_sizes = page.eval_on_selector_all(
        ".wb-chapter__text p, .wb-chapter__text li",
        "nodes => nodes.map(n => getComputedStyle(n).fontSize)",
    )
    assert body_sizes and set(body_sizes) == {"19px"}
    targets = page.locator("button:visible, select:visible")
    assert targets.count() >= 3
    for index in range(targets.count()):
        box = targets.nth(index).bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, box
    if viewport is DESKTOP:
        assert next_button.bounding_box()["height"] >= 56
    # Focus by keyboard: the focused control looks different (yellow background).
    before = next_button.evaluate("n => getComputedStyle(n).backgroundColor")
    page.keyboard.press("Tab")
    for _ in range(10):
        if next_button.evaluate("n => n === document.activeElement"):
            break
        page.keyboard.press("Tab")
    after = next_button.evaluate("n => getComputedStyle(n).backgroundColor")
    assert before != after
    assert after == "rgb(255, 221, 0)"
    leave(page)


TEXT_SPACING = (  # WCAG 2.2 success criterion 1.4.12
    "* { line-height: 1.5 !important; letter-spacing: 0.12em !important;"
    " word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }"
)


def cut_off(page, width: int) -> list[str]:
    """Visible elements that reach past the right edge of the window."""
    return page.evaluate(
        """(width) => [...document.querySelectorAll('#rendered_cells *')]
            .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > width + 1)
            .slice(0, 5).map(e => e.tagName + '.' + String(e.className).slice(0, 50))""",
        width,
    )


def clipped_text(page) -> list[str]:
    """Visible text that does not fit its own box (cut by overflow)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('#rendered_cells button, #rendered_cells label, '
                + '#rendered_cells label span, .wb-progress__text, h1, h2, summary')]
            .filter(e => e.getClientRects().length && e.textContent.trim()
                    && (e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1))
            .slice(0, 5).map(e => e.tagName + ': ' + e.textContent.trim().slice(0, 40))"""
    )


def test_at_320px_nothing_is_cut_off_and_everything_is_named(browser, server):
    visit = open_page(browser, server.url, viewport={"width": 320, "height": 640})
    page = visit.page
    page.get_by_role("button", name="Next", exact=True).wait_for(timeout=60_000)
    fill_some_answers(page)
    problems = {}
    for step in range(1, STEP_COUNT + 1):
        page.get_by_label("Go to step").select_option(index=step - 1)
        expect_step(page, step)
        page.wait_for_timeout(300)
        width = page.evaluate("document.documentElement.scrollWidth")
        found = {"scroll": width if width > 320 else None, "cut": cut_off(page, 320),
                 "clipped": clipped_text(page), "unnamed": unnamed_in_accessibility_tree(page)}
        if any(found.values()):
            problems[step] = found
        if step in (4, 5):
            shot(page, f"reflow-step-{step:02d}-320x640")
    assert problems == {}
    leave(page)


def test_text_spacing_cuts_nothing_off(browser, server):
    visit = open_page(browser, server.url, viewport=TABLET)
    page = visit.page
    page.get_by_role("button", name="Next", exact=True).wait_for(timeout=60_000)
    page.add_style_tag(content=TEXT_SPACING)
    fill_some_answers(page)
    problems = {}
    for step in range(1, STEP_COUNT + 1):
        page.get_by_label("Go to step").select_option(index=step - 1)
        expect_step(page, step)
        page.wait_for_timeout(300)
        clipped = clipped_text(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        if clipped or width > TABLET["width"] or cut_off(page, TABLET["width"]):
            problems[step] = {"clipped": clipped, "width": width}
    assert problems == {}
    leave(page)
