"""Bytes on the wire: what a first and a returning visit carry, as Chromium counts them
(`encodedDataLength`: compressed bodies and headers), and whether plotly.js was asked for
before the first step was ready."""

from __future__ import annotations

import asyncio

from playwright.async_api import Browser, BrowserContext

from benchmarks.pages import LOAD_TIMEOUT_MS, Tracker, leave, new_context

# Seconds after the first step is ready for the requests still under way to end.
LATE_REQUESTS = 3.0


async def visit(context: BrowserContext, url: str, tracker: Tracker) -> dict:
    """One visit in `context` (its cache kept from earlier visits): bytes, requests, and the
    plotly.js requests made before the first step was ready."""
    page = await context.new_page()
    tracker.watch(page)
    cdp = await context.new_cdp_session(page)
    await cdp.send("Network.enable")
    asked: dict[str, str] = {}
    received: dict[str, int] = {}
    cdp.on("Network.requestWillBeSent", lambda event: asked.__setitem__(event["requestId"], event["request"]["url"]))
    cdp.on("Network.loadingFinished",
           lambda event: received.__setitem__(event["requestId"], int(event["encodedDataLength"])))
    await page.goto(url, wait_until="commit", timeout=LOAD_TIMEOUT_MS)
    await page.wait_for_function("window.__wbShownAt !== undefined", timeout=LOAD_TIMEOUT_MS, polling=50)
    plotly_before_ready = sorted(u for u in asked.values() if "plotly" in u.lower())
    await asyncio.sleep(LATE_REQUESTS)
    await leave(page)
    return {"bytes": sum(received.values()), "requests": len(asked), "plotly_before_ready": plotly_before_ready}


async def bytes_on_the_wire(browser: Browser, url: str, tracker: Tracker) -> dict:
    """A first visit in a fresh browser profile, then a returning visit in the same one."""
    context = await new_context(browser)
    try:
        return {"first": await visit(context, url, tracker), "returning": await visit(context, url, tracker)}
    finally:
        await context.close()
