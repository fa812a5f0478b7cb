"""Schema creation and upgrades through Alembic, from the first table on.

`upgrade(engine)` brings any workspace database to the newest schema; `jamlik init` calls it.
Developers add a migration after changing tables with `make migration m="what changed"`, which
autogenerates a revision against a scratch database upgraded to head; read it before committing.
"""

from __future__ import annotations

import sys
import tempfile
import threading
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, text

SCRIPTS = Path(__file__).parent / "migrations"
# Alembic keeps its running context in module globals, so two threads upgrading at once (two
# uploads checked side by side) fail with KeyError 'config'; one at a time, per process.
_UPGRADING = threading.Lock()


def _config(connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPTS))
    cfg.attributes["connection"] = connection
    return cfg


# Any fixed number: the PostgreSQL advisory lock under which one process upgrades at a time.
MIGRATE_LOCK_KEY = 0x6A616D6D6967


def _at_head(engine: Engine) -> bool:
    with engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    return current == set(ScriptDirectory.from_config(_config(None)).get_heads())


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to `revision`, safely when several processes start at once (ten
    imports into a new workspace): one upgrades under the write lock, the others then find
    the schema in place. An up-to-date database is only read, never locked."""
    if revision == "head" and _at_head(engine):
        return
    with _UPGRADING, engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            # The whole upgrade is one transaction under the write lock (SQLite's DDL is
            # transactional): a second process waits, then sees the tables made.
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATE_LOCK_KEY})
        command.upgrade(_config(connection), revision)


def revision(message: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite:///{tmp}/scratch.sqlite")
        upgrade(engine)
        with engine.begin() as connection:
            command.revision(_config(connection), message=message, autogenerate=True)


if __name__ == "__main__":
    revision(" ".join(sys.argv[1:]) or "schema change")
