"""The served dashboard in headless Chromium: the walk through all steps, what stays closed,
accessibility, and what happens to a page's kernel and to errors."""

from __future__ import annotations

import http.client
import json
import re
import time
import urllib.request
from pathlib import Path

import nbformat
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
    fill_some_answers,
    kernel_id,
    leave,
    open_page,
    serve_copy,
    shot,
    unnamed_in_accessibility_tree,
    wait_for,
    wait_for_fresh_page,
)
from tests.support.servers import free_port, serve_workbook, start_server
from workbook.serve import ServeSettings, voila_command, voila_environment


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


CLOSED_PATHS = [
    "/api/contents",
    "/api/contents/workbook.ipynb",
    "/api/kernels",
    "/api/sessions",
    "/api/terminals",
    "/api/kernelspecs",
    "/tree",
    "/lab",
    "/voila/tree",
    "/voila/api/contents",
    "/voila/api/contents/workbook.ipynb",
    "/voila/render/workbook.ipynb",
    "/voila/files/workbook.ipynb",
    "/login",
    "/logout",
    "/static/../../../../etc/passwd",
    "/static/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/voila/static/../../../../etc/passwd",
    "/voila/static/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/voila/templates/workbook/static/../../../../../../pyproject.toml",
    "/voila/templates/workbook/static/..%2f..%2f..%2f..%2fpyproject.toml",
    "/voila/templates/workbook/index.html.j2",
]


def test_nothing_but_the_page_is_reachable(server):
    host, port = server.host.split(":")
    answers = {}
    for path in CLOSED_PATHS:
        # http.client sends the path as written: no client-side clean-up of '..'.
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        connection.request("GET", path)
        response = connection.getresponse()
        answers[path] = response.status
        body = response.read()
        assert b"root:" not in body and b"[project]" not in body
        connection.close()
    assert {path: status for path, status in answers.items() if status not in (403, 404)} == {}
    with urllib.request.urlopen(server.url + "voila/templates/workbook/static/workbook.css") as css:
        assert css.status == 200


def test_page_carries_no_source_code_and_a_strict_policy(server):
    with urllib.request.urlopen(server.url) as response:
        html = response.read().decode()
        policy = response.headers["Content-Security-Policy"]
    assert "build_app" not in html
    assert "import" not in html.split("<body", 1)[1].split("<script", 1)[0]
    assert "default-src 'self'" in policy
    assert "cdn.jsdelivr.net" not in html and "fontawesome" not in html.lower()


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


def test_leaving_the_page_ends_its_kernel(browser, server):
    visit = open_page(browser, server.url)
    kernel = kernel_id(visit.page)
    assert kernel in server.kernel_ids()
    leave(visit.page)
    wait_for(lambda: kernel not in server.kernel_ids(), timeout=10, what="the page's kernel to end")


def test_a_page_that_vanishes_without_unloading_is_culled(browser):
    server = serve_workbook("--cull-after", "5", log=ARTIFACTS / "cull-server.log")
    try:
        visit = open_page(browser, server.url)
        kernel = kernel_id(visit.page)
        assert kernel in server.kernel_ids()
        visit.page.close()  # no unload handler runs, as when a tablet's browser is killed
        wait_for(lambda: kernel not in server.kernel_ids(), timeout=30, what="the kernel to be culled")
        pool = server.kernel_ids()
        assert len(pool) == 1, "only the preheated kernel is left"
    finally:
        server.stop()


def test_a_preheated_kernel_is_not_culled_while_its_page_is_connecting(browser):
    server = serve_workbook("--cull-after", "12", log=ARTIFACTS / "quiet-pool-server.log")
    try:
        time.sleep(17)  # the pool waits past the cull time, as in a quiet spell in clinic
        page = browser.new_page(viewport=TABLET)

        delayed = []

        def connect_late(route):
            if not delayed:  # the page's first look at its kernel; later ones are its heartbeat
                delayed.append(route.request.url)
                time.sleep(7)  # the culler (every 5 s) runs before the page reaches its kernel
            route.continue_()

        page.route(re.compile(r".*/api/kernels/[0-9a-f-]{36}(\?.*)?$"), connect_late)
        page.goto(server.url)
        page.get_by_role("button", name="Next", exact=True).click(timeout=60_000)
        expect_step(page, 2)
        assert "Kernel does not exist" not in server.log.read_text()
        leave(page)
    finally:
        server.stop()


def test_a_failing_notebook_shows_a_plain_card_and_nothing_else(browser, tmp_path):
    notebook = tmp_path / "broken.ipynb"
    source = 'raise RuntimeError("secret-internal-detail")'
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, notebook)
    port = free_port()
    settings = ServeSettings(port=port, pool_size=1, notebook=notebook)
    server = start_server(
        voila_command(settings), port=port, log=ARTIFACTS / "broken-server.log",
        env=voila_environment(settings),
    )
    try:
        with urllib.request.urlopen(server.url) as response:
            html = response.read().decode()
        visit = open_page(browser, server.url)
        expect(visit.page.get_by_text("Sorry, the workbook could not start.")).to_be_visible(
            timeout=60_000
        )
        shot(visit.page, "error-card-768x1024")
        text = visit.page.inner_text("body")
        for leaked in ("secret-internal-detail", "RuntimeError", *PATIENT_MUST_NOT_SEE):
            assert leaked not in html
            assert leaked not in text
        leave(visit.page)
    finally:
        server.stop()


CALLBACK_FAILS = """\
import ipywidgets as widgets
from workbook.ui.errors import error_card, guarded, log_to_server

log_to_server()
card = error_card()
button = widgets.Button(description="Break")

def fail():
    raise RuntimeError("secret-callback-detail")

button.on_click(guarded(lambda _button: fail(), card=card))
widgets.VBox([button, card])
"""


def test_a_failing_callback_shows_a_plain_card_and_logs_only_on_the_server(browser, tmp_path):
    notebook = tmp_path / "callback.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(CALLBACK_FAILS)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, notebook)
    port = free_port()
    settings = ServeSettings(port=port, pool_size=1, notebook=notebook)
    log = ARTIFACTS / "callback-server.log"
    server = start_server(voila_command(settings), port=port, log=log, env=voila_environment(settings))
    frames: list[str] = []
    try:
        page = browser.new_page(viewport=TABLET)
        page.on("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(str(f))))
        page.goto(server.url)
        page.get_by_role("button", name="Break").click()
        expect(page.get_by_role("alert")).to_contain_text("Sorry, something went wrong")
        text = page.inner_text("body")
        leave(page)
    finally:
        server.stop()
    assert "secret-callback-detail" not in text and "Traceback" not in text
    leaked = [frame for frame in frames if "secret-callback-detail" in frame or "Traceback" in frame]
    (ARTIFACTS / "callback-frames.txt").write_text("\n".join(leaked))
    assert not leaked
    assert "secret-callback-detail" in log.read_text()


SEND_EXECUTE_REQUEST = """
async ([kernelId, code]) => {
  const socket = new WebSocket(`ws://${location.host}/api/kernels/${kernelId}/channels`);
  await new Promise((resolve, reject) => { socket.onopen = resolve; socket.onerror = reject; });
  const replies = [];
  socket.onmessage = (event) => replies.push(String(event.data));
  socket.send(JSON.stringify({
    header: {msg_id: "probe-1", msg_type: "execute_request", username: "", session: "probe",
             date: new Date().toISOString(), version: "5.3"},
    parent_header: {}, metadata: {}, channel: "shell",
    content: {code, silent: false, store_history: false, user_expressions: {},
              allow_stdin: false, stop_on_error: true},
  }));
  await new Promise((resolve) => setTimeout(resolve, 3000));
  socket.close();
  return replies;
}
"""


def test_the_page_cannot_run_code_in_its_kernel(visit, server, tmp_path):
    marker = tmp_path / "executed"
    code = f"open({str(marker)!r}, 'w').write('ran')"
    replies = visit.page.evaluate(SEND_EXECUTE_REQUEST, [kernel_id(visit.page), code])
    assert not marker.exists()
    # The request did reach the server, which refused it.
    assert 'Received message of type "execute_request", which is not allowed' in server.log.read_text()
    assert not [reply for reply in replies if '"execute_reply"' in reply and '"ok"' in reply]
    # The page still works after the refused request.
    visit.page.get_by_role("button", name="Next", exact=True).click()
    expect_step(visit.page, 2)


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


def test_the_first_chart_is_started_while_the_step_before_it_is_read(visit):
    page = visit.page
    next_button = page.get_by_role("button", name="Next", exact=True)
    warmup = page.locator(".wb-chart-warmup .js-plotly-plot")
    for step in (1, 2):
        expect_step(page, step)
        page.wait_for_timeout(3000)  # the page prepares the next step once it is idle
        expect(warmup).to_have_count(0)
        next_button.click()
    expect_step(page, 3)
    warmup.wait_for(state="attached", timeout=20_000)
    expect(page.locator(".wb-chart-warmup")).to_be_hidden()
    next_button.click()
    expect_step(page, 4)
    expect(page.locator(".wb-figure .js-plotly-plot")).to_be_visible()
    assert visit.console_errors == []


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
    expect(card).to_contain_text("Call 999 or go to the emergency department now")
    expect(card).to_contain_text("Tell your physiotherapist now.")
    expect(page.get_by_role("alert")).to_contain_text("Immediate action required:")
    shot(page, f"safety-emergency-step-02-{size}")
    axe = Axe()
    failures = {}
    for step in range(3, STEP_COUNT + 1):
        next_button.click()
        expect_step(page, step)
        expect(card).to_be_in_viewport()
        expect(card).to_contain_text("Call 999 or go to the emergency department now")
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
    expect(bars).to_have_text(["1 of 3", "0 of 3", "0 of 3", "1 of 1"])  # drawn by the local plotly.js
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
    expect(page.get_by_label("Good posture: think about how you sit, stand and lift")).to_be_checked()
    expect(page.get_by_label("Less stress: try meditation, deep breathing or yoga")).to_be_checked()
    expect(page.get_by_label("A good desk set-up: if you work at a desk, set it up to suit your body")).to_be_checked()
    expect(page.get_by_label("Exercise and stretching: make your back and core muscles strong, and stretch often")).not_to_be_checked()
    shot(page, f"plan-step-08-{size}")
    failures[8] = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})

    reports = {step: r.generate_report() for step, r in failures.items() if r.violations_count}
    assert reports == {}, "\n".join(reports.values())
    assert visit.hosts() == {server.host}, visit.requests
    leave(page)


@pytest.mark.parametrize("name", ["everything-answered", "emergency-bladder-bowel"])
def test_summary_prints_on_at_most_two_a4_pages(browser, name, tmp_path):
    import shutil
    import subprocess

    from workbook.content import load_content
    from workbook.scenarios import scenarios
    from workbook.summary import summary_html

    content = load_content()
    html = summary_html(content, scenarios(content)[name], on=__import__("datetime").date(2026, 11, 25))
    page = browser.new_page()
    page.set_content(html)
    pdf = ARTIFACTS / f"summary-{name}.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=False)
    page.close()
    data = pdf.read_bytes()
    pages = data.count(b"/Type /Page") - data.count(b"/Type /Pages")
    assert 1 <= pages <= 2, pages
    if shutil.which("pdftoppm"):  # PNG pages to look at
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(ARTIFACTS / f"summary-{name}")], check=True)


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
    expect(frame.get_by_text(f"In my words: after gardening {marker}")).to_be_visible()
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
    expect(frame.get_by_text("Your back spasm summary")).to_be_visible()
    assert marker not in page.content()
    assert marker not in page.frame_locator("iframe.wb-summary__frame").locator("body").inner_text()
    assert visit.hosts() == {server.host}
    leave(page)


def test_idle_reset_warns_then_clears_and_a_touch_cancels(browser, tmp_path):
    server = serve_copy(tmp_path, ("idle_reset_minutes: 10", "idle_reset_minutes: 0.6"))  # 36 s
    try:
        visit = open_page(browser, server.url)
        page = visit.page
        page.get_by_role("button", name="Next", exact=True).click()
        expect_step(page, 2)
        page.locator(".wb-redflag", has_text="chest pain").get_by_label("Yes").check()  # arms the timer
        warning = page.get_by_role("alertdialog")
        expect(warning).to_be_visible(timeout=15_000)  # 30 s before the end: after about 6 s
        expect(warning).to_contain_text("the workbook will clear itself in")
        shot(page, "idle-warning-768x1024")
        page.mouse.click(5, 5)  # a touch cancels
        expect(warning).to_be_hidden()
        expect_step(page, 2)
        expect(warning).to_be_visible(timeout=15_000)
        # Nobody touches: cleared at the end of the warning.
        expect(page.locator(".wb-progress__text")).to_contain_text("Step 1 of 10", timeout=45_000)
        expect(warning).to_be_hidden()
        expect(page.locator(".wb-care-area .wb-care-card")).to_have_count(0)
        page.get_by_role("button", name="Next", exact=True).click()
        expect(page.locator(".wb-redflag", has_text="chest pain").get_by_label("Yes")).not_to_be_checked()
        leave(page)
    finally:
        server.stop()


def files_containing(marker: bytes, roots, skip=()) -> list[str]:
    """Every readable file under the roots whose bytes contain the marker."""
    import os

    found = []
    for root in roots:
        for folder, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if os.path.join(folder, d) not in skip and d not in (".venv", ".git")]
            for name in files:
                path = os.path.join(folder, name)
                try:
                    if os.path.getsize(path) < 20_000_000 and marker in Path(path).read_bytes():
                        found.append(path)
                except OSError:
                    continue
    return found


def test_nothing_of_a_patient_stays_anywhere(browser, tmp_path, tmp_path_factory):
    import uuid

    from workbook.serve import PROJECT_DIR

    marker = f"privacy-{uuid.uuid4().hex}"
    home, runtime, temp, downloads = (tmp_path / name for name in ("home", "runtime", "temp", "downloads"))
    for folder in (home, runtime, temp, downloads):
        folder.mkdir()
    env = {"HOME": str(home), "JUPYTER_RUNTIME_DIR": str(runtime), "TMPDIR": str(temp)}
    server = serve_copy(tmp_path, env=env)
    try:
        visit = open_page(browser, server.url)
        page = visit.page
        menu = page.get_by_label("Go to step")
        page.get_by_role("button", name="Next", exact=True).click()
        page.locator(".wb-redflag", has_text="chest pain").get_by_label("No").check()
        menu.select_option(label="4. What causes back spasms")
        page.get_by_label("Do you often lift heavy things?").check()
        menu.select_option(label="5. Signs and finding the cause")
        page.get_by_label("Leg, right").check()
        page.get_by_label("In your own words").fill(f"it started {marker}")
        menu.select_option(label="6. Treatment")
        first = page.locator(".wb-quiz__question").nth(0)
        first.get_by_label("20 to 30 minutes").check()
        first.get_by_role("button", name="Check my answer").click()
        menu.select_option(label="10. Your summary")
        with page.expect_download() as caught:
            page.get_by_role("link", name="Download").click()
        saved = downloads / "summary.html"
        caught.value.save_as(saved)
        assert marker in saved.read_text()  # the patient's own copy
        saved.unlink()
        old_kernel = kernel_id(page)
        page.get_by_role("button", name="New patient").click()
        page.get_by_role("button", name="Yes, clear everything").click()
        wait_for_fresh_page(page, old_kernel)
        for step in range(2, 11):
            page.get_by_role("button", name="Next", exact=True).click()
            expect_step(page, step)
            assert marker not in page.content()
        assert marker not in page.frame_locator("iframe.wb-summary__frame").locator("body").inner_text()
        leave(page)
    finally:
        server.stop()
    # The server's home, runtime and temp folders and its log are all under tmp_path.
    roots = [PROJECT_DIR, tmp_path, "/tmp"]
    skip = {str(tmp_path_factory.getbasetemp())}  # /tmp's walk skips this run's own test folders
    canary = runtime / "canary.txt"  # first show that the scan finds the marker where it is
    canary.write_text(marker)
    assert files_containing(marker.encode(), roots, skip) == [str(canary)]
    canary.unlink()
    assert files_containing(marker.encode(), roots, skip) == []


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
