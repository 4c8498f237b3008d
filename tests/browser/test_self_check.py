"""The self-check chart, the symptom notes and the prevention plan built from them, and the
chart's text alternative and early start."""

from __future__ import annotations

import time

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.pages import (
    DESKTOP,
    TABLET,
    WCAG_TAGS,
    expect_step,
    fill_some_answers,
    leave,
    open_page,
    shot,
    unnamed_in_accessibility_tree,
)


def test_the_first_chart_is_started_while_the_step_before_it_is_read(visit):
    page = visit.page
    next_button = page.get_by_role("button", name="Next", exact=True)
    warmup = page.locator(".wb-chart-warmup .js-plotly-plot")
    for step in (1, 2):
        expect_step(page, step)
        page.wait_for_timeout(3000)  # the page prepares the next step once it is idle
        expect(warmup).to_have_count(0)
        assert plotly_requests(visit) == [], f"plotly.js is fetched on step {step}"
        next_button.click()
    expect_step(page, 3)
    warmup.wait_for(state="attached", timeout=20_000)
    assert len(plotly_requests(visit)) == 1, "plotly.js is fetched once, on the step before the first chart"
    expect(page.locator(".wb-chart-warmup")).to_be_hidden()
    next_button.click()
    expect_step(page, 4)
    expect(page.locator(".wb-figure .js-plotly-plot")).to_be_visible()
    assert visit.console_errors == []


def plotly_requests(visit) -> list[str]:
    return [url for url in visit.requests if "plotly" in url.lower()]


def test_a_chart_whose_script_cannot_be_fetched_keeps_its_words_and_is_drawn_later(visit):
    page = visit.page
    failed = []

    def drop_once(route):
        if failed:
            route.continue_()
        else:
            failed.append(route.request.url)
            route.abort("internetdisconnected")

    page.route("**/workbook/charts/plotly.min.js*", drop_once)
    page.get_by_label("Go to step").select_option(label="4. What causes back spasms")
    expect(page.locator(".wb-figure__text")).to_contain_text("You have not ticked any risk factors")
    for _ in range(80):  # the route runs while Playwright waits, not in a plain sleep
        if failed:
            break
        page.wait_for_timeout(250)
    charts = page.evaluate("Array.from(document.querySelectorAll('.wb-chart'), e => e.outerHTML.slice(0, 60))")
    assert failed, f"the page never asked for plotly.js; its charts: {charts}"
    expect(page.locator(".wb-error-card__body")).to_have_count(0)
    # A later change of the page (a tick here, or a step built ahead) fetches it again, and
    # the chart is drawn. plotly.js is 4.8 MB to take in: the same 20 s as the warm-up above.
    page.get_by_label("Do you often feel stressed or anxious?").check()
    bars = page.locator(".wb-figure .js-plotly-plot .bars text")
    expect(bars).to_have_text(["0 of 3", "0 of 3", "0 of 3", "1 of 1"], timeout=20_000)
    assert len(plotly_requests(visit)) == 2, "one refused, one drawn"


@pytest.mark.parametrize("viewport", [TABLET, DESKTOP], ids=["tablet", "desktop"])
def test_self_check_chart_notes_and_plan(browser, server, viewport):
    visit = open_page(browser, server.url, viewport=viewport)
    page = visit.page
    size = f"{viewport['width']}x{viewport['height']}"
    menu = page.get_by_label("Go to step")
    page.get_by_role("button", name="Next", exact=True).wait_for(timeout=60_000)
    axe = Axe()
    failures = {}

    menu.select_option(label="4. What causes back spasms")
    page.get_by_label("Do you sit for a long time most days?").check()
    page.get_by_label("Do you often feel stressed or anxious?").check()
    bars = page.locator(".wb-figure .js-plotly-plot .bars text")
    # Drawn by the local plotly.js, fetched when this first chart appears (no warm-up on a jump).
    expect(bars).to_have_text(["1 of 3", "0 of 3", "0 of 3", "1 of 1"], timeout=20_000)
    expect(page.locator(".wb-figure__text")).to_contain_text("You ticked 2 risk factors")
    shot(page, f"selfcheck-step-04-{size}")
    failures[4] = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})

    menu.select_option(label="5. Signs and finding the cause")
    page.get_by_label("Lower back, left").check()
    page.get_by_label("Buttock, right").check()
    page.get_by_label("7", exact=True).check()
    notes = page.locator(".wb-notes-table")
    expect(notes).to_contain_text("Lower back, left; Buttock, right")
    expect(notes).to_contain_text("7 out of 10")
    shot(page, f"symptoms-step-05-{size}")
    failures[5] = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})

    menu.select_option(label="8. Prevention")
    expect(page.get_by_label("Sit and lift with good posture")).to_be_checked()
    expect(page.get_by_label("Lower stress with slow, calm breathing")).to_be_checked()
    expect(page.get_by_label("Set up your desk to suit your body")).to_be_checked()
    expect(page.get_by_label("Exercise to make your back strong")).not_to_be_checked()
    shot(page, f"plan-step-08-{size}")
    failures[8] = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})

    reports = {step: r.generate_report() for step, r in failures.items() if r.violations_count}
    assert reports == {}, "\n".join(reports.values())
    assert visit.hosts() == {server.host}, visit.requests
    leave(page)


def test_charts_are_named_by_their_text_alternative(visit):
    page = visit.page
    fill_some_answers(page)
    plot = page.locator(".wb-figure .js-plotly-plot")
    expect(plot).to_have_attribute("role", "img")
    expect(plot).to_have_attribute("aria-label", "You ticked 1 risk factor: 1 of 3 for posture and weak muscles.")
    # Plotly may still be swapping the drawing after the tick; a name that never comes fails.
    deadline = time.monotonic() + 10
    while (unnamed := unnamed_in_accessibility_tree(page)) and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    assert unnamed == []
