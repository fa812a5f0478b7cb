"""The proposal with indicator statuses from the real follow-up (`jamlik.followup`), on a
constructed world: indicator "good" is built to improve (level up one point a year, the sex gap
narrowing from 10 to 2), indicator "bad" to get worse (level down, the gap widening from 2 to
10), 2012–2025, as in tests/followup/test_followup_status.py.

    g (goal)
    ├── ta-good (target area, follows "good") ── s-good (strategy) ── initiative i1
    └── ta-bad  (target area, follows "bad")  ── s-bad (strategy)

In 2025, i1 has not reported. By the rule: s-good has no counted signal (i1 missing) →
not_assessable; ta-good: "good" improving + → good; s-bad: nothing → not_assessable;
ta-bad: "bad" worsening − → not; g: ta-good + and ta-bad − → n 2, half negative → not.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from cycle_helpers import LEADER

from jamlik.cycle import indicator_statuses, open_period, propose
from jamlik.data import (
    Area,
    Definitions,
    Dimension,
    Indicator,
    Subgroup,
    import_definitions,
    import_observations,
)
from jamlik.programme import Programme, import_programme
from jamlik.workspace import Workspace

CITY = "stad"
NODES = [
    {"id": "g", "kind": "goal", "title": "Målet"},
    {"id": "ta-good", "kind": "target_area", "title": "Det goda", "parent": "g",
     "indicators": ["good"]},
    {"id": "s-good", "kind": "strategy", "title": "Strategi god", "parent": "ta-good"},
    {"id": "ta-bad", "kind": "target_area", "title": "Det dåliga", "parent": "g",
     "indicators": ["bad"]},
    {"id": "s-bad", "kind": "strategy", "title": "Strategi dålig", "parent": "ta-bad"},
]  # fmt: skip


def _rows(ind, level, gap):
    out = []
    for y in range(2012, 2026):
        for dim, sub, value, se, pop in (
            ("total", "total", level(y), 0.15, 2000.0),
            ("sex", "men", level(y) - gap(y) / 2, 0.3, 1000.0),
            ("sex", "women", level(y) + gap(y) / 2, 0.3, 1000.0),
        ):
            out.append({"indicator": ind, "period": str(y), "area": CITY, "dimension": dim,
                        "subgroup": sub, "estimate": value, "se": se, "population": pop})  # fmt: skip
    return out


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Workspace:
    path = tmp_path_factory.mktemp("cycle-followup")
    ws = Workspace(path, f"sqlite:///{path / 'jamlik.sqlite'}")
    ws.init()
    sex = Dimension(id="sex", title="Kön", subgroups=[Subgroup(id="men", title="Män"),
                                                      Subgroup(id="women", title="Kvinnor")])  # fmt: skip
    indicators = [Indicator(id=i, title=f"Indikator {i}", unit="procent", scale=100,
                            polarity="higher_is_better") for i in ("good", "bad")]  # fmt: skip
    import_definitions(ws, Definitions(
        areas=[Area(id=CITY, name="Teststad", level="municipality", population=2000)],
        dimensions=[sex], indicators=indicators))  # fmt: skip
    rows = _rows("good", lambda y: 50.0 + (y - 2012), lambda y: 10 - 8 * (y - 2012) / 13)
    rows += _rows("bad", lambda y: 70.0 - (y - 2012), lambda y: 2 + 8 * (y - 2012) / 13)
    import_observations(ws, pd.DataFrame(rows), source="test data", attribution="Testkälla")
    import_programme(ws, Programme.model_validate({
        "id": "test-prog", "title": "Testprogram",
        "period": {"start": "2018-01-01", "end": "2026-12-31"},
        "node_kinds": ["goal", "target_area", "strategy"], "nodes": NODES,
        "actors": [{"id": "t-city", "name": "Staden", "kind": "municipality"}],
        "initiatives": [{"id": "i1", "title": "Insats ett", "status": "ongoing",
                         "nodes": ["s-good"], "period": {"start": "2019-01-01"}}],
    }))  # fmt: skip
    return ws


def test_indicator_statuses_come_from_the_follow_up(world):
    assert indicator_statuses(world, "test-prog", 2025, today=date(2025, 6, 1)) == {
        "good": "improving", "bad": "worsening"}  # fmt: skip


def test_the_proposal_weighs_them_by_the_rule(world):
    statuses = indicator_statuses(world, "test-prog", 2025, today=date(2025, 6, 1))
    with world.session() as s:
        period = open_period(s, LEADER, "test-prog", "Uppföljning 2025", "year",
                             date(2025, 1, 1), date(2025, 12, 31))  # fmt: skip
        got = {n: propose(s, period.id, n, statuses) for n in NODES_IDS}
    assert {n: r.status for n, r in got.items()} == {
        "s-good": "not_assessable", "ta-good": "good", "s-bad": "not_assessable",
        "ta-bad": "not", "g": "not"}  # fmt: skip
    assert got["s-good"].missing == 1
    assert got["ta-good"].counts["indicators"] == {"improving": 1}
    assert "1 försämras" in got["ta-bad"].reason_sv


NODES_IDS = ("s-good", "ta-good", "s-bad", "ta-bad", "g")
