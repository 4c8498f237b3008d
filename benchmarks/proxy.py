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
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from playwright.async_api import Browser, async_playwright

from benchmarks.run import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    READING_MS,
    STEP_COUNT,
    Plan,
    Tracker,
    clinic_at_once,
    fmt,
    leave_alone,
    load_alone,
    machine,
    median,
    memory_by_pages,
    opened_at_once,
    percentile,
    ratio,
    say,
    step_latency,
    wait_for_kernels,
    warm_loads,
)
from benchmarks.servers import VOILA_READY_PATH, Server, _production_env, free_port, start_workbook

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


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for localhost, made with openssl, for this run only."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        check=True, capture_output=True,
    )
    return cert, key


def unverified() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def start_behind_nginx(*, workers: int, certificate: tuple[Path, Path], log: Path,
                       pool_size: int = POOL_SIZE, max_patients: int | None = None) -> Server:
    """`workbook serve --workers N` with HTTPS; its processes include nginx, workers, kernels."""
    port = free_port()
    cert, key = certificate
    command = [sys.executable, "-m", "workbook", "serve", "--workers", str(workers), "--port", str(port),
               "--certfile", str(cert), "--keyfile", str(key), "--pool-size", str(pool_size)]
    if max_patients is not None:
        command += ["--max-patients", str(max_patients)]
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=_production_env())
    server = Server(name=f"nginx, {workers} worker(s)", process=process, url=f"https://localhost:{port}/")
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{server.name} exited with {process.returncode}:\n{log.read_text()}")
        if "workbook: serving https://" in log.read_text():
            try:
                with urllib.request.urlopen(server.url + VOILA_READY_PATH, timeout=30, context=unverified()) as answer:
                    if answer.status == 200:
                        return server
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
        time.sleep(0.3)
    server.stop()
    raise RuntimeError(f"{server.name} did not answer within 180 s:\n{log.read_text()}")


async def browser_figures(browser: Browser, server: Server, plan: ProxyPlan, pool: int) -> dict:
    """Time to interactive, step latency, pages at the same instant, a clinic at once."""
    tracker = Tracker()
    found: dict = {"warm_ms": await warm_loads(browser, server, plan.warm_loads, tracker, same_device=False)}
    found["steps"] = await step_latency(browser, server, plan.latency_pages, tracker, workbook=True)
    await wait_for_kernels(server, pool)
    found["at_once"] = await opened_at_once(browser, server, plan.at_once)
    await wait_for_kernels(server, pool)
    clinic_plan = Plan(clinic_walkers=plan.clinic_walkers, clinic_clicks=plan.clinic_clicks)
    _, pages = await memory_by_pages(server, browser, [plan.clinic_open], tracker)
    found["clinic"] = await clinic_at_once(server, pages, clinic_plan, tracker)
    for page in pages:
        await leave_alone(page)
    found["errors"] = tracker.errors
    return found


async def setups(plan: ProxyPlan, certificate: tuple[Path, Path]) -> dict:
    """The browser figures for the direct process and nginx with 1 and 3 workers."""
    found = {}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        found["chromium"] = browser.version
        starts = {
            "direct": lambda: start_workbook(pool_size=POOL_SIZE, log=ARTIFACTS / "proxy-direct.log"),
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
        f"- software: Python {m['python']}, Voilà {m['voila']}, nginx {results['nginx']}, "
        f"Chromium {results['setups']['chromium']} (headless)",
        f"- command: `{command}` ({results['seconds'] / 60:.1f} minutes)",
        "",
        "## What nginx and TLS cost, and what more workers give",
        "",
        f"Measured in the browser as in `results.md` (pages at 768 x 1024, each in its own profile; "
        f"{READING_MS / 1000:g} s on each step on first visits). A pool of {POOL_SIZE} preheated "
        "kernels for one process, one per worker for 3 workers.",
        "",
        f"| figure | {' | '.join(SETUP_NAMES.values())} | nginx 1 × direct | nginx 3 × direct |",
        "|---|---:|---:|---:|---:|---:|",
        *("| " + " | ".join(r) + " |" for r in setup_rows(results["setups"])),
        "",
    ]
    if "capacity" in results:
        lines += capacity_report(results["capacity"])
    return "\n".join(lines)


def capacity_report(capacity: dict) -> list[str]:
    return ["## Capacity", "", "(not measured in this run)", ""]


def nginx_version() -> str:
    from workbook.workers import find_nginx

    result = subprocess.run([find_nginx(), "-v"], capture_output=True, text=True)
    return result.stderr.strip().rpartition("/")[2] or "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.proxy", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few repetitions only, to try it out")
    parser.add_argument("--skip-setups", action="store_true", help="only the capacity ramp")
    parser.add_argument("--out", type=Path, default=HERE, help="folder for proxy.md and proxy.json")
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else ProxyPlan()
    given = sys.argv[1:] if argv is None else argv
    command = "python -m benchmarks.proxy " + " ".join(given) if given else "make bench"
    ARTIFACTS.mkdir(exist_ok=True)
    started = time.monotonic()
    results: dict = {"plan": plan.__dict__, "nginx": nginx_version()}
    with tempfile.TemporaryDirectory(prefix="wb-bench-tls-") as folder:
        certificate = make_certificate(Path(folder))
        results["setups"] = asyncio.run(setups(plan, certificate))
    results["seconds"] = time.monotonic() - started
    results["date"] = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    results["machine"] = machine()
    name = "proxy-quick" if args.quick else "proxy"
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"{name}.json").write_text(json.dumps(results, indent=1, default=str))
    text = report(results, command)
    (args.out / f"{name}.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
