"""Pages in the headless browser, each as on a tablet, and waiting for the server's kernels.

A page is loaded until "Step 1 of 10" and an enabled Next button are on screen (the time is
taken in the page by `READY_PROBE`), and left as a person leaves it, so that its kernel ends.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from playwright.async_api import Browser, BrowserContext, Page

from benchmarks.probes import READY_PROBE
from tests.support.servers import Server

TABLET = {"width": 768, "height": 1024}
LOAD_TIMEOUT_MS = 120_000


@dataclass
class Tracker:
    """Page errors seen on every page opened."""

    errors: list[str] = field(default_factory=list)

    def watch(self, page: Page) -> None:
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        page.on("crash", lambda _page: self.errors.append("page crashed"))


async def load(context: BrowserContext, url: str, tracker: Tracker) -> tuple[Page, float]:
    """Open the page; return it with its time to interactive in ms (the page's clock)."""
    page = await context.new_page()
    tracker.watch(page)
    await page.goto(url, wait_until="commit", timeout=LOAD_TIMEOUT_MS)
    await page.wait_for_function("window.__wbShownAt !== undefined", timeout=LOAD_TIMEOUT_MS, polling=50)
    return page, await page.evaluate("window.__wbShownAt")


async def leave(page: Page) -> None:
    """Leave as a person does: the page's unload asks the server to end its kernel."""
    await page.goto("about:blank")
    await page.close()


async def new_context(browser: Browser) -> BrowserContext:
    # Behind nginx the benchmark's certificate is self-signed (`benchmarks.proxy`).
    context = await browser.new_context(viewport=TABLET, ignore_https_errors=True)
    await context.add_init_script(READY_PROBE)
    return context


async def wait_for_kernels(server: Server, count: int, timeout: float = 60) -> int:
    """Wait until the server runs at most `count` kernels; return how many it runs."""
    deadline = time.monotonic() + timeout
    while server.kernel_count() > count and time.monotonic() < deadline:
        await asyncio.sleep(0.5)
    return server.kernel_count()


async def wait_for_pool(server: Server, pool_size: int, timeout: float = 60) -> int:
    """Wait until no page's kernel is left and the pool has started its kernels again, then
    for them to settle (run the notebook); return how many kernels the server runs."""
    await wait_for_kernels(server, pool_size, timeout)
    deadline = time.monotonic() + timeout
    while server.kernel_count() < pool_size and time.monotonic() < deadline:
        await asyncio.sleep(0.5)
    await settle()
    return server.kernel_count()


async def visible_error_cards(page: Page) -> int:
    return await page.locator(".wb-error-card:visible").count()


async def settle(seconds: float = 5.0) -> None:
    # The pool refills after a page takes a kernel; memory is read once it has.
    await asyncio.sleep(seconds)


async def load_alone(browser: Browser, url: str, tracker: Tracker) -> tuple[Page, float]:
    """Open the page in a browser profile of its own, as on its own tablet.

    (Pages that share a profile share a window in headless Chromium, and all but the front
    one get an animation frame about once a second, which would time the browser, not us.)
    """
    return await load(await new_context(browser), url, tracker)


async def leave_alone(page: Page) -> None:
    context = page.context
    await leave(page)
    await context.close()
