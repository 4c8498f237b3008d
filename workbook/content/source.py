"""Reading content files: text, YAML with the line of every item and field, and validation.

A YAML file is read into its plain data and a table of lines: the line of each mapping key,
list member and document, by location (`("questions", 2, "correct", 0)`), so that every
problem found in it, by pydantic or by a later check, can name its line.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from workbook.content.errors import MISSING, ContentError, Loc, from_pydantic

Model = TypeVar("Model", bound=BaseModel)


def shown(path: Path) -> str:
    """A path as the person editing content should see it: relative when under the cwd."""
    try:
        return os.path.relpath(path) if path.resolve().is_relative_to(Path.cwd()) else str(path)
    except ValueError:
        return str(path)


@dataclass(frozen=True, slots=True)
class YamlSource:
    """One YAML document: its file, its data, and the line of each location in it."""

    path: Path
    data: Any
    lines: Mapping[Loc, int] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def shown(self) -> str:
        return shown(self.path)

    def line(self, loc: Loc) -> int | None:
        """The line of a location, or of the nearest location around it that has one."""
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.lines:
                return self.lines[loc[:end]]
        return None

    def error(self, loc: Loc, *, hint: str, item: str | None = None, field: str | None = None,
              got: object = MISSING) -> ContentError:
        """A problem at a location in this file, with its line."""
        return ContentError(path=self.shown, item=item, field=field, hint=hint, got=got, line=self.line(loc))

    def validate(
        self, model: type[Model], problems: list[ContentError], *, item: str | None = None
    ) -> Model | None:
        """The data as a parsing model; None after recording each of pydantic's errors."""
        try:
            return model.model_validate(self.data)
        except ValidationError as error:
            problems.extend(from_pydantic(self.shown, error, self.data, item=item, line=self.line))
            return None


def read_text(path: Path, problems: list[ContentError]) -> str | None:
    """A file's text; None after recording why it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.append(ContentError(path=shown(path), hint="is missing"))
    except (OSError, UnicodeDecodeError) as error:
        problems.append(ContentError(path=shown(path), hint=f"cannot be read: {error}"))
    return None


def parse_yaml(
    path: Path, text: str, problems: list[ContentError], *, line_offset: int = 0
) -> YamlSource | None:
    """Parse YAML text with the line of every location.

    Args:
        path: the file the text is in.
        text: the YAML text.
        problems: where a syntax error is recorded.
        line_offset: the lines of the file above the text (the front matter's '---').

    Returns:
        The parsed document, or None after recording a syntax error.
    """
    loader = _UniqueKeyLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        problems.append(
            ContentError(
                path=shown(path),
                line=mark.line + 1 + line_offset if mark else None,
                hint=f"YAML syntax: {problem}",
            )
        )
        return None
    finally:
        loader.dispose()
    lines: dict[Loc, int] = {}
    if node is not None:
        _record_lines(node, (), node.start_mark.line + 1 + line_offset, line_offset, lines)
    return YamlSource(path=path, data=data, lines=MappingProxyType(lines))


def read_yaml(path: Path, problems: list[ContentError]) -> YamlSource | None:
    """Read and parse one YAML file; None after recording what is wrong."""
    text = read_text(path, problems)
    return None if text is None else parse_yaml(path, text, problems)


def load_yaml(
    path: Path, model: type[Model], problems: list[ContentError], *, item: str | None = None
) -> tuple[YamlSource, Model] | None:
    """Read, parse and validate one YAML file against its parsing model.

    Returns:
        The file's source (for the line of each problem found later) with the parsing model,
        or None after recording what is wrong.
    """
    source = read_yaml(path, problems)
    if source is None:
        return None
    parsed = source.validate(model, problems, item=item)
    return None if parsed is None else (source, parsed)


def _record_lines(node: yaml.Node, loc: Loc, line: int, offset: int, lines: dict[Loc, int]) -> None:
    """Record the line of a node and of each location inside it.

    A mapping's value is placed on its key's line, where the field is written.
    """
    lines[loc] = line
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if isinstance(key, str):
                _record_lines(value_node, (*loc, key), key_node.start_mark.line + 1 + offset, offset, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, member in enumerate(node.value):
            _record_lines(member, (*loc, index), member.start_mark.line + 1 + offset, offset, lines)


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses a key given twice in one mapping, and reads a date as text.

    The parsing model reads the date from the text (`safety_files.IsoDate`), so that a date that
    does not exist (2026-02-30) is named with its field and line, not refused by the YAML reader.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        keys: set[object] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in keys:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} is given twice", key_node.start_mark
                )
            keys.add(key)
        return super().construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)
