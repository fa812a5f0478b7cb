"""Writing a workspace to an archive: a consistent snapshot of every table, then the files."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Connection,
    MetaData,
    Table,
    Text,
    cast,
    create_engine,
    inspect,
    select,
    text,
)

from jamlik import __version__
from jamlik.backup.archive import (
    BATCH,
    MANIFEST,
    SKIPPED_DIRS,
    SKIPPED_NAMES,
    VERSION_TABLE,
    BackupError,
    Manifest,
    Progress,
    encode,
)
from jamlik.workspace import DB_FILE, Workspace


def revision_of(conn: Connection) -> str:
    """The database's Alembic revision; refuses a database without jamlik's schema."""
    if not inspect(conn).has_table(VERSION_TABLE):
        raise BackupError(
            "Databasen har inget schema / the database has no jamlik schema: run `jamlik init`."
        )
    return conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar_one()


def tables_of(conn: Connection) -> list[Table]:
    """Every jamlik table in the database, parents before children."""
    meta = MetaData()
    meta.reflect(conn)
    return [t for t in meta.sorted_tables if t.name != VERSION_TABLE]


def parents_first(table: Table, rows: list[tuple]) -> list[tuple]:
    """Reorder rows so a row referring to another row of the same table comes after it."""
    own = [fk for fk in table.foreign_key_constraints if fk.referred_table is table]
    if not own:
        return rows
    names = [c.name for c in table.columns]
    pos = {n: i for i, n in enumerate(names)}
    links = [
        ([pos[e.parent.name] for e in fk.elements], [pos[e.column.name] for e in fk.elements])
        for fk in own
    ]
    where = {
        (k, tuple(r[i] for i in ref)): n
        for n, r in enumerate(rows)
        for k, (_, ref) in enumerate(links)
    }
    done: set[int] = set()
    ordered: list[tuple] = []

    def visit(n: int, path: frozenset[int]) -> None:
        if n in done:
            return
        if n in path:
            raise BackupError(f"{table.name}: rows refer to each other in a cycle")
        for k, (local, _) in enumerate(links):
            key = tuple(rows[n][i] for i in local)
            parent = where.get((k, key))
            if None not in key and parent is not None and parent != n:
                visit(parent, path | {n})
        done.add(n)
        ordered.append(rows[n])

    for n in range(len(rows)):
        visit(n, frozenset())
    return ordered


def rows_of(conn: Connection, table: Table) -> Iterator[tuple]:
    """A table's rows in a fixed order: by primary key, parents first in self-references."""
    order = list(table.primary_key.columns) or list(table.columns)
    # JSON columns travel as their stored text, so SQL NULL and JSON null stay distinct.
    shown = [cast(c, Text) if isinstance(c.type, JSON) else c for c in table.columns]
    result = conn.execute(select(*shown).order_by(*order))
    if any(fk.referred_table is table for fk in table.foreign_key_constraints):
        yield from parents_first(table, [tuple(r) for r in result])
        return
    for r in result:
        yield tuple(r)


def _workspace_files(ws: Workspace, exclude: Path | None) -> list[Path]:
    if not ws.path.exists():
        return []
    found = []
    for dirpath, dirnames, filenames in os.walk(ws.path):
        here = Path(dirpath)
        if here == ws.path:
            dirnames[:] = [d for d in dirnames if d not in SKIPPED_DIRS]
        dirnames.sort()
        for name in sorted(filenames):
            path = here / name
            if (here == ws.path and name in SKIPPED_NAMES) or (exclude and path == exclude):
                continue
            found.append(path)
    return found


@contextmanager
def _snapshot(ws: Workspace) -> Iterator[Connection]:
    """A connection that sees the database as it was at one moment, while the site writes on.

    PostgreSQL: one read-only REPEATABLE READ transaction. SQLite: a copy made with SQLite's
    online backup API (its reads would otherwise each see the latest commit).
    """
    engine = ws.engine()
    if engine.dialect.name != "sqlite":
        with engine.connect() as conn:
            conn = conn.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
            with conn.begin():
                yield conn
        return
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / DB_FILE
        source = engine.raw_connection()
        try:
            target = sqlite3.connect(copy)
            source.driver_connection.backup(target)  # type: ignore[union-attr]
            target.close()
        finally:
            source.close()
        frozen = create_engine(f"sqlite:///{copy}")
        try:
            with frozen.connect() as conn:
                yield conn
        finally:
            frozen.dispose()


def backup_workspace(ws: Workspace, out: Path, progress: Progress | None = None) -> Manifest:
    """Write the whole workspace (database and files) to the zip archive `out`."""
    if not ws.exists:
        raise BackupError(f"Ingen arbetsyta / no workspace at {ws.path}")
    out = Path(out).resolve()
    partial = out.with_name(out.name + ".partial")
    tables: list[dict[str, Any]] = []
    files: list[dict[str, Any]] = []
    try:
        # The archive holds every account and unpublished text: readable by its owner only.
        partial.unlink(missing_ok=True)
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        with (
            zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive,
            _snapshot(ws) as conn,
        ):
            revision = revision_of(conn)
            for table in tables_of(conn):
                tables.append(_dump_table(conn, table, archive, progress))
            for path in _workspace_files(ws, exclude=partial):
                rel = path.relative_to(ws.path).as_posix()
                data = path.read_bytes()
                archive.writestr(f"files/{rel}", data)
                files.append(
                    {"path": rel, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
                )
                if progress:
                    progress(rel, len(data))
            manifest = Manifest(
                created_at=datetime.now(UTC).isoformat(timespec="seconds"),
                jamlik_version=__version__,
                revision=revision,
                dialect=ws.engine().dialect.name,
                tables=tables,
                files=files,
            )
            archive.writestr(MANIFEST, json.dumps(manifest.as_json(), ensure_ascii=False, indent=2))
        partial.replace(out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return manifest


def _dump_table(
    conn: Connection, table: Table, archive: zipfile.ZipFile, progress: Progress | None
) -> dict[str, Any]:
    digest = hashlib.sha256()
    count = 0
    with archive.open(f"tables/{table.name}.jsonl", "w") as entry:
        for row in rows_of(conn, table):
            line = (json.dumps([encode(v) for v in row], ensure_ascii=False) + "\n").encode()
            entry.write(line)
            digest.update(line)
            count += 1
            if progress and count % BATCH == 0:
                progress(table.name, count)
    if progress:
        progress(table.name, count)
    return {
        "name": table.name,
        "columns": [c.name for c in table.columns],
        "rows": count,
        "sha256": digest.hexdigest(),
    }
