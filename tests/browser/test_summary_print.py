"""The summary: printed on at most two A4 pages, downloaded, printed alone, and cleared
by New patient."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.pages import (
    ARTIFACTS,
    expect_step,
    kernel_id,
    leave,
    open_page,
    shot,
    wait_for,
    wait_for_fresh_page,
)


FOOTER = "Content version 2.0.0, reviewed 6 December 2026. Physiotherapy Department. Sources:"


def printed_pages(browser, name: str) -> list[str]:
    """The text of each A4 page the summary of a demo patient prints on (PNGs of them beside)."""
    import subprocess

    from workbook.content import load_content
    from workbook.domain.scenarios import scenarios
    from workbook.domain.summary import summary_html

    content = load_content()
    html = summary_html(content, scenarios(content)[name], on=__import__("datetime").date(2026, 11, 25))
    page = browser.new_page()
    page.set_content(html)
    pdf = ARTIFACTS / f"summary-{name}.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=False)
    page.close()
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(ARTIFACTS / f"summary-{name}")], check=True)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [" ".join(page.split()) for page in text.split("\f") if page.strip()]


@pytest.mark.parametrize("name", ["everything-answered", "emergency-bladder-bowel", "nothing-answered", "urgent-lump"])
def test_summary_prints_on_at_most_two_a4_pages_each_with_the_footer(browser, name):
    pages = printed_pages(browser, name)
    assert 1 <= len(pages) <= 2, len(pages)
    for number, text in enumerate(pages, start=1):
        assert FOOTER in text, number  # the version, review date, clinic and sources on every page


def test_an_emergency_sheet_holds_only_what_to_do_now_and_the_notes_on_page_one(browser):
    first, second = printed_pages(browser, "emergency-bladder-bowel")
    assert "Call 999 or go to A&E now" in first and "Show these notes to the doctor or nurse who sees you" in first
    for later in ("What to remember", "When to get help", "Your plan", "Your 7-day diary", "Urgent advice"):
        assert later not in first, later
        assert later in second, later
    assert "Your 7-day diary" in second and "Keep moving" not in second  # rows only to write in
    assert second.startswith("For later, once you have had help and are home again")


def test_summary_download_print_and_new_patient(browser, server, tmp_path):
    marker = "marker-7f3a9c"
    visit = open_page(browser, server.url)
    page = visit.page
    page.get_by_role("button", name="Next", exact=True).wait_for(timeout=60_000)
    menu = page.get_by_label("Go to step")
    menu.select_option(label="5. Signs and finding the cause")
    page.get_by_label("In your own words").fill(f"after gardening {marker}")
    page.get_by_label("Leg, left").check()
    menu.select_option(label="10. Your summary")
    frame = page.frame_locator("iframe.wb-summary__frame")
    expect(frame.get_by_text(f"after gardening {marker}")).to_be_visible()
    shot(page, "summary-step-10-768x1024")
    with page.expect_download() as caught:
        page.get_by_role("link", name="Download").click()
    saved = tmp_path / caught.value.suggested_filename
    caught.value.save_as(saved)
    text = saved.read_text(encoding="utf-8")
    assert marker in text and "<script" not in text.lower()
    assert caught.value.suggested_filename.startswith("back-spasm-summary-")
    # Print prints the summary alone (the frame's own window); headless has no dialog, so count calls.
    page.evaluate("() => { const w = document.querySelector('iframe.wb-summary__frame').contentWindow;"
                  " window.__printed = 0; w.print = () => { window.__printed += 1; }; }")
    page.get_by_role("button", name="Print / save as PDF").click()
    assert page.evaluate("window.__printed") == 1
    old_kernel = kernel_id(page)
    page.get_by_role("button", name="New patient").click()
    page.get_by_role("button", name="Yes, clear everything").click()
    # A fresh page with a kernel of its own; the old one is shut down.
    assert wait_for_fresh_page(page, old_kernel) != old_kernel
    expect_step(page, 1)
    wait_for(lambda: old_kernel not in server.kernel_ids(), timeout=10, what="the old kernel to end")
    menu.select_option(label="10. Your summary")
    expect(frame.get_by_text("Your back spasm plan")).to_be_visible()
    assert marker not in page.content()
    assert marker not in page.frame_locator("iframe.wb-summary__frame").locator("body").inner_text()
    assert visit.hosts() == {server.host}
    leave(page)
