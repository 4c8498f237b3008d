"""`make bench`, second part: the workbook behind nginx with HTTPS, and how many patients one
machine serves.

In the same run:

1. **What nginx and TLS cost, and what more workers give**: the workbook served directly
   (one process, plain HTTP, as `workbook serve`), and through nginx with HTTPS with 1 and
   with 3 workers (`workbook serve --workers N --certfile ... --keyfile ...`, a certificate
   made with openssl for the run). For each: warm time to interactive, step latency, 10 pages
   opened at the same instant, and the clinic at once of `benchmarks.run` (20 pages open,
   5 walking, one measuring).
2. **Capacity**: simulated patients (`benchmarks.loadgen`, the page's own protocol, no
   browser) through nginx with 1, 2 and 3 workers, added in steps until the step latency p95
   passes 150 ms or memory runs short; the most patients held, with memory and CPU there. A
   real browser page walks beside the simulated patients at one level, to check the
   generator's latencies against the browser's.

Writes `benchmarks/proxy.md` and `benchmarks/proxy.json`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from playwright.async_api import Browser, Page, async_playwright

from benchmarks.measures import Plan, clinic_at_once, opened_at_once, step_latency, warm_loads
from benchmarks.pages import LOAD_TIMEOUT_MS, Tracker, leave_alone, new_context, wait_for_kernels
from benchmarks.proxy_report import report
from benchmarks.ramp import RAMP_LEVELS, WORKER_COUNTS, Level, capacity
from benchmarks.reporting import machine, say
from benchmarks.servers import ARTIFACTS, PROXY_POOL_SIZE, start_behind_nginx
from tests.support.servers import CHROMIUM, CHROMIUM_ARGS, Server, make_certificate, serve_workbook

HERE = Path(__file__).parent


@dataclass
class ProxyPlan:
    """How many times each figure is taken, per setup."""

    warm_loads: int = 10
    latency_pages: int = 3
    at_once: int = 10
    clinic_open: int = 20
    clinic_walkers: int = 5
    clinic_clicks: int = 54


QUICK = ProxyPlan(warm_loads=2, latency_pages=1, at_once=3, clinic_open=6, clinic_walkers=2, clinic_clicks=9)


async def browser_figures(browser: Browser, server: Server, plan: ProxyPlan, pool: int) -> dict:
    """Time to interactive, step latency, pages at the same instant, a clinic at once."""
    tracker = Tracker()
    found: dict = {"warm_ms": await warm_loads(browser, server, plan.warm_loads, tracker, same_device=False)}
    found["steps"] = await step_latency(browser, server, plan.latency_pages, tracker, workbook=True)
    await wait_for_kernels(server, pool)
    found["at_once"] = await opened_at_once(browser, server, plan.at_once)
    await wait_for_kernels(server, pool)
    clinic_plan = Plan(clinic_walkers=plan.clinic_walkers, clinic_clicks=plan.clinic_clicks)
    pages, stuck = await open_pages(browser, server, plan.clinic_open, tracker)
    found["clinic"] = await clinic_at_once(server, pages, clinic_plan, tracker)
    found["clinic"]["errors"] += stuck
    for page in pages:
        await leave_alone(page)
    found["errors"] = tracker.errors
    return found


async def open_pages(browser: Browser, server: Server, count: int, tracker: Tracker) -> tuple[list[Page], list[str]]:
    """`count` pages opened one after another, each on its own tablet. A page that does not
    become ready is an error (with a screenshot in artifacts/), not the end of the run."""
    pages, errors = [], []
    for number in range(1, count + 1):
        context = await new_context(browser)
        page = await context.new_page()
        tracker.watch(page)
        try:
            await page.goto(server.url, wait_until="commit", timeout=LOAD_TIMEOUT_MS)
            await page.wait_for_function("window.__wbShownAt !== undefined", timeout=LOAD_TIMEOUT_MS, polling=50)
        except Exception as error:  # counted and shown; the other pages carry on
            shot = ARTIFACTS / f"not-ready-{server.name.replace(' ', '-').replace(',', '')}-{number}.png"
            await page.screenshot(path=shot)
            errors.append(f"page {number} not ready: {type(error).__name__} (see {shot.name})")
            await context.close()
            continue
        pages.append(page)
    return pages, errors


async def setups(plan: ProxyPlan, certificate: tuple[Path, Path]) -> dict:
    """The browser figures for the direct process and nginx with 1 and 3 workers."""
    found = {}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        found["chromium"] = browser.version
        starts = {
            "direct": lambda: serve_workbook(pool_size=PROXY_POOL_SIZE, log=ARTIFACTS / "proxy-direct.log"),
            "nginx_1": lambda: start_behind_nginx(workers=1, certificate=certificate,
                                                  log=ARTIFACTS / "proxy-nginx-1.log"),
            "nginx_3": lambda: start_behind_nginx(workers=3, certificate=certificate,
                                                  log=ARTIFACTS / "proxy-nginx-3.log"),
        }
        for name, start in starts.items():
            say(f"{name}: time to interactive, steps, pages at once, a clinic at once")
            server = start()
            pool = PROXY_POOL_SIZE if name != "nginx_3" else 3  # one preheated kernel per worker
            try:
                await wait_for_kernels(server, pool)
                found[name] = await browser_figures(browser, server, plan, pool)
            finally:
                server.stop()
        await browser.close()
    return found


def _as_json(value):
    if isinstance(value, Level):
        return {**value.__dict__, "held": value.held()}
    return str(value)


def nginx_version() -> str:
    from workbook.serving.processes import find_nginx

    result = subprocess.run([find_nginx(), "-v"], capture_output=True, text=True)
    return result.stderr.strip().rpartition("/")[2] or "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.proxy", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few repetitions only, to try it out")
    parser.add_argument("--skip-setups", action="store_true", help="only the capacity ramp")
    parser.add_argument("--skip-capacity", action="store_true", help="only the browser figures")
    parser.add_argument("--out", type=Path, default=HERE, help="folder for proxy.md and proxy.json")
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else ProxyPlan()
    given = sys.argv[1:] if argv is None else argv
    command = "python -m benchmarks.proxy " + " ".join(given) if given else "make bench"
    ARTIFACTS.mkdir(exist_ok=True)
    started = time.monotonic()
    results: dict = {"plan": plan.__dict__, "nginx": nginx_version()}
    levels, workers = ((4, 8), (1, 3)) if args.quick else (RAMP_LEVELS, WORKER_COUNTS)
    with tempfile.TemporaryDirectory(prefix="wb-bench-tls-") as folder:
        certificate = make_certificate(Path(folder))
        if not args.skip_setups:
            results["setups"] = asyncio.run(setups(plan, certificate))
        if not args.skip_capacity:
            results["capacity"] = asyncio.run(capacity(certificate, levels=levels, workers=workers))
    results["seconds"] = time.monotonic() - started
    results["date"] = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    results["machine"] = machine()
    name = "proxy-quick" if args.quick else "proxy"
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"{name}.json").write_text(json.dumps(results, indent=1, default=_as_json))
    text = report(results, command)
    (args.out / f"{name}.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
