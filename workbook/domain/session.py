"""The patient's session: the one mutable object, holding the step and the answers.

The answers are one frozen `Answers`, replaced on every change through `change()`; derived
values (grades, profiles, care cards) are never stored here, pure functions compute them from
the answers. `reset()` restores the first step and empty answers at once, for "New patient".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from traitlets import HasTraits, Instance, Int, TraitError, default, validate

from workbook.domain.answers import ANSWER_FIELDS, Answers, differs


class Session(HasTraits):
    """What one patient has done in the workbook.

    Args:
        step_count: how many steps the workbook has; `step` stays within 1..step_count.
    """

    step = Int(1, help="The step on screen, 1-based.")
    answers = Instance(Answers, help="Everything the patient has answered; replaced, never changed.")

    def __init__(self, *, step_count: int) -> None:
        if step_count < 1:
            raise ValueError(f"step_count must be at least 1 (got {step_count!r})")
        self._step_count = step_count
        super().__init__()

    @default("answers")
    def _no_answers(self) -> Answers:
        return Answers()

    @property
    def step_count(self) -> int:
        return self._step_count

    @validate("step")
    def _valid_step(self, proposal: dict) -> int:
        value = proposal["value"]
        if not 1 <= value <= self._step_count:
            raise TraitError(f"step must be between 1 and {self._step_count} (got {value!r})")
        return value

    def go_to(self, step: int) -> None:
        """Move to a step, clamped to the first and last step."""
        self.step = min(max(step, 1), self._step_count)

    def change(self, **fields: object) -> None:
        """Replace some answers: the one way every answer is written.

        Raises:
            TypeError: a name that is no answer.
        """
        self.answers = self.answers.changed(**fields)

    def answer_red_flag(self, question_id: str, value: bool | None) -> None:
        """Set (True/False) or clear (None) a warning-sign answer."""
        self.change(red_flag_answers=self.answers.with_red_flag(question_id, value).red_flag_answers)

    def record_answer(self, question_id: str, answer: tuple[str, ...]) -> None:
        """Add a checked answer to a question's attempts."""
        self.change(quiz_attempts=self.answers.with_attempt(question_id, answer).quiz_attempts)

    def watch_answers(self, handler: Callable[[Any], None], names: str | Sequence[str]) -> Callable:
        """Call `handler` whenever one of these answer fields changes.

        Returns:
            The observer made, for `unobserve(..., names="answers")`.

        Raises:
            ValueError: a name that is no answer.
        """
        names = (names,) if isinstance(names, str) else tuple(names)
        unknown = [name for name in names if name not in ANSWER_FIELDS]
        if unknown:
            raise ValueError(f"session: {unknown[0]!r} is not an answer (one of {ANSWER_FIELDS})")

        def observer(change: dict) -> None:
            if differs(change["old"], change["new"], names):
                handler(change)

        self.observe(observer, names="answers")
        return observer

    def reset(self) -> None:
        """Restore the first step and empty answers."""
        with self.hold_trait_notifications():
            self.step = 1
            self.answers = Answers()
