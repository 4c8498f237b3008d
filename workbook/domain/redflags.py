"""The safety check: which care card the warning-sign answers call for. Pure, no widgets.

Answers map a question id to True (yes) or False (no); a question not in the map is
unanswered, and is never taken as "no".
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from workbook.content import CARE_LEVELS, CareCardText, CareLevel, Clinic, RedFlag, RedFlagGroup
from workbook.content.screen import EveryCardText


class RedFlagAnswerError(ValueError):
    """An answer that is not yes (True) or no (False), or a question that does not exist."""


@dataclass(frozen=True, slots=True)
class RedFlagResult:
    """What the answers show."""

    level: CareLevel | None
    triggered: tuple[RedFlag, ...]  # answered yes, highest level first
    answered_no: tuple[RedFlag, ...]
    unanswered: tuple[RedFlag, ...]


@dataclass(frozen=True, slots=True)
class SignGroup:
    """Signs under one short heading (nerves, bladder and bowels, ...), in the order asked."""

    heading: str
    signs: tuple[str, ...]
    picture: str | None = None  # a drawing of what some of these signs are about, with its words
    picture_text: str | None = None


@dataclass(frozen=True, slots=True)
class CareCard:
    """A care card ready to show: one call to action, at most four bullets, then the signs the
    patient said yes to under their headings."""

    level: CareLevel
    prefix: str
    heading: str
    bullets: tuple[str, ...]
    said_yes: str  # the words before the signs
    signs: tuple[SignGroup, ...]


def check_answers(flags: Sequence[RedFlag], answers: Mapping[str, object]) -> None:
    """Refuse answers that are not True or False, or that name no question.

    Raises:
        RedFlagAnswerError: naming the question and the bad value.
    """
    ids = {flag.id for flag in flags}
    for question_id, value in answers.items():
        if question_id not in ids:
            raise RedFlagAnswerError(f"warning sign {question_id!r}: there is no such question")
        if not isinstance(value, bool):
            raise RedFlagAnswerError(
                f"warning sign {question_id!r}: the answer must be True (yes) or False (no) (got {value!r})"
            )


def evaluate_red_flags(
    flags: Sequence[RedFlag], answers: Mapping[str, object], *, groups: Sequence[RedFlagGroup]
) -> RedFlagResult:
    """The level the answers call for, which answers triggered it, and what is unanswered.

    The level is the highest of the signs answered yes; a yes in a group with
    `with_another_yes` (facts about a person's health) together with any other yes calls for
    at least that group's level.

    Raises:
        RedFlagAnswerError: see `check_answers`.
    """
    check_answers(flags, answers)
    yes = [flag for flag in flags if answers.get(flag.id) is True]
    yes.sort(key=lambda flag: CARE_LEVELS.index(flag.level))
    levels = [flag.level for flag in yes]
    raising = {group.id: group.with_another_yes for group in groups if group.with_another_yes}
    if len(yes) > 1:
        levels += [raising[flag.group] for flag in yes if flag.group in raising]
    return RedFlagResult(
        level=min(levels, key=CARE_LEVELS.index) if levels else None,
        triggered=tuple(yes),
        answered_no=tuple(flag for flag in flags if answers.get(flag.id) is False),
        unanswered=tuple(flag for flag in flags if flag.id not in answers),
    )


def grouped_signs(flags: Sequence[RedFlag], groups: Sequence[RedFlagGroup]) -> tuple[SignGroup, ...]:
    """The signs of `flags` under their groups' headings, in the groups' order; a group with
    none of them is left out. A group's picture comes with its signs only when it shows one of
    them (`picture_for`)."""
    shown = []
    for group in groups:
        members = [flag for flag in flags if flag.group == group.id]
        if not members:
            continue
        pictured = any(flag.id in group.picture_for for flag in members)
        shown.append(SignGroup(
            heading=group.heading,
            signs=tuple(flag.sign for flag in members),
            picture=group.picture if pictured else None,
            picture_text=group.picture_text if pictured else None,
        ))
    return tuple(shown)


def care_card(
    result: RedFlagResult,
    cards: Sequence[CareCardText],
    clinic: Clinic,
    every_card: EveryCardText,
    *,
    groups: Sequence[RedFlagGroup],
) -> CareCard | None:
    """The card for the level the answers call for, with the clinic's numbers filled in.

    The call to action comes first, then the card's own bullets, then what every card says:
    to tell the physiotherapist, and the signs the patient said yes to under their headings
    (`every_card` in `data/redflags.yaml`).
    """
    if result.level is None:
        return None
    text = next(card for card in cards if card.level == result.level)
    settings = _settings(clinic)
    return CareCard(
        level=result.level,
        prefix=text.prefix,
        heading=text.heading.format(**settings),
        bullets=(*(bullet.format(**settings) for bullet in text.bullets), every_card.tell.format(**settings)),
        said_yes=every_card.said_yes,
        signs=grouped_signs(result.triggered, groups),
    )


@dataclass(frozen=True, slots=True)
class HelpLevel:
    """One level of help as it is taught: its call to action, what to do, and every sign of
    that level."""

    level: CareLevel
    prefix: str
    heading: str
    bullets: tuple[str, ...]
    signs: tuple[SignGroup, ...]


def help_levels(
    flags: Sequence[RedFlag], cards: Sequence[CareCardText], clinic: Clinic, *, groups: Sequence[RedFlagGroup]
) -> tuple[HelpLevel, ...]:
    """The three levels of help, highest first, with the clinic's numbers filled in and each
    level's signs under their groups' headings."""
    settings = _settings(clinic)
    return tuple(
        HelpLevel(
            level=card.level,
            prefix=card.prefix,
            heading=card.heading.format(**settings),
            bullets=tuple(bullet.format(**settings) for bullet in card.bullets),
            signs=grouped_signs([flag for flag in flags if flag.level == card.level], groups),
        )
        for card in sorted(cards, key=lambda card: CARE_LEVELS.index(card.level))
    )


def _settings(clinic: Clinic) -> dict[str, str]:
    return {
        "emergency_number": clinic.emergency_number,
        "urgent_service": clinic.urgent_service,
        "clinic_name": clinic.clinic_name,
        "clinic_phone": clinic.clinic_phone,
    }


def card_mode(step: int, *, safety_step: int, full_steps: Collection[int]) -> str | None:
    """How the care card shows on a step: not before the safety check; from it on, "full" on
    the steps named (the safety check and the summary), elsewhere "compact" (one line that
    opens)."""
    if step < safety_step:
        return None
    return "full" if step in full_steps else "compact"
