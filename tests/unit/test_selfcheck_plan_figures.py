"""The self-check profile, the plan pre-selection, the appointment notes and the figures."""

from __future__ import annotations

import json

import pytest

from workbook.domain.answers import MAX_TEXT, Answers
from workbook.content import load_content
from workbook.domain.figures import CONFIG, quiz_chart, quiz_text, risk_chart, risk_text
from workbook.domain.plan import appointment_notes, plan_choice, preselected_strategies
from workbook.domain.quiz import step_scores
from workbook.domain.selfcheck import group_counts, tick_group

CONTENT = load_content()
FACTORS = CONTENT.risk_factors
ALL = {factor.id for factor in FACTORS}


def test_counts_with_no_factors():
    counts = group_counts(FACTORS, set(), CONTENT.risk_groups)
    assert sum(c.total for c in counts) == len(FACTORS) == 10
    assert not any(c.ticked for c in counts)


def test_counts_with_all_factors():
    counts = group_counts(FACTORS, ALL, CONTENT.risk_groups)
    assert [(c.group, c.ticked, c.total) for c in counts] == [
        ("posture", 3, 3), ("overuse", 3, 3), ("conditions", 3, 3), ("stress", 1, 1),
    ]


def test_counts_with_one_group():
    counts = group_counts(FACTORS, {"lifting", "repeating", "twisting"}, CONTENT.risk_groups)
    assert {c.group: c.ticked for c in counts} == {"posture": 0, "overuse": 3, "conditions": 0, "stress": 0}
    assert counts[1].title == "Overuse and strain"


def test_counts_refuse_an_unknown_factor():
    with pytest.raises(ValueError, match=r"^self-check: 'smoking' is not a risk factor$"):
        group_counts(FACTORS, {"smoking"}, CONTENT.risk_groups)


@pytest.mark.parametrize(
    ("ticked", "expected"),
    [
        (set(), ()),
        ({"sitting"}, ("posture", "workstation")),
        ({"inactive"}, ("exercise",)),
        ({"stressed"}, ("stress",)),
        ({"disc", "arthritis"}, ()),
        (ALL, ("posture", "exercise", "stress", "workstation")),
    ],
)
def test_plan_preselection_from_risk_factors(ticked, expected):
    assert preselected_strategies(FACTORS, ticked, CONTENT.prevention) == expected


def test_the_patients_own_plan_wins_over_the_preselection():
    assert plan_choice(None, ("posture",)) == ("posture",)
    assert plan_choice((), ("posture",)) == ()
    assert plan_choice(("stress",), ("posture",)) == ("stress",)


def test_notes_when_nothing_is_noted():
    notes = appointment_notes(CONTENT.symptom_options, Answers(), CONTENT.text.notes)
    assert [label for label, _ in notes] == [
        "Where it hurts", "Pain score", "How long", "What may have set it off", "In my own words",
        "What I notice",
    ]
    assert {text for _, text in notes} == {CONTENT.text.notes.not_noted}


def test_notes_follow_the_articles_order_with_everything_noted():
    notes = dict(appointment_notes(CONTENT.symptom_options, Answers(
        symptoms=("sharp",), regions=("lower-left", "buttock-right"), pain=0, duration="weeks",
        triggers=("lifting",), trigger_text="  gardening\n all day ",
    ), CONTENT.text.notes))
    assert notes["Where it hurts"] == "Lower back, left; Buttock, right"
    assert notes["Pain score"] == "0 out of 10"
    assert notes["How long"] == "1 to 4 weeks"
    assert notes["What may have set it off"] == "Lifting something heavy"
    assert notes["In my own words"] == "gardening all day"  # a row of its own: the patient's story apart
    assert notes["What I notice"] == "Sharp, strong pain in my back"


def test_free_text_with_markup_stays_plain_text_and_is_trimmed():
    text = '<script>alert(1)</script><img src=x onerror="y"> ' + "a" * 1000
    notes = dict(appointment_notes(CONTENT.symptom_options, Answers(trigger_text=text), CONTENT.text.notes))
    said = notes["In my own words"]
    assert said.startswith("<script>alert(1)</script>")  # the UI escapes it
    assert len(said) == MAX_TEXT


@pytest.mark.parametrize(
    ("notes", "message"),
    [
        (Answers(pain=11), "symptom notes: pain must be a whole number from 0 to 10 (got 11)"),
        (Answers(pain="7"), "symptom notes: pain must be a whole number from 0 to 10 (got '7')"),
        (Answers(regions=("neck",)), "symptom notes: 'neck' is not one of the body regions"),
        (Answers(duration="years"), "symptom notes: 'years' is not one of the durations"),
    ],
)
def test_bad_notes_are_refused(notes, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        appointment_notes(CONTENT.symptom_options, notes, CONTENT.text.notes)


def test_risk_chart_values_titles_and_words():
    counts = group_counts(FACTORS, {"sitting", "stressed"}, CONTENT.risk_groups)
    figure = risk_chart(counts, CONTENT.text.charts)
    bar = figure.data[0]
    assert bar.orientation == "h"
    assert list(bar.x) == [1, 0, 0, 1]
    assert list(bar.y) == ["Posture and weak muscles", "Overuse and strain", "Other health problems", "Stress and worry"]
    assert list(bar.text) == ["1 of 3", "0 of 3", "0 of 3", "1 of 1"]  # numbers on the bars, not colour alone
    assert figure.layout.title.text == "Your risk factors by group"
    assert figure.layout.font.size >= 19
    text = risk_text(counts, CONTENT.text.charts)
    assert text.sentence == "You ticked 2 risk factors: 1 of 3 for posture and weak muscles; 1 of 1 for stress and worry."
    assert text.rows[0] == ("Posture and weak muscles", "1 of 3")
    assert risk_text(group_counts(FACTORS, set(), CONTENT.risk_groups), CONTENT.text.charts).sentence == (
        "You have not ticked any risk factors."
    )


def test_quiz_chart_values_and_words():
    scores = step_scores(CONTENT.questions, {"heat-ice-time": (("a",), ("b",)), "spasm-what": (("a",),)})
    titles = {c.step: c.title for c in CONTENT.chapters}
    figure = quiz_chart(scores, titles, CONTENT.text.charts)
    assert figure.layout.title.text == "Your quiz answers by step"
    right = dict(zip(figure.data[0].y, figure.data[0].x))
    assert right["Step 6: Treatment"] == 1 and right["Step 3: What are back spasms?"] == 1
    text = quiz_text(scores, titles, CONTENT.text.charts)
    assert text.sentence == f"You have 2 of {len(CONTENT.questions)} questions right so far."


def test_charts_reach_the_page_without_a_toolbar():
    from workbook.ui.charts import PLOTLY_MIME, figure_output

    counts = group_counts(FACTORS, set(), CONTENT.risk_groups)
    bundle = figure_output(risk_chart(counts, CONTENT.text.charts))["data"][PLOTLY_MIME]
    assert bundle["config"] == CONFIG and CONFIG["displayModeBar"] is False
    assert bundle["data"][0]["type"] == "bar"
    assert "http" not in str(bundle)  # nothing that would make the page fetch from elsewhere


def test_a_figure_for_the_page_to_draw_is_escaped_and_whole():
    import html
    import re

    from workbook.ui.charts import PLOTLY_MIME, figure_html, figure_output

    hostile = CONTENT.text.charts.model_copy(update={"risk_title": 'Risk "x" </div><script>alert(1)</script> & \'y\''})
    counts = group_counts(FACTORS, set(), CONTENT.risk_groups)
    figure = risk_chart(counts, hostile)
    markup = figure_html(figure)
    attribute = re.fullmatch(r'<div class="wb-chart" data-figure="([^"<>]*)"></div>', markup)
    assert attribute, "the figure's JSON stays inside its attribute"
    assert json.loads(html.unescape(attribute.group(1))) == figure_output(figure)["data"][PLOTLY_MIME]


def test_a_chart_is_drawn_by_the_page_only_on_the_served_dashboard(monkeypatch):
    import ipywidgets as widgets

    from workbook.page.charts_script import PAGE_CHARTS_VARIABLE
    from workbook.ui.charts import figure_view

    def make():
        counts = group_counts(FACTORS, set(), CONTENT.risk_groups)
        return risk_chart(counts, CONTENT.text.charts), risk_text(counts, CONTENT.text.charts)

    monkeypatch.delenv(PAGE_CHARTS_VARIABLE, raising=False)
    box, draw = figure_view(make=make)
    assert isinstance(box.children[0], widgets.Output) and not box.children[0].outputs, "drawn only when asked"
    draw()
    assert box.children[0].outputs
    monkeypatch.setenv(PAGE_CHARTS_VARIABLE, "1")
    box, draw = figure_view(make=make)
    draw()
    assert isinstance(box.children[0], widgets.HTML) and 'class="wb-chart"' in box.children[0].value


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("after gardening", "after gardening"),
        ("line one\nline two\tand a tab", "line one\nline two\tand a tab"),
        ("nul\x00 bell\x07 escape\x1b[31m", "nul bell escape[31m"),
        ("\u202egninedrag\u202c after", "gninedrag after"),  # right-to-left override
        ("isolate\u2067x\u2069 and marks\u200e\u200f", "isolatex and marks"),
        ("zero\u200bwidth\u200c\u200d \ufeffbom\u2060 soft\u00adhyphen", "zerowidth bom softhyphen"),
        ("é ü 漢字 🙂", "é ü 漢字 🙂"),
        ("x" * 400, "x" * 299 + "…"),  # one long word: cut in it, and marked
        ("word " * 80, ("word " * 60).rstrip() + "…"),  # cut after the last whole word that fits
        ("y" * 300, "y" * 300),  # exactly the limit: kept whole, no mark
    ],
)
def test_own_words_are_kept_without_hidden_or_reordering_characters(given, kept):
    from workbook.domain.answers import clean_text

    assert clean_text(given) == kept


@pytest.mark.parametrize(
    ("ticked", "group", "group_ticked", "expected"),
    [
        ((), "posture", ("sitting",), ("sitting",)),
        (("stressed",), "posture", ("sitting",), ("sitting", "stressed")),  # other groups kept, in order
        (("sitting", "stressed"), "posture", (), ("stressed",)),  # a group's untick leaves the others
        (("sitting",), "posture", ("stressed",), ()),  # a factor of another group is not ticked from here
    ],
)
def test_ticking_one_group_keeps_the_others_in_the_factors_order(ticked, group, group_ticked, expected):
    assert {f.id: f.group for f in FACTORS}["sitting"] == "posture"
    assert {f.id: f.group for f in FACTORS}["stressed"] != "posture"
    assert tick_group(FACTORS, ticked, group, group_ticked) == expected


def test_both_legs_marked_on_the_body_points_to_the_warning_sign_until_it_is_answered_yes():
    from workbook.domain.plan import appointment_notes

    content = load_content()
    options, text = content.symptom_options, content.text.notes

    def check(**answers):
        rows = dict(appointment_notes(options, Answers(**answers), text))
        return rows.get("A warning sign to check")

    both = check(regions=("leg-left", "leg-right"))
    assert both.startswith("You marked both legs.") and "it is an emergency" in both
    assert check(regions=("leg-left", "leg-right"), red_flag_answers={"both-legs": False}) == both
    assert check(regions=("leg-left", "leg-right"), red_flag_answers={"both-legs": True}) is None
    assert check(regions=("leg-left", "lower-left")) is None


def test_a_region_sign_naming_no_warning_sign_or_no_region_is_refused(edit, data_copy, monkeypatch):
    from workbook.content import InvalidContent

    monkeypatch.chdir(data_copy.parent)
    edit("symptoms.yaml", "  - regions: [leg-left, leg-right]\n    flag: both-legs\n",
         "  - regions: [leg-left, knee]\n    flag: both-legs\n")
    with pytest.raises(InvalidContent) as caught:
        load_content(data_copy)
    messages = [problem.message for problem in caught.value.problems]
    assert len(messages) == 1 and messages[0].startswith("data/symptoms.yaml: region sign 1: regions[1]: must be one of")
    assert "(got 'knee')" in messages[0]
    edit("symptoms.yaml", "  - regions: [leg-left, knee]\n    flag: both-legs\n",
         "  - regions: [leg-left, leg-right]\n    flag: both-knees\n")
    with pytest.raises(InvalidContent) as caught:
        load_content(data_copy)
    assert [problem.message for problem in caught.value.problems] == [
        "data/symptoms.yaml: region sign 1: flag: must be a question of redflags.yaml (got 'both-knees')"
    ]


def test_a_place_marked_on_both_sides_is_said_once_in_the_regions_order():
    def where(*regions):
        return dict(appointment_notes(CONTENT.symptom_options, Answers(regions=regions), CONTENT.text.notes))[
            "Where it hurts"
        ]

    assert where("leg-right", "upper-left", "leg-left", "upper-right", "lower-left") == (
        "Upper back, both sides; Lower back, left; Both legs"
    )
    assert where("buttock-left", "buttock-right") == "Both buttocks"
    assert where("middle-right") == "Middle back, right"


def test_a_place_with_no_other_side_is_refused(edit, data_copy, monkeypatch):
    from workbook.content import InvalidContent

    monkeypatch.chdir(data_copy.parent)
    edit("symptoms.yaml", 'label: "Leg, right", both: "Both legs"', 'label: "Leg, right", both: "Both leg"')
    with pytest.raises(InvalidContent) as caught:
        load_content(data_copy)
    messages = [problem.message for problem in caught.value.problems]
    assert len(messages) == 2, messages
    assert messages[0].startswith("data/symptoms.yaml: region 'leg-left': both: must be the same as another region's")
    assert "(got 'Both legs')" in messages[0] and "(got 'Both leg')" in messages[1]
