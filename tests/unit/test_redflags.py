"""Which care card the warning-sign answers call for."""

from __future__ import annotations

import dataclasses
import re

import pytest

from workbook.content import InvalidContent, load_content
from workbook.domain.redflags import (
    RedFlagAnswerError,
    card_mode,
    care_card,
    evaluate_red_flags,
    help_levels,
)

CONTENT = load_content()
FLAGS = CONTENT.red_flags
GROUPS = CONTENT.red_flag_groups


def evaluate(answers, flags=FLAGS, groups=GROUPS):
    return evaluate_red_flags(flags, answers, groups=groups)


def card_for(answers, clinic=None, content=CONTENT):
    result = evaluate_red_flags(content.red_flags, answers, groups=content.red_flag_groups)
    return care_card(result, content.care_cards, clinic or content.clinic, content.card_words,
                     groups=content.red_flag_groups)


def card_signs(card):
    return [sign for group in card.signs for sign in group.signs]
BY_LEVEL = {level: [f.id for f in FLAGS if f.level == level] for level in ("emergency", "urgent", "non_urgent")}

HEADINGS = {
    "emergency": "Call 999 or go to A&E now",
    "urgent": "Ask for an urgent GP appointment today, or call NHS 111",
    "non_urgent": "See a GP or your physiotherapist",
}

ANSWER_SETS = [
    pytest.param({}, None, id="all-unanswered"),
    pytest.param({flag.id: False for flag in FLAGS}, None, id="all-no"),
    *[pytest.param({flag.id: True}, flag.level, id=f"only-{flag.id}") for flag in FLAGS],
    pytest.param({"weeks": True, "lump": True}, "urgent", id="urgent-beats-non-urgent"),
    pytest.param({"daily-activities": True, "one-leg": True, "chest-pain": True}, "emergency", id="emergency-beats-all"),
    pytest.param({"age": True, "worried": True}, "urgent", id="health-history-with-another-sign-is-urgent"),
    pytest.param({"age": True, "chest-pain": True}, "emergency", id="health-history-never-lowers"),
    pytest.param({"age": True, "temperature": False}, "non_urgent", id="health-history-alone-keeps-its-level"),
    pytest.param({"bladder-bowel": True, "temperature": False}, "emergency", id="yes-and-no"),
]


@pytest.mark.parametrize(("answers", "level"), ANSWER_SETS)
def test_answers_give_the_highest_level_and_its_card(answers, level):
    result = evaluate(answers)
    assert result.level == level
    card = card_for(answers)
    if level is None:
        assert card is None
        assert result.triggered == ()
        return
    assert card.heading == HEADINGS[level]
    # The call to action first; telling the physiotherapist after it, then the signs.
    assert card.bullets[-1] == "Tell your physiotherapist too: call Physiotherapy Department on 01632 960000."
    assert len(card.bullets) <= 4
    yes = [flag for flag in FLAGS if answers.get(flag.id) is True]
    assert {flag.id for flag in result.triggered} == {flag.id for flag in yes}
    assert sorted(card_signs(card)) == sorted(flag.sign for flag in yes)


def test_triggered_answers_come_highest_level_first():
    result = evaluate({"weeks": True, "chest-pain": True, "lump": True})
    assert [flag.id for flag in result.triggered] == ["chest-pain", "lump", "weeks"]


def test_unanswered_questions_are_unanswered_not_no():
    result = evaluate({"chest-pain": False})
    assert [flag.id for flag in result.answered_no] == ["chest-pain"]
    assert len(result.unanswered) == len(FLAGS) - 1


# The levels the safety check must use, kept here apart from the data so that a sign moved
# to another level fails. Emergency: the NHS back pain page's "call 999 or go to A&E" list and
# the NHS cauda equina syndrome page's signs. Urgent: the back pain page's "urgent GP
# appointment or call 111" list. Non-urgent: its "see a GP" list, and the article's signs
# that no NHS list names (one leg or an arm: both legs is an emergency).
EXPECTED_LEVELS = {
    "both-legs": "emergency",
    "legs-give-way": "emergency",
    "one-side": "emergency",
    "weakness-worse": "urgent",
    "one-leg": "non_urgent",
    "genitals-buttocks": "emergency",
    "wiping": "emergency",
    "peeing": "emergency",
    "bladder-full": "emergency",
    "bladder-bowel": "emergency",
    "sex": "emergency",
    "chest-pain": "emergency",
    "accident": "emergency",
    "temperature": "urgent",
    "unwell": "urgent",
    "weight-loss": "urgent",
    "lump": "urgent",
    "rest": "urgent",
    "night": "urgent",
    "sneeze-cough": "urgent",
    "high-back": "urgent",
    "severe-pain": "non_urgent",
    "worse": "non_urgent",
    "weeks": "non_urgent",
    "daily-activities": "non_urgent",
    "worried": "non_urgent",
    "cancer": "urgent",
    "immune": "urgent",
    "inject-drugs": "urgent",
    "thin-bones": "urgent",
    "age": "non_urgent",
}
# Signs a long-standing condition (a prostate or continence problem, say) could also give:
# their questions ask about a change that is new or getting worse, as NHS trusts' cauda equina
# leaflets do, so that a long-standing problem alone does not send someone to A&E.
NEW_OR_WORSE = ("both-legs", "genitals-buttocks", "wiping", "peeing", "bladder-full", "bladder-bowel", "sex")
# The heading each question shows under: nerves, bladder and bowels, the rest of the symptoms,
# and facts about a person's health (not symptoms) under a heading of their own.
EXPECTED_GROUPS = {
    "nerves": ["both-legs", "legs-give-way", "one-side", "weakness-worse", "one-leg"],
    "bladder-bowel": ["genitals-buttocks", "wiping", "peeing", "bladder-full", "bladder-bowel", "sex"],
    "history": ["cancer", "immune", "inject-drugs", "thin-bones", "age"],
}


def test_every_warning_sign_has_its_expected_level():
    assert {flag.id: flag.level for flag in FLAGS} == EXPECTED_LEVELS


@pytest.mark.parametrize("flag", FLAGS, ids=lambda flag: flag.id)
def test_each_question_asks_one_thing_that_yes_means(flag):
    question = flag.question
    assert question.count("?") == 1, "one question only"
    sentences = [s for s in re.split(r"(?<=[.?!])\s+", question) if s]
    assert sentences[0].endswith("?"), "the question comes first; any explanation after it"
    # Positive wording: "yes" means the sign is there, never "no".
    assert not re.search(r"\b(not|no|never|n't)\b", question, re.IGNORECASE), question
    assert all(len(sentence.split()) <= 20 for sentence in sentences)


@pytest.mark.parametrize("flag_id", NEW_OR_WORSE)
def test_signs_a_long_standing_condition_gives_ask_about_a_change_that_is_new_or_worse(flag_id):
    question = next(flag.question for flag in FLAGS if flag.id == flag_id)
    assert re.search(r"\bnew(ly)?\b", question), question
    assert "since your back pain started" not in question.lower()


def test_questions_show_under_their_groups_with_health_history_last():
    for group, ids in EXPECTED_GROUPS.items():
        assert [flag.id for flag in FLAGS if flag.group == group] == ids
    assert [group.id for group in GROUPS][-1] == "history"
    history = next(group for group in GROUPS if group.id == "history")
    assert history.with_another_yes == "urgent"
    # Asked group by group, in the groups' order.
    order = [group.id for group in GROUPS]
    assert [order.index(flag.group) for flag in FLAGS] == sorted(order.index(flag.group) for flag in FLAGS)


def test_severe_and_infection_are_explained_in_the_question():
    for flag in FLAGS:
        if "severe" in flag.question.lower():
            assert "Severe means" in flag.question, flag.id
        if "temperature" in flag.question.lower():
            assert "sign of an infection" in flag.question and "hot or shivery" in flag.question


@pytest.mark.parametrize("flag", FLAGS, ids=lambda flag: flag.id)
def test_every_level_names_the_standard_it_comes_from(flag):
    actions = {"emergency": "call 999 or go to A&E", "urgent": "ask for an urgent GP appointment or call 111",
               "non_urgent": "see a GP"}
    standard, _, action = flag.level_source.partition(": ")
    assert standard in (
        "NHS back pain page", "NHS cauda equina syndrome page", "NHS sciatica page", "NHS stroke page",
        "NHS Gloucestershire back pain pathway", "NHS acute back pain pathway", "NICE NG59",
    )
    assert action.startswith(actions[flag.level])
    # A sign from the article (which gives no levels) names, in brackets, the NHS sign whose
    # level it takes; a sign added from an NHS page has that page's level already.
    if not flag.source.startswith("Added: "):
        assert action.endswith(")") and " (" in action, flag.level_source


def test_a_level_without_its_standard_is_refused(edit, data_copy, monkeypatch):
    monkeypatch.chdir(data_copy.parent)
    edit("redflags.yaml", 'level_source: "NHS back pain page: see a GP (the pain is very severe)"',
         'level_source: "NHS back pain page: call 999 or go to A&E"')
    with pytest.raises(InvalidContent) as caught:
        load_content(data_copy)
    assert [p.message for p in caught.value.problems] == [
        "data/redflags.yaml: question 'severe-pain': level_source: a 'non_urgent' sign must say 'see a GP' "
        "after 'NHS back pain page: ' (got 'NHS back pain page: call 999 or go to A&E')"
    ]


def test_the_emergency_card_puts_the_call_first_and_the_physiotherapist_after():
    card = card_for({"sex": True})
    assert card.heading.startswith("Call 999")
    assert card.bullets[0].startswith("Call 999 now")
    assert card.bullets.index("Tell your physiotherapist too: call Physiotherapy Department on 01632 960000.") > 0


def test_the_three_levels_list_every_sign_once_highest_first():
    from workbook.domain.redflags import help_levels

    levels = help_levels(FLAGS, CONTENT.care_cards, CONTENT.clinic, groups=GROUPS)
    assert [level.level for level in levels] == ["emergency", "urgent", "non_urgent"]
    assert sorted(sign for level in levels for group in level.signs for sign in group.signs) == sorted(
        flag.sign for flag in FLAGS
    )
    # Chunked: each level's signs under their groups' headings, in the groups' order.
    emergency = levels[0].signs
    assert [group.heading for group in emergency] == [
        "Legs, arms and face", "Bladder, bowels and sex: new or getting worse", "Your pain and how you feel"
    ]
    assert [level.heading for level in levels] == list(HEADINGS.values())
    assert "You can call Physiotherapy Department on 01632 960000." in levels[2].bullets


# Each sign the answer on serious conditions (step 9) names, and the warning sign whose level it
# takes.
SERIOUS_ANSWER_SIGNS = {
    "cannot control your bladder or bowels": "bladder-bowel",
    "numbness or weakness in both legs": "both-legs",
    "a high temperature": "temperature",
    "tingling or numbness down one leg": "one-leg",
}


def test_the_answer_on_serious_conditions_gives_each_sign_the_level_of_its_warning_sign():
    item = CONTENT.item("questions-people-ask/serious")
    bullets = [line.removeprefix("- ").replace("**", "") for line in item.markdown.splitlines()
               if line.startswith("- ")]
    levels = help_levels(FLAGS, CONTENT.care_cards, CONTENT.clinic, groups=GROUPS)
    # One line a level, highest first, each opening with what that level's card says first.
    assert len(bullets) == len(levels)
    assert all(bullet.startswith(level.heading) for bullet, level in zip(bullets, levels, strict=True))
    level_of = {flag.id: flag.level for flag in FLAGS}
    for words, flag_id in SERIOUS_ANSWER_SIGNS.items():
        named = [level.level for bullet, level in zip(bullets, levels, strict=True) if words in bullet]
        assert named == [level_of[flag_id]], (words, flag_id)


def test_card_uses_the_clinic_settings():
    clinic = dataclasses.replace(CONTENT.clinic, emergency_number="112", urgent_service="the out-of-hours GP")
    emergency = card_for({"chest-pain": True}, clinic)
    assert emergency.heading == "Call 112 or go to A&E now"
    urgent = card_for({"lump": True}, clinic)
    assert "If you cannot get an appointment, call the out-of-hours GP." in urgent.bullets
    routine = card_for({"weeks": True}, clinic)
    assert f"You can call {clinic.clinic_name} on {clinic.clinic_phone}." in routine.bullets


def test_card_prefixes_for_screen_readers():
    prefixes = {card.level: card.prefix for card in CONTENT.care_cards}
    assert prefixes == {
        "emergency": "Immediate action required:",
        "urgent": "Urgent advice:",
        "non_urgent": "Non-urgent advice:",
    }


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"chest-pain": "yes"}, "warning sign 'chest-pain': the answer must be True (yes) or False (no) (got 'yes')"),
        ({"chest-pain": 1}, "warning sign 'chest-pain': the answer must be True (yes) or False (no) (got 1)"),
        ({"chest-pain": None}, "warning sign 'chest-pain': the answer must be True (yes) or False (no) (got None)"),
        ({"headache": True}, "warning sign 'headache': there is no such question"),
    ],
)
def test_bad_answers_are_refused(answers, message):
    with pytest.raises(RedFlagAnswerError, match=f"^{re.escape(message)}$"):
        evaluate(answers)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'heading: "Call {emergency_number} or go to A&E now"',
            'heading: "Call {ambulance} or go to A&E now"',
            "data/redflags.yaml: card 'emergency': heading: uses {ambulance}; a card may use only "
            "('emergency_number', 'urgent_service', 'clinic_name', 'clinic_phone') "
            "(got 'Call {ambulance} or go to A&E now')",
        ),
        (
            "    level: emergency\n    question: Do you have chest pain?",
            "    level: critical\n    question: Do you have chest pain?",
            "data/redflags.yaml: question 'chest-pain': level: must be 'emergency', 'urgent' or "
            "'non_urgent' (got 'critical')",
        ),
        (
            "  - id: peeing\n",
            "  - id: chest-pain\n",
            "data/redflags.yaml: question 'chest-pain': id: is used twice (got 'chest-pain')",
        ),
        (
            '    source: "When to Seek Medical Attention"\n    level_source: "NHS back pain page: call 999 or go to A&E (loss of bladder or bowel control)"\n  - id: sex',
            '    source: "Somewhere"\n    level_source: "NHS back pain page: call 999 or go to A&E (loss of bladder or bowel control)"\n  - id: sex',
            "data/redflags.yaml: question 'bladder-bowel': source: must name a section or FAQ listed in "
            "coverage.yaml, or start with 'Added: ' (got 'Somewhere')",
        ),
    ],
    ids=["unknown-placeholder", "unknown-level", "duplicate-id", "unknown-source"],
)
def test_broken_red_flags_are_named(edit, data_copy, monkeypatch, old, new, expected):
    from pathlib import Path

    from workbook.content import InvalidContent

    monkeypatch.chdir(data_copy.parent)
    edit("redflags.yaml", old, new)
    with pytest.raises(InvalidContent) as caught:
        load_content(Path("data"))
    assert [problem.message for problem in caught.value.problems] == [expected]


@pytest.mark.parametrize(
    ("step", "mode"), [(1, None), (2, "full"), (3, "compact"), (9, "compact"), (10, "full")]
)
def test_the_care_card_shows_from_the_safety_check_on_and_in_full_on_two_steps(step, mode):
    assert card_mode(step, safety_step=2, full_steps=(2, 10)) == mode


def test_what_every_card_says_comes_from_the_data(edit, data_copy):
    edit("redflags.yaml", 'tell: "Tell your physiotherapist too: call {clinic_name} on {clinic_phone}."',
         'tell: "Tell the person with you too, or call {clinic_name} on {clinic_phone}."')
    content = load_content(data_copy)
    card = card_for({"lump": True}, content=content)
    assert card.bullets[-1] == "Tell the person with you too, or call Physiotherapy Department on 01632 960000."
    assert card.said_yes == "You said yes to:"
    assert card_signs(card) == [next(f.sign for f in content.red_flags if f.id == "lump")]


def test_a_question_in_no_group_and_a_group_with_no_question_are_named(edit, data_copy, monkeypatch):
    monkeypatch.chdir(data_copy.parent)
    edit("redflags.yaml", "  - id: chest-pain\n    group: pain\n", "  - id: chest-pain\n    group: heart\n")
    edit("redflags.yaml", "  - id: history\n", "  - id: family\n    heading: Family\n  - id: history\n")
    with pytest.raises(InvalidContent) as caught:
        load_content(data_copy)
    assert [p.message for p in caught.value.problems] == [
        "data/redflags.yaml: question 'chest-pain': group: must be one of ('nerves', 'bladder-bowel', 'pain', "
        "'family', 'history') (got 'heart')",
        "data/redflags.yaml: group 'family': id: has no question; give it one or remove it (got 'family')",
    ]
