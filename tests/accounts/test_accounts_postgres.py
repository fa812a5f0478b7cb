"""The same guarantees on a real PostgreSQL server (the `postgres_url` fixture starts one):
`jamlik init` and the migrations, append-only audit triggers, accounts, optimistic locking,
and backup → restore → backup."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
from accounts_helpers import PASSWORD, T0, assert_same_tables, table_frames
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import DatabaseError

from jamlik.backup import backup_workspace, read_manifest, restore_workspace
from jamlik.db import Base
from jamlik.workspace import Workspace

ENV = Path(__file__).parents[2] / "src" / "jamlik" / "migrations" / "env.py"


@pytest.fixture
def pg(tmp_path, postgres_db_url) -> Workspace:
    ws = Workspace(tmp_path / "ws", postgres_db_url)
    yield ws
    ws.engine().dispose()


def _all_table_modules() -> None:
    """Import every module the migration environment registers tables from."""
    for module in re.findall(r"^import (jamlik\.[\w.]+)", ENV.read_text("utf-8"), re.MULTILINE):
        importlib.import_module(module)


def test_init_on_postgresql_builds_exactly_the_models_and_is_idempotent(pg):
    _all_table_modules()
    pg.init()
    pg.init()
    with pg.engine().connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        tables = set(inspect(conn).get_table_names())
    assert diff == []
    assert set(Base.metadata.tables) | {"alembic_version"} == tables


def test_the_jamlik_init_command_on_postgresql(tmp_path, postgres_db_url, monkeypatch):
    from typer.testing import CliRunner

    from jamlik.cli.app import app

    monkeypatch.setenv("JAMLIK_DATABASE_URL", postgres_db_url)
    done = CliRunner().invoke(app, ["init", "--workspace", str(tmp_path / "ws")])
    assert done.exit_code == 0, done.output
    engine = create_engine(postgres_db_url)
    assert inspect(engine).has_table("audit_log") and inspect(engine).has_table("observation")
    engine.dispose()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET user_name = 'mallory'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
    ],
)
def test_postgresql_refuses_to_change_audit_entries(pg, statement):
    from jamlik.audit import read_log, record

    pg.init()
    with pg.session() as s:
        record(s, "eva", "create", "note", "1", None, {"x": 1})
    engine = create_engine(pg.url)  # another client, outside the application
    with pytest.raises(DatabaseError, match="append-only"), engine.begin() as conn:
        conn.execute(text(statement))
    engine.dispose()
    with pg.session() as s:
        assert [e.user for e in read_log(s)] == ["eva"]


def test_accounts_sessions_and_locking_on_postgresql(pg):
    from datetime import timedelta

    from jamlik.accounts import (
        LoginThrottled,
        authenticate,
        create_user,
        end_all_sessions,
        session_user,
        start_session,
    )
    from jamlik.accounts.model import LoginRefused
    from jamlik.audit import ConflictError, claim_version

    pg.init()
    with pg.session() as s:
        create_user(s, "anna", "reader", password=PASSWORD, by="test", now=T0)
    with pg.session() as s:
        token = start_session(s, authenticate(s, "anna", PASSWORD, now=T0), now=T0)
    with pg.session() as s:
        assert session_user(s, token, now=T0 + timedelta(minutes=5)).name == "anna"
        end_all_sessions(s, "anna", by="test")
    with pg.session() as s:
        assert session_user(s, token, now=T0 + timedelta(minutes=6)) is None
    for minute in range(5):
        with pg.session() as s, pytest.raises(LoginRefused):
            authenticate(s, "anna", "fel-lösenord-123", now=T0 + timedelta(minutes=10 + minute))
    with pg.session() as s, pytest.raises(LoginThrottled):  # the fifth failure: wait 30 s
        authenticate(s, "anna", PASSWORD, now=T0 + timedelta(minutes=14, seconds=10))
    with pg.session() as s:
        claim_version(s, "initiative", "gbg-i1", 0)
    with pytest.raises(ConflictError), pg.session() as s:
        claim_version(s, "initiative", "gbg-i1", 0)
    with pg.session() as s:
        assert claim_version(s, "initiative", "gbg-i1", 1) == 2
    with pytest.raises(ConflictError), pg.session() as s:
        claim_version(s, "initiative", "gbg-i1", 1)


def test_simultaneous_first_saves_one_wins_on_postgresql(pg):
    """Both saves pass the version check before either commits; the key lets only one in."""
    import threading
    import time

    from jamlik.audit import ConflictError, claim_version, current_version

    pg.init()
    outcome: list[object] = []
    first = pg.session()
    a = first.__enter__()
    claim_version(a, "initiative", "gbg-i1", 0)  # inserted, not yet committed

    def second_save() -> None:
        try:
            with pg.session() as b:
                outcome.append(claim_version(b, "initiative", "gbg-i1", 0))
        except ConflictError as exc:
            outcome.append(exc)

    thread = threading.Thread(target=second_save)
    thread.start()
    probe = create_engine(pg.url)
    with probe.connect() as conn:  # wait until the second save blocks on the key
        for _ in range(500):
            waiting = conn.execute(
                text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
            ).scalar()
            if waiting:
                break
            time.sleep(0.01)
    probe.dispose()
    assert waiting, "the second save never reached the insert"
    first.__exit__(None, None, None)
    thread.join(timeout=30)
    assert len(outcome) == 1 and isinstance(outcome[0], ConflictError)
    with pg.session() as s:
        assert current_version(s, "initiative", "gbg-i1") == 1


def test_backup_restore_backup_on_postgresql(demo, tmp_path, postgres_url):
    from jamlik.accounts import create_user

    sqlite_ws, sqlite_archive = demo
    urls = []
    from sqlalchemy.engine import make_url

    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    try:
        for n in (1, 2):
            name = f"jamlik_backup_{n}_{tmp_path.name[-8:].lower()}"
            name = re.sub(r"[^a-z0-9_]", "_", name)
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            urls.append(
                make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
            )
        first = Workspace(tmp_path / "pg1", urls[0])
        second = Workspace(tmp_path / "pg2", urls[1])
        # SQLite → PostgreSQL: the same rows, as the archive encodes them.
        restore_workspace(sqlite_archive, first)
        archive = tmp_path / "pg1.zip"
        from_pg = backup_workspace(first, archive)
        assert from_pg.tables == read_manifest(sqlite_archive).tables
        # PostgreSQL → PostgreSQL → backup again: identical archive tables and database rows.
        restore_workspace(archive, second)
        again = backup_workspace(second, tmp_path / "pg2.zip")
        assert again.tables == from_pg.tables and again.files == from_pg.files
        assert_same_tables(table_frames(first), table_frames(second))
        assert (second.path / "queries" / "kolada.yaml").exists()
        # Sequences moved past the restored ids: new rows get fresh keys.
        with second.session() as s:
            assert create_user(s, "ny", "reader", password=PASSWORD, by="test").id == 3
        for ws in (first, second):
            ws.engine().dispose()
    finally:
        with admin.connect() as conn:
            for url in urls:
                conn.execute(
                    text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')
                )
        admin.dispose()
    assert_same_tables(table_frames(sqlite_ws), table_frames(restored_sqlite(tmp_path, archive)))


def restored_sqlite(tmp_path: Path, archive: Path) -> Workspace:
    """PostgreSQL → SQLite: the round trip back gives the original SQLite rows."""
    ws = Workspace(tmp_path / "back", f"sqlite:///{tmp_path / 'back' / 'jamlik.sqlite'}")
    restore_workspace(archive, ws)
    return ws


def test_restore_over_a_postgresql_workspace_needs_force(demo, pg):
    _, archive = demo
    pg.init()
    with pytest.raises(Exception, match="not empty"):
        restore_workspace(archive, pg)
    restore_workspace(archive, pg, force=True)
    assert len(table_frames(pg)["observation"]) > 10_000
