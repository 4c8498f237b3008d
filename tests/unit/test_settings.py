"""One definition per serving setting (`workbook.serving.settings.SETTINGS`): the options of
`workbook serve`, the settings' checks, the Voilà command line, the traits' help and the
README's table are all made from it, and agree with it."""

from __future__ import annotations

import os
import shutil
from dataclasses import fields
from pathlib import Path

import pytest

from workbook import cli
from workbook.serving.app import WorkbookVoila
from workbook.serving.kernels import WorkbookKernelManager
from workbook.serving.settings import SETTINGS, ServeSettings, settings_table, voila_command

README = Path(__file__).resolve().parents[2] / "README.md"
TABLE_START = "<!-- serving settings:"
TABLE_END = "<!-- end of serving settings -->"
# The workbook's own traits, and the setting whose definition each one's help and default come from.
TRAITS = {
    (WorkbookKernelManager, "max_kernels"): "max_patients",
    (WorkbookKernelManager, "places_per_address"): "places_per_address",
    (WorkbookKernelManager, "claim_seconds"): "claim_seconds",
    (WorkbookKernelManager, "answer_seconds"): "answer_seconds",
    (WorkbookVoila, "server_names"): "server_names",
    (WorkbookVoila, "proxy_addresses"): "proxy_addresses",
    (WorkbookVoila, "header_seconds"): "header_seconds",
}


def table_differences(readme: Path) -> list[str]:
    """How the README's table of serving settings differs from the definitions' (`settings_table`):
    each line only one of them has, as `README: ...` or `settings: ...`; empty when they agree."""
    text = readme.read_text(encoding="utf-8")
    if TABLE_START not in text or TABLE_END not in text:
        return [f"{readme.name}: no table of serving settings between {TABLE_START!r} and {TABLE_END!r}"]
    in_readme = text.split(TABLE_START, 1)[1].split("\n", 1)[1].split(TABLE_END, 1)[0].splitlines()
    made = settings_table().splitlines()
    return [f"{readme.name}: {line}" for line in in_readme if line not in made] + [
        f"settings: {line}" for line in made if line not in in_readme
    ]


def test_the_readme_table_is_the_definitions():
    differences = table_differences(README)
    assert differences == [], "\n".join(
        [*differences, "", "the README's table of serving settings (README.md) should be:", settings_table()]
    )


def test_a_readme_table_that_disagrees_is_named(tmp_path):
    copy = tmp_path / "README.md"
    shutil.copy(README, copy)
    text = copy.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| `--claim-seconds` | 30 |"))
    copy.write_text(text.replace(row, row.replace("| 30 |", "| 40 |")), encoding="utf-8")
    assert table_differences(copy) == [
        f"README.md: {row.replace('| 30 |', '| 40 |')}",
        f"settings: {row}",
    ]
    copy.write_text(text.replace(TABLE_END, ""), encoding="utf-8")
    assert table_differences(copy)[0].startswith("README.md: no table of serving settings")


def test_every_option_of_serve_is_made_from_its_setting(capsys):
    with pytest.raises(SystemExit):
        cli.main(["serve", "--help"])
    usage = " ".join(capsys.readouterr().out.split())
    options = [each for each in SETTINGS.values() if each.option]
    assert [each.flag for each in options] == [
        "--host", "--port", "--pool-size", "--cull-after", "--max-patients", "--places-per-address",
        "--claim-seconds", "--server-name", "--proxy-address", "--data-dir", "--workers",
    ]
    for each in options:
        assert " ".join(each.option_help().split()) in usage
    args = cli._parser().parse_args(["serve"])
    for each in options:
        assert getattr(args, each.name) == ([] if each.repeatable else each.default)
    assert {each.name for each in fields(ServeSettings)} - {each.name for each in options} == {"notebook"}


def test_the_workbooks_traits_take_their_help_and_default_from_the_settings():
    for (owner, name), setting in TRAITS.items():
        trait = owner.class_traits()[name]
        assert trait.help == SETTINGS[setting].trait_help
        if not SETTINGS[setting].off and not SETTINGS[setting].repeatable:
            assert trait.default_value == SETTINGS[setting].default
    assert WorkbookKernelManager.class_traits()["max_kernels"].help.endswith("(0: no limit).")


def test_voila_is_given_every_setting_that_reaches_it():
    settings = ServeSettings(
        host="10.0.0.5", port=9001, pool_size=3, cull_after=45, max_patients=12, places_per_address=5,
        claim_seconds=9, server_names=("clinic-pc", "clinic-pc.trust.example"), proxy_addresses=("10.0.0.9",),
    )
    argv = voila_command(settings)
    for each in fields(settings):
        value = getattr(settings, each.name)
        for one in value if isinstance(value, tuple) else (value,):
            if SETTINGS[each.name].voila:
                assert f"--{SETTINGS[each.name].voila}={one}" in argv
    assert "--Voila.ip=10.0.0.5" in argv and "--port=9001" in argv
    assert len(argv) == len(set(argv))


@pytest.mark.parametrize("name", ["cull_after", "max_patients", "places_per_address", "claim_seconds"])
def test_a_setting_refuses_what_its_check_refuses(name, monkeypatch, capsys):
    with pytest.raises(ValueError, match=rf"^{name}: must be 1 or more \(got 0\)$"):
        ServeSettings(**{name: 0})
    monkeypatch.setattr(os, "execve", lambda *args: pytest.fail("must not start"))
    for text, message in (("0", "must be 1 or more (got 0)"), ("x", "invalid positive value: 'x'")):
        with pytest.raises(SystemExit):
            cli.main(["serve", SETTINGS[name].flag, text])
        assert f"argument {SETTINGS[name].flag}: {message}" in capsys.readouterr().err
