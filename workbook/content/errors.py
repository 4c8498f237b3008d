"""The one exception family for content problems, and pydantic's errors in its words.

Every problem names the file, the item, the field and the bad value, so that whoever edits
`data/` can find and fix it without reading code:

    data/quizzes.yaml: question 'q3': correct[0]: must be one of ('a', 'b', 'c') (got 'd')

Each problem also carries the line it is on, when it is in a file; `located` adds it:

    data/quizzes.yaml: question 'q3': correct[0]: must be one of ('a', 'b', 'c') (got 'd') (line 12)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

from pydantic import ValidationError
from pydantic_core import PydanticCustomError

_NOTHING = object()
MISSING = _NOTHING

Loc = tuple[int | str, ...]
# How the members of a top-level list are named in messages.
ITEM_NOUNS = {
    "questions": "question", "options": "option",
    "self_care": "self-care item", "prevention": "prevention item",
    "sources": "source", "hazards": "hazard",
}
# The field that names a list member, where it is not `id`.
ITEM_KEYS = {"sources": "title"}
# The pydantic error type of the rules a parsing model checks itself (see `broken_rules`).
RULES = "content_rules"


class ContentError(ValueError):
    """One problem in one content file.

    Args:
        path: the file, as it should be shown to the person editing it.
        item: the item inside the file, e.g. "question 'q3'"; None for the file as a whole.
        field: the dotted field path, e.g. "options[2].feedback"; None when no field applies.
        hint: what is wrong, in words.
        got: the value found; left out of the message when not given.
        line: the line the problem is on. The message names it when neither item nor field
            does (a syntax error, say); `located` always names it.
        line_file: the file the line is in, when `path` is its folder.
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
        line_file: str | None = None,
    ) -> None:
        self.path = path
        self.item = item
        self.field = field
        self.hint = hint
        self.got = got
        self.line = line
        self.line_file = line_file
        super().__init__(self.located)

    @property
    def message(self) -> str:
        parts = [self.path]
        if self.line is not None and not self._placed:
            parts.append(f"line {self.line}")
        if self.item:
            parts.append(self.item)
        if self.field:
            parts.append(self.field)
        text = ": ".join(parts) + f": {self.hint}"
        if self.got is not _NOTHING:
            text += f" (got {describe_value(self.got)})"
        return text

    @property
    def _placed(self) -> bool:
        """Whether an item or a field says where the problem is."""
        return bool(self.item or self.field)

    @property
    def located(self) -> str:
        """The message with the line it is on, where the message does not name it already."""
        if self.line is None or not (self._placed or self.line_file):
            return self.message
        where = f"{self.line_file}, line {self.line}" if self.line_file else f"line {self.line}"
        return f"{self.message} ({where})"


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

    @property
    def located(self) -> str:
        return "\n".join(problem.located for problem in self.problems)


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


# ---------------------------------------------------------------------------------------------
# Rules a parsing model checks itself


class Rule(NamedTuple):
    """One broken rule of a parsing model.

    loc is the place inside the model, for the line (and the field, unless `field` is given);
    item names the item when it is not the one the model stands for.
    """

    loc: Loc
    hint: str
    got: object = _NOTHING
    item: str | None = None
    field: str | None = None


def broken_rules(rules: Iterable[Rule]) -> None:
    """End a model validator with every broken rule at once; return when none is broken.

    Raises:
        PydanticCustomError: of type `RULES`, carrying the rules for `from_pydantic`.
    """
    found = tuple(rules)
    if found:
        context = {"count": len(found), "rules": found}
        raise PydanticCustomError(RULES, "{count} content rule(s) broken", context)


def repeated(entries: Iterable[tuple[Loc, str | None, str, object]]) -> Iterator[Rule]:
    """A rule for every entry whose key came before; entries are (loc, item name, field, key)."""
    seen: set[object] = set()
    for loc, item, field, key in entries:
        if key in seen:
            yield Rule(loc, "is used twice", key, item=item, field=field)
        seen.add(key)


# ---------------------------------------------------------------------------------------------
# Pydantic errors as ContentErrors


def from_pydantic(
    path: str,
    error: ValidationError,
    raw: Any,
    *,
    item: str | None = None,
    line: Callable[[Loc], int | None] = lambda loc: None,
) -> Iterator[ContentError]:
    """Each of pydantic's errors as a ContentError.

    Args:
        path: the file, as shown.
        error: what pydantic found.
        raw: the data validated, to name list members by their id.
        item: the item the data stands for, if it is one item (e.g. "settings").
        line: the line of a location in the file.
    """
    for detail in error.errors():
        if detail["type"] == RULES:
            rules = detail["ctx"]["rules"]
        else:
            got = MISSING if detail["type"] == "missing" else detail.get("input", MISSING)
            rules = (Rule((), _plain_message(detail), got),)
        for rule in rules:
            loc = (*detail["loc"], *rule.loc)
            item_name, field_loc = _split_item(loc, raw, item)
            yield ContentError(
                path=path,
                item=rule.item or item_name,
                field=rule.field or dotted(field_loc) or None,
                hint=rule.hint,
                got=rule.got,
                line=line(loc),
            )


def _split_item(loc: Loc, raw: Any, item: str | None) -> tuple[str | None, Loc]:
    """Split a pydantic location into the item it is in and the field path inside the item."""
    if len(loc) >= 2 and isinstance(loc[1], int) and loc[0] in ITEM_NOUNS:
        noun = ITEM_NOUNS[str(loc[0])]
        try:
            item_id = raw[loc[0]][loc[1]].get(ITEM_KEYS.get(str(loc[0]), "id"))
        except (AttributeError, IndexError, KeyError, TypeError):
            item_id = None
        name = f"{noun} {item_id!r}" if isinstance(item_id, str) else f"{noun} #{loc[1] + 1}"
        return name, loc[2:]
    return item, loc


def dotted(loc: Loc) -> str:
    """A location as a field path: ("options", 2, "text") is "options[2].text"."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _plain_message(detail: Any) -> str:
    kind = detail["type"]
    ctx = detail.get("ctx") or {}
    plain: dict[str, Callable[[], str]] = {
        "missing": lambda: "is required",
        "extra_forbidden": lambda: "is not a known field",
        "string_too_short": lambda: "must not be empty",
        "too_short": lambda: f"must have at least {ctx.get('min_length')} items",
        "string_type": lambda: "must be text (put it in quotes)",
        "int_type": lambda: "must be a whole number",
        "list_type": lambda: "must be a list",
        "model_type": lambda: "must be a mapping of fields",
        "dict_type": lambda: "must be a mapping of fields",
        "string_pattern_mismatch": lambda: f"has a form that is not allowed (pattern {ctx.get('pattern')})",
        "greater_than_equal": lambda: f"must be at least {ctx.get('ge')}",
        "less_than_equal": lambda: f"must be at most {ctx.get('le')}",
        "value_error": lambda: str(ctx.get("error")),  # a validator's own words
    }
    if kind in plain:
        return plain[kind]()
    message = str(detail["msg"])
    return message.replace("Input should be", "must be")
