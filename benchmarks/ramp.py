"""Capacity: simulated patients through nginx, added level by level until one level fails.

At each level every patient opens its page (not measured), then all walk the ten steps at once;
memory is read while they walk, and the CPU time of the server, of this generator and of the
machine is counted. `Level.held` says whether a level held, and if not, why.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
from playwright.async_api import Browser, Page, async_playwright

from benchmarks.loadgen import simulate
from benchmarks.measures import STEP_COUNT
from benchmarks.pages import Tracker, leave_alone, load_alone, wait_for_kernels
from benchmarks.probes import STEP_LATENCY
from benchmarks.reporting import fmt, median, percentile, say
from benchmarks.samples import RunResult
from benchmarks.servers import ARTIFACTS, PROXY_POOL_SIZE, cpu_seconds, start_behind_nginx
from tests.support.servers import CHROMIUM, CHROMIUM_ARGS, Server, unverified

# Simulated patients at once, tried in this order until one level fails; then the level
# halfway between the last held and the first failed is tried.
RAMP_LEVELS = (4, 6, 8, 10, 12, 16, 20, 25, 30, 40, 50, 60, 80)
# The limit for a held level: Next until the kernel has sent the next step, 95th percentile.
STEP_P95_LIMIT_MS = 150.0
# Memory runs short when less than this is left for the rest of the machine.
MEMORY_RESERVE_MB = 1024
# A patient's pace: seconds on each step (each step varies by up to 20%).
STEP_SECONDS = 3.0
# Pages of a level are opened this far apart (their kernels start meanwhile; not measured).
ARRIVAL_SECONDS = 0.5
WORKER_COUNTS = (1, 2, 3)


@dataclass
class Level:
    """One level of the ramp: `patients` simulated patients walking at once."""

    patients: int
    completed: int
    errors: list[str]
    refusals: int
    next_ms: list[float]
    all_ms: list[float]
    peak_rss_mb: float
    peak_pss_mb: float
    available_mb: float
    server_cpu_s: float
    generator_cpu_s: float
    machine_cpu_percent: float
    seconds: float
    browser_next_ms: list[float] | None = None

    @property
    def next_p95(self) -> float | None:
        return percentile(self.next_ms, 95)

    def held(self) -> tuple[bool, str]:
        """Whether the level held, and if not, why."""
        if self.errors:
            return False, f"{len(self.errors)} error(s)"
        if self.refusals:
            return False, f"{self.refusals} refused (busy)"
        if self.completed < self.patients:
            return False, f"{self.patients - self.completed} did not complete"
        if self.available_mb < MEMORY_RESERVE_MB:
            return False, f"memory short ({self.available_mb:,.0f} MB left)"
        if self.next_p95 is None or self.next_p95 > STEP_P95_LIMIT_MS:
            return False, f"step p95 {fmt(self.next_p95)}"
        return True, ""


async def hold(server: Server, patients: int, *, ssl_context: ssl.SSLContext | None,
               beside: Page | None = None) -> Level:
    """`patients` simulated patients load their pages, then all walk the ten steps at once.

    While they walk, memory is read every few seconds (its peak kept), and the CPU time of
    the server (nginx, workers, kernels), of this generator and of the whole machine is
    counted. With `beside`, a real browser page already open walks its steps at the same
    pace at the same time, measuring Next in the page.
    """
    marks: dict = {}
    peak = {"rss_mb": 0.0, "pss_mb": 0.0, "available_mb": float("inf")}
    walking = asyncio.Event()
    me = psutil.Process()

    def read_memory() -> None:
        memory = server.memory()
        peak["rss_mb"] = max(peak["rss_mb"], memory["rss_mb"])
        peak["pss_mb"] = max(peak["pss_mb"], memory["pss_mb"])
        peak["available_mb"] = min(peak["available_mb"], psutil.virtual_memory().available / 2**20)

    async def watch_memory() -> None:
        await walking.wait()
        while True:
            await asyncio.to_thread(read_memory)
            await asyncio.sleep(3)

    async def start_walking() -> None:
        marks["server_cpu"] = await asyncio.to_thread(cpu_seconds, server.processes())
        marks["own_cpu"] = sum(me.cpu_times()[:2])
        psutil.cpu_percent()
        marks["started"] = time.monotonic()
        if beside is not None:
            marks["browser"] = asyncio.create_task(beside.evaluate(
                STEP_LATENCY, {"count": STEP_COUNT - 1, "timeout": 60_000, "pause": STEP_SECONDS * 1000}))
        walking.set()

    watcher = asyncio.create_task(watch_memory())
    try:
        result: RunResult = await simulate(
            server.url, patients, step_seconds=STEP_SECONDS, start_spread=ARRIVAL_SECONDS * (patients - 1),
            ssl_context=ssl_context, together=start_walking)
    finally:
        watcher.cancel()
    seconds = time.monotonic() - marks.get("started", time.monotonic())
    machine_cpu = psutil.cpu_percent()
    server_cpu = await asyncio.to_thread(cpu_seconds, server.processes()) - marks.get("server_cpu", 0.0)
    own_cpu = sum(me.cpu_times()[:2]) - marks.get("own_cpu", 0.0)
    await asyncio.to_thread(read_memory)
    browser_ms = await marks["browser"] if "browser" in marks else None
    return Level(
        patients=patients, completed=result.completed, errors=result.errors, refusals=result.refusals,
        next_ms=result.latencies(["next"]), all_ms=result.latencies(), peak_rss_mb=peak["rss_mb"],
        peak_pss_mb=peak["pss_mb"], available_mb=peak["available_mb"], server_cpu_s=server_cpu,
        generator_cpu_s=own_cpu, machine_cpu_percent=machine_cpu, seconds=seconds, browser_next_ms=browser_ms,
    )


async def between_levels(server: Server, pool: int) -> None:
    """Wait until the last level's kernels have ended and the pool is full again."""
    await wait_for_kernels(server, pool, timeout=120)
    await asyncio.sleep(5)


async def ramp(server: Server, pool: int, *, ssl_context: ssl.SSLContext, levels: tuple[int, ...],
               browser: Browser | None = None, beside_level: int | None = None) -> list[Level]:
    """Levels in turn until one fails, then the one halfway between the last held and it."""
    done: list[Level] = []
    for patients in levels:
        done.append(await one_level(server, pool, patients, ssl_context=ssl_context, browser=browser,
                                    beside=patients == beside_level))
        if not done[-1].held()[0]:
            break
    held = [level.patients for level in done if level.held()[0]]
    failed = [level.patients for level in done if not level.held()[0]]
    if held and failed and failed[0] - max(held) > 1:
        done.append(await one_level(server, pool, (max(held) + failed[0]) // 2, ssl_context=ssl_context))
    return done


async def one_level(server: Server, pool: int, patients: int, *, ssl_context: ssl.SSLContext,
                    browser: Browser | None = None, beside: bool = False) -> Level:
    page = None
    if beside and browser is not None:
        page, _ = await load_alone(browser, server.url, Tracker())
    say(f"  {patients} simulated patients at once" + (", a browser page beside them" if page else ""))
    try:
        level = await hold(server, patients, ssl_context=ssl_context, beside=page)
    finally:
        if page is not None:
            await leave_alone(page)
    ok, why = level.held()
    say(f"    Next p50 {fmt(median(level.next_ms))}, p95 {fmt(level.next_p95)}; "
        f"{'held' if ok else 'not held: ' + why}")
    await between_levels(server, pool)
    return level


async def capacity(certificate: tuple[Path, Path], *, levels: tuple[int, ...], workers: tuple[int, ...]) -> dict:
    """The ramp through nginx with each number of workers; a browser beside the first level of
    the first."""
    found: dict = {"levels": {}}
    context = unverified()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for count in workers:
            say(f"capacity through nginx with {count} worker(s)")
            server = start_behind_nginx(workers=count, certificate=certificate, max_patients=500,
                                        log=ARTIFACTS / f"capacity-{count}.log")
            pool = PROXY_POOL_SIZE if count == 1 else count
            try:
                await between_levels(server, pool)
                found["levels"][count] = await ramp(
                    server, pool, ssl_context=context, levels=levels, browser=browser,
                    beside_level=levels[0] if count == workers[0] else None)
            finally:
                server.stop()
        await browser.close()
    return found
