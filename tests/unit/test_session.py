import pytest
from traitlets import TraitError

from workbook.domain.answers import MAX_TEXT, Answers
from workbook.domain.session import Session


def test_go_to_clamps_to_the_first_and_last_step():
    session = Session(step_count=10)
    session.go_to(0)
    assert session.step == 1
    session.go_to(11)
    assert session.step == 10


def test_step_outside_the_range_is_refused():
    session = Session(step_count=10)
    with pytest.raises(TraitError, match=r"step must be between 1 and 10 \(got 12\)"):
        session.step = 12


def test_reset_restores_defaults_and_notifies():
    session = Session(step_count=10)
    session.go_to(7)
    seen = []
    session.observe(lambda change: seen.append(change["new"]), names="step")
    session.reset()
    assert session.step == 1
    assert seen == [1]


def test_each_session_is_independent():
    first, second = Session(step_count=10), Session(step_count=10)
    first.go_to(5)
    assert second.step == 1


def test_every_change_replaces_the_answers_and_old_values_stay_as_they_were():
    session = Session(step_count=10)
    before = session.answers
    session.change(risk_factors=("sitting",))
    session.answer_red_flag("lump", True)
    session.record_answer("go-away", ("true",))
    assert before == Answers()
    assert session.answers == Answers(
        risk_factors=("sitting",), red_flag_answers={"lump": True}, quiz_attempts={"go-away": (("true",),)}
    )


def test_answer_maps_cannot_be_changed_in_place():
    answers = Answers(red_flag_answers={"lump": True})
    with pytest.raises(TypeError):
        answers.red_flag_answers["lump"] = False  # type: ignore[index]


def test_a_name_that_is_no_answer_is_refused():
    session = Session(step_count=10)
    with pytest.raises(TypeError, match="colour"):
        session.change(colour="blue")
    with pytest.raises(ValueError, match=r"^session: 'colour' is not an answer"):
        session.watch_answers(lambda change: None, "colour")


def test_watch_answers_hears_only_its_fields():
    session = Session(step_count=10)
    heard = []
    session.watch_answers(lambda change: heard.append(change["new"].pain), ("pain",))
    session.change(self_care=("ice-heat",))
    session.change(pain=4)
    session.change(pain=4)
    assert heard == [4]


def test_free_text_is_cleaned_and_cut_whatever_writes_it():
    session = Session(step_count=10)
    session.change(trigger_text="a\u202eb" + "x" * 400)
    assert session.answers.trigger_text == "ab" + "x" * (MAX_TEXT - 3) + "…"
    assert len(session.answers.trigger_text) == MAX_TEXT


def test_reset_is_one_change_to_empty_answers():
    session = Session(step_count=10)
    session.change(pain=7, regions=("lower-left",))
    seen = []
    session.observe(lambda change: seen.append(change["new"]), names="answers")
    session.reset()
    assert seen == [Answers()] and session.answers == Answers()


def test_choices_given_as_a_list_are_kept_as_a_tuple():
    session = Session(step_count=10)
    session.change(regions=["lower-left"], prevention=["posture"])
    assert session.answers.regions == ("lower-left",) and session.answers.prevention == ("posture",)
