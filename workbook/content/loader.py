"""Load `data/` once into frozen, validated content.

Every file is checked in full and every problem is collected, so that one run of
`workbook check` lists all that needs fixing. Nothing half-valid is ever returned.
"""

from __future__ import annotations

import os
import re
import string
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from markdown_it import MarkdownIt
from pydantic import BaseModel, ValidationError

from workbook.content.article import article_bullets, article_questions
from workbook.content.errors import MISSING, ContentError, InvalidContent
from workbook.content.screen import ScreenText
from workbook.content.models import (
    Chapter,
    ChapterFrontMatter,
    ChapterItem,
    Clinic,
    ClinicFile,
    Content,
    CARE_LEVELS,
    CareCardText,
    Coverage,
    CoverageFile,
    Choice,
    PageText,
    PageTextFile,
    PlanFile,
    PlanItem,
    Region,
    RiskFactor,
    RiskGroup,
    SelfCheckFile,
    SymptomOptions,
    SymptomsFile,
    RedFlag,
    RedFlagFile,
    RedFlagsFile,
    QuizOption,
    QuizQuestion,
    QuizQuestionFile,
    QuizzesFile,
)

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / "data"
ARTICLE_FILE = Path("source") / "muscle-spasms-in-back.txt"
CHAPTER_DIR = Path("chapters")
QUIZZES_FILE = Path("quizzes.yaml")
CLINIC_FILE = Path("clinic.yaml")
COVERAGE_FILE = Path("coverage.yaml")
RED_FLAGS_FILE = Path("redflags.yaml")
SELFCHECK_FILE = Path("risk_factors.yaml")
SYMPTOMS_FILE = Path("symptoms.yaml")
PLAN_FILE = Path("plan.yaml")
PAGE_FILE = Path("page.yaml")
SCREEN_FILE = Path("ui.yaml")
# The clinic settings a care card may name, as {placeholder}.
CARD_PLACEHOLDERS = ("emergency_number", "urgent_service", "clinic_name", "clinic_phone")

# A chapter is a list of items; each starts with a marker line naming it and its source.
# The marker is an HTML comment, so it stays invisible in any Markdown preview.
ITEM_MARKER = re.compile(r"^<!-- item: (?P<id>\S+) \| source: (?P<source>.+?) -->[ \t]*$", re.MULTILINE)
ADDED = "Added: "

# How items of each top-level list are named in messages.
ITEM_NOUNS = {"questions": "question", "options": "option"}

Model = TypeVar("Model", bound=BaseModel)


def default_data_dir() -> Path:
    """The data directory: $WORKBOOK_DATA_DIR if set, else the project's `data/`."""
    return Path(os.environ.get("WORKBOOK_DATA_DIR") or DEFAULT_DATA_DIR)


def load_content(data_dir: str | os.PathLike[str] | None = None) -> Content:
    """Load and validate every content file.

    Args:
        data_dir: the folder holding the content; defaults to `default_data_dir()`.

    Returns:
        The frozen content.

    Raises:
        InvalidContent: one or more problems, each naming file, item, field and value.
    """
    root = Path(data_dir) if data_dir is not None else default_data_dir()
    problems: list[ContentError] = []
    article = _read_article(root, problems)
    chapters = _load_chapters(root, problems)
    questions = _load_questions(root, problems)
    clinic = _load_clinic(root, problems)
    red_flags = _load_red_flags(root, problems)
    selfcheck = _load_file(root / SELFCHECK_FILE, SelfCheckFile, problems, item="self-check")
    symptoms = _load_file(root / SYMPTOMS_FILE, SymptomsFile, problems, item="symptoms")
    plan = _load_file(root / PLAN_FILE, PlanFile, problems, item="plan")
    page = _load_file(root / PAGE_FILE, PageTextFile, problems, item="page")
    screen = _load_file(root / SCREEN_FILE, ScreenText, problems, item="screen")
    if selfcheck is not None and plan is not None:
        problems.extend(_check_selfcheck(root, selfcheck, plan))
    if symptoms is not None:
        problems.extend(_check_symptoms(root, symptoms))
    if plan is not None:
        problems.extend(_check_plan(root, plan))
    coverage = _load_coverage(root, article, problems) if article is not None else None
    if chapters is not None and questions is not None:
        problems.extend(_check_question_steps(root, questions, {c.step for c in chapters}))
    if coverage is not None and chapters is not None and questions is not None:
        cited = _cited_sources(root, chapters, questions, red_flags, selfcheck, symptoms, plan)
        problems.extend(_check_sources(cited, coverage))
        problems.extend(_check_bullet_items(root, chapters, coverage))
    if (
        problems
        or chapters is None
        or questions is None
        or clinic is None
        or article is None
        or coverage is None
        or red_flags is None
        or selfcheck is None
        or symptoms is None
        or plan is None
        or page is None
        or screen is None
    ):
        raise InvalidContent(problems)
    return Content(
        chapters=chapters,
        questions=questions,
        clinic=clinic,
        article=article,
        coverage=coverage,
        red_flags=red_flags[0],
        care_cards=red_flags[1],
        risk_groups=tuple(RiskGroup(id=g.id, title=g.title) for g in selfcheck.groups),
        risk_factors=tuple(
            RiskFactor(**{**f.model_dump(), "strategies": tuple(f.strategies)}) for f in selfcheck.factors
        ),
        symptom_options=SymptomOptions(
            source=symptoms.source,
            choices_source=symptoms.choices_source,
            symptoms=tuple(Choice(id=c.id, label=c.label) for c in symptoms.symptoms),
            regions=tuple(Region(**r.model_dump()) for r in symptoms.regions),
            durations=tuple(Choice(id=c.id, label=c.label) for c in symptoms.durations),
            triggers=tuple(Choice(id=c.id, label=c.label) for c in symptoms.triggers),
        ),
        self_care=tuple(PlanItem(**i.model_dump()) for i in plan.self_care),
        prevention=tuple(PlanItem(**i.model_dump()) for i in plan.prevention),
        page=_page_text(page),
        text=screen,
    )


def _page_text(parsed: PageTextFile) -> PageText:
    """Flatten the page's texts: `ended.heading` becomes `ended_heading`."""
    fields = {}
    for section, values in parsed.model_dump().items():
        if isinstance(values, dict):
            fields.update({f"{section}_{name}": value for name, value in values.items()})
        else:
            fields[section] = values
    return PageText(**fields)


def shown(path: Path) -> str:
    """A path as the person editing content should see it: relative when under the cwd."""
    try:
        return os.path.relpath(path) if path.resolve().is_relative_to(Path.cwd()) else str(path)
    except ValueError:
        return str(path)


# ---------------------------------------------------------------------------------------------
# Files


def _read_article(root: Path, problems: list[ContentError]) -> str | None:
    path = root / ARTICLE_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        problems.append(ContentError(path=shown(path), hint=f"cannot be read: {error}"))
        return None
    if not text.strip():
        problems.append(ContentError(path=shown(path), hint="is empty"))
        return None
    return text


def _load_chapters(root: Path, problems: list[ContentError]) -> tuple[Chapter, ...] | None:
    folder = root / CHAPTER_DIR
    files = sorted(folder.glob("*.md"))
    if not files:
        problems.append(ContentError(path=shown(folder), hint="holds no chapter files (*.md)"))
        return None
    loaded: list[tuple[Path, Chapter]] = []
    before = len(problems)
    for path in files:
        chapter = _load_chapter(path, problems)
        if chapter is not None:
            loaded.append((path, chapter))
    problems.extend(_check_unique([(p, f"chapter {c.id!r}", "id", c.id) for p, c in loaded]))
    problems.extend(_check_unique([(p, f"chapter {c.id!r}", "step", c.step) for p, c in loaded]))
    chapters = [chapter for _, chapter in loaded]
    steps = sorted(c.step for c in chapters)
    if len(problems) == before and steps != list(range(1, len(steps) + 1)):
        problems.append(
            ContentError(
                path=shown(folder),
                field="step",
                hint="steps must run 1, 2, 3 ... with no gap",
                got=steps,
            )
        )
    if len(problems) > before:
        return None
    return tuple(sorted(chapters, key=lambda chapter: chapter.step))


def _load_chapter(path: Path, problems: list[ContentError]) -> Chapter | None:
    text = _read_text(path, problems)
    if text is None:
        return None
    if not text.startswith("---\n"):
        problems.append(
            ContentError(path=shown(path), line=1, hint="must start with a '---' front matter block")
        )
        return None
    head, separator, body = text[4:].partition("\n---\n")
    if not separator:
        problems.append(
            ContentError(path=shown(path), hint="front matter is not closed with a '---' line")
        )
        return None
    raw = _parse_yaml(path, head, problems, line_offset=1)
    if raw is MISSING:
        return None
    meta = _validate(path, ChapterFrontMatter, raw, problems, item=_chapter_item(raw))
    if meta is None:
        return None
    items, item_problems = _chapter_items(path, meta, body)
    problems.extend(item_problems)
    if item_problems:
        return None
    return Chapter(
        id=meta.id, step=meta.step, title=meta.title, key_message=meta.key_message, items=items,
        accordion=meta.accordion, part=meta.part,
    )


def _chapter_items(
    path: Path, meta: ChapterFrontMatter, body: str
) -> tuple[tuple[ChapterItem, ...], list[ContentError]]:
    """Split a chapter's text at its item markers and check each item."""
    chapter = f"chapter {meta.id!r}"
    problems: list[ContentError] = []
    markers = list(ITEM_MARKER.finditer(body))
    if not markers:
        problems.append(
            ContentError(
                path=shown(path), item=chapter, field="text",
                hint="has no item marker line '<!-- item: ID | source: SECTION -->'",
            )
        )
        return (), problems
    before = body[: markers[0].start()].strip()
    if before:
        problems.append(
            ContentError(
                path=shown(path), item=chapter, field="text",
                hint="has text before its first item marker", got=before.splitlines()[0],
            )
        )
    items = []
    for index, marker in enumerate(markers):
        end = markers[index + 1].start() if index + 1 < len(markers) else len(body)
        text = body[marker.end() : end].strip()
        where = f"{chapter} item {marker['id']!r}"
        if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", marker["id"]):
            problems.append(
                ContentError(path=shown(path), item=where, field="id",
                             hint="must be lower-case letters, digits and '-'", got=marker["id"])
            )
        if not text:
            problems.append(ContentError(path=shown(path), item=where, field="text", hint="is empty"))
        elif meta.accordion and not text.startswith("## "):
            problems.append(
                ContentError(path=shown(path), item=where, field="text",
                             hint="must start with a '## ' heading in an accordion chapter",
                             got=text.splitlines()[0])
            )
        for line in text.splitlines():
            if line.startswith("# "):
                problems.append(
                    ContentError(
                        path=shown(path), item=where, field="text",
                        hint="must not use a level-1 heading: the title is the page heading; use '##'",
                        got=line,
                    )
                )
        items.append(
            ChapterItem(id=marker["id"], source=marker["source"].strip(), markdown=text,
                        html=render_markdown(text))
        )
    problems.extend(_check_unique([(path, f"{chapter} item {i.id!r}", "id", i.id) for i in items]))
    return tuple(items), problems


def _load_questions(root: Path, problems: list[ContentError]) -> tuple[QuizQuestion, ...] | None:
    path = root / QUIZZES_FILE
    loaded = _load_yaml(path, QuizzesFile, problems)
    if loaded is None:
        return None
    raw, parsed = loaded
    before = len(problems)
    questions = [
        _validate(path, QuizQuestionFile, item, problems, loc=("questions", index), raw=raw)
        for index, item in enumerate(parsed.questions)
    ]
    valid = [question for question in questions if question is not None]
    problems.extend(_check_unique([(path, f"question {q.id!r}", "id", q.id) for q in valid]))
    for question in valid:
        problems.extend(_check_question(path, question))
    if len(problems) > before:
        return None
    return tuple(_question(question) for question in valid)


def _load_clinic(root: Path, problems: list[ContentError]) -> Clinic | None:
    parsed = _load_file(root / CLINIC_FILE, ClinicFile, problems, item="settings")
    if parsed is None:
        return None
    return Clinic(**parsed.model_dump())


def _load_file(path: Path, model: type[Model], problems: list[ContentError], *, item: str) -> Model | None:
    """Read, parse and validate one YAML file against its parsing model."""
    loaded = _load_yaml(path, model, problems, item=item)
    return None if loaded is None else loaded[1]


def _load_yaml(
    path: Path, model: type[Model], problems: list[ContentError], *, item: str | None = None
) -> tuple[Any, Model] | None:
    """Read, parse and validate one YAML file; return its raw data (for the line of each
    problem found later) with the parsing model, or None after recording what is wrong."""
    text = _read_text(path, problems)
    if text is None:
        return None
    raw = _parse_yaml(path, text, problems)
    if raw is MISSING:
        return None
    parsed = _validate(path, model, raw, problems, item=item)
    return None if parsed is None else (raw, parsed)


def _check_selfcheck(root: Path, selfcheck: SelfCheckFile, plan: PlanFile) -> Iterator[ContentError]:
    path = root / SELFCHECK_FILE
    groups = tuple(group.id for group in selfcheck.groups)
    strategies = tuple(item.id for item in plan.prevention)
    yield from _check_unique([(path, f"group {g.id!r}", "id", g.id) for g in selfcheck.groups])
    yield from _check_unique([(path, f"factor {f.id!r}", "id", f.id) for f in selfcheck.factors])
    for factor in selfcheck.factors:
        if factor.group not in groups:
            yield ContentError(path=shown(path), item=f"factor {factor.id!r}", field="group",
                               hint=f"must be one of {groups}", got=factor.group)
        for index, strategy in enumerate(factor.strategies):
            if strategy not in strategies:
                yield ContentError(
                    path=shown(path), item=f"factor {factor.id!r}", field=f"strategies[{index}]",
                    hint=f"must be a prevention strategy of plan.yaml {strategies}", got=strategy,
                )


def _check_symptoms(root: Path, symptoms: SymptomsFile) -> Iterator[ContentError]:
    path = root / SYMPTOMS_FILE
    for field in ("symptoms", "regions", "durations", "triggers"):
        yield from _check_unique(
            [(path, f"{field[:-1]} {c.id!r}", "id", c.id) for c in getattr(symptoms, field)]
        )
    yield from _check_unique(
        [(path, f"region {r.id!r}", "row, column", (r.row, r.column)) for r in symptoms.regions]
    )


def _check_plan(root: Path, plan: PlanFile) -> Iterator[ContentError]:
    path = root / PLAN_FILE
    for field in ("self_care", "prevention"):
        yield from _check_unique([(path, f"item {i.id!r}", "id", i.id) for i in getattr(plan, field)])


def _load_red_flags(
    root: Path, problems: list[ContentError]
) -> tuple[tuple[RedFlag, ...], tuple[CareCardText, ...]] | None:
    path = root / RED_FLAGS_FILE
    loaded = _load_yaml(path, RedFlagsFile, problems)
    if loaded is None:
        return None
    raw, parsed = loaded
    before = len(problems)
    flags = [
        _validate(path, RedFlagFile, item, problems, loc=("questions", index), raw=raw)
        for index, item in enumerate(parsed.questions)
    ]
    valid = [flag for flag in flags if flag is not None]
    problems.extend(_check_unique([(path, f"question {f.id!r}", "id", f.id) for f in valid]))
    for level in CARE_LEVELS:
        if level not in parsed.cards:
            problems.append(
                ContentError(path=shown(path), item="cards", field=level, hint="is required")
            )
    for level, card in parsed.cards.items():
        for field, value in [("heading", card.heading), *((f"bullets[{i}]", b) for i, b in enumerate(card.bullets))]:
            for name in _placeholders(value):
                if name not in CARD_PLACEHOLDERS:
                    problems.append(
                        ContentError(
                            path=shown(path), item=f"card {level!r}", field=field,
                            hint=f"uses {{{name}}}; a card may use only {CARD_PLACEHOLDERS}",
                            got=value,
                        )
                    )
    if len(problems) > before:
        return None
    return (
        tuple(RedFlag(**flag.model_dump()) for flag in valid),
        tuple(
            CareCardText(level=level, prefix=card.prefix, heading=card.heading, bullets=tuple(card.bullets))
            for level, card in sorted(parsed.cards.items(), key=lambda pair: CARE_LEVELS.index(pair[0]))
        ),
    )


def _placeholders(text: str) -> list[str]:
    try:
        return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError:
        return ["(an unclosed brace)"]


def _load_coverage(root: Path, article: str, problems: list[ContentError]) -> Coverage | None:
    path = root / COVERAGE_FILE
    parsed = _load_file(path, CoverageFile, problems, item="coverage")
    if parsed is None:
        return None
    before = len(problems)
    lines = {line.strip() for line in article.splitlines()}
    for index, section in enumerate(parsed.sections):
        if not all(part in lines for part in section.split(": ")):
            problems.append(
                ContentError(path=shown(path), item="coverage", field=f"sections[{index}]",
                             hint="is not a heading of the article", got=section)
            )
    questions = article_questions(article)
    for index, faq in enumerate(parsed.faqs):
        if faq not in questions:
            problems.append(
                ContentError(path=shown(path), item="coverage", field=f"faqs[{index}]",
                             hint="is not a question of the article's FAQs", got=faq)
            )
    bullets = article_bullets(article)
    for index, entry in enumerate(parsed.bullets):
        if not any(bullet.startswith(entry.bullet) for bullet in bullets):
            problems.append(
                ContentError(path=shown(path), item="coverage", field=f"bullets[{index}].bullet",
                             hint="is not the start of a bullet of the article", got=entry.bullet)
            )
    if len(problems) > before:
        return None
    return Coverage(
        sections=tuple(parsed.sections),
        faqs=tuple(parsed.faqs),
        bullets=tuple((entry.bullet, entry.item) for entry in parsed.bullets),
    )


# ---------------------------------------------------------------------------------------------
# Checks that span items or files


def known_sources(coverage: Coverage) -> frozenset[str]:
    """The sources a content item may name, besides added guidance ("Added: ...")."""
    return frozenset(coverage.sections) | {f"FAQs: {faq}" for faq in coverage.faqs}


def _cited_sources(
    root: Path,
    chapters: Sequence[Chapter],
    questions: Sequence[QuizQuestion],
    red_flags: tuple[tuple[RedFlag, ...], tuple[CareCardText, ...]] | None,
    selfcheck: SelfCheckFile | None,
    symptoms: SymptomsFile | None,
    plan: PlanFile | None,
) -> list[tuple[Path, str, str]]:
    """Every content item that names a source: (file, item, source)."""
    cited = [
        (root / CHAPTER_DIR, f"chapter {chapter.id!r} item {item.id!r}", item.source)
        for chapter in chapters
        for item in chapter.items
    ]
    cited += [(root / QUIZZES_FILE, f"question {q.id!r}", q.source) for q in questions]
    if red_flags is not None:
        cited += [(root / RED_FLAGS_FILE, f"question {f.id!r}", f.source) for f in red_flags[0]]
    if selfcheck is not None:
        cited += [(root / SELFCHECK_FILE, f"factor {f.id!r}", f.source) for f in selfcheck.factors]
        cited += [(root / SELFCHECK_FILE, f"factor {f.id!r}", f.helps_source) for f in selfcheck.factors]
    if symptoms is not None:
        cited.append((root / SYMPTOMS_FILE, "symptoms", symptoms.source))
        cited.append((root / SYMPTOMS_FILE, "symptoms", symptoms.choices_source))
    if plan is not None:
        cited += [
            (root / PLAN_FILE, f"item {i.id!r}", i.source) for i in (*plan.self_care, *plan.prevention)
        ]
    return cited


def _check_sources(
    cited: Sequence[tuple[Path, str, str]], coverage: Coverage
) -> Iterator[ContentError]:
    """Every content item's source names the article or says "Added: <guidance>"."""
    known = known_sources(coverage)
    hint = "must name a section or FAQ listed in coverage.yaml, or start with 'Added: '"
    for path, item, source in cited:
        if source not in known and not _is_added(source):
            yield ContentError(path=shown(path), item=item, field="source", hint=hint, got=source)


def _is_added(source: str) -> bool:
    return source.startswith(ADDED) and len(source) > len(ADDED)


def _check_bullet_items(
    root: Path, chapters: Sequence[Chapter], coverage: Coverage
) -> Iterator[ContentError]:
    references = {f"{chapter.id}/{item.id}" for chapter in chapters for item in chapter.items}
    for index, (_, item) in enumerate(coverage.bullets):
        if item not in references:
            yield ContentError(
                path=shown(root / COVERAGE_FILE), item="coverage", field=f"bullets[{index}].item",
                hint="is not a chapter item ('chapter-id/item-id')", got=item,
            )


def _check_question(path: Path, question: QuizQuestionFile) -> Iterator[ContentError]:
    item = f"question {question.id!r}"
    option_ids = tuple(option.id for option in question.options)
    yield from _check_unique(
        [(path, item, f"options[{i}].id", o.id) for i, o in enumerate(question.options)]
    )
    for index, answer in enumerate(question.correct):
        if answer not in option_ids:
            yield ContentError(
                path=shown(path),
                item=item,
                field=f"correct[{index}]",
                hint=f"must be one of {option_ids}",
                got=answer,
            )
    if question.kind in ("single", "true_false") and len(question.correct) != 1:
        yield ContentError(
            path=shown(path),
            item=item,
            field="correct",
            hint=f"a '{question.kind}' question must have exactly one right answer",
            got=question.correct,
        )
    if question.kind == "true_false" and sorted(option_ids) != ["false", "true"]:
        yield ContentError(
            path=shown(path),
            item=item,
            field="options",
            hint="a 'true_false' question must have the options 'true' and 'false'",
            got=list(option_ids),
        )
    if len(set(question.correct)) != len(question.correct):
        yield ContentError(
            path=shown(path), item=item, field="correct", hint="lists an option twice",
            got=question.correct,
        )


def _check_question_steps(
    root: Path, questions: Sequence[QuizQuestion], steps: set[int]
) -> Iterator[ContentError]:
    for question in questions:
        if question.step not in steps:
            yield ContentError(
                path=shown(root / QUIZZES_FILE),
                item=f"question {question.id!r}",
                field="step",
                hint=f"must be the step of a chapter (1 to {max(steps)})",
                got=question.step,
            )


def _check_unique(entries: Sequence[tuple[Path, str, str, object]]) -> Iterator[ContentError]:
    """Flag every entry whose key was already used; entries are (file, item name, field, key)."""
    seen: set[object] = set()
    for path, item, field, key in entries:
        if key in seen:
            yield ContentError(path=shown(path), item=item, field=field, hint="is used twice", got=key)
        seen.add(key)


def _question(parsed: QuizQuestionFile) -> QuizQuestion:
    return QuizQuestion(
        id=parsed.id,
        step=parsed.step,
        kind=parsed.kind,
        prompt=parsed.prompt,
        options=tuple(QuizOption(id=o.id, text=o.text, feedback=o.feedback) for o in parsed.options),
        correct=tuple(parsed.correct),
        reason=parsed.reason,
        source=parsed.source,
    )


# ---------------------------------------------------------------------------------------------
# Reading, parsing and turning pydantic errors into ContentErrors


def render_markdown(text: str) -> str:
    """Markdown to HTML with CommonMark rules; raw HTML in the text is shown, never run."""
    return _MARKDOWN.render(text)


_MARKDOWN = MarkdownIt("commonmark", {"html": False, "typographer": False})


def _read_text(path: Path, problems: list[ContentError]) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.append(ContentError(path=shown(path), hint="is missing"))
    except (OSError, UnicodeDecodeError) as error:
        problems.append(ContentError(path=shown(path), hint=f"cannot be read: {error}"))
    return None


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses a key given twice in one mapping."""

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


def _parse_yaml(path: Path, text: str, problems: list[ContentError], line_offset: int = 0) -> Any:
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
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
        return MISSING


def _validate(
    path: Path,
    model: type[Model],
    value: Any,
    problems: list[ContentError],
    *,
    item: str | None = None,
    loc: tuple[int | str, ...] = (),
    raw: Any = None,
) -> Model | None:
    """Validate `value` (found at `loc` inside the file's `raw` data) against a parsing model."""
    try:
        return model.model_validate(value)
    except ValidationError as error:
        problems.extend(_from_pydantic(path, error, value if raw is None else raw, item, loc))
        return None


def _from_pydantic(
    path: Path, error: ValidationError, raw: Any, item: str | None, prefix: tuple[int | str, ...]
) -> Iterator[ContentError]:
    for detail in error.errors():
        loc = (*prefix, *detail["loc"])
        item_name, field_loc = _split_item(loc, raw, item)
        yield ContentError(
            path=shown(path),
            item=item_name,
            field=_dotted(field_loc) or None,
            hint=_plain_message(detail),
            got=MISSING if detail["type"] == "missing" else detail.get("input", MISSING),
        )


def _split_item(
    loc: tuple[int | str, ...], raw: Any, item: str | None
) -> tuple[str | None, tuple[int | str, ...]]:
    """Split a pydantic location into the item it is in and the field path inside the item."""
    if len(loc) >= 2 and isinstance(loc[1], int) and loc[0] in ITEM_NOUNS:
        noun = ITEM_NOUNS[str(loc[0])]
        try:
            item_id = raw[loc[0]][loc[1]].get("id")
        except (AttributeError, IndexError, KeyError, TypeError):
            item_id = None
        name = f"{noun} {item_id!r}" if isinstance(item_id, str) else f"{noun} #{loc[1] + 1}"
        return name, loc[2:]
    return item, loc


def _chapter_item(raw: Any) -> str:
    chapter_id = raw.get("id") if isinstance(raw, dict) else None
    return f"chapter {chapter_id!r}" if isinstance(chapter_id, str) else "chapter"


def _dotted(loc: tuple[int | str, ...]) -> str:
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
    }
    if kind in plain:
        return plain[kind]()
    message = str(detail["msg"])
    return message.replace("Input should be", "must be")
