"""`workbook serve`: serve the dashboard with Voilà, alone or as several workers behind nginx."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from workbook.cli.shared import certificate, positive, tls_arguments, warn
from workbook.content import InvalidContent, load_content
from workbook.serving.capacity import default_max_patients
from workbook.serving.proxy_site import ProxyConfigError
from workbook.serving.settings import ServeSettings, voila_command, voila_environment
from workbook.serving.workers import serve_workers


def add_command(commands: argparse._SubParsersAction) -> None:
    """Add `serve` to the command line."""
    defaults = ServeSettings()
    serve = commands.add_parser("serve", help="serve the dashboard with Voilà")
    serve.add_argument("--host", default=defaults.host, help=f"address (default {defaults.host})")
    serve.add_argument("--port", type=int, default=defaults.port, help=f"port (default {defaults.port})")
    serve.add_argument(
        "--pool-size", type=int, default=defaults.pool_size,
        help=f"kernels started ahead of time (default {defaults.pool_size})",
    )
    serve.add_argument(
        "--cull-after", type=positive, default=defaults.cull_after, metavar="SECONDS",
        help="seconds a kernel waits for its page after the page's connection closed "
        "(default: the clinic's idle_reset_minutes)",
    )
    serve.add_argument(
        "--max-patients", type=positive, default=defaults.max_patients, metavar="N",
        help="most patients at once, counting the preheated pool; past it a new page is told "
        f"the workbook is busy (default: what this machine's memory allows, now {default_max_patients()})",
    )
    serve.add_argument(
        "--places-per-address", type=positive, default=defaults.places_per_address, metavar="N",
        help="most patients' pages one client address may hold; past it that address is told the "
        "workbook is busy and others are not (default: half of --max-patients; where every tablet "
        "shares one address behind a NAT, give --max-patients)",
    )
    serve.add_argument(
        "--claim-seconds", type=positive, default=defaults.claim_seconds, metavar="SECONDS",
        help="seconds a kernel handed to a page waits for the page to connect before it is ended "
        f"and its place freed (default {defaults.claim_seconds})",
    )
    serve.add_argument(
        "--server-name", action="append", default=[], metavar="NAME", dest="server_names",
        help="a name tablets use to reach this server (repeatable); other names are refused "
        "(IP addresses and localhost always work)",
    )
    serve.add_argument(
        "--proxy-address", action="append", default=[], metavar="ADDRESS", dest="proxy_addresses",
        help="the address of an nginx machine in front of this one (repeatable), whose forwarded "
        "client address is believed (nginx on this machine always is)",
    )
    serve.add_argument(
        "--workers", type=positive, default=1, metavar="N",
        help="Voilà processes on this machine, behind nginx on --host/--port (default 1: "
        "one process, no nginx unless there is a certificate)",
    )
    tls_arguments(serve)
    serve.add_argument("--data-dir", type=Path, help="content folder (default: data/)")
    serve.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Serve until stopped: one Voilà process in place of this one, or workers behind nginx
    (with --workers or a certificate). Returns 1 on content with problems, 2 on bad settings."""
    try:
        content = load_content(args.data_dir)
    except InvalidContent as error:
        print("The workbook will not start: its content has problems.", file=sys.stderr)
        print(error.located, file=sys.stderr)
        return 1
    settings = ServeSettings(
        host=args.host,
        port=args.port,
        pool_size=args.pool_size,
        cull_after=args.cull_after,
        max_patients=args.max_patients,
        places_per_address=args.places_per_address,
        claim_seconds=args.claim_seconds,
        server_names=tuple(args.server_names),
        proxy_addresses=tuple(args.proxy_addresses),
        data_dir=args.data_dir,
    )
    if settings.max_patients is not None and settings.pool_size > settings.max_patients:
        print(f"--pool-size ({settings.pool_size}) cannot be more than --max-patients "
              f"({settings.max_patients}): pooled kernels take patients' places.", file=sys.stderr)
        return 2
    try:
        tls = certificate(args)
    except ProxyConfigError as error:
        print(error, file=sys.stderr)
        return 2
    warn(content, args.data_dir)  # things to change, which do not stop the workbook
    if args.workers > 1 or tls is not None:
        return serve_workers(
            settings, workers=args.workers, idle_minutes=content.clinic.idle_reset_minutes,
            certificate=tls, http_port=args.http_port,
        )
    if args.http_port is not None:
        print("--http-port needs a certificate (--certfile, --keyfile)", file=sys.stderr)
        return 2
    command = voila_command(settings, idle_minutes=content.clinic.idle_reset_minutes)
    sys.stdout.flush()
    os.execve(command[0], command, voila_environment(settings))
    return 0  # not reached: execve replaces this process
