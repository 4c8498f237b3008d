"""Validated, frozen content loaded from `data/`."""

from workbook.content.errors import ContentError, InvalidContent
from workbook.content.loader import default_data_dir, load_content
from workbook.content.models import Chapter, Clinic, Content, QuizOption, QuizQuestion

__all__ = [
    "Chapter",
    "Clinic",
    "Content",
    "ContentError",
    "InvalidContent",
    "QuizOption",
    "QuizQuestion",
    "default_data_dir",
    "load_content",
]
