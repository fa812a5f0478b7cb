"""Shared values for the accounts tests (a module of its own: test files import it by name)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import inspect

from jamlik.workspace import Workspace

ACTORS = ("gbg-sdf-nordost", "gbg-sdf-hisingen", "gbg-grundskola")
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PASSWORD = "korrekt-häst-batteri"


def add_programme(ws: Workspace) -> None:
    """A programme row and its actors: what editor accounts are linked to."""
    from jamlik.programme.tables import ActorRow, ProgrammeRow

    with ws.session() as s:
        s.add(ProgrammeRow(id="gbg-jamlik", title="Göteborg ska vara en jämlik stad"))
        s.flush()
        for n, actor in enumerate(ACTORS):
            s.add(
                ActorRow(
                    id=actor, programme_id="gbg-jamlik", position=n, name=actor, kind="department"
                )
            )


def table_frames(ws: Workspace) -> dict[str, pd.DataFrame]:
    """Every table's rows, in a fixed order, as read by pandas."""
    engine = ws.engine()
    frames = {}
    with engine.connect() as conn:
        for name in inspect(conn).get_table_names():
            frame = pd.read_sql_query(f'SELECT * FROM "{name}"', conn)
            # PostgreSQL's driver parses json columns; compare them as canonical text.
            frame = frame.map(
                lambda v: json.dumps(v, sort_keys=True) if isinstance(v, list | dict) else v
            )
            frames[name] = (
                frame.sort_values(list(frame.columns)).reset_index(drop=True)
                if len(frame)
                else frame
            )
    return frames


def assert_same_tables(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    assert sorted(a) == sorted(b)
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)
