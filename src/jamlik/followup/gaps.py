"""Gaps: which measures each indicator × dimension gets, their values over time and their trends.

Default measures (a gap target's measure is always added):

- every dimension: D (difference) and R (ratio), WHO's simple pair;
- ordered dimensions (education): SII and RII from the logistic fit when every estimate of the
  indicator lies within 0..scale (a proportion), else their linear forms SII_LIN and RII_LIN
  (e.g. life expectancy in years);
- districts: BGV, MDMW and IDISW over the districts' totals, weighted by population.

The headline measure of a gap, the one statuses and flags rely on, is D for subgroups (in the
indicator's unit, read as "the gap") and MDMW for districts (how far districts lie from the
city's average on average, same unit; D over districts would hang on the two extremes).

`compute()` runs once for all subgroup series and once for the district series (these are
computed from the districts that are shown when one is suppressed, with a note saying so; a
subgroup series with a hidden subgroup gets no value instead). `trend()` runs once on every
measure series and every level series together.

Register data (no standard errors at all in a series, e.g. from Kolada): every point gets the
same negligible stand-in standard error (`stand_in_se`). trend()'s random-effects fit then puts
all the uncertainty in the year-to-year scatter (τ² becomes the residual variance) and reduces to
ordinary least squares with Student's t on n − 2 degrees of freedom: the usual trend test for
register series. Such trends carry a note saying so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache

import numpy as np
import pandas as pd

from jamlik.data import period_midpoint
from jamlik.errors import JamlikError
from jamlik.followup.model import GapFollowUp, MeasurePoint, TrendResult
from jamlik.followup.scope import DISTRICT, Scope
from jamlik.followup.series import FollowUpData, num, text_or_none
from jamlik.measures import MeasureInputError, compute, entry
from jamlik.measures.change import trend

BASE_MEASURES = ("D", "R")
ORDERED_MEASURES = ("SII", "RII")
ORDERED_LINEAR_MEASURES = ("SII_LIN", "RII_LIN")
DISTRICT_MEASURES = ("BGV", "MDMW", "IDISW")
HEADLINE = "D"
HEADLINE_DISTRICT = "MDMW"
LEVEL = "LEVEL"  # the pseudo-measure under which level series join the one trend() call
SERIES = ["indicator", "area", "dimension"]


@cache
def measure_names(code: str) -> tuple[str, str]:
    """(Swedish, English) name of a measure from the catalogue."""
    try:
        e = entry(code)
    except (KeyError, ValueError):
        return code, code
    return e.name_sv, e.name_en


def choose_measures(
    data: FollowUpData, scope: Scope, overrides: Mapping[str, Sequence[str]] | None = None
) -> dict[tuple[str, str], tuple[str, ...]]:
    """(indicator, dimension) → measure codes, headline first (see the module docstring).

    `overrides` maps an indicator id to the codes to use for all its dimensions instead.
    """
    b = data.breakdowns
    if not len(b):
        return {}
    ordered = b.groupby(["indicator", "dimension"])["ordered_dimension"].max()
    est = b["estimate"].to_numpy(dtype=float)
    scale = b["indicator_scale"].to_numpy(dtype=float)
    outside = pd.Series((est < 0) | (est > scale), index=b.index).groupby(b["indicator"]).any()
    choices: dict[tuple[str, str], tuple[str, ...]] = {}
    for (ind, dim), is_ordered in ordered.items():
        if overrides and ind in overrides:
            codes = tuple(overrides[ind])
        elif dim == DISTRICT:
            codes = (HEADLINE_DISTRICT, *BASE_MEASURES, "BGV", "IDISW")
        elif is_ordered:
            extra = ORDERED_LINEAR_MEASURES if outside.get(ind, False) else ORDERED_MEASURES
            codes = (*BASE_MEASURES, *extra)
        else:
            codes = BASE_MEASURES
        for indicator in scope.indicators:
            for t in indicator.targets:
                if indicator.id == ind and t.measure and t.dimension == dim:
                    codes = (*codes, t.measure)
        choices[(ind, dim)] = tuple(dict.fromkeys(codes))
    return choices


def headline(codes: Sequence[str], dimension: str) -> str:
    """The headline measure among a gap's codes."""
    wanted = HEADLINE_DISTRICT if dimension == DISTRICT else HEADLINE
    return wanted if wanted in codes else codes[0]


def measure_table(
    data: FollowUpData, choices: Mapping[tuple[str, str], Sequence[str]], conf_level: float
) -> pd.DataFrame:
    """compute() over every series; only each series' chosen measures are kept."""
    b = data.breakdowns
    if not len(b) or not choices:
        return pd.DataFrame(
            columns=[*SERIES, "period", "measure", "estimate", "se", "ci_lb", "ci_ub", "note"]
        )
    codes = sorted({c for cs in choices.values() for c in cs})
    is_district = (b["dimension"] == DISTRICT).to_numpy()
    parts = []
    for mask, missing in ((~is_district, "note"), (is_district, "drop")):
        if not mask.any():
            continue
        try:
            parts.append(
                compute(
                    b[mask],
                    measures=codes,
                    by=[*SERIES, "period"],
                    conf_level=conf_level,
                    missing=missing,
                )
            )
        except MeasureInputError as exc:
            raise JamlikError(f"Måtten kunde inte beräknas / measures failed: {exc}") from exc
    table = pd.concat(parts, ignore_index=True)
    allowed = pd.DataFrame(
        [(i, d, m) for (i, d), cs in choices.items() for m in cs],
        columns=["indicator", "dimension", "measure"],
    )
    table = table.merge(allowed, on=["indicator", "dimension", "measure"], how="inner")
    return table.drop(columns=["conf_level"], errors="ignore")


def level_table(data: FollowUpData) -> pd.DataFrame:
    """The totals as series of the pseudo-measure LEVEL, for the shared trend() call."""
    t = data.totals
    return pd.DataFrame(
        {
            "indicator": t["indicator"],
            "area": t["area"],
            "dimension": t["dimension"],
            "period": t["period"],
            "measure": LEVEL,
            "estimate": t["estimate"],
            "se": t["se"],
        }
    )


STAND_IN_SE = 1e-6  # relative to the series' mean absolute value (see the module docstring)
NO_SE_NOTE = "no standard errors: the interval comes from the year-to-year scatter alone"


def stand_in_se(values: np.ndarray) -> float:
    """The stand-in standard error of a series without any (see the module docstring)."""
    return STAND_IN_SE * max(1.0, float(np.mean(np.abs(values))))


def all_trends(measures: pd.DataFrame, levels: pd.DataFrame, conf_level: float) -> pd.DataFrame:
    """trend() once on every gap series and every level series."""
    cols = [*SERIES, "period", "measure", "estimate", "se"]
    rows = pd.concat([measures[cols], levels[cols]], ignore_index=True)
    rows = rows[np.isfinite(rows["estimate"].to_numpy(dtype=float))]
    if len(rows):
        keys = [rows[k] for k in [*SERIES, "measure"]]
        has_se = (rows["se"] > 0).groupby(keys).transform("any")
        scale = rows["estimate"].abs().groupby(keys).transform("mean").clip(lower=1.0)
        rows = rows.assign(se=rows["se"].where(has_se, STAND_IN_SE * scale))
    if not len(rows):
        return pd.DataFrame(columns=[*SERIES, "measure", "verdict"])
    return trend(
        rows,
        by=SERIES,
        time="period",
        conf_level=conf_level,
        null_values={LEVEL: 0.0},
        to_time=period_midpoint,
    )


def trend_result(row, conf_level: float) -> TrendResult:
    """A TrendResult from one row of trend()'s output."""
    return TrendResult(
        slope=num(row["slope"]),
        se=num(row["se"]),
        ci_lb=num(row["ci_lb"]),
        ci_ub=num(row["ci_ub"]),
        conf_level=conf_level,
        n_points=int(row["n_points"]),
        first=text_or_none(row["first"]),
        last=text_or_none(row["last"]),
        end_fit=num(row["end_fit"]),
        tau=num(row["tau"]),
        null_value=num(row["null_value"]),
        verdict=row["verdict"],
        verdict_sv=row["verdict_sv"],
        verdict_en=row["verdict_en"],
        text_sv=row["text_sv"],
        text_en=row["text_en"],
        note=text_or_none(row["note"]),
    )


def no_trend(code: str, conf_level: float) -> TrendResult:
    """The trend of a series without any value (every period suppressed or missing)."""
    return TrendResult(
        conf_level=conf_level,
        n_points=0,
        verdict="too few points",
        verdict_sv="för få mätpunkter",
        verdict_en="too few points",
        text_sv=f"Inga värden för {code} att bedöma en trend från.",
        text_en=f"No values of {code} to judge a trend from.",
    )


def gap_results(
    table: pd.DataFrame,
    trends: pd.DataFrame,
    choices: Mapping[tuple[str, str], Sequence[str]],
    scope: Scope,
) -> dict[str, list[GapFollowUp]]:
    """GapFollowUp objects per indicator: every area × dimension × chosen measure."""
    out: dict[str, list[GapFollowUp]] = {}
    if not len(table):
        return out
    trend_rows = {
        (r["indicator"], r["area"], r["dimension"], r["measure"]): r
        for r in trends.to_dict("records")
    }
    mids = {p: period_midpoint(p) for p in pd.unique(table["period"])}
    order = {a: i for i, a in enumerate(scope.area_ids)}
    table = table.assign(
        t_mid=table["period"].map(mids), a_order=table["area"].map(order)
    ).sort_values(["indicator", "a_order", "dimension", "measure", "t_mid"], kind="stable")
    cols = [*SERIES, "measure", "period", "t_mid", "estimate", "se", "ci_lb", "ci_ub", "note"]
    grouped: dict[tuple[str, str, str, str], list[MeasurePoint]] = {}
    for ind, area, dim, code, period, t, est, se, lo, hi, note in zip(
        *(table[c].tolist() for c in cols), strict=True
    ):
        grouped.setdefault((ind, area, dim, code), []).append(
            MeasurePoint(
                period=period,
                time=t,
                estimate=num(est),
                se=num(se),
                ci_lb=num(lo),
                ci_ub=num(hi),
                note=text_or_none(note),
            )
        )
    for (ind, area, dim, code), series in grouped.items():
        with_value = [p for p in series if p.estimate is not None]
        t = trend_rows.get((ind, area, dim, code))
        result = trend_result(t, scope.conf_level) if t is not None else None
        if result is not None and with_value and all(p.se is None for p in with_value):
            result = result.model_copy(update={"note": NO_SE_NOTE})
        dim_sv, dim_en = scope.dimension_titles(dim)
        name_sv, name_en = measure_names(code)
        out.setdefault(ind, []).append(
            GapFollowUp(
                area=area,
                dimension=dim,
                dimension_title_sv=dim_sv,
                dimension_title_en=dim_en,
                measure=code,
                measure_name_sv=name_sv,
                measure_name_en=name_en,
                headline=code == headline(choices.get((ind, dim), (code,)), dim),
                series=series,
                latest=with_value[-1] if with_value else None,
                trend=result or no_trend(code, scope.conf_level),
            )
        )
    return out
