"""Initiatives: a filtered list and a page for each, with reach and follow-up notes."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from fastapi import APIRouter, Depends, HTTPException
from starlette.responses import Response

from jamlik.programme import STATUSES, Initiative, Programme
from jamlik.report import figures
from jamlik.report.svg import draw_charts
from jamlik.web.context import PageContext, page_context
from jamlik.web.followup_view import FollowUpUnavailable, get_followup, text
from jamlik.web.indicator_view import chart_facts
from jamlik.web.initiative_fields import may_edit, owners_for
from jamlik.web.publication import readable
from jamlik.web.refs import (
    actor_ref,
    area_ref,
    coded,
    indicator_ref,
    initiative_ref,
    node_ref,
    period_fact,
)
from jamlik.web.twin import Page

router = APIRouter(tags=["initiatives"], dependencies=[Depends(readable)])


@router.get("/initiatives", summary="Insatser / initiatives")
async def initiatives(
    status: str | None = None,
    actor: str | None = None,
    node: str | None = None,
    area: str | None = None,
    ctx: PageContext = Depends(page_context),
) -> Response:
    return await ctx.respond(lambda: _list(ctx, status, actor, node, area))


def _list(
    ctx: PageContext, status: str | None, actor: str | None, node: str | None, area: str | None
) -> Page:
    p = ctx.snap.programme
    t = ctx.t
    # Unknown filter values are dropped rather than refused: a stale bookmark still shows a list.
    chosen = {
        "status": status if status in STATUSES else None,
        "actor": actor if actor in {a.id for a in p.actors} else None,
        "node": node if node in {n.id for n in p.nodes} else None,
        "area": area if area in ctx.snap.areas else None,
    }
    below = _descendants(p, chosen["node"]) if chosen["node"] else set()
    shown = [
        i
        for i in p.initiatives
        if (chosen["status"] is None or i.status == chosen["status"])
        and (chosen["actor"] is None or chosen["actor"] in [i.owner, *i.partners])
        and (chosen["node"] is None or below & set(i.nodes))
        and (chosen["area"] is None or chosen["area"] in i.areas)
    ]
    facts = {
        "filters": chosen,
        "options": {
            "status": [coded(t, "status", s) for s in STATUSES],
            "actor": [
                {"id": a.id, "name": t.pick(a.name, a.name_en)}
                for a in sorted(p.actors, key=lambda a: a.name)
            ],
            "node": [
                {
                    "id": n.id,
                    "title": t.pick(n.title, n.title_en),
                    "kind_label": t(f"kind.{n.kind}"),
                }
                for _, n in p.walk()
                if n.kind in ("goal", "target_area", "focus_area", "priority_area")
            ],
            "area": [{"id": a.id, "name": a.name} for a in ctx.snap.districts],
        },
        "count": len(shown),
        "total": len(p.initiatives),
        "initiatives": [_row(ctx, i) for i in shown],
    }
    view = {"can_create": bool(owners_for(ctx.viewer.user, p))}  # the viewer's, not a fact
    return Page("initiatives.html", t("initiatives.heading"), facts, view=view)


@router.get("/initiatives/{initiative_id}", summary="En insats / one initiative")
async def initiative(initiative_id: str, ctx: PageContext = Depends(page_context)) -> Response:
    return await ctx.respond(lambda: _initiative(ctx, initiative_id))


def _initiative(ctx: PageContext, initiative_id: str) -> Page:
    p = ctx.snap.programme
    t = ctx.t
    try:
        it = p.initiative(initiative_id)
    except KeyError:
        raise HTTPException(404, f"No initiative '{initiative_id}'.") from None
    facts = {
        "initiative": {
            **initiative_ref(t, it, ctx.today),
            "purpose": it.purpose,
            "content": it.content,
            "target_group": _target_group(t, it),
            "period": period_fact(it.period),
            "owner": actor_ref(t, ctx.snap, it.owner),
            "partners": [actor_ref(t, ctx.snap, a) for a in it.partners],
            "budget": _budget(ctx, it),
            "nodes": [node_ref(t, p.node(n)) for n in it.nodes if _has_node(p, n)],
            "indicators": [indicator_ref(t, ctx.snap, i) for i in it.indicators],
            "areas": [area_ref(ctx.snap, a) for a in it.areas],
            "notes": it.notes,
        },
        "reach": _reach(ctx, it),
    }
    if facts["initiative"]["past_end"] and it.period and it.period.end:
        end = it.period.end.isoformat()
        facts["initiative"]["past_end"]["text"] = t("reimport.past_end_text", date=end)
    facts["reach_vs_need"], charts = ctx.data.cached(
        "page", ("reach", it.id, ctx.lang), lambda: _reach_vs_need(ctx, it)
    )
    view = {"charts": charts, "can_edit": may_edit(ctx.viewer.user, it)}
    return Page("initiative.html", facts["initiative"]["title"], facts, view=view)


def _row(ctx: PageContext, it: Initiative) -> dict[str, Any]:
    t = ctx.t
    return {
        **initiative_ref(t, it, ctx.today),
        "owner": actor_ref(t, ctx.snap, it.owner),
        "partners": len(it.partners),
        "period": period_fact(it.period),
        "areas": len(it.areas),
    }


def _descendants(p: Programme, node_id: str) -> set[str]:
    out, stack = set(), [node_id]
    while stack:
        n = stack.pop()
        out.add(n)
        stack.extend(c.id for c in p.children(n))
    return out


def _has_node(p: Programme, node_id: str) -> bool:
    return any(n.id == node_id for n in p.nodes)


def _target_group(t, it: Initiative) -> dict[str, Any] | None:
    tg = it.target_group
    if tg is None:
        return None
    return {"text": t.pick(tg.text, tg.text_en), "age_min": tg.age_min, "age_max": tg.age_max}


def _budget(ctx: PageContext, it: Initiative) -> dict[str, Any] | None:
    b = it.budget
    if b is None:
        return None
    return {
        "amount_sek": b.amount_sek,
        "funder": actor_ref(ctx.t, ctx.snap, b.funder),
        "funder_text": b.funder_text,
    }


def _reach(ctx: PageContext, it: Initiative) -> dict[str, Any]:
    """People reached per period and district, for the whole target group (subgroup total).

    Counts the programme records are shown as they are; counts below the suppression threshold
    are hidden, as any other small cell.
    """
    rows = [r for r in it.reach if r.dimension == "total" and r.subgroup == "total"]
    periods = sorted({r.period for r in rows})
    by_area: dict[str, dict[str, int]] = defaultdict(dict)
    for r in rows:
        by_area[r.area][r.period] = r.reached
    limit = ctx.settings.min_population

    def cell(n: int | None) -> dict[str, Any]:
        if n is None:
            return {"reached": None, "suppressed": False}
        if 0 < n < limit:
            return {"reached": None, "suppressed": True}
        return {"reached": n, "suppressed": False}

    table = [
        {**area_ref(ctx.snap, a), "cells": [cell(by_area[a].get(p)) for p in periods]}
        for a in sorted(by_area, key=lambda a: area_ref(ctx.snap, a)["name"])
    ]
    totals = []
    for i, p in enumerate(periods):
        values = [by_area[a].get(p) for a in by_area]
        hidden = sum(1 for row in table if row["cells"][i]["suppressed"])
        # One hidden cell could be recovered as the total minus the others: hide the total too.
        total = None if hidden == 1 else sum(v for v in values if v is not None)
        totals.append({"reached": total, "suppressed": hidden == 1})
    return {
        "periods": periods,
        "areas": table,
        "totals": totals,
        "subgroup_rows": sum(1 for r in it.reach if r.subgroup != "total"),
        "min_population": limit,
    }


def _reach_vs_need(ctx: PageContext, it: Initiative) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The follow-up's reach-versus-need results for the initiative, with the report's chart."""
    try:
        fu = get_followup(ctx)
    except FollowUpUnavailable:
        return [], {}
    t = ctx.t
    out, charts = [], {}
    followed = {i.indicator: i for i in fu.indicators}
    for r in fu.reach_vs_need:
        if r.initiative != it.id:
            continue
        need = followed.get(r.need_indicator)
        need_title = text(ctx, need, "title") if need else r.need_indicator
        unit = figures.unit_label(need, ctx.lang) if need else ""
        chart = figures.reach_chart(r, f"{need_title} ({unit})" if unit else need_title, ctx.lang)
        chart_fact = None
        if chart is not None:
            draw_charts([chart], ctx.lang)
            chart_fact, charts[chart.id] = chart_facts(chart)
        out.append(
            {
                "period": r.period,
                "need_indicator": indicator_ref(t, ctx.snap, r.need_indicator),
                "need_period": r.need_period,
                "index": r.index,
                "ci_lb": r.ci_lb,
                "ci_ub": r.ci_ub,
                "conf_level": r.conf_level,
                "verdict": {"code": r.verdict, "label": t(f"reach.{r.verdict}")},
                "text": text(ctx, r, "text"),
                "chart": chart_fact,
            }
        )
    return out, charts
