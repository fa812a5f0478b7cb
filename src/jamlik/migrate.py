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
from sqlalchemy import Engine, create_engine

SCRIPTS = Path(__file__).parent / "migrations"
# Alembic keeps its running context in module globals, so two threads upgrading at once (two
# uploads checked side by side) fail with KeyError 'config'; one at a time, per process.
_UPGRADING = threading.Lock()


def _config(connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPTS))
    cfg.attributes["connection"] = connection
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    with _UPGRADING, engine.begin() as connection:
        command.upgrade(_config(connection), revision)


def revision(message: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite:///{tmp}/scratch.sqlite")
        upgrade(engine)
        with engine.begin() as connection:
            command.revision(_config(connection), message=message, autogenerate=True)


if __name__ == "__main__":
    revision(" ".join(sys.argv[1:]) or "schema change")
