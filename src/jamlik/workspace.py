"""Where a workspace keeps its data, and how to open its database.

A workspace is a folder: `--workspace DIR`, else `$JAMLIK_WORKSPACE`, else `./jamlik-workspace`.
It holds the SQLite database `jamlik.sqlite` and any files (imports, reports). When
`$JAMLIK_DATABASE_URL` is set, the database lives there instead (PostgreSQL for shared installs).

Several processes share one workspace (the web server, imports from the command line, a
scheduled refresh). SQLite runs in WAL mode, so readers never wait for a writer, and every
connection waits up to `busy_timeout()` seconds for the one write lock instead of failing at
once. Transactions come in three kinds: `session()` (reads see the latest commit statement by
statement; the first write takes the lock), `snapshot()` (reads only, all of them at one moment)
and `writing()` (a transaction that decides what to write from what it read: imports).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # SQLAlchemy loads on first use: `jamlik --help` should not wait for it
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

DEFAULT_DIR = "jamlik-workspace"
DB_FILE = "jamlik.sqlite"
BUSY_TIMEOUT = 30.0  # seconds; $JAMLIK_BUSY_TIMEOUT overrides
# Any fixed number: the PostgreSQL advisory lock that `writing()` transactions take in turn.
WRITE_LOCK_KEY = 0x6A616D6C696B


def busy_timeout() -> float:
    """How long a connection waits for the write lock (and `writing()` retries) before the
    workspace counts as busy."""
    try:
        return max(0.0, float(os.environ.get("JAMLIK_BUSY_TIMEOUT", BUSY_TIMEOUT)))
    except ValueError:
        return BUSY_TIMEOUT


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cur = dbapi_connection.cursor()
    # Wait for a writer rather than fail with "database is locked" at once (set first: the
    # switch to WAL below needs a moment alone with the file).
    cur.execute(f"PRAGMA busy_timeout={int(busy_timeout() * 1000)}")
    # WAL: readers see the last commit while a long import writes, and never block it.
    cur.execute("PRAGMA journal_mode=WAL")
    # Foreign keys are off by default in SQLite; references must hold as they do in PostgreSQL.
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _create_private(database: str | None) -> None:
    """Create an SQLite database file readable by its owner only, before SQLite creates it with
    the umask's mode (0644 as a rule); SQLite gives its journal and WAL files the same mode."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    with suppress(FileExistsError):
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _sessions(engine: Engine):
    from sqlalchemy.orm import sessionmaker

    return sessionmaker(engine, expire_on_commit=False)


@dataclass
class Workspace:
    path: Path
    url: str

    @classmethod
    def resolve(cls, path: str | os.PathLike | None = None) -> Workspace:
        folder = Path(path or os.environ.get("JAMLIK_WORKSPACE") or DEFAULT_DIR).resolve()
        url = os.environ.get("JAMLIK_DATABASE_URL") or f"sqlite:///{folder / DB_FILE}"
        return cls(folder, url)

    @property
    def exists(self) -> bool:
        if self.url.startswith("sqlite:///"):
            return (self.path / DB_FILE).exists()
        return self.path.exists()

    def engine(self) -> Engine:
        if not hasattr(self, "_engine"):
            # The workspace holds accounts, unpublished work and the site's secret: readable by
            # its owner only (0700 for the folder jamlik creates, 0600 for the database).
            self.path.mkdir(mode=0o700, parents=True, exist_ok=True)
            from sqlalchemy import create_engine, event

            engine = create_engine(self.url)
            if engine.dialect.name == "sqlite":
                _create_private(engine.url.database)
                event.listen(engine, "connect", _sqlite_pragmas)
            self._engine = engine
        return self._engine

    def copy_database(self, target: str | os.PathLike) -> None:
        """Copy the SQLite database to the file `target` as it is at this moment, commits that
        still sit in the write-ahead log included (copying `jamlik.sqlite` alone may miss
        them), even while others write. Uses SQLite's online backup."""
        if not self.url.startswith("sqlite:///"):
            raise ValueError("copy_database copies SQLite workspaces only")
        source = self.engine().raw_connection()
        try:
            copy = sqlite3.connect(target)
            try:
                source.driver_connection.backup(copy)  # type: ignore[union-attr]
            finally:
                copy.close()
        finally:
            source.close()

    def init(self) -> None:
        """Create the database or bring it up to the newest schema (idempotent)."""
        from jamlik.migrate import upgrade

        upgrade(self.engine())

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back entirely on any error.

        Reads before the first write each see the latest commit; on SQLite the first write
        waits for the write lock (up to `busy_timeout()`) and holds it until the end."""
        factory = _sessions(self.engine())
        with factory() as session, session.begin():
            yield session

    @contextmanager
    def snapshot(self) -> Iterator[Session]:
        """A read-only transaction whose reads all see the database at one moment, so that
        things read together (an initiative and its version) belong together.

        SQLite: an explicit deferred BEGIN, which in WAL mode keeps the first read's snapshot
        for the whole transaction without blocking writers. PostgreSQL: REPEATABLE READ.
        Do not write in it: on SQLite a write there fails at once when another commit came
        after the snapshot."""
        engine = self.engine()
        if engine.dialect.name != "sqlite":
            engine = engine.execution_options(isolation_level="REPEATABLE READ")
        factory = _sessions(engine)
        with factory() as session, session.begin():
            if engine.dialect.name == "sqlite":
                session.connection().exec_driver_sql("BEGIN")
            yield session

    @contextmanager
    def writing(self, *, wait: bool = True) -> Iterator[Session]:
        """A transaction for work that writes what it decided from what it read (imports):
        such transactions run one at a time, so none writes from a stale reading.

        With `wait` (the default) it takes the workspace's write lock at once, waiting for it
        up to `busy_timeout()`: SQLite's `BEGIN IMMEDIATE`, or a transaction-scoped advisory
        lock on PostgreSQL (which leaves other writers alone). Without `wait`, on SQLite, it
        reads from one snapshot without the lock, and its first write fails at once (a busy
        error, see `jamlik.contention`) when anyone else wrote meanwhile or writes now:
        the caller tries again with `wait`. This keeps the lock short when nobody competes."""
        engine = self.engine()
        sqlite = engine.dialect.name == "sqlite"
        factory = _sessions(engine)
        with factory() as session, session.begin():
            if sqlite:
                session.connection().exec_driver_sql("BEGIN IMMEDIATE" if wait else "BEGIN")
            else:
                from sqlalchemy import text

                ms = int(busy_timeout() * 1000)
                session.execute(text(f"SET LOCAL lock_timeout = {ms}"))
                session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})
            yield session
