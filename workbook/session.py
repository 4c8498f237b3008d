"""The patient's session: the one mutable object, holding answers only.

Derived values (grades, profiles, care cards) are never stored here; pure functions compute
them from these answers. Values are replaced, never changed in place, so that observers hear
every change. `reset()` restores every default at once, for "New patient".
"""

from __future__ import annotations

from traitlets import Dict, HasTraits, Int, TraitError, Tuple, Unicode, validate


class Session(HasTraits):
    """What one patient has done in the workbook.

    Args:
        step_count: how many steps the workbook has; `step` stays within 1..step_count.
    """

    step = Int(1, help="The step on screen, 1-based.")
    red_flag_answers = Dict(
        help="Warning-sign question id -> True (yes) or False (no); unanswered ones are absent."
    )
    risk_factors = Tuple(help="Ids of the risk factors ticked on the self-check.")
    symptoms = Tuple(help="Ids of the symptoms ticked.")
    regions = Tuple(help="Ids of the body regions where it hurts.")
    pain = Int(None, allow_none=True, help="Pain now, 0 to 10; None until chosen.")
    duration = Unicode(None, allow_none=True, help="Id of how long it has lasted; None until chosen.")
    triggers = Tuple(help="Ids of what may have set it off.")
    trigger_text = Unicode("", help="What set it off, in the patient's own words.")
    self_care = Tuple(help="Ids of the self-care measures chosen for home.")
    prevention = Tuple(
        None, allow_none=True,
        help="Ids of the prevention strategies chosen; None until the patient changes the preselection.",
    )
    quiz_attempts = Dict(
        help="Question id -> every answer checked, first first; each answer a tuple of option ids."
    )

    def __init__(self, *, step_count: int) -> None:
        if step_count < 1:
            raise ValueError(f"step_count must be at least 1 (got {step_count!r})")
        self._step_count = step_count
        super().__init__()

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

    def answer_red_flag(self, question_id: str, value: bool | None) -> None:
        """Set (True/False) or clear (None) a warning-sign answer, as a new dict."""
        answers = {k: v for k, v in self.red_flag_answers.items() if k != question_id}
        if value is not None:
            answers[question_id] = value
        self.red_flag_answers = answers

    def record_answer(self, question_id: str, answer: tuple[str, ...]) -> None:
        """Add a checked answer to a question's attempts (a new dict, so observers hear it)."""
        previous = self.quiz_attempts.get(question_id, ())
        self.quiz_attempts = {**self.quiz_attempts, question_id: (*previous, tuple(answer))}

    def reset(self) -> None:
        """Restore every answer and the step to their defaults."""
        with self.hold_trait_notifications():
            for name, trait in self.traits().items():
                self.set_trait(name, trait.default())
