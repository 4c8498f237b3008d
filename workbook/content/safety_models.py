"""The clinical safety case's domain objects: the content's release (version, review, sources)
and the hazard log (DCB0129), with its risk matrix.

Built from `data/release.yaml` and `data/hazards.yaml` by `safety_files.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal, get_args

# The hazard log's scales (DCB0129), lowest first.
Severity = Literal["minor", "significant", "considerable", "major", "catastrophic"]
Likelihood = Literal["very_low", "low", "medium", "high", "very_high"]
SEVERITIES: tuple[Severity, ...] = get_args(Severity)
LIKELIHOODS: tuple[Likelihood, ...] = get_args(Likelihood)
# The DCB0129 risk matrix: the rating (1 to 5) of each likelihood, by severity in SEVERITIES order.
RISK_MATRIX: dict[Likelihood, tuple[int, int, int, int, int]] = {
    "very_high": (3, 4, 4, 5, 5),
    "high": (2, 3, 3, 4, 5),
    "medium": (2, 2, 3, 3, 4),
    "low": (1, 2, 2, 3, 4),
    "very_low": (1, 1, 2, 2, 3),
}
RISK_WORDS = {1: "Very low", 2: "Low", 3: "Medium", 4: "High", 5: "Very high"}


@dataclass(frozen=True, slots=True)
class ReleaseSource:
    """A page the content was checked against, and the day it was read."""

    title: str
    read_on: date
    url: str | None = None
    publisher: str | None = None  # e.g. "NHS"; sources of one publisher share it in the sources line
    cited_as: str | None = None  # its own words in the sources line, instead of its title


@dataclass(frozen=True, slots=True)
class Release:
    """The version of the content, who reviewed it and when, and what it was checked against."""

    content_version: str
    reviewed_on: date
    next_review_by: date
    reviewed_by: str
    sources_label: str
    sources: tuple[ReleaseSource, ...]


@dataclass(frozen=True, slots=True)
class Risk:
    """A hazard's risk: how bad its harm is and how likely it is, rated by RISK_MATRIX."""

    severity: Severity
    likelihood: Likelihood

    @property
    def rating(self) -> int:
        """1 (very low) to 5 (very high)."""
        return RISK_MATRIX[self.likelihood][SEVERITIES.index(self.severity)]

    @property
    def words(self) -> str:
        """The rating in words with what it comes from: "3 Medium (major × low)"."""
        scales = f"{self.severity} × {self.likelihood.replace('_', ' ')}"
        return f"{self.rating} {RISK_WORDS[self.rating]} ({scales})"


@dataclass(frozen=True, slots=True)
class HazardControl:
    """What keeps a hazard from harm, and the tests that show it works ("tests/<file>.py::<name>")."""

    control: str
    tests: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Hazard:
    """One hazard of the hazard log: what goes wrong, why, its harm, and its risk before and after
    its controls."""

    id: str
    hazard: str
    causes: tuple[str, ...]
    effect: str
    initial_risk: Risk
    controls: tuple[HazardControl, ...]
    remaining_risk: Risk
