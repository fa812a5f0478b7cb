"""Fixtures for the follow-up tests: the demo workspace, built once per session."""

from __future__ import annotations

import time
from datetime import date

import pytest

from jamlik.demo import PROGRAMME_ID, build_demo
from jamlik.followup import FollowUp, build_followup
from jamlik.workspace import Workspace

DEMO_YEAR = 2025
DEMO_TODAY = date(2026, 3, 1)


@pytest.fixture(scope="session")
def demo_ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    path = tmp_path_factory.mktemp("demo")
    ws = Workspace(path, f"sqlite:///{path / 'jamlik.sqlite'}")
    build_demo(ws)
    return ws


@pytest.fixture(scope="session")
def demo_followup(demo_ws: Workspace) -> tuple[FollowUp, float]:
    started = time.perf_counter()
    fu = build_followup(demo_ws, PROGRAMME_ID, DEMO_YEAR, today=DEMO_TODAY)
    return fu, time.perf_counter() - started
