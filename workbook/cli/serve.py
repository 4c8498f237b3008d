"""`workbook serve`: serve the dashboard with Voilà, alone or as several workers behind nginx."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import fields

from workbook.cli.shared import certificate, tls_arguments, warn
from workbook.content import InvalidContent, load_content
from workbook.serving.proxy_site import ProxyConfigError
from workbook.serving.setting import Setting
from workbook.serving.settings import SETTINGS, ServeSettings, voila_command, voila_environment
from workbook.serving.workers import serve_workers


def add_command(commands: argparse._SubParsersAction) -> None:
    """Add `serve` to the command line: an option for each serving setting that has one."""
    serve = commands.add_parser("serve", help="serve the dashboard with Voilà")
    for each in SETTINGS.values():
        if each.option:
            add_option(serve, each)
    tls_arguments(serve)
    serve.set_defaults(run=run)


def add_option(parser: argparse.ArgumentParser, each: Setting) -> None:
    """Add a setting's option, with its help, default and check."""
    if each.repeatable:  # each time one value, gathered in a list
        reading = {"action": "append", "default": [], "type": each.type}
    else:
        reading = {"default": each.default, "type": argument_type(each)}
    parser.add_argument(each.flag, metavar=each.metavar, dest=each.name, help=each.option_help(), **reading)


def argument_type(each: Setting):
    """How argparse reads a setting's value: its type, then its check."""
    if each.check is None:
        return each.type

    def read(text: str):
        value = each.type(text)
        problem = each.check(value)
        if problem:
            raise argparse.ArgumentTypeError(problem)
        return value

    read.__name__ = each.check.__name__  # argparse names it when the type refuses the text
    return read


def serve_settings(args: argparse.Namespace) -> ServeSettings:
    """The settings the options give (a repeated option's values as a tuple)."""
    given = {each.name: getattr(args, each.name) for each in fields(ServeSettings) if hasattr(args, each.name)}
    return ServeSettings(**{
        name: tuple(value) if SETTINGS[name].repeatable else value for name, value in given.items()
    })


def run(args: argparse.Namespace) -> int:
    """Serve until stopped: one Voilà process in place of this one, or workers behind nginx
    (with --workers or a certificate). Returns 1 on content with problems, 2 on bad settings."""
    try:
        content = load_content(args.data_dir)
    except InvalidContent as error:
        print("The workbook will not start: its content has problems.", file=sys.stderr)
        print(error.located, file=sys.stderr)
        return 1
    settings = serve_settings(args)
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
