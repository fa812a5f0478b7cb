"""What jamlik writes that holds accounts, unpublished work or the site's secret is readable by
its owner only, whatever the umask: the workspace folder it creates (0700), the SQLite
database (0600), the secret key (0600) and a backup archive (0600)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jamlik.accounts import site_secret
from jamlik.cli import app


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask():
    """The usual umask, which leaves new files readable by everyone (0644)."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_workspace_database_secret_and_backup_are_private(tmp_path, open_umask, monkeypatch):
    monkeypatch.delenv("JAMLIK_SECRET_KEY", raising=False)
    monkeypatch.delenv("JAMLIK_DATABASE_URL", raising=False)
    ws = tmp_path / "ws"
    assert CliRunner().invoke(app, ["init", "-w", str(ws)]).exit_code == 0
    assert mode(ws) == 0o700
    assert mode(ws / "jamlik.sqlite") == 0o600
    site_secret(ws)
    assert mode(ws / "secret.key") == 0o600
    out = tmp_path / "backup.zip"
    result = CliRunner().invoke(app, ["backup", "--out", str(out), "-w", str(ws)])
    assert result.exit_code == 0, result.output
    assert mode(out) == 0o600
    # Every file SQLite made beside the database (journal, WAL) follows the database's mode.
    for extra in ws.glob("jamlik.sqlite-*"):
        assert mode(extra) == 0o600, extra


def test_a_restored_database_is_private(tmp_path, open_umask, monkeypatch):
    monkeypatch.delenv("JAMLIK_DATABASE_URL", raising=False)
    ws, copy, out = tmp_path / "ws", tmp_path / "copy", tmp_path / "b.zip"
    assert CliRunner().invoke(app, ["init", "-w", str(ws)]).exit_code == 0
    assert CliRunner().invoke(app, ["backup", "--out", str(out), "-w", str(ws)]).exit_code == 0
    result = CliRunner().invoke(app, ["restore", str(out), "-w", str(copy)])
    assert result.exit_code == 0, result.output
    assert mode(copy) == 0o700
    assert mode(copy / "jamlik.sqlite") == 0o600
