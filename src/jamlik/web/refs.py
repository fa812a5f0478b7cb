"""Small fact fragments many pages share: references to nodes, initiatives, indicators, actors
and areas (id, title in the reader's language, link), and labelled codes.

A reference always carries the id (stable, for machines) and the text a reader sees, so an HTML
page and its JSON twin state the same thing.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote, urlencode

from jamlik.programme import Actor, Initiative, Node
from jamlik.programme.dates import past_end
from jamlik.programme.model import Period
from jamlik.web.i18n import Translator
from jamlik.web.store import Snapshot


def href(path: str, **params: object) -> str:
    """A site-relative link with the non-empty query parameters given."""
    query = [(k, str(v)) for k, v in params.items() if v not in (None, "")]
    return path + (f"?{urlencode(query)}" if query else "")


def node_href(node_id: str) -> str:
    return f"/programme/{quote(node_id)}"


def initiative_href(initiative_id: str) -> str:
    return f"/initiatives/{quote(initiative_id)}"


def explorer_href(indicator_id: str, **params: object) -> str:
    return href("/explorer", indicator=indicator_id, **params)


def node_ref(t: Translator, node: Node) -> dict[str, Any]:
    return {
        "id": node.id,
        "kind": node.kind,
        "kind_label": t(f"kind.{node.kind}"),
        "title": t.pick(node.title, node.title_en),
        "href": node_href(node.id),
    }


def initiative_ref(t: Translator, it: Initiative, today: date) -> dict[str, Any]:
    """An initiative named and linked, with its status and whether its end date has passed
    while it is not marked closed (`past_end`: then every list says so beside the status)."""
    return {
        "id": it.id,
        "title": t.pick(it.title, it.title_en),
        "status": coded(t, "status", it.status),
        "past_end": {"code": "past_end", "label": t("reimport.past_end")}
        if past_end(it, today)
        else None,
        "href": initiative_href(it.id),
    }


def initiative_link(t: Translator, it: Initiative) -> dict[str, Any]:
    """An initiative named and linked, where its status is not shown."""
    return {"id": it.id, "title": t.pick(it.title, it.title_en), "href": initiative_href(it.id)}


def indicator_ref(t: Translator, snap: Snapshot, indicator_id: str) -> dict[str, Any]:
    ind = snap.indicators.get(indicator_id)
    title = t.pick(ind.title, ind.title_en) if ind else indicator_id
    return {"id": indicator_id, "title": title, "href": explorer_href(indicator_id)}


def actor_ref(t: Translator, snap: Snapshot, actor_id: str | None) -> dict[str, Any] | None:
    if actor_id is None:
        return None
    try:
        actor: Actor = snap.programme.actor(actor_id)
    except KeyError:
        return {"id": actor_id, "name": actor_id, "href": None}
    return {
        "id": actor.id,
        "name": t.pick(actor.name, actor.name_en),
        "href": href("/initiatives", actor=actor.id),
    }


def area_ref(snap: Snapshot, area_id: str) -> dict[str, Any]:
    area = snap.areas.get(area_id)
    return {"id": area_id, "name": area.name if area else area_id}


def coded(t: Translator, family: str, code: str | None) -> dict[str, Any] | None:
    """A code with its label in the reader's language (`status.ongoing` → "pågående")."""
    if code is None:
        return None
    return {"code": code, "label": t(f"{family}.{code}")}


def period_fact(period: Period | None) -> dict[str, Any] | None:
    if period is None:
        return None
    return {
        "start": period.start.isoformat(),
        "end": period.end.isoformat() if period.end else None,
    }
