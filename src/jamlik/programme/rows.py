"""Programmes ↔ table rows: write a programme into the tables, read it back, delete it.

What is read back equals what was written, field for field (lists keep their positions), which
is what makes export → import → export byte-identical.
"""

from __future__ import annotations

from datetime import date
from graphlib import TopologicalSorter
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from jamlik.errors import JamlikError
from jamlik.programme.model import (
    Actor,
    Budget,
    Initiative,
    Node,
    Period,
    Programme,
    Reach,
    Section,
    SectionItem,
    TargetGroup,
)
from jamlik.programme.tables import (
    DELETE_ORDER,
    ActorRow,
    InitiativeAreaRow,
    InitiativeIndicatorRow,
    InitiativeNodeRow,
    InitiativePartnerRow,
    InitiativeRow,
    NodeIndicatorRow,
    NodeRow,
    ProgrammeNodeKindRow,
    ProgrammeRow,
    ReachRow,
    SectionItemRow,
    SectionRow,
)


def read_programme(session: Session, programme_id: str) -> Programme:
    """The stored programme with this id, exactly as it was imported."""
    row = session.get(ProgrammeRow, programme_id)
    if row is None:
        known = ", ".join(session.scalars(select(ProgrammeRow.id).order_by(ProgrammeRow.id)))
        raise JamlikError(
            f"Inget program / no programme '{programme_id}' in this workspace"
            + (f"; stored: {known}" if known else "; import one with `jamlik programme import`")
        )
    pid = programme_id

    def rows(table: Any, *where: Any) -> list[Any]:
        return list(session.scalars(select(table).where(*where).order_by(table.position)))

    def grouped(table: Any, key: str, value: str, ids: list[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {i: [] for i in ids}
        col = getattr(table, key)
        for r in session.scalars(select(table).where(col.in_(ids)).order_by(col, table.position)):
            out[getattr(r, key)].append(getattr(r, value))
        return out

    kinds = [r.kind for r in rows(ProgrammeNodeKindRow, ProgrammeNodeKindRow.programme_id == pid)]
    items: dict[str, list[SectionItem]] = {}
    for r in rows(SectionItemRow, SectionItemRow.programme_id == pid):
        items.setdefault(r.section_id, []).append(SectionItem(text=r.text, text_en=r.text_en))
    sections = [
        Section(
            id=s.id,
            title=s.title,
            title_en=s.title_en,
            description=s.description,
            description_en=s.description_en,
            items=items.get(s.id, []),
        )
        for s in rows(SectionRow, SectionRow.programme_id == pid)
    ]
    node_rows = rows(NodeRow, NodeRow.programme_id == pid)
    node_ind = grouped(NodeIndicatorRow, "node_id", "indicator_id", [n.id for n in node_rows])
    nodes = [
        Node(
            id=n.id,
            kind=n.kind,
            title=n.title,
            title_en=n.title_en,
            parent=n.parent_id,
            order=n.sort_order,
            description=n.description,
            description_en=n.description_en,
            target_group=_target_group(n),
            indicators=node_ind[n.id],
        )
        for n in node_rows
    ]
    actors = [
        Actor(id=a.id, name=a.name, name_en=a.name_en, kind=a.kind, parent=a.parent_id)
        for a in rows(ActorRow, ActorRow.programme_id == pid)
    ]
    init_rows = rows(InitiativeRow, InitiativeRow.programme_id == pid)
    ids = [i.id for i in init_rows]
    partners = grouped(InitiativePartnerRow, "initiative_id", "actor_id", ids)
    served = grouped(InitiativeNodeRow, "initiative_id", "node_id", ids)
    indicators = grouped(InitiativeIndicatorRow, "initiative_id", "indicator_id", ids)
    areas = grouped(InitiativeAreaRow, "initiative_id", "area_id", ids)
    reach: dict[str, list[Reach]] = {i: [] for i in ids}
    query = select(ReachRow).where(ReachRow.initiative_id.in_(ids))
    for r in session.scalars(query.order_by(ReachRow.initiative_id, ReachRow.position)):
        reach[r.initiative_id].append(
            Reach(
                period=r.period,
                area=r.area_id,
                dimension=r.dimension_id,
                subgroup=r.subgroup_id,
                reached=r.reached,
            )
        )
    initiatives = [
        Initiative(
            id=i.id,
            title=i.title,
            title_en=i.title_en,
            status=i.status,
            period=_period(i.period_start, i.period_end),
            owner=i.owner_id,
            partners=partners[i.id],
            nodes=served[i.id],
            purpose=i.purpose,
            content=i.content,
            target_group=_target_group(i),
            areas=areas[i.id],
            budget=_budget(i),
            indicators=indicators[i.id],
            reach=reach[i.id],
            notes=i.notes,
        )
        for i in init_rows
    ]
    return Programme(
        id=row.id,
        title=row.title,
        title_en=row.title_en,
        description=row.description,
        description_en=row.description_en,
        source=row.source,
        period=_period(row.period_start, row.period_end),
        published=row.published,
        fictitious=row.fictitious,
        node_kinds=kinds,
        sections=sections,
        nodes=nodes,
        actors=actors,
        initiatives=initiatives,
    )


def _period(start: date | None, end: date | None) -> Period | None:
    return None if start is None else Period(start=start, end=end)


def _target_group(row: Any) -> TargetGroup | None:
    if row.target_group is None:
        return None
    return TargetGroup(
        text=row.target_group, text_en=row.target_group_en, age_min=row.age_min, age_max=row.age_max
    )


def _budget(row: InitiativeRow) -> Budget | None:
    values = (row.budget_amount_sek, row.budget_funder_id, row.budget_funder_text)
    if all(v is None for v in values):
        return None
    return Budget(amount_sek=values[0], funder=values[1], funder_text=values[2])


def delete_programme_rows(session: Session, programme_id: str) -> None:
    """Delete every row of a stored programme (children before parents)."""
    inits = select(InitiativeRow.id).where(InitiativeRow.programme_id == programme_id)
    nodes = select(NodeRow.id).where(NodeRow.programme_id == programme_id)
    for table in DELETE_ORDER:
        if hasattr(table, "initiative_id"):
            session.execute(delete(table).where(table.initiative_id.in_(inits)))
        elif table is NodeIndicatorRow:
            session.execute(delete(table).where(table.node_id.in_(nodes)))
        elif table is ProgrammeRow:
            session.execute(delete(table).where(table.id == programme_id))
        else:
            session.execute(delete(table).where(table.programme_id == programme_id))


def _parents_first(items: list[Any]) -> list[tuple[int, Any]]:
    """Items with their positions, each parent before its children (for the self-references)."""
    by_id = {item.id: (pos, item) for pos, item in enumerate(items)}
    graph = {item.id: ({item.parent} if item.parent else set()) for item in items}
    return [by_id[i] for i in TopologicalSorter(graph).static_order()]


def _insert(session: Session, table: Any, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(table), rows)


def write_programme_rows(session: Session, p: Programme) -> None:
    """Insert a programme that is not stored yet (self-references: parents first)."""
    pid = p.id
    period = p.period
    _insert(
        session,
        ProgrammeRow,
        [
            dict(
                id=pid,
                title=p.title,
                title_en=p.title_en,
                description=p.description,
                description_en=p.description_en,
                source=p.source,
                period_start=period.start if period else None,
                period_end=period.end if period else None,
                published=p.published,
                fictitious=p.fictitious,
            )
        ],
    )
    _insert(
        session,
        ProgrammeNodeKindRow,
        [dict(programme_id=pid, kind=k, position=j) for j, k in enumerate(p.node_kinds)],
    )
    _insert(
        session,
        SectionRow,
        [
            dict(
                programme_id=pid,
                id=s.id,
                position=j,
                title=s.title,
                title_en=s.title_en,
                description=s.description,
                description_en=s.description_en,
            )
            for j, s in enumerate(p.sections)
        ],
    )
    _insert(
        session,
        SectionItemRow,
        [
            dict(programme_id=pid, section_id=s.id, position=k, text=it.text, text_en=it.text_en)
            for s in p.sections
            for k, it in enumerate(s.items)
        ],
    )
    _insert(
        session,
        ActorRow,
        [
            dict(
                id=a.id,
                programme_id=pid,
                position=j,
                name=a.name,
                name_en=a.name_en,
                kind=a.kind,
                parent_id=a.parent,
            )
            for j, a in _parents_first(p.actors)
        ],
    )
    _insert(
        session,
        NodeRow,
        [
            dict(
                id=n.id,
                programme_id=pid,
                position=j,
                kind=n.kind,
                title=n.title,
                title_en=n.title_en,
                parent_id=n.parent,
                sort_order=n.order,
                description=n.description,
                description_en=n.description_en,
                **_target_group_columns(n.target_group),
            )
            for j, n in _parents_first(p.nodes)
        ],
    )
    _insert(
        session,
        NodeIndicatorRow,
        [
            dict(node_id=n.id, indicator_id=i, position=k)
            for n in p.nodes
            for k, i in enumerate(n.indicators)
        ],
    )
    _insert(
        session,
        InitiativeRow,
        [_initiative_columns(pid, j, it) for j, it in enumerate(p.initiatives)],
    )
    _insert_initiative_children(session, p.initiatives)


_INITIATIVE_LINKS = (
    (InitiativePartnerRow, "actor_id", "partners"),
    (InitiativeNodeRow, "node_id", "nodes"),
    (InitiativeIndicatorRow, "indicator_id", "indicators"),
    (InitiativeAreaRow, "area_id", "areas"),
)


def _insert_initiative_children(session: Session, initiatives: list[Initiative]) -> None:
    """Links and reach rows of initiatives whose own rows are already written."""
    for table, column, attr in _INITIATIVE_LINKS:
        _insert(
            session,
            table,
            [
                {"initiative_id": it.id, column: value, "position": k}
                for it in initiatives
                for k, value in enumerate(getattr(it, attr))
            ],
        )
    _insert(
        session,
        ReachRow,
        [
            dict(
                initiative_id=it.id,
                period=r.period,
                area_id=r.area,
                dimension_id=r.dimension,
                subgroup_id=r.subgroup,
                position=k,
                reached=r.reached,
            )
            for it in initiatives
            for k, r in enumerate(it.reach)
        ],
    )


def write_initiative_rows(session: Session, pid: str, position: int, it: Initiative) -> None:
    """Replace one stored initiative's row, links and reach (the caller has validated it)."""
    for table in (ReachRow, *(t for t, _, _ in _INITIATIVE_LINKS)):
        session.execute(delete(table).where(table.initiative_id == it.id))
    columns = _initiative_columns(pid, position, it)
    row = session.get(InitiativeRow, it.id)
    for key, value in columns.items():
        setattr(row, key, value)
    session.flush()
    _insert_initiative_children(session, [it])


def _target_group_columns(tg: TargetGroup | None) -> dict[str, Any]:
    if tg is None:
        return dict(target_group=None, target_group_en=None, age_min=None, age_max=None)
    return dict(
        target_group=tg.text, target_group_en=tg.text_en, age_min=tg.age_min, age_max=tg.age_max
    )


def _initiative_columns(pid: str, position: int, it: Initiative) -> dict[str, Any]:
    b = it.budget
    return dict(
        id=it.id,
        programme_id=pid,
        position=position,
        title=it.title,
        title_en=it.title_en,
        status=it.status,
        period_start=it.period.start if it.period else None,
        period_end=it.period.end if it.period else None,
        owner_id=it.owner,
        purpose=it.purpose,
        content=it.content,
        notes=it.notes,
        budget_amount_sek=b.amount_sek if b else None,
        budget_funder_id=b.funder if b else None,
        budget_funder_text=b.funder_text if b else None,
        **_target_group_columns(it.target_group),
    )
