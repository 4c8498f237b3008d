"""The release file: the content's version, review dates and sources, the warnings `workbook check`
and `workbook serve` give before the content is used (past its review date, the example phone
number), `--strict` failing on them, and a broken release.yaml named by file, field and line."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from workbook import cli
from workbook.content import InvalidContent, load_content
from workbook.content.safety import is_example_phone, long_date, release_warnings, sources_line

CONTENT = load_content()
TODAY = date(2026, 12, 6)
PAST_REVIEW = (
    "reviewed_on: 2026-12-06\nnext_review_by: 2027-12-06",
    "reviewed_on: 2024-12-06\nnext_review_by: 2025-12-06",
)
REAL_PHONE = ('clinic_phone: "01632 960000"', 'clinic_phone: "0161 496 0000"')
REVIEW_WARNING = (
    "data/release.yaml: next_review_by: the content was due for review by 6 December 2025; "
    "review it and set new dates"
)
PHONE_WARNING = "data/clinic.yaml: clinic_phone: 01632 960000 is the example number; set your clinic's own"


@pytest.fixture
def in_copy(data_copy, monkeypatch):
    """Run from the folder that holds the data copy, so that files are named "data/..."."""
    monkeypatch.chdir(data_copy.parent)
    return Path("data")


def test_the_real_release_loads_with_its_sources():
    release = CONTENT.release
    assert release.content_version == "2.0.0"
    assert (release.reviewed_on, release.next_review_by) == (date(2026, 12, 6), date(2027, 12, 6))
    assert release.reviewed_by == "Clinical lead physiotherapist"
    titles = [source.title for source in release.sources]
    assert titles[0] == "Muscle spasms in the back" and release.sources[0].url is None
    for title in ("Back pain", "Cauda equina syndrome", "Sciatica", "Stroke", "Ibuprofen",
                  "Low back pain and sciatica in over 16s", "Back pain pathway: red flags for spinal conditions"):
        assert title in titles
    assert all(source.url.startswith("https://") for source in release.sources if source.url)
    assert sum(source.url is None for source in release.sources) == 2  # the article and a pathway read as slides
    assert {source.read_on for source in release.sources} == {date(2026, 12, 6)}


def test_sources_line_names_each_source_once_in_the_files_words():
    assert sources_line(CONTENT.release) == (
        "Sources: the article 'Muscle spasms in the back'; "
        "NHS: Back pain, Cauda equina syndrome, Sciatica, Stroke, Ibuprofen, Lower back pain exercises, How to sit "
        "correctly, Breathing exercises for stress; Chartered Society of Physiotherapy: Exercise advice for back pain; "
        "Cambridge University Hospitals: back mobility exercises; NICE NG59; NHS Gloucestershire back pain pathway; "
        "an NHS acute back pain pathway"
    )
    assert sources_line(CONTENT.release, by_publisher=True) == (
        "Sources: the article 'Muscle spasms in the back'; NHS; Chartered Society of Physiotherapy; "
        "Cambridge University Hospitals NHS Foundation Trust; National Institute for Health and Care Excellence "
        "(NICE); NHS Gloucestershire"
    )


def test_sources_line_follows_the_data(edit, data_copy):
    edit("release.yaml", 'sources_label: "Sources"', 'sources_label: "Where this comes from"')
    edit("release.yaml", '"Stroke"\n    publisher: "NHS"\n', '"Stroke"\n    publisher: "NHS Inform"\n')
    assert sources_line(load_content(data_copy).release) == (
        "Where this comes from: the article 'Muscle spasms in the back'; NHS: Back pain, Cauda equina "
        "syndrome, Sciatica; NHS Inform: Stroke; NHS: Ibuprofen, Lower back pain exercises, How to sit correctly, "
        "Breathing exercises for stress; Chartered Society of Physiotherapy: Exercise advice for back pain; "
        "Cambridge University Hospitals: back mobility exercises; NICE NG59; NHS Gloucestershire back pain pathway; "
        "an NHS acute back pain pathway"
    )


def test_no_warning_for_a_real_phone_and_a_review_still_to_come(edit, in_copy):
    edit("clinic.yaml", *REAL_PHONE)
    content = load_content(in_copy)
    assert release_warnings(content, today=TODAY, data_dir=in_copy) == []
    assert release_warnings(content, today=date(2027, 12, 6), data_dir=in_copy) == []  # due that day, not past


def test_a_past_review_date_and_the_example_phone_are_warned_of(edit, in_copy):
    assert release_warnings(load_content(in_copy), today=TODAY, data_dir=in_copy) == [PHONE_WARNING]
    edit("release.yaml", *PAST_REVIEW)
    content = load_content(in_copy)
    assert release_warnings(content, today=TODAY, data_dir=in_copy) == [REVIEW_WARNING, PHONE_WARNING]
    assert release_warnings(content, today=date(2025, 12, 6), data_dir=in_copy) == [PHONE_WARNING]


@pytest.mark.parametrize(
    ("phone", "example"),
    [
        ("01632 960000", True),
        ("01632 960999", True),
        ("01632960123", True),
        ("+44 1632 960000", True),
        ("+44 (0)1632 960000", True),
        ("(01632) 960-001", True),
        ("01632 961000", False),
        ("0161 496 0000", False),
        ("020 7946 0000", False),
        ("+33 1632 960000", False),
    ],
)
def test_the_example_phone_is_known_however_it_is_written(phone, example):
    assert is_example_phone(phone) is example


def test_dates_are_written_as_people_write_them():
    assert long_date(date(2026, 12, 6)) == "6 December 2026"


def test_check_warns_and_passes_and_strict_fails(edit, in_copy, capsys):
    edit("release.yaml", *PAST_REVIEW)
    assert cli.main(["check", "data"]) == 0
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [f"warning: {REVIEW_WARNING}", f"warning: {PHONE_WARNING}"]
    assert captured.out.rstrip().endswith(": valid, with 2 warnings")
    assert "all valid" not in captured.out

    assert cli.main(["check", "--strict", "data"]) == 1
    assert capsys.readouterr().err.splitlines() == [f"warning: {REVIEW_WARNING}", f"warning: {PHONE_WARNING}"]

    edit("clinic.yaml", *REAL_PHONE)
    assert cli.main(["check", "--strict", "data"]) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [f"warning: {REVIEW_WARNING}"]
    assert captured.out.rstrip().endswith(": valid, with 1 warning")

    edit("release.yaml", PAST_REVIEW[1], PAST_REVIEW[0])
    assert cli.main(["check", "--strict", "data"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out.rstrip().endswith(": all valid")


def test_serve_prints_the_warnings_and_still_starts(edit, in_copy, capsys, monkeypatch):
    started = []
    monkeypatch.setattr(os, "execve", lambda path, argv, env: started.append(argv))
    edit("release.yaml", *PAST_REVIEW)
    assert cli.main(["serve", "--data-dir", "data", "--port", "9999"]) == 0
    assert len(started) == 1
    assert capsys.readouterr().err.splitlines() == [f"warning: {REVIEW_WARNING}", f"warning: {PHONE_WARNING}"]


# (old text, new text, the one problem expected)
BROKEN = [
    pytest.param(
        'reviewed_by: "Clinical lead physiotherapist"\n', "",
        "data/release.yaml: release: reviewed_by: is required (line 5)",
        id="missing-field",
    ),
    pytest.param(
        "reviewed_on: 2026-12-06", 'reviewed_on: "6 December 2026"',
        "data/release.yaml: release: reviewed_on: must be a date written YYYY-MM-DD, for example 2026-12-06 "
        "(got '6 December 2026') (line 6)",
        id="date-in-words",
    ),
    pytest.param(
        "reviewed_on: 2026-12-06", "reviewed_on: 2026-02-30",
        "data/release.yaml: release: reviewed_on: is not a date that exists (written YYYY-MM-DD) "
        "(got '2026-02-30') (line 6)",
        id="date-that-does-not-exist",
    ),
    pytest.param(
        "next_review_by: 2027-12-06", "next_review_by: 2026-01-06",
        "data/release.yaml: release: next_review_by: must be after reviewed_on (2026-12-06) "
        "(got '2026-01-06') (line 7)",
        id="review-before-the-last",
    ),
    pytest.param(
        'url: "https://www.nhs.uk/conditions/sciatica/"', 'url: "www.nhs.uk/conditions/sciatica/"',
        "data/release.yaml: source 'Sciatica': url: must be a web address that starts with https:// "
        "(got 'www.nhs.uk/conditions/sciatica/') (line 27)",
        id="url-without-https",
    ),
    pytest.param(
        'content_version: "2.0.0"', "content_version: 2",
        "data/release.yaml: release: content_version: must be text (put it in quotes) (got 2) (line 5)",
        id="version-not-text",
    ),
    pytest.param(
        'url: "https://www.nhs.uk/conditions/stroke/"\n    read_on: 2026-12-06\n',
        'url: "https://www.nhs.uk/conditions/stroke/"\n',
        "data/release.yaml: source 'Stroke': read_on: is required (line 29)",
        id="source-without-read-on",
    ),
]


@pytest.mark.parametrize(("old", "new", "expected"), BROKEN)
def test_a_broken_release_names_file_field_and_line(edit, in_copy, old, new, expected):
    edit("release.yaml", old, new)
    with pytest.raises(InvalidContent) as caught:
        load_content(in_copy)
    assert [problem.located for problem in caught.value.problems] == [expected]


def test_a_missing_release_file_stops_the_workbook(in_copy, capsys):
    (in_copy / "release.yaml").unlink()
    assert cli.main(["check", "data"]) == 1
    assert capsys.readouterr().err.splitlines() == ["data/release.yaml: is missing"]

