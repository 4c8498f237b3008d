"""Validated, frozen content loaded from `data/`: the one import the rest of the package uses.

The modules inside: `loader` (load_content), `source` (reading files with their lines),
`chapters` (chapter Markdown), `files`, `question_files`, `plan_files` and `safety_files`
(parsing models and their rules), `screen` (the screen words of `data/ui.yaml`), `integrity`
(checks across files), `safety` (the release's warnings, its sources line and the hazard log's
tests), `models` (domain objects), `errors` (ContentError), `article` (the article).
"""

from workbook.content.errors import ContentError, InvalidContent
from workbook.content.loader import default_data_dir, load_content
from workbook.content.models import (
    CARE_LEVELS,
    PART_NAMES,
    CareCardText,
    CareLevel,
    Chapter,
    ChapterItem,
    Choice,
    Clinic,
    Content,
    Coverage,
    Hazard,
    HazardControl,
    PageText,
    PlanItem,
    QuizOption,
    QuizQuestion,
    RedFlag,
    RedFlagGroup,
    Region,
    Release,
    ReleaseSource,
    Risk,
    RiskFactor,
    RiskGroup,
    SymptomOptions,
)

__all__ = [
    "Choice",
    "Hazard",
    "HazardControl",
    "Release",
    "ReleaseSource",
    "Risk",
    "PageText",
    "PlanItem",
    "Region",
    "RiskFactor",
    "RiskGroup",
    "SymptomOptions",
    "CARE_LEVELS",
    "PART_NAMES",
    "CareCardText",
    "CareLevel",
    "RedFlag",
    "RedFlagGroup",
    "Chapter",
    "ChapterItem",
    "Clinic",
    "Content",
    "Coverage",
    "ContentError",
    "InvalidContent",
    "QuizOption",
    "QuizQuestion",
    "default_data_dir",
    "load_content",
]
