"""Read the structure of the source article: its headings, bullets and FAQ questions.

The article is plain text: headings are short lines of their own, bullets start with "•",
and FAQ questions start with "Q: ".
"""

from __future__ import annotations

BULLET = "•"
QUESTION = "Q: "


def article_bullets(text: str) -> tuple[str, ...]:
    """Every bullet of the article, without its bullet sign."""
    return tuple(
        line.strip()[len(BULLET):].strip() for line in text.splitlines() if line.strip().startswith(BULLET)
    )


def article_questions(text: str) -> tuple[str, ...]:
    """Every FAQ question of the article, without its "Q: "."""
    return tuple(line[len(QUESTION):].strip() for line in text.splitlines() if line.startswith(QUESTION))


def article_headings(text: str) -> tuple[str, ...]:
    """Every heading of the article below its title.

    A heading is a short line between blank lines that is no bullet, no FAQ line and does not
    end as a sentence does.
    """
    lines = [line.strip() for line in text.splitlines()]
    headings = []
    for index in range(1, len(lines) - 1):
        line = lines[index]
        if (
            line
            and not lines[index - 1]
            and not lines[index + 1]
            and len(line) <= 60
            and not line.startswith((BULLET, QUESTION, "A: "))
            and line[-1] not in ".:?!"
        ):
            headings.append(line)
    return tuple(headings)
