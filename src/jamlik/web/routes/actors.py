"""Actors and collaboration: who works with whom through which initiatives."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from fastapi import APIRouter, Depends
from starlette.responses import Response

from jamlik.web.context import PageContext, page_context
from jamlik.web.publication import readable
from jamlik.web.refs import coded, href, initiative_link
from jamlik.web.svg.network import NetLink, NetNode, kind_group, network_svg
from jamlik.web.twin import Page

router = APIRouter(tags=["actors"], dependencies=[Depends(readable)])


@router.get("/actors", summary="Aktörer och samverkan / actors and collaboration")
async def actors(ctx: PageContext = Depends(page_context)) -> Response:
    return await ctx.respond(lambda: _actors(ctx))


def _actors(ctx: PageContext) -> Page:
    p = ctx.snap.programme
    t = ctx.t
    owns: dict[str, list[str]] = defaultdict(list)
    partner_in: dict[str, list[str]] = defaultdict(list)
    shared: dict[tuple[str, str], list[str]] = defaultdict(list)
    for it in p.initiatives:
        involved = list(dict.fromkeys([a for a in [it.owner, *it.partners] if a]))
        if it.owner:
            owns[it.owner].append(it.id)
        for a in it.partners:
            partner_in[a].append(it.id)
        for a, b in combinations(sorted(involved), 2):
            shared[(a, b)].append(it.id)

    names = {a.id: t.pick(a.name, a.name_en) or a.id for a in p.actors}
    inits = {i.id: i for i in p.initiatives}
    partners_of: dict[str, set[str]] = defaultdict(set)
    for a, b in shared:
        partners_of[a].add(b)
        partners_of[b].add(a)

    actor_facts = [
        {
            "id": a.id,
            "name": names[a.id],
            "kind": coded(t, "actor_kind", a.kind),
            "parent": {"id": a.parent, "name": names.get(a.parent, a.parent)} if a.parent else None,
            "owns": len(owns[a.id]),
            "partner_in": len(partner_in[a.id]),
            "collaborators": len(partners_of[a.id]),
            "href": href("/initiatives", actor=a.id),
        }
        for a in sorted(p.actors, key=lambda a: names[a.id])
    ]
    link_facts = [
        {
            "actors": [{"id": a, "name": names.get(a, a)}, {"id": b, "name": names.get(b, b)}],
            "weight": len(ids),
            "initiatives": [initiative_link(t, inits[i]) for i in ids],
        }
        for (a, b), ids in sorted(shared.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    ]
    facts = {"actors": actor_facts, "links": link_facts}

    involved_ids = {a.id for a in p.actors if owns[a.id] or partner_in[a.id]}
    kinds = {a.id: a.kind for a in p.actors}
    svg = network_svg(
        [
            NetNode(
                a, names.get(a, a), kind_group(kinds.get(a, "")), len(owns[a]) + len(partner_in[a])
            )
            for a in involved_ids
        ],
        [NetLink(a, b, len(ids)) for (a, b), ids in shared.items()],
        title=t("actors.network_title"),
        desc=t("actors.network_desc", actors=len(involved_ids), links=len(shared)),
    )
    legend = [
        {"group": g, "label": t(f"actor_group.{g}")}
        for g in ("municipal", "region", "civil_society", "business", "academia", "other")
        if any(kind_group(kinds.get(a, "")) == g for a in involved_ids)
    ]
    return Page("actors.html", t("actors.heading"), facts, view={"svg": svg, "legend": legend})
