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


def test_the_flag_migration_marks_what_the_old_text_rules_matched(tmp_path):
    """c4e8a2f1d6b3: an upgraded workspace keeps being marked where either old rule matched
    (the web's "Fiktiva exempeldata" in the title or an import's provenance, the follow-up's
    either-language marker anywhere in the header), and nothing else."""
    from sqlalchemy import text

    from jamlik.migrate import upgrade

    ws = Workspace.resolve(tmp_path / "ws")
    engine = ws.engine()
    upgrade(engine, "b7d3c1e0a9f2")
    programmes = [
        ("demo", "Exempelstad (Fiktiva exempeldata)", None),  # the web's rule
        ("eng", "Training", "Fictitious example data, for a course"),  # the follow-up's
        ("real", "Göteborgs Stads program", "Göteborgs Stad, 2018"),
    ]
    imports = [
        (1, "Fiktiva exempeldata – jamlik demo", None),
        (2, "kolada", "FICTITIOUS EXAMPLE DATA"),
        (3, "skolverket.csv", "Källa: Skolverket"),
    ]
    with engine.begin() as conn:
        for pid, title, source in programmes:
            conn.execute(
                text("INSERT INTO programme (id, title, source, published) VALUES (:i, :t, :s, 0)"),
                {"i": pid, "t": title, "s": source},
            )
        for iid, source, attribution in imports:
            conn.execute(
                text(
                    "INSERT INTO import_record (id, kind, source, checksum, imported_at, "
                    "row_count, inserted, updated, attribution) VALUES (:i, 'observations', :s, "
                    "'x', '2026-01-01 00:00:00', 1, 1, 0, :a)"
                ),
                {"i": iid, "s": source, "a": attribution},
            )
    upgrade(engine)
    with engine.connect() as conn:
        marked = dict(conn.execute(text("SELECT id, fictitious FROM programme")).all())
        flagged = dict(conn.execute(text("SELECT id, fictitious FROM import_record")).all())
        bases = conn.execute(text("SELECT imported FROM programme")).scalars().all()
    assert {k: bool(v) for k, v in marked.items()} == {"demo": True, "eng": True, "real": False}
    assert {k: bool(v) for k, v in flagged.items()} == {1: True, 2: True, 3: False}
    assert bases == [None, None, None]  # rebuilt from the audit log at the next import
