"""The clinical safety case's checks: what to change before the content is used, the sources
line, and whether every test the hazard log names exists.

Pure functions of the content; `missing_tests` also reads the test files it is pointed at (with
`ast`, running nothing). `workbook check` prints `release_warnings` as warnings (and fails on
them with `--strict`) and `missing_tests` as problems; `workbook serve` prints the warnings at
start and serves.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from workbook.content.loader import CLINIC_FILE, HAZARDS_FILE, RELEASE_FILE, default_data_dir
from workbook.content.models import Content
from workbook.content.safety_models import Hazard, Release
from workbook.content.source import shown

# The example phone number data/clinic.yaml ships with is one of Ofcom's numbers kept for drama
# (01632 960000 to 960999): no phone answers it. Any number whose digits start so is the example.
EXAMPLE_PHONE_DIGITS = "01632960"


def release_warnings(content: Content, *, today: date, data_dir: str | Path | None = None) -> list[str]:
    """Each thing to change before the content is used with patients, one line each.

    Nothing here makes the content invalid, so the workbook still starts: the content is past
    its review date, or the clinic's phone number is still the example.

    Args:
        content: validated content.
        today: the day to judge the review date by.
        data_dir: the folder the content came from, to name its files; defaults to
            `default_data_dir()`.

    Returns:
        One line per warning, naming the file and the field, in file order; empty when there is
        nothing to change.
    """
    root = Path(data_dir) if data_dir is not None else default_data_dir()
    warnings = []
    due = content.release.next_review_by
    if today > due:
        warnings.append(
            f"{shown(root / RELEASE_FILE)}: next_review_by: the content was due for review by "
            f"{long_date(due)}; review it and set new dates"
        )
    phone = content.clinic.clinic_phone
    if is_example_phone(phone):
        warnings.append(
            f"{shown(root / CLINIC_FILE)}: clinic_phone: {phone} is the example number; set your clinic's own"
        )
    return warnings


def is_example_phone(phone: str) -> bool:
    """Whether a phone number is in the example range, written nationally or as +44."""
    digits = re.sub(r"[^0-9]", "", phone)
    if phone.strip().startswith("+44"):
        digits = "0" + digits.removeprefix("44").lstrip("0")
    return digits.startswith(EXAMPLE_PHONE_DIGITS)


def long_date(day: date) -> str:
    """A date as people write it: "6 December 2026"."""
    return f"{day.day} {day:%B %Y}"


def sources_line(release: Release, *, by_publisher: bool = False) -> str:
    """The one line that names where the content comes from, in release.yaml's own words.

    Args:
        release: the content's release.
        by_publisher: name each publisher once instead of each page.

    Returns:
        Its `sources_label`, then each source by `cited_as` if it has one, else by its title;
        sources of one publisher in a row share one entry. For example "Sources: the article
        'Muscle spasms in the back'; NHS: Back pain, Sciatica; NICE NG59". With `by_publisher`,
        each publisher once, without its pages (for a patient's sheet: the pages' names are
        medical terms), for example "Sources: the article 'Muscle spasms in the back'; NHS; NICE".
    """
    if by_publisher:
        names = [source.cited_as if source.publisher is None else source.publisher for source in release.sources]
        return f"{release.sources_label}: {'; '.join(dict.fromkeys(name or '' for name in names))}"
    entries: list[str] = []
    shared: str | None = None  # the publisher of the last entry, while it can take more titles
    for source in release.sources:
        if source.cited_as is None and source.publisher is not None:
            if source.publisher == shared:
                entries[-1] += f", {source.title}"
            else:
                entries.append(f"{source.publisher}: {source.title}")
            shared = source.publisher
        else:
            entries.append(source.cited_as or source.title)
            shared = None
    return f"{release.sources_label}: {'; '.join(entries)}"


def missing_tests(
    hazards: Iterable[Hazard], project_dir: str | Path, *, path: str = f"data/{HAZARDS_FILE}"
) -> list[str]:
    """Each test the hazard log names that does not exist.

    A control names its tests as "tests/<file>.py::test_name" or
    "tests/<file>.py::TestClass::test_name"; each file is parsed, never run.

    Args:
        hazards: the hazard log.
        project_dir: the folder the names start from (the one that holds `tests/`).
        path: the hazard log's file, as the lines name it.

    Returns:
        One line per missing test, naming the hazard, the control's field and the test, in log
        order; empty when every test exists.
    """
    root = Path(project_dir)
    found: dict[str, frozenset[str] | None] = {}
    problems = []
    for hazard in hazards:
        for number, control in enumerate(hazard.controls):
            for index, name in enumerate(control.tests):
                file, _, test = name.partition("::")
                if file not in found:
                    found[file] = defined_tests(root / file)
                tests = found[file]
                if tests is None:
                    why = f"there is no test file {file}"
                elif test not in tests:
                    why = f"{file} has no test {test!r}"
                else:
                    continue
                field = f"controls[{number}].tests[{index}]"
                problems.append(f"{path}: hazard {hazard.id!r}: {field}: {why} (got {name!r})")
    return problems


def defined_tests(path: Path) -> frozenset[str] | None:
    """The tests a test file defines, as pytest names them after the file: "test_x" for a function,
    "TestClass::test_x" for a method; None when the file cannot be read or parsed."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
        return None
    functions = (ast.FunctionDef, ast.AsyncFunctionDef)
    names = set()
    for node in tree.body:
        if isinstance(node, functions) and node.name.startswith("test"):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            names.update(
                f"{node.name}::{member.name}"
                for member in node.body
                if isinstance(member, functions) and member.name.startswith("test")
            )
    return frozenset(names)
