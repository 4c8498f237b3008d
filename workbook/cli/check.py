"""`workbook check`: validate every content file, the chapter notebooks and the hazard log's tests."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workbook.cli.shared import load, warn
from workbook.content import Content, default_data_dir
from workbook.content.safety import missing_tests


def add_command(commands: argparse._SubParsersAction) -> None:
    """Add `check` to the command line."""
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
    check.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print what was checked, every warning and every problem; 1 on a problem (or, with --strict,
    a warning)."""
    content = load(args.data_dir)
    if content is None:
        return 1
    data_dir = args.data_dir or default_data_dir()
    warnings = warn(content, data_dir)
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
