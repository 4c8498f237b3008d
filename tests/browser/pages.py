"""What the browser tests do on a page: open it, drive its steps, answer the safety check,
wait for it, and take its screenshots; the test modules import these, never each other."""

from __future__ import annotations

import json
import os
import shutil
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Page, expect

from tests.support.servers import Server, serve_workbook
from workbook.content.loader import DEFAULT_DATA_DIR

ARTIFACTS = Path(__file__).parent / "artifacts"
TABLET = {"width": 768, "height": 1024}
DESKTOP = {"width": 1366, "height": 768}
STEP_COUNT = 10
PATIENT_MUST_NOT_SEE = ("Traceback", "There was an error when executing cell", "show_tracebacks")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
PATIENT_TEXT = "chest pain"  # a warning-sign question the patient answers "Yes"
ENDED = "Start again"


@dataclass
class Visit:
    """A page with every request and console error it made."""

    page: Page
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def hosts(self) -> set[str]:
        # data: and blob: URLs are made inside the page; they are no network request.
        return {urlsplit(url).netloc for url in self.requests if not url.startswith(("data:", "blob:"))}


def open_page(browser: Browser, url: str, viewport: dict = TABLET) -> Visit:
    page = browser.new_page(viewport=viewport)
    visit = Visit(page=page)
    page.on("request", lambda request: visit.requests.append(request.url))
    page.on("websocket", lambda socket: visit.requests.append(socket.url.replace("ws", "http", 1)))
    page.on(
        "console",
        lambda message: visit.console_errors.append(message.text) if message.type == "error" else None,
    )
    page.goto(url)
    return visit


def kernel_id(page: Page, timeout: float = 60_000) -> str:
    """The id of the kernel serving this page, from the page's own configuration."""
    page.get_by_role("button", name="Next").wait_for(timeout=timeout)
    config = page.locator("#jupyter-config-data").text_content()
    return json.loads(config)["kernelId"]


def wait_for_fresh_page(page: Page, old_kernel: str) -> str:
    """Wait until the page has been replaced by a fresh one with its own kernel; its id."""
    page.wait_for_function(
        """old => { const config = document.getElementById("jupyter-config-data");
                    return config !== null && JSON.parse(config.textContent).kernelId !== old; }""",
        arg=old_kernel, timeout=60_000,
    )
    return kernel_id(page)


def leave(page: Page) -> None:
    """Leave the page as a person does; its unload handler asks the server to end its kernel.

    (Playwright's page.close() tears the page down before that request is sent.)
    """
    page.goto("about:blank")
    page.close()


def shot(page, name: str) -> None:
    page.screenshot(path=ARTIFACTS / "screenshots" / f"{name}.png", full_page=True)


# How long a step may take to appear after Next in these tests. Next to the first chart the
# page also loads plotly.js: about 2.2 s on an idle machine when Next is pressed at once, more
# while the other test process drives its own pages. Speed is measured in benchmarks/.
STEP_TIMEOUT_MS = 15_000


def expect_step(page, step: int) -> None:
    expect(page.locator(".wb-progress__text")).to_contain_text(
        f"Step {step} of {STEP_COUNT}", timeout=STEP_TIMEOUT_MS
    )


def fill_some_answers(page) -> None:
    menu = page.get_by_label("Go to step")
    menu.select_option(label="2. Safety check")
    page.locator(".wb-redflag", has_text="lump").get_by_label("Yes").check()
    menu.select_option(label="4. What causes back spasms")
    page.get_by_label("Do you sit for a long time most days?").check()


def answer_chest_pain_yes(page) -> None:
    page.get_by_role("button", name="Next", exact=True).click()
    expect_step(page, 2)
    page.locator(".wb-redflag", has_text=PATIENT_TEXT).get_by_label("Yes").check()
    expect(page.locator(".wb-care-area .wb-care-card")).to_have_count(1)


def expect_ended(page, *, timeout: float) -> None:
    """The page shows the ended card, and nothing of the patient is left in it."""
    expect(page.get_by_role("button", name=ENDED, exact=True)).to_be_visible(timeout=timeout)
    assert page.locator("#rendered_cells, .wb-app, .wb-care-card, .jupyter-widgets").count() == 0
    text = page.locator("body").inner_text()
    assert PATIENT_TEXT not in text.lower() and "Traceback" not in text


def wait_for(condition, *, timeout: float, what: str):
    """Wait until `condition()` is true; its value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def get(url: str) -> tuple[int, str]:
    """The status and body of a plain GET, errors included."""
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def serve_copy(tmp_path, edit_clinic: tuple[str, str] | None = None, env: dict | None = None) -> Server:
    """A server on a copy of data/ (optionally with one clinic setting changed)."""
    data = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data)
    if edit_clinic:
        clinic = data / "clinic.yaml"
        clinic.write_text(clinic.read_text().replace(*edit_clinic))
    return serve_workbook("--data-dir", str(data), log=tmp_path / "server.log", env={**os.environ, **(env or {})})


def fresh_artifacts() -> None:
    """Screenshots of this run only (called once per run, by `tests/conftest.py`)."""
    shutil.rmtree(ARTIFACTS / "screenshots", ignore_errors=True)
    (ARTIFACTS / "screenshots").mkdir(parents=True, exist_ok=True)


NAMED_ROLES = {"button", "checkbox", "radio", "combobox", "link", "textbox", "image", "Iframe", "slider"}


def unnamed_in_accessibility_tree(page) -> list[str]:
    """Controls and images in Chromium's accessibility tree that have no accessible name."""
    cdp = page.context.new_cdp_session(page)
    try:
        nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        cdp.detach()
    return [
        node["role"]["value"]
        for node in nodes
        if not node.get("ignored")
        and node.get("role", {}).get("value") in NAMED_ROLES
        and not str(node.get("name", {}).get("value", "")).strip()
    ]
