"""An initiative's latest reach, as the programme records it, for the line under an indicator.

This is a count the programme states (people reached), not a statistic: the report adds up the
districts' counts for the latest period up to the follow-up year, and withholds the sum when it
is below the suppression threshold.
"""

from __future__ import annotations

from jamlik.data import TOTAL, period_midpoint
from jamlik.programme import Initiative


def latest_reach(
    initiative: Initiative, year: int, min_population: float, area: str | None = None
) -> tuple[str, int | None] | None:
    """(period, people reached) for the latest period that begins by the end of `year`.

    Uses the row for `area` (the area followed) when the programme gives one, else the sum over
    the areas it gives. The count is None when it is positive and below `min_population`; the
    result is None
    when the initiative reports no reach for the whole population up to that year.
    """
    rows = [
        r
        for r in initiative.reach
        if r.dimension == TOTAL and r.subgroup == TOTAL and period_midpoint(r.period) < year + 1
    ]
    if not rows:
        return None
    latest = max(rows, key=lambda r: period_midpoint(r.period)).period
    in_period = [r for r in rows if r.period == latest]
    whole = [r for r in in_period if area is not None and r.area == area]
    reached = sum(r.reached for r in (whole or in_period))
    # 1–9 people reached could be recognised; none reached reveals nobody.
    return latest, (reached if reached == 0 or reached >= min_population else None)
