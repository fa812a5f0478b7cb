"""Backing up a workspace to one portable archive, and restoring it.

The archive is a zip file:
- `manifest.json`: format, jamlik version, the Alembic revision of the schema, and for every
  table its columns, row count and SHA-256, and for every file its SHA-256;
- `tables/<name>.jsonl`: every table, one JSON array per row in column order, written in
  dependency order (parents before children, also within self-referencing tables such as
  `area`), rows sorted by primary key;
- `files/...`: the workspace folder's own files (saved queries and the like), without the
  SQLite database, the HTTP cache (`cache/`, rebuilt on demand) and the site secret.

Rows are read through SQLAlchemy, so a backup taken from SQLite restores into PostgreSQL and
back. Restore treats the archive as untrusted: before writing anything it checks that the
archive holds exactly the entries the manifest lists, each once, with the listed size and
checksum, and that no file path leaves the workspace or names what a backup never writes
(the database and its journal, `secret.key`, `cache/`). It then builds the schema at the
archive's revision, loads the rows in one transaction, then upgrades to the newest schema;
on any failure it removes what it created.
"""

from jamlik.backup.archive import BackupError, Manifest, read_manifest
from jamlik.backup.dump import backup_workspace
from jamlik.backup.load import is_empty, restore_workspace, wipe_database

__all__ = [
    "BackupError",
    "Manifest",
    "backup_workspace",
    "is_empty",
    "read_manifest",
    "restore_workspace",
    "wipe_database",
]
