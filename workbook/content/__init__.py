"""Validated, frozen content loaded from `data/`: the one import the rest of the package uses.

The modules inside: `loader` (load_content), `source` (reading files with their lines),
`chapters` (chapter Markdown), `files`, `question_files`, `plan_files` and `safety_files`
(parsing models and their rules), `screen` (the screen words of `data/ui.yaml`), `integrity`
(checks across files), `safety` (the release's warnings, its sources line and the hazard log's
tests), `models` (domain objects: chapters, questions, clinic settings and `Content`, beside
`redflag_models`, `plan_models` and `safety_models`), `errors` (ContentError), `article` (the
article).
"""

from workbook.content.errors import ContentError, InvalidContent
from workbook.content.loader import default_data_dir, load_content
from workbook.content.models import (
    PART_NAMES,
    Chapter,
    ChapterItem,
    Clinic,
    Content,
    Coverage,
    PageText,
    QuizOption,
    QuizQuestion,
)
from workbook.content.plan_models import Choice, PlanItem, Region, RiskFactor, RiskGroup, SymptomOptions
from workbook.content.redflag_models import CARE_LEVELS, CareCardText, CareLevel, RedFlag, RedFlagGroup
from workbook.content.safety_models import Hazard, HazardControl, Release, ReleaseSource, Risk

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
