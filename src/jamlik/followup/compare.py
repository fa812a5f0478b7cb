"""Areas and groups against a benchmark: the explorer's overview and compare-areas views.

Everything here works on frames that have been through röjandekontroll already
(`jamlik.data.publish.published_observations`, whole tables): a hidden cell has no estimate and
is shown as hidden with its reason, never compared. Significance is Fingertips' method
(`jamlik.followup.significance`): the value's interval at 95 % and 99.8 % against the benchmark's
value.

- `area_values`: one indicator in one period, every area's total with its category against a
  benchmark area (the municipality by default);
- `group_values`: one indicator, one area, one dimension: every subgroup against the area's
  total;
- `latest_with_benchmark`: the latest period in which the benchmark has a value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from jamlik.data import TOTAL, Indicator, period_midpoint
from jamlik.data.suppression import SECONDARY, SUPPRESSION_FLAGS
from jamlik.followup.series import num
from jamlik.followup.significance import Category, Method, Value, categorise, interval

PROPORTION_SCALES = (1.0, 100.0)


@dataclass(frozen=True)
class Compared:
    """One value against the benchmark."""

    key: str  # area id or subgroup id
    estimate: float | None
    ci_lb: float | None  # 95 % interval as used for the comparison
    ci_ub: float | None
    ci_lb_998: float | None
    ci_ub_998: float | None
    population: float | None
    numerator: float | None
    denominator: float | None
    se: float | None
    category: Category
    method: str
    suppressed: bool = False
    secondary: bool = False


def value_of(row: dict, ind: Indicator) -> Value:
    scale = ind.scale if ind.scale in PROPORTION_SCALES else None
    return Value(
        estimate=num(row.get("estimate")),
        se=num(row.get("se")),
        ci_lb=num(row.get("ci_lb")),
        ci_ub=num(row.get("ci_ub")),
        numerator=num(row.get("numerator")),
        denominator=num(row.get("denominator")),
        scale=scale,
    )


def compared(
    key: str, row: dict | None, ind: Indicator, benchmark: float | None, is_benchmark: bool
) -> Compared:
    """One row (a dict of a published frame's columns, or None) against the benchmark."""
    if row is None:
        return Compared(
            key, None, None, None, None, None, None, None, None, None, "no_data", "none"
        )
    flag = row.get("flag")
    hidden = isinstance(flag, str) and flag in SUPPRESSION_FLAGS
    pop = num(row.get("population"))
    if hidden:
        return Compared(
            key, None, None, None, None, None, pop, None, num(row.get("denominator")), None,
            "suppressed", "none", True, flag == SECONDARY,
        )  # fmt: skip
    v = value_of(row, ind)
    category: Category
    method: Method
    if is_benchmark:
        category, method = "benchmark", "none"
    else:
        category, method = categorise(v, benchmark, ind.favourable)
    i95, i998 = interval(v, 0.95), interval(v, 0.998)
    return Compared(
        key, v.estimate,
        i95[0] if i95 else None, i95[1] if i95 else None,
        i998[0] if i998 else None, i998[1] if i998 else None,
        pop, v.numerator, v.denominator, v.se, category, method if i95 else "none",
    )  # fmt: skip


def latest_with_benchmark(totals: pd.DataFrame, benchmark: str) -> str | None:
    """The latest period in which the benchmark area's total has a value."""
    rows = totals[(totals["area"] == benchmark) & totals["estimate"].notna()]
    if not len(rows):
        return None
    return max(pd.unique(rows["period"]), key=period_midpoint)


def totals_of(published: pd.DataFrame) -> pd.DataFrame:
    return published[(published["dimension"] == TOTAL) & (published["subgroup"] == TOTAL)]


def area_values(
    published: pd.DataFrame,
    ind: Indicator,
    areas: Sequence[str],
    benchmark: str,
    period: str | None = None,
) -> tuple[str | None, float | None, list[Compared]]:
    """(period, benchmark value, one `Compared` per area in `areas`' order)."""
    totals = totals_of(published)
    totals = totals[totals["indicator"] == ind.id]
    period = period or latest_with_benchmark(totals, benchmark)
    if period is None:
        return None, None, [compared(a, None, ind, None, a == benchmark) for a in areas]
    now = totals[totals["period"] == period].drop_duplicates("area")
    rows = {r["area"]: r for r in now.to_dict("records")}
    bench = num(rows[benchmark]["estimate"]) if benchmark in rows else None
    return period, bench, [compared(a, rows.get(a), ind, bench, a == benchmark) for a in areas]


def group_values(
    published: pd.DataFrame,
    ind: Indicator,
    area: str,
    dimension: str,
    period: str | None = None,
) -> tuple[str | None, float | None, list[Compared]]:
    """(period, the area's total, one `Compared` per subgroup in the dimension's order)."""
    rows = published[(published["indicator"] == ind.id) & (published["area"] == area)]
    totals = totals_of(rows)
    period = period or latest_with_benchmark(totals, area)
    if period is None:
        return None, None, []
    now = rows[(rows["period"] == period) & (rows["dimension"] == dimension)]
    if "subgroup_order" in now:
        now = now.sort_values("subgroup_order", kind="stable", na_position="last")
    total = totals[totals["period"] == period]
    bench = num(total["estimate"].iloc[0]) if len(total) else None
    out = [compared(r["subgroup"], r, ind, bench, False) for r in now.to_dict("records")]
    return period, bench, out
