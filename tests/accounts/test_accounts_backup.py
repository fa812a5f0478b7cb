"""`jamlik backup` and `jamlik restore` on SQLite: restoring a backup gives the same data, checked
table by table with pandas (independently of the archive's own checksums)."""

from __future__ import annotations

import json
import zipfile

import pytest
import typer
from accounts_helpers import assert_same_tables, table_frames
from typer.testing import CliRunner

from jamlik.backup import BackupError, backup_workspace, read_manifest, restore_workspace
from jamlik.workspace import DB_FILE, Workspace


def test_backup_restore_backup_gives_identical_tables_and_files(demo, tmp_path):
    ws, archive = demo
    restored = Workspace(tmp_path / "restored", f"sqlite:///{tmp_path / 'restored' / DB_FILE}")
    restore_workspace(archive, restored)
    assert_same_tables(table_frames(ws), table_frames(restored))
    again = backup_workspace(restored, tmp_path / "again.zip")
    first = read_manifest(archive)
    assert again.tables == first.tables and again.files == first.files
    assert (restored.path / "queries" / "kolada.yaml").read_text("utf-8") == "källa: kolada\n"
    assert not (restored.path / "cache").exists()
    assert not (restored.path / "secret.key").exists()
    counts = {t["name"]: t["rows"] for t in first.tables}
    assert (
        counts["user_account"] == 2 and counts["observation"] > 10_000 and counts["audit_log"] >= 3
    )


def test_rows_of_self_referencing_tables_come_parents_first(demo):
    _, archive = demo
    with zipfile.ZipFile(archive) as z:
        columns = {t["name"]: t["columns"] for t in json.loads(z.read("manifest.json"))["tables"]}
        for table in ("area", "actor", "node"):
            cols = columns[table]
            seen = set()
            for line in z.read(f"tables/{table}.jsonl").decode().splitlines():
                row = dict(zip(cols, json.loads(line), strict=True))
                assert row["parent_id"] is None or row["parent_id"] in seen, (table, row["id"])
                seen.add(row["id"])


def test_restore_refuses_a_workspace_that_is_not_empty_unless_forced(demo, tmp_path):
    _, archive = demo
    target = Workspace(tmp_path / "busy", f"sqlite:///{tmp_path / 'busy' / DB_FILE}")
    target.init()
    (target.path / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(BackupError, match="not empty"):
        restore_workspace(archive, target)
    assert table_frames(target)["area"].empty  # untouched
    restore_workspace(archive, target, force=True)
    assert len(table_frames(target)["area"]) == 11
    assert (target.path / "notes.txt").read_text("utf-8") == "keep me"


def test_a_damaged_archive_is_refused_before_anything_is_written(demo, tmp_path):
    _, archive = demo
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(damaged, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "tables/area.jsonl":
                data = data.replace(b"Exempelstad", b"Exempelby")
            dst.writestr(item, data)
    target = Workspace(tmp_path / "t", f"sqlite:///{tmp_path / 't' / DB_FILE}")
    with pytest.raises(BackupError, match=r"checksum mismatch in: tables/area\.jsonl"):
        restore_workspace(damaged, target)
    assert not target.path.exists()


def test_a_backup_from_an_unknown_schema_is_refused(demo, tmp_path):
    _, archive = demo
    newer = tmp_path / "newer.zip"
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(newer, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "manifest.json":
                manifest = json.loads(data)
                manifest["alembic_revision"] = "ffffffffffff"
                data = json.dumps(manifest).encode()
            dst.writestr(item, data)
    with pytest.raises(BackupError, match="upgrade jamlik"):
        restore_workspace(newer, Workspace(tmp_path / "t", f"sqlite:///{tmp_path / 't' / DB_FILE}"))


def test_not_a_backup_is_refused(tmp_path):
    junk = tmp_path / "junk.zip"
    junk.write_text("not a zip", encoding="utf-8")
    with pytest.raises(BackupError, match="not a jamlik backup"):
        read_manifest(junk)


def test_the_backup_and_restore_commands(demo, tmp_path, monkeypatch):
    from jamlik.cli import backup as backup_cli

    monkeypatch.delenv("JAMLIK_DATABASE_URL", raising=False)
    app = typer.Typer()
    backup_cli.register(app)
    ws, _ = demo
    out = tmp_path / "cli.zip"
    done = CliRunner().invoke(app, ["backup", "--workspace", str(ws.path), "--out", str(out)])
    assert done.exit_code == 0, done.output
    assert "schema" in done.output and out.exists()
    target = tmp_path / "cli-restored"
    done = CliRunner().invoke(app, ["restore", str(out), "--workspace", str(target)])
    assert done.exit_code == 0, done.output
    again = CliRunner().invoke(app, ["restore", str(out), "--workspace", str(target)])
    assert again.exit_code != 0 and "not empty" in str(again.exception)
    restored = Workspace(target, f"sqlite:///{target / DB_FILE}")
    assert_same_tables(table_frames(ws), table_frames(restored))
