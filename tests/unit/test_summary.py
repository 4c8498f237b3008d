"""The take-home summary: sections in order, escaping, standalone, small, two A4 pages."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from workbook import cli
from workbook.domain.answers import Answers
from workbook.content import load_content
from workbook.domain.scenarios import MARKUP, scenarios
from workbook.domain.summary import summary_html

CONTENT = load_content()
SCENARIOS = scenarios(CONTENT)
ON = date(2026, 11, 25)
# What the sheet is for and the words it uses (what a back spasm is first), the plan and its
# diary, when to get help, the notes (with the causes ticked and the safety answers), and what
# to remember last, as a recap.
SECTIONS = [
    "Use this plan at home to care for your back, and to know when to get help.",
    "This is education, not a diagnosis.",
    "A back spasm is a back muscle that tightens on its own. A&amp;E is a hospital&#39;s emergency department.",
    "<h2>Your plan</h2>",
    "<h3>Your 7-day diary</h3>",
    "<h2>When to get help</h2>",
    "<h2>Notes for your appointment</h2>",
    "Causes that may apply to me",
    "My safety check answers",
    "<h2>What to remember</h2>",
]
# With a care card: what to do now and the notes for whoever sees the patient, then the rest,
# for later, from a new page.
CARD_SECTIONS = [
    "You said yes to a warning sign. Do what the box below says now, and take this sheet with you.",
    'class="card',
    "Show these notes to the doctor or nurse who sees you",
    "My safety check answers",
    "This is education, not a diagnosis.",  # after the notes, away from what to do now
    '<div class="later">',
    "For later, once you have had help and are home again",
    "A&amp;E is a hospital&#39;s emergency department.",  # the words, away from what to do now
    "<h2>Your plan</h2>",
    "After you have been checked, ask your physiotherapist which exercises and self-care are right for you.",
    "<h3>Your 7-day diary</h3>",
    "<h2>When to get help</h2>",
    "After you have been seen, keep these boxes:",
    "<h2>What to remember</h2>",
    "First, do what the box on page 1 says:",
]


def page(name: str) -> str:
    return summary_html(CONTENT, SCENARIOS[name], on=ON)


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_summary_is_standalone_small_and_in_order(name):
    html = page(name)
    sections = CARD_SECTIONS if 'class="card' in html else SECTIONS
    assert "<script" not in html.lower()
    assert "http" not in html.lower()  # no link, font or file from anywhere
    assert "<link" not in html and "@import" not in html and "src=" not in html.replace("src=x", "")
    assert len(html.encode()) < 200 * 1024
    positions = [html.index(section) for section in sections]
    assert positions == sorted(positions)
    assert "Physiotherapy Department" in html and "01632 960000" in html
    assert "25 November 2026" in html


def test_every_page_names_the_content_version_review_date_clinic_and_sources():
    html = page("everything-answered")
    footer = "Content version 2.0.0, reviewed 6 December 2026. Physiotherapy Department."
    # Each publisher once: the pages' own names (medical terms) are in data/release.yaml.
    sources = "Sources: the article &#39;Muscle spasms in the back&#39;; NHS; Chartered Society of Physiotherapy;"
    # On screen, at the end of the page; in print, in the bottom margin of every page.
    assert f'<footer class="footer"><p>{footer} {sources}' in html
    margin = html[html.index("@bottom-left"):html.index("@bottom-left") + 800]
    assert "Content\\000020" not in margin and "Content version 2.0.0, reviewed 6 December 2026." in margin
    assert "Sources\\00003a" not in margin


def test_the_footer_in_the_stylesheet_cannot_end_its_string():
    from workbook.domain.summary import css_string

    hostile = 'a"; } body { display: none } </style><script>x</script> \\ \n'
    written = str(css_string(hostile))
    assert written.startswith('"') and written.endswith('"')
    inner = written[1:-1]
    assert '"' not in inner and "<" not in inner and "}" not in inner and "\n" not in inner
    assert "\\000022" in inner and "\\00003c" in inner


def test_care_card_comes_first_when_a_warning_sign_was_answered_yes():
    html = page("emergency-bladder-bowel")
    card = html.index("Immediate action required: Call 999 or go to A&amp;E now")
    assert card < html.index("Show these notes to the doctor or nurse who sees you")
    tell = "Tell your physiotherapist too: call Physiotherapy Department on 01632 960000."
    assert html.index("Call 999 now, or go straight to A&amp;E") < html.index(tell)
    card_html = html[card:html.index("Show these notes")]
    assert "<h3>Bladder, bowels and sex: new or getting worse</h3>" in card_html
    assert "<li>Loss of bladder or bowel control (peeing or pooing yourself)</li>" in card_html
    # The drawing of the area around the genitals and bottom shows only beside a sign about it.
    assert "<svg" not in card_html
    numb = summary_html(CONTENT, Answers(red_flag_answers={"genitals-buttocks": True}), on=ON)
    numb_card = numb[numb.index('class="card'):numb.index("Show these notes")]
    assert 'aria-label="Shaded: the area around the genitals and bottom."' in numb_card
    # Page 1 holds only what to do now and the notes (the safety answers among them: the yes,
    # and that not every question was answered): the rest starts on a new page.
    later = html.index('<div class="later">')
    page_one = html[:later]
    assert "You said no to" not in page_one
    notes = page_one[page_one.index("Show these notes"):]
    assert "You did not answer every warning sign question." in notes
    assert html.index("What to remember") > later and html.index("Your plan") > later
    # No plan before the patient has been checked: the plan says to ask what is right first,
    # and the diary has only rows for the physiotherapist to write in.
    later_part = html[later:]
    assert 'class="how-item' not in later_part
    diary = later_part[later_part.index('<table class="diary">'):]
    diary = diary[:diary.index("</table>")]
    assert diary.count('<span class="line--name">Exercise:</span>') == 4
    assert diary.count("<tr>") == 1 + 4 + 1  # the days, the rows to write in, the pain
    assert ".later { break-before: page; page-break-before: always; }" in html
    # What to remember starts with what the card says.
    assert "<li><strong>First, do what the box on page 1 says: Call 999 or go to A&amp;E now.</strong></li>" in html
    assert "You did not answer every warning sign question." not in html[later:]  # once, in the notes
    # Not noted, not printed: only what the patient noted goes to whoever sees them.
    assert "Not noted" not in page_one and "Causes that may apply to me" not in page_one
    assert 'class="card' not in page("nothing-answered") and 'class="later"' not in page("nothing-answered")


def test_when_to_get_help_lists_every_sign_under_its_level_and_heading():
    html = page("nothing-answered")
    help_part = html[html.index("When to get help"):html.index("Notes for your appointment")]
    headings = ["Immediate action required: Call 999 or go to A&amp;E now",
                "Urgent advice: Ask for an urgent GP appointment today, or call NHS 111",
                "Non-urgent advice: See a GP or your physiotherapist"]
    at = [help_part.index(heading) for heading in headings]
    assert at == sorted(at)
    groups = {group.id: group.heading for group in CONTENT.red_flag_groups}
    for flag in CONTENT.red_flags:
        level = ["emergency", "urgent", "non_urgent"].index(flag.level)
        end = at[level + 1] if level < 2 else len(help_part)
        box = help_part[at[level]:end]
        sign = f"<li>{flag.sign}</li>".replace("&", "&amp;")
        heading = f"<h3>{groups[flag.group]}</h3>"
        assert sign in box and heading in box, flag.id
        # Under its own group's heading: the nearest heading above it is its group's.
        above = box[:box.index(sign)]
        assert above.rindex("<h3>") == above.rindex(heading), flag.id
    assert "Questions about your plan? Call Physiotherapy Department on 01632 960000." in help_part


def test_what_to_remember_gives_the_key_messages_after_the_safety_check():
    html = page("nothing-answered")
    remember = html[html.index("<h2>What to remember</h2>"):html.index("</main>")]
    assert html.index("<h2>What to remember</h2>") > html.index("<h2>Notes for your appointment</h2>")  # a recap, last
    for chapter in CONTENT.chapters:
        expected = 3 <= chapter.step <= 9
        assert (chapter.key_message.replace("&", "&amp;") in remember) == expected, chapter.step


def test_unanswered_is_never_shown_as_no():
    total = len(CONTENT.red_flags)
    html = page("urgent-lump")
    answers = html[html.index("My safety check answers"):html.index('<div class="later">')]
    not_all = "You did not answer every warning sign question. Your physiotherapist will go through the others with you."
    assert "You said yes to:</p><ul><li>A lump, swelling or change in the shape of the back</li></ul>" + \
        f"<p>{not_all}</p>" in answers
    assert total == 31 and "31" not in answers and "30" not in answers  # no counts to work out
    nothing = page("nothing-answered")
    answers = nothing[nothing.index("My safety check answers"):]
    assert "You did not say yes to any warning sign we asked about." in answers
    assert not_all in answers
    everything = page("everything-answered")
    answers = everything[everything.index("My safety check answers"):]
    assert "You did not say yes to any warning sign question." in answers  # both legs marked: the box
    assert "You did not answer" not in answers
    one_leg = replace(SCENARIOS["everything-answered"], regions=("lower-left", "leg-left"))
    answers = summary_html(CONTENT, one_leg, on=ON)
    answers = answers[answers.index("My safety check answers"):]
    assert "You said no to every warning sign we asked about." in answers and "You did not answer" not in answers


def test_no_sign_answered_yes_never_reads_as_safe():
    one_leg = replace(SCENARIOS["everything-answered"], regions=("leg-left",))
    for name, html in (
        ("nothing-answered", page("nothing-answered")),
        ("everything-answered", page("everything-answered")),  # both legs marked: points to the box
        ("all no", summary_html(CONTENT, one_leg, on=ON)),
    ):
        answers = html[html.index('<td class="answers">'):]
        answers = answers[:answers.index("</td>")]
        assert "That does not rule out a problem." in answers or "may be a warning sign (the box on page 1)" in answers, name
        assert "When to get help" in answers, name
        for reassuring in ("safe", "Yes: none", "nothing is wrong", "all clear"):
            assert reassuring not in answers, (name, reassuring)
    step_two = " ".join(item.markdown for item in CONTENT.chapter(2).items)
    assert "This keeps you safe" not in step_two
    assert "A no to every question does not mean nothing is wrong." in step_two


def test_free_text_with_script_and_img_onerror_is_escaped():
    html = page("markup-in-free-text")
    assert "<img" not in html and "<script" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html
    assert MARKUP not in html


def test_the_plan_is_actions_with_numbered_steps_and_the_diary_ticks_no_medicine():
    from html import escape

    html = page("everything-answered")
    chosen = list(CONTENT.self_care) + list(CONTENT.prevention)
    how = html[html.index('<div class="how">'):html.index("Your 7-day diary")]
    for item in chosen:
        assert f'<p class="how-item__label">{escape(item.label)}</p>' in how, item.id
        if len(item.steps) > 1:  # more than one step: numbered, in order
            assert "<ol>" + "".join(f"<li>{escape(step)}</li>" for step in item.steps) + "</ol>" in how, item.id
        else:
            assert f"<p>{escape(item.steps[0])}</p>" in how, item.id
    # What is done once says so; it gets no row in the diary.
    assert how.count('<p class="once">You only need to do this once.</p>') == sum(not item.diary for item in chosen)
    start = html.index('<table class="diary">')
    diary = html[start:html.index("</table>", start)]
    daily = [item for item in chosen if item.diary]
    # A simple table: a short row heading each, and a box for each of 7 days; two rows to write
    # in an exercise the physiotherapist shows and how many times; a row for the pain.
    assert [f'<th scope="row">{escape(item.diary_label)}</th>' in diary for item in daily] == [True] * len(daily)
    assert all(len(item.diary_label.split()) <= 4 for item in daily)
    assert diary.count('<span class="check"></span>') == 7 * (len(daily) + 2)
    assert diary.count('<span class="line--name">Exercise:</span><span class="line--times">Repeat (times):</span>') == 2
    assert '<th scope="row">My pain (0 to 10)</th>' in diary
    assert all(item.label not in diary for item in chosen)  # the plan's long labels stay in the plan
    assert any(item.medicine for item in chosen) and "Day 7" in diary
    assert "Walk and keep active" in diary  # NICE NG59
    assert "7 out of 10" in html


def test_pictures_sit_beside_what_they_show_with_a_caption_and_a_text_alternative():
    from html import escape

    html = page("everything-answered")
    how = html[html.index('<div class="how">'):html.index("Your 7-day diary")]
    pictured = [item for item in list(CONTENT.self_care) + list(CONTENT.prevention) if item.picture]
    assert len(pictured) >= 6
    for item in pictured:
        label = f'role="img" aria-label="{escape(item.picture_text)}"'
        # In the part of the plan it shows, with its caption, before its label.
        part = how[how.rindex('<div class="how-item">', 0, how.index(label)):]
        part = part[:part.index('<div class="how-item">', 1) if '<div class="how-item">' in part[1:] else len(part)]
        assert f"<figcaption>{escape(item.picture_text)}</figcaption>" in part, item.id
        assert escape(item.label) in part, item.id
    # The pain scale under the diary, its words from the data.
    scale = html[html.index('<figure class="scale">'):]
    assert 'aria-label="Pain scale: 0 is no pain, 10 is the worst pain you can think of."' in scale
    assert ">No pain<" in scale and ">Worst pain<" in scale
    # Where it hurts, in black on a drawing of the back beside the notes, each side named.
    notes = html[html.index("Notes for your appointment"):]
    where = notes[notes.index('<figure class="where">'):notes.index("</figure>", notes.index('<figure class="where">'))]
    assert where.count('fill="#000"') == len(SCENARIOS["everything-answered"].regions) + 1 == 11  # and the words
    assert ">Left</text>" in where and ">Right</text>" in where
    # The area the "genitals or bottom" questions mean, beside the signs of its level.
    emergency = html[html.index("Immediate action required"):html.index("Urgent advice")]
    assert 'aria-label="Shaded: the area around the genitals and bottom."' in emergency
    assert "<figcaption>Shaded: the area around the genitals and bottom.</figcaption>" in emergency
    nothing = page("nothing-answered")  # no plan and no place marked: the pain scale and the body
    assert nothing.count("<svg") == 2 and '<figure class="where">' not in nothing


def test_each_word_explained_is_one_the_sheet_uses():
    everything = page("everything-answered")  # no card, no NSAID in its plan
    words = everything[everything.index('<p class="words">'):everything.index("</p>", everything.index('<p class="words">'))]
    assert "A&amp;E is" in words and "A GP is" in words and "NHS 111 is" in words
    assert "NSAID" not in words and "NSAID" not in everything
    nothing = page("nothing-answered")
    assert "NSAID" not in nothing


def test_the_causes_ticked_are_named_in_the_notes():
    everything = page("everything-answered")
    causes = everything[everything.index("Causes that may apply to me"):everything.index("My safety check answers")]
    assert all(group.title in causes for group in CONTENT.risk_groups)
    assert "The plan has what helps with them." in causes
    assert "None ticked." in page("nothing-answered")
    assert "Causes that may apply to me" not in page("emergency-bladder-bowel")  # not on an emergency sheet


def test_a_warning_sign_to_check_comes_first_in_a_box_not_in_the_notes():
    html = page("everything-answered")  # both legs marked, the both-legs question answered no
    alert = html.index('<p class="alert"><strong>A warning sign to check:</strong> You marked both legs.')
    assert alert < html.index("Your plan")
    # It says what to do, in the words of its sign's card, and the answers point to it.
    box = html[alert:html.index("</p>", alert)]
    assert "it is an emergency. Do this: Call 999 or go to A&amp;E now." in box
    # Not "no to every sign" beside a box that names one: the answers point to the box instead.
    assert "You said no to every warning sign" not in html
    assert "But the places you marked on the body may be a warning sign (the box on page 1)." in html
    notes = html[html.index('<table class="notes">'):]
    assert "You marked both legs" not in notes[:notes.index("</table>")]
    assert '<p class="alert">' not in page("nothing-answered")


def test_a_note_not_made_is_left_off_the_sheet():
    html = page("emergency-bladder-bowel")  # where it hurts and how bad, nothing else
    notes = html[html.index('<table class="notes">'):html.index("</table>")]
    assert "Where it hurts" in notes and "Pain score" in notes
    assert "How long" not in notes and "Not noted" not in notes


def test_cut_own_words_are_marked():
    long = Answers(trigger_text="It started after a long day of gardening. " * 20)
    html = summary_html(CONTENT, long, on=ON)
    kept = long.trigger_text
    assert kept.endswith("gardening. It…") and len(kept) <= 300  # cut after a whole word, and marked
    assert f"<th scope=\"row\">In my own words</th><td>{kept}</td>" in html


def test_cli_writes_a_scenario(tmp_path, capsys):
    out = tmp_path / "summary.html"
    assert cli.main(["summary", "--scenario", "urgent-lump", "--out", str(out), "--date", "2026-11-25"]) == 0
    assert "Urgent advice: Ask for an urgent GP appointment today, or call NHS 111" in out.read_text()
    assert cli.main(["summary", "--scenario", "nope", "--out", str(out)]) == 1
    assert "choose one of: nothing-answered" in capsys.readouterr().err


def test_every_picture_the_content_may_name_is_drawn_and_every_drawing_is_used():
    from typing import get_args

    from workbook.content.plan_files import Picture
    from workbook.content.question_files import RedFlagGroupFile
    from workbook.domain.summary import TEMPLATES

    group_pictures = get_args(get_args(RedFlagGroupFile.model_fields["picture"].annotation)[0])
    named = {*get_args(Picture), *group_pictures, "pain-scale", "back-map"}  # the last two: the sheet's own
    drawn = {path.name.removesuffix(".svg.j2") for path in (TEMPLATES / "pictures").glob("*.svg.j2")}
    assert named == drawn


def test_a_sheet_with_a_care_card_leaves_off_what_would_soften_get_help_first():
    html = page("emergency-bladder-bowel")
    remember = html[html.index("<h2>What to remember</h2>"):html.index("</main>")]
    for chapter in CONTENT.chapters:
        if 3 <= chapter.step <= 9:
            shown = chapter.key_message.replace("&", "&amp;") in remember
            assert shown == chapter.remember_with_card, chapter.step
    assert not all(chapter.remember_with_card for chapter in CONTENT.chapters)  # self-care messages are marked
