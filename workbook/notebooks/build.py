"""The chapter notebooks, written from the content alone: `workbook notebooks`.

Each chapter becomes `notebooks/chapters/NN_name.ipynb`:

- a Markdown cell with its title and what to remember (its key message, under the label the
  dashboard gives it);
- a Markdown cell for each chapter item: its Markdown as in `data/chapters/`, then its source
  in small print;
- where the dashboard shows them (its chapter, its part, then its questions, or the part under
  the questions), a code cell for the chapter's part, and the questions' heading with a code
  cell for each question, each a call into `workbook.ui.notebook`.

Every word comes from the content: a code cell only names a part or a question. A notebook is
saved without outputs, with each cell's id made from the chapter's id and the cell's own
(the item's id, the part's name or the question's id), so writing it again gives the same
bytes, and `notebook_drift` finds a notebook that is no longer what the content gives.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from html.entities import html5
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from workbook.content import Chapter, ChapterItem, Content
from workbook.content.integrity import shown_source
from workbook.content.source import shown

# Where a content folder's chapter notebooks are, beside it.
NOTEBOOK_FOLDER = Path("notebooks") / "chapters"
NOTEBOOK_METADATA = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}
# The module the code cells call, and what each calls it with.
NOTEBOOK_API = "workbook.ui.notebook"
SHOW_PART, SHOW_QUESTION = "show_part", "show_question"
# nbformat allows at most 64 characters in a cell id.
CELL_ID_LENGTH = 64
WRITE_AGAIN = "run 'workbook notebooks' to write it again"
REMOVE = "run 'workbook notebooks' to remove it"
# What Markdown would read as markup in plain text, to be backslash-escaped so it shows as
# written: markup characters, one that opens a block at the start, and "&" where it starts a
# character reference ("A&E" stays as it is).
_MARKUP = re.compile(r"[\\`*_\[\]<>]|^[#>+=-]|&(#[0-9]+;|#[xX][0-9a-fA-F]+;|[A-Za-z0-9]+;)?")


def notebook_folder(data_dir: Path) -> Path:
    """The folder of a content folder's chapter notebooks: `notebooks/chapters` beside it."""
    return data_dir.resolve().parent / NOTEBOOK_FOLDER


def notebook_name(chapter: Chapter) -> str:
    """A chapter notebook's file name, e.g. "04_causes.ipynb"."""
    return f"{chapter.step:02d}_{chapter.id.replace('-', '_')}.ipynb"


def chapter_notebooks(content: Content) -> dict[str, str]:
    """Every chapter's notebook, as the text of its file, by file name, in step order."""
    return {
        notebook_name(chapter): notebook_text(chapter_notebook(content, chapter)) for chapter in content.chapters
    }


def notebook_text(notebook: NotebookNode) -> str:
    """A notebook's file as `nbformat.write` writes it: JSON indented by one, with a final newline."""
    text = nbformat.writes(notebook)
    return text if text.endswith("\n") else text + "\n"


def chapter_notebook(content: Content, chapter: Chapter) -> NotebookNode:
    """One chapter as a notebook: its title and what to remember, its items, then its part and
    questions in the dashboard's order.

    Args:
        content: validated content.
        chapter: one of its chapters.
    """
    heading = heading_markdown(chapter, label=content.text.app.key_message)
    title = new_markdown_cell(heading, id=cell_id(chapter, "title"))
    items = [
        new_markdown_cell(item_markdown(item, label=content.text.quiz.source), id=cell_id(chapter, f"item_{item.id}"))
        for item in chapter.items
    ]
    return new_notebook(cells=[title, *items, *_interactive_cells(content, chapter)], metadata=NOTEBOOK_METADATA)


def _interactive_cells(content: Content, chapter: Chapter) -> list[NotebookNode]:
    """The part's cell and the questions' cells, in the order the dashboard shows them."""
    part = [_call_cell(chapter, "part", SHOW_PART, chapter.part)] if chapter.part else []
    questions = content.questions_for(chapter.step)
    asked = []
    if questions:
        asked.append(new_markdown_cell(questions_markdown(content), id=cell_id(chapter, "questions")))
        asked += [_call_cell(chapter, "question", SHOW_QUESTION, question.id) for question in questions]
    return [*asked, *part] if chapter.part_after_questions else [*part, *asked]


def _call_cell(chapter: Chapter, kind: str, function: str, name: str) -> NotebookNode:
    """A code cell that shows a part or a question by its name: an import and one call."""
    source = f"from {NOTEBOOK_API} import {function}\n\n{function}({json.dumps(name)})"
    return new_code_cell(source, id=cell_id(chapter, f"{kind}_{name}"))


def heading_markdown(chapter: Chapter, *, label: str) -> str:
    """The chapter's title as the heading, then its key message under its label, as a quote."""
    title, label, key_message = map(markdown_text, (chapter.title, label, chapter.key_message))
    return f"# {title}\n\n> **{label}**\n>\n> {key_message}"


def item_markdown(item: ChapterItem, *, label: str) -> str:
    """An item's Markdown as written, then its sources (without the "Added: " mark) in small
    print: a line of HTML that JupyterLab and GitHub both show.

    Args:
        item: a chapter item.
        label: the words before the sources ("Source:", as the quiz's feedback has them).
    """
    sources = "; ".join(shown_source(source) for source in item.sources)
    return f"{item.markdown}\n\n<small>{markdown_text(label)} {markdown_text(sources)}</small>"


def questions_markdown(content: Content) -> str:
    """The heading and introduction the dashboard puts above a step's questions."""
    text = content.text.quiz
    return f"## {markdown_text(text.heading)}\n\n{markdown_text(text.intro)}"


def markdown_text(text: str) -> str:
    """Plain text as Markdown that shows it as written: markup characters are escaped."""
    return _MARKUP.sub(_escaped, text)


def _escaped(found: re.Match[str]) -> str:
    """A match of `_MARKUP` backslash-escaped, or as it was: an "&" that starts no reference."""
    reference = found[1]
    if found[0].startswith("&") and not (reference and (reference.startswith("#") or reference in html5)):
        return found[0]
    return "\\" + found[0]


def cell_id(chapter: Chapter, name: str) -> str:
    """A cell's id: the chapter's id and the cell's own name, e.g. "causes_item_posture".

    A longer id than nbformat allows keeps its start and ends with a hash of the whole, so it
    stays the same from one run to the next.
    """
    full = f"{chapter.id}_{name}"
    if len(full) <= CELL_ID_LENGTH:
        return full
    digest = hashlib.sha256(full.encode("utf-8")).hexdigest()[:8]
    return f"{full[: CELL_ID_LENGTH - len(digest) - 1]}-{digest}"


def notebook_drift(expected: Mapping[str, str], folder: Path) -> list[str]:
    """Each notebook of a folder that is not what the content gives, one line each: its file
    and its first differing cell (index and id); a notebook missing, or one no chapter gives.

    Args:
        expected: the notebooks' texts by file name (`chapter_notebooks`).
        folder: the folder the notebooks are in.
    """
    problems = []
    for name, text in expected.items():
        path = folder / name
        if not path.is_file():
            problems.append(f"{shown(path)}: missing; {WRITE_AGAIN}")
            continue
        written = path.read_text(encoding="utf-8")
        if written != text:
            problems.append(f"{shown(path)}: {first_difference(written, text)}; {WRITE_AGAIN}")
    problems.extend(
        f"{shown(path)}: no chapter gives this notebook; {REMOVE}" for path in stale_notebooks(expected, folder)
    )
    return problems


def first_difference(written: str, expected: str) -> str:
    """Where a notebook's text first differs from the expected text, in words."""
    try:
        have = json.loads(written)
    except json.JSONDecodeError as error:
        return f"not a notebook: not JSON ({error.msg}, line {error.lineno})"
    want = json.loads(expected)
    cells = have.get("cells") if isinstance(have, dict) else None
    if not isinstance(cells, list):
        return "not a notebook: it has no list of cells"
    for index, (cell, wanted) in enumerate(zip(cells, want["cells"])):
        if cell != wanted:
            return f"cell {index} (id {_cell_name(cell, wanted)!r}) differs from the content"
    if len(cells) > len(want["cells"]):
        index = len(want["cells"])
        return f"cell {index} (id {_cell_name(cells[index])!r}) is not in the content"
    if len(cells) < len(want["cells"]):
        index = len(cells)
        return f"cell {index} (id {_cell_name(want['cells'][index])!r}) is missing"
    return "its metadata or its layout differs from what 'workbook notebooks' writes"


def _cell_name(cell: object, wanted: Mapping[str, object] | None = None) -> str:
    """A cell's id as written, or else the id it should have."""
    if isinstance(cell, dict) and isinstance(cell.get("id"), str):
        return cell["id"]
    return str(wanted["id"]) if wanted is not None else "none"


def stale_notebooks(expected: Mapping[str, str], folder: Path) -> list[Path]:
    """The notebooks of a folder that no chapter gives (a chapter renamed or removed)."""
    return sorted(path for path in folder.glob("*.ipynb") if path.name not in expected)


def write_notebooks(expected: Mapping[str, str], folder: Path) -> tuple[list[Path], list[Path]]:
    """Write each notebook whose file is not its text yet, and remove those no chapter gives.

    Args:
        expected: the notebooks' texts by file name (`chapter_notebooks`).
        folder: where to write them; made if missing.

    Returns:
        The files written and the files removed.
    """
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in expected.items():
        path = folder / name
        data = text.encode("utf-8")
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)
            written.append(path)
    removed = stale_notebooks(expected, folder)
    for path in removed:
        path.unlink()
    return written, removed
