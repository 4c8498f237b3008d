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
import ssl
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import psutil
from playwright.async_api import Browser, Page, async_playwright

from benchmarks.loadgen import simulate
from benchmarks.measures import (
    READING_MS,
    STEP_COUNT,
    Plan,
    clinic_at_once,
    opened_at_once,
    step_latency,
    warm_loads,
)
from benchmarks.pages import LOAD_TIMEOUT_MS, Tracker, leave_alone, load_alone, new_context, wait_for_kernels
from benchmarks.probes import STEP_LATENCY
from benchmarks.reporting import fmt, machine, median, percentile, ratio, say
from benchmarks.samples import RunResult
from benchmarks.servers import ARTIFACTS, cpu_seconds
from tests.support.servers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    Server,
    free_port,
    make_certificate,
    serve_workbook,
    start_server,
    unverified,
)

HERE = Path(__file__).parent
POOL_SIZE = 2


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


def start_behind_nginx(*, workers: int, certificate: tuple[Path, Path], log: Path,
                       pool_size: int = POOL_SIZE, max_patients: int | None = None) -> Server:
    """`workbook serve --workers N` with HTTPS; its processes include nginx, workers, kernels."""
    port = free_port()
    cert, key = certificate
    command = [sys.executable, "-m", "workbook", "serve", "--workers", str(workers), "--port", str(port),
               "--certfile", str(cert), "--keyfile", str(key), "--pool-size", str(pool_size)]
    if max_patients is not None:
        command += ["--max-patients", str(max_patients)]
    return start_server(command, port=port, log=log, name=f"nginx, {workers} worker(s)",
                        url=f"https://localhost:{port}/", ready_line="workbook: serving https://", timeout=180)


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
            "direct": lambda: serve_workbook(pool_size=POOL_SIZE, log=ARTIFACTS / "proxy-direct.log"),
            "nginx_1": lambda: start_behind_nginx(workers=1, certificate=certificate,
                                                  log=ARTIFACTS / "proxy-nginx-1.log"),
            "nginx_3": lambda: start_behind_nginx(workers=3, certificate=certificate,
                                                  log=ARTIFACTS / "proxy-nginx-3.log"),
        }
        for name, start in starts.items():
            say(f"{name}: time to interactive, steps, pages at once, a clinic at once")
            server = start()
            pool = POOL_SIZE if name != "nginx_3" else 3  # one preheated kernel per worker
            try:
                await wait_for_kernels(server, pool)
                found[name] = await browser_figures(browser, server, plan, pool)
            finally:
                server.stop()
        await browser.close()
    return found


# --- capacity: simulated patients, added until the step latency p95 passes the limit ---------

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
            pool = POOL_SIZE if count == 1 else count
            try:
                await between_levels(server, pool)
                found["levels"][count] = await ramp(
                    server, pool, ssl_context=context, levels=levels, browser=browser,
                    beside_level=levels[0] if count == workers[0] else None)
            finally:
                server.stop()
        await browser.close()
    return found


# --- the report ----------------------------------------------------------------------------

SETUP_NAMES = {"direct": "direct, one process (HTTP)", "nginx_1": "nginx + TLS, 1 worker",
               "nginx_3": "nginx + TLS, 3 workers"}


def setup_rows(found: dict) -> list[list[str]]:
    direct = found["direct"]
    rows = []

    def row(label: str, pick) -> None:
        base = pick(direct)
        cells = [fmt(pick(found[name])) for name in SETUP_NAMES]
        rows.append([label, *cells, ratio(pick(found["nginx_1"]), base), ratio(pick(found["nginx_3"]), base)])

    row("time to interactive, warm (median)", lambda f: median(f["warm_ms"]))
    row("step latency p50, first visit (1.5 s on each step)", lambda f: median(f["steps"]["first_visit"]))
    row("step latency p95, first visit", lambda f: percentile(f["steps"]["first_visit"], 95))
    row("step latency p50, revisit", lambda f: median(f["steps"]["revisit"]))
    at_once = found["direct"]["at_once"]["pages"]
    row(f"{at_once} pages at the same instant: median time to interactive", lambda f: median(f["at_once"]["tti_ms"]))
    row(f"{at_once} pages at the same instant: slowest", lambda f: max(f["at_once"]["tti_ms"], default=None))
    row("clinic at once: step latency p50", lambda f: median(f["clinic"]["step_ms"]))
    row("clinic at once: step latency p95", lambda f: percentile(f["clinic"]["step_ms"], 95))
    rows.append(["errors (pages at once; clinic at once; page errors)",
                 *(f"{len(found[n]['at_once']['errors'])}; {len(found[n]['clinic']['errors'])}; "
                   f"{len(found[n]['errors'])}" for n in SETUP_NAMES), "—", "—"])
    rows.append(["clinic at once: server CPU in the run",
                 *(f"{found[n]['clinic']['server_cpu_s']:.0f} s in {found[n]['clinic']['seconds']:.0f} s"
                   for n in SETUP_NAMES), "—", "—"])
    return rows


def report(results: dict, command: str) -> str:
    m = results["machine"]
    lines = [
        "# Behind nginx, and how many patients one machine serves",
        "",
        f"- date: {results['date']}",
        f"- machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB; {m['os']}",
        f"- software: Python {m['python']}, Voilà {m['voila']}, nginx {results['nginx']}",
        f"- command: `{command}` ({results['seconds'] / 60:.1f} minutes)",
        "",
    ]
    if "capacity" in results:
        serves = machine_serves(results["capacity"])
        lines += [f"**One machine like this serves {serves} patients at once** (the most simulated "
                  "patients held below, with whichever number of workers).", ""]
    if "setups" in results:
        lines += setups_report(results["setups"])
    if "capacity" in results:
        lines += capacity_report(results["capacity"])
    return "\n".join(lines)


def setups_report(setups: dict) -> list[str]:
    return [
        "## What nginx and TLS cost, and what more workers give",
        "",
        f"Measured in the browser as in `results.md` (pages at 768 x 1024, each in its own profile; "
        f"{READING_MS / 1000:g} s on each step on first visits). A pool of {POOL_SIZE} preheated "
        "kernels for one process, one per worker for 3 workers.",
        "",
        f"| figure | {' | '.join(SETUP_NAMES.values())} | nginx 1 × direct | nginx 3 × direct |",
        "|---|---:|---:|---:|---:|---:|",
        *("| " + " | ".join(r) + " |" for r in setup_rows(setups)),
        f"(Chromium {setups['chromium']}, headless.)",
        "",
    ]


def held_level(levels: list[Level]) -> Level | None:
    held = [level for level in levels if level.held()[0]]
    return max(held, key=lambda level: level.patients) if held else None


def capacity_report(capacity: dict) -> list[str]:
    runs: dict[int, list[Level]] = {int(k): v for k, v in capacity["levels"].items()}
    lines = [
        "## How many patients one machine serves",
        "",
        f"Simulated patients (`benchmarks/loadgen.py`: the page's own HTTP requests and kernel "
        f"channel, no browser) through nginx with HTTPS. At each level every patient first opens "
        f"its page ({ARRIVAL_SECONDS:g} s apart; the kernel starts are not measured), then all walk "
        f"the ten steps at once, {STEP_SECONDS:g} s on a step (±20%), answering every safety "
        f"question, a risk factor and every quiz question. A level holds when every patient "
        f"completes with no error and no refusal, memory leaves {MEMORY_RESERVE_MB} MB for the rest "
        f"of the machine, and Next (sent until the kernel has sent the whole next step) has a 95th "
        f"percentile of at most {STEP_P95_LIMIT_MS:g} ms. Levels rise until one fails, then the "
        "level halfway between is tried. CPU counts nginx, the workers and every kernel; the "
        "generator's own CPU is beside it, on the same 2 cores.",
        "",
        "| workers | patients held | Next p50 / p95 there | memory there (RSS / PSS, peak) | server CPU there | first level not held |",
        "|---:|---:|---:|---:|---:|---|",
    ]
    for workers, levels in runs.items():
        best = held_level(levels)
        failed = next((level for level in levels if not level.held()[0]), None)
        first_fail = f"{failed.patients}: {failed.held()[1]}" if failed else "none (the last level tried held)"
        if best is None:
            lines.append(f"| {workers} | none | — | — | — | {first_fail} |")
            continue
        lines.append(
            f"| {workers} | {best.patients} | {fmt(median(best.next_ms))} / {fmt(best.next_p95)} | "
            f"{best.peak_rss_mb / 1024:.1f} / {best.peak_pss_mb / 1024:.1f} GB | "
            f"{best.server_cpu_s / best.seconds:.2f} cores ({best.machine_cpu_percent:.0f}% of the machine) | {first_fail} |"
        )
    lines += ["", "Every level:", "",
              "| workers | patients | completed | errors; refused | Next p50 | Next p95 | Next max | "
              "every message p95 | peak RSS | server CPU | generator CPU | machine CPU | held |",
              "|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for workers, levels in runs.items():
        for level in levels:
            ok, why = level.held()
            lines.append(
                f"| {workers} | {level.patients} | {level.completed} | {len(level.errors)}; {level.refusals} | "
                f"{fmt(median(level.next_ms))} | {fmt(level.next_p95)} | {fmt(max(level.next_ms, default=None))} | "
                f"{fmt(percentile(level.all_ms, 95))} | {level.peak_rss_mb / 1024:.1f} GB | "
                f"{level.server_cpu_s:.0f} s in {level.seconds:.0f} s | {level.generator_cpu_s:.0f} s | "
                f"{level.machine_cpu_percent:.0f}% | {'yes' if ok else 'no: ' + why} |"
            )
    beside = [(workers, level) for workers, levels in runs.items() for level in levels if level.browser_next_ms]
    if beside:
        workers, level = beside[0]
        browser_ms = level.browser_next_ms
        lines += [
            "",
            f"Checked against a real browser in the same run: at {level.patients} simulated patients "
            f"({workers} worker), a Chromium page walked beside them at the same pace, timing Next in "
            "the page until the next step's heading was on screen.",
            "",
            "| | Next p50 | Next p95 | clicks |",
            "|---|---:|---:|---:|",
            f"| simulated patients (until the kernel is idle) | {fmt(median(level.next_ms))} | "
            f"{fmt(level.next_p95)} | {len(level.next_ms)} |",
            f"| the browser page (until the step is on screen) | {fmt(median(browser_ms))} | "
            f"{fmt(percentile(browser_ms, 95))} | {len(browser_ms)} |",
        ]
    errors = [e for levels in runs.values() for level in levels for e in level.errors]
    if errors:
        lines += ["", "Errors seen: " + "; ".join(errors[:10])]
    lines.append("")
    return lines


def machine_serves(capacity: dict) -> int | None:
    """The most simulated patients held, with whichever number of workers."""
    best = [held_level(levels) for levels in capacity["levels"].values()]
    return max((level.patients for level in best if level), default=None)


def _as_json(value):
    if isinstance(value, Level):
        return {**value.__dict__, "held": value.held()}
    return str(value)


def nginx_version() -> str:
    from workbook.workers import find_nginx

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
