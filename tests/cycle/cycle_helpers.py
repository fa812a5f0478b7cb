"""A small programme for the cycle tests, written row by row so every expectation can be
worked out by hand (a module of its own: test files import it by name).

    goal G
    ├── target area T1            indicator ind-y
    │   ├── strategy S1           initiatives I1 (actor A), I2 (actor A, ended 2025-06-30)
    │   └── strategy S2           indicator ind-x
    │       └── priority area P1  initiative I3 (actor B)
    │   (T1 itself)               initiative I4 (actor B)
    └── target area T2            (nothing)

Areas: the municipality "kommun" and the districts d1, d2; groups total/total, sex/f, sex/m.
The workspace already holds I1's reach for 2025: d1 10 and d2 20 people (total).
"""

from __future__ import annotations

import socket
from datetime import UTC, date, datetime

from jamlik.accounts import User
from jamlik.workspace import Workspace

P = "prog"
A, B = "akt-a", "akt-b"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

EDITOR_A = User(id=1, name="anna", role="editor", actors=frozenset({A}))
EDITOR_B = User(id=2, name="bertil", role="editor", actors=frozenset({B}))
LEADER = User(id=3, name="lena", role="process_leader")
LEADER2 = User(id=4, name="lars", role="process_leader")
ADMIN = User(id=5, name="admin", role="administrator")
READER = User(id=6, name="rut", role="reader")
ANALYST = User(id=7, name="alf", role="analyst")
VISITOR = None


def add_programme(ws: Workspace, *, published: bool = False) -> None:
    from jamlik.data.tables import AreaRow, DimensionRow, SubgroupRow
    from jamlik.programme.tables import (
        ActorRow,
        InitiativeNodeRow,
        InitiativeRow,
        NodeIndicatorRow,
        NodeRow,
        ProgrammeRow,
        ReachRow,
    )

    with ws.session() as s:
        s.add(AreaRow(id="kommun", name="Kommunen", level="municipality"))
        s.flush()
        s.add_all([AreaRow(id=d, name=d.upper(), level="district", parent_id="kommun")
                   for d in ("d1", "d2")])  # fmt: skip
        s.add_all([DimensionRow(id="total", title="Totalt"), DimensionRow(id="sex", title="Kön")])
        s.flush()
        s.add_all([
            SubgroupRow(dimension_id="total", id="total", title="Totalt"),
            SubgroupRow(dimension_id="sex", id="f", title="Kvinnor"),
            SubgroupRow(dimension_id="sex", id="m", title="Män"),
        ])  # fmt: skip
        s.add(ProgrammeRow(id=P, title="Testprogrammet", published=published))
        s.flush()
        s.add_all([
            ActorRow(id=A, programme_id=P, position=0, name="Nämnd A", kind="municipal_committee"),
            ActorRow(id=B, programme_id=P, position=1, name="Nämnd B", kind="municipal_committee"),
        ])  # fmt: skip
        nodes = [
            ("G", "goal", None), ("T1", "target_area", "G"), ("S1", "strategy", "T1"),
            ("S2", "strategy", "T1"), ("P1", "priority_area", "S2"), ("T2", "target_area", "G"),
        ]  # fmt: skip
        for n, (nid, kind, parent) in enumerate(nodes):
            s.add(NodeRow(id=nid, programme_id=P, position=n, kind=kind, title=f"Nod {nid}",
                          parent_id=parent))  # fmt: skip
            s.flush()
        s.add_all([NodeIndicatorRow(node_id="S2", indicator_id="ind-x", position=0),
                   NodeIndicatorRow(node_id="T1", indicator_id="ind-y", position=0)])  # fmt: skip
        inis = [
            ("I1", A, date(2020, 1, 1), None, "S1", 1_000_000),
            ("I2", A, date(2020, 1, 1), date(2025, 6, 30), "S1", 500_000),
            ("I3", B, date(2021, 1, 1), None, "P1", None),
            ("I4", B, date(2021, 1, 1), None, "T1", 200_000),
        ]
        for n, (iid, owner, start, end, node, budget) in enumerate(inis):
            s.add(InitiativeRow(id=iid, programme_id=P, position=n, title=f"Insats {iid}",
                                status="ongoing", period_start=start, period_end=end,
                                owner_id=owner, budget_amount_sek=budget))  # fmt: skip
            s.flush()
            s.add(InitiativeNodeRow(initiative_id=iid, node_id=node, position=0))
        s.add_all([
            ReachRow(initiative_id="I1", period="2025", area_id="d1", dimension_id="total",
                     subgroup_id="total", position=0, reached=10),
            ReachRow(initiative_id="I1", period="2025", area_id="d2", dimension_id="total",
                     subgroup_id="total", position=1, reached=20),
        ])  # fmt: skip


class Inbox:
    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
