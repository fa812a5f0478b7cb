"""What a period expects of a programme: the initiatives that must report (those running in
the period) and the nodes that must be assessed (goal, target areas, strategies, focus areas),
with their responsible actors and the parts of the tree each assessed node gathers.

An initiative runs in a period when it starts on or before the period's last day and has no
end date or ends on or after its first day (an initiative that ended during the period
reports on its last stretch).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from jamlik.cycle.codes import ASSESSED_KINDS, Level
from jamlik.cycle.tables import PeriodRow, ResponsibleRow


@dataclass(frozen=True)
class ExpectedInitiative:
    id: str
    title: str
    owner_id: str | None


@dataclass(frozen=True)
class ExpectedNode:
    id: str
    kind: str
    title: str
    level: Level
    parent_id: str | None
    actor_id: str | None  # responsible for assessing it (None: the process leader)


def runs_in(start: date | None, end: date | None, first: date, last: date) -> bool:
    """True when an initiative dated `start`–`end` runs during `first`–`last`."""
    return (start is None or start <= last) and (end is None or end >= first)


def expected_initiatives(session: Session, period: PeriodRow) -> list[ExpectedInitiative]:
    """The programme's initiatives that run in the period, in programme order."""
    from jamlik.programme.tables import InitiativeRow

    rows = session.scalars(
        select(InitiativeRow)
        .where(InitiativeRow.programme_id == period.programme_id)
        .order_by(InitiativeRow.position)
    )
    return [
        ExpectedInitiative(r.id, r.title, r.owner_id)
        for r in rows
        if runs_in(r.period_start, r.period_end, period.start_date, period.end_date)
    ]


def responsible(session: Session, programme_id: str) -> dict[str, str]:
    """Node id -> the actor responsible for assessing it."""
    rows = session.scalars(
        select(ResponsibleRow).where(ResponsibleRow.programme_id == programme_id)
    )
    return {r.node_id: r.actor_id for r in rows}


def assessed_nodes(session: Session, programme_id: str) -> list[ExpectedNode]:
    """The programme's nodes of an assessed kind, in programme order."""
    from jamlik.programme.tables import NodeRow

    owners = responsible(session, programme_id)
    rows = session.scalars(
        select(NodeRow).where(NodeRow.programme_id == programme_id).order_by(NodeRow.position)
    )
    return [
        ExpectedNode(r.id, r.kind, r.title, ASSESSED_KINDS[r.kind], r.parent_id, owners.get(r.id))
        for r in rows
        if r.kind in ASSESSED_KINDS
    ]


def expected_nodes(session: Session, period: PeriodRow) -> list[ExpectedNode]:
    """The assessed nodes the period asks an assessment of: those with something to weigh,
    that is an initiative running in the period, an indicator, or an expected node below
    (`gather`). A strategy with nothing linked is not asked for a text by rote; it may still
    be assessed."""
    from jamlik.programme.tables import InitiativeRow

    running = {
        r.id
        for r in session.scalars(
            select(InitiativeRow).where(InitiativeRow.programme_id == period.programme_id)
        )
        if runs_in(r.period_start, r.period_end, period.start_date, period.end_date)
    }
    nodes = assessed_nodes(session, period.programme_id)
    scopes = {n.id: gather(session, period.programme_id, n.id) for n in nodes}
    wanted: dict[str, bool] = {}

    def expected(node_id: str) -> bool:
        if node_id not in wanted:
            got = scopes[node_id]
            wanted[node_id] = (
                any(i in running for i in got.initiatives)
                or bool(got.indicators)
                or any(expected(c) for c in got.children)
            )
        return wanted[node_id]

    return [n for n in nodes if expected(n.id)]


@dataclass(frozen=True)
class Gathered:
    """What an assessed node weighs: initiatives and indicators of itself and of the nodes
    below it that are not assessed themselves, and its nearest assessed descendants."""

    initiatives: tuple[str, ...]
    indicators: tuple[str, ...]
    children: tuple[str, ...]


def gather(session: Session, programme_id: str, node_id: str) -> Gathered:
    """See `Gathered`; each id once, in a stable order."""
    from jamlik.programme.tables import InitiativeNodeRow, NodeIndicatorRow, NodeRow

    nodes = session.scalars(select(NodeRow).where(NodeRow.programme_id == programme_id)).all()
    kids: dict[str | None, list] = {}
    for n in sorted(nodes, key=lambda n: n.position):
        kids.setdefault(n.parent_id, []).append(n)
    own = [node_id]
    children: list[str] = []
    stack = list(reversed(kids.get(node_id, [])))
    while stack:
        n = stack.pop()
        if n.kind in ASSESSED_KINDS:
            children.append(n.id)
            continue
        own.append(n.id)
        stack.extend(reversed(kids.get(n.id, [])))
    links = session.execute(
        select(InitiativeNodeRow.node_id, InitiativeNodeRow.initiative_id).where(
            InitiativeNodeRow.node_id.in_(own)
        )
    ).all()
    indicator_links = session.execute(
        select(
            NodeIndicatorRow.node_id, NodeIndicatorRow.indicator_id, NodeIndicatorRow.position
        ).where(NodeIndicatorRow.node_id.in_(own))
    ).all()
    order = {nid: i for i, nid in enumerate(own)}
    initiatives = sorted({ini for _n, ini in links})
    indicators = list(
        dict.fromkeys(
            ind for _n, ind, _p in sorted(indicator_links, key=lambda r: (order[r[0]], r[2]))
        )
    )
    return Gathered(tuple(initiatives), tuple(indicators), tuple(children))
