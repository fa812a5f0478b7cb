"""Writes that must be spelt per engine: inserting what is missing without a race, and
writing many rows fast. The store's modules (jamlik.data) stay engine-neutral and call these.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
from sqlalchemy import Table, insert, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

CHUNK = 20_000


def insert_missing(session: Session, cls: type, rows: list[dict[str, Any]]) -> int:
    """Insert the rows whose primary key is not stored yet, leaving stored ones alone
    (INSERT … ON CONFLICT DO NOTHING); how many were inserted.

    Checking first and inserting after is a race between two importers that both find a
    definition missing; this one statement is not. Pending ORM changes are flushed first, so
    rows the session added (a parent area) are there to refer to."""
    if not rows:
        return 0
    session.flush()
    table: Table = cls.__table__  # type: ignore[attr-defined]
    dialect = session.get_bind().dialect.name
    make = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}[dialect]
    keys = [c.name for c in table.primary_key.columns]
    done = 0
    for row in rows:  # one statement per row: its rowcount tells inserted from ignored
        result = session.connection().execute(
            make(table).values(**row).on_conflict_do_nothing(index_elements=keys)
        )
        done += max(result.rowcount, 0)
    return done


def write_rows(
    session: Session,
    cls: type,
    new: pd.DataFrame,
    changed: pd.DataFrame,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Insert the rows of `new` and update the rows of `changed` (by its column `id`), in
    chunks; `progress(rows written so far)` after each. Columns are the table's."""
    table: Table = cls.__table__  # type: ignore[attr-defined]
    writes: list[tuple[pd.DataFrame, Callable[[pd.DataFrame], object]]]
    if session.get_bind().dialect.name == "sqlite":
        # On SQLite the write lock is held from the first row to the commit, and every other
        # writer (a sign-in, an edit) waits meanwhile: plain tuples through the driver's
        # executemany write several times faster than dictionaries through the ORM.
        cols = list(new.columns)
        sets = [c for c in changed.columns if c != "id"]
        conn = session.connection()
        insert_sql = (f"INSERT INTO {table.name} ({', '.join(cols)}) "
                      f"VALUES ({', '.join('?' * len(cols))})")  # fmt: skip
        update_sql = (f"UPDATE {table.name} SET "
                      f"{', '.join(f'{c} = ?' for c in sets)} WHERE id = ?")  # fmt: skip
        writes = [
            (new[cols], lambda chunk: conn.exec_driver_sql(insert_sql, _tuples(chunk))),
            (
                changed[[*sets, "id"]],
                lambda chunk: conn.exec_driver_sql(update_sql, _tuples(chunk)),
            ),
        ]
    else:
        writes = [
            (new, lambda chunk: session.execute(insert(cls), _records(chunk))),
            (changed, lambda chunk: session.execute(update(cls), _records(chunk))),
        ]
    done = 0
    for frame, write in writes:
        for start in range(0, len(frame), CHUNK):
            chunk = frame.iloc[start : start + CHUNK]
            write(chunk)
            done += len(chunk)
            if progress:
                progress(done)


def _tuples(frame: pd.DataFrame) -> list[tuple]:
    # None, not NaN: missing is missing.
    return list(frame.astype(object).where(frame.notna(), None).itertuples(index=False, name=None))


def _records(frame: pd.DataFrame) -> list[dict]:
    # None, not NaN: PostgreSQL would store NaN as a number, and missing is missing.
    return frame.astype(object).where(frame.notna(), None).to_dict("records")
