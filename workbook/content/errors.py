"""The one exception family for content problems.

Every problem names the file, the item, the field and the bad value, so that whoever edits
`data/` can find and fix it without reading code:

    data/quizzes.yaml: question 'q3': correct[0]: must be one of ('a', 'b', 'c') (got 'd')
"""

from __future__ import annotations

from collections.abc import Iterable

_NOTHING = object()


class ContentError(ValueError):
    """One problem in one content file.

    Args:
        path: the file, as it should be shown to the person editing it.
        item: the item inside the file, e.g. "question 'q3'"; None for the file as a whole.
        field: the dotted field path, e.g. "options[2].feedback"; None when no field applies.
        hint: what is wrong, in words.
        got: the value found; left out of the message when not given.
        line: the line number, for syntax errors.
    """

    def __init__(
        self,
        *,
        path: str,
        hint: str,
        item: str | None = None,
        field: str | None = None,
        got: object = _NOTHING,
        line: int | None = None,
    ) -> None:
        self.path = path
        self.item = item
        self.field = field
        self.hint = hint
        self.got = got
        self.line = line
        super().__init__(self.message)

    @property
    def message(self) -> str:
        parts = [self.path]
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.item:
            parts.append(self.item)
        if self.field:
            parts.append(self.field)
        text = ": ".join(parts) + f": {self.hint}"
        if self.got is not _NOTHING:
            text += f" (got {describe_value(self.got)})"
        return text


class InvalidContent(ContentError):
    """All the problems found in the content at once.

    Args:
        problems: every ContentError found, in file order.
    """

    def __init__(self, problems: Iterable[ContentError]) -> None:
        self.problems: tuple[ContentError, ...] = tuple(problems)
        first = self.problems[0] if self.problems else None
        super().__init__(
            path=first.path if first else "data",
            hint=f"{len(self.problems)} problem(s) in the content",
        )

    @property
    def message(self) -> str:
        return "\n".join(problem.message for problem in self.problems)


def describe_value(value: object) -> str:
    """Show a bad value briefly: as written when short, summarised when long."""
    if value is _NOTHING:
        return "nothing"
    text = repr(value)
    if len(text) <= 80:
        return text
    if isinstance(value, dict):
        return f"a mapping with keys {tuple(value)!r}"[:80]
    if isinstance(value, (list, tuple)):
        return f"a list of {len(value)}"
    return text[:77] + "..."


MISSING = _NOTHING
