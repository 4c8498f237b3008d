import pytest
from traitlets import TraitError

from workbook.session import Session


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
