"""Serve the dashboard for real and drive it in headless Chromium.

One server for the whole session, started exactly as `workbook serve` starts it; one
Chromium; a fresh page per test that records every request it makes.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import psutil
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM = os.environ.get("WORKBOOK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TABLET = {"width": 768, "height": 1024}
DESKTOP = {"width": 1366, "height": 768}


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.browser)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A running dashboard server."""

    process: subprocess.Popen
    url: str
    log: Path

    @property
    def host(self) -> str:
        return urlsplit(self.url).netloc

    def kernel_ids(self) -> set[str]:
        """The ids of the kernels this server has started and not yet ended."""
        try:
            children = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return set()
        ids = set()
        for child in children:
            try:
                match = KERNEL_FILE.search(" ".join(child.cmdline()))
            except (psutil.NoSuchProcess, psutil.ZombieProcess):
                continue
            if match:
                ids.add(match.group(1))
        return ids


KERNEL_FILE = re.compile(r"ipykernel_launcher .*kernel-([0-9a-f-]{36})\.json")
# A static file of the page: polling it does not take a kernel, as loading the page does.
READY_PATH = "voila/templates/workbook/static/workbook.css"


def start_server(command: Sequence[str], *, port: int, log: Path, env: dict | None = None) -> Server:
    """Start a server and wait until its page answers."""
    log.parent.mkdir(parents=True, exist_ok=True)
    # Serve as in production: without pytest's variables, which change how kernels treat
    # their output (ipykernel stops capturing file descriptors under pytest).
    env = {k: v for k, v in (env or os.environ).items() if not k.startswith("PYTEST_")}
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url + READY_PATH, timeout=30) as response:
                if response.status == 200:
                    return Server(process=process, url=url, log=log)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    stop_server(Server(process=process, url=url, log=log))
    raise RuntimeError(f"server did not answer within 120 s:\n{log.read_text()}")


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


def serve_workbook(*options: str, log: Path, env: dict | None = None) -> Server:
    """Start `workbook serve` on a free port with one preheated kernel and the given options."""
    port = free_port()
    command = [sys.executable, "-m", "workbook", "serve", "--port", str(port), "--pool-size", "1", *options]
    return start_server(command, port=port, log=log, env=env)


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    # Under pytest-xdist each test process has its own server (and its own log).
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    running = serve_workbook(log=ARTIFACTS / (f"server-{worker}.log" if worker else "server.log"))
    yield running
    stop_server(running)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: `make test` installs it with apt-get")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


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


@pytest.fixture
def visit(browser: Browser, server: Server) -> Iterator[Visit]:
    opened = open_page(browser, server.url)
    opened.page.get_by_role("button", name="Next").wait_for(timeout=60_000)
    yield opened
    leave(opened.page)


def fresh_artifacts() -> None:
    """Screenshots of this run only (called once per run, by `tests/conftest.py`)."""
    shutil.rmtree(ARTIFACTS / "screenshots", ignore_errors=True)
    (ARTIFACTS / "screenshots").mkdir(parents=True, exist_ok=True)
