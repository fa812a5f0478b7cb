"""One indicator's follow-up as a node page shows it: level, targets, gaps with verdicts, and
the level and gap charts of one dimension, each with its data table.

Charts and their tables come from `jamlik.report.figures` (built on `jamlik.report.charts`), so
the web, the HTML report and the PDF draw the same specification from the same points.
"""

from __future__ import annotations

from typing import Any

from jamlik.followup import GapFollowUp, IndicatorFollowUp, Point
from jamlik.report import figures
from jamlik.report.document import Chart
from jamlik.report.svg import draw_charts
from jamlik.web.context import PageContext
from jamlik.web.followup_view import text
from jamlik.web.refs import explorer_href

# Which headline gap gets its charts drawn on the page (the others are listed in a table with
# their verdicts, and each links to the explorer): what changes comes before what does not.
VERDICT_ORDER = ("widening", "narrowing", "no clear change", "too few points")


def chart_facts(chart: Chart) -> tuple[dict[str, Any], dict[str, Any]]:
    """A report chart as page facts (title, alt text, the data table) and view (spec, SVG)."""
    facts = {
        "id": chart.id,
        "title": chart.title,
        "alt": chart.alt,
        "table": {
            "caption": chart.table.caption,
            "columns": list(chart.table.columns),
            "rows": [
                [
                    {
                        "text": c.text,
                        "value": c.value,
                        "suppressed": c.suppressed,
                        "numeric": c.numeric,
                    }
                    for c in row
                ]
                for row in chart.table.rows
            ],
        },
    }
    return facts, {"spec": chart.spec, "svg": chart.svg}


def point_fact(p: Point | None, min_population: float) -> dict[str, Any] | None:
    if p is None:
        return None
    hidden = figures.hidden(p, min_population)
    return {
        "period": p.period,
        "estimate": None if hidden else p.estimate,
        "ci_lb": None if hidden else p.ci_lb,
        "ci_ub": None if hidden else p.ci_ub,
        "suppressed": hidden,
    }


def _gap_fact(ctx: PageContext, indicator: str, gap: GapFollowUp) -> dict[str, Any]:
    latest = gap.latest
    return {
        "dimension": {"id": gap.dimension, "title": text(ctx, gap, "dimension_title")},
        "measure": {"code": gap.measure, "name": text(ctx, gap, "measure_name")},
        "latest": None
        if latest is None
        else {
            "period": latest.period,
            "estimate": latest.estimate,
            "ci_lb": latest.ci_lb,
            "ci_ub": latest.ci_ub,
        },
        "verdict": {"code": gap.trend.verdict, "label": ctx.t(f"verdict.{gap.trend.verdict}")},
        "text": text(ctx, gap.trend, "text"),
        "explore": explorer_href(indicator, dimension=gap.dimension),
    }


def indicator_block(
    ctx: PageContext, ind: IndicatorFollowUp
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(facts, chart views by id) for one indicator on a node page."""
    t = ctx.t
    lang = ctx.lang
    min_pop = ctx.settings.min_population
    level = ind.level
    headline = [g for g in ind.gaps if g.area == ind.area and g.headline]
    gaps = [_gap_fact(ctx, ind.indicator, g) for g in headline]

    charts: dict[str, Any] = {}
    chart_list: list[dict[str, Any]] = []
    focus = _focus_gap(headline)
    if focus is not None:
        series = [s for s in ind.subgroups if s.dimension == focus.dimension]
        dim_title = text(ctx, focus, "dimension_title")
        drawn = [
            c
            for c in (
                figures.level_chart(ind, series, dim_title, lang, min_pop),
                figures.gap_chart(ind, focus, lang),
            )
            if c is not None
        ]
        draw_charts(drawn, lang)
        for chart in drawn:
            fact, view = chart_facts(chart)
            chart_list.append(fact)
            charts[chart.id] = view

    facts = {
        "id": ind.indicator,
        "title": text(ctx, ind, "title"),
        "unit": figures.unit_label(ind, lang),
        "polarity": {"code": ind.polarity, "label": t(f"polarity.{ind.polarity}")},
        "href": explorer_href(ind.indicator),
        "followed": True,
        "status": {
            "code": ind.status,
            "label": t(f"health.{ind.status}"),
            "reason": text(ctx, ind, "reason"),
        },
        "latest_period": ind.latest_period,
        "level": {
            "latest": point_fact(level.latest, min_pop),
            "baseline": point_fact(level.baseline, min_pop),
            "change": level.change,
            "change_ci_lb": level.change_ci_lb,
            "change_ci_ub": level.change_ci_ub,
            "verdict": level.verdict,
            "text": text(ctx, level, "text"),
        },
        "targets": [
            {
                "year": tg.year,
                "value": tg.value,
                "measure": tg.measure,
                "dimension": tg.dimension,
                "status": {"code": tg.status, "label": t(f"target.{tg.status}")},
                "reason": text(ctx, tg, "reason"),
            }
            for tg in ind.targets
        ],
        "flags": [text(ctx, f, "text") for f in ind.flags],
        "gaps": gaps,
        "charts_dimension": focus.dimension if focus else None,
        "charts": chart_list,
    }
    return facts, charts


def _focus_gap(headline: list[GapFollowUp]) -> GapFollowUp | None:
    """The headline gap whose charts the page draws (see VERDICT_ORDER)."""
    ranked = sorted(
        enumerate(headline),
        key=lambda ig: (
            VERDICT_ORDER.index(ig[1].trend.verdict)
            if ig[1].trend.verdict in VERDICT_ORDER
            else len(VERDICT_ORDER),
            ig[0],
        ),
    )
    return ranked[0][1] if ranked else None
