"""`explore`: one indicator × dimension × period × area for the web explorer.

The web shows what this returns and computes nothing itself: the subgroup table (suppressed),
the area's total, the subgroups over time, and every measure that applies (or those asked for)
with its interval and the catalogue's interpretation.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from jamlik.data import TOTAL, Definitions, period_midpoint, read_definitions
from jamlik.data.policy import SuppressionPolicy, read_policy
from jamlik.data.publish import published_observations
from jamlik.errors import JamlikError
from jamlik.followup.gaps import measure_names
from jamlik.followup.model import MeasurePoint, Point, SubgroupSeries, _Result
from jamlik.followup.scope import (
    DISTRICT,
    Scope,
    child_districts,
    dimensions_of,
    main_area,
)
from jamlik.followup.series import (
    latest_period,
    num,
    points,
    prepare,
    subgroup_series,
    text_or_none,
)
from jamlik.measures import MeasureInputError, compute, entry
from jamlik.workspace import Workspace

EVERY_YEAR = 9999  # the explorer shows every period: no follow-up year cuts the series


class MeasureValue(_Result):
    """One measure's value with its interval and catalogue texts (for the explorer)."""

    code: str
    name_sv: str
    name_en: str
    estimate: float | None = None
    se: float | None = None
    ci_lb: float | None = None
    ci_ub: float | None = None
    note: str | None = None
    interpretation_sv: str
    interpretation_en: str


class ExploreResult(_Result):
    """The explorer's answer: one indicator × dimension × period × area, suppressed."""

    indicator: str
    dimension: str
    period: str | None = None
    area: str
    periods: list[str] = []  # periods with rows for this choice (values or suppressed)
    total: Point | None = None  # the area's total in the chosen period
    table: list[SubgroupSeries] = []  # one point each: the chosen period
    history: list[SubgroupSeries] = []  # every period, for a chart over time
    measures: list[MeasureValue] = []
    measure_series: list[MeasurePoint] = []  # `series_measure` in every period (a gap chart)
    series_measure: str | None = None
    min_population: float
    conf_level: float


def explore(
    workspace: Workspace,
    indicator: str,
    dimension: str,
    period: str | None = None,
    area: str | None = None,
    measures: Sequence[str] | None = None,
    *,
    min_population: float | None = None,
    conf_level: float = 0.95,
    policy: SuppressionPolicy | None = None,
    definitions: Definitions | None = None,
    published: pd.DataFrame | None = None,
    series_measure: str | None = None,
) -> ExploreResult:
    """The suppressed subgroup table and every applicable measure with its interval.

    `dimension` is a dimension id, or "district" for the area's districts as subgroups;
    `period` defaults to the latest with data; `area` to the only top-level area with data;
    `measures` to every measure that applies (codes from `jamlik.measures.catalogue()`).

    `definitions` and `published` (the indicator's whole table as `published_observations`
    returns it under the same `policy`) let a caller that keeps them between calls (the web,
    per data version) skip reading and suppressing the table again. `series_measure` (a
    measure code) is also computed in every period, for the gap over time.
    """
    definitions = definitions or read_definitions(workspace)
    ind = next((i for i in definitions.indicators if i.id == indicator), None)
    if ind is None:
        raise JamlikError(f"Ingen indikator / no indicator '{indicator}' in the workspace")
    dims = dimensions_of(definitions)
    if dimension != DISTRICT and dimension not in dims:
        raise JamlikError(
            f"Ingen dimension / no dimension '{dimension}'; known: {', '.join(sorted(dims))}, "
            f"{DISTRICT}"
        )
    policy = (policy or read_policy(workspace)).at_least(min_population)
    # The whole table (every area and breakdown) is suppressed before a part is chosen, so
    # the explorer hides exactly what every other output hides.
    everywhere = (
        published
        if published is not None
        else published_observations(workspace, [indicator], policy=policy, definitions=definitions)
    )
    the_area = main_area(definitions, area, everywhere)
    districts = child_districts(definitions, the_area) if dimension == DISTRICT else ()
    scope = Scope(
        programme=None,
        year=EVERY_YEAR,
        area=the_area,
        districts=districts,
        indicators=(ind,),
        dimensions=dims,
        baseline=None,
        conf_level=conf_level,
        policy=policy,
    )
    wanted = [dimension, TOTAL] if dimension != DISTRICT else [TOTAL]
    frame = everywhere[
        everywhere["area"].isin(scope.area_ids) & everywhere["dimension"].isin(wanted)
    ]
    data = prepare(frame, scope)
    history = [s for s in subgroup_series(data, scope, indicator) if s.dimension == dimension]
    rows = data.breakdowns[
        (data.breakdowns["area"] == the_area.id) & (data.breakdowns["dimension"] == dimension)
    ]
    periods = sorted(set(rows["period"]), key=period_midpoint)
    chosen = period or latest_period(pd.Series(periods))
    if period is not None and period not in periods:
        raise JamlikError(
            f"Inga värden för {indicator} efter {dimension} {period} / no values for that "
            f"period; periods with values: {', '.join(periods) or 'none'}"
        )
    table = [
        SubgroupSeries(**{**s.model_dump(), "points": [p for p in s.points if p.period == chosen]})
        for s in history
    ]
    totals = data.totals[(data.totals["area"] == the_area.id) & (data.totals["period"] == chosen)]
    total = points(totals)[0] if len(totals) else None
    values = _measures(rows[rows["period"] == chosen], measures, conf_level, dimension)
    series = _measure_series(rows, series_measure, conf_level, dimension) if series_measure else []
    return ExploreResult(
        indicator=indicator,
        dimension=dimension,
        period=chosen,
        area=the_area.id,
        periods=periods,
        total=total,
        table=table,
        history=history,
        measures=values,
        measure_series=series,
        series_measure=series_measure,
        min_population=policy.min_population,
        conf_level=conf_level,
    )


def _measure_series(
    rows: pd.DataFrame, code: str, conf_level: float, dimension: str
) -> list[MeasurePoint]:
    """One measure with its interval in every period of `rows`, in time order."""
    if not len(rows):
        return []
    try:
        result = compute(
            rows,
            measures=[code],
            by=["indicator", "period"],
            conf_level=conf_level,
            missing="drop" if dimension == DISTRICT else "note",
        )
    except MeasureInputError as exc:
        raise JamlikError(f"Ogiltiga mått / invalid measures: {exc}") from exc
    out = [
        MeasurePoint(
            period=r["period"],
            time=period_midpoint(r["period"]),
            estimate=num(r["estimate"]),
            se=num(r["se"]),
            ci_lb=num(r["ci_lb"]),
            ci_ub=num(r["ci_ub"]),
            note=text_or_none(r["note"]),
        )
        for r in result.to_dict("records")
    ]
    return sorted(out, key=lambda p: p.time)


def _measures(
    rows: pd.DataFrame, measures: Sequence[str] | None, conf_level: float, dimension: str
) -> list[MeasureValue]:
    if not len(rows):
        return []
    try:
        result = compute(
            rows,
            measures=list(measures) if measures else None,
            by=["indicator", "period"],
            conf_level=conf_level,
            missing="drop" if dimension == DISTRICT else "note",
        )
    except MeasureInputError as exc:
        raise JamlikError(f"Ogiltiga mått / invalid measures: {exc}") from exc
    out = []
    for r in result.to_dict("records"):
        e = entry(r["measure"])
        name_sv, name_en = measure_names(r["measure"])
        out.append(
            MeasureValue(
                code=r["measure"],
                name_sv=name_sv,
                name_en=name_en,
                estimate=num(r["estimate"]),
                se=num(r["se"]),
                ci_lb=num(r["ci_lb"]),
                ci_ub=num(r["ci_ub"]),
                note=text_or_none(r["note"]),
                interpretation_sv=e.interpretation_sv,
                interpretation_en=e.interpretation_en,
            )
        )
    return out
