"""Targets: met, on track, off track, no target or no data, always with the reason.

A level target is met when the latest value is at or beyond it in the indicator's good
direction. A gap target (`measure` + `dimension`) is met when the latest gap is at most as far
from equality (0, or 1 for ratios) as the target value is.

"On track" (for a target not yet met whose year lies after the latest period): the trend line
(weighted least squares over every period up to the follow-up year, as for gaps) is extended
from its fitted value at the latest period to the middle of the target year,

    projected = end_fit + slope × (t_target − t_latest),

with the confidence interval of the line at that time (projected_lb, projected_ub), from the
same fit as the trend: weights wᵢ = 1/(seᵢ² + τ²), Var = s²·(1/Σw + (t_target − t̄)²/Σw(t − t̄)²),
s² the fit's scale (se(slope)²·Σw(t − t̄)², 1 unless the points scatter beyond their standard
errors) and Student's t on n − 2 degrees of freedom when they do. The target is on track when
the projection reaches it AND the slope's whole interval points the good way (the movement is
not chance). Otherwise it is off track, and the reason says which of the two failed. A target whose
year has come without being met is off track; a series too short for a trend (the minimum-data
rule of `jamlik.measures.change`) gives "no_data" with that reason.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy import stats

from jamlik.data import Indicator, Target, period_midpoint
from jamlik.followup import texts as tx
from jamlik.followup.gaps import stand_in_se
from jamlik.followup.model import (
    GapFollowUp,
    LevelFollowUp,
    LevelTrend,
    MeasurePoint,
    Point,
    TargetStatus,
    TrendResult,
)
from jamlik.measures.change import NULL_VALUES


def target_statuses(
    ind: Indicator, level: LevelFollowUp, gaps: list[GapFollowUp], conf_level: float
) -> list[TargetStatus]:
    """The status of each of an indicator's targets (level targets first, then by year)."""
    ordered = sorted(ind.targets, key=lambda t: (t.measure is not None, t.year))
    return [
        _level_target(ind, t, level, conf_level)
        if t.measure is None
        else _gap_target(ind, t, level.area, gaps, conf_level)
        for t in ordered
    ]


def summary_status(statuses: list[TargetStatus], year: int) -> tuple[str, str, str]:
    """(status, reason_sv, reason_en) for an indicator: its first level target due in or after
    `year`, else its first target; "no_target" without targets."""
    if not statuses:
        return "no_target", "Inget mål är satt.", "No target is set."
    due = [s for s in statuses if s.year >= year]
    first = (due or statuses)[0]
    return first.status, first.reason_sv, first.reason_en


def _status(target: Target, status: str, reason: tuple[str, str], **values) -> TargetStatus:
    return TargetStatus(
        year=target.year,
        value=target.value,
        measure=target.measure,
        dimension=target.dimension,
        status=status,
        reason_sv=tx.sentence(reason[0]),
        reason_en=tx.sentence(reason[1]),
        **values,
    )


def _level_target(
    ind: Indicator, t: Target, level: LevelFollowUp, conf_level: float
) -> TargetStatus:
    u = ind.unit
    goal_sv = f"målet {tx.with_unit(t.value, u, 'sv')} till {t.year}"
    goal_en = f"the target of {tx.with_unit(t.value, u, 'en')} by {t.year}"
    last = level.latest
    if last is None or last.estimate is None:
        return _status(
            t,
            "no_data",
            (f"Inga värden att jämföra med {goal_sv}", f"No values to compare with {goal_en}"),
        )
    now = {"latest": last.estimate, "latest_period": last.period}
    now_sv = f"{tx.with_unit(last.estimate, u, 'sv')} {last.period}"
    now_en = f"{tx.with_unit(last.estimate, u, 'en')} in {last.period}"

    def reached(value: float) -> bool:
        return value >= t.value if ind.favourable else value <= t.value

    if reached(last.estimate):
        return _status(
            t, "met", (f"{goal_sv} är nått: {now_sv}", f"{goal_en} is met: {now_en}"), **now
        )
    if period_midpoint(last.period) >= t.year:
        return _status(
            t,
            "off_track",
            (f"{goal_sv} nåddes inte: {now_sv}", f"{goal_en} was not met: {now_en}"),
            **now,
        )
    tr = level.trend
    if tr is None or not tr.enough or tr.slope is None or tr.end_fit is None:
        return _status(
            t,
            "no_data",
            (
                f"{goal_sv} är inte nått ({now_sv}), och serien är för kort för att bedöma takten",
                f"{goal_en} is not met ({now_en}), and the series is too short to judge the pace",
            ),
            **now,
        )
    proj, lo, hi = project(level.series, tr, t.year)
    up, down = tr.ci_lb > 0, tr.ci_ub < 0
    good_way, bad_way = (up, down) if ind.favourable else (down, up)
    band = {"projected": proj, "projected_lb": lo, "projected_ub": hi, **now}
    return _judge(
        t,
        reached(proj),
        good_way,
        bad_way,
        goal_sv,
        goal_en,
        now_sv,
        now_en,
        tr.slope,
        proj,
        lo,
        hi,
        conf_level,
        band,
    )


def _gap_target(
    ind: Indicator, t: Target, area: str, gaps: list[GapFollowUp], conf_level: float
) -> TargetStatus:
    gap = next(
        (
            g
            for g in gaps
            if g.area == area and g.dimension == t.dimension and g.measure == t.measure
        ),
        None,
    )
    dim_sv = tx.lower_first(gap.dimension_title_sv) if gap else t.dimension
    dim_en = tx.lower_first(gap.dimension_title_en) if gap else t.dimension
    what_sv = (
        f"målet för gapet efter {dim_sv} ({t.measure}) {tx.number(t.value, 'sv')} till {t.year}"
    )
    what_en = (
        f"the target for the gap by {dim_en} ({t.measure}) of "
        f"{tx.number(t.value, 'en')} by {t.year}"
    )
    if gap is None or gap.latest is None or gap.latest.estimate is None:
        return _status(
            t,
            "no_data",
            (f"Inga värden att jämföra med {what_sv}", f"No values to compare with {what_en}"),
        )
    null = gap.trend.null_value
    if null is None:
        null = NULL_VALUES.get(t.measure, 0.0)
    last = gap.latest
    now = {"latest": last.estimate, "latest_period": last.period}
    now_sv = f"{tx.number(last.estimate, 'sv')} {last.period}"
    now_en = f"{tx.number(last.estimate, 'en')} in {last.period}"

    def reached(value: float) -> bool:
        return abs(value - null) <= abs(t.value - null)

    if reached(last.estimate):
        return _status(
            t, "met", (f"{what_sv} är nått: {now_sv}", f"{what_en} is met: {now_en}"), **now
        )
    if period_midpoint(last.period) >= t.year:
        return _status(
            t,
            "off_track",
            (f"{what_sv} nåddes inte: {now_sv}", f"{what_en} was not met: {now_en}"),
            **now,
        )
    tr = gap.trend
    if tr.verdict == "too few points" or tr.slope is None or tr.end_fit is None:
        return _status(
            t,
            "no_data",
            (
                f"{what_sv} är inte nått ({now_sv}), och serien är för kort för att bedöma takten",
                f"{what_en} is not met ({now_en}), and the series is too short to judge the pace",
            ),
            **now,
        )
    proj, lo, hi = project(gap.series, tr, t.year)
    band = {"projected": proj, "projected_lb": lo, "projected_ub": hi, **now}
    return _judge(
        t,
        reached(proj),
        tr.verdict == "narrowing",
        tr.verdict == "widening",
        what_sv,
        what_en,
        now_sv,
        now_en,
        tr.slope,
        proj,
        lo,
        hi,
        conf_level,
        band,
    )


def project(
    series: Sequence[Point | MeasurePoint], tr: TrendResult | LevelTrend, year: int
) -> tuple[float, float, float]:
    """The trend line at the middle of `year`, with its interval (see the module docstring)."""
    used = [(p.time, p.se) for p in series if p.estimate is not None and p.se and p.se > 0]
    if not used:  # register data: the stand-in the trend was fitted with
        values = np.array([p.estimate for p in series if p.estimate is not None])
        used = [(p.time, stand_in_se(values)) for p in series if p.estimate is not None]
    t = np.array([u[0] for u in used])
    tau2 = (tr.tau or 0.0) ** 2
    w = 1.0 / (np.array([u[1] for u in used]) ** 2 + tau2)
    t_bar = float(np.sum(w * t) / np.sum(w))
    stt = float(np.sum(w * (t - t_bar) ** 2))
    scale = tr.se**2 * stt
    target_t = period_midpoint(str(year))
    proj = tr.end_fit + tr.slope * (target_t - period_midpoint(tr.last))
    sd = math.sqrt(scale * (1.0 / np.sum(w) + (target_t - t_bar) ** 2 / stt))
    extra = tau2 > 0 or scale > 1 + 1e-9
    level = 0.5 + tr.conf_level / 2
    q = stats.t.ppf(level, max(len(used) - 2, 1)) if extra else stats.norm.ppf(level)
    return proj, proj - q * sd, proj + q * sd


def _judge(
    t,
    reaches,
    good_way,
    bad_way,
    goal_sv,
    goal_en,
    now_sv,
    now_en,
    slope,
    proj,
    lo,
    hi,
    conf_level,
    band,
) -> TargetStatus:
    level = round(conf_level * 100)
    pace_sv = f"{tx.number(slope, 'sv', 2)} per år"
    pace_en = f"{tx.number(slope, 'en', 2)} per year"
    proj_sv = (
        f"framskrivet {tx.number(proj, 'sv')} ({level} % KI {tx.number(lo, 'sv')} till "
        f"{tx.number(hi, 'sv')})"
    )
    proj_en = (
        f"projected {tx.number(proj, 'en')} ({level}% CI {tx.number(lo, 'en')} to "
        f"{tx.number(hi, 'en')})"
    )
    if reaches and good_way:
        return _status(
            t,
            "on_track",
            (
                f"{goal_sv} nås i nuvarande takt ({pace_sv}): {proj_sv}; nu {now_sv}",
                f"{goal_en} is reached at the current pace ({pace_en}): {proj_en}; now {now_en}",
            ),
            **band,
        )
    if bad_way:
        return _status(
            t,
            "off_track",
            (
                f"{goal_sv} är inte nått ({now_sv}) och utvecklingen går åt fel håll "
                f"({pace_sv}; {proj_sv})",
                f"{goal_en} is not met ({now_en}) and the development goes the wrong way "
                f"({pace_en}; {proj_en})",
            ),
            **band,
        )
    if not good_way:
        return _status(
            t,
            "off_track",
            (
                f"{goal_sv} är inte nått ({now_sv}) och ingen säker rörelse mot målet syns "
                f"({pace_sv}; {proj_sv})",
                f"{goal_en} is not met ({now_en}) and there is no clear movement towards it "
                f"({pace_en}; {proj_en})",
            ),
            **band,
        )
    return _status(
        t,
        "off_track",
        (
            f"{goal_sv} nås inte i nuvarande takt ({pace_sv}): {proj_sv}; nu {now_sv}",
            f"{goal_en} is not reached at the current pace ({pace_en}): {proj_en}; now {now_en}",
        ),
        **band,
    )
