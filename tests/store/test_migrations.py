"""The Alembic history builds exactly the schema the ORM declares, from nothing and idempotently."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

import jamlik.data.tables  # noqa: F401
import jamlik.programme.tables  # noqa: F401
from jamlik.db import Base
from jamlik.workspace import Workspace


def test_migrations_match_the_models(tmp_path):
    ws = Workspace.resolve(tmp_path / "ws")
    ws.init()
    with ws.engine().connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == [], f"models changed without a migration (run make migration): {diff}"


def test_init_twice_is_harmless_and_creates_every_table(tmp_path):
    ws = Workspace.resolve(tmp_path / "ws")
    ws.init()
    ws.init()
    tables = set(inspect(ws.engine()).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables
