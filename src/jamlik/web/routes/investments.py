"""Social investments: a list with the headline figures, and a page for each investment with
its costs, the calculation per perspective, the break-even, the effect follow-up and charts.

Both pages are read pages like the initiatives (open to whoever may read the site). They are
not kept in the site's response cache, whose key follows data and programme imports: a new
`jamlik invest calc` changes only the stored result. The built page is kept instead under the
stored results' calculation times (`invest_view.results_stamp`), one small query a request.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from jamlik.report.i18n import t as report_t
from jamlik.report.investments import InvestmentSelection
from jamlik.report.svg import draw_charts
from jamlik.web import invest_view as view
from jamlik.web.context import PageContext, page_context
from jamlik.web.i18n import Lang
from jamlik.web.indicator_view import chart_facts
from jamlik.web.publication import readable
from jamlik.web.twin import Page

router = APIRouter(tags=["investments"], dependencies=[Depends(readable)])

# Headings the report's chapter already words.
REPORT_WORDS = ("purpose", "costs", "economics", "break_even", "effect", "investment_followup")


@router.get(view.BASE, summary="Sociala investeringar / social investments")
async def investments(ctx: PageContext = Depends(page_context)) -> Response:
    page = await run_in_threadpool(_kept, ctx, None)
    return ctx.render(page)


@router.get(view.BASE + "/{initiative_id}", summary="En social investering / one social investment")
async def investment(initiative_id: str, ctx: PageContext = Depends(page_context)) -> Response:
    page = await run_in_threadpool(_kept, ctx, initiative_id)
    return ctx.render(page)


def _kept(ctx: PageContext, initiative_id: str | None) -> Page:
    # Visitors see fewer investments (only published programmes'): a page of their own.
    visitor = ctx.viewer.user is None
    key = ("investments", view.results_stamp(ctx), ctx.lang, initiative_id, visitor)
    if initiative_id is None:
        return ctx.data.cached("page", key, lambda: _list(ctx))
    return ctx.data.cached("page", key, lambda: _detail(ctx, initiative_id))


def _list(ctx: PageContext) -> Page:
    lang = ctx.lang
    chosen = view.selection(ctx)
    rows = [
        view.summary(ctx, item, block)
        for item, block in zip(chosen.items, view.blocks(chosen, lang), strict=True)
    ]
    facts = {
        "scope": chosen.scope,
        "elsewhere": chosen.elsewhere,
        "count": len(rows),
        "investments": rows,
    }
    return Page("investments.html", view.label("heading", lang), facts, view=_labels(lang))


def _detail(ctx: PageContext, initiative_id: str) -> Page:
    lang = ctx.lang
    chosen = view.selection(ctx)
    item = next((i for i in chosen.items if i.investment.initiative == initiative_id), None)
    if item is None:
        raise HTTPException(404, f"No social investment '{initiative_id}'.")
    one = InvestmentSelection(chosen.scope, chosen.programme, [item])
    (block,) = view.blocks(one, lang)
    draw_charts(block.charts, lang)
    charts: dict[str, Any] = {}
    chart_list = []
    for chart in block.charts:
        fact, charts[chart.id] = chart_facts(chart)
        chart_list.append(fact)
    facts = {"investment": {**view.detail(ctx, item, block), "charts": chart_list}}
    return Page(
        "investments_detail.html", block.title, facts, view={**_labels(lang), "charts": charts}
    )


def _labels(lang: Lang) -> dict[str, Any]:
    """The pages' interface words, for the templates (never facts of their own)."""
    own = {k: view.label(k, lang) for k, (sv, _) in view.LABELS.items() if "{" not in sv}
    return {"labels": own | {k: report_t(k, lang) for k in REPORT_WORDS}}
