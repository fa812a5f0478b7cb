"""Reach versus need on constructed reach: proportionate to need, even, and reversed, with the
concentration index checked against a hand calculation."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from followup_helpers import DISTRICTS, district_rows, indicator, programme, workspace

from jamlik.followup import FollowUp, build_followup
from jamlik.followup.reach import concentration

POPS = dict(DISTRICTS)  # d1 4000 … d5 1000
NEED = {"d1": 1.0, "d2": 2.0, "d3": 3.0, "d4": 4.0, "d5": 5.0}  # higher is worse: d5 needs most


def hand_rci(rates: dict[str, float], need: dict[str, float]) -> float:
    """RCI = 2 Σ pᵢ (rᵢ − ½) yᵢ / μ with districts ranked from least to most need and rᵢ the
    population-weighted fractional rank (O'Donnell et al. 2008, ch. 8)."""
    order = sorted(rates, key=lambda a: need[a])
    total = sum(POPS[a] for a in order)
    before, acc = 0.0, 0.0
    mu = sum(POPS[a] / total * rates[a] for a in order)
    for a in order:
        p = POPS[a] / total
        r = (before + POPS[a] / 2) / total
        acc += 2 * p * (r - 0.5) * rates[a]
        before += POPS[a]
    return acc / mu


def reach_records(rate: dict[str, float]) -> list[dict]:
    return [{"period": "2025", "area": a, "reached": round(rate[a] * POPS[a])} for a in rate]


PROPORTIONATE = {a: 0.02 * NEED[a] for a in NEED}  # 80, 120, 120, 120, 100 reached
EVEN = dict.fromkeys(NEED, 0.1)  # 400, 300, 200, 150, 100
REVERSED = {a: 0.02 * (6 - NEED[a]) for a in NEED}


@pytest.fixture(scope="module")
def followup(tmp_path_factory: pytest.TempPathFactory) -> FollowUp:
    rows = district_rows("need", {a: (lambda y, v=v: 10.0 * v) for a, v in NEED.items()})
    # The same need, told by a higher-is-better indicator: low values mean more need.
    rows += district_rows("good", {a: (lambda y, v=v: 90.0 - 10.0 * v) for a, v in NEED.items()})
    nodes = [{"id": "g", "kind": "goal", "title": "Mål", "indicators": ["need", "good"]}]
    initiatives = [
        {
            "id": "prop",
            "title": "Proportionell",
            "nodes": ["g"],
            "indicators": ["need"],
            "reach": reach_records(PROPORTIONATE),
        },
        {
            "id": "even",
            "title": "Jämn",
            "nodes": ["g"],
            "indicators": ["need"],
            "reach": reach_records(EVEN),
        },
        {
            "id": "rev",
            "title": "Omvänd",
            "nodes": ["g"],
            "indicators": ["need"],
            "reach": reach_records(REVERSED),
        },
        {
            "id": "prop-good",
            "title": "Proportionell, positiv indikator",
            "nodes": ["g"],
            "indicators": ["good"],
            "reach": reach_records(PROPORTIONATE),
        },
        {
            "id": "two",
            "title": "Två områden",
            "nodes": ["g"],
            "indicators": ["need"],
            "reach": reach_records({"d1": 0.1, "d2": 0.1}),
        },
        {
            "id": "old",
            "title": "Gammal räckvidd",
            "nodes": ["g"],
            "indicators": ["need"],
            "reach": [{"period": "2027", "area": "d1", "reached": 5}],
        },
    ]
    inds = [indicator("need", polarity="higher_is_worse"), indicator("good")]
    path = tmp_path_factory.mktemp("reach")
    ws = workspace(path, inds, rows, programme(nodes, initiatives))
    return build_followup(ws, "test-prog", 2025, today=date(2025, 6, 1))


def _reach(fu: FollowUp, ini: str):
    return next(r for r in fu.reach_vs_need if r.initiative == ini)


def test_index_matches_hand_calculation() -> None:
    areas = list(NEED)
    reached = [PROPORTIONATE[a] * POPS[a] for a in areas]
    est, se, lo, hi = concentration(reached, [POPS[a] for a in areas], [NEED[a] for a in areas])
    assert est == pytest.approx(hand_rci(PROPORTIONATE, NEED), rel=1e-9)
    assert est > 0 and lo < est < hi and se > 0


def test_proportionate_reach_reaches_most_need(followup: FollowUp) -> None:
    r = _reach(followup, "prop")
    assert r.verdict == "most_need" and r.ci_lb > 0
    assert r.index == pytest.approx(hand_rci(PROPORTIONATE, NEED), rel=1e-6)
    assert r.population_basis == "indicator_population" and r.need_indicator == "need"
    assert "störst behov" in r.text_sv
    by_area = {a.area: a for a in r.areas}
    assert by_area["d5"].rate_per_1000 == pytest.approx(100.0)
    assert by_area["d5"].need_rank > by_area["d1"].need_rank


def test_even_reach_is_even(followup: FollowUp) -> None:
    r = _reach(followup, "even")
    assert r.index == pytest.approx(0.0, abs=1e-12)
    assert r.verdict == "evenly" and r.ci_lb < 0 < r.ci_ub


def test_reversed_reach_reaches_least_need(followup: FollowUp) -> None:
    r = _reach(followup, "rev")
    assert r.verdict == "least_need" and r.ci_ub < 0
    assert r.index == pytest.approx(hand_rci(REVERSED, NEED), rel=1e-6)


def test_need_follows_polarity(followup: FollowUp) -> None:
    # Low values of a higher-is-better indicator are need: same index as with "need".
    r = _reach(followup, "prop-good")
    assert r.verdict == "most_need"
    assert r.index == pytest.approx(_reach(followup, "prop").index, rel=1e-9)


def test_too_few_districts_and_later_reach(followup: FollowUp) -> None:
    r = _reach(followup, "two")
    assert r.verdict == "too_few_areas" and r.index is None
    assert "old" not in {x.initiative for x in followup.reach_vs_need}  # reach only after 2025


def test_hand_rci_sanity() -> None:
    # The hand formula itself: all reach in the district with most need gives a positive
    # index, and the index is scale-free.
    rates = {a: 1.0 if a == "d5" else 0.0 for a in NEED}
    assert hand_rci(rates, NEED) > 0
    assert hand_rci({a: 3 * v for a, v in rates.items()}, NEED) == pytest.approx(
        hand_rci(rates, NEED)
    )
    assert np.isclose(hand_rci(EVEN, NEED), 0.0)
