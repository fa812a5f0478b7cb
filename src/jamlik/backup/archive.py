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
    """The manifest of an archive, after checking that the archive holds exactly what the
    manifest lists, each entry once, at a safe place, with the size and checksum listed.

    An archive is untrusted input: an entry the manifest does not list, a file the backup
    never writes (the database, its journal, the site's secret, the cache), a path that
    leaves the workspace, or an entry given twice is refused, naming it, before anything is
    written."""
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
        except ValueError as exc:
            raise BackupError(
                f"{archive_path}: {MANIFEST} är inte läsbar JSON / is not valid JSON ({exc})"
            ) from None
        if not isinstance(raw, dict) or (
            raw.get("format") != FORMAT or raw.get("format_version") != FORMAT_VERSION
        ):
            found = raw if not isinstance(raw, dict) else raw.get("format")
            version = raw.get("format_version") if isinstance(raw, dict) else None
            raise BackupError(
                f"{archive_path}: unknown backup format {found!r} version {version!r}"
            )
        try:
            manifest = Manifest(
                created_at=raw["created_at"],
                jamlik_version=raw["jamlik_version"],
                revision=raw["alembic_revision"],
                dialect=raw["dialect"],
                tables=list(raw["tables"]),
                files=list(raw["files"]),
            )
            listed = _listed_entries(manifest)
        except (KeyError, TypeError) as exc:
            raise BackupError(
                f"{archive_path}: {MANIFEST} saknar uppgifter / lacks an entry's details ({exc})"
            ) from None
        _check_entries(archive_path, archive, listed)
    return manifest


def _listed_entries(manifest: Manifest) -> dict[str, dict[str, Any]]:
    """Archive entry name → what the manifest says of it (sha256, and bytes for files)."""
    listed: dict[str, dict[str, Any]] = {}

    def add(entry: str, spec: dict[str, Any]) -> None:
        if entry in listed:
            raise BackupError(f"{MANIFEST} listar {entry} två gånger / lists {entry} twice")
        listed[entry] = spec

    for t in manifest.tables:
        name = t["name"]
        if not isinstance(name, str) or not name.isidentifier():
            raise BackupError(f"{MANIFEST}: otillåtet tabellnamn / unsafe table name {name!r}")
        add(f"tables/{name}.jsonl", {"sha256": t["sha256"]})
    for f in manifest.files:
        rel = safe_path(f["path"])
        add(f"files/{rel.as_posix()}", {"sha256": f["sha256"], "bytes": f.get("bytes")})
    return listed


def _check_entries(
    archive_path: Path, archive: zipfile.ZipFile, listed: dict[str, dict[str, Any]]
) -> None:
    names = [info.filename for info in archive.infolist()]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise BackupError(
            f"{archive_path}: posten finns flera gånger / the entry appears more than once: "
            f"{', '.join(twice)}; nothing was restored"
        )
    unlisted = sorted(n for n in names if n != MANIFEST and n not in listed and not n.endswith("/"))
    if unlisted:
        raise BackupError(
            f"{archive_path}: posten finns inte i {MANIFEST} / entry not listed in the manifest: "
            f"{', '.join(unlisted)}; nothing was restored"
        )
    bad = []
    for entry, spec in listed.items():
        try:
            info = archive.getinfo(entry)
        except KeyError:
            bad.append(entry)
            continue
        size = spec.get("bytes")
        if size is not None and info.file_size != size:
            bad.append(entry)  # also keeps a bomb from being unpacked to check its hash
            continue
        digest = hashlib.sha256()
        with archive.open(info) as data:
            while chunk := data.read(1 << 20):
                digest.update(chunk)
        if digest.hexdigest() != spec["sha256"]:
            bad.append(entry)
    if bad:
        raise BackupError(
            f"{archive_path}: skadad / damaged, checksum mismatch in: {', '.join(sorted(bad))}"
        )


def safe_path(rel: Any) -> PurePosixPath:
    """A workspace file's path from an archive, refused unless it stays inside the workspace
    and names a file the backup writes (never the database, its journal, the secret or the
    cache)."""
    if not isinstance(rel, str) or not rel or "\\" in rel or "\x00" in rel:
        raise BackupError(f"otillåtet filnamn / unsafe file name in backup: {rel!r}")
    path = PurePosixPath(rel)
    if (
        path.is_absolute()
        or any(part in ("", ".", "..") for part in rel.split("/"))
        or ":" in path.parts[0]
    ):
        raise BackupError(f"otillåtet filnamn / unsafe file name in backup: {rel!r}")
    reserved = {n.lower() for n in SKIPPED_NAMES}
    if (len(path.parts) == 1 and path.name.lower() in reserved) or path.parts[0].lower() in {
        d.lower() for d in SKIPPED_DIRS
    }:
        raise BackupError(
            f"files/{rel}: en säkerhetskopia får inte skriva över databasen, hemligheten eller "
            f"cachen / a backup may not write the workspace's database, secret or cache: "
            f"files/{rel}"
        )
    return path
