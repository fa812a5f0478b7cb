"""When several processes write one workspace: recognising a busy database, trying again a
bounded number of times, and saying plainly that the workspace is busy when it stays so.

SQLite lets one connection write at a time. A connection waits for the lock up to the busy
timeout (`jamlik.workspace.busy_timeout`), but some conflicts fail at once and are only cured
by running the transaction again from the start: a transaction that read a snapshot and then
found that someone else had written since (SQLITE_BUSY_SNAPSHOT). PostgreSQL reports the like
as serialization failures, deadlocks or an exceeded lock timeout.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from jamlik.errors import JamlikError
from jamlik.workspace import Workspace, busy_timeout

T = TypeVar("T")

# SQLITE_BUSY and SQLITE_LOCKED (their extended codes share the low byte).
_SQLITE_BUSY = {5, 6}
# serialization_failure, deadlock_detected, lock_not_available, query_canceled (lock timeout)
_POSTGRES_RETRY = {"40001", "40P01", "55P03"}
RETRY_AFTER = 5  # seconds a refused web client is told to wait
EXIT_BUSY = 75  # EX_TEMPFAIL (sysexits.h): try again later


class WorkspaceBusyError(JamlikError):
    """Another process held the workspace's write lock for longer than we could wait."""

    def __init__(self, where: str | None = None, waited: float | None = None) -> None:
        self.where = where
        self.waited = waited
        place = f" {where}" if where else ""
        how_long = f" (waited {waited:.0f} s)" if waited else ""
        super().__init__(
            f"Arbetsytan{place} är upptagen: en annan import eller ändring skriver i den just "
            "nu. Ingenting har ändrats; försök igen om en stund. / The workspace is busy: "
            f"another import or change is writing to it{how_long}. Nothing was changed; try "
            "again in a while."
        )


def is_busy(exc: BaseException) -> bool:
    """True for a database error that running the transaction again may cure."""
    if isinstance(exc, WorkspaceBusyError):
        return True
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    if isinstance(orig, sqlite3.OperationalError):
        code = getattr(orig, "sqlite_errorcode", None)
        if code is not None:
            return code & 0xFF in _SQLITE_BUSY
        text = str(orig).lower()
        return "database is locked" in text or "database table is locked" in text
    return getattr(orig, "sqlstate", None) in _POSTGRES_RETRY


def retry_writing(workspace: Workspace, work: Callable[[Session], T]) -> T:
    """`work(session)` in a `workspace.writing()` transaction, all or nothing, run again from
    the start (with a short, growing pause) while the database is busy, for at most the busy
    timeout; then `WorkspaceBusyError`.

    The first attempt reads without the write lock (on SQLite), so a long validation does not
    hold up the web's small writes; should anyone write meanwhile, the next attempts take the
    lock first and wait for it. `work` may run more than once: it must do nothing outside
    the session that it cannot repeat.
    """
    limit = busy_timeout()
    start = time.monotonic()
    pause = 0.05
    wait = False
    while True:
        try:
            with workspace.writing(wait=wait) as session:
                return work(session)
        except DBAPIError as exc:
            if not is_busy(exc):
                raise
            waited = time.monotonic() - start
            if wait and waited >= limit:
                raise WorkspaceBusyError(_where(workspace), waited) from None
        if wait:
            time.sleep(pause * (0.5 + random.random()))
            pause = min(pause * 2, 1.0)
        wait = True


def _where(workspace: Workspace) -> str:
    return str(workspace.path) if workspace.url.startswith("sqlite") else "databasen / the database"
