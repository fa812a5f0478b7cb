"""The programme tree and the page of each node (a target area, strategy, focus area, …)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException
from starlette.responses import Response

from jamlik.programme import Node, Programme
from jamlik.web.context import PageContext, page_context
from jamlik.web.followup_view import FollowUpUnavailable, get_followup, status_fact
from jamlik.web.indicator_view import indicator_block
from jamlik.web.publication import readable
from jamlik.web.refs import (
    indicator_ref,
    initiative_link,
    initiative_ref,
    node_ref,
    period_fact,
)
from jamlik.web.twin import Page

router = APIRouter(tags=["programme"], dependencies=[Depends(readable)])


@router.get("/programme", summary="Programträdet / the programme tree")
async def programme_tree(ctx: PageContext = Depends(page_context)) -> Response:
    return await ctx.respond(lambda: _tree(ctx))


def _tree(ctx: PageContext) -> Page:
    p = ctx.snap.programme
    t = ctx.t
    statuses = _statuses(ctx)

    def branch(node: Node) -> dict[str, Any]:
        # The tree shows each node's status word; its reason is on the node's own page.
        status = statuses.get(node.id)
        return {
            **node_ref(t, node),
            "status": {"code": status["code"], "label": status["label"]} if status else None,
            "indicators": [indicator_ref(t, ctx.snap, i) for i in node.indicators],
            "initiatives": [initiative_link(t, i) for i in p.initiatives_for(node.id)],
            "children": [branch(c) for c in p.children(node.id)],
        }

    facts = {
        "programme": _programme_fact(ctx, p),
        "tree": [branch(root) for root in p.children(None)],
        "unlinked_initiatives": [initiative_link(t, i) for i in p.initiatives if not i.nodes],
    }
    return Page("programme.html", t("programme.heading"), facts)


@router.get("/programme/{node_id}", summary="En nod i programmet / one programme node")
async def node_page(
    node_id: str, year: int | None = None, ctx: PageContext = Depends(page_context)
) -> Response:
    return await ctx.respond(lambda: _node(ctx, node_id, year))


def _node(ctx: PageContext, node_id: str, year: int | None) -> Page:
    p = ctx.snap.programme
    t = ctx.t
    try:
        node = p.node(node_id)
    except KeyError:
        raise HTTPException(404, f"No programme node '{node_id}'.") from None
    statuses = _statuses(ctx, year)
    notice = None
    charts: dict[str, Any] = {}
    try:
        year_shown: int | None = get_followup(ctx, year).year
        indicators, charts = ctx.data.cached(
            "page", ("node", node.id, ctx.lang, year), lambda: _indicator_blocks(ctx, node, year)
        )
    except FollowUpUnavailable as exc:
        notice = t("followup.unavailable", reason=str(exc))
        indicators = [indicator_ref(t, ctx.snap, i) for i in _indicators_below(p, node)]
        year_shown = None

    own = {i.id for i in p.initiatives_for(node.id)}
    below = _initiatives_below(p, node)
    facts = {
        "node": {
            **node_ref(t, node),
            "order": node.order,
            "description": t.pick(node.description, node.description_en),
            "target_group": _target_group(t, node),
            "status": statuses.get(node.id),
        },
        "year": year_shown,
        "notice": notice,
        "breadcrumbs": [node_ref(t, a) for a in _ancestors(p, node)],
        "children": [{**node_ref(t, c), "status": statuses.get(c.id)} for c in p.children(node.id)],
        "indicators": indicators,
        "initiatives": [{**initiative_ref(t, i, ctx.today), "direct": i.id in own} for i in below],
    }
    title = f"{t(f'kind.{node.kind}')}: {t.pick(node.title, node.title_en)}"
    return Page("node.html", title, facts, view={"charts": charts})


def _indicator_blocks(
    ctx: PageContext, node: Node, year: int | None
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Every indicator under a node with its charts (slow to draw: cached per node, language
    and year by the caller)."""
    fu = get_followup(ctx, year)
    followed = {i.indicator: i for i in fu.indicators}
    blocks: list[dict[str, Any]] = []
    charts: dict[str, Any] = {}
    for ind_id in _indicators_below(ctx.snap.programme, node):
        if ind_id in followed:
            block, specs = indicator_block(ctx, followed[ind_id])
            blocks.append(block)
            charts.update(specs)
        else:
            blocks.append({**indicator_ref(ctx.t, ctx.snap, ind_id), "followed": False})
    return blocks, charts


def _programme_fact(ctx: PageContext, p: Programme) -> dict[str, Any]:
    return {
        "id": p.id,
        "title": ctx.t.pick(p.title, p.title_en),
        "description": ctx.t.pick(p.description, p.description_en),
        "period": period_fact(p.period),
    }


def _statuses(ctx: PageContext, year: int | None = None) -> dict[str, Any]:
    """Status facts per node id; empty when the follow-up cannot be built."""
    try:
        fu = get_followup(ctx, year)
    except FollowUpUnavailable:
        return {}
    return {s.node: status_fact(ctx, s) for s in fu.nodes}


def _ancestors(p: Programme, node: Node) -> list[Node]:
    chain: list[Node] = []
    current = node
    while current.parent is not None:
        current = p.node(current.parent)
        chain.append(current)
    return list(reversed(chain))


def _subtree(p: Programme, node: Node) -> list[Node]:
    out, stack = [], [node]
    while stack:
        n = stack.pop()
        out.append(n)
        stack.extend(reversed(p.children(n.id)))
    return out


def _indicators_below(p: Programme, node: Node) -> list[str]:
    """Indicators linked to the node or anything under it, first mention first."""
    return list(dict.fromkeys(i for n in _subtree(p, node) for i in n.indicators))


def _initiatives_below(p: Programme, node: Node):
    ids = {n.id for n in _subtree(p, node)}
    return [i for i in p.initiatives if ids & set(i.nodes)]


def _target_group(t, node: Node) -> dict[str, Any] | None:
    tg = node.target_group
    if tg is None:
        return None
    return {"text": t.pick(tg.text, tg.text_en), "age_min": tg.age_min, "age_max": tg.age_max}
