"""Notes for the appointment and the home plan. Pure, no widgets.

The notes follow the order the article asks for: location, severity, duration, triggers.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from workbook.domain.answers import Answers
from workbook.content import Choice, PlanItem, Region, RiskFactor, SymptomOptions
from workbook.content.screen import NotesText


def _labels(choices: Sequence[Choice], chosen: Collection[str], what: str) -> list[str]:
    ids = [choice.id for choice in choices]
    unknown = [item for item in chosen if item not in ids]
    if unknown:
        raise ValueError(f"symptom notes: {unknown[0]!r} is not one of the {what} {tuple(ids)}")
    return [choice.label for choice in choices if choice.id in chosen]


def _places(regions: Sequence[Region], marked: Collection[str]) -> list[str]:
    """The marked places' labels, a place marked on both sides said once (its `both`)."""
    _labels(regions, marked, "body regions")
    whole = {r.both for r in regions if all(o.id in marked for o in regions if o.both == r.both)}
    said: list[str] = []
    for region in regions:
        if region.id in marked:
            words = region.both if region.both in whole else region.label
            if words not in said:
                said.append(words)
    return said


def appointment_notes(options: SymptomOptions, notes: Answers, text: NotesText) -> tuple[tuple[str, str], ...]:
    """The notes for the appointment as (label, text) pairs, in the article's order.

    Text is plain (not escaped); whoever shows it escapes it. The free text is as `Answers`
    keeps it, with its spaces and line breaks made single spaces.

    Raises:
        ValueError: a choice that does not exist, or a pain score outside 0 to 10.
    """
    if notes.pain is not None and not (isinstance(notes.pain, int) and 0 <= notes.pain <= 10):
        raise ValueError(f"symptom notes: pain must be a whole number from 0 to 10 (got {notes.pain!r})")
    where = _places(options.regions, notes.regions)
    what = _labels(options.symptoms, notes.symptoms, "symptoms")
    how_long = _labels(options.durations, [notes.duration] if notes.duration else [], "durations")
    set_off = _labels(options.triggers, notes.triggers, "triggers")
    own_words = " ".join(notes.trigger_text.split())
    pain = text.pain_value.format(pain=notes.pain) if notes.pain is not None else ""
    rows = tuple(
        (label, said or text.not_noted)
        for label, said in (
            (text.where, "; ".join(where)),
            (text.pain, pain),
            (text.duration, "; ".join(how_long)),
            (text.triggers, "; ".join(set_off)),
            (text.own_words, own_words),
            (text.symptoms, "; ".join(what)),
        )
    )
    checks = region_checks(options, notes)
    return (*rows, (text.check, " ".join(checks))) if checks else rows


def region_checks(options: SymptomOptions, notes: Answers) -> list[str]:
    """What to check about the places marked on the body diagram: the note of each region sign
    whose places are all marked, unless its warning sign was answered yes already."""
    return [
        sign.note
        for sign in options.region_signs
        if all(region in notes.regions for region in sign.regions)
        and notes.red_flag_answers.get(sign.flag) is not True
    ]


def preselected_strategies(
    factors: Sequence[RiskFactor], ticked: Collection[str], strategies: Sequence[PlanItem]
) -> tuple[str, ...]:
    """The prevention strategies that the ticked risk factors point to, in plan order."""
    wanted = {strategy for factor in factors if factor.id in ticked for strategy in factor.strategies}
    return tuple(item.id for item in strategies if item.id in wanted)


def plan_choice(chosen: tuple[str, ...] | None, preselected: tuple[str, ...]) -> tuple[str, ...]:
    """The prevention plan: the patient's own choice once they have made one, else the preselection."""
    return preselected if chosen is None else chosen
