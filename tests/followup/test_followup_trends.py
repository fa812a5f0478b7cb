"""Gap verdicts on constructed data whose truth the test states: a gap built to narrow, one
built to widen, pure noise around a constant gap, and a series too short to judge."""

from __future__ import annotations

import math
from datetime import date

import pytest
from followup_helpers import CITY, YEARS, indicator, noise_maker, programme, sex_gap_rows, workspace
from scipy import stats

from jamlik.followup import FollowUp, build_followup

N_NOISE = 40
SE = 0.3


def _gap(fu: FollowUp, ind: str):
    found = [g for g in fu.indicator(ind).gaps if g.area == CITY and g.dimension == "sex"]
    return {g.measure: g for g in found}


@pytest.fixture(scope="module")
def followup(tmp_path_factory: pytest.TempPathFactory) -> FollowUp:
    ids = ["narrow", "widen", "short"] + [f"noise-{k:02d}" for k in range(N_NOISE)]
    rows = []
    # A gap of 10 in 2012 that falls in a straight line to 2 in 2025, and the reverse.
    rows += sex_gap_rows("narrow", lambda y: 60.0, lambda y: 10 - 8 * (y - 2012) / 13, se=SE)
    rows += sex_gap_rows("widen", lambda y: 60.0, lambda y: 2 + 8 * (y - 2012) / 13, se=SE)
    # Three years only, though steep: the minimum-data rule asks for four.
    rows += sex_gap_rows(
        "short", lambda y: 60.0, lambda y: 2 + 5 * (y - 2023), years=[2023, 2024, 2025]
    )
    # A constant gap of 5 plus sampling noise of exactly the stated standard error.
    for k in range(N_NOISE):
        rows += sex_gap_rows(
            f"noise-{k:02d}", lambda y: 60.0, lambda y: 5.0, se=SE, noise=noise_maker(1000 + k, SE)
        )
    prog = programme(
        [
            {"id": "g", "kind": "goal", "title": "Mål"},
            {
                "id": "ta",
                "kind": "target_area",
                "title": "Målområde",
                "parent": "g",
                "indicators": ids,
            },
        ]
    )
    path = tmp_path_factory.mktemp("trends")
    ws = workspace(path, [indicator(i) for i in ids], rows, prog)
    return build_followup(ws, "test-prog", 2025, today=date(2025, 6, 1))


def test_a_gap_built_to_narrow_is_narrowing(followup: FollowUp) -> None:
    d = _gap(followup, "narrow")["D"]
    assert d.headline
    assert d.trend.verdict == "narrowing"
    # The points lie on the line: slope −8/13 per year; se from the known standard errors,
    # se(D)² = 2·0.3², Σ(t − t̄)² = n(n² − 1)/12 for n consecutive years.
    n = len(YEARS)
    assert d.trend.slope == pytest.approx(-8 / 13, abs=1e-9)
    assert d.trend.se == pytest.approx(math.sqrt(2 * SE**2 / (n * (n**2 - 1) / 12)), rel=1e-6)
    assert d.trend.n_points == n
    assert d.latest.period == "2025" and d.latest.estimate == pytest.approx(2.0)
    assert "minskar" in d.trend.text_sv.lower()


def test_a_gap_built_to_widen_is_widening(followup: FollowUp) -> None:
    gaps = _gap(followup, "widen")
    assert gaps["D"].trend.verdict == "widening"
    assert gaps["R"].trend.verdict == "widening"
    assert gaps["D"].trend.slope == pytest.approx(8 / 13, abs=1e-9)


def test_pure_noise_is_mostly_no_clear_change(followup: FollowUp) -> None:
    verdicts = [_gap(followup, f"noise-{k:02d}")["D"].trend.verdict for k in range(N_NOISE)]
    claimed = sum(v != "no clear change" for v in verdicts)
    # At a 95 % level about 2 in 40 noise series are flagged; more than 7 would happen with
    # probability below 0.2 % if the intervals hold their level.
    assert stats.binom.sf(7, N_NOISE, 0.05) < 0.002
    assert claimed <= 7, verdicts
    assert "too few points" not in verdicts


def test_a_short_series_gets_no_verdict(followup: FollowUp) -> None:
    for gap in _gap(followup, "short").values():
        assert gap.trend.verdict == "too few points"
        assert gap.trend.n_points == 3
        assert "för få" in gap.trend.text_sv.lower()
    assert "för få mätpunkter" in followup.indicator("short").reason_sv


def test_only_the_default_measures_for_a_two_group_dimension(followup: FollowUp) -> None:
    assert set(_gap(followup, "narrow")) == {"D", "R"}
    assert followup.measures == ["D", "R"]
