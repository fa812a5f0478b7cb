"""Fixtures for the follow-up tests: the demo workspace, built once per session."""

from __future__ import annotations

from datetime import date

import pytest

from jamlik.demo import PROGRAMME_ID
from jamlik.followup import FollowUp, build_followup
from jamlik.workspace import Workspace

DEMO_YEAR = 2025
DEMO_TODAY = date(2026, 3, 1)


@pytest.fixture(scope="session")
def demo_ws(demo_copy) -> Workspace:
    return demo_copy("followup-demo")


@pytest.fixture(scope="session")
def demo_followup(demo_ws: Workspace) -> FollowUp:
    return build_followup(demo_ws, PROGRAMME_ID, DEMO_YEAR, today=DEMO_TODAY)
