"""`benchmarks/results.md`: the table of figures beside the two baselines, and the targets."""

from __future__ import annotations

from benchmarks.measures import MENU_JUMPS, READING_MS, STEP_COUNT, WARM_PAUSE
from benchmarks.reporting import fmt, median, percentile, ratio

# Targets of the workbook for a step change with no reading time (Next or the step menu), ms.
QUICK_STEP_P50, QUICK_STEP_P95 = 30, 100
# Targets of the workbook's time to interactive with a page arriving every 1.5 s, ms.
ARRIVING_P50, ARRIVING_P95 = 800, 1500
# Every page opened at the same instant is ready within this, ms.
AT_ONCE_ALL_READY = 8000


def within(value: float | None, limit: float) -> bool:
    """Whether a figure was taken and is at most `limit`."""
    return value is not None and value <= limit


def cpu_text(figure: dict) -> str:
    return f"{figure['server_cpu_s']:.0f} s / {figure['browser_cpu_s']:.0f} s in {figure['seconds']:.0f} s"


def per_patient(readings: dict[int, dict[str, float]], low: int, high: int) -> dict[str, float]:
    return {key: (readings[high][key] - readings[low][key]) / (high - low) for key in readings[high]}


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
    ks_w, ks_b = wb["kernel_start"], bare["kernel_start"]
    row(f"kernel start to ready in the pool (median of {len(ks_w['ready_ms'])} kernels, "
        f"{ks_w['runs']} server start(s); the pool's log line)", median(ks_w["ready_ms"]), None, median(ks_b["ready_ms"]))
    row(f"kernel start to its first page served in full (median of {len(ks_w['served_ms'])}; "
        "asked as the pool reports ready)", median(ks_w["served_ms"]), None, median(ks_b["served_ms"]))
    for key, label in (("first_visit", f"first visit, {READING_MS / 1000:g} s on each step"),
                       ("first_visit_no_reading", "first visit, no reading time, Next as soon as each step shows"),
                       ("revisit", "revisit, clicks back to back")):
        w, s, b = wb["steps"][key], st["steps"][key], bare["steps"][key]
        row(f"step latency p50, {label} ({len(w)} clicks)", median(w), median(s), median(b))
        row(f"step latency p95, {label}", percentile(w, 95), percentile(s, 95), percentile(b, 95))
    jumps = wb["steps"]["menu_jumps"]
    row(f"step menu jump p50, first visit, no reading time ({len(jumps)} jumps, "
        f"steps {', '.join(map(str, MENU_JUMPS))})", median(jumps), None, None)
    row("step menu jump p95, first visit, no reading time", percentile(jumps, 95), None, None)
    row(f"quiz feedback p50 ({len(wb['quiz_ms'])} checks; bare: a button's round trip)",
        median(wb["quiz_ms"]), None, median(bare["steps"]["revisit"]))
    row("quiz feedback p95", percentile(wb["quiz_ms"], 95), None, percentile(bare["steps"]["revisit"], 95))
    for key, label in (("step_1", "a fresh page at step 1"),
                       ("all_steps", f"after all {STEP_COUNT} steps (workbook: every question answered)")):
        w, b = wb["widget_models"][key], bare["widget_models"][key]
        rows.append([f"widget models of a session, {label}: in the kernel / in the page",
                     f"{w['kernel']} / {w['page']}", "—", f"{b['kernel']} / {b['page']}", "—",
                     ratio(w["kernel"], b["kernel"])])
    for visit, label in (("first", "first visit, new browser profile"), ("returning", "returning visit, same profile")):
        row(f"bytes on the wire, {label} (compressed, headers included)",
            wb["wire"][visit]["bytes"] / 1e3, st["wire"][visit]["bytes"] / 1e3, bare["wire"][visit]["bytes"] / 1e3, "KB")
    rows.append(["plotly.js requests before step 1 is ready", str(len(wb["wire"]["first"]["plotly_before_ready"])),
                 str(len(st["wire"]["first"]["plotly_before_ready"])),
                 str(len(bare["wire"]["first"]["plotly_before_ready"])), "—", "—"])
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
                 cpu_text(at_w), "—", cpu_text(at_b), "—", "—"])
    ar_w, ar_b = wb["arrivals"], bare["arrivals"]
    arriving = f"a page arriving every {ar_w['every_s']:g} s for {plan['arrival_seconds']:g} s"
    row(f"{arriving}: time to interactive p50 ({ar_w['pages']} pages, each on its own tablet)",
        median(ar_w["tti_ms"]), None, median(ar_b["tti_ms"]))
    row(f"{arriving}: time to interactive p95", percentile(ar_w["tti_ms"], 95), None, percentile(ar_b["tti_ms"], 95))
    rows.append([f"{arriving}: errors; kernels left after; server / browser CPU",
                 f"{len(ar_w['errors'])}; {ar_w['kernels_left']}; {cpu_text(ar_w)}", "—",
                 f"{len(ar_b['errors'])}; {ar_b['kernels_left']}; {cpu_text(ar_b)}", "—", "—"])
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
    first_kb, returning_kb = wb["wire"]["first"]["bytes"] / 1e3, wb["wire"]["returning"]["bytes"] / 1e3
    targets.append(("first visit at most 2 MB on the wire (aim 1 MB)", first_kb <= 2000, fmt(first_kb, "KB")))
    targets.append(("returning visit at most 100 KB on the wire", returning_kb <= 100, fmt(returning_kb, "KB")))
    early = wb["wire"]["first"]["plotly_before_ready"]
    targets.append(("nothing of plotly.js before step 1 is ready", not early, f"{len(early)} requests"))
    for key, what in (("first_visit_no_reading", "Next"), ("menu_jumps", "a step menu jump")):
        times = wb["steps"][key]
        p50, p95 = median(times), percentile(times, 95)
        targets.append((f"{what} p50 at most {QUICK_STEP_P50} ms, first visits with no reading time",
                        within(p50, QUICK_STEP_P50), fmt(p50)))
        targets.append((f"{what} p95 at most {QUICK_STEP_P95} ms, first visits with no reading time",
                        within(p95, QUICK_STEP_P95), fmt(p95)))
    p50, p95 = median(clinic["step_ms"]), percentile(clinic["step_ms"], 95)
    targets.append(("step latency p50 at most 50 ms with 20 patients at once", p50 <= 50, fmt(p50)))
    targets.append(("step latency p95 at most 150 ms with 20 patients at once", p95 <= 150, fmt(p95)))
    targets.append(("at most 150 MB per extra patient (aim 100 MB), RSS", extra_w["rss_mb"] <= 150,
                    fmt(extra_w["rss_mb"], "MB")))
    targets.append(("no errors with a clinic at once", not clinic["errors"], f"{len(clinic['errors'])} errors"))
    targets.append((f"no errors with {at_w['pages']} pages at the same instant", not at_w["errors"],
                    f"{len(at_w['errors'])} errors"))
    slowest = max(at_w["tti_ms"], default=None)
    targets.append((f"all {at_w['pages']} pages at the same instant ready within {AT_ONCE_ALL_READY / 1000:g} s",
                    len(at_w["tti_ms"]) == at_w["pages"] and not at_w["errors"] and within(slowest, AT_ONCE_ALL_READY),
                    f"{len(at_w['tti_ms'])} ready, slowest {fmt(slowest)}"))
    p50, p95 = median(ar_w["tti_ms"]), percentile(ar_w["tti_ms"], 95)
    targets.append((f"time to interactive p50 at most {ARRIVING_P50} ms, {arriving}", within(p50, ARRIVING_P50),
                    fmt(p50)))
    targets.append((f"time to interactive p95 at most {ARRIVING_P95:,} ms, {arriving}", within(p95, ARRIVING_P95),
                    fmt(p95)))
    targets.append((f"no errors with {arriving}", not ar_w["errors"], f"{len(ar_w['errors'])} errors"))
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
    for name in ("clinic", "at_once", "arrivals", "churn"):
        if results["workbook"][name]["errors"]:
            errors[f"workbook {name}"] = results["workbook"][name]["errors"]
    for name in ("at_once", "arrivals"):
        if results["bare"][name]["errors"]:
            errors[f"bare Voilà {name}"] = results["bare"][name]["errors"]
    if errors:
        lines += ["## Errors seen", ""]
        for name, found in errors.items():
            lines += [f"- {name}: " + "; ".join(found[:10])]
        lines.append("")
    return "\n".join(lines)
