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


def test_threads_bringing_one_workspace_up_to_date_at_once_all_succeed(tmp_path):
    """The web checks each upload in a worker thread, and every check brings the workspace up
    to date first: Alembic's module-global context made two at once fail with KeyError."""
    import threading

    ws = Workspace.resolve(tmp_path / "ws")
    ws.init()
    errors: list[BaseException] = []

    def init_again() -> None:
        try:
            for _ in range(5):
                ws.init()
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=init_again) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
