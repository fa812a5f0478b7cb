"""Fixtures for the programme tests: files in tmp_path, a workspace holding definitions."""

from __future__ import annotations

from pathlib import Path

import pytest
from programme_helpers import DEFINITIONS

from jamlik.data import import_definitions
from jamlik.workspace import Workspace
from workspaces import empty_workspace


@pytest.fixture
def write(tmp_path: Path):
    """write(text, name) -> path of a new file holding the text."""

    def _write(text: str, name: str = "programme.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return _write


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    """A workspace whose areas, dimensions and indicators the base programme refers to."""
    ws = empty_workspace(tmp_path / "ws")
    defs = tmp_path / "definitions.yaml"
    defs.write_text(DEFINITIONS, encoding="utf-8")
    import_definitions(ws, defs)
    return ws
