"""By keyboard alone through all ten steps, with the focus always visible; and axe with the
WCAG 2.2 A/AA and best-practice rules on every step at phone, tablet and desktop widths."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import JSHandle, Page, expect

from tests.browser.pages import (
    ARTIFACTS,
    DESKTOP,
    STEP_COUNT,
    TABLET,
    WCAG_TAGS,
    expect_step,
    fill_some_answers,
    leave,
    open_page,
)
from workbook.content import load_content

PHONE = {"width": 360, "height": 800}
AXE_TAGS = [*WCAG_TAGS, "best-practice"]

# The focused element, as the walk sees it: what it is, its name and where it sits.
DESCRIBE = """(e) => {
  const question = e.closest('.wb-quiz__question');
  const row = e.closest('.wb-redflag');
  const label = e.labels && e.labels.length ? e.labels[0].innerText : '';
  const name = label || e.getAttribute('aria-label') || e.getAttribute('title') || e.innerText || '';
  return {
    tag: e.tagName.toLowerCase(),
    type: e.type || '',
    name: name.trim().replace(/\\s+/g, ' ').slice(0, 80),
    quiz: question ? [...document.querySelectorAll('.wb-quiz__question')].indexOf(question) : -1,
    redflag: row ? [...document.querySelectorAll('.wb-redflag')].indexOf(row) : -1,
    page: e === document.body || e === document.documentElement,
  };
}"""
# What a focus indicator can change.
STYLE = """(e) => {
  const s = getComputedStyle(e);
  return {
    outlineStyle: s.outlineStyle, outlineWidth: s.outlineWidth, outlineColor: s.outlineColor,
    boxShadow: s.boxShadow, backgroundColor: s.backgroundColor,
    // A native radio button or checkbox does not paint its background colour.
    nativeBox: (e.type === 'radio' || e.type === 'checkbox') && s.appearance !== 'none',
  };
}"""
# Whether the focused element can be seen: inside the window and not under another element.
HIDDEN_BY = """(e) => {
  const r = e.getBoundingClientRect();
  if (!r.width || !r.height) { return 'it has no size'; }
  const top = Math.max(r.top, 0), bottom = Math.min(r.bottom, innerHeight);
  const left = Math.max(r.left, 0), right = Math.min(r.right, innerWidth);
  if (bottom <= top || right <= left) { return 'it is outside the window'; }
  const hit = document.elementFromPoint((left + right) / 2, (top + bottom) / 2);
  if (hit && (hit === e || e.contains(hit))) { return null; }
  const name = hit ? hit.tagName.toLowerCase() + '.' + String(hit.className).trim().split(/\\s+/).join('.') : '';
  return 'it is under ' + (name || 'nothing');
}"""
COLOUR = re.compile(r"rgba?\(([^)]*)\)")


def opaque(colour: str) -> bool:
    parts = [part.strip() for part in COLOUR.search(colour).group(1).split(",")]
    return len(parts) < 4 or float(parts[3]) > 0


def indicators(focused: dict, unfocused: dict) -> list[str]:
    """The changes that show the focus: an outline of 2px or more, a box shadow or a new
    background colour, each only if it paints (not transparent)."""
    shown = []
    outline = ("outlineStyle", "outlineWidth", "outlineColor")
    if (
        focused["outlineStyle"] != "none"
        and float(focused["outlineWidth"].removesuffix("px")) >= 2
        and opaque(focused["outlineColor"])
        and [focused[key] for key in outline] != [unfocused[key] for key in outline]
    ):
        shown.append(f"outline {focused['outlineWidth']} {focused['outlineColor']}")
    shadow = focused["boxShadow"]
    if shadow not in ("none", unfocused["boxShadow"]) and any(
        opaque(match.group(0)) for match in COLOUR.finditer(shadow)
    ):
        shown.append(f"box-shadow {shadow}")
    background = focused["backgroundColor"]
    if not focused["nativeBox"] and background != unfocused["backgroundColor"] and opaque(background):
        shown.append(f"background {background}")
    return shown


def stop_label(step: int, what: dict) -> str:
    plain = what["type"] in ("", what["tag"], "submit", "select-one")
    kind = what["tag"] if plain else f"{what['tag']} {what['type']}"
    return f"step {step}: {kind} '{what['name']}'"


@dataclass
class Stop:
    """One element that had the focus."""

    handle: JSHandle
    step: int
    what: dict
    focused: dict


@dataclass
class Keyboard:
    """Presses keys and, at every focus stop, records whether the focus can be seen.

    An element's focused style is compared with its style once the focus has left it.
    """

    page: Page
    step: int = 1
    stops: list[dict] = field(default_factory=list)
    visited: list[tuple[int, str]] = field(default_factory=list)
    not_visible: list[str] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)
    current: Stop | None = None

    def press(self, key: str) -> dict | None:
        self.page.keyboard.press(key)
        return self.focus_moved()

    def focus_moved(self) -> dict | None:
        """Take note of the element that has the focus now; returns what it is."""
        handle = self.page.evaluate_handle("document.activeElement")
        if self.current and self.page.evaluate("([a, b]) => a === b", [handle, self.current.handle]):
            handle.dispose()
            return self.current.what
        if self.current:
            self.judge(self.current)
        what = handle.evaluate(DESCRIBE)
        if what["page"]:
            self.current = None
            handle.dispose()
            return what
        label = stop_label(self.step, what)
        self.visited.append((self.step, what["name"]))
        hidden = handle.evaluate(HIDDEN_BY)
        if hidden:
            self.hidden.append(f"{label}: {hidden}")
        self.current = Stop(handle=handle, step=self.step, what=what, focused=handle.evaluate(STYLE))
        return what

    def judge(self, stop: Stop) -> None:
        label = stop_label(stop.step, stop.what)
        if not stop.handle.evaluate("e => e.isConnected"):
            self.not_visible.append(f"{label}: removed from the page while it had the focus")
            return
        unfocused = stop.handle.evaluate(STYLE)
        shown = indicators(stop.focused, unfocused)
        self.stops.append({"stop": label, "shown by": shown})
        if not shown:
            self.not_visible.append(f"{label}: focused {stop.focused} looks as unfocused {unfocused}")
        stop.handle.dispose()

    def tab_to(self, wanted: Callable[[dict], bool], what: str, max_presses: int = 200) -> dict:
        """Press Tab until the focused element is the wanted one."""
        passed = []
        for _ in range(max_presses):
            focused = self.press("Tab")
            if focused and wanted(focused):
                return focused
            passed.append(focused["name"] if focused else "nothing")
        raise AssertionError(
            f"step {self.step}: {max_presses} presses of Tab never reached {what}; "
            f"the last stops were {passed[-8:]}"
        )

    def expect_focus_on(self, wanted: Callable[[dict], bool], what: str, after: str) -> None:
        focused = self.focus_moved()
        assert focused and wanted(focused), (
            f"step {self.step}: after {after} the focus should be on {what}, not on {focused}"
        )


def is_named(name: str, tag: str | None = None) -> Callable[[dict], bool]:
    return lambda focused: focused["name"] == name and (tag is None or focused["tag"] == tag)


def wait_for_heading_focus(keyboard: Keyboard, title: str) -> None:
    """A new step moves the focus to its heading; wait for it, as the step is drawn by the kernel."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        focused = keyboard.focus_moved()
        if focused and focused["tag"] == "h1" and focused["name"] == title:
            return
        time.sleep(0.1)
    raise AssertionError(
        f"step {keyboard.step}: the focus did not move to the heading '{title}'; it is on {focused}"
    )


def screenshot(page: Page, name: str) -> None:
    page.screenshot(path=ARTIFACTS / "screenshots" / f"{name}-768x1024.png")


def test_all_ten_steps_by_keyboard_alone_with_the_focus_always_visible(browser, server):
    content = load_content()
    visit = open_page(browser, server.url, viewport=TABLET)
    page = visit.page
    page.get_by_role("button", name="Next", exact=True).wait_for(timeout=60_000)
    keyboard = Keyboard(page)
    # One warning sign that is not an emergency: "yes" shows its card; "no" to all the others.
    yes_row = max(i for i, flag in enumerate(content.red_flags) if flag.level == "non_urgent")
    checked_questions = 0

    for step in range(1, STEP_COUNT + 1):
        keyboard.step = step
        expect_step(page, step)
        if step == 2:
            first = keyboard.press("Tab")
            assert first["redflag"] == 0 and first["name"] == "Yes", first
            keyboard.press("Shift+Tab")
            keyboard.expect_focus_on(is_named("Go to step", "select"), "the step menu", "Shift+Tab")
            keyboard.press("Tab")
            keyboard.expect_focus_on(lambda f: f["redflag"] == 0, "the first question again", "Tab")
            for row in range(len(content.red_flags)):
                answer = "Yes" if row == yes_row else "No"
                keyboard.tab_to(lambda f, row=row, answer=answer: f["redflag"] == row and f["name"] == answer,
                                f"'{answer}' of warning sign {row + 1}")
                keyboard.press("Space")
                assert page.evaluate("document.activeElement.checked"), f"Space did not choose '{answer}'"
                if row == 0:
                    screenshot(page, "keyboard-step-02-radio")
            expect(page.locator(".wb-redflag input:checked")).to_have_count(len(content.red_flags))
            card = page.locator(".wb-care-area .wb-care-card--non-urgent")
            expect(card).to_be_visible()
            keyboard.expect_focus_on(lambda f: f["redflag"] == yes_row, "the answered question",
                                     "the card showed")
        if step == 9:
            keyboard.tab_to(lambda f: f["tag"] == "summary", "a question that opens")
            keyboard.press("Enter")
            expect(page.locator("details.wb-faq[open]")).to_have_count(1)
            screenshot(page, "keyboard-step-09-question-opened")
        questions = page.locator(".wb-quiz__question")
        expect(questions).to_have_count(len(content.questions_for(step)))
        for index in range(questions.count()):
            keyboard.tab_to(lambda f, index=index: f["quiz"] == index and f["type"] in ("radio", "checkbox"),
                            f"the first answer of question {index + 1}")
            keyboard.press("Space")
            assert page.evaluate("document.activeElement.checked"), f"step {step}: Space chose no answer"
            keyboard.tab_to(lambda f, index=index: f["quiz"] == index and f["name"] == "Check my answer",
                            f"'Check my answer' of question {index + 1}")
            keyboard.press("Enter")
            feedback = questions.nth(index).locator(".wb-feedback")
            expect(feedback).to_have_class(re.compile(r"wb-feedback--(right|wrong|partly)"))
            checked_questions += 1
            if step == 3 and index == 0:
                screenshot(page, "keyboard-step-03-check-my-answer")
        if step < STEP_COUNT:
            keyboard.tab_to(is_named("Next", "button"), "Next")
            keyboard.press("Shift+Tab")
            before = "Back" if step > 1 else "Go to step"
            keyboard.expect_focus_on(is_named(before), f"'{before}'", "Shift+Tab from Next")
            keyboard.press("Tab")
            keyboard.expect_focus_on(is_named("Next", "button"), "Next", "Tab")
            # The next stop is the new step's heading, even when it takes the focus at once.
            keyboard.step = step + 1
            keyboard.press("Enter")
            expect_step(page, step + 1)
            wait_for_heading_focus(keyboard, content.chapter(step + 1).title)

    # Step 10: the summary's controls and its frame, then Back, the last control.
    expect_step(page, STEP_COUNT)
    expect(page.get_by_role("button", name="Next", exact=True)).to_be_disabled()
    keyboard.tab_to(lambda f: f["tag"] == "iframe", "the summary")
    screenshot(page, "keyboard-step-10-summary-frame")
    keyboard.tab_to(is_named("Back", "button"), "Back")
    keyboard.press("Shift+Tab")
    keyboard.expect_focus_on(is_named("New patient", "button"), "'New patient'", "Shift+Tab from Back")
    keyboard.press("Tab")
    keyboard.press("Tab")  # Back is the last control: the focus leaves the page, and Back is judged too
    on_step_10 = [name for step, name in keyboard.visited if step == STEP_COUNT]
    # The heading, then the summary's buttons and its frame (both named "Your summary").
    assert on_step_10 == ["Your summary", "Print / save as PDF", "Download", "Your summary",
                          "New patient", "Back", "New patient", "Back"], on_step_10

    (ARTIFACTS / "keyboard-focus.json").write_text(json.dumps(keyboard.stops, indent=1))
    assert checked_questions == len(content.questions)
    assert len(keyboard.stops) > 150, "the walk passed too few controls to prove anything"
    assert keyboard.not_visible == [], "\n".join(keyboard.not_visible)
    assert keyboard.hidden == [], "\n".join(keyboard.hidden)
    expect_step(page, STEP_COUNT)
    leave(page)


def axe_violations(results, *, step: int, width: int, where: str = "") -> list[str]:
    """One line per violated rule: rule id, step, width and the offending nodes."""
    lines = []
    for violation in results.response["violations"]:
        targets = [" ".join(node["target"]) for node in violation["nodes"]]
        more = f" and {len(targets) - 8} more" if len(targets) > 8 else ""
        lines.append(
            f"{violation['id']} on step {step}{where} at {width}px ({violation['help']}): "
            f"{', '.join(targets[:8])}{more}"
        )
    return lines


@pytest.mark.parametrize("viewport", [PHONE, TABLET, DESKTOP], ids=["360", "768", "1366"])
def test_every_step_passes_axe_with_best_practice_rules(browser, server, viewport):
    visit = open_page(browser, server.url, viewport=viewport)
    page = visit.page
    page.get_by_role("button", name="Next", exact=True).wait_for(timeout=60_000)
    fill_some_answers(page)  # a care card and a chart
    axe = Axe()
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    width = viewport["width"]
    content = load_content()
    found = []
    for step in range(1, STEP_COUNT + 1):
        page.get_by_label("Go to step").select_option(index=step - 1)
        expect_step(page, step)
        expect(page.locator(".wb-app__body h1")).to_have_text(content.chapter(step).title)
        page.wait_for_timeout(300)  # charts and cards settle
        found += axe_violations(axe.run(page, options=options), step=step, width=width)
        # axe skips what is hidden; HTML_CodeSniffer (rule H37) flags any <img> with no alt.
        found += [f"step {step} at {width} px: <img class={name!r}> has no alt"
                  for name in page.eval_on_selector_all("img:not([alt])", "els => els.map(e => e.className)")]
        if step == STEP_COUNT:
            # The summary is a page of its own in a frame: axe does not go into it by itself.
            frame = page.locator("iframe.wb-summary__frame").element_handle().content_frame()
            expect(frame.locator("h1")).to_have_text("Your back spasm plan")
            found += axe_violations(axe.run(frame, options=options), step=step, width=width,
                                    where=" in the summary frame")
    assert found == [], "\n".join(found)
    leave(page)
