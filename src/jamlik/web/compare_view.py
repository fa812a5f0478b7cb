"""The explorer's comparing views: the overview (indicators × areas or × groups), compare areas
(sorted bars with intervals, the map by significance) and the funnel plot.

All numbers come from `jamlik.followup.compare` and `jamlik.followup.funnel` on the indicator's
published (suppressed) table, kept per data version (`explorer_view.published_frame`). The page
facts carry every category both as a code and in words; the JSON twin has the same.
"""

from __future__ import annotations

from typing import Any, TypedDict

from jamlik.data import TOTAL
from jamlik.followup.compare import Compared, area_values, group_values
from jamlik.followup.funnel import FunnelInput, funnel
from jamlik.followup.significance import COLOURS, ORDER
from jamlik.report.svg import render_svg
from jamlik.web.compare_charts import bar_spec, funnel_spec
from jamlik.web.context import PageContext
from jamlik.web.explorer_view import (
    LEVEL_DECIMALS,
    dimension_title,
    hidden_short,
    hidden_text,
    indicator_options,
    published_frame,
    unit_label,
)
from jamlik.web.svg.choropleth import MapArea, choropleth_svg

PROPORTION_SCALES = (1.0, 100.0)


class _District(TypedDict):
    """One district's row in the funnel chart and its table."""

    id: str
    name: str
    estimate: float | None
    size: float | None
    z: float | None
    category: str
    label: str
    text: str


def category_labels(ctx: PageContext) -> dict[str, str]:
    return {c: ctx.t(f"explorer.sig.{c}") for c in ORDER}


def comparable_areas(ctx: PageContext) -> list[str]:
    """The municipality, its districts, then other top-level areas (comparison
    municipalities) in definition order."""
    top = ctx.snap.municipality
    out = ([top.id] if top else []) + [d.id for d in ctx.snap.districts]
    others = [a.id for a in ctx.snap.definitions.areas if a.parent is None and a.id not in out]
    return out + others


def cell_fact(ctx: PageContext, c: Compared, labels: dict[str, str]) -> dict[str, Any]:
    fill, ink = COLOURS[c.category]
    if c.suppressed:
        text = hidden_text(ctx, c.secondary, c.population)
    elif c.estimate is None:
        text = "–"
    else:
        text = ctx.t.number(c.estimate, LEVEL_DECIMALS)
    return {
        "key": c.key,
        "estimate": c.estimate,
        "ci_lb": c.ci_lb,
        "ci_ub": c.ci_ub,
        "ci_lb_998": c.ci_lb_998,
        "ci_ub_998": c.ci_ub_998,
        "population": c.population,
        "category": c.category,
        "label": labels[c.category],
        "method": c.method,
        "suppressed": c.suppressed,
        "secondary": c.secondary,
        "text": text,
        "fill": fill,
        "ink": ink,
    }


def overview_areas(ctx: PageContext, benchmark: str) -> dict[str, Any]:
    """Indicators × areas, each cell against `benchmark` in the indicator's latest period in
    which the benchmark has a value."""
    labels = category_labels(ctx)
    areas = comparable_areas(ctx)
    rows = []
    with_data: set[str] = set()
    for ind_id in indicator_options(ctx):
        ind = ctx.snap.indicators[ind_id]
        frame = published_frame(ctx, ind_id)
        period, bench, cells = area_values(frame, ind, areas, benchmark)
        if period is None:
            continue
        with_data.update(c.key for c in cells if c.category != "no_data")
        rows.append((ind, period, bench, cells))
    columns = [a for a in areas if a in with_data]
    out_rows = []
    for ind, period, bench, cells in rows:
        by_key = {c.key: c for c in cells}
        out_rows.append(
            {
                "indicator": ind.id,
                "title": ctx.t.pick(ind.title, ind.title_en),
                "polarity": ind.polarity,
                "polarity_label": ctx.t(f"polarity.{ind.polarity}"),
                "unit": unit_label(ctx, ind.id),
                "period": period,
                "benchmark_value": bench,
                "href": _href("/explorer/compare", indicator=ind.id, benchmark=benchmark),
                "cells": [cell_fact(ctx, by_key[a], labels) for a in columns],
            }
        )
    return {
        "columns": [
            {"id": a, "name": ctx.snap.areas[a].name, "benchmark": a == benchmark} for a in columns
        ],
        "rows": out_rows,
    }


def overview_groups(ctx: PageContext, area: str, dimension: str) -> dict[str, Any]:
    """Indicators × the dimension's subgroups in one area, each against the area's total."""
    labels = category_labels(ctx)
    dim = ctx.snap.dimensions.get(dimension)
    groups = [
        (s.id, ctx.t.pick(s.title, s.title_en) or s.id) for s in (dim.subgroups if dim else [])
    ]
    rows = []
    for ind_id in indicator_options(ctx):
        ind = ctx.snap.indicators[ind_id]
        if ind.dimensions is not None and dimension not in ind.dimensions:
            continue
        period, bench, cells = group_values(published_frame(ctx, ind_id), ind, area, dimension)
        if period is None or not cells:
            continue
        by_key = {c.key: c for c in cells}
        rows.append(
            {
                "indicator": ind.id,
                "title": ctx.t.pick(ind.title, ind.title_en),
                "polarity": ind.polarity,
                "polarity_label": ctx.t(f"polarity.{ind.polarity}"),
                "unit": unit_label(ctx, ind.id),
                "period": period,
                "benchmark_value": bench,
                "href": _href(
                    "/explorer",
                    indicator=ind.id,
                    dimension=dimension,
                    area=None
                    if ctx.snap.municipality and area == ctx.snap.municipality.id
                    else area,
                ),
                "cells": [
                    cell_fact(ctx, by_key[g] if g in by_key else _missing(g), labels)
                    for g, _ in groups
                ],
            }
        )
    return {
        "columns": [{"id": g, "name": name, "benchmark": False} for g, name in groups],
        "rows": rows,
        "dimension_title": dimension_title(ctx, dimension),
    }


def _missing(key: str) -> Compared:
    return Compared(key, None, None, None, None, None, None, None, None, None, "no_data", "none")


def _href(path: str, **params: object) -> str:
    from jamlik.web.refs import href

    return href(path, **params)


def compare_areas(
    ctx: PageContext, indicator: str, benchmark: str, period: str | None, map_kind: str
) -> dict[str, Any]:
    """One indicator, every area with a value: facts, the bar chart and the map."""
    t = ctx.t
    labels = category_labels(ctx)
    ind = ctx.snap.indicators[indicator]
    areas = comparable_areas(ctx)
    frame = published_frame(ctx, indicator)
    period, bench, cells = area_values(frame, ind, areas, benchmark, period)
    cells = [c for c in cells if c.category != "no_data"]
    facts_cells = [{**cell_fact(ctx, c, labels), "name": ctx.snap.areas[c.key].name} for c in cells]
    facts_cells.sort(
        key=lambda c: (c["estimate"] is None, -(c["estimate"] or 0) * (1 if ind.favourable else -1))
    )
    unit = unit_label(ctx, indicator)
    ind_title = t.pick(ind.title, ind.title_en) or ind.id
    bench_name = ctx.snap.areas[benchmark].name if benchmark in ctx.snap.areas else benchmark
    chart = None
    if any(c["estimate"] is not None for c in facts_cells):
        spec = bar_spec(
            [
                {
                    "name": c["name"],
                    "value": c["estimate"],
                    "ci_lb": c["ci_lb"],
                    "ci_ub": c["ci_ub"],
                    "category": c["category"],
                    "label": c["label"],
                }
                for c in facts_cells
            ],
            benchmark=bench,
            benchmark_label=t("explorer.compare.benchmark_line", area=bench_name),
            labels=labels,
            unit=unit.capitalize(),
            description=t(
                "explorer.compare.alt", indicator=ind_title, period=period or "–", area=bench_name
            ),
            legend_title=t("explorer.sig.legend"),
            interval_title=t("explorer.compare.interval95"),
        )
        chart_id = f"compare-{indicator}".lower()
        chart = (
            {
                "id": chart_id,
                "title": t(
                    "explorer.compare.chart_title", indicator=ind_title, period=period or "–"
                ),
                "alt": spec["description"],
                "table": _table(ctx, facts_cells, unit),
            },
            {"spec": spec, "svg": render_svg(spec, ctx.lang)},
        )
    map_part = _sig_map(ctx, ind_title, period, facts_cells, map_kind)
    return {
        "period": period,
        "benchmark": {"id": benchmark, "name": bench_name, "value": bench},
        "areas": facts_cells,
        "chart": chart,
        "map": map_part,
    }


def _table(ctx: PageContext, cells: list[dict[str, Any]], unit: str) -> dict[str, Any]:
    t = ctx.t
    rows = []
    for c in cells:
        interval = (
            f"{t.number(c['ci_lb'], LEVEL_DECIMALS)}–{t.number(c['ci_ub'], LEVEL_DECIMALS)}"
            if c["ci_lb"] is not None
            else "–"
        )
        rows.append(
            [
                {"text": c["name"], "value": c["key"], "suppressed": False, "numeric": False},
                {
                    "text": c["text"],
                    "value": c["estimate"],
                    "suppressed": c["suppressed"],
                    "numeric": True,
                },
                {"text": interval, "value": None, "suppressed": False, "numeric": False},
                {"text": c["label"], "value": c["category"], "suppressed": False, "numeric": False},
            ]
        )
    return {
        "caption": t("explorer.compare.table_caption", unit=unit),
        "columns": [
            t("explorer.area"),
            t("explorer.col_value"),
            t("explorer.compare.interval95"),
            t("explorer.sig.legend"),
        ],
        "rows": rows,
    }


def _sig_map(
    ctx: PageContext, ind_title: str, period: str | None, cells: list[dict[str, Any]], kind: str
) -> dict[str, Any] | None:
    t = ctx.t
    if not ctx.snap.districts or period is None:
        return None
    by_key = {c["key"]: c for c in cells}
    areas = []
    fills = {}
    for d in ctx.snap.districts:
        c = by_key.get(d.id)
        suppressed = bool(c and c["suppressed"])
        areas.append(
            MapArea(
                d.id,
                d.name,
                d.geometry,
                None if (c is None or suppressed) else c["estimate"],
                suppressed,
            )
        )
        if c and kind == "significance" and not suppressed:
            fills[d.id] = (c["fill"], c["ink"], c["label"])
    hidden = {
        c["key"]: hidden_short(ctx, c["secondary"], c["population"])
        for c in cells
        if c["suppressed"]
    }
    svg, legend = choropleth_svg(
        areas,
        hidden_words=hidden,
        title=t("explorer.map_title", indicator=ind_title, period=period),
        desc=t("explorer.compare.map_desc" if kind == "significance" else "explorer.map_desc"),
        fmt=lambda v: t.number(v, LEVEL_DECIMALS),
        suppressed_word=t("common.suppressed"),
        fills=fills if kind == "significance" else None,
    )
    if not svg:
        return None
    used = [c for c in ORDER if any(x["category"] == c for x in cells if x["key"] in fills)]
    return {
        "kind": kind,
        "svg": svg,
        "legend": (
            [
                {"category": c, "label": t(f"explorer.sig.{c}"), "colour": COLOURS[c][0]}
                for c in used
            ]
            if kind == "significance"
            else [
                {"low": legend.limits[i], "high": legend.limits[i + 1], "colour": col}
                for i, col in enumerate(legend.colours)
            ]
            if legend
            else []
        ),
    }


def funnel_view(ctx: PageContext, indicator: str, period: str | None) -> dict[str, Any]:
    """The municipality's districts in a funnel around the municipality's value."""
    t = ctx.t
    labels = category_labels(ctx)
    ind = ctx.snap.indicators[indicator]
    top = ctx.snap.municipality
    if top is None or not ctx.snap.districts:
        return {"period": None, "funnel": None, "chart": None, "districts": []}
    ids = [d.id for d in ctx.snap.districts]
    period, bench, cells = area_values(
        published_frame(ctx, indicator), ind, [top.id, *ids], top.id, period
    )
    by_key = {c.key: c for c in cells}
    scale = _proportion_scale(ind.scale, [c.estimate for c in cells], bench)
    inputs = [
        FunnelInput(
            d,
            by_key[d].estimate,
            by_key[d].se,
            by_key[d].denominator or by_key[d].population,
            by_key[d].suppressed,
        )
        for d in ids
        if by_key[d].category != "no_data"
    ]
    result = (
        funnel(inputs, bench, favourable=ind.favourable, scale=scale) if bench is not None else None
    )
    unit = unit_label(ctx, indicator)
    ind_title = t.pick(ind.title, ind.title_en) or ind.id
    names = {a: ctx.snap.areas[a].name for a in ids}
    districts: list[_District] = []
    if result:
        for p in sorted(result.points, key=lambda p: -p.z * (1 if ind.favourable else -1)):
            districts.append(
                {
                    "id": p.key,
                    "name": names[p.key],
                    "estimate": p.estimate,
                    "size": p.size,
                    "z": p.z,
                    "category": p.category,
                    "label": labels[p.category],
                    "text": t.number(p.estimate, LEVEL_DECIMALS),
                }
            )
    for key in result.left_out if result else [i.key for i in inputs]:
        c = by_key[key]
        districts.append(
            {
                "id": key,
                "name": names[key],
                "estimate": None,
                "size": c.population,
                "z": None,
                "category": c.category if c.suppressed else "not_compared",
                "label": labels["suppressed" if c.suppressed else "not_compared"],
                "text": hidden_text(ctx, c.secondary, c.population) if c.suppressed else "–",
            }
        )
    chart = None
    if result:
        spec = funnel_spec(
            [
                {"name": d["name"], "size": d["size"], "value": d["estimate"],
                 "category": d["category"], "label": d["label"]}
                for d in districts
                if d["estimate"] is not None
            ],
            result.limits,
            target=result.target,
            labels=labels,
            size_title=t("explorer.funnel.size"),
            unit=unit.capitalize(),
            description=t("explorer.funnel.alt", indicator=ind_title, period=period or "–"),
            legend_title=t("explorer.sig.legend"),
            limit_titles={"95": t("explorer.funnel.limit95"), "998": t("explorer.funnel.limit998")},
        )  # fmt: skip
        chart = (
            {
                "id": f"funnel-{indicator}".lower(),
                "title": t("explorer.funnel.chart_title", indicator=ind_title, period=period or "–"),
                "alt": spec["description"],
                "table": {
                    "caption": t("explorer.funnel.table_caption", unit=unit),
                    "columns": [
                        t("explorer.district"),
                        t("explorer.col_value"),
                        t("explorer.funnel.size"),
                        "z",
                        t("explorer.sig.legend"),
                    ],
                    "rows": [
                        [
                            {"text": d["name"], "value": d["id"], "suppressed": False, "numeric": False},
                            {"text": d["text"], "value": d["estimate"], "suppressed": d["estimate"] is None, "numeric": True},
                            {"text": t.number(d["size"], 0), "value": d["size"], "suppressed": False, "numeric": True},
                            {"text": t.number(d["z"], 2), "value": d["z"], "suppressed": False, "numeric": True},
                            {"text": d["label"], "value": d["category"], "suppressed": False, "numeric": False},
                        ]
                        for d in districts
                    ],
                },
            },
            {"spec": spec, "svg": render_svg(spec, ctx.lang)},
        )  # fmt: skip
    return {
        "period": period,
        "target": bench,
        "target_area": {"id": top.id, "name": top.name},
        "funnel": None
        if result is None
        else {
            "kind": result.kind,
            "phi": result.phi,
            "chi2_p": result.chi2_p,
            "overdispersed": result.overdispersed,
            "tau2": result.tau2,
            "limits": result.limits,
        },
        "districts": districts,
        "chart": chart,
    }


def _proportion_scale(scale: float, values: list[float | None], target: float | None):
    """100 for percentages; 1 when every value is a share (0–1); else None (not a proportion:
    the funnel then takes its variance from the standard errors)."""
    if scale == 100:
        return 100.0
    shown = [v for v in values if v is not None]
    if scale == 1 and target is not None and 0 < target < 1 and all(0 <= v <= 1 for v in shown):
        return 1.0
    return None


def group_dimensions(ctx: PageContext) -> list[str]:
    return [d for d in ctx.snap.dimensions if d != TOTAL]
