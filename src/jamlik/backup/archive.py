"""The archive format shared by backup and restore: manifest, value encoding, checks."""

from __future__ import annotations

import base64
import hashlib
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    LargeBinary,
    Numeric,
    Time,
)

from jamlik.errors import JamlikError
from jamlik.workspace import DB_FILE

FORMAT = "jamlik-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
VERSION_TABLE = "alembic_version"
# Not copied: the database itself (it travels as tables), caches and the site's secret.
SKIPPED_NAMES = {DB_FILE, f"{DB_FILE}-journal", f"{DB_FILE}-wal", f"{DB_FILE}-shm", "secret.key"}
SKIPPED_DIRS = {"cache"}
BATCH = 2000

Progress = Callable[[str, int], None]  # (table or file name, rows or bytes done)


class BackupError(JamlikError):
    """The backup or restore cannot go on; nothing was changed."""


@dataclass(frozen=True)
class Manifest:
    """What an archive holds (the parsed `manifest.json`)."""

    created_at: str
    jamlik_version: str
    revision: str
    dialect: str
    tables: list[dict[str, Any]]
    files: list[dict[str, Any]]

    def as_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": self.created_at,
            "jamlik_version": self.jamlik_version,
            "alembic_revision": self.revision,
            "dialect": self.dialect,
            "tables": self.tables,
            "files": self.files,
        }


def encode(value: Any) -> Any:
    """A column value as the archive stores it (JSON-able; times in UTC ISO 8601)."""
    if isinstance(value, datetime):
        # Aware values (PostgreSQL) in UTC; naive ones (SQLite) are UTC already.
        return (value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    return value


def json_value(raw: str) -> Any:
    """A JSON column's stored text as the value to insert."""
    value = json.loads(raw)
    # JSON null is not SQL NULL: keep them apart (the column inserts None as SQL NULL).
    return JSON.NULL if value is None else value


def decoder(column_type: Any) -> Callable[[Any], Any]:
    """How to turn an archived value back into one for a column of `column_type`."""
    if isinstance(column_type, JSON):
        return json_value
    if isinstance(column_type, DateTime):
        return datetime.fromisoformat
    if isinstance(column_type, Date):
        return date.fromisoformat
    if isinstance(column_type, Time):
        return time.fromisoformat
    if isinstance(column_type, LargeBinary):
        return base64.b64decode
    if isinstance(column_type, Numeric) and not isinstance(column_type, Float):
        return Decimal if column_type.asdecimal else float
    return lambda v: v


def read_manifest(archive_path: Path) -> Manifest:
    """The manifest of an archive, after checking that every entry matches its checksum."""
    try:
        archive = zipfile.ZipFile(archive_path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise BackupError(
            f"{archive_path}: inte en jamlik-säkerhetskopia / not a jamlik backup ({exc})"
        ) from None
    with archive:
        try:
            raw = json.loads(archive.read(MANIFEST))
        except KeyError:
            raise BackupError(
                f"{archive_path}: {MANIFEST} saknas / is missing; not a jamlik backup"
            ) from None
        if raw.get("format") != FORMAT or raw.get("format_version") != FORMAT_VERSION:
            raise BackupError(
                f"{archive_path}: unknown backup format {raw.get('format')!r} version {raw.get('format_version')!r}"
            )
        manifest = Manifest(
            created_at=raw["created_at"],
            jamlik_version=raw["jamlik_version"],
            revision=raw["alembic_revision"],
            dialect=raw["dialect"],
            tables=raw["tables"],
            files=raw["files"],
        )
        bad = []
        for entry, want in [(f"tables/{t['name']}.jsonl", t["sha256"]) for t in manifest.tables] + [
            (f"files/{f['path']}", f["sha256"]) for f in manifest.files
        ]:
            try:
                got = hashlib.sha256(archive.read(entry)).hexdigest()
            except KeyError:
                got = "missing"
            if got != want:
                bad.append(entry)
        if bad:
            raise BackupError(
                f"{archive_path}: skadad / damaged, checksum mismatch in: {', '.join(bad)}"
            )
        for f in manifest.files:
            safe_path(f["path"])
    return manifest


def safe_path(rel: str) -> PurePosixPath:
    path = PurePosixPath(rel)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"unsafe file name in backup: {rel!r}")
    return path
