"""Helpers shared by every test layer."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from workbook.content.loader import DEFAULT_DATA_DIR


def pytest_configure(config: pytest.Config) -> None:
    # Once per run: in the main process, not in each pytest-xdist test process.
    if not hasattr(config, "workerinput"):
        from tests.browser.pages import fresh_artifacts

        fresh_artifacts()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of the real `data/`, to break or change in one test."""
    target = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, target)
    return target


@pytest.fixture
def edit(data_copy: Path) -> Callable[[str, str, str], Path]:
    """Replace text in a file of the data copy; fails if the text is not there."""

    def replace(relative: str, old: str, new: str) -> Path:
        path = data_copy / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not found in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return path

    return replace
