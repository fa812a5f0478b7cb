"""Restore treats an archive as untrusted: crafted archives that try to overwrite the restored
database, plant the site's secret, leave the workspace or smuggle entries past the manifest are
refused with the entry named, and the target is left exactly as it was."""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from pathlib import Path

import pytest
from accounts_helpers import table_frames

from jamlik.backup import BackupError, backup_workspace, restore_workspace
from jamlik.workspace import DB_FILE, Workspace

EVIL = b"SQLite format 3\x00 not your database"


@pytest.fixture
def archive(ws: Workspace, tmp_path: Path) -> Path:
    """A genuine backup of a small workspace with one file of its own."""
    (ws.path / "queries").mkdir()
    (ws.path / "queries" / "kolada.yaml").write_text("källa: kolada\n", encoding="utf-8")
    out = tmp_path / "genuine.zip"
    backup_workspace(ws, out)
    return out


def _craft(genuine: Path, out: Path, *, add=(), listed=(), manifest=None) -> Path:
    """A copy of `genuine` with entries added (name, bytes), those in `listed` also put in the
    manifest's files with their true size and checksum, and `manifest(m)` applied last."""
    with zipfile.ZipFile(genuine) as src:
        entries = [(i.filename, src.read(i)) for i in src.infolist()]
    meta = json.loads(dict(entries)["manifest.json"])
    for name, data in add:
        if name in listed:
            meta["files"].append({
                "path": name.removeprefix("files/"), "bytes": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
            })  # fmt: skip
    if manifest:
        manifest(meta)
    with zipfile.ZipFile(out, "w") as dst:
        for name, data in entries:
            dst.writestr(name, json.dumps(meta).encode() if name == "manifest.json" else data)
        for name, data in add:
            dst.writestr(name, data)
    return out


def _fresh(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path / "target", f"sqlite:///{tmp_path / 'target' / DB_FILE}")


def test_the_genuine_archive_restores(archive, tmp_path):
    target = _fresh(tmp_path)
    restore_workspace(archive, target)
    assert (target.path / "queries" / "kolada.yaml").read_text("utf-8") == "källa: kolada\n"
    assert not table_frames(target)["actor"].empty


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("files/jamlik.sqlite", r"files/jamlik\.sqlite"),
        ("files/jamlik.sqlite-wal", r"files/jamlik\.sqlite-wal"),
        ("files/secret.key", r"files/secret\.key"),
        ("files/cache/kolada/x.json", r"files/cache/kolada/x\.json"),
        ("files/../outside.txt", r"'\.\./outside\.txt'"),
        ("files//etc/passwd", r"'/etc/passwd'"),
        ("files/queries/./x.yaml", r"'queries/\./x\.yaml'"),
    ],
)
def test_a_listed_file_the_backup_never_writes_is_refused(archive, tmp_path, entry, message):
    """The attack: the entry and a manifest line with its true checksum. Refused by name, and
    a fresh target stays absent."""
    crafted = _craft(archive, tmp_path / "crafted.zip", add=[(entry, EVIL)], listed=[entry])
    target = _fresh(tmp_path)
    with pytest.raises(BackupError, match=message):
        restore_workspace(crafted, target)
    assert not target.path.exists()
    assert not (tmp_path / "outside.txt").exists()


def test_forced_restore_of_a_crafted_archive_leaves_the_workspace_untouched(ws, archive, tmp_path):
    before = table_frames(ws)
    db = (ws.path / DB_FILE).read_bytes()
    entry = "files/jamlik.sqlite"
    crafted = _craft(archive, tmp_path / "crafted.zip", add=[(entry, EVIL)], listed=[entry])
    with pytest.raises(BackupError, match=r"files/jamlik\.sqlite"):
        restore_workspace(crafted, ws, force=True)
    assert (ws.path / DB_FILE).read_bytes() == db
    for name, frame in table_frames(ws).items():
        assert frame.equals(before[name]), name


def test_an_entry_the_manifest_does_not_list_is_refused(archive, tmp_path):
    crafted = _craft(archive, tmp_path / "crafted.zip", add=[("files/jamlik.sqlite", EVIL)])
    target = _fresh(tmp_path)
    with pytest.raises(BackupError, match=r"not listed in the manifest: files/jamlik\.sqlite"):
        restore_workspace(crafted, target)
    assert not target.path.exists()


def test_an_entry_given_twice_is_refused(archive, tmp_path):
    with zipfile.ZipFile(archive) as src:
        second = src.read("files/queries/kolada.yaml")
    crafted = tmp_path / "twice.zip"
    with pytest.warns(UserWarning, match="Duplicate name"):
        _craft(archive, crafted, add=[("files/queries/kolada.yaml", second)])
    with pytest.raises(BackupError, match=r"more than once: files/queries/kolada\.yaml"):
        restore_workspace(crafted, _fresh(tmp_path))
    assert not (tmp_path / "target").exists()


def test_a_file_listed_twice_is_refused(archive, tmp_path):
    crafted = _craft(
        archive, tmp_path / "c.zip", manifest=lambda m: m["files"].append(m["files"][0])
    )
    with pytest.raises(BackupError, match=r"lists files/queries/kolada\.yaml twice"):
        restore_workspace(crafted, _fresh(tmp_path))


def test_a_size_that_differs_from_the_manifest_is_refused(archive, tmp_path):
    def grow(m):
        m["files"][0]["bytes"] += 1

    crafted = _craft(archive, tmp_path / "c.zip", manifest=grow)
    with pytest.raises(BackupError, match=r"checksum mismatch in: files/queries/kolada\.yaml"):
        restore_workspace(crafted, _fresh(tmp_path))


def test_a_table_with_more_rows_than_listed_is_refused(archive, tmp_path):
    def fewer(m):
        actor = next(t for t in m["tables"] if t["name"] == "actor")
        actor["rows"] -= 1

    crafted = _craft(archive, tmp_path / "c.zip", manifest=fewer)
    target = _fresh(tmp_path)
    with pytest.raises(BackupError, match=r"tables/actor\.jsonl"):
        restore_workspace(crafted, target)
    assert not (target.path / DB_FILE).exists()


def test_a_folder_linked_outside_the_workspace_is_not_written_through(ws, archive, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    target = _fresh(tmp_path)
    target.init()
    os.symlink(outside, target.path / "queries")
    db = (target.path / DB_FILE).read_bytes()
    with pytest.raises(BackupError, match=r"files/queries/kolada\.yaml: .*outside the workspace"):
        restore_workspace(archive, target, force=True)
    assert list(outside.iterdir()) == []
    assert (target.path / DB_FILE).read_bytes() == db
