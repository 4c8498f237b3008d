"""The take-home summary: one standalone HTML page. Pure, no widgets.

No JavaScript, no external file, black-and-white print on at most two A4 pages. Every piece
of text goes through Jinja2's autoescaping, so the patient's own words can never become markup.

The page opens with what it is for, the words it uses that a reader may not know, and any
warning sign to check from the places marked on the body. With a care card (a warning sign
answered yes) its first page holds only what to do now and the notes to show whoever sees the
patient; the rest follows on a page of its own, for later. The rest: the plan as actions with
numbered steps and drawings, and its 7-day diary (with a care card, only a diary of rows for
the physiotherapist to write in), when to get help by level, the notes for the appointment
(with the causes ticked and the safety answers; with a card they are on page 1), and what to
remember, last. Every printed page carries the content's version, review date, the clinic and
the sources.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from workbook.domain.answers import Answers
from workbook.content import Chapter, Content, RiskFactor, RiskGroup
from workbook.content.safety import sources_line
from workbook.content.screen import WordMeaning
from workbook.domain.plan import appointment_notes, plan_choice, preselected_strategies, region_checks
from workbook.domain.redflags import care_card, evaluate_red_flags, help_levels

TEMPLATES = Path(__file__).parents[1] / "templates"
DIARY_DAYS = 7
EXERCISE_ROWS = 2  # diary rows to write in the exercises the physiotherapist shows
CARD_EXERCISE_ROWS = 4  # with a care card, the diary is only these: the physiotherapist writes the plan


_ENVIRONMENT = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html", "j2"], default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def css_string(text: str) -> Markup:
    """A CSS string holding `text` (for `content:` in a stylesheet): every character but letters,
    digits, spaces and plain punctuation is written as a hex escape, so no text can end the
    string, the rule or the style element."""
    safe = set(" ,.:;()'")
    return Markup('"' + "".join(c if c.isalnum() and c.isascii() or c in safe else f"\\{ord(c):06x}" for c in text) + '"')


_ENVIRONMENT.filters["css_string"] = css_string


WIDE = 1.8  # a drawing at least this many times as wide as it is tall: frames side by side


def wide_pictures() -> frozenset[str]:
    """The drawings of frames side by side (a movement, step by step), by their `viewBox`: on the
    summary they go above their words, across the item, so that each frame prints large."""
    wide = set()
    for path in (TEMPLATES / "pictures").glob("*.svg.j2"):
        found = re.search(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"', path.read_text(encoding="utf-8"))
        if found and float(found[1]) >= WIDE * float(found[2]):
            wide.add(path.name.removesuffix(".svg.j2"))
    return frozenset(wide)


def picture_svg(name: str, label: str) -> Markup:
    """A black-and-white line drawing from `templates/pictures/`, its label escaped as its text
    alternative (for the screen as for the summary)."""
    return Markup(_ENVIRONMENT.get_template(f"pictures/{name}.svg.j2").render(label=label, low="", high=""))


def key_messages(chapters: Sequence[Chapter], *, card: bool = False) -> list[str]:
    """What to remember: the key message of every step after the safety check (whose own is
    about the screen), but the summary's own; with a care card (`card`), not those about
    caring for yourself at home (`remember_with_card: false`), which would soften "get help"."""
    safety = next((c.step for c in chapters if c.part == "safety-check"), 1)
    return [
        c.key_message
        for c in chapters
        if c.step > safety and c.part != "summary" and (c.remember_with_card or not card)
    ]


def ticked_groups(groups: Sequence[RiskGroup], factors: Sequence[RiskFactor], ticked: Sequence[str]) -> list[str]:
    """The title of each group with a ticked risk factor, in the groups' order (what helps with
    them is in the plan, whose prevention items they pre-select)."""
    return [
        group.title
        for group in groups
        if any(factor.group == group.id and factor.id in ticked for factor in factors)
    ]


def summary_html(content: Content, answers: Answers, *, on: date) -> str:
    """The summary page for one patient.

    Args:
        content: validated content.
        answers: what the patient answered.
        on: the date printed on the summary.

    Raises:
        ValueError: an answer that names no question, factor or choice (from the pure modules).
    """
    groups = content.red_flag_groups
    result = evaluate_red_flags(content.red_flags, answers.red_flag_answers, groups=groups)
    preselected = preselected_strategies(content.risk_factors, answers.risk_factors, content.prevention)
    prevention = plan_choice(answers.prevention, preselected)
    plan = [item for item in content.self_care if item.id in answers.self_care]
    plan += [item for item in content.prevention if item.id in prevention]
    release = content.release
    card = care_card(result, content.care_cards, content.clinic, content.card_words, groups=groups)
    values = {
        "clinic": content.clinic,
        "on": _day(on),
        "card": card,
        "remember": key_messages(content.chapters, card=card is not None),
        "levels": help_levels(content.red_flags, content.care_cards, content.clinic, groups=groups),
        # Yes: every sign, by name (on the card). Not answered: how many, never taken for "no".
        "not_answered": len(result.unanswered),
        "notes": appointment_notes(content.symptom_options, answers, content.text.notes),
        "not_noted": content.text.notes.not_noted,  # a note not made: left off the sheet
        "check": content.text.notes.check,  # a warning sign to check: at the top, boxed
        "alerts": region_alerts(content, answers),
        "regions": [region.id for region in content.symptom_options.regions if region.id in answers.regions],
        "risk_groups": ticked_groups(content.risk_groups, content.risk_factors, answers.risk_factors),
        "plan": plan,
        "wide": wide_pictures(),
        "diary": [item for item in plan if item.diary and card is None],  # a row to tick each day
        "diary_days": range(1, DIARY_DAYS + 1),
        "exercise_rows": range(CARD_EXERCISE_ROWS if card else EXERCISE_ROWS),
        "footer": content.text.summary.footer.format(
            version=release.content_version, reviewed=_day(release.reviewed_on), clinic_name=content.clinic.clinic_name
        ),
        "sources": sources_line(release, by_publisher=True),
        "text": content.text.summary,
    }
    template = _ENVIRONMENT.get_template("summary.html.j2")
    # Explain each word the page uses, and no other, before it is first used.
    page = template.render(**values, words=())
    return template.render(**values, words=words_used(content.text.summary.words, page))


def region_alerts(content: Content, answers: Answers) -> list[tuple[str, str]]:
    """Each warning sign to check from the places marked on the body (`region_checks`), with
    what its level's card says to do first ("Call 999 or go to A&E now")."""
    levels = {level.level: level.heading for level in help_levels(
        content.red_flags, content.care_cards, content.clinic, groups=content.red_flag_groups)}
    flags = {flag.id: flag.level for flag in content.red_flags}
    notes = set(region_checks(content.symptom_options, answers))
    return [
        (sign.note, levels[flags[sign.flag]])
        for sign in content.symptom_options.region_signs
        if sign.note in notes
    ]


def words_used(words: Sequence[WordMeaning], page: str) -> tuple[str, ...]:
    """What each word a reader may not know means, for the words that `page` (HTML) uses."""
    return tuple(
        word.meaning for word in words if re.search(rf"(?<![\w&]){re.escape(escape(word.term))}(?!\w)", page)
    )


def _day(on: date) -> str:
    return on.strftime("%d %B %Y").lstrip("0")
