"""Notes for the appointment and the home plan. Pure, no widgets.

The notes follow the order the article asks for: location, severity, duration, triggers.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from workbook.content import Choice, PlanItem, RiskFactor, SymptomOptions

NOT_NOTED = "Not noted"
MAX_TEXT = 300  # characters of the free-text trigger kept
# Control characters other than tab and newline, and the characters that reorder text
# (bidirectional embeddings, overrides and isolates): they could hide or disguise words.
_HIDDEN = dict.fromkeys(
    [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0),
     0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)


def clean_text(text: str) -> str:
    """A patient's own words as kept: hidden and reordering characters removed, then cut to
    MAX_TEXT characters."""
    return text.translate(_HIDDEN)[:MAX_TEXT]


@dataclass(frozen=True, slots=True)
class SymptomNotes:
    """What the patient noted on step 5 (ids of the choices, and their own words)."""

    symptoms: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    pain: int | None = None
    duration: str | None = None
    triggers: tuple[str, ...] = ()
    trigger_text: str = ""


def _labels(choices: Sequence[Choice], chosen: Collection[str], what: str) -> list[str]:
    ids = [choice.id for choice in choices]
    unknown = [item for item in chosen if item not in ids]
    if unknown:
        raise ValueError(f"symptom notes: {unknown[0]!r} is not one of the {what} {tuple(ids)}")
    return [choice.label for choice in choices if choice.id in chosen]


def appointment_notes(options: SymptomOptions, notes: SymptomNotes) -> tuple[tuple[str, str], ...]:
    """The notes for the appointment as (label, text) pairs, in the article's order.

    Text is plain (not escaped); whoever shows it escapes it. Free text is trimmed to
    MAX_TEXT characters.

    Raises:
        ValueError: a choice that does not exist, or a pain score outside 0 to 10.
    """
    if notes.pain is not None and not (isinstance(notes.pain, int) and 0 <= notes.pain <= 10):
        raise ValueError(f"symptom notes: pain must be a whole number from 0 to 10 (got {notes.pain!r})")
    where = _labels(options.regions, notes.regions, "body regions")
    what = _labels(options.symptoms, notes.symptoms, "symptoms")
    how_long = _labels(options.durations, [notes.duration] if notes.duration else [], "durations")
    set_off = _labels(options.triggers, notes.triggers, "triggers")
    own_words = " ".join(clean_text(notes.trigger_text).split())
    if own_words:
        set_off.append(f"In my words: {own_words}")
    return (
        ("Where it hurts", "; ".join(where) or NOT_NOTED),
        ("How bad the pain is", f"{notes.pain} out of 10" if notes.pain is not None else NOT_NOTED),
        ("How long I have had it", "; ".join(how_long) or NOT_NOTED),
        ("What may have set it off", "; ".join(set_off) or NOT_NOTED),
        ("What I notice", "; ".join(what) or NOT_NOTED),
    )


def preselected_strategies(
    factors: Sequence[RiskFactor], ticked: Collection[str], strategies: Sequence[PlanItem]
) -> tuple[str, ...]:
    """The prevention strategies that the ticked risk factors point to, in plan order."""
    wanted = {strategy for factor in factors if factor.id in ticked for strategy in factor.strategies}
    return tuple(item.id for item in strategies if item.id in wanted)


def plan_choice(chosen: tuple[str, ...] | None, preselected: tuple[str, ...]) -> tuple[str, ...]:
    """The prevention plan: the patient's own choice once they have made one, else the preselection."""
    return preselected if chosen is None else chosen
