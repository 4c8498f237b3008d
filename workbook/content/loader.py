"""Load `data/` once into frozen, validated content.

Every file is checked in full and every problem is collected, so that one run of
`workbook check` lists all that needs fixing. Nothing half-valid is ever returned. This module
only orchestrates: reading is in `source.py` and `chapters.py`, the rules of each file in
`files.py`, `question_files.py`, `plan_files.py`, `safety_files.py` and `screen.py`, the checks
across files in `integrity.py`.
"""

from __future__ import annotations

import os
from pathlib import Path

from workbook.content.chapters import CHAPTER_DIR, load_chapters, render_markdown
from workbook.content.errors import ContentError, InvalidContent
from workbook.content.files import ClinicFile, CoverageFile, PageTextFile
from workbook.content.integrity import (
    check_bullet_items,
    check_coverage,
    check_question_steps,
    check_region_signs,
    check_sources,
    check_strategies,
    citations,
    known_sources,
)
from workbook.content.models import Content, Coverage
from workbook.content.plan_files import PlanFile, SelfCheckFile, SymptomsFile
from workbook.content.question_files import QuizzesFile, RedFlagsFile
from workbook.content.safety_files import HazardsFile, ReleaseFile
from workbook.content.screen import ScreenText
from workbook.content.source import YamlSource, load_yaml, shown

__all__ = [
    "ARTICLE_FILE",
    "CHAPTER_DIR",
    "DATA_DIR_VARIABLE",
    "DEFAULT_DATA_DIR",
    "default_data_dir",
    "known_sources",
    "load_content",
    "render_markdown",
    "shown",
]

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / "data"
# Names another content folder for every `load_content()` without one: `workbook serve --data-dir`
# hands it to the kernels this way, and a test points a notebook at a copy of `data/` with it.
DATA_DIR_VARIABLE = "WORKBOOK_DATA_DIR"
ARTICLE_FILE = Path("source") / "muscle-spasms-in-back.txt"
QUIZZES_FILE = Path("quizzes.yaml")
CLINIC_FILE = Path("clinic.yaml")
COVERAGE_FILE = Path("coverage.yaml")
RED_FLAGS_FILE = Path("redflags.yaml")
SELFCHECK_FILE = Path("risk_factors.yaml")
SYMPTOMS_FILE = Path("symptoms.yaml")
PLAN_FILE = Path("plan.yaml")
PAGE_FILE = Path("page.yaml")
SCREEN_FILE = Path("ui.yaml")
RELEASE_FILE = Path("release.yaml")
HAZARDS_FILE = Path("hazards.yaml")


def default_data_dir() -> Path:
    """The data directory: $WORKBOOK_DATA_DIR if set and not empty, else the project's `data/`."""
    return Path(os.environ.get(DATA_DIR_VARIABLE) or DEFAULT_DATA_DIR)


def load_content(data_dir: str | os.PathLike[str] | None = None) -> Content:
    """Load and validate every content file.

    Args:
        data_dir: the folder holding the content; defaults to `default_data_dir()`.

    Returns:
        The frozen content.

    Raises:
        InvalidContent: one or more problems, each naming file, item, field and value, and
            carrying the line it is on.
    """
    root = Path(data_dir) if data_dir is not None else default_data_dir()
    problems: list[ContentError] = []
    article = _read_article(root, problems)
    chapters = load_chapters(root, problems)
    quizzes = load_yaml(root / QUIZZES_FILE, QuizzesFile, problems)
    clinic = load_yaml(root / CLINIC_FILE, ClinicFile, problems, item="settings")
    red_flags = load_yaml(root / RED_FLAGS_FILE, RedFlagsFile, problems)
    selfcheck = load_yaml(root / SELFCHECK_FILE, SelfCheckFile, problems, item="self-check")
    symptoms = load_yaml(root / SYMPTOMS_FILE, SymptomsFile, problems, item="symptoms")
    plan = load_yaml(root / PLAN_FILE, PlanFile, problems, item="plan")
    page = load_yaml(root / PAGE_FILE, PageTextFile, problems, item="page")
    screen = load_yaml(root / SCREEN_FILE, ScreenText, problems, item="screen")
    release = load_yaml(root / RELEASE_FILE, ReleaseFile, problems, item="release")
    hazards = load_yaml(root / HAZARDS_FILE, HazardsFile, problems)
    if selfcheck is not None and plan is not None:
        problems.extend(check_strategies(selfcheck[0], selfcheck[1], plan[1]))
    coverage = _load_coverage(root, article, problems) if article is not None else None
    if chapters is not None and quizzes is not None:
        problems.extend(check_question_steps(*quizzes, chapters))
    if symptoms is not None and red_flags is not None:
        problems.extend(check_region_signs(symptoms, red_flags))
    if coverage is not None and chapters is not None and quizzes is not None:
        cited = citations(root, chapters, quizzes, red_flags, selfcheck, symptoms, plan)
        problems.extend(check_sources(cited, coverage[2]))
        problems.extend(check_bullet_items(coverage[0], coverage[1], chapters))
    if (
        problems
        or chapters is None
        or quizzes is None
        or clinic is None
        or article is None
        or coverage is None
        or red_flags is None
        or selfcheck is None
        or symptoms is None
        or plan is None
        or page is None
        or screen is None
        or release is None
        or hazards is None
    ):
        raise InvalidContent(problems)
    flags, flag_groups, cards, card_words = red_flags[1].to_domain()
    risk_groups, risk_factors = selfcheck[1].to_domain()
    self_care, prevention = plan[1].to_domain()
    return Content(
        chapters=tuple(entry.chapter for entry in chapters),
        questions=quizzes[1].to_domain(),
        clinic=clinic[1].to_domain(),
        article=article,
        coverage=coverage[2],
        red_flags=flags,
        red_flag_groups=flag_groups,
        care_cards=cards,
        card_words=card_words,
        risk_groups=risk_groups,
        risk_factors=risk_factors,
        symptom_options=symptoms[1].to_domain(),
        self_care=self_care,
        prevention=prevention,
        page=page[1].to_domain(),
        text=screen[1],  # frozen and strict: the words are used as they are validated
        release=release[1].to_domain(),
        hazards=hazards[1].to_domain(),
    )


def _load_coverage(
    root: Path, article: str, problems: list[ContentError]
) -> tuple[YamlSource, CoverageFile, Coverage] | None:
    """coverage.yaml, checked against the article; None after recording what is wrong."""
    loaded = load_yaml(root / COVERAGE_FILE, CoverageFile, problems, item="coverage")
    if loaded is None:
        return None
    found = list(check_coverage(*loaded, article))
    problems.extend(found)
    return None if found else (*loaded, loaded[1].to_domain())


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
