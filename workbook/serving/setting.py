"""What a serving setting is: its definition (`Setting`), the way a `ServeSettings` field
carries one (`setting`), and the check most counts share (`positive`). The definitions
themselves are in `workbook.serving.settings`."""

from __future__ import annotations

import typing
from collections.abc import Callable
from dataclasses import dataclass, field


def positive(value: int) -> str | None:
    """What is wrong with a count that must be 1 or more; None when it is."""
    return None if value >= 1 else f"must be 1 or more (got {value})"


@dataclass(frozen=True, slots=True)
class Setting:
    """One serving setting, as everything that shows or passes it reads it.

    Args:
        name: the setting's name: a `ServeSettings` field, and the option `--name-with-dashes`.
        help: what it does, in words that fit the option's help, the trait's help and the
            README alike (lower case, no default, no full stop).
        default: its value when not given; None when it is worked out (`default_help`).
        type: how its value is read from the command line (`int`, `str`, `Path`).
        check: what is wrong with a value (`positive`); None when every value of its type is good.
        voila: what it sets on Voilà's command line: a trait, as `Class.trait`, or one of Voilà's
            own options; None when it does not reach Voilà that way.
        default_help: the default in words: how it is worked out (with no `default`), or what
            the `default` means.
        default_now: what the worked-out default is on this machine, for the option's help.
        off: what the trait's empty value (0) means, for the trait's help.
        metavar: the option's placeholder for its value.
        repeatable: the option may be given more than once, each time with one value.
        option: it is an option of `workbook serve`.
        option_name: the option's name when it is not the setting's (one value of a
            repeatable setting: `server_name` for `server_names`).
    """

    name: str
    help: str
    default: object = None
    type: Callable[[str], object] = str
    check: Callable[[typing.Any], str | None] | None = None
    voila: str | None = None
    default_help: str = ""
    default_now: Callable[[], object] | None = None
    off: str = ""
    metavar: str | None = None
    repeatable: bool = False
    option: bool = True
    option_name: str = ""

    @property
    def flag(self) -> str:
        """The option on `workbook serve`'s command line."""
        return "--" + (self.option_name or self.name).replace("_", "-")

    @property
    def default_words(self) -> str:
        """The default as the option's help and the README give it; empty for a repeatable option."""
        if self.repeatable:
            return ""
        if self.default is None:
            return self.default_help
        return f"{self.default}: {self.default_help}" if self.default_help else str(self.default)

    def option_help(self) -> str:
        """The option's help: what it does, and its default (on this machine, when worked out)."""
        if self.repeatable:
            return f"{self.help} (repeatable)"
        words = self.default_words
        if self.default_now is not None:
            words += f", now {self.default_now()}"
        return f"{self.help} (default{':' if self.default is None else ''} {words})"

    @property
    def sentence(self) -> str:
        """The help as a sentence."""
        return f"{self.help[0].upper()}{self.help[1:]}."

    @property
    def trait_help(self) -> str:
        """The help of the trait it sets: the same sentence, with what 0 means there."""
        return f"{self.sentence[:-1]} ({self.off})." if self.off else self.sentence

    def trait(self, kind: Callable[..., typing.Any], *args: object) -> typing.Any:
        """The trait of a configurable that this setting sets: `kind(*args)` (the setting's own
        default when `args` give none), configurable, with the trait's help."""
        return kind(*(args or (self.default,)), config=True, help=self.trait_help)

    def problem(self, value: object) -> str | None:
        """What is wrong with `value`, as `check` says; None when nothing is (or it is not set)."""
        if value is None or self.check is None:
            return None
        return self.check(value)

    def voila_arguments(self, value: object) -> list[str]:
        """Its part of Voilà's command line for `value`: one `--Class.trait=value` for each value."""
        if self.voila is None or value is None:
            return []
        values = value if isinstance(value, tuple) else (value,)
        return [f"--{self.voila}={one}" for one in values]


def setting(default: object = None, **definition) -> typing.Any:
    """A `ServeSettings` field defined by a `Setting` (its `name` and `type` come from the field)."""
    return field(default=default, metadata={"setting": definition})
