"""Restoring an archive into an empty workspace (or, when forced, over an existing one)."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Connection,
    Integer,
    MetaData,
    Table,
    inspect,
    text,
)

from jamlik.backup.archive import (
    BATCH,
    BackupError,
    Manifest,
    Progress,
    decoder,
    read_manifest,
    safe_path,
)
from jamlik.backup.dump import tables_of
from jamlik.workspace import DB_FILE, Workspace


def is_empty(ws: Workspace) -> bool:
    """True when the workspace has neither files nor database tables."""
    if ws.path.exists() and any(p.name not in {"secret.key"} for p in ws.path.iterdir()):
        return False
    if ws.url.startswith("sqlite"):
        return True
    return not inspect(ws.engine()).get_table_names()


def wipe_database(ws: Workspace) -> None:
    """Remove every jamlik table (and the audit trigger function) from the database."""
    engine = ws.engine()
    if engine.dialect.name == "sqlite" and ws.url.startswith("sqlite:///"):
        engine.dispose()
        for name in (DB_FILE, f"{DB_FILE}-journal", f"{DB_FILE}-wal", f"{DB_FILE}-shm"):
            (ws.path / name).unlink(missing_ok=True)
        return
    meta = MetaData()
    meta.reflect(engine)
    with engine.begin() as conn:
        meta.drop_all(conn)
        if engine.dialect.name == "postgresql":
            conn.execute(text("DROP FUNCTION IF EXISTS audit_log_append_only()"))


def restore_workspace(
    archive_path: Path, ws: Workspace, *, force: bool = False, progress: Progress | None = None
) -> Manifest:
    """Restore an archive into `ws`, which must be empty unless `force` (then its database is
    replaced and the archive's files overwrite the folder's)."""
    from jamlik.migrate import upgrade

    manifest = read_manifest(archive_path)
    _check_revision(manifest.revision)
    destinations = _file_targets(ws, manifest)
    if not is_empty(ws):
        if not force:
            raise BackupError(
                f"Arbetsytan är inte tom / the workspace {ws.path} is not empty: restore into a new "
                "workspace, or pass --force to replace its database and files."
            )
        wipe_database(ws)
    ws.path.mkdir(mode=0o700, parents=True, exist_ok=True)  # as Workspace.engine makes it
    engine = ws.engine()
    try:
        upgrade(engine, manifest.revision)
        with zipfile.ZipFile(archive_path) as archive, engine.begin() as conn:
            targets = {t.name: t for t in tables_of(conn)}
            for spec in manifest.tables:
                _load_table(conn, targets, spec, archive, progress)
        upgrade(engine)
        with zipfile.ZipFile(archive_path) as archive:
            for f, target in zip(manifest.files, destinations, strict=True):
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(archive.read(f"files/{f['path']}"))
    except BaseException:
        wipe_database(ws)
        raise
    return manifest


def _file_targets(ws: Workspace, manifest: Manifest) -> list[Path]:
    """Where each archived file goes; refused when a folder of the workspace is a link that
    leads elsewhere (possible with --force)."""
    root = ws.path.resolve()
    targets = []
    for f in manifest.files:
        target = ws.path.joinpath(*safe_path(f["path"]).parts)
        if not target.resolve().is_relative_to(root):
            raise BackupError(
                f"files/{f['path']}: hamnar utanför arbetsytan / leads outside the workspace "
                f"{ws.path}; nothing was restored"
            )
        targets.append(target)
    return targets


def _check_revision(revision: str) -> None:
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    from jamlik.migrate import SCRIPTS

    scripts = ScriptDirectory(str(SCRIPTS))
    try:
        found = scripts.get_revision(revision)
    except CommandError:
        found = None
    if found is None:
        raise BackupError(
            f"Säkerhetskopian kommer från en nyare jamlik / the backup's schema revision {revision} "
            "is unknown to this jamlik: upgrade jamlik, then restore."
        )


def _load_table(
    conn: Connection,
    targets: dict[str, Table],
    spec: dict[str, Any],
    archive: zipfile.ZipFile,
    progress: Progress | None,
) -> None:
    name = spec["name"]
    table = targets.get(name)
    if table is None or [c.name for c in table.columns] != spec["columns"]:
        raise BackupError(
            f"table {name}: the backup's columns do not match the schema at its revision"
        )
    decoders = [decoder(c.type) for c in table.columns]
    for c in table.columns:
        if isinstance(c.type, JSON):
            c.type.none_as_null = True
    columns = spec["columns"]
    done = 0
    for batch in _batches(_lines(archive, f"tables/{name}.jsonl")):
        conn.execute(
            table.insert(),
            [
                {
                    c: (None if v is None else d(v))
                    for c, d, v in zip(columns, decoders, row, strict=True)
                }
                for row in batch
            ],
        )
        done += len(batch)
        if progress:
            progress(name, done)
    if "rows" in spec and done != spec["rows"]:
        raise BackupError(
            f"tables/{name}.jsonl: {done} rader, manifestet säger {spec['rows']} / {done} rows, "
            f"the manifest says {spec['rows']}; nothing was restored"
        )
    if conn.dialect.name == "postgresql":
        _advance_sequences(conn, table)


def _lines(archive: zipfile.ZipFile, entry: str) -> Iterator[list[Any]]:
    with archive.open(entry) as raw:
        for line in io.TextIOWrapper(raw, encoding="utf-8"):
            yield json.loads(line)


def _batches(rows: Iterable[list[Any]]) -> Iterator[list[list[Any]]]:
    batch: list[list[Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _advance_sequences(conn: Connection, table: Table) -> None:
    """Rows came with their ids: move a serial key's sequence past the largest one."""
    keys = list(table.primary_key.columns)
    if len(keys) != 1 or not isinstance(keys[0].type, Integer):
        return
    key = keys[0].name
    conn.execute(
        text(
            f'SELECT setval(pg_get_serial_sequence(:t, :c), coalesce(max("{key}"), 1), '
            f'max("{key}") IS NOT NULL) FROM "{table.name}"'
        ),
        {"t": table.name, "c": key},
    )
