"""Named demo patients, for reviewing and printing the summary; the tests use the same ones."""

from __future__ import annotations

from workbook.domain.answers import Answers
from workbook.content import Content, QuizQuestion

MARKUP = '<script>alert("x")</script><img src=x onerror="alert(1)"> & "quotes"'


def scenarios(content: Content) -> dict[str, Answers]:
    """Every named scenario, built from the content (so ids always exist)."""
    options = content.symptom_options
    everything = Answers(
        red_flag_answers={flag.id: False for flag in content.red_flags},
        risk_factors=tuple(factor.id for factor in content.risk_factors),
        symptoms=tuple(c.id for c in options.symptoms),
        regions=tuple(r.id for r in options.regions),
        pain=7,
        duration=options.durations[1].id,
        triggers=tuple(c.id for c in options.triggers),
        trigger_text=(
            "It started after a long day of gardening, when I lifted a heavy bag of compost. The next morning "
            "my lower back was stiff and hard to bend. It gets worse when I sit at my desk for a long time, "
            "and it eases a little when I walk or lie down flat."
        ),
        self_care=tuple(item.id for item in content.self_care),
        # Every question answered; every third still not right, so it is a topic to go over.
        quiz_attempts={
            q.id: ((_wrong_option(q),),) if index % 3 == 2 else ((q.options[0].id,), q.correct)
            for index, q in enumerate(content.questions)
        },
    )
    return {
        "nothing-answered": Answers(),
        "everything-answered": everything,
        "emergency-bladder-bowel": Answers(
            red_flag_answers={"bladder-bowel": True, "chest-pain": False},
            risk_factors=("lifting",),
            regions=("lower-left",), pain=8,
        ),
        "urgent-lump": Answers(red_flag_answers={"lump": True}),
        "markup-in-free-text": Answers(trigger_text=MARKUP),
    }


def _wrong_option(question: QuizQuestion) -> str:
    return next(option.id for option in question.options if option.id not in question.correct)
