"""Simulated patients against the served dashboard, over the page's own protocol, with no browser.

Each simulated patient does what the page and its scripts do in a browser:

1. `GET /`: keeps the cookies it sets (the `workbook_session` secret that the kernel routes
   require), adds the `_xsrf` cookie the page script makes, and reads the kernel id, the base
   URL and the heartbeat from the page's `jupyter-config-data`. A 503 is the "busy" page: a
   refusal, not an error.
2. `GET api/kernels/<id>` (the kernel's model, as JupyterLab's kernel connection asks first),
   then the kernel channel `api/kernels/<id>/channels?session_id=<uuid>` with the cookies and
   the page's `Origin`, in the v1 binary protocol the page speaks.
3. `kernel_info_request`; then, as the ipywidgets 8 widget manager does, a comm to
   `jupyter.widget.control` with `request_states`, whose answer holds every widget model, and
   the comm closed again. From then on every `comm_open`, `update`, `echo_update` and
   `comm_close` from the kernel keeps a table of the models up to date.
4. Once a step is on screen, the hidden "prepare" button is pressed (the page does this when
   it is idle, so that the kernel builds the next step ahead). On each step, at a patient's
   pace, the patient answers the safety check ("No" to every question), ticks a risk factor,
   answers every quiz question and checks it, then presses Next; a Next that does not move
   to the next step is an error.
5. At the end the patient leaves as the page does when it closes: the channel closes and
   `POST voila/api/shutdown/<id>` ends the kernel. Meanwhile the page's heartbeat
   (`GET api/kernels/<id>` every few seconds and at a touch) runs as in the page.

Every message sent to the kernel is timed from its sending to the kernel's iopub
`status: idle` whose parent is that message: the time the kernel took to handle it and to
send every change it made. Samples are labelled by kind: `kernel_info`, `states`, `prepare`,
`answer`, `tick`, `choose`, `check` and `next`.

The parts: `protocol.py` (the page's configuration, its URLs, kernel messages in v1 frames),
`widget_state.py` (the widget models and what is on screen in them), `actions.py` (what a
patient does on a step), `channel.py` (the kernel channel), `patient.py` (one patient's walk)
and `samples.py` (the timed messages and a run's result); this module runs the patients
together and reports.

Run against a server (`workbook serve`, or nginx in front of it):

    .venv/bin/python -m benchmarks.loadgen http://127.0.0.1:8866/ --patients 5
    .venv/bin/python -m benchmarks.loadgen https://localhost:8443/ --patients 20 --insecure
    .venv/bin/python -m benchmarks.loadgen https://localhost:8443/ --patients 20 --ca-file ca.pem
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import random
import ssl
import sys
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict

from tornado.httpclient import AsyncHTTPClient

from benchmarks.patient import Patient
from benchmarks.samples import RunResult, percentile


# ---- a run ----------------------------------------------------------------------------------


async def simulate(
    base_url: str,
    patients: int,
    *,
    step_seconds: float = 3.0,
    start_spread: float = 10.0,
    ssl_context: ssl.SSLContext | None = None,
    together: Callable[[], Awaitable[None]] | None = None,
) -> RunResult:
    """Walk `patients` simulated patients through the dashboard at `base_url`.

    Args:
        base_url: the page's address, e.g. "http://127.0.0.1:8866/" or "https://localhost:8443/".
        patients: how many patients; they start evenly over `start_spread` seconds.
        step_seconds: how long a patient stays on a step (each step varies by up to 20%).
        start_spread: seconds from the first patient's start to the last one's; the pool of
            warm kernels needs a few seconds to refill, so patients arriving at once wait.
        ssl_context: for an HTTPS server with a certificate of its own (see `ssl_context_for`).
        together: when given, every patient first loads its page and connects; once all have
            (or have failed), this is awaited (to take a reading, say), and then all walk at
            once, each starting within one step's time. The walk's samples then measure
            `patients` patients at once, without the kernel starts of their arrival.

    Returns:
        Every sample, the errors, the refusals and how many patients completed.
    """
    if patients < 1:
        raise ValueError(f"patients must be at least 1 (got {patients!r})")
    result = RunResult(patients=patients)
    client = AsyncHTTPClient(force_instance=True, max_clients=max(10, 2 * patients))
    seeds = random.Random()
    go = asyncio.Event() if together is not None else None
    everyone = [
        Patient(number=number, url=base_url, result=result, client=client, step_seconds=step_seconds,
                ssl_context=ssl_context, rng=random.Random(seeds.random()), go=go)
        for number in range(1, patients + 1)
    ]

    async def start(patient: Patient) -> None:
        if patients > 1:
            await asyncio.sleep(start_spread * (patient.number - 1) / (patients - 1))
        await patient.run()

    async def start_together() -> None:
        await asyncio.gather(*(patient.connected.wait() for patient in everyone))
        try:
            await together()
        finally:
            go.set()

    tasks = [start(patient) for patient in everyone]
    if together is not None:
        tasks.append(start_together())
    try:
        await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        client.close()
    return result


def ssl_context_for(*, ca_file: str | None = None, insecure: bool = False) -> ssl.SSLContext:
    """A TLS context that trusts `ca_file` (a self-signed certificate), or trusts anything."""
    context = ssl.create_default_context(cafile=ca_file)
    if insecure:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


# ---- command line ---------------------------------------------------------------------------


def summary_line(label: str, values: Sequence[float]) -> str:
    """One line of counts and percentiles in ms."""
    return (f"{label:<14} n={len(values):<5} p50={percentile(values, 50):7.1f}  "
            f"p95={percentile(values, 95):7.1f}  max={max(values, default=math.nan):7.1f}")


def report(result: RunResult, *, most_errors: int = 10) -> str:
    """The run in a few lines: patients, errors, refusals, and latencies by kind."""
    lines = [
        f"patients: {result.patients} started, {result.completed} completed, "
        f"{len(result.errors)} errors, {result.refusals} refused",
        "page ready in ms (asked for until every widget model is loaded):",
        summary_line("ready", result.ready_ms),
        "step latency in ms (sent until the kernel is idle again):",
        summary_line("next", result.latencies(["next"])),
        summary_line("all", result.latencies()),
    ]
    kinds = sorted({s.kind for s in result.samples})
    lines += [summary_line(f"  {kind}", result.latencies([kind])) for kind in kinds]
    if result.errors:
        lines.append(f"errors (first {min(most_errors, len(result.errors))} of {len(result.errors)}):")
        lines += [f"  {error}" for error in result.errors[:most_errors]]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.loadgen",
        description="Walk simulated patients through the served workbook and time every step.",
    )
    parser.add_argument("url", help="the page's address, e.g. http://127.0.0.1:8866/")
    parser.add_argument("--patients", type=int, required=True, help="how many simulated patients")
    parser.add_argument("--step-seconds", type=float, default=3.0, help="time on each step (default 3)")
    parser.add_argument("--start-spread", type=float, default=10.0,
                        help="seconds over which the patients start (default 10)")
    parser.add_argument("--insecure", action="store_true", help="accept any TLS certificate")
    parser.add_argument("--ca-file", help="trust this CA or self-signed certificate (PEM)")
    parser.add_argument("--json", metavar="PATH", help="also write every sample and error to this file")
    args = parser.parse_args(argv)
    context = None
    if args.url.lower().startswith("https:") and (args.insecure or args.ca_file):
        context = ssl_context_for(ca_file=args.ca_file, insecure=args.insecure)
    result = asyncio.run(simulate(args.url, args.patients, step_seconds=args.step_seconds,
                                  start_spread=args.start_spread, ssl_context=context))
    print(report(result))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(asdict(result), out, indent=1)
    return 0 if result.completed == result.patients and not result.errors else 1


if __name__ == "__main__":
    sys.exit(main())
