"""Validated, frozen content loaded from `data/`."""

from workbook.content.errors import ContentError, InvalidContent
from workbook.content.loader import default_data_dir, load_content
from workbook.content.models import (
    Chapter,
    ChapterItem,
    Clinic,
    Content,
    Coverage,
    QuizOption,
    QuizQuestion,
)

__all__ = [
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
