"""Checks of a programme against a workspace: areas, indicators and dimensions it refers to must
be defined there, and its ids must not belong to another programme stored there."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from jamlik.data import TOTAL, known_ids
from jamlik.data.tables import SubgroupRow
from jamlik.programme.rules import Issue, Loc, Parts
from jamlik.programme.tables import ActorRow, InitiativeRow, NodeRow

_IMPORT_FIRST = (
    "import the definitions first (jamlik import definitions.yaml --workspace DIR), "
    "or correct the id"
)


def workspace_issues(session: Session, parts: Parts, programme_id: str | None) -> list[Issue]:
    """Problems that only the workspace can reveal, located in the programme.

    The first issue of each kind summarises every missing id, so a user sees the whole list
    even when the same id is used in many places.
    """
    wanted: dict[str, list[tuple[Loc, str]]] = {"area": [], "indicator": [], "dimension": []}
    subgroups: list[tuple[Loc, str, str]] = []
    for pos, n in parts.nodes:
        wanted["indicator"] += [
            (("nodes", pos, "indicators", j), i) for j, i in enumerate(n.indicators)
        ]
    for pos, it in parts.initiatives:
        loc: Loc = ("initiatives", pos)
        wanted["indicator"] += [((*loc, "indicators", j), i) for j, i in enumerate(it.indicators)]
        wanted["area"] += [((*loc, "areas", j), a) for j, a in enumerate(it.areas)]
        for j, r in enumerate(it.reach):
            wanted["area"].append(((*loc, "reach", j, "area"), r.area))
            if r.dimension != TOTAL:
                wanted["dimension"].append(((*loc, "reach", j, "dimension"), r.dimension))
            subgroups.append(((*loc, "reach", j, "subgroup"), r.dimension, r.subgroup))

    issues: list[Issue] = []
    for kind, refs in wanted.items():
        if not refs:
            continue
        known = known_ids(session, kind)  # type: ignore[arg-type]
        missing = [(loc, value) for loc, value in refs if value not in known]
        if not missing:
            continue
        names = sorted({v for _, v in missing})
        issues.append(
            Issue(
                missing[0][0],
                f"{len(names)} {kind} id(s) used here are not defined in the workspace: "
                f"{', '.join(names)}; {_IMPORT_FIRST}",
            )
        )
        issues += [
            Issue(loc, f"{kind} '{value}' is not defined in the workspace")
            for loc, value in missing[1:]
        ]
    issues += _subgroup_issues(session, subgroups)
    if programme_id is not None:
        issues += _taken_ids(session, parts, programme_id)
    return issues


def _subgroup_issues(session: Session, refs: list[tuple[Loc, str, str]]) -> list[Issue]:
    pairs = {(d, s) for _, d, s in refs if not (d == TOTAL and s == TOTAL)}
    if not pairs:
        return []
    stored = {(d, s) for d, s in session.execute(select(SubgroupRow.dimension_id, SubgroupRow.id))}
    dimensions = {d for d, _ in stored}
    return [
        Issue(loc, f"subgroup '{s}' is not defined for dimension '{d}' in the workspace")
        for loc, d, s in refs
        if (d, s) not in stored and d in dimensions and not (d == TOTAL and s == TOTAL)
    ]


def _taken_ids(session: Session, parts: Parts, programme_id: str) -> list[Issue]:
    """Ids already used by another programme in this workspace (ids are workspace-unique)."""
    mine: dict[str, Loc] = {}
    for coll in ("nodes", "actors", "initiatives"):
        for pos, item in getattr(parts, coll):
            mine.setdefault(item.id, (coll, pos, "id"))
    if not mine:
        return []
    taken: dict[str, str] = {}
    for row in (NodeRow, ActorRow, InitiativeRow):
        query = select(row.id, row.programme_id).where(
            row.id.in_(list(mine)), row.programme_id != programme_id
        )
        taken.update({i: p for i, p in session.execute(query)})
    return [
        Issue(
            mine[item_id],
            f"id '{item_id}' is already used by programme '{other}' in this workspace; ids are "
            "unique within a workspace (give this programme's ids their own prefix, e.g. 'gbg-')",
        )
        for item_id, other in sorted(taken.items(), key=lambda kv: mine[kv[0]])
    ]
