"""The take-home summary: one standalone HTML page. Pure, no widgets.

No JavaScript, no external file, black-and-white print on at most two A4 pages. Every piece
of text goes through Jinja2's autoescaping, so the patient's own words can never become markup.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from workbook.answers import Answers
from workbook.content import CARE_LEVELS, Content
from workbook.plan import appointment_notes, plan_choice, preselected_strategies
from workbook.quiz import step_scores
from workbook.redflags import action_heading, answer_word, care_card, evaluate_red_flags
from workbook.selfcheck import group_counts, risk_profile

TEMPLATES = Path(__file__).parent / "templates"
DIARY_DAYS = 7


_ENVIRONMENT = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html", "j2"], default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def summary_html(content: Content, answers: Answers, *, on: date) -> str:
    """The summary page for one patient.

    Args:
        content: validated content.
        answers: what the patient answered.
        on: the date printed on the summary.

    Raises:
        ValueError: an answer that names no question, factor or choice (from the pure modules).
    """
    result = evaluate_red_flags(content.red_flags, answers.red_flag_answers)
    said = content.text.safety_check
    counts = group_counts(risk_profile(content.risk_factors, answers.risk_factors), content.risk_groups)
    preselected = preselected_strategies(content.risk_factors, answers.risk_factors, content.prevention)
    prevention = plan_choice(answers.prevention, preselected)
    plan = [item.label for item in content.self_care if item.id in answers.self_care]
    plan += [item.label for item in content.prevention if item.id in prevention]
    titles = {chapter.step: chapter.title for chapter in content.chapters}
    when_to_get_help = [
        (*action_heading(level, content.care_cards, content.clinic),
         [flag.sign for flag in content.red_flags if flag.level == level])
        for level in CARE_LEVELS
    ]
    return _ENVIRONMENT.get_template("summary.html.j2").render(
        clinic=content.clinic,
        on=on.strftime("%d %B %Y").lstrip("0"),
        card=care_card(result, content.care_cards, content.clinic, content.card_words),
        # By answer (yes, no, unanswered), each with its word; "no" is given as a count only.
        red_flags=[
            (answer_word(value, said), [f.sign for f in content.red_flags if answers.red_flag_answers.get(f.id) is value],
             value is False)
            for value in (True, False, None)
        ],
        red_flag_count=len(content.red_flags),
        notes=appointment_notes(content.symptom_options, answers, content.text.notes),
        groups=list(zip(counts["title"], counts["ticked"].astype(int), counts["total"].astype(int))),
        ticked=[f.question for f in content.risk_factors if f.id in answers.risk_factors],
        not_a_score=content.text.self_check.not_a_score,
        plan=plan,
        diary_days=range(1, DIARY_DAYS + 1),
        scores=[(titles[s.step], s.answered, s.right_first_time, s.right_now, s.total)
                for s in step_scores(content.questions, answers.quiz_attempts)],
        when_to_get_help=when_to_get_help,
        text=content.text.summary,
        charts=content.text.charts,
    )
