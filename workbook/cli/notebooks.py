"""`workbook notebooks`: write the chapter notebooks (notebooks/chapters/) from the content folder alone."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workbook.cli.shared import load
from workbook.content import default_data_dir


def add_command(commands: argparse._SubParsersAction) -> None:
    """Add `notebooks` to the command line."""
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
    notebooks.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Write the notebooks (or, with --check, name each that differs); 1 on a problem."""
    from workbook.content.source import shown
    from workbook.notebooks.build import chapter_notebooks, notebook_drift, notebook_folder, write_notebooks

    content = load(args.data_dir)
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
