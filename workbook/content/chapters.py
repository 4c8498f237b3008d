"""Chapters: the Markdown files of `data/chapters/`, each a front matter block and marked items.

A chapter file starts with YAML front matter between '---' lines (checked by
`ChapterFrontMatter`), then a list of items, each opened by a marker line naming it and the
article section it restates. Every problem names the line of the file it is on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt

from workbook.content.errors import ContentError
from workbook.content.files import ChapterFrontMatter
from workbook.content.models import REQUIRED_PARTS, Chapter, ChapterItem
from workbook.content.source import YamlSource, parse_yaml, read_text, shown

CHAPTER_DIR = Path("chapters")
# A chapter is a list of items; each starts with a marker line naming it and its source, and
# optionally a second source it also follows ("| also: Added: ..."): an answer from the article
# that says how soon to get help, as added guidance gives it.
# The marker is an HTML comment, so it stays invisible in any Markdown preview.
ITEM_MARKER = re.compile(
    r"^<!-- item: (?P<id>\S+) \| source: (?P<source>.+?)(?: \| also: (?P<also>.+?))? -->[ \t]*$", re.MULTILINE
)
FRONT_MATTER = "---\n"
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "typographer": False})


def render_markdown(text: str) -> str:
    """Markdown to HTML with CommonMark rules; raw HTML in the text is shown, never run."""
    return _MARKDOWN.render(text)


@dataclass(frozen=True, slots=True)
class ChapterSource:
    """Where a chapter was read: its file, its front matter's lines, and its items' lines."""

    path: Path
    front: YamlSource
    item_lines: tuple[tuple[str, int], ...]

    def item_line(self, item_id: str) -> int | None:
        """The line of an item's marker."""
        return next((line for name, line in self.item_lines if name == item_id), None)


@dataclass(frozen=True, slots=True)
class LoadedChapter:
    """A chapter with where it was read."""

    chapter: Chapter
    source: ChapterSource


def load_chapters(root: Path, problems: list[ContentError]) -> tuple[LoadedChapter, ...] | None:
    """Read every chapter of `root/chapters`, in step order.

    Returns:
        The chapters with where each was read, or None after recording every problem.
    """
    folder = root / CHAPTER_DIR
    files = sorted(folder.glob("*.md"))
    if not files:
        problems.append(ContentError(path=shown(folder), hint="holds no chapter files (*.md)"))
        return None
    before = len(problems)
    loaded = [chapter for chapter in (_load_chapter(path, problems) for path in files) if chapter is not None]
    for field in ("id", "step", "part"):
        problems.extend(_repeated_field(loaded, field))
    carried = {entry.chapter.part for entry in loaded}
    problems.extend(
        ContentError(path=shown(folder), field="part", hint=f"one chapter must carry {part!r} ({why})")
        for part, why in REQUIRED_PARTS.items()
        if part not in carried
    )
    steps = sorted(entry.chapter.step for entry in loaded)
    if len(problems) == before and steps != list(range(1, len(steps) + 1)):
        problems.append(
            ContentError(
                path=shown(folder), field="step", hint="steps must run 1, 2, 3 ... with no gap", got=steps
            )
        )
    if len(problems) > before:
        return None
    return tuple(sorted(loaded, key=lambda entry: entry.chapter.step))


def _repeated_field(loaded: list[LoadedChapter], field: str) -> list[ContentError]:
    """A problem for each chapter whose `field` another chapter already has (a part may be None)."""
    first: dict[object, str] = {}
    problems = []
    for entry in loaded:
        value = getattr(entry.chapter, field)
        if value is None:
            continue
        if value in first:
            hint = "is used twice"
            if field == "part":
                hint += f": chapter {first[value]!r} has it too"
            item = f"chapter {entry.chapter.id!r}"
            problems.append(entry.source.front.error((field,), item=item, field=field, hint=hint, got=value))
        first.setdefault(value, entry.chapter.id)
    return problems


def _load_chapter(path: Path, problems: list[ContentError]) -> LoadedChapter | None:
    text = read_text(path, problems)
    if text is None:
        return None
    if not text.startswith(FRONT_MATTER):
        problems.append(
            ContentError(path=shown(path), line=1, hint="must start with a '---' front matter block")
        )
        return None
    head, separator, body = text[len(FRONT_MATTER):].partition("\n---\n")
    if not separator:
        problems.append(ContentError(path=shown(path), hint="front matter is not closed with a '---' line"))
        return None
    front = parse_yaml(path, head, problems, line_offset=1)
    if front is None:
        return None
    meta = front.validate(ChapterFrontMatter, problems, item=_chapter_name(front.data))
    if meta is None:
        return None
    # The body starts after the opening '---', the front matter and the closing '---'.
    body_line = head.count("\n") + 4
    items, item_lines, item_problems = _chapter_items(path, meta, body, body_line)
    problems.extend(item_problems)
    if item_problems:
        return None
    return LoadedChapter(meta.to_domain(items), ChapterSource(path, front, item_lines))


def _chapter_items(
    path: Path, meta: ChapterFrontMatter, body: str, body_line: int
) -> tuple[tuple[ChapterItem, ...], tuple[tuple[str, int], ...], list[ContentError]]:
    """Split a chapter's text at its item markers and check each item.

    Returns:
        The items, the line of each item's marker, and the problems found.
    """

    def problem(offset: int, *, item: str, hint: str, field: str = "text", **got: object) -> None:
        line = body_line + body.count("\n", 0, offset)
        problems.append(ContentError(path=shown(path), item=item, field=field, hint=hint, line=line, **got))

    chapter = f"chapter {meta.id!r}"
    problems: list[ContentError] = []
    markers = list(ITEM_MARKER.finditer(body))
    if not markers:
        problem(0, item=chapter, hint="has no item marker line '<!-- item: ID | source: SECTION -->'")
        return (), (), problems
    before = body[: markers[0].start()]
    if before.strip():
        problem(len(before) - len(before.lstrip()), item=chapter, got=before.strip().splitlines()[0],
                hint="has text before its first item marker")
    items, lines = [], []
    for index, marker in enumerate(markers):
        end = markers[index + 1].start() if index + 1 < len(markers) else len(body)
        text = body[marker.end() : end].strip()
        where = f"{chapter} item {marker['id']!r}"
        if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", marker["id"]):
            problem(marker.start(), item=where, field="id", hint="must be lower-case letters, digits and '-'",
                    got=marker["id"])
        if not text:
            problem(marker.start(), item=where, hint="is empty")
        elif meta.accordion and not text.startswith("## "):
            problem(marker.start(), item=where, got=text.splitlines()[0],
                    hint="must start with a '## ' heading in an accordion chapter")
        for heading in re.finditer(r"^# .*$", body[marker.end() : end], re.MULTILINE):
            problem(marker.end() + heading.start(), item=where, got=heading[0],
                    hint="must not use a level-1 heading: the title is the page heading; use '##'")
        if any(marker["id"] == item.id for item in items):
            problem(marker.start(), item=where, field="id", hint="is used twice", got=marker["id"])
        items.append(
            ChapterItem(
                id=marker["id"], source=marker["source"].strip(), markdown=text, html=render_markdown(text),
                also=(marker["also"] or "").strip(),
            )
        )
        lines.append((marker["id"], body_line + body.count("\n", 0, marker.start())))
    return tuple(items), tuple(lines), problems


def _chapter_name(raw: object) -> str:
    chapter_id = raw.get("id") if isinstance(raw, dict) else None
    return f"chapter {chapter_id!r}" if isinstance(chapter_id, str) else "chapter"
