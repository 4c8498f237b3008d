"""The README's list of what the workbook relies on in Voilà, Jupyter Server and tornado names
every route, setting, method, attribute and template check that the server makes at start."""

from __future__ import annotations

from pathlib import Path

from workbook.serving import support

README = Path(__file__).resolve().parents[2] / "README.md"


def relied_on_section(text: str) -> str:
    start = text.index("### What the workbook relies on in Voilà and Jupyter Server")
    return text[start:text.index("\n### ", start + 10)]


def checked_names() -> set[str]:
    """Every name `support.py` checks before the server starts."""
    names = set(support.DROPPED_ROUTES) | {handler.__name__ for handler in support.DROPPED_HANDLERS}
    names |= set(support.NEEDED_SETTINGS) | set(support.NEEDED_APP_SETTINGS)
    names |= {name for methods in support.SERVER_SUPPORT.values() for name in methods}
    names |= {owner.__name__ for owner in support.SERVER_SUPPORT if owner.__name__ != "Voila"}
    names |= set(support.HANDLER_SUPPORT) | set(support.VOILA_POOL_SUPPORT)
    return names | {support.PAGE_TEMPLATE}


def missing_from(section: str) -> list[str]:
    return sorted(name for name in checked_names() if f"`{name}`" not in section)


def test_the_readme_names_everything_the_server_checks_at_start():
    assert missing_from(relied_on_section(README.read_text(encoding="utf-8"))) == []


def test_a_check_the_readme_does_not_name_is_found(monkeypatch):
    monkeypatch.setattr(support, "HANDLER_SUPPORT", {**support.HANDLER_SUPPORT, "_new_flag": "to test"})
    assert missing_from(relied_on_section(README.read_text(encoding="utf-8"))) == ["_new_flag"]
