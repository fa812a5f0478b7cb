"""Where a workspace keeps its data, and how to open its database.

A workspace is a folder: `--workspace DIR`, else `$JAMLIK_WORKSPACE`, else `./jamlik-workspace`.
It holds the SQLite database `jamlik.sqlite` and any files (imports, reports). When
`$JAMLIK_DATABASE_URL` is set, the database lives there instead (PostgreSQL for shared installs).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_DIR = "jamlik-workspace"
DB_FILE = "jamlik.sqlite"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # Foreign keys are off by default in SQLite; references must hold as they do in PostgreSQL.
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _create_private(database: str | None) -> None:
    """Create an SQLite database file readable by its owner only, before SQLite creates it with
    the umask's mode (0644 as a rule); SQLite gives its journal and WAL files the same mode."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    with suppress(FileExistsError):
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


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
            engine = create_engine(self.url)
            if engine.dialect.name == "sqlite":
                _create_private(engine.url.database)
                event.listen(engine, "connect", _sqlite_pragmas)
            self._engine = engine
        return self._engine

    def init(self) -> None:
        """Create the database or bring it up to the newest schema (idempotent)."""
        from jamlik.migrate import upgrade

        upgrade(self.engine())

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back entirely on any error."""
        factory = sessionmaker(self.engine(), expire_on_commit=False)
        with factory() as session, session.begin():
            yield session
