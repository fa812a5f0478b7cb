"""Levels: each area's total over time, its latest value and its change since the baseline.

Change since the baseline is `jamlik.measures.change.change` (difference of two independent
estimates; se = √(se₀² + se₁²), which is conservative for the same population measured twice).
The verdict follows the indicator's polarity: "improved" or "worsened" when the interval
excludes 0, else "no clear change". Register data delivered without standard errors have no
sampling error: their change is judged by its sign, and the sentence says there is no interval.
"""

from __future__ import annotations

import math

import pandas as pd

from jamlik.data import TOTAL, Indicator, period_midpoint
from jamlik.followup import texts as tx
from jamlik.followup.gaps import LEVEL
from jamlik.followup.model import LevelFollowUp, LevelTrend, Point
from jamlik.followup.scope import Scope, baseline_period
from jamlik.followup.series import FollowUpData, num, text_or_none
from jamlik.measures.change import change


def level_results(
    data: FollowUpData, trends: pd.DataFrame, scope: Scope
) -> dict[str, tuple[LevelFollowUp, list[LevelFollowUp]]]:
    """Per indicator: the level of the area followed, and of each of its districts."""
    level_trends = {
        (r["indicator"], r["area"]): r
        for r in trends[trends["measure"] == LEVEL].to_dict("records")
    }
    out: dict[str, tuple[LevelFollowUp, list[LevelFollowUp]]] = {}
    for ind in scope.indicators:
        rows = data.totals[data.totals["indicator"] == ind.id]
        main_pts = data.total_points.get((ind.id, scope.area.id, TOTAL, TOTAL), [])
        with_value = [p.period for p in main_pts if p.estimate is not None]
        latest = max(with_value, key=period_midpoint) if with_value else None
        base = baseline_period(with_value, scope.baseline)
        changes = _changes(rows, base, latest, scope.conf_level)
        levels = []
        for area_id in scope.area_ids:
            pts = data.total_points.get((ind.id, area_id, TOTAL, TOTAL), [])
            levels.append(
                _level(
                    ind,
                    area_id,
                    scope,
                    pts,
                    base,
                    latest,
                    changes.get(area_id),
                    level_trends.get((ind.id, area_id)),
                )
            )
        out[ind.id] = (levels[0], levels[1:])
    return out


def _changes(rows: pd.DataFrame, base: str | None, latest: str | None, conf_level: float):
    if base is None or latest is None or base == latest:
        return {}
    frame = rows.assign(measure=LEVEL)[["area", "period", "measure", "estimate", "se"]]
    frame = frame[frame["period"].isin([base, latest])]
    # change() skips points without a positive se; a tiny stand-in keeps the difference of
    # register data (no sampling error), whose interval is then dropped (module docstring).
    missing_se = (~(frame["se"] > 0)).groupby(frame["area"]).any()
    frame = frame.assign(se=frame["se"].where(frame["se"] > 0, 1e-300))
    result = change(
        frame,
        by="area",
        time="period",
        start=base,
        end=latest,
        conf_level=conf_level,
        null_values={LEVEL: 0.0},
        to_time=period_midpoint,
        texts=False,
    )
    out = {}
    for r in result.to_dict("records"):
        no_se = bool(missing_se.get(r["area"], True))
        out[r["area"]] = {
            "difference": num(r["difference"]),
            "se": None if no_se else num(r["se"]),
            "ci_lb": None if no_se else num(r["ci_lb"]),
            "ci_ub": None if no_se else num(r["ci_ub"]),
        }
    return out


def _level(
    ind: Indicator,
    area_id: str,
    scope: Scope,
    pts: list[Point],
    base: str | None,
    latest: str | None,
    chg: dict | None,
    trend_row: dict | None,
) -> LevelFollowUp:
    by_period = {p.period: p for p in pts}
    last = by_period.get(latest) if latest else None
    first = by_period.get(base) if base else None
    verdict = _verdict(ind, chg, last)
    text_sv, text_en = _sentence(ind, last, first, chg, verdict, scope.conf_level)
    return LevelFollowUp(
        area=area_id,
        area_name=scope.area_name(area_id),
        latest=last,
        baseline=first,
        change=chg["difference"] if chg else None,
        change_se=chg["se"] if chg else None,
        change_ci_lb=chg["ci_lb"] if chg else None,
        change_ci_ub=chg["ci_ub"] if chg else None,
        verdict=verdict,
        text_sv=text_sv,
        text_en=text_en,
        series=pts,
        trend=_trend(trend_row, scope.conf_level),
    )


def _verdict(ind: Indicator, chg: dict | None, last: Point | None) -> str:
    if last is None or last.estimate is None or not chg or chg["difference"] is None:
        return "no data"
    diff = chg["difference"]
    if chg["ci_lb"] is not None and chg["ci_ub"] is not None:
        if chg["ci_lb"] <= 0 <= chg["ci_ub"]:
            return "no clear change"
    elif diff == 0:
        return "no clear change"
    better = (diff > 0) == ind.favourable
    return "improved" if better else "worsened"


def _sentence(ind, last, first, chg, verdict, conf_level) -> tuple[str, str]:
    u = ind.unit
    if last is None or last.estimate is None:
        return "Inga värden finns för perioden.", "There are no values for the period."
    now_sv = f"Nivån var {tx.with_unit(last.estimate, u, 'sv')} {last.period}"
    now_en = f"The level was {tx.with_unit(last.estimate, u, 'en')} in {last.period}"
    if first is None or first.estimate is None or not chg or chg["difference"] is None:
        return (
            tx.sentence(now_sv + "; jämförelseåret saknar värde"),
            tx.sentence(now_en + "; the baseline year has no value"),
        )
    then_sv = f"jämfört med {tx.with_unit(first.estimate, u, 'sv')} {first.period}"
    then_en = f"compared with {tx.with_unit(first.estimate, u, 'en')} in {first.period}"
    d_sv = tx.with_unit(abs(chg["difference"]), u, "sv", difference=True)
    d_en = tx.with_unit(abs(chg["difference"]), u, "en", difference=True)
    level = round(conf_level * 100)
    if chg["ci_lb"] is not None:
        ci_sv = (
            f" ({level} % KI för förändringen {tx.number(chg['ci_lb'], 'sv')} till "
            f"{tx.number(chg['ci_ub'], 'sv')})"
        )
        ci_en = (
            f" ({level}% CI for the change {tx.number(chg['ci_lb'], 'en')} to "
            f"{tx.number(chg['ci_ub'], 'en')})"
        )
    else:
        ci_sv = " (källan anger ingen osäkerhet)"
        ci_en = " (the source gives no uncertainty)"
    what_sv, what_en = {
        "improved": (f"en förbättring med {d_sv}", f"an improvement of {d_en}"),
        "worsened": (f"en försämring med {d_sv}", f"a worsening of {d_en}"),
        "no clear change": ("ingen säker förändring", "no clear change"),
    }.get(verdict, ("", ""))
    return (
        tx.sentence(f"{now_sv}, {then_sv}: {what_sv}{ci_sv}"),
        tx.sentence(f"{now_en}, {then_en}: {what_en}{ci_en}"),
    )


def _trend(row: dict | None, conf_level: float) -> LevelTrend | None:
    if row is None:
        return None
    se = num(row["se"])
    return LevelTrend(
        slope=num(row["slope"]),
        se=se,
        ci_lb=num(row["ci_lb"]),
        ci_ub=num(row["ci_ub"]),
        conf_level=conf_level,
        n_points=int(row["n_points"]),
        first=text_or_none(row["first"]),
        last=text_or_none(row["last"]),
        end_fit=num(row["end_fit"]),
        tau=num(row["tau"]),
        enough=row["verdict"] != "too few points" and se is not None and math.isfinite(se),
    )
