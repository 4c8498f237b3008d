"""The session observers one view makes, so that they go when the view goes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from workbook.domain.session import Session


class Watches:
    """Observe answers of the session on behalf of one view; `close()` removes every observer.

    A step's view built ahead of time does not redraw at answers given on other steps: while
    its step is not shown, a change only marks it, and `catch_up()` redraws it once, just
    before it is shown. So building every step ahead costs nothing at each answer.

    Args:
        session: the patient's session.
        step: the step whose view this is; None for a view that is always shown.
    """

    def __init__(self, session: Session, step: int | None = None) -> None:
        self._session = session
        self._step = step
        self._made: list[Callable[[Any], None]] = []
        self._behind: dict[int, Callable[[Any], None]] = {}  # by id, in the order they were made

    def __call__(self, handler: Callable[[Any], None], names: str | Sequence[str]) -> None:
        """Call `handler` whenever one of these answer fields changes (when its step is shown)."""

        def heard(change: Any) -> None:
            if self._step is None or self._session.step == self._step:
                handler(change)
            else:
                self._behind[id(handler)] = handler

        self._made.append(self._session.watch_answers(heard, names))

    def when_shown(self, draw: Callable[[], None]) -> None:
        """Call `draw` now if the step is shown, or else once, when it is next shown (or drawn
        ahead with `catch_up`): what a view built ahead need not draw yet, such as a chart."""
        if self._step is None or self._session.step == self._step:
            draw()
        else:
            self._behind[id(draw)] = lambda _change: draw()

    def __len__(self) -> int:
        return len(self._made)

    def catch_up(self) -> None:
        """Draw what changed while the step was not shown, and what waited to be shown (each once)."""
        behind = list(self._behind.values())
        self._behind.clear()
        for handler in behind:
            handler(None)

    def close(self) -> None:
        for observer in self._made:
            self._session.unobserve(observer, names="answers")
        self._made.clear()
        self._behind.clear()
