"""A second accessibility engine: HTML_CodeSniffer (WCAG2AA) on every step of the served
workbook, at tablet and desktop size, with a warning sign answered yes (the care card shows)
and a risk factor ticked (the chart is drawn).

HTML_CodeSniffer is not a dependency of the workbook: get it from the npm registry into a
folder of your choice, then point this at its built script:

    npm install --prefix /tmp/htmlcs html_codesniffer@2.5.1
    python -m benchmarks.htmlcs /tmp/htmlcs/node_modules/html_codesniffer/build/HTMLCS.js

It prints every error per step and exits 1 if there is any.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.support.servers import CHROMIUM, CHROMIUM_ARGS, serve_workbook

HERE = Path(__file__).parent
SIZES = ((768, 1024), (1366, 768))
STEPS = 10
SETTLE_MS = 1500  # cards and charts drawn
RUN = """() => new Promise(resolve => HTMLCS.process("WCAG2AA", document, () => resolve(
  HTMLCS.getMessages().filter(m => m.type === HTMLCS.ERROR).map(m => ({
    code: m.code, message: m.msg, element: (m.element.outerHTML || m.element.nodeName || "").slice(0, 160),
  }))
)))"""


def errors_on_every_step(page, script: Path) -> dict[int, list[dict]]:
    """HTML_CodeSniffer's errors on each step, reached with the step menu."""
    page.get_by_role("button", name="Next", exact=True).wait_for(timeout=90_000)
    menu = page.get_by_label("Go to step")
    found = {}
    for step in range(1, STEPS + 1):
        menu.select_option(index=step - 1)
        page.locator(".wb-progress__text").filter(has_text=f"Step {step} of {STEPS}").wait_for(timeout=30_000)
        if step == 2:
            page.locator(".wb-redflag", has_text="chest pain").get_by_label("Yes").check()
        if step == 4:
            page.get_by_label("Do you sit for a long time most days?").check()
        page.wait_for_timeout(SETTLE_MS)
        page.add_script_tag(path=str(script))
        found[step] = page.evaluate(RUN)
    return found


def main() -> None:
    script = Path(sys.argv[1])
    if not script.is_file():
        sys.exit(f"benchmarks.htmlcs: no HTML_CodeSniffer script at {script} (see this module's docstring)")
    server = serve_workbook(log=HERE / "artifacts" / "htmlcs-server.log")
    total = 0
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for width, height in SIZES:
                page = browser.new_context(viewport={"width": width, "height": height}).new_page()
                page.goto(server.url)
                for step, errors in errors_on_every_step(page, script).items():
                    total += len(errors)
                    print(f"{width} px, step {step}: {len(errors)} errors", flush=True)
                    for error in errors:
                        print("   ", json.dumps(error))
                page.context.close()
            browser.close()
    finally:
        server.stop()
    print(f"HTML_CodeSniffer WCAG2AA: {total} errors on {STEPS} steps at {len(SIZES)} sizes")
    sys.exit(1 if total else 0)


if __name__ == "__main__":
    main()
