"""Serve the dashboard for real and drive it in headless Chromium.

One server for the whole session (per pytest-xdist test process), started exactly as
`workbook serve` starts it; one Chromium; a fresh page per test that records every request
it makes. Page helpers are in `tests/browser/pages.py`, servers in `tests/support/servers.py`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.browser.pages import ARTIFACTS, Visit, leave, open_page
from tests.support.servers import CHROMIUM, CHROMIUM_ARGS, Server, serve_workbook


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    # Under pytest-xdist each test process has its own server (and its own log).
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    running = serve_workbook(log=ARTIFACTS / (f"server-{worker}.log" if worker else "server.log"))
    yield running
    running.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: `make test` installs it with apt-get")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def visit(browser: Browser, server: Server) -> Iterator[Visit]:
    opened = open_page(browser, server.url)
    opened.page.get_by_role("button", name="Next").wait_for(timeout=60_000)
    yield opened
    leave(opened.page)
