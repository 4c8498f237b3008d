"""The session observers one view makes, so that they go when the view goes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from workbook.session import Session

Watch = Callable[[Callable[[Any], None], "str | Sequence[str]"], None]


class Watches:
    """Observe answers of the session on behalf of one view; `close()` removes every observer.

    Args:
        session: the patient's session.
    """

    def __init__(self, session: Session) -> None:
        self._session = session
        self._made: list[Callable[[Any], None]] = []

    def __call__(self, handler: Callable[[Any], None], names: str | Sequence[str]) -> None:
        """Call `handler` whenever one of these answer fields changes."""
        self._made.append(self._session.watch_answers(handler, names))

    def __len__(self) -> int:
        return len(self._made)

    def close(self) -> None:
        for observer in self._made:
            self._session.unobserve(observer, names="answers")
        self._made.clear()
