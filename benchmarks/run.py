"""`make bench`: how fast the workbook is, and what it costs, next to two baselines.

Every figure is measured in this run, for the workbook and, where it applies, for the static
floor page and the bare Voilà page (see `baselines.py`):

1. time to interactive, cold (first page after the server starts) and warm; a preheated
   kernel's start until the pool reports it ready, and until a page from it is served;
2. step latency (Next until the next heading is on screen), with and without reading time,
   jumps through the step menu, and quiz feedback latency; widget models of one session;
3. memory of the server and its kernels with 0, 1, 10 and 20 pages open;
4. a clinic at once: 20 pages open, 5 patients walking every step while a sixth page measures
   its step latency; then 10 pages opened at the same instant, and a page arriving every
   1.5 s for a minute;
5. churn: pages opened and closed one after another; kernels left and memory after;
6. bytes on the wire of a first and a returning visit, and whether plotly.js comes before the
   first step is ready.

Writes `benchmarks/results.md` and `benchmarks/results.json`; exits 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from playwright.async_api import Browser, async_playwright

from benchmarks.baselines import write_static_site
from benchmarks.kernel_start import kernel_start_to_ready
from benchmarks.measures import (
    ARRIVAL_EVERY,
    QUICK,
    Plan,
    arrivals,
    churn,
    clinic_at_once,
    cold_loads,
    first_visits_without_reading,
    memory_by_pages,
    menu_jumps,
    opened_at_once,
    quiz_latency,
    step_latency,
    warm_loads,
    widget_models,
)
from benchmarks.pages import Tracker, leave_alone, wait_for_kernels
from benchmarks.reporting import machine, say
from benchmarks.run_report import report, summarise
from benchmarks.servers import ARTIFACTS, start_bare_voila, start_static
from benchmarks.wire import bytes_on_the_wire
from tests.support.servers import CHROMIUM, CHROMIUM_ARGS, Server, serve_workbook
from workbook.serving.settings import ServeSettings

HERE = Path(__file__).parent


# --- the run -------------------------------------------------------------------------------

def log_path(name: str) -> Path:
    """A server's log among the run's artifacts."""
    return ARTIFACTS / f"{name.replace(' ', '-')}.log"


async def voila_figures(browser: Browser, start: Callable[[Path], Server], plan: Plan, pool_size: int, *,
                        name: str, workbook: bool) -> dict:
    """Every figure for a Voilà page: the bare one, or the workbook (which also gets the quiz,
    menu jumps, the clinic at once and churn). `start` starts a server with the given log."""
    tracker = Tracker()
    say(f"{name}: time to interactive")
    found: dict = {"cold_ms": await cold_loads(browser, lambda i: start(log_path(f"{name}-cold-{i}")),
                                               plan.cold_starts, tracker)}
    say(f"{name}: kernel start to ready")
    found["kernel_start"] = await kernel_start_to_ready(start, lambda i: log_path(f"{name}-kernel-start-{i}"),
                                                        plan.kernel_starts)
    server = start(log_path(name))
    try:
        say(f"{name}: bytes on the wire")
        found["wire"] = await bytes_on_the_wire(browser, server.url, tracker)
        found["warm_ms"] = await warm_loads(browser, server, plan.warm_loads, tracker, same_device=False)
        if workbook:
            found["warm_cached_ms"] = await warm_loads(browser, server, plan.warm_loads, tracker, same_device=True)
        say(f"{name}: step latency")
        found["steps"] = await step_latency(browser, server, plan.latency_pages, tracker, workbook=workbook)
        found["steps"]["first_visit_no_reading"] = await first_visits_without_reading(
            browser, server, plan.rushed_pages, tracker)
        if workbook:
            say(f"{name}: step menu jumps")
            found["steps"]["menu_jumps"] = await menu_jumps(browser, server, plan.jump_pages, tracker)
            found["quiz_ms"] = await quiz_latency(browser, server, plan.quiz_checks, tracker)
        say(f"{name}: widget models of a session")
        found["widget_models"] = await widget_models(browser, server, tracker, workbook=workbook)
        say(f"{name}: memory with pages open")
        found["memory"], pages = await memory_by_pages(
            server, browser, [1, plan.clinic_open // 2, plan.clinic_open], tracker)
        if workbook:
            say(f"{name}: a clinic at once")
            found["clinic"] = await clinic_at_once(server, pages, plan, tracker)
        for page in pages:
            await leave_alone(page)
        await wait_for_kernels(server, pool_size)
        say(f"{name}: pages opened at the same instant")
        found["at_once"] = await opened_at_once(browser, server, plan.at_once)
        if workbook:
            say(f"{name}: churn of {plan.churn} sessions")
            found["churn"] = await churn(browser, server, plan.churn, pool_size)
        # Last: a page that never becomes ready may leave a kernel waiting for it.
        say(f"{name}: a page arriving every {ARRIVAL_EVERY:g} s for {plan.arrival_seconds:g} s")
        found["arrivals"] = await arrivals(browser, server, plan.arrival_seconds, pool_size)
    finally:
        server.stop()
    found["errors"] = tracker.errors
    return found


async def run(plan: Plan, pool_size: int) -> dict:
    ARTIFACTS.mkdir(exist_ok=True)
    results: dict = {"plan": plan.__dict__, "pool_size": pool_size}
    site = Path(tempfile.mkdtemp(prefix="wb-static-"))
    write_static_site(site)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        results["chromium"] = browser.version

        say("static page: time to interactive and step latency")
        tracker = Tracker()
        static = {"cold_ms": await cold_loads(
            browser, lambda i: start_static(folder=site, log=ARTIFACTS / "static.log"), plan.cold_starts, tracker)}
        server = start_static(folder=site, log=ARTIFACTS / "static.log")
        try:
            static["wire"] = await bytes_on_the_wire(browser, server.url, tracker)
            static["warm_ms"] = await warm_loads(browser, server, plan.warm_loads, tracker, same_device=False)
            static["steps"] = await step_latency(browser, server, plan.latency_pages, tracker, workbook=False)
            static["steps"]["first_visit_no_reading"] = await first_visits_without_reading(
                browser, server, plan.rushed_pages, tracker)
        finally:
            server.stop()
        static["errors"] = tracker.errors
        results["static"] = static

        results["bare"] = await voila_figures(
            browser, lambda log: start_bare_voila(pool_size=pool_size, log=log),
            plan, pool_size, name="bare Voilà", workbook=False)
        results["workbook"] = await voila_figures(
            browser, lambda log: serve_workbook(pool_size=pool_size, log=log),
            plan, pool_size, name="workbook", workbook=True)
        await browser.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few repetitions only, to try the benchmark out")
    parser.add_argument("--pool-size", type=int, default=ServeSettings().pool_size,
                        help="preheated kernels (default: as `workbook serve`)")
    parser.add_argument("--out", type=Path, default=HERE, help="folder for results.md and results.json")
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else Plan()
    given = sys.argv[1:] if argv is None else argv
    command = "python -m benchmarks.run " + " ".join(given) if given else "make bench"
    started = time.monotonic()
    results = asyncio.run(run(plan, args.pool_size))
    results["seconds"] = time.monotonic() - started
    results["date"] = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    results["machine"] = machine()
    name = "results-quick" if args.quick else "results"
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"{name}.json").write_text(json.dumps(results, indent=1, default=str))
    text = report(results, command)
    (args.out / f"{name}.md").write_text(text)
    print(text)
    _, targets = summarise(results)
    return 0 if all(held for _, held, _ in targets) else 1


if __name__ == "__main__":
    sys.exit(main())
