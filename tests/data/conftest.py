"""Fixtures for the observation store tests: a real SQLite workspace in tmp_path."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from data_helpers import DEFINITIONS, csv_text

from jamlik.db import Base
from jamlik.workspace import Workspace


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    """A new workspace: SQLite in tmp_path, or an emptied PostgreSQL database when
    JAMLIK_TEST_POSTGRES_URL is set (then the same tests check the other engine)."""
    url = os.environ.get("JAMLIK_TEST_POSTGRES_URL")
    if url:
        monkeypatch.setenv("JAMLIK_DATABASE_URL", url)  # so `jamlik --workspace` finds it too
        workspace = Workspace(tmp_path / "ws", url)
        (tmp_path / "ws").mkdir()
        Base.metadata.drop_all(workspace.engine())
        yield workspace
        workspace.engine().dispose()
        return
    yield Workspace(tmp_path / "ws", f"sqlite:///{tmp_path / 'ws' / 'jamlik.sqlite'}")


@pytest.fixture
def defs_file(tmp_path: Path) -> Path:
    path = tmp_path / "definitions.yaml"
    path.write_text(DEFINITIONS, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """SQLite files built once through the real imports; tests get copies (fast, isolated)."""
    from jamlik.data import import_definitions, import_file

    root = tmp_path_factory.mktemp("templates")
    ws = Workspace(root / "ws", f"sqlite:///{root / 'ws' / 'jamlik.sqlite'}")
    (root / "definitions.yaml").write_text(DEFINITIONS, encoding="utf-8")
    import_definitions(ws, root / "definitions.yaml")
    ws.engine().dispose()
    shutil.copy(root / "ws" / "jamlik.sqlite", root / "defined.sqlite")
    (root / "plain.csv").write_text(csv_text(), encoding="utf-8")
    import_file(ws, root / "plain.csv")
    ws.engine().dispose()
    shutil.copy(root / "ws" / "jamlik.sqlite", root / "loaded.sqlite")
    return {"defined": root / "defined.sqlite", "loaded": root / "loaded.sqlite"}


def _from_template(ws: Workspace, template: Path) -> Workspace:
    ws.path.mkdir(parents=True, exist_ok=True)
    shutil.copy(template, ws.path / "jamlik.sqlite")
    return ws


@pytest.fixture
def defined(ws: Workspace, defs_file: Path, templates: dict[str, Path]) -> Workspace:
    """A workspace holding DEFINITIONS and no observations."""
    from jamlik.data import import_definitions

    if ws.url.startswith("sqlite"):
        return _from_template(ws, templates["defined"])
    import_definitions(ws, defs_file)
    return ws


@pytest.fixture
def loaded(ws: Workspace, defs_file: Path, tmp_path: Path, templates: dict[str, Path]) -> Workspace:
    """A workspace holding DEFINITIONS and the observations of ROWS (imported from
    tmp_path / "plain.csv")."""
    from jamlik.data import import_definitions, import_file

    path = tmp_path / "plain.csv"
    path.write_text(csv_text(), encoding="utf-8")
    if ws.url.startswith("sqlite"):
        return _from_template(ws, templates["loaded"])
    import_definitions(ws, defs_file)
    import_file(ws, path)
    return ws
