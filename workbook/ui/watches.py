"""The session observers one view makes, so that they go when the view goes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from workbook.session import Session

Watch = Callable[[Callable[[Any], None], "str | list[str]"], None]


class Watches:
    """Observe the session on behalf of one view; `close()` removes every observer it made.

    Args:
        session: the patient's session.
    """

    def __init__(self, session: Session) -> None:
        self._session = session
        self._made: list[tuple[Callable[[Any], None], str | list[str]]] = []

    def __call__(self, handler: Callable[[Any], None], names: str | list[str]) -> None:
        self._session.observe(handler, names=names)
        self._made.append((handler, names))

    def __len__(self) -> int:
        return len(self._made)

    def close(self) -> None:
        for handler, names in self._made:
            self._session.unobserve(handler, names=names)
        self._made.clear()
