"""`benchmarks/proxy.md`: what nginx and TLS cost beside the direct process, and how many patients
one machine serves."""

from __future__ import annotations

from benchmarks.measures import READING_MS
from benchmarks.ramp import ARRIVAL_SECONDS, MEMORY_RESERVE_MB, STEP_P95_LIMIT_MS, STEP_SECONDS, Level
from benchmarks.reporting import fmt, median, percentile, ratio
from benchmarks.servers import PROXY_POOL_SIZE

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
        f"{READING_MS / 1000:g} s on each step on first visits). A pool of {PROXY_POOL_SIZE} preheated "
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
