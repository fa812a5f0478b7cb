"""Reach versus need (proportionate universalism): does an initiative reach the districts that
need it most?

For an initiative with reach recorded by district (dimension "total"), in the latest period with
reach up to the follow-up year:

- Need indicator: the first of the initiative's indicators with a value for at least three of
  those districts (period: the latest with such values up to the reach period, else the
  earliest after it). It is oriented by polarity, so that higher means more need (a
  higher-is-better indicator's value is negated).
- Target population per district: the need indicator's population in that district and period
  (its denominator group, e.g. children 1–5 years) when every district has one
  ("indicator_population"), else the district's population from its definition
  ("area_population").
- Reach rate per district: reached / population (per 1 000 in the results), with a Poisson
  standard error √reached / population.
- Index: the relative concentration index (RCI from `jamlik.measures`) of the reach rate with the
  districts ranked by need, least need first, weighted by target population:
  RCI = 2 Σ pᵢ (rᵢ − ½) yᵢ / μ, rᵢ the fractional rank. Positive: reach is concentrated where
  need is greatest; 0: even; negative: where need is least. Its interval is the delta method's.
- Verdict from the interval: above 0 "most_need", below 0 "least_need", else "evenly".
  Fewer than three districts with reach, need and population: "too_few_areas", no index.

Privacy: the districts' reach counts are suppressed as one series (fewer than the threshold in
the target group, or 1–2 reached or not reached, with secondary suppression, as for
observations); the index is computed from every district, which with secondary suppression
cannot reveal a single hidden count.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jamlik.data import Indicator, period_midpoint
from jamlik.data.suppression import SUPPRESSION_FLAGS, suppress
from jamlik.followup import texts as tx
from jamlik.followup.model import ReachArea, ReachVsNeed
from jamlik.followup.scope import Scope
from jamlik.followup.series import num
from jamlik.measures import compute
from jamlik.programme import Initiative

INDEX = "RCI"
MIN_AREAS = 3


def reach_vs_need(
    initiatives: list[Initiative], totals: pd.DataFrame, scope: Scope
) -> list[ReachVsNeed]:
    """One comparison per initiative with reach by district (see the module docstring)."""
    out = []
    for ini in initiatives:
        result = initiative_reach(ini, totals, scope)
        if result is not None:
            out.append(result)
    return out


def initiative_reach(ini: Initiative, totals: pd.DataFrame, scope: Scope) -> ReachVsNeed | None:
    """The comparison for one initiative; None without reach by district up to the year."""
    districts = {d.id: d for d in scope.districts}
    records = [
        r
        for r in ini.reach
        if r.area in districts
        and r.dimension == "total"
        and period_midpoint(r.period) < scope.year + 1
    ]
    if not records:
        return None
    period = max({r.period for r in records}, key=period_midpoint)
    reached: dict[str, int] = {}
    for r in records:
        if r.period == period:
            reached[r.area] = reached.get(r.area, 0) + r.reached
    indicators = {i.id: i for i in scope.indicators}
    need = _need(ini, totals, list(reached), period, indicators)
    title_en = ini.title_en or ini.title
    if need is None:
        return _too_few(
            ini,
            title_en,
            period,
            ini.indicators[0] if ini.indicators else "",
            None,
            "area_population",
            scope,
            [],
        )
    ind, need_period, values, pops = need
    basis = "indicator_population" if all(a in pops for a in reached) else "area_population"
    if basis == "area_population":
        pops = {a: float(districts[a].population) for a in reached if districts[a].population}
    areas = [a for a in reached if a in values and pops.get(a)]
    shown = _suppressed(reached, pops, areas, scope, ini.id, period)
    oriented = {a: values[a] if not ind.favourable else -values[a] for a in areas}
    ranks = _fractional_need_rank(areas, oriented, pops)
    rows = [
        ReachArea(
            area=a,
            name=districts[a].name,
            population=pops.get(a),
            need=values.get(a),
            need_rank=ranks.get(a),
            suppressed=a in shown["hidden"],
            reached=None if a in shown["hidden"] else reached[a],
            rate_per_1000=None
            if a in shown["hidden"] or not pops.get(a)
            else 1000 * reached[a] / pops[a],
        )
        for a in reached
    ]
    if len(areas) < MIN_AREAS:
        return _too_few(ini, title_en, period, ind.id, need_period, basis, scope, rows)
    est, se, lo, hi = concentration(
        [reached[a] for a in areas],
        [pops[a] for a in areas],
        [oriented[a] for a in areas],
        scope.conf_level,
    )
    verdict = (
        "most_need"
        if lo is not None and lo > 0
        else ("least_need" if hi is not None and hi < 0 else "evenly")
    )
    text_sv, text_en = _texts(verdict, est, lo, hi, ind, need_period, scope.conf_level)
    return ReachVsNeed(
        initiative=ini.id,
        title_sv=ini.title,
        title_en=title_en,
        period=period,
        need_indicator=ind.id,
        need_period=need_period,
        population_basis=basis,
        index=est,
        se=se,
        ci_lb=lo,
        ci_ub=hi,
        conf_level=scope.conf_level,
        verdict=verdict,
        text_sv=text_sv,
        text_en=text_en,
        areas=rows,
    )


def concentration(
    reached: list[float], population: list[float], need: list[float], conf_level: float = 0.95
) -> tuple[float | None, float | None, float | None, float | None]:
    """(RCI, se, ci_lb, ci_ub) of reach rates ranked by need (higher need = higher rank)."""
    reached_a = np.asarray(reached, dtype=float)
    pop = np.asarray(population, dtype=float)
    order = pd.Series(need).rank(method="dense").astype(int).to_numpy()
    rate = 1000 * reached_a / pop
    frame = pd.DataFrame(
        {
            "series": "reach",
            "subgroup": [f"a{i}" for i in range(len(rate))],
            "subgroup_order": order,
            "estimate": rate,
            "se": 1000 * np.sqrt(reached_a) / pop,
            "population": pop,
            "favourable_indicator": 1,
            "ordered_dimension": 1,
            "indicator_scale": 1000.0,
        }
    )
    result = compute(frame, measures=[INDEX], by=["series"], conf_level=conf_level, draws=0)
    r = result.iloc[0]
    return num(r["estimate"]), num(r["se"]), num(r["ci_lb"]), num(r["ci_ub"])


def _need(ini, totals, areas, period, indicators: dict[str, Indicator]):
    t_reach = period_midpoint(period)
    for ind_id in ini.indicators:
        ind = indicators.get(ind_id)
        if ind is None:
            continue
        rows = totals[(totals["indicator"] == ind_id) & totals["area"].isin(areas)]
        rows = rows[rows["estimate"].notna()]
        counts = rows.groupby("period")["area"].nunique()
        ok = [p for p, n in counts.items() if n >= MIN_AREAS]
        if not ok:
            continue
        before = [p for p in ok if period_midpoint(p) <= t_reach]
        chosen = max(before, key=period_midpoint) if before else min(ok, key=period_midpoint)
        now = rows[rows["period"] == chosen]
        values = dict(zip(now["area"], now["estimate"].astype(float), strict=True))
        pops = {
            a: float(p)
            for a, p in zip(now["area"], now["population"], strict=True)
            if p == p and p > 0
        }
        return ind, chosen, values, pops
    return None


def _fractional_need_rank(areas, oriented, pops) -> dict[str, float]:
    """Population-weighted fractional rank by need: 0 = least need, 1 = most (ties share)."""
    if not areas:
        return {}
    frame = pd.DataFrame(
        {"a": areas, "need": [oriented[a] for a in areas], "w": [pops[a] for a in areas]}
    )
    by_need = frame.groupby("need")["w"].sum().sort_index()
    before = by_need.cumsum() - by_need
    rank = (before + by_need / 2) / by_need.sum()
    return {a: float(rank[n]) for a, n in zip(frame["a"], frame["need"], strict=True)}


def _suppressed(reached, pops, areas, scope: Scope, ini_id: str, period: str) -> dict:
    frame = pd.DataFrame(
        {
            "indicator": ini_id,
            "period": period,
            "area": scope.area.id,
            "dimension": "district",
            "subgroup": list(reached),
            "population": [pops.get(a, np.nan) for a in reached],
            "numerator": [float(reached[a]) for a in reached],
            "denominator": [pops.get(a, np.nan) for a in reached],
            "estimate": [float(reached[a]) for a in reached],
            "flag": None,
        }
    )
    out = suppress(frame, scope.policy)
    return {"hidden": set(out.loc[out["flag"].isin(SUPPRESSION_FLAGS), "subgroup"])}


def _too_few(ini, title_en, period, need_id, need_period, basis, scope, rows) -> ReachVsNeed:
    return ReachVsNeed(
        initiative=ini.id,
        title_sv=ini.title,
        title_en=title_en,
        period=period,
        need_indicator=need_id,
        need_period=need_period,
        population_basis=basis,
        conf_level=scope.conf_level,
        verdict="too_few_areas",
        text_sv=tx.sentence(
            f"Räckvidd och behov finns för färre än {MIN_AREAS} stadsområden "
            f"{period}; ingen jämförelse görs"
        ),
        text_en=tx.sentence(
            f"Reach and need are known for fewer than {MIN_AREAS} districts in "
            f"{period}; no comparison is made"
        ),
        areas=rows,
    )


def _texts(verdict, est, lo, hi, ind: Indicator, need_period, conf_level) -> tuple[str, str]:
    level = round(conf_level * 100)
    idx_sv = (
        f"koncentrationsindex {tx.number(est, 'sv', 2)} ({level} % KI "
        f"{tx.number(lo, 'sv', 2)} till {tx.number(hi, 'sv', 2)})"
    )
    idx_en = (
        f"concentration index {tx.number(est, 'en', 2)} ({level}% CI "
        f"{tx.number(lo, 'en', 2)} to {tx.number(hi, 'en', 2)})"
    )
    need_sv = f"behov mätt med ”{ind.title}” {need_period}"
    need_en = f"need measured by “{ind.title_en or ind.title}” in {need_period}"
    lead = {
        "most_need": (
            "Insatsen når främst stadsområden med störst behov",
            "The initiative mainly reaches the districts with the most need",
        ),
        "least_need": (
            "Insatsen når främst stadsområden med minst behov",
            "The initiative mainly reaches the districts with the least need",
        ),
        "evenly": (
            "Insatsen når stadsområdena utan säker skillnad efter behov",
            "The initiative reaches the districts with no clear difference by need",
        ),
    }[verdict]
    return (
        tx.sentence(f"{lead[0]}: {idx_sv}; {need_sv}"),
        tx.sentence(f"{lead[1]}: {idx_en}; {need_en}"),
    )
