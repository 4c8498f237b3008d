"""The risk-factor self-check: a profile of the factors the article names. Pure, no widgets.

This is a profile, not a validated clinical score; every screen that shows it says so.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from workbook.content import RiskFactor, RiskGroup


@dataclass(frozen=True, slots=True)
class GroupCount:
    """How many factors of a group are ticked, out of how many."""

    group: str
    title: str
    ticked: int
    total: int


def group_counts(
    factors: Sequence[RiskFactor], ticked: Collection[str], groups: Sequence[RiskGroup]
) -> tuple[GroupCount, ...]:
    """Ticked and total factors per group, in the groups' order; a group with no factor is left out.

    Plain Python, not pandas: the served chart needs a handful of sums, and a kernel that never
    imports pandas starts the first chart half a second sooner and holds less memory.

    Raises:
        ValueError: a ticked id that is no factor.
    """
    unknown = sorted(set(ticked) - {factor.id for factor in factors})
    if unknown:
        raise ValueError(f"self-check: {unknown[0]!r} is not a risk factor")
    counts = []
    for group in groups:
        members = [f for f in factors if f.group == group.id]
        if members:
            counts.append(GroupCount(group.id, group.title, sum(f.id in ticked for f in members), len(members)))
    return tuple(counts)


def tick_group(
    factors: Sequence[RiskFactor], ticked: Collection[str], group: str, group_ticked: Collection[str]
) -> tuple[str, ...]:
    """All ticked factors after one group's ticks change: the other groups' ticks are kept,
    and the result is in the factors' order."""
    kept = {f.id for f in factors if f.id in ticked and f.group != group}
    now = kept | {f.id for f in factors if f.id in group_ticked and f.group == group}
    return tuple(f.id for f in factors if f.id in now)
