"""The risk-factor self-check: a profile of the factors the article names. Pure, no widgets.

This is a profile, not a validated clinical score; every screen that shows it says so.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

from workbook.content import RiskFactor, RiskGroup

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = ["group", "factor", "ticked", "modifiable"]


def risk_profile(factors: Sequence[RiskFactor], ticked: Collection[str]) -> pd.DataFrame:
    """One row per factor: its group, its id, whether it is ticked and whether it can change.

    Raises:
        ValueError: a ticked id that is no factor.
    """
    known = {factor.id for factor in factors}
    unknown = sorted(set(ticked) - known)
    if unknown:
        raise ValueError(f"self-check: {unknown[0]!r} is not a risk factor")
    import pandas as pd  # only when a profile is made (the chart): a kernel starts without it

    return pd.DataFrame(
        [(f.group, f.id, f.id in ticked, f.modifiable) for f in factors], columns=COLUMNS
    )


def group_counts(profile: pd.DataFrame, groups: Sequence[RiskGroup]) -> pd.DataFrame:
    """Ticked and total factors per group, in the groups' order, with the groups' titles."""
    counts = profile.groupby("group", sort=False).agg(ticked=("ticked", "sum"), total=("factor", "size"))
    titles = {group.id: group.title for group in groups}
    ordered = [group.id for group in groups if group.id in counts.index]
    table = counts.loc[ordered].reset_index()
    table.insert(1, "title", [titles[group] for group in table["group"]])
    return table.astype({"ticked": int, "total": int})


def tick_group(
    factors: Sequence[RiskFactor], ticked: Collection[str], group: str, group_ticked: Collection[str]
) -> tuple[str, ...]:
    """All ticked factors after one group's ticks change: the other groups' ticks are kept,
    and the result is in the factors' order."""
    kept = {f.id for f in factors if f.id in ticked and f.group != group}
    now = kept | {f.id for f in factors if f.id in group_ticked and f.group == group}
    return tuple(f.id for f in factors if f.id in now)
