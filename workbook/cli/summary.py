"""`workbook summary`: write the take-home summary of a demo scenario."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from workbook.cli.shared import load


def add_command(commands: argparse._SubParsersAction) -> None:
    """Add `summary` to the command line."""
    summary = commands.add_parser("summary", help="write the take-home summary of a demo scenario")
    summary.add_argument("--scenario", required=True, help="name of the scenario (see --list)")
    summary.add_argument("--out", required=True, type=Path, help="the HTML file to write")
    summary.add_argument("--date", type=date.fromisoformat, default=None, help="date on it (YYYY-MM-DD)")
    summary.add_argument("--data-dir", type=Path, help="content folder (default: data/)")
    summary.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Write the scenario's summary page; 1 on content with problems or an unknown scenario."""
    from workbook.domain.scenarios import scenarios
    from workbook.domain.summary import summary_html

    content = load(args.data_dir)
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
