"""The start page: the programme at a glance."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from starlette.responses import Response

from jamlik.programme.dates import past_end
from jamlik.web.context import PageContext, page_context
from jamlik.web.explorer_view import dimension_title
from jamlik.web.followup_view import FollowUpUnavailable, get_followup, status_fact, text
from jamlik.web.publication import readable
from jamlik.web.refs import explorer_href, indicator_ref, node_ref, period_fact
from jamlik.web.reports_store import latest_report
from jamlik.web.twin import Page

router = APIRouter(tags=["start"], dependencies=[Depends(readable)])

# The kinds shown as the programme's main parts; Borås-style programmes have target areas at
# the top, Gothenburg-style ones under a goal. Focus areas are listed beside target areas.
GLANCE_KINDS = ("target_area", "focus_area")


@router.get("/", summary="Start: programmet i korthet / the programme at a glance")
async def start(ctx: PageContext = Depends(page_context)) -> Response:
    return await ctx.respond(lambda: _start(ctx))


def _start(ctx: PageContext) -> Page:
    p = ctx.snap.programme
    t = ctx.t
    statuses: dict[str, Any] = {}
    flags: list[dict[str, Any]] = []
    notice = None
    year = None
    try:
        fu = get_followup(ctx)
        year = fu.year
        statuses = {s.node: s for s in fu.nodes}
        flags = [
            {
                "code": f.code,
                "text": text(ctx, f, "text"),
                # no link of its own: the links below open the breakdown the flag is about
                "indicator": {
                    k: v for k, v in indicator_ref(t, ctx.snap, f.indicator).items() if k != "href"
                },
                # Each link opens the explorer on the breakdown whose gap widens (a flag may
                # name several), not on the indicator's first breakdown.
                "explore": [
                    {
                        "dimension": d,
                        "title": dimension_title(ctx, d) if d is not None else None,
                        "href": explorer_href(f.indicator, dimension=d),
                    }
                    for d in (f.items if f.items else [None])
                ],
            }
            for f in fu.flags
            if f.code == "worse_and_widening" and f.area in (None, fu.area)
        ]
    except FollowUpUnavailable as exc:
        notice = t("followup.unavailable", reason=str(exc))

    def part(kind: str) -> list[dict[str, Any]]:
        out = []
        for _, node in p.walk():
            if node.kind != kind:
                continue
            s = statuses.get(node.id)
            out.append(
                {
                    **node_ref(t, node),
                    "status": status_fact(ctx, s),
                    "indicators": len(s.indicators_below) if s else len(node.indicators),
                    "initiatives": len(s.initiatives_below)
                    if s
                    else len(p.initiatives_for(node.id)),
                }
            )
        return out

    # An initiative past its end date is no longer counted as ongoing, but counted apart.
    late = [i for i in p.initiatives if past_end(i, ctx.today)]
    ongoing = sum(1 for i in p.initiatives if i.status == "ongoing" and i not in late)
    facts = {
        "programme": {
            "id": p.id,
            "title": t.pick(p.title, p.title_en),
            "description": t.pick(p.description, p.description_en),
            "period": period_fact(p.period),
        },
        "year": year,
        "notice": notice,
        "parts": {kind: part(kind) for kind in GLANCE_KINDS},
        "counts": {
            "initiatives": len(p.initiatives),
            "ongoing": ongoing,
            "past_end": len(late),
            "actors": len(p.actors),
            "indicators": len({i for n in p.nodes for i in n.indicators}),
            "districts": len(ctx.snap.districts),
        },
        "flags": flags,
        "latest_report": latest_report(ctx),
    }
    return Page("start.html", t("start.heading"), facts)
