"""The follow-up's data: suppressed observations, the district series, and chart series.

Suppression comes first: everything later (measures, trends, charts) sees only what may be
shown, so no value computed from a hidden cell can leak, and a gap whose subgroup is hidden is
missing rather than recomputed from what remains (districts excepted: see `district_series`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from jamlik.data import TOTAL, period_midpoint
from jamlik.data.publish import published_observations
from jamlik.data.suppression import SECONDARY, SUPPRESSION_FLAGS, suppress
from jamlik.followup.model import Point, SubgroupSeries
from jamlik.followup.scope import DISTRICT, Scope, in_year
from jamlik.workspace import Workspace

KEYS = ["indicator", "area", "dimension", "period"]


def num(value) -> float | None:
    """A finite float, or None (JSON has no NaN)."""
    if value is None or value is pd.NA:
        return None
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def text_or_none(value) -> str | None:
    """Non-empty text, or None (notes arrive as "", None or NaN)."""
    return value if isinstance(value, str) and value.strip() else None


@dataclass(frozen=True)
class FollowUpData:
    """Suppressed observations of the indicators in scope, periods up to the follow-up year."""

    frame: pd.DataFrame  # every row (all areas in scope, totals and breakdowns)
    breakdowns: pd.DataFrame  # subgroup rows, the district series included: compute()'s input
    totals: pd.DataFrame  # the total of each indicator × area × period

    @cached_property
    def breakdown_points(self) -> dict[tuple[str, str, str, str], list[Point]]:
        return point_index(self.breakdowns)

    @cached_property
    def total_points(self) -> dict[tuple[str, str, str, str], list[Point]]:
        return point_index(self.totals)


def load_data(workspace: Workspace, scope: Scope) -> FollowUpData:
    """Read, restrict to the follow-up year, suppress, and add the district series."""
    frame = published_observations(workspace, [i.id for i in scope.indicators], policy=scope.policy)
    return prepare(frame[frame["area"].isin(scope.area_ids)], scope)


def prepare(frame: pd.DataFrame, scope: Scope) -> FollowUpData:
    """`load_data` on a frame already read (tests and callers with their own frames)."""
    if len(frame):
        frame = frame[in_year(frame["period"], scope.year)]
    # Callers hand over frames suppressed whole (`followup_from`); a frame that was not is
    # suppressed here, with no hierarchy known beyond its breakdowns.
    frame = suppress(frame.reset_index(drop=True), scope.policy)
    totals = frame[(frame["dimension"] == TOTAL) & (frame["subgroup"] == TOTAL)]
    parts = [frame[frame["dimension"] != TOTAL]]
    has_own = (
        (frame["area"] == scope.area.id) & (frame["dimension"] == DISTRICT)
    ).any()  # a source may already deliver districts as subgroups: use those as they are
    if scope.districts and not has_own:
        parts.append(district_series(totals, scope))
    breakdowns = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    return FollowUpData(frame, breakdowns.reset_index(drop=True), totals.reset_index(drop=True))


def district_series(totals: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    """The districts' totals as one non-ordered series per indicator × period of the area
    followed: subgroup = district id, weights = the districts' populations, setting_average =
    the area's own total. The districts were suppressed with the area hierarchy (the area's
    total is their sum), so no hidden district can be recovered from the area and the rest."""
    ids = [d.id for d in scope.districts]
    rows = totals[totals["area"].isin(ids)].copy()
    whole = totals[totals["area"] == scope.area.id].set_index(["indicator", "period"])["estimate"]
    rows["subgroup"] = rows["area"]
    rows["area"] = scope.area.id
    rows["dimension"] = DISTRICT
    rows["subgroup_order"] = pd.array([pd.NA] * len(rows), dtype="Int64")
    rows["reference_subgroup"] = 0
    rows["ordered_dimension"] = 0
    key = pd.MultiIndex.from_frame(rows[["indicator", "period"]])
    rows["setting_average"] = whole.reindex(key).to_numpy(dtype=float)
    return suppress(rows.reset_index(drop=True), scope.policy)


def point_index(frame: pd.DataFrame) -> dict[tuple[str, str, str, str], list[Point]]:
    """Chart points of every series in a frame, keyed by (indicator, area, dimension,
    subgroup), in time order; suppressed cells carry no values. Built in one pass."""
    if not len(frame):
        return {}
    cols = [
        "indicator",
        "area",
        "dimension",
        "subgroup",
        "period",
        "estimate",
        "se",
        "ci_lb",
        "ci_ub",
        "population",
        "flag",
    ]
    mids = {p: period_midpoint(p) for p in pd.unique(frame["period"])}
    out: dict[tuple[str, str, str, str], list[Point]] = {}
    for ind, area, dim, sub, period, est, se, lo, hi, pop, flag in zip(
        *(frame[c].tolist() for c in cols), strict=True
    ):
        hidden = flag in SUPPRESSION_FLAGS
        out.setdefault((ind, area, dim, sub), []).append(
            Point(
                period=period,
                time=mids[period],
                estimate=None if hidden else num(est),
                se=None if hidden else num(se),
                ci_lb=None if hidden else num(lo),
                ci_ub=None if hidden else num(hi),
                population=num(pop),
                suppressed=hidden,
                secondary=flag == SECONDARY,
            )
        )
    for pts in out.values():
        pts.sort(key=lambda p: p.time)
    return out


def points(rows: pd.DataFrame) -> list[Point]:
    """Chart points of one series in time order."""
    return [p for pts in point_index(rows).values() for p in pts]


def subgroup_series(data: FollowUpData, scope: Scope, indicator: str) -> list[SubgroupSeries]:
    """The area's subgroups over time for one indicator, dimension by dimension (the level
    chart): the indicator's own dimensions first, then any others, then the districts."""
    rows = data.breakdowns[
        (data.breakdowns["indicator"] == indicator) & (data.breakdowns["area"] == scope.area.id)
    ]
    if not len(rows):
        return []
    ind = next(i for i in scope.indicators if i.id == indicator)
    preferred = [d for d in (ind.dimensions or []) if d != TOTAL]
    present = list(dict.fromkeys(rows["dimension"]))
    order = [d for d in preferred if d in present] + [
        d for d in present if d not in preferred and d != DISTRICT
    ]
    if DISTRICT in present:
        order.append(DISTRICT)
    out: list[SubgroupSeries] = []
    for dim in order:
        part = rows[rows["dimension"] == dim]
        for sub in _subgroup_order(part, scope, dim):
            title_sv, title_en, order_no, ref = _subgroup_labels(scope, dim, sub, part)
            out.append(
                SubgroupSeries(
                    dimension=dim,
                    subgroup=sub,
                    title_sv=title_sv,
                    title_en=title_en,
                    order=order_no,
                    reference=ref,
                    points=data.breakdown_points.get((indicator, scope.area.id, dim, sub), []),
                )
            )
    return out


def _subgroup_order(part: pd.DataFrame, scope: Scope, dim: str) -> list[str]:
    present = list(dict.fromkeys(part["subgroup"]))
    if dim == DISTRICT and DISTRICT not in scope.dimensions:
        known = [d.id for d in scope.districts]
    else:
        d = scope.dimensions.get(dim)
        known = [s.id for s in d.subgroups] if d else []
    return [s for s in known if s in present] + [s for s in present if s not in known]


def _subgroup_labels(scope: Scope, dim: str, sub: str, part: pd.DataFrame):
    if dim == DISTRICT and DISTRICT not in scope.dimensions:
        name = scope.area_name(sub)
        return name, name, None, False
    d = scope.dimensions.get(dim)
    for s in d.subgroups if d else []:
        if s.id == sub:
            return s.title, s.title_en or s.title, s.order, s.reference
    ref = part.loc[part["subgroup"] == sub, "reference_subgroup"]
    return sub, sub, None, bool(len(ref) and ref.iloc[0] == 1)


def latest_period(periods: pd.Series) -> str | None:
    """The latest of some periods by their midpoints."""
    values = [p for p in pd.unique(periods) if p is not None]
    return max(values, key=period_midpoint) if values else None


def usable(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows with an estimate (not suppressed, not missing)."""
    return frame[np.isfinite(frame["estimate"].to_numpy(dtype=float))]
