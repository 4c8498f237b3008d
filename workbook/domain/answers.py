"""Everything one patient has answered: one frozen value. Pure, no widgets.

The session holds one `Answers` and replaces it on every change; the summary, the notes and
the care cards read it directly. Every change makes a new value, so an observer of the session
hears every change, and nothing that holds an old value sees it change under it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

MAX_TEXT = 300  # characters of the free-text trigger kept, the cut mark included
CUT_MARK = "…"  # ends words that were cut
# Control characters other than tab and newline, the characters that reorder text
# (bidirectional embeddings, overrides and isolates), and those that take no width (zero-width
# space, joiners, word joiner, invisible operators, the byte-order mark, the soft hyphen, the
# Mongolian vowel separator): they could hide or disguise words.
_HIDDEN = dict.fromkeys(
    [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0), 0xAD,
     0x061C, 0x180E, *range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2060, 0x2065),
     *range(0x2066, 0x206A), 0xFEFF]
)


def clean_text(text: str) -> str:
    """A patient's own words as kept: hidden and reordering characters removed, then, if
    longer than MAX_TEXT characters, cut after the last whole word that fits and marked "…"
    (mid-word only when one word fills most of it)."""
    kept = text.translate(_HIDDEN)
    if len(kept) <= MAX_TEXT:
        return kept
    cut = kept[: MAX_TEXT - len(CUT_MARK) + 1]
    space = cut.rfind(" ")
    cut = cut[:space] if space > MAX_TEXT // 2 else cut[:-1]
    return cut.rstrip() + CUT_MARK


def _frozen(mapping: Mapping) -> Mapping:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True, slots=True)
class Answers:
    """What one patient answered, by step. Unanswered is the default of each field.

    The free text is kept as `clean_text` keeps it, whatever it is given; maps are read-only.
    """

    # The safety check: warning-sign question id -> True (yes) or False (no); unanswered absent.
    red_flag_answers: Mapping[str, bool] = field(default_factory=dict)
    # The self-check: ids of the risk factors ticked.
    risk_factors: tuple[str, ...] = ()
    # The symptom notes: ids of the choices, pain now (0 to 10), and the patient's own words.
    symptoms: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    pain: int | None = None
    duration: str | None = None
    triggers: tuple[str, ...] = ()
    trigger_text: str = ""
    # The home plan: self-care chosen, and prevention (None until the patient changes the
    # preselection that the risk factors make).
    self_care: tuple[str, ...] = ()
    prevention: tuple[str, ...] | None = None
    # The questions: question id -> every answer checked, first first (tuples of option ids).
    quiz_attempts: Mapping[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "red_flag_answers", _frozen(self.red_flag_answers))
        object.__setattr__(self, "quiz_attempts", _frozen(self.quiz_attempts))
        for name in _ID_TUPLES:
            value = getattr(self, name)
            if value is not None and not isinstance(value, tuple):
                object.__setattr__(self, name, tuple(value))  # a tuple, whatever sequence was given
        if isinstance(self.trigger_text, str):
            object.__setattr__(self, "trigger_text", clean_text(self.trigger_text))

    def changed(self, **fields: object) -> Answers:
        """A copy with these fields replaced.

        Raises:
            TypeError: a name that is no answer.
        """
        return dataclasses.replace(self, **fields)

    def with_red_flag(self, question_id: str, value: bool | None) -> Answers:
        """A copy with a warning-sign answer set (True/False) or cleared (None)."""
        answers = {k: v for k, v in self.red_flag_answers.items() if k != question_id}
        if value is not None:
            answers[question_id] = value
        return self.changed(red_flag_answers=answers)

    def with_attempt(self, question_id: str, answer: tuple[str, ...]) -> Answers:
        """A copy with a checked answer added to a question's attempts."""
        previous = self.quiz_attempts.get(question_id, ())
        return self.changed(quiz_attempts={**self.quiz_attempts, question_id: (*previous, tuple(answer))})


ANSWER_FIELDS = tuple(f.name for f in dataclasses.fields(Answers))
# The fields that hold ids of choices, kept as tuples.
_ID_TUPLES = ("risk_factors", "symptoms", "regions", "triggers", "self_care", "prevention")


def differs(old: Answers, new: Answers, names: tuple[str, ...]) -> bool:
    """Whether any of these fields differ between two answers."""
    return any(getattr(old, name) != getattr(new, name) for name in names)
