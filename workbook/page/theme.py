"""The workbook's theme: its stylesheets, in order, served to the page as one file.

The theme is written in small files by job (tokens first, print last). The page links one
stylesheet, `static/workbook.css?v=<version>`, which the server makes from them: one request,
kept by the browser for as long as the theme is the same (the version changes with it), and
no build step. A chapter notebook carries the same text inline.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

STATIC = Path(__file__).parents[1] / "ui" / "share" / "voila" / "templates" / "workbook" / "static"
# In the order they apply: tokens, the page, components (frame to controls), then print.
THEME_FILES = tuple(
    STATIC / "css" / name
    for name in (
        "tokens.css", "base.css", "frame.css", "content.css", "questions.css", "parts.css",
        "controls.css", "print.css",
    )
)
# Where the page finds the theme, under the template's static files.
THEME_PATH = "static/workbook.css"


@functools.cache
def theme_css() -> str:
    """The whole theme as one stylesheet."""
    return "\n".join(path.read_text(encoding="utf-8") for path in THEME_FILES)


@functools.cache
def theme_version() -> str:
    """A short fingerprint of the theme: it changes whenever the theme does."""
    return hashlib.sha256(theme_css().encode("utf-8")).hexdigest()[:16]
