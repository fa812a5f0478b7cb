"""Fixtures: one demo workspace built once per session, and private copies of it."""

from __future__ import annotations

import pytest

from jamlik.invest.demo import InvestDemo, build_invest_demo
from jamlik.workspace import DB_FILE, Workspace

DRAWS = 2000  # the demo's 10,000 draws are not needed to test the plumbing


@pytest.fixture(scope="session")
def demo(tmp_path_factory) -> InvestDemo:
    return build_invest_demo(Workspace.resolve(tmp_path_factory.mktemp("demo") / "ws"), draws=DRAWS)


@pytest.fixture
def workspace(demo, tmp_path, monkeypatch) -> Workspace:
    """A copy of the demo workspace that a test may change."""
    monkeypatch.delenv("JAMLIK_DATABASE_URL", raising=False)
    target = tmp_path / "ws"
    target.mkdir()
    demo.workspace.copy_database(target / DB_FILE)  # with what WAL still holds
    return Workspace.resolve(target)
