"""The figures taken in the browser: time to interactive, step and quiz latency, menu jumps,
widget models, memory with pages open, a clinic at once, pages opened at the same instant,
pages arriving one after another, and churn."""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass

from playwright.async_api import Browser, Page

from benchmarks.pages import (
    Tracker,
    leave,
    leave_alone,
    load,
    load_alone,
    new_context,
    settle,
    visible_error_cards,
    wait_for_kernels,
    wait_for_pool,
)
from benchmarks.probes import FIRST_STEP, MENU_LATENCY, QUIZ_LATENCY, STEP_LATENCY, WALK, WIDGET_MODELS
from benchmarks.servers import browser_processes, cpu_seconds
from tests.support.servers import Server

STEP_COUNT = 10
# Seconds between two warm loads: a patient leaves, the next one starts.
WARM_PAUSE = 2.0
# Milliseconds on a step before Next on a first visit: the shortest look at a new step.
READING_MS = 1500
# The steps chosen in the step menu on a fresh page: every step but the first, once each, in a
# fixed scrambled order.
MENU_JUMPS = (3, 6, 9, 5, 8, 10, 2, 7, 4)
# Seconds between two pages arriving (`arrivals`).
ARRIVAL_EVERY = 1.5
# Seconds a page is left after a step shows before its widget models are counted: the page
# has it prepare the next step meanwhile.
MODELS_SETTLE = 3.0


@dataclass
class Plan:
    """How many times each figure is taken."""

    cold_starts: int = 3
    warm_loads: int = 20
    latency_pages: int = 12  # each walks 9 Next clicks on first visit and 9 on a revisit
    quiz_checks: int = 100
    clinic_open: int = 20
    clinic_walkers: int = 5
    clinic_clicks: int = 108
    at_once: int = 10
    churn: int = 200
    rushed_pages: int = 12  # each clicks Next 9 times as soon as each step shows (first visits)
    jump_pages: int = 12  # each chooses 9 steps in the step menu as soon as each shows
    arrival_seconds: float = 60  # a new page every ARRIVAL_EVERY seconds for this long
    kernel_starts: int = 3  # fresh servers on which the pool's first kernels are timed


QUICK = Plan(cold_starts=1, warm_loads=3, latency_pages=2, quiz_checks=10, clinic_open=6,
             clinic_walkers=2, clinic_clicks=18, at_once=3, churn=5, rushed_pages=2, jump_pages=2,
             arrival_seconds=15, kernel_starts=1)


# --- 1. time to interactive -------------------------------------------------------------

async def cold_loads(browser: Browser, start, runs: int, tracker: Tracker) -> list[float]:
    """The first page after the server starts, over `runs` fresh servers."""
    times = []
    for run in range(runs):
        server = start(run)
        try:
            context = await new_context(browser)
            page, tti = await load(context, server.url, tracker)
            times.append(tti)
            await leave(page)
            await context.close()
        finally:
            server.stop()
    return times


async def warm_loads(browser: Browser, server: Server, loads: int, tracker: Tracker, *,
                     same_device: bool) -> list[float]:
    """Loads one after another on a warm server; a fresh browser profile each time unless
    `same_device` (a clinic tablet with the page's scripts in its cache)."""
    times = []
    shared = await new_context(browser) if same_device else None
    if shared is not None:  # fill the cache once
        page, _ = await load(shared, server.url, tracker)
        await leave(page)
        await asyncio.sleep(WARM_PAUSE)
    for _ in range(loads):
        context = shared or await new_context(browser)
        page, tti = await load(context, server.url, tracker)
        times.append(tti)
        await leave(page)
        if shared is None:
            await context.close()
        await asyncio.sleep(WARM_PAUSE)
    if shared is not None:
        await shared.close()
    return times


# --- 2. latency ----------------------------------------------------------------------------

async def go_to_first_step(page: Page, *, workbook: bool) -> None:
    if workbook:
        await page.evaluate(FIRST_STEP, {"timeout": 30_000})


async def step_latency(browser: Browser, server: Server, pages: int, tracker: Tracker, *,
                       workbook: bool) -> dict[str, list[float]]:
    """Next clicks on fresh pages: the first visit of each step, then a revisit."""
    first, again = [], []
    context = await new_context(browser)
    for _ in range(pages):
        page, _ = await load(context, server.url, tracker)
        first += await page.evaluate(STEP_LATENCY, {"count": STEP_COUNT - 1, "timeout": 30_000, "pause": READING_MS})
        await go_to_first_step(page, workbook=workbook)
        again += await page.evaluate(STEP_LATENCY, {"count": STEP_COUNT - 1, "timeout": 30_000})
        await leave(page)
        await asyncio.sleep(WARM_PAUSE)
    await context.close()
    return {"first_visit": first, "revisit": again}


async def first_visits_without_reading(browser: Browser, server: Server, pages: int,
                                       tracker: Tracker) -> list[float]:
    """Next clicked as soon as each step shows, from step 1 to the last, on fresh pages: every
    click a first visit, with no time to prepare the next step while the patient reads."""
    times: list[float] = []
    context = await new_context(browser)
    for _ in range(pages):
        page, _ = await load(context, server.url, tracker)
        times += await page.evaluate(STEP_LATENCY, {"count": STEP_COUNT - 1, "timeout": 30_000})
        await leave(page)
        await asyncio.sleep(WARM_PAUSE)
    await context.close()
    return times


async def menu_jumps(browser: Browser, server: Server, pages: int, tracker: Tracker) -> list[float]:
    """Steps chosen in the step menu ("Go to step") as soon as each shows, on fresh pages, in
    the order of MENU_JUMPS: every step a first visit, and mostly not the one prepared."""
    times: list[float] = []
    context = await new_context(browser)
    for _ in range(pages):
        page, _ = await load(context, server.url, tracker)
        times += await page.evaluate(MENU_LATENCY, {"steps": list(MENU_JUMPS), "timeout": 30_000})
        await leave(page)
        await asyncio.sleep(WARM_PAUSE)
    await context.close()
    return times


async def quiz_latency(browser: Browser, server: Server, checks: int, tracker: Tracker) -> list[float]:
    """"Check my answer" until the feedback is on screen, on step 3's first question."""
    context = await new_context(browser)
    page, _ = await load(context, server.url, tracker)
    await page.get_by_label("Go to step").select_option(index=2)
    await page.locator(".wb-quiz__question").first.wait_for()
    await page.wait_for_timeout(READING_MS)  # the patient reads the question first
    times = await page.evaluate(QUIZ_LATENCY, {"count": checks, "timeout": 30_000})
    await leave(page)
    await context.close()
    return times


async def widget_models(browser: Browser, server: Server, tracker: Tracker, *, workbook: bool) -> dict:
    """The widget models of one session, as its kernel and its page hold them: on a fresh page
    at step 1, and after every step (the workbook: walked as a patient walks it, every question
    answered; the bare page: Next to its tenth heading)."""
    context = await new_context(browser)
    page, _ = await load(context, server.url, tracker)
    await asyncio.sleep(MODELS_SETTLE)
    first = await page.evaluate(WIDGET_MODELS, {"timeout": 30_000})
    if workbook:
        await page.evaluate(WALK, {"walk": 0, "timeout": 30_000})
    else:
        await page.evaluate(STEP_LATENCY, {"count": STEP_COUNT - 1, "timeout": 30_000})
    await asyncio.sleep(MODELS_SETTLE)
    last = await page.evaluate(WIDGET_MODELS, {"timeout": 30_000})
    await leave(page)
    await context.close()
    return {"step_1": first, "all_steps": last}


# --- 3. memory -----------------------------------------------------------------------------

async def memory_by_pages(server: Server, browser: Browser, counts: list[int],
                          tracker: Tracker) -> tuple[dict[int, dict[str, float]], list[Page]]:
    """Memory of the server and its kernels with 0 and then `counts` pages open."""
    await settle()
    readings = {0: server.memory()}
    pages: list[Page] = []
    for count in counts:
        while len(pages) < count:
            pages.append((await load_alone(browser, server.url, tracker))[0])
        await settle()
        readings[count] = server.memory()
    return readings, pages


# --- 4. a clinic at once ---------------------------------------------------------------------

async def walk(page: Page, stop: asyncio.Event, errors: list[str], name: str) -> int:
    """Walk every step, answering the safety check and the questions, until told to stop."""
    walks = 0
    while walks == 0 or not stop.is_set():
        try:
            await go_to_first_step(page, workbook=True)
            await page.evaluate(WALK, {"walk": walks, "timeout": 30_000})
            walks += 1
        except Exception as error:  # counted and reported; the walk starts again
            errors.append(f"{name}: {type(error).__name__}: {str(error).splitlines()[0]}")
            if len(errors) > 20:
                break
    return walks


async def measure_steps_under_load(page: Page, clicks: int) -> list[float]:
    times: list[float] = []
    while len(times) < clicks:
        await go_to_first_step(page, workbook=True)
        count = min(STEP_COUNT - 1, clicks - len(times))
        times += await page.evaluate(STEP_LATENCY, {"count": count, "timeout": 30_000, "pause": READING_MS})
    return times


async def clinic_at_once(server: Server, pages: list[Page], plan: Plan, tracker: Tracker) -> dict:
    walkers, measurer = pages[: plan.clinic_walkers], pages[plan.clinic_walkers]
    stop, errors = asyncio.Event(), []
    server_cpu, browser_cpu, started = cpu_seconds(server.processes()), cpu_seconds(browser_processes()), time.monotonic()
    tasks = [asyncio.create_task(walk(page, stop, errors, f"patient {i + 1}")) for i, page in enumerate(walkers)]
    try:
        times = await measure_steps_under_load(measurer, plan.clinic_clicks)
    finally:
        stop.set()
        walks = await asyncio.gather(*tasks)
    wall = time.monotonic() - started
    cards = sum([await visible_error_cards(page) for page in pages])
    return {
        "pages_open": len(pages), "walkers": len(walkers), "walks_completed": sum(walks),
        "clicks": len(times), "step_ms": times, "errors": errors + [f"{cards} error card(s) on screen"] * bool(cards),
        "seconds": wall, "server_cpu_s": cpu_seconds(server.processes()) - server_cpu,
        "browser_cpu_s": cpu_seconds(browser_processes()) - browser_cpu,
    }


async def opened_at_once(browser: Browser, server: Server, count: int) -> dict:
    """`count` pages opened at the same instant, each on its own tablet."""
    tracker = Tracker()
    server_cpu, browser_cpu, started = cpu_seconds(server.processes()), cpu_seconds(browser_processes()), time.monotonic()
    results = await asyncio.gather(*(load_alone(browser, server.url, tracker) for _ in range(count)),
                                   return_exceptions=True)
    wall = time.monotonic() - started
    usage = {"server_cpu_s": cpu_seconds(server.processes()) - server_cpu,
             "browser_cpu_s": cpu_seconds(browser_processes()) - browser_cpu, "seconds": wall}
    errors = [f"{type(r).__name__}: {str(r).splitlines()[0]}" for r in results if isinstance(r, BaseException)]
    loaded = [r for r in results if not isinstance(r, BaseException)]
    for page, _ in loaded:
        if await visible_error_cards(page):
            errors.append("error card on screen")
    for page, _ in loaded:
        await leave_alone(page)
    return {"pages": count, "tti_ms": [tti for _, tti in loaded], "errors": errors + tracker.errors, **usage}


async def arrive(browser: Browser, server: Server, tracker: Tracker) -> float:
    """One page on its own tablet, left as soon as it is ready; its time to interactive. A page
    that does not become ready is left too, so that its kernel ends all the same."""
    context = await new_context(browser)
    try:
        page, tti = await load(context, server.url, tracker)
        cards = await visible_error_cards(page)
    finally:
        for page in context.pages:
            with contextlib.suppress(Exception):  # the load's own error is the one reported
                await leave(page)
        await context.close()
    if cards:
        raise RuntimeError("error card on screen")
    return tti


async def arrivals(browser: Browser, server: Server, seconds: float, pool_size: int,
                   every: float = ARRIVAL_EVERY) -> dict:
    """A new page every `every` seconds for `seconds`, each on its own tablet and left once
    it is ready, whether or not the ones before are; then the pool is waited for to refill."""
    tracker = Tracker()
    await wait_for_pool(server, pool_size)
    server_cpu, browser_cpu, started = cpu_seconds(server.processes()), cpu_seconds(browser_processes()), time.monotonic()

    async def arrive_at(offset: float) -> float:
        await asyncio.sleep(max(0.0, started + offset - time.monotonic()))
        return await arrive(browser, server, tracker)

    count = round(seconds / every)
    results = await asyncio.gather(*(arrive_at(i * every) for i in range(count)), return_exceptions=True)
    wall = time.monotonic() - started
    usage = {"server_cpu_s": cpu_seconds(server.processes()) - server_cpu,
             "browser_cpu_s": cpu_seconds(browser_processes()) - browser_cpu, "seconds": wall}
    errors = [f"{type(r).__name__}: {(str(r).splitlines() or [''])[0]}"
              for r in results if isinstance(r, BaseException)]
    kernels = await wait_for_pool(server, pool_size)
    return {"pages": count, "every_s": every, "tti_ms": [r for r in results if not isinstance(r, BaseException)],
            "errors": errors + tracker.errors, "kernels_left": max(0, kernels - pool_size), **usage}


# --- 5. churn ------------------------------------------------------------------------------

async def churn(browser: Browser, server: Server, sessions: int, pool_size: int) -> dict:
    tracker = Tracker()
    await wait_for_kernels(server, pool_size)
    await settle()
    before = server.memory()
    context = await new_context(browser)
    errors, started = [], time.monotonic()
    for _ in range(sessions):
        try:
            page, _ = await load(context, server.url, tracker)
            await leave(page)
        except Exception as error:
            errors.append(f"{type(error).__name__}: {str(error).splitlines()[0]}")
    await context.close()
    seconds = time.monotonic() - started
    kernels = await wait_for_kernels(server, pool_size, timeout=30)
    await settle()
    after = server.memory()
    return {"sessions": sessions, "seconds": seconds, "kernels_left": kernels - pool_size,
            "memory_before": before, "memory_after": after,
            "memory_ratio": after["rss_mb"] / before["rss_mb"], "errors": errors + tracker.errors}
