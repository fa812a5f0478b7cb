"""Fixtures for the accounts tests: real SQLite workspaces (copied from one migrated
template, so each test starts from the real schema quickly) holding a small programme's actors.
Passwords are hashed at the lowest cost (tests/conftest.py's fast_password_hashing)."""

from __future__ import annotations

from pathlib import Path

import pytest
from accounts_helpers import PASSWORD, add_programme

from jamlik.backup import backup_workspace
from jamlik.workspace import Workspace
from workspaces import copy_of, seeded_template


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seeded_template(tmp_path_factory.mktemp("accounts-template"), add_programme)


@pytest.fixture
def ws(tmp_path: Path, template: Path) -> Workspace:
    """A migrated SQLite workspace with the actors in ACTORS and no accounts."""
    workspace = copy_of(template, tmp_path / "ws")
    yield workspace
    workspace.engine().dispose()


@pytest.fixture(scope="session")
def demo(demo_copy, tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, Path]:
    """The demo workspace plus accounts, audit entries and workspace files, and its backup."""
    from jamlik.accounts import create_token, create_user

    ws = demo_copy("backup-demo")
    with ws.session() as s:
        create_user(
            s,
            "Åsa",
            "editor",
            password=PASSWORD,
            actors=["ex-utbildningsforvaltningen"],
            by="cli:test",
        )
        create_user(s, "bo", "administrator", password=PASSWORD, by="cli:test")
        create_token(s, "bo", "robot", by="cli:test")
    (ws.path / "queries").mkdir()
    (ws.path / "queries" / "kolada.yaml").write_text("källa: kolada\n", encoding="utf-8")
    (ws.path / "cache" / "http").mkdir(parents=True)
    (ws.path / "cache" / "http" / "x.json").write_text("{}", encoding="utf-8")
    (ws.path / "secret.key").write_text("hemligt", encoding="utf-8")
    archive = tmp_path_factory.mktemp("backup-archive") / "demo.zip"
    backup_workspace(ws, archive)
    ws.engine().dispose()
    return ws, archive
