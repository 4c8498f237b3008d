"""The clinical safety case's checks: what to change before the content is used, and the sources
line.

Pure functions of the content. `workbook check` prints `release_warnings` as warnings (and fails
on them with `--strict`); `workbook serve` prints them at start and serves.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from workbook.content.loader import CLINIC_FILE, RELEASE_FILE, default_data_dir
from workbook.content.models import Content, Release
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


def sources_line(release: Release) -> str:
    """The one line that names where the content comes from, in release.yaml's own words.

    Args:
        release: the content's release.

    Returns:
        Its `sources_label`, then each source by `cited_as` if it has one, else by its title;
        sources of one publisher in a row share one entry. For example "Sources: the article
        'Muscle spasms in the back'; NHS: Back pain, Sciatica; NICE NG59".
    """
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
