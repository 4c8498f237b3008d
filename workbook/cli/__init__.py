"""The `workbook` command: check the content, serve the dashboard, write the proxy's configuration,
a demo summary and the chapter notebooks."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from workbook.cli import check, notebooks, proxy_config, serve, summary

# Each command's module adds its arguments (`add_command`) and runs it (`run`), in --help's order.
COMMANDS = (check, serve, proxy_config, summary, notebooks)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    return args.run(args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="workbook", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.add_command(commands)
    return parser
