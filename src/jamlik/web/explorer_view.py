"""The indicator explorer's choices and answer.

`Choice` is what the reader picked (validated, with defaults filled in); `explore_result` asks
`jamlik.followup.explore` (cached); `explorer_facts` turns the answer into the page's facts and
the view's chart and map. The chart over time is `jamlik.report.charts.level_spec`, the same
specification the report draws.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from jamlik.data import TOTAL
from jamlik.data.publish import published_observations
from jamlik.followup import ExploreResult, SubgroupSeries, explore
from jamlik.followup.texts import unit_words
from jamlik.report import charts
from jamlik.report.svg import render_svg
from jamlik.web.context import PageContext
from jamlik.web.svg.choropleth import MapArea, choropleth_svg

DISTRICT = "district"  # jamlik.followup's name for "the districts as subgroups"
LEVEL_DECIMALS = 1


@dataclass(frozen=True)
class Choice:
    """What the explorer shows: all fields valid for the workspace."""

    indicator: str
    dimension: str
    period: str | None
    area: str | None
    measure: str | None


def indicator_options(ctx: PageContext) -> list[str]:
    """Indicators the programme links first (in tree order), then any others defined."""
    linked = [i for _, n in ctx.snap.programme.walk() for i in n.indicators]
    ordered = list(dict.fromkeys([*linked, *ctx.snap.indicators]))
    return [i for i in ordered if i in ctx.snap.indicators]


def dimension_options(ctx: PageContext, indicator: str) -> list[str]:
    ind = ctx.snap.indicators[indicator]
    dims = [
        d
        for d in (ind.dimensions or ctx.snap.dimensions)
        if d != TOTAL and d in ctx.snap.dimensions
    ]
    return [*dims, DISTRICT] if ctx.snap.districts else dims


def area_options(ctx: PageContext) -> list[str]:
    top = ctx.snap.municipality
    return ([top.id] if top else []) + [a.id for a in ctx.snap.districts]


def published_frame(ctx: PageContext, indicator: str) -> pd.DataFrame:
    """The indicator's whole table (every area, breakdown and period) as it may be published,
    read and suppressed once per data version: every explorer view of the indicator selects
    from it instead of reading and suppressing the table again (the cost of a new choice)."""
    settings = ctx.settings
    definitions = ctx.snap.definitions

    def build() -> pd.DataFrame:
        return published_observations(
            settings.workspace, [indicator], policy=settings.policy, definitions=definitions
        )

    return ctx.data.cached("published", indicator, build)


def explore_result(ctx: PageContext, choice: Choice) -> ExploreResult:
    """The followup's answer for a choice, cached per data version."""
    settings = ctx.settings

    def build() -> ExploreResult:
        return explore(
            settings.workspace,
            choice.indicator,
            choice.dimension,
            choice.period,
            choice.area,
            policy=settings.policy,
            definitions=ctx.snap.definitions,
            published=published_frame(ctx, choice.indicator),
        )

    key = (choice.indicator, choice.dimension, choice.period, choice.area)
    return ctx.data.cached("explore", key, build)


def _policy(ctx: PageContext):
    """The suppression policy, read once per request (`settings.policy` reads the database
    each time, and a page may explain hundreds of hidden cells)."""
    policy = getattr(ctx, "_explorer_policy", None)
    if policy is None:
        policy = ctx.settings.policy
        ctx._explorer_policy = policy  # type: ignore[attr-defined]
    return policy


def hidden_text(ctx: PageContext, secondary: bool, population: float | None) -> str:
    """Why a value is hidden, in words: too few people, too few with or without the attribute,
    or hidden to protect another value (secondary suppression)."""
    policy = _policy(ctx)
    if secondary:
        return ctx.t("explorer.hidden.secondary")
    if population is not None and population >= policy.min_population:
        return ctx.t("explorer.hidden.few_with", k=max(policy.min_numerator - 1, 0))
    return ctx.t("explorer.hidden.too_few", n=policy.min_population)


def hidden_short(ctx: PageContext, secondary: bool, population: float | None) -> str:
    """`hidden_text` in a few words, for map labels."""
    policy = _policy(ctx)
    if secondary:
        return ctx.t("explorer.hidden_short.secondary")
    if population is not None and population >= policy.min_population:
        return ctx.t("explorer.hidden_short.few_with")
    return ctx.t("explorer.hidden_short.too_few")


# The measures that suit a breakdown, shown first (all measures are one click away):
# two groups → their difference and ratio; ordered groups → the gradient across all of them
# (SII/RII, ACI/RCI) and the extremes (D/R); unordered groups → D/R between the two groups
# named, and the spread over all groups (BGSD, IDISW) and what equalising would gain (PAF).
# Distribution measures (Gini, Atkinson, …) describe how an amount is shared and say little
# of a share or a rate by group, so they are never suggested.
SUITED = {
    "two": ("D", "R"),
    "ordered": ("D", "R", "SII", "RII", "ACI", "RCI"),
    "unordered": ("D", "R", "BGSD", "IDISW", "PAF"),
}


def breakdown_kind(ctx: PageContext, dimension: str, groups: int) -> str:
    """ "two", "ordered" or "unordered" (the districts are unordered)."""
    if groups <= 2:
        return "two"
    d = ctx.snap.dimensions.get(dimension)
    return "ordered" if d is not None and d.ordered else "unordered"


def compared_pair(
    ctx: PageContext, result: ExploreResult, favourable: bool
) -> tuple[SubgroupSeries, SubgroupSeries] | None:
    """The two subgroups D and R compare (jamlik.measures.simple's rule), from the shown
    values: ordered → most vs least advantaged; unordered with a reference → the reference vs
    the lowest (or the highest vs the reference when higher is worse); else highest vs lowest."""
    shown = [
        (s, s.points[0].estimate)
        for s in result.table
        if s.points and not s.points[0].suppressed and s.points[0].estimate is not None
    ]
    if len(shown) < 2:
        return None
    d = ctx.snap.dimensions.get(result.dimension)
    if d is not None and d.ordered and all(s.order is not None for s, _ in shown):
        # every order is set (checked just above); `or 0` only tells the type checker so
        low = min(shown, key=lambda x: x[0].order or 0)[0]
        high = max(shown, key=lambda x: x[0].order or 0)[0]
        return (high, low) if favourable else (low, high)
    refs = [s for s, _ in shown if s.reference]
    if len(refs) == 1:
        others = [x for x in shown if x[0] is not refs[0]]
        if favourable:
            return refs[0], min(others, key=lambda x: x[1])[0]
        return max(others, key=lambda x: x[1])[0], refs[0]
    return max(shown, key=lambda x: x[1])[0], min(shown, key=lambda x: x[1])[0]


def gap_history(ctx: PageContext, choice: Choice, measure: str) -> ExploreResult:
    """The explorer's answer with `measure` computed in every period (the gap over time),
    cached per data version."""
    settings = ctx.settings

    def build() -> ExploreResult:
        return explore(
            settings.workspace,
            choice.indicator,
            choice.dimension,
            None,
            choice.area,
            [measure],
            policy=settings.policy,
            definitions=ctx.snap.definitions,
            published=published_frame(ctx, choice.indicator),
            series_measure=measure,
        )

    key = ("gap", choice.indicator, choice.dimension, choice.area, measure)
    return ctx.data.cached("explore", key, build)


def gap_chart(
    ctx: PageContext, result: ExploreResult, measure_name: str
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The chosen measure with its interval over time (the report's gap_spec), with its
    table: the gap-over-time chart of the target-area pages, for any breakdown and measure."""
    from jamlik.measures.change import NULL_VALUES
    from jamlik.report.figures import gap_decimals

    series = [p for p in result.measure_series if p.estimate is not None]
    if len(series) < 2 or result.series_measure is None:
        return None
    t = ctx.t
    code = result.series_measure
    decimals = gap_decimals([v for p in series for v in (p.estimate, p.ci_lb, p.ci_ub)])
    periods = [p.period for p in result.measure_series]
    points = [
        charts.Point(p.period, code, p.estimate, p.ci_lb, p.ci_ub) for p in result.measure_series
    ]
    ind = ctx.snap.indicators[result.indicator]
    ind_title = t.pick(ind.title, ind.title_en) or ind.id
    dim_title = dimension_title(ctx, result.dimension)
    spec = charts.gap_spec(
        points, periods=periods, measure=measure_name, null_value=NULL_VALUES.get(code, 0.0),
        indicator=ind_title, dimension=dim_title, axis_title=f"{measure_name} ({code})",
        lang=ctx.lang, conf_level=result.conf_level, decimals=decimals,
    )  # fmt: skip
    rows = [
        [
            {"text": p.period, "value": p.period, "suppressed": False, "numeric": False},
            *(
                {"text": t.number(v, decimals), "value": v, "suppressed": False, "numeric": True}
                for v in (p.estimate, p.ci_lb, p.ci_ub)
            ),
        ]
        for p in result.measure_series
    ]
    chart_id = f"gap-{result.indicator}-{result.dimension}-{code}".lower()
    facts = {
        "id": chart_id,
        "title": t("explorer.gap_title", measure=measure_name, dimension=_lowfirst(dim_title)),
        "alt": spec["description"],
        "table": {
            "caption": t(
                "explorer.gap_table", measure=measure_name, level=round(result.conf_level * 100)
            ),
            "columns": [t("common.period"), measure_name, t("explorer.lower"), t("explorer.upper")],
            "rows": rows,
        },
    }
    return facts, {"spec": spec, "svg": render_svg(spec, ctx.lang)}


def with_intervals(spec: dict[str, Any]) -> dict[str, Any]:
    """A level chart with each point's confidence interval drawn as a vertical rule in its
    group's colour, under the lines."""
    enc = spec.pop("encoding")
    mark = spec.pop("mark")
    rule = {
        "mark": {"type": "rule", "strokeWidth": 1.5, "opacity": 0.6},
        "encoding": {
            "x": enc["x"],
            "y": {"field": "ci_lb", "type": "quantitative"},
            "y2": {"field": "ci_ub"},
            # the lines' own colour encoding, legend included: layers sharing one legend
            # merge it, where a disabled copy makes Vega-Lite warn of a conflict
            "color": enc["color"],
        },
    }
    spec["layer"] = [rule, {"mark": mark, "encoding": enc}]
    return spec


def dimension_title(ctx: PageContext, dimension: str) -> str:
    if dimension == DISTRICT:
        return ctx.t("explorer.district")
    d = ctx.snap.dimensions.get(dimension)
    return (ctx.t.pick(d.title, d.title_en) or dimension) if d else dimension


def unit_label(ctx: PageContext, indicator: str) -> str:
    sv, en, _, _ = unit_words(ctx.snap.indicators[indicator].unit)
    return sv if ctx.lang == "sv" else en


def subgroup_title(ctx: PageContext, s: SubgroupSeries) -> str:
    return s.title_sv if ctx.lang == "sv" else (s.title_en or s.title_sv)


def history_chart(
    ctx: PageContext, result: ExploreResult
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The level by subgroup over time (report's level_spec), with its table."""
    t = ctx.t
    series = sorted(
        enumerate(result.history), key=lambda s: (s[1].order is None, s[1].order or 0, s[0])
    )
    if not series:
        return None
    groups = [subgroup_title(ctx, s) for _, s in series]
    periods = list(result.periods) or sorted({p.period for _, s in series for p in s.points})
    points = [
        charts.Point(
            p.period,
            group,
            None if p.suppressed else p.estimate,
            None if p.suppressed else p.ci_lb,
            None if p.suppressed else p.ci_ub,
            suppressed=p.suppressed,
            secondary=p.suppressed and p.secondary,
        )  # fmt: skip
        for (_, s), group in zip(series, groups, strict=True)
        for p in s.points
        if p.period in periods
    ]
    ind = ctx.snap.indicators[result.indicator]
    ind_title = t.pick(ind.title, ind.title_en) or ind.id
    dim_title = dimension_title(ctx, result.dimension)
    unit = unit_label(ctx, result.indicator)
    spec = charts.level_spec(
        points, periods=periods, groups=groups, indicator=ind_title, dimension=dim_title,
        unit=unit.capitalize(), lang=ctx.lang, decimals=LEVEL_DECIMALS,
    )  # fmt: skip
    if any(p.ci_lb is not None for p in points):
        spec = with_intervals(spec)
    lookup = {(p.group, p.period): p for p in points}
    rows = []
    for period in periods:
        row = [{"text": period, "value": period, "suppressed": False, "numeric": False}]
        for group in groups:
            p = lookup.get((group, period))
            row.append(
                _cell(
                    ctx, p.value if p else None, bool(p and p.suppressed), bool(p and p.secondary)
                )
            )
        rows.append(row)
    chart_id = f"explore-{result.indicator}-{result.dimension}".lower()
    facts = {
        "id": chart_id,
        "title": t("explorer.chart_title", indicator=ind_title, dimension=_lowfirst(dim_title)),
        "alt": spec["description"],
        "table": {
            "caption": t("explorer.chart_table", dimension=_lowfirst(dim_title), unit=unit),
            "columns": [t("common.period"), *groups],
            "rows": rows,
        },
    }
    return facts, {"spec": spec, "svg": render_svg(spec, ctx.lang)}


def _lowfirst(text: str) -> str:
    return text[:1].lower() + text[1:]


def _cell(
    ctx: PageContext, value: float | None, suppressed: bool, secondary: bool = False
) -> dict[str, Any]:
    if suppressed:
        return {
            "text": ctx.t("common.suppressed_secondary" if secondary else "common.suppressed"),
            "value": None,
            "suppressed": True,
            "numeric": True,
        }
    if value is None:
        return {"text": "–", "value": None, "suppressed": False, "numeric": True}
    return {
        "text": ctx.t.number(value, LEVEL_DECIMALS),
        "value": round(value, LEVEL_DECIMALS + 2),
        "suppressed": False,
        "numeric": True,
    }


def district_map(
    ctx: PageContext, choice: Choice, period: str | None
) -> tuple[dict[str, Any], str] | None:
    """The districts' values in the chosen period as facts and an SVG choropleth."""
    if not ctx.snap.districts or period is None:
        return None
    top = ctx.snap.municipality
    if choice.area not in (None, top.id if top else None):
        return None
    by_district = explore_result(ctx, Choice(choice.indicator, DISTRICT, period, choice.area, None))
    values = {s.subgroup: (s.points[0] if s.points else None) for s in by_district.table}
    t = ctx.t
    areas = []
    hidden = {}
    for d in ctx.snap.districts:
        p = values.get(d.id)
        if p is not None and p.suppressed:
            hidden[d.id] = hidden_short(ctx, p.secondary, p.population)
        suppressed = bool(p and p.suppressed)
        areas.append(
            MapArea(
                d.id,
                d.name,
                d.geometry,
                None if (p is None or suppressed) else p.estimate,
                suppressed,
            )
        )
    ind = ctx.snap.indicators[choice.indicator]
    ind_title = t.pick(ind.title, ind.title_en) or ind.id
    svg, legend = choropleth_svg(
        areas,
        title=t("explorer.map_title", indicator=ind_title, period=period),
        desc=t("explorer.map_desc"),
        fmt=lambda v: t.number(v, LEVEL_DECIMALS),
        suppressed_word=t("common.suppressed"),
        hidden_words=hidden,
    )
    if not svg:
        return None
    facts = {
        "period": period,
        "title": t("explorer.map_title", indicator=ind_title, period=period),
        "districts": [
            {
                "id": a.id,
                "name": a.name,
                "estimate": a.value,
                "suppressed": a.suppressed,
                "hidden_reason": hidden.get(a.id),
            }
            for a in areas
        ],
        "legend": [
            {"low": legend.limits[i], "high": legend.limits[i + 1], "colour": c}
            for i, c in enumerate(legend.colours)
        ]
        if legend
        else [],
    }
    return facts, svg
