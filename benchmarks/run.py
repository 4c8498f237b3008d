"""`make bench`: how fast the workbook is, and what it costs, next to two baselines.

Every figure is measured in this run, for the workbook and, where it applies, for the static
floor page and the bare Voilà page (see `baselines.py`):

1. time to interactive, cold (first page after the server starts) and warm;
2. step latency (Next until the next heading is on screen) and quiz feedback latency;
3. memory of the server and its kernels with 0, 1, 10 and 20 pages open;
4. a clinic at once: 20 pages open, 5 patients walking every step while a sixth page measures
   its step latency; then 10 pages opened at the same instant;
5. churn: pages opened and closed one after another; kernels left and memory after.

Writes `benchmarks/results.md` and `benchmarks/results.json`; exits 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path

from playwright.async_api import Browser, BrowserContext, Page, async_playwright

from benchmarks.baselines import write_static_site
from benchmarks.probes import FIRST_STEP, QUIZ_LATENCY, READY_PROBE, STEP_LATENCY, WALK
from benchmarks.servers import browser_processes, cpu_seconds, start_bare_voila, start_static
from tests.support.servers import CHROMIUM, CHROMIUM_ARGS, Server, serve_workbook
from workbook.serve import ServeSettings

HERE = Path(__file__).parent
ARTIFACTS = HERE / "artifacts"
TABLET = {"width": 768, "height": 1024}
STEP_COUNT = 10
LOAD_TIMEOUT_MS = 120_000
# Seconds between two warm loads: a patient leaves, the next one starts.
WARM_PAUSE = 2.0
# Milliseconds on a step before Next on a first visit: the shortest look at a new step.
READING_MS = 1500


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


QUICK = Plan(cold_starts=1, warm_loads=3, latency_pages=2, quiz_checks=10, clinic_open=6,
             clinic_walkers=2, clinic_clicks=18, at_once=3, churn=5)


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def percentile(values: list[float], p: float) -> float | None:
    """The p-th percentile, nearest rank."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


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


async def visible_error_cards(page: Page) -> int:
    return await page.locator(".wb-error-card:visible").count()


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


# --- 3. memory -----------------------------------------------------------------------------

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


def per_patient(readings: dict[int, dict[str, float]], low: int, high: int) -> dict[str, float]:
    return {key: (readings[high][key] - readings[low][key]) / (high - low) for key in readings[high]}


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


# --- the run -------------------------------------------------------------------------------

async def voila_figures(browser: Browser, start, plan: Plan, pool_size: int, *, name: str,
                        workbook: bool) -> dict:
    """Every figure for a Voilà page: the bare one, or the workbook (which also gets the quiz,
    the clinic at once and churn)."""
    tracker = Tracker()
    say(f"{name}: time to interactive")
    found: dict = {"cold_ms": await cold_loads(browser, lambda i: start(f"{name}-cold-{i}"), plan.cold_starts, tracker)}
    server = start(name)
    try:
        found["warm_ms"] = await warm_loads(browser, server, plan.warm_loads, tracker, same_device=False)
        if workbook:
            found["warm_cached_ms"] = await warm_loads(browser, server, plan.warm_loads, tracker, same_device=True)
        say(f"{name}: step latency")
        found["steps"] = await step_latency(browser, server, plan.latency_pages, tracker, workbook=workbook)
        if workbook:
            found["quiz_ms"] = await quiz_latency(browser, server, plan.quiz_checks, tracker)
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
            static["warm_ms"] = await warm_loads(browser, server, plan.warm_loads, tracker, same_device=False)
            static["steps"] = await step_latency(browser, server, plan.latency_pages, tracker, workbook=False)
        finally:
            server.stop()
        static["errors"] = tracker.errors
        results["static"] = static

        results["bare"] = await voila_figures(
            browser, lambda log: start_bare_voila(pool_size=pool_size, log=ARTIFACTS / f"{log.replace(' ', '-')}.log"),
            plan, pool_size, name="bare Voilà", workbook=False)
        results["workbook"] = await voila_figures(
            browser, lambda log: serve_workbook(pool_size=pool_size, log=ARTIFACTS / f"{log}.log"),
            plan, pool_size, name="workbook", workbook=True)
        await browser.close()
    return results


def say(text: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {text}", flush=True)


# --- the report ----------------------------------------------------------------------------

def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import psutil

    return {
        "cpu": cpu, "cores": psutil.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "os": platform.platform(), "python": platform.python_version(),
        "voila": version("voila"), "ipywidgets": version("ipywidgets"), "plotly": version("plotly"),
    }


def fmt(value: float | None, unit: str = "ms") -> str:
    if value is None:
        return "—"
    if unit == "ms":
        return f"{value:,.0f} ms" if value >= 100 else f"{value:.1f} ms"
    if unit == "MB":
        return f"{value:,.0f} MB"
    return f"{value:.2f} {unit}".strip()


def ratio(value: float | None, base: float | None) -> str:
    if value is None or not base:
        return "—"
    return f"{value / base:.2f}×"


def summarise(results: dict) -> tuple[list[list[str]], list[tuple[str, bool, str]]]:
    """The table rows and the targets (name, held, detail)."""
    st, bare, wb = results["static"], results["bare"], results["workbook"]
    plan = results["plan"]
    rows: list[list[str]] = []

    def row(label: str, w: float | None, s: float | None, b: float | None, unit: str = "ms") -> None:
        rows.append([label, fmt(w, unit), fmt(s, unit), fmt(b, unit), ratio(w, s), ratio(w, b)])

    row(f"time to interactive, cold (median of {plan['cold_starts']} server starts)",
        median(wb["cold_ms"]), median(st["cold_ms"]), median(bare["cold_ms"]))
    row(f"time to interactive, warm (median of {plan['warm_loads']} loads, new browser profile each)",
        median(wb["warm_ms"]), median(st["warm_ms"]), median(bare["warm_ms"]))
    row(f"time to interactive, warm, same tablet (median of {plan['warm_loads']}, browser cache kept)",
        median(wb["warm_cached_ms"]), None, None)
    for key, label in (("first_visit", f"first visit, {READING_MS / 1000:g} s on each step"),
                       ("revisit", "revisit, clicks back to back")):
        w, s, b = wb["steps"][key], st["steps"][key], bare["steps"][key]
        row(f"step latency p50, {label} ({len(w)} clicks)", median(w), median(s), median(b))
        row(f"step latency p95, {label}", percentile(w, 95), percentile(s, 95), percentile(b, 95))
    row(f"quiz feedback p50 ({len(wb['quiz_ms'])} checks; bare: a button's round trip)",
        median(wb["quiz_ms"]), None, median(bare["steps"]["revisit"]))
    row("quiz feedback p95", percentile(wb["quiz_ms"], 95), None, percentile(bare["steps"]["revisit"], 95))
    mem_w, mem_b = wb["memory"], bare["memory"]
    for count in sorted(mem_w, key=int):
        row(f"memory, server and kernels, {count} page(s) open (RSS)", mem_w[count]["rss_mb"], None,
            mem_b.get(count, {}).get("rss_mb"), "MB")
    counts = sorted(mem_w, key=int)
    low, high = counts[-2], counts[-1]
    extra_w, extra_b = per_patient(mem_w, low, high), per_patient(mem_b, low, high)
    row(f"memory per extra patient, RSS ({low} to {high} pages)", extra_w["rss_mb"], None, extra_b["rss_mb"], "MB")
    row(f"memory per extra patient, PSS ({low} to {high} pages)", extra_w["pss_mb"], None, extra_b["pss_mb"], "MB")
    clinic = wb["clinic"]
    row(f"clinic at once: step latency p50 ({clinic['pages_open']} open, {clinic['walkers']} walking, "
        f"{clinic['clicks']} clicks, {READING_MS / 1000:g} s on each step)", median(clinic["step_ms"]), None, None)
    row("clinic at once: step latency p95", percentile(clinic["step_ms"], 95), None, None)
    rows.append(["clinic at once: errors; walks completed; server / browser CPU",
                 f"{len(clinic['errors'])}; {clinic['walks_completed']} walks; "
                 f"{clinic['server_cpu_s']:.0f} s / {clinic['browser_cpu_s']:.0f} s in {clinic['seconds']:.0f} s",
                 "—", "—", "—", "—"])
    at_w, at_b = wb["at_once"], bare["at_once"]
    rows.append([f"{at_w['pages']} pages at the same instant: errors", str(len(at_w["errors"])), "—",
                 str(len(at_b["errors"])), "—", "—"])
    row(f"{at_w['pages']} pages at the same instant: slowest time to interactive",
        max(at_w["tti_ms"], default=None), None, max(at_b["tti_ms"], default=None))
    rows.append([f"{at_w['pages']} pages at the same instant: server / browser CPU",
                 f"{at_w['server_cpu_s']:.0f} s / {at_w['browser_cpu_s']:.0f} s in {at_w['seconds']:.0f} s", "—",
                 f"{at_b['server_cpu_s']:.0f} s / {at_b['browser_cpu_s']:.0f} s in {at_b['seconds']:.0f} s", "—", "—"])
    ch = wb["churn"]
    rows.append([f"churn: {ch['sessions']} sessions opened and closed: kernels left; errors",
                 f"{ch['kernels_left']}; {len(ch['errors'])}", "—", "—", "—", "—"])
    rows.append(["churn: memory after / before (RSS)",
                 f"{ch['memory_after']['rss_mb']:,.0f} / {ch['memory_before']['rss_mb']:,.0f} MB "
                 f"({ch['memory_ratio']:.2f}×)", "—", "—", "—", "—"])

    tti, bare_tti = median(wb["warm_ms"]), median(bare["warm_ms"])
    targets = []
    if bare_tti is not None and bare_tti > 1500:
        targets.append(("warm time to interactive within 20% of the bare Voilà page (bare page above 1.5 s)",
                        tti <= 1.2 * bare_tti, f"{fmt(tti)} vs {fmt(bare_tti)} ({ratio(tti, bare_tti)})"))
    else:
        targets.append(("warm time to interactive at most 1.5 s (aim 1.0 s)", tti <= 1500, fmt(tti)))
    p50, p95 = median(clinic["step_ms"]), percentile(clinic["step_ms"], 95)
    targets.append(("step latency p50 at most 50 ms with 20 patients at once", p50 <= 50, fmt(p50)))
    targets.append(("step latency p95 at most 150 ms with 20 patients at once", p95 <= 150, fmt(p95)))
    targets.append(("at most 150 MB per extra patient (aim 100 MB), RSS", extra_w["rss_mb"] <= 150,
                    fmt(extra_w["rss_mb"], "MB")))
    targets.append(("no errors with a clinic at once", not clinic["errors"], f"{len(clinic['errors'])} errors"))
    targets.append((f"no errors with {at_w['pages']} pages at the same instant", not at_w["errors"],
                    f"{len(at_w['errors'])} errors"))
    targets.append(("churn leaves no kernel running", ch["kernels_left"] == 0, f"{ch['kernels_left']} left"))
    targets.append(("churn: memory after within 10% of before", ch["memory_ratio"] <= 1.10,
                    f"{ch['memory_ratio']:.2f}×"))
    return rows, targets


def report(results: dict, command: str) -> str:
    rows, targets = summarise(results)
    m = results["machine"]
    lines = [
        "# Benchmarks",
        "",
        f"- date: {results['date']}",
        f"- machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB; {m['os']}",
        f"- software: Python {m['python']}, Voilà {m['voila']}, ipywidgets {m['ipywidgets']}, "
        f"plotly {m['plotly']}, Chromium {results['chromium']} (headless)",
        f"- command: `{command}` ({results['seconds'] / 60:.1f} minutes)",
        f"- served as `workbook serve` does, with a pool of {results['pool_size']} preheated kernels; "
        f"pages at 768 x 1024; a warm load every {WARM_PAUSE:g} s after the last page left",
        "",
        "Times are measured inside the page (performance.now): from navigation start, or from the "
        "click, to the first frame after the awaited state is in the page. The floor is a static "
        "page with the same first step (`python -m http.server`); the bare Voilà page has one heading "
        "and one Next button, served with the same production settings.",
        "",
        "| figure | workbook | static floor | bare Voilà | × floor | × bare Voilà |",
        "|---|---:|---:|---:|---:|---:|",
        *("| " + " | ".join(r) + " |" for r in rows),
        "",
        "## Targets",
        "",
        "| target | measured | held |",
        "|---|---:|:---:|",
        *(f"| {name} | {detail} | {'yes' if held else 'NO'} |" for name, held, detail in targets),
        "",
    ]
    errors = {k: results[k]["errors"] for k in ("static", "bare", "workbook") if results[k]["errors"]}
    for name in ("clinic", "at_once", "churn"):
        if results["workbook"][name]["errors"]:
            errors[f"workbook {name}"] = results["workbook"][name]["errors"]
    if errors:
        lines += ["## Errors seen", ""]
        for name, found in errors.items():
            lines += [f"- {name}: " + "; ".join(found[:10])]
        lines.append("")
    return "\n".join(lines)


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
