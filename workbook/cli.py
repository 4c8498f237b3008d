"""The `workbook` command: check the content, serve the dashboard, write the proxy's configuration,
a demo summary and the chapter notebooks."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from workbook.serving.capacity import default_max_patients
from workbook.content import Content, InvalidContent, default_data_dir, load_content
from workbook.content.safety import missing_tests, release_warnings
from workbook.serving.pages import error_page, message_page
from workbook.serving.proxy import site_config
from workbook.serving.proxy_site import Certificate, ProxyConfigError, Site, Upstream
from workbook.serving.settings import ServeSettings, voila_command, voila_environment
from workbook.serving.workers import serve_workers


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    return args.run(args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="workbook", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="validate every content file")
    check.add_argument("data_dir", nargs="?", type=Path, help="content folder (default: data/)")
    check.add_argument(
        "--readability", action="store_true",
        help="also grade (Flesch-Kincaid) every group of texts a patient reads, and fail on a group "
        "above grade 8 or a sentence over 20 words",
    )
    check.add_argument(
        "--strict", action="store_true",
        help="also fail on a warning (the example phone number, content past its review date): "
        "the check before the content is used with patients",
    )
    check.set_defaults(run=_check)

    defaults = ServeSettings()
    serve = commands.add_parser("serve", help="serve the dashboard with Voilà")
    serve.add_argument("--host", default=defaults.host, help=f"address (default {defaults.host})")
    serve.add_argument("--port", type=int, default=defaults.port, help=f"port (default {defaults.port})")
    serve.add_argument(
        "--pool-size", type=int, default=defaults.pool_size,
        help=f"kernels started ahead of time (default {defaults.pool_size})",
    )
    serve.add_argument(
        "--cull-after", type=_positive, default=defaults.cull_after, metavar="SECONDS",
        help="seconds a kernel waits for its page after the page's connection closed "
        "(default: the clinic's idle_reset_minutes)",
    )
    serve.add_argument(
        "--max-patients", type=_positive, default=defaults.max_patients, metavar="N",
        help="most patients at once, counting the preheated pool; past it a new page is told "
        f"the workbook is busy (default: what this machine's memory allows, now {default_max_patients()})",
    )
    serve.add_argument(
        "--places-per-address", type=_positive, default=defaults.places_per_address, metavar="N",
        help="most patients' pages one client address may hold; past it that address is told the "
        "workbook is busy and others are not (default: half of --max-patients; where every tablet "
        "shares one address behind a NAT, give --max-patients)",
    )
    serve.add_argument(
        "--claim-seconds", type=_positive, default=defaults.claim_seconds, metavar="SECONDS",
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
        "--workers", type=_positive, default=1, metavar="N",
        help="Voilà processes on this machine, behind nginx on --host/--port (default 1: "
        "one process, no nginx unless there is a certificate)",
    )
    _tls_arguments(serve)
    serve.add_argument("--data-dir", type=Path, help="content folder (default: data/)")
    serve.set_defaults(run=_serve)

    proxy = commands.add_parser(
        "proxy-config",
        help="print the nginx site configuration for workbook servers on several machines",
    )
    proxy.add_argument(
        "--upstream", action="append", required=True, metavar="HOST:PORT", dest="upstreams",
        help="a machine running 'workbook serve --host HOST --port PORT' (repeatable; the same "
        "HOST and PORT as given to it)",
    )
    proxy.add_argument("--host", default="0.0.0.0", help="address nginx listens on (default 0.0.0.0)")
    proxy.add_argument("--port", type=int, default=None, help="its port (default 443 with a certificate, else 80)")
    proxy.add_argument(
        "--server-name", action="append", default=[], metavar="NAME", dest="server_names",
        help="a name tablets use to reach the workbook (repeatable)",
    )
    _tls_arguments(proxy)
    proxy.add_argument("--data-dir", type=Path, help="content folder, for the busy page's words (default: data/)")
    proxy.set_defaults(run=_proxy_config)

    summary = commands.add_parser("summary", help="write the take-home summary of a demo scenario")
    summary.add_argument("--scenario", required=True, help="name of the scenario (see --list)")
    summary.add_argument("--out", required=True, type=Path, help="the HTML file to write")
    summary.add_argument("--date", type=date.fromisoformat, default=None, help="date on it (YYYY-MM-DD)")
    summary.add_argument("--data-dir", type=Path, help="content folder (default: data/)")
    summary.set_defaults(run=_summary)

    notebooks = commands.add_parser(
        "notebooks", help="write the chapter notebooks (notebooks/chapters/) from the content folder alone",
    )
    notebooks.add_argument("--data-dir", type=Path, help="content folder (default: data/)")
    notebooks.add_argument(
        "--out", type=Path, help="the notebooks' folder (default: notebooks/chapters beside the content folder)",
    )
    notebooks.add_argument(
        "--check", action="store_true",
        help="write nothing: name each notebook that differs from the content, and fail if one does",
    )
    notebooks.set_defaults(run=_notebooks)
    return parser


def _tls_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--certfile", type=Path, help="the certificate (PEM, with its chain): serve HTTPS through nginx")
    parser.add_argument("--keyfile", type=Path, help="the certificate's private key (PEM)")
    parser.add_argument(
        "--http-port", type=int, default=None, metavar="PORT",
        help="with a certificate, also redirect plain HTTP on this port to HTTPS (for example 80)",
    )


def _certificate(args: argparse.Namespace) -> Certificate | None:
    if (args.certfile is None) != (args.keyfile is None):
        raise ProxyConfigError("--certfile and --keyfile go together")
    if args.certfile is None:
        return None
    return Certificate(args.certfile.resolve(), args.keyfile.resolve())


def _proxy_config(args: argparse.Namespace) -> int:
    try:
        certificate = _certificate(args)
        if certificate is not None:
            certificate.check()
        else:
            print("# without --certfile and --keyfile the site is plain HTTP: answers cross the "
                  "network in clear text", file=sys.stderr)
        site = Site(
            upstreams=tuple(Upstream.parse(text) for text in args.upstreams),
            host=args.host,
            port=args.port or (443 if certificate else 80),
            certificate=certificate,
            http_port=args.http_port,
            server_names=tuple(args.server_names),
            unavailable_page=message_page(load_content(args.data_dir).page, base_url="/"),
            error_page=error_page(load_content(args.data_dir).page, base_url="/"),
        )
    except ProxyConfigError as error:
        print(f"workbook proxy-config: {error}", file=sys.stderr)
        return 2
    except InvalidContent as error:
        print(error.located, file=sys.stderr)
        return 1
    print(site_config(site), end="")
    return 0


def _load(data_dir: Path | None) -> Content | None:
    """The content, or None after printing every problem it has."""
    try:
        return load_content(data_dir)
    except InvalidContent as error:
        print(error.located, file=sys.stderr)
        return None


def _warn(content: Content, data_dir: Path | None) -> list[str]:
    """The content's release warnings (`release_warnings`), each printed as "warning: ..." on stderr."""
    warnings = release_warnings(content, today=date.today(), data_dir=data_dir)
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return warnings


def _check(args: argparse.Namespace) -> int:
    content = _load(args.data_dir)
    if content is None:
        return 1
    data_dir = args.data_dir or default_data_dir()
    warnings = _warn(content, data_dir)
    print(content.summary_line(len(warnings)))
    problems = []
    if args.readability:
        from workbook.domain.readability import readability_problems, readability_table, readings

        groups = readings(content)
        print(readability_table(groups))
        problems += readability_problems(groups)
    problems += _notebook_drift(content, data_dir)
    problems += _hazard_tests(content, data_dir)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems or (args.strict and warnings) else 0


def _notebook_drift(content: Content, data_dir: Path) -> list[str]:
    """Each chapter notebook beside the content folder that is not what the content gives; none
    where the folder has no notebooks beside it (a clinic's own content folder)."""
    from workbook.notebooks.build import chapter_notebooks, notebook_drift, notebook_folder

    folder = notebook_folder(data_dir)
    return notebook_drift(chapter_notebooks(content), folder) if folder.is_dir() else []


def _hazard_tests(content: Content, data_dir: Path) -> list[str]:
    """Each test the hazard log names that does not exist, where the content folder has the
    project's tests/ beside it; none for a clinic's own content folder."""
    from workbook.content.loader import HAZARDS_FILE
    from workbook.content.source import shown

    project = Path(data_dir).parent
    if not (project / "tests").is_dir():
        return []
    return missing_tests(content.hazards, project, path=shown(Path(data_dir) / HAZARDS_FILE))


def _notebooks(args: argparse.Namespace) -> int:
    from workbook.content.source import shown
    from workbook.notebooks.build import chapter_notebooks, notebook_drift, notebook_folder, write_notebooks

    content = _load(args.data_dir)
    if content is None:
        return 1
    folder = args.out or notebook_folder(args.data_dir or default_data_dir())
    expected = chapter_notebooks(content)
    if args.check:
        problems = notebook_drift(expected, folder)
        for problem in problems:
            print(problem, file=sys.stderr)
        if not problems:
            print(f"{shown(folder)}: {len(expected)} chapter notebooks, each as the content gives it")
        return 1 if problems else 0
    written, removed = write_notebooks(expected, folder)
    for path in written:
        print(f"wrote {shown(path)}")
    for path in removed:
        print(f"removed {shown(path)}")
    print(f"{shown(folder)}: {len(expected)} chapter notebooks, {len(written)} written")
    return 0


def _summary(args: argparse.Namespace) -> int:
    from workbook.domain.scenarios import scenarios
    from workbook.domain.summary import summary_html

    content = _load(args.data_dir)
    if content is None:
        return 1
    named = scenarios(content)
    if args.scenario not in named:
        print(f"no scenario {args.scenario!r}; choose one of: {', '.join(named)}", file=sys.stderr)
        return 1
    html = summary_html(content, named[args.scenario], on=args.date or date.today())
    args.out.write_text(html, encoding="utf-8")
    print(f"wrote {args.out} ({len(html.encode()) // 1024 + 1} KB)")
    return 0


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more (got {value})")
    return value


def _serve(args: argparse.Namespace) -> int:
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
        certificate = _certificate(args)
    except ProxyConfigError as error:
        print(error, file=sys.stderr)
        return 2
    _warn(content, args.data_dir)  # things to change, which do not stop the workbook
    if args.workers > 1 or certificate is not None:
        return serve_workers(
            settings, workers=args.workers, idle_minutes=content.clinic.idle_reset_minutes,
            certificate=certificate, http_port=args.http_port,
        )
    if args.http_port is not None:
        print("--http-port needs a certificate (--certfile, --keyfile)", file=sys.stderr)
        return 2
    command = voila_command(settings, idle_minutes=content.clinic.idle_reset_minutes)
    sys.stdout.flush()
    os.execve(command[0], command, voila_environment(settings))
    return 0  # not reached: execve replaces this process
