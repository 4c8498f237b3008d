"""No text a patient reads names a dose: how much of a medicine to take, and how often, is for
the pharmacist, the doctor and the medicine's leaflet. Searched twice: every sentence a patient
reads (as the reading-level checks list them), and every line of the data files themselves.
The ice or heat advice a patient reads says to wrap it in a towel."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from workbook.content import Content, load_content
from workbook.content.loader import DEFAULT_DATA_DIR
from workbook.domain.patient_text import patient_sentences

CONTENT = load_content()
_NUMBER = r"(?:\d+(?:[.,]\d+)?|half|one|two|three|four|five|six|eight|ten|twelve)"
# What names a dose: an amount (400mg, 5 ml, 2 g, 10 mcg), a count of tablets or capsules,
# how often (times a day, twice daily, every 4 hours), or the word itself.
DOSE = re.compile(
    rf"""
    \b\d+(?:[.,]\d+)?\s*(?:mg|ml|g|mcg|µg|milligrams?|millilitres?|grams?|micrograms?)\b
    | \b{_NUMBER}\s+(?:\w+\s+)?(?:tablets?|capsules?|pills?)\b
    | \b(?:tablets?|capsules?|pills?)[\s:,-]+(?:\w+\s+)?{_NUMBER}\b
    | \b(?:times|once|twice)\s+(?:a|per|each|every)\s+day\b
    | \b(?:times|once|twice)\s+daily\b
    | \bevery\s+{_NUMBER}(?:\s+(?:to|or|-)\s+{_NUMBER})?\s+hours?\b
    | \bdos(?:e|es|age|ages|ing)\b
    """,
    re.IGNORECASE | re.VERBOSE,
)


def doses_read(content: Content) -> list[str]:
    """Each sentence a patient reads that names a dose, with where it is written."""
    return [f"{sentence.where}: {sentence.text}" for sentence in patient_sentences(content)
            if DOSE.search(sentence.text)]


def doses_written(data_dir: Path) -> list[str]:
    """Each line of the data files (data/*.yaml, data/chapters/*.md) that names a dose."""
    paths = sorted(data_dir.glob("*.yaml")) + sorted((data_dir / "chapters").glob("*.md"))
    assert len(paths) > 10, paths
    return [
        f"{path.relative_to(data_dir)}, line {number}: {line.strip()}"
        for path in paths
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if DOSE.search(line)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Take 400mg of ibuprofen.",
        "Take 200 mg at a time.",
        "Use 5ml of the liquid.",
        "Up to 1.2 g in a day.",
        "A 10 mcg patch.",
        "Take two tablets.",
        "Take 1 or 2 capsules.",
        "Tablets: 2 at a time.",
        "Take it three times a day.",
        "Use it twice daily.",
        "Take one every 4 hours.",
        "Every 4 to 6 hours.",
        "Do not take more than the dose on the leaflet.",
        "The usual dosage is on the box.",
    ],
)
def test_a_dose_is_found(text):
    assert DOSE.search(text), text


@pytest.mark.parametrize(
    "text",
    [
        "Put an ice pack or a heat pad on the sore area for 20 to 30 minutes at a time.",
        "Ask a pharmacist before you take NSAIDs.",
        "Ibuprofen and naproxen are NSAIDs. You can buy ibuprofen.",
        "Step 3 of 10.",
        "Call 999 or go to A&E now.",
        "You can call Physiotherapy Department on 01632 960000.",
        "If you are over 65, ibuprofen can make a stomach ulcer more likely.",
        "Do the exercises every day.",
        "Always read the leaflet that comes with the medicine.",
    ],
)
def test_words_that_name_no_dose_are_not_found(text):
    assert not DOSE.search(text), DOSE.search(text)


def test_no_text_a_patient_reads_names_a_dose():
    assert doses_read(CONTENT) == []
    assert doses_written(DEFAULT_DATA_DIR) == []


def test_a_dose_added_to_the_data_is_found_where_the_patient_reads_it(edit, data_copy):
    edit("chapters/06-treatment.md", "Ibuprofen and naproxen are NSAIDs.",
         "Ibuprofen and naproxen are NSAIDs. Take 400mg.")
    assert doses_read(load_content(data_copy)) == ["chapter treatment: item medicines: Take 400mg."]
    assert [line.split(":")[0] for line in doses_written(data_copy)] == [
        f"chapters/06-treatment.md, line {line}" for line in line_numbers(data_copy, "Take 400mg")
    ]


def test_a_dose_in_a_yaml_file_is_found_in_the_file_and_on_screen(edit, data_copy):
    edit("plan.yaml", '"Never use it on skin that is numb or broken."',
         '"Never use it on skin that is numb or broken. Use it 3 times a day."')
    assert doses_read(load_content(data_copy)) == ["plan.yaml, self_care ice-heat: steps[2]: Use it 3 times a day."]
    assert len(doses_written(data_copy)) == 1


def line_numbers(data_dir: Path, text: str) -> list[int]:
    lines = (data_dir / "chapters" / "06-treatment.md").read_text(encoding="utf-8").splitlines()
    return [number for number, line in enumerate(lines, start=1) if text in line]


WRAP = re.compile(r"\bwrap\b[^.]*\btowel\b", re.IGNORECASE)


def test_the_ice_or_heat_item_of_the_plan_says_to_wrap_it_in_a_towel():
    item = next(item for item in CONTENT.self_care if item.id == "ice-heat")
    assert "ice" in item.label.lower() and "heat" in item.label.lower()
    assert any(WRAP.search(step) for step in item.steps), item.steps
    # Never on numb or broken skin: it could burn without being felt.
    assert any(re.search(r"\bnumb\b.*\bbroken\b", step) for step in item.steps), item.steps


def test_the_treatment_step_says_to_wrap_ice_or_heat_in_a_towel():
    texts = [sentence.text for sentence in patient_sentences(CONTENT)
             if sentence.where.startswith("chapter treatment: item ")]
    ice = [text for text in texts if re.search(r"\bice\b", text, re.IGNORECASE)]
    assert ice, "the treatment step says nothing about ice"
    assert any(WRAP.search(text) and re.search(r"\bice\b", text, re.IGNORECASE) for text in ice), ice
