"""The indicator explorer: choose indicator, dimension, period and measure (a GET form that works
without JavaScript; htmx swaps the answer in place when it is there), see the chart over time
with its table, every applicable measure with its interval, a map of the districts, and
download the data as CSV or XLSX."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException
from starlette.responses import Response

from jamlik.data import TOTAL
from jamlik.errors import JamlikError
from jamlik.followup.significance import COLOURS
from jamlik.web.compare_view import (
    comparable_areas,
    compare_areas,
    funnel_view,
    group_dimensions,
    overview_areas,
    overview_groups,
)
from jamlik.web.context import PageContext, page_context
from jamlik.web.downloads import to_csv, to_xlsx
from jamlik.web.explorer_view import (
    DISTRICT,
    SUITED,
    Choice,
    area_options,
    breakdown_kind,
    compared_pair,
    dimension_options,
    dimension_title,
    district_map,
    explore_result,
    gap_chart,
    gap_history,
    hidden_text,
    history_chart,
    indicator_options,
    published_frame,
    subgroup_title,
    unit_label,
)
from jamlik.web.publication import readable
from jamlik.web.refs import href
from jamlik.web.twin import Page, html_only

router = APIRouter(tags=["explorer"], dependencies=[Depends(readable)])


def _choice(
    ctx: PageContext,
    indicator: str | None,
    dimension: str | None,
    period: str | None,
    area: str | None,
    measure: str | None,
) -> tuple[Choice, list[str]]:
    """The validated choice and notes on anything that had to be replaced."""
    t = ctx.t
    notes: list[str] = []
    indicators = indicator_options(ctx)
    if not indicators:
        raise HTTPException(404, "The workspace defines no indicators.")
    if indicator is None:
        indicator = indicators[0]
    elif indicator not in indicators:
        raise HTTPException(404, f"No indicator '{indicator}'.")
    dims = dimension_options(ctx, indicator)
    if dimension not in dims:
        if dimension:
            notes.append(t("explorer.note_dimension", dimension=dimension))
        dimension = dims[0] if dims else DISTRICT
    areas = area_options(ctx)
    if area is not None and area not in areas:
        notes.append(t("explorer.note_area", area=area))
        area = None
    top = ctx.snap.municipality
    if area == (top.id if top else None):
        area = None
    if area is not None and dimension == DISTRICT:
        notes.append(t("explorer.note_district_area"))
        dimension = next((d for d in dims if d != DISTRICT), DISTRICT)
    return Choice(indicator, dimension, period or None, area, measure or None), notes


def _result(ctx: PageContext, choice: Choice, notes: list[str]):
    """The explorer's answer; a period without data falls back to the latest."""
    try:
        result = explore_result(ctx, choice)
        if not choice.period or choice.period in result.periods:
            return choice, result
    except JamlikError as exc:
        if not choice.period:
            raise HTTPException(422, str(exc)) from None
    notes.append(ctx.t("explorer.note_period", period=choice.period))
    choice = Choice(choice.indicator, choice.dimension, None, choice.area, choice.measure)
    try:
        return choice, explore_result(ctx, choice)
    except JamlikError as exc:
        raise HTTPException(422, str(exc)) from None


@router.get("/explorer", summary="Indikatorutforskaren / the indicator explorer")
async def explorer(
    indicator: str | None = None,
    dimension: str | None = None,
    period: str | None = None,
    area: str | None = None,
    measure: str | None = None,
    measures: str | None = None,
    ctx: PageContext = Depends(page_context),
) -> Response:
    return await ctx.respond(
        lambda: _explorer(ctx, indicator, dimension, period, area, measure, measures == "all")
    )


def _explorer(
    ctx: PageContext,
    indicator: str | None,
    dimension: str | None,
    period: str | None,
    area: str | None,
    measure: str | None,
    all_measures: bool = False,
) -> Page:
    t = ctx.t
    snap = ctx.snap
    choice, notes = _choice(ctx, indicator, dimension, period, area, measure)
    choice, result = _result(ctx, choice, notes)
    ind = snap.indicators[choice.indicator]
    codes = [m.code for m in result.measures]
    kind = breakdown_kind(ctx, result.dimension, len(result.table))
    suited = [c for c in SUITED[kind] if c in codes]
    chosen_measure = choice.measure if choice.measure in codes else (suited or codes or [None])[0]
    if choice.measure and choice.measure not in codes:
        notes.append(t("explorer.note_measure", measure=choice.measure))

    def page_parts() -> tuple[Any, Any]:
        return history_chart(ctx, result), district_map(ctx, choice, result.period)

    chart, map_part = ctx.data.cached(
        "page",
        ("explorer", choice.indicator, choice.dimension, result.period, choice.area, ctx.lang),
        page_parts,
    )
    gap = None
    if chosen_measure:
        chosen = next(m for m in result.measures if m.code == chosen_measure)

        def gap_part() -> Any:
            return gap_chart(ctx, gap_history(ctx, choice, chosen_measure), _name(ctx, chosen))

        gap = ctx.data.cached(
            "page",
            (
                "explorer-gap",
                choice.indicator,
                choice.dimension,
                choice.area,
                chosen_measure,
                ctx.lang,
            ),
            gap_part,
        )
    area_id = result.area
    pair = compared_pair(ctx, result, ind.favourable)
    pair_fact = (
        None
        if pair is None
        else {
            "first": {"id": pair[0].subgroup, "title": subgroup_title(ctx, pair[0])},
            "second": {"id": pair[1].subgroup, "title": subgroup_title(ctx, pair[1])},
            "text": t(
                "explorer.pair",
                first=_in_sentence(subgroup_title(ctx, pair[0]), choice.dimension),
                second=_in_sentence(subgroup_title(ctx, pair[1]), choice.dimension),
            ),
        }
    )
    facts = {
        "choice": {
            "indicator": choice.indicator,
            "dimension": choice.dimension,
            "period": result.period,
            "area": area_id,
            "measure": chosen_measure,
        },
        "notes": notes,
        # The source's mandatory notes on these values (SCB's noteMandatory): shown with them.
        "source_notes": _source_notes(ctx, choice.indicator),
        "options": {
            "indicator": [
                {"id": i, "title": t.pick(snap.indicators[i].title, snap.indicators[i].title_en)}
                for i in indicator_options(ctx)
            ],
            "dimension": [
                {"id": d, "title": dimension_title(ctx, d)}
                for d in dimension_options(ctx, choice.indicator)
            ],
            "period": list(reversed(result.periods)),
            "area": [{"id": a, "name": snap.areas[a].name} for a in area_options(ctx)],
            "measure": [{"code": m.code, "name": _name(ctx, m)} for m in result.measures],
        },
        "indicator": {
            "id": ind.id,
            "title": t.pick(ind.title, ind.title_en),
            "description": ind.description,
            "unit": unit_label(ctx, ind.id),
            "polarity": {"code": ind.polarity, "label": t(f"polarity.{ind.polarity}")},
        },
        "area": {
            "id": area_id,
            "name": snap.areas[area_id].name if area_id in snap.areas else area_id,
        },
        "dimension_title": dimension_title(ctx, choice.dimension),
        "total": _point(result.total, ctx),
        "table": [
            {
                "subgroup": s.subgroup,
                "title": subgroup_title(ctx, s),
                "order": s.order,
                "reference": s.reference,
                **(
                    _point(s.points[0] if s.points else None, ctx)
                    or {"suppressed": False, "estimate": None}
                ),
            }
            for s in result.table
        ],
        "measures": [
            {
                "code": m.code,
                "name": _name(ctx, m),
                "estimate": m.estimate,
                "ci_lb": m.ci_lb,
                "ci_ub": m.ci_ub,
                "note": m.note,
                "interpretation": m.interpretation_sv if ctx.lang == "sv" else m.interpretation_en,
                "chosen": m.code == chosen_measure,
                "suited": m.code in suited,
                "shown": all_measures or not suited or m.code in suited or m.code == chosen_measure,
                "pair": pair_fact if m.code in ("D", "R") else None,
            }
            for m in result.measures
        ],
        "views": _views_nav(ctx, "explorer", choice.indicator),
        "compare_href": href("/explorer/compare", indicator=choice.indicator, period=result.period),
        "breakdown": {"kind": kind, "label": t(f"explorer.breakdown.{kind}")},
        "all_measures": all_measures or not suited,
        "measures_link": href(
            "/explorer",
            indicator=choice.indicator,
            dimension=choice.dimension,
            period=result.period,
            area=choice.area,
            measure=choice.measure,
            measures=None if all_measures else "all",
        ),
        "measures_count": {"suited": len(suited), "all": len(codes)},
        "conf_level": result.conf_level,
        "min_population": result.min_population,
        "chart": chart[0] if chart else None,
        "gap_chart": gap[0] if gap else None,
        "map": map_part[0] if map_part else None,
        "downloads": {
            "csv": href("/explorer/download.csv", **_download_params(choice, area_id, ctx)),
            "xlsx": href("/explorer/download.xlsx", **_download_params(choice, area_id, ctx)),
        },
    }
    view = {
        "charts": {
            **({chart[0]["id"]: chart[1]} if chart else {}),
            **({gap[0]["id"]: gap[1]} if gap else {}),
        },
        "map_svg": map_part[1] if map_part else "",
    }
    title = f"{t('explorer.heading')}: {facts['indicator']['title']}"
    return Page("explorer.html", title, facts, view=view)


def _in_sentence(title: str, dimension: str) -> str:
    """A subgroup's title inside a sentence: "kvinnor", but district names keep their capital."""
    return title if dimension == DISTRICT else title[:1].lower() + title[1:]


def _source_notes(ctx: PageContext, indicator: str) -> list[str]:
    """The source's mandatory notes on the values of `indicator` (shown wherever they are)."""
    from jamlik.sources.notes import mandatory_texts

    def read() -> list[str]:
        with ctx.data.workspace.session() as session:
            return mandatory_texts(session, [indicator])

    return ctx.data.cached("page", ("source-notes", indicator), read)


@router.get("/explorer/download.{fmt}", dependencies=[Depends(html_only)])
def download(
    fmt: str,
    indicator: str | None = None,
    dimension: str | None = None,
    area: str | None = None,
    period: str | None = None,
    ctx: PageContext = Depends(page_context),
) -> Response:
    """The explorer's data (every period) as CSV or XLSX, suppressed."""
    if fmt not in ("csv", "xlsx"):
        raise HTTPException(404, f"No download as '{fmt}': choose csv or xlsx.")
    choice, notes = _choice(ctx, indicator, dimension, period, area, None)
    choice, result = _result(ctx, choice, notes)
    stem = f"{result.indicator}-{result.dimension}-{result.area}"
    source_notes = _source_notes(ctx, result.indicator)

    def reason(secondary: bool, population: float | None) -> str:
        return hidden_text(ctx, secondary, population)

    if fmt == "csv":
        return Response(
            to_csv(result, ctx.lang, source_notes, reason),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{stem}.csv"'},
        )
    t = ctx.t
    about = [
        (
            t("download.indicator"),
            t.pick(
                ctx.snap.indicators[result.indicator].title,
                ctx.snap.indicators[result.indicator].title_en,
            )
            or "",
        ),
        (t("download.suppression"), t("download.suppression_text", n=result.min_population)),
        (t("download.sources"), "; ".join(a or s for s, a in ctx.snap.sources)),
        *((t("download.source_note"), n) for n in source_notes),
    ]
    if ctx.fictitious:
        about.insert(0, ("Fiktiva exempeldata", t("fictitious.text")))
    return Response(
        to_xlsx(result, ctx.lang, about, reason),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{stem}.xlsx"'},
    )


def _download_params(choice: Choice, area_id: str, ctx: PageContext) -> dict[str, object]:
    top = ctx.snap.municipality
    return {
        "indicator": choice.indicator,
        "dimension": choice.dimension,
        "area": None if top and area_id == top.id else area_id,
        "period": choice.period,
    }


def _name(ctx: PageContext, m) -> str:
    return m.name_sv if ctx.lang == "sv" else m.name_en


def _point(p, ctx: PageContext | None = None) -> dict[str, Any] | None:
    if p is None:
        return None
    hidden = p.suppressed
    return {
        "period": p.period,
        "estimate": None if hidden else p.estimate,
        "ci_lb": None if hidden else p.ci_lb,
        "ci_ub": None if hidden else p.ci_ub,
        "population": p.population,
        "suppressed": hidden,
        "secondary": hidden and p.secondary,  # hidden to protect another value
        "hidden_reason": hidden_text(ctx, p.secondary, p.population) if hidden and ctx else None,
    }


def _indicator_or_first(ctx: PageContext, indicator: str | None) -> str:
    indicators = indicator_options(ctx)
    if not indicators:
        raise HTTPException(404, "The workspace defines no indicators.")
    if indicator is None:
        return indicators[0]
    if indicator not in indicators:
        raise HTTPException(404, f"No indicator '{indicator}'.")
    return indicator


def _benchmark(ctx: PageContext, benchmark: str | None, notes: list[str]) -> str:
    areas = comparable_areas(ctx)
    top = ctx.snap.municipality
    default = top.id if top else (areas[0] if areas else "")
    if benchmark is None or benchmark == "":
        return default
    if benchmark not in areas:
        notes.append(ctx.t("explorer.note_area", area=benchmark))
        return default
    return benchmark


def _views_nav(ctx: PageContext, current: str, indicator: str | None) -> list[dict[str, Any]]:
    """Links between the explorer's views (the current one marked)."""
    t = ctx.t
    views = [
        ("explorer", "/explorer", {"indicator": indicator}),
        ("overview", "/explorer/overview", {}),
        ("compare", "/explorer/compare", {"indicator": indicator}),
        ("funnel", "/explorer/funnel", {"indicator": indicator}),
    ]
    return [
        {"id": v, "title": t(f"explorer.views.{v}"), "href": href(path, **params),
         "current": v == current}
        for v, path, params in views
    ]  # fmt: skip


def _method_facts(ctx: PageContext) -> dict[str, Any]:
    t = ctx.t
    return {
        "significance": t("explorer.method.significance"),
        "levels": [0.95, 0.998],
        "categories": [
            {"code": c, "label": t(f"explorer.sig.{c}"), "colour": COLOURS[c][0], "ink": COLOURS[c][1]}
            for c in ("better_998", "better_95", "similar", "worse_95", "worse_998",
                      "not_compared", "benchmark")
        ],
    }  # fmt: skip


@router.get("/explorer/overview", summary="Översikt / overview: indicators × areas or groups")
async def overview(
    by: str = "areas",
    benchmark: str | None = None,
    area: str | None = None,
    dimension: str | None = None,
    ctx: PageContext = Depends(page_context),
) -> Response:
    return await ctx.respond(lambda: _overview(ctx, by, benchmark, area, dimension))


def _overview(
    ctx: PageContext, by: str, benchmark: str | None, area: str | None, dimension: str | None
) -> Page:
    t = ctx.t
    snap = ctx.snap
    notes: list[str] = []
    if by not in ("areas", "groups"):
        notes.append(t("explorer.overview.note_by", by=by))
        by = "areas"
    dims = group_dimensions(ctx)
    top = snap.municipality
    if by == "areas":
        benchmark = _benchmark(ctx, benchmark, notes)
        table = ctx.data.cached(
            "page", ("overview-areas", benchmark, ctx.lang), lambda: overview_areas(ctx, benchmark)
        )
        chosen_area, chosen_dim = None, None
    else:
        options = area_options(ctx)
        chosen_area = area if area in options else (top.id if top else options[0])
        if area and area not in options:
            notes.append(t("explorer.note_area", area=area))
        chosen_dim = dimension if dimension in dims else (dims[0] if dims else TOTAL)
        if dimension and dimension not in dims:
            notes.append(t("explorer.note_dimension", dimension=dimension))
        table = ctx.data.cached(
            "page",
            ("overview-groups", chosen_area, chosen_dim, ctx.lang),
            lambda: overview_groups(ctx, chosen_area, chosen_dim),
        )
    facts = {
        "by": by,
        "views": _views_nav(ctx, "overview", None),
        "notes": notes,
        "benchmark": None
        if by == "groups" or benchmark is None
        else {"id": benchmark, "name": snap.areas[benchmark].name},
        "area": None
        if by == "areas" or chosen_area is None
        else {"id": chosen_area, "name": snap.areas[chosen_area].name},
        "dimension": None
        if by == "areas" or chosen_dim is None
        else {"id": chosen_dim, "title": dimension_title(ctx, chosen_dim)},
        "options": {
            "benchmark": [
                {"id": a, "name": snap.areas[a].name}
                for a in comparable_areas(ctx)
                if by == "areas" and a in {c["id"] for c in table["columns"]}
            ],
            "area": [{"id": a, "name": snap.areas[a].name} for a in area_options(ctx)],
            "dimension": [{"id": d, "title": dimension_title(ctx, d)} for d in dims],
        },
        "links": {
            "areas": href("/explorer/overview", by="areas"),
            "groups": href("/explorer/overview", by="groups"),
        },
        "method": _method_facts(ctx),
        **table,
    }
    return Page("explorer_overview.html", t("explorer.overview.heading"), facts)


@router.get("/explorer/compare", summary="Jämför områden / compare areas")
async def compare(
    indicator: str | None = None,
    benchmark: str | None = None,
    period: str | None = None,
    map: str = "significance",
    ctx: PageContext = Depends(page_context),
) -> Response:
    return await ctx.respond(lambda: _compare(ctx, indicator, benchmark, period, map))


def _compare(
    ctx: PageContext,
    indicator: str | None,
    benchmark: str | None,
    period: str | None,
    map_kind: str,
) -> Page:
    t = ctx.t
    snap = ctx.snap
    notes: list[str] = []
    indicator = _indicator_or_first(ctx, indicator)
    benchmark = _benchmark(ctx, benchmark, notes)
    if not _periods_of(ctx, indicator, benchmark):
        # e.g. an indicator only the comparison municipalities deliver: compare with the
        # first area that has it rather than show nothing
        with_data = [a for a in comparable_areas(ctx) if _periods_of(ctx, indicator, a)]
        benchmark = with_data[0] if with_data else benchmark
    if map_kind not in ("significance", "values"):
        map_kind = "significance"
    ind = snap.indicators[indicator]
    periods = _periods_of(ctx, indicator, benchmark)
    if period and period not in periods:
        notes.append(t("explorer.note_period", period=period))
        period = None
    part = ctx.data.cached(
        "page",
        ("compare", indicator, benchmark, period, map_kind, ctx.lang),
        lambda: compare_areas(ctx, indicator, benchmark, period, map_kind),
    )
    chart = part["chart"]
    facts = {
        "views": _views_nav(ctx, "compare", indicator),
        "notes": notes,
        "choice": {"indicator": indicator, "benchmark": benchmark, "period": part["period"],
                   "map": map_kind},
        "indicator": _indicator_fact(ctx, indicator),
        "options": {
            "indicator": [
                {"id": i, "title": t.pick(snap.indicators[i].title, snap.indicators[i].title_en)}
                for i in indicator_options(ctx)
            ],
            "benchmark": [{"id": a, "name": snap.areas[a].name} for a in comparable_areas(ctx)],
            "period": list(reversed(periods)),
            "map": [{"id": k, "title": t(f"explorer.compare.map_{k}")} for k in ("significance", "values")],
        },
        "benchmark": part["benchmark"],
        "areas": part["areas"],
        "chart": chart[0] if chart else None,
        "map": None if part["map"] is None else {k: v for k, v in part["map"].items() if k != "svg"},
        "method": _method_facts(ctx),
    }  # fmt: skip
    view = {
        "charts": {chart[0]["id"]: chart[1]} if chart else {},
        "map_svg": part["map"]["svg"] if part["map"] else "",
    }
    title = f"{t('explorer.compare.heading')}: {facts['indicator']['title']}"
    del ind
    return Page("explorer_compare.html", title, facts, view=view)


@router.get("/explorer/funnel", summary="Trattdiagram / funnel plot of the districts")
async def funnel_page(
    indicator: str | None = None,
    period: str | None = None,
    ctx: PageContext = Depends(page_context),
) -> Response:
    return await ctx.respond(lambda: _funnel(ctx, indicator, period))


def _funnel(ctx: PageContext, indicator: str | None, period: str | None) -> Page:
    t = ctx.t
    snap = ctx.snap
    notes: list[str] = []
    indicator = _indicator_or_first(ctx, indicator)
    top = snap.municipality
    periods = _periods_of(ctx, indicator, top.id) if top else []
    if period and period not in periods:
        notes.append(t("explorer.note_period", period=period))
        period = None
    part = ctx.data.cached(
        "page", ("funnel", indicator, period, ctx.lang), lambda: funnel_view(ctx, indicator, period)
    )
    chart = part["chart"]
    facts = {
        "views": _views_nav(ctx, "funnel", indicator),
        "notes": notes,
        "choice": {"indicator": indicator, "period": part["period"]},
        "indicator": _indicator_fact(ctx, indicator),
        "options": {
            "indicator": [
                {"id": i, "title": t.pick(snap.indicators[i].title, snap.indicators[i].title_en)}
                for i in indicator_options(ctx)
            ],
            "period": list(reversed(periods)),
        },
        "target": part["target"],
        "target_area": part.get("target_area"),
        "funnel": part["funnel"],
        "districts": part["districts"],
        "chart": chart[0] if chart else None,
        "method": {**_method_facts(ctx), "funnel": t("explorer.method.funnel")},
    }
    view = {"charts": {chart[0]["id"]: chart[1]} if chart else {}}
    title = f"{t('explorer.funnel.heading')}: {facts['indicator']['title']}"
    return Page("explorer_funnel.html", title, facts, view=view)


def _periods_of(ctx: PageContext, indicator: str, area: str) -> list[str]:
    """Periods in which `area` has a total of the indicator (values or hidden), in time order."""
    from jamlik.data import period_midpoint

    frame = published_frame(ctx, indicator)
    rows = frame[(frame["area"] == area) & (frame["dimension"] == TOTAL)]
    return sorted(set(rows["period"]), key=period_midpoint)


def _indicator_fact(ctx: PageContext, indicator: str) -> dict[str, Any]:
    t = ctx.t
    ind = ctx.snap.indicators[indicator]
    return {
        "id": ind.id,
        "title": t.pick(ind.title, ind.title_en),
        "unit": unit_label(ctx, ind.id),
        "polarity": {"code": ind.polarity, "label": t(f"polarity.{ind.polarity}")},
    }
