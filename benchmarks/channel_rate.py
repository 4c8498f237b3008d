"""How many messages a real page sends its kernel at most in one second:
`python -m benchmarks.channel_rate`.

Serves the workbook as `workbook serve` does and walks one page in headless Chromium as fast
as the machine allows: every step with Next as soon as it shows, every warning sign answered,
the step menu jumped through, the own-words box typed into at machine speed (each key is a
widget update) and at a fast typist's 20 ms a key, and the quiz answered and checked. Every
frame the page sends on its kernel channel is timed as Playwright reports it; the most in any one-second
window is the page's peak, from which the channel's budget (`workbook.serving.channel`) is set.
Writes `benchmarks/channel_rate.md`.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.support.servers import CHROMIUM, CHROMIUM_ARGS, serve_workbook
from workbook.serving.channel import MESSAGES_PER_SECOND

HERE = Path(__file__).parent
WORDS = "It started when I lifted a heavy box at work and twisted to put it down. " * 4


def peak(times: list[float], window: float = 1.0) -> int:
    """The most of `times` (seconds, in order) inside any window of that length."""
    most, start = 0, 0
    for end, moment in enumerate(times):
        while moment - times[start] > window:
            start += 1
        most = max(most, end - start + 1)
    return most


def walk(page, sent: list[float], phases: dict[str, tuple[int, int]]) -> None:
    def phase(name: str, action) -> None:
        first = len(sent)
        action()
        page.wait_for_timeout(1500)  # the kernel's answers, and the page's echoes
        phases[name] = (first, len(sent))

    next_button = page.get_by_role("button", name="Next", exact=True)
    next_button.wait_for(timeout=60_000)

    def go_to(label: str) -> None:
        page.get_by_label("Go to step").select_option(label=label)
        step = label.split(".")[0]
        page.locator(".wb-progress__text").filter(has_text=f"Step {step} of 10").wait_for(timeout=30_000)

    def every_step() -> None:
        for step in range(2, 11):
            next_button.click()
            page.locator(".wb-progress__text").filter(has_text=f"Step {step} of 10").wait_for(timeout=30_000)

    def warning_signs() -> None:
        go_to("2. Safety check")
        for row in page.locator(".wb-redflag").all():
            row.get_by_label("No").check()

    def menu_jumps() -> None:
        menu = page.get_by_label("Go to step")
        for label in ("3.", "6.", "9.", "5.", "8.", "10.", "2.", "7.", "4."):
            option = menu.locator("option", has_text=label).first.text_content()
            menu.select_option(label=option)

    def typing(delay: float):
        def run() -> None:
            go_to("5. Signs and finding the cause")
            box = page.get_by_label("In your own words")
            box.fill("")
            box.press_sequentially(WORDS[:280], delay=delay)
        return run

    def quiz() -> None:
        go_to("6. Treatment")
        for question in page.locator(".wb-quiz__question").all():
            question.locator("input[type=radio], input[type=checkbox]").first.check()
            question.get_by_role("button", name="Check my answer").click()

    phase("every step with Next, at once", every_step)
    phase("every warning sign answered", warning_signs)
    phase("step menu jumps", menu_jumps)
    phase("own words typed at machine speed", typing(0))
    phase("own words typed at 20 ms a key", typing(20))
    phase("the quiz answered and checked", quiz)


def main() -> None:
    server = serve_workbook(pool_size=1, log=HERE / "artifacts" / "channel-rate-server.log")
    sent: list[float] = []
    phases: dict[str, tuple[int, int]] = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_context(viewport={"width": 768, "height": 1024}).new_page()

            def watch(socket) -> None:
                if "/channels" in socket.url:
                    socket.on("framesent", lambda _payload: sent.append(time.monotonic()))

            page.on("websocket", watch)
            page.goto(server.url)
            walk(page, sent, phases)
            browser.close()
    finally:
        server.stop()
    rows = [(name, end - first, peak(sent[first:end])) for name, (first, end) in phases.items()]
    overall = peak(sent)
    lines = [
        "# A page's messages to its kernel",
        "",
        f"`python -m benchmarks.channel_rate`, {datetime.now(timezone.utc):%Y-%m-%d}: one page in headless "
        "Chromium walked as fast as the machine allows; every frame the page sent on its kernel channel, "
        "timed as Playwright reported it.",
        "",
        "| what the page did | messages | most in one second |",
        "|---|---:|---:|",
        *(f"| {name} | {count} | {most} |" for name, count, most in rows),
        f"| **the whole walk** | {len(sent)} | **{overall}** |",
        "",
        f"The channel's budget is {MESSAGES_PER_SECOND} messages a second "
        f"({MESSAGES_PER_SECOND / max(overall, 1):.1f} times this peak).",
        "",
    ]
    (HERE / "channel_rate.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
